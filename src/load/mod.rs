//! Load: the data repo's files → a [`Dataset`], plus a finding for every
//! file that could not be read as data.
//!
//! `read_repo` is the only I/O; [`parse`] is pure, so the same code loads a
//! working tree, a commit's tree, or a repo a test built in memory.

pub mod config;
pub mod document;
pub mod files;
pub mod process;
pub mod project;
pub mod team;
pub mod toml_reader;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub use files::{Entry, RepoFiles, read_repo};

use crate::diag::{Finding, Msg, SourceMap, codes};
use crate::i18n;
use crate::model::{Dataset, Loaded};
use crate::span::Span;

pub const CONFIG: &str = "dealbook.toml";
pub const PROCESS: &str = "data/process.toml";
pub const TEAM: &str = "data/team.toml";
pub const I18N_DIR: &str = "data/i18n/";
pub const PROJECTS: &str = "content/projects/";
pub const RECORD: &str = "project.toml";

/// Why `check` cannot run at all (exit code 2), as a message to translate.
#[derive(Debug, PartialEq)]
pub struct Fatal(pub Msg);

/// Reads and parses the repo at `root`.
pub fn load(root: &Path) -> Result<Loaded, Fatal> {
    if !root.is_dir() {
        return Err(Fatal(Msg::new("fatal.no-root").arg("root", root.display())));
    }
    if !root.join(CONFIG).exists() {
        return Err(Fatal(
            Msg::new("fatal.not-a-repo").arg("root", root.display()),
        ));
    }
    let files = read_repo(root).map_err(|e| {
        Fatal(
            Msg::new("fatal.io")
                .arg("root", root.display())
                .arg("error", e),
        )
    })?;
    parse(&files)
}

/// Parses every file of the repo. Pure.
pub fn parse(files: &RepoFiles) -> Result<Loaded, Fatal> {
    let mut findings = Vec::new();
    let mut sources = SourceMap::default();
    report_unreadable(files, &mut findings);

    let mut text = |path: &str, findings: &mut Vec<Finding>| -> Option<String> {
        decode(path, files.get(path)?, findings, &mut sources)
    };

    if files.get(CONFIG).is_none() {
        return Err(Fatal(Msg::new("fatal.not-a-repo").arg("root", ".")));
    }
    let config = match text(CONFIG, &mut findings) {
        Some(t) => config::parse(CONFIG, &t, &mut findings),
        None => Default::default(),
    };
    if files.get(PROCESS).is_none() {
        return Err(Fatal(Msg::new("fatal.missing-file").arg("path", PROCESS)));
    }
    let process =
        text(PROCESS, &mut findings).and_then(|t| process::parse(PROCESS, &t, &mut findings));
    let mut i18n_overrides = BTreeMap::new();
    for locale in i18n::LOCALES {
        let path = format!("{I18N_DIR}{locale}.toml");
        if let Some(t) = text(&path, &mut findings) {
            match i18n::flatten(&t) {
                Ok(strings) => {
                    i18n_overrides.insert(locale.to_string(), strings);
                }
                Err(e) => findings.push(
                    Finding::new(
                        &codes::SYNTAX,
                        &path,
                        Some(Span::new(0, 0)),
                        Msg::new("msg.syntax").arg("detail", e.trim()),
                    )
                    .with_help(Msg::new("help.syntax")),
                ),
            }
        }
    }
    let Some(process) = process else {
        // Without a usable process, records cannot be read meaningfully.
        return Ok(Loaded {
            config,
            dataset: None,
            findings,
            sources,
            i18n_overrides,
        });
    };
    let team = match text(TEAM, &mut findings) {
        Some(t) => team::parse(TEAM, &t, &process, &mut findings),
        None => {
            if files.get(TEAM).is_none() {
                return Err(Fatal(Msg::new("fatal.missing-file").arg("path", TEAM)));
            }
            Default::default()
        }
    };

    let mut projects = Vec::new();
    for folder in project_folders(files) {
        let dir = format!("{PROJECTS}{folder}");
        let prefix = format!("{dir}/");
        let rels: Vec<String> = files
            .under(&prefix)
            .map(|(p, _)| p[prefix.len()..].to_string())
            .collect();
        let record_path = format!("{dir}/{RECORD}");
        let project = match text(&record_path, &mut findings) {
            Some(t) => project::parse(
                project::ProjectDir {
                    dir: &dir,
                    folder: &folder,
                    path: &record_path,
                    files: rels.clone(),
                },
                &t,
                &process,
                &mut findings,
            ),
            None => {
                if files.get(&record_path).is_none() {
                    findings.push(
                        Finding::new(
                            &codes::MISSING_RECORD,
                            &dir,
                            None,
                            Msg::new("msg.missing-record").arg("path", &record_path),
                        )
                        .with_help(Msg::new("help.missing-record")),
                    );
                }
                None
            }
        };
        let mut notes = Vec::new();
        let mut forms = Vec::new();
        for rel in rels.iter().filter(|r| r.ends_with(".md")) {
            let path = format!("{prefix}{rel}");
            if rel.starts_with("notes/") {
                if let Some(t) = text(&path, &mut findings) {
                    notes.extend(document::parse_note(
                        &path,
                        rel,
                        &t,
                        &process,
                        &mut findings,
                    ));
                }
            } else if rel.starts_with("forms/")
                && let Some(t) = text(&path, &mut findings)
            {
                forms.extend(document::parse_form(
                    &path,
                    rel,
                    &t,
                    &process,
                    &mut findings,
                ));
            }
        }
        if let Some(mut project) = project {
            notes.sort_by(|a, b| {
                (a.date.as_ref().map(|d| d.value), &a.rel)
                    .cmp(&(b.date.as_ref().map(|d| d.value), &b.rel))
            });
            project.notes = notes;
            project.forms = forms;
            projects.push(project);
        }
    }
    Ok(Loaded {
        config,
        dataset: Some(Dataset {
            process,
            team,
            projects,
        }),
        findings,
        sources,
        i18n_overrides,
    })
}

