//! The command line: global options and one subcommand per verb. Each
//! subcommand is a small function in `cmd/` over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::cmd;

const ABOUT: &str = "Turns a Git repository of B2B sales-project records into a static dashboard.";

const AFTER_HELP: &str = "\
Examples:
  dealbook check                      check the repo in the current folder
  dealbook --root ../sales check      check another repo
  dealbook check --format github      annotate a pull request in GitHub Actions
  dealbook build                      render the dashboard into public/
  dealbook serve --open               live preview while editing";

#[derive(Debug, Parser)]
#[command(name = "dealbook", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    /// The data repo: the folder holding dealbook.toml [default: the current
    /// folder, or the nearest parent folder that has a dealbook.toml]
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,

    /// Language of messages [default: `locale` in dealbook.toml, else zh-CN]
    #[arg(long, global = true, value_name = "LOCALE", value_parser = ["zh-CN", "en"])]
    pub locale: Option<String>,

    /// When to colour terminal output
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate every record against the stage rules and report all findings
    #[command(after_help = "\
Examples:
  dealbook check
  dealbook check --format json > findings.json
  dealbook check --today 2026-12-01
  dealbook check --base origin/main --summary summary.md

Exit status: 0 without errors (warnings allowed), 1 with errors,
2 when the check cannot run (no dealbook.toml, data/process.toml or
data/team.toml).
Rule severities are set in dealbook.toml under [rules].")]
    Check(CheckArgs),
    /// Check the records and render the static dashboard
    #[command(after_help = "\
Examples:
  dealbook build                          write the site to public/
  dealbook build --out site --base-url /sales/
  dealbook build --locale en --allow-errors
  dealbook build --as-of 2026-10-01 --out site-october

With error findings nothing is written and the exit status is 1, unless
--allow-errors; findings are listed in the site either way. The site is
written to a temporary folder and swapped in, so a failed build leaves
the previous site untouched.")]
    Build(BuildArgs),
    /// Serve a live preview that rebuilds and reloads as files change
    #[command(after_help = "\
Examples:
  dealbook serve                      preview at http://127.0.0.1:1111/
  dealbook serve --port 8080 --open   another port, and open the browser

Pages are rendered when the browser asks for them and reload by
themselves after a record, note, template or setting changes. While a
record has errors, every page shows them in an overlay. Ctrl-C stops.")]
    Serve(ServeArgs),
    /// Import projects from a spreadsheet (.csv or .xlsx) through a mapping file
    #[command(after_help = "\
Examples:
  dealbook import 台账.xlsx --map import.toml              dry run: what would change
  dealbook import 台账.xlsx --map import.toml --write --add-people
  dealbook import pipeline.csv --map map.toml --write --update
  dealbook import pipeline.csv --map map.toml --write --skip-bad

Without --write nothing is written: every project that would be created
or changed is listed, and every row that cannot be taken with its row
number, column and reason. --write writes only when no row failed (or
with --skip-bad) and no person is missing from data/team.toml (or with
--add-people). Existing projects change only with --update, and then
only in the fields the mapping maps; stage sections are never touched.
Exit status: 0 when every row was taken, 1 when rows were refused or
people are missing, 2 when the import cannot run (no data repo, an
unreadable file, a mapping with problems).")]
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The spreadsheet: .csv (UTF-8 or GB18030/GBK), .xlsx, .xls, .xlsb or .ods
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,

    /// The mapping file: which column feeds which field (see README)
    #[arg(long, value_name = "MAP.toml")]
    pub map: std::path::PathBuf,

    /// Write the records (without it: a dry run that only reports)
    #[arg(long)]
    pub write: bool,

    /// Also change existing projects, in the fields the mapping maps
    #[arg(long)]
    pub update: bool,

    /// With --write: write the rows that can be taken even when others
    /// cannot
    #[arg(long)]
    pub skip_bad: bool,

    /// Add the people the sheet names and data/team.toml lacks
    #[arg(long)]
    pub add_people: bool,

    /// The day of the import (YYYY-MM-DD), recorded in [imported] date
    /// [default: the system date]
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY")]
    pub today: Option<jiff::civil::Date>,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one)
    #[arg(long, default_value_t = 1111)]
    pub port: u16,

    /// Address to listen on; the default keeps the preview on this machine
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,

    /// Open the preview in the browser
    #[arg(long)]
    pub open: bool,

    /// Milliseconds to wait for a burst of file changes to settle (10 or more)
    #[arg(long, value_name = "MS", default_value_t = 50, value_parser = clap::value_parser!(u64).range(10..))]
    pub debounce_ms: u64,

    /// Show the site as of this date (YYYY-MM-DD) [default: the latest
    /// date recorded in the data]
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY")]
    pub today: Option<jiff::civil::Date>,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Output folder [default: public/ in the data repo]
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,

    /// Where the site is published, e.g. https://example.com/sales/
    /// [default: `base_url` in dealbook.toml]
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Build even when the check finds errors
    #[arg(long)]
    pub allow_errors: bool,

    /// Build the site as of this date (YYYY-MM-DD) [default: the latest
    /// date recorded in the data, so the same data gives the same site]
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY")]
    pub today: Option<jiff::civil::Date>,

    /// Build the site as it stood at a date (YYYY-MM-DD: the last commit on
    /// or before it) or a commit, from that commit's files; its date
    /// replaces --today
    #[arg(long, value_name = "DATE|COMMIT")]
    pub as_of: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Output format: human (with source snippets), json, or github
    /// (workflow commands that annotate a pull request)
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Check as of this date (YYYY-MM-DD): future dates, overdue steps and
    /// stale projects are judged against it [default: the system date]
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY")]
    pub today: Option<jiff::civil::Date>,

    /// List every rule with its default and configured severity, and exit
    #[arg(long)]
    pub list_rules: bool,

    /// Also summarize, in Markdown, what the changes since this Git
    /// revision do to the pipeline (for a pull request: the target branch)
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,

    /// Write the --base summary to this file instead of stdout
    #[arg(long, value_name = "FILE", requires = "base")]
    pub summary: Option<std::path::PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Check(args) => cmd::check::run(&cli, args),
        Command::Build(args) => cmd::build::run(&cli, args),
        Command::Serve(args) => cmd::serve::run(&cli, args),
        Command::Import(args) => cmd::import::run(&cli, args),
    }
}
