//! `dealbook import`: a team's spreadsheet into checked records. Each test
//! starts from the bundled process and team with no projects, imports a
//! small sheet written here (CSV, GBK CSV or an .xlsx made with
//! rust_xlsxwriter), and runs `check` on the result.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::{Repo, Run, TODAY, crate_dir};

/// A data repo with the bundled process and team and no projects.
fn repo() -> Repo {
    let repo = Repo::empty();
    repo.write(
        "dealbook.toml",
        "title = \"导入测试\"\nlocale = \"zh-CN\"\n\n[history]\nenabled = false\n",
    );
    for file in ["data/process.toml", "data/team.toml"] {
        repo.write(file, fs::read(crate_dir().join(file)).unwrap());
    }
    repo
}

/// The sheet and mapping live outside the repo, as a team's export would.
struct Inbox {
    dir: tempfile::TempDir,
}

impl Inbox {
    fn new() -> Inbox {
        Inbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn put(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        path
    }
}

/// `dealbook import FILE --map MAP <args>` on `repo`, as of [`TODAY`]
/// unless `args` name another day.
fn import(repo: &Repo, file: &Path, map: &Path, args: &[&str]) -> Run {
    let mut cmd = repo.cmd(&["import"]);
    cmd.arg(file).arg("--map").arg(map).args(args);
    if !args.contains(&"--today") {
        cmd.args(["--today", TODAY]);
    }
    let run = Run::of(cmd.output().unwrap());
    assert_ne!(run.code, 101, "panicked:\n{}", run.stderr);
    run
}

const MAP: &str = r#"
[fields]
code = "项目编号"
name = "项目名称"
owner = "负责人"
stage = "阶段"
status = "状态"
region = "地区"
department = "部门"
amount = { column = "预计金额（万元）", unit = "万元" }
expected_close = "预计签约"
entered = [{ column = "签约日期", when = { "状态" = "已成交" } }, "立项日期"]
"outcome.date" = "签约日期"
"outcome.contract_value" = "合同金额"
"#;

const HEAD: &str = "项目编号,项目名称,负责人,阶段,状态,地区,部门,预计金额（万元）,预计签约,立项日期,签约日期,合同金额\n";

/// Three rows that can be taken: an active project by a rep named by
/// name, a won one, and a lost one owned by someone the team lacks.
const GOOD: &str = "\
HZ-2026-101,杭州地铁7号线综合监控,李明,方案设计,跟进中,浙江省杭州市,轨道交通事业部,380,2027/3/31,2026年9月1日,,
HZ-2026-102,宁波智慧园区,王芳,签约成交,已成交,浙江省宁波市,智慧城市事业部,120,,2026-03-02,2026-10-08,\"¥1,250,000\"
HZ-2026-105,湖州轨交票务,Zhao Lei,商务谈判,已丢单,浙江省湖州市,轨道交通事业部,200,,2026-02-01,2026-09-30,
";

/// Rows 4, 5 and 7 cannot be taken.
fn sheet_with_bad_rows() -> String {
    let mut rows: Vec<&str> = GOOD.lines().collect();
    rows.insert(2, "HZ-2026-103,绍兴配网改造,李明,方案涉计,跟进中,浙江省绍兴市,能源电力事业部,90,,2026-05-06,,");
    rows.insert(
        3,
        "HZ-2026-104,嘉兴供水调度,李明,初步接触,跟进中,浙江省嘉兴市,智慧城市事业部,60,,下周,,",
    );
    rows.push("hz-2026-101,重复,李明,方案设计,跟进中,浙江省杭州市,轨道交通事业部,1,,,,");
    format!("{HEAD}{}\n", rows.join("\n"))
}

/// Every file of the repo with its bytes and modification time.
fn stamps(repo: &Repo) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    repo.snapshot_tree()
        .into_iter()
        .map(|(p, b)| {
            let t = fs::metadata(&p).unwrap().modified().unwrap();
            (p, b, t)
        })
        .collect()
}

fn record(repo: &Repo, code: &str) -> String {
    repo.read(&format!("content/projects/{code}/project.toml"))
}

