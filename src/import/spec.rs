//! The entries of `[fields]` and `[values]`: a field and where its value
//! comes from (a column, a template, a fixed value, a list of them tried
//! in order, each with a unit and a condition), and what a column's
//! values mean. Every problem is a finding at its place in the file.

use toml::de::DeValue;

use super::convert::{StatusNames, stage_of};
use super::field::{Field, Kind};
use super::mapping::{Alt, FieldMap, Piece, SPEC_KEYS, Spec, ValueMap};
use crate::diag::{Msg, codes};
use crate::load::resolve;
use crate::load::toml_reader::{FileCx, TableReader, Val};
use crate::process::{Keys, Process};
use crate::span::Sp;

/// What `[fields]` gave, for reporting what is missing.
#[derive(Default)]
pub(super) struct Given {
    pub(super) fields: Vec<Field>,
    /// Fields an unknown key was close to (`regoin` → `region`).
    pub(super) typos: Vec<String>,
}

/// Reads entries of `[fields]` and `[values]`.
pub(super) struct Entry<'p, 'g> {
    pub(super) process: &'p Process,
    pub(super) statuses: &'p StatusNames,
    pub(super) given: &'g mut Given,
}

impl Entry<'_, '_> {
    /// One entry of `[fields]`: a field with its source, or a group of
    /// them (`outcome = { date = "…" }`, `outcome.date = "…"`).
    pub(super) fn field(
        &mut self,
        cx: &mut FileCx,
        key: &Sp<String>,
        v: &Val,
        out: &mut Vec<FieldMap>,
    ) {
        let process = self.process;
        if let Some(field) = Field::parse(&key.value, process) {
            self.given.fields.push(field.clone());
            let kind = field.kind(process);
            let Some(alts) = alternatives(cx, &key.value, v, kind, process, self.statuses) else {
                return;
            };
            if let Some(first) = out.iter().find(|f| f.field == field) {
                resolve::duplicate(cx, key.span, first.key_span, &key.value);
                return;
            }
            out.push(FieldMap {
                field,
                key_span: key.span,
                alts,
            });
            return;
        }
        if let DeValue::Table(t) = v.v.get_ref()
            && !t
                .iter()
                .any(|(k, _)| SPEC_KEYS.contains(&k.get_ref().as_ref()))
            && let Some(mut group) = v.table(cx)
        {
            for (sub, sv) in group.rest(cx) {
                let full = Sp::new(format!("{}.{}", key.value, sub.value), sub.span);
                self.field(cx, &full, &sv, out);
            }
            group.finish(cx);
            return;
        }
        if let Some(typo_of) = unknown_field(cx, key, process) {
            self.given.typos.push(typo_of);
        }
    }

    /// One entry of `[values]`: the value table of a field, or a group of
    /// them (`[values.outcome]` with `reason = { … }`).
    pub(super) fn values(
        &mut self,
        cx: &mut FileCx,
        key: &Sp<String>,
        v: &Val,
        out: &mut Vec<ValueMap>,
    ) {
        let process = self.process;
        let Some(field) = Field::parse(&key.value, process) else {
            let nested = matches!(v.v.get_ref(), DeValue::Table(t)
                if t.iter().all(|(_, x)| matches!(x.get_ref(), DeValue::Table(_))));
            if nested && let Some(mut group) = v.table(cx) {
                for (sub, sv) in group.rest(cx) {
                    let full = Sp::new(format!("{}.{}", key.value, sub.value), sub.span);
                    self.values(cx, &full, &sv, out);
                }
                group.finish(cx);
            } else {
                unknown_field(cx, key, process);
            }
            return;
        };
        let Some(mut t) = v.table(cx) else { return };
        let kind = field.kind(process);
        let mut entries = Vec::new();
        for (from, to) in t.rest(cx) {
            let Some(to) = to.string(cx) else { continue };
            let ok = match kind {
                Kind::Stage => check_stage(cx, &to, process),
                Kind::Status => check_status(cx, &to, self.statuses),
                _ => Some(()),
            };
            if ok.is_some() {
                entries.push((from.value.trim().to_string(), to.value.trim().to_string()));
            }
        }
        t.finish(cx);
        if let Some(first) = out.iter().find(|m| m.field == field) {
            resolve::duplicate(cx, key.span, first.span, &key.value);
            return;
        }
        out.push(ValueMap {
            field,
            span: key.span,
            entries,
        });
    }
}

