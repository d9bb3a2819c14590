//! A build over the previous site keeps the pages whose inputs did not
//! change (`render::fingerprint`) and must give, to the byte, the site a
//! fresh build gives: for a change to a record, a note, the team, the
//! strings, the settings, a template, and the date.

mod common;

use common::{Repo, TODAY};

/// `(written, unchanged)` from the English build line.
fn counts(stdout: &str) -> (usize, usize) {
    let inside = stdout
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(inside, _)| inside)
        .unwrap_or_else(|| panic!("{stdout}"));
    let numbers: Vec<usize> = inside
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

/// Builds `repo` over its previous site (as of `today`) with the parse
/// cache, then from scratch into another folder without it, and compares
/// the two.
fn build_both(repo: &Repo, today: &str) -> (usize, usize) {
    let out = repo.path().join("public");
    let run = |out: &std::path::Path, extra: &[&str]| {
        let args = ["--locale", "en", "build", "--today", today, "--out"];
        let o = repo.cmd(&args).arg(out).args(extra).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let incremental = run(&out, &[]);
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = fresh_dir.path().join("site");
    run(&fresh, &["--no-cache"]);
    let (a, b) = (tree(&out), tree(&fresh));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    for ((path, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{path} differs from a fresh build");
    }
    counts(&incremental)
}

fn tree(root: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn edit(repo: &Repo, rel: &str, from: &str, to: &str) {
    let text = repo.read(rel);
    assert!(text.contains(from), "{rel} has no {from:?}");
    repo.write(rel, text.replacen(from, to, 1));
}

#[test]
fn a_build_over_the_last_site_equals_a_fresh_build_whatever_changed() {
    let repo = Repo::demo();
    // Older than the parse cache's racy window: the folders not edited
    // below come from the cache, their notes read only for pages made
    // again.
    std::thread::sleep(std::time::Duration::from_millis(2_200));
    let (written, _) = build_both(&repo, TODAY);
    assert!(written > 90, "the first build writes every file: {written}");

    let cache = repo.path().join(".dealbook/projects.cache");
    let cached = std::fs::read(&cache).expect("the first build leaves the parse cache");

    let (written, unchanged) = build_both(&repo, TODAY);
    assert_eq!(written, 0, "nothing changed, nothing is written");
    assert!(unchanged > 90);
    assert_eq!(
        std::fs::read(&cache).unwrap(),
        cached,
        "every folder came from the cache: nothing to write back"
    );

    // One record: its page and the lists change, the other projects' pages
    // are kept.
    let record = "content/projects/AQ-2026-001/project.toml";
    let amount = repo
        .read(record)
        .lines()
        .find(|l| l.starts_with("amount = "))
        .unwrap()
        .to_string();
    edit(
        &repo,
        record,
        &amount,
        &amount.replacen("amount = ", "amount = 1", 1),
    );
    let (written, unchanged) = build_both(&repo, TODAY);
    assert!(written > 0 && unchanged > 30, "({written}, {unchanged})");

    let note = "content/projects/AQ-2026-001/notes/2026-08-04-二次拜访.md";
    let text = repo.read(note);
    repo.write(note, format!("{text}\n\nOne more line.\n"));
    build_both(&repo, TODAY);

    // Definitions every project page shows.
    edit(
        &repo,
        "data/team.toml",
        "name = \"赵军\"",
        "name = \"赵俊\"",
    );
    build_both(&repo, TODAY);
    repo.write("data/i18n/en.toml", "[site]\nproject = \"Deal\"\n");
    build_both(&repo, TODAY);
    let config = repo.read("dealbook.toml");
    repo.write(
        "dealbook.toml",
        format!("{config}\n# a comment changes nothing shown\n"),
    );
    build_both(&repo, TODAY);

    // A theme of the repo's own, then a change to one of its templates.
    let theme = repo.path().join("themes/default/templates");
    std::fs::create_dir_all(&theme).unwrap();
    let builtin = common::crate_dir().join("themes/default/templates/project.html");
    let template = std::fs::read_to_string(builtin).unwrap();
    std::fs::write(
        theme.join("project.html"),
        template.replacen("{% block main %}", "{% block main %}<!-- ours -->", 1),
    )
    .unwrap();
    build_both(&repo, TODAY);

    // Another day: days in stage, staleness and due dates move.
    build_both(&repo, "2026-12-24");
}
