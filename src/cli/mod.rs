//! The command line: global options and one subcommand per verb. Each
//! subcommand is a small function in `cmd/` over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::cmd;

mod errors;

const ABOUT: &str = "Turns a Git repository of B2B sales-project records into a static dashboard.";

const AFTER_HELP: &str = "\
Examples:
  dealbook init sales                 start a data repo in the folder sales/
  dealbook new project HZ-2026-001 --name \"钱塘轨道5号线\" --region 浙江省杭州市
  dealbook move HZ-2026-001 初步接触    advance a project (or take it back)
  dealbook check                      check the repo in the current folder
  dealbook --root ../sales check      check another repo
  dealbook check --format github      annotate a pull request in GitHub Actions
  dealbook build                      render the dashboard into public/
  dealbook serve --open               live preview while editing
  dealbook import 台账.xlsx --map map.toml   what a spreadsheet would add (--write to write)
  dealbook export --format xlsx --out pipeline.xlsx
                                      the projects and every stage for Excel";

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

    /// Read and parse every project folder again, instead of reusing what
    /// the last run parsed of the folders whose files are unchanged (kept
    /// in .dealbook/ at the root)
    #[arg(long, global = true)]
    pub no_cache: bool,

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
2 when the check cannot run (no dealbook.toml or data/team.toml).
Without data/process.toml the built-in eight-stage process applies.
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
    /// Start a new data repo: settings, the process, an example team and project
    #[command(after_help = "\
Examples:
  dealbook init sales                 a new repo in sales/, with a GitHub workflow
  dealbook init --ci gitlab           here, with a GitLab CI file
  dealbook --locale en init sales     English settings, comments and README

The folder may hold nothing but .git; init never overwrites anything.
Afterwards `dealbook check` and `dealbook build` pass at once.")]
    Init(InitArgs),
    /// Create a project record, a visit note or a form
    #[command(after_help = "\
Examples:
  dealbook new project HZ-2026-001 --name \"钱塘轨道5号线\" --region 浙江省杭州市 --amount 380万
  dealbook new note HZ-2026-001 --title \"首次拜访信息中心\" --kind 上门拜访
  dealbook new form HZ-2026-001 客户基本信息表

Files are never overwritten unless --force is given.")]
    New(NewArgs),
    /// Advance a project to a later stage, or take it back to an earlier one
    #[command(after_help = "\
Examples:
  dealbook move HZ-2026-001 初步接触
  dealbook move HZ-2026-001 initial_contact
  dealbook move HZ-2026-001 项目立项       take it back (a slip)

Advancing first checks that the stages left behind are finished (conditions
met or waived, forms attached, the actual situation and every role's
judgement written) and, when they are not, lists what is missing and
changes nothing (exit 1).")]
    Move(MoveArgs),
    /// Record that a project was won or lost
    #[command(after_help = "\
Examples:
  dealbook close HZ-2026-001 won --reason \"技术评分第一\" --amount 365万
  dealbook close HZ-2026-001 lost --reason \"价格高于对手\" --loss-reason 价格 --competitor 某集成商

A won project must be in the last stage with that stage finished; when it
is not, close lists what is missing and changes nothing (exit 1).")]
    Close(CloseArgs),
    /// Export every project with its stage data as CSV, an Excel workbook
    /// or JSON
    #[command(after_help = "\
Examples:
  dealbook export --format xlsx --out pipeline.xlsx
  dealbook export --format csv > pipeline.csv
  dealbook export --format json --today 2026-12-01 --out pipeline.json
  dealbook --locale en export --format xlsx --out pipeline-en.xlsx --force

json is the site's pipeline.json. csv has one row per project, the stage
columns named by id (initiation.entered, initiation.sales_rep.judgement).
xlsx has a sheet of all projects and a sheet per stage with its conditions
and every role's judgement, titled in the chosen language.
The records are exported even when they have errors (their count is
printed); an existing file is replaced only with --force.

