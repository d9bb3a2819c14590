//! What the data repo holds, once read: projects, their notes and forms,
//! and the team.

pub mod document;
pub mod link;
pub mod project;
pub mod team;
pub mod timeline;

pub use document::{FormFile, Note};
pub use project::{
    Attitude, CondState, ConditionRecord, Contact, FormLink, Imported, Influence, Judgement,
    JudgementFile, NextStep, Outcome, Project, Source, StageRecord, Status,
};
pub use team::{Person, Team};

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diag::SourceMap;
use crate::process::Process;

/// The repo's data once read: what the rules check (and, later, what the
/// site is rendered from).
#[derive(Clone, Debug)]
pub struct Dataset {
    pub process: Process,
    pub team: Team,
    /// Sorted by folder name.
    pub projects: Vec<Project>,
    /// The Git history, when the repo has one (see `history`).
    pub history: Option<timeline::Timeline>,
}

/// The result of loading: the dataset when the definitions were usable,
/// the findings of reading, and the text of every file read.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub dataset: Option<Dataset>,
    pub findings: Vec<crate::diag::Finding>,
    pub sources: SourceMap,
    /// The repo's own `data/i18n/<locale>.toml` strings, by locale.
    pub i18n_overrides: BTreeMap<String, BTreeMap<String, String>>,
    pub digests: Digests,
    /// The files the parse cache stood in for, read only when a page or
    /// a finding needs their text (`load::cache`).
    pub unread: Option<crate::text::Unread>,
}

/// Hashes of the files as read, for `build` to tell which pages may have
/// changed since the last build (`render::fingerprint`).
#[derive(Clone, Debug, Default)]
pub struct Digests {
    /// Every file outside the project folders: settings, process, team,
    /// strings, theme.
    pub definitions: u64,
    /// Each project folder's files, by folder name.
    pub projects: BTreeMap<String, u64>,
}

/// The region a project is grouped under: the province (the text up to
/// 省 or 自治区) or a municipality (up to 市); other values as written.
pub fn region_group(region: &str) -> &str {
    let region = region.trim();
    for mark in ["自治区", "省", "市"] {
        if let Some(i) = region.find(mark) {
            return &region[..i + mark.len()];
        }
    }
    region
}
