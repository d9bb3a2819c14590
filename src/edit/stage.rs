//! Moving a record along the process and closing it, as edits to its text
//! (toml_edit keeps the rep's comments and layout). Whether a move is
//! allowed is the rules' business (`cmd/move`); this only writes it.

use jiff::civil::Date;
use toml_edit::{DocumentMut, Item, Value};

use super::record::{OutcomeText, stage_section};
use super::toml::{date, replace};
use crate::i18n::I18n;
use crate::model::{Project, Status};
use crate::process::Process;

/// Why a record could not be edited.
#[derive(Debug, PartialEq, Eq)]
pub enum EditError {
    /// The text is not TOML toml_edit can read (check reports why).
    Unreadable(String),
    /// `stages` or a stage section is not a table.
    Shape(String),
}

/// Moves the record to stage `to`. Forward: the stages left behind get a
/// `done` date, and `to` gets a fresh section (entered today, open
/// conditions, empty judgements), or its old one back when the project had
/// gone back from it. Back: `to` loses its `done` date and the sections
/// after it say when they were left.
pub fn move_to(
    text: &str,
    p: &Project,
    process: &Process,
    to: usize,
    today: Date,
    i18n: &I18n,
) -> Result<String, EditError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| EditError::Unreadable(e.to_string()))?;
    let from = p.stage.as_ref().map_or(0, |s| s.value);
    set_stage(&mut doc, process, from, to);
    let done = i18n.get("record.done");
    if to > from {
        for s in from..to {
            if let Some(t) = section(&mut doc, process, s)? {
                if !has(t, "done") {
                    put_date(t, "done", "entered", today, done);
                }
                remove(t, "left");
            }
        }
        enter(&mut doc, process, to, today, i18n)?;
    } else if to < from {
        match section(&mut doc, process, to)? {
            Some(t) => {
                remove(t, "done");
                remove(t, "left");
            }
            None => enter(&mut doc, process, to, today, i18n)?,
        }
        let left = i18n.get("record.left");
        for s in to + 1..=from {
            if let Some(t) = section(&mut doc, process, s)?
                && !has(t, "left")
            {
                put_date(t, "left", "done", today, left);
            }
        }
    }
    Ok(doc.to_string())
}

/// Records a won or lost outcome: the status, and `[outcome]` with the
/// date, reason, competitor and contract value (kept where given before
/// and not given now). A won project's last stage is done today.
pub fn close(
    text: &str,
    process: &Process,
    status: Status,
    outcome: &OutcomeText,
    i18n: &I18n,
) -> Result<String, EditError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| EditError::Unreadable(e.to_string()))?;
    replace(doc.as_table_mut(), "status", Value::from(status.id()));
    if status == Status::Won
        && let Some(d) = outcome.date
        && let Some(t) = section(&mut doc, process, process.stages.len().saturating_sub(1))?
        && !has(t, "done")
    {
        put_date(t, "done", "entered", d, i18n.get("record.done"));
    }
    match doc.get_mut("outcome").and_then(Item::as_table_like_mut) {
        Some(t) => {
            let values = [
                ("date", outcome.date.map(date)),
                ("reason", outcome.reason.as_deref().map(Value::from)),
                (
                    "loss_reason",
                    outcome.loss_reason.as_deref().map(Value::from),
                ),
                ("competitor", outcome.competitor.as_deref().map(Value::from)),
                (
                    "contract_value",
                    outcome.contract_value.map(super::toml::amount),
                ),
            ];
            for (key, value) in values {
                if let Some(v) = value {
                    replace(t, key, v);
                }
            }
        }
        None => {
            doc.insert(
                "outcome",
                Item::Table(super::record::outcome(outcome, i18n)),
            );
        }
    }
    Ok(doc.to_string())
}

/// Writes `stage = …` the way the record names its stage: by id if it used
/// the id, else by name (`方案设计`).
fn set_stage(doc: &mut DocumentMut, process: &Process, from: usize, to: usize) {
    let by_id = doc
        .get("stage")
        .and_then(Item::as_str)
        .is_some_and(|s| s.trim() == process.stages[from].id);
    let value = if by_id {
        process.stages[to].id.clone()
    } else {
        super::record::stage_name(process, to)
    };
    replace(doc.as_table_mut(), "stage", Value::from(value));
}

