//! Who is ahead and who is behind: for each person, department and
//! region, the pipeline, what was won this year, the notes and visits of
//! the last 30 days, and what is still owed.

use std::collections::BTreeSet;

use jiff::ToSpan;
use jiff::civil::Date;

use super::dates::closed_on;
use super::funnel::{amount, contract_value, weighted};
use super::pending::{Pending, PendingKind};
use crate::model::{Dataset, Note, Project, Status, region_group};

/// The days notes and visits are counted over.
pub const ACTIVITY_DAYS: i64 = 30;

/// The figures of a person or a department.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    /// Projects owned (a person) or in the department.
    pub projects: usize,
    pub active: usize,
    pub pipeline: i64,
    pub weighted: f64,
    /// Won this year, and their contract values.
    pub won: usize,
    pub won_amount: i64,
    /// Lost this year.
    pub lost: usize,
    /// Notes written in the last 30 days, and the visits among them.
    pub notes: usize,
    pub visits: usize,
    /// Entries still to write (actual situations, judgements, follow-ups).
    pub owed: usize,
    /// Next steps and follow-ups whose date has passed.
    pub overdue: usize,
}

impl Figures {
    /// Won ÷ (won + lost) this year.
    pub fn win_rate(&self) -> Option<f64> {
        let closed = self.won + self.lost;
        (closed > 0).then(|| self.won as f64 / closed as f64)
    }

    fn add_project(&mut self, data: &Dataset, p: &Project, year: i16) {
        self.projects += 1;
        match p.status() {
            Status::Active => {
                self.active += 1;
                self.pipeline += amount(p);
                self.weighted += weighted(data, p);
            }
            Status::Won if closed_on(p).is_some_and(|d| d.year() == year) => {
                self.won += 1;
                self.won_amount += contract_value(p);
            }
            Status::Lost if closed_on(p).is_some_and(|d| d.year() == year) => self.lost += 1,
            _ => {}
        }
    }

    fn add_note(&mut self, n: &Note, visit: Option<usize>) {
        self.notes += 1;
        let is_visit = visit.is_some() && n.kind.as_ref().map(|k| k.value) == visit;
        self.visits += usize::from(is_visit);
    }

    fn add_pending(&mut self, item: &Pending) {
        if matches!(
            item.kind,
            PendingKind::OverdueFollowUp | PendingKind::OverdueNextStep
        ) {
            self.overdue += 1;
        } else {
            self.owed += 1;
        }
    }
}

/// The figures of a department or a region.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub name: String,
    pub figures: Figures,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct People {
    /// Per person of the team, in team order.
    pub people: Vec<Figures>,
    /// Departments of the projects, by name.
    pub departments: Vec<Group>,
    /// Regions (province or municipality) of the projects, by name.
    pub regions: Vec<Group>,
    /// The year "won this year" counts.
    pub year: i16,
}

/// Figures of the projects grouped by `key`, by name.
fn groups(
    data: &Dataset,
    as_of: Date,
    pending: &[Pending],
    key: impl Fn(&Project) -> Option<String>,
) -> Vec<Group> {
    let names: BTreeSet<String> = data.projects.iter().filter_map(&key).collect();
    let mut out: Vec<Group> = names
        .into_iter()
        .map(|name| Group {
            name,
            figures: Figures::default(),
        })
        .collect();
    let slots: Vec<Option<usize>> = data
        .projects
        .iter()
        .map(|p| key(p).and_then(|k| out.iter().position(|g| g.name == k)))
        .collect();
    let (since, visit) = window(data, as_of);
    for (p, slot) in data.projects.iter().zip(&slots) {
        let Some(g) = slot.map(|s| &mut out[s].figures) else {
            continue;
        };
        g.add_project(data, p, as_of.year());
        for n in p.notes.iter().filter(|n| recent(n, since, as_of)) {
            g.add_note(n, visit);
        }
    }
    for item in pending {
        if let Some(s) = slots[item.project] {
            out[s].figures.add_pending(item);
        }
    }
    out
}

