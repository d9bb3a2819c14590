//! The data repo held in memory while `serve` runs: its files, the checked
//! data, and the pages rendered so far. A batch of changes reloads the
//! least it can (one project, the theme, or everything); pages are
//! rendered when a browser asks for them, through the same `Renderer` as
//! `build`, and kept until a change touches what they show.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::classify::Work;
use crate::analyze::{self, Analysis};
use crate::config::Config;
use crate::diag::{Finding, Msg, Severity, SourceMap, Tally, human};
use crate::i18n::I18n;
use crate::load::{self, PROJECTS, RepoFiles, files};
use crate::model::Dataset;
use crate::render::{self, Page, RenderError, Renderer, Theme};

/// What `serve` was started with.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub today: Option<Date>,
    pub locale: Option<String>,
    /// Whether to reuse the parse cache (`--no-cache` turns it off).
    pub cache: bool,
}

/// One problem to show in the browser overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub location: String,
    pub message: String,
}

/// A file of the site, ready to send.
pub struct Served {
    pub body: Body,
    pub content_type: &'static str,
}

pub enum Body {
    /// A page rendered by the theme: `serve` adds its script to it.
    Page(Vec<u8>),
    /// A static file of the theme.
    Static(Vec<u8>),
    /// An attachment, sent from its file in the repo.
    File(PathBuf),
}

pub struct Workspace {
    root: PathBuf,
    options: Options,
    files: RepoFiles,
    state: State,
    /// Rendered pages by site path.
    cache: HashMap<String, Vec<u8>>,
}

enum State {
    /// Before the first load.
    Loading,
    /// The repo cannot be loaded (no `dealbook.toml`, no process…).
    Fatal(Msg, I18n),
    /// Being reloaded: the data may change, so there is no renderer.
    Editing(Box<Ready>),
    /// Loaded, with the renderer every request uses until the next reload.
    Ready(Sealed),
}

self_cell::self_cell!(
    /// A loaded repo and the one renderer made over it per reload (its
    /// caches, such as each note's HTML, then serve every request).
    struct Sealed {
        owner: Box<Ready>,
        #[not_covariant]
        dependent: MaybeRenderer,
    }
);

/// The renderer and the site's files, when the data and the theme are
/// usable.
type MaybeRenderer<'a> = Option<Pages<'a>>;

/// What requests are answered from until the next reload.
struct Pages<'a> {
    renderer: Renderer<'a>,
    routes: BTreeMap<String, Page>,
}

/// A loaded repo.
struct Ready {
    config: Config,
    i18n: I18n,
    /// `None` when the process definition is unusable.
    dataset: Option<Dataset>,
    /// Findings of reading files; rule findings are added on top.
    load_findings: Vec<Finding>,
    sources: SourceMap,
    /// The files the parse cache stood in for at the last full load.
    unread: Option<crate::text::Unread>,
    /// Every finding, severities applied, in report order.
    findings: Vec<Finding>,
    /// Each project's rule findings by folder, and the date they were
    /// judged at: a change to some projects runs their rules only.
    rules: BTreeMap<String, Vec<Finding>>,
    rules_as_of: Option<Date>,
    analysis: Option<Analysis>,
    /// The theme and its parsed templates, or what is wrong with them.
    theme: Result<(Theme, tera::Tera), Problem>,
    /// Folders whose record stopped parsing while serving: their last good
    /// `Project` stays in the dataset, so the page is still served (with
    /// the overlay) instead of turning into a 404 while someone types.
    kept: BTreeSet<String>,
}

impl Ready {
    /// What the renderer needs, when the data and theme are usable.
    fn input(&self) -> Option<(render::Input<'_>, &tera::Tera)> {
        let (Some(data), Some(analysis), Ok((theme, tera))) =
            (&self.dataset, &self.analysis, &self.theme)
        else {
            return None;
        };
        let input = render::Input {
            config: &self.config,
            data,
            findings: &self.findings,
            sources: &self.sources,
            analysis,
            i18n: &self.i18n,
            theme,
            base_url: "/",
            digests: None,
        };
        Some((input, tera))
    }

