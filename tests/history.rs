//! History from Git: fixture repos built by the test with scripted commits
//! (fixed author and committer dates and emails).

mod common;

use std::process::Command;

use common::Repo;

/// Runs git in the repo, as `who` on `date`.
fn git(repo: &Repo, who: (&str, &str), date: &str, args: &[&str]) {
    git_dated(repo, who, (date, date), args);
}

/// Runs git with an author date and a committer date (as a rebase or a
/// cherry-pick leaves them).
fn git_dated(repo: &Repo, who: (&str, &str), dates: (&str, &str), args: &[&str]) {
    let stamp = |date: &str| format!("{date}T12:00:00+00:00");
    let out = Command::new("git")
        .current_dir(repo.path())
        .args(args)
        .env("GIT_AUTHOR_NAME", who.0)
        .env("GIT_AUTHOR_EMAIL", who.1)
        .env("GIT_AUTHOR_DATE", stamp(dates.0))
        .env("GIT_COMMITTER_NAME", who.0)
        .env("GIT_COMMITTER_EMAIL", who.1)
        .env("GIT_COMMITTER_DATE", stamp(dates.1))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", repo.path())
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const ANA: (&str, &str) = ("Ana", "ana@deals.example");
const BO: (&str, &str) = ("Bo", "bo@deals.example");
const EVE: (&str, &str) = ("Eve", "eve@elsewhere.example");

fn commit(repo: &Repo, who: (&str, &str), date: &str, message: &str) {
    git(repo, who, date, &["add", "-A"]);
    git(repo, who, date, &["commit", "-q", "-m", message]);
}

/// A record of L-001 with the given stage, amount and judgements.
fn record(stage: &str, amount: i64, judgements: &str) -> String {
    format!(
        "code = \"L-001\"\nname = \"Office chairs\"\nindustry = \"Education\"\nowner = \"ana\"\n\
         stage = \"{stage}\"\nstatus = \"active\"\namount = {amount}\n\
         next_step = {{ date = 2026-12-20, what = \"call\" }}\n\n\
         [stages.qualify]\nactual = \"ok\"\nconditions = {{ budget = true, need = true }}\n{judgements}\n\
         [stages.quote]\nactual = \"sent\"\n"
    )
}

const REP: &str = "[stages.qualify.judgements.rep]\njudgement = \"go\"\nfollow_up = \"quote\"\n";
const LEAD: &str =
    "[stages.qualify.judgements.lead]\njudgement = \"fine\"\nfollow_up = \"watch\"\n";

/// The scripted history:
/// 09-01 Ana creates L-001 in qualify;
/// 09-10 Ana moves it to quote and writes the rep judgement;
/// 09-15 Ana writes the lead judgement (not her role);
/// 09-20 Bo moves it back to qualify and lowers the amount;
/// 09-25 Eve (not in the team) moves it to quote again;
/// 10-01 Ana adds L-002.
fn scripted() -> Repo {
    let repo = Repo::fixture("three-stage");
    let team = repo
        .read("data/team.toml")
        .replace(
            "roles = [\"rep\"]",
            "roles = [\"rep\"]\nemails = [\"ana@deals.example\"]",
        )
        .replace(
            "roles = [\"lead\"]",
            "roles = [\"lead\"]\nemails = [\"bo@deals.example\"]",
        );
    repo.write("data/team.toml", team);
    for p in ["L-001", "L-002", "L-003"] {
        repo.remove(&format!("content/projects/{p}"));
    }
    git(&repo, ANA, "2026-08-31", &["init", "-q", "-b", "main"]);
    repo.write("content/projects/.keep", "");
    commit(&repo, ANA, "2026-08-31", "setup");
    let path = "content/projects/L-001/project.toml";
    repo.write(path, record("qualify", 40_000, ""));
    commit(&repo, ANA, "2026-09-01", "L-001 created");
    repo.write(path, record("quote", 40_000, REP));
    commit(&repo, ANA, "2026-09-10", "L-001 to quote");
    repo.write(path, record("quote", 40_000, &format!("{REP}{LEAD}")));
    commit(&repo, ANA, "2026-09-15", "lead judgement");
    repo.write(path, record("qualify", 35_000, &format!("{REP}{LEAD}")));
    commit(&repo, BO, "2026-09-20", "back to qualify");
    repo.write(path, record("quote", 35_000, &format!("{REP}{LEAD}")));
    commit(&repo, EVE, "2026-09-25", "quote again");
    let second = repo
        .read(path)
        .replace("L-001", "L-002")
        .replace("stage = \"quote\"", "stage = \"qualify\"");
    repo.write("content/projects/L-002/project.toml", second);
    commit(&repo, ANA, "2026-10-01", "L-002");
    repo
}

fn d(s: &str) -> jiff::civil::Date {
    s.parse().unwrap()
}

/// A project's history events from `since` on: (author, kind).
fn events<'t>(
    t: &'t dealbook::history::Timeline,
    folder: &str,
    since: &str,
) -> Vec<(&'t str, &'t dealbook::history::EventKind)> {
    t.project(folder)
        .unwrap()
        .events
        .iter()
        .filter(|e| t.commits[e.commit].date >= d(since))
        .map(|e| (t.commits[e.commit].author.as_str(), &e.kind))
        .collect()
}

