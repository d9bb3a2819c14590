//! Reads one `project.toml` into a [`Project`]. Stage, role, condition and
//! form keys are resolved against the process here (they decide the shape
//! of the record); people and links are checked later, in `rules`.

use std::collections::BTreeMap;

use super::resolve::{self, choice, duplicate, unknown};
use super::toml_reader::{self, Expected, FileCx, TableReader, Val};
use crate::diag::{Msg, codes};
use crate::model::{
    Attitude, CondState, ConditionRecord, Contact, FormLink, Imported, Influence, Judgement,
    NextStep, Outcome, Project, Source, StageRecord, Status,
};
use crate::process::{Keys, Process, Stage};
use crate::span::{Sp, Span};

/// Header fields every record has; the process may add others.
const NAME: &str = "name";
const CODE: &str = "code";

/// Record keys with a meaning of their own, which a header field of the
/// process cannot take.
pub const RESERVED_KEYS: &[&str] = &[
    "owner",
    "stage",
    "status",
    "amount",
    "expected_close",
    "next_step",
    "contacts",
    "stages",
    "outcome",
    "imported",
];

/// Where a project lives, as found by the loader.
pub struct ProjectDir<'a> {
    pub dir: &'a str,
    pub folder: &'a str,
    pub path: &'a str,
    pub files: Vec<String>,
}

/// Parses a record. `None` when it has syntax errors or is empty.
pub fn parse(
    at: ProjectDir,
    text: &str,
    process: &Process,
    findings: &mut Vec<crate::diag::Finding>,
) -> Option<Project> {
    let mut cx = FileCx::new(at.path, findings);
    if is_blank_toml(text) {
        cx.report(
            &codes::EMPTY_RECORD,
            Span::new(0, 0),
            Msg::new("msg.empty-record"),
            Some(Msg::new("help.empty-record")),
        );
        return None;
    }
    let doc = toml_reader::parse(&mut cx, text)?;
    let mut t = TableReader::root(&doc, &cx);

    let code = t.require_text(&mut cx, CODE);
    let name = t.require_text(&mut cx, NAME);
    let mut header = BTreeMap::new();
    for field in &process.header {
        if field.id == CODE || field.id == NAME {
            continue;
        }
        let value = if field.required {
            t.require_text(&mut cx, &field.id)
        } else {
            t.text(&mut cx, &field.id)
        };
        if let Some(value) = value {
            header.insert(field.id.clone(), value);
        }
    }
    let owner = t.require_text(&mut cx, "owner");
    let stage_text = t.require_text(&mut cx, "stage");
    let stage = stage_text
        .as_ref()
        .and_then(|s| resolve::stage(&mut cx, process, s));
    let status = t
        .require_text(&mut cx, "status")
        .and_then(|s| status(&mut cx, &s));
    let amount = t.integer(&mut cx, "amount");
    let expected_close = t.date(&mut cx, "expected_close");
    let next_step = t.table(&mut cx, "next_step").map(|n| next_step(&mut cx, n));
    let contacts = t
        .tables(&mut cx, "contacts")
        .into_iter()
        .filter_map(|c| contact(&mut cx, c, process))
        .collect();
    let mut stages: Vec<Option<StageRecord>> = vec![None; process.stages.len()];
    if let Some(mut st) = t.table(&mut cx, "stages") {
        for (key, v) in st.rest(&cx) {
            let Some(i) = resolve::stage(&mut cx, process, &key).map(|i| i.value) else {
                continue;
            };
            if let Some(first) = &stages[i] {
                resolve::duplicate_spelling(&mut cx, &key, first.key_span, &first.key);
                continue;
            }
            if let Some(table) = v.table(&mut cx) {
                stages[i] = Some(stage_record(&mut cx, table, &key, i, process));
            }
        }
        st.finish(&mut cx);
    }
    let outcome = t
        .table(&mut cx, "outcome")
        .map(|o| outcome(&mut cx, o, process));
    let imported = t
        .table(&mut cx, "imported")
        .map(|i| imported(&mut cx, i, process));
    t.finish(&mut cx);

    let code = code.unwrap_or_else(|| Sp::new(at.folder.to_string(), Span::new(0, 0)));
    let names_stages = match (&stage_text, &stage) {
        (Some(text), Some(i)) => text.value.trim() != process.stages[i.value].id,
        _ => stages.iter().flatten().any(|r| {
            process
                .stage_index(&r.key)
                .is_some_and(|i| r.key != process.stages[i].id)
        }),
    };
    Some(Project {
        dir: at.dir.to_string(),
        folder: at.folder.to_string(),
        path: at.path.to_string(),
        code,
        name,
        header,
        owner,
        stage,
        names_stages,
        status,
        amount,
        expected_close,
        next_step,
        contacts,
        stages,
        outcome,
        imported,
        notes: Vec::new(),
        forms: Vec::new(),
        files: at.files,
    })
}

/// True for a file with nothing but whitespace and comments.
pub fn is_blank_toml(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    })
}

