//! Markdown → sanitized HTML for notes and forms. pulldown-cmark renders,
//! ammonia removes anything that could run: scripts, event handlers,
//! `javascript:` and `data:` URLs, iframes, styles.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{Options, Parser, html};

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        // Task lists render as disabled checkboxes; nothing else of <input>.
        b.add_tags(["input"]);
        b.add_tag_attributes("input", ["type", "checked", "disabled"]);
        b.attribute_filter(|element, attribute, value| match (element, attribute) {
            ("input", "type") if value != "checkbox" => None,
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

/// Renders Markdown (with tables, task lists, strikethrough, footnotes) to
/// HTML that is safe to inline in a page.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    cleaner().clean(&raw).to_string()
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn tables_task_lists_headings_and_links_survive() {
        let html = to_html(
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
    fn anything_that_runs_is_removed() {
        let html = to_html(concat!(
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
    }
}
