//! Load: the data repo's files → a [`Dataset`], plus a finding for every
//! file that could not be read as data.
//!
//! `files` (the walk) and `cache` (the parse cache) are the only I/O;
//! [`parse`] is pure, so the same code loads a working tree, a commit's
//! tree, or a repo a test built in memory.

pub mod cache;
pub mod config;
pub mod document;
pub mod files;
pub mod i18n;
pub mod judgement;
pub mod process;
pub mod project;
pub mod resolve;
pub mod team;
pub mod toml_reader;

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub use files::{Entry, ReadError, RepoFiles, read_repo};

use crate::diag::{Finding, Msg, SourceMap, codes};
use crate::model::{Dataset, Loaded, Project};
use crate::process::Process;
use crate::span::Span;
use crate::text::Text;

pub use files::CONFIG;
pub const PROCESS: &str = "data/process.toml";
pub const TEAM: &str = "data/team.toml";
pub const I18N_DIR: &str = "data/i18n/";
pub const PROJECTS: &str = "content/projects/";
pub const RECORD: &str = "project.toml";

/// The eight-stage process of the tracking form, compiled in: a repo
/// without its own `data/process.toml` runs this one, and `dealbook init`
/// writes it out for a team to adapt.
pub const BUILTIN_PROCESS: &str = include_str!("../../data/process.toml");

/// Why `check` cannot run at all (exit code 2), as a message to translate.
#[derive(Debug, PartialEq)]
pub struct Fatal(pub Msg);

/// Reads and parses the repo at `root`.
pub fn load(root: &Path) -> Result<Loaded, Fatal> {
    parse(&read(root)?)
}

/// Reads the repo's files, or says why it cannot.
pub fn read(root: &Path) -> Result<RepoFiles, Fatal> {
    read_repo(root).map_err(|e| cannot_read(root, e))
}

/// Why the repo at `root` could not be read.
fn cannot_read(root: &Path, e: ReadError) -> Fatal {
    let root = root.display();
    Fatal(match e {
        ReadError::NoRoot => Msg::new("fatal.no-root").arg("root", root),
        ReadError::NotARepo => Msg::new("fatal.not-a-repo").arg("root", root),
        ReadError::Io(e) => Msg::new("fatal.io").arg("root", root).arg("error", e),
    })
}

/// Parses every file of the repo. Pure.
pub fn parse(files: &RepoFiles) -> Result<Loaded, Fatal> {
    parse_reusing(files, BTreeMap::new())
}

/// As [`parse`], with what the parse cache had for some project folders
/// (whose files were not read) standing in for reading them again.
pub fn parse_reusing(
    files: &RepoFiles,
    mut reused: BTreeMap<String, ProjectLoad>,
) -> Result<Loaded, Fatal> {
    for required in [CONFIG, TEAM] {
        if files.get(required).is_none() {
            return Err(Fatal(Msg::new("fatal.missing-file").arg("path", required)));
        }
    }
    let mut l = Loader {
        files,
        findings: Vec::new(),
        sources: SourceMap::default(),
    };
    l.report_unusable_entries("");

    let config = match l.text(CONFIG) {
        Some(t) => config::parse(CONFIG, &t, &mut l.findings),
        None => Default::default(),
    };
    let process = match files.get(PROCESS) {
        Some(_) => l
            .text(PROCESS)
            .and_then(|t| process::parse(PROCESS, &t, &mut l.findings)),
        None => process::parse(PROCESS, BUILTIN_PROCESS, &mut l.findings),
    };
    let mut i18n_overrides = BTreeMap::new();
    for locale in crate::i18n::LOCALES {
        let path = format!("{I18N_DIR}{locale}.toml");
        if let Some(t) = l.text(&path) {
            let strings = i18n::parse(&path, &t, locale, &mut l.findings);
            i18n_overrides.insert(locale.to_string(), strings);
        }
    }
    // Without a usable process, records cannot be read meaningfully; the
    // process's own findings say why.
    let mut digests = crate::model::Digests {
        definitions: digest(
            files
                .entries
                .iter()
                .map(|(p, e)| (p.as_str(), e))
                .filter(|(p, _)| !p.starts_with(PROJECTS)),
        ),
        ..Default::default()
    };
    let dataset = process.map(|process| {
        let team = match l.text(TEAM) {
            Some(t) => team::parse(TEAM, &t, &process, &mut l.findings),
            None => Default::default(),
        };
        // Each folder alone, on all cores; merged in folder order, so the
        // result is the same as one by one.
        let folders: Vec<String> = project_folders(files).into_iter().collect();
        let loads: Vec<ProjectLoad> = folders
            .iter()
            .map(|folder| reused.remove(folder))
            .collect::<Vec<_>>()
            .into_par_iter()
            .zip(&folders)
            .map(|(reused, folder)| reused.unwrap_or_else(|| read_project(files, folder, &process)))
            .collect();
        let mut projects = Vec::with_capacity(loads.len());
        for (folder, load) in folders.into_iter().zip(loads) {
            l.findings.extend(load.findings);
            l.sources.extend(load.sources);
            projects.extend(load.project);
            digests.projects.insert(folder, load.digest);
        }
        Dataset {
            process,
            team,
            projects,
            history: None,
        }
    });
    Ok(Loaded {
        config,
        dataset,
        findings: l.findings,
        sources: l.sources,
        i18n_overrides,
        digests,
        unread: None,
    })
}

