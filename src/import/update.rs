//! `--update`: changes the fields a mapping maps in an existing record,
//! in place, through toml_edit. Every other byte stays as it was: the
//! comments, the order, the stage sections, the judgements the team
//! wrote, `[imported]`. A value keeps the comment that followed it; a key
//! the record lacks is added with the comment a new record would have.

use jiff::civil::Date;
use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

use super::convert::Value as V;
use super::field::Field;
use crate::edit::record::{OutcomeText, outcome, stage_name, stage_section};
use crate::edit::toml::{amount, date, replace, set};
use crate::i18n::I18n;
use crate::process::Process;

/// What an edit needs besides the record.
pub struct EditCx<'a> {
    pub process: &'a Process,
    pub i18n: &'a I18n,
    /// The import's day: a stage reached now is entered on it.
    pub today: Date,
}

/// The record with `changes` made. A stage that moves forward gets its
/// section (entered today) unless it has one. `Err` when the text is not
/// TOML that toml_edit can keep (the plan refuses the row then).
pub fn apply(text: &str, changes: &[(Field, V)], cx: &EditCx) -> Result<String, String> {
    let mut doc: DocumentMut = text.parse().map_err(|e| format!("{e}"))?;
    let root = doc.as_table_mut();
    for (field, value) in changes {
        match field {
            Field::NextStepDate | Field::NextStepWhat | Field::NextStepWho => {
                next_step(root, field, value, cx);
            }
            Field::OutcomeDate
            | Field::OutcomeReason
            | Field::OutcomeCompetitor
            | Field::OutcomeContractValue => outcome_value(root, field, value, cx),
            Field::Stage => {
                let V::Stage(s) = value else { continue };
                let by_id = root
                    .get("stage")
                    .and_then(Item::as_str)
                    .is_some_and(|old| cx.process.stages.iter().any(|st| st.id == old));
                let written = if by_id {
                    cx.process.stages[*s].id.clone()
                } else {
                    stage_name(cx.process, *s)
                };
                put(root, "stage", Value::from(written), comment(field, cx));
                add_stage_section(root, *s, cx);
            }
            _ if field.create_only() => {}
            _ => {
                let key = field.key(cx.process);
                put(root, &key, to_toml(value), comment(field, cx));
            }
        }
    }
    Ok(doc.to_string())
}

/// A value as the record writes it.
fn to_toml(v: &V) -> Value {
    match v {
        V::Text(t) => Value::from(t.as_str()),
        V::Stage(s) => Value::from(*s as i64),
        V::Status(s) => Value::from(s.id()),
        V::Amount(n) => amount(*n),
        V::Date(d) => date(*d),
    }
}

/// Replaces a value (keeping its comment, still aligned where it was) or
/// adds it with `comment`.
fn put(table: &mut Table, key: &str, value: Value, comment: String) {
    let Some(old) = table.get(key).and_then(Item::as_value) else {
        set(table, key, value, &comment);
        return;
    };
    let suffix = realigned(key, old, &value);
    replace(table, key, value);
    if let (Some(suffix), Some(v)) = (suffix, table.get_mut(key).and_then(Item::as_value_mut)) {
        v.decor_mut().set_suffix(suffix);
    }
}

/// The comment after a value moved so it starts in the same column with
/// the new value as with the old one (`owner = "wangfang"  # …` lines up
/// with its neighbours as `owner = "liming"    # …` did); `None` when
/// there is no comment after the value.
fn realigned(key: &str, old: &Value, new: &Value) -> Option<String> {
    use unicode_width::UnicodeWidthStr;
    let suffix = old.decor().suffix()?.as_str()?;
    let comment = suffix.trim_start_matches(' ');
    if !comment.starts_with('#') {
        return None;
    }
    let bare = |v: &Value| {
        let mut v = v.clone();
        v.decor_mut().clear();
        v.to_string()
    };
    let pad = suffix.len() - comment.len();
    let column = format!("{key} = {}", bare(old)).width() + pad;
    let width = format!("{key} = {}", bare(new)).width();
    let pad = column.saturating_sub(width).max(1);
    Some(format!("{}{comment}", " ".repeat(pad)))
}

