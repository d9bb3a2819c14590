//! Command-line mistakes (an unknown command, a bad date) told in the
//! user's language, like every other message: clap's own texts are
//! English only.

use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::diag::Msg;
use crate::i18n::I18n;

/// Prints a parse error in the locale the command line or the repo asks
/// for, and gives clap's exit code (help and version are not errors).
pub fn report(e: &clap::Error) -> ExitCode {
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
    }
    let i18n = I18n::builtin(&locale());
    let get = |kind| e.get(kind).map(ContextValue::to_string).unwrap_or_default();
    let suggestion = e
        .get(ContextKind::SuggestedSubcommand)
        .or_else(|| e.get(ContextKind::SuggestedArg))
        .or_else(|| e.get(ContextKind::SuggestedValue))
        .map(ContextValue::to_string);
    let message = match e.kind() {
        ErrorKind::InvalidSubcommand => Some(
            Msg::new("cli.unknown-command").arg("command", get(ContextKind::InvalidSubcommand)),
        ),
        ErrorKind::UnknownArgument => {
            Some(Msg::new("cli.unknown-option").arg("option", get(ContextKind::InvalidArg)))
        }
        ErrorKind::InvalidValue => Some(
            Msg::new("cli.invalid-choice")
                .arg("option", get(ContextKind::InvalidArg))
                .arg("value", get(ContextKind::InvalidValue))
                .arg("valid", get(ContextKind::ValidValue)),
        ),
        ErrorKind::ValueValidation => {
            // Our value parsers fail with a message key (`value.date`).
            let reason = std::error::Error::source(e)
                .map(|s| s.to_string())
                .filter(|key| i18n.has(key))
                .map(|key| i18n.get(&key).to_string())
                .unwrap_or_else(|| {
                    std::error::Error::source(e).map_or(String::new(), |s| s.to_string())
                });
            Some(
                Msg::new("cli.invalid-value")
                    .arg("option", get(ContextKind::InvalidArg))
                    .arg("value", get(ContextKind::InvalidValue))
                    .arg("reason", reason),
            )
        }
        ErrorKind::MissingRequiredArgument => {
            Some(Msg::new("cli.missing-argument").arg("arguments", get(ContextKind::InvalidArg)))
        }
        ErrorKind::MissingSubcommand => Some(Msg::new("cli.missing-command")),
        ErrorKind::ArgumentConflict => Some(
            Msg::new("cli.conflict")
                .arg("option", get(ContextKind::InvalidArg))
                .arg("other", get(ContextKind::PriorArg)),
        ),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            Some(Msg::new("cli.unexpected").arg("value", get(ContextKind::InvalidValue)))
        }
        _ => None,
    };
    match message {
        Some(msg) => {
            eprintln!("{}: {}", i18n.get("check.error"), i18n.format(&msg));
            if let Some(s) = suggestion {
                eprintln!(
                    "  = {}: {}",
                    i18n.get("check.help"),
                    i18n.format(&Msg::new("help.did-you-mean").arg("candidate", s))
                );
            }
            eprintln!("  {}", i18n.get("cli.see-help"));
        }
        // Anything rarer keeps clap's own words.
        None => {
            let _ = e.print();
        }
    }
    ExitCode::from(2)
}

/// The locale for a message before the command line is understood:
/// `--locale X` if given, else the repo's `dealbook.toml`, else zh-CN.
fn locale() -> String {
    let args: Vec<String> = std::env::args().collect();
    let given = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--locale=").map(str::to_string).or_else(|| {
            (a == "--locale")
                .then(|| args.get(i + 1).cloned())
                .flatten()
        })
    });
    if let Some(l) = given.filter(|l| crate::i18n::LOCALES.contains(&l.as_str())) {
        return l;
    }
    let root = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--root=")
            .map(std::path::PathBuf::from)
            .or_else(|| {
                (a == "--root")
                    .then(|| args.get(i + 1).map(Into::into))
                    .flatten()
            })
    });
    let root = root.unwrap_or_else(|| {
        let cwd = std::env::current_dir().unwrap_or_default();
        cwd.ancestors()
            .find(|d| d.join(crate::load::CONFIG).is_file())
            .map_or(cwd.clone(), std::path::Path::to_path_buf)
    });
    crate::cmd::repo_locale(&root).unwrap_or_else(|| crate::i18n::DEFAULT_LOCALE.to_string())
}
