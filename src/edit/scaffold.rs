//! The files of a new data repo (`dealbook init`): settings, the built-in
//! process written out to adapt, a team of example people, one example
//! project with a note and a form, `.gitignore`, a CI recipe and a short
//! README for the sales team. The texts live in `scaffold/<locale>/`;
//! dates in them are relative to the day of `init`, so the example is
//! never stale or in the future.

use jiff::civil::Date;

/// Which CI recipe a new repo gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ci {
    Github,
    Gitlab,
    None,
}

struct Templates {
    config: &'static str,
    team: &'static str,
    readme: &'static str,
    project: &'static str,
    note: &'static str,
    note_name: &'static str,
    form: &'static str,
    form_name: &'static str,
}

const ZH: Templates = Templates {
    config: include_str!("../../scaffold/zh-CN/dealbook.toml"),
    team: include_str!("../../scaffold/zh-CN/team.toml"),
    readme: include_str!("../../scaffold/zh-CN/README.md"),
    project: include_str!("../../scaffold/zh-CN/project.toml"),
    note: include_str!("../../scaffold/zh-CN/note.md"),
    note_name: "{{today-5}}-电话沟通.md",
    form: include_str!("../../scaffold/zh-CN/form.md"),
    form_name: "项目立项申请表.md",
};

const EN: Templates = Templates {
    config: include_str!("../../scaffold/en/dealbook.toml"),
    team: include_str!("../../scaffold/en/team.toml"),
    readme: include_str!("../../scaffold/en/README.md"),
    project: include_str!("../../scaffold/en/project.toml"),
    note: include_str!("../../scaffold/en/note.md"),
    note_name: "{{today-5}}-call.md",
    form: include_str!("../../scaffold/en/form.md"),
    form_name: "initiation-application.md",
};

const GITIGNORE: &str = include_str!("../../scaffold/gitignore");
const GITHUB: &str = include_str!("../../recipes/github-actions.yml");
const GITLAB: &str = include_str!("../../recipes/gitlab-ci.yml");

/// The files of a new repo, as (repo-relative path, text), in the order
/// they are written.
pub fn files(locale: &str, ci: Ci, today: Date) -> Vec<(String, String)> {
    let t = if locale == "en" { &EN } else { &ZH };
    let project = expand("content/projects/EX-{{year}}-001", today);
    let mut out = vec![
        ("dealbook.toml".to_string(), t.config.to_string()),
        (
            crate::load::PROCESS.to_string(),
            crate::load::BUILTIN_PROCESS.to_string(),
        ),
        (crate::load::TEAM.to_string(), t.team.to_string()),
        (format!("{project}/project.toml"), t.project.to_string()),
        (
            format!("{project}/notes/{}", t.note_name),
            t.note.to_string(),
        ),
        (
            format!("{project}/forms/{}", t.form_name),
            t.form.to_string(),
        ),
        (".gitignore".to_string(), GITIGNORE.to_string()),
        ("README.md".to_string(), t.readme.to_string()),
    ];
    match ci {
        Ci::Github => out.push((".github/workflows/dealbook.yml".into(), GITHUB.into())),
        Ci::Gitlab => out.push((".gitlab-ci.yml".into(), GITLAB.into())),
        Ci::None => {}
    }
    out.into_iter()
        .map(|(path, text)| (expand(&path, today), expand(&text, today)))
        .collect()
}

/// Fills `{{today}}`, `{{today+N}}`, `{{today-N}}` (days) and `{{year}}`.
/// Anything else in double braces (a CI variable) is left as written.
pub fn expand(text: &str, today: Date) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        match placeholder(&after[..end], today) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

fn placeholder(name: &str, today: Date) -> Option<String> {
    if name == "year" {
        return Some(today.year().to_string());
    }
    let offset = name.strip_prefix("today")?;
    let days: i64 = match offset.chars().next() {
        None => 0,
        Some('+') => offset[1..].parse().ok()?,
        Some('-') => -offset[1..].parse::<i64>().ok()?,
        Some(_) => return None,
    };
    today
        .checked_add(jiff::Span::new().days(days))
        .ok()
        .map(|d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn placeholders_are_days_from_today() {
        let today = date(2026, 11, 29);
        assert_eq!(
            expand("{{today}} {{today+7}} {{today-30}} EX-{{year}}", today),
            "2026-11-29 2026-12-06 2026-10-30 EX-2026"
        );
        // CI variables and broken braces stay as they are.
        assert_eq!(
            expand("${{ github.token }} {{nope}} {{today", today),
            "${{ github.token }} {{nope}} {{today"
        );
    }

    #[test]
    fn every_locale_has_every_file_with_no_placeholder_left() {
        for locale in ["zh-CN", "en"] {
            for ci in [Ci::Github, Ci::Gitlab, Ci::None] {
                let files = files(locale, ci, date(2026, 11, 29));
                for (path, text) in &files {
                    assert!(!path.contains("{{"), "{path}");
                    assert!(
                        !text.contains("{{today") && !text.contains("{{year"),
                        "{path}"
                    );
                }
                let has = |p: &str| files.iter().any(|(path, _)| path == p);
                assert!(has("content/projects/EX-2026-001/project.toml"));
                assert_eq!(has(".github/workflows/dealbook.yml"), ci == Ci::Github);
                assert_eq!(has(".gitlab-ci.yml"), ci == Ci::Gitlab);
            }
        }
    }

    #[test]
    fn the_new_repo_checks_clean() {
        for locale in ["zh-CN", "en"] {
            let today = date(2026, 11, 29);
            let mut repo = crate::load::RepoFiles::default();
            for (path, text) in files(locale, Ci::Github, today) {
                repo.insert_text(&path, &text);
            }
            let loaded = crate::load::parse(&repo).unwrap();
            let findings = crate::check::findings(
                &loaded.config,
                loaded.dataset.as_ref(),
                loaded.findings,
                today,
            );
            assert_eq!(findings, vec![], "{locale}");
            assert_eq!(loaded.dataset.unwrap().projects.len(), 1);
        }
    }
}
