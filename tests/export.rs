//! `dealbook export` end to end: JSON as the site has it, CSV and xlsx
//! read back with the crates a user's tools would use, deterministic
//! bytes, and files that are never overwritten by accident.

mod common;

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};
use common::{Repo, Run, TODAY};

/// The eight stages of the bundled process, in zh-CN.
const STAGES: [&str; 8] = [
    "项目立项",
    "初步接触",
    "方案设计",
    "业绩展示",
    "方案确认",
    "项目评估",
    "商务谈判",
    "签约成交",
];

const JUDGEMENT: &str = "钱塘轨道二期预算已列入年度计划，我方一期有运维口碑，值得投入。";

impl Repo {
    /// `export --today TODAY` with extra arguments, stdout as bytes.
    fn export(&self, args: &[&str]) -> (Run, Vec<u8>) {
        let mut full = vec!["export", "--today", TODAY];
        full.extend_from_slice(args);
        let out = self.cmd(&full).output().unwrap();
        let bytes = out.stdout.clone();
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        (run, bytes)
    }

    fn projects(&self) -> usize {
        std::fs::read_dir(self.path().join("content/projects"))
            .unwrap()
            .count()
    }
}

/// Parses CSV (without its byte-order mark) into the header and the rows.
fn parse_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let body = bytes
        .strip_prefix("\u{FEFF}".as_bytes())
        .expect("a byte-order mark");
    let mut reader = csv::Reader::from_reader(body);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// A cell as text; dates as `YYYY-MM-DD`.
fn text(cell: Option<&Data>) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::DateTime(d)) => {
            let days = d.as_f64() as i64;
            let epoch = jiff::civil::date(1899, 12, 30);
            epoch
                .checked_add(jiff::Span::new().days(days))
                .unwrap()
                .to_string()
        }
        Some(other) => format!("{other:?}"),
    }
}

struct Book {
    xlsx: Xlsx<Cursor<Vec<u8>>>,
}

impl Book {
    fn open(bytes: Vec<u8>) -> Book {
        Book {
            xlsx: Xlsx::new(Cursor::new(bytes)).expect("a workbook calamine reads"),
        }
    }

    fn sheet(&mut self, name: &str) -> Range<Data> {
        self.xlsx.worksheet_range(name).unwrap()
    }
}

/// The titles of a sheet's first row.
fn titles(range: &Range<Data>) -> Vec<String> {
    range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| text(Some(c)))
        .collect()
}

/// The row whose first cell is `code`, by column title.
fn row_of(range: &Range<Data>, code: &str) -> Vec<(String, String)> {
    let titles = titles(range);
    let row = range
        .rows()
        .find(|r| text(r.first()) == code)
        .unwrap_or_else(|| panic!("no row {code}"));
    titles
        .into_iter()
        .zip(row.iter().map(|c| text(Some(c))))
        .collect()
}

fn value<'a>(row: &'a [(String, String)], title: &str) -> &'a str {
    &row.iter()
        .find(|(t, _)| t == title)
        .unwrap_or_else(|| panic!("no column {title}"))
        .1
}

