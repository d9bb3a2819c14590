//! A project's page: the seed's tracking form, filled in.

use serde::Serialize;

use super::{Ctx, Link, form_anchor, note_anchor, note_title};
use crate::analyze::dates::last_activity;
use crate::analyze::pending::anchor;
use crate::model::link::{Target, resolve};
use crate::model::{Attitude, CondState, Influence, Project, Status};
use crate::render::format::percent;
use crate::render::{markdown, urls};

#[derive(Serialize)]
pub struct Field {
    pub label: String,
    pub value: Link,
}

#[derive(Serialize)]
pub struct TimelineStep {
    pub name: String,
    pub anchor: String,
    pub entered: String,
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
    /// Written neither judgement nor follow-up yet.
    pub missing: bool,
}

#[derive(Serialize)]
pub struct FormSlot {
    pub name: String,
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
    pub criterion: String,
    pub entered: String,
    pub done: String,
    /// Steps with their own criterion and conditions (初步接触).
    pub steps: Vec<StepBlock>,
    pub conditions: Vec<ConditionView>,
    pub actual: String,
    pub actual_anchor: String,
    pub actual_role: String,
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

#[derive(Serialize)]
pub struct ContactGroup {
    pub part: String,
    pub contacts: Vec<ContactView>,
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
    pub contact_groups: Vec<ContactGroup>,
    pub notes: Vec<DocumentView>,
    pub forms: Vec<DocumentView>,
    pub outcome: Option<OutcomeView>,
    pub findings: Vec<super::findings::FindingRow>,
    pub source: String,
}

pub fn build(ctx: &Ctx, index: usize) -> ProjectPage {
    let p = ctx.project(index);
    let process = &ctx.data.process;
    let current = p.stage.as_ref().map(|s| s.value);
    let date = |d: &Option<crate::span::Sp<jiff::civil::Date>>| {
        d.as_ref().map_or_else(String::new, |d| d.value.to_string())
    };

    let mut header = vec![Field {
        label: ctx.t("site.code"),
        value: Link::text(&p.code.value),
    }];
    for field in &process.header {
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
        header.push(Field {
            label: ctx.text(&field.label).to_string(),
            value: value.unwrap_or_default(),
        });
    }
    header.push(Field {
        label: ctx.t("site.owner"),
        value: p
            .owner
            .as_ref()
            .map_or_else(Link::default, |o| ctx.person_link(&o.value)),
    });

    let mut facts = vec![
        Field {
            label: ctx.t("site.stage"),
            value: current.map_or_else(Link::default, |s| {
                Link::to(ctx.stage_name(s), &urls::stage(&process.stages[s].id))
            }),
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
                    .map_or_else(String::new, |a| ctx.money(a.value)),
            ),
        },
        Field {
            label: ctx.t("site.expected_close"),
            value: Link::text(&date(&p.expected_close)),
        },
    ];
    if let (Some(s), Status::Active) = (current, p.status()) {
        facts.push(Field {
            label: ctx.t("site.probability"),
            value: Link::text(&percent(process.stages[s].probability)),
        });
    }
    facts.push(Field {
        label: ctx.t("site.last_activity"),
        value: Link::text(&last_activity(p).map_or_else(String::new, |d| d.to_string())),
    });

    let next_step = p.next_step.as_ref().map(|n| NextStepView {
        date: date(&n.date),
        what: n
            .what
            .as_ref()
            .map_or_else(String::new, |w| w.value.clone()),
        who: n
            .who
            .as_ref()
            .or(p.owner.as_ref())
            .map_or_else(Link::default, |w| ctx.person_link(&w.value)),
        overdue: p.status() == Status::Active
            && n.date
                .as_ref()
                .is_some_and(|d| d.value < ctx.analysis.as_of),
    });

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
    let timeline = (0..process.stages.len())
        .map(|i| {
            let rec = p.stage_record(i);
            TimelineStep {
                name: ctx.stage_name(i).to_string(),
                anchor: anchor::stage(&process.stages[i].id),
                entered: rec.map_or_else(String::new, |r| date(&r.entered)),
                done: rec.map_or_else(String::new, |r| date(&r.done)),
                state: state_of(i),
            }
        })
        .collect();