/// A hash of files as read: their paths and what was found at each.
fn digest<'a>(entries: impl Iterator<Item = (&'a str, &'a Entry)>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    for (path, entry) in entries {
        path.hash(&mut h);
        entry.hash(&mut h);
    }
    h.finish()
}

/// What reading one project folder again found.
pub struct ProjectLoad {
    pub project: Option<Project>,
    pub findings: Vec<Finding>,
    pub sources: SourceMap,
    /// A hash of the folder's files.
    pub digest: u64,
}

/// Parses one project folder alone (for `serve`, after it changed).
pub fn parse_project(files: &RepoFiles, folder: &str, process: &Process) -> ProjectLoad {
    let mut l = Loader {
        files,
        findings: Vec::new(),
        sources: SourceMap::default(),
    };
    l.report_unusable_entries(&format!("{PROJECTS}{folder}/"));
    let project = if files
        .under(&format!("{PROJECTS}{folder}/"))
        .next()
        .is_some()
    {
        l.project(folder, process)
    } else {
        None
    };
    ProjectLoad {
        project,
        findings: l.findings,
        sources: l.sources,
        digest: digest(files.under(&format!("{PROJECTS}{folder}/"))),
    }
}

/// Reads one project folder of a repo being parsed whole (its unusable
/// entries are reported with the rest of the repo's).
fn read_project(files: &RepoFiles, folder: &str, process: &Process) -> ProjectLoad {
    let mut l = Loader {
        files,
        findings: Vec::new(),
        sources: SourceMap::default(),
    };
    let project = l.project(folder, process);
    let prefix = format!("{PROJECTS}{folder}/");
    ProjectLoad {
        project,
        findings: l.findings,
        sources: l.sources,
        digest: digest(files.under(&prefix)),
    }
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

/// Loading state: the files, and what reading them found.
struct Loader<'f> {
    files: &'f RepoFiles,
    findings: Vec<Finding>,
    sources: SourceMap,
}

