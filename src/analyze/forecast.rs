//! The forecast: when active projects are expected to close, by month and
//! by quarter for the current quarter and the three after it, weighted by
//! each stage's win probability; and, against the targets of
//! `dealbook.toml`, what has been won so far in each quarter.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;

use super::dates::closed_on;
use super::funnel::{amount, contract_value, weighted};
use crate::config::Targets;
use crate::model::{Dataset, Project, Status};
use crate::period::{Month, Quarter};

/// The quarters the forecast looks at: the current one and three more.
pub const QUARTERS: usize = 4;

/// Count, amount and weighted amount of a set of open projects.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Bucket {
    pub count: usize,
    pub amount: i64,
    pub weighted: f64,
}

impl Bucket {
    fn add(&mut self, data: &Dataset, p: &Project) {
        self.count += 1;
        self.amount += amount(p);
        self.weighted += weighted(data, p);
    }
}

/// One quarter: what is expected to close, what was won, the target.
#[derive(Clone, Debug, PartialEq)]
pub struct QuarterFigures {
    pub quarter: Quarter,
    /// Active projects expected to close in it.
    pub open: Bucket,
    /// Projects won in it.
    pub won: usize,
    /// Their contract values.
    pub won_amount: i64,
    pub target: Option<i64>,
}

impl QuarterFigures {
    fn new(quarter: Quarter, target: Option<i64>) -> Self {
        QuarterFigures {
            quarter,
            open: Bucket::default(),
            won: 0,
            won_amount: 0,
            target,
        }
    }

    /// Won so far ÷ target, when there is a target above 0.
    pub fn attainment(&self) -> Option<f64> {
        self.target
            .filter(|&t| t > 0)
            .map(|t| self.won_amount as f64 / t as f64)
    }
}

