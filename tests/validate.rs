//! The built site passes the Nu HTML checker with no error, and axe-core
//! finds no violation of impact serious or critical on any page type, at
//! desktop and phone width. The tools come from npm (`tests/web`, which
//! `.ci/run` installs); on a machine without them the test skips, in CI
//! (`CI` set) it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Repo, crate_dir};

/// The checkers, or why they are not there.
struct Tools {
    vnu: PathBuf,
    chromium: PathBuf,
}

fn tools() -> Option<Tools> {
    let web = crate_dir().join("tests/web/node_modules");
    let vnu = web.join("vnu-jar/build/dist/vnu.jar");
    let has = |cmd: &str, arg: &str| {
        Command::new(cmd)
            .arg(arg)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file());
    let ready = vnu.is_file()
        && web.join("axe-core").is_dir()
        && web.join("puppeteer-core").is_dir()
        && has("java", "-version")
        && has("node", "--version");
    match (ready, chromium) {
        (true, Some(chromium)) => Some(Tools { vnu, chromium }),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but the checkers are missing: run `npm ci` in tests/web, install Java and Chromium"
            );
            eprintln!("skipped: the Nu HTML checker, axe-core or Chromium is not installed");
            None
        }
    }
}

/// Folders whose pages are one kind each (a page per project, person…);
/// every other page is a kind of its own.
const FAMILIES: &[&str] = &[
    "projects",
    "people",
    "departments",
    "regions",
    "stages",
    "notes",
];

/// One page of each kind the site has: the first of each family's pages
/// and every other page.
fn page_types(site: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut stack = vec![site.to_path_buf()];
    let mut all = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                all.push(path);
            }
        }
    }
    all.sort();
    for path in all {
        let rel = path
            .strip_prefix(site)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let kind = match rel.rsplit_once('/') {
            Some((dir, file)) if file != "index.html" && FAMILIES.contains(&dir) => {
                format!("{dir}/*")
            }
            _ => rel.clone(),
        };
        if seen.insert(kind) {
            pages.push(path);
        }
    }
    pages
}

fn built(locale: &str) -> Repo {
    let repo = Repo::demo();
    let run = repo.build(&["--locale", locale]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    repo
}

#[test]
fn every_page_passes_the_nu_html_checker() {
    let Some(tools) = tools() else { return };
    for locale in ["zh-CN", "en"] {
        let repo = built(locale);
        let out = Command::new("java")
            .arg("-jar")
            .arg(&tools.vnu)
            .args(["--errors-only", "--skip-non-html", "--format", "json"])
            .arg(repo.path().join("public"))
            .output()
            .unwrap();
        // vnu writes its JSON report to stderr.
        let report: serde_json::Value = serde_json::from_slice(&out.stderr)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        let errors: Vec<String> = report["messages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["type"] == "error")
            .map(|m| {
                let url = m["url"].as_str().unwrap_or("");
                let page = url.rsplit("/public/").next().unwrap_or(url);
                format!("{page}:{}: {}", m["lastLine"], m["message"])
            })
            .collect();
        assert!(
            errors.is_empty(),
            "{locale}: {} errors, the first:\n{}",
            errors.len(),
            errors
                .iter()
                .take(20)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn no_page_has_a_serious_accessibility_violation() {
    let Some(tools) = tools() else { return };
    let repo = built("zh-CN");
    let pages = page_types(&repo.path().join("public"));
    assert!(pages.len() >= 10, "{pages:?}");
    for width in ["1280", "375"] {
        let out = Command::new("node")
            .arg(crate_dir().join("tests/web/axe.js"))
            .arg(&tools.chromium)
            .arg(width)
            .args(&pages)
            .output()
            .unwrap();
        let violations = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.code() == Some(0),
            "at {width} px:\n{violations}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
