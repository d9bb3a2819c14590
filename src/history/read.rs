//! Reading the data repo's Git history with gix (pure Rust): every commit
//! that changed a project, and what the record said after it. This is the
//! only place that talks to Git.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use gix::ObjectId;
use jiff::civil::Date;

use super::snapshot::{self, Snapshot};
use super::{Commit, History, Version};
use crate::load::files::Opened;
use crate::load::{Entry, PROJECTS, RECORD, RepoFiles};

/// The folder of judgement files in a project folder, as a tree entry.
const JUDGEMENTS: &str = "judgements";

/// Why there is no history to read.
#[derive(Debug, PartialEq, Eq)]
pub enum NoHistory {
    /// The data repo is a plain folder.
    NotGit,
    /// A shallow clone: the history is cut off.
    Shallow,
    /// No commit yet.
    Empty,
    /// Git could not be read.
    Broken(String),
}

/// A project folder that differs: (name, old tree, new tree).
type FolderChange = (String, Option<ObjectId>, Option<ObjectId>);

/// An open repository and where the data repo sits inside it.
pub struct Repo {
    repo: gix::Repository,
    /// The data repo's path inside the Git work tree (`""` at its root).
    prefix: String,
}

fn broken(e: impl std::fmt::Display) -> NoHistory {
    NoHistory::Broken(e.to_string())
}

impl Repo {
    /// Opens the Git repository that holds `root`.
    pub fn open(root: &Path) -> Result<Repo, NoHistory> {
        let mut repo = gix::discover(root).map_err(|_| NoHistory::NotGit)?;
        // The same trees are looked up again and again along the history.
        repo.object_cache_size_if_unset(64 * 1024 * 1024);
        let work = repo.workdir().ok_or(NoHistory::NotGit)?;
        let work = work.canonicalize().map_err(broken)?;
        let root = root.canonicalize().map_err(broken)?;
        let prefix = root
            .strip_prefix(&work)
            .map_err(|_| NoHistory::NotGit)?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        Ok(Repo { repo, prefix })
    }

