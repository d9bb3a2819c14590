//! A note's Markdown through the renderer and the sanitizer: whatever it
//! says, the HTML that reaches a page can run nothing: no script-bearing
//! element, no event handler, no `javascript:`/`data:` address.
#![no_main]

use dealbook::render::markdown::{Context, to_html};
use libfuzzer_sys::fuzz_target;

/// The attributes (name, value) of each tag of `html`, with quotes honoured.
fn attributes(html: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for tag in html.split('<').skip(1) {
        let inside = tag.split('>').next().unwrap_or("");
        let mut rest = inside;
        let name: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect();
        rest = &rest[name.len()..];
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() {
                break;
            }
            let attr: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '=')
                .collect();
            rest = &rest[attr.len()..];
            let mut value = String::new();
            if let Some(after) = rest.strip_prefix('=') {
                if let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    value = body[..end].to_string();
                    rest = body.get(end + 1..).unwrap_or("");
                } else {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    value = after[..end].to_string();
                    rest = &after[end..];
                }
            }
            out.push((name.to_ascii_lowercase(), attr.to_ascii_lowercase(), value));
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let link = |dest: &str| Some(dest.to_string());
    let html = to_html(
        text,
        &Context {
            top_heading: 4,
            link: &link,
            task_labels: ("done", "open"),
        },
    );
    let lower = html.to_ascii_lowercase();
    for element in [
        "<script", "<iframe", "<style", "<object", "<embed", "<svg", "<math", "<form",
    ] {
        assert!(!lower.contains(element), "{element} in {html}");
    }
    for (tag, attr, value) in attributes(&html) {
        assert!(
            !attr.starts_with("on"),
            "event handler {attr} on <{tag}> in {html}"
        );
        if attr == "href" || attr == "src" {
            // As a browser's URL parser reads it: tabs and line breaks
            // removed, leading control characters and spaces trimmed.
            let value: String = value
                .trim_start_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .to_ascii_lowercase();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(!value.starts_with(scheme), "{attr}={value} in {html}");
            }
        }
    }
});
