//! `dealbook check`: the pipeline up to the rules; prints every finding.

use std::process::ExitCode;

use super::exit;
use crate::cli::{CheckArgs, Cli, Format};
use crate::diag::{self, human};

pub fn run(cli: &Cli, args: &CheckArgs) -> ExitCode {
    let root = super::root(cli);
    let mut repo = match super::open(cli, &root) {
        Ok(repo) => repo,
        Err(code) => return code,
    };
    if args.list_rules {
        super::print(&list_rules(&repo.loaded.config, &repo.i18n));
        return ExitCode::from(exit::OK);
    }
    super::read_history(&root, &mut repo, None);
    let today = args
        .today
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let history = repo.loaded.config.history;
    let checked = repo.check(today);
    let (report, i18n) = (&checked.report, &checked.i18n);
    let review = match &args.base {
        Some(base) => {
            let summary = match &report.dataset {
                Some(data) => {
                    let head = (data, report.findings.as_slice());
                    super::review::against(&root, base, head, history, today, i18n)
                }
                None => Err(crate::diag::Msg::new("review.unusable")),
            };
            match summary {
                Ok(summary) => Some(summary),
                Err(msg) => {
                    eprintln!("{}: {}", i18n.get("check.error"), i18n.format(&msg));
                    return ExitCode::from(exit::CANNOT_RUN);
                }
            }
        }
        None => None,
    };

    let out = match args.format {
        Format::Human => {
            let style = human::Style {
                color: super::color(cli),
            };
            let mut out: String = report
                .findings
                .iter()
                .map(|f| human::render(f, &report.sources, i18n, style) + "\n")
                .collect();
            out.push_str(&human::summary(report.tally(), report.projects, i18n));
            out.push('\n');
            out
        }
        Format::Json => {
            diag::json::render(&report.findings, report.projects, &report.sources, i18n)
        }
        Format::Github => diag::github::render(&report.findings, &report.sources, i18n),
    };
    super::print(&out);
    if let Some(summary) = review {
        match &args.summary {
            Some(file) => {
                if let Err(e) = std::fs::write(file, &summary) {
                    eprintln!("{}: {}: {e}", i18n.get("check.error"), file.display());
                    return ExitCode::from(exit::CANNOT_RUN);
                }
            }
            None => super::print(&format!("\n{summary}")),
        }
    }
    // No dataset means the process definition was unusable: never "clean".
    if report.tally().errors > 0 || report.dataset.is_none() {
        ExitCode::from(exit::FINDINGS)
    } else {
        ExitCode::from(exit::OK)
    }
}

/// The rule catalogue as a table: code, default, setting here, meaning.
fn list_rules(config: &crate::config::Config, i18n: &crate::i18n::I18n) -> String {
    let mut out = String::new();
    for rule in crate::diag::codes::ALL {
        let setting = config.rules.get(rule.code).copied().unwrap_or(rule.default);
        let fixed = if rule.configurable { "" } else { "*" };
        out.push_str(&format!(
            "{:<24} {:<8} {:<8} {}\n",
            format!("{}{fixed}", rule.code),
            rule.default.as_str(),
            setting.as_str(),
            i18n.get(&format!("rule.{}", rule.code)),
        ));
    }
    out
}
