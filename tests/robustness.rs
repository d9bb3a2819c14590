//! Bad input never panics: arbitrary and mutated records, notes and
//! judgement files go through load, the rules, every output format and
//! every export, and every finding points inside its file.

use dealbook::diag::{self, human};
use dealbook::i18n::I18n;
use dealbook::load::{self, RepoFiles};
use proptest::prelude::*;

const PROCESS: &str = include_str!("fixtures/three-stage/data/process.toml");
const TEAM: &str = include_str!("fixtures/three-stage/data/team.toml");
const RECORD: &str = include_str!("fixtures/three-stage/content/projects/L-002/project.toml");
const NOTE: &str = include_str!("fixtures/three-stage/content/projects/L-001/notes/first-call.md");
const JUDGEMENT: &str = "+++\nby = \"bo\"\ndate = 2026-10-01\ndue = 2026-12-01\n+++\n\n## Judgement\n\nGood fit.\n\n## 跟进措施\n\nCall them.\n";

/// Checks a repo whose L-002 has `record`, a note `note` and the lead's
/// judgement file of `qualify`, asserting what must hold for any input;
/// returns the report's human output.
fn run(record: &[u8], note: &[u8]) -> String {
    run3(record, note, JUDGEMENT.as_bytes())
}

fn run3(record: &[u8], note: &[u8], judgement: &[u8]) -> String {
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
    files.entries.insert(
        format!("{p}/judgements/qualify.lead.md"),
        load::Entry::Bytes(judgement.to_vec()),
    );
    let loaded = load::parse(&files).expect("the definitions are fine");
    let report = dealbook::check::run(loaded, jiff::civil::date(2026, 11, 26));
    let i18n = I18n::builtin("zh-CN");
    let mut human_out = String::new();
    for f in &report.findings {
        if let Some(span) = f.span {
            // Offsets into the file as it is on disk.
            let Some(load::Entry::Bytes(bytes)) = files.get(&f.path) else {
                panic!("a span into a file that was not read: {f:?}");
            };
            assert!(span.start <= span.end && span.end <= bytes.len(), "{f:?}");
            if let Ok(text) = std::str::from_utf8(bytes) {
                assert!(
                    text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                    "{f:?}"
                );
                // An unknown key's span is the key as written.
                if f.code == "unknown-key"
                    && let Some((_, diag::Arg::Text(key))) =
                        f.message.args.iter().find(|(n, _)| *n == "key")
                {
                    assert_eq!(
                        text[span.start..span.end].trim_matches(['"', '\'']),
                        key,
                        "{f:?}"
                    );
                }
            }
        }
        let text = human::render(f, &report.sources, &i18n, human::Style::default());
        assert!(text.contains(&format!("[{}]", f.code)));
        human_out.push_str(&text);
    }
    let json = diag::json::render(&report.findings, report.projects, &report.sources, &i18n);
    // The report grows at most linearly with the input.
    let input = record.len() + note.len() + judgement.len();
    assert!(
        json.len() <= 20_000 + 200 * input,
        "{} bytes of JSON for {input} bytes",
        json.len()
    );
    assert!(
        human_out.len() <= 20_000 + 200 * input,
        "{} bytes for {input}",
        human_out.len()
    );
    diag::github::render(&report.findings, &report.sources, &i18n);
    if let Some(data) = &report.dataset {
        let today = jiff::civil::date(2026, 11, 26);
        dealbook::export::json::pipeline(data, today);
        dealbook::export::csv::projects(data, i18n.locale());
        dealbook::export::xlsx::workbook(data, &i18n, today).expect("any record makes a workbook");
    }
    human_out
}