fn status(cx: &mut FileCx, s: &Sp<String>) -> Option<Sp<Status>> {
    let options: Vec<(&str, Status)> = Status::ALL.iter().map(|s| (s.id(), *s)).collect();
    choice(cx, s, "status", &options)
}

fn next_step(cx: &mut FileCx, mut t: TableReader) -> NextStep {
    let n = NextStep {
        span: t.span,
        date: t.date(cx, "date"),
        what: t.text(cx, "what"),
        who: t.text(cx, "who"),
    };
    t.finish(cx);
    n
}

fn contact(cx: &mut FileCx, mut t: TableReader, process: &Process) -> Option<Contact> {
    let span = t.span;
    let name = t.require_text(cx, "name");
    let title = t.text(cx, "title");
    let organization = t.text(cx, "organization");
    let parts = t
        .string_list(cx, "part")
        .into_iter()
        .filter_map(|p| {
            let index = process.contact_part_index(&p.value);
            resolve::vocabulary(cx, &p, "part", index, &process.contact_part_keys())
        })
        .collect();
    let attitude = t.text(cx, "attitude").and_then(|a| {
        choice(
            cx,
            &a,
            "attitude",
            &[
                ("support", Attitude::Support),
                ("neutral", Attitude::Neutral),
                ("oppose", Attitude::Oppose),
            ],
        )
    });
    let influence = t.text(cx, "influence").and_then(|a| {
        choice(
            cx,
            &a,
            "influence",
            &[
                ("high", Influence::High),
                ("medium", Influence::Medium),
                ("low", Influence::Low),
            ],
        )
    });
    let phone = t.text(cx, "phone");
    let notes = t.text(cx, "notes");
    t.finish(cx);
    Some(Contact {
        span,
        name: name?,
        title,
        organization,
        parts,
        attitude,
        influence,
        phone,
        notes,
    })
}

fn stage_record(
    cx: &mut FileCx,
    mut t: TableReader,
    key: &Sp<String>,
    index: usize,
    process: &Process,
) -> StageRecord {
    let stage = &process.stages[index];
    let mut rec = StageRecord::new(key.value.clone(), key.span);
    rec.entered = t.date(cx, "entered");
    rec.done = t.date(cx, "done");
    rec.left = t.date(cx, "left");
    rec.actual = t.text(cx, "actual");
    if let Some(mut conds) = t.table(cx, "conditions") {
        // Keys are condition ids, so TOML itself rejects a repeated one.
        for (key, v) in conds.rest(cx) {
            rec.conditions.extend(condition(cx, stage, &key, &v));
        }
        conds.finish(cx);
    }
    if let Some(mut js) = t.table(cx, "judgements") {
        for (key, v) in js.rest(cx) {
            let Some(role) = super::resolve::role(cx, process, &key) else {
                continue;
            };
            if let Some(first) = rec.judgement(role) {
                duplicate(cx, key.span, first.key_span, &key.value);
                continue;
            }
            if let Some(table) = v.table(cx) {
                rec.judgements.push(judgement(cx, table, role, key.span));
            }
        }
        js.finish(cx);
    }
    if let Some(mut forms) = t.table(cx, "forms") {
        for (key, v) in forms.rest(cx) {
            let Some(form) = stage_form(cx, process, index, &key) else {
                continue;
            };
            if let Some(first) = rec.form(form) {
                duplicate(cx, key.span, first.key_span, &key.value);
                continue;
            }
            if let Some(link) = v.text(cx) {
                rec.forms.push(FormLink {
                    form,
                    key_span: key.span,
                    link,
                });
            }
        }
        forms.finish(cx);
    }
    t.finish(cx);
    rec
}

/// Resolves a form key that must be one the stage asks for.
fn stage_form(cx: &mut FileCx, process: &Process, stage: usize, key: &Sp<String>) -> Option<usize> {
    let stage_name = process.stages[stage].id.as_str();
    match process.form_index(&key.value) {
        Some(f) if process.forms[f].stage == stage => Some(f),
        Some(f) => {
            let asked_by = &process.stages[process.forms[f].stage].id;
            cx.report(
                &codes::UNKNOWN_FORM,
                key.span,
                Msg::new("msg.form-of-other-stage")
                    .arg("form", &key.value)
                    .arg("stage", stage_name),
                Some(Msg::new("help.form-of-other-stage").arg("stage", asked_by)),
            );
            None
        }
        None => {
            let own: Vec<&str> = process
                .forms_of(stage)
                .map(|(_, f)| f.id.as_str())
                .collect();
            unknown(
                cx,
                &codes::UNKNOWN_FORM,
                Msg::new("msg.unknown-form").arg("form", &key.value),
                key,
                &Keys::ids(own),
            );
            None
        }
    }
}