/// Reports a key that names no field; returns the field it is probably
/// a typo of.
fn unknown_field(cx: &mut FileCx, key: &Sp<String>, process: &Process) -> Option<String> {
    let keys = Field::all_keys(process);
    let closest = crate::suggest::closest(&key.value, keys.iter().map(String::as_str));
    let help = match closest {
        Some(c) => Msg::new("help.did-you-mean").arg("candidate", c),
        None => {
            let shown: Vec<&str> = keys
                .iter()
                .map(String::as_str)
                .filter(|k| !k.starts_with("judgements."))
                .collect();
            Msg::new("import.map.help-fields").arg("fields", shown.join(", "))
        }
    };
    cx.report(
        &codes::UNKNOWN_KEY,
        key.span,
        Msg::new("import.map.unknown-field").arg("field", &key.value),
        Some(help),
    );
    closest.map(str::to_string)
}

/// A field's sources: one, or a list tried in order.
fn alternatives(
    cx: &mut FileCx,
    key: &str,
    v: &Val,
    kind: Kind,
    process: &Process,
    statuses: &StatusNames,
) -> Option<Vec<Alt>> {
    let items = match v.v.get_ref() {
        DeValue::Array(_) => v.array(cx)?,
        _ => vec![Val {
            v: v.v,
            path: v.path.clone(),
        }],
    };
    if items.is_empty() {
        spec_type_error(cx, key, v);
        return None;
    }
    let alts: Vec<Alt> = items
        .iter()
        .filter_map(|item| alt(cx, key, item, kind, process, statuses))
        .collect();
    (alts.len() == items.len()).then_some(alts)
}

fn spec_type_error(cx: &mut FileCx, key: &str, v: &Val) {
    let span = v.span(cx);
    cx.report(
        &codes::WRONG_TYPE,
        span,
        Msg::new("import.map.spec-type").arg("field", key),
        Some(Msg::new("import.map.help-spec")),
    );
}

fn alt(
    cx: &mut FileCx,
    key: &str,
    v: &Val,
    kind: Kind,
    process: &Process,
    statuses: &StatusNames,
) -> Option<Alt> {
    let column = |cx: &mut FileCx, s: Sp<String>| {
        if s.value.trim().is_empty() {
            cx.report(
                &codes::MISSING_KEY,
                s.span,
                Msg::new("import.map.blank-column").arg("field", key),
                Some(Msg::new("import.map.help-spec")),
            );
            return None;
        }
        Some(Spec::Column(Sp::new(s.value.trim().to_string(), s.span)))
    };
    match v.v.get_ref() {
        DeValue::String(_) => {
            let s = v.string(cx)?;
            Some(Alt {
                source: column(cx, s)?,
                unit: 1.0,
                when: Vec::new(),
            })
        }
        DeValue::Table(_) => {
            let mut t = v.table(cx)?;
            let sources: Vec<(&str, Option<Sp<String>>)> = SPEC_KEYS
                .iter()
                .map(|k| (*k, t.get(k).and_then(|v| v.string(cx))))
                .filter(|(_, s)| s.is_some())
                .collect();
            let unit = t.get("unit").and_then(|u| unit(cx, &u, kind));
            let when = t.table(cx, "when").map(|w| when(cx, w)).unwrap_or_default();
            let span = t.span;
            t.finish(cx);
            let source = match sources.as_slice() {
                [("column", Some(s))] => column(cx, s.clone())?,
                [("template", Some(s))] => match template(&s.value) {
                    Ok(pieces) => Spec::Template(s.clone(), pieces),
                    Err(why) => {
                        cx.report(
                            &codes::UNKNOWN_VALUE,
                            s.span,
                            Msg::new("import.map.template").term("why", why),
                            Some(Msg::new("import.map.help-template")),
                        );
                        return None;
                    }
                },
                [("value", Some(s))] if s.value.trim().is_empty() => {
                    cx.report(
                        &codes::MISSING_KEY,
                        s.span,
                        Msg::new("import.map.blank-value").arg("field", key),
                        Some(Msg::new("import.map.help-spec")),
                    );
                    return None;
                }
                [("value", Some(s))] => {
                    check_constant(cx, s, kind, process, statuses)?;
                    Spec::Value(s.clone())
                }
                _ => {
                    cx.report(
                        &codes::MISSING_KEY,
                        span,
                        Msg::new("import.map.one-source").arg("field", key),
                        Some(Msg::new("import.map.help-spec")),
                    );
                    return None;
                }
            };
            Some(Alt {
                source,
                unit: unit.unwrap_or(1.0),
                when,
            })
        }
        _ => {
            spec_type_error(cx, key, v);
            None
        }
    }
}

