//! Every page type in headless Chromium, at a phone and a desktop width:
//! no script error, nothing wider than the screen (tables scroll in
//! their own box), and no date or amount split over two lines. The
//! project page printed to PDF is the paper form. Skips when Chromium is
//! not installed; `.ci/run` installs it.

mod common;

use std::path::Path;
use std::process::Command;

use common::Repo;

const PAGES: &[&str] = &[
    "index.html",
    "pending/index.html",
    "stages/index.html",
    "stages/initial_contact.html",
    "projects/index.html",
    "projects/HZ-2026-001.html",
    "people/liming.html",
    "departments/轨道交通事业部.html",
    "notes/index.html",
    "findings/index.html",
    "board/index.html",
    "board/forecast.html",
    "board/closing.html",
    "board/biggest.html",
    "board/stuck.html",
    "board/neglected.html",
    "board/overdue.html",
    "board/changes.html",
    "board/winloss.html",
    "people/index.html",
    "departments/index.html",
    "regions/index.html",
    "regions/浙江省.html",
];

/// Collects script errors from the start and, once loaded, records them
/// and any element that sticks out of the viewport.
const PROBE_HEAD: &str = "<script>window.__errors=[];addEventListener('error',function(e){__errors.push(String(e.message))});</script>";
const PROBE_END: &str = r#"<script>addEventListener('load',function(){setTimeout(function(){
var w=innerWidth,wide=[];document.querySelectorAll('body *').forEach(function(e){
if(e.closest('.scroll')||e.closest('.sr')||e.classList.contains('f-radio')||e.classList.contains('skip'))return;
var r=e.getBoundingClientRect();if(r.width>0&&r.right>w+1)wide.push(e.tagName+'.'+e.className)});
var split=[];document.querySelectorAll('time,.amount,.figure-value').forEach(function(e){
var g=document.createRange();g.selectNodeContents(e);var tops={};
Array.prototype.forEach.call(g.getClientRects(),function(r){if(r.width>0)tops[Math.round(r.top)]=1});
if(Object.keys(tops).length>1)split.push(e.textContent)});
document.body.setAttribute('data-probe',JSON.stringify({overflow:document.documentElement.scrollWidth>w,wide:wide.slice(0,5),split:split.slice(0,5),errors:__errors}))},50)});</script>"#;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

fn probe(browser: &str, page: &Path, width: u32, profile: &Path) -> serde_json::Value {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=3000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--window-size={width},900"))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let attr = dom.split("data-probe=\"").nth(1).unwrap_or_else(|| {
        panic!(
            "no probe result for {}: {}",
            page.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let json = attr
        .split('"')
        .next()
        .unwrap()
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap()
}

#[test]
fn pages_fit_phone_and_desktop_without_script_errors() {
    let Some(browser) = chromium() else {
        // On a developer's machine the test may skip; in CI (where `.ci/run`
        // installs Chromium) a missing browser is a failure, not a pass.
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but no Chromium was found: install Debian's chromium"
        );
        eprintln!("skipped: no Chromium on this machine");
        return;
    };
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let profile = tempfile::tempdir().unwrap();
    let site = repo.path().join("public");
    for page in PAGES {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        let probed = html
            .replacen("<head>", &format!("<head>{PROBE_HEAD}"), 1)
            .replacen("</body>", &format!("{PROBE_END}</body>"), 1);
        let path = site.join(page).with_file_name("_probe.html");
        std::fs::write(&path, probed).unwrap();
        for width in [375, 1280] {
            let result = probe(browser, &path, width, profile.path());
            assert_eq!(
                result["errors"],
                serde_json::json!([]),
                "{page} at {width}px: script errors"
            );
            assert_eq!(
                result["overflow"], false,
                "{page} at {width}px is wider than the screen: {}",
                result["wide"]
            );
            assert_eq!(
                result["split"],
                serde_json::json!([]),
                "{page} at {width}px: a date or amount over two lines"
            );
        }
    }
}

/// Whether a command-line tool runs here.
fn has_tool(tool: &str) -> bool {
    Command::new(tool)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
}

/// The page printed to PDF by Chromium (A4 from the page's `@page`), as
/// text, one string per printed page (pdftotext ends each with a form
/// feed).
fn print_pages(browser: &str, page: &Path, profile: &Path) -> Vec<String> {
    let pdf = page.with_extension("pdf");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        pdf.is_file(),
        "no PDF for {}: {}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let text = String::from_utf8(text.stdout).unwrap();
    text.split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// The text of every `<h2>` and `<h3>` of a page, tags and spaces removed.
fn headings(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for level in ["<h2", "<h3"] {
        for part in html.split(level).skip(1) {
            let inner = &part[part.find('>').unwrap() + 1..part.find("</h").unwrap()];
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag && !c.is_whitespace() => text.push(c),
                    _ => {}
                }
            }
            out.push(text);
        }
    }
    out
}

