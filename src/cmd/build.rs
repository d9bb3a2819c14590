//! `dealbook build`: check, analyze, render in memory, write atomically.

use std::process::ExitCode;

use super::exit;
use crate::cli::{BuildArgs, Cli};
use crate::diag::{Msg, human};
use crate::render::{self, Theme};

pub fn run(cli: &Cli, args: &BuildArgs) -> ExitCode {
    let root = super::root(cli);
    let fail = |fatal: crate::load::Fatal| {
        super::report_fatal(&super::i18n(cli, None), &fatal);
        ExitCode::from(exit::CANNOT_RUN)
    };
    let files = match crate::load::read(&root) {
        Ok(f) => f,
        Err(fatal) => return fail(fatal),
    };
    let loaded = match crate::load::parse(&files) {
        Ok(l) => l,
        Err(fatal) => return fail(fatal),
    };
    let config = loaded.config.clone();
    let i18n = crate::i18n::I18n::for_repo(
        cli.locale.as_deref(),
        &config.locale,
        &loaded.i18n_overrides,
        loaded.dataset.as_ref().map(|d| &d.process),
    );
    // The site is as of the date given, else the latest date in the data:
    // the same data always gives the same site.
    let as_of = crate::analyze::dates::as_of(args.today, loaded.dataset.as_ref());
    let report = crate::check::run(loaded, as_of);
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
            eprintln!("{}", human::render(f, &report.sources, &i18n, style));
        }
    };
    let Some(data) = report.dataset.as_ref() else {
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
    let theme = match Theme::load(&files, &config.theme) {
        Ok(t) => t,
        Err(e) => {
            return fail(crate::load::Fatal(
                Msg::new("fatal.no-theme").arg("theme", e.0),
            ));
        }
    };
    let analysis = crate::analyze::analyze(data, as_of);
    let base_url = args
        .base_url
        .clone()
        .unwrap_or_else(|| config.base_url.clone());
    let site = match render::render(&render::Input {
        config: &config,
        data,
        findings: &report.findings,
        sources: &report.sources,
        analysis: &analysis,
        i18n: &i18n,
        theme: &theme,
        base_url: &base_url,
    }) {
        Ok(site) => site,
        Err(e) => {
            eprintln!(
                "{}",
                i18n.format(&Msg::new("build.template-error").arg("error", e))
            );
            return ExitCode::from(exit::CANNOT_RUN);
        }
    };
    let out = args.out.clone().unwrap_or_else(|| root.join("public"));
    match crate::site::write::write(&site, &out, &root) {
        Ok(stats) => {
            super::print(&format!(
                "{}\n",
                i18n.format(
                    &Msg::new("build.done")
                        .arg("files", site.len())
                        .arg("out", out.display())
                        .arg("written", stats.written)
                        .arg("unchanged", stats.unchanged)
                        .arg("as_of", as_of)
                        .arg("errors", tally.errors)
                        .arg("warnings", tally.warnings),
                )
            ));
            ExitCode::from(exit::OK)
        }
        Err(e) => {
            use crate::site::write::WriteError;
            let msg = match e {
                WriteError::NotOurs(path) => Msg::new("build.not-ours").arg("path", path.display()),
                WriteError::BadPath(path) => Msg::new("build.bad-path").arg("path", path),
                WriteError::Io(path, error) => Msg::new("build.write-error")
                    .arg("path", path.display())
                    .arg("error", error),
            };
            eprintln!("{}", i18n.format(&msg));
            ExitCode::from(exit::CANNOT_RUN)
        }
    }
}