    fn path(&self, rel: &str) -> String {
        if self.prefix.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.prefix)
        }
    }

    /// The commit a revision (`main`, `HEAD~3`, an id) names.
    pub fn resolve(&self, rev: &str) -> Result<ObjectId, NoHistory> {
        let id = self.repo.rev_parse_single(rev).map_err(broken)?;
        let object = id
            .object()
            .map_err(broken)?
            .peel_to_commit()
            .map_err(broken)?;
        Ok(object.id)
    }

    pub fn head(&self) -> Result<ObjectId, NoHistory> {
        match self.repo.head_id() {
            Ok(id) => Ok(id.detach()),
            Err(_) => Err(NoHistory::Empty),
        }
    }

    /// The newest commit on the first-parent line from HEAD made on or
    /// before `date` (for `build --as-of DATE`).
    pub fn commit_at(&self, date: Date) -> Result<Option<ObjectId>, NoHistory> {
        let mut id = Some(self.head()?);
        while let Some(current) = id {
            let commit = self.repo.find_commit(current).map_err(broken)?;
            if commit_date(&commit)? <= date {
                return Ok(Some(current));
            }
            id = commit.parent_ids().next().map(|p| p.detach());
        }
        Ok(None)
    }

    /// The committer date of a commit.
    pub fn date_of(&self, id: ObjectId) -> Result<Date, NoHistory> {
        commit_date(&self.repo.find_commit(id).map_err(broken)?)
    }

    /// The tree entry at a path of a commit's tree (`None`: not there).
    fn entry_at(&self, tree: ObjectId, path: &str) -> Result<Option<(ObjectId, bool)>, NoHistory> {
        let mut current = tree;
        let mut is_tree = true;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            if !is_tree {
                return Ok(None);
            }
            let found = self.entries(current)?.into_iter().find(|e| e.0 == part);
            match found {
                Some((_, id, tree)) => {
                    current = id;
                    is_tree = tree;
                }
                None => return Ok(None),
            }
        }
        Ok(Some((current, is_tree)))
    }

    /// The project folders that differ between two projects trees: (name,
    /// old tree, new tree). Both trees are sorted the same way, so one
    /// pass over the raw entries finds them without decoding names that
    /// did not change.
    fn changed_folders(
        &self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
    ) -> Result<Vec<FolderChange>, NoHistory> {
        use gix::objs::TreeRefIter;
        let data = |id: Option<ObjectId>| -> Result<Vec<u8>, NoHistory> {
            match id {
                Some(id) => Ok(self.repo.find_object(id).map_err(broken)?.data.clone()),
                None => Ok(Vec::new()),
            }
        };
        let (a, b) = (data(old)?, data(new)?);
        let kind = self.repo.object_hash();
        fn folders(d: &[u8], kind: gix::hash::Kind) -> Vec<gix::objs::tree::EntryRef<'_>> {
            TreeRefIter::from_bytes(d, kind)
                .filter_map(Result::ok)
                .filter(|e| e.mode.is_tree())
                .collect()
        }
        let (xs, ys) = (folders(&a, kind), folders(&b, kind));
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while i < xs.len() || j < ys.len() {
            let order = match (xs.get(i), ys.get(j)) {
                // Git's own order (it is how both trees are sorted).
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            match order {
                std::cmp::Ordering::Equal => {
                    if xs[i].oid != ys[j].oid {
                        out.push((
                            xs[i].filename.to_string(),
                            Some(xs[i].oid.to_owned()),
                            Some(ys[j].oid.to_owned()),
                        ));
                    }
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => {
                    out.push((xs[i].filename.to_string(), Some(xs[i].oid.to_owned()), None));
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push((ys[j].filename.to_string(), None, Some(ys[j].oid.to_owned())));
                    j += 1;
                }
            }
        }
        out.retain(|(name, _, _)| !crate::load::files::is_ignored(name));
        Ok(out)
    }

    /// A tree's entries: (name, id, is a tree). A name that is not UTF-8
    /// comes lossy here; `collect` tells it apart.
    fn entries(&self, tree: ObjectId) -> Result<Vec<(String, ObjectId, bool)>, NoHistory> {
        Ok(self
            .raw_entries(tree)?
            .into_iter()
            .map(|(name, id, is_tree)| (String::from_utf8_lossy(&name).into_owned(), id, is_tree))
            .collect())
    }

    fn raw_entries(&self, tree: ObjectId) -> Result<Vec<(Vec<u8>, ObjectId, bool)>, NoHistory> {
        let object = self.repo.find_object(tree).map_err(broken)?;
        let tree = object.try_into_tree().map_err(broken)?;
        let decoded = tree.decode().map_err(broken)?;
        Ok(decoded
            .entries
            .iter()
            .map(|e| (e.filename.to_vec(), e.oid.to_owned(), e.mode.is_tree()))
            .collect())
    }

    fn blob(&self, id: ObjectId) -> Result<Vec<u8>, NoHistory> {
        Ok(self.repo.find_blob(id).map_err(broken)?.data.clone())
    }

    /// The data repo's files as they were at a commit (for `--as-of` and
    /// `check --base`), in the form `load::parse` reads: walked by the same
    /// walker as the working tree, so the layout rules are the same.
    pub fn files_at(&self, commit: ObjectId) -> Result<RepoFiles, NoHistory> {
        let tree = self
            .repo
            .find_commit(commit)
            .map_err(broken)?
            .tree_id()
            .map_err(broken)?
            .detach();
        let mut files = RepoFiles::default();
        for root in crate::load::files::ROOTS {
            if let Some(node) = self.entry_at(tree, &self.path(root))? {
                crate::load::files::walk(self, &node, root, &mut files)?;
            }
        }
        Ok(files)
    }
}

/// A commit's tree as the repo walker sees it: a node is an object and
/// whether it is a tree.
impl crate::load::files::Tree for Repo {
    type Node = (ObjectId, bool);
    type Error = NoHistory;

    fn open(
        &self,
        &(id, is_tree): &(ObjectId, bool),
    ) -> Result<Opened<(ObjectId, bool)>, NoHistory> {
        if !is_tree {
            return Ok(Opened::File);
        }
        Ok(Opened::Folder(
            self.raw_entries(id)?
                .into_iter()
                .map(|(name, id, is_tree)| (name, (id, is_tree)))
                .collect(),
        ))
    }

    fn read(&self, &(id, _): &(ObjectId, bool), limit: u64) -> Result<Entry, NoHistory> {
        if self.repo.find_header(id).map_err(broken)?.size() > limit {
            return Ok(Entry::too_large(limit));
        }
        Ok(Entry::read(self.blob(id)?))
    }
}

/// The committer date: when a commit landed where it is (`--as-of`
/// looks for what `main` said then).
fn commit_date(commit: &gix::Commit<'_>) -> Result<Date, NoHistory> {
    let seconds = commit
        .committer()
        .map_err(broken)?
        .time()
        .map_err(broken)?
        .seconds;
    Ok(date_of_seconds(seconds))
}

