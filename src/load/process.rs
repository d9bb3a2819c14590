//! Reads `data/process.toml` into a [`Process`], checking that it is a
//! usable definition (unique ids, forms of existing stages, probabilities
//! between 0 and 1).

use std::collections::BTreeMap;

use super::toml_reader::{self, FileCx, TableReader, Val};
use crate::diag::{Finding, Msg, codes};
use crate::process::{Choice, Condition, Form, HeaderField, Process, Role, Stage, Step, Text};
use crate::span::Span;
use crate::suggest;

const DEFAULT_STALE_DAYS: u32 = 30;

/// Parses the process definition. `None` when it cannot be used at all
/// (syntax errors, no stages or no roles); the reasons are in `findings`.
pub fn parse(path: &str, text: &str, findings: &mut Vec<Finding>) -> Option<Process> {
    let before = findings.len();
    let mut cx = FileCx::new(path, findings);
    let doc = toml_reader::parse(&mut cx, text)?;
    let mut t = TableReader::root(&doc, &cx);

    let locale = t
        .text(&mut cx, "locale")
        .map_or_else(|| crate::i18n::DEFAULT_LOCALE.to_string(), |s| s.value);
    let title = t
        .get("title")
        .map(|v| text_of(&mut cx, &v, &locale))
        .unwrap_or_default();
    let stale_default = t
        .integer(&mut cx, "stale_days")
        .map_or(DEFAULT_STALE_DAYS, |n| days(&mut cx, n.value, n.span));

    let mut ids = IdSets::default();
    let header = t
        .tables(&mut cx, "header")
        .into_iter()
        .filter_map(|h| header_field(&mut cx, h, &locale, &mut ids))
        .collect();
    let roles: Vec<Role> = t
        .tables(&mut cx, "roles")
        .into_iter()
        .filter_map(|r| role(&mut cx, r, &locale, &mut ids))
        .collect();
    let stages: Vec<Stage> = t
        .tables(&mut cx, "stages")
        .into_iter()
        .filter_map(|s| stage(&mut cx, s, &locale, stale_default, &mut ids))
        .collect();
    let form_tables = t.tables(&mut cx, "forms");
    let forms = form_tables
        .into_iter()
        .filter_map(|f| form(&mut cx, f, &locale, &stages, &mut ids))
        .collect();
    let contact_parts = choices(&mut cx, &mut t, "contact_parts", &locale, &mut ids);
    let note_kinds = choices(&mut cx, &mut t, "note_kinds", &locale, &mut ids);
    let loss_reasons = choices(&mut cx, &mut t, "loss_reasons", &locale, &mut ids);
    t.finish(&mut cx);

    let root = Span::new(0, 0);
    if stages.is_empty() {
        cx.report(
            &codes::INVALID_PROCESS,
            root,
            Msg::new("msg.process-no-stages"),
            Some(Msg::new("help.process-no-stages")),
        );
    }
    if roles.is_empty() {
        cx.report(
            &codes::INVALID_PROCESS,
            root,
            Msg::new("msg.process-no-roles"),
            Some(Msg::new("help.process-no-roles")),
        );
    }
    let usable = findings[before..]
        .iter()
        .all(|f| f.severity != crate::diag::Severity::Error);
    usable.then(|| Process {
        path: path.to_string(),
        locale,
        title,
        header,
        roles,
        stages,
        forms,
        contact_parts,
        note_kinds,
        loss_reasons,
    })
}

/// Ids already used, per kind, to report duplicates.
#[derive(Default)]
struct IdSets {
    seen: BTreeMap<(&'static str, String), Span>,
}

impl IdSets {
    /// Reads a required `id`, reporting duplicates of the same kind.
    fn id(&mut self, cx: &mut FileCx, t: &mut TableReader, kind: &'static str) -> Option<String> {
        let id = t.require_text(cx, "id")?;
        let valid = id
            .value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            cx.report(
                &codes::INVALID_PROCESS,
                id.span,
                Msg::new("msg.process-bad-id").arg("id", &id.value),
                Some(Msg::new("help.process-bad-id")),
            );
            return None;
        }
        if let Some(first) = self.seen.get(&(kind, id.value.clone())) {
            let f = Finding::new(
                &codes::INVALID_PROCESS,
                cx.path,
                Some(id.span),
                Msg::new("msg.process-duplicate-id").arg("id", &id.value),
            )
            .with_related(cx.path, Some(*first), Msg::new("msg.first-defined-here"));
            cx.findings.push(f);
            return None;
        }
        self.seen.insert((kind, id.value.clone()), id.span);
        Some(id.value)
    }
}