/// Project folders under `content/projects/`, sorted.
fn project_folders(files: &RepoFiles) -> BTreeSet<String> {
    files
        .under(PROJECTS)
        .filter_map(|(p, _)| {
            let rest = &p[PROJECTS.len()..];
            let (folder, _) = rest.split_once('/')?;
            Some(folder.to_string())
        })
        .collect()
}

/// Links that leave the repo and files that could not be read.
fn report_unreadable(files: &RepoFiles, findings: &mut Vec<Finding>) {
    for (path, entry) in &files.entries {
        match entry {
            Entry::EscapingLink(target) => findings.push(
                Finding::new(
                    &codes::SYMLINK_ESCAPE,
                    path,
                    None,
                    Msg::new("msg.symlink-escape").arg("target", target),
                )
                .with_help(Msg::new("help.symlink-escape")),
            ),
            Entry::Unreadable(error) => findings.push(Finding::new(
                &codes::READ_ERROR,
                path,
                None,
                Msg::new("msg.read-error").arg("error", error),
            )),
            Entry::Bytes(_) | Entry::Present => {}
        }
    }
}

/// The text of a file, recorded in `sources`. A file that is not UTF-8 is
/// reported at the line and column of its first bad byte.
fn decode(
    path: &str,
    entry: &Entry,
    findings: &mut Vec<Finding>,
    sources: &mut SourceMap,
) -> Option<String> {
    let Entry::Bytes(bytes) = entry else {
        return None;
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            sources.insert(path, text);
            Some(text.to_string())
        }
        Err(e) => {
            let at = e.valid_up_to();
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            sources.insert(path, lossy);
            findings.push(
                Finding::new(
                    &codes::ENCODING,
                    path,
                    Some(Span::new(at, at + 3)),
                    Msg::new("msg.encoding"),
                )
                .with_help(Msg::new("help.encoding")),
            );
            None
        }
    }
}
