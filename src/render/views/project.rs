//! A project's page: the seed's tracking form, filled in.

use serde::Serialize;

use super::fill::{Fill, fill};
use super::targets::{self, Dest};
use super::{Ctx, Link, cond_state, date, form_anchor, note_anchor, note_title, text};
use crate::analyze::PendingKind;
use crate::analyze::pending::anchor;
use crate::model::timeline::Credit;
use crate::model::{Attitude, CondState, Contact, Influence, Project, Status};
use crate::render::format::percent;
use crate::render::urls;

#[derive(Serialize)]
pub struct Field {
    pub label: String,
    pub value: Link,
}

/// A change to the record, from Git.
#[derive(Serialize)]
pub struct HistoryRow {
    pub date: String,
    pub commit: String,
    pub author: Link,
    pub change: String,
    /// advanced | slipped | other
    pub kind: &'static str,
}

#[derive(Serialize)]
pub struct TimelineStep {
    pub name: String,
    pub anchor: String,
    pub entered: String,
    /// The entered date comes from Git, not the record.
    pub from_git: bool,
    pub done: String,
    /// done | current | future | lost
    pub state: &'static str,
}

#[derive(Serialize)]
pub struct ConditionView {
    pub number: usize,
    pub text: String,
    /// met | open | waived
    pub state: &'static str,
    pub state_name: String,
    pub reason: String,
    pub evidence: Vec<Link>,
}

#[derive(Serialize)]
pub struct StepBlock {
    pub name: String,
    pub criterion: String,
    pub conditions: Vec<ConditionView>,
}

#[derive(Serialize)]
pub struct JudgementView {
    pub role: String,
    pub anchor: String,
    pub by: Link,
    pub date: String,
    pub judgement: String,
    pub follow_up: String,
    pub due: String,
    /// Judgement or follow-up not written in a stage reached.
    pub missing: bool,
    /// The commit that last changed it, by whom and when (from Git).
    pub commit: String,
    /// Its own file, relative to the project folder (`judgements/…`);
    /// empty when it is written in the record.
    pub file: String,
    /// The Git host's editor on that file, when the site knows the host.
    pub file_edit: Option<String>,
    /// How to write what is missing.
    pub fill: Option<Fill>,
}

#[derive(Serialize)]
pub struct FormSlot {
    pub link: Link,
    pub attached: bool,
    pub required: bool,
}

#[derive(Serialize)]
pub struct StageBlock {
    pub number: usize,
    pub id: String,
    pub anchor: String,
    pub name: String,
    pub state: &'static str,
    pub state_name: String,
    /// The project got this far: a stage not reached prints as the blank
    /// paper form and is folded away on screen.
    pub reached: bool,
    pub criterion: String,
    pub entered: String,
    pub done: String,
    /// Steps with their own criterion and conditions (初步接触).
    pub steps: Vec<StepBlock>,
    pub conditions: Vec<ConditionView>,
    pub actual: String,
    pub actual_anchor: String,
    pub actual_role: String,
    /// How to write a missing actual situation.
    pub actual_fill: Option<Fill>,
    pub judgements: Vec<JudgementView>,
    pub forms: Vec<FormSlot>,
}

#[derive(Serialize)]
pub struct ContactView {
    pub name: String,
    pub title: String,
    pub organization: String,
    pub parts: Vec<String>,
    /// support | neutral | oppose | unknown
    pub attitude: &'static str,
    pub attitude_name: String,
    /// high | medium | low | unknown
    pub influence: &'static str,
    pub influence_name: String,
    pub phone: String,
    pub notes: String,
}

/// "Who decides, who handles, the coach": each part and its people.
#[derive(Serialize)]
pub struct PartSummary {
    pub part: String,
    pub names: String,
}

#[derive(Serialize)]
pub struct DocumentView {
    pub anchor: String,
    pub title: String,
    pub date: String,
    pub kind: String,
    pub stage: String,
    pub author: Link,
    pub attendees: String,
    pub body: String,
}