/// Localized text: a string, or a table of locale → string.
pub fn text_of(cx: &mut FileCx, v: &Val, locale: &str) -> Text {
    if v.is_table() {
        let Some(mut t) = v.table(cx) else {
            return Text::default();
        };
        let entries = t
            .rest(cx)
            .into_iter()
            .filter_map(|(k, v)| v.string(cx).map(|s| (k.value, s.value)))
            .collect();
        t.finish(cx);
        Text::new(entries)
    } else {
        v.string(cx)
            .map(|s| Text::new(vec![(locale.to_string(), s.value)]))
            .unwrap_or_default()
    }
}

fn required_text(cx: &mut FileCx, t: &mut TableReader, key: &'static str, locale: &str) -> Text {
    match t.require(key) {
        Some(v) => text_of(cx, &v, locale),
        None => Text::default(),
    }
}

fn optional_text(cx: &mut FileCx, t: &mut TableReader, key: &'static str, locale: &str) -> Text {
    t.get(key)
        .map(|v| text_of(cx, &v, locale))
        .unwrap_or_default()
}

fn days(cx: &mut FileCx, n: i64, span: Span) -> u32 {
    match u32::try_from(n) {
        Ok(d) if d > 0 => d,
        _ => {
            cx.report(
                &codes::INVALID_PROCESS,
                span,
                Msg::new("msg.process-bad-days").arg("value", n),
                Some(Msg::new("help.process-bad-days")),
            );
            DEFAULT_STALE_DAYS
        }
    }
}

fn header_field(
    cx: &mut FileCx,
    mut t: TableReader,
    locale: &str,
    ids: &mut IdSets,
) -> Option<HeaderField> {
    let id_span = t.get("id").map(|v| v.span(cx));
    let id = ids.id(cx, &mut t, "header");
    let label = required_text(cx, &mut t, "label", locale);
    let required = t.boolean(cx, "required").is_some_and(|b| b.value);
    let person = t.boolean(cx, "person").is_some_and(|b| b.value);
    t.finish(cx);
    let id = id?;
    if crate::load::project::RESERVED_KEYS.contains(&id.as_str()) {
        cx.report(
            &codes::INVALID_PROCESS,
            id_span.unwrap_or_default(),
            Msg::new("msg.process-reserved-header").arg("id", &id),
            Some(Msg::new("help.process-reserved-header")),
        );
        return None;
    }
    Some(HeaderField {
        id,
        label,
        required,
        person,
    })
}

fn role(cx: &mut FileCx, mut t: TableReader, locale: &str, ids: &mut IdSets) -> Option<Role> {
    let id = ids.id(cx, &mut t, "role");
    let name = required_text(cx, &mut t, "name", locale);
    let writes_actual = t.boolean(cx, "writes_actual").is_some_and(|b| b.value);
    t.finish(cx);
    Some(Role {
        id: id?,
        name,
        writes_actual,
    })
}

fn stage(
    cx: &mut FileCx,
    mut t: TableReader,
    locale: &str,
    stale_default: u32,
    ids: &mut IdSets,
) -> Option<Stage> {
    let id = ids.id(cx, &mut t, "stage");
    let name = required_text(cx, &mut t, "name", locale);
    let criterion = optional_text(cx, &mut t, "criterion", locale);
    let probability = match t.number(cx, "probability") {
        Some(p) if (0.0..=1.0).contains(&p.value) => p.value,
        Some(p) => {
            cx.report(
                &codes::INVALID_PROCESS,
                p.span,
                Msg::new("msg.process-bad-probability").arg("value", p.value),
                Some(Msg::new("help.process-bad-probability")),
            );
            0.0
        }
        None => 0.0,
    };
    let stale_days = t
        .integer(cx, "stale_days")
        .map_or(stale_default, |n| days(cx, n.value, n.span));
    let max_days = t.integer(cx, "max_days").map(|n| days(cx, n.value, n.span));

    let mut cond_ids = IdSets::default();
    let mut conditions: Vec<Condition> = t
        .tables(cx, "conditions")
        .into_iter()
        .filter_map(|c| condition(cx, c, locale, None, &mut cond_ids))
        .collect();
    let mut steps = Vec::new();
    for mut s in t.tables(cx, "steps") {
        let step_id = ids.id(cx, &mut s, "step");
        let step_name = required_text(cx, &mut s, "name", locale);
        let step_criterion = optional_text(cx, &mut s, "criterion", locale);
        let index = steps.len();
        conditions.extend(
            s.tables(cx, "conditions")
                .into_iter()
                .filter_map(|c| condition(cx, c, locale, Some(index), &mut cond_ids)),
        );
        s.finish(cx);
        if let Some(step_id) = step_id {
            steps.push(Step {
                id: step_id,
                name: step_name,
                criterion: step_criterion,
            });
        }
    }
    t.finish(cx);
    Some(Stage {
        id: id?,
        name,
        criterion,
        probability,
        stale_days,
        max_days,
        steps,
        conditions,
    })
}

