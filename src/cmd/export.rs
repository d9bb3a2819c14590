//! `dealbook export`: load, count the findings, convert, write one file
//! (or stdout). History is not read: every column comes from the records.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::exit;
use crate::cli::{Cli, ExportArgs, ExportFormat};
use crate::diag::{Msg, Severity, human};
use crate::export;

pub fn run(cli: &Cli, args: &ExportArgs) -> ExitCode {
    let root = super::root(cli);
    let repo = match super::open(cli, &root) {
        Ok(repo) => repo,
        Err(code) => return code,
    };
    let i18n = repo.i18n.clone();
    let fail = |msg: Msg| {
        eprintln!("{}: {}", i18n.get("check.error"), i18n.format(&msg));
        ExitCode::from(exit::CANNOT_RUN)
    };
    // Refuse before doing the work.
    if let Some(out) = &args.out
        && !args.force
        && exists(out)
    {
        return fail(Msg::new("export.exists").arg("path", out.display()));
    }
    if args.out.is_none() && args.format == ExportFormat::Xlsx && std::io::stdout().is_terminal() {
        return fail(Msg::new("export.terminal"));
    }
    // As of the date given, else the latest in the records, like build.
    let as_of = repo.as_of(args.today);
    let report = repo.check(as_of).report;
    let tally = report.tally();
    let Some(data) = report.dataset.as_ref() else {
        let style = human::Style {
            color: super::color(cli),
        };
        for f in report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
        {
            eprintln!("{}", human::render(f, &report.sources, &i18n, style));
        }
        eprintln!("{}", i18n.format(&Msg::new("export.unusable")));
        return ExitCode::from(exit::FINDINGS);
    };
    let bytes = match args.format {
        ExportFormat::Json => export::json::pipeline(data, as_of).into_bytes(),
        ExportFormat::Csv => export::csv::projects(data, i18n.locale()).into_bytes(),
        ExportFormat::Xlsx => match export::xlsx::workbook(data, &i18n, as_of) {
            Ok(bytes) => bytes,
            Err(e) => return fail(Msg::new("export.xlsx_error").arg("error", e)),
        },
    };
    let target = match &args.out {
        Some(out) => {
            if let Err(msg) = write_file(out, &bytes, args.force) {
                return fail(msg);
            }
            out.display().to_string()
        }
        None => {
            super::print_bytes(&bytes);
            i18n.get("export.stdout").to_string()
        }
    };
    eprintln!(
        "{}",
        i18n.format(
            &Msg::new("export.written")
                .arg("projects", data.projects.len())
                .arg("format", args.format.id())
                .arg("out", target)
                .arg("as_of", as_of)
                .arg("errors", tally.errors)
                .arg("warnings", tally.warnings),
        )
    );
    if tally.errors > 0 {
        eprintln!(
            "{}",
            i18n.format(&Msg::new("export.has_errors").arg("errors", tally.errors))
        );
    }
    ExitCode::from(exit::OK)
}

/// Whether something (a file, a folder, a dangling link) is at `path`.
fn exists(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// Writes `bytes` to `out` through a temporary file beside it and a
/// rename, so a failed export leaves no half-written file. Without
/// `force`, whatever is at `out` is left alone (checked again just before
/// the rename).
fn write_file(out: &Path, bytes: &[u8], force: bool) -> Result<(), Msg> {
    let error = |path: &Path, e: std::io::Error| {
        Msg::new("export.write_error")
            .arg("path", path.display())
            .arg("error", e)
    };
    let (path, mut file) = temp_beside(out).map_err(|e| error(out, e))?;
    let mut tmp = Temp {
        path,
        renamed: false,
    };
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| error(&tmp.path, e))?;
    drop(file);
    if !force && exists(out) {
        return Err(Msg::new("export.exists").arg("path", out.display()));
    }
    std::fs::rename(&tmp.path, out).map_err(|e| error(out, e))?;
    tmp.renamed = true;
    Ok(())
}

/// A new hidden file in the folder of `out`, named after it.
fn temp_beside(out: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let mut n = 0u32;
    loop {
        let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(file) => return Ok((tmp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(e),
        }
    }
}

/// The temporary file, removed unless it was renamed into place.
struct Temp {
    path: PathBuf,
    renamed: bool,
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