#[test]
fn json_is_the_sites_pipeline_json() {
    let repo = Repo::demo();
    let built = repo.build(&[]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let (run, json) = repo.export(&["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json, repo.page("pipeline.json").into_bytes());
}

#[test]
fn csv_has_a_row_per_project_with_every_stage_by_id() {
    let repo = Repo::demo();
    let (run, bytes) = repo.export(&["--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("3 个警告"), "{}", run.stderr);
    let (header, rows) = parse_csv(&bytes);
    assert_eq!(rows.len(), repo.projects());
    // Records end in CRLF (text inside a field keeps its own line ends).
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.ends_with("\r\n"));
    assert_eq!(text.matches("\r\n").count(), rows.len() + 1);
    for column in [
        "code",
        "general_contractor",
        "initiation.entered",
        "initiation.conditions",
        "initiation.sales_rep.judgement",
        "signing.general_manager.date",
    ] {
        assert!(
            header.iter().any(|h| h == column),
            "no {column}: {header:?}"
        );
    }
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = rows.iter().find(|r| r[0] == "HZ-2026-001").unwrap();
    assert_eq!(row[at("initiation.entered")], "2026-08-10");
    assert_eq!(row[at("initiation.done")], "2026-08-24");
    assert_eq!(row[at("initiation.conditions")], "3/3");
    assert_eq!(row[at("initiation.sales_rep.judgement")], JUDGEMENT);
    assert_eq!(row[at("initiation.sales_rep.by")], "liming");
    assert_eq!(row[at("initiation.sales_rep.date")], "2026-08-18");
    assert_eq!(row[at("general_contractor")], "浙东铁建工程集团");
    // Not reached yet: no section, empty cells.
    assert_eq!(row[at("signing.entered")], "");
    assert_eq!(row[at("signing.conditions")], "");
}

#[test]
fn csv_starts_with_the_sites_pipeline_columns() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let (_, bytes) = repo.export(&["--format", "csv"]);
    let (header, rows) = parse_csv(&bytes);
    let (site_header, site_rows) =
        parse_csv(&std::fs::read(repo.path().join("public/pipeline.csv")).unwrap());
    let n = site_header.len();
    assert_eq!(header[..n], site_header[..]);
    for (row, site_row) in rows.iter().zip(&site_rows) {
        assert_eq!(row[..n], site_row[..]);
    }
}

#[test]
fn xlsx_has_the_projects_and_a_sheet_per_stage_like_the_paper_form() {
    let repo = Repo::demo();
    let file = repo.path().join("pipeline.xlsx");
    let (run, _) = repo.export(&["--format", "xlsx", "--out", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = Book::open(std::fs::read(&file).unwrap());
    let mut names = vec!["项目"];
    names.extend(STAGES);
    assert_eq!(book.xlsx.sheet_names(), names);

    let projects = book.sheet("项目");
    assert_eq!(projects.height(), repo.projects() + 1);
    let t = titles(&projects);
    assert_eq!(t[..3], ["项目代号", "项目名称", "项目所在地区"]);
    for title in [
        "总承包方",
        "项目报价人员",
        "所在部门",
        "营销人员",
        "当前阶段",
        "状态",
    ] {
        assert!(t.iter().any(|x| x == title), "no {title}: {t:?}");
    }
    let row = row_of(&projects, "HZ-2026-001");
    assert_eq!(value(&row, "项目名称"), "钱塘轨道5号线二期综合监控系统");
    assert_eq!(value(&row, "营销人员"), "李明");
    assert_eq!(value(&row, "当前阶段"), "方案设计");
    assert_eq!(value(&row, "状态"), "跟进中");
    assert_eq!(value(&row, "预计合同金额（元）"), "3800000");
    assert_eq!(value(&row, "预计成交日期"), "2027-03-31");
    assert_eq!(value(&row, "下一步日期"), "2026-12-03");

    let initiation = book.sheet("项目立项");
    let t = titles(&initiation);
    assert_eq!(
        t[..8],
        [
            "项目代号",
            "项目名称",
            "进入日期",
            "完成日期",
            "实际状况",
            "搜集信息，并完整填写项目立项申请表",
            "按项目立项流程上报",
            "审批通过并执行",
        ]
    );
    assert_eq!(
        t[8..12],
        [
            "营销人员判断",
            "营销人员跟进措施",
            "营销人员填写人",
            "营销人员填写日期"
        ]
    );
    let row = row_of(&initiation, "HZ-2026-001");
    assert_eq!(value(&row, "进入日期"), "2026-08-10");
    assert_eq!(value(&row, "搜集信息，并完整填写项目立项申请表"), "✓");
    assert_eq!(value(&row, "营销人员判断"), JUDGEMENT);
    assert_eq!(value(&row, "营销人员填写人"), "李明");
    assert_eq!(value(&row, "营销人员填写日期"), "2026-08-18");
    // The exact cell: the first data row is the first project in folder
    // order, the judgement right after the three conditions.
    assert_eq!(text(initiation.get((0, 8))), "营销人员判断");
    let hz = initiation
        .rows()
        .position(|r| text(r.first()) == "HZ-2026-001")
        .unwrap();
    assert_eq!(text(initiation.get((hz, 8))), JUDGEMENT);

    // A stage sheet holds only the projects whose record has that stage.
    let contract = book.sheet("签约成交");
    assert!(contract.height() < projects.height());
    assert!(
        contract
            .rows()
            .skip(1)
            .all(|r| text(r.first()) != "HZ-2026-001")
    );
}

#[test]
fn xlsx_in_english_has_english_titles() {
    let repo = Repo::demo();
    let (run, bytes) = repo.export(&["--locale", "en", "--format", "xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("exported"), "{}", run.stderr);
    let mut book = Book::open(bytes);
    assert_eq!(
        book.xlsx.sheet_names()[..2],
        ["Projects", "Project initiation"]
    );
    let t = titles(&book.sheet("Project initiation"));
    assert!(t.iter().any(|x| x == "Sales rep: judgement"), "{t:?}");
    let row = row_of(&book.sheet("Projects"), "HZ-2026-001");
    assert_eq!(value(&row, "Status"), "active");
}

#[test]
fn waived_conditions_show_their_reason() {
    let repo = Repo::fixture("three-stage");
    repo.write(
        "content/projects/L-001/project.toml",
        repo.read("content/projects/L-001/project.toml").replace(
            "budget = true",
            "budget = { waived = true, reason = \"school pays from reserves\" }",
        ),
    );
    let (run, bytes) = repo.export(&["--format", "xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = Book::open(bytes);
    // The fixture is in English; its stage names too.
    assert_eq!(
        book.xlsx.sheet_names(),
        ["Projects", "Qualify", "Quote", "Close"]
    );
    let row = row_of(&book.sheet("Qualify"), "L-001");
    assert_eq!(
        value(&row, "Budget confirmed"),
        "– (school pays from reserves)"
    );
    assert_eq!(value(&row, "Need confirmed"), "✓");
    assert_eq!(value(&row, "Rep: judgement"), "Real need, budget in place.");
    let (_, csv) = repo.export(&["--format", "csv"]);
    let (header, rows) = parse_csv(&csv);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = rows.iter().find(|r| r[0] == "L-001").unwrap();
    assert_eq!(row[at("qualify.conditions")], "2/2");
    assert_eq!(row[at("industry")], "Education");
    assert_eq!(row[at("qualify.lead.judgement")], "Agreed.");
}

#[test]
fn the_same_data_gives_the_same_bytes() {
    let repo = Repo::demo();
    let (first, one) = repo.export(&["--format", "xlsx"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    // A second later the clock has moved; the file must not show it.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (_, two) = repo.export(&["--format", "xlsx"]);
    assert!(one == two, "two exports of the same data differ");
    let (_, other_day) = repo.export(&["--format", "xlsx", "--today", "2026-12-01"]);
    assert!(one != other_day, "the as-of date is the creation date");
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let repo = Repo::demo();
    repo.write("out/pipeline.csv", "keep me");
    let out = repo.path().join("out/pipeline.csv");
    let path = out.to_str().unwrap();
    let (run, _) = repo.export(&["--format", "csv", "--out", path]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains(path), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(repo.read("out/pipeline.csv"), "keep me");

    let (run, _) = repo.export(&["--format", "csv", "--out", path, "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(repo.read("out/pipeline.csv").starts_with("\u{FEFF}code,"));
    // The temporary file was renamed, not left beside it.
    let left: Vec<_> = std::fs::read_dir(repo.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["pipeline.csv"]);
}

#[test]
fn a_failed_write_leaves_nothing() {
    let repo = Repo::demo();
    // A folder in the way: the rename fails even with --force.
    repo.write("out/pipeline.xlsx/inside", "x");
    let out = repo.path().join("out/pipeline.xlsx");
    let (run, _) = repo.export(&[
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let left: Vec<_> = std::fs::read_dir(repo.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["pipeline.xlsx"]);
}

#[test]
fn records_with_errors_are_exported_with_a_note() {
    let repo = Repo::demo();
    let record = "content/projects/HZ-2026-001/project.toml";
    repo.write(
        record,
        repo.read(record)
            .replace("amount = 3_800_000", "amount = \"三百八十万\""),
    );
    let (run, bytes) = repo.export(&["--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("1 个错误"), "{}", run.stderr);
    assert!(run.stderr.contains("dealbook check"), "{}", run.stderr);
    let (_, rows) = parse_csv(&bytes);
    assert_eq!(rows.len(), repo.projects());
}

#[test]
fn an_unusable_process_exports_nothing() {
    let repo = Repo::fixture("three-stage");
    let process = repo
        .read("data/process.toml")
        .replace("probability = 0.6", "probability = 6");
    repo.write("data/process.toml", process);
    let out = repo.path().join("out.json");
    let (run, bytes) = repo.export(&["--format", "json", "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("invalid-process"), "{}", run.stderr);
    assert!(bytes.is_empty());
    assert!(!out.exists());
}
