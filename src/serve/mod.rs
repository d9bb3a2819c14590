//! `serve`: the site kept in memory and served over HTTP, rebuilt when a
//! file changes, with open pages reloaded by server-sent events.
//!
//! Data flow: watcher → [`classify`] → [`Workspace::apply`] → reload
//! event → the browser asks again → [`Workspace::get`] renders through the
//! same `Renderer` as `build`.

pub mod classify;
pub mod http;
pub mod reload;
pub mod watch;
pub mod workspace;

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use tiny_http::{Header, Method, Response};

pub use workspace::{Options, Workspace};

/// How `serve` listens and watches.
#[derive(Clone, Debug)]
pub struct Settings {
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// How long to wait for a burst of file events to settle.
    pub debounce: Duration,
    pub options: Options,
}

#[derive(Debug)]
pub enum ServeError {
    PortInUse(SocketAddr),
    Bind(SocketAddr, String),
    Watch(String),
}

/// One rebuild after a change, for the log and the benchmark.
#[derive(Clone, Debug)]
pub struct Rebuild {
    pub paths: Vec<String>,
    pub work: classify::Work,
    pub took: Duration,
}

/// A running server.
pub struct Server {
    http: Arc<tiny_http::Server>,
    addr: SocketAddr,
    workspace: Arc<Mutex<Workspace>>,
    hub: reload::Hub,
    _watcher: Arc<Mutex<watch::Watcher>>,
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

impl Server {
    /// Loads the repo, binds, and starts watching. `on_rebuild` is called
    /// after each change has been applied and pages told to reload.
    pub fn start(
        root: &Path,
        settings: &Settings,
        on_rebuild: impl Fn(&Rebuild) + Send + 'static,
    ) -> Result<Server, ServeError> {
        let want = SocketAddr::new(settings.bind, settings.port);
        let http = tiny_http::Server::http(want).map_err(|e| {
            let in_use = e
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::AddrInUse);
            if in_use {
                ServeError::PortInUse(want)
            } else {
                ServeError::Bind(want, e.to_string())
            }
        })?;
        let addr = http.server_addr().to_ip().unwrap_or(want);
        let workspace = Arc::new(Mutex::new(Workspace::open(root, settings.options.clone())));
        let hub = reload::Hub::default();

        let (tx, rx) = channel::<Vec<String>>();
        let watcher = watch::Watcher::start(root, settings.debounce, tx)
            .map_err(|e| ServeError::Watch(e.to_string()))?;
        let watcher = Arc::new(Mutex::new(watcher));
        {
            let workspace = Arc::clone(&workspace);
            let watcher = Arc::clone(&watcher);
            let hub = hub.clone();
            thread::spawn(move || {
                for paths in rx {
                    let start = Instant::now();
                    let work = classify::classify(paths.iter().map(String::as_str));
                    if work.is_empty() {
                        continue;
                    }
                    lock(&workspace).apply(&work);
                    lock(&watcher).refresh();
                    hub.reload();
                    on_rebuild(&Rebuild {
                        paths,
                        work,
                        took: start.elapsed(),
                    });
                }
            });
        }
        Ok(Server {
            http: Arc::new(http),
            addr,
            workspace,
            hub,
            _watcher: watcher,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Something that stops [`Server::run`] from another thread (Ctrl-C).
    pub fn stopper(&self) -> impl Fn() + Send + Sync + 'static {
        let http = Arc::clone(&self.http);
        move || http.unblock()
    }

    /// Answers requests until stopped.
    pub fn run(&self) {
        for request in self.http.incoming_requests() {
            if request.url().starts_with(http::EVENTS) {
                let hub = self.hub.clone();
                thread::spawn(move || hub.stream(request.into_writer()));
                continue;
            }
            let response = self.respond(request.method(), request.url());
            let _ = request.respond(response);
        }
    }

    fn respond(&self, method: &Method, url: &str) -> Response<std::io::Cursor<Vec<u8>>> {
        let no_store = header("Cache-Control", "no-store");
        if !matches!(method, Method::Get | Method::Head) {
            return Response::from_string("")
                .with_status_code(405)
                .with_header(no_store);
        }
        let mut ws = lock(&self.workspace);
        let path = http::site_path(url);
        let served = path.as_deref().and_then(|p| {
            ws.get(p).or_else(|| {
                // `/projects` means `/projects/index.html`.
                (!p.ends_with(".html"))
                    .then(|| ws.get(&format!("{p}/index.html")))
                    .flatten()
            })
        });
        let problems = ws.problems();
        match served {
            Some(file) => {
                let is_html = file.content_type.starts_with("text/html");
                let bytes = if is_html {
                    http::inject(file.bytes, &problems, ws.i18n())
                } else {
                    file.bytes
                };
                Response::from_data(bytes)
                    .with_header(header("Content-Type", file.content_type))
                    .with_header(no_store)
            }
            None => {
                let shown = path.as_deref().unwrap_or(url);
                let page = http::inject(
                    http::not_found(ws.i18n(), shown).into_bytes(),
                    &problems,
                    ws.i18n(),
                );
                Response::from_data(page)
                    .with_status_code(404)
                    .with_header(header("Content-Type", "text/html; charset=utf-8"))
                    .with_header(no_store)
            }
        }
    }
}

/// Locks, recovering from a panic in another thread (the data is rebuilt
/// from files on the next change anyway).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
