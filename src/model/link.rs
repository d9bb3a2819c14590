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

/// Resolves a link written relative to the project folder. Purely
/// lexical: `notes/../forms/a.md` is `forms/a.md`; `../X/a.md` is outside.
pub fn resolve(link: &str) -> Target {
    let link = link.trim();
    if link.starts_with("http://") || link.starts_with("https://") {
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
}
