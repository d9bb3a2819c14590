//! A whole data repo from one input: the bytes, split at NUL, become the
//! settings, the process, the team and two projects' records, notes and
//! forms; the check runs and every output format is made. Nothing may
//! panic, and every span must lie inside its file.
#![no_main]

use dealbook::diag::{self, human};
use dealbook::i18n::I18n;
use dealbook::load::{self, Entry, RepoFiles};
use libfuzzer_sys::fuzz_target;

const PATHS: &[&str] = &[
    "content/projects/A/project.toml",
    "content/projects/A/notes/n.md",
    "content/projects/A/forms/f.md",
    "dealbook.toml",
    "data/team.toml",
    "data/process.toml",
    "content/projects/B/project.toml",
    "data/i18n/zh-CN.toml",
];

fuzz_target!(|data: &[u8]| {
    let mut files = RepoFiles::default();
    files.insert_text("dealbook.toml", "");
    files.insert_text("data/team.toml", "");
    for (path, bytes) in PATHS.iter().zip(data.split(|&b| b == 0)) {
        files
            .entries
            .insert((*path).to_string(), Entry::Bytes(bytes.to_vec()));
    }
    let Ok(loaded) = load::parse(&files) else {
        return;
    };
    let report = dealbook::check::run(loaded, jiff::civil::date(2026, 11, 26));
    let i18n = I18n::builtin("zh-CN");
    for f in &report.findings {
        if let (Some(span), Some(Entry::Bytes(bytes))) = (f.span, files.get(&f.path)) {
            assert!(span.start <= span.end && span.end <= bytes.len(), "{f:?}");
        }
        human::render(f, &report.sources, &i18n, human::Style::default());
    }
    diag::json::render(&report.findings, report.projects, &report.sources, &i18n);
    diag::github::render(&report.findings, &report.sources, &i18n);
    if let Some(data) = &report.dataset {
        dealbook::export::json::pipeline(data, jiff::civil::date(2026, 11, 26));
    }
});
