//! Render: dataset, findings and figures → every file of the site, in
//! memory. Nothing here touches the disk; `site::write` does, afterwards.
//! `build` and `serve` both render through [`render`].

pub mod atom;
pub mod charts;
pub mod editor;
pub mod fingerprint;
pub mod format;
pub mod ical;
pub mod markdown;
pub mod theme;
pub mod urls;
pub mod views;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::analyze::Analysis;
use crate::config::Config;
use crate::diag::{Finding, SourceMap, Tally};
use crate::i18n::I18n;
use crate::model::Dataset;
use crate::site::Site;
pub use theme::Theme;
use views::Ctx;
use views::paging;

/// Everything a site is rendered from.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub config: &'a Config,
    pub data: &'a Dataset,
    pub findings: &'a [Finding],
    pub sources: &'a SourceMap,
    pub analysis: &'a Analysis,
    pub i18n: &'a I18n,
    pub theme: &'a Theme,
    /// Where the site is published, for the canonical address of pages.
    pub base_url: &'a str,
    /// What the files were (`build`): a project page whose inputs are the
    /// same as last time is kept without being made again.
    pub digests: Option<&'a crate::model::Digests>,
}

/// A template that failed to parse or render.
#[derive(Debug)]
pub struct RenderError {
    pub template: String,
    pub message: String,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.template, self.message)
    }
}

fn error(template: &str, e: &tera::Error) -> RenderError {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    RenderError {
        template: template.to_string(),
        message,
    }
}

/// A navigation entry of the site header.
#[derive(Serialize)]
struct NavItem {
    id: &'static str,
    label: String,
    href: &'static str,
    badge: String,
}

/// Every kind of file the site has, with what it needs to be rendered.
#[derive(Clone, Debug)]
pub enum Page {
    Overview,
    /// A page of the pending list, 1-based.
    Pending(usize),
    Stages,
    Stage(usize),
    /// A page of the list of all projects, 1-based.
    Projects(usize),
    Project(usize),
    /// A person and a page of their list.
    Person(usize, usize),
    Group(views::lists::Group, usize),
    /// The board's hub: every view as a card.
    Board,
    /// A view of the board.
    View(views::board::View),
    /// The leaderboards: people, departments, regions.
    People,
    Departments,
    Regions,
    /// A person's calendar feed (iCalendar).
    Calendar(usize),
    /// The Atom feed of the week's changes.
    ChangesFeed,
    /// A page of the notes feed, 1-based.
    Feed(usize),
    Findings,
    Json,
    Csv,
    /// A static file of the theme.
    Static(String),
    /// An attachment, copied from this repo-relative path.
    Attachment(String),
}

/// Loads the theme's templates.
pub fn templates(theme: &Theme) -> Result<tera::Tera, RenderError> {
    let mut tera = tera::Tera::new();
    // Autoescape every template: all of ours are .html, but a theme's
    // partial with another name must not print data raw.
    tera.autoescape_on(vec![""]);
    let sources: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    tera.add_raw_templates(sources)
        .map_err(|e| error("theme", &e))?;
    Ok(tera)
}

/// Renders pages one at a time: `build` renders them all, `serve` the
/// ones a browser asks for.
pub struct Renderer<'a> {
    input: Input<'a>,
    ctx: Ctx<'a>,
    tera: &'a tera::Tera,
    /// What every page shares: the strings and the site's data.
    shared: tera::Context,
    base_url: String,
    site_title: String,
    /// In `build`: the previous site's fingerprints, and the hash of what
    /// every page shares; a page whose fingerprint is known is not
    /// rendered again.
    known: Option<(fingerprint::Known, u64)>,
    /// In `build`: the inputs of each project page but its own files.
    project_inputs: Option<ProjectInputs>,
    /// The hash of `shared`.
    shared_hash: u64,
}

/// What every project page is made of besides its own folder: the
/// shared context, templates and base URL (the seed), the definitions
/// (settings, process, team, strings, theme), the Git history, the date;
/// and each project's findings.
struct ProjectInputs {
    seed: u64,
    findings: HashMap<String, u64>,
}

