//! Changes to the data repo's files: new records, notes and forms, stage
//! moves, closing. Built on toml_edit, so a record keeps its comments,
//! order and layout; pure (text in, text out): `cmd/` reads and writes.

pub mod document;
pub mod record;
pub mod scaffold;
pub mod stage;
pub mod toml;

/// Why a project code cannot be a folder name, as a message key; `None`
/// when it can. Codes become folder names and page addresses, so they
/// must not climb out of `content/projects/` or confuse a file system.
pub fn unsafe_code(code: &str) -> Option<&'static str> {
    if code.is_empty() {
        Some("edit.code-empty")
    } else if code.chars().count() > 64 {
        Some("edit.code-too-long")
    } else if code.starts_with('.')
        || code.ends_with(['.', ' '])
        || code
            .chars()
            .any(|c| c.is_control() || "/\\:*?\"<>|#%".contains(c))
    {
        Some("edit.code-bad-character")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_must_be_safe_folder_names() {
        for ok in ["HZ-2026-001", "1C1I7A6R", "杭州-001", "A_B"] {
            assert_eq!(super::unsafe_code(ok), None, "{ok}");
        }
        for bad in [
            "", "..", ".hidden", "a/b", "a\\b", "a:b", "x\u{7}", "a#b", "ends.",
        ] {
            assert!(super::unsafe_code(bad).is_some(), "{bad:?}");
        }
        assert!(super::unsafe_code(&"x".repeat(65)).is_some());
    }
}
