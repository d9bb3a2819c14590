//! The one pipeline every command runs, in the order the data flows:
//! files → [`load`] (records and strings) → [`Repo::read_history`] →
//! [`Repo::check`] (the rules) → [`Checked::analyze`] → [`Site::render`]
//! (pages into a writer).
//! Each step takes the previous step's output, so `check`, `build`,
//! `check --base`, `export`, the editing commands and `serve` differ only
//! in where they stop and what they print (as Zola's `Site::load` and
//! `Site::build`). Nothing here prints or reads the clock; the only files
//! read are those the parse cache stood in for, when a finding points
//! into one.

use std::path::Path;

use jiff::civil::Date;

use crate::analyze::{self, Analysis};
use crate::check::Report;
use crate::config::Config;
use crate::diag::Msg;
use crate::history::NoHistory;
use crate::i18n::I18n;
use crate::load::{Fatal, RepoFiles};
use crate::model::{Dataset, Digests, Loaded};
use crate::render::{self, BuildError, Theme};
use crate::site::write::Writer;
use crate::text::Unread;

/// A repo read and parsed, with the strings of its locale.
pub struct Repo {
    pub loaded: Loaded,
    /// The strings for the terminal (pages take [`I18n::for_pages`]).
    pub i18n: I18n,
}

/// Step 1: the repo's files parsed into records, with the strings for
/// `locale` (`--locale`, else the repo's).
pub fn load(files: &RepoFiles, locale: Option<&str>) -> Result<Repo, Fatal> {
    Ok(with_strings(crate::load::parse(files)?, locale))
}

/// Step 1 of a repo parsed with the parse cache (`load::cache`): the
/// strings for `locale`.
pub fn with_strings(loaded: Loaded, locale: Option<&str>) -> Repo {
    let i18n = I18n::for_repo(
        locale,
        &loaded.config.locale,
        &loaded.i18n_overrides,
        loaded.dataset.as_ref().map(|d| &d.process),
    );
    Repo { loaded, i18n }
}

impl Repo {
    /// Step 2: the Git history up to `tip` (HEAD when `None`), when the
    /// repo has it enabled. `Err` says why there is none; the rules that
    /// need it are then skipped.
    pub fn read_history(
        &mut self,
        root: &Path,
        tip: Option<gix::ObjectId>,
    ) -> Result<(), NoHistory> {
        let enabled = self.loaded.config.history;
        crate::history::attach(root, self.loaded.dataset.as_mut(), tip, enabled)
    }

    /// The date the data is seen at: the one given, else the latest date
    /// in the records (so the same data always gives the same site).
    pub fn as_of(&self, given: Option<Date>) -> Date {
        analyze::dates::as_of(given, self.loaded.dataset.as_ref())
    }

    /// Step 3: every rule over the records, as of `today`.
    pub fn check(mut self, today: Date) -> Checked {
        let config = self.loaded.config.clone();
        let digests = std::mem::take(&mut self.loaded.digests);
        let unread = self.loaded.unread.take();
        let mut report = crate::check::run(self.loaded, today);
        if let Some(unread) = &unread {
            report
                .sources
                .read_missing(&report.findings, |path| unread.read(path));
        }
        Checked {
            config,
            i18n: self.i18n,
            report,
            as_of: today,
            digests,
            unread,
        }
    }
}

/// A repo the rules have run over.
pub struct Checked {
    pub config: Config,
    pub i18n: I18n,
    pub report: Report,
    pub as_of: Date,
    /// What the files were, for an incremental build.
    pub digests: Digests,
    /// The files the parse cache stood in for.
    pub unread: Option<Unread>,
}

impl Checked {
    /// Whether a file the parse cache stood in for was found changed when
    /// a page read it: the site would mix two versions of it.
    pub fn files_changed(&self) -> bool {
        self.unread.as_ref().is_some_and(Unread::changed)
    }

    /// The records, unless the process definition was unusable.
    pub fn data(&self) -> Option<&Dataset> {
        self.report.dataset.as_ref()
    }

    /// Step 4: the figures the pages show.
    pub fn analyze(&self) -> Option<Analysis> {
        self.data()
            .map(|data| analyze::analyze(data, &self.config, self.as_of))
    }
}

/// What step 5 renders with: the checked repo, its analysis and theme.
pub struct Site<'a> {
    pub checked: &'a Checked,
    pub analysis: &'a Analysis,
    pub theme: &'a Theme,
    pub tera: &'a tera::Tera,
    /// The strings pages use (stages named by name only).
    pub i18n: I18n,
    pub base_url: &'a str,
}

impl<'a> Site<'a> {
    /// The site of a checked repo with usable data.
    pub fn new(
        checked: &'a Checked,
        analysis: &'a Analysis,
        theme: &'a Theme,
        tera: &'a tera::Tera,
        base_url: &'a str,
    ) -> Option<Site<'a>> {
        let data = checked.data()?;
        Some(Site {
            checked,
            analysis,
            theme,
            tera,
            i18n: checked.i18n.for_pages(&data.process),
            base_url,
        })
    }

    /// What the renderer reads.
    pub fn input(&self) -> render::Input<'_> {
        let report = &self.checked.report;
        render::Input {
            config: &self.checked.config,
            data: report.dataset.as_ref().expect("a site has data"),
            findings: &report.findings,
            sources: &report.sources,
            analysis: self.analysis,
            i18n: &self.i18n,
            theme: self.theme,
            base_url: self.base_url,
            digests: Some(&self.checked.digests),
        }
    }

    /// Step 5: every page, rendered on all cores and handed to `writer`
    /// as it is made. Returns how many files the site has.
    pub fn render(&self, writer: &Writer) -> Result<usize, BuildError> {
        render::render_into(&self.input(), self.tera, writer)
    }
}

/// The theme a repo names and its parsed templates, or what is wrong.
pub fn theme(files: &RepoFiles, config: &Config) -> Result<(Theme, tera::Tera), Msg> {
    let theme = Theme::load(files, &config.theme)
        .map_err(|e| Msg::new("fatal.no-theme").arg("theme", e.0))?;
    let tera =
        render::templates(&theme).map_err(|e| Msg::new("build.template-error").arg("error", e))?;
    Ok((theme, tera))
}