/// The UTC calendar date of a Unix time.
pub fn date_of_seconds(seconds: i64) -> Date {
    jiff::Timestamp::from_second(seconds)
        .map(|t| jiff::tz::Offset::UTC.to_datetime(t).date())
        .unwrap_or_default()
}

fn commit_of(id: ObjectId, commit: &gix::Commit<'_>) -> Result<Commit, NoHistory> {
    let author = commit.author().map_err(broken)?;
    let seconds = author.time().map_err(broken)?.seconds;
    Ok(Commit {
        id: id.to_string(),
        author: author.name.to_string(),
        email: author.email.to_string().trim().to_lowercase(),
        date: date_of_seconds(seconds),
        seconds,
        committed: commit_date(commit)?,
    })
}

/// What history reads of a project folder: its record's blob and its
/// folder of judgement files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
struct Files {
    record: Option<ObjectId>,
    judgements: Option<ObjectId>,
}

/// A changed project folder of one commit: its name, whether the folder
/// was there before and after, and what history reads of it before and
/// after.
struct Row {
    folder: String,
    was: bool,
    is: bool,
    old: Files,
    new: Files,
}

/// What `read` keeps while it walks: each commit's projects tree, each
/// folder tree's files, each record blob's snapshot, each judgements
/// folder's texts, and each record and judgements folder's snapshot.
struct Walk<'r> {
    repo: &'r Repo,
    projects_tree: HashMap<ObjectId, Option<ObjectId>>,
    records: HashMap<ObjectId, Files>,
    snapshots: HashMap<ObjectId, Arc<Snapshot>>,
    judgement_folders: HashMap<ObjectId, Arc<JudgementTexts>>,
    judgement_files: HashMap<ObjectId, Option<(String, String)>>,
    with_files: HashMap<(Option<ObjectId>, ObjectId), Arc<Snapshot>>,
}

/// The texts of a judgements folder: file name → (judgement, follow-up).
type JudgementTexts = std::collections::BTreeMap<String, (String, String)>;

impl Walk<'_> {
    /// The record blob and judgements folder of a project folder tree.
    fn record(&mut self, folder_tree: Option<ObjectId>) -> Result<Files, NoHistory> {
        let Some(t) = folder_tree else {
            return Ok(Files::default());
        };
        if let Some(r) = self.records.get(&t) {
            return Ok(*r);
        }
        let mut files = Files::default();
        for (name, id, is_tree) in self.repo.entries(t)? {
            if name == RECORD && !is_tree {
                files.record = Some(id);
            } else if is_tree && name == JUDGEMENTS {
                files.judgements = Some(id);
            }
        }
        self.records.insert(t, files);
        Ok(files)
    }

    /// What a judgements folder says, file by file (each blob read once).
    fn judgement_texts(&mut self, tree: ObjectId) -> Result<Arc<JudgementTexts>, NoHistory> {
        if let Some(t) = self.judgement_folders.get(&tree) {
            return Ok(t.clone());
        }
        let mut texts = JudgementTexts::new();
        for (name, id, is_tree) in self.repo.entries(tree)? {
            if is_tree || !name.ends_with(".md") || crate::load::files::is_ignored(&name) {
                continue;
            }
            let said = match self.judgement_files.get(&id) {
                Some(said) => said.clone(),
                None => {
                    let text = self.repo.blob(id)?;
                    let said = snapshot::judgement_file(&String::from_utf8_lossy(&text));
                    self.judgement_files.insert(id, said.clone());
                    said
                }
            };
            if let Some(said) = said {
                texts.insert(name, said);
            }
        }
        let texts = Arc::new(texts);
        self.judgement_folders.insert(tree, texts.clone());
        Ok(texts)
    }

    /// The files of `folder` in a commit already walked.
    fn record_in(&mut self, commit: ObjectId, folder: &str) -> Result<Files, NoHistory> {
        let Some(tree) = self.projects_tree.get(&commit).copied().flatten() else {
            return Ok(Files::default());
        };
        let folder_tree = self
            .repo
            .entry_at(tree, folder)?
            .filter(|e| e.1)
            .map(|e| e.0);
        self.record(folder_tree)
    }

    /// What a project folder says: its record, with the judgement files
    /// beside it. A folder without judgement files shares its record's
    /// snapshot.
    fn snapshot(
        &mut self,
        files: Files,
        fallback: &Arc<Snapshot>,
    ) -> Result<Arc<Snapshot>, NoHistory> {
        let base = self.record_snapshot(files.record, fallback)?;
        let Some(tree) = files.judgements.filter(|_| base.exists) else {
            if base.judgement_files.is_empty() {
                return Ok(base);
            }
            // A fallback from a version that had judgement files.
            let mut s = (*base).clone();
            s.judgement_files.clear();
            return Ok(Arc::new(s));
        };
        let key = (files.record, tree);
        if let Some(s) = self.with_files.get(&key) {
            return Ok(s.clone());
        }
        let texts = self.judgement_texts(tree)?;
        let s = if base.judgement_files == *texts {
            base
        } else {
            let mut s = (*base).clone();
            s.judgement_files = (*texts).clone();
            Arc::new(s)
        };
        self.with_files.insert(key, s.clone());
        Ok(s)
    }

    /// What a record blob says; a blob that is not TOML says what
    /// `fallback` (the version before it) said.
    fn record_snapshot(
        &mut self,
        blob: Option<ObjectId>,
        fallback: &Arc<Snapshot>,
    ) -> Result<Arc<Snapshot>, NoHistory> {
        let Some(blob) = blob else {
            return Ok(Arc::new(Snapshot::gone()));
        };
        if let Some(s) = self.snapshots.get(&blob) {
            return Ok(s.clone());
        }
        let text = self.repo.blob(blob)?;
        let s = snapshot::read(&String::from_utf8_lossy(&text))
            .map_or_else(|| fallback.clone(), Arc::new);
        self.snapshots.insert(blob, s.clone());
        Ok(s)
    }
}

