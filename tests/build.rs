//! `dealbook build` end to end: the site's content, safety, determinism
//! and atomic writing.

mod common;

use common::{Repo, TODAY, unescape};

/// Every `href="…"` of a page.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn the_demo_builds_every_page_type() {
    let repo = Repo::demo();
    let run = repo.build(&[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    for page in [
        "index.html",
        "pending/index.html",
        "stages/index.html",
        "stages/solution_design.html",
        "projects/index.html",
        "projects/HZ-2026-001.html",
        "people/liming.html",
        "departments/轨道交通事业部.html",
        "regions/浙江省.html",
        "notes/index.html",
        "findings/index.html",
        "pipeline.json",
        "pipeline.csv",
        "static/style.css",
        "static/app.js",
    ] {
        assert!(repo.path().join("public").join(page).is_file(), "no {page}");
    }
    let project = repo.page("projects/HZ-2026-001.html");
    assert!(project.contains("项目跟踪流程表"));
    assert!(project.contains("id=\"stage-initiation-general_manager\""));
}

#[test]
fn the_funnel_shows_the_numbers_of_the_records() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    // Count active projects per stage straight from the records.
    let loaded = dealbook::load::load(repo.path()).unwrap();
    let data = loaded.dataset.unwrap();
    let mut expected = vec![0usize; data.process.stages.len()];
    for p in &data.projects {
        if p.status() == dealbook::model::Status::Active {
            expected[p.stage.as_ref().unwrap().value] += 1;
        }
    }
    let index = repo.page("index.html");
    let table = index
        .split("<table class=\"data funnel\">")
        .nth(1)
        .unwrap()
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    let shown: Vec<usize> = table
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let cell = row.split("<td class=\"num\">").nth(1).unwrap();
            cell.split('<').next().unwrap().parse().unwrap()
        })
        .collect();
    assert_eq!(shown, expected);
    assert_eq!(expected.iter().sum::<usize>(), 23);
    // The key figure agrees.
    assert!(
        index.contains("<div class=\"figure-value\">23</div>"),
        "active projects figure"
    );
    // And the JSON export lists every project with its stage id.
    let json: serde_json::Value = serde_json::from_str(&repo.page("pipeline.json")).unwrap();
    let projects = json["projects"].as_array().unwrap();
    assert_eq!(projects.len(), data.projects.len());
    let hz = projects
        .iter()
        .find(|p| p["code"] == "HZ-2026-001")
        .unwrap();
    assert_eq!(hz["stage"], "solution_design");
    assert_eq!(hz["status"], "active");
    assert_eq!(hz["owner"], "liming");
    assert_eq!(hz["amount"], 3_800_000);
    assert_eq!(
        hz["stages"]["initiation"]["conditions"]["reported"]["state"],
        "met"
    );
}

#[test]
fn every_pending_item_links_to_its_anchor() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let pending = repo.page("pending/index.html");
    let links: Vec<String> = hrefs(&pending)
        .into_iter()
        .filter(|h| h.starts_with("../projects/") && h.contains('#'))
        .collect();
    assert!(links.len() > 20, "{} links", links.len());
    for link in &links {
        let (page, anchor) = link.trim_start_matches("../").split_once('#').unwrap();
        let html = repo.page(&unescape(page));
        assert!(
            html.contains(&format!("id=\"{}\"", unescape(anchor))),
            "{link} has no target"
        );
    }
    // A judgement still owed in a current stage is among them.
    assert!(
        links
            .iter()
            .any(|l| l.ends_with("#stage-solution_design-dept_head")
                || l.contains("-general_manager")),
        "{links:?}"
    );
}

#[test]
fn every_internal_link_resolves_and_is_relative() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    for (path, bytes) in repo.site() {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let dir = std::path::Path::new(&path).parent().unwrap().to_path_buf();
        for href in hrefs(&html) {
            if href.starts_with("http") || href.starts_with('#') || href.starts_with("mailto:") {
                continue;
            }
            assert!(
                !href.starts_with('/'),
                "{path}: root-relative link {href} breaks file:// and sub-paths"
            );
            let target = unescape(href.split('#').next().unwrap());
            let full = repo.path().join("public").join(&dir).join(&target);
            assert!(full.exists(), "{path}: broken link {href}");
        }
        for external in ["src=\"http", "href=\"//", "@import", "url(http"] {
            assert!(
                !html.contains(external),
                "{path}: external resource {external}"
            );
        }
    }
}