#[test]
fn a_dry_run_lists_what_it_would_do_and_every_refused_row() {
    let repo = repo();
    let inbox = Inbox::new();
    let sheet = inbox.put("sheet.csv", sheet_with_bad_rows());
    let map = inbox.put("map.toml", MAP);
    let before = repo.snapshot_tree();
    let run = import(&repo, &sheet, &map, &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    for line in [
        "sheet.csv：6 行（UTF-8，分隔符“,”）",
        "+ HZ-2026-101  杭州地铁7号线综合监控  (方案设计, 跟进中)",
        "+ HZ-2026-102  宁波智慧园区  (签约成交, 已成交)",
        "sheet.csv:4: 列“阶段”: 未知的阶段 `方案涉计`",
        "  = 建议: 是不是想写 `方案设计`？",
        "sheet.csv:5: 列“立项日期”: `下周` 不是日期",
        "sheet.csv:7: 列“项目编号”: 项目代号 `hz-2026-101` 在第 2 行已经出现",
        "id = \"zhao-lei\"",
        "将新建 3 个项目，更新 0 个，0 个不变；6 行中有 3 行未导入",
    ] {
        assert!(run.stdout.contains(line), "no {line:?} in\n{}", run.stdout);
    }
    assert!(
        run.stdout.contains("--write --skip-bad --add-people"),
        "the command to write: {}",
        run.stdout
    );
    assert_eq!(repo.snapshot_tree(), before, "a dry run writes nothing");

    let en = Run::of(
        repo.cmd(&["--locale", "en", "import"])
            .arg(&sheet)
            .arg("--map")
            .arg(&map)
            .args(["--today", TODAY])
            .output()
            .unwrap(),
    );
    assert!(
        en.stdout
            .contains("sheet.csv:4: column \"阶段\": unknown stage `方案涉计`"),
        "{}",
        en.stdout
    );
}

#[test]
fn write_refuses_while_rows_fail_and_skip_bad_writes_the_rest() {
    let repo = repo();
    let inbox = Inbox::new();
    let sheet = inbox.put("sheet.csv", sheet_with_bad_rows());
    let map = inbox.put("map.toml", MAP);
    let before = repo.snapshot_tree();

    let run = import(&repo, &sheet, &map, &["--write"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("没有写入任何文件：有 3 行未能导入"),
        "{}",
        run.stdout
    );
    assert_eq!(repo.snapshot_tree(), before);

    // The good rows are fine, but one of them names someone the team lacks.
    let run = import(&repo, &sheet, &map, &["--write", "--skip-bad"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("--add-people"), "{}", run.stdout);
    assert_eq!(repo.snapshot_tree(), before);

    let team_before = repo.read("data/team.toml");
    let run = import(
        &repo,
        &sheet,
        &map,
        &["--write", "--skip-bad", "--add-people"],
    );
    assert_eq!(run.code, 1, "rows were refused: {}", run.stdout);
    assert!(run.stdout.contains("已新建 3 个项目"), "{}", run.stdout);
    assert!(
        run.stdout.contains("sheet.csv:4:"),
        "refused rows are still listed"
    );
    let team = repo.read("data/team.toml");
    assert!(
        team.starts_with(&team_before),
        "the roster keeps its comments"
    );
    assert!(team.ends_with(
        "\n[[people]]\nid = \"zhao-lei\"\nname = \"Zhao Lei\"\nroles = [\"sales_rep\"]\ndepartment = \"轨道交通事业部\"\nregion = \"浙江省湖州市\"\n"
    ));

    let won = record(&repo, "HZ-2026-102");
    for line in [
        "owner = \"wangfang\"",
        "stage = \"签约成交\"",
        "status = \"won\"",
        "amount = 1_200_000",
        "entered = 2026-10-08",
        "contract_value = 1_250_000",
        "date = 2026-11-26                       # 导入日期",
        "source = \"sheet.csv 第 3 行\"",
    ] {
        assert!(won.contains(line), "no {line:?} in\n{won}");
    }
    assert!(
        record(&repo, "HZ-2026-101").contains("owner = \"liming\""),
        "李明 by name"
    );
    assert!(!repo.path().join("content/projects/HZ-2026-103").exists());
    let check = repo.check(&[]);
    assert_eq!(check.code, 0, "{}", check.stdout);
}

#[test]
fn running_the_same_import_twice_changes_nothing() {
    let repo = repo();
    let inbox = Inbox::new();
    let sheet = inbox.put("sheet.csv", format!("{HEAD}{GOOD}"));
    let map = inbox.put("map.toml", MAP);
    let run = import(&repo, &sheet, &map, &["--write", "--add-people"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let first = stamps(&repo);
    std::thread::sleep(std::time::Duration::from_millis(20));

    let run = import(
        &repo,
        &sheet,
        &map,
        &["--write", "--add-people", "--update"],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("已新建 0 个项目，更新 0 个，3 个不变"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("没有需要写入的内容"), "{}", run.stdout);
    assert_eq!(stamps(&repo), first, "same bytes, same modification times");

    let dry = import(&repo, &sheet, &map, &[]);
    assert_eq!(dry.code, 0);
    assert!(
        !dry.stdout.contains("--write"),
        "nothing to write: {}",
        dry.stdout
    );
}

#[test]
fn update_changes_only_mapped_fields_and_keeps_what_people_wrote() {
    let repo = repo();
    let inbox = Inbox::new();
    let map = inbox.put("map.toml", MAP);
    let sheet = inbox.put("sheet.csv", format!("{HEAD}{GOOD}"));
    assert_eq!(
        import(&repo, &sheet, &map, &["--write", "--add-people"]).code,
        0
    );

    // The rep writes in the record after the import.
    let path = "content/projects/HZ-2026-101/project.toml";
    let written = record(&repo, "HZ-2026-101")
        .replacen(
            "[stages.solution_design.judgements.sales_rep]",
            "# 李明 11-26 补充：客户要求先做方案访谈\n[stages.solution_design.judgements.sales_rep]",
            1,
        )
        .replacen(
            "judgement = \"\"                          # 判断",
            "judgement = \"客户预算已批复，值得投入。\"  # 判断",
            1,
        );
    repo.write(path, &written);

    // The sheet changes: a new amount, another owner, the same stage.
    let changed = format!("{HEAD}{GOOD}").replace(
        "李明,方案设计,跟进中,浙江省杭州市,轨道交通事业部,380",
        "王芳,方案设计,跟进中,浙江省杭州市,轨道交通事业部,420",
    );
    let sheet = inbox.put("sheet.csv", changed);

    let dry = import(&repo, &sheet, &map, &[]);
    assert_eq!(dry.code, 0, "{}", dry.stdout);
    assert!(
        dry.stdout.contains("表格与以下已有项目不一致"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout
            .contains("HZ-2026-101  owner: liming → wangfang; amount: 3,800,000 → 4,200,000"),
        "{}",
        dry.stdout
    );
    let run = import(&repo, &sheet, &map, &["--write"]);
    assert_eq!(run.code, 0);
    assert_eq!(repo.read(path), written, "without --update nothing changes");

    let run = import(&repo, &sheet, &map, &["--write", "--update"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("已新建 0 个项目，更新 1 个，2 个不变"),
        "{}",
        run.stdout
    );
    let after = repo.read(path);
    let changed: Vec<(&str, &str)> = written
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [
            (
                "owner = \"liming\"                        # 营销人员（data/team.toml 中的人员 id）",
                "owner = \"wangfang\"                      # 营销人员（data/team.toml 中的人员 id）"
            ),
            (
                "amount = 3_800_000                      # 预计合同金额（元）",
                "amount = 4_200_000                      # 预计合同金额（元）"
            ),
        ]
    );
    assert_eq!(after.lines().count(), written.lines().count());
    let check = repo.check(&[]);
    assert_eq!(check.code, 0, "{}", check.stdout);
}

#[test]
fn update_moves_a_stage_forward_with_its_section_and_never_back() {
    let repo = repo();
    let inbox = Inbox::new();
    let map = inbox.put("map.toml", MAP);
    let sheet = inbox.put("sheet.csv", format!("{HEAD}{GOOD}"));
    assert_eq!(
        import(&repo, &sheet, &map, &["--write", "--add-people"]).code,
        0
    );
    let before = record(&repo, "HZ-2026-101");

    let forward = format!("{HEAD}{GOOD}").replace(",李明,方案设计,", ",李明,业绩展示,");
    let sheet = inbox.put("sheet.csv", forward);
    let run = import(
        &repo,
        &sheet,
        &map,
        &["--write", "--update", "--today", "2026-11-27"],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    let after = record(&repo, "HZ-2026-101");
    assert!(after.contains("stage = \"业绩展示\""));
    let section = after
        .find("[stages.showcase]")
        .expect("the stage reached has its section");
    assert!(after[section..].starts_with("[stages.showcase]  # 业绩展示\nentered = 2026-11-27"));
    let kept = &before
        [before.find("[stages.solution_design]").unwrap()..before.find("[imported]").unwrap()];
    assert!(after.contains(kept), "the earlier stage is kept as it was");
    assert!(after.contains("stage = \"方案设计\"                      # 导入时所在阶段"));

    let back = format!("{HEAD}{GOOD}").replace(",李明,方案设计,", ",李明,初步接触,");
    let sheet = inbox.put("sheet.csv", back);
    let run = import(&repo, &sheet, &map, &["--write", "--update"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("导入不会把项目退回到前面的阶段"),
        "{}",
        run.stdout
    );
    assert_eq!(record(&repo, "HZ-2026-101"), after);
}

#[test]
fn an_xlsx_sheet_with_a_title_row_excel_dates_and_amounts_in_wan() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    book.add_worksheet().set_name("说明").unwrap();
    let sheet = book.add_worksheet().set_name("台账").unwrap();
    sheet.write(0, 0, "2026 年项目台账").unwrap();
    let titles = [
        "编号",
        "名称",
        "负责人",
        "阶段",
        "地区",
        "部门",
        "金额（万元）",
        "进入日期",
    ];
    for (c, t) in titles.iter().enumerate() {
        sheet.write(1, c as u16, *t).unwrap();
    }
    let date = Format::new().set_num_format("yyyy/m/d");
    // code, name, owner, stage, amount in 万元, entered
    let rows = [
        (
            "NB-2026-001",
            "宁波港口调度",
            "王芳",
            "初步接触",
            256.5,
            (10, 12),
        ),
        (
            "NB-2026-002",
            "宁波地铁票务",
            "liming",
            "项目立项",
            80.0,
            (11, 2),
        ),
    ];
    for (i, (code, name, owner, stage, wan, (m, d))) in rows.into_iter().enumerate() {
        let r = i as u32 + 2;
        sheet.write(r, 0, code).unwrap();
        sheet.write(r, 1, name).unwrap();
        sheet.write(r, 2, owner).unwrap();
        sheet.write(r, 3, stage).unwrap();
        sheet.write(r, 4, "浙江省宁波市").unwrap();
        sheet.write(r, 5, "轨道交通事业部").unwrap();
        sheet.write(r, 6, wan).unwrap();
        let when = ExcelDateTime::from_ymd(2026, m, d).unwrap();
        sheet.write_with_format(r, 7, &when, &date).unwrap();
    }
    let inbox = Inbox::new();
    let file = inbox.put("台账.xlsx", book.save_to_buffer().unwrap());
    let map = inbox.put(
        "map.toml",
        "[source]\nsheet = \"台账\"\nheader_row = 2\n\n[fields]\ncode = \"编号\"\nname = \"名称\"\n\
         owner = \"负责人\"\nstage = \"阶段\"\nregion = \"地区\"\ndepartment = \"部门\"\n\
         amount = { column = \"金额（万元）\", unit = \"万元\" }\nentered = \"进入日期\"\n",
    );
    let repo = repo();
    let run = import(&repo, &file, &map, &["--write"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("台账.xlsx：2 行（工作表“台账”）"),
        "{}",
        run.stdout
    );
    let first = record(&repo, "NB-2026-001");
    assert!(first.contains("amount = 2_565_000"), "{first}");
    assert!(first.contains("entered = 2026-10-12"), "{first}");
    assert!(first.contains("source = \"台账.xlsx 第 3 行\""), "{first}");
    assert!(record(&repo, "NB-2026-002").contains("owner = \"liming\""));
    assert_eq!(repo.check(&[]).code, 0);
}

#[test]
fn a_gbk_csv_from_excel_on_chinese_windows_is_read() {
    // GBK has no ¥ (U+00A5); a Chinese Excel writes the full-width ￥.
    let text = format!("{HEAD}{GOOD}").replace('¥', "￥");
    let (bytes, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    let inbox = Inbox::new();
    let sheet = inbox.put("sheet.csv", &bytes);
    let map = inbox.put("map.toml", MAP);
    let repo = repo();
    let run = import(&repo, &sheet, &map, &["--write", "--add-people"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("（GB18030，"),
        "says how it was read: {}",
        run.stdout
    );
    assert!(record(&repo, "HZ-2026-102").contains("contract_value = 1_250_000"));
    assert!(record(&repo, "HZ-2026-101").contains("name = \"杭州地铁7号线综合监控\""));
    assert_eq!(repo.check(&[]).code, 0);
}

#[test]
fn a_wrong_mapping_is_reported_like_check_reports_records() {
    let inbox = Inbox::new();
    let sheet = inbox.put("sheet.csv", format!("{HEAD}{GOOD}"));
    let map = inbox.put(
        "map.toml",
        MAP.replace("owner = \"负责人\"", "ownr = \"负责人\"")
            .replace("stage = \"阶段\"", "stage = \"阶段名\"")
            .replace(
                "[fields]",
                "[values.stage]\n\"谈判\" = \"Negotiatin\"\n\n[fields]",
            ),
    );
    let repo = repo();
    let run = import(&repo, &sheet, &map, &["--write"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let shown = map.display().to_string();
    for line in [
        format!("{shown}:3:8: 错误[unknown-stage]: 未知的阶段 `Negotiatin`"),
        format!("{shown}:8:1: 错误[unknown-key]: `ownr` 不是项目记录的字段"),
        "= 建议: 是不是想写 `owner`？".to_string(),
        "错误[unknown-value]: sheet.csv 中没有 `阶段名` 列".to_string(),
    ] {
        assert!(run.stderr.contains(&line), "no {line:?} in\n{}", run.stderr);
    }
    assert!(
        !run.stderr.contains("没有映射 `owner`"),
        "a typo is one finding"
    );

    // Column titles alone.
    let map = inbox.put(
        "map.toml",
        MAP.replace("stage = \"阶段\"", "stage = \"阶段名\""),
    );
    let run = import(&repo, &sheet, &map, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("错误[unknown-value]: sheet.csv 中没有 `阶段名` 列"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("是不是想写 `阶段`？"), "{}", run.stderr);
    assert!(!repo.path().join("content").exists());
}

#[test]
fn odd_files_are_refused_without_a_panic() {
    let inbox = Inbox::new();
    let map = inbox.put("map.toml", MAP);
    let repo = repo();
    let cases: [(&str, &[u8], i32); 5] = [
        ("empty.csv", b"", 2),
        ("binary.csv", b"\x00\x01\x02\x03\xff\xd8\xff\xe0", 2),
        ("fake.xlsx", b"PK\x03\x04 this is no workbook", 2),
        ("header-only.csv", HEAD.as_bytes(), 0),
        (
            "ragged.csv",
            b"\xe9\xa1\xb9\xe7\x9b\xae\xe7\xbc\x96\xe5\x8f\xb7\n\"unclosed,\n",
            2,
        ),
    ];
    for (name, bytes, code) in cases {
        let file = inbox.put(name, bytes);
        let run = import(&repo, &file, &map, &["--write"]);
        assert_eq!(run.code, code, "{name}: {}{}", run.stdout, run.stderr);
    }
    let huge = format!(
        "{HEAD}{}",
        GOOD.replace("杭州地铁7号线综合监控", &"长".repeat(200_000))
    );
    let file = inbox.put("huge.csv", huge);
    let run = import(&repo, &file, &map, &["--add-people"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let missing = inbox.dir.path().join("nowhere.csv");
    let run = import(&repo, &missing, &map, &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("无法读取"), "{}", run.stderr);
}

/// The CRM Sales Opportunities practice data set (SOURCE.md there), read
/// where it lies: never copied into this repo. Skips when it is absent.
#[test]
fn the_crm_sales_opportunities_data_set_imports_whole() {
    let data = crate_dir().join("../shared/data/crm-sales-opportunities");
    let pipeline = data.join("sales_pipeline.csv");
    if !pipeline.is_file() {
        eprintln!("skipped: {} is not there", pipeline.display());
        return;
    }
    let map = crate_dir().join("examples/import/crm-sales-opportunities.toml");
    // A fresh repo from `dealbook init`, as a team would start.
    let repo = Repo::empty();
    let mut init = repo.cmd(&[
        "init",
        repo.path().to_str().unwrap(),
        "--today",
        "2026-11-29",
    ]);
    assert!(init.output().unwrap().status.success());
    let run = import(&repo, &pipeline, &map, &["--write", "--add-people"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("已新建 8800 个项目"),
        "{}",
        run.stdout.lines().last().unwrap_or("")
    );

    let loaded = dealbook::load::load(repo.path()).unwrap();
    assert!(loaded.findings.is_empty(), "{:?}", loaded.findings.first());
    let data = loaded.dataset.unwrap();
    let won_value: i64 = data
        .projects
        .iter()
        .filter(|p| p.status() == dealbook::model::Status::Won)
        .map(dealbook::analyze::funnel::contract_value)
        .sum();
    assert_eq!(won_value, 10_005_534);
    assert_eq!(
        data.team.people.len(),
        4 + 36,
        "init's four example people, 30 agents with deals and 6 managers"
    );

    // The site's pipeline.json, as `export` writes the same document (a
    // debug build of 8,800 pages takes minutes; an optimized test run
    // builds the site and reads the file itself).
    let pipeline_json = if cfg!(debug_assertions) {
        let mut out = repo.cmd(&["export", "--format", "json", "--today", "2026-11-29"]);
        String::from_utf8(out.output().unwrap().stdout).unwrap()
    } else {
        let build = repo.build(&[]);
        assert_eq!(build.code, 0, "{}", build.stderr);
        repo.page("pipeline.json")
    };
    let json: serde_json::Value = serde_json::from_str(&pipeline_json).unwrap();
    let projects = json["projects"].as_array().unwrap();
    let count = |s: &str| projects.iter().filter(|p| p["status"] == s).count();
    assert_eq!(
        (projects.len(), count("won"), count("lost")),
        (8800 + 1, 4238, 2473),
        "the imported deals and init's example project"
    );

    let check = repo.check(&[]);
    assert_eq!(
        check.code,
        0,
        "{}",
        check.stdout.lines().last().unwrap_or("")
    );

    let again = import(&repo, &pipeline, &map, &[]);
    assert_eq!(again.code, 0);
    assert!(
        again
            .stdout
            .contains("将新建 0 个项目，更新 0 个，8800 个不变")
    );
}

/// Runs git in the repo as someone the team does not know (whoever runs
/// the import: an assistant, a script).
fn git(repo: &Repo, date: &str, args: &[&str]) {
    let stamp = format!("{date}T12:00:00+00:00");
    let out = std::process::Command::new("git")
        .current_dir(repo.path())
        .args(args)
        .env("GIT_AUTHOR_NAME", "Importer")
        .env("GIT_AUTHOR_EMAIL", "it@elsewhere.example")
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_NAME", "Importer")
        .env("GIT_COMMITTER_EMAIL", "it@elsewhere.example")
        .env("GIT_COMMITTER_DATE", &stamp)
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

#[test]
fn judgements_that_come_with_the_import_are_credited_to_it() {
    let repo = repo();
    repo.write(
        "dealbook.toml",
        "title = \"导入测试\"\nlocale = \"zh-CN\"\n",
    );
    let inbox = Inbox::new();
    let map = inbox.put(
        "map.toml",
        format!(
            "{MAP}\"judgements.dept_head.judgement\" = \"主管意见\"\n\
             \"judgements.dept_head.follow_up\" = \"跟进\"\n\"judgements.dept_head.by\" = \"主管\"\n"
        ),
    );
    let rows: String = GOOD
        .lines()
        .map(|l| format!("{l},值得投入,两周内拜访,周强\n"))
        .collect();
    let sheet = inbox.put(
        "sheet.csv",
        format!("{},主管意见,跟进,主管\n{rows}", HEAD.trim_end()),
    );
    git(&repo, TODAY, &["init", "-q"]);
    let run = import(&repo, &sheet, &map, &["--write", "--add-people"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let text = record(&repo, "HZ-2026-101");
    assert!(text.contains("by = \"zhouqiang\""), "{text}");
    assert!(text.contains("judgement = \"值得投入\""), "{text}");
    git(&repo, TODAY, &["add", "-A"]);
    git(&repo, TODAY, &["commit", "-q", "-m", "Import the ledger"]);
    let check = repo.check(&[]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(
        !check.stdout.contains("unknown-author") && !check.stdout.contains("judgement-author"),
        "the importer is not the author of the judgements:\n{}",
        check.stdout
    );

    // The same person rewriting a judgement afterwards is its author.
    let path = "content/projects/HZ-2026-101/project.toml";
    repo.write(
        path,
        record(&repo, "HZ-2026-101").replace("值得投入", "可以投入"),
    );
    git(&repo, TODAY, &["commit", "-q", "-am", "Edit"]);
    let check = repo.check(&[]);
    assert!(
        check.stdout.contains("[unknown-author]"),
        "{}",
        check.stdout
    );
}
