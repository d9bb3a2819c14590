//! `dealbook init`: a new data repo that `check` and `build` pass at once.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::edits::system_today;
use super::exit;
use crate::cli::{CiChoice, Cli, InitArgs};
use crate::diag::Msg;
use crate::edit::scaffold::{self, Ci};
use crate::i18n::I18n;

pub fn run(cli: &Cli, args: &InitArgs) -> ExitCode {
    let locale = cli.locale.as_deref().unwrap_or(crate::i18n::DEFAULT_LOCALE);
    let i18n = I18n::builtin(locale);
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")));
    let fail = |msg: Msg| {
        eprintln!("{}: {}", i18n.get("check.error"), i18n.format(&msg));
        ExitCode::from(exit::CANNOT_RUN)
    };
    match occupants(&dir) {
        Ok(names) if names.is_empty() => {}
        Ok(names) => {
            let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
            return fail(
                Msg::new("init.not-empty")
                    .arg("dir", dir.display())
                    .arg("names", shown.join(", ")),
            );
        }
        Err(e) => {
            return fail(
                Msg::new("init.cannot-write")
                    .arg("path", dir.display())
                    .arg("error", e),
            );
        }
    }
    let ci = match args.ci {
        CiChoice::Github => Ci::Github,
        CiChoice::Gitlab => Ci::Gitlab,
        CiChoice::None => Ci::None,
    };
    let files = scaffold::files(locale, ci, args.today.unwrap_or_else(system_today));
    if let Err((path, e)) = write_all(&dir, &files) {
        return fail(
            Msg::new("init.cannot-write")
                .arg("path", path.display())
                .arg("error", e),
        );
    }
    super::print(&format!(
        "{}\n",
        i18n.format(
            &Msg::new("init.done")
                .arg("dir", dir.display())
                .arg("files", files.len())
        )
    ));
    ExitCode::from(exit::OK)
}

/// What `dir` holds besides `.git` (a missing folder holds nothing).
fn occupants(dir: &Path) -> std::io::Result<Vec<String>> {
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            let mut names: Vec<String> = entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != ".git")
                .collect();
            names.sort();
            Ok(names)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// Writes every file, never over an existing one; on a failure removes
/// what it wrote, so the folder is as it was.
fn write_all(dir: &Path, files: &[(String, String)]) -> Result<(), (PathBuf, std::io::Error)> {
    let mut written: Vec<PathBuf> = Vec::new();
    let mut made: Vec<PathBuf> = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        let result = (|| {
            let parent = path.parent().unwrap_or(dir);
            for ancestor in parent.ancestors().collect::<Vec<_>>().into_iter().rev() {
                if !ancestor.as_os_str().is_empty() && !ancestor.exists() {
                    std::fs::create_dir(ancestor)?;
                    made.push(ancestor.to_path_buf());
                }
            }
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?;
            written.push(path.clone());
            std::io::Write::write_all(&mut f, text.as_bytes())
        })();
        if let Err(e) = result {
            for f in written.iter().rev() {
                let _ = std::fs::remove_file(f);
            }
            for d in made.iter().rev() {
                let _ = std::fs::remove_dir(d);
            }
            return Err((path, e));
        }
    }
    Ok(())
}