#[test]
fn user_text_cannot_run_script() {
    let repo = Repo::fixture("three-stage");
    let path = "content/projects/L-001/project.toml";
    let record = repo
        .read(path)
        .replace(
            "name = \"Office chairs for a school\"",
            "name = \"<script>alert('name')</script>\"",
        )
        .replace(
            "industry = \"Education\"",
            "industry = \"<img src=x onerror=alert(1)>\"",
        );
    repo.write(path, record);
    repo.write(
        "content/projects/L-001/notes/evil.md",
        "+++\ndate = 2026-11-20\ntitle = \"<b onmouseover=alert(2)>t</b>\"\n+++\n<script>alert('note')</script>\n\n[x](javascript:alert(3))\n\n<iframe src=\"https://evil.example\"></iframe>\n",
    );
    let run = repo.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut seen_escaped = false;
    for (path, bytes) in repo.site() {
        // The exports carry the data as it is; they are not HTML.
        if !path.ends_with(".html") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        // Escaped text may still spell the words; what must not exist are
        // live tags, attributes and URLs.
        for bad in [
            "<script>alert",
            "<img",
            "<b onmouseover",
            "href=\"javascript:",
            "<iframe",
        ] {
            assert!(!text.contains(bad), "{path} contains {bad}");
        }
        seen_escaped |= text.contains("&lt;script&gt;alert(&#x27;name&#x27;)")
            || text.contains("&lt;script&gt;alert");
    }
    assert!(seen_escaped, "the name is shown, escaped");
}

#[test]
fn two_builds_are_byte_identical() {
    let a = Repo::demo();
    let b = Repo::demo();
    assert_eq!(a.build(&[]).code, 0);
    assert_eq!(b.build(&[]).code, 0);
    a.assert_same_site(&b);
}

#[test]
fn unchanged_files_are_not_rewritten() {
    let repo = Repo::fixture("three-stage");
    assert_eq!(repo.build(&[]).code, 0);
    let page = repo.path().join("public/stages/qualify.html");
    let before = std::fs::metadata(&page).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let run = repo.build(&[]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains("0 written") || run.stdout.contains("写入 0 个"),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::metadata(&page).unwrap().modified().unwrap(),
        before
    );
}

