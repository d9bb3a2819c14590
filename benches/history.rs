//! Benchmark (not a test): reading the Git history of a data repo with
//! 10,000 commits over 1,008 projects, and everything built on it (stage
//! timelines, judgement authors, the weekly pipeline). Target: under 5 s.
//! Run with `cargo bench --bench history`; with `-- --judgement-files`,
//! the demo's judgement files are in the repo and one commit in five
//! writes a judgement file instead.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const COMMITS: usize = 10_000;
const COPIES: usize = 28;

/// A project folder of the generated repo: its name, record and
/// judgement files (name, text).
type Folder = (String, String, Vec<(String, String)>);

/// The demo's records and judgement files, copied under new codes.
fn records() -> Vec<Folder> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/projects");
    let mut base: Vec<Folder> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let code = e.file_name().to_string_lossy().into_owned();
            let mut judgements: Vec<(String, String)> =
                std::fs::read_dir(e.path().join("judgements"))
                    .into_iter()
                    .flatten()
                    .map(|j| {
                        let j = j.unwrap();
                        (
                            j.file_name().to_string_lossy().into_owned(),
                            std::fs::read_to_string(j.path()).unwrap(),
                        )
                    })
                    .collect();
            judgements.sort();
            (
                code,
                std::fs::read_to_string(e.path().join("project.toml")).unwrap(),
                judgements,
            )
        })
        .collect();
    base.sort();
    let mut out = Vec::new();
    for i in 1..=COPIES {
        for (code, text, judgements) in &base {
            let new = format!("{code}-{i}");
            out.push((
                new.clone(),
                text.replacen(
                    &format!("code = \"{code}\""),
                    &format!("code = \"{new}\""),
                    1,
                ),
                judgements.clone(),
            ));
        }
    }
    out
}

/// A `git fast-import` stream: one commit with everything, then one
/// commit per change, each by one of the team on its own day.
fn stream(records: &[Folder], judgement_files: bool) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut s = Vec::new();
    let file = |s: &mut Vec<u8>, path: &str, data: &[u8]| {
        writeln!(s, "M 100644 inline {path}").unwrap();
        writeln!(s, "data {}", data.len()).unwrap();
        s.extend_from_slice(data);
        s.push(b'\n');
    };
    let start: i64 = 1_735_689_600; // 2025-01-01
    let people = [
        "liming",
        "wangfang",
        "chenjie",
        "liuyang",
        "huangmin",
        "zhouqiang",
        "sunli",
        "zhaojun",
    ];
    let header = |s: &mut Vec<u8>, n: usize, mark: usize| {
        let who = people[n % people.len()];
        let t = start + (n as i64) * 3_000;
        writeln!(s, "commit refs/heads/main\nmark :{mark}").unwrap();
        writeln!(s, "author {who} <{who}@huadong-tech.example> {t} +0000").unwrap();
        writeln!(s, "committer {who} <{who}@huadong-tech.example> {t} +0000").unwrap();
        let msg = format!("change {n}");
        writeln!(s, "data {}\n{msg}", msg.len()).unwrap();
        if mark > 1 {
            writeln!(s, "from :{}", mark - 1).unwrap();
        }
    };
    header(&mut s, 0, 1);
    for rel in ["dealbook.toml", "data/process.toml", "data/team.toml"] {
        let text = std::fs::read_to_string(root.join(rel))
            .unwrap()
            .replace("enabled = false", "enabled = true");
        file(&mut s, rel, text.as_bytes());
    }
    for (folder, text, judgements) in records {
        file(
            &mut s,
            &format!("content/projects/{folder}/project.toml"),
            text.as_bytes(),
        );
        for (name, text) in judgements.iter().filter(|_| judgement_files) {
            file(
                &mut s,
                &format!("content/projects/{folder}/judgements/{name}"),
                text.as_bytes(),
            );
        }
    }
    s.push(b'\n');
    for n in 1..COMMITS {
        header(&mut s, n, n + 1);
        let (folder, text, _) = &records[(n * 7919) % records.len()];
        if judgement_files && n % 5 == 1 {
            let judgement = format!(
                "+++\nby = \"zhaojun\"\n+++\n\n## 判断\n\n第 {n} 次判断。\n\n## 跟进措施\n\n跟进。\n"
            );
            file(
                &mut s,
                &format!("content/projects/{folder}/judgements/initiation.general_manager.md"),
                judgement.as_bytes(),
            );
        } else if n % 3 == 0 {
            let note =
                format!("+++\ndate = 2026-01-01\nkind = \"call\"\n+++\n第 {n} 次电话沟通。\n");
            file(
                &mut s,
                &format!("content/projects/{folder}/notes/n{n}.md"),
                note.as_bytes(),
            );
        } else {
            let changed = text.replacen("amount = ", &format!("amount = {n}"), 1);
            file(
                &mut s,
                &format!("content/projects/{folder}/project.toml"),
                changed.as_bytes(),
            );
        }
        s.push(b'\n');
    }
    s
}

fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) {
    let mut child = Command::new("git")
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    if let Some(data) = input {
        child.stdin.take().unwrap().write_all(data).unwrap();
    }
    assert!(child.wait().unwrap().success(), "git {args:?}");
}

fn main() {
    dealbook::allocator::tune();
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let judgement_files = std::env::args().any(|a| a == "--judgement-files");
    let dir = tempfile::tempdir().unwrap();
    let made = Instant::now();
    git(dir.path(), &["init", "-q", "-b", "main"], None);
    git(
        dir.path(),
        &["fast-import", "--quiet"],
        Some(&stream(&records(), judgement_files)),
    );
    git(dir.path(), &["checkout", "-q", "-f", "main"], None);
    println!(
        "repo: {COMMITS} commits, {} projects{}, made in {:.1} s",
        COPIES * 36,
        if judgement_files {
            ", one commit in five a judgement file"
        } else {
            ""
        },
        made.elapsed().as_secs_f64()
    );

    let loaded = dealbook::load::load(dir.path()).unwrap();
    let config = loaded.config;
    let mut data = loaded.dataset.unwrap();
    let mut runs = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let timeline = dealbook::history::load(dir.path(), None, &data.process).unwrap();
        let read = start.elapsed();
        data.history = Some(timeline);
        let as_of = dealbook::analyze::dates::as_of(None, Some(&data));
        let analysis = dealbook::analyze::analyze(&data, &config, as_of);
        let settings = dealbook::rules::Settings::new(as_of, &config);
        let findings = dealbook::rules::check(&data, &settings);
        let total = start.elapsed();
        assert_eq!(analysis.weeks.len(), 26);
        assert!(!findings.is_empty());
        runs.push((read, total));
    }
    runs.sort();
    let (read, total) = runs[1];
    println!(
        "history of {COMMITS} commits: read {:.2} s; with timelines, trends and rules {:.2} s (median of 3)",
        read.as_secs_f64(),
        total.as_secs_f64()
    );
}
