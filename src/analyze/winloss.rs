//! Won and lost: by quarter, why and to whom deals were lost, win rates by
//! department, owner, region and amount band, the average deal, and how
//! long deals take. Counted over the projects closed in the current
//! quarter and the three before it, the same span the forecast looks
//! ahead.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::dates::{closed_on, days_between, entered};
use super::funnel::{amount, contract_value};
use crate::model::{Dataset, Project, Status, region_group};
use crate::period::{Quarter, median};

/// The quarters counted: the current one and the three before it.
pub const QUARTERS: usize = 4;

/// Won and lost in one quarter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    pub quarter: Quarter,
    pub won: usize,
    /// Contract values of the won projects.
    pub won_amount: i64,
    pub lost: usize,
    /// Estimated amounts of the lost projects.
    pub lost_amount: i64,
}

/// Lost projects added up by one property (a reason, a competitor).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rollup<K> {
    /// `None`: the records do not say.
    pub key: Option<K>,
    pub count: usize,
    pub amount: i64,
    /// Stage index → how many were lost there.
    pub stages: BTreeMap<usize, usize>,
}

/// Won and lost for one value of a breakdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rate<K> {
    pub key: K,
    pub won: usize,
    pub won_amount: i64,
    pub lost: usize,
}

impl<K> Rate<K> {
    /// Won ÷ (won + lost).
    pub fn rate(&self) -> Option<f64> {
        let closed = self.won + self.lost;
        (closed > 0).then(|| self.won as f64 / closed as f64)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct WinLoss {
    /// Oldest first.
    pub quarters: Vec<Period>,
    /// By loss reason (an index into the process's loss reasons), most
    /// lost first.
    pub reasons: Vec<Rollup<usize>>,
    /// By the competitor who won, most lost first.
    pub competitors: Vec<Rollup<String>>,
    pub by_department: Vec<Rate<String>>,
    /// By owner id.
    pub by_owner: Vec<Rate<String>>,
    /// By province or municipality.
    pub by_region: Vec<Rate<String>>,
    /// By amount band: the index into `[board] amount_bands` of the first
    /// bound above the amount (`bands.len()`: above them all).
    pub by_band: Vec<Rate<usize>>,
    /// The mean contract value of the won projects.
    pub average_won: Option<f64>,
    /// Median days from entering the first stage to winning.
    pub cycle_days: Option<f64>,
    /// How many won projects the cycle time is taken over.
    pub cycle_count: usize,
    /// Per stage: the median days from entering to finishing it, over
    /// every project that finished it.
    pub stage_days: Vec<Option<f64>>,
    /// The closed projects counted, newest first.
    pub closed: Vec<usize>,
}

/// The band an amount falls in: how many bounds it reaches.
pub fn band(bounds: &[i64], amount: i64) -> usize {
    bounds.iter().take_while(|&&b| amount >= b).count()
}

fn rollup<K: Ord + Clone>(
    lost: &[&Project],
    key: impl Fn(&Project) -> Option<K>,
) -> Vec<Rollup<K>> {
    let mut map: BTreeMap<Option<K>, Rollup<K>> = BTreeMap::new();
    for p in lost {
        let k = key(p);
        let r = map.entry(k.clone()).or_insert_with(|| Rollup {
            key: k,
            count: 0,
            amount: 0,
            stages: BTreeMap::new(),
        });
        r.count += 1;
        r.amount += amount(p);
        if let Some(s) = &p.stage {
            *r.stages.entry(s.value).or_default() += 1;
        }
    }
    let mut out: Vec<Rollup<K>> = map.into_values().collect();
    // Most lost first; what the records do not say last.
    out.sort_by(|a, b| {
        (
            a.key.is_none(),
            std::cmp::Reverse(a.count),
            std::cmp::Reverse(a.amount),
        )
            .cmp(&(
                b.key.is_none(),
                std::cmp::Reverse(b.count),
                std::cmp::Reverse(b.amount),
            ))
    });
    out
}

fn rates<K: Ord + Clone>(closed: &[&Project], key: impl Fn(&Project) -> Option<K>) -> Vec<Rate<K>> {
    let mut map: BTreeMap<K, Rate<K>> = BTreeMap::new();
    for p in closed {
        let Some(k) = key(p) else { continue };
        let r = map.entry(k.clone()).or_insert(Rate {
            key: k,
            won: 0,
            won_amount: 0,
            lost: 0,
        });
        if p.status() == Status::Won {
            r.won += 1;
            r.won_amount += contract_value(p);
        } else {
            r.lost += 1;
        }
    }
    map.into_values().collect()
}

/// The day a project entered the first stage its record or history knows.
fn started(data: &Dataset, p: &Project) -> Option<Date> {
    (0..data.process.stages.len()).find_map(|s| entered(data, p, s))
}

pub fn winloss(data: &Dataset, as_of: Date, bands: &[i64]) -> WinLoss {
    let current = Quarter::of(as_of);
    let mut first = current;
    for _ in 1..QUARTERS {
        first = first.previous();
    }
    let quarters = first.run(QUARTERS);
    let mut closed: Vec<(Date, usize)> = data
        .projects
        .iter()
        .enumerate()
        .filter(|(_, p)| p.status().is_closed())
        .filter_map(|(i, p)| Some((closed_on(p)?, i)))
        .filter(|(d, _)| *d <= as_of && Quarter::of(*d) >= first)
        .collect();
    closed.sort_by(|a, b| b.cmp(a));
    let projects: Vec<&Project> = closed.iter().map(|&(_, i)| &data.projects[i]).collect();
    let won: Vec<&Project> = projects
        .iter()
        .copied()
        .filter(|p| p.status() == Status::Won)
        .collect();
    let lost: Vec<&Project> = projects
        .iter()
        .copied()
        .filter(|p| p.status() == Status::Lost)
        .collect();

    let periods = quarters
        .iter()
        .map(|&q| {
            let in_q = |p: &&&Project| closed_on(p).is_some_and(|d| q.contains(d));
            Period {
                quarter: q,
                won: won.iter().filter(in_q).count(),
                won_amount: won.iter().filter(in_q).map(|p| contract_value(p)).sum(),
                lost: lost.iter().filter(in_q).count(),
                lost_amount: lost.iter().filter(in_q).map(|p| amount(p)).sum(),
            }
        })
        .collect();

    let mut cycles: Vec<i64> = won
        .iter()
        .filter_map(|p| Some(days_between(started(data, p)?, closed_on(p)?)))
        .filter(|&d| d >= 0)
        .collect();
    let cycle_count = cycles.len();
    let stage_days = (0..data.process.stages.len())
        .map(|s| {
            let mut days: Vec<i64> = data
                .projects
                .iter()
                .filter_map(|p| {
                    let r = p.stage_record(s)?;
                    Some(days_between(
                        r.entered.as_ref()?.value,
                        r.done.as_ref()?.value,
                    ))
                })
                .filter(|&d| d >= 0)
                .collect();
            median(&mut days)
        })
        .collect();

    let text = |key: &'static str| move |p: &Project| p.header.get(key).map(|v| v.value.clone());
    WinLoss {
        quarters: periods,
        reasons: rollup(&lost, |p| {
            p.outcome.as_ref()?.loss_reason.as_ref().map(|r| r.value)
        }),
        competitors: rollup(&lost, |p| {
            p.outcome
                .as_ref()?
                .competitor
                .as_ref()
                .map(|c| c.value.trim().to_string())
        }),
        by_department: rates(&projects, text("department")),
        by_owner: rates(&projects, |p| {
            let owner = p.owner.as_ref()?;
            Some(
                data.team
                    .find(&owner.value)
                    .map_or_else(|| owner.value.clone(), |x| x.id.value.clone()),
            )
        }),
        by_region: rates(&projects, |p| {
            p.header
                .get("region")
                .map(|r| region_group(&r.value).to_string())
        }),
        by_band: rates(&projects, |p| Some(band(bands, amount(p)))),
        average_won: (!won.is_empty())
            .then(|| won.iter().map(|p| contract_value(p) as f64).sum::<f64>() / won.len() as f64),
        cycle_days: median(&mut cycles),
        cycle_count,
        stage_days,
        closed: closed.into_iter().map(|(_, i)| i).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testing::{Rec, dataset};
    use jiff::civil::date;

    fn closed(code: &str, status: &str, stage: &str, amount: i64, on: &str, extra: &str) -> Rec {
        Rec::new(code)
            .set("owner", "\"li\"")
            .set("department", "\"East\"")
            .set("stage", &format!("\"{stage}\""))
            .set("status", &format!("\"{status}\""))
            .set("amount", &amount.to_string())
            .stage("lead", "2026-01-01", Some("2026-01-11"))
            .table(&format!("[outcome]\ndate = {on}\nreason = \"r\"\n{extra}"))
    }

    #[test]
    fn adds_up_wins_and_losses() {
        let data = dataset(&[
            closed(
                "A",
                "won",
                "signed",
                1_000,
                "2026-03-31",
                "contract_value = 900\n",
            ),
            closed("B", "won", "signed", 5_000_000, "2026-11-20", ""),
            closed(
                "C",
                "lost",
                "proposal",
                2_000,
                "2026-04-01",
                "loss_reason = \"price\"\ncompetitor = \"X\"\n",
            ),
            closed(
                "D",
                "lost",
                "lead",
                3_000,
                "2026-06-30",
                "loss_reason = \"Price\"\ncompetitor = \" X \"\n",
            ),
            closed(
                "E",
                "lost",
                "proposal",
                4_000,
                "2026-07-01",
                "competitor = \"Y\"\n",
            ),
            // Before the four quarters: not counted.
            closed(
                "F",
                "lost",
                "lead",
                9_000,
                "2025-12-31",
                "loss_reason = \"terms\"\n",
            ),
        ]);
        let w = winloss(&data, date(2026, 11, 26), &[1_000_000, 3_000_000]);
        let q: Vec<(String, usize, i64, usize, i64)> = w
            .quarters
            .iter()
            .map(|p| {
                (
                    p.quarter.to_string(),
                    p.won,
                    p.won_amount,
                    p.lost,
                    p.lost_amount,
                )
            })
            .collect();
        assert_eq!(
            q,
            [
                ("2026-Q1".into(), 1, 900, 0, 0),
                ("2026-Q2".into(), 0, 0, 2, 5_000),
                ("2026-Q3".into(), 0, 0, 1, 4_000),
                ("2026-Q4".into(), 1, 5_000_000, 0, 0),
            ]
        );
        // "price" and "Price" (its name) are the same reason; "Y" gave none.
        assert_eq!(w.reasons.len(), 2);
        assert_eq!(
            (w.reasons[0].key, w.reasons[0].count, w.reasons[0].amount),
            (Some(0), 2, 5_000)
        );
        assert_eq!(w.reasons[0].stages, BTreeMap::from([(0, 1), (1, 1)]));
        assert_eq!(w.reasons[1].key, None);
        assert_eq!(w.competitors[0].key.as_deref(), Some("X"));
        assert_eq!(w.competitors[0].count, 2);
        let band: Vec<(usize, usize, usize)> =
            w.by_band.iter().map(|r| (r.key, r.won, r.lost)).collect();
        assert_eq!(band, [(0, 1, 3), (2, 1, 0)]);
        assert_eq!(w.by_owner[0].rate(), Some(0.4));
        assert_eq!(w.average_won, Some(2_500_450.0));
        // Cycle: 01-01 → 03-31 is 89 days, → 11-20 is 323: the median of
        // an even count is the mean of the middle two.
        assert_eq!(w.cycle_count, 2);
        assert_eq!(w.cycle_days, Some(206.0));
        assert_eq!(w.stage_days[0], Some(10.0));
        assert_eq!(w.stage_days[1], None);
        assert_eq!(w.closed.len(), 5);
    }

    #[test]
    fn amounts_fall_into_bands_at_their_bounds() {
        let bounds = [1_000_000, 3_000_000];
        assert_eq!(band(&bounds, 999_999), 0);
        assert_eq!(band(&bounds, 1_000_000), 1);
        assert_eq!(band(&bounds, 3_000_000), 2);
        assert_eq!(band(&[], 5), 0);
    }
}
