//! Projects as CSV rows, for spreadsheets and for import: UTF-8 with a
//! byte-order mark (so spreadsheet programs read the Chinese text as
//! UTF-8), CRLF line ends, text quoted and formulas defused. Dates and
//! numbers stay bare so a spreadsheet reads them as such.

use jiff::civil::Date;

use super::{stage_name, text};
use crate::analyze::dates::last_activity;
use crate::model::{CondState, Dataset, Project, StageRecord};
use crate::process::Process;
use crate::span::Sp;

/// The columns of `pipeline.csv`, which every row of an export starts with.
const PIPELINE: [&str; 13] = [
    "code",
    "name",
    "stage",
    "stage_name",
    "status",
    "amount",
    "owner",
    "department",
    "region",
    "expected_close",
    "next_step_date",
    "next_step",
    "last_activity",
];

/// What each stage contributes: `<stage>.<column>`.
const STAGE: [&str; 4] = ["entered", "done", "actual", "conditions"];

/// What each role contributes to each stage: `<stage>.<role>.<column>`.
const ROLE: [&str; 4] = ["judgement", "follow_up", "by", "date"];

/// The site's `pipeline.csv`: one row per project, the pipeline columns,
/// the stage named in `locale`.
pub fn pipeline(data: &Dataset, locale: &str) -> String {
    let rows = data
        .projects
        .iter()
        .map(|p| pipeline_cells(&data.process, p, locale));
    table(PIPELINE.map(String::from).to_vec(), rows)
}

/// `dealbook export --format csv`: the pipeline columns, the process's
/// other header fields (by id, as a record names them), then each
/// stage's dates, actual situation, conditions met and every role's
/// judgement. The header row holds ids (`initiation.entered`,
/// `initiation.sales_rep.judgement`) so an import can map the file back.
pub fn projects(data: &Dataset, locale: &str) -> String {
    let process = &data.process;
    let extra = extra_header(process);
    let mut columns = PIPELINE.map(String::from).to_vec();
    columns.extend(extra.iter().map(|id| (*id).to_string()));
    for stage in &process.stages {
        columns.extend(STAGE.iter().map(|c| format!("{}.{c}", stage.id)));
        for role in &process.roles {
            columns.extend(ROLE.iter().map(|c| format!("{}.{}.{c}", stage.id, role.id)));
        }
    }
    let rows = data.projects.iter().map(|p| {
        let mut cells = pipeline_cells(process, p, locale);
        cells.extend(extra.iter().map(|id| field(text(p.header.get(*id)))));
        for stage in 0..process.stages.len() {
            cells.extend(stage_cells(process, stage, p.stage_record(stage)));
        }
        cells
    });
    table(columns, rows)
}

/// Header fields of the process that the pipeline columns leave out
/// (code, name, department and region are there already).
fn extra_header(process: &Process) -> Vec<&str> {
    process
        .header
        .iter()
        .map(|h| h.id.as_str())
        .filter(|id| !PIPELINE.contains(id))
        .collect()
}

/// A header row and the rows, after a byte-order mark, CRLF-terminated.
fn table(columns: Vec<String>, rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = String::from("\u{FEFF}");
    out.push_str(&columns.join(","));
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

fn date(d: Option<&Sp<Date>>) -> String {
    d.map_or_else(String::new, |d| d.value.to_string())
}

fn pipeline_cells(process: &Process, p: &Project, locale: &str) -> Vec<String> {
    let h = |k: &str| field(text(p.header.get(k)));
    let stage = p.stage.as_ref().map(|s| s.value);
    let next = p.next_step.as_ref();
    vec![
        field(&p.code.value),
        field(text(p.name.as_ref())),
        field(stage.map_or("", |s| process.stages[s].id.as_str())),
        field(stage.map_or("", |s| stage_name(process, s, locale))),
        field(p.status().id()),
        p.amount
            .as_ref()
            .map_or_else(String::new, |a| a.value.to_string()),
        field(text(p.owner.as_ref())),
        h("department"),
        h("region"),
        date(p.expected_close.as_ref()),
        date(next.and_then(|n| n.date.as_ref())),
        field(text(next.and_then(|n| n.what.as_ref()))),
        last_activity(p).map_or_else(String::new, |d| d.to_string()),
    ]
}

/// One stage's columns: empty where the record has no section for it.
fn stage_cells(process: &Process, stage: usize, rec: Option<&StageRecord>) -> Vec<String> {
    let mut cells = vec![
        date(rec.and_then(|r| r.entered.as_ref())),
        date(rec.and_then(|r| r.done.as_ref())),
        field(text(rec.and_then(|r| r.actual.as_ref()))),
        field(&rec.map_or_else(String::new, |r| conditions_met(process, stage, r))),
    ];
    for role in 0..process.roles.len() {
        let j = rec.and_then(|r| r.judgement(role));
        cells.extend([
            field(text(j.and_then(|j| j.judgement.as_ref()))),
            field(text(j.and_then(|j| j.follow_up.as_ref()))),
            field(text(j.and_then(|j| j.by.as_ref()))),
            date(j.and_then(|j| j.date.as_ref())),
        ]);
    }
    cells
}

/// "met/total" of a stage's conditions; a waived condition counts as met,
/// as it does for the stage-order rule.
fn conditions_met(process: &Process, stage: usize, rec: &StageRecord) -> String {
    let total = process.stages[stage].conditions.len();
    let met = rec
        .conditions
        .iter()
        .filter(|c| matches!(c.state, CondState::Met | CondState::Waived))
        .count();
    format!("{met}/{total}")
}

/// A CSV field: quoted, quotes doubled, and text that a spreadsheet would
/// run as a formula (`=`, `+`, `-`, `@`) defused with a leading `'`.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("a\"b"), "\"a\"\"b\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("杭州"), "\"杭州\"");
    }
}
