//! Markdown → sanitized HTML for notes and forms. pulldown-cmark renders,
//! ammonia removes anything that could run: scripts, event handlers,
//! `javascript:` and `data:` URLs, iframes, styles.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        // Task lists render as disabled checkboxes; nothing else of <input>.
        b.add_tags(["input"]);
        b.add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"]);
        b.set_tag_attribute_value("input", "type", "checkbox");
        b.attribute_filter(|element, attribute, value| match (element, attribute) {
            ("input", "type") if value != "checkbox" => None,
            // Images only from the site itself: no tracking pixels, no
            // request leaves the page.
            ("img", "src") if is_remote(value) => None,
            _ => Some(value.into()),
        });
        b.add_tag_attributes("td", ["style"]);
        b.add_tag_attributes("th", ["style"]);
        b.filter_style_properties(HashSet::from(["text-align"]));
        b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
        b.link_rel(Some("noopener noreferrer"));
        b
    })
}

/// A URL that would make the browser fetch from elsewhere.
fn is_remote(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("//")
        || url
            .split('/')
            .next()
            .is_some_and(|first| first.contains(':'))
}

/// How a page shows a note: headings below the note's own title, and links
/// to files of the project mapped to where the site has them.
pub struct Context<'a> {
    /// The level the document's highest heading gets (a note under an
    /// `<h3>` title: 4), the others following without a gap; 0 keeps the
    /// levels as written.
    pub top_heading: u8,
    /// Maps a link as written to the address to use; `None` drops the
    /// link and keeps its text.
    pub link: &'a dyn Fn(&str) -> Option<String>,
    /// What a screen reader says for a ticked and an open task-list box.
    pub task_labels: (&'a str, &'a str),
}

/// Moves a heading so the document's highest level (`top` as written)
/// lands on `to`: the page's outline never skips a level.
fn shifted(level: HeadingLevel, top: u8, to: u8) -> HeadingLevel {
    let level = level as u8;
    let wanted = if to == 0 {
        level
    } else {
        level + to - top.min(level)
    };
    match wanted.clamp(1, 6) {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Renders Markdown (with tables, task lists, strikethrough, footnotes) to
/// HTML that is safe to inline in a page.
pub fn to_html(markdown: &str, cx: &Context) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let parsed: Vec<Event> = Parser::new_ext(markdown, options).collect();
    let top = parsed
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as u8),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    // Markdown alone renders to HTML pulldown-cmark escapes itself; only
    // HTML the author wrote, or an address that could run or fetch,
    // needs the sanitizer (its HTML parser is most of the cost).
    let mut needs_cleaning = parsed
        .iter()
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let shift = |level| shifted(level, top, cx.top_heading);
    // For each open link, whether it was dropped (its end tag goes too).
    let mut open_links = Vec::new();
    let events = parsed.into_iter().filter_map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: shift(level),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(shift(level)))),
        // A labelled box, so a screen reader says what it is.
        Event::TaskListMarker(done) => {
            let label = if done {
                cx.task_labels.0
            } else {
                cx.task_labels.1
            };
            let checked = if done { " checked" } else { "" };
            Some(Event::InlineHtml(
                format!(
                    "<input type=\"checkbox\" disabled{checked} aria-label=\"{}\"> ",
                    escape_attr(label)
                )
                .into(),
            ))
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => match (cx.link)(&dest_url) {
            Some(dest) => {
                needs_cleaning |= !is_safe_link(&dest);
                open_links.push(false);
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                }))
            }
            None => {
                open_links.push(true);
                None
            }
        },
        Event::End(TagEnd::Link) => match open_links.pop() {
            Some(true) => None,
            _ => Some(Event::End(TagEnd::Link)),
        },
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest = (cx.link)(&dest_url).unwrap_or_default();
            needs_cleaning |= is_remote(&dest) || !is_safe_link(&dest);
            Some(Event::Start(Tag::Image {
                link_type,
                dest_url: dest.into(),
                title,
                id,
            }))
        }
        other => Some(other),
    });
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events);
    if needs_cleaning {
        cleaner().clean(&raw).to_string()
    } else {
        // As the sanitizer would: links never give the page to the next.
        raw.replace("<a href=", "<a rel=\"noopener noreferrer\" href=")
    }
}

