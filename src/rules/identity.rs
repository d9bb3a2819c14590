//! Codes are unique and equal their folder name.

use std::collections::BTreeMap;

use crate::diag::{Finding, Msg, codes};
use crate::model::Dataset;

pub fn check(data: &Dataset, out: &mut Vec<Finding>) {
    let mut first_by_code: BTreeMap<String, usize> = BTreeMap::new();
    for (i, p) in data.projects.iter().enumerate() {
        let code = &p.code;
        if code.value != p.folder {
            out.push(
                Finding::new(
                    &codes::CODE_MISMATCH,
                    &p.path,
                    Some(code.span),
                    Msg::new("msg.code-mismatch")
                        .arg("code", &code.value)
                        .arg("folder", &p.folder),
                )
                .with_help(Msg::new("help.code-mismatch").arg("folder", &p.folder)),
            );
        }
        // Case-insensitive: `hz-001` and `HZ-001` clash on macOS and Windows.
        let key = code.value.to_lowercase();
        match first_by_code.get(&key) {
            Some(&first) => {
                let other = &data.projects[first];
                out.push(
                    Finding::new(
                        &codes::DUPLICATE_CODE,
                        &p.path,
                        Some(code.span),
                        Msg::new("msg.duplicate-code").arg("code", &code.value),
                    )
                    .with_help(Msg::new("help.duplicate-code"))
                    .with_related(
                        &other.path,
                        Some(other.code.span),
                        Msg::new("msg.first-defined-here"),
                    ),
                );
            }
            None => {
                first_by_code.insert(key, i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{VALID, findings};

    #[test]
    fn reports_mismatched_and_duplicate_codes() {
        let b = VALID.replace("code = \"P-1\"", "code = \"p-1\"");
        let found = findings(&[
            ("content/projects/P-1/project.toml", VALID),
            (
                "content/projects/P-1/forms/brief.md",
                crate::rules::testing::BRIEF,
            ),
            ("content/projects/Q-1/project.toml", &b),
            (
                "content/projects/Q-1/forms/brief.md",
                crate::rules::testing::BRIEF,
            ),
        ]);
        let codes: Vec<_> = found.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["code-mismatch", "duplicate-code"]);
        assert_eq!(found[1].path, "content/projects/Q-1/project.toml");
        assert_eq!(
            found[1].related[0].path,
            "content/projects/P-1/project.toml"
        );
    }
}
