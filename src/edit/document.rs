//! New notes and forms: Markdown with TOML front matter filled in (date,
//! kind, stage, author), and for a form a table of the fields the process
//! says it asks for, ready to fill in.

use jiff::civil::Date;
use toml_edit::{Array, DocumentMut, Value};

use super::toml::{date, set};
use crate::i18n::I18n;
use crate::process::Process;

/// A new visit or meeting note.
#[derive(Clone, Debug, PartialEq)]
pub struct NewNote {
    pub title: String,
    pub date: Date,
    /// Index into the process's note kinds.
    pub kind: Option<usize>,
    /// The project's current stage.
    pub stage: Option<usize>,
    /// A person id.
    pub author: Option<String>,
}

/// A new attached form.
#[derive(Clone, Debug, PartialEq)]
pub struct NewForm {
    /// Index into the process's forms.
    pub form: usize,
    pub title: String,
    pub date: Date,
    pub author: Option<String>,
}

/// The note's text.
pub fn note(n: &NewNote, process: &Process, i18n: &I18n) -> String {
    let c = |key: &'static str| i18n.get(key).to_string();
    let mut doc = DocumentMut::new();
    let t = doc.as_table_mut();
    set(
        t,
        "title",
        Value::from(n.title.as_str()),
        &c("new.note-title"),
    );
    set(t, "date", date(n.date), &c("new.note-date"));
    if let Some(k) = n.kind {
        let kinds: Vec<&str> = process
            .note_kinds
            .iter()
            .map(|k| process.text(&k.name, &process.locale))
            .collect();
        let name = process.text(&process.note_kinds[k].name, &process.locale);
        set(t, "kind", Value::from(name), &kinds.join(" | "));
    }
    if let Some(s) = n.stage {
        let name = super::record::stage_name(process, s);
        set(t, "stage", Value::from(name), &c("new.note-stage"));
    }
    if let Some(a) = &n.author {
        set(t, "author", Value::from(a.as_str()), &c("new.note-author"));
        let mut who = Array::new();
        who.push(a.as_str());
        set(t, "attendees", Value::Array(who), &c("new.note-attendees"));
    }
    let mut evidences = Array::new();
    evidences.set_trailing("");
    set(
        t,
        "evidences",
        Value::Array(evidences),
        &c("new.note-evidences"),
    );
    format!("+++\n{doc}+++\n\n{}\n", c("new.note-body"))
}

/// The form's text: front matter, then one table row per field.
pub fn form(f: &NewForm, process: &Process, i18n: &I18n) -> String {
    let c = |key: &'static str| i18n.get(key).to_string();
    let form = &process.forms[f.form];
    let mut doc = DocumentMut::new();
    let t = doc.as_table_mut();
    let name = process.text(&form.name, &process.locale);
    set(t, "form", Value::from(name), &c("new.form-form"));
    set(
        t,
        "title",
        Value::from(f.title.as_str()),
        &c("new.note-title"),
    );
    set(t, "date", date(f.date), &c("new.form-date"));
    if let Some(a) = &f.author {
        set(t, "author", Value::from(a.as_str()), &c("new.note-author"));
    }
    let mut body = format!(
        "| {} | {} |\n| --- | --- |\n",
        c("new.form-field"),
        c("new.form-value")
    );
    for field in &form.fields {
        let label = process.text(field, i18n.locale()).replace('|', "\\|");
        body.push_str(&format!("| {label} |  |\n"));
    }
    if form.fields.is_empty() {
        body.push_str("|  |  |\n");
    }
    format!("+++\n{doc}+++\n\n{body}")
}

/// A file name from a date and a title: `2026-11-29-首次拜访.md`. Characters
/// that file systems or URLs trip on become `-`.
pub fn note_file_name(d: Date, title: &str) -> String {
    let slug = slug(title);
    if slug.is_empty() {
        format!("{d}.md")
    } else {
        format!("{d}-{slug}.md")
    }
}

/// The file a form is written to: its name in the process's language.
pub fn form_file_name(process: &Process, form: usize) -> String {
    let name = process.text(&process.forms[form].name, &process.locale);
    let slug = slug(name);
    if slug.is_empty() {
        format!("{}.md", process.forms[form].id)
    } else {
        format!("{slug}.md")
    }
}

/// Keeps letters, digits (CJK included) and `-_()（）`; everything else
/// becomes one `-`; at most 40 characters.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.trim().chars() {
        if ch.is_alphanumeric() || "_()（）".contains(ch) {
            out.push(ch);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out.trim_matches('-').chars().take(40).collect();
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    #[test]
    fn file_names_are_safe() {
        assert_eq!(
            note_file_name(d(2026, 11, 29), "首次拜访 信息中心"),
            "2026-11-29-首次拜访-信息中心.md"
        );
        assert_eq!(
            note_file_name(d(2026, 11, 29), "../../etc/passwd"),
            "2026-11-29-etc-passwd.md"
        );
        assert_eq!(note_file_name(d(2026, 11, 29), "  "), "2026-11-29.md");
        assert_eq!(
            slug("强化客户关系计划表（上门拜访）"),
            "强化客户关系计划表（上门拜访）"
        );
        assert_eq!(slug("a/b\\c:d"), "a-b-c-d");
    }
}
