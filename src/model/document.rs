//! Markdown files of a project: visit notes and attached forms. Both carry
//! TOML front matter between `+++` lines.

use jiff::civil::Date;

use crate::span::Sp;
use crate::text::Slice;

/// A visit or meeting note (`notes/*.md`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Note {
    /// Repo-relative path.
    pub path: String,
    /// Path relative to the project folder (`notes/2026-09-03-拜访.md`).
    pub rel: String,
    pub title: Option<Sp<String>>,
    pub date: Option<Sp<Date>>,
    /// Index into the process's note kinds.
    pub kind: Option<Sp<usize>>,
    /// Index into the process's stages.
    pub stage: Option<Sp<usize>>,
    pub author: Option<Sp<String>>,
    pub attendees: Vec<Sp<String>>,
    /// Conditions of `stage` this note is evidence for (indices).
    pub evidences: Vec<Sp<usize>>,
    /// The Markdown after the front matter, shared with the file's text.
    pub body: Slice,
}

/// An attached form (`forms/*.md`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FormFile {
    pub path: String,
    pub rel: String,
    /// Index into the process's forms.
    pub form: Option<Sp<usize>>,
    pub title: Option<Sp<String>>,
    pub date: Option<Sp<Date>>,
    pub author: Option<Sp<String>>,
    /// The Markdown after the front matter, shared with the file's text.
    pub body: Slice,
}