fn timeline(repo: &Repo) -> (dealbook::model::Dataset, dealbook::history::Timeline) {
    let loaded = dealbook::load::load(repo.path()).unwrap();
    let data = loaded.dataset.unwrap();
    let t = dealbook::history::load(repo.path(), None, &data.process).expect("history");
    (data, t)
}

#[test]
fn stage_entry_dates_slips_and_changes_come_from_commits() {
    use dealbook::history::EventKind as K;
    let repo = scripted();
    let (_, t) = timeline(&repo);
    assert_eq!(t.entered("L-001", 0), Some(d("2026-09-01")));
    assert_eq!(
        t.entered("L-001", 1),
        Some(d("2026-09-10")),
        "the first time, not the second"
    );
    assert_eq!(
        events(&t, "L-001", "2026-01-01"),
        [
            ("Ana", &K::Created { stage: Some(0) }),
            ("Ana", &K::Advanced { from: 0, to: 1 }),
            ("Bo", &K::Slipped { from: 1, to: 0 }),
            (
                "Bo",
                &K::AmountChanged {
                    from: Some(40_000),
                    to: Some(35_000)
                }
            ),
            ("Eve", &K::Advanced { from: 0, to: 1 }),
        ]
    );
    assert_eq!(t.last_change("L-001"), Some(d("2026-09-25")));
}

#[test]
fn judgements_are_credited_to_the_commit_that_wrote_them() {
    let repo = scripted();
    let run = repo.check(&["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let of_l001: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| {
            f["code"] == "judgement-author" && f["path"] == "content/projects/L-001/project.toml"
        })
        .collect();
    // Ana wrote the lead judgement: she does not hold that role. The rep
    // judgement is hers too, and she is a rep: no finding for it.
    assert_eq!(of_l001.len(), 1, "{findings:#?}");
    let message = of_l001[0]["message"].as_str().unwrap();
    assert!(
        message.contains("ana@deals.example") && message.contains("Team lead"),
        "{message}"
    );
    // Bo fixes it by writing it himself.
    let path = "content/projects/L-001/project.toml";
    repo.write(
        path,
        repo.read(path)
            .replace("judgement = \"fine\"", "judgement = \"fine, agreed\""),
    );
    commit(&repo, BO, "2026-10-05", "bo's own judgement");
    let run = repo.check(&["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let left = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["code"] == "judgement-author" && f["path"] == "content/projects/L-001/project.toml"
        })
        .count();
    assert_eq!(left, 0);
}