/// `unit = "万元"` or `unit = 10000`, on amount fields only.
fn unit(cx: &mut FileCx, v: &Val, kind: Kind) -> Option<f64> {
    let span = v.span(cx);
    if kind != Kind::Amount {
        cx.report(
            &codes::UNKNOWN_KEY,
            span,
            Msg::new("import.map.unit-not-amount"),
            None,
        );
        return None;
    }
    let factor = match v.v.get_ref() {
        DeValue::String(s) => crate::values::unit_factor(s),
        _ => v.number(cx).map(|n| n.value).filter(|n| *n > 0.0),
    };
    if factor.is_none() {
        cx.report(
            &codes::UNKNOWN_VALUE,
            span,
            Msg::new("import.map.unit"),
            Some(Msg::new("import.map.help-unit")),
        );
    }
    factor
}

/// `when = { deal_stage = "Won" }` or `{ deal_stage = ["Won", "Lost"] }`.
fn when(cx: &mut FileCx, mut t: TableReader) -> Vec<(Sp<String>, Vec<String>)> {
    let mut out = Vec::new();
    for (column, v) in t.rest(cx) {
        let values = v
            .string_list(cx)
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.value.trim().to_string())
            .collect();
        out.push((column, values));
    }
    t.finish(cx);
    out
}

/// A fixed value must mean something for its field.
fn check_constant(
    cx: &mut FileCx,
    s: &Sp<String>,
    kind: Kind,
    process: &Process,
    statuses: &StatusNames,
) -> Option<()> {
    match kind {
        Kind::Stage => check_stage(cx, s, process),
        Kind::Status => check_status(cx, s, statuses),
        Kind::Date if crate::values::parse_date(&s.value).is_none() => {
            cx.report(
                &codes::WRONG_TYPE,
                s.span,
                Msg::new("import.row.bad-date").arg("value", &s.value),
                Some(Msg::new("import.row.help-date")),
            );
            None
        }
        Kind::Amount => match crate::values::parse_amount(&s.value, 1.0) {
            Ok(_) => Some(()),
            Err(e) => {
                cx.report(&codes::WRONG_TYPE, s.span, Msg::new(e.key()), None);
                None
            }
        },
        _ => Some(()),
    }
}

fn check_stage(cx: &mut FileCx, s: &Sp<String>, process: &Process) -> Option<()> {
    if stage_of(process, &s.value).is_some() {
        return Some(());
    }
    resolve::unknown(
        cx,
        &codes::UNKNOWN_STAGE,
        Msg::new("msg.unknown-stage").arg("stage", &s.value),
        s,
        &process.stage_keys(),
    );
    None
}

fn check_status(cx: &mut FileCx, s: &Sp<String>, statuses: &StatusNames) -> Option<()> {
    if statuses.find(&s.value).is_some() {
        return Some(());
    }
    resolve::unknown(
        cx,
        &codes::UNKNOWN_VALUE,
        Msg::new("msg.unknown-value")
            .arg("key", "status")
            .arg("value", &s.value),
        s,
        &Keys::ids(statuses.ids()),
    );
    None
}

/// Splits `"{account} {product}"` into text and column placeholders;
/// `{{` and `}}` are literal braces. The error is an i18n term.
pub fn template(s: &str) -> Result<Vec<Piece>, &'static str> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some('{') | None => return Err("import.map.template-unclosed"),
                        Some(c) => name.push(c),
                    }
                }
                let name = name.trim();
                if name.is_empty() {
                    return Err("import.map.template-empty");
                }
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(Piece::Column(name.to_string()));
            }
            '}' => return Err("import.map.template-stray"),
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    if !pieces.iter().any(|p| matches!(p, Piece::Column(_))) {
        return Err("import.map.template-no-column");
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_into_text_and_columns() {
        assert_eq!(
            template("{a} {{x}} {b}"),
            Ok(vec![
                Piece::Column("a".into()),
                Piece::Text(" {x} ".into()),
                Piece::Column("b".into())
            ])
        );
        assert_eq!(template("{a"), Err("import.map.template-unclosed"));
        assert_eq!(template("{ }"), Err("import.map.template-empty"));
        assert_eq!(template("a}"), Err("import.map.template-stray"));
        assert_eq!(template("plain"), Err("import.map.template-no-column"));
    }
}
