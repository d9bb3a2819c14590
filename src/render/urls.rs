//! Where each page lives, and links between pages. Links are relative, so
//! the site works opened from `file://` and served under any sub-path.

/// Characters kept as they are in a URL path segment; everything else
/// (Chinese included) is percent-encoded.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/')
}

/// Percent-encodes a site path for use in `href`.
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A short, stable hash of a name (FNV-1a), to keep apart names that only
/// differ in characters a file name cannot hold.
fn tag(name: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

/// A name made safe as a file name: no separators, no reserved characters,
/// no leading dot. A name that had to change gets a hash of the original,
/// so `轨道/交通` and `轨道_交通` do not land on the same page.
pub fn file_name(name: &str) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '#' | '%' => '_',
            c if c.is_control() || c.is_whitespace() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.');
    if cleaned == name {
        cleaned.to_string()
    } else {
        format!(
            "{}-{}",
            if cleaned.is_empty() { "_" } else { cleaned },
            tag(name)
        )
    }
}

/// An HTML id from a file name or key (`notes/2026-09-03-拜访.md` →
/// `2026-09-03-拜访`).
pub fn fragment(name: &str) -> String {
    let stem = name.rsplit('/').next().unwrap_or(name);
    let stem = stem.strip_suffix(".md").unwrap_or(stem);
    file_name(stem)
}

pub fn project(folder: &str) -> String {
    format!("projects/{}.html", file_name(folder))
}

pub fn stage(id: &str) -> String {
    format!("stages/{}.html", file_name(id))
}

/// The file name of a page of a folder that has an index: a name that
/// would land on `index` gets a hash, so it cannot replace the index.
fn page_name(name: &str) -> String {
    let file = file_name(name);
    if file.eq_ignore_ascii_case("index") {
        format!("{file}-{}", tag(name))
    } else {
        file
    }
}

pub fn person(id: &str) -> String {
    format!("people/{}.html", page_name(id))
}

/// A person's calendar feed (iCalendar).
pub fn calendar(id: &str) -> String {
    format!("people/{}.ics", page_name(id))
}

pub fn department(name: &str) -> String {
    format!("departments/{}.html", page_name(name))
}

pub fn region(name: &str) -> String {
    format!("regions/{}.html", page_name(name))
}

/// A page of the board (`forecast`, `closing`, …; `index` for the hub).
pub fn board(view: &str) -> String {
    format!("board/{view}.html")
}

pub const PENDING: &str = "pending/index.html";
pub const PROJECTS: &str = "projects/index.html";
pub const PEOPLE: &str = "people/index.html";
pub const DEPARTMENTS: &str = "departments/index.html";
pub const REGIONS: &str = "regions/index.html";
/// The Atom feed of the week's changes.
pub const CHANGES_FEED: &str = "changes.atom";

/// The prefix that leads from a page back to the site root: `../` per
/// folder level of `page`.
pub fn root_of(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

pub use crate::model::region_group;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_encoded_and_relative() {
        assert_eq!(
            encode("departments/轨道.html"),
            "departments/%E8%BD%A8%E9%81%93.html"
        );
        assert_eq!(
            encode("projects/HZ-2026-001.html"),
            "projects/HZ-2026-001.html"
        );
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("projects/a.html"), "../");
    }

    #[test]
    fn names_become_safe_file_names() {
        assert!(file_name("../etc/passwd").starts_with("_etc_passwd-"));
        assert!(file_name("a b/c").starts_with("a_b_c-"));
        assert!(file_name("..").starts_with("_-"));
        assert_eq!(file_name("轨道交通事业部"), "轨道交通事业部");
        assert_ne!(file_name("轨道/交通"), file_name("轨道_交通"));
        assert_ne!(person("index"), PEOPLE, "a person cannot replace the index");
        assert_ne!(department("INDEX"), DEPARTMENTS);
        assert_eq!(person("liming"), "people/liming.html");
        assert_eq!(fragment("notes/2026-09-03-拜访.md"), "2026-09-03-拜访");
    }

    #[test]
    fn regions_group_by_province_or_municipality() {
        assert_eq!(region_group("浙江省杭州市"), "浙江省");
        assert_eq!(region_group("上海市浦东新区"), "上海市");
        assert_eq!(region_group("广西壮族自治区南宁市"), "广西壮族自治区");
        assert_eq!(region_group("Bavaria"), "Bavaria");
    }
}
