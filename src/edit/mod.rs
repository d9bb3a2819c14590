//! Changes to the data repo's files: new records, notes and forms, stage
//! moves, closing. Built on toml_edit, so a record keeps its comments,
//! order and layout; pure (text in, text out): `cmd/` reads and writes.

pub mod document;
pub mod record;
pub mod scaffold;
pub mod stage;
pub mod toml;

/// Why a text cannot be a project code (an i18n term), if it cannot: it
/// names a folder, on every system a team clones to, that dealbook reads.
pub fn check_code(code: &str) -> Result<(), &'static str> {
    const MAX_CHARS: usize = 64;
    const RESERVED: &[&str] = &["CON", "PRN", "AUX", "NUL"];
    let stem = code.split('.').next().unwrap_or("").to_ascii_uppercase();
    let device = RESERVED.contains(&stem.as_str())
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.ends_with(|c: char| c.is_ascii_digit()));
    if code.is_empty() {
        Err("code.empty")
    } else if code.chars().count() > MAX_CHARS {
        Err("code.long")
    } else if code.contains(['/', '\\']) {
        Err("code.slash")
    } else if code.chars().any(char::is_control) {
        Err("code.control")
    } else if code.contains(['<', '>', ':', '"', '|', '?', '*']) {
        Err("code.windows-char")
    } else if code == "." || code == ".." || code.ends_with(['.', ' ']) {
        Err("code.trailing")
    } else if crate::load::files::is_ignored(code) {
        Err("code.ignored")
    } else if device {
        Err("code.device")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_must_be_safe_folder_names() {
        for ok in ["HZ-2026-001", "杭州地铁5号线", "1C1I7A6R", "a.b", "x y"] {
            assert_eq!(check_code(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("a/b", "code.slash"),
            ("a\\b", "code.slash"),
            (".git", "code.ignored"),
            ("#1", "code.ignored"),
            ("x~", "code.ignored"),
            ("a\u{7}", "code.control"),
            ("a:b", "code.windows-char"),
            ("..", "code.trailing"),
            ("a.", "code.trailing"),
            ("CON", "code.device"),
            ("com1.txt", "code.device"),
        ] {
            assert_eq!(check_code(bad), Err(why), "{bad}");
        }
        assert_eq!(check_code(&"x".repeat(65)), Err("code.long"));
        assert_eq!(check_code(&"项".repeat(64)), Ok(()));
    }
}
