//! What a page was made from, as one number, so a build can keep a page
//! of the previous site whose inputs did not change instead of rendering
//! it again (a second build after one record changed renders that
//! record's pages and the lists, not 10,000 project pages).
//!
//! A page's fingerprint hashes everything its template sees: the view
//! (serialized), the context every page shares (strings, site data, nav
//! counts), the path, title and nav, every template's source, the base
//! URL and this program's version. The fingerprints of a site are kept in
//! the site itself ([`FILE`]) and read by the next build; a site from
//! another version of dealbook is simply rendered again.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hasher};
use std::path::Path;

use serde::Serialize;

/// The list of fingerprints, in the site folder beside its marker.
pub const FILE: &str = ".dealbook-fingerprints";

/// The first line of [`FILE`]: fingerprints are comparable only within one
/// version (the hasher and the views may differ between versions).
fn header() -> String {
    format!("dealbook {}", env!("CARGO_PKG_VERSION"))
}

/// The fingerprints of the pages of a previous build, by site path.
#[derive(Debug, Default)]
pub struct Known(HashMap<String, u64>);

impl Known {
    /// Reads them from the site at `out`; none when it has no list or a
    /// list of another version.
    pub fn read(out: &Path) -> Known {
        let Ok(text) = std::fs::read_to_string(out.join(FILE)) else {
            return Known::default();
        };
        let mut lines = text.lines();
        if lines.next() != Some(header().as_str()) {
            return Known::default();
        }
        Known(
            lines
                .filter_map(|line| {
                    let (fp, path) = line.split_once(' ')?;
                    Some((path.to_string(), u64::from_str_radix(fp, 16).ok()?))
                })
                .collect(),
        )
    }

    pub fn get(&self, path: &str) -> Option<u64> {
        self.0.get(path).copied()
    }
}

/// The text of [`FILE`] for a site's fingerprints, sorted by path so the
/// same site gives the same bytes.
pub fn list(mut pages: Vec<(String, u64)>) -> String {
    pages.sort();
    let mut out = header();
    out.push('\n');
    for (path, fp) in pages {
        out.push_str(&format!("{fp:016x} {path}\n"));
    }
    out
}

/// A hasher that serde writes into, so a view is hashed without being
/// kept as text.
struct Sink(DefaultHasher);

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Hashes `parts` (each with its length, so they cannot run into each
/// other) after `seed`, then `view` as JSON.
pub fn of<T: Serialize + ?Sized>(seed: u64, parts: &[&str], view: &T) -> u64 {
    let mut sink = Sink(DefaultHasher::new());
    sink.0.write_u64(seed);
    for part in parts {
        sink.0.write_usize(part.len());
        sink.0.write(part.as_bytes());
    }
    // A view that cannot be serialized cannot be rendered either; its
    // fingerprint then only says "not the same as before".
    if serde_json::to_writer(&mut sink, view).is_err() {
        sink.0.write_u8(0xff);
    }
    sink.0.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let text = list(vec![("b.html".into(), 2), ("a b.html".into(), u64::MAX)]);
        std::fs::write(dir.path().join(FILE), &text).unwrap();
        let known = Known::read(dir.path());
        assert_eq!(known.get("a b.html"), Some(u64::MAX));
        assert_eq!(known.get("b.html"), Some(2));
        assert_eq!(known.get("c.html"), None);
        assert!(text.find("a b.html") < text.find("b.html\n"), "sorted");
    }

    #[test]
    fn another_version_s_list_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE),
            "dealbook 0.0.0-old\n0000000000000002 b.html\n",
        )
        .unwrap();
        assert_eq!(Known::read(dir.path()).get("b.html"), None);
    }

    #[test]
    fn every_part_and_the_view_count() {
        let base = of(1, &["a", "b"], &[1, 2]);
        assert_eq!(base, of(1, &["a", "b"], &[1, 2]));
        assert_ne!(base, of(2, &["a", "b"], &[1, 2]));
        assert_ne!(base, of(1, &["ab", ""], &[1, 2]));
        assert_ne!(base, of(1, &["a", "b"], &[1, 3]));
    }
}