/// The first day before the activity window, and the visit note kind.
fn window(data: &Dataset, as_of: Date) -> (Date, Option<usize>) {
    let since = as_of.checked_sub(ACTIVITY_DAYS.days()).unwrap_or(as_of);
    (since, data.process.visit_kind())
}

/// Whether a note is dated within (since, as_of].
fn recent(n: &Note, since: Date, as_of: Date) -> bool {
    n.date
        .as_ref()
        .is_some_and(|d| since < d.value && d.value <= as_of)
}

/// The team member a reference names (id or unique name).
fn person(data: &Dataset, key: &str) -> Option<usize> {
    data.team.index_of(key)
}

/// Who wrote a note: its author, else the project's owner.
fn writer(data: &Dataset, p: &Project, n: &Note) -> Option<usize> {
    n.author
        .as_ref()
        .or(p.owner.as_ref())
        .and_then(|a| person(data, &a.value))
}

pub fn people(data: &Dataset, as_of: Date, pending: &[Pending]) -> People {
    let year = as_of.year();
    let (since, visit) = window(data, as_of);
    let mut people = vec![Figures::default(); data.team.people.len()];
    for p in &data.projects {
        if let Some(o) = p.owner.as_ref().and_then(|o| person(data, &o.value)) {
            people[o].add_project(data, p, year);
        }
        for n in p.notes.iter().filter(|n| recent(n, since, as_of)) {
            if let Some(w) = writer(data, p, n) {
                people[w].add_note(n, visit);
            }
        }
    }
    for item in pending {
        for &who in &item.people {
            if let Some(f) = people.get_mut(who) {
                f.add_pending(item);
            }
        }
    }
    People {
        people,
        departments: groups(data, as_of, pending, |p| {
            p.header.get("department").map(|d| d.value.clone())
        }),
        regions: groups(data, as_of, pending, |p| {
            p.header
                .get("region")
                .map(|r| region_group(&r.value).to_string())
        }),
        year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testing::{Rec, dataset, record};
    use jiff::civil::date;

    #[test]
    fn counts_each_persons_pipeline_and_activity() {
        let data = dataset(&[
            record(
                "A",
                "proposal",
                1000,
                "2027-01-10",
                "2026-12-01",
                "2026-11-01",
            )
            .note("2026-11-20", "visit", "li")
            .note("2026-11-21", "call", "wang")
            // 30 days before the as-of date: outside the window.
            .note("2026-10-27", "visit", "li"),
            Rec::new("B")
                .set("owner", "\"wang\"")
                .set("department", "\"West\"")
                .set("stage", "\"lead\"")
                .set("status", "\"lost\"")
                .set("amount", "500")
                .stage("lead", "2026-01-01", None)
                .table("[outcome]\ndate = 2026-05-01\nreason = \"r\"\n"),
        ]);
        let as_of = date(2026, 11, 26);
        let pending = crate::analyze::pending::pending(&data, as_of);
        let f = people(&data, as_of, &pending);
        let li = &f.people[0];
        assert_eq!((li.projects, li.active, li.pipeline), (1, 1, 1000));
        assert_eq!(li.weighted, 500.0);
        assert_eq!((li.notes, li.visits), (1, 1));
        assert!(li.owed > 0, "the current stage's entries are owed");
        assert_eq!(li.overdue, 0);
        let wang = &f.people[1];
        assert_eq!((wang.lost, wang.notes, wang.visits), (1, 1, 0));
        assert_eq!(wang.win_rate(), Some(0.0));
        let names: Vec<&str> = f.departments.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["East", "West"]);
        assert_eq!(
            (
                f.departments[0].figures.notes,
                f.departments[0].figures.visits
            ),
            (2, 1)
        );
        assert_eq!(f.regions.len(), 1);
        assert_eq!(f.regions[0].figures.projects, 2);
    }
}
