//! What the commands that write into the data repo (`new`, `move`,
//! `close`) share: opening the repo, finding a project by its code,
//! writing files without ever overwriting one by surprise, and showing
//! the project's findings after the change.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use jiff::civil::Date;

use super::exit;
use crate::cli::Cli;
use crate::diag::{Msg, Severity, human};
use crate::i18n::I18n;
use crate::model::{Dataset, Loaded, Project};

/// A data repo opened for an edit.
pub struct Session {
    pub root: PathBuf,
    pub loaded: Loaded,
    pub i18n: I18n,
    pub today: Date,
}

/// What an edit command did.
pub enum Done {
    /// Changed the project in this folder; these messages say how.
    Changed(Vec<Msg>, String),
    /// Changed nothing, for reasons printed already (exit 1).
    Refused,
}

/// Why an edit command stops: the message (and a help line) is printed,
/// then the exit code.
pub struct Stop {
    pub msg: Msg,
    pub help: Option<Msg>,
    pub code: u8,
}

impl Stop {
    pub fn new(msg: Msg, code: u8) -> Stop {
        Stop {
            msg,
            help: None,
            code,
        }
    }

    /// The command cannot do what was asked (exit 2).
    pub fn cannot(msg: Msg) -> Stop {
        Stop::new(msg, exit::CANNOT_RUN)
    }

    pub fn with_help(mut self, help: Msg) -> Stop {
        self.help = Some(help);
        self
    }
}

impl Session {
    /// Opens the repo, runs an edit, prints what it did and what `check`
    /// still finds in the project, and gives the exit code.
    pub fn run(
        cli: &Cli,
        today: Option<Date>,
        edit: impl FnOnce(&Session) -> Result<Done, Stop>,
    ) -> ExitCode {
        let s = match Session::open(cli, today) {
            Ok(s) => s,
            Err(code) => return code,
        };
        match edit(&s) {
            Ok(Done::Changed(msgs, dir)) => {
                for msg in msgs {
                    super::print(&format!("{}\n", s.i18n.format(&msg)));
                }
                s.report(cli, &dir);
                ExitCode::from(exit::OK)
            }
            Ok(Done::Refused) => ExitCode::from(exit::FINDINGS),
            Err(stop) => s.stop(stop),
        }
    }

    /// Loads the repo with its history (for rules about authors), or
    /// reports why it cannot.
    pub fn open(cli: &Cli, today: Option<Date>) -> Result<Session, ExitCode> {
        let root = super::root(cli);
        let mut repo = super::open(cli, &root)?;
        if repo.loaded.dataset.is_none() {
            // The process is unusable: its findings say why.
            let checked = repo.check(today.unwrap_or_else(system_today));
            let report = &checked.report;
            for f in &report.findings {
                eprintln!(
                    "{}",
                    human::render(f, &report.sources, &checked.i18n, style(cli))
                );
            }
            return Err(ExitCode::from(exit::FINDINGS));
        }
        super::read_history(&root, &mut repo, None);
        let crate::pipeline::Repo { loaded, i18n } = repo;
        Ok(Session {
            root,
            loaded,
            i18n,
            today: today.unwrap_or_else(system_today),
        })
    }

    pub fn data(&self) -> &Dataset {
        self.loaded.dataset.as_ref().expect("opened with a dataset")
    }

    /// The project a code names: its folder or its `code`, in any case.
    pub fn project(&self, code: &str) -> Result<&Project, Stop> {
        let code = code.trim();
        let data = self.data();
        let found = data
            .projects
            .iter()
            .find(|p| p.folder == code || p.code.value == code)
            .or_else(|| {
                data.projects.iter().find(|p| {
                    p.folder.eq_ignore_ascii_case(code) || p.code.value.eq_ignore_ascii_case(code)
                })
            });
        found.ok_or_else(|| {
            let folders = data.projects.iter().map(|p| p.folder.as_str());
            let stop = Stop::cannot(Msg::new("edit.no-project").arg("code", code));
            match crate::suggest::help(code, folders) {
                Some(help) => stop.with_help(help),
                None => stop,
            }
        })
    }

