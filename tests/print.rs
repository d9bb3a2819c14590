//! The project page as the paper form (项目跟踪流程表): every stage whole,
//! the ones not reached as blank boxes, elements properly closed, a
//! running head, notes and forms printed on request, no repository
//! details on paper. The printed PDF itself is checked in
//! `tests/browser.rs`.

mod common;

use common::Repo;

/// Elements without an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Checks that every element of `html` is closed, in order: a stack of
/// open tags, void elements and `<…/>` (inline SVG) excepted. The
/// templates close every element they open, and Markdown comes out of
/// the sanitizer closed, so any mismatch is a template bug.
fn check_nesting(html: &str) -> Result<(), String> {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = &after[after.find("-->").ok_or("unclosed comment")? + 3..];
            continue;
        }
        let end = rest.find('>').ok_or("unclosed tag")?;
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == ':')
            .collect::<String>()
            .to_ascii_lowercase();
        if closing {
            match stack.pop() {
                Some(open) if open == name => {}
                Some(open) => return Err(format!("</{name}> closes <{open}>")),
                None => return Err(format!("</{name}> closes nothing")),
            }
        } else if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
            if name == "script" || name == "style" {
                // Their text is not markup.
                let close = format!("</{name}>");
                rest = &rest[rest.find(&close).ok_or("unclosed script")? + close.len()..];
                continue;
            }
            stack.push(name);
        }
    }
    match stack.last() {
        Some(open) => Err(format!("<{open}> never closed")),
        None => Ok(()),
    }
}

#[test]
fn the_nesting_check_finds_what_a_browser_would_fold_away() {
    assert!(check_nesting("<div><p>a<br>b</p><svg><rect/></svg></div>").is_ok());
    assert!(check_nesting("<section><details><h2>x</h2></section>").is_err());
    assert!(check_nesting("<details><summary>x</summary>").is_err());
    assert!(check_nesting("<script>if (a < b) {}</script><p></p>").is_ok());
}

/// Each stage's `<section>` of a project page, in order.
fn stage_sections(page: &str) -> Vec<&str> {
    page.split("<section class=\"card stage stage-")
        .skip(1)
        .map(|s| &s[..s.find("</section>").unwrap()])
        .collect()
}

#[test]
fn every_project_page_closes_what_it_opens_and_keeps_no_details() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let mut pages = 0;
    for (path, bytes) in repo.site() {
        if !(path.starts_with("projects/") && path.ends_with(".html"))
            || path.ends_with("index.html")
        {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        check_nesting(&html).unwrap_or_else(|e| panic!("{path}: {e}"));
        // The demo has [edit]: every 填写 is a link, so nothing is folded.
        assert_eq!(html.matches("<details").count(), 0, "{path}");
        pages += 1;
    }
    assert_eq!(pages, 36);
}

#[test]
fn stages_not_reached_are_the_blank_form() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let data = dealbook::load::load(repo.path()).unwrap().dataset.unwrap();
    let process = &data.process;
    let page = repo.page("projects/HZ-2026-001.html");
    let sections = stage_sections(&page);
    assert_eq!(sections.len(), process.stages.len());
    // HZ-2026-001 is in 方案设计, the third stage.
    for (i, (section, stage)) in sections.iter().zip(&process.stages).enumerate() {
        let reached = i <= 2;
        assert!(
            section.starts_with(if reached { "done" } else { "future" })
                || (i == 2 && section.starts_with("current")),
            "stage {i}: {}",
            &section[..40]
        );
        assert!(section.contains(&format!("id=\"stage-{}\"", stage.id)));
        assert!(section.contains("class=\"criterion\""), "{}", stage.id);
        // The whole checklist, in every stage.
        assert_eq!(
            section.matches("<li value=").count(),
            stage.conditions.len(),
            "{}",
            stage.id
        );
        assert!(section.contains("<ol class=\"checklist\">"));
        // A row per role.
        let rows: Vec<&str> = section
            .split("<tr id=\"stage-")
            .skip(1)
            .map(|r| &r[..r.find("</tr>").unwrap()])
            .collect();
        assert_eq!(rows.len(), process.roles.len(), "{}", stage.id);
        if !reached {
            // Empty boxes to write in: no text, no action.
            assert!(section.contains("<div class=\"write-box\"></div>"));
            for row in &rows {
                assert!(row.contains("class=\"blank\""), "{row}");
                assert_eq!(row.matches("<td class=\"text\"></td>").count(), 1, "{row}");
                assert!(row.contains("<td class=\"text\" data-label="), "{row}");
                assert!(!row.contains("尚未填写") && !row.contains("class=\"fill\""));
            }
            assert!(section.contains("class=\"stage-more\""));
            assert!(section.contains("class=\"stage-body\""));
        } else {
            assert!(!section.contains("class=\"stage-more\""));
        }
    }
}

#[test]
fn the_page_carries_its_print_head_and_the_notes_option() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let page = repo.page("projects/HZ-2026-001.html");
    let head = page
        .split("<div class=\"print-head\">")
        .nth(1)
        .expect("a running head");
    let head = &head[..head.find("</div>").unwrap()];
    assert!(head.contains("HZ-2026-001"), "{head}");
    assert!(head.contains("钱塘轨道5号线二期综合监控系统"), "{head}");
    // One checkbox, labelled, not ticked: notes and forms stay off paper
    // unless the reader asks.
    assert!(page.contains("<input type=\"checkbox\" id=\"print-documents\">"));
    assert!(page.contains("<label for=\"print-documents\">"));
    assert!(page.contains("<section class=\"card print-optional\" aria-labelledby=\"h-notes\">"));
    assert!(page.contains("<section class=\"card print-optional\" aria-labelledby=\"h-forms\">"));
    // What only whoever keeps the repository needs is marked to stay off paper.
    assert!(page.contains("<p class=\"meta source dev\">"));
    let css = repo.page("static/style.css");
    for rule in [
        "body:not(:has(#print-documents:checked)) .print-optional { display: none; }",
        ".print-options, .stage-more, .dev { display: none !important; }",
        "position: fixed",
        "box-decoration-break: clone",
    ] {
        assert!(css.contains(rule), "style.css lacks {rule}");
    }
}