/// The project enters stage `s` today: its old section is taken back (a
/// return after a slip), else a new one is added.
fn enter(
    doc: &mut DocumentMut,
    process: &Process,
    s: usize,
    today: Date,
    i18n: &I18n,
) -> Result<(), EditError> {
    if let Some(t) = section(doc, process, s)? {
        remove(t, "left");
        remove(t, "done");
        put_date(t, "entered", "", today, i18n.get("record.entered"));
        return Ok(());
    }
    let stages = doc
        .entry("stages")
        .or_insert_with(|| {
            let mut t = toml_edit::Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_like_mut()
        .ok_or_else(|| EditError::Shape("stages".into()))?;
    stages.insert(
        &process.stages[s].id,
        Item::Table(stage_section(process, s, Some(today), i18n)),
    );
    Ok(())
}

/// The section of stage `s`, under whichever key names it (`initiation` or
/// `项目立项`).
pub fn section<'d>(
    doc: &'d mut DocumentMut,
    process: &Process,
    s: usize,
) -> Result<Option<&'d mut Item>, EditError> {
    let Some(stages) = doc.get_mut("stages") else {
        return Ok(None);
    };
    let stages = stages
        .as_table_like_mut()
        .ok_or_else(|| EditError::Shape("stages".into()))?;
    let key = stages
        .iter()
        .map(|(k, _)| k.to_string())
        .find(|k| process.stage_index(k) == Some(s));
    let Some(key) = key else { return Ok(None) };
    let item = stages.get_mut(&key).expect("key just found");
    if item.as_table_like().is_none() {
        return Err(EditError::Shape(format!("stages.{key}")));
    }
    Ok(Some(item))
}

/// Sets a date in a stage section, right after `after` when it is new
/// (`done` under `entered`), with its comment where the section is a
/// `[table]` that can carry one.
fn put_date(item: &mut Item, key: &str, after: &str, d: Date, comment: &str) {
    if let Some(t) = item.as_table_mut() {
        if t.contains_key(key) {
            replace(t, key, date(d));
            return;
        }
        super::toml::set(t, key, date(d), comment);
        let order: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
        let rank = |k: &str| {
            let at = |name: &str| order.iter().position(|o| o == name);
            match (k == key, at(after)) {
                (true, Some(i)) => i as f64 + 0.5,
                _ => at(k).unwrap_or(order.len()) as f64,
            }
        };
        t.sort_values_by(|a, _, b, _| rank(a.get()).total_cmp(&rank(b.get())));
    } else if let Some(t) = item.as_table_like_mut() {
        replace(t, key, date(d));
    }
}

fn remove(item: &mut Item, key: &str) {
    if let Some(t) = item.as_table_like_mut() {
        t.remove(key);
    }
}

fn has(item: &Item, key: &str) -> bool {
    item.as_table_like().is_some_and(|t| t.contains_key(key))
}

/// What attaching a form to its stage's section did.
#[derive(Debug, PartialEq, Eq)]
pub enum Attach {
    /// The record with the link added.
    Linked(String),
    /// The record already links this form (to this file or another).
    AlreadyLinked(String),
    /// The project has no section for the form's stage yet.
    NoSection,
}

/// Links a form file from its stage's section (`forms.<id> = "forms/…"`),
/// as the rep would after filling it in.
pub fn attach_form(
    text: &str,
    process: &Process,
    form: usize,
    rel: &str,
) -> Result<Attach, EditError> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| EditError::Unreadable(e.to_string()))?;
    let stage = process.forms[form].stage;
    let Some(section) = section(&mut doc, process, stage)? else {
        return Ok(Attach::NoSection);
    };
    let section = section
        .as_table_like_mut()
        .ok_or_else(|| EditError::Shape("stages".into()))?;
    let forms = section
        .entry("forms")
        .or_insert_with(|| {
            let mut t = toml_edit::Table::new();
            t.decor_mut().set_prefix("\n");
            Item::Table(t)
        })
        .as_table_like_mut()
        .ok_or_else(|| EditError::Shape("forms".into()))?;
    let linked = forms
        .iter()
        .find(|(k, _)| process.form_index(k) == Some(form))
        .map(|(_, v)| v.as_str().unwrap_or_default().to_string());
    if let Some(link) = linked {
        return Ok(Attach::AlreadyLinked(link));
    }
    forms.insert(&process.forms[form].id, Item::Value(Value::from(rel)));
    Ok(Attach::Linked(doc.to_string()))
}