/// A condition: `true`/`false`, or `{ met, waived, reason, evidence }`.
fn condition(cx: &mut FileCx, stage: &Stage, key: &Sp<String>, v: &Val) -> Option<ConditionRecord> {
    let index = resolve::condition(cx, stage, key)?;
    let mut rec = ConditionRecord {
        condition: index.value,
        key_span: key.span,
        state: CondState::Open,
        reason: None,
        evidence: Vec::new(),
    };
    if let Some(b) = v.as_bool() {
        rec.state = if b { CondState::Met } else { CondState::Open };
        return Some(rec);
    }
    if !v.is_table() {
        v.type_error(cx, Expected::Condition);
        return None;
    }
    let mut t = v.table(cx)?;
    let met = t.boolean(cx, "met").is_some_and(|b| b.value);
    let waived = t.boolean(cx, "waived").is_some_and(|b| b.value);
    rec.reason = t.text(cx, "reason");
    rec.evidence = t.string_list(cx, "evidence");
    t.finish(cx);
    rec.state = if met {
        CondState::Met
    } else if waived {
        CondState::Waived
    } else {
        CondState::Open
    };
    Some(rec)
}

fn judgement(cx: &mut FileCx, mut t: TableReader, role: usize, key_span: Span) -> Judgement {
    let j = Judgement {
        role,
        key_span,
        source: Source::Record,
        by: t.text(cx, "by"),
        date: t.date(cx, "date"),
        judgement: t.text(cx, "judgement"),
        follow_up: t.text(cx, "follow_up"),
        due: t.date(cx, "due"),
    };
    t.finish(cx);
    j
}

fn outcome(cx: &mut FileCx, mut t: TableReader, process: &Process) -> Outcome {
    let loss_reason = t.text(cx, "loss_reason").and_then(|k| {
        let index = process.loss_reason_index(&k.value);
        resolve::vocabulary(cx, &k, "loss_reason", index, &process.loss_reason_keys())
    });
    let o = Outcome {
        span: t.span,
        date: t.date(cx, "date"),
        reason: t.text(cx, "reason"),
        loss_reason,
        competitor: t.text(cx, "competitor"),
        contract_value: t.integer(cx, "contract_value"),
    };
    t.finish(cx);
    o
}

fn imported(cx: &mut FileCx, mut t: TableReader, process: &Process) -> Imported {
    let date = t.require("date").and_then(|v| v.date(cx));
    let stage = t
        .require_text(cx, "stage")
        .and_then(|s| resolve::stage(cx, process, &s));
    let i = Imported {
        span: t.span,
        date,
        stage,
        source: t.text(cx, "source"),
    };
    t.finish(cx);
    i
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{BRIEF, VALID, codes, findings};

    #[test]
    fn stages_and_roles_may_be_written_by_name() {
        let record = VALID
            .replace("stage = \"proposal\"", "stage = \"Proposal\"")
            .replace(
                "[stages.lead.judgements.rep]",
                "[stages.lead.judgements.Rep]",
            );
        assert_eq!(codes(&record), Vec::<&str>::new());
    }

    #[test]
    fn a_stage_given_twice_is_a_duplicate() {
        let record = format!("{VALID}\n[stages.Lead]\nactual = \"again\"\n");
        assert_eq!(codes(&record), ["duplicate-entry"]);
        // Two spellings of one stage: explained, and merged, not dropped.
        let found = crate::rules::testing::one(&record);
        assert_eq!(found[0].message.key, "msg.duplicate-spelling");
        assert_eq!(
            found[0].help.as_ref().unwrap().key,
            "help.duplicate-spelling"
        );
    }

    #[test]
    fn a_form_of_another_stage_is_reported_with_its_stage() {
        let record = VALID.replace(
            "forms = { brief",
            "forms = { offer = \"forms/brief.md\", brief",
        );
        let found = crate::rules::testing::one(&record);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "unknown-form");
        assert_eq!(found[0].message.key, "msg.form-of-other-stage");
    }

    #[test]
    fn unknown_values_list_the_valid_ones() {
        let found = crate::rules::testing::one(&VALID.replace("\"active\"", "\"actve\""));
        assert_eq!(found[0].code, "unknown-value");
        assert_eq!(found[0].help.as_ref().unwrap().key, "help.did-you-mean");
    }

    #[test]
    fn evidence_in_a_note_needs_its_stage() {
        let note = "+++\ndate = 2026-10-02\nevidences = [\"qualified\"]\n+++\nbody\n";
        let found = findings(&[
            ("content/projects/P-1/project.toml", VALID),
            ("content/projects/P-1/forms/brief.md", BRIEF),
            ("content/projects/P-1/notes/a.md", note),
        ]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].message.key, "msg.evidences-need-stage");
        assert_eq!(found[0].path, "content/projects/P-1/notes/a.md");
    }

    #[test]
    fn a_past_expected_close_is_a_warning() {
        let record = VALID.replace(
            "amount = 1000",
            "amount = 1000\nexpected_close = 2026-10-01",
        );
        assert_eq!(codes(&record), ["past-expected-close"]);
    }
}
