//! `dealbook import`: a spreadsheet of projects (CSV or a workbook) →
//! records, through a mapping file that says which column is which field.
//!
//! The steps follow the data, each pure and tested on its own:
//! `mapping` and `spec` (the mapping file → typed mapping, with located
//! findings), `table` (file bytes → titles and numbered rows), `bind`
//! (mapping + tables → resolved columns), `convert` (a row → typed record
//! values or row errors), `people` (names → team members, or new people
//! and the `team.toml` lines to add), `plan` (rows against the repo:
//! create, update, unchanged, refused), `diff` (what an existing record
//! says otherwise), `update` (changing an existing record in place),
//! `report` (what the command prints), `write` (the one place the import
//! writes files). `cmd/import` reads the files and prints.

pub mod bind;
pub mod convert;
pub mod diff;
pub mod field;
pub mod mapping;
pub mod people;
pub mod plan;
pub mod report;
pub mod spec;
pub mod table;
pub mod update;
pub mod write;

#[cfg(test)]
pub(crate) mod testing;
