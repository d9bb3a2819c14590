//! Data exports beside the pages: `pipeline.json` for other tools and
//! `pipeline.csv` for spreadsheets.

use serde_json::{Map, Value, json};

use super::views::Ctx;
use crate::analyze::dates::last_activity;
use crate::model::Project;

fn text(v: Option<&crate::span::Sp<String>>) -> Value {
    v.map_or(Value::Null, |s| Value::String(s.value.clone()))
}

fn date(v: Option<&crate::span::Sp<jiff::civil::Date>>) -> Value {
    v.map_or(Value::Null, |d| Value::String(d.value.to_string()))
}

/// One project with its stage data, keyed by ids.
fn project_json(ctx: &Ctx, p: &Project) -> Value {
    let process = &ctx.data.process;
    let mut stages = Map::new();
    for (i, stage) in process.stages.iter().enumerate() {
        let Some(rec) = p.stage_record(i) else {
            continue;
        };
        let conditions: Map<String, Value> = rec
            .conditions
            .iter()
            .map(|c| {
                let state = c.state.id();
                (
                    stage.conditions[c.condition].id.clone(),
                    json!({
                        "state": state,
                        "reason": text(c.reason.as_ref()),
                        "evidence": c.evidence.iter().map(|e| e.value.clone()).collect::<Vec<_>>(),
                    }),
                )
            })
            .collect();
        let judgements: Map<String, Value> = rec
            .judgements
            .iter()
            .map(|j| {
                (
                    process.roles[j.role].id.clone(),
                    json!({
                        "by": text(j.by.as_ref()),
                        "date": date(j.date.as_ref()),
                        "judgement": text(j.judgement.as_ref()),
                        "follow_up": text(j.follow_up.as_ref()),
                        "due": date(j.due.as_ref()),
                    }),
                )
            })
            .collect();
        let forms: Map<String, Value> = rec
            .forms
            .iter()
            .map(|f| {
                (
                    process.forms[f.form].id.clone(),
                    Value::String(f.link.value.clone()),
                )
            })
            .collect();
        stages.insert(
            stage.id.clone(),
            json!({
                "entered": date(rec.entered.as_ref()),
                "done": date(rec.done.as_ref()),
                "actual": text(rec.actual.as_ref()),
                "conditions": conditions,
                "judgements": judgements,
                "forms": forms,
            }),
        );
    }
    let header: Map<String, Value> = p
        .header
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.value.clone())))
        .collect();
    json!({
        "code": p.code.value,
        "name": text(p.name.as_ref()),
        "stage": p.stage.as_ref().map(|s| process.stages[s.value].id.clone()),
        "status": p.status().id(),
        "amount": p.amount.as_ref().map(|a| a.value),
        "owner": text(p.owner.as_ref()),
        "expected_close": date(p.expected_close.as_ref()),
        "next_step": p.next_step.as_ref().map(|n| json!({
            "date": date(n.date.as_ref()),
            "what": text(n.what.as_ref()),
            "who": text(n.who.as_ref()),
        })),
        "header": header,
        "last_activity": last_activity(p).map(|d| d.to_string()),
        "stages": stages,
        "outcome": p.outcome.as_ref().map(|o| json!({
            "date": date(o.date.as_ref()),
            "reason": text(o.reason.as_ref()),
            "competitor": text(o.competitor.as_ref()),
            "contract_value": o.contract_value.as_ref().map(|v| v.value),
        })),
    })
}

pub fn json(ctx: &Ctx) -> String {
    let doc = json!({
        "as_of": ctx.analysis.as_of.to_string(),
        "projects": ctx.data.projects.iter().map(|p| project_json(ctx, p)).collect::<Vec<_>>(),
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("JSON values serialize");
    out.push('\n');
    out
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

/// One row per project. Starts with a byte-order mark so spreadsheet
/// programs read the Chinese text as UTF-8.
pub fn csv(ctx: &Ctx) -> String {
    let process = &ctx.data.process;
    let mut out = String::from("\u{FEFF}");
    out.push_str("code,name,stage,stage_name,status,amount,owner,department,region,expected_close,next_step_date,next_step,last_activity\r\n");
    for p in &ctx.data.projects {
        let h = |k: &str| p.header.get(k).map_or("", |v| v.value.as_str()).to_string();
        let stage = p.stage.as_ref().map(|s| s.value);
        let cells = [
            field(&p.code.value),
            field(p.name.as_ref().map_or("", |n| n.value.as_str())),
            field(stage.map_or("", |s| process.stages[s].id.as_str())),
            field(stage.map_or("", |s| ctx.stage_name(s))),
            field(p.status().id()),
            p.amount
                .as_ref()
                .map_or_else(String::new, |a| a.value.to_string()),
            field(p.owner.as_ref().map_or("", |o| o.value.as_str())),
            field(&h("department")),
            field(&h("region")),
            p.expected_close
                .as_ref()
                .map_or_else(String::new, |d| d.value.to_string()),
            p.next_step
                .as_ref()
                .and_then(|n| n.date.as_ref())
                .map_or_else(String::new, |d| d.value.to_string()),
            field(
                p.next_step
                    .as_ref()
                    .and_then(|n| n.what.as_ref())
                    .map_or("", |w| w.value.as_str()),
            ),
            last_activity(p).map_or_else(String::new, |d| d.to_string()),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
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