#[test]
fn a_failed_build_leaves_the_previous_site() {
    let repo = Repo::fixture("three-stage");
    assert_eq!(repo.build(&[]).code, 0);
    let before = repo.site();
    repo.write(
        "content/projects/L-003/project.toml",
        "code = \"L-003\"\nname = 1\n",
    );
    let run = repo.build(&[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("wrong-type"), "{}", run.stderr);
    assert_eq!(repo.site(), before, "the old site is untouched");
    // Nothing is left beside the output either.
    let names: Vec<String> = std::fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn allow_errors_builds_and_lists_the_findings() {
    let repo = Repo::fixture("three-stage");
    repo.write(
        "content/projects/L-003/project.toml",
        "code = \"L-003\"\nname = 1\n",
    );
    let run = repo.build(&["--allow-errors"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let findings = repo.page("findings/index.html");
    assert!(
        findings.contains("content/projects/L-003/project.toml:2:8"),
        "{findings}"
    );
    assert!(findings.contains("wrong-type"));
}

#[test]
fn the_edit_link_points_at_the_file() {
    let repo = Repo::fixture("three-stage");
    let base = repo.read("dealbook.toml");
    repo.write(
        "dealbook.toml",
        format!("edit_url = \"https://git.example.com/sales/-/edit/main/\"\n{base}"),
    );
    assert_eq!(repo.build(&[]).code, 0);
    let findings = repo.page("findings/index.html");
    assert!(
        findings.contains(
            "href=\"https://git.example.com/sales/-/edit/main/content/projects/L-001/project.toml\""
        ),
        "{findings}"
    );
    assert!(findings.contains("content/projects/L-001/project.toml:5:9"));
}

/// The text a reader sees on a page: no tags, scripts or styles, and
/// none of the code a "write" snippet shows (it must match the file).
fn visible_text(html: &str) -> String {
    let mut html = html.to_string();
    for tag in ["script", "style", "pre"] {
        let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
        while let Some(at) = html.find(&open) {
            let end = html[at..]
                .find(&close)
                .map_or(html.len(), |e| at + e + close.len());
            html.replace_range(at..end, " ");
        }
    }
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => {
                inside = false;
                out.push(' ');
            }
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// Removes the TOML sections a help text names (`[stages.x.judgements.y]`):
/// they are the record's own keys, to find in the file as written.
fn without_sections(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("[stages.") {
        out.push_str(&rest[..at]);
        rest = rest[at..].find(']').map_or("", |e| &rest[at + e + 1..]);
    }
    out.push_str(rest);
    out
}

#[test]
fn english_ids_never_show_in_the_chinese_site() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let process: toml::Table = repo.read("data/process.toml").parse().unwrap();
    // Every id with an underscore (`initial_contact`, `tailored_solution`,
    // `general_manager`), which no Chinese text contains.
    let mut ids = Vec::new();
    collect_ids(&toml::Value::Table(process), &mut ids);
    ids.retain(|id| id.contains('_'));
    assert!(ids.len() > 40, "{ids:?}");
    for (path, bytes) in repo.site() {
        if !path.ends_with(".html") {
            continue;
        }
        let text = without_sections(&visible_text(&String::from_utf8_lossy(&bytes)));
        for id in &ids {
            assert!(!text.contains(id.as_str()), "{id} shows on {path}");
        }
    }
}

fn collect_ids(v: &toml::Value, out: &mut Vec<String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                if k == "id" {
                    if let Some(s) = v.as_str() {
                        out.push(s.to_string());
                    }
                } else {
                    collect_ids(v, out);
                }
            }
        }
        toml::Value::Array(a) => a.iter().for_each(|v| collect_ids(v, out)),
        _ => {}
    }
}

#[test]
fn the_notes_feed_filters_by_kind_author_and_project() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let feed = repo.page("notes/index.html");
    for group in ["r-kind-all", "r-author-all", "r-project-all"] {
        assert!(feed.contains(&format!("id=\"{group}\"")), "{group}");
    }
    // Every note carries the classes its filters select on, and the CSS
    // that hides the others is on the page.
    let notes = feed
        .matches("<article class=\"card doc row f-project-")
        .count();
    assert_eq!(notes, 100, "a full first page, every note filterable");
    assert!(feed.contains("#r-f-kind-0:checked~.rows .row:not(.f-kind-0){display:none}"));
    assert!(
        feed.contains("data-search="),
        "a search box is added by the script"
    );
}

#[test]
fn a_script_address_in_the_settings_never_becomes_a_link() {
    let repo = Repo::fixture("three-stage");
    let base = repo.read("dealbook.toml");
    repo.write(
        "dealbook.toml",
        format!("edit_url = \"javascript:alert(document.domain)//\"\nbase_url = \"//evil.example/\"\n{base}"),
    );
    let run = repo.check(&[]);
    assert_eq!(run.code, 1);
    run.assert_has("dealbook.toml:1:12: error[unsafe-url]");
    assert_eq!(repo.build(&["--allow-errors"]).code, 0);
    for (path, bytes) in repo.site() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("href=\"javascript:") && !text.contains("href=\"//evil"),
            "{path}"
        );
    }
}

