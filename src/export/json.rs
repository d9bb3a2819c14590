//! The pipeline as one JSON document, keyed by ids: the site's
//! `pipeline.json` and `dealbook export --format json` alike.

use jiff::civil::Date;
use serde_json::{Map, Value, json};

use crate::analyze::dates::last_activity;
use crate::model::{Dataset, Project};
use crate::process::Process;
use crate::span::Sp;

fn text(v: Option<&Sp<String>>) -> Value {
    v.map_or(Value::Null, |s| Value::String(s.value.clone()))
}

fn date(v: Option<&Sp<Date>>) -> Value {
    v.map_or(Value::Null, |d| Value::String(d.value.to_string()))
}

/// One project with its stage data, keyed by ids.
fn project_json(process: &Process, p: &Project) -> Value {
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

/// Every project as of `as_of`, pretty-printed, ending in a newline: the
/// same text as one `serde_json` document, made project by project (on
/// all cores) so a big repo never holds the whole tree of values.
pub fn pipeline(data: &Dataset, as_of: Date) -> String {
    use rayon::prelude::*;
    let projects: Vec<String> = data
        .projects
        .par_iter()
        .map(|p| {
            let one = serde_json::to_string_pretty(&project_json(&data.process, p))
                .expect("JSON values serialize");
            // As deep as an element of `projects`: four spaces a line.
            let mut out = String::with_capacity(one.len() + one.len() / 8);
            for (i, line) in one.lines().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str("    ");
                out.push_str(line);
            }
            out
        })
        .collect();
    let as_of = serde_json::to_string(&as_of.to_string()).expect("a date serializes");
    if projects.is_empty() {
        return format!("{{\n  \"as_of\": {as_of},\n  \"projects\": []\n}}\n");
    }
    let total: usize = projects.iter().map(|p| p.len() + 2).sum();
    let mut out = String::with_capacity(total + 64);
    out.push_str(&format!("{{\n  \"as_of\": {as_of},\n  \"projects\": [\n"));
    // Each project's text is dropped once copied: the document is never
    // held twice (124 MB at 10,000 projects).
    for (i, project) in projects.into_iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&project);
    }
    out.push_str("\n  ]\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_project_by_project_as_one_document_would_be() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let data = crate::load::load(root).unwrap().dataset.unwrap();
        let as_of = jiff::civil::date(2026, 11, 26);
        let whole = serde_json::json!({
            "as_of": as_of.to_string(),
            "projects": data.projects.iter().map(|p| project_json(&data.process, p)).collect::<Vec<_>>(),
        });
        let mut expected = serde_json::to_string_pretty(&whole).unwrap();
        expected.push('\n');
        assert_eq!(pipeline(&data, as_of), expected);
        let empty = Dataset {
            projects: Vec::new(),
            ..data
        };
        let none = serde_json::json!({"as_of": as_of.to_string(), "projects": []});
        assert_eq!(
            pipeline(&empty, as_of),
            serde_json::to_string_pretty(&none).unwrap() + "\n"
        );
    }
}
