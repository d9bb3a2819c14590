//! Requests to site paths, content types, and what `serve` adds to pages:
//! the live-reload script and the findings overlay. Only `serve` adds
//! them; `build` output never has them.

use hyper::Method;

use super::workspace::Problem;
use crate::diag::Msg;
use crate::i18n::I18n;
use crate::render::escape_html;

/// Where browsers listen for reload events (server-sent events).
pub const EVENTS: &str = "/__dealbook/events";
/// A shared worker that keeps one event stream for all open tabs: a
/// browser allows only a few connections to one host.
pub const WORKER: &str = "/__dealbook/reload.js";

pub const WORKER_SCRIPT: &str = "var ports=[],last=null,s=new EventSource(\"/__dealbook/events\");\
s.onmessage=function(e){last=e.data;ports.forEach(function(p){p.postMessage(last)})};\
onconnect=function(e){var p=e.ports[0];ports.push(p);p.start();if(last!==null)p.postMessage(last)};\n";

/// The content type of a site file, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "woff2" => "font/woff2",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// The site path a request URL names, or `None` for anything that tries
/// to leave the site: `..` (also percent-encoded), backslashes, NUL.
/// `/` and folder URLs name their `index.html`.
pub fn site_path(url: &str) -> Option<String> {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(raw)?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" => {}
            "." | ".." => return None,
            p => parts.push(p),
        }
    }
    let mut path = parts.join("/");
    if path.is_empty() || decoded.ends_with('/') {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Some(path)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Connects a page to the reload events (through the shared worker where
/// there is one); reloads when the generation is not the page's own.
fn reload_script(generation: u64) -> String {
    format!(
        "<script>(function(){{var g=\"{generation}\";function on(v){{if(v!==g)location.reload();}}\
if(window.SharedWorker){{var w=new SharedWorker(\"{WORKER}\");w.port.onmessage=function(e){{on(e.data)}};w.port.start();}}\
else{{var s=new EventSource(\"{EVENTS}\");s.onmessage=function(e){{on(e.data)}};}}}})();</script>"
    )
}

/// Adds the reload script, and the overlay when there are problems, before
/// `</body>` of an HTML page.
pub fn inject(html: Vec<u8>, generation: u64, problems: &[Problem], i18n: &I18n) -> Vec<u8> {
    let mut extra = reload_script(generation);
    if !problems.is_empty() {
        extra.push_str(&overlay(problems, i18n));
    }
    let at = std::str::from_utf8(&html)
        .ok()
        .and_then(|text| text.rfind("</body>"))
        .unwrap_or(html.len());
    let mut out = html;
    out.splice(at..at, extra.into_bytes());
    out
}

/// Why a request is answered without looking at what it asks for. Every
/// refusal also closes the connection: a body the client may still be
/// sending is never read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not GET or HEAD: 405, with `Allow: GET, HEAD`.
    Method,
    /// A GET or HEAD that sends a body (`Content-Length` above 0 or any
    /// `Transfer-Encoding`): 413.
    Body,
    /// Another host name while bound to loopback: 403 (DNS rebinding).
    Host,
}

/// What to refuse before a request reaches the site. `host` is the `Host`
/// header, `authority` the host of an absolute request URL; while bound to
/// loopback both must name this machine.
pub fn screen(
    method: &Method,
    has_body: bool,
    host: Option<&str>,
    authority: Option<&str>,
    loopback: bool,
) -> Option<Refusal> {
    if method != Method::GET && method != Method::HEAD {
        return Some(Refusal::Method);
    }
    if has_body {
        return Some(Refusal::Body);
    }
    let local = host.is_some_and(is_local_host) && authority.is_none_or(is_local_host);
    (loopback && !local).then_some(Refusal::Host)
}

/// The path-absolute form of a request path for a `Location` header:
/// repeated slashes collapsed, so it never starts with `//` (which a
/// browser would read as another host). The trailing slash is kept.
pub fn location(raw: &str) -> String {
    let parts: Vec<&str> = raw.split('/').filter(|p| !p.is_empty()).collect();
    let mut out = format!("/{}", parts.join("/"));
    if !parts.is_empty() && raw.ends_with('/') {
        out.push('/');
    }
    out
}

/// Whether a request path has empty segments (`//projects`, `/a//b`): it
/// is redirected to its [`location`].
pub fn has_repeated_slashes(raw: &str) -> bool {
    raw.contains("//")
}

/// Whether a request's `Host` names this machine (against DNS rebinding:
/// a page elsewhere must not read the preview through a name it controls).
pub fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    matches!(
        name.to_ascii_lowercase().as_str(),
        "localhost" | "127.0.0.1" | "::1"
    )
}

