//! An Atom feed (RFC 4287). Dates are whole days at midnight UTC, from
//! the as-of date and the days things changed, so the same data gives the
//! same bytes; ids are URNs made from what an entry is about, so a reader
//! sees an entry once however often the site is rebuilt.

use jiff::civil::Date;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub updated: Date,
    /// The page about it: absolute when the site's base URL is, else
    /// relative to the feed.
    pub link: String,
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feed {
    pub id: String,
    pub title: String,
    pub author: String,
    pub updated: Date,
    /// The feed's own address, when the site's base URL is absolute.
    pub self_link: Option<String>,
    /// The page the feed is the news of.
    pub link: String,
    pub entries: Vec<Entry>,
}

/// Escapes text for XML content and attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Not allowed in XML 1.0.
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

fn stamp(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

pub fn write(feed: &Feed) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <id>{}</id>\n", escape(&feed.id)));
    out.push_str(&format!("  <title>{}</title>\n", escape(&feed.title)));
    out.push_str(&format!("  <updated>{}</updated>\n", stamp(feed.updated)));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(&feed.author)
    ));
    if let Some(link) = &feed.self_link {
        out.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            escape(link)
        ));
    }
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&feed.link)
    ));
    out.push_str("  <generator>dealbook</generator>\n");
    for e in &feed.entries {
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <id>{}</id>\n", escape(&e.id)));
        out.push_str(&format!("    <title>{}</title>\n", escape(&e.title)));
        out.push_str(&format!("    <updated>{}</updated>\n", stamp(e.updated)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&e.link)
        ));
        if !e.summary.is_empty() {
            out.push_str(&format!(
                "    <summary type=\"text\">{}</summary>\n",
                escape(&e.summary)
            ));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_feed_has_what_rfc_4287_asks_for_and_escapes_text() {
        let feed = Feed {
            id: "urn:dealbook:changes".into(),
            title: "华东 <看板> & co".into(),
            author: "华东".into(),
            updated: date(2026, 11, 26),
            self_link: None,
            link: "board/changes.html".into(),
            entries: vec![Entry {
                id: "urn:dealbook:change:won:HZ-1:2026-11-24".into(),
                title: "已成交：<script>".into(),
                updated: date(2026, 11, 24),
                link: "projects/HZ-1.html".into(),
                summary: "a \"b\" 'c'\u{7}".into(),
            }],
        };
        let xml = write(&feed);
        assert!(
            xml.contains("<title>华东 &lt;看板&gt; &amp; co</title>"),
            "{xml}"
        );
        assert!(xml.contains("<updated>2026-11-26T00:00:00Z</updated>"));
        assert!(xml.contains("<title>已成交：&lt;script&gt;</title>"));
        assert!(xml.contains("a &quot;b&quot; &apos;c&apos;</summary>"));
        assert!(!xml.contains('\u{7}'));
        assert!(
            !xml.contains("rel=\"self\""),
            "no self link without a base URL"
        );
    }
}
