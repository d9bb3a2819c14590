//! `dealbook build`: the whole pipeline, written atomically into the
//! output folder.

use std::process::ExitCode;

use super::exit;
use crate::cli::{BuildArgs, Cli};
use crate::diag::{Msg, human};
use crate::pipeline;
use crate::render;
use crate::site::write::{WriteError, Writer};

pub fn run(cli: &Cli, args: &BuildArgs) -> ExitCode {
    let root = super::root(cli);
    // `--as-of`: the files of the commit of then, and the date of then.
    let mut past = match &args.as_of {
        Some(when) => match past(&root, when) {
            Ok(p) => Some(p),
            Err(msg) => {
                // Not a data-repo problem: no "run dealbook in a data repo".
                let i18n = super::i18n(cli, super::repo_locale(&root).as_deref());
                eprintln!("{}: {}", i18n.get("check.error"), i18n.format(&msg));
                return ExitCode::from(exit::CANNOT_RUN);
            }
        },
        None => None,
    };
    let read = match past.as_mut() {
        Some(p) => {
            let files = std::mem::take(&mut p.files);
            super::load(cli, &root, &files).map(|repo| (files, repo))
        }
        None => super::read_and_load(cli, &root),
    };
    let (files, mut repo) = match read {
        Ok(read) => read,
        Err(code) => return code,
    };
    // The theme is the last thing read from the files; a big repo's bytes
    // are not kept while the site is made.
    let theme = pipeline::theme(&files, &repo.loaded.config);
    drop(files);
    super::read_history(&root, &mut repo, past.as_ref().map(|p| p.commit));
    // The site is as of the date given, else the latest date in the data:
    // the same data always gives the same site.
    let as_of = repo.as_of(past.as_ref().map(|p| p.date).or(args.today));
    let checked = repo.check(as_of);
    let (report, i18n) = (&checked.report, &checked.i18n);
    let tally = report.tally();
    let style = human::Style {
        color: super::color(cli),
    };
    let print_findings = || {
        for f in report
            .findings
            .iter()
            .filter(|f| f.severity == crate::diag::Severity::Error)
        {
            eprintln!("{}", human::render(f, &report.sources, i18n, style));
        }
    };
    let Some(analysis) = checked.analyze() else {
        print_findings();
        return ExitCode::from(exit::FINDINGS);
    };
    if tally.errors > 0 && !args.allow_errors {
        print_findings();
        eprintln!(
            "{}",
            i18n.format(&Msg::new("build.refused").arg("errors", tally.errors))
        );
        return ExitCode::from(exit::FINDINGS);
    }
    let (theme, tera) = match theme {
        Ok(t) => t,
        Err(msg) => {
            eprintln!("{}: {}", i18n.get("check.error"), i18n.format(&msg));
            return ExitCode::from(exit::CANNOT_RUN);
        }
    };
    let base_url = args
        .base_url
        .clone()
        .unwrap_or_else(|| checked.config.base_url.clone());
    let write_failed = |e: WriteError| {
        eprintln!("{}", i18n.format(&write_error(e)));
        ExitCode::from(exit::CANNOT_RUN)
    };
    let out = args.out.clone().unwrap_or_else(|| root.join("public"));
    let writer = match Writer::begin(&out, &root) {
        Ok(w) => w,
        Err(e) => return write_failed(e),
    };
    let site =
        pipeline::Site::new(&checked, &analysis, &theme, &tera, &base_url).expect("analysed data");
    // A failure drops the writer, which removes what it wrote: the
    // previous site stays as it was.
    let files = match site.render(&writer) {
        Ok(files) => files,
        Err(render::BuildError::Render(e)) => {
            eprintln!(
                "{}",
                i18n.format(&Msg::new("build.template-error").arg("error", e))
            );
            return ExitCode::from(exit::CANNOT_RUN);
        }
        Err(render::BuildError::Write(e)) => return write_failed(e),
    };
    if checked.files_changed() {
        eprintln!(
            "{}: {}",
            i18n.get("check.error"),
            i18n.format(&Msg::new("build.files-changed"))
        );
        return ExitCode::from(exit::CANNOT_RUN);
    }
    match writer.finish() {
        Ok(stats) => {
            super::print(&format!(
                "{}\n",
                i18n.format(
                    &Msg::new("build.done")
                        .arg("files", files)
                        .arg("out", stats.out.display())
                        .arg("written", stats.written)
                        .arg("unchanged", stats.unchanged)
                        .arg("as_of", as_of)
                        .arg("errors", tally.errors)
                        .arg("warnings", tally.warnings),
                )
            ));
            if let Some((old, error)) = &stats.left_behind {
                eprintln!(
                    "{}",
                    i18n.format(
                        &Msg::new("build.left-behind")
                            .arg("path", old.display())
                            .arg("error", error)
                    )
                );
            }
            ExitCode::from(exit::OK)
        }
        Err(e) => write_failed(e),
    }
}

/// What to tell when the site could not be written.
fn write_error(e: WriteError) -> Msg {
    match e {
        WriteError::NotOurs(path) => Msg::new("build.not-ours").arg("path", path.display()),
        WriteError::BadPath(path) => Msg::new("build.bad-path").arg("path", path),
        WriteError::NotData(path) => Msg::new("build.not-data").arg("path", path.display()),
        WriteError::ReadOnly(path) => Msg::new("build.read-only").arg("path", path.display()),
        WriteError::Io(path, error) => Msg::new("build.write-error")
            .arg("path", path.display())
            .arg("error", error),
    }
}

/// The repo as it stood at a date or commit.
struct Past {
    commit: gix::ObjectId,
    date: jiff::civil::Date,
    files: crate::load::RepoFiles,
}

/// Finds the commit `--as-of` names: a date (the last commit on or before
/// it on the first-parent line) or any revision.
fn past(root: &std::path::Path, when: &str) -> Result<Past, Msg> {
    let no_git = |w: crate::history::NoHistory| w.needed_by("--as-of");
    let repo = crate::history::read::Repo::open(root).map_err(no_git)?;
    let (commit, date) = match when.parse::<jiff::civil::Date>() {
        Ok(date) => {
            let commit = repo
                .commit_at(date)
                .map_err(no_git)?
                .ok_or_else(|| Msg::new("build.no-commit-then").arg("date", date))?;
            (commit, date)
        }
        Err(_) => {
            let commit = repo
                .resolve(when)
                .map_err(|_| Msg::new("review.no-base").arg("base", when))?;
            (commit, repo.date_of(commit).map_err(no_git)?)
        }
    };
    let files = repo.files_at(commit).map_err(no_git)?;
    Ok(Past {
        commit,
        date,
        files,
    })
}
