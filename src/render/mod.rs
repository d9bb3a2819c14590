//! Render: dataset, findings and figures → every file of the site, in
//! memory. Nothing here touches the disk; `site::write` does, afterwards.
//! `build` and `serve` both render through [`render`].

pub mod charts;
pub mod exports;
pub mod format;
pub mod markdown;
pub mod theme;
pub mod urls;
pub mod views;

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

/// Everything a site is rendered from.
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

/// Renders the whole site.
pub fn render(input: &Input) -> Result<Site, RenderError> {
    let ctx = Ctx {
        config: input.config,
        data: input.data,
        analysis: input.analysis,
        findings: input.findings,
        sources: input.sources,
        i18n: input.i18n,
    };
    let mut pages = Pages {
        tera: templates(input, &ctx)?,
        site: Site::default(),
        base_url: input.base_url.trim_end_matches('/').to_string(),
    };
    let t = |key: &str| ctx.t(key);

    pages.page(
        "index.html",
        "index.html",
        "overview",
        &t("site.overview"),
        &views::overview::build(&ctx),
    )?;
    pages.page(
        "pending/index.html",
        "pending.html",
        "pending",
        &t("site.pending"),
        &views::pending::build(&ctx),
    )?;
    pages.page(
        "stages/index.html",
        "stages.html",
        "stages",
        &t("site.stages"),
        &views::stage::summaries(&ctx),
    )?;
    for (i, stage) in input.data.process.stages.iter().enumerate() {
        let view = views::stage::build(&ctx, i);
        pages.page(
            &urls::stage(&stage.id),
            "stage.html",
            "stages",
            &view.name.clone(),
            &view,
        )?;
    }
    let all = views::lists::build(&ctx, t("site.all_projects"), String::new(), |_| true);
    pages.page(
        "projects/index.html",
        "projects.html",
        "projects",
        &all.title.clone(),
        &all,
    )?;
    for (i, p) in input.data.projects.iter().enumerate() {
        let view = views::project::build(&ctx, i);
        let title = format!("{} {}", view.code, view.name);
        pages.page(
            &urls::project(&p.folder),
            "project.html",
            "projects",
            &title,
            &view,
        )?;
    }
    for (i, person) in input.data.team.people.iter().enumerate() {
        let roles: Vec<&str> = person.roles.iter().map(|&r| ctx.role_name(r)).collect();
        let subtitle = roles.join(ctx.i18n.get("site.list_sep"));
        let view = views::lists::person(&ctx, i, subtitle);
        pages.page(
            &urls::person(&person.id.value),
            "projects.html",
            "projects",
            &person.name,
            &view,
        )?;
    }
    for g in views::lists::groups(&ctx) {
        let view = views::lists::build(&ctx, g.title.clone(), t(g.kind), |p| g.contains(p));
        pages.page(&g.path, "projects.html", "projects", &g.title, &view)?;
    }
    for feed in views::lists::feed_pages(&ctx) {
        let path = views::lists::feed_path(feed.number);
        pages.page(&path, "notes.html", "notes", &t("site.notes"), &feed)?;
    }
    pages.page(
        "findings/index.html",
        "findings.html",
        "findings",
        &t("site.findings"),
        &views::findings::build(&ctx),
    )?;

    let mut site = pages.site;
    site.insert("pipeline.json", exports::json(&ctx).into_bytes());
    site.insert("pipeline.csv", exports::csv(&ctx).into_bytes());
    // Attachments (PDFs, images) are copied so evidence links work.
    for p in &input.data.projects {
        for rel in p
            .files
            .iter()
            .filter(|r| !r.ends_with(".md") && *r != crate::load::RECORD)
        {
            site.copy(
                &views::targets::attachment(p, rel),
                &format!("{}/{rel}", p.dir),
            );
        }
    }
    for (path, bytes) in &input.theme.statics {
        site.insert(&format!("static/{path}"), bytes.clone());
    }
    Ok(site)
}

struct Pages {
    tera: tera::Tera,
    site: Site,
    base_url: String,
}

impl Pages {
    /// Renders `template` with the page's view as `page` into `path`.
    fn page<T: Serialize>(
        &mut self,
        path: &str,
        template: &str,
        nav: &str,
        title: &str,
        view: &T,
    ) -> Result<(), RenderError> {
        let mut c = tera::Context::new();
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
        self.site.insert(path, html.into_bytes());
        Ok(())
    }
}

/// Loads the theme's templates, with the strings and site data every page
/// shares in the global context.
fn templates(input: &Input, ctx: &Ctx) -> Result<tera::Tera, RenderError> {
    let mut tera = tera::Tera::new();
    // Autoescape every template: all of ours are .html, but a theme's
    // partial with another name must not print data raw.
    tera.autoescape_on(vec![""]);
    let sources: Vec<(&str, &str)> = input
        .theme
        .templates
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    tera.add_raw_templates(sources)
        .map_err(|e| error("theme", &e))?;

    let tally = Tally::of(input.findings);
    let nav = [
        ("overview", "site.overview", "index.html", String::new()),
        (
            "pending",
            "site.pending",
            "pending/index.html",
            input.analysis.pending.len().to_string(),
        ),
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
            if tally.errors + tally.warnings > 0 {
                (tally.errors + tally.warnings).to_string()
            } else {
                String::new()
            },
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
    let title = if input.config.title.is_empty() {
        ctx.text(&input.data.process.title).to_string()
    } else {
        input
            .config
            .title
            .get(ctx.locale(), &input.config.locale)
            .to_string()
    };
    let globals = tera.global_context();
    globals.insert("t", &catalogue(input.i18n));
    globals.insert(
        "site",
        &serde_json::json!({
            "title": title,
            "lang": input.i18n.locale(),
            "as_of": input.analysis.as_of.to_string(),
            "nav": nav,
        }),
    );
    Ok(tera)
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