impl ProjectInputs {
    fn of(input: &Input, digests: &crate::model::Digests, seed: u64) -> ProjectInputs {
        let history = input
            .data
            .history
            .as_ref()
            .map(|t| format!("{t:?}"))
            .unwrap_or_default();
        let seed = fingerprint::of(
            seed,
            &[
                &digests.definitions.to_string(),
                &history,
                &input.analysis.as_of.to_string(),
                "project page",
            ],
            &(),
        );
        let mut by_folder: HashMap<String, Vec<String>> = HashMap::new();
        for f in input.findings {
            if let Some(folder) = f
                .path
                .strip_prefix(crate::load::PROJECTS)
                .and_then(|rest| rest.split_once('/'))
                .map(|(folder, _)| folder)
            {
                by_folder
                    .entry(folder.to_string())
                    .or_default()
                    .push(format!("{f:?}"));
            }
        }
        let findings = by_folder
            .into_iter()
            .map(|(folder, list)| (folder, fingerprint::of(0, &[], &list)))
            .collect();
        ProjectInputs { seed, findings }
    }
}

/// A file of the site as `build` makes it.
pub enum Rendered {
    /// The file's bytes, with the page's fingerprint when it has one.
    Bytes(Vec<u8>, Option<u64>),
    /// The previous site has this page as it would be rendered now.
    Same(u64),
}

impl Rendered {
    fn fresh(bytes: Vec<u8>) -> Rendered {
        Rendered::Bytes(bytes, None)
    }
}

impl<'a> Renderer<'a> {
    pub fn new(input: &Input<'a>, tera: &'a tera::Tera) -> Self {
        let input = *input;
        let ctx = Ctx::new(
            input.config,
            input.data,
            input.analysis,
            input.findings,
            input.sources,
            input.i18n,
        );
        let site_title = site_title(&input, &ctx);
        let (shared, shared_hash) = shared_context(&input, &ctx, &site_title);
        Renderer {
            input,
            ctx,
            tera,
            shared,
            base_url: input.base_url.trim_end_matches('/').to_string(),
            site_title,
            known: None,
            project_inputs: None,
            shared_hash,
        }
    }

    /// Lets pages whose fingerprint is in `known` be kept rather than
    /// rendered (see [`fingerprint`]).
    pub fn with_known(mut self, known: fingerprint::Known) -> Self {
        let mut parts: Vec<&str> = vec![&self.base_url];
        for (name, source) in &self.input.theme.templates {
            parts.push(name);
            parts.push(source);
        }
        let seed = fingerprint::of(self.shared_hash, &parts, &());
        self.known = Some((known, seed));
        self.project_inputs = self
            .input
            .digests
            .map(|digests| ProjectInputs::of(&self.input, digests, seed));
        self
    }

    /// The fingerprint of a project page from what it is made of, without
    /// making it: its folder's files, its findings, and what all project
    /// pages share (`ProjectInputs`).
    fn project_fingerprint(&self, path: &str, index: usize) -> Option<u64> {
        let inputs = self.project_inputs.as_ref()?;
        let folder = &self.input.data.projects.get(index)?.folder;
        let files = self.input.digests?.projects.get(folder)?;
        let findings = inputs.findings.get(folder).copied().unwrap_or_default();
        Some(fingerprint::of(
            inputs.seed,
            &[path, &files.to_string(), &findings.to_string()],
            &(),
        ))
    }

