//! Links into the team's Git host's web editor (`[edit]` in
//! `dealbook.toml`): one that opens a file of the data repo for editing,
//! and one that opens the "new file" editor with a file's name and text
//! filled in. Each host spells them its own way (checked against each
//! host's source and documentation):
//!
//! - GitHub: `…/edit/<branch>/<path>` and
//!   `…/new/<branch>?filename=<path>&value=<text>` (the whole path goes in
//!   `filename`: with a folder in the address, GitHub drops its last part).
//! - GitLab: `…/-/edit/<branch>/<path>` and
//!   `…/-/new/<branch>/<folder>?file_name=<name>&content=<text>`.
//! - Gitea: `…/_edit/<branch>/<path>` and
//!   `…/_new/<branch>/?filename=<path>&value=<text>` (as GitHub's).
//!
//! Paths are percent-encoded segment by segment (Chinese file names
//! included), query values completely.

use crate::config::{Config, EditHost, Host};

/// Characters a URL keeps as they are; `/` too in a path.
fn is_unreserved(b: u8, in_path: bool) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') || (in_path && b == b'/')
}

fn encode(text: &str, in_path: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if is_unreserved(b, in_path) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A repo-relative path (or a branch) as part of an address.
pub fn path(text: &str) -> String {
    encode(text, true)
}

/// A query value: everything but unreserved characters encoded.
pub fn query(text: &str) -> String {
    encode(text, false)
}

/// The link that opens `file` (repo-relative) in the host's editor.
pub fn edit(e: &EditHost, file: &str) -> String {
    let at = match e.host {
        Host::GitHub => "edit",
        Host::GitLab => "-/edit",
        Host::Gitea => "_edit",
    };
    format!("{}/{at}/{}/{}", e.repo, path(&e.branch), path(file))
}

/// The link that opens the host's "new file" editor on `file` with
/// `text` filled in.
pub fn new_file(e: &EditHost, file: &str, text: &str) -> String {
    let branch = path(&e.branch);
    match e.host {
        Host::GitHub => format!(
            "{}/new/{branch}?filename={}&value={}",
            e.repo,
            query(file),
            query(text)
        ),
        Host::GitLab => {
            let (folder, name) = file.rsplit_once('/').unwrap_or(("", file));
            format!(
                "{}/-/new/{branch}/{}?file_name={}&content={}",
                e.repo,
                path(folder),
                query(name),
                query(text)
            )
        }
        Host::Gitea => format!(
            "{}/_new/{branch}/?filename={}&value={}",
            e.repo,
            query(file),
            query(text)
        ),
    }
}

/// The "edit this file" link of `edit_url` (a prefix joined with the
/// path), for a site without `[edit]`.
pub fn prefixed(prefix: &str, file: &str) -> String {
    format!("{prefix}{}", path(file))
}

/// The link that opens a repo file for editing: the host's editor with
/// `[edit]`, else `edit_url` + path, else none.
pub fn edit_link(config: &Config, file: &str) -> Option<String> {
    match (&config.edit, &config.edit_url) {
        (Some(host), _) => Some(edit(host, file)),
        (None, Some(prefix)) => Some(prefixed(prefix, file)),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(host: Host) -> EditHost {
        EditHost {
            host,
            repo: "https://git.example.com/sales/data".to_string(),
            branch: "main".to_string(),
        }
    }

    const FILE: &str = "content/projects/HZ-2026-001/judgements/方案设计.总经理.md";
    const TEXT: &str = "+++\nby = \"zhaojun\"\n+++\n\n## 判断\n\n";
    const FILE_Q: &str = "content%2Fprojects%2FHZ-2026-001%2Fjudgements%2F%E6%96%B9%E6%A1%88%E8%AE%BE%E8%AE%A1.%E6%80%BB%E7%BB%8F%E7%90%86.md";
    const TEXT_Q: &str =
        "%2B%2B%2B%0Aby%20%3D%20%22zhaojun%22%0A%2B%2B%2B%0A%0A%23%23%20%E5%88%A4%E6%96%AD%0A%0A";

    #[test]
    fn edit_links_per_host() {
        let record = "content/projects/HZ-2026-001/project.toml";
        assert_eq!(
            edit(&host(Host::GitHub), record),
            "https://git.example.com/sales/data/edit/main/content/projects/HZ-2026-001/project.toml"
        );
        assert_eq!(
            edit(&host(Host::GitLab), record),
            "https://git.example.com/sales/data/-/edit/main/content/projects/HZ-2026-001/project.toml"
        );
        assert_eq!(
            edit(&host(Host::Gitea), record),
            "https://git.example.com/sales/data/_edit/main/content/projects/HZ-2026-001/project.toml"
        );
        assert_eq!(
            edit(&host(Host::GitLab), FILE),
            "https://git.example.com/sales/data/-/edit/main/content/projects/HZ-2026-001/judgements/%E6%96%B9%E6%A1%88%E8%AE%BE%E8%AE%A1.%E6%80%BB%E7%BB%8F%E7%90%86.md"
        );
    }

    #[test]
    fn new_file_links_per_host() {
        assert_eq!(
            new_file(&host(Host::GitHub), FILE, TEXT),
            format!("https://git.example.com/sales/data/new/main?filename={FILE_Q}&value={TEXT_Q}")
        );
        assert_eq!(
            new_file(&host(Host::GitLab), FILE, TEXT),
            format!(
                "https://git.example.com/sales/data/-/new/main/content/projects/HZ-2026-001/judgements?file_name=%E6%96%B9%E6%A1%88%E8%AE%BE%E8%AE%A1.%E6%80%BB%E7%BB%8F%E7%90%86.md&content={TEXT_Q}"
            )
        );
        assert_eq!(
            new_file(&host(Host::Gitea), FILE, TEXT),
            format!(
                "https://git.example.com/sales/data/_new/main/?filename={FILE_Q}&value={TEXT_Q}"
            )
        );
    }

    #[test]
    fn branches_and_prefixes_are_encoded_too() {
        let mut e = host(Host::GitHub);
        e.branch = "销售/2026".to_string();
        assert_eq!(
            edit(&e, "a b.toml"),
            "https://git.example.com/sales/data/edit/%E9%94%80%E5%94%AE/2026/a%20b.toml"
        );
        assert_eq!(
            prefixed(
                "https://x.example/-/edit/main/",
                "content/projects/杭州/project.toml"
            ),
            "https://x.example/-/edit/main/content/projects/%E6%9D%AD%E5%B7%9E/project.toml"
        );
    }
}
