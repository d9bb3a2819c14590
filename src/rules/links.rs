//! Evidence and form links resolve to files inside the project folder.

use crate::diag::{Finding, Msg, codes};
use crate::model::Project;
use crate::model::link::{Target, resolve};
use crate::span::Sp;

pub fn check(p: &Project, out: &mut Vec<Finding>) {
    for rec in p.stages.iter().flatten() {
        for link in rec.conditions.iter().flat_map(|c| &c.evidence) {
            check_link(p, link, out);
        }
        for f in &rec.forms {
            if let Some(rel) = check_link(p, &f.link, out) {
                let attached = p.forms.iter().find(|file| file.rel == rel);
                if let Some(form) = attached.and_then(|file| file.form.as_ref())
                    && form.value != f.form
                {
                    out.push(
                        Finding::new(
                            &codes::FORM_MISMATCH,
                            &p.path,
                            Some(f.link.span),
                            Msg::new("msg.form-mismatch").arg("link", &f.link.value),
                        )
                        .with_help(Msg::new("help.form-mismatch")),
                    );
                }
            }
        }
    }
}

/// Reports a link that leaves the folder or names no file; returns the
/// normalized path of a good local link.
fn check_link(p: &Project, link: &Sp<String>, out: &mut Vec<Finding>) -> Option<String> {
    match resolve(&link.value) {
        Target::External => None,
        Target::Outside => {
            out.push(
                Finding::new(
                    &codes::OUTSIDE_PROJECT,
                    &p.path,
                    Some(link.span),
                    Msg::new("msg.outside-project").arg("link", &link.value),
                )
                .with_help(Msg::new("help.outside-project").arg("dir", &p.dir)),
            );
            None
        }
        Target::Inside(rel) => {
            if p.files.contains(&rel) {
                Some(rel)
            } else {
                let help = crate::suggest::help(&rel, p.files.iter().map(String::as_str))
                    .unwrap_or_else(|| Msg::new("help.missing-file").arg("dir", &p.dir));
                out.push(
                    Finding::new(
                        &codes::MISSING_FILE,
                        &p.path,
                        Some(link.span),
                        Msg::new("msg.missing-file").arg("link", &link.value),
                    )
                    .with_help(help),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{VALID, one};

    #[test]
    fn a_form_link_to_another_form_is_a_warning() {
        let found = crate::rules::testing::findings(&[
            ("content/projects/P-1/project.toml", VALID),
            (
                "content/projects/P-1/forms/brief.md",
                "+++\nform = \"offer\"\n+++\n",
            ),
        ]);
        assert_eq!(
            found.iter().map(|f| f.code).collect::<Vec<_>>(),
            ["form-mismatch"]
        );
    }

    #[test]
    fn missing_and_escaping_links_are_reported() {
        let missing = one(&VALID.replace("forms/brief.md", "forms/breif.md"));
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].code, "missing-file");
        let outside = one(&VALID.replace("forms/brief.md", "../Q-2/forms/brief.md"));
        assert_eq!(outside[0].code, "outside-project");
    }
}