    /// The text of a repo file as it was read (or, for one the parse
    /// cache stood in for, as it is while unchanged since).
    pub fn text(&self, rel: &str) -> Result<String, Stop> {
        let read = || self.loaded.unread.as_ref()?.read(rel);
        match self.loaded.sources.get(rel) {
            Some(source) => Some(source.text().to_string()),
            None => read().map(|text| text.to_string()),
        }
        .ok_or_else(|| Stop::cannot(Msg::new("edit.unreadable").arg("path", rel)))
    }

    /// The person `git config user.email` names, if the team has them.
    pub fn me(&self) -> Option<String> {
        let email = git_email(&self.root)?;
        self.data()
            .team
            .by_email(&email)
            .map(|p| p.id.value.clone())
    }

    /// Writes a new file; an existing one is replaced only with `force`.
    pub fn write_new(&self, rel: &str, text: &str, force: bool) -> Result<(), Stop> {
        let path = self.root.join(rel);
        if !force && std::fs::symlink_metadata(&path).is_ok() {
            return Err(
                Stop::new(Msg::new("edit.exists").arg("path", rel), exit::FINDINGS)
                    .with_help(Msg::new("edit.exists-help")),
            );
        }
        write_atomic(&path, text).map_err(|e| write_error(rel, e))
    }

    /// Replaces a file the command has read, in one step.
    pub fn rewrite(&self, rel: &str, text: &str) -> Result<(), Stop> {
        write_atomic(&self.root.join(rel), text).map_err(|e| write_error(rel, e))
    }

    /// Checks the repo again and prints the findings in `dir` (the
    /// project just changed), so the user sees at once what is left to do.
    pub fn report(&self, cli: &Cli, dir: &str) {
        let Ok((_, mut repo)) = super::read_and_load(cli, &self.root) else {
            return;
        };
        super::read_history(&self.root, &mut repo, None);
        let report = repo.check(self.today).report;
        let prefix = format!("{dir}/");
        let mine: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.path == dir || f.path.starts_with(&prefix))
            .collect();
        for f in &mine {
            eprintln!(
                "{}",
                human::render(f, &report.sources, &self.i18n, style(cli))
            );
        }
        let errors = mine
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        if !mine.is_empty() {
            eprintln!(
                "{}",
                self.i18n.format(
                    &Msg::new("edit.left-to-do")
                        .arg("errors", errors)
                        .arg("warnings", mine.len() - errors)
                )
            );
        }
    }

    /// Prints why a command stopped and gives its exit code.
    pub fn stop(&self, stop: Stop) -> ExitCode {
        let i18n = &self.i18n;
        eprintln!("{}: {}", i18n.get("check.error"), i18n.format(&stop.msg));
        if let Some(help) = &stop.help {
            eprintln!("  = {}: {}", i18n.get("check.help"), i18n.format(help));
        }
        ExitCode::from(stop.code)
    }
}

pub fn style(cli: &Cli) -> human::Style {
    human::Style {
        color: super::color(cli) && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    }
}

pub fn system_today() -> Date {
    jiff::ZonedDateTime::now().date()
}

fn write_error(rel: &str, e: std::io::Error) -> Stop {
    Stop::cannot(
        Msg::new("edit.write-error")
            .arg("path", rel)
            .arg("error", e),
    )
}

/// Writes `text` to a temporary file beside `path`, then renames it over
/// `path`: a reader never sees half a file, and a failure leaves the old
/// one as it was.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.dealbook-{}", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The email `git config user.email` gives in `root`: the repo's config,
/// else the user's.
pub fn git_email(root: &Path) -> Option<String> {
    if let Ok(repo) = gix::discover(root)
        && let Some(email) = repo.config_snapshot().string("user.email")
    {
        return Some(email.to_string()).filter(|e| !e.trim().is_empty());
    }
    let out = std::process::Command::new("git")
        .args(["config", "user.email"])
        .current_dir(root)
        .output()
        .ok()?;
    let email = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!email.is_empty()).then_some(email)
}