#[test]
fn english_pages_have_no_untranslated_ui_string() {
    // The three-stage fixture's data is English, so any Chinese character
    // in its English site is an untranslated UI string.
    let repo = Repo::fixture("three-stage");
    let run = repo.build(&["--locale", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let is_cjk = |c: char| {
        ('\u{4e00}'..='\u{9fff}').contains(&c)
            || ('\u{3000}'..='\u{303f}').contains(&c)
            || ('\u{ff00}'..='\u{ffef}').contains(&c)
    };
    for (path, bytes) in repo.site() {
        if !(path.ends_with(".html") || path.ends_with(".csv") || path.ends_with(".js")) {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        if let Some((i, c)) = text.char_indices().find(|(_, c)| is_cjk(*c)) {
            let from = text[..i].char_indices().rev().nth(40).map_or(0, |(j, _)| j);
            panic!(
                "{path}: untranslated {c:?} in …{}…",
                &text[from..(i + 12).min(text.len())]
            );
        }
        assert!(
            !text.contains("EventSource"),
            "{path}: the live-reload script is for serve only"
        );
        for raw in ["site.", "msg.", "help.", "term."] {
            assert!(
                !text.contains(&format!(">{raw}")),
                "{path}: raw i18n key {raw}"
            );
        }
    }
}

#[test]
fn a_chinese_site_is_the_default() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let index = repo.page("index.html");
    assert!(index.contains("<html lang=\"zh-CN\">"));
    assert!(index.contains("数据截至"));
    assert!(index.contains(&format!("数据截至 {TODAY}")));
}

#[cfg(unix)]
#[test]
fn a_link_to_the_repos_secrets_is_an_error_and_never_published() {
    let repo = Repo::fixture("three-stage");
    repo.write(
        ".git/config",
        "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n",
    );
    repo.write(".env", "TOKEN=secret\n");
    let forms = repo.path().join("content/projects/L-001/forms");
    std::fs::create_dir_all(&forms).unwrap();
    std::os::unix::fs::symlink("../../../../.git/config", forms.join("cfg.txt")).unwrap();
    std::os::unix::fs::symlink("../../../../.env", forms.join("env.txt")).unwrap();
    let run = repo.check(&[]);
    assert_eq!(run.code, 1);
    run.assert_has("content/projects/L-001/forms/cfg.txt: error[symlink-escape]");
    run.assert_has("content/projects/L-001/forms/env.txt: error[symlink-escape]");
    assert_eq!(repo.build(&["--allow-errors"]).code, 0);
    for (path, bytes) in repo.site() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("c2VjcmV0") && !text.contains("TOKEN=secret"),
            "{path}"
        );
    }
}

#[test]
fn attachments_are_copied_and_links_in_notes_lead_to_them() {
    let repo = Repo::fixture("three-stage");
    repo.write("content/projects/L-001/forms/quote.pdf", b"%PDF-1.4 fake");
    let path = "content/projects/L-001/project.toml";
    let record = repo.read(path).replace(
        "conditions = { quote_sent = true }",
        "conditions = { quote_sent = { met = true, evidence = \"forms/quote.pdf\" } }",
    );
    repo.write(path, record);
    repo.write(
        "content/projects/L-001/notes/follow-up.md",
        "+++\ndate = 2026-11-21\ntitle = \"Follow-up\"\n+++\n## Sent\n\nSee [the quote](../forms/quote.pdf) and [the first call](first-call.md).\n",
    );
    let run = repo.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read(repo.path().join("public/projects/L-001/forms/quote.pdf")).unwrap(),
        b"%PDF-1.4 fake"
    );
    let page = repo.page("projects/L-001.html");
    assert!(
        page.contains("href=\"../projects/L-001/forms/quote.pdf\""),
        "evidence link"
    );
    assert!(
        page.contains("href=\"#note-first-call\""),
        "note-to-note link"
    );
    // The note's own top heading sits right below its title (an h3), so
    // the outline skips no level.
    assert!(page.contains("<h4>Sent</h4>"), "{page}");
    // In the feed, the same links lead across pages.
    let feed = repo.page("notes/index.html");
    assert!(
        feed.contains("href=\"../projects/L-001/forms/quote.pdf\""),
        "{feed}"
    );
    assert!(
        feed.contains("href=\"../projects/L-001.html#note-first-call\""),
        "{feed}"
    );
}

#[test]
fn a_managers_page_lists_the_projects_they_judge() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    // 赵军 (general manager) owns no project but judges them all.
    let page = repo.page("people/zhaojun.html");
    assert!(
        page.contains("projects/HZ-2026-001.html"),
        "projects judged"
    );
    assert!(page.contains("id=\"pending\""), "what he owes");
}

#[test]
fn a_stale_project_is_marked_on_its_stage_and_its_page() {
    let repo = Repo::demo();
    let run = repo.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let badge = "<span class=\"flag flag-stale\">停滞</span>";
    let stage = repo.page("stages/showcase.html");
    let row = stage
        .split("<tr>")
        .find(|r| r.contains("WZ-2026-001"))
        .expect("the stale project is in its stage's matrix");
    assert!(row.contains(badge), "{row}");
    assert_eq!(stage.matches(badge).count(), 1, "only the stale project");
    let project = repo.page("projects/WZ-2026-001.html");
    assert!(project.contains("(停滞)"), "the last activity says stale");
    assert!(!repo.page("projects/HZ-2026-001.html").contains("(停滞)"));
}