    /// The fingerprint of a page of the notes feed from what it is made
    /// of: its notes' folders (files) and what every project page shares.
    fn feed_fingerprint(&self, path: &str, number: usize) -> Option<u64> {
        let inputs = self.project_inputs.as_ref()?;
        let digests = &self.input.digests?.projects;
        let notes = self.ctx.notes();
        let total = notes.len().to_string();
        let mut parts = vec![path, "notes feed", &total];
        let mut files = Vec::new();
        for &(p, note) in &notes[views::lists::feed_rows(notes.len(), number)] {
            let folder = &self.input.data.projects[p].folder;
            files.push(digests.get(folder)?.to_string());
            parts.extend([folder.as_str(), note.rel.as_str()]);
        }
        parts.extend(files.iter().map(String::as_str));
        Some(fingerprint::of(inputs.seed, &parts, &()))
    }

    /// A page the previous site has as it would be rendered now, by its
    /// fingerprint from inputs.
    fn kept(&self, path: &str, fingerprint: Option<u64>) -> Option<Rendered> {
        let (known, _) = self.known.as_ref()?;
        let fp = fingerprint?;
        (known.get(path) == Some(fp)).then_some(Rendered::Same(fp))
    }

    /// Every file of the site and what renders it.
    pub fn routes(&self) -> BTreeMap<String, Page> {
        let data = self.input.data;
        let mut r = BTreeMap::new();
        r.insert("index.html".to_string(), Page::Overview);
        let ctx = &self.ctx;
        let mut list = |first: &str, rows: usize, page: &dyn Fn(usize) -> Page| {
            for n in 1..=paging::count(rows) {
                r.insert(paging::path(first, n), page(n));
            }
        };
        list(
            urls::PENDING,
            self.input.analysis.pending.len(),
            &Page::Pending,
        );
        list(urls::PROJECTS, data.projects.len(), &Page::Projects);
        for (i, rows) in views::lists::person_counts(ctx).into_iter().enumerate() {
            list(&urls::person(&data.team.people[i].id.value), rows, &|n| {
                Page::Person(i, n)
            });
        }
        let groups = views::lists::groups(ctx);
        let counts = views::lists::group_counts(ctx, &groups);
        for (g, rows) in groups.into_iter().zip(counts) {
            list(&g.path.clone(), rows, &|n| Page::Group(g.clone(), n));
        }
        r.insert("stages/index.html".to_string(), Page::Stages);
        for (i, stage) in data.process.stages.iter().enumerate() {
            r.insert(urls::stage(&stage.id), Page::Stage(i));
        }
        for (i, p) in data.projects.iter().enumerate() {
            r.insert(urls::project(&p.folder), Page::Project(i));
            // Attachments (PDFs, images) are copied so evidence links work.
            for rel in p
                .files
                .iter()
                .filter(|rel| views::targets::is_attachment(rel))
            {
                r.insert(
                    views::targets::attachment(p, rel),
                    Page::Attachment(format!("{}/{rel}", p.dir)),
                );
            }
        }
        for (i, person) in data.team.people.iter().enumerate() {
            r.insert(urls::calendar(&person.id.value), Page::Calendar(i));
        }
        r.insert(urls::board("index"), Page::Board);
        for v in views::board::View::ALL {
            r.insert(v.path(), Page::View(v));
        }
        r.insert(urls::PEOPLE.to_string(), Page::People);
        r.insert(urls::DEPARTMENTS.to_string(), Page::Departments);
        r.insert(urls::REGIONS.to_string(), Page::Regions);
        r.insert(urls::CHANGES_FEED.to_string(), Page::ChangesFeed);
        for n in 1..=views::lists::feed_count(&self.ctx) {
            r.insert(views::lists::feed_path(n), Page::Feed(n));
        }
        r.insert("findings/index.html".to_string(), Page::Findings);
        r.insert("pipeline.json".to_string(), Page::Json);
        r.insert("pipeline.csv".to_string(), Page::Csv);
        for path in self.input.theme.statics.keys() {
            r.insert(format!("static/{path}"), Page::Static(path.clone()));
        }
        r
    }

    /// Renders the file at `path`. Attachments are not rendered: they are
    /// copied (`build`) or read (`serve`) from the repo.
    pub fn render(&self, path: &str, page: &Page) -> Result<Vec<u8>, RenderError> {
        match self.output(path, page)? {
            Rendered::Bytes(bytes, _) => Ok(bytes),
            // Only a renderer given fingerprints keeps pages.
            Rendered::Same(_) => Err(RenderError {
                template: path.to_string(),
                message: "kept from the previous site".to_string(),
            }),
        }
    }