    let stages = (0..process.stages.len())
        .map(|i| stage_block(ctx, p, i, state_of(i)))
        .collect();

    ProjectPage {
        code: p.code.value.clone(),
        name: p
            .name
            .as_ref()
            .map_or_else(String::new, |n| n.value.clone()),
        status: p.status().id(),
        status_name: ctx.status_name(p.status()),
        header,
        facts,
        next_step,
        next_step_anchor: anchor::NEXT_STEP,
        timeline,
        stages,
        contact_groups: contact_groups(ctx, p),
        notes: p
            .notes
            .iter()
            .map(|n| DocumentView {
                anchor: note_anchor(&n.rel),
                title: note_title(n),
                date: date(&n.date),
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
                body: markdown::to_html(&n.body),
            })
            .collect(),
        forms: p
            .forms
            .iter()
            .map(|f| DocumentView {
                anchor: form_anchor(&f.rel),
                title: f.title.as_ref().map_or_else(
                    || {
                        f.form.as_ref().map_or_else(
                            || f.rel.clone(),
                            |i| ctx.text(&process.forms[i.value].name).to_string(),
                        )
                    },
                    |t| t.value.clone(),
                ),
                date: date(&f.date),
                kind: f.form.as_ref().map_or_else(String::new, |i| {
                    ctx.text(&process.forms[i.value].name).to_string()
                }),
                stage: f.form.as_ref().map_or_else(String::new, |i| {
                    ctx.stage_name(process.forms[i.value].stage).to_string()
                }),
                author: f
                    .author
                    .as_ref()
                    .map_or_else(Link::default, |a| ctx.person_link(&a.value)),
                attendees: String::new(),
                body: markdown::to_html(&f.body),
            })
            .collect(),
        outcome: p.outcome.as_ref().map(|o| OutcomeView {
            date: date(&o.date),
            reason: o
                .reason
                .as_ref()
                .map_or_else(String::new, |r| r.value.clone()),
            competitor: o
                .competitor
                .as_ref()
                .map_or_else(String::new, |c| c.value.clone()),
            contract_value: o
                .contract_value
                .as_ref()
                .map_or_else(String::new, |v| ctx.money(v.value)),
        }),
        findings: super::findings::rows(ctx, |f| f.path.starts_with(&format!("{}/", p.dir))),
        source: p.path.clone(),
    }
}

/// A link written in the record, as a link on the page: notes and forms
/// to their place on this page, web addresses as they are.
fn evidence_link(p: &Project, link: &str) -> Link {
    match resolve(link) {
        Target::External => Link {
            text: link.to_string(),
            href: Some(link.to_string()),
        },
        Target::Inside(rel) if p.notes.iter().any(|n| n.rel == rel) => Link {
            text: note_label(p, &rel),
            href: Some(format!("#{}", urls::encode(&note_anchor(&rel)))),
        },
        Target::Inside(rel) if p.forms.iter().any(|f| f.rel == rel) => Link {
            text: rel
                .rsplit('/')
                .next()
                .unwrap_or(&rel)
                .trim_end_matches(".md")
                .to_string(),
            href: Some(format!("#{}", urls::encode(&form_anchor(&rel)))),
        },
        _ => Link::text(link),
    }
}

fn note_label(p: &Project, rel: &str) -> String {
    p.notes
        .iter()
        .find(|n| n.rel == rel)
        .map_or_else(|| rel.to_string(), note_title)
}