/// Pairs folders removed in a commit with folders added in it that hold
/// the same record (the same blob, `code` or `name`: a renamed folder
/// usually comes with a new code): renames. Returns target → source.
fn renames(walk: &mut Walk<'_>, rows: &[Row]) -> Result<HashMap<String, String>, NoHistory> {
    let mut out = HashMap::new();
    let gone = Arc::new(Snapshot::gone());
    let removed: Vec<&Row> = rows
        .iter()
        .filter(|r| r.was && !r.is && r.old.record.is_some())
        .collect();
    if removed.is_empty() {
        return Ok(out);
    }
    let mut taken: Vec<bool> = vec![false; removed.len()];
    for added in rows
        .iter()
        .filter(|r| !r.was && r.is && r.new.record.is_some())
    {
        let new = walk.snapshot(added.new, &gone)?;
        let mut found = None;
        for (i, from) in removed.iter().enumerate() {
            if taken[i] {
                continue;
            }
            let old = walk.snapshot(from.old, &gone)?;
            let same = from.old.record == added.new.record
                || (new.code.is_some() && old.code == new.code)
                || (new.name.is_some() && old.name == new.name);
            if same {
                found = Some(i);
                break;
            }
        }
        if let Some(i) = found {
            taken[i] = true;
            out.insert(added.folder.clone(), removed[i].folder.clone());
        }
    }
    Ok(out)
}