/// An address a link may have without the sanitizer: a path on the site
/// or a web, mail or phone address, never `javascript:` or `//host`.
fn is_safe_link(dest: &str) -> bool {
    let dest = dest.trim();
    if dest.starts_with("//") || dest.chars().any(|c| c.is_control()) {
        return false;
    }
    match dest.find(':') {
        Some(colon) if !dest[..colon].contains(['/', '?', '#']) => {
            let scheme = dest[..colon].to_ascii_lowercase();
            ["http", "https", "mailto", "tel"].contains(&scheme.as_str())
        }
        _ => true,
    }
}

/// Text for an attribute value in double quotes.
fn escape_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// Markdown with links as written and headings as written (tests, and
/// text with no project around it).
pub fn plain(markdown: &str) -> String {
    to_html(
        markdown,
        &Context {
            top_heading: 0,
            link: &|l| Some(l.to_string()),
            task_labels: ("done", "open"),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::{Context, is_safe_link, plain, to_html};

    #[test]
    fn tables_task_lists_headings_and_links_survive() {
        let html = plain(
            "## 要点\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] 已发送\n- [ ] 待约\n\n[方案](https://example.com/a)\n",
        );
        assert!(html.contains("<h2>要点</h2>"), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("checked"), "{html}");
        assert!(html.contains("href=\"https://example.com/a\""), "{html}");
        assert!(html.contains("text-align"), "{html}");
    }

    #[test]
    fn plain_markdown_takes_the_quick_way_and_stays_safe() {
        let link = |l: &str| Some(l.to_string());
        let cx = Context {
            top_heading: 0,
            link: &link,
            task_labels: ("done", "open"),
        };
        // No HTML and safe addresses: no sanitizer, same guarantees.
        let html = to_html("1 < 2 & \"q\" [x](https://e.example/?a=1&b=2)\n", &cx);
        assert!(html.contains("1 &lt; 2 &amp;"), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
        // A script address sends it through the sanitizer, which drops it.
        for bad in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "![i](//evil.example/p.png)",
            "[x](data:text/html,x)",
        ] {
            let html = to_html(bad, &cx);
            let lower = html.to_ascii_lowercase();
            assert!(
                !lower.contains("javascript:")
                    && !lower.contains("data:")
                    && !lower.contains("//evil"),
                "{bad} → {html}"
            );
        }
        assert!(is_safe_link("../projects/A.html#note-x") && is_safe_link("mailto:a@b.c"));
        assert!(
            !is_safe_link(" javascript:x") && !is_safe_link("//x") && !is_safe_link("vbscript:x")
        );
    }

    #[test]
    fn anything_that_runs_is_removed() {
        let html = plain(concat!(
            "<script>alert(1)</script>\n\n",
            "<img src=x onerror=\"alert(2)\">\n\n",
            "[a](javascript:alert(3)) [b](data:text/html;base64,PHNjcmlwdD4=)\n\n",
            "<iframe src=\"https://evil.example\"></iframe>\n\n",
            "<a href=\"#\" onclick=\"alert(4)\">c</a> <b style=\"color:red\">bold</b>\n\n",
            "<input type=\"text\" value=\"x\">\n",
        ));
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "data:",
            "<iframe",
            "onclick",
            "style=",
            "type=\"text\"",
        ] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
        assert!(html.contains("<b>bold</b>"), "{html}");
        assert!(!html.contains("<input value"), "{html}");
    }

    #[test]
    fn headings_shift_and_links_map() {
        let link = |l: &str| (!l.starts_with("gone")).then(|| format!("#mapped-{l}"));
        let html = to_html(
            "## 要点\n\n#### 细节\n\n[表](forms/a.md) [旧](gone.md)\n\n- [x] 已发\n",
            &Context {
                top_heading: 4,
                link: &link,
                task_labels: ("已完成", "未完成"),
            },
        );
        // The note's top heading sits right below its title (an h3).
        assert!(html.contains("<h4>要点</h4>"), "{html}");
        assert!(html.contains("<h6>细节</h6>"), "{html}");
        assert!(html.contains("aria-label=\"已完成\""), "{html}");
        assert!(html.contains("href=\"#mapped-forms/a.md\""), "{html}");
        assert!(html.contains("旧") && !html.contains("gone"), "{html}");
    }
}