    /// Renders the file at `path`, or says the previous site has it as it
    /// would be now (with fingerprints, see [`Renderer::with_known`]).
    pub fn output(&self, path: &str, page: &Page) -> Result<Rendered, RenderError> {
        let ctx = &self.ctx;
        let t = |key: &str| ctx.t(key);
        let out = match page {
            Page::Overview => self.page(
                path,
                "index.html",
                "overview",
                &t("site.overview"),
                &views::overview::build(ctx),
            ),
            Page::Pending(n) => self.page(
                path,
                "pending.html",
                "pending",
                &t("site.pending"),
                &views::pending::build(ctx, *n),
            ),
            Page::Stages => self.page(
                path,
                "stages.html",
                "stages",
                &t("site.stages"),
                &views::stage::summaries(ctx),
            ),
            Page::Stage(i) => {
                let view = views::stage::build(ctx, *i);
                self.page(path, "stage.html", "stages", &view.name, &view)
            }
            Page::Projects(n) => {
                let which = views::lists::Which {
                    first: urls::PROJECTS,
                    number: *n,
                };
                let view =
                    views::lists::build(ctx, t("site.all_projects"), String::new(), which, |_| {
                        true
                    });
                self.page(path, "projects.html", "projects", &view.title, &view)
            }
            Page::Project(i) => {
                let fp = self.project_fingerprint(path, *i);
                if let Some(same) = self.kept(path, fp) {
                    return Ok(same);
                }
                let view = views::project::build(ctx, *i);
                let title = format!("{} {}", view.code, view.name);
                self.page_as(path, "project.html", "projects", &title, &view, fp)
            }
            Page::Person(i, n) => {
                let person = &self.input.data.team.people[*i];
                let roles: Vec<&str> = person.roles.iter().map(|&r| ctx.role_name(r)).collect();
                let first = urls::person(&person.id.value);
                let view = views::lists::person(
                    ctx,
                    *i,
                    roles.join(ctx.i18n.get("site.list_sep")),
                    &self.base_url,
                    views::lists::Which {
                        first: &first,
                        number: *n,
                    },
                );
                self.page(path, "projects.html", "board", &person.name, &view)
            }
            Page::Group(g, n) => {
                let view = g.page(ctx, *n);
                self.page(path, "projects.html", "board", &g.title, &view)
            }
            Page::Board => self.page(
                path,
                "hub.html",
                "board",
                &t("board.title"),
                &views::board::hub(ctx),
            ),
            Page::View(v) => {
                use views::board::View;
                let title = v.title(ctx);
                match v {
                    View::Forecast => self.page(
                        path,
                        "forecast.html",
                        "board",
                        &title,
                        &views::forecast::build(ctx),
                    ),
                    View::Changes => self.page(
                        path,
                        "changes.html",
                        "board",
                        &title,
                        &views::changes::build(ctx),
                    ),
                    View::WinLoss => self.page(
                        path,
                        "winloss.html",
                        "board",
                        &title,
                        &views::winloss::build(ctx),
                    ),
                    _ => self.page(
                        path,
                        "deals.html",
                        "board",
                        &title,
                        &views::board::page(ctx, *v),
                    ),
                }
            }
            Page::People | Page::Departments | Page::Regions => {
                let view = match page {
                    Page::People => views::indexes::people(ctx),
                    Page::Departments => views::indexes::departments(ctx),
                    _ => views::indexes::regions(ctx),
                };
                self.page(path, "leaders.html", "board", &view.title, &view)
            }
            Page::Calendar(i) => Ok(Rendered::fresh(views::feeds::calendar(
                ctx,
                *i,
                &self.base_url,
                &self.site_title,
            ))),
            Page::ChangesFeed => Ok(Rendered::fresh(views::feeds::changes(
                ctx,
                &self.base_url,
                &self.site_title,
            ))),
            Page::Feed(n) => {
                // Each note's HTML is made only for a page that changed.
                let fp = self.feed_fingerprint(path, *n);
                if let Some(same) = self.kept(path, fp) {
                    return Ok(same);
                }
                let view = views::lists::feed_page(ctx, *n);
                self.page_as(path, "notes.html", "notes", &t("site.notes"), &view, fp)
            }
            Page::Findings => self.page(
                path,
                "findings.html",
                "findings",
                &t("site.findings"),
                &views::findings::build(ctx),
            ),
            Page::Json => Ok(Rendered::fresh(
                crate::export::json::pipeline(ctx.data, ctx.analysis.as_of).into_bytes(),
            )),
            Page::Csv => Ok(Rendered::fresh(
                crate::export::csv::pipeline(ctx.data, ctx.locale()).into_bytes(),
            )),
            Page::Static(file) => Ok(Rendered::fresh(self.input.theme.statics[file].clone())),
            Page::Attachment(_) => Ok(Rendered::fresh(Vec::new())),
        }?;
        Ok(out)
    }