    /// The renderer over this data and the files it makes, when it can
    /// render.
    fn pages(&self) -> Option<Pages<'_>> {
        self.input().map(|(input, tera)| {
            let renderer = Renderer::new(&input, tera);
            let routes = renderer.routes();
            Pages { renderer, routes }
        })
    }
}

/// Renders a page; a template that fails shows its error instead.
fn render(renderer: Option<&Renderer>, path: &str, page: &Page) -> Vec<u8> {
    {
        let result = match renderer {
            Some(renderer) => renderer.render(path, page),
            None => Err(RenderError {
                template: path.to_string(),
                message: String::new(),
            }),
        };
        result.unwrap_or_else(|e| {
            format!(
                "<!DOCTYPE html><meta charset=\"utf-8\"><body><pre>{}</pre></body>",
                render::escape_html(&e.to_string())
            )
            .into_bytes()
        })
    }
}

/// The theme named in `dealbook.toml`, read from the repo's files.
fn load_theme(
    files: &RepoFiles,
    config: &Config,
    i18n: &I18n,
) -> Result<(Theme, tera::Tera), Problem> {
    crate::pipeline::theme(files, config).map_err(|msg| Problem {
        location: format!("themes/{}", config.theme),
        message: i18n.format(&msg),
    })
}

/// Whether a repo path lies in one of these project folders.
fn in_folders(folders: &BTreeSet<String>, path: &str) -> bool {
    path.strip_prefix(PROJECTS)
        .map(|rest| rest.split('/').next().unwrap_or(""))
        .is_some_and(|folder| folders.contains(folder))
}

/// The same finding, whatever severity the settings gave it.
fn same_finding(a: &Finding, b: &Finding) -> bool {
    a.code == b.code
        && a.path == b.path
        && a.span == b.span
        && a.message == b.message
        && a.help == b.help
}

/// What pages share beyond their own project: when it changes, every page
/// must be rendered again.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Shared {
    as_of: Option<Date>,
    pending: usize,
    tally: (usize, usize),
    projects: usize,
}

impl Workspace {
    /// Loads the repo at `root`.
    pub fn open(root: &Path, options: Options) -> Workspace {
        let mut ws = Workspace {
            root: root.to_path_buf(),
            state: State::Loading,
            options,
            files: RepoFiles::default(),
            cache: HashMap::new(),
        };
        ws.load_all();
        ws.seal();
        ws
    }

    /// Redoes what a batch of changes needs, then makes the renderer the
    /// following requests share.
    pub fn apply(&mut self, work: &Work) {
        if work.is_empty() {
            return;
        }
        self.reload(work);
        self.seal();
    }

    /// The loaded repo, whether or not its renderer is made.
    fn ready(&self) -> Option<&Ready> {
        match &self.state {
            State::Editing(r) => Some(r),
            State::Ready(sealed) => Some(sealed.borrow_owner()),
            State::Loading | State::Fatal(..) => None,
        }
    }

    /// The loaded repo to change: its renderer is dropped.
    fn ready_mut(&mut self) -> Option<&mut Ready> {
        if let State::Ready(_) = self.state
            && let State::Ready(sealed) = std::mem::replace(&mut self.state, State::Loading)
        {
            self.state = State::Editing(sealed.into_owner());
        }
        match &mut self.state {
            State::Editing(r) => Some(r),
            _ => None,
        }
    }

    /// Makes the renderer over the loaded repo, once per reload.
    fn seal(&mut self) {
        if let State::Editing(_) = self.state
            && let State::Editing(ready) = std::mem::replace(&mut self.state, State::Loading)
        {
            self.state = State::Ready(Sealed::new(ready, |r| r.pages()));
        }
    }