/// The findings over the page, until the files are fixed.
fn overlay(problems: &[Problem], i18n: &I18n) -> String {
    let items: String = problems
        .iter()
        .map(|p| {
            format!(
                "<li><code>{}</code> {}</li>",
                escape_html(&p.location),
                escape_html(&p.message)
            )
        })
        .collect();
    format!(
        concat!(
            "<div id=\"dealbook-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;",
            "background:#2b0f0f;color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:12px 16px;z-index:99999;",
            "box-shadow:0 -4px 16px rgba(0,0,0,.4)\"><strong>{title}</strong>",
            "<ul style=\"margin:8px 0 0;padding-left:20px\">{items}</ul>",
            "<p style=\"margin:8px 0 0;color:#f3c4c4\">{hint}</p></div>"
        ),
        title = escape_html(&i18n.format(&Msg::new("serve.overlay").arg("n", problems.len()))),
        items = items,
        hint = escape_html(i18n.get("serve.overlay_hint")),
    )
}

/// The page for a path the site does not have.
pub fn not_found(i18n: &I18n, path: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>404</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head><body><main><h1>404</h1><p>{message}</p><p><a href=\"/index.html\">{back}</a></p></main></body></html>",
        lang = i18n.locale(),
        message = escape_html(&i18n.format(&Msg::new("serve.not_found").arg("path", path))),
        back = escape_html(i18n.get("serve.back")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_site_are_refused() {
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/x",
            "/static/..%2f..%2fdealbook.toml",
            "/..%5c..%5cwindows",
            "/a\\b",
            "/x%00.html",
            "/%zz",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn folders_name_their_index() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/projects/").as_deref(),
            Some("projects/index.html")
        );
        assert_eq!(
            site_path("/projects/HZ-1.html?x=1#a").as_deref(),
            Some("projects/HZ-1.html")
        );
        assert_eq!(
            site_path("/departments/%E8%BD%A8%E9%81%93.html").as_deref(),
            Some("departments/轨道.html")
        );
    }

    #[test]
    fn types_follow_extensions() {
        assert_eq!(content_type("a/b.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("pipeline.json"), "application/json");
        assert_eq!(
            content_type("people/李明.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(
            content_type("changes.atom"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(content_type("forms/报价.PDF"), "application/pdf");
    }

    #[test]
    fn the_overlay_escapes_and_sits_before_the_end_of_body() {
        let i18n = I18n::builtin("en");
        let page = inject(
            b"<html><body><p>x</p></body></html>".to_vec(),
            7,
            &[Problem {
                location: "content/projects/A/project.toml:2:8".into(),
                message: "<script>bad</script>".into(),
            }],
            &i18n,
        );
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("dealbook-overlay"));
        assert!(page.contains("&lt;script&gt;bad"));
        assert!(page.ends_with("</div></body></html>"), "{page}");
        assert!(page.contains("EventSource") && page.contains("var g=\"7\""));
    }

    #[test]
    fn locations_never_name_another_host() {
        assert_eq!(location("//projects"), "/projects");
        assert_eq!(location("///evil.example/x/"), "/evil.example/x/");
        assert_eq!(location("/a//b"), "/a/b");
        assert_eq!(location("//"), "/");
        assert_eq!(location("/projects/"), "/projects/");
        for raw in ["//x", "////x//", "/%2F/x", "//"] {
            assert!(!location(raw).starts_with("//"), "{raw}");
        }
        assert!(has_repeated_slashes("//projects"));
        assert!(!has_repeated_slashes("/projects/"));
    }

    #[test]
    fn only_get_and_head_without_a_body_from_this_host_pass() {
        let local = Some("localhost:1111");
        assert_eq!(screen(&Method::GET, false, local, None, true), None);
        assert_eq!(screen(&Method::HEAD, false, local, None, true), None);
        for method in [Method::POST, Method::PUT, Method::OPTIONS, Method::CONNECT] {
            assert_eq!(
                screen(&method, false, local, None, true),
                Some(Refusal::Method)
            );
        }
        assert_eq!(
            screen(&Method::POST, true, Some("evil.example"), None, true),
            Some(Refusal::Method)
        );
        assert_eq!(
            screen(&Method::GET, true, local, None, true),
            Some(Refusal::Body)
        );
        assert_eq!(
            screen(&Method::GET, false, Some("evil.example"), None, true),
            Some(Refusal::Host)
        );
        assert_eq!(
            screen(&Method::GET, false, None, None, true),
            Some(Refusal::Host)
        );
        // An absolute URL naming another host, whatever `Host` says.
        assert_eq!(
            screen(&Method::GET, false, local, Some("evil.example"), true),
            Some(Refusal::Host)
        );
        // Bound to another address on purpose (`--bind`): any name.
        assert_eq!(
            screen(&Method::GET, false, Some("evil.example"), None, false),
            None
        );
    }

    #[test]
    fn only_local_host_names_are_accepted() {
        for host in [
            "localhost:1111",
            "127.0.0.1:8080",
            "[::1]:1111",
            "LOCALHOST",
        ] {
            assert!(is_local_host(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.evil.example",
            "",
        ] {
            assert!(!is_local_host(host), "{host}");
        }
    }
}
