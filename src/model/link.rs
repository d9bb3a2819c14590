//! Links written in records (evidence, forms): where they lead.

/// Where a link leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A web address: not ours to check.
    External,
    /// A file inside the project folder, as a normalized relative path.
    Inside(String),
    /// An absolute path, or one that climbs out of the project folder.
    Outside,
}

/// Whether `url` is an absolute `http(s)://` address: the only kind of
/// address from data or settings that may become a link on the site
/// (never `javascript:`, `data:` or a protocol-relative `//host`).
pub fn is_web(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
        && !url
            .trim()
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
}

/// Whether `path` is a site path the site may be published under
/// (`/sales/`), never one a browser reads as another host (`//evil`).
pub fn is_site_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Resolves a link written relative to the project folder. Purely
/// lexical: `notes/../forms/a.md` is `forms/a.md`; `../X/a.md` is outside.
pub fn resolve(link: &str) -> Target {
    let link = link.trim();
    if is_web(link) {
        return Target::External;
    }
    let path = link.split(['#', '?']).next().unwrap_or("");
    if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        return Target::Outside;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Target::Outside;
                }
            }
            p => parts.push(p),
        }
    }
    Target::Inside(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_links_lexically() {
        assert_eq!(resolve("notes/a.md"), Target::Inside("notes/a.md".into()));
        assert_eq!(
            resolve("./notes/../forms/b.md#x"),
            Target::Inside("forms/b.md".into())
        );
        assert_eq!(resolve("../other/project.toml"), Target::Outside);
        assert_eq!(resolve("/etc/passwd"), Target::Outside);
        assert_eq!(resolve("C:\\x"), Target::Outside);
        assert_eq!(resolve("https://example.com/a"), Target::External);
    }

    #[test]
    fn only_web_addresses_and_site_paths_are_links() {
        for ok in [
            "https://git.example.com/sales/-/edit/main/",
            "HTTP://x.example/",
        ] {
            assert!(is_web(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(document.domain)//",
            "data:text/html,x",
            "//evil.example/",
            "https:///x",
            "https://x y",
            "ftp://x",
            "",
        ] {
            assert!(!is_web(bad), "{bad}");
        }
        assert!(is_site_path("/sales/") && is_site_path("/"));
        assert!(
            !is_site_path("//evil.example/") && !is_site_path("sales") && !is_site_path("/\\evil")
        );
    }
}