/// The comment a new record puts after a key.
fn comment(field: &Field, cx: &EditCx) -> String {
    let label = |id: &str| {
        cx.process
            .header
            .iter()
            .find(|h| h.id == id)
            .map_or_else(String::new, |h| {
                cx.process.text(&h.label, cx.i18n.locale()).to_string()
            })
    };
    let key = match field {
        Field::Code => return label("code"),
        Field::Name => return label("name"),
        Field::Header(id) => return label(id),
        Field::Owner => {
            let owner = cx.i18n.get("record.owner");
            return format!("{owner}{}", cx.i18n.get("record.person-id"));
        }
        Field::Stage => "record.stage",
        Field::Status => "record.status",
        Field::Amount => "record.amount",
        Field::ExpectedClose => "record.expected_close",
        Field::OutcomeDate => "record.outcome-date",
        Field::OutcomeReason => "record.reason",
        Field::OutcomeCompetitor => "record.competitor",
        Field::OutcomeContractValue => "record.contract_value",
        _ => return String::new(),
    };
    cx.i18n.get(key).to_string()
}

/// Sets one part of `next_step`, inline (as records write it) or as a
/// table, creating it when the record has none.
fn next_step(root: &mut Table, field: &Field, value: &V, cx: &EditCx) {
    let key = match field {
        Field::NextStepDate => "date",
        Field::NextStepWhat => "what",
        _ => "who",
    };
    let value = to_toml(value);
    match root.get_mut("next_step") {
        Some(Item::Value(Value::InlineTable(t))) => match t.get_mut(key) {
            Some(old) => {
                let decor = old.decor().clone();
                *old = value;
                *old.decor_mut() = decor;
            }
            None => {
                t.insert(key, value);
            }
        },
        Some(Item::Table(t)) => put(t, key, value, String::new()),
        _ => {
            let mut t = InlineTable::new();
            t.insert(key, value);
            set(
                root,
                "next_step",
                Value::InlineTable(t),
                cx.i18n.get("record.next_step"),
            );
        }
    }
}

/// Sets one value of `[outcome]`, adding the table (with an empty reason
/// to fill in) when the record has none.
fn outcome_value(root: &mut Table, field: &Field, value: &V, cx: &EditCx) {
    let key = match field {
        Field::OutcomeDate => "date",
        Field::OutcomeReason => "reason",
        Field::OutcomeCompetitor => "competitor",
        _ => "contract_value",
    };
    if !root.get("outcome").is_some_and(Item::is_table_like) {
        root.insert(
            "outcome",
            Item::Table(outcome(&OutcomeText::default(), cx.i18n)),
        );
    }
    let c = comment(field, cx);
    match root.get_mut("outcome") {
        Some(Item::Table(t)) => put(t, key, to_toml(value), c),
        Some(Item::Value(Value::InlineTable(t))) => {
            t.insert(key, to_toml(value));
        }
        _ => {}
    }
}