    /// Renders `template` with the page's view as `page`.
    fn page<T: Serialize>(
        &self,
        path: &str,
        template: &str,
        nav: &str,
        title: &str,
        view: &T,
    ) -> Result<Rendered, RenderError> {
        self.page_as(path, template, nav, title, view, None)
    }

    /// As `page`, with the page's fingerprint when it is known from its
    /// inputs; else (in `build`) it is the hash of the view.
    fn page_as<T: Serialize>(
        &self,
        path: &str,
        template: &str,
        nav: &str,
        title: &str,
        view: &T,
        inputs: Option<u64>,
    ) -> Result<Rendered, RenderError> {
        let fingerprint = self.known.as_ref().map(|(known, seed)| {
            let fp = inputs
                .unwrap_or_else(|| fingerprint::of(*seed, &[path, template, nav, title], view));
            (known.get(path) == Some(fp), fp)
        });
        if let Some((true, fp)) = fingerprint {
            return Ok(Rendered::Same(fp));
        }
        let mut c = self.shared.clone();
        c.insert("page", view);
        c.insert("root", &urls::root_of(path));
        c.insert("nav", nav);
        c.insert("title", title);
        // A canonical address only makes sense for an absolute base URL.
        let canonical = if self.base_url.starts_with("http") {
            format!("{}/{}", self.base_url, urls::encode(path))
        } else {
            String::new()
        };
        c.insert("canonical", &canonical);
        let html = self
            .tera
            .render(template, &c)
            .map_err(|e| error(template, &e))?;
        Ok(Rendered::Bytes(
            html.into_bytes(),
            fingerprint.map(|(_, fp)| fp),
        ))
    }
}

/// Why pages could not be built.
#[derive(Debug)]
pub enum BuildError {
    Render(RenderError),
    Write(crate::site::write::WriteError),
}