fn condition(
    cx: &mut FileCx,
    mut t: TableReader,
    locale: &str,
    step: Option<usize>,
    ids: &mut IdSets,
) -> Option<Condition> {
    let id = ids.id(cx, &mut t, "condition");
    let text = required_text(cx, &mut t, "text", locale);
    let short = optional_text(cx, &mut t, "short", locale);
    t.finish(cx);
    Some(Condition {
        id: id?,
        text,
        short,
        step,
    })
}

fn form(
    cx: &mut FileCx,
    mut t: TableReader,
    locale: &str,
    stages: &[Stage],
    ids: &mut IdSets,
) -> Option<Form> {
    let id = ids.id(cx, &mut t, "form");
    let name = required_text(cx, &mut t, "name", locale);
    let stage_key = t.require_text(cx, "stage");
    let required = t.boolean(cx, "required").is_none_or(|b| b.value);
    let fields = t
        .get("fields")
        .map(|v| fields_of(cx, &v, locale))
        .unwrap_or_default();
    t.finish(cx);
    let stage_key = stage_key?;
    let stage = stages.iter().position(|s| s.id == stage_key.value);
    if stage.is_none() {
        let help = suggest::help(&stage_key.value, stages.iter().map(|s| s.id.as_str()));
        cx.report(
            &codes::INVALID_PROCESS,
            stage_key.span,
            Msg::new("msg.unknown-stage").arg("stage", &stage_key.value),
            help,
        );
    }
    Some(Form {
        id: id?,
        name,
        stage: stage?,
        required,
        fields,
    })
}

/// The `fields` of a form: a list of localized texts. An entry that is not
/// text is reported by [`text_of`]; one that is blank, in any of its
/// locales, is reported here, since it would become a row without a
/// question.
fn fields_of(cx: &mut FileCx, v: &Val, locale: &str) -> Vec<Text> {
    let Some(items) = v.array(cx) else {
        return Vec::new();
    };
    let mut fields = Vec::with_capacity(items.len());
    for item in &items {
        let before = cx.findings.len();
        let text = text_of(cx, item, locale);
        let blank = text.is_empty() || text.variants().any(|t| t.trim().is_empty());
        if !blank {
            fields.push(text);
        } else if cx.findings.len() == before {
            let span = item.span(cx);
            cx.report(
                &codes::INVALID_PROCESS,
                span,
                Msg::new("msg.process-empty-field").arg("key", &item.path),
                Some(Msg::new("help.process-empty-field")),
            );
        }
    }
    fields
}

