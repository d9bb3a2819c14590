//! A team's first afternoon, end to end: `init`, `new project|note|form`,
//! `move` (refused, forward, back), `close`, `export`, with `check`
//! passing after each step, as the README's walkthrough runs it.

mod common;

use std::process::Command;

use common::{Repo, Run};

const DAY: &str = "2026-11-29";
const CODE: &str = "HZ-2026-001";
const RECORD: &str = "content/projects/HZ-2026-001/project.toml";

/// `dealbook --root <repo> <args>` as of [`DAY`], in zh-CN.
fn run(repo: &Repo, args: &[&str]) -> Run {
    let mut cmd = repo.cmd(args);
    cmd.env("DEALBOOK_TODAY", DAY);
    Run::of(cmd.output().unwrap())
}

fn check(repo: &Repo) -> Run {
    let run = run(repo, &["check"]);
    assert_eq!(run.code, 0, "check failed:\n{}{}", run.stdout, run.stderr);
    run
}

fn git(repo: &Repo, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(repo.path())
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", repo.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}");
}

/// A fresh repo from `init`, in Git, with the example sales rep as the
/// Git user (so `new` knows who is writing).
fn started() -> Repo {
    let repo = Repo::empty();
    let out = dealbook(&["init", repo.path().to_str().unwrap(), "--today", DAY]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("dealbook check"), "{}", out.stdout);
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["config", "user.email", "zhangsan@example.com"]);
    git(&repo, &["config", "user.name", "张三"]);
    repo
}

/// `dealbook <args>` outside any repo.
fn dealbook(args: &[&str]) -> Run {
    Run::of(
        Command::new(assert_cmd::cargo::cargo_bin("dealbook"))
            .args(args)
            .env_remove("DEALBOOK_TODAY")
            .output()
            .unwrap(),
    )
}

#[test]
fn init_gives_a_repo_that_checks_and_builds_and_never_overwrites() {
    let repo = started();
    for file in [
        "dealbook.toml",
        "data/process.toml",
        "data/team.toml",
        ".gitignore",
        "README.md",
        ".github/workflows/dealbook.yml",
        "content/projects/EX-2026-001/project.toml",
        "content/projects/EX-2026-001/forms/项目立项申请表.md",
        "content/projects/EX-2026-001/notes/2026-11-24-电话沟通.md",
    ] {
        assert!(repo.path().join(file).is_file(), "{file}");
    }
    let checked = check(&repo);
    assert!(
        checked.stdout.contains("没有发现问题"),
        "{}",
        checked.stdout
    );
    assert_eq!(repo.build(&[]).code, 0);
    // The process written out is the built-in one, to adapt.
    assert_eq!(
        repo.read("data/process.toml"),
        std::fs::read_to_string(common::crate_dir().join("data/process.toml")).unwrap()
    );

    let before = repo.snapshot_tree();
    let again = dealbook(&["init", repo.path().to_str().unwrap()]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("不是空的"), "{}", again.stderr);
    assert_eq!(
        before,
        repo.snapshot_tree(),
        "a refused init changes nothing"
    );
}