#[test]
fn a_recorded_date_far_from_history_is_a_warning() {
    let repo = scripted();
    let path = "content/projects/L-001/project.toml";
    repo.write(
        path,
        repo.read(path)
            .replace("[stages.quote]\n", "[stages.quote]\nentered = 2026-11-01\n"),
    );
    commit(&repo, ANA, "2026-10-06", "a late date");
    let run = repo.check(&[]);
    run.assert_has("content/projects/L-001/project.toml:21:11: warning[history-date]");
    let within = repo
        .read(path)
        .replace("entered = 2026-11-01", "entered = 2026-09-12");
    repo.write(path, within);
    commit(&repo, ANA, "2026-10-07", "close enough");
    assert!(!repo.check(&[]).stdout.contains("history-date"));
}

#[test]
fn the_weekly_pipeline_is_rebuilt_from_history() {
    use dealbook::analyze::trends;
    let repo = scripted();
    let (mut data, t) = timeline(&repo);
    data.history = Some(t);
    let tracks = trends::tracks(&data);
    let weeks = trends::weeks(&tracks, 3, d("2026-10-04"), 5);
    let ends: Vec<String> = weeks.iter().map(|w| w.end.to_string()).collect();
    assert_eq!(
        ends,
        [
            "2026-09-06",
            "2026-09-13",
            "2026-09-20",
            "2026-09-27",
            "2026-10-04"
        ]
    );
    let counts: Vec<Vec<usize>> = weeks.iter().map(|w| w.counts.clone()).collect();
    assert_eq!(
        counts,
        [
            vec![1, 0, 0],
            vec![0, 1, 0],
            vec![1, 0, 0],
            vec![0, 1, 0],
            vec![1, 1, 0]
        ]
    );
    assert_eq!(weeks[2].amounts, vec![35_000, 0, 0]);
    let c = trends::changes(&tracks, d("2026-09-13"), d("2026-09-20"));
    assert_eq!(c.slipped, ["L-001"]);
    let c = trends::changes(&tracks, d("2026-09-27"), d("2026-10-04"));
    assert_eq!(c.new, ["L-002"]);
}

#[test]
fn the_review_summary_tells_what_a_branch_changes() {
    let repo = scripted();
    git(&repo, ANA, "2026-10-02", &["checkout", "-q", "-b", "work"]);
    let path = "content/projects/L-001/project.toml";
    repo.write(
        path,
        repo.read(path)
            .replace(
                "amount = 35000",
                "amount = 50000\nexpected_close = 2027-03-31",
            )
            .replace("stage = \"quote\"", "stage = \"close\""),
    );
    // Touched, and still stale.
    let l002 = "content/projects/L-002/project.toml";
    repo.write(l002, format!("# desks\n{}", repo.read(l002)));
    repo.write(
        "content/projects/L-003/project.toml",
        repo.read("content/projects/L-002/project.toml")
            .replace("L-002", "L-003"),
    );
    commit(&repo, ANA, "2026-10-03", "progress");
    let summary = repo.path().join("summary.md");
    let run = repo.check(&["--base", "main", "--summary", summary.to_str().unwrap()]);
    assert_eq!(
        run.code, 1,
        "the move to close leaves conditions open: {}",
        run.stdout
    );
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.contains("## Pipeline changes in this pull request"),
        "{text}"
    );
    assert!(
        text.contains("### Projects added (1)\n\n- `L-003`"),
        "{text}"
    );
    assert!(
        text.contains("⬆ `L-001` Office chairs: Quote → Close"),
        "{text}"
    );
    assert!(text.contains("35,000 → 50,000"), "{text}");
    assert!(
        text.contains("### Expected close changes (1)\n\n- `L-001` Office chairs: — → 2027-03-31"),
        "{text}"
    );
    assert!(text.contains("### Findings introduced"), "{text}");
    // L-002 was stale before and still is, a day count aside: not news.
    assert!(!text.contains("L-002/project.toml` [stale]"), "{text}");
    assert!(text.contains("L-003/project.toml` [stale]"), "{text}");
    // Without --summary it follows the findings on stdout.
    let run = repo.check(&["--base", "main"]);
    assert!(
        run.stdout
            .contains("## Pipeline changes in this pull request")
    );
}