#[derive(Serialize)]
pub struct NextStepView {
    pub date: String,
    pub what: String,
    pub who: Link,
    pub overdue: bool,
}

#[derive(Serialize)]
pub struct OutcomeView {
    pub date: String,
    pub reason: String,
    pub competitor: String,
    pub contract_value: String,
}

#[derive(Serialize)]
pub struct ProjectPage {
    pub code: String,
    pub name: String,
    pub status: &'static str,
    pub status_name: String,
    pub header: Vec<Field>,
    pub facts: Vec<Field>,
    pub next_step: Option<NextStepView>,
    pub next_step_anchor: &'static str,
    pub timeline: Vec<TimelineStep>,
    pub stages: Vec<StageBlock>,
    pub parts: Vec<PartSummary>,
    pub contacts: Vec<ContactView>,
    pub notes: Vec<DocumentView>,
    pub forms: Vec<DocumentView>,
    pub outcome: Option<OutcomeView>,
    pub history: Vec<HistoryRow>,
    pub findings: Vec<super::findings::FindingRow>,
    pub source: String,
    /// The record in the host's editor, when the site has one.
    pub source_edit: Option<String>,
}

/// Headings inside a note or form sit below its `<h3>` title.
/// A form's top heading sits below its `<h3>` title, as a note's does.
const DOCUMENT_TOP_HEADING: u8 = super::NOTE_TOP_HEADING;

pub fn build(ctx: &Ctx, index: usize) -> ProjectPage {
    let p = ctx.project(index);
    let process = &ctx.data.process;
    let page = urls::project(&p.folder);
    let current = p.stage.as_ref().map(|s| s.value);
    let state_of = |i: usize| -> &'static str {
        match current {
            Some(c) if i < c => "done",
            Some(c) if i == c => match p.status() {
                Status::Won => "done",
                Status::Lost => "lost",
                _ => "current",
            },
            _ => "future",
        }
    };
    ProjectPage {
        code: p.code.value.clone(),
        name: text(p.name.as_ref()),
        status: p.status().id(),
        status_name: ctx.status_name(p.status()),
        header: header(ctx, p),
        facts: facts(ctx, index),
        next_step: p.next_step.as_ref().map(|n| NextStepView {
            date: date(n.date.as_ref()),
            what: text(n.what.as_ref()),
            who: n
                .who
                .as_ref()
                .or(p.owner.as_ref())
                .map_or_else(Link::default, |w| ctx.person_link(&w.value)),
            overdue: p.status() == Status::Active
                && n.date
                    .as_ref()
                    .is_some_and(|d| d.value < ctx.analysis.as_of),
        }),
        next_step_anchor: anchor::NEXT_STEP,
        timeline: (0..process.stages.len())
            .map(|i| {
                let rec = p.stage_record(i);
                let entered = crate::analyze::dates::entered(ctx.data, p, i);
                TimelineStep {
                    name: ctx.stage_name(i).to_string(),
                    anchor: anchor::stage(&process.stages[i].id),
                    entered: entered.map_or_else(String::new, |d| d.to_string()),
                    from_git: entered.is_some() && rec.is_none_or(|r| r.entered.is_none()),
                    done: date(rec.and_then(|r| r.done.as_ref())),
                    state: state_of(i),
                }
            })
            .collect(),
        stages: (0..process.stages.len())
            .map(|i| stage_block(ctx, index, i, state_of(i)))
            .collect(),
        parts: parts(ctx, p),
        contacts: contacts(ctx, p),
        notes: p
            .notes
            .iter()
            .enumerate()
            .map(|(ni, n)| DocumentView {
                anchor: note_anchor(&n.rel),
                title: note_title(n),
                date: date(n.date.as_ref()),
                kind: n.kind.as_ref().map_or_else(String::new, |k| {
                    ctx.text(&process.note_kinds[k.value].name).to_string()
                }),
                stage: n
                    .stage
                    .as_ref()
                    .map_or_else(String::new, |s| ctx.stage_name(s.value).to_string()),
                author: n
                    .author
                    .as_ref()
                    .map_or_else(Link::default, |a| ctx.person_link(&a.value)),
                attendees: n
                    .attendees
                    .iter()
                    .map(|a| ctx.person_name(&a.value))
                    .collect::<Vec<_>>()
                    .join(ctx.i18n.get("site.list_sep")),
                body: ctx.note_html(index, ni).to_string(),
            })
            .collect(),
        forms: p
            .forms
            .iter()
            .map(|f| {
                let form_name = f
                    .form
                    .as_ref()
                    .map(|i| ctx.text(&process.forms[i.value].name).to_string());
                DocumentView {
                    anchor: form_anchor(&f.rel),
                    title: f
                        .title
                        .as_ref()
                        .map(|t| t.value.clone())
                        .or_else(|| form_name.clone())
                        .unwrap_or_else(|| f.rel.clone()),
                    date: date(f.date.as_ref()),
                    kind: form_name.unwrap_or_default(),
                    stage: f.form.as_ref().map_or_else(String::new, |i| {
                        ctx.stage_name(process.forms[i.value].stage).to_string()
                    }),
                    author: f
                        .author
                        .as_ref()
                        .map_or_else(Link::default, |a| ctx.person_link(&a.value)),
                    attendees: String::new(),
                    body: targets::markdown(ctx, p, &f.rel, &f.body, &page, DOCUMENT_TOP_HEADING),
                }
            })
            .collect(),
        outcome: p.outcome.as_ref().map(|o| OutcomeView {
            date: date(o.date.as_ref()),
            reason: text(o.reason.as_ref()),
            competitor: text(o.competitor.as_ref()),
            // The one amount shown to the yuan: what was signed.
            contract_value: o
                .contract_value
                .as_ref()
                .map_or_else(String::new, |v| ctx.money(v.value)),
        }),
        history: history(ctx, p),
        findings: super::findings::rows(ctx, |f| f.path.starts_with(&format!("{}/", p.dir))),
        source: p.path.clone(),
        source_edit: crate::render::editor::edit_link(ctx.config, &p.path),
    }
}