impl Loader<'_> {
    /// Reports links that leave the repo and files that cannot be read,
    /// below `prefix` (`""` for all).
    fn report_unusable_entries(&mut self, prefix: &str) {
        for (path, entry) in self.files.under(prefix) {
            let (rule, msg) = match entry {
                Entry::EscapingLink(target) => (
                    &codes::SYMLINK_ESCAPE,
                    Msg::new("msg.symlink-escape").arg("target", target),
                ),
                Entry::ForbiddenLink(target) => (
                    &codes::SYMLINK_ESCAPE,
                    Msg::new("msg.symlink-not-data").arg("target", target),
                ),
                Entry::Unreadable(error) => (
                    &codes::READ_ERROR,
                    Msg::new("msg.read-error").arg("error", error),
                ),
                Entry::BadName => (&codes::ENCODING, Msg::new("msg.bad-file-name")),
                Entry::Text(_) | Entry::Bytes(_) | Entry::Present | Entry::Unread(_) => continue,
            };
            let help = match entry {
                Entry::EscapingLink(_) | Entry::ForbiddenLink(_) => {
                    Some(Msg::new("help.symlink-escape"))
                }
                Entry::BadName => Some(Msg::new("help.bad-file-name")),
                _ => None,
            };
            self.findings
                .push(Finding::new(rule, path, None, msg).with_help_opt(help));
        }
    }

    /// The text of a file, recorded in `sources`. A file that is not UTF-8
    /// is reported at the line and column of its first bad byte.
    fn text(&mut self, path: &str) -> Option<Text> {
        let entry = self.files.get(path)?;
        // The parse cache reads every folder it does not stand in for.
        debug_assert!(!matches!(entry, Entry::Unread(_)), "{path} was not read");
        let text = match entry {
            Entry::Text(text) => text.clone(),
            Entry::Bytes(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => Text::new(text.to_string()),
                Err(e) => {
                    let at = e.valid_up_to();
                    let len = e.error_len().unwrap_or(bytes.len() - at);
                    self.sources
                        .insert(path, String::from_utf8_lossy(bytes).into_owned());
                    self.findings.push(
                        Finding::new(
                            &codes::ENCODING,
                            path,
                            Some(Span::new(at, at + len)),
                            Msg::new("msg.encoding"),
                        )
                        .with_help(Msg::new("help.encoding")),
                    );
                    return None;
                }
            },
            _ => return None,
        };
        // Spans are offsets into the file as it is on disk: the source
        // keeps a byte-order mark, the parsers do not see it.
        self.sources.insert(path, text.clone());
        Some(crate::text::as_parsed(text))
    }

    /// Reads one project folder: its record, notes, forms and judgement
    /// files. Those are read even when the record is broken, so their own
    /// problems are reported in the same run.
    fn project(&mut self, folder: &str, process: &Process) -> Option<Project> {
        let dir = format!("{PROJECTS}{folder}");
        let prefix = format!("{dir}/");
        // Links may only lead to files that were read or seen as plain
        // files: never to a link out of the repo.
        let rels: Vec<String> = self
            .files
            .under(&prefix)
            .filter(|(_, e)| matches!(e, Entry::Text(_) | Entry::Bytes(_) | Entry::Present))
            .map(|(p, _)| p[prefix.len()..].to_string())
            .collect();
        let record_path = format!("{dir}/{RECORD}");
        let project = match self.text(&record_path) {
            Some(t) => project::parse(
                project::ProjectDir {
                    dir: &dir,
                    folder,
                    path: &record_path,
                    files: rels.clone(),
                },
                &t,
                process,
                &mut self.findings,
            ),
            None => {
                if self.files.get(&record_path).is_none() {
                    self.findings.push(
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
        let mut judgements = Vec::new();
        for rel in rels.iter().filter(|r| r.ends_with(".md")) {
            let path = format!("{prefix}{rel}");
            let is_note = rel.starts_with("notes/");
            let judgement_file = rel.strip_prefix(judgement::DIR);
            if !is_note && !rel.starts_with("forms/") && judgement_file.is_none() {
                continue;
            }
            let Some(t) = self.text(&path) else { continue };
            if let Some(name) = judgement_file {
                judgements.extend(judgement::parse(
                    &path,
                    name,
                    &t,
                    process,
                    &mut self.findings,
                ));
            } else if is_note {
                notes.extend(document::parse_note(
                    &path,
                    rel,
                    &t,
                    process,
                    &mut self.findings,
                ));
            } else {
                forms.extend(document::parse_form(
                    &path,
                    rel,
                    &t,
                    process,
                    &mut self.findings,
                ));
            }
        }
        let mut project = project?;
        judgement::merge(&mut project, judgements, process, &mut self.findings);
        notes.sort_by(|a, b| {
            let key = |n: &crate::model::Note| (n.date.as_ref().map(|d| d.value), n.rel.clone());
            key(a).cmp(&key(b))
        });
        project.notes = notes;
        project.forms = forms;
        Some(project)
    }
}
