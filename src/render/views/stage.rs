//! The stage pages: the stage's success criterion and checklist, and the
//! matrix of its projects × its conditions.

use serde::Serialize;

use super::{Ctx, FlagView, Link, cond_state, flags, text};
use crate::model::{CondState, Status};
use crate::render::format::percent;
use crate::render::urls;

#[derive(Serialize)]
pub struct ConditionHead {
    pub number: usize,
    pub id: String,
    pub text: String,
    /// The column's label: the process's `short`, else derived from `text`.
    pub short: String,
}

#[derive(Serialize)]
pub struct StepView {
    pub name: String,
    pub criterion: String,
    pub conditions: Vec<ConditionHead>,
}

#[derive(Serialize)]
pub struct Cell {
    /// met | open | waived
    pub state: &'static str,
    pub label: String,
    pub reason: String,
}

#[derive(Serialize)]
pub struct MatrixRow {
    pub project: Link,
    pub name: String,
    pub status: &'static str,
    pub status_name: String,
    pub cells: Vec<Cell>,
    pub met: usize,
    pub forms: String,
    pub judgements: String,
    pub actual: bool,
    /// Days in this stage so far.
    pub days: String,
    /// Quiet longer than the stage allows (active projects only).
    pub stale: bool,
    /// What needs a look, as every list of the board shows it.
    pub flags: Vec<FlagView>,
}

#[derive(Serialize)]
pub struct StagePage {
    pub id: String,
    pub number: usize,
    pub name: String,
    pub criterion: String,
    pub probability: String,
    pub stale_days: u32,
    /// Days a project may stay here before it counts as stuck.
    pub max_days: Option<u32>,
    /// For stages with steps (初步接触): each step's criterion and conditions.
    pub steps: Vec<StepView>,
    /// For stages without steps.
    pub conditions: Vec<ConditionHead>,
    pub columns: Vec<ConditionHead>,
    pub forms: Vec<String>,
    pub rows: Vec<MatrixRow>,
    /// "4 active, 1 paused".
    pub counts: String,
    pub previous: Option<Link>,
    pub next: Option<Link>,
}

/// A short summary of every stage, for the stages index.
#[derive(Serialize)]
pub struct StageSummary {
    pub stage: Link,
    pub number: usize,
    pub criterion: String,
    pub conditions: usize,
    pub forms: usize,
    pub active: usize,
    pub amount: String,
    pub probability: String,
}

pub fn summaries(ctx: &Ctx) -> Vec<StageSummary> {
    let process = &ctx.data.process;
    process
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| StageSummary {
            stage: ctx.stage_link(i),
            number: i + 1,
            criterion: ctx.text(&s.criterion).to_string(),
            conditions: s.conditions.len(),
            forms: process.forms_of(i).count(),
            active: ctx.analysis.stages[i].active,
            amount: ctx.money_short(ctx.analysis.stages[i].amount as f64),
            probability: percent(s.probability),
        })
        .collect()
}