/// The record's changes from Git, newest first.
fn history(ctx: &Ctx, p: &Project) -> Vec<HistoryRow> {
    use crate::model::timeline::EventKind as K;
    let Some(t) = &ctx.data.history else {
        return Vec::new();
    };
    let Some(pt) = t.project(&p.folder) else {
        return Vec::new();
    };
    let stage = |s: usize| ctx.stage_name(s).to_string();
    let money = |v: Option<i64>| v.map_or_else(|| "—".to_string(), |v| ctx.money_short(v as f64));
    let day = |d: Option<jiff::civil::Date>| d.map_or_else(|| "—".to_string(), |d| d.to_string());
    pt.events
        .iter()
        .rev()
        .map(|e| {
            let c = &t.commits[e.commit];
            let msg = |key: &'static str| crate::diag::Msg::new(key);
            let (kind, m) = match &e.kind {
                K::Created { stage: Some(s) } => {
                    ("other", msg("site.event_created").arg("stage", stage(*s)))
                }
                K::Created { stage: None } => ("other", msg("site.event_created_nostage")),
                K::Advanced { from, to } => (
                    "advanced",
                    msg("site.event_advanced")
                        .arg("from", stage(*from))
                        .arg("to", stage(*to)),
                ),
                K::Slipped { from, to } => (
                    "slipped",
                    msg("site.event_slipped")
                        .arg("from", stage(*from))
                        .arg("to", stage(*to)),
                ),
                K::StatusChanged { from, to } => (
                    "other",
                    msg("site.event_status")
                        .arg("from", ctx.status_name(*from))
                        .arg("to", ctx.status_name(*to)),
                ),
                K::AmountChanged { from, to } => (
                    "other",
                    msg("site.event_amount")
                        .arg("from", money(*from))
                        .arg("to", money(*to)),
                ),
                K::CloseChanged { from, to } => (
                    "other",
                    msg("site.event_close")
                        .arg("from", day(*from))
                        .arg("to", day(*to)),
                ),
                K::Deleted => ("other", msg("site.event_deleted")),
                K::Renamed { from } => ("other", msg("site.event_renamed").arg("from", from)),
            };
            HistoryRow {
                date: c.date.to_string(),
                commit: c.short().to_string(),
                author: author_link(ctx, c),
                change: ctx.i18n.format(&m),
                kind,
            }
        })
        .collect()
}

