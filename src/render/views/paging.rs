//! Long lists split into pages, so that no page of a big repo is too big
//! to open on a phone: the project lists (all, a person's, a department's
//! or region's) and the pending list. A list of up to [`PAGE_ROWS`] rows
//! is one page, as before; beyond that, page `n` of a list whose first
//! page is `people/li.html` is `people/li/pages/n.html`.

use serde::Serialize;

use crate::render::urls;

/// Rows per page of a long list (about 0.5 MB of HTML).
pub const PAGE_ROWS: usize = 500;

/// How many pages a list of `rows` rows takes.
pub fn count(rows: usize) -> usize {
    rows.div_ceil(PAGE_ROWS).max(1)
}

/// The site path of page `n` (1-based) of the list whose first page is
/// `first`.
pub fn path(first: &str, n: usize) -> String {
    if n <= 1 {
        return first.to_string();
    }
    let folder = first
        .strip_suffix("/index.html")
        .or_else(|| first.strip_suffix(".html"))
        .unwrap_or(first);
    format!("{folder}/pages/{n}.html")
}

/// The rows of page `n` (1-based) of a list of `total` rows.
pub fn range(total: usize, n: usize) -> std::ops::Range<usize> {
    let start = ((n.max(1) - 1) * PAGE_ROWS).min(total);
    start..(start + PAGE_ROWS).min(total)
}

/// Where a page sits in its list, for the page links above and below it.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct Pager {
    pub number: usize,
    pub pages: usize,
    /// The 1-based positions of the page's first and last rows, of `total`.
    pub from: usize,
    pub to: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The first, the last and the pages around this one; `None` is a gap.
    pub links: Vec<Option<PageLink>>,
}

#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct PageLink {
    pub number: usize,
    /// Encoded site path.
    pub href: String,
    pub current: bool,
}

/// The pager of page `n` of a list of `total` rows, or `None` when the
/// list fits on one page.
pub fn pager(first: &str, total: usize, n: usize) -> Option<Pager> {
    let pages = count(total);
    if pages == 1 {
        return None;
    }
    let href = |k: usize| urls::encode(&path(first, k));
    let mut links = Vec::new();
    let mut last = 0;
    for k in 1..=pages {
        if k == 1 || k == pages || k.abs_diff(n) <= 2 {
            if k > last + 1 {
                links.push(None);
            }
            links.push(Some(PageLink {
                number: k,
                href: href(k),
                current: k == n,
            }));
            last = k;
        }
    }
    let rows = range(total, n);
    Some(Pager {
        number: n,
        pages,
        from: rows.start + 1,
        to: rows.end,
        total,
        prev: (n > 1).then(|| href(n - 1)),
        next: (n < pages).then(|| href(n + 1)),
        links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_pages_live_in_a_folder_named_after_the_first() {
        assert_eq!(path("projects/index.html", 1), "projects/index.html");
        assert_eq!(path("projects/index.html", 3), "projects/pages/3.html");
        assert_eq!(path("people/li.html", 2), "people/li/pages/2.html");
        assert_eq!(path("pending/index.html", 2), "pending/pages/2.html");
    }

    #[test]
    fn pages_cover_every_row_once() {
        for total in [0, 1, PAGE_ROWS - 1, PAGE_ROWS, PAGE_ROWS + 1, 10_008] {
            let covered: usize = (1..=count(total)).map(|n| range(total, n).len()).sum();
            assert_eq!(covered, total, "{total}");
            assert_eq!(
                pager("projects/index.html", total, 1).is_some(),
                total > PAGE_ROWS
            );
        }
    }

    #[test]
    fn the_pager_links_the_ends_and_the_neighbours_with_gaps_between() {
        let p = pager("projects/index.html", 21 * PAGE_ROWS, 10).unwrap();
        let numbers: Vec<Option<usize>> = p
            .links
            .iter()
            .map(|l| l.as_ref().map(|l| l.number))
            .collect();
        assert_eq!(
            numbers,
            [
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(21)
            ]
        );
        assert_eq!((p.from, p.to), (9 * PAGE_ROWS + 1, 10 * PAGE_ROWS));
        assert_eq!(p.prev.as_deref(), Some("projects/pages/9.html"));
        assert_eq!(p.next.as_deref(), Some("projects/pages/11.html"));
    }
}