#[test]
fn a_very_long_broken_line_gives_a_short_report() {
    // 100,000 `=` made 100,000 findings and 1.36 GB of human output.
    let line = "=".repeat(100_000);
    let out = run(line.as_bytes(), NOTE.as_bytes());
    assert!(out.len() < 20_000, "{} bytes", out.len());
    assert!(out.contains("99981"), "the rest are counted: {out}");
    // The same in a note's front matter, a megabyte long.
    let note = format!(
        "+++\ntitle = \"x\"\na = {}\n+++\nbody\n",
        "=".repeat(1_000_000)
    );
    let out = run(RECORD.as_bytes(), note.as_bytes());
    assert!(out.len() < 20_000, "{} bytes", out.len());
    for line in out.lines() {
        assert!(
            line.chars().count() < 200,
            "a printed line is cut: {}",
            line.len()
        );
    }
}

#[test]
fn offsets_are_offsets_into_the_file_on_disk() {
    let with_bom = format!(
        "\u{feff}{}",
        RECORD.replace("amount = 18_000", "amount = \"lots\"")
    );
    let mut files = RepoFiles::default();
    files.insert_text("dealbook.toml", "");
    files.insert_text("data/process.toml", PROCESS);
    files.insert_text("data/team.toml", TEAM);
    files.insert_text("content/projects/L-002/project.toml", &with_bom);
    files.insert_text(
        "content/projects/L-002/notes/n.md",
        &format!("\u{feff}{NOTE}"),
    );
    // An invalid UTF-8 sequence cut off by the end of the file.
    files.entries.insert(
        "content/projects/L-003/project.toml".into(),
        load::Entry::Bytes(b"code = \"L-003\xe6\x96".to_vec()),
    );
    let loaded = load::parse(&files).unwrap();
    let report = dealbook::check::run(loaded, jiff::civil::date(2026, 11, 26));
    let json = diag::json::render(
        &report.findings,
        report.projects,
        &report.sources,
        &I18n::builtin("en"),
    );
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let find = |code: &str, path: &str| {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code && f["path"] == path)
            .unwrap_or_else(|| panic!("no {code} in {path}: {json}"))
            .clone()
    };
    let typed = find("wrong-type", "content/projects/L-002/project.toml");
    let at = with_bom.find("\"lots\"").unwrap();
    assert_eq!(typed["position"]["byte_start"], at);
    assert_eq!(typed["position"]["byte_end"], at + "\"lots\"".len());
    let line = with_bom[..at].lines().count();
    assert_eq!(typed["position"]["line"], line);
    assert_eq!(
        typed["position"]["column"],
        "amount = ".len() + 1,
        "the mark takes no column"
    );
    let bad = find("encoding", "content/projects/L-003/project.toml");
    assert_eq!(bad["position"]["byte_start"], 13);
    assert_eq!(
        bad["position"]["byte_end"], 15,
        "the end of the file, not past it"
    );
    // The note with a mark still has its front matter read.
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.path.ends_with("n.md") && f.code == "front-matter"),
        "{json}"
    );
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
    fn arbitrary_judgement_files_never_panic(judgement in proptest::collection::vec(any::<u8>(), 0..300),
                                             text in "[+#=\"\n a-z判断跟进措施:：`~]{0,80}") {
        run3(RECORD.as_bytes(), NOTE.as_bytes(), &judgement);
        run3(RECORD.as_bytes(), NOTE.as_bytes(), text.as_bytes());
        run3(RECORD.as_bytes(), NOTE.as_bytes(), format!("+++\nby = \"bo\"\n+++\n{text}").as_bytes());
    }

    #[test]
    fn edited_records_never_panic(at in 0usize..1500, cut in 0usize..40,
                                  insert in "[\"=\\[\\]{}.,#\\n a-z0-9_\\-方案]{0,12}") {
        run(&mutate(RECORD, at, cut, &insert), NOTE.as_bytes());
        run(RECORD.as_bytes(), &mutate(NOTE, at, cut, &insert));
        run3(RECORD.as_bytes(), NOTE.as_bytes(), &mutate(JUDGEMENT, at, cut, &insert));
    }
}
