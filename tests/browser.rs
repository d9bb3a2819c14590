//! Every page type in headless Chromium, at a phone and a desktop width:
//! no script error, and nothing wider than the screen (tables scroll in
//! their own box). Skips when Chromium is not installed; `.ci/run`
//! installs it.

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
document.body.setAttribute('data-probe',JSON.stringify({overflow:document.documentElement.scrollWidth>w,wide:wide.slice(0,5),errors:__errors}))},50)});</script>"#;

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
        for width in [390, 1280] {
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
        }
    }
}
