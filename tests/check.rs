//! `dealbook check` end to end, on fixture repos.

mod common;

use common::{Repo, TODAY};

/// The bad-inputs fixture plus what git cannot carry: a GBK-encoded record
/// and a symlink out of the repo.
fn bad_inputs() -> Repo {
    let repo = Repo::fixture("bad-inputs");
    // "编码" in GBK: not UTF-8 from the first byte inside the quotes.
    repo.write(
        "content/projects/BAD-ENCODING/project.toml",
        b"code = \"BAD-ENCODING\"\nname = \"\xb1\xe0\xc2\xeb\"\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        "/etc/hostname",
        repo.path().join("content/projects/OK-001/forms/secret.md"),
    )
    .unwrap();
    repo
}

#[test]
fn every_bad_input_is_reported_at_its_place_in_one_run() {
    let repo = bad_inputs();
    let run = repo.check(&[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let p = "content/projects";
    for headline in [
        format!("{p}/BAD-SYNTAX/project.toml:2:16: 错误[syntax]"),
        format!("{p}/BAD-TYPE/project.toml:8:10: 错误[wrong-type]"),
        format!("{p}/BAD-TYPE/project.toml:9:18: 错误[wrong-type]"),
        format!("{p}/BAD-KEY/project.toml:6:1: 错误[unknown-key]"),
        format!("{p}/BAD-KEY/project.toml:12:1: 错误[unknown-key]"),
        format!("{p}/BAD-REFS/project.toml:6:9: 错误[unknown-stage]"),
        format!("{p}/BAD-REFS/project.toml:5:9: 错误[unknown-person]"),
        format!("{p}/BAD-REFS/project.toml:15:31: 错误[unknown-role]"),
        format!("{p}/BAD-REFS/project.toml:13:16: 错误[unknown-condition]"),
        format!("{p}/DUP-B/project.toml:1:8: 错误[duplicate-code]"),
        format!("{p}/DUP-B/project.toml:1:8: 错误[code-mismatch]"),
        format!("{p}/BAD-CODE/project.toml:1:8: 错误[code-mismatch]"),
        format!("{p}/BAD-DATE-IMPOSSIBLE/project.toml:11:11: 错误[syntax]"),
        format!("{p}/BAD-DATE-ORDER/project.toml:13:8: 错误[date-order]"),
        format!("{p}/BAD-DATE-ORDER/notes/2027-01-05-拜访.md:3:8: 错误[future-date]"),
        format!("{p}/BAD-LINKS/project.toml:13:58: 错误[missing-file]"),
        format!("{p}/BAD-LINKS/project.toml:14:36: 错误[outside-project]"),
        format!("{p}/BAD-ENCODING/project.toml:2:9: 错误[encoding]"),
        format!("{p}/BAD-EMPTY/project.toml:1:1: 错误[empty-record]"),
        format!("{p}/BAD-NOTE/notes/unclosed.md:1:1: 错误[front-matter]"),
        format!("{p}/BAD-NOTE/notes/no-front-matter.md:1:1: 错误[front-matter]"),
        format!("{p}/BAD-NOTE/notes/bad-date.md:2:8: 错误[syntax]"),
        format!("{p}/NO-RECORD: 错误[missing-record]"),
    ] {
        run.assert_has(&headline);
    }
    #[cfg(unix)]
    run.assert_has(&format!("{p}/OK-001/forms/secret.md: 错误[symlink-escape]"));
    // The valid project in the same repo draws no finding.
    assert!(
        !run.stdout.contains("OK-001/project.toml"),
        "{}",
        run.stdout
    );
}

#[test]
fn bad_inputs_human_output_in_english() {
    let run = bad_inputs().check(&[]);
    let en = bad_inputs()
        .cmd(&["--locale", "en", "check", "--today", TODAY])
        .output()
        .unwrap();
    let en = String::from_utf8(en.stdout).unwrap();
    insta::assert_snapshot!("bad_inputs_en", en);
    insta::assert_snapshot!("bad_inputs_zh", run.stdout);
}

#[test]
fn json_output_carries_positions_and_counts() {
    let run = bad_inputs().check(&["--format", "json"]);
    assert_eq!(run.code, 1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let amount = findings
        .iter()
        .find(|f| {
            f["path"] == "content/projects/BAD-TYPE/project.toml" && f["position"]["line"] == 8
        })
        .expect("the amount finding");
    assert_eq!(amount["code"], "wrong-type");
    assert_eq!(amount["severity"], "error");
    assert_eq!(amount["position"]["column"], 10);
    assert_eq!(amount["position"]["end_column"], 15);
    assert_eq!(
        doc["summary"]["errors"].as_u64().unwrap() as usize,
        findings.len()
    );
    assert_eq!(doc["summary"]["warnings"], 0);
}

#[test]
fn github_output_annotates_files() {
    let run = bad_inputs().check(&["--format", "github"]);
    assert_eq!(run.code, 1);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("BAD-TYPE/project.toml,line=8"))
        .expect("an annotation for the amount");
    assert!(
        line.starts_with("::error file=content/projects/BAD-TYPE/project.toml,line=8,col=10,"),
        "{line}"
    );
    assert!(line.contains("title=dealbook wrong-type::"), "{line}");
    assert!(
        run.stdout
            .lines()
            .all(|l| l.starts_with("::error ") || l.starts_with("::warning "))
    );
}

#[test]
fn a_three_stage_process_with_two_roles_checks() {
    let run = Repo::fixture("three-stage").check(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    insta::assert_snapshot!("three_stage", run.stdout);
}

#[test]
fn severities_come_from_dealbook_toml() {
    let repo = Repo::fixture("three-stage");
    let base = repo.read("dealbook.toml");
    repo.write(
        "dealbook.toml",
        format!("{base}[rules]\nstale = \"error\"\n"),
    );
    let run = repo.check(&[]);
    assert_eq!(run.code, 1);
    run.assert_has("content/projects/L-001/project.toml:5:9: error[stale]");

    repo.write(
        "dealbook.toml",
        format!("{base}[rules]\nstale = \"allow\"\nmissing-follow-up = \"allow\"\n"),
    );
    let run = repo.check(&[]);
    assert_eq!(run.code, 0);
    assert!(run.headlines().is_empty(), "{}", run.stdout);
}

#[test]
fn warnings_alone_exit_zero_and_errors_exit_one() {
    let repo = Repo::fixture("three-stage");
    assert_eq!(repo.check(&[]).code, 0);
    repo.write(
        "content/projects/L-003/project.toml",
        "code = \"L-003\"\nname = 1\n",
    );
    let run = repo.check(&[]);
    assert_eq!(run.code, 1);
    run.assert_has("content/projects/L-003/project.toml:2:8: error[wrong-type]");
}

#[test]
fn cannot_run_without_a_repo_exits_two() {
    let empty = Repo::empty();
    let run = empty.check(&[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("dealbook.toml"), "{}", run.stderr);

    let repo = Repo::fixture("three-stage");
    repo.remove("data/team.toml");
    let run = repo.check(&[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("data/team.toml"), "{}", run.stderr);
}

#[test]
fn a_repo_without_its_own_process_runs_the_built_in_one() {
    let repo = Repo::demo();
    let with = repo.check(&["--format", "json"]);
    repo.remove("data/process.toml");
    let without = repo.check(&["--format", "json"]);
    assert_eq!(without.code, 0, "{}", without.stderr);
    assert_eq!(with.stdout, without.stdout);
}

#[test]
fn check_writes_nothing() {
    let repo = bad_inputs();
    let before = repo.snapshot_tree();
    repo.check(&[]);
    repo.check(&["--format", "json"]);
    assert_eq!(before, repo.snapshot_tree());
}

#[test]
fn output_is_identical_across_runs() {
    let repo = bad_inputs();
    assert_eq!(repo.check(&[]).stdout, repo.check(&[]).stdout);
}

#[test]
fn a_broken_process_definition_is_located_and_stops_the_check() {
    let repo = Repo::fixture("three-stage");
    let process = repo
        .read("data/process.toml")
        .replace("probability = 0.6", "probability = 6");
    repo.write("data/process.toml", process);
    let run = repo.check(&[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.headlines(),
        ["data/process.toml:44:15: error[invalid-process]"]
    );
}

#[test]
fn list_rules_shows_configured_severities() {
    let repo = Repo::fixture("three-stage");
    let base = repo.read("dealbook.toml");
    repo.write(
        "dealbook.toml",
        format!("{base}[rules]\nstale = \"error\"\n"),
    );
    let run = repo.check(&["--list-rules"]);
    assert_eq!(run.code, 0);
    let stale = run
        .stdout
        .lines()
        .find(|l| l.starts_with("stale "))
        .unwrap();
    assert_eq!(
        stale.split_whitespace().take(3).collect::<Vec<_>>(),
        ["stale", "warning", "error"]
    );
    assert!(
        run.stdout.lines().any(|l| l.starts_with("syntax* ")),
        "fixed rules are starred"
    );
}

#[test]
fn the_readme_documents_every_rule() {
    let readme = std::fs::read_to_string(common::crate_dir().join("README.md")).unwrap();
    for rule in dealbook::diag::codes::ALL {
        assert!(
            readme.contains(&format!("| `{}` |", rule.code)),
            "README lacks `{}`",
            rule.code
        );
    }
}

#[cfg(unix)]
#[test]
fn links_inside_the_repo_are_read_and_linked_folders_not_walked() {
    let repo = Repo::fixture("three-stage");
    let p = repo.path().join("content/projects");
    // A file linked from another project folder is read as a file here.
    std::os::unix::fs::symlink(
        p.join("L-002/forms/quote.md"),
        p.join("L-001/forms-quote.md"),
    )
    .unwrap();
    // A linked folder (here one that would loop) is not walked.
    std::os::unix::fs::symlink(&p, p.join("L-001/notes/all")).unwrap();
    let run = repo.check(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("projects checked: 3;"),
        "{}",
        run.stdout
    );
}

#[test]
fn names_follow_the_reader_not_the_process_language() {
    let repo = Repo::fixture("bad-inputs");
    // BAD-DATE-ORDER is in initial_contact; drop a judgement of the finished stage.
    let path = "content/projects/BAD-DATE-ORDER/project.toml";
    let record = repo.read(path).replace("judgements.dept_head = { by = \"wuhong\", judgement = \"同意。\", follow_up = \"关注预算。\" }\n", "");
    repo.write(path, record);
    let en = repo
        .cmd(&["--locale", "en", "check", "--today", TODAY])
        .output()
        .unwrap();
    let en = String::from_utf8(en.stdout).unwrap();
    assert!(
        en.contains("error[missing-judgement]: the finished stage `initiation` (Project initiation) has no judgement from Department head"),
        "{en}"
    );
    let zh = repo.check(&[]).stdout;
    assert!(
        zh.contains(
            "错误[missing-judgement]: 已完成阶段 `initiation`（项目立项） 缺少部门主管的判断"
        ),
        "{zh}"
    );
}

#[test]
fn a_missing_team_file_exits_two() {
    let repo = Repo::fixture("three-stage");
    repo.remove("data/team.toml");
    let run = repo.check(&[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("data/team.toml"), "{}", run.stderr);
}

#[test]
fn the_root_is_found_from_a_folder_inside_the_repo() {
    let repo = Repo::fixture("three-stage");
    let mut cmd = assert_cmd::Command::cargo_bin("dealbook").unwrap();
    let out = cmd
        .current_dir(repo.path().join("content/projects/L-001"))
        .args(["--color", "never", "--locale", "en", "check"])
        .env("DEALBOOK_TODAY", TODAY)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    // DEALBOOK_TODAY is the date the staleness is measured to.
    assert!(stdout.contains("since 2026-11-09 (17 days)"), "{stdout}");
}

#[test]
fn a_repo_may_override_single_strings() {
    let repo = Repo::fixture("three-stage");
    repo.write("data/i18n/en.toml", "[check]\nwarning = \"heads-up\"\n");
    let run = repo.check(&[]);
    run.assert_has("content/projects/L-001/project.toml:5:9: heads-up[stale]");
    repo.write("data/i18n/en.toml", "[check]\nwarnign = \"heads-up\"\n");
    let run = repo.check(&[]);
    assert_eq!(run.code, 1);
    run.assert_has("data/i18n/en.toml:2:1: error[unknown-key]");
}

#[test]
fn conditions_of_a_stage_with_steps_are_checked() {
    let repo = Repo::fixture("bad-inputs");
    // Move BAD-DATE-ORDER on to solution_design: every condition of both
    // steps of initial_contact must now be met.
    let path = "content/projects/BAD-DATE-ORDER/project.toml";
    let record = repo
        .read(path)
        .replace("stage = \"initial_contact\"", "stage = \"solution_design\"")
        + "conditions = { target_customer = true }\n";
    repo.write(path, record);
    let run = repo.check(&["--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let open: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == path && f["code"] == "stage-order")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    // Nine open conditions: four of the invitation step, five of the visit.
    assert_eq!(open.len(), 9, "{open:#?}");
    assert!(open.iter().any(|m| m.contains("`consensus`")));
    assert!(!open.iter().any(|m| m.contains("`target_customer`")));
}

#[test]
fn the_demo_checks_clean_but_for_its_three_deliberate_warnings() {
    let run = Repo::demo().check(&["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["summary"]["errors"], 0);
    let mut codes: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, ["missing-follow-up", "overdue-next-step", "stale"]);
}

#[test]
fn the_demo_shows_every_part_of_the_process() {
    use dealbook::model::Status;
    use std::collections::BTreeSet;
    let loaded = dealbook::load::load(&common::crate_dir()).unwrap();
    let data = loaded.dataset.unwrap();
    let p = &data.projects;
    assert!(p.len() >= 30, "{} projects", p.len());
    for stage in 0..data.process.stages.len() {
        let active = p
            .iter()
            .filter(|x| {
                x.status() == Status::Active && x.stage.as_ref().map(|s| s.value) == Some(stage)
            })
            .count();
        assert!(active >= 1, "no active project in stage {stage}");
    }
    for status in [Status::Won, Status::Lost, Status::Paused] {
        assert!(
            p.iter().any(|x| x.status() == status),
            "no {status:?} project"
        );
    }
    let notes: usize = p.iter().map(|x| x.notes.len()).sum();
    assert!(notes >= 60, "{notes} notes");
    assert!(p.iter().map(|x| x.forms.len()).sum::<usize>() > 0);
    let regions: BTreeSet<_> = p
        .iter()
        .filter_map(|x| x.header.get("region"))
        .map(|r| r.value.chars().take(2).collect::<String>())
        .collect();
    let departments: BTreeSet<_> = p
        .iter()
        .filter_map(|x| x.header.get("department"))
        .map(|d| &d.value)
        .collect();
    assert!(
        regions.len() >= 3 && departments.len() >= 3,
        "{regions:?} {departments:?}"
    );
    assert!(data.team.people.len() >= 6);
    for role in 0..data.process.roles.len() {
        assert!(
            data.team.people.iter().any(|x| x.roles.contains(&role)),
            "nobody holds role {role}"
        );
    }
    // Some judgements of current stages are still pending.
    let pending = p
        .iter()
        .filter(|x| x.status() == Status::Active)
        .filter(|x| {
            let s = x.stage.as_ref().unwrap().value;
            x.stage_record(s)
                .is_none_or(|r| r.judgements.len() < data.process.roles.len())
        })
        .count();
    assert!(pending >= 3, "{pending} projects with pending judgements");
}

/// A second `check` reuses what the first parsed (`.dealbook/`) and says
/// the same, down to the source lines of findings in files it did not
/// read; a changed note is read again.
#[test]
fn a_second_check_reuses_the_parse_cache_and_reports_the_same() {
    let repo = Repo::demo();
    // Files changed within the last two seconds are not cached (they
    // could change again unseen within one tick of the clock).
    std::thread::sleep(std::time::Duration::from_millis(2_200));
    let cache = repo.path().join(".dealbook/projects.cache");
    let uncached = repo.check(&["--no-cache"]);
    assert!(!cache.exists(), "--no-cache leaves no cache");
    let first = repo.check(&[]);
    let written = std::fs::metadata(&cache).unwrap().modified().unwrap();
    let bytes = std::fs::read(&cache).unwrap();
    let second = repo.check(&[]);
    assert_eq!(first.stdout, uncached.stdout);
    assert_eq!(second.stdout, uncached.stdout);
    assert!(
        second.stdout.contains("| next_step = { date = 2026-11-18"),
        "{}",
        second.stdout
    );
    assert_eq!((first.code, second.code), (0, 0));
    // Every folder came from the cache: nothing new to write back.
    assert_eq!(
        std::fs::metadata(&cache).unwrap().modified().unwrap(),
        written
    );
    assert_eq!(std::fs::read(&cache).unwrap(), bytes);
    assert_eq!(repo.read(".dealbook/.gitignore").lines().last(), Some("*"));

    // An edit is seen at once: the folder is read again.
    let record = "content/projects/FZ-2026-002/project.toml";
    let text = repo
        .read(record)
        .replace("date = 2026-11-18", "date = 2026-12-18");
    repo.write(record, text);
    let third = repo.check(&[]);
    assert!(!third.stdout.contains("FZ-2026-002"), "{}", third.stdout);
    assert_eq!(third.stdout, repo.check(&["--no-cache"]).stdout);
}

/// A link out of the repo is reported, never read, with the parse cache
/// on as without: a link to `/dev/zero` read for its "source lines" would
/// never end.
#[cfg(unix)]
#[test]
fn a_link_to_a_device_is_reported_and_never_read() {
    let repo = Repo::demo();
    std::os::unix::fs::symlink(
        "/dev/zero",
        repo.path()
            .join("content/projects/FZ-2026-002/notes/zero.md"),
    )
    .unwrap();
    for args in [&[][..], &["--no-cache"][..]] {
        let mut cmd = repo.cmd(&["check", "--today", TODAY]);
        cmd.args(args).timeout(std::time::Duration::from_secs(120));
        let run = common::Run::of(cmd.output().unwrap());
        assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("zero.md"), "{}", run.stdout);
    }
}
