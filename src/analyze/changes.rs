//! What changed in the last seven days: projects new, advanced, slipped,
//! won and lost (from Git history, else from the records' own dates),
//! amount and expected-close changes (from history only: a record does
//! not remember its old amount), and the notes written and visits made,
//! which need no history at all.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::analyze::trends::{self, Track};
use crate::model::Dataset;
use crate::model::timeline::EventKind;

/// The days "this week" looks back.
pub const DAYS: i64 = 7;

/// How a project moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MoveKind {
    New,
    Advanced,
    Slipped,
    Won,
    Lost,
}

impl MoveKind {
    pub const ALL: [MoveKind; 5] = [
        MoveKind::New,
        MoveKind::Advanced,
        MoveKind::Slipped,
        MoveKind::Won,
        MoveKind::Lost,
    ];

    pub fn id(self) -> &'static str {
        match self {
            MoveKind::New => "new",
            MoveKind::Advanced => "advanced",
            MoveKind::Slipped => "slipped",
            MoveKind::Won => "won",
            MoveKind::Lost => "lost",
        }
    }
}

/// A project that moved, and the day it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    pub kind: MoveKind,
    pub folder: String,
    pub date: Date,
}

/// A value of a record that changed, from history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed<T> {
    pub folder: String,
    pub date: Date,
    pub from: Option<T>,
    pub to: Option<T>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeekChanges {
    /// Changes after the end of this day count.
    pub since: Date,
    pub until: Date,
    /// By kind, then folder.
    pub moves: Vec<Move>,
    pub amounts: Vec<Changed<i64>>,
    pub closes: Vec<Changed<Date>>,
    /// (project, index into its notes), newest first.
    pub notes: Vec<(usize, usize)>,
    /// Notes among them whose kind is a visit.
    pub visits: usize,
    /// Whether moves come from Git history (else from the records' dates,
    /// and amount and close changes are unknown).
    pub from_history: bool,
}

impl WeekChanges {
    pub fn of(&self, kind: MoveKind) -> impl Iterator<Item = &Move> {
        self.moves.iter().filter(move |m| m.kind == kind)
    }
}

/// The last day a track changed within (since, until].
fn changed_on(track: &Track, since: Date, until: Date) -> Date {
    track
        .states
        .iter()
        .map(|(d, _)| *d)
        .filter(|&d| since < d && d <= until)
        .max()
        .unwrap_or(until)
}

pub fn changes(data: &Dataset, tracks: &[Track], as_of: Date) -> WeekChanges {
    let since = as_of.checked_sub(DAYS.days()).unwrap_or(as_of);
    let c = trends::changes(tracks, since, as_of);
    let date_of = |folder: &String| {
        tracks
            .iter()
            .find(|t| &t.folder == folder)
            .map_or(as_of, |t| changed_on(t, since, as_of))
    };
    let mut moves = Vec::new();
    for (kind, folders) in [
        (MoveKind::New, &c.new),
        (MoveKind::Advanced, &c.advanced),
        (MoveKind::Slipped, &c.slipped),
        (MoveKind::Won, &c.won),
        (MoveKind::Lost, &c.lost),
    ] {
        moves.extend(folders.iter().map(|f| Move {
            kind,
            folder: f.clone(),
            date: date_of(f),
        }));
    }

    let mut amounts = Vec::new();
    let mut closes = Vec::new();
    if let Some(t) = &data.history {
        for (folder, pt) in &t.projects {
            for e in &pt.events {
                let date = t.commits[e.commit].committed;
                if date <= since || date > as_of {
                    continue;
                }
                match &e.kind {
                    EventKind::AmountChanged { from, to } => amounts.push(Changed {
                        folder: folder.clone(),
                        date,
                        from: *from,
                        to: *to,
                    }),
                    EventKind::CloseChanged { from, to } => closes.push(Changed {
                        folder: folder.clone(),
                        date,
                        from: *from,
                        to: *to,
                    }),
                    _ => {}
                }
            }
        }
    }

    let visit = data.process.visit_kind();
    let mut notes: Vec<(Date, usize, usize)> = Vec::new();
    let mut visits = 0;
    for (pi, p) in data.projects.iter().enumerate() {
        for (ni, n) in p.notes.iter().enumerate() {
            let Some(date) = n.date.as_ref().map(|d| d.value) else {
                continue;
            };
            if since < date && date <= as_of {
                notes.push((date, pi, ni));
                if visit.is_some() && n.kind.as_ref().map(|k| k.value) == visit {
                    visits += 1;
                }
            }
        }
    }
    notes.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    WeekChanges {
        since,
        until: as_of,
        moves,
        amounts,
        closes,
        notes: notes.into_iter().map(|(_, p, n)| (p, n)).collect(),
        visits,
        from_history: data.history.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::testing::{Rec, dataset, record};
    use jiff::civil::date;

    #[test]
    fn notes_and_visits_count_without_history() {
        let data = dataset(&[
            record(
                "A",
                "proposal",
                1000,
                "2027-01-10",
                "2026-12-01",
                "2026-11-24",
            )
            .stage("lead", "2026-11-01", Some("2026-11-24"))
            .note("2026-11-20", "visit", "li")
            .note("2026-11-26", "call", "li")
            // The end of the day a week ago: last week.
            .note("2026-11-19", "visit", "li"),
            Rec::new("B")
                .set("owner", "\"li\"")
                .set("stage", "\"lead\"")
                .set("status", "\"active\"")
                .stage("lead", "2026-11-25", None),
        ]);
        let as_of = date(2026, 11, 26);
        let tracks = trends::tracks(&data);
        let c = changes(&data, &tracks, as_of);
        assert_eq!(c.since, date(2026, 11, 19));
        assert_eq!(c.notes.len(), 2);
        let first = &data.projects[0].notes[c.notes[0].1];
        assert_eq!(first.date.as_ref().unwrap().value, as_of, "newest first");
        assert_eq!(c.visits, 1);
        let moves: Vec<(MoveKind, &str, Date)> = c
            .moves
            .iter()
            .map(|m| (m.kind, m.folder.as_str(), m.date))
            .collect();
        assert_eq!(
            moves,
            [
                (MoveKind::New, "B", date(2026, 11, 25)),
                (MoveKind::Advanced, "A", date(2026, 11, 24)),
            ]
        );
        assert!(!c.from_history && c.amounts.is_empty());
    }
}
