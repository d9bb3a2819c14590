//! One small function per subcommand, each over the library. Only these
//! print, read the clock, or pick exit codes.

pub mod build;
pub mod check;
pub mod close;
pub mod edits;
pub mod export;
pub mod import;
pub mod init;
pub mod move_to;
pub mod new;
pub mod review;
pub mod serve;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::{Cli, ColorChoice};
use crate::diag::Msg;
use crate::i18n::I18n;
use crate::load::{self, Fatal};

/// Exit codes shared by every command.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const CANNOT_RUN: u8 = 2;
}

/// The repo root: `--root`, else the current folder or its nearest parent
/// with a `dealbook.toml` (as cargo finds `Cargo.toml`).
pub fn root(cli: &Cli) -> PathBuf {
    if let Some(root) = &cli.root {
        return root.clone();
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    cwd.ancestors()
        .find(|dir| dir.join(load::CONFIG).is_file())
        .map_or(cwd.clone(), Path::to_path_buf)
}

/// The message catalogue for this run: `--locale`, else the repo's.
pub fn i18n(cli: &Cli, repo_locale: Option<&str>) -> I18n {
    let locale = cli
        .locale
        .as_deref()
        .or(repo_locale)
        .unwrap_or(crate::i18n::DEFAULT_LOCALE);
    I18n::builtin(locale)
}

/// The locale `dealbook.toml` in `root` names, read before anything else
/// is (for a message about something other than the data).
pub fn repo_locale(root: &Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join(crate::load::CONFIG)).ok()?;
    let config = crate::load::config::parse(crate::load::CONFIG, &text, &mut Vec::new());
    Some(config.locale)
}

/// Whether to colour output on stdout.
pub fn color(cli: &Cli) -> bool {
    match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            // no-color.org: any non-empty NO_COLOR turns colour off.
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            std::io::stdout().is_terminal() && !no_color
        }
    }
}

/// Writes a command's output to stdout. A closed pipe (`| head`) is not an
/// error: the reader has seen what it wanted.
pub fn print(text: &str) {
    print_bytes(text.as_bytes());
}

/// Writes bytes to stdout, as [`print()`] does text.
pub fn print_bytes(bytes: &[u8]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(bytes).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("dealbook: {e}");
    }
}

/// The repo's files, or the reason printed.
pub fn read(cli: &Cli, root: &Path) -> Result<load::RepoFiles, std::process::ExitCode> {
    load::read(root).map_err(|fatal| fatal_exit(cli, root, &fatal))
}

/// Step 1 of the pipeline for a command: the repo's files parsed, or the
/// reason printed.
pub fn load(
    cli: &Cli,
    root: &Path,
    files: &load::RepoFiles,
) -> Result<crate::pipeline::Repo, std::process::ExitCode> {
    crate::pipeline::load(files, cli.locale.as_deref())
        .map_err(|fatal| fatal_exit(cli, root, &fatal))
}

/// Reads and parses the working tree (steps 0 and 1).
pub fn open(cli: &Cli, root: &Path) -> Result<crate::pipeline::Repo, std::process::ExitCode> {
    read_and_load(cli, root).map(|(_, repo)| repo)
}

/// Reads and parses the working tree, reusing what the parse cache has of
/// unchanged project folders (unless `--no-cache`), and keeps the cache
/// for the next run. The files of the folders reused are stamped, not
/// read.
pub fn read_and_load(
    cli: &Cli,
    root: &Path,
) -> Result<(load::RepoFiles, crate::pipeline::Repo), std::process::ExitCode> {
    if cli.no_cache {
        let files = read(cli, root)?;
        let repo = load(cli, root, &files)?;
        return Ok((files, repo));
    }
    let (files, loaded) = load::cache::load(root).map_err(|f| fatal_exit(cli, root, &f))?;
    Ok((
        files,
        crate::pipeline::with_strings(loaded, cli.locale.as_deref()),
    ))
}

fn fatal_exit(cli: &Cli, root: &Path, fatal: &Fatal) -> std::process::ExitCode {
    report_fatal(&i18n(cli, repo_locale(root).as_deref()), fatal);
    std::process::ExitCode::from(exit::CANNOT_RUN)
}

/// Step 2: adds Git history up to `tip`, or prints the one note why not.
pub fn read_history(root: &Path, repo: &mut crate::pipeline::Repo, tip: Option<gix::ObjectId>) {
    if let Err(why) = repo.read_history(root, tip) {
        eprintln!("{}", repo.i18n.format(&why.note()));
    }
}

/// Prints why a command cannot run.
pub fn report_fatal(i18n: &I18n, fatal: &Fatal) {
    let head = i18n.get("check.error");
    eprintln!("{head}: {}", i18n.format(&fatal.0));
    eprintln!(
        "  {}: {}",
        i18n.get("check.help"),
        i18n.format(&Msg::new("fatal.help"))
    );
}