    fn reload(&mut self, work: &Work) {
        if work.full || self.ready().is_none_or(|r| r.dataset.is_none()) {
            self.load_all();
            self.cache.clear();
            return;
        }
        if work.theme {
            // Every page shows the theme.
            self.reload_theme();
            for folder in &work.projects {
                self.reload_project(folder);
            }
            self.recompute(Some(&work.projects));
            self.cache.clear();
            return;
        }
        let before = self.shared();
        let findings_before = self.findings_by_project();
        for folder in &work.projects {
            self.reload_project(folder);
        }
        self.recompute(Some(&work.projects));
        if self.shared() != before {
            self.cache.clear();
            return;
        }
        // Keep the pages of projects nothing touched; every list and
        // summary shows the changed projects and is rendered again.
        let findings_after = self.findings_by_project();
        let keep: HashSet<String> = self
            .dataset()
            .map(|d| {
                d.projects
                    .iter()
                    .filter(|p| !work.projects.contains(&p.folder))
                    .filter(|p| findings_before.get(&p.folder) == findings_after.get(&p.folder))
                    .map(|p| render::urls::project(&p.folder))
                    .collect()
            })
            .unwrap_or_default();
        self.cache.retain(|path, _| keep.contains(path));
    }

    fn dataset(&self) -> Option<&Dataset> {
        self.ready().and_then(|r| r.dataset.as_ref())
    }

    fn shared(&self) -> Shared {
        match self.ready() {
            Some(r) => Shared {
                as_of: r.analysis.as_ref().map(|a| a.as_of),
                pending: r.analysis.as_ref().map_or(0, |a| a.pending.len()),
                tally: {
                    let t = Tally::of(&r.findings);
                    (t.errors, t.warnings)
                },
                projects: r.dataset.as_ref().map_or(0, |d| d.projects.len()),
            },
            None => Shared {
                as_of: None,
                pending: 0,
                tally: (0, 0),
                projects: 0,
            },
        }
    }

    /// The findings about each project, by folder.
    fn findings_by_project(&self) -> BTreeMap<String, Vec<Finding>> {
        let mut out: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
        if let Some(r) = self.ready() {
            for f in &r.findings {
                if let Some(rest) = f.path.strip_prefix(PROJECTS) {
                    let folder = rest.split('/').next().unwrap_or("");
                    out.entry(folder.to_string()).or_default().push(f.clone());
                }
            }
        }
        out
    }

    /// Reads and checks the whole repo again.
    fn load_all(&mut self) {
        // With the parse cache, as `check` and `build`: the folders it has
        // are stamped, not read (their texts are read when shown).
        let locale = self.options.locale.clone();
        let repo = if self.options.cache {
            load::cache::load(&self.root).map(|(files, loaded)| {
                self.files = files;
                crate::pipeline::with_strings(loaded, locale.as_deref())
            })
        } else {
            load::read(&self.root).and_then(|files| {
                self.files = files;
                crate::pipeline::load(&self.files, locale.as_deref())
            })
        };
        let mut repo = match repo {
            Ok(repo) => repo,
            Err(fatal) => {
                let i18n = I18n::builtin(
                    self.options
                        .locale
                        .as_deref()
                        .unwrap_or(crate::i18n::DEFAULT_LOCALE),
                );
                self.state = State::Fatal(fatal.0, i18n);
                return;
            }
        };
        let _ = repo.read_history(&self.root, None);
        let crate::pipeline::Repo {
            mut loaded,
            mut i18n,
        } = repo;
        let kept = loaded
            .dataset
            .as_mut()
            .map(|data| self.carry_last_good(data))
            .unwrap_or_default();
        // Strings change only with a full reload (settings, overrides,
        // the process): made here once, as pages name things.
        if let Some(data) = &loaded.dataset {
            i18n = i18n.for_pages(&data.process);
        }
        self.state = State::Editing(Box::new(Ready {
            theme: load_theme(&self.files, &loaded.config, &i18n),
            i18n,
            config: loaded.config,
            dataset: loaded.dataset,
            load_findings: loaded.findings,
            sources: loaded.sources,
            unread: loaded.unread,
            findings: Vec::new(),
            rules: BTreeMap::new(),
            rules_as_of: None,
            analysis: None,
            kept,
        }));
        self.recompute(None);
    }

