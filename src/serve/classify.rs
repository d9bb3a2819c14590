//! Decides the least work a batch of file changes needs, as Zola's serve
//! does: a note or record → reload that project; a template → reload the
//! theme; the process, team, strings or `dealbook.toml` → reload all.
//! Pure, so every case is a unit test.

use std::collections::BTreeSet;

use crate::load::files::{Part, part_of};

/// What to redo after a batch of changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Reload everything (definitions changed).
    pub full: bool,
    /// Reload the theme's templates and static files.
    pub theme: bool,
    /// Reload these project folders (names under `content/projects/`).
    pub projects: BTreeSet<String>,
}

impl Work {
    /// Reload everything.
    pub fn everything() -> Work {
        Work {
            full: true,
            ..Work::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        !self.full && !self.theme && self.projects.is_empty()
    }
}

/// Classifies changed paths, relative to the repo root with `/`, by the
/// part of the repo's layout they are in.
pub fn classify<'a>(paths: impl IntoIterator<Item = &'a str>) -> Work {
    let mut work = Work::default();
    for path in paths {
        match part_of(path) {
            Part::Definitions | Part::Content => work.full = true,
            Part::Theme => work.theme = true,
            Part::Project(folder) => {
                work.projects.insert(folder.to_string());
            }
            Part::Other => {}
        }
    }
    if work.full {
        work.theme = false;
        work.projects.clear();
    }
    work
}

#[cfg(test)]
mod tests {
    use super::*;

    fn projects(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_note_or_record_reloads_its_project_only() {
        let w = classify(["content/projects/HZ-1/notes/2026-11-20-拜访.md"]);
        assert_eq!(
            w,
            Work {
                full: false,
                theme: false,
                projects: projects(&["HZ-1"])
            }
        );
        let w = classify([
            "content/projects/HZ-1/project.toml",
            "content/projects/NJ-2/forms/a.md",
        ]);
        assert_eq!(w.projects, projects(&["HZ-1", "NJ-2"]));
    }

    #[test]
    fn a_new_or_deleted_project_folder_is_a_project_change() {
        assert_eq!(
            classify(["content/projects/NEW-1"]).projects,
            projects(&["NEW-1"])
        );
    }

    #[test]
    fn templates_reload_the_theme() {
        let w = classify([
            "themes/default/templates/project.html",
            "content/projects/A/project.toml",
        ]);
        assert!(w.theme && !w.full);
        assert_eq!(w.projects, projects(&["A"]));
    }

    #[test]
    fn definitions_reload_everything() {
        for path in [
            "dealbook.toml",
            "data/process.toml",
            "data/team.toml",
            "data/i18n/zh-CN.toml",
            "data",
        ] {
            let w = classify([path, "content/projects/A/project.toml"]);
            assert_eq!(
                w,
                Work {
                    full: true,
                    ..Work::default()
                },
                "{path}"
            );
        }
    }

    #[test]
    fn editor_files_and_other_paths_are_ignored() {
        let w = classify([
            "content/projects/A/.project.toml.swp",
            "content/projects/A/project.toml~",
            "content/projects/A/notes/#x.md#",
            "content/projects/A/.git/index",
            "public/index.html",
            "target/debug/dealbook",
            "content/README.md",
        ]);
        assert!(w.is_empty(), "{w:?}");
    }
}