/// Adds the section of a stage just reached, unless the record has one
/// (by id or by name).
fn add_stage_section(root: &mut Table, s: usize, cx: &EditCx) {
    let stage = &cx.process.stages[s];
    let stages = root.entry("stages").or_insert_with(|| {
        let mut t = Table::new();
        t.set_implicit(true);
        Item::Table(t)
    });
    let Some(stages) = stages.as_table_like_mut() else {
        return;
    };
    let has = stages
        .iter()
        .any(|(k, _)| cx.process.stage_index(k) == Some(s));
    if !has {
        let section = stage_section(cx.process, s, Some(cx.today), cx.i18n);
        stages.insert(&stage.id, Item::Table(section));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testing::{TODAY, process};
    use crate::model::Status;

    const RECORD: &str = include_str!("../../content/projects/AQ-2026-001/project.toml");

    fn edit(text: &str, changes: &[(Field, V)]) -> String {
        let process = process();
        let mut i18n = I18n::builtin("zh-CN");
        i18n.add_process(&process);
        let cx = EditCx {
            process: &process,
            i18n: &i18n,
            today: TODAY,
        };
        apply(text, changes, &cx).unwrap()
    }

    /// Lines of `after` that are not in `before`, and the reverse.
    fn diff(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
        let b: Vec<&str> = before.lines().collect();
        let a: Vec<&str> = after.lines().collect();
        let added = a
            .iter()
            .filter(|l| !b.contains(l))
            .map(|l| l.to_string())
            .collect();
        let removed = b
            .iter()
            .filter(|l| !a.contains(l))
            .map(|l| l.to_string())
            .collect();
        (added, removed)
    }

    #[test]
    fn mapped_values_change_in_place_and_nothing_else_does() {
        let after = edit(
            RECORD,
            &[
                (Field::Amount, V::Amount(2_450_000)),
                (Field::Owner, V::Text("liming".into())),
                (Field::Status, V::Status(Status::Paused)),
                (Field::NextStepWhat, V::Text("再访".into())),
                (Field::Entered, V::Date(TODAY)),
            ],
        );
        let (added, removed) = diff(RECORD, &after);
        assert_eq!(
            added,
            [
                "owner = \"liming\"                                # 营销人员",
                "status = \"paused\"                               # 状态",
                "amount = 2_450_000                              # 预计合同金额（元）",
                "next_step = { date = 2026-12-11, what = \"再访\", who = \"huangmin\" }",
            ]
        );
        assert_eq!(removed.len(), 4);
        assert_eq!(after.lines().count(), RECORD.lines().count());
        assert!(after.contains("judgement = \"体量适中，可以作为本季度新增商机跟进。\""));
    }

    #[test]
    fn a_stage_reached_gets_its_section_after_the_others() {
        let after = edit(RECORD, &[(Field::Stage, V::Stage(3))]);
        assert!(after.contains("stage = \"业绩展示\"                              # 当前阶段"));
        let section = after.find("[stages.showcase]").expect("section added");
        let previous = after.find("[stages.solution_design]").unwrap();
        assert!(section > previous);
        assert!(after[section..].contains("entered = 2026-11-29"));
        assert!(after.starts_with(&RECORD[..RECORD.find("stage = ").unwrap()]));
        // Going to a stage the record has a section for adds none.
        let again = edit(&after, &[(Field::Stage, V::Stage(3))]);
        assert_eq!(again.matches("[stages.showcase]").count(), 1);
        assert!(again.parse::<toml::Table>().is_ok(), "{again}");
    }

    #[test]
    fn missing_keys_and_tables_are_added_with_comments() {
        let bare = "code = \"X-1\"\nname = \"x\"\nstage = \"initiation\"  # 手写\n";
        let after = edit(
            bare,
            &[
                (Field::Stage, V::Stage(1)),
                (Field::ExpectedClose, V::Date(TODAY)),
                (Field::OutcomeContractValue, V::Amount(1000)),
                (Field::NextStepDate, V::Date(TODAY)),
            ],
        );
        assert!(
            after.contains("stage = \"initial_contact\" # 手写"),
            "ids stay ids, the comment moves right\n{after}"
        );
        assert!(after.contains("expected_close = 2026-11-29"));
        assert!(after.contains("# 预计成交日期"));
        assert!(after.contains("next_step = { date = 2026-11-29 }"));
        assert!(after.contains("[outcome]"));
        assert!(after.contains("contract_value = 1_000"));
        assert!(after.contains("reason = \"\""));
        assert!(after.contains("[stages.initial_contact]"));
    }
}