fn choices(
    cx: &mut FileCx,
    t: &mut TableReader,
    key: &'static str,
    locale: &str,
    ids: &mut IdSets,
) -> Vec<Choice> {
    t.tables(cx, key)
        .into_iter()
        .filter_map(|mut c| {
            let id = ids.id(cx, &mut c, key);
            let name = required_text(cx, &mut c, "name", locale);
            c.finish(cx);
            Some(Choice { id: id?, name })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = r#"
locale = "en"
[[roles]]
id = "rep"
name = "Rep"
writes_actual = true

[[stages]]
id = "lead"
name = { en = "Lead", zh-CN = "线索" }
probability = 0.1
[[stages.conditions]]
id = "qualified"
text = "Qualified"

[[stages]]
id = "visit"
name = "Visit"
stale_days = 10
max_days = 20
[[stages.steps]]
id = "call"
name = "Call"
[[stages.steps.conditions]]
id = "called"
text = "Called"

[[forms]]
id = "brief"
name = "Brief"
stage = "lead"
"#;

    #[test]
    fn reads_a_small_process() {
        let mut findings = Vec::new();
        let p = parse("data/process.toml", MINI, &mut findings).expect("usable");
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(p.stages.len(), 2);
        assert_eq!(p.stage_index("线索"), Some(0));
        assert_eq!(p.stages[1].conditions[0].step, Some(0));
        assert_eq!(p.stages[1].stale_days, 10);
        assert_eq!(p.stages[0].stale_days, DEFAULT_STALE_DAYS);
        assert_eq!(p.stages[1].max_days, Some(20));
        assert_eq!(p.stages[0].max_days, None, "no limit unless set");
        assert!(p.loss_reasons.is_empty(), "loss reasons are optional");
        assert_eq!(p.forms[0].stage, 0);
        assert!(p.forms[0].required);
        assert!(p.forms[0].fields.is_empty(), "fields are optional");
    }

    /// MINI with `fields` added to its form.
    fn with_fields(fields: &str) -> String {
        MINI.replace(
            "stage = \"lead\"\n",
            &format!("stage = \"lead\"\nfields = {fields}\n"),
        )
    }

    #[test]
    fn reads_form_fields_as_plain_and_localized_text() {
        let text = with_fields(r#"["Company", { en = "Budget", zh-CN = "预算" }]"#);
        let mut findings = Vec::new();
        let p = parse("p.toml", &text, &mut findings).expect("usable");
        assert!(findings.is_empty(), "{findings:?}");
        let fields = &p.forms[0].fields;
        assert_eq!(fields.len(), 2);
        assert_eq!(p.text(&fields[0], "zh-CN"), "Company");
        assert_eq!(p.text(&fields[1], "en"), "Budget");
        assert_eq!(p.text(&fields[1], "zh-CN"), "预算");
    }

    #[test]
    fn a_bad_form_field_is_reported_where_it_is() {
        let text = with_fields(r#"["Company", 42, "  ", { en = "Budget", zh-CN = "" }]"#);
        let mut findings = Vec::new();
        assert!(parse("p.toml", &text, &mut findings).is_none());
        let found: Vec<_> = findings
            .iter()
            .map(|f| {
                let span = f.span.expect("located");
                (f.code, f.message.key, &text[span.start..span.end])
            })
            .collect();
        assert_eq!(
            found,
            [
                ("wrong-type", "msg.wrong-type", "42"),
                ("invalid-process", "msg.process-empty-field", "\"  \""),
                (
                    "invalid-process",
                    "msg.process-empty-field",
                    r#"{ en = "Budget", zh-CN = "" }"#
                ),
            ]
        );
        assert_eq!(
            findings[1].message.args[0].1,
            crate::diag::Arg::Text("forms[0].fields[2]".into())
        );
    }

    #[test]
    fn every_bundled_form_lists_its_fields_in_both_languages() {
        let text = include_str!("../../data/process.toml");
        let mut findings = Vec::new();
        let p = parse(crate::load::PROCESS, text, &mut findings).expect("usable");
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(p.forms.len(), 20);
        for form in &p.forms {
            assert!(
                form.fields.len() >= 5,
                "form {} has {} fields",
                form.id,
                form.fields.len()
            );
            for field in &form.fields {
                for locale in ["zh-CN", "en"] {
                    assert!(
                        field.exact(locale).is_some_and(|t| !t.trim().is_empty()),
                        "a field of form {} has no {locale} text: {field:?}",
                        form.id
                    );
                }
            }
        }
    }

    #[test]
    fn fields_that_are_not_a_list_are_reported() {
        let text = with_fields(r#""Company""#);
        let mut findings = Vec::new();
        assert!(parse("p.toml", &text, &mut findings).is_none());
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].message.key, "msg.wrong-type");
    }

    #[test]
    fn duplicate_ids_and_bad_probabilities_make_it_unusable() {
        let text = MINI
            .replace("id = \"visit\"", "id = \"lead\"")
            .replace("0.1", "1.5");
        let mut findings = Vec::new();
        assert!(parse("p.toml", &text, &mut findings).is_none());
        let codes: Vec<_> = findings.iter().map(|f| f.message.key).collect();
        assert!(codes.contains(&"msg.process-duplicate-id"), "{codes:?}");
        assert!(codes.contains(&"msg.process-bad-probability"), "{codes:?}");
    }

    #[test]
    fn a_form_of_an_unknown_stage_is_reported() {
        let text = MINI.replace("stage = \"lead\"", "stage = \"laed\"");
        let mut findings = Vec::new();
        assert!(parse("p.toml", &text, &mut findings).is_none());
        assert_eq!(findings[0].code, "invalid-process");
        assert_eq!(
            findings[0].help.as_ref().unwrap().args[0].1,
            crate::diag::Arg::Text("lead".into())
        );
    }
}
