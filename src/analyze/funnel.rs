//! The pipeline in numbers: projects and amounts per stage, the weighted
//! pipeline, stage-to-stage conversion, and this year's wins and losses.

use jiff::civil::Date;

use super::dates::closed_on;
use crate::model::{Dataset, Project, Status};

/// Figures of one stage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StageFigures {
    /// Active projects now in this stage.
    pub active: usize,
    /// Their estimated amounts.
    pub amount: i64,
    /// Amount × the stage's win probability.
    pub weighted: f64,
    /// Projects of any status that reached this stage (won ones reached all).
    pub reached: usize,
    /// Share of those that reached the next stage; none for the last stage.
    pub conversion: Option<f64>,
}

/// Figures of the whole pipeline.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Totals {
    pub active: usize,
    pub paused: usize,
    pub pipeline_amount: i64,
    pub weighted_amount: f64,
    /// The calendar year "this year" refers to.
    pub year: i16,
    pub won: usize,
    pub won_amount: i64,
    pub lost: usize,
    /// Won ÷ (won + lost) this year.
    pub win_rate: Option<f64>,
}

pub fn stages(data: &Dataset) -> Vec<StageFigures> {
    let n = data.process.stages.len();
    let mut out = vec![StageFigures::default(); n];
    for p in &data.projects {
        let Some(stage) = p.stage.as_ref().map(|s| s.value) else {
            continue;
        };
        let reached = if p.status() == Status::Won {
            n - 1
        } else {
            stage
        };
        for figures in &mut out[..=reached] {
            figures.reached += 1;
        }
        if p.status() == Status::Active {
            let f = &mut out[stage];
            f.active += 1;
            f.amount += amount(p);
            f.weighted += weighted(data, p);
        }
    }
    for i in 0..n.saturating_sub(1) {
        let (this, next) = (out[i].reached, out[i + 1].reached);
        out[i].conversion = (this > 0).then(|| next as f64 / this as f64);
    }
    out
}

pub fn totals(data: &Dataset, stages: &[StageFigures], as_of: Date) -> Totals {
    let year = as_of.year();
    let this_year = |p: &&Project| closed_on(p).is_some_and(|d| d.year() == year);
    let won: Vec<&Project> = data
        .projects
        .iter()
        .filter(|p| p.status() == Status::Won)
        .filter(this_year)
        .collect();
    let lost = data
        .projects
        .iter()
        .filter(|p| p.status() == Status::Lost)
        .filter(this_year)
        .count();
    let closed = won.len() + lost;
    Totals {
        active: stages.iter().map(|s| s.active).sum(),
        paused: data
            .projects
            .iter()
            .filter(|p| p.status() == Status::Paused)
            .count(),
        pipeline_amount: stages.iter().map(|s| s.amount).sum(),
        weighted_amount: stages.iter().map(|s| s.weighted).sum(),
        year,
        won: won.len(),
        won_amount: won.iter().map(|p| contract_value(p)).sum(),
        lost,
        win_rate: (closed > 0).then(|| won.len() as f64 / closed as f64),
    }
}

/// What an active project adds to the weighted pipeline: its amount ×
/// its stage's win probability. The last stage counts at its own
/// probability too: a deal is certain only once it is closed as won.
pub fn weighted(data: &Dataset, p: &Project) -> f64 {
    if p.status() != Status::Active {
        return 0.0;
    }
    p.stage.as_ref().map_or(0.0, |s| {
        amount(p) as f64 * data.process.stages[s.value].probability
    })
}

/// The estimated amount, 0 when not given.
pub fn amount(p: &Project) -> i64 {
    p.amount.as_ref().map_or(0, |a| a.value.max(0))
}

/// What a won project is worth: its contract value, else its estimate.
pub fn contract_value(p: &Project) -> i64 {
    p.outcome
        .as_ref()
        .and_then(|o| o.contract_value.as_ref())
        .map_or_else(|| amount(p), |v| v.value.max(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testing::{Rec, dataset, record};

    #[test]
    fn the_last_stage_counts_at_its_probability_until_won() {
        let data = dataset(&[
            record(
                "A",
                "signed",
                1000,
                "2026-12-01",
                "2026-11-01",
                "2026-10-01",
            ),
            Rec::new("B")
                .set("owner", "\"li\"")
                .set("stage", "\"signed\"")
                .set("status", "\"won\"")
                .set("amount", "2000")
                .stage("signed", "2026-09-01", Some("2026-09-20"))
                .table("[outcome]\ndate = 2026-09-20\nreason = \"x\"\ncontract_value = 1800\n"),
        ]);
        assert_eq!(weighted(&data, &data.projects[0]), 900.0);
        assert_eq!(weighted(&data, &data.projects[1]), 0.0, "won: not pipeline");
        let s = stages(&data);
        assert_eq!(s[2].weighted, 900.0);
        let t = totals(&data, &s, jiff::civil::date(2026, 11, 1));
        assert_eq!(t.weighted_amount, 900.0);
        assert_eq!(
            t.won_amount, 1800,
            "a won project counts its contract value"
        );
    }
}
