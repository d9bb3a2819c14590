//! User-facing strings, from `data/i18n/<locale>.toml`.
//!
//! The tool's own catalogues are compiled in, so a data repo without
//! `data/i18n/` still gets every message; a repo's own file overrides single
//! strings (a company may prefer other words).

use std::collections::BTreeMap;

use crate::diag::{Arg, Msg};
use crate::process::Process;

/// Locales the tool ships complete catalogues for.
pub const LOCALES: &[&str] = &["zh-CN", "en"];
pub const DEFAULT_LOCALE: &str = "zh-CN";

const BUILTIN: &[(&str, &str)] = &[
    ("zh-CN", include_str!("../data/i18n/zh-CN.toml")),
    ("en", include_str!("../data/i18n/en.toml")),
];

/// The strings of one locale, keyed by dotted path (`finding.unknown-key`).
#[derive(Clone, Debug)]
pub struct I18n {
    locale: String,
    strings: BTreeMap<String, String>,
}

impl I18n {
    /// The compiled-in catalogue of `locale` (zh-CN when unknown).
    pub fn builtin(locale: &str) -> I18n {
        let (name, text) = BUILTIN
            .iter()
            .find(|(name, _)| *name == locale)
            .unwrap_or(&BUILTIN[0]);
        let strings = flatten(text).expect("built-in i18n catalogue is valid TOML");
        I18n {
            locale: (*name).to_string(),
            strings,
        }
    }

    /// The catalogue of a run over a repo: the locale asked for, else the
    /// repo's; the repo's own strings over ours; the process's names.
    pub fn for_repo(
        asked: Option<&str>,
        repo_locale: &str,
        overrides: &BTreeMap<String, BTreeMap<String, String>>,
        process: Option<&Process>,
    ) -> I18n {
        let mut i18n = I18n::builtin(asked.unwrap_or(repo_locale));
        if let Some(strings) = overrides.get(i18n.locale()) {
            i18n.merge(strings.clone());
        }
        if let Some(process) = process {
            i18n.add_process(process);
        }
        i18n
    }

    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// Overrides strings with those of a data repo's own catalogue.
    pub fn merge(&mut self, strings: BTreeMap<String, String>) {
        self.strings.extend(strings);
    }

    /// Adds the process's names in this locale as terms, so findings can
    /// name stages, roles, forms and conditions in the reader's language:
    /// `process.stage.<id>` (id and name), `process.role.<id>`,
    /// `process.form.<id>`, `process.condition.<stage>.<id>`.
    pub fn add_process(&mut self, process: &Process) {
        let locale = self.locale.clone();
        let text = |t: &crate::process::Text| process.text(t, &locale).to_string();
        let mut terms = BTreeMap::new();
        for stage in &process.stages {
            let label = self.format(
                &Msg::new("term.stage-label")
                    .arg("id", &stage.id)
                    .arg("name", text(&stage.name)),
            );
            terms.insert(format!("process.stage.{}", stage.id), label);
            for c in &stage.conditions {
                terms.insert(
                    format!("process.condition.{}.{}", stage.id, c.id),
                    text(&c.text),
                );
                let label = self.format(
                    &Msg::new("term.condition-label")
                        .arg("id", &c.id)
                        .arg("text", text(&c.text)),
                );
                terms.insert(
                    format!("process.condition-label.{}.{}", stage.id, c.id),
                    label,
                );
            }
        }
        for role in &process.roles {
            terms.insert(format!("process.role.{}", role.id), text(&role.name));
        }
        for form in &process.forms {
            terms.insert(format!("process.form.{}", form.id), text(&form.name));
            let label = self.format(
                &Msg::new("term.form-label")
                    .arg("id", &form.id)
                    .arg("name", text(&form.name)),
            );
            terms.insert(format!("process.form-label.{}", form.id), label);
        }
        // Each vocabulary as a list of ids with their names, for help texts.
        let list = |items: Vec<(&str, &crate::process::Text)>| {
            let items: Vec<String> = items
                .into_iter()
                .map(|(id, name)| {
                    self.format(
                        &Msg::new("term.list-item")
                            .arg("id", id)
                            .arg("name", text(name)),
                    )
                })
                .collect();
            items.join(self.get("term.list-sep"))
        };
        use crate::process as p;
        let lists = [
            (
                p::LIST_STAGES,
                list(
                    process
                        .stages
                        .iter()
                        .map(|s| (s.id.as_str(), &s.name))
                        .collect(),
                ),
            ),
            (
                p::LIST_ROLES,
                list(
                    process
                        .roles
                        .iter()
                        .map(|r| (r.id.as_str(), &r.name))
                        .collect(),
                ),
            ),
            (
                p::LIST_FORMS,
                list(
                    process
                        .forms
                        .iter()
                        .map(|f| (f.id.as_str(), &f.name))
                        .collect(),
                ),
            ),
            (
                p::LIST_PARTS,
                list(
                    process
                        .contact_parts
                        .iter()
                        .map(|c| (c.id.as_str(), &c.name))
                        .collect(),
                ),
            ),
            (
                p::LIST_KINDS,
                list(
                    process
                        .note_kinds
                        .iter()
                        .map(|c| (c.id.as_str(), &c.name))
                        .collect(),
                ),
            ),
            (
                p::LIST_LOSS_REASONS,
                list(
                    process
                        .loss_reasons
                        .iter()
                        .map(|c| (c.id.as_str(), &c.name))
                        .collect(),
                ),
            ),
        ];
        for (key, value) in lists {
            terms.insert(key.to_string(), value);
        }
        self.merge(terms);
    }

