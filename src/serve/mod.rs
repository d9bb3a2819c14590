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

use std::panic::{self, AssertUnwindSafe};

use tiny_http::{Header, Method, Response, ResponseBox};

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
    pub took: Duration,
}

/// A running server.
pub struct Server {
    http: Arc<tiny_http::Server>,
    addr: SocketAddr,
    workspace: Arc<Mutex<Workspace>>,
    hub: reload::Hub,
    /// Held here only: dropping the server stops the watcher, which ends
    /// the rebuild thread.
    _watcher: Arc<Mutex<watch::Watcher>>,
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

impl Server {
    /// Starts watching, loads the repo, and binds. `on_rebuild` is called
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
        // Watch before loading, so no change falls between the two.
        let (tx, rx) = channel::<watch::Batch>();
        let watcher = watch::Watcher::start(root, settings.debounce, tx)
            .map_err(|e| ServeError::Watch(e.to_string()))?;
        let watcher = Arc::new(Mutex::new(watcher));
        let workspace = Arc::new(Mutex::new(Workspace::open(root, settings.options.clone())));
        let hub = reload::Hub::default();
        {
            let workspace = Arc::clone(&workspace);
            let watcher = Arc::downgrade(&watcher);
            let hub = hub.clone();
            thread::spawn(move || {
                for batch in rx {
                    let start = Instant::now();
                    let (paths, work) = match batch {
                        watch::Batch::Paths(paths) => {
                            let work = classify::classify(paths.iter().map(String::as_str));
                            (paths, work)
                        }
                        // Events were lost (a queue overflow): reload all.
                        watch::Batch::Rescan => (Vec::new(), classify::Work::everything()),
                    };
                    if work.is_empty() {
                        continue;
                    }
                    // A bug in a reload must not end the preview: the next
                    // change reloads everything.
                    let applied =
                        panic::catch_unwind(AssertUnwindSafe(|| lock(&workspace).apply(&work)));
                    if applied.is_err() {
                        lock(&workspace).apply(&classify::Work::everything());
                    }
                    let Some(watcher) = watcher.upgrade() else {
                        return;
                    };
                    lock(&watcher).refresh();
                    hub.reload();
                    on_rebuild(&Rebuild {
                        paths,
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

    /// Answers requests until stopped. Responses are sent from their own
    /// threads, so a slow client holds up nobody else.
    pub fn run(&self) {
        for request in self.http.incoming_requests() {
            let host = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("Host"))
                .map(|h| h.value.as_str().to_string())
                .unwrap_or_default();
            if self.addr.ip().is_loopback() && !http::is_local_host(&host) {
                let _ = request.respond(Response::from_string("").with_status_code(403));
                continue;
            }
            let is_get = matches!(request.method(), Method::Get | Method::Head);
            if is_get && request.url() == http::EVENTS {
                let hub = self.hub.clone();
                thread::spawn(move || hub.stream(request.into_writer()));
                continue;
            }
            let response = panic::catch_unwind(AssertUnwindSafe(|| {
                self.respond(request.method(), request.url())
            }))
            .unwrap_or_else(|_| {
                Response::from_data(Vec::new())
                    .with_status_code(500)
                    .boxed()
            });
            thread::spawn(move || {
                let _ = request.respond(response);
            });
        }
    }

    fn respond(&self, method: &Method, url: &str) -> ResponseBox {
        let no_store = || header("Cache-Control", "no-store");
        let nosniff = || header("X-Content-Type-Options", "nosniff");
        if !matches!(method, Method::Get | Method::Head) {
            return Response::from_string("").with_status_code(405).boxed();
        }
        if url == http::WORKER {
            return Response::from_string(http::WORKER_SCRIPT)
                .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
                .with_header(no_store())
                .boxed();
        }
        let mut ws = lock(&self.workspace);
        let path = http::site_path(url);
        // Read before the page: a change while it renders still reloads it.
        let generation = self.hub.generation();
        let served = path.as_deref().and_then(|p| ws.get(p));
        let Some(file) = served else {
            if let Some(p) = &path
                && !p.ends_with(".html")
                && !url.ends_with('/')
                && ws.get(&format!("{p}/index.html")).is_some()
            {
                // `/projects` → `/projects/`, so relative links resolve.
                let location = format!("{}/", url.split(['?', '#']).next().unwrap_or(url));
                return Response::from_string("")
                    .with_status_code(301)
                    .with_header(header("Location", &location))
                    .boxed();
            }
            let shown = path.as_deref().unwrap_or(url);
            let page = http::not_found(ws.i18n(), shown).into_bytes();
            let page = http::inject(page, generation, &ws.problems(), ws.i18n());
            return Response::from_data(page)
                .with_status_code(404)
                .with_header(header("Content-Type", "text/html; charset=utf-8"))
                .with_header(no_store())
                .boxed();
        };
        let content_type = header("Content-Type", file.content_type);
        match file.body {
            workspace::Body::Page(bytes) => {
                let bytes = if file.content_type.starts_with("text/html") {
                    http::inject(bytes, generation, &ws.problems(), ws.i18n())
                } else {
                    bytes
                };
                Response::from_data(bytes)
                    .with_header(content_type)
                    .with_header(no_store())
                    .with_header(nosniff())
                    .boxed()
            }
            workspace::Body::Static(bytes) => Response::from_data(bytes)
                .with_header(content_type)
                .with_header(no_store())
                .with_header(nosniff())
                .boxed(),
            workspace::Body::File(path) => match std::fs::File::open(&path) {
                Ok(f) => Response::from_file(f)
                    .with_header(content_type)
                    .with_header(no_store())
                    .with_header(nosniff())
                    .boxed(),
                Err(_) => Response::from_string("").with_status_code(404).boxed(),
            },
        }
    }
}

/// Locks, recovering from a panic in another thread (the data is rebuilt
/// from files on the next change anyway).
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
