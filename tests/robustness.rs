//! Bad input never panics: arbitrary and mutated records go through load,
//! the rules, every output format and every export, and every finding
//! points inside its file.

use dealbook::diag::{self, human};
use dealbook::i18n::I18n;
use dealbook::load::{self, RepoFiles};
use proptest::prelude::*;

const PROCESS: &str = include_str!("fixtures/three-stage/data/process.toml");
const TEAM: &str = include_str!("fixtures/three-stage/data/team.toml");
const RECORD: &str = include_str!("fixtures/three-stage/content/projects/L-002/project.toml");
const NOTE: &str = include_str!("fixtures/three-stage/content/projects/L-001/notes/first-call.md");

fn run(record: &[u8], note: &[u8]) {
    let mut files = RepoFiles::default();
    files.insert_text("dealbook.toml", "");
    files.insert_text("data/process.toml", PROCESS);
    files.insert_text("data/team.toml", TEAM);
    let p = "content/projects/L-002";
    files.entries.insert(
        format!("{p}/project.toml"),
        load::Entry::Bytes(record.to_vec()),
    );
    files
        .entries
        .insert(format!("{p}/notes/n.md"), load::Entry::Bytes(note.to_vec()));
    let loaded = load::parse(&files).expect("the definitions are fine");
    let report = dealbook::check::run(loaded, jiff::civil::date(2026, 11, 26));
    let i18n = I18n::builtin("zh-CN");
    for f in &report.findings {
        if let (Some(span), Some(file)) = (f.span, report.sources.get(&f.path)) {
            assert!(span.start <= span.end, "{f:?}");
            assert!(span.start <= file.text().len(), "{f:?}");
        }
        let text = human::render(f, &report.sources, &i18n, human::Style::default());
        assert!(text.contains(&format!("[{}]", f.code)));
    }
    diag::json::render(&report.findings, report.projects, &report.sources, &i18n);
    diag::github::render(&report.findings, &report.sources, &i18n);
    if let Some(data) = &report.dataset {
        let today = jiff::civil::date(2026, 11, 26);
        dealbook::export::json::pipeline(data, today);
        dealbook::export::csv::projects(data, i18n.locale());
        dealbook::export::xlsx::workbook(data, &i18n, today).expect("any record makes a workbook");
    }
}

/// The record with one edit: a byte range removed and something inserted.
fn mutate(text: &str, at: usize, cut: usize, insert: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let at = at % (bytes.len() + 1);
    let end = (at + cut).min(bytes.len());
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(insert.as_bytes());
    out.extend_from_slice(&bytes[end..]);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic(record in proptest::collection::vec(any::<u8>(), 0..400),
                                   note in proptest::collection::vec(any::<u8>(), 0..200)) {
        run(&record, &note);
    }

    #[test]
    fn edited_records_never_panic(at in 0usize..1500, cut in 0usize..40,
                                  insert in "[\"=\\[\\]{}.,#\\n a-z0-9_\\-方案]{0,12}") {
        run(&mutate(RECORD, at, cut, &insert), NOTE.as_bytes());
        run(RECORD.as_bytes(), &mutate(NOTE, at, cut, &insert));
    }
}