    /// The catalogue for pages of the site: stages, conditions and forms
    /// named by their names only (`项目立项`), where a terminal shows the id
    /// to type as well (`` `initiation`（项目立项） ``).
    pub fn for_pages(&self, process: &Process) -> I18n {
        let mut pages = self.clone();
        let labels = [
            "term.stage-label",
            "term.condition-label",
            "term.form-label",
        ]
        .into_iter()
        .map(|key| {
            (
                key.to_string(),
                self.get(&format!("{key}-page")).to_string(),
            )
        })
        .collect();
        pages.merge(labels);
        pages.add_process(process);
        pages
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.strings.keys().map(String::as_str)
    }

    /// The string for `key`; the key itself when it is missing, so a gap
    /// shows up (and tests catch it) instead of an empty label.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map_or(key, String::as_str)
    }

    pub fn has(&self, key: &str) -> bool {
        self.strings.contains_key(key)
    }

    /// Renders a message, substituting `{name}` placeholders. Braces that
    /// do not hold a bare name (`{ date = … }` in a help text) stay as
    /// written, so examples of TOML need no escaping.
    pub fn format(&self, msg: &Msg) -> String {
        let template = self.get(msg.key);
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let name_len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(after.len());
            let arg = (name_len > 0 && after[name_len..].starts_with('}'))
                .then(|| msg.args.iter().find(|(n, _)| *n == &after[..name_len]))
                .flatten();
            match arg {
                Some((_, value)) => {
                    match value {
                        Arg::Text(t) => out.push_str(t),
                        Arg::Term(k) => out.push_str(self.get(k)),
                    }
                    rest = &after[name_len + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Parses a built-in catalogue into dotted keys. Every leaf must be a
/// string. (A repo's overrides are read with findings, in `load::i18n`.)
fn flatten(text: &str) -> Result<BTreeMap<String, String>, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = BTreeMap::new();
    flatten_into("", &table, &mut out)?;
    Ok(out)
}

fn flatten_into(
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(s) => {
                out.insert(path, s.clone());
            }
            toml::Value::Table(t) => flatten_into(&path, t, out)?,
            _ => return Err(format!("`{path}` must be a string")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_the_same_keys() {
        let zh = I18n::builtin("zh-CN");
        let en = I18n::builtin("en");
        let zh_keys: Vec<_> = zh.keys().collect();
        let en_keys: Vec<_> = en.keys().collect();
        let only_zh: Vec<_> = zh_keys.iter().filter(|k| !en.has(k)).collect();
        let only_en: Vec<_> = en_keys.iter().filter(|k| !zh.has(k)).collect();
        assert!(only_zh.is_empty(), "missing in en: {only_zh:?}");
        assert!(only_en.is_empty(), "missing in zh-CN: {only_en:?}");
    }

    #[test]
    fn every_finding_code_has_a_message_in_every_locale() {
        for locale in LOCALES {
            let i18n = I18n::builtin(locale);
            for rule in crate::diag::codes::ALL {
                let key = format!("rule.{}", rule.code);
                assert!(i18n.has(&key), "{locale}: no {key}");
            }
        }
    }

    #[test]
    fn placeholders_are_filled_and_terms_translated() {
        let mut i18n = I18n::builtin("en");
        let mut strings = BTreeMap::new();
        strings.insert(
            "t.msg".to_string(),
            "expected {a}, found {b} ({c}) { {b} = 1 }".to_string(),
        );
        strings.insert("t.term".to_string(), "a date".to_string());
        i18n.merge(strings);
        let msg = Msg::new("t.msg").term("a", "t.term").arg("b", "\"x\"");
        assert_eq!(
            i18n.format(&msg),
            "expected a date, found \"x\" ({c}) { \"x\" = 1 }"
        );
        assert_eq!(i18n.get("no.such.key"), "no.such.key");
    }

    #[test]
    fn unknown_locale_falls_back_to_chinese() {
        assert_eq!(I18n::builtin("fr").locale(), "zh-CN");
    }
}
