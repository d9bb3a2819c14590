//! Themes: the default theme is compiled in (a data repo needs no copy of
//! it); `themes/<name>/templates/*.html` in the data repo override its
//! templates by name and `themes/<name>/static/**` add or replace static
//! files, as in Zola and mdBook.

use std::collections::BTreeMap;

use crate::load::RepoFiles;

macro_rules! embedded {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../themes/default/", $path)))),*]
    };
}

/// Every file of `themes/default`, compiled in. A test checks the list
/// against the folder.
pub const DEFAULT_FILES: &[(&str, &[u8])] = embedded![
    "templates/base.html",
    "templates/macros.html",
    "templates/index.html",
    "templates/pending.html",
    "templates/stages.html",
    "templates/stage.html",
    "templates/projects.html",
    "templates/project.html",
    "templates/notes.html",
    "templates/findings.html",
    "templates/hub.html",
    "templates/deals.html",
    "templates/forecast.html",
    "templates/changes.html",
    "templates/winloss.html",
    "templates/leaders.html",
    "static/style.css",
    "static/app.js",
];

/// Templates by name and static files by path below `static/`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Theme {
    pub templates: BTreeMap<String, String>,
    pub statics: BTreeMap<String, Vec<u8>>,
}

/// A theme named in `dealbook.toml` that the repo does not have.
#[derive(Debug, PartialEq)]
pub struct UnknownTheme(pub String);

impl Theme {
    /// The compiled-in default theme.
    pub fn builtin() -> Theme {
        let mut theme = Theme::default();
        for (path, bytes) in DEFAULT_FILES {
            theme.add(path, bytes);
        }
        theme
    }

    /// The default theme overlaid with `themes/<name>/` from the repo.
    pub fn load(files: &RepoFiles, name: &str) -> Result<Theme, UnknownTheme> {
        let mut theme = Theme::builtin();
        let prefix = format!("themes/{name}/");
        let mut found = name == "default";
        for (path, entry) in files.under(&prefix) {
            found = true;
            if let Some(bytes) = entry.bytes() {
                theme.add(&path[prefix.len()..], bytes);
            }
        }
        if found {
            Ok(theme)
        } else {
            Err(UnknownTheme(name.to_string()))
        }
    }

    fn add(&mut self, path: &str, bytes: &[u8]) {
        if let Some(name) = path.strip_prefix("templates/") {
            self.templates.insert(
                name.to_string(),
                String::from_utf8_lossy(bytes).into_owned(),
            );
        } else if let Some(rest) = path.strip_prefix("static/") {
            self.statics.insert(rest.to_string(), bytes.to_vec());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_default_theme_is_compiled_in() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk = Vec::new();
        for sub in ["templates", "static"] {
            for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
                on_disk.push(format!(
                    "{sub}/{}",
                    entry.unwrap().file_name().to_string_lossy()
                ));
            }
        }
        on_disk.sort();
        let mut listed: Vec<String> = DEFAULT_FILES.iter().map(|(p, _)| p.to_string()).collect();
        listed.sort();
        assert_eq!(on_disk, listed);
    }

    #[test]
    fn a_repo_theme_overrides_templates_by_name() {
        let mut files = RepoFiles::default();
        files.insert_text("themes/dark/templates/index.html", "dark");
        files.insert_text("themes/dark/static/extra.css", "x");
        let theme = Theme::load(&files, "dark").unwrap();
        assert_eq!(theme.templates["index.html"], "dark");
        assert!(theme.templates.contains_key("project.html"));
        assert!(theme.statics.contains_key("extra.css") && theme.statics.contains_key("style.css"));
        assert_eq!(
            Theme::load(&files, "nope"),
            Err(UnknownTheme("nope".into()))
        );
    }
}
