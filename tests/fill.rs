//! Writing from the board: the pending page (one list, most urgent first,
//! filters), its 填写 links into the Git host's editor, the snippets
//! without a host, and a person's page.

mod common;

use common::{Repo, unescape};

/// The opening tags of the 填写 links of a page.
fn fill_tags(html: &str) -> Vec<&str> {
    html.match_indices("<a class=\"fill\"")
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()])
        .collect()
}

fn attr<'a>(tag: &'a str, name: &str) -> &'a str {
    let from = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    &tag[from..from + tag[from..].find('"').unwrap()]
}

/// A query parameter of a link, decoded (`&amp;` as the page writes it).
fn param(href: &str, name: &str) -> Option<String> {
    let query = href.split_once('?')?.1.replace("&amp;", "&");
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(unescape))
}

/// The rows of the pending table of a page (or of a part of it).
fn rows(html: &str) -> Vec<&str> {
    html.match_indices("<tr class=\"row ")
        .map(|(i, _)| &html[i..i + html[i..].find("</tr>").unwrap()])
        .collect()
}

/// The numbers a row sorts by: (late, days owed, amount).
fn urgency(row: &str) -> (bool, i64, i64) {
    let class = attr(row, "class");
    let values: Vec<i64> = row
        .match_indices("<td class=\"num")
        .map(|(i, _)| attr(&row[i..], "data-value").parse().unwrap())
        .collect();
    (class.split(' ').any(|c| c == "late"), values[0], values[1])
}

const HOST: &str = "https://git.example.com/sales/dealbook-data";

#[test]
fn the_pending_page_is_one_list_the_most_urgent_first() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let page = repo.page("pending/index.html");
    let rows = rows(&page);
    assert!(rows.len() > 20);
    assert!(
        page.contains(&format!("共 {} 项", rows.len())),
        "one row each"
    );
    // No second list by role or by person.
    assert_eq!(page.matches("<table").count(), 1);
    let keys: Vec<_> = rows.iter().map(|r| urgency(r)).collect();
    for pair in keys.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        assert!(
            (a.0 && !b.0) || (a.0 == b.0 && (a.1 > b.1 || (a.1 == b.1 && a.2 >= b.2))),
            "{a:?} before {b:?}"
        );
    }
    assert!(keys[0].0, "an overdue entry comes first");
    // Each row shows the days owed and the amount.
    assert!(
        rows[0].contains(" 天</td>") && rows[0].contains("万元</td>"),
        "{}",
        rows[0]
    );

    // The overview's links to a role land on that role's filter.
    let overview = repo.page("index.html");
    let to_roles: Vec<&str> = overview
        .match_indices("pending/index.html#")
        .map(|(i, m)| {
            let rest = &overview[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    assert!(!to_roles.is_empty());
    for id in to_roles {
        assert!(page.contains(&format!("id=\"{id}\"")), "no filter {id}");
        assert!(
            page.contains(&format!("#{id}:target~.rows .row:not(")),
            "{id}"
        );
    }
    // A person filter for each person owing something.
    assert!(page.contains("<label for=\"r-f-person-0\">赵军"));
    assert!(page.contains("#r-f-person-0:checked~.rows .row:not(.f-person-0)"));
}

#[test]
fn every_judgement_owed_opens_the_hosts_new_file_editor_filled_in() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let page = repo.page("pending/index.html");
    let tags = fill_tags(&page);
    assert!(tags.len() > 20);
    for tag in &tags {
        assert!(attr(tag, "href").starts_with(HOST), "{tag}");
        assert_eq!(attr(tag, "target"), "_blank", "{tag}");
        assert_eq!(attr(tag, "rel"), "noopener", "{tag}");
    }
    // HZ-2026-001 names its stages by name: the general manager's
    // judgement of 方案设计 is a new file with a Chinese name.
    let new = format!("{HOST}/-/new/main/content/projects/HZ-2026-001/judgements?file_name=");
    let gm = tags
        .iter()
        .map(|t| attr(t, "href"))
        .find(|h| h.starts_with(&new) && h.contains("%E6%80%BB%E7%BB%8F%E7%90%86"))
        .expect("a new-file link for the general manager");
    assert_eq!(param(gm, "file_name").unwrap(), "方案设计.总经理.md");
    let template = param(gm, "content").unwrap();
    assert_eq!(
        template,
        "+++\nby = \"zhaojun\"\n+++\n\n## 判断\n\n\n## 跟进措施\n\n"
    );
    assert!(gm.len() < 1000, "{} bytes", gm.len());
    // NJ-2026-002 names stages by id.
    assert!(page.contains(&format!(
        "{HOST}/-/new/main/content/projects/NJ-2026-002/judgements?file_name=showcase.general_manager.md&amp;content="
    )));
    // The department head's judgement file lacks its follow-up: the link
    // edits that file.
    assert!(page.contains(&format!(
        "{HOST}/-/edit/main/content/projects/HZ-2026-001/judgements/%E6%96%B9%E6%A1%88%E8%AE%BE%E8%AE%A1.%E9%83%A8%E9%97%A8%E4%B8%BB%E7%AE%A1.md"
    )));

    // What the link creates, written in, is read as that judgement: the
    // entry leaves the list and nothing is found.
    let filled = template
        .replace("## 判断\n\n", "## 判断\n\n方案可行，同意推进。\n")
        .replace("## 跟进措施\n\n", "## 跟进措施\n\n月底前拜访刘副总。\n");
    repo.write(
        "content/projects/HZ-2026-001/judgements/方案设计.总经理.md",
        &filled,
    );
    let run = repo.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("0 个错误，3 个警告") || run.stderr.contains("0 个错误，3 个警告"));
    let page = repo.page("pending/index.html");
    assert!(!page.contains("HZ-2026-001.html#stage-solution_design-general_manager"));
    let project = repo.page("projects/HZ-2026-001.html");
    assert!(project.contains("月底前拜访刘副总。"));
    assert!(project.contains("title=\"judgements/方案设计.总经理.md\""));
    assert!(project.contains(&format!(
        "{HOST}/-/edit/main/content/projects/HZ-2026-001/judgements/%E6%96%B9%E6%A1%88%E8%AE%BE%E8%AE%A1.%E6%80%BB%E7%BB%8F%E7%90%86.md"
    )), "the judgement's own file opens in the editor");
}

