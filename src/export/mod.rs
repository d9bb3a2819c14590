//! Exports: the dataset as files for other tools. Pure: each builder takes
//! the data, the as-of date or the locale, and returns bytes. The site
//! serves two of them (`pipeline.json`, `pipeline.csv`); `dealbook export`
//! writes one of JSON, CSV (with every stage's columns) or an Excel
//! workbook (`xlsx`).

pub mod csv;
pub mod json;
pub mod sheet_name;
pub mod xlsx;

use crate::process::Process;
use crate::span::Sp;

/// A stage's name in `locale`.
fn stage_name<'a>(process: &'a Process, stage: usize, locale: &str) -> &'a str {
    process.text(&process.stages[stage].name, locale)
}

/// The text of an optional value, empty when absent.
fn text(v: Option<&Sp<String>>) -> &str {
    v.map_or("", |s| s.value.as_str())
}