/// A commit's author: the team member with that email, else the name.
fn author_link(ctx: &Ctx, c: &crate::model::timeline::Commit) -> Link {
    match ctx.data.team.by_email(&c.email) {
        Some(person) => Link::person(person),
        None => Link::text(&c.author),
    }
}

/// The form's header fields, as the process defines them, and the owner.
fn header(ctx: &Ctx, p: &Project) -> Vec<Field> {
    let mut fields = vec![Field {
        label: ctx.t("site.code"),
        value: Link::text(&p.code.value),
    }];
    for field in &ctx.data.process.header {
        let value = match field.id.as_str() {
            "code" => continue,
            "name" => p.name.as_ref().map(|n| Link::text(&n.value)),
            "department" => p
                .header
                .get("department")
                .map(|d| Link::to(&d.value, &urls::department(&d.value))),
            "region" => p
                .header
                .get("region")
                .map(|r| Link::to(&r.value, &urls::region(urls::region_group(&r.value)))),
            id if field.person => p.header.get(id).map(|v| ctx.person_link(&v.value)),
            id => p.header.get(id).map(|v| Link::text(&v.value)),
        };
        fields.push(Field {
            label: ctx.text(&field.label).to_string(),
            value: value.unwrap_or_default(),
        });
    }
    fields.push(Field {
        label: ctx.t("site.owner"),
        value: p
            .owner
            .as_ref()
            .map_or_else(Link::default, |o| ctx.person_link(&o.value)),
    });
    fields
}

/// Where the project stands: stage, status, amount, dates.
fn facts(ctx: &Ctx, index: usize) -> Vec<Field> {
    let p = &ctx.data.projects[index];
    let process = &ctx.data.process;
    let current = p.stage.as_ref().map(|s| s.value);
    let mut facts = vec![
        Field {
            label: ctx.t("site.stage"),
            value: current.map_or_else(Link::default, |s| ctx.stage_link(s)),
        },
        Field {
            label: ctx.t("site.status"),
            value: Link::text(&ctx.status_name(p.status())),
        },
        Field {
            label: ctx.t("site.amount"),
            value: Link::text(
                &p.amount
                    .as_ref()
                    .map_or_else(String::new, |a| ctx.money_short(a.value as f64)),
            ),
        },
        Field {
            label: ctx.t("site.expected_close"),
            value: Link::text(&date(p.expected_close.as_ref())),
        },
    ];
    if let (Some(s), Status::Active) = (current, p.status()) {
        facts.push(Field {
            label: ctx.t("site.probability"),
            value: Link::text(&percent(process.stages[s].probability)),
        });
    }
    let mut last =
        crate::analyze::dates::last_change(ctx.data, p).map_or_else(String::new, |d| d.to_string());
    if ctx.analysis.stale[index].is_some() {
        last = format!("{last} ({})", ctx.t("site.stale"))
            .trim_start()
            .to_string();
    }
    facts.push(Field {
        label: ctx.t("site.last_activity"),
        value: Link::text(&last),
    });
    if let Some(days) = ctx.analysis.days_in_stage[index]
        && p.status() == Status::Active
    {
        facts.push(Field {
            label: ctx.t("site.days_in_stage"),
            value: Link::text(&days.to_string()),
        });
    }
    facts
}