#[test]
fn the_project_page_prints_as_the_paper_form() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but no Chromium was found: install Debian's chromium"
        );
        eprintln!("skipped: no Chromium on this machine");
        return;
    };
    if !has_tool("pdftotext") {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but pdftotext was not found: install Debian's poppler-utils"
        );
        eprintln!("skipped: no pdftotext on this machine");
        return;
    }
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let profile = tempfile::tempdir().unwrap();
    let site = repo.path().join("public");
    let path = site.join("projects/HZ-2026-001.html");
    let html = std::fs::read_to_string(&path).unwrap();
    let pages = print_pages(browser, &path, profile.path());
    assert!(pages.len() >= 4, "{} pages", pages.len());
    let flat = |s: &str| s.split_whitespace().collect::<String>();
    for (n, page) in pages.iter().enumerate() {
        // The running head on every sheet.
        assert!(
            page.contains("HZ-2026-001") && flat(page).contains("钱塘轨道5号线二期综合监控系统"),
            "page {}: {page}",
            n + 1
        );
        // No heading at the foot of a page, parted from what it heads.
        let lines: Vec<String> = page
            .lines()
            .map(flat)
            .filter(|l| !l.is_empty() && !l.chars().all(|c| c.is_ascii_digit() || c == '/'))
            .collect();
        let last = lines.last().unwrap();
        assert!(
            !headings(&html).contains(last),
            "page {} ends with the heading {last}",
            n + 1
        );
    }
    let all: String = pages.iter().map(|p| flat(p)).collect();
    // Every stage, the ones not reached too, with each role's row.
    for stage in [
        "项目立项",
        "初步接触",
        "方案设计",
        "业绩展示",
        "方案确认",
        "项目评估",
        "商务谈判",
        "签约成交",
    ] {
        assert!(all.contains(stage), "{stage} is not on paper");
    }
    let role_rows = pages
        .iter()
        .flat_map(|p| p.lines())
        .filter(|l| l.trim() == "总经理")
        .count();
    assert_eq!(role_rows, 8, "a judgement row per stage");
    assert!(
        all.contains("明确成交的条件与付款方式"),
        "the last checklist"
    );
    // Nothing for whoever keeps the repository, no notes unless asked.
    assert!(!all.contains("记录文件") && !all.contains("project.toml"));
    assert!(!all.contains("judgements/"));
    let note = "首次拜访信息中心";
    assert!(html.contains(&format!("<h3>{note}</h3>")));
    assert!(
        !all.contains(&format!("{note}2026")),
        "a note printed unasked"
    );
    // Ticked, the box brings the notes and forms onto paper.
    let ticked = path.with_file_name("_ticked.html");
    std::fs::write(
        &ticked,
        html.replace("id=\"print-documents\">", "id=\"print-documents\" checked>"),
    )
    .unwrap();
    let with_notes = print_pages(browser, &ticked, profile.path());
    assert!(with_notes.len() > pages.len());
    let all: String = with_notes.iter().map(|p| flat(p)).collect();
    assert!(all.contains("沟通记录") && all.contains("附件表单"));
    for (n, page) in with_notes.iter().enumerate() {
        assert!(page.contains("HZ-2026-001"), "page {}", n + 1);
    }
}