pub fn build(ctx: &Ctx, index: usize) -> StagePage {
    let process = &ctx.data.process;
    let stage = &process.stages[index];
    let head = |n: usize| {
        let c = &stage.conditions[n];
        let text = ctx.text(&c.text).to_string();
        ConditionHead {
            number: n + 1,
            id: c.id.clone(),
            short: if c.short.is_empty() {
                short_label(&text)
            } else {
                ctx.text(&c.short).to_string()
            },
            text,
        }
    };
    let columns: Vec<ConditionHead> = (0..stage.conditions.len()).map(head).collect();
    let steps = stage
        .steps
        .iter()
        .enumerate()
        .map(|(si, step)| StepView {
            name: ctx.text(&step.name).to_string(),
            criterion: ctx.text(&step.criterion).to_string(),
            conditions: (0..stage.conditions.len())
                .filter(|&c| stage.conditions[c].step == Some(si))
                .map(head)
                .collect(),
        })
        .collect();
    let conditions = if stage.steps.is_empty() {
        (0..stage.conditions.len()).map(head).collect()
    } else {
        Vec::new()
    };
    let forms: Vec<(usize, &crate::process::Form)> = process.forms_of(index).collect();
    let rows = ctx
        .data
        .projects
        .iter()
        .enumerate()
        .filter(|(_, p)| p.stage.as_ref().is_some_and(|s| s.value == index))
        .filter(|(_, p)| matches!(p.status(), Status::Active | Status::Paused))
        .map(|(i, p)| {
            let days = ctx.analysis.days_in_stage[i].map_or_else(String::new, |d| d.to_string());
            let rec = p.stage_record(index);
            let cells: Vec<Cell> = (0..stage.conditions.len())
                .map(|c| {
                    let cond = rec.and_then(|r| r.condition(c));
                    let (state, label) = cond_state(ctx, cond.map_or(CondState::Open, |c| c.state));
                    Cell {
                        state,
                        label,
                        reason: text(cond.and_then(|c| c.reason.as_ref())),
                    }
                })
                .collect();
            let attached = forms
                .iter()
                .filter(|(f, _)| rec.is_some_and(|r| r.form(*f).is_some()))
                .count();
            let judged = rec.map_or(0, |r| {
                r.judgements
                    .iter()
                    .filter(|j| j.judgement.is_some())
                    .count()
            });
            MatrixRow {
                project: Link::to(&p.code.value, &urls::project(&p.folder)),
                name: text(p.name.as_ref()),
                status: p.status().id(),
                status_name: ctx.status_name(p.status()),
                met: cells.iter().filter(|c| c.state != "open").count(),
                cells,
                forms: format!("{attached}/{}", forms.len()),
                judgements: format!("{judged}/{}", process.roles.len()),
                actual: rec.is_some_and(|r| r.actual.is_some()),
                days,
                stale: ctx.analysis.stale[i].is_some(),
                flags: flags(ctx, i),
            }
        })
        .collect::<Vec<MatrixRow>>();
    let paused = rows
        .iter()
        .filter(|r| r.status == Status::Paused.id())
        .count();
    let counts = ctx.i18n.format(
        &crate::diag::Msg::new("site.matrix_counts")
            .arg("active", rows.len() - paused)
            .arg("paused", paused),
    );
    StagePage {
        id: stage.id.clone(),
        number: index + 1,
        name: ctx.stage_name(index).to_string(),
        criterion: ctx.text(&stage.criterion).to_string(),
        probability: percent(stage.probability),
        stale_days: stage.stale_days,
        max_days: stage.max_days,
        steps,
        conditions,
        columns,
        forms: forms
            .iter()
            .map(|(_, f)| ctx.text(&f.name).to_string())
            .collect(),
        rows,
        counts,
        previous: index.checked_sub(1).map(|i| ctx.stage_link(i)),
        next: (index + 1 < process.stages.len()).then(|| ctx.stage_link(index + 1)),
    }
}

/// Display columns a derived column label may take: six Chinese
/// characters, or a dozen Latin letters.
const SHORT_COLUMNS: usize = 12;

/// A column label from a condition's text: up to its first comma or
/// bracket (`搜集信息，并完整填写…` → `搜集信息`), cut to
/// [`SHORT_COLUMNS`] at a word's end where there are spaces, with `…`
/// when cut.
fn short_label(text: &str) -> String {
    use unicode_width::UnicodeWidthStr;
    let clause = text
        .split(['，', ',', '、', '；', ';', '：', ':', '（', '(', '。', '.'])
        .next()
        .unwrap_or(text)
        .trim();
    if clause.width() <= SHORT_COLUMNS {
        return clause.to_string();
    }
    let mut cut = String::new();
    for c in clause.chars() {
        if cut.width() + c.to_string().width() > SHORT_COLUMNS {
            break;
        }
        cut.push(c);
    }
    // Latin text ends at a space rather than inside a word.
    if let Some(space) = cut.rfind(' ').filter(|_| clause.contains(' ')) {
        cut.truncate(space);
    }
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::short_label;

    #[test]
    fn a_label_is_the_first_clause_or_its_first_words() {
        assert_eq!(
            short_label("搜集信息，并完整填写项目立项申请表"),
            "搜集信息"
        );
        assert_eq!(short_label("按项目立项流程上报"), "按项目立项流…");
        assert_eq!(short_label("审批通过并执行"), "审批通过并执…");
        assert_eq!(short_label("报价的协商及谈判"), "报价的协商及…");
        assert_eq!(short_label("合同签订，高层互动"), "合同签订");
        assert_eq!(short_label("Approved, and being executed"), "Approved");
        assert_eq!(
            short_label("Reported through the initiation process"),
            "Reported…"
        );
        assert_eq!(short_label("Price agreed"), "Price agreed");
    }
}
