//! An existing record against a row: which mapped fields differ, and
//! how a change reads (`amount: 2,300,000 → 2,450,000`). Only fields the
//! mapping maps and the row fills are compared; those that live in the
//! stage sections never are.

use jiff::civil::Date;

use super::convert::{Converted, Value};
use super::field::Field;
use crate::i18n::I18n;
use crate::model::{Dataset, Project};
use crate::process::Process;

/// One field that changes, as the reader sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// The fields whose value in the row differs from the record's: only
/// fields the mapping maps and the row fills, never those that live in
/// the stage sections; `[outcome]` only for a closed project.
pub fn changes(c: &Converted, p: &Project, data: &Dataset) -> Vec<(Field, Value)> {
    let status = c.status().unwrap_or_else(|| p.status());
    let same_person = |old: Option<&str>, new: &str| {
        old.is_some_and(|o| o == new || data.team.find(o).is_some_and(|m| m.id.value == new))
    };
    fn text(s: Option<&crate::span::Sp<String>>) -> Option<&str> {
        s.map(|s| s.value.as_str())
    }
    let date = |d: Option<&crate::span::Sp<Date>>| d.map(|d| d.value);
    let o = p.outcome.as_ref();
    let n = p.next_step.as_ref();
    let mut out = Vec::new();
    for (field, value) in &c.values {
        let same = match (field, value) {
            (Field::Code, _) => true,
            (f, _) if f.create_only() => true,
            (Field::Name, Value::Text(t)) => text(p.name.as_ref()) == Some(t),
            (Field::Header(id), Value::Text(t)) => {
                let old = text(p.header.get(id));
                let person = data.process.header.iter().any(|h| &h.id == id && h.person);
                if person {
                    same_person(old, t)
                } else {
                    old == Some(t)
                }
            }
            (Field::Owner, Value::Text(t)) => same_person(text(p.owner.as_ref()), t),
            (Field::Stage, Value::Stage(s)) => p.stage.as_ref().map(|x| x.value) == Some(*s),
            (Field::Status, Value::Status(s)) => p.status() == *s,
            (Field::Amount, Value::Amount(a)) => p.amount.as_ref().map(|x| x.value) == Some(*a),
            (Field::ExpectedClose, Value::Date(d)) => date(p.expected_close.as_ref()) == Some(*d),
            (Field::NextStepDate, Value::Date(d)) => {
                date(n.and_then(|n| n.date.as_ref())) == Some(*d)
            }
            (Field::NextStepWhat, Value::Text(t)) => {
                text(n.and_then(|n| n.what.as_ref())) == Some(t)
            }
            (Field::NextStepWho, Value::Text(t)) => {
                same_person(text(n.and_then(|n| n.who.as_ref())), t)
            }
            (
                Field::OutcomeDate
                | Field::OutcomeReason
                | Field::OutcomeCompetitor
                | Field::OutcomeContractValue,
                _,
            ) if !status.is_closed() => true,
            (Field::OutcomeDate, Value::Date(d)) => {
                date(o.and_then(|o| o.date.as_ref())) == Some(*d)
            }
            (Field::OutcomeReason, Value::Text(t)) => {
                text(o.and_then(|o| o.reason.as_ref())) == Some(t)
            }
            (Field::OutcomeCompetitor, Value::Text(t)) => {
                text(o.and_then(|o| o.competitor.as_ref())) == Some(t)
            }
            (Field::OutcomeContractValue, Value::Amount(a)) => {
                o.and_then(|o| o.contract_value.as_ref()).map(|x| x.value) == Some(*a)
            }
            _ => true,
        };
        if !same {
            out.push((field.clone(), value.clone()));
        }
    }
    // In the order the record has them.
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A change as the reader sees it: `amount: 2,300,000 → 2,450,000`.
pub fn show_change(field: &Field, new: &Value, p: &Project, data: &Dataset, i18n: &I18n) -> Change {
    let process = &data.process;
    let old = match field {
        Field::Name => p.name.as_ref().map(|s| s.value.clone()),
        Field::Header(id) => p.header.get(id).map(|s| s.value.clone()),
        Field::Owner => p.owner.as_ref().map(|s| s.value.clone()),
        Field::Stage => p
            .stage
            .as_ref()
            .map(|s| show(&Value::Stage(s.value), process, i18n)),
        Field::Status => Some(show(&Value::Status(p.status()), process, i18n)),
        Field::Amount => p
            .amount
            .as_ref()
            .map(|a| show(&Value::Amount(a.value), process, i18n)),
        Field::ExpectedClose => p.expected_close.as_ref().map(|d| d.value.to_string()),
        Field::NextStepDate => p
            .next_step
            .as_ref()
            .and_then(|n| n.date.as_ref())
            .map(|d| d.value.to_string()),
        Field::NextStepWhat => p
            .next_step
            .as_ref()
            .and_then(|n| n.what.clone())
            .map(|s| s.value),
        Field::NextStepWho => p
            .next_step
            .as_ref()
            .and_then(|n| n.who.clone())
            .map(|s| s.value),
        Field::OutcomeDate => p
            .outcome
            .as_ref()
            .and_then(|o| o.date.as_ref())
            .map(|d| d.value.to_string()),
        Field::OutcomeReason => p
            .outcome
            .as_ref()
            .and_then(|o| o.reason.clone())
            .map(|s| s.value),
        Field::OutcomeCompetitor => p
            .outcome
            .as_ref()
            .and_then(|o| o.competitor.clone())
            .map(|s| s.value),
        Field::OutcomeContractValue => p
            .outcome
            .as_ref()
            .and_then(|o| o.contract_value.as_ref())
            .map(|a| show(&Value::Amount(a.value), process, i18n)),
        _ => None,
    };
    Change {
        field: field.key(process),
        old: old.unwrap_or_else(|| "—".to_string()),
        new: show(new, process, i18n),
    }
}

/// A value as the reader sees it.
pub fn show(v: &Value, process: &Process, i18n: &I18n) -> String {
    match v {
        Value::Text(t) => t.clone(),
        Value::Stage(s) => process
            .text(&process.stages[*s].name, i18n.locale())
            .to_string(),
        Value::Status(s) => i18n.get(&format!("status.{}", s.id())).to_string(),
        Value::Amount(n) => crate::render::format::grouped(*n),
        Value::Date(d) => d.to_string(),
    }
}