#[test]
fn build_as_of_a_date_shows_the_site_as_it_stood() {
    let repo = scripted();
    // Then the lead had not judged the finished stage yet: build anyway.
    let run = repo.build(&["--as-of", "2026-09-12", "--allow-errors"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("as of 2026-09-12"), "{}", run.stdout);
    let page = repo.page("projects/L-001.html");
    assert!(page.contains("¥0.04M"), "the amount of then");
    assert_eq!(amount_of(&repo, "L-001"), 40_000);
    assert!(
        !repo.path().join("public/projects/L-002.html").exists(),
        "L-002 came later"
    );
    // As of a commit: the one that moved it back.
    let rev = String::from_utf8(
        Command::new("git")
            .current_dir(repo.path())
            .args(["rev-parse", "HEAD~2"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let run = repo.build(&["--as-of", rev.trim(), "--allow-errors"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("as of 2026-09-20"), "{}", run.stdout);
    // The project page carries the history up to then.
    let page = repo.page("projects/L-001.html");
    assert!(page.contains("slipped back: Quote → Qualify"), "{page}");
}

#[test]
fn a_plain_folder_and_a_shallow_clone_skip_history_with_one_note() {
    let plain = Repo::fixture("three-stage");
    let run = plain.check(&[]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr.matches("not in Git").count(),
        1,
        "{}",
        run.stderr
    );
    // What cannot work without Git says so, and only that.
    let run = plain.build(&["--as-of", "2026-09-01"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("`--as-of` needs the Git history, but the data repo is not in Git")
            && !run.stderr.contains("help"),
        "{}",
        run.stderr
    );
    let run = plain.check(&["--base", "main"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("`--base` needs the Git history"),
        "{}",
        run.stderr
    );

    let repo = scripted();
    let shallow = Repo::empty();
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "1"])
        .arg(format!("file://{}", repo.path().display()))
        .arg(shallow.path().join("c"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = assert_cmd::Command::cargo_bin("dealbook")
        .unwrap()
        .args(["--root"])
        .arg(shallow.path().join("c"))
        .args(["--locale", "en", "check", "--today", common::TODAY])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("shallow clone"), "{stderr}");
    assert_ne!(run.status.code(), Some(2));
}

#[test]
fn a_record_added_late_may_date_its_first_stage_earlier() {
    let repo = scripted();
    let path = "content/projects/L-002/project.toml";
    // L-002 was added on 10-01 already in qualify: it may have been there
    // since spring, but not since after it was added.
    let early = repo.read(path).replace(
        "[stages.qualify]\n",
        "[stages.qualify]\nentered = 2026-03-02\n",
    );
    repo.write(path, early);
    commit(&repo, ANA, "2026-10-02", "when it really started");
    assert!(!repo.check(&[]).stdout.contains("history-date"));
    let late = repo
        .read(path)
        .replace("entered = 2026-03-02", "entered = 2026-11-02");
    repo.write(path, late);
    commit(&repo, ANA, "2026-10-03", "a date after it was added");
    repo.check(&[])
        .assert_has("content/projects/L-002/project.toml:11:11: warning[history-date]");
}

fn findings(run: &common::Run, code: &str, path: &str) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code && f["path"] == path)
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_merge_credits_each_change_to_the_branch_commit_that_made_it() {
    use dealbook::history::EventKind as K;
    let repo = scripted();
    let path = "content/projects/L-001/project.toml";
    git(&repo, BO, "2026-10-02", &["checkout", "-q", "-b", "side"]);
    repo.write(
        path,
        repo.read(path).replace("amount = 35000", "amount = 50000"),
    );
    commit(&repo, BO, "2026-10-03", "more chairs");
    git(&repo, ANA, "2026-10-04", &["checkout", "-q", "main"]);
    repo.write(
        path,
        format!("expected_close = 2027-01-31\n{}", repo.read(path)),
    );
    commit(&repo, ANA, "2026-10-04", "closing date");
    // Eve merges, and rewrites the lead judgement in the merge itself.
    git(
        &repo,
        EVE,
        "2026-10-05",
        &["merge", "-q", "--no-ff", "--no-commit", "side"],
    );
    repo.write(
        path,
        repo.read(path)
            .replace("judgement = \"fine\"", "judgement = \"great\""),
    );
    commit(&repo, EVE, "2026-10-05", "merge side");

    let (mut data, t) = timeline(&repo);
    assert_eq!(
        events(&t, "L-001", "2026-10-02"),
        [
            (
                "Bo",
                &K::AmountChanged {
                    from: Some(35_000),
                    to: Some(50_000)
                }
            ),
            (
                "Ana",
                &K::CloseChanged {
                    from: None,
                    to: Some(d("2027-01-31"))
                }
            ),
        ],
        "no change is credited twice or to the merge"
    );
    // The lead judgement is Eve's now (not in the team); the rep's is
    // still Ana's.
    let run = repo.check(&["--format", "json"]);
    assert!(
        findings(&run, "judgement-author", path).is_empty(),
        "{}",
        run.stdout
    );
    let unknown = findings(&run, "unknown-author", path);
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert!(unknown[0].contains("eve@elsewhere.example"), "{unknown:?}");
    // The main line after the merge has both changes.
    data.history = Some(t);
    let tracks = dealbook::analyze::trends::tracks(&data);
    let weeks = dealbook::analyze::trends::weeks(&tracks, 3, d("2026-10-05"), 1);
    assert_eq!(
        weeks[0].amounts,
        vec![35_000, 50_000, 0],
        "L-002 in qualify, L-001 in quote"
    );
}

#[test]
fn a_renamed_folder_keeps_its_history() {
    use dealbook::history::EventKind as K;
    let repo = scripted();
    let from = "content/projects/L-002";
    let to = "content/projects/L-002-DESKS";
    git(&repo, BO, "2026-10-02", &["mv", from, to]);
    let record = repo
        .read(&format!("{to}/project.toml"))
        .replace("\"L-002\"", "\"L-002-DESKS\"");
    repo.write(&format!("{to}/project.toml"), record);
    commit(&repo, BO, "2026-10-02", "a clearer code");
    let (_, t) = timeline(&repo);
    assert!(t.project("L-002").is_none());
    let p = t.project("L-002-DESKS").unwrap();
    assert_eq!(t.entered("L-002-DESKS", 0), Some(d("2026-10-01")));
    assert_eq!(
        events(&t, "L-002-DESKS", "2026-01-01"),
        [
            ("Ana", &K::Created { stage: Some(0) }),
            (
                "Bo",
                &K::Renamed {
                    from: "L-002".into()
                }
            ),
        ]
    );
    // Ana still wrote its lead judgement, not Bo who moved the folder.
    let j = &p.judged[&(0, 1)];
    assert_eq!(t.commits[j.commit].author, "Ana");
}

#[test]
fn a_past_version_that_was_not_toml_changes_nothing() {
    let repo = scripted();
    let path = "content/projects/L-001/project.toml";
    let good = repo.read(path);
    repo.write(path, good.replace("stage = \"quote\"", "stage = \"quote"));
    commit(&repo, BO, "2026-10-02", "broken");
    repo.write(path, &good);
    commit(&repo, BO, "2026-10-03", "fixed");
    let (mut data, t) = timeline(&repo);
    let late = events(&t, "L-001", "2026-10-02");
    assert!(late.is_empty(), "{late:?}");
    data.history = Some(t);
    let tracks = dealbook::analyze::trends::tracks(&data);
    let during = dealbook::analyze::trends::weeks(&tracks, 3, d("2026-10-02"), 1);
    assert_eq!(during[0].counts, vec![1, 1, 0], "L-001 stays in quote");
}

#[test]
fn a_deleted_record_still_counts_in_the_weeks_it_was_there() {
    let repo = scripted();
    repo.remove("content/projects/L-002");
    commit(&repo, ANA, "2026-10-09", "L-002 was a duplicate");
    let (mut data, t) = timeline(&repo);
    data.history = Some(t);
    let tracks = dealbook::analyze::trends::tracks(&data);
    let weeks = dealbook::analyze::trends::weeks(&tracks, 3, d("2026-10-11"), 2);
    assert_eq!(weeks[0].counts, vec![1, 1, 0], "10-04: L-002 and L-001");
    assert_eq!(weeks[1].counts, vec![0, 1, 0], "10-11: L-001 only");
    // The overview does not link to the page it no longer has.
    let run = repo.build(&["--allow-errors"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn days_in_stage_count_from_the_return_after_a_slip() {
    let repo = scripted();
    let (mut data, t) = timeline(&repo);
    data.history = Some(t);
    let p = data.projects.iter().find(|p| p.folder == "L-001").unwrap();
    // In quote since 09-10, back in qualify 09-20, in quote again 09-25.
    assert_eq!(
        dealbook::analyze::dates::days_in_stage(&data, p, d("2026-10-04")),
        Some(9)
    );
}

#[test]
fn as_of_a_date_goes_by_when_commits_landed() {
    let repo = scripted();
    let path = "content/projects/L-001/project.toml";
    repo.write(
        path,
        repo.read(path).replace("amount = 35000", "amount = 77000"),
    );
    // Written on 09-02, rebased onto main on 10-10.
    git_dated(&repo, ANA, ("2026-09-02", "2026-10-10"), &["add", "-A"]);
    git_dated(
        &repo,
        ANA,
        ("2026-09-02", "2026-10-10"),
        &["commit", "-q", "-m", "rebased"],
    );
    let run = repo.build(&["--as-of", "2026-10-05", "--allow-errors"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = repo.page("projects/L-001.html");
    assert!(
        page.contains("¥0.04M") && !page.contains("¥0.08M"),
        "not landed by 10-05"
    );
    assert_eq!(amount_of(&repo, "L-001"), 35_000);
    let run = repo.build(&["--as-of", "2026-10-10", "--allow-errors"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(repo.page("projects/L-001.html").contains("¥0.08M"));
    assert_eq!(amount_of(&repo, "L-001"), 77_000);
}

/// A project's amount in the built site's pipeline.json, to the yuan (the
/// pages give it in millions).
fn amount_of(repo: &Repo, code: &str) -> i64 {
    let doc: serde_json::Value = serde_json::from_str(&repo.page("pipeline.json")).unwrap();
    doc["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code)
        .unwrap()["amount"]
        .as_i64()
        .unwrap()
}

#[test]
fn an_uncommitted_judgement_is_credited_to_no_one() {
    let repo = scripted();
    let path = "content/projects/L-001/project.toml";
    let run = repo.check(&["--format", "json"]);
    assert_eq!(
        findings(&run, "judgement-author", path).len(),
        1,
        "Ana's lead judgement"
    );
    // Bo rewrites it and has not committed yet: Ana did not write this.
    repo.write(
        path,
        repo.read(path)
            .replace("judgement = \"fine\"", "judgement = \"fine by me\""),
    );
    let run = repo.check(&["--format", "json"]);
    assert!(
        findings(&run, "judgement-author", path).is_empty(),
        "{}",
        run.stdout
    );
}

#[test]
fn a_past_tree_is_read_like_the_folder() {
    use std::os::unix::ffi::OsStrExt;
    let repo = scripted();
    let bad = std::ffi::OsStr::from_bytes(b"content/projects/L-001/notes/\xff.md");
    std::fs::create_dir_all(repo.path().join("content/projects/L-001/notes")).unwrap();
    std::fs::write(repo.path().join(bad), "+++\n+++\n").unwrap();
    commit(&repo, ANA, "2026-10-02", "a note with a strange name");
    let git = dealbook::history::read::Repo::open(repo.path()).unwrap();
    let files = git.files_at(git.resolve("HEAD").unwrap()).unwrap();
    let from_disk = dealbook::load::read(repo.path()).unwrap();
    let names = |f: &dealbook::load::RepoFiles| {
        f.entries
            .iter()
            .filter(|(path, _)| path.starts_with("content/"))
            .map(|(path, entry)| format!("{path} {entry:?}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&files), names(&from_disk));
    assert!(
        files
            .entries
            .get("content/projects/L-001/notes/\u{fffd}.md")
            == Some(&dealbook::load::Entry::BadName)
    );
}

#[test]
fn two_scripted_histories_build_byte_identical_sites() {
    // Same commits, same dates, same authors: the same commit ids, and
    // the same site to the byte.
    let (a, b) = (scripted(), scripted());
    assert_eq!(a.build(&["--allow-errors"]).code, 0);
    assert_eq!(b.build(&["--allow-errors"]).code, 0);
    a.assert_same_site(&b);
    let page = a.page("projects/L-001.html");
    assert!(
        page.contains("slipped back: Quote → Qualify"),
        "history is on the page"
    );
}

#[test]
fn judgements_committed_by_trusted_until_are_credited_as_imported() {
    let repo = scripted();
    let path = "content/projects/L-001/project.toml";
    // Ana committed the lead judgement on 09-15: not her role.
    let run = repo.check(&["--format", "json"]);
    assert_eq!(findings(&run, "judgement-author", path).len(), 1);
    // The team says its records up to 09-15 came from elsewhere.
    let config = repo.read("dealbook.toml");
    repo.write(
        "dealbook.toml",
        format!("{config}\n[history]\ntrusted_until = 2026-09-15\n"),
    );
    let run = repo.check(&["--format", "json"]);
    assert!(
        findings(&run, "judgement-author", path).is_empty(),
        "{}",
        run.stdout
    );
    // A judgement written after that day is checked again.
    repo.write(
        path,
        repo.read(path)
            .replace("judgement = \"fine\"", "judgement = \"fine, later\""),
    );
    commit(
        &repo,
        ANA,
        "2026-10-05",
        "ana writes the lead's judgement again",
    );
    let run = repo.check(&["--format", "json"]);
    assert_eq!(
        findings(&run, "judgement-author", path).len(),
        1,
        "{}",
        run.stdout
    );
}

#[test]
fn judgements_that_came_with_an_imported_record_are_credited_to_the_import() {
    let repo = scripted();
    let path = "content/projects/L-003/project.toml";
    // One person commits a whole imported record, every judgement in it.
    let imported = record("quote", 10_000, &format!("{REP}{LEAD}")).replace("L-001", "L-003")
        + "\n[imported]\ndate = 2026-10-02\nstage = \"quote\"\n";
    repo.write(path, imported);
    commit(&repo, ANA, "2026-10-02", "import L-003");
    let run = repo.check(&["--format", "json"]);
    assert!(
        findings(&run, "judgement-author", path).is_empty(),
        "{}",
        run.stdout
    );
    // The same record without [imported] credits Ana with the lead's text.
    repo.write(
        path,
        record("quote", 10_000, &format!("{REP}{LEAD}")).replace("L-001", "L-003"),
    );
    commit(&repo, ANA, "2026-10-03", "not imported after all");
    let run = repo.check(&["--format", "json"]);
    assert_eq!(
        findings(&run, "judgement-author", path).len(),
        1,
        "{}",
        run.stdout
    );
}

/// A judgement file of L-001 with its text.
fn judgement_file(by: &str, judgement: &str, follow_up: &str) -> String {
    format!(
        "+++\nby = \"{by}\"\n+++\n\n## Judgement\n\n{judgement}\n\n## Follow-up\n\n{follow_up}\n"
    )
}

/// Who history credits with a judgement of L-001: the author's email.
fn credited(repo: &Repo, stage: usize, role: usize) -> Option<String> {
    let (data, t) = timeline(repo);
    let p = data.projects.iter().find(|p| p.folder == "L-001").unwrap();
    match t.credit(p, stage, role, None)? {
        dealbook::model::timeline::Credit::Written(c) => Some(c.email.clone()),
        dealbook::model::timeline::Credit::Imported(_) => None,
    }
}

#[test]
fn a_judgement_file_is_credited_to_the_commit_that_wrote_its_text() {
    let repo = scripted();
    let record = "content/projects/L-001/project.toml";
    let file = "content/projects/L-001/judgements/qualify.lead.md";
    // Bo moves Ana's lead judgement, unchanged, into its own file: moving
    // is not writing, so it is still Ana's, and the finding now points at
    // the file.
    repo.write(record, repo.read(record).replace(LEAD, ""));
    repo.write(file, judgement_file("bo", "fine", "watch"));
    commit(&repo, BO, "2026-10-05", "lead judgement in its own file");
    assert_eq!(credited(&repo, 0, 1).as_deref(), Some("ana@deals.example"));
    let run = repo.check(&["--format", "json"]);
    assert_eq!(
        findings(&run, "judgement-author", file).len(),
        1,
        "{}",
        run.stdout
    );
    assert!(findings(&run, "judgement-author", record).is_empty());

    // Bo writes it himself: his commit is credited, the finding goes.
    repo.write(file, judgement_file("bo", "fine, agreed", "watch"));
    commit(&repo, BO, "2026-10-06", "bo's own judgement");
    assert_eq!(credited(&repo, 0, 1).as_deref(), Some("bo@deals.example"));
    let run = repo.check(&["--format", "json"]);
    assert!(
        findings(&run, "judgement-author", file).is_empty(),
        "{}",
        run.stdout
    );

    // Eve (not in the team) changes the follow-up: the file's current
    // text is hers.
    repo.write(file, judgement_file("bo", "fine, agreed", "call them"));
    commit(&repo, EVE, "2026-10-07", "follow-up");
    let run = repo.check(&["--format", "json"]);
    let unknown = findings(&run, "unknown-author", file);
    assert_eq!(unknown.len(), 1, "{}", run.stdout);
    assert!(unknown[0].contains("eve@elsewhere.example"), "{unknown:?}");

    // Edited in the folder and not committed: credited to no one.
    repo.write(
        file,
        judgement_file("bo", "fine, agreed", "call them today"),
    );
    assert_eq!(credited(&repo, 0, 1), None);
}

#[test]
fn two_judgement_files_written_the_same_day_merge_without_conflict() {
    let repo = scripted();
    let record = "content/projects/L-001/project.toml";
    git(&repo, ANA, "2026-10-02", &["checkout", "-q", "-b", "ana"]);
    repo.write(
        "content/projects/L-001/judgements/quote.rep.md",
        judgement_file("ana", "price accepted", "send the order form"),
    );
    commit(&repo, ANA, "2026-10-02", "rep judgement of quote");
    git(&repo, BO, "2026-10-02", &["checkout", "-q", "main"]);
    git(&repo, BO, "2026-10-02", &["checkout", "-q", "-b", "bo"]);
    repo.write(
        "content/projects/L-001/judgements/报价.组长.md",
        judgement_file("bo", "good margin", "approve the discount"),
    );
    commit(&repo, BO, "2026-10-02", "lead judgement of quote");
    git(&repo, BO, "2026-10-02", &["checkout", "-q", "main"]);
    git(
        &repo,
        BO,
        "2026-10-03",
        &["merge", "-q", "--no-edit", "ana"],
    );
    git(&repo, BO, "2026-10-03", &["merge", "-q", "--no-edit", "bo"]);
    assert!(repo.read(record).contains("stage = \"quote\""));
    // Each is credited to its writer's branch commit, not to a merge.
    assert_eq!(credited(&repo, 1, 0).as_deref(), Some("ana@deals.example"));
    assert_eq!(credited(&repo, 1, 1).as_deref(), Some("bo@deals.example"));
    let run = repo.check(&["--format", "json"]);
    for file in ["quote.rep.md", "报价.组长.md"] {
        let path = format!("content/projects/L-001/judgements/{file}");
        for code in ["judgement-author", "unknown-author", "duplicate-entry"] {
            assert!(findings(&run, code, &path).is_empty(), "{}", run.stdout);
        }
    }
}
