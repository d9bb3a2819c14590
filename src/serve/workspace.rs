//! The data repo held in memory while `serve` runs: its files, the checked
//! data, and the pages rendered so far. A batch of changes reloads the
//! least it can (one project, the theme, or everything); pages are
//! rendered when a browser asks for them, through the same `Renderer` as
//! `build`, and kept until a change touches what they show.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::classify::Work;
use crate::analyze::{self, Analysis};
use crate::config::Config;
use crate::diag::{Finding, Msg, Severity, SourceMap, Tally, human, sort_findings};
use crate::i18n::I18n;
use crate::load::{self, PROJECTS, RepoFiles, files};
use crate::model::Dataset;
use crate::render::{self, Page, RenderError, Renderer, Theme};

/// What `serve` was started with.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub today: Option<Date>,
    pub locale: Option<String>,
}

/// One problem to show in the browser overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub location: String,
    pub message: String,
}

/// A file of the site, ready to send.
pub struct Served {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
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
    /// The repo cannot be loaded (no `dealbook.toml`, no process…).
    Fatal(Msg, I18n),
    Ready(Box<Ready>),
}

/// A loaded repo.
struct Ready {
    config: Config,
    overrides: BTreeMap<String, BTreeMap<String, String>>,
    i18n: I18n,
    /// `None` when the process definition is unusable.
    dataset: Option<Dataset>,
    /// Findings of reading files; rule findings are added on top.
    load_findings: Vec<Finding>,
    sources: SourceMap,
    /// Every finding, severities applied, in report order.
    findings: Vec<Finding>,
    analysis: Option<Analysis>,
    theme: Result<Theme, Msg>,
    tera: Result<tera::Tera, RenderError>,
    routes: BTreeMap<String, Page>,
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
            // Replaced by the first load just below.
            state: State::Fatal(
                Msg::new("fatal.not-a-repo"),
                I18n::builtin(crate::i18n::DEFAULT_LOCALE),
            ),
            options,
            files: RepoFiles::default(),
            cache: HashMap::new(),
        };
        ws.load_all();
        ws
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Redoes what a batch of changes needs.
    pub fn apply(&mut self, work: &Work) {
        if work.is_empty() {
            return;
        }
        if work.full || !matches!(self.state, State::Ready(ref r) if r.dataset.is_some()) {
            self.load_all();
            self.cache.clear();
            return;
        }
        let before = self.shared();
        let findings_before: BTreeMap<String, Vec<Finding>> = self.findings_by_project();
        if work.theme {
            self.reload_theme();
        }
        for folder in &work.projects {
            self.reload_project(folder);
        }
        self.recompute();
        if work.theme || self.shared() != before {
            self.cache.clear();
            return;
        }
        // Keep the pages of projects nothing touched; every list and
        // summary shows the changed projects and is rendered again.
        let findings_after = self.findings_by_project();
        let keep: Vec<String> = self
            .dataset()
            .map(|d| {
                d.projects
                    .iter()
                    .filter(|p| !work.projects.contains(&p.folder))
                    .filter(|p| findings_before.get(&p.dir) == findings_after.get(&p.dir))
                    .map(|p| render::urls::project(&p.folder))
                    .collect()
            })
            .unwrap_or_default();
        self.cache.retain(|path, _| keep.contains(path));
    }

    fn dataset(&self) -> Option<&Dataset> {
        match &self.state {
            State::Ready(r) => r.dataset.as_ref(),
            State::Fatal(..) => None,
        }
    }

    fn shared(&self) -> Shared {
        match &self.state {
            State::Ready(r) => Shared {
                as_of: r.analysis.as_ref().map(|a| a.as_of),
                pending: r.analysis.as_ref().map_or(0, |a| a.pending.len()),
                tally: {
                    let t = Tally::of(&r.findings);
                    (t.errors, t.warnings)
                },
                projects: r.dataset.as_ref().map_or(0, |d| d.projects.len()),
            },
            State::Fatal(..) => Shared {
                as_of: None,
                pending: 0,
                tally: (0, 0),
                projects: 0,
            },
        }
    }

    fn findings_by_project(&self) -> BTreeMap<String, Vec<Finding>> {
        let mut out: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
        if let State::Ready(r) = &self.state {
            for f in &r.findings {
                if let Some(rest) = f.path.strip_prefix(PROJECTS) {
                    let folder = rest.split('/').next().unwrap_or("");
                    out.entry(format!("{PROJECTS}{folder}"))
                        .or_default()
                        .push(f.clone());
                }
            }
        }
        out
    }

    /// Reads and checks the whole repo again.
    fn load_all(&mut self) {
        let i18n_for =
            |locale: Option<&str>| I18n::builtin(locale.unwrap_or(crate::i18n::DEFAULT_LOCALE));
        let files = match load::read(&self.root) {
            Ok(f) => f,
            Err(fatal) => {
                self.state = State::Fatal(fatal.0, i18n_for(self.options.locale.as_deref()));
                return;
            }
        };
        self.files = files;
        let loaded = match load::parse(&self.files) {
            Ok(l) => l,
            Err(fatal) => {
                self.state = State::Fatal(fatal.0, i18n_for(self.options.locale.as_deref()));
                return;
            }
        };
        let theme = Theme::load(&self.files, &loaded.config.theme)
            .map_err(|e| Msg::new("fatal.no-theme").arg("theme", e.0));
        let tera = match &theme {
            Ok(t) => render::templates(t),
            Err(_) => Err(RenderError {
                template: String::new(),
                message: String::new(),
            }),
        };
        self.state = State::Ready(Box::new(Ready {
            i18n: I18n::builtin(crate::i18n::DEFAULT_LOCALE),
            config: loaded.config,
            overrides: loaded.i18n_overrides,
            dataset: loaded.dataset,
            load_findings: loaded.findings,
            sources: loaded.sources,
            findings: Vec::new(),
            analysis: None,
            theme,
            tera,
            routes: BTreeMap::new(),
        }));
        self.recompute();
    }

    fn reload_theme(&mut self) {
        let _ = files::reread(&self.root, &mut self.files, "themes");
        if let State::Ready(r) = &mut self.state {
            r.theme = Theme::load(&self.files, &r.config.theme)
                .map_err(|e| Msg::new("fatal.no-theme").arg("theme", e.0));
            r.tera = match &r.theme {
                Ok(t) => render::templates(t),
                Err(_) => Err(RenderError {
                    template: String::new(),
                    message: String::new(),
                }),
            };
        }
    }

    /// Reads one project folder again and puts it in place of the old one.
    fn reload_project(&mut self, folder: &str) {
        let dir = format!("{PROJECTS}{folder}");
        let _ = files::reread(&self.root, &mut self.files, &dir);
        let State::Ready(r) = &mut self.state else {
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
        data.projects.retain(|p| p.folder != folder);
        if let Some(p) = fresh.project {
            let at = data
                .projects
                .partition_point(|x| x.folder.as_str() < folder);
            data.projects.insert(at, p);
        }
    }

    /// Runs the rules and the analysis over the loaded data.
    fn recompute(&mut self) {
        let today = self.options.today;
        let locale = self.options.locale.clone();
        let State::Ready(r) = &mut self.state else {
            return;
        };
        let mut i18n = I18n::builtin(locale.as_deref().unwrap_or(&r.config.locale));
        if let Some(strings) = r.overrides.get(i18n.locale()) {
            i18n.merge(strings.clone());
        }
        let mut findings = r.load_findings.clone();
        r.analysis = None;
        if let Some(data) = &r.dataset {
            let as_of = analyze::dates::as_of(today, Some(data));
            findings.extend(crate::rules::check(data, as_of));
            i18n.add_process(&data.process);
            r.analysis = Some(analyze::analyze(data, as_of));
        }
        r.config.apply_severities(&mut findings);
        sort_findings(&mut findings);
        r.findings = findings;
        r.i18n = i18n;
        r.routes = match (&r.dataset, &r.analysis, &r.theme, &r.tera) {
            (Some(data), Some(analysis), Ok(theme), Ok(tera)) => {
                let input = render::Input {
                    config: &r.config,
                    data,
                    findings: &r.findings,
                    sources: &r.sources,
                    analysis,
                    i18n: &r.i18n,
                    theme,
                    base_url: "/",
                };
                Renderer::new(&input, tera).routes()
            }
            _ => BTreeMap::new(),
        };
    }

    /// The messages to show over every page: error findings, or why the
    /// site cannot be shown at all.
    pub fn problems(&self) -> Vec<Problem> {
        match &self.state {
            State::Fatal(msg, i18n) => vec![Problem {
                location: self.root.display().to_string(),
                message: i18n.format(msg),
            }],
            State::Ready(r) => {
                let mut out: Vec<Problem> = r
                    .findings
                    .iter()
                    .filter(|f| f.severity == Severity::Error)
                    .map(|f| Problem {
                        location: human::location(&r.sources, &f.path, f.span),
                        message: format!("[{}] {}", f.code, r.i18n.format(&f.message)),
                    })
                    .collect();
                if let Err(msg) = &r.theme {
                    out.push(Problem {
                        location: "themes/".into(),
                        message: r.i18n.format(msg),
                    });
                } else if let Err(e) = &r.tera {
                    out.push(Problem {
                        location: e.template.clone(),
                        message: e.message.clone(),
                    });
                }
                out
            }
        }
    }

    /// Strings for the overlay and the 404 page.
    pub fn i18n(&self) -> &I18n {
        match &self.state {
            State::Fatal(_, i18n) => i18n,
            State::Ready(r) => &r.i18n,
        }
    }

    /// The file at a site path, rendered if need be. `None`: not a page.
    pub fn get(&mut self, path: &str) -> Option<Served> {
        let content_type = super::http::content_type(path);
        if let Some(bytes) = self.cache.get(path) {
            return Some(Served {
                bytes: bytes.clone(),
                content_type,
            });
        }
        let State::Ready(r) = &self.state else {
            return None;
        };
        let page = r.routes.get(path)?;
        if let Page::Attachment(source) = page {
            let bytes = std::fs::read(self.root.join(source)).ok()?;
            return Some(Served {
                bytes,
                content_type,
            });
        }
        let (Some(data), Some(analysis), Ok(theme), Ok(tera)) =
            (&r.dataset, &r.analysis, &r.theme, &r.tera)
        else {
            return None;
        };
        let input = render::Input {
            config: &r.config,
            data,
            findings: &r.findings,
            sources: &r.sources,
            analysis,
            i18n: &r.i18n,
            theme,
            base_url: "/",
        };
        let bytes = match Renderer::new(&input, tera).render(path, page) {
            Ok(b) => b,
            Err(e) => format!(
                "<!DOCTYPE html><meta charset=\"utf-8\"><body><pre>{}</pre></body>",
                render::escape_html(&e.to_string())
            )
            .into_bytes(),
        };
        self.cache.insert(path.to_string(), bytes.clone());
        Some(Served {
            bytes,
            content_type,
        })
    }

    /// How many pages are rendered and kept (for tests of what a change
    /// renders again).
    pub fn cached(&self) -> usize {
        self.cache.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/three-stage");
        copy(&src, dir.path());
        dir
    }

    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }

    fn options() -> Options {
        Options {
            today: Some(jiff::civil::date(2026, 11, 26)),
            locale: Some("en".into()),
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
        let page = String::from_utf8(ws.get("projects/L-001.html").unwrap().bytes).unwrap();
        assert!(page.contains("301 chairs"));
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
        assert_eq!(
            ws.get("projects/L-002.html").unwrap().bytes,
            b"L-002 custom"
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
