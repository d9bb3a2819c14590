//! The pipeline week by week and what changed in the last week. Each
//! project's track (its stage, status and amount over time) comes from Git
//! history when the repo has it, else from the dates in its record
//! (`entered` of each stage, the outcome date). Pure.

use jiff::ToSpan;
use jiff::civil::Date;

use super::dates::closed_on;
use crate::model::{Dataset, Project, Status};

/// Where a project stood from a date on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct State {
    pub exists: bool,
    pub stage: Option<usize>,
    pub status: Status,
    pub amount: i64,
}

/// A project's states over time, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Track {
    pub folder: String,
    pub states: Vec<(Date, State)>,
}

impl Track {
    /// The state at the end of `date`.
    pub fn at(&self, date: Date) -> Option<State> {
        self.states
            .iter()
            .take_while(|(d, _)| *d <= date)
            .last()
            .map(|(_, s)| *s)
            .filter(|s| s.exists)
    }
}

/// The pipeline at the end of one week: active projects and their amounts
/// per stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Week {
    pub end: Date,
    pub counts: Vec<usize>,
    pub amounts: Vec<i64>,
}

/// Projects (by folder) that moved in a period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub new: Vec<String>,
    pub advanced: Vec<String>,
    pub slipped: Vec<String>,
    pub won: Vec<String>,
    pub lost: Vec<String>,
}

/// A project's track from its record's dates.
fn from_record(p: &Project) -> Vec<(Date, State)> {
    let amount = p.amount.as_ref().map_or(0, |a| a.value.max(0));
    let mut states: Vec<(Date, State)> = p
        .stages
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((r.as_ref()?.entered.as_ref()?.value, i)))
        .map(|(date, stage)| {
            (
                date,
                State {
                    exists: true,
                    stage: Some(stage),
                    status: Status::Active,
                    amount,
                },
            )
        })
        .collect();
    if p.status() != Status::Active
        && let Some(date) = closed_on(p)
    {
        states.push((
            date,
            State {
                exists: true,
                stage: p.stage.as_ref().map(|s| s.value),
                status: p.status(),
                amount,
            },
        ));
    }
    states.sort_by_key(|(d, s)| (*d, s.stage));
    states
}

/// Every project's track: from history where there is one (records
/// deleted since included: they were in the pipeline then), else from
/// its record.
pub fn tracks(data: &Dataset) -> Vec<Track> {
    let mut out: Vec<Track> = Vec::new();
    if let Some(t) = &data.history {
        for (folder, pt) in &t.projects {
            // What the main line said, from the day each change landed.
            let mut states: Vec<(Date, State)> = pt
                .states
                .iter()
                .map(|s| {
                    (
                        t.commits[s.commit].committed,
                        State {
                            exists: s.exists,
                            stage: s.stage,
                            status: s.status,
                            amount: s.amount,
                        },
                    )
                })
                .collect();
            states.sort_by_key(|(d, _)| *d);
            if !states.is_empty() {
                out.push(Track {
                    folder: folder.clone(),
                    states,
                });
            }
        }
    }
    let tracked: std::collections::HashSet<String> = out.iter().map(|t| t.folder.clone()).collect();
    for p in data
        .projects
        .iter()
        .filter(|p| !tracked.contains(&p.folder))
    {
        let states = from_record(p);
        if !states.is_empty() {
            out.push(Track {
                folder: p.folder.clone(),
                states,
            });
        }
    }
    out.sort_by(|a, b| a.folder.cmp(&b.folder));
    out
}

/// The last `n` weeks ending on `as_of`, oldest first.
pub fn weeks(tracks: &[Track], stages: usize, as_of: Date, n: usize) -> Vec<Week> {
    (0..n)
        .rev()
        .map(|k| {
            let end = as_of.checked_sub((7 * k as i64).days()).unwrap_or(as_of);
            let mut week = Week {
                end,
                counts: vec![0; stages],
                amounts: vec![0; stages],
            };
            for t in tracks {
                if let Some(s) = t.at(end)
                    && s.status == Status::Active
                    && let Some(stage) = s.stage.filter(|&x| x < stages)
                {
                    week.counts[stage] += 1;
                    week.amounts[stage] += s.amount;
                }
            }
            week
        })
        .collect()
}

/// What changed between the end of `since` and the end of `until`.
pub fn changes(tracks: &[Track], since: Date, until: Date) -> Changes {
    let mut c = Changes::default();
    for t in tracks {
        let Some(now) = t.at(until) else { continue };
        let folder = t.folder.clone();
        match t.at(since) {
            None => c.new.push(folder),
            Some(then) => {
                if now.status == Status::Won && then.status != Status::Won {
                    c.won.push(folder);
                } else if now.status == Status::Lost && then.status != Status::Lost {
                    c.lost.push(folder);
                } else if let (Some(a), Some(b)) = (then.stage, now.stage) {
                    if b > a {
                        c.advanced.push(folder);
                    } else if b < a {
                        c.slipped.push(folder);
                    }
                }
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn state(stage: usize, status: Status) -> State {
        State {
            exists: true,
            stage: Some(stage),
            status,
            amount: 100,
        }
    }

    fn tracks() -> Vec<Track> {
        vec![
            Track {
                folder: "A".into(),
                states: vec![
                    (date(2026, 1, 1), state(0, Status::Active)),
                    (date(2026, 1, 10), state(1, Status::Active)),
                ],
            },
            Track {
                folder: "B".into(),
                states: vec![
                    (date(2026, 1, 2), state(2, Status::Active)),
                    (date(2026, 1, 9), state(1, Status::Active)),
                ],
            },
            Track {
                folder: "C".into(),
                states: vec![(date(2026, 1, 12), state(0, Status::Active))],
            },
            Track {
                folder: "D".into(),
                states: vec![
                    (date(2026, 1, 1), state(2, Status::Active)),
                    (date(2026, 1, 11), state(2, Status::Won)),
                ],
            },
        ]
    }

    #[test]
    fn weeks_count_active_projects_per_stage() {
        let w = weeks(&tracks(), 3, date(2026, 1, 14), 2);
        assert_eq!(w[0].end, date(2026, 1, 7));
        assert_eq!(w[0].counts, vec![1, 0, 2]);
        assert_eq!(w[1].counts, vec![1, 2, 0]);
        assert_eq!(w[1].amounts, vec![100, 200, 0]);
    }

    #[test]
    fn changes_over_a_week() {
        let c = changes(&tracks(), date(2026, 1, 7), date(2026, 1, 14));
        assert_eq!(c.new, ["C"]);
        assert_eq!(c.advanced, ["A"]);
        assert_eq!(c.slipped, ["B"]);
        assert_eq!(c.won, ["D"]);
        assert!(c.lost.is_empty());
    }
}