Exit status: 0 exported, 1 when data/process.toml is unusable, 2 when
the export cannot run (no data repo, the file exists, xlsx to a
terminal, the file cannot be written).")]
    Export(ExportArgs),
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

/// An amount as people type it: `3800000`, `3,800,000`, `380万`, `¥380万元`.
fn amount_arg(text: &str) -> Result<i64, String> {
    crate::values::parse_amount(text, 1.0).map_err(|e| e.key().to_string())
}

/// Where the site is published: an `http(s)://` address or a path.
fn base_url_arg(text: &str) -> Result<String, String> {
    use crate::model::link::{is_site_path, is_web};
    (is_web(text) || is_site_path(text))
        .then(|| text.to_string())
        .ok_or_else(|| "value.base-url".to_string())
}

/// A date as people type it: `2026-12-03`, `2026/12/3`, `2026年12月3日`.
pub fn date_arg(text: &str) -> Result<jiff::civil::Date, String> {
    crate::values::parse_date(text).ok_or_else(|| "value.date".to_string())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CiChoice {
    Github,
    Gitlab,
    None,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to start the repo in (made if missing) [default: the
    /// current folder]
    pub dir: Option<PathBuf>,

    /// Which CI recipe to add: GitHub Actions, GitLab CI, or none
    #[arg(long, value_enum, default_value_t = CiChoice::Github)]
    pub ci: CiChoice,

    /// The day the example project's dates count from [default: today]
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY", value_parser = date_arg)]
    pub today: Option<jiff::civil::Date>,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    #[command(subcommand)]
    pub what: NewCommand,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A project record, with the first stage's checklist to fill in
    Project(NewProjectArgs),
    /// A dated visit or meeting note in the project's notes/
    Note(NewNoteArgs),
    /// A form of the process, with a table of its fields, in forms/
    Form(NewFormArgs),
}

#[derive(Debug, clap::Args)]
pub struct NewProjectArgs {
    /// The project code; also the folder's name
    pub code: String,

    /// The project's name (项目名称)
    #[arg(long)]
    pub name: String,

    /// Who owns it: a person id or name of data/team.toml [default: the
    /// person whose email is `git config user.email`]
    #[arg(long, value_name = "ID")]
    pub owner: Option<String>,

    /// The stage it is in, by id or name [default: the first]; a later
    /// stage marks the project as tracked from today
    #[arg(long, value_name = "STAGE")]
    pub stage: Option<String>,

    /// Where the project is (项目所在地区) [default: the owner's region]
    #[arg(long)]
    pub region: Option<String>,

    /// Its department (所在部门) [default: the owner's department]
    #[arg(long)]
    pub department: Option<String>,

    /// Expected contract value: 3800000, 3,800,000 or 380万
    #[arg(long, value_parser = amount_arg)]
    pub amount: Option<i64>,

    /// Expected close date (预计成交日期)
    #[arg(long, value_name = "DATE", value_parser = date_arg)]
    pub expected_close: Option<jiff::civil::Date>,

    /// The next step (下一步), due --next-date
    #[arg(long, value_name = "TEXT")]
    pub next_step: Option<String>,

    /// When the next step is due [default: a week from today]
    #[arg(long, value_name = "DATE", value_parser = date_arg, requires = "next_step")]
    pub next_date: Option<jiff::civil::Date>,

    /// Replace an existing record of that code
    #[arg(long)]
    pub force: bool,

    /// The day the project enters its stage [default: today]
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY", value_parser = date_arg)]
    pub today: Option<jiff::civil::Date>,
}

#[derive(Debug, clap::Args)]
pub struct NewNoteArgs {
    /// The project's code
    pub code: String,

    /// The note's title [default: the kind's name]
    #[arg(long)]
    pub title: Option<String>,

    /// What kind of contact, by id or name (visit, 上门拜访, call, …)
    #[arg(long)]
    pub kind: Option<String>,

    /// Replace an existing note of the same date and title
    #[arg(long)]
    pub force: bool,

    /// The note's date [default: today]
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY", value_parser = date_arg)]
    pub today: Option<jiff::civil::Date>,
}

#[derive(Debug, clap::Args)]
pub struct NewFormArgs {
    /// The project's code
    pub code: String,

    /// The form, by id or name (customer_info, 客户基本信息表, …)
    pub form: String,

    /// Replace an existing file of that form
    #[arg(long)]
    pub force: bool,

    /// The form's date [default: today]
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY", value_parser = date_arg)]
    pub today: Option<jiff::civil::Date>,
}

#[derive(Debug, clap::Args)]
pub struct MoveArgs {
    /// The project's code
    pub code: String,

    /// The stage to move to, by id or name
    pub stage: String,

    /// The day of the move [default: today]
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY", value_parser = date_arg)]
    pub today: Option<jiff::civil::Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CloseAs {
    Won,
    Lost,
}

#[derive(Debug, clap::Args)]
pub struct CloseArgs {
    /// The project's code
    pub code: String,

    /// How it ended
    #[arg(value_enum)]
    pub outcome: CloseAs,

    /// Why it was won or lost (原因)
    #[arg(long)]
    pub reason: String,

    /// The contract value [default for won: the project's amount]
    #[arg(long, value_parser = amount_arg)]
    pub amount: Option<i64>,

    /// Who the competitor was (竞争对手)
    #[arg(long)]
    pub competitor: Option<String>,

    /// For a lost project: one of the process's loss reasons, by id or
    /// name (丢单原因: 价格, 商务条款, …)
    #[arg(long, value_name = "REASON")]
    pub loss_reason: Option<String>,

    /// The day it closed [default: today]
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY", value_parser = date_arg)]
    pub today: Option<jiff::civil::Date>,
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
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY", value_parser = date_arg)]
    pub today: Option<jiff::civil::Date>,
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// What to write: csv (one row per project), xlsx (a workbook with a
    /// sheet per stage) or json (the site's pipeline.json)
    #[arg(long, value_enum)]
    pub format: ExportFormat,

    /// The file to write [default: standard output; for xlsx only when it
    /// is not a terminal]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Replace the --out file when it exists
    #[arg(long, requires = "out")]
    pub force: bool,

    /// Export as of this date (YYYY-MM-DD) [default: the latest date
    /// recorded in the data, so the same data gives the same file]
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY", value_parser = date_arg)]
    pub today: Option<jiff::civil::Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Json,
}

impl ExportFormat {
    pub fn id(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Json => "json",
        }
    }
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
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY", value_parser = date_arg)]
    pub today: Option<jiff::civil::Date>,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Output folder [default: public/ in the data repo]
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,

    /// Where the site is published, e.g. https://example.com/sales/
    /// [default: `base_url` in dealbook.toml]
    #[arg(long, value_name = "URL", value_parser = base_url_arg)]
    pub base_url: Option<String>,

    /// Build even when the check finds errors
    #[arg(long)]
    pub allow_errors: bool,

    /// Build the site as of this date (YYYY-MM-DD) [default: the latest
    /// date recorded in the data, so the same data gives the same site]
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY", value_parser = date_arg)]
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
    #[arg(long, value_name = "DATE", env = "DEALBOOK_TODAY", value_parser = date_arg)]
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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return errors::report(&e),
    };
    match &cli.command {
        Command::Check(args) => cmd::check::run(&cli, args),
        Command::Build(args) => cmd::build::run(&cli, args),
        Command::Serve(args) => cmd::serve::run(&cli, args),
        Command::Init(args) => cmd::init::run(&cli, args),
        Command::New(args) => cmd::new::run(&cli, args),
        Command::Move(args) => cmd::move_to::run(&cli, args),
        Command::Close(args) => cmd::close::run(&cli, args),
        Command::Export(args) => cmd::export::run(&cli, args),
        Command::Import(args) => cmd::import::run(&cli, args),
    }
}