    /// Before a full reload replaces the data: puts back the last good
    /// version of every project that was shown and whose folder still has
    /// files but no longer parses. Only while the process is the same, as
    /// the old records were read against it.
    fn carry_last_good(&self, data: &mut Dataset) -> BTreeSet<String> {
        let mut kept = BTreeSet::new();
        let Some(old) = self.dataset() else {
            return kept;
        };
        if old.process != data.process {
            return kept;
        }
        for project in &old.projects {
            let folder = project.folder.as_str();
            let present = format!("{PROJECTS}{folder}/");
            if data.projects.iter().any(|p| p.folder == folder)
                || self.files.under(&present).next().is_none()
            {
                continue;
            }
            let at = data
                .projects
                .partition_point(|x| x.folder.as_str() < folder);
            data.projects.insert(at, project.clone());
            kept.insert(folder.to_string());
        }
        kept
    }

    fn reload_theme(&mut self) {
        let _ = files::reread(&self.root, &mut self.files, "themes");
        self.ready_mut();
        if let State::Editing(r) = &mut self.state {
            r.theme = load_theme(&self.files, &r.config, &r.i18n);
        }
    }

    /// Reads one project folder again and puts it in place of the old one.
    fn reload_project(&mut self, folder: &str) {
        let dir = format!("{PROJECTS}{folder}");
        let _ = files::reread(&self.root, &mut self.files, &dir);
        self.ready_mut();
        let State::Editing(r) = &mut self.state else {
            return;
        };
        let Some(data) = &mut r.dataset else { return };
        let fresh = load::parse_project(&self.files, folder, &data.process);
        let inside = format!("{dir}/");
        r.load_findings
            .retain(|f| f.path != dir && !f.path.starts_with(&inside));
        r.load_findings.extend(fresh.findings);
        r.sources.remove_under(&inside);
        r.sources.extend(fresh.sources);
        let at = data
            .projects
            .partition_point(|x| x.folder.as_str() < folder);
        let known = data.projects.get(at).is_some_and(|p| p.folder == folder);
        match fresh.project {
            Some(p) => {
                if known {
                    data.projects[at] = p;
                } else {
                    data.projects.insert(at, p);
                }
                r.kept.remove(folder);
            }
            // The record no longer parses but the folder is still there:
            // keep showing the last good version.
            None if known && self.files.under(&inside).next().is_some() => {
                r.kept.insert(folder.to_string());
            }
            None => {
                if known {
                    data.projects.remove(at);
                }
                r.kept.remove(folder);
            }
        }
    }

    /// Runs the rules and the analysis over the loaded data, as `build`
    /// does. With `changed`, only those projects' rules run again (unless
    /// the date the data is seen at moved); the other projects' findings
    /// are kept.
    fn recompute(&mut self, changed: Option<&BTreeSet<String>>) {
        use rayon::prelude::*;
        let today = self.options.today;
        self.ready_mut();
        let State::Editing(r) = &mut self.state else {
            return;
        };
        let as_of = analyze::dates::as_of(today, r.dataset.as_ref());
        let mut findings = r.load_findings.clone();
        if let Some(data) = &r.dataset {
            let settings = crate::rules::Settings::new(as_of, &r.config);
            let of = |p: &crate::model::Project| {
                (
                    p.folder.clone(),
                    crate::rules::of_project(p, data, &settings),
                )
            };
            match changed.filter(|_| r.rules_as_of == Some(as_of)) {
                Some(changed) => {
                    r.rules.retain(|folder, _| !changed.contains(folder));
                    r.rules.extend(
                        data.projects
                            .iter()
                            .filter(|p| changed.contains(&p.folder))
                            .map(of),
                    );
                }
                None => r.rules = data.projects.par_iter().map(of).collect(),
            }
            r.rules_as_of = Some(as_of);
            findings.extend(crate::rules::across_projects(data));
            findings.extend(r.rules.values().flatten().cloned());
        }
        r.findings = crate::check::finish(&r.config, findings);
        if let Some(unread) = &r.unread {
            r.sources
                .read_missing(&r.findings, |path| unread.read(path));
        }
        if !r.kept.is_empty() {
            // What the rules say about a kept project is about its old
            // text, at places the file no longer has: only the findings of
            // reading the files as they are now are shown.
            let load_findings = &r.load_findings;
            let kept = &r.kept;
            r.findings.retain(|f| {
                !in_folders(kept, &f.path) || load_findings.iter().any(|l| same_finding(l, f))
            });
        }
        let config = &r.config;
        r.analysis = r
            .dataset
            .as_ref()
            .map(|data| analyze::analyze(data, config, as_of));
    }