#[test]
fn init_in_english_with_gitlab() {
    let repo = Repo::empty();
    let dir = repo.path().join("sales");
    let out = dealbook(&[
        "--locale",
        "en",
        "init",
        dir.to_str().unwrap(),
        "--ci",
        "gitlab",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(dir.join(".gitlab-ci.yml").is_file());
    assert!(!dir.join(".github").exists());
    let config = std::fs::read_to_string(dir.join("dealbook.toml")).unwrap();
    assert!(config.contains("locale = \"en\""));
    let run = Run::of(
        Command::new(assert_cmd::cargo::cargo_bin("dealbook"))
            .args(["--root", dir.to_str().unwrap(), "check"])
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn a_project_from_new_to_closed() {
    let repo = started();
    // new project: owner from the Git email, region and department from
    // the owner's entry in data/team.toml unless given.
    let made = run(
        &repo,
        &[
            "new",
            "project",
            CODE,
            "--name",
            "钱塘轨道5号线综合监控",
            "--region",
            "浙江省杭州市",
            "--amount",
            "380万",
            "--next-step",
            "首次拜访信息中心",
        ],
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    let record = repo.read(RECORD);
    for line in [
        "owner = \"zhangsan\"",
        "department = \"销售一部\"",
        "amount = 3_800_000",
        "stage = \"项目立项\"",
        "info_collected = false",
        "next_step = { date = 2026-12-06, what = \"首次拜访信息中心\" }",
    ] {
        assert!(record.contains(line), "{line} in\n{record}");
    }
    check(&repo);
    // Never over an existing record.
    let again = run(
        &repo,
        &["new", "project", CODE, "--name", "x", "--region", "y"],
    );
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("已经存在"), "{}", again.stderr);
    assert_eq!(repo.read(RECORD), record);

    // A note and two forms; the form of the current stage is linked.
    let note = run(&repo, &["new", "note", CODE, "--kind", "上门拜访"]);
    assert_eq!(note.code, 0, "{}", note.stderr);
    let note = repo.read("content/projects/HZ-2026-001/notes/2026-11-29-上门拜访.md");
    assert!(note.contains("kind = \"上门拜访\"") && note.contains("author = \"zhangsan\""));
    let form = run(&repo, &["new", "form", "hz-2026-001", "项目立项申请表"]);
    assert_eq!(form.code, 0, "{}", form.stderr);
    let form = repo.read("content/projects/HZ-2026-001/forms/项目立项申请表.md");
    assert!(
        form.contains("| 客户名称 |  |") && form.contains("| 申请理由 |  |"),
        "{form}"
    );
    assert!(
        repo.read(RECORD)
            .contains("initiation_application = \"forms/项目立项申请表.md\"")
    );
    let later = run(&repo, &["new", "form", CODE, "customer_info"]);
    assert_eq!(later.code, 0);
    assert!(later.stdout.contains("暂未挂接"), "{}", later.stdout);
    check(&repo);

    // The rep adds a comment of their own; every edit after keeps it.
    let record = repo.read(RECORD).replace(
        "[stages.initiation]",
        "# 客户信息中心很重视这个项目\n[stages.initiation]",
    );
    repo.write(RECORD, &record);

    // Advancing with the stage unfinished is refused, naming each gap.
    let refused = run(&repo, &["move", CODE, "初步接触"]);
    assert_eq!(refused.code, 1);
    assert!(
        refused
            .stderr
            .contains("content/projects/HZ-2026-001/project.toml:")
            && refused.stderr.contains("[missing-judgement]")
            && refused.stderr.contains("[stage-order]")
            && refused.stderr.contains("[missing-actual]"),
        "{}",
        refused.stderr
    );
    assert_eq!(repo.read(RECORD), record, "a refused move changes nothing");

    // The team fills in the stage, as they would in an editor.
    let mut filled = record
        .replacen("actual = \"\"", "actual = \"已通过立项评审\"", 1)
        .replace("reported = false", "reported = true")
        .replace("approved = false", "approved = true")
        .replace("info_collected = false", "info_collected = true");
    for (who, text) in [
        ("zhangsan", "值得投入"),
        ("lisi", "同意"),
        ("wangwu", "列入重点"),
        ("zhaoliu", "同意立项"),
    ] {
        filled = filled
            .replacen("by = \"\"", &format!("by = \"{who}\""), 1)
            .replacen("judgement = \"\"", &format!("judgement = \"{text}\""), 1)
            .replacen("follow_up = \"\"", "follow_up = \"两周内拜访\"", 1);
    }
    repo.write(RECORD, &filled);
    check(&repo);

    let moved = run(&repo, &["move", CODE, "初步接触"]);
    assert_eq!(moved.code, 0, "{}", moved.stderr);
    let record = repo.read(RECORD);
    assert!(record.contains("stage = \"初步接触\""), "{record}");
    assert!(record.contains("done = 2026-11-29"));
    assert!(record.contains("[stages.initial_contact]"));
    assert!(record.contains("target_customer = false"));
    assert!(record.contains("# 客户信息中心很重视这个项目"));
    check(&repo);

    // Back again: the stage returned to is open, the one left is kept.
    let back = run(&repo, &["move", CODE, "项目立项"]);
    assert_eq!(back.code, 0, "{}", back.stderr);
    let record = repo.read(RECORD);
    assert!(record.contains("stage = \"项目立项\""));
    assert!(!record.contains("done = 2026-11-29"), "{record}");
    assert!(record.contains("left = 2026-11-29"));
    assert!(record.contains("[stages.initial_contact]"));
    let checked = check(&repo);
    assert!(
        !checked.stdout.contains("stage-ahead"),
        "{}",
        checked.stdout
    );

    // Won needs the last stage; lost does not.
    let won = run(&repo, &["close", CODE, "won", "--reason", "技术第一"]);
    assert_eq!(won.code, 2);
    assert!(won.stderr.contains("签约成交"), "{}", won.stderr);
    let unknown = run(
        &repo,
        &[
            "close",
            CODE,
            "lost",
            "--reason",
            "贵",
            "--loss-reason",
            "太贵",
        ],
    );
    assert_eq!(unknown.code, 2, "a loss reason the process lacks");
    assert!(
        unknown.stderr.contains("价格（price）"),
        "{}",
        unknown.stderr
    );
    let lost = run(
        &repo,
        &[
            "close",
            CODE,
            "lost",
            "--reason",
            "价格高于对手",
            "--loss-reason",
            "价格",
            "--competitor",
            "某集成商",
        ],
    );
    assert_eq!(lost.code, 0, "{}", lost.stderr);
    let record = repo.read(RECORD);
    assert!(record.contains("status = \"lost\""));
    assert!(
        record.contains("reason = \"价格高于对手\"")
            && record.contains("loss_reason = \"价格\"")
            && record.contains("competitor = \"某集成商\"")
    );
    check(&repo);
    let stuck = run(&repo, &["move", CODE, "初步接触"]);
    assert_eq!(stuck.code, 2, "a closed project does not move");

    // Out to a spreadsheet and JSON.
    let xlsx = repo.path().join("pipeline.xlsx");
    let out = run(
        &repo,
        &[
            "export",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 1000);
    let json = run(&repo, &["export", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let lost = doc["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == CODE)
        .unwrap();
    assert_eq!(lost["status"], "lost");
    assert_eq!(lost["outcome"]["competitor"], "某集成商");
}

#[test]
fn a_running_project_starts_at_its_stage_and_checks() {
    let repo = started();
    let made = run(
        &repo,
        &[
            "new",
            "project",
            "NB-2026-003",
            "--name",
            "宁波港集装箱调度",
            "--owner",
            "张三",
            "--stage",
            "商务谈判",
            "--next-step",
            "报价",
        ],
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    let record = repo.read("content/projects/NB-2026-003/project.toml");
    assert!(record.contains("[imported]") && record.contains("stage = \"商务谈判\""));
    check(&repo);
}

#[test]
fn mistakes_on_the_command_line_are_explained_in_the_users_language() {
    let repo = started();
    let typo = run(&repo, &["chek"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("没有命令 `chek`") && typo.stderr.contains("`check`"),
        "{}",
        typo.stderr
    );
    let date = run(&repo, &["--locale", "en", "check", "--today", "2026-13-01"]);
    assert_eq!(date.code, 2);
    assert!(date.stderr.contains("not a date"), "{}", date.stderr);
    let owner = run(
        &repo,
        &["new", "project", "X-1", "--name", "x", "--owner", "nobody"],
    );
    assert_eq!(owner.code, 2);
    assert!(owner.stderr.contains("nobody"), "{}", owner.stderr);
    let stage = run(&repo, &["move", "EX-2026-001", "方案设记"]);
    assert_eq!(stage.code, 2);
    assert!(
        stage.stderr.contains("方案设计"),
        "suggests the stage: {}",
        stage.stderr
    );
    let code = run(&repo, &["new", "project", "../x", "--name", "x"]);
    assert_eq!(code.code, 2);
    assert!(!repo.path().join("content/x").exists());
}

/// After a run has left the parse cache, the commands that edit a record
/// read it from the file (unchanged since it was stamped) and still work.
#[test]
fn the_editing_commands_work_on_projects_the_cache_kept() {
    let repo = Repo::demo();
    // Older than the cache's racy window, so that `check` keeps them.
    std::thread::sleep(std::time::Duration::from_millis(2_200));
    check(&repo);
    assert!(repo.path().join(".dealbook/projects.cache").is_file());
    let record = "content/projects/FZ-2026-002/project.toml";
    let back = run(&repo, &["move", "FZ-2026-002", "初步接触"]);
    assert_eq!(back.code, 0, "{}", back.stderr);
    assert!(repo.read(record).contains("stage = \"initial_contact\""));
    let form = run(
        &repo,
        &["new", "form", "AQ-2026-001", "customer_info", "--force"],
    );
    assert_eq!(form.code, 0, "{}", form.stderr);
}
