//! A repo of more projects than a page lists (the demo's 36 cloned to
//! 540 by `scripts/gen-repo.sh`, as the benchmark makes them): long lists
//! are split into pages that link each other, every row is on exactly one
//! page, board lists show their head and say how many they leave out.

mod common;

use std::process::Command;

use common::{Repo, crate_dir};

/// Rows per page (`render::views::paging::PAGE_ROWS`).
const PAGE_ROWS: usize = 500;
const PROJECTS: usize = 540;

fn generated() -> Repo {
    let repo = Repo::empty();
    let out = repo.path().join("repo");
    let status = Command::new("bash")
        .arg(crate_dir().join("scripts/gen-repo.sh"))
        .arg(PROJECTS.to_string())
        .arg(&out)
        .arg(crate_dir())
        .status()
        .unwrap();
    assert!(status.success());
    // The repo's content in the test folder itself, as Repo expects.
    for name in ["dealbook.toml", "data", "content"] {
        std::fs::rename(out.join(name), repo.path().join(name)).unwrap();
    }
    repo
}

/// The project codes a list page links in its rows.
fn row_codes(page: &str) -> Vec<String> {
    page.split("<tr class=\"row ")
        .skip(1)
        .map(|row| {
            let start = row.find("data-value=\"").unwrap() + "data-value=\"".len();
            row[start..start + row[start..].find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn long_lists_are_split_into_linked_pages_that_hold_every_row_once() {
    let repo = generated();
    let run = repo.build(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let first = repo.page("projects/index.html");
    let second = repo.page("projects/pages/2.html");
    assert!(
        first.contains("href=\"../projects/pages/2.html\""),
        "page 1 links page 2"
    );
    assert!(
        second.contains("href=\"../../projects/index.html\""),
        "page 2 links page 1"
    );
    assert!(second.contains("aria-current=\"page\">2<"));
    let mut codes = row_codes(&first);
    assert_eq!(codes.len(), PAGE_ROWS);
    codes.extend(row_codes(&second));
    assert_eq!(codes.len(), PROJECTS);
    let unique: std::collections::BTreeSet<&String> = codes.iter().collect();
    assert_eq!(unique.len(), PROJECTS, "no project on two pages");
    assert!(
        !repo.path().join("public/projects/pages/3.html").exists(),
        "no empty page"
    );
    // The summary counts the whole list, not the page.
    assert!(
        first.contains(&format!("{PROJECTS} 个项目")),
        "summary of all"
    );

    // The pending list too: the demo owes about 60 entries, 15 times.
    let pending = repo.page("pending/index.html");
    let entries = |page: &str| page.matches("<tr class=\"row kind-").count();
    assert_eq!(entries(&pending), PAGE_ROWS, "{}", &pending[..2000]);
    assert!(pending.contains("href=\"../pending/pages/2.html\""));
    assert!(entries(&repo.page("pending/pages/2.html")) > 0);
}