/// A link written in the record (relative to the project folder), as a
/// `Link`: a note shows its title, a note or form on this page is a
/// `#fragment`, an attachment a site path.
fn record_link(p: &Project, link: &str, label: &str) -> Link {
    let page = urls::project(&p.folder);
    let note = match crate::model::link::resolve(link) {
        crate::model::link::Target::Inside(rel) => p.notes.iter().find(|n| n.rel == rel),
        _ => None,
    };
    let href = match targets::resolve_in(p, "", link) {
        Dest::External(url) => Some(url),
        Dest::Broken => None,
        Dest::Site(path) => match path.split_once('#') {
            Some((on, fragment)) if on == page => Some(format!("#{}", urls::encode(fragment))),
            _ => Link::to(label, &path).href,
        },
    };
    Link {
        text: note.map_or_else(|| label.to_string(), note_title),
        href,
    }
}

fn stage_block(ctx: &Ctx, index: usize, i: usize, state: &'static str) -> StageBlock {
    let p = ctx.project(index);
    let process = &ctx.data.process;
    let reached = state != "future";
    let stage = &process.stages[i];
    let rec = p.stage_record(i);
    let condition = |c: usize| {
        let cond = rec.and_then(|r| r.condition(c));
        let (state, state_name) = cond_state(ctx, cond.map_or(CondState::Open, |c| c.state));
        ConditionView {
            number: c + 1,
            text: ctx.text(&stage.conditions[c].text).to_string(),
            state,
            state_name,
            reason: text(cond.and_then(|c| c.reason.as_ref())),
            evidence: cond
                .map(|c| {
                    c.evidence
                        .iter()
                        .map(|e| record_link(p, &e.value, file_label(&e.value)))
                        .collect()
                })
                .unwrap_or_default(),
        }
    };
    let steps = stage
        .steps
        .iter()
        .enumerate()
        .map(|(si, step)| StepBlock {
            name: ctx.text(&step.name).to_string(),
            criterion: ctx.text(&step.criterion).to_string(),
            conditions: (0..stage.conditions.len())
                .filter(|&c| stage.conditions[c].step == Some(si))
                .map(condition)
                .collect(),
        })
        .collect();
    let conditions = if stage.steps.is_empty() {
        (0..stage.conditions.len()).map(condition).collect()
    } else {
        Vec::new()
    };
    let judgements = process
        .roles
        .iter()
        .enumerate()
        .map(|(ri, role)| {
            let j = rec.and_then(|r| r.judgement(ri));
            JudgementView {
                role: ctx.role_name(ri).to_string(),
                anchor: anchor::judgement(&stage.id, &role.id),
                by: j
                    .and_then(|j| j.by.as_ref())
                    .map_or_else(Link::default, |b| ctx.person_link(&b.value)),
                date: date(j.and_then(|j| j.date.as_ref())),
                judgement: text(j.and_then(|j| j.judgement.as_ref())),
                follow_up: text(j.and_then(|j| j.follow_up.as_ref())),
                due: date(j.and_then(|j| j.due.as_ref())),
                missing: reached
                    && j.is_none_or(|j| j.judgement.is_none() || j.follow_up.is_none()),
                file: j
                    .and_then(|j| j.file())
                    .and_then(|f| f.path.strip_prefix(&format!("{}/", p.dir)))
                    .unwrap_or_default()
                    .to_string(),
                file_edit: j
                    .and_then(|j| j.file())
                    .and_then(|f| crate::render::editor::edit_link(ctx.config, &f.path)),
                fill: match j {
                    _ if !reached => None,
                    Some(j) if j.judgement.is_some() && j.follow_up.is_some() => None,
                    Some(j) if j.judgement.is_some() => {
                        fill(ctx, index, i, Some(ri), PendingKind::FollowUp)
                    }
                    _ => fill(ctx, index, i, Some(ri), PendingKind::Judgement),
                },
                commit: ctx
                    .data
                    .history
                    .as_ref()
                    .and_then(|t| t.credit(p, i, ri, ctx.config.trusted_until))
                    .map(|credit| match credit {
                        Credit::Written(c) => format!("{} · {} · {}", c.short(), c.author, c.date),
                        Credit::Imported(c) => {
                            format!("{} · {} · {}", c.short(), ctx.t("site.imported"), c.date)
                        }
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let forms = process
        .forms_of(i)
        .map(|(fi, form)| {
            let name = ctx.text(&form.name);
            let link = rec.and_then(|r| r.form(fi));
            FormSlot {
                link: link
                    .map_or_else(|| Link::text(name), |l| record_link(p, &l.link.value, name)),
                attached: link.is_some(),
                required: form.required,
            }
        })
        .collect();
    let state_key = match state {
        "done" => "site.stage_done",
        "current" => "site.stage_current",
        "lost" => "site.stage_lost",
        _ => "site.stage_future",
    };
    StageBlock {
        number: i + 1,
        id: stage.id.clone(),
        anchor: anchor::stage(&stage.id),
        name: ctx.stage_name(i).to_string(),
        state,
        state_name: ctx.t(state_key),
        reached,
        criterion: ctx.text(&stage.criterion).to_string(),
        entered: date(rec.and_then(|r| r.entered.as_ref())),
        done: date(rec.and_then(|r| r.done.as_ref())),
        steps,
        conditions,
        actual: text(rec.and_then(|r| r.actual.as_ref())),
        actual_anchor: anchor::actual(&stage.id),
        actual_role: process
            .writer()
            .map_or_else(String::new, |w| ctx.role_name(w).to_string()),
        actual_fill: (reached && rec.is_none_or(|r| r.actual.is_none()))
            .then(|| fill(ctx, index, i, process.writer(), PendingKind::Actual))
            .flatten(),
        judgements,
        forms,
    }
}

/// A file link's label: its file name without the folder and `.md`.
fn file_label(link: &str) -> &str {
    let name = link.rsplit('/').next().unwrap_or(link);
    name.strip_suffix(".md").unwrap_or(name)
}

/// Each contact part with the names of the people playing it.
fn parts(ctx: &Ctx, p: &Project) -> Vec<PartSummary> {
    ctx.data
        .process
        .contact_parts
        .iter()
        .enumerate()
        .filter_map(|(pi, part)| {
            let names: Vec<&str> = p
                .contacts
                .iter()
                .filter(|c| c.parts.iter().any(|x| x.value == pi))
                .map(|c| c.name.value.as_str())
                .collect();
            (!names.is_empty()).then(|| PartSummary {
                part: ctx.text(&part.name).to_string(),
                names: names.join(ctx.i18n.get("site.list_sep")),
            })
        })
        .collect()
}

/// Every contact once, those with the higher influence first.
fn contacts(ctx: &Ctx, p: &Project) -> Vec<ContactView> {
    let process = &ctx.data.process;
    let mut list: Vec<&Contact> = p.contacts.iter().collect();
    list.sort_by_key(|c| c.influence.as_ref().map_or(3, |i| i.value as u8));
    list.into_iter()
        .map(|c| {
            let (attitude, attitude_key) = match c.attitude.as_ref().map(|a| a.value) {
                Some(Attitude::Support) => ("support", "site.attitude_support"),
                Some(Attitude::Neutral) => ("neutral", "site.attitude_neutral"),
                Some(Attitude::Oppose) => ("oppose", "site.attitude_oppose"),
                None => ("unknown", "site.unknown"),
            };
            let (influence, influence_key) = match c.influence.as_ref().map(|a| a.value) {
                Some(Influence::High) => ("high", "site.influence_high"),
                Some(Influence::Medium) => ("medium", "site.influence_medium"),
                Some(Influence::Low) => ("low", "site.influence_low"),
                None => ("unknown", "site.unknown"),
            };
            ContactView {
                name: c.name.value.clone(),
                title: text(c.title.as_ref()),
                organization: text(c.organization.as_ref()),
                parts: c
                    .parts
                    .iter()
                    .map(|x| ctx.text(&process.contact_parts[x.value].name).to_string())
                    .collect(),
                attitude,
                attitude_name: ctx.t(attitude_key),
                influence,
                influence_name: ctx.t(influence_key),
                phone: text(c.phone.as_ref()),
                notes: text(c.notes.as_ref()),
            }
        })
        .collect()
}
