//! `dealbook serve`: a live preview while someone edits records.

use std::process::ExitCode;
use std::time::Duration;

use super::exit;
use crate::cli::{Cli, ServeArgs};
use crate::diag::Msg;
use crate::serve::{Limits, Options, ServeError, Server, Settings};

pub fn run(cli: &Cli, args: &ServeArgs) -> ExitCode {
    let root = super::root(cli);
    let i18n = super::i18n(cli, None);
    let settings = Settings {
        bind: args.bind,
        port: args.port,
        debounce: Duration::from_millis(args.debounce_ms),
        options: Options {
            today: args.today,
            locale: cli.locale.clone(),
            cache: !cli.no_cache,
        },
        limits: Limits::default(),
    };
    let log_i18n = i18n.clone();
    let server = match Server::start(&root, &settings, move |rebuild| {
        let paths = rebuild.paths.join(", ");
        let line = log_i18n.format(
            &Msg::new("serve.rebuilt")
                .arg("paths", paths)
                .arg("ms", rebuild.took.as_millis()),
        );
        // A closed stdout must not stop the watcher thread.
        super::print(&format!("{line}\n"));
    }) {
        Ok(s) => s,
        Err(e) => {
            let msg = match e {
                ServeError::PortInUse(addr) => Msg::new("serve.port_in_use")
                    .arg("addr", addr)
                    .arg("port", addr.port()),
                ServeError::Bind(addr, error) => Msg::new("serve.bind_error")
                    .arg("addr", addr)
                    .arg("error", error),
                ServeError::Watch(error) => Msg::new("serve.watch_error").arg("error", error),
            };
            eprintln!("{}: {}", i18n.get("check.error"), i18n.format(&msg));
            return ExitCode::from(exit::CANNOT_RUN);
        }
    };
    if !server.addr().ip().is_loopback() {
        eprintln!(
            "{}: {}",
            i18n.get("check.warning"),
            i18n.format(&Msg::new("serve.exposed").arg("addr", server.addr()))
        );
    }
    let url = format!("http://{}/", server.addr());
    super::print(&format!(
        "{}\n",
        i18n.format(
            &Msg::new("serve.listening")
                .arg("url", &url)
                .arg("root", root.display())
        )
    ));
    if args.open {
        open_browser(&url);
    }
    let stop = server.stopper();
    // Ctrl-C stops accepting requests; the process then exits normally.
    let _ = ctrlc::set_handler(stop);
    server.run();
    super::print(&format!("{}\n", i18n.get("serve.stopped")));
    ExitCode::from(exit::OK)
}

/// Opens the preview in the desktop's browser; failing quietly is fine.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(target_os = "windows") {
        ("cmd", vec!["/C", "start", url])
    } else {
        ("xdg-open", vec![url])
    };
    let _ = std::process::Command::new(command.0)
        .args(command.1)
        .spawn();
}
