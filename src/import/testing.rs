//! Helpers for the import's unit tests: the bundled process and team, and
//! a mapping with a CSV text ready to convert.

use super::bind::{Bound, Named, bind};
use super::convert::{Converted, Converter, RowError, StatusNames};
use super::people::Roster;
use super::table::{Options, Table, read};
use crate::load::toml_reader::FileCx;
use crate::model::Team;
use crate::process::Process;

pub const TODAY: jiff::civil::Date = jiff::civil::date(2026, 11, 29);

pub fn process() -> Process {
    let text = include_str!("../../data/process.toml");
    crate::load::process::parse("data/process.toml", text, &mut Vec::new()).unwrap()
}

pub fn team() -> Team {
    let text = include_str!("../../data/team.toml");
    crate::load::team::parse("data/team.toml", text, &process(), &mut Vec::new())
}

/// A mapping bound to one CSV table.
pub struct Fixture {
    pub process: Process,
    pub team: Team,
    pub table: Table,
    pub bound: Bound,
}

impl Fixture {
    pub fn new(mapping: &str, csv: &str) -> Fixture {
        let process = process();
        let mut findings = Vec::new();
        let m = super::mapping::parse("map.toml", mapping, &process, &mut findings).unwrap();
        assert!(findings.is_empty(), "{findings:?}");
        let table = read("sheet.csv", csv.as_bytes(), &Options::default()).unwrap();
        let main = Named {
            name: "sheet.csv".into(),
            table: &table,
        };
        let mut cx = FileCx::new("map.toml", &mut findings);
        let bound = bind(&m, &main, &[], &mut cx).unwrap();
        assert!(findings.is_empty(), "{findings:?}");
        Fixture {
            team: team(),
            process,
            table,
            bound,
        }
    }

    pub fn converter(&self) -> Converter<'_> {
        Converter {
            bound: &self.bound,
            joins: &[],
            process: &self.process,
            today: TODAY,
            statuses: StatusNames::new(),
        }
    }

    /// Every row converted, and the ids of the people added.
    pub fn convert_all(&self) -> (Vec<Result<Converted, Vec<RowError>>>, Vec<String>) {
        let c = self.converter();
        let mut roster = Roster::new(&self.team);
        let results = self
            .table
            .rows
            .iter()
            .map(|r| c.row(r, &roster).map(|p| p.take(&mut roster)))
            .collect();
        let ids = roster.new_people().iter().map(|p| p.id.clone()).collect();
        (results, ids)
    }
}