/// Renders every page of the site on all cores and hands each to `writer`
/// as soon as it is rendered, so memory does not grow with the site.
/// Returns how many files the site has.
pub fn render_into(
    input: &Input,
    tera: &tera::Tera,
    writer: &crate::site::write::Writer,
) -> Result<usize, BuildError> {
    use rayon::prelude::*;
    let renderer =
        Renderer::new(input, tera).with_known(fingerprint::Known::read(writer.previous()));
    // For a page whose previous file went missing since it was listed.
    let plain = Renderer::new(input, tera);
    let routes: Vec<(String, Page)> = renderer.routes().into_iter().collect();
    let fingerprints = routes
        .par_iter()
        .map(
            |(path, page)| -> Result<Option<(String, u64)>, BuildError> {
                let write = |e| BuildError::Write(e);
                let fp = match page {
                    Page::Attachment(source) => {
                        writer.copy(path, source).map_err(write)?;
                        None
                    }
                    _ => match renderer.output(path, page).map_err(BuildError::Render)? {
                        Rendered::Same(fp) if writer.keep(path).map_err(write)? => Some(fp),
                        // The previous file is gone: render it after all.
                        Rendered::Same(_) => {
                            let bytes = plain.render(path, page).map_err(BuildError::Render)?;
                            writer.put(path, &bytes).map_err(write)?;
                            None
                        }
                        Rendered::Bytes(bytes, fp) => {
                            writer.put(path, &bytes).map_err(write)?;
                            fp
                        }
                    },
                };
                Ok(fp.map(|fp| (path.clone(), fp)))
            },
        )
        .collect::<Result<Vec<_>, _>>()?;
    let list = fingerprint::list(fingerprints.into_iter().flatten().collect());
    writer
        .put(fingerprint::FILE, list.as_bytes())
        .map_err(BuildError::Write)?;
    // The pages and the list of their fingerprints.
    Ok(routes.len() + 1)
}

/// Renders the whole site into memory (tests, and small sites).
pub fn render(input: &Input) -> Result<Site, RenderError> {
    let tera = templates(input.theme)?;
    let renderer = Renderer::new(input, &tera);
    let mut site = Site::default();
    for (path, page) in renderer.routes() {
        match &page {
            Page::Attachment(source) => site.copy(&path, source),
            _ => site.insert(&path, renderer.render(&path, &page)?),
        }
    }
    Ok(site)
}

/// The site's title: from `dealbook.toml`, else the process's.
fn site_title(input: &Input, ctx: &Ctx) -> String {
    if input.config.title.is_empty() {
        ctx.text(&input.data.process.title).to_string()
    } else {
        input
            .config
            .title
            .get(ctx.locale(), &input.config.locale)
            .to_string()
    }
}

/// The strings and site data every page shares.
fn shared_context(input: &Input, ctx: &Ctx, title: &str) -> (tera::Context, u64) {
    let tally = Tally::of(input.findings);
    let count = |n: usize| if n > 0 { n.to_string() } else { String::new() };
    let nav = [
        ("overview", "site.overview", "index.html", String::new()),
        (
            "pending",
            "site.pending",
            "pending/index.html",
            count(input.analysis.pending.len()),
        ),
        ("board", "board.nav", "board/index.html", String::new()),
        ("stages", "site.stages", "stages/index.html", String::new()),
        (
            "projects",
            "site.projects",
            "projects/index.html",
            String::new(),
        ),
        ("notes", "site.notes", "notes/index.html", String::new()),
        (
            "findings",
            "site.findings",
            "findings/index.html",
            count(tally.errors + tally.warnings),
        ),
    ]
    .into_iter()
    .map(|(id, key, href, badge)| NavItem {
        id,
        label: ctx.t(key),
        href,
        badge,
    })
    .collect::<Vec<_>>();
    let t = catalogue(input.i18n);
    let site = serde_json::json!({
        "title": title,
        "lang": input.i18n.locale(),
        "as_of": input.analysis.as_of.to_string(),
        "nav": nav,
    });
    // Tera's own maps have no fixed order: the fingerprint hashes these.
    let hash = fingerprint::of(0, &[], &(&t, &site));
    let mut c = tera::Context::new();
    c.insert("t", &t);
    c.insert("site", &site);
    (c, hash)
}

/// Escapes text for HTML (for the few strings written outside templates).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// The i18n strings as nested maps, so templates write `t.site.overview`.
fn catalogue(i18n: &I18n) -> Value {
    let mut root = Map::new();
    for key in i18n.keys() {
        let mut parts = key.split('.').peekable();
        let mut node = &mut root;
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                node.insert(part.to_string(), Value::String(i18n.get(key).to_string()));
            } else {
                let entry = node
                    .entry(part.to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                match entry {
                    Value::Object(map) => node = map,
                    _ => break,
                }
            }
        }
    }
    Value::Object(root)
}
