//! What `dealbook import` prints: the projects it creates and changes, every
//! row it refuses with its row number, column and reason, the people the
//! roster lacks with the lines to add, and a closing summary. Pure, so
//! the wording is tested without running the command.

use std::fmt::Write;

use super::convert::{Place, RowError};
use super::plan::Plan;
use super::table::{ReadAs, Table};
use crate::diag::Msg;
use crate::i18n::I18n;
use crate::process::Process;

/// What was read: `pipeline.csv: 8800 rows (UTF-8, ",")`.
pub fn read_line(file: &str, table: &Table, i18n: &I18n) -> String {
    let how = match &table.read_as {
        ReadAs::Csv {
            encoding,
            delimiter,
        } => {
            let d = match delimiter {
                '\t' => "\\t".to_string(),
                c => c.to_string(),
            };
            i18n.format(
                &Msg::new("import.report.csv")
                    .arg("encoding", encoding)
                    .arg("delimiter", d),
            )
        }
        ReadAs::Sheet(s) => i18n.format(&Msg::new("import.report.sheet").arg("sheet", s)),
        ReadAs::Unknown => String::new(),
    };
    i18n.format(
        &Msg::new("import.report.read")
            .arg("file", file)
            .arg("rows", table.rows.len())
            .arg("how", how),
    )
}

/// One refused row: `file:row: column "x": message`, then its help.
pub fn row_error(file: &str, e: &RowError, i18n: &I18n) -> String {
    let place = match &e.place {
        Place::Column(c) => Msg::new("import.place.column").arg("column", c),
        Place::Template(t) => Msg::new("import.place.template").arg("template", t),
        Place::Field(f) => Msg::new("import.place.field").arg("field", f),
    };
    let mut out = format!(
        "{file}:{}: {}: {}\n",
        e.row,
        i18n.format(&place),
        i18n.format(&e.message)
    );
    if let Some(help) = &e.help {
        let _ = writeln!(out, "  = {}: {}", i18n.get("check.help"), i18n.format(help));
    }
    out
}

/// Everything the plan does and refuses, before the summary: the
/// projects created, those changed (or left alone without `--update`),
/// the rows refused; each part after a blank line.
pub fn details(plan: &Plan, update: bool, file: &str, process: &Process, i18n: &I18n) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut created = String::new();
    for c in &plan.creates {
        let stage = process.text(&process.stages[c.stage].name, i18n.locale());
        let key = format!("status.{}", c.status.id());
        let status = i18n.get(&key);
        let _ = writeln!(created, "+ {}  {}  ({stage}, {status})", c.code, c.name);
    }
    parts.push(created);
    if !plan.updates.is_empty() {
        let mut changed = String::new();
        if !update {
            let _ = writeln!(changed, "{}", i18n.get("import.report.differing"));
        }
        let mark = if update { "~" } else { " " };
        for u in &plan.updates {
            let changes: Vec<String> = u
                .changes
                .iter()
                .map(|c| format!("{}: {} → {}", c.field, c.old, c.new))
                .collect();
            let _ = writeln!(changed, "{mark} {}  {}", u.code, changes.join("; "));
        }
        parts.push(changed);
    }
    if !plan.refused.is_empty() {
        let mut refused = format!("{}\n", i18n.get("import.report.refused"));
        for e in &plan.refused {
            refused.push_str(&row_error(file, e, i18n));
        }
        parts.push(refused);
    }
    parts.retain(|p| !p.is_empty());
    parts.join("\n")
}

/// The people the roster lacks, with the lines that add them (or, once
/// added, who they are); and the departments no one belongs to.
pub fn people(plan: &Plan, added: bool, process: &Process, i18n: &I18n) -> String {
    let mut parts = Vec::new();
    if !plan.new_people.is_empty() {
        let key = if added {
            "import.report.people-added"
        } else {
            "import.report.people-missing"
        };
        let msg = Msg::new(key)
            .arg("count", plan.new_people.len())
            .arg("team", crate::load::TEAM);
        let mut part = format!("{}\n", i18n.format(&msg));
        if added {
            for p in &plan.new_people {
                let _ = writeln!(part, "  {} ({})", p.name, p.id);
            }
        } else {
            part.push('\n');
            part.push_str(&super::people::lines(&plan.new_people, process));
        }
        parts.push(part);
    }
    if !plan.lone_departments.is_empty() {
        let msg = Msg::new("import.report.lone-departments")
            .arg("departments", plan.lone_departments.join(", "))
            .arg("team", crate::load::TEAM);
        parts.push(format!("{}\n", i18n.format(&msg)));
    }
    parts.join("\n")
}

/// What happened, or would: counts of created, updated, unchanged and
/// refused.
pub fn summary(plan: &Plan, written: bool, update: bool, i18n: &I18n) -> String {
    let (created, updated, differing) = if update {
        (plan.creates.len(), plan.updates.len(), 0)
    } else {
        (plan.creates.len(), 0, plan.updates.len())
    };
    let key = if written {
        "import.report.summary-written"
    } else {
        "import.report.summary-dry"
    };
    let mut line = i18n.format(
        &Msg::new(key)
            .arg("created", created)
            .arg("updated", updated)
            .arg("unchanged", plan.unchanged.len()),
    );
    if differing > 0 {
        line.push_str(
            &i18n.format(&Msg::new("import.report.summary-differing").arg("count", differing)),
        );
    }
    if plan.refused_rows > 0 {
        line.push_str(
            &i18n.format(
                &Msg::new("import.report.summary-refused")
                    .arg("refused", plan.refused_rows)
                    .arg("rows", plan.rows),
            ),
        );
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_row_names_its_row_column_and_reason() {
        let i18n = I18n::builtin("en");
        let e = RowError {
            row: 4,
            place: Place::Column("deal_stage".into()),
            message: Msg::new("msg.unknown-stage").arg("stage", "Negotiatin"),
            help: Some(Msg::new("help.did-you-mean").arg("candidate", "negotiation")),
        };
        assert_eq!(
            row_error("pipeline.csv", &e, &i18n),
            "pipeline.csv:4: column \"deal_stage\": unknown stage `Negotiatin`\n  = help: did you mean `negotiation`?\n"
        );
        let zh = I18n::builtin("zh-CN");
        assert!(
            row_error("台账.csv", &e, &zh).starts_with("台账.csv:4: 列“deal_stage”: 未知的阶段")
        );
    }
}
