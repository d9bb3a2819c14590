//! One record against the bundled process and team: loaded, checked,
//! reported and exported (JSON, CSV, the workbook) without a panic, with
//! the report bounded by the input's size.
#![no_main]

use dealbook::diag::{self, human};
use dealbook::i18n::I18n;
use dealbook::load::{self, Entry, RepoFiles};
use libfuzzer_sys::fuzz_target;

const TEAM: &str = include_str!("../../data/team.toml");

fuzz_target!(|data: &[u8]| {
    let mut files = RepoFiles::default();
    files.insert_text("dealbook.toml", "");
    files.insert_text("data/team.toml", TEAM);
    files.entries.insert(
        "content/projects/HZ-2026-001/project.toml".into(),
        Entry::Bytes(data.to_vec()),
    );
    let loaded = load::parse(&files).expect("the built-in process loads");
    let report = dealbook::check::run(loaded, jiff::civil::date(2026, 11, 26));
    let i18n = I18n::builtin("en");
    let mut out = 0;
    for f in &report.findings {
        out += human::render(f, &report.sources, &i18n, human::Style::default()).len();
    }
    out += diag::json::render(&report.findings, report.projects, &report.sources, &i18n).len();
    assert!(
        out <= 40_000 + 200 * data.len(),
        "{out} bytes of report for {}",
        data.len()
    );
    if let Some(data) = &report.dataset {
        let today = jiff::civil::date(2026, 11, 26);
        dealbook::export::json::pipeline(data, today);
        dealbook::export::csv::projects(data, i18n.locale());
        let _ = dealbook::export::xlsx::workbook(data, &i18n, today);
    }
});