/// Reads every commit reachable from `tip` that changed a project folder.
/// `progress` is called with (commits done, commits in all).
pub fn read(
    root: &Path,
    tip: Option<ObjectId>,
    mut progress: impl FnMut(usize, usize),
) -> Result<History, NoHistory> {
    let repo = Repo::open(root)?;
    if repo.repo.is_shallow().unwrap_or(false) {
        return Err(NoHistory::Shallow);
    }
    let tip = match tip {
        Some(t) => t,
        None => repo.head()?,
    };
    let walk = repo
        .repo
        .rev_walk([tip])
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            gix::traverse::commit::simple::CommitTimeOrder::OldestFirst,
        ))
        .all()
        .map_err(broken)?;
    let mut walked = Vec::new();
    for info in walk {
        let info = info.map_err(broken)?;
        let parents: Vec<ObjectId> = info.parent_ids.iter().map(|p| p.to_owned()).collect();
        walked.push((info.commit_time.unwrap_or(0), info.id, parents));
    }
    let infos = parents_first(walked);
    let mainline = first_parent_line(&infos, tip);
    let projects_path = repo.path(PROJECTS.trim_end_matches('/'));
    let mut history = History::default();
    let mut walk = Walk {
        repo: &repo,
        projects_tree: HashMap::new(),
        records: HashMap::new(),
        snapshots: HashMap::new(),
        judgement_folders: HashMap::new(),
        judgement_files: HashMap::new(),
        with_files: HashMap::new(),
    };
    let total = infos.len();
    let gone = Arc::new(Snapshot::gone());
    for (done, (id, parents)) in infos.into_iter().enumerate() {
        progress(done, total);
        let commit = repo.repo.find_commit(id).map_err(broken)?;
        let tree = commit.tree_id().map_err(broken)?.detach();
        let this = repo
            .entry_at(tree, &projects_path)?
            .filter(|e| e.1)
            .map(|e| e.0);
        walk.projects_tree.insert(id, this);
        let first = parents
            .first()
            .and_then(|p| walk.projects_tree.get(p).copied().flatten());
        if first == this {
            continue;
        }
        let merge = parents.len() > 1;
        let index = history.commits.len();
        history.commits.push(commit_of(id, &commit)?);
        let mut rows = Vec::new();
        for (folder, old_tree, new_tree) in repo.changed_folders(first, this)? {
            if !merge {
                // A merge brings changes made (and counted) elsewhere.
                let entry = history.projects.entry(folder.clone()).or_default();
                entry.touches.push(index);
            }
            let (old, new) = (walk.record(old_tree)?, walk.record(new_tree)?);
            if old != new {
                rows.push(Row {
                    was: old_tree.is_some(),
                    is: new_tree.is_some(),
                    folder,
                    old,
                    new,
                });
            }
        }
        let renames = renames(&mut walk, &rows)?;
        let sources: std::collections::HashSet<&String> = renames.values().collect();
        for row in &rows {
            if sources.contains(&row.folder) {
                continue;
            }
            let source = renames.get(&row.folder);
            let old = match source {
                Some(from) => rows
                    .iter()
                    .find(|r| &r.folder == from)
                    .map(|r| r.old)
                    .unwrap_or_default(),
                None => row.old,
            };
            let before = walk.snapshot(old, &gone)?;
            let after = walk.snapshot(row.new, &before)?;
            if after == before && source.is_none() {
                continue;
            }
            let mut seen = vec![before];
            let name = source.unwrap_or(&row.folder);
            for parent in parents.iter().skip(1) {
                let blob = walk.record_in(*parent, name)?;
                seen.push(walk.snapshot(blob, &gone)?);
            }
            if let Some(from) = source {
                // The record moved: its history moves with it.
                let moved = history.projects.remove(from).unwrap_or_default();
                let entry = history.projects.entry(row.folder.clone()).or_default();
                let mut versions = moved.versions;
                versions.append(&mut entry.versions);
                entry.versions = versions;
                entry.touches.extend(moved.touches);
                entry.touches.sort_unstable();
                entry.touches.dedup();
            }
            let entry = history.projects.entry(row.folder.clone()).or_default();
            entry.versions.push(Version {
                commit: index,
                parents: seen,
                snapshot: after,
                mainline: mainline.contains(&id),
                renamed_from: source.cloned(),
            });
        }
    }
    progress(total, total);
    Ok(history)
}

/// The commits on the first-parent line from `tip`: what the main line
/// said, one commit after the other.
fn first_parent_line(
    infos: &[(ObjectId, Vec<ObjectId>)],
    tip: ObjectId,
) -> std::collections::HashSet<ObjectId> {
    let parents: HashMap<ObjectId, Option<ObjectId>> = infos
        .iter()
        .map(|(id, ps)| (*id, ps.first().copied()))
        .collect();
    let mut line = std::collections::HashSet::new();
    let mut at = Some(tip);
    while let Some(id) = at {
        if !line.insert(id) {
            break;
        }
        at = parents.get(&id).copied().flatten();
    }
    line
}

/// Orders commits so that every parent comes before its children, and
/// otherwise the older first: each change is applied on top of the state
/// it was made on.
fn parents_first(
    mut commits: Vec<(i64, ObjectId, Vec<ObjectId>)>,
) -> Vec<(ObjectId, Vec<ObjectId>)> {
    commits.sort_by_key(|(time, id, _)| (*time, *id));
    let parents: HashMap<ObjectId, Vec<ObjectId>> =
        commits.iter().map(|(_, id, p)| (*id, p.clone())).collect();
    let mut done: std::collections::HashSet<ObjectId> = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(commits.len());
    for (_, id, _) in &commits {
        // Depth first, parents before the commit, without recursion.
        let mut stack = vec![(*id, false)];
        while let Some((c, expanded)) = stack.pop() {
            if done.contains(&c) {
                continue;
            }
            let Some(ps) = parents.get(&c) else { continue };
            if expanded {
                done.insert(c);
                out.push((c, ps.clone()));
            } else {
                stack.push((c, true));
                stack.extend(
                    ps.iter()
                        .filter(|p| !done.contains(*p))
                        .map(|p| (*p, false)),
                );
            }
        }
    }
    out
}