/// One department's quarters.
#[derive(Clone, Debug, PartialEq)]
pub struct DepartmentForecast {
    pub name: String,
    pub quarters: Vec<QuarterFigures>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Forecast {
    pub quarters: Vec<QuarterFigures>,
    /// The months of those quarters, in order.
    pub months: Vec<(Month, Bucket)>,
    /// Departments with projects or targets, by name.
    pub departments: Vec<DepartmentForecast>,
    /// Active projects expected to close before the first quarter.
    pub earlier: Bucket,
    /// … after the last quarter.
    pub later: Bucket,
    /// … without an expected close date.
    pub undated: Bucket,
    /// Active projects expected to close in the quarters, soonest first.
    pub projects: Vec<usize>,
}

fn department(p: &Project) -> Option<&str> {
    p.header.get("department").map(|d| d.value.as_str())
}

pub fn forecast(data: &Dataset, as_of: Date, targets: &Targets) -> Forecast {
    let quarters = Quarter::of(as_of).run(QUARTERS);
    let (first, last) = (quarters[0], quarters[QUARTERS - 1]);
    let row = |t: &BTreeMap<Quarter, i64>| -> Vec<QuarterFigures> {
        quarters
            .iter()
            .map(|&q| QuarterFigures::new(q, t.get(&q).copied()))
            .collect()
    };
    let mut f = Forecast {
        quarters: row(&targets.total),
        months: quarters
            .iter()
            .flat_map(|q| q.months())
            .map(|m| (m, Bucket::default()))
            .collect(),
        ..Forecast::default()
    };
    let names: BTreeSet<&str> = data
        .projects
        .iter()
        .filter_map(department)
        .chain(targets.departments.keys().map(String::as_str))
        .collect();
    let none = BTreeMap::new();
    let mut departments: BTreeMap<&str, Vec<QuarterFigures>> = names
        .into_iter()
        .map(|d| (d, row(targets.departments.get(d).unwrap_or(&none))))
        .collect();
    let slot = |q: Quarter| quarters.iter().position(|&x| x == q);

    let mut dated: Vec<(Date, usize)> = Vec::new();
    for (i, p) in data.projects.iter().enumerate() {
        match p.status() {
            Status::Active => {
                let Some(close) = p.expected_close.as_ref().map(|d| d.value) else {
                    f.undated.add(data, p);
                    continue;
                };
                let q = Quarter::of(close);
                if q < first {
                    f.earlier.add(data, p);
                } else if q > last {
                    f.later.add(data, p);
                } else if let Some(k) = slot(q) {
                    f.quarters[k].open.add(data, p);
                    if let Some(d) = department(p).and_then(|d| departments.get_mut(d)) {
                        d[k].open.add(data, p);
                    }
                    if let Some(m) = f.months.iter_mut().find(|(m, _)| *m == Month::of(close)) {
                        m.1.add(data, p);
                    }
                    dated.push((close, i));
                }
            }
            Status::Won => {
                let Some(k) = closed_on(p).and_then(|d| slot(Quarter::of(d))) else {
                    continue;
                };
                let value = contract_value(p);
                f.quarters[k].won += 1;
                f.quarters[k].won_amount += value;
                if let Some(d) = department(p).and_then(|d| departments.get_mut(d)) {
                    d[k].won += 1;
                    d[k].won_amount += value;
                }
            }
            Status::Lost | Status::Paused => {}
        }
    }
    dated.sort();
    f.projects = dated.into_iter().map(|(_, i)| i).collect();
    f.departments = departments
        .into_iter()
        .map(|(name, quarters)| DepartmentForecast {
            name: name.to_string(),
            quarters,
        })
        .collect();
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testing::{Rec, dataset, record};
    use jiff::civil::date;

    #[test]
    fn closes_fall_into_their_quarter_at_the_boundaries() {
        let data = dataset(&[
            // The last day of the current quarter, in the last stage.
            record(
                "A",
                "signed",
                1000,
                "2026-12-31",
                "2026-12-01",
                "2026-11-01",
            ),
            // The first day of the next one.
            record(
                "B",
                "proposal",
                2000,
                "2027-01-01",
                "2026-12-01",
                "2026-11-01",
            ),
            // The last day of the fourth quarter, and the day after.
            record("C", "lead", 3000, "2027-09-30", "2026-12-01", "2026-11-01"),
            record("D", "lead", 4000, "2027-10-01", "2026-12-01", "2026-11-01"),
            // Before the current quarter.
            record("E", "lead", 500, "2026-09-30", "2026-12-01", "2026-11-01"),
            Rec::new("F")
                .set("owner", "\"li\"")
                .set("department", "\"East\"")
                .set("stage", "\"signed\"")
                .set("status", "\"won\"")
                .set("amount", "800")
                .stage("signed", "2026-10-01", Some("2026-10-02"))
                .table("[outcome]\ndate = 2026-10-02\nreason = \"x\"\ncontract_value = 750\n"),
        ]);
        let mut targets = Targets::default();
        let q4 = Quarter::parse("2026-Q4").unwrap();
        targets.total.insert(q4, 3000);
        targets
            .departments
            .insert("North".into(), BTreeMap::from([(q4, 100)]));
        let f = forecast(&data, date(2026, 11, 26), &targets);
        let open: Vec<(String, usize, i64)> = f
            .quarters
            .iter()
            .map(|q| (q.quarter.to_string(), q.open.count, q.open.amount))
            .collect();
        assert_eq!(
            open,
            [
                ("2026-Q4".into(), 1, 1000),
                ("2027-Q1".into(), 1, 2000),
                ("2027-Q2".into(), 0, 0),
                ("2027-Q3".into(), 1, 3000),
            ]
        );
        // 签约 counts at 0.9, not 1.0.
        assert_eq!(f.quarters[0].open.weighted, 900.0);
        assert_eq!((f.quarters[0].won, f.quarters[0].won_amount), (1, 750));
        assert_eq!(f.quarters[0].attainment(), Some(0.25));
        assert_eq!(f.quarters[1].attainment(), None);
        assert_eq!((f.earlier.count, f.later.count), (1, 1));
        assert_eq!(f.months.len(), 12);
        assert_eq!(f.months[2].0.to_string(), "2026-12");
        assert_eq!(f.months[2].1.amount, 1000);
        assert_eq!(f.projects, [0, 1, 2]);
        let names: Vec<&str> = f.departments.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["East", "North"], "a target's department is listed");
        assert_eq!(f.departments[0].quarters[0].won_amount, 750);
        assert_eq!(f.departments[1].quarters[0].target, Some(100));
    }
}