    /// The messages to show over every page: error findings, or why the
    /// site cannot be shown at all.
    pub fn problems(&self) -> Vec<Problem> {
        if let State::Fatal(msg, i18n) = &self.state {
            return vec![Problem {
                location: self.root.display().to_string(),
                message: i18n.format(msg),
            }];
        }
        let Some(r) = self.ready() else {
            return Vec::new();
        };
        let mut out: Vec<Problem> = r
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| Problem {
                location: human::location(&r.sources, &f.path, f.span),
                message: format!("[{}] {}", f.code, r.i18n.format(&f.message)),
            })
            .collect();
        if let Err(problem) = &r.theme {
            out.push(problem.clone());
        }
        out
    }

    /// Strings for the overlay and the 404 page.
    pub fn i18n(&self) -> &I18n {
        static BEFORE_LOAD: std::sync::OnceLock<I18n> = std::sync::OnceLock::new();
        match (&self.state, self.ready()) {
            (State::Fatal(_, i18n), _) => i18n,
            (_, Some(r)) => &r.i18n,
            _ => BEFORE_LOAD.get_or_init(|| I18n::builtin(crate::i18n::DEFAULT_LOCALE)),
        }
    }

    /// The file at a site path, rendered if need be. `None`: not a page.
    pub fn get(&mut self, path: &str) -> Option<Served> {
        let content_type = super::http::content_type(path);
        if let Some(bytes) = self.cache.get(path) {
            return Some(Served {
                body: Body::Page(bytes.clone()),
                content_type,
            });
        }
        self.seal();
        let page = match &self.state {
            State::Ready(sealed) => sealed.with_dependent(|_, pages| {
                pages.as_ref().and_then(|p| p.routes.get(path)).cloned()
            }),
            _ => None,
        };
        let Some(page) = page else {
            // Without a site, the overlay page still gets its style.
            let file = path.strip_prefix("static/")?;
            let bytes = Theme::builtin().statics.remove(file)?;
            return Some(Served {
                body: Body::Static(bytes),
                content_type,
            });
        };
        let State::Ready(sealed) = &self.state else {
            return None;
        };
        let rendered = || {
            sealed
                .with_dependent(|_, pages| render(pages.as_ref().map(|p| &p.renderer), path, &page))
        };
        let body = match &page {
            Page::Attachment(source) => Body::File(self.attachment(source)?),
            Page::Static(_) => Body::Static(rendered()),
            _ => {
                let bytes = rendered();
                self.cache.insert(path.to_string(), bytes.clone());
                Body::Page(bytes)
            }
        };
        Some(Served { body, content_type })
    }

    /// The file of an attachment, if it is (still) a data file: a file
    /// swapped for a link to `.git/config` or out of the repo is not served.
    fn attachment(&self, source: &str) -> Option<PathBuf> {
        let root = self.root.canonicalize().ok()?;
        let file = self.root.join(source).canonicalize().ok()?;
        (crate::load::files::is_data_path(&file, &root) && file.is_file()).then_some(file)
    }

    /// How many pages are rendered and kept (for tests of what a change
    /// renders again).
    #[cfg(test)]
    fn cached(&self) -> usize {
        self.cache.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(ws: &mut Workspace, path: &str) -> Vec<u8> {
        match ws.get(path).unwrap().body {
            Body::Page(bytes) => bytes,
            _ => panic!("{path} is not a page"),
        }
    }

    fn fixture() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/three-stage");
        crate::load::files::copy_tree(&src, dir.path());
        dir
    }

    fn options() -> Options {
        Options {
            today: Some(jiff::civil::date(2026, 11, 26)),
            locale: Some("en".into()),
            cache: true,
        }
    }

    #[test]
    fn a_note_change_renders_again_only_what_shows_it() {
        let dir = fixture();
        let mut ws = Workspace::open(dir.path(), options());
        for page in [
            "index.html",
            "projects/L-001.html",
            "projects/L-002.html",
            "projects/L-003.html",
        ] {
            assert!(ws.get(page).is_some(), "{page}");
        }
        assert_eq!(ws.cached(), 4);
        let note = dir
            .path()
            .join("content/projects/L-001/notes/first-call.md");
        let text = std::fs::read_to_string(&note)
            .unwrap()
            .replace("300 chairs", "301 chairs");
        std::fs::write(&note, text).unwrap();
        ws.apply(&super::super::classify::classify([
            "content/projects/L-001/notes/first-call.md",
        ]));
        // The overview and L-001 are dropped; the other projects are kept.
        assert_eq!(ws.cached(), 2);
        let page = String::from_utf8(page(&mut ws, "projects/L-001.html")).unwrap();
        assert!(page.contains("301 chairs"));
    }

    /// The findings of a workspace that reloaded only what changed, and
    /// of one that read the repo afresh.
    fn same_findings_as_a_fresh_load(ws: &Workspace, root: &Path, options: Options) {
        let fresh = Workspace::open(root, options);
        let (now, fresh) = (ws.ready().unwrap(), fresh.ready().unwrap());
        assert_eq!(now.findings, fresh.findings);
    }

    #[test]
    fn a_changed_project_runs_its_rules_again_and_keeps_the_others() {
        let dir = fixture();
        let root = dir.path();
        for options in [
            options(),
            Options {
                today: None,
                ..options()
            },
        ] {
            let mut ws = Workspace::open(root, options.clone());
            let record = root.join("content/projects/L-002/project.toml");
            let text = std::fs::read_to_string(&record).unwrap();
            let edit = |from: &str, to: &str, ws: &mut Workspace| {
                let now = std::fs::read_to_string(&record).unwrap();
                assert!(now.contains(from), "{from}");
                std::fs::write(&record, now.replacen(from, to, 1)).unwrap();
                ws.apply(&super::super::classify::classify([
                    "content/projects/L-002/project.toml",
                ]));
            };
            let codes = |ws: &Workspace| -> Vec<&'static str> {
                ws.ready()
                    .unwrap()
                    .findings
                    .iter()
                    .map(|f| f.code)
                    .collect()
            };
            let before = codes(&ws);
            // An unknown owner: a new finding in L-002 only.
            edit("owner = \"ana\"", "owner = \"nobody\"", &mut ws);
            assert_eq!(codes(&ws).len(), before.len() + 1, "{:?}", codes(&ws));
            same_findings_as_a_fresh_load(&ws, root, options.clone());
            // A later date: without `--today` the data is seen at another
            // date, and every project's rules run again.
            edit("date = 2026-10-01", "date = 2027-01-15", &mut ws);
            same_findings_as_a_fresh_load(&ws, root, options.clone());
            std::fs::write(&record, &text).unwrap();
            ws.apply(&super::super::classify::classify([
                "content/projects/L-002/project.toml",
            ]));
            assert_eq!(codes(&ws), before);
            same_findings_as_a_fresh_load(&ws, root, options);
        }
    }

    /// A workspace that took its projects from the parse cache serves
    /// what one that read every file serves, the lines findings point at
    /// and the notes' text included; an edit reads its folder again.
    #[test]
    fn a_workspace_from_the_parse_cache_serves_what_a_fresh_one_does() {
        let dir = fixture();
        let root = dir.path();
        // Older than the cache's racy window, so that it keeps them.
        std::thread::sleep(std::time::Duration::from_millis(2_200));
        let fresh = || {
            Workspace::open(
                root,
                Options {
                    cache: false,
                    ..options()
                },
            )
        };
        Workspace::open(root, options());
        let mut ws = Workspace::open(root, options());
        let files = &ws.files.entries;
        assert!(
            files
                .iter()
                .any(|(p, e)| p.ends_with("first-call.md") && matches!(e, load::Entry::Unread(_))),
            "the second workspace took L-001 from the cache"
        );
        let mut other = fresh();
        assert_eq!(ws.problems(), other.problems());
        let locations = |ws: &Workspace| -> Vec<String> {
            let r = ws.ready().unwrap();
            r.findings
                .iter()
                .map(|f| human::location(&r.sources, &f.path, f.span))
                .collect()
        };
        assert_eq!(locations(&ws), locations(&other));
        assert!(locations(&ws).iter().any(|l| l.contains(".toml:")));
        for path in ["index.html", "projects/L-001.html", "projects/L-002.html"] {
            assert!(page(&mut ws, path) == page(&mut other, path), "{path}");
        }
        assert!(
            String::from_utf8(page(&mut ws, "projects/L-001.html"))
                .unwrap()
                .contains("300 chairs")
        );

        let note = root.join("content/projects/L-001/notes/first-call.md");
        let text = std::fs::read_to_string(&note).unwrap();
        std::fs::write(&note, text.replace("300 chairs", "301 chairs")).unwrap();
        ws.apply(&super::super::classify::classify([
            "content/projects/L-001/notes/first-call.md",
        ]));
        let mut other = fresh();
        assert!(page(&mut ws, "projects/L-001.html") == page(&mut other, "projects/L-001.html"));
    }

    #[test]
    fn a_template_change_renders_everything_again() {
        let dir = fixture();
        let mut ws = Workspace::open(dir.path(), options());
        ws.get("projects/L-002.html").unwrap();
        let templates = dir.path().join("themes/default/templates");
        std::fs::create_dir_all(&templates).unwrap();
        std::fs::write(templates.join("project.html"), "{{ page.code }} custom").unwrap();
        ws.apply(&super::super::classify::classify([
            "themes/default/templates/project.html",
        ]));
        assert_eq!(ws.cached(), 0);
        assert_eq!(page(&mut ws, "projects/L-002.html"), b"L-002 custom");
    }

    #[test]
    fn a_record_that_stops_parsing_keeps_its_last_good_page_until_its_folder_goes() {
        let dir = fixture();
        let mut ws = Workspace::open(dir.path(), options());
        let record = dir.path().join("content/projects/L-001/project.toml");
        let good = std::fs::read_to_string(&record).unwrap();
        std::fs::write(&record, good.replace("amount = 42_000", "amount = 42_")).unwrap();
        let work = super::super::classify::classify(["content/projects/L-001/project.toml"]);
        ws.apply(&work);
        let shown = |ws: &mut Workspace| {
            String::from_utf8(page(ws, "projects/L-001.html"))
                .unwrap()
                .contains("Office chairs for a school")
        };
        assert!(shown(&mut ws), "the last good version");
        let problems = ws.problems();
        assert!(
            problems.iter().all(|p| p
                .location
                .starts_with("content/projects/L-001/project.toml:")),
            "only what reading the file as it is found: {problems:?}"
        );
        assert!(!problems.is_empty());
        // A full reload (settings changed, events lost) keeps it too.
        ws.apply(&Work::everything());
        assert!(shown(&mut ws), "kept across a full reload");
        std::fs::remove_dir_all(dir.path().join("content/projects/L-001")).unwrap();
        ws.apply(&work);
        assert!(
            ws.get("projects/L-001.html").is_none(),
            "the folder is gone"
        );
    }

    #[test]
    fn an_unusable_repo_is_a_problem_not_a_crash() {
        let dir = fixture();
        let mut ws = Workspace::open(dir.path(), options());
        std::fs::write(dir.path().join("data/process.toml"), "[[stages]\n").unwrap();
        ws.apply(&super::super::classify::classify(["data/process.toml"]));
        assert!(ws.get("index.html").is_none());
        let problems = ws.problems();
        assert!(
            problems
                .iter()
                .any(|p| p.location.starts_with("data/process.toml:1:")),
            "{problems:?}"
        );
    }
}