fn stage_block(ctx: &Ctx, p: &Project, i: usize, state: &'static str) -> StageBlock {
    let process = &ctx.data.process;
    let stage = &process.stages[i];
    let rec = p.stage_record(i);
    let condition = |c: usize| {
        let cond = rec.and_then(|r| r.condition(c));
        let (state, key) = match cond.map_or(CondState::Open, |c| c.state) {
            CondState::Met => ("met", "site.cond_met"),
            CondState::Open => ("open", "site.cond_open"),
            CondState::Waived => ("waived", "site.cond_waived"),
        };
        ConditionView {
            number: c + 1,
            text: ctx.text(&stage.conditions[c].text).to_string(),
            state,
            state_name: ctx.t(key),
            reason: cond
                .and_then(|c| c.reason.as_ref())
                .map_or_else(String::new, |r| r.value.clone()),
            evidence: cond
                .map(|c| {
                    c.evidence
                        .iter()
                        .map(|e| evidence_link(p, &e.value))
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
            let text = |v: Option<&crate::span::Sp<String>>| {
                v.map_or_else(String::new, |s| s.value.clone())
            };
            JudgementView {
                role: ctx.role_name(ri).to_string(),
                anchor: anchor::judgement(&stage.id, &role.id),
                by: j
                    .and_then(|j| j.by.as_ref())
                    .map_or_else(Link::default, |b| ctx.person_link(&b.value)),
                date: j
                    .and_then(|j| j.date.as_ref())
                    .map_or_else(String::new, |d| d.value.to_string()),
                judgement: text(j.and_then(|j| j.judgement.as_ref())),
                follow_up: text(j.and_then(|j| j.follow_up.as_ref())),
                due: j
                    .and_then(|j| j.due.as_ref())
                    .map_or_else(String::new, |d| d.value.to_string()),
                missing: state != "future"
                    && j.is_none_or(|j| j.judgement.is_none() || j.follow_up.is_none()),
            }
        })
        .collect();
    let forms = process
        .forms_of(i)
        .map(|(fi, form)| {
            let link = rec.and_then(|r| r.form(fi));
            FormSlot {
                name: ctx.text(&form.name).to_string(),
                link: link.map_or_else(
                    || Link::text(ctx.text(&form.name)),
                    |l| Link {
                        text: ctx.text(&form.name).to_string(),
                        href: evidence_link(p, &l.link.value).href,
                    },
                ),
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
    let writer = process.roles.iter().position(|r| r.writes_actual);
    StageBlock {
        number: i + 1,
        id: stage.id.clone(),
        anchor: anchor::stage(&stage.id),
        name: ctx.stage_name(i).to_string(),
        state,
        state_name: ctx.t(state_key),
        criterion: ctx.text(&stage.criterion).to_string(),
        entered: rec
            .and_then(|r| r.entered.as_ref())
            .map_or_else(String::new, |d| d.value.to_string()),
        done: rec
            .and_then(|r| r.done.as_ref())
            .map_or_else(String::new, |d| d.value.to_string()),
        steps,
        conditions,
        actual: rec
            .and_then(|r| r.actual.as_ref())
            .map_or_else(String::new, |a| a.value.clone()),
        actual_anchor: anchor::actual(&stage.id),
        actual_role: writer.map_or_else(String::new, |w| ctx.role_name(w).to_string()),
        judgements,
        forms,
    }
}

fn contact_groups(ctx: &Ctx, p: &Project) -> Vec<ContactGroup> {
    let process = &ctx.data.process;
    let view = |c: &crate::model::Contact| {
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
        let text = |v: &Option<crate::span::Sp<String>>| {
            v.as_ref().map_or_else(String::new, |s| s.value.clone())
        };
        ContactView {
            name: c.name.value.clone(),
            title: text(&c.title),
            organization: text(&c.organization),
            parts: c
                .parts
                .iter()
                .map(|x| ctx.text(&process.contact_parts[x.value].name).to_string())
                .collect(),
            attitude,
            attitude_name: ctx.t(attitude_key),
            influence,
            influence_name: ctx.t(influence_key),
            phone: text(&c.phone),
            notes: text(&c.notes),
        }
    };
    let mut groups: Vec<ContactGroup> = process
        .contact_parts
        .iter()
        .enumerate()
        .map(|(pi, part)| ContactGroup {
            part: ctx.text(&part.name).to_string(),
            contacts: p
                .contacts
                .iter()
                .filter(|c| c.parts.iter().any(|x| x.value == pi))
                .map(view)
                .collect(),
        })
        .filter(|g| !g.contacts.is_empty())
        .collect();
    let others: Vec<ContactView> = p
        .contacts
        .iter()
        .filter(|c| c.parts.is_empty())
        .map(view)
        .collect();
    if !others.is_empty() {
        groups.push(ContactGroup {
            part: ctx.t("site.contacts_other"),
            contacts: others,
        });
    }
    groups
}
