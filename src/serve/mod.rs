//! `serve`: the site kept in memory and served over HTTP, rebuilt when a
//! file changes, with open pages reloaded by server-sent events.
//!
//! Data flow: watcher → [`classify`] → [`Workspace::apply`] → reload
//! event → the browser asks again → [`server`] → [`Workspace::get`]
//! renders through the same `Renderer` as `build`.

pub mod classify;
pub mod http;
pub mod reload;
pub mod server;
pub mod watch;
pub mod workspace;

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use std::panic::{self, AssertUnwindSafe};

pub use server::Limits;
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
    /// What one client may cost.
    pub limits: Limits,
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
    listener: std::net::TcpListener,
    addr: SocketAddr,
    runtime: tokio::runtime::Runtime,
    shared: Arc<server::Shared>,
    stop: Arc<tokio::sync::Notify>,
    /// Held here only: dropping the server stops the watcher, which ends
    /// the rebuild thread.
    _watcher: Arc<Mutex<watch::Watcher>>,
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
        let bind_error = |e: std::io::Error| {
            if e.kind() == std::io::ErrorKind::AddrInUse {
                ServeError::PortInUse(want)
            } else {
                ServeError::Bind(want, e.to_string())
            }
        };
        let listener = std::net::TcpListener::bind(want).map_err(bind_error)?;
        listener.set_nonblocking(true).map_err(bind_error)?;
        let addr = listener.local_addr().unwrap_or(want);
        // One thread answers every connection; rendering and file reads go
        // to a few blocking threads. More would not render faster (pages
        // wait for the one workspace), and each thread that allocates
        // keeps memory of its own (glibc arenas).
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .max_blocking_threads(4)
            .build()
            .map_err(bind_error)?;
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
            listener,
            addr,
            runtime,
            shared: Arc::new(server::Shared {
                workspace,
                hub,
                loopback: addr.ip().is_loopback(),
                limits: settings.limits.clone(),
            }),
            stop: Arc::default(),
            _watcher: watcher,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Something that stops [`Server::run`] from another thread (Ctrl-C),
    /// also when called before it runs.
    pub fn stopper(&self) -> impl Fn() + Send + Sync + 'static {
        let stop = Arc::clone(&self.stop);
        move || stop.notify_one()
    }

    /// Answers requests until stopped; then open connections are dropped.
    pub fn run(self) {
        let Server {
            listener,
            runtime,
            shared,
            stop,
            _watcher,
            ..
        } = self;
        runtime.block_on(async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                return;
            };
            tokio::select! {
                () = server::serve(listener, shared) => {}
                () = stop.notified() => {}
            }
        });
        // A page still rendering finishes on its own; do not wait long.
        runtime.shutdown_timeout(Duration::from_millis(500));
    }
}

/// Locks, recovering from a panic in another thread (the data is rebuilt
/// from files on the next change anyway).
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