#[test]
fn without_a_host_the_snippet_to_paste_is_shown_with_a_copy_button() {
    let repo = Repo::demo();
    let settings = repo.read("dealbook.toml");
    let at = settings.find("[edit]").unwrap();
    let end = at + settings[at..].find("\n\n").unwrap();
    repo.write(
        "dealbook.toml",
        format!("{}{}", &settings[..at], &settings[end..]),
    );
    assert_eq!(repo.build(&[]).code, 0);
    let page = repo.page("pending/index.html");
    assert!(!page.contains("<a class=\"fill\""), "no host, no link");
    let snippets = page.matches("<details class=\"fill-snippet\">").count();
    assert_eq!(
        snippets,
        rows(&page).len() - page.matches("kind-overdue").count()
    );
    assert_eq!(
        page.matches("<button type=\"button\" class=\"copy\"")
            .count(),
        page.matches("<pre><code>").count()
    );
    // The judgement file's path and whole text, ready to paste.
    assert!(page.contains("content/projects/HZ-2026-001/judgements/方案设计.总经理.md"));
    assert!(page.contains(
        "<pre><code>+++\nby = &quot;zhaojun&quot;\n+++\n\n## 判断\n\n\n## 跟进措施\n\n</code></pre>"
    ));
    // An inline judgement without a follow-up: the line and its table.
    assert!(page.contains("[stages.initial_contact.judgements.general_manager]"));
    assert!(page.contains("<pre><code>follow_up = &quot;&quot;\n</code></pre>"));
    // The script turns the buttons on; without it they stay hidden.
    let script = repo.page("static/app.js");
    assert!(script.contains("button.copy"));
}

#[test]
fn a_persons_page_starts_with_what_they_owe() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let pending = repo.page("pending/index.html");
    let owed = rows(&pending)
        .iter()
        .filter(|r| r.contains("href=\"../people/zhaojun.html\""))
        .count();
    let page = repo.page("people/zhaojun.html");
    let owes = page.find("id=\"pending\"").expect("what he owes");
    let projects = page.find("class=\"filterable\"").expect("his projects");
    assert!(owes < projects, "what he owes comes first");
    let his = rows(&page[owes..projects]);
    assert_eq!(his.len(), owed);
    assert!(his.iter().all(|r| r.contains("f-person-0")));
    assert!(
        !fill_tags(&page[owes..projects]).is_empty(),
        "with 填写 links"
    );
}

#[test]
fn the_project_page_offers_a_fill_for_each_gap_of_a_stage_reached() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let page = repo.page("projects/HZ-2026-001.html");
    let tags = fill_tags(&page);
    // 方案设计: the sales manager's and the general manager's judgements,
    // the department head's follow-up.
    assert_eq!(tags.len(), 3, "{tags:?}");
    assert!(page.contains("title=\"judgements/初步接触.营销人员.md\""));
    assert!(page.contains(&format!(
        "{HOST}/-/edit/main/content/projects/HZ-2026-001/project.toml"
    )));
}
