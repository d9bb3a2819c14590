//! Load test (not a test): the release `dealbook serve` on a copy of the
//! demo, on loopback, stopping by itself. Run with
//! `cargo bench --bench serve_load`; figures go to stdout and into the
//! README's performance section. It exits with status 1 when a target is
//! missed.
//!
//! 1. 20 clients × 200 requests on kept-alive connections (12 ms apart)
//!    while a note changes 50 times: no errors; the server's memory before
//!    and after.
//! 2. 200 idle and 200 slow clients (heads dribbled byte by byte),
//!    reconnecting whenever dropped, held for 30 s: a normal request,
//!    made every 100 ms meanwhile, stays under 50 ms.
//! 3. Hostile bodies (a huge `Content-Length`, chunked bodies) and
//!    headers (many, huge) from 200 clients at once for 10 s: memory stays
//!    within 50 MB of idle.
//!
//! Memory is the server process's resident set from /proc (Linux only).

use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const CLIENTS: usize = 20;
const REQUESTS: usize = 200;
const CHANGES: usize = 50;
/// Between two requests of one client, so the requests span the 50
/// changes (a change every 60 ms, beyond the 50 ms debounce) instead of
/// finishing before the third.
const PACE: Duration = Duration::from_millis(12);
const IDLE: usize = 200;
const SLOW: usize = 200;
const HOLD: Duration = Duration::from_secs(30);
const HOSTILE: usize = 200;
const HOSTILE_FOR: Duration = Duration::from_secs(10);
const SLOW_LIMIT_MS: f64 = 50.0;
const MEMORY_LIMIT_KIB: u64 = 50 * 1024;

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The release server on a free port, killed when dropped.
struct Served {
    child: Child,
    port: u16,
    rebuilds: Arc<AtomicUsize>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    fn start(root: &Path) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dealbook"))
            .arg("--root")
            .arg(root)
            .args([
                "--locale",
                "en",
                "serve",
                "--port",
                "0",
                "--today",
                "2026-11-26",
                "--debounce-ms",
                "50",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|s| s.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        let rebuilds = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&rebuilds);
        thread::spawn(move || {
            for line in out.lines() {
                if line.is_ok_and(|l| l.starts_with("changed:")) {
                    counted.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        Served {
            child,
            port,
            rebuilds,
        }
    }

    fn rss_kib(&self) -> u64 {
        status_kib(self.child.id(), "VmRSS:")
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Samples the server's resident set every 10 ms; keeps the highest.
struct Peak {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    handle: Option<thread::JoinHandle<()>>,
}

impl Peak {
    fn watch(pid: u32) -> Peak {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let (s, p) = (Arc::clone(&stop), Arc::clone(&peak));
        let handle = thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                p.fetch_max(status_kib(pid, "VmRSS:"), Ordering::SeqCst);
                thread::sleep(Duration::from_millis(10));
            }
        });
        Peak {
            stop,
            peak,
            handle: Some(handle),
        }
    }

    fn end(mut self) -> u64 {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        self.peak.load(Ordering::SeqCst)
    }
}

/// A client on one kept-alive connection (a new one when the server
/// closes it).
struct Client {
    port: u16,
    conn: Option<(BufReader<TcpStream>, TcpStream)>,
}

impl Client {
    fn new(port: u16) -> Client {
        Client { port, conn: None }
    }

    /// `GET path` → status; the body is read whole.
    fn get(&mut self, path: &str) -> io::Result<u16> {
        if self.conn.is_none() {
            let s = TcpStream::connect(("127.0.0.1", self.port))?;
            s.set_nodelay(true)?;
            s.set_read_timeout(Some(Duration::from_secs(10)))?;
            self.conn = Some((BufReader::new(s.try_clone()?), s));
        }
        let (reader, writer) = self.conn.as_mut().unwrap();
        // One write: pieces of a request in several small writes would wait
        // for the server's delayed ACK (Nagle's algorithm, on our side).
        writer.write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes())?;
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            self.conn = None;
            return Err(io::Error::new(ErrorKind::UnexpectedEof, "closed"));
        }
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| io::Error::other(format!("bad status line {line:?}")))?;
        let (mut length, mut close) = (0usize, false);
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            if lower.starts_with("connection: close") {
                close = true;
            }
            if lower.starts_with("transfer-encoding") {
                return Err(io::Error::other("unexpected chunked answer"));
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        if close {
            self.conn = None;
        }
        Ok(status)
    }
}

/// A request on a new connection, as a browser's first one: its time.
fn fresh_get(port: u16, path: &str) -> io::Result<(u16, Duration)> {
    let start = Instant::now();
    let status = Client::new(port).get(path)?;
    Ok((status, start.elapsed()))
}

fn percentile(v: &mut [Duration], p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// The demo repo in a temporary folder, and the site paths to ask for with
/// the status each must give.
fn demo() -> (tempfile::TempDir, Vec<(String, u16)>, std::path::PathBuf) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(src.join("dealbook.toml"), dir.path().join("dealbook.toml")).unwrap();
    copy(&src.join("data"), &dir.path().join("data"));
    copy(&src.join("content"), &dir.path().join("content"));
    let mut projects: Vec<String> = std::fs::read_dir(dir.path().join("content/projects"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    projects.sort();
    let mut paths: Vec<(String, u16)> = [
        ("/", 200),
        ("/index.html", 200),
        ("/projects/", 200),
        ("/projects", 301),
        ("/static/style.css", 200),
        ("/pipeline.json", 200),
        ("/no-such-page.html", 404),
        ("/__dealbook/reload.js", 200),
    ]
    .iter()
    .map(|(p, s)| (p.to_string(), *s))
    .collect();
    paths.extend(
        projects
            .iter()
            .take(12)
            .map(|p| (format!("/projects/{p}.html"), 200)),
    );
    let notes = dir
        .path()
        .join("content/projects")
        .join(&projects[0])
        .join("notes");
    let note = std::fs::read_dir(notes)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    (dir, paths, note)
}

/// Counts the reload events on one open event stream.
fn listen(port: u16) -> Arc<AtomicUsize> {
    let seen = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&seen);
    thread::spawn(move || {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
            return;
        };
        let _ = write!(
            s,
            "GET /__dealbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        );
        let mut buf = [0u8; 4096];
        while let Ok(n) = s.read(&mut buf) {
            if n == 0 {
                return;
            }
            let text = String::from_utf8_lossy(&buf[..n]);
            count.fetch_add(text.matches("data: ").count(), Ordering::SeqCst);
        }
    });
    seen
}

/// 20 clients × 200 requests while a note changes 50 times.
fn phase_requests(server: &mut Served, paths: &[(String, u16)], note: &Path) -> bool {
    let port = server.port;
    // Every page once, so "before" is the server at work, not just started.
    let mut warm = Client::new(port);
    for (path, _) in paths {
        let _ = warm.get(path);
    }
    thread::sleep(Duration::from_millis(300));
    let before = server.rss_kib();
    let events = listen(port);
    let rebuilds_before = server.rebuilds.load(Ordering::SeqCst);
    let peak = Peak::watch(server.child.id());
    let errors = Arc::new(Mutex::new(Vec::<String>::new()));
    let latencies = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let start = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let paths = paths.to_vec();
            let errors = Arc::clone(&errors);
            let latencies = Arc::clone(&latencies);
            thread::spawn(move || {
                let mut client = Client::new(port);
                let mut mine = Vec::with_capacity(REQUESTS);
                for i in 0..REQUESTS {
                    let (path, want) = &paths[(c * 7 + i) % paths.len()];
                    let t = Instant::now();
                    match client.get(path) {
                        Ok(status) if status == *want => mine.push(t.elapsed()),
                        Ok(status) => errors
                            .lock()
                            .unwrap()
                            .push(format!("{path}: {status}, not {want}")),
                        Err(e) => errors.lock().unwrap().push(format!("{path}: {e}")),
                    }
                    thread::sleep(PACE);
                }
                latencies.lock().unwrap().extend(mine);
            })
        })
        .collect();
    let writer = {
        let note = note.to_path_buf();
        thread::spawn(move || {
            let start = Instant::now();
            for round in 0..CHANGES {
                let mut text = std::fs::read_to_string(&note).unwrap();
                text.push_str(&format!("\n负载测试第 {round} 次修改。\n"));
                std::fs::write(&note, text).unwrap();
                thread::sleep(Duration::from_millis(60));
            }
            start.elapsed()
        })
    };
    for c in clients {
        c.join().unwrap();
    }
    let requests_took = start.elapsed();
    let writes_took = writer.join().unwrap();
    // Let the last change be applied.
    thread::sleep(Duration::from_millis(500));
    let peak = peak.end();
    let after = server.rss_kib();
    let errors = errors.lock().unwrap();
    let mut lat = latencies.lock().unwrap();
    let done = lat.len();
    println!(
        "requests: {CLIENTS} clients x {REQUESTS} requests (kept-alive connections, {} paths, \
         {} ms apart) while a note changed {CHANGES} times: {done} answered as expected, {} errors, in {:.2} s \
         ({:.0} requests/s; the changes took {:.2} s); latency p50 {:.2} ms, p95 {:.2} ms, \
         p99 {:.2} ms, max {:.2} ms; {} rebuilds, {} reload events on an open stream; \
         server RSS before {:.1} MiB, peak {:.1} MiB, after {:.1} MiB",
        paths.len(),
        PACE.as_millis(),
        errors.len(),
        requests_took.as_secs_f64(),
        done as f64 / requests_took.as_secs_f64(),
        writes_took.as_secs_f64(),
        percentile(&mut lat, 0.5),
        percentile(&mut lat, 0.95),
        percentile(&mut lat, 0.99),
        percentile(&mut lat, 1.0),
        server.rebuilds.load(Ordering::SeqCst) - rebuilds_before,
        events.load(Ordering::SeqCst),
        mib(before),
        mib(peak),
        mib(after),
    );
    for e in errors.iter().take(10) {
        println!("  error: {e}");
    }
    errors.is_empty() && server.alive()
}

/// Opens a connection that the server has not closed yet.
fn open(port: u16) -> Option<TcpStream> {
    let s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_nonblocking(true).ok()?;
    Some(s)
}

/// Whether the server closed this connection.
fn dropped(s: &mut TcpStream) -> bool {
    let mut buf = [0u8; 512];
    match s.read(&mut buf) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => e.kind() != ErrorKind::WouldBlock,
    }
}

/// 200 idle and 200 slow clients held for 30 s while a normal request is
/// timed every 100 ms.
fn phase_slow_clients(server: &mut Served) -> bool {
    let port = server.port;
    let stop = Arc::new(AtomicBool::new(false));
    let drops = Arc::new(AtomicUsize::new(0));
    let holder = {
        let stop = Arc::clone(&stop);
        let drops = Arc::clone(&drops);
        thread::spawn(move || {
            let head = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
            let mut idle: Vec<Option<TcpStream>> = (0..IDLE).map(|_| open(port)).collect();
            let mut slow: Vec<(Option<TcpStream>, usize)> =
                (0..SLOW).map(|_| (open(port), 0)).collect();
            while !stop.load(Ordering::SeqCst) {
                for s in idle.iter_mut() {
                    if s.as_mut().is_none_or(dropped) {
                        drops.fetch_add(1, Ordering::SeqCst);
                        *s = open(port);
                    }
                }
                for (s, at) in slow.iter_mut() {
                    // One byte of the head each turn; past the start of a
                    // header value, always one more byte of it.
                    let byte = head.get(*at).copied().unwrap_or(b'a');
                    let sent = s.as_mut().is_some_and(|s| s.write(&[byte]).is_ok());
                    if sent && !s.as_mut().is_some_and(dropped) {
                        *at += 1;
                    } else {
                        drops.fetch_add(1, Ordering::SeqCst);
                        *s = open(port);
                        *at = 0;
                    }
                }
                thread::sleep(Duration::from_millis(100));
            }
        })
    };
    // Let them all connect first.
    thread::sleep(Duration::from_millis(500));
    let mut times = Vec::new();
    let mut failures = 0;
    let start = Instant::now();
    while start.elapsed() < HOLD {
        match fresh_get(port, "/") {
            Ok((200, took)) => times.push(took),
            _ => failures += 1,
        }
        thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, Ordering::SeqCst);
    holder.join().unwrap();
    let probes = times.len();
    let worst = percentile(&mut times, 1.0);
    println!(
        "slow clients: {IDLE} idle and {SLOW} slow (a head byte every 100 ms) held for {} s, \
         dropped by the server and reopened {} times; a normal request (new connection, GET /) \
         every 100 ms meanwhile: {probes} answered, {failures} failed, p50 {:.2} ms, p95 {:.2} ms, \
         max {worst:.2} ms",
        HOLD.as_secs(),
        drops.load(Ordering::SeqCst),
        percentile(&mut times, 0.5),
        percentile(&mut times, 0.95),
    );
    failures == 0 && worst < SLOW_LIMIT_MS && server.alive()
}

/// One hostile client, again and again until `until`; the status lines it
/// got back are counted by kind.
fn hostile(port: u16, kind: usize, until: Instant, answers: Arc<Mutex<Vec<String>>>) {
    let big_header = format!("X-Big: {}\r\n", "a".repeat(1 << 20));
    let many: String = (0..20_000).map(|i| format!("X-H{i}: v\r\n")).collect();
    let chunk = [b"8000\r\n".as_slice(), &[b'x'; 0x8000], b"\r\n"].concat();
    let (head, body): (String, Vec<u8>) = match kind {
        0 => (
            "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 999999999999\r\n\r\n".into(),
            vec![b'x'; 65536],
        ),
        1 => (
            "GET / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n".into(),
            chunk,
        ),
        2 => (
            format!("GET / HTTP/1.1\r\nHost: localhost\r\n{big_header}\r\n"),
            Vec::new(),
        ),
        _ => (
            format!("GET / HTTP/1.1\r\nHost: localhost\r\n{many}\r\n"),
            Vec::new(),
        ),
    };
    let label = [
        "huge Content-Length",
        "chunked body",
        "1 MiB header",
        "20,000 headers",
    ][kind];
    while Instant::now() < until {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
            continue;
        };
        let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = s.set_write_timeout(Some(Duration::from_secs(5)));
        // Up to 16 MiB of body, unless the server stops us sooner.
        let mut ok = s.write_all(head.as_bytes()).is_ok();
        let mut sent = 0;
        while ok && !body.is_empty() && sent < 16 << 20 {
            ok = s.write_all(&body).is_ok();
            sent += body.len();
        }
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let line = String::from_utf8_lossy(&raw)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        let status = if line.is_empty() {
            "cut off before an answer".to_string()
        } else {
            line
        };
        answers.lock().unwrap().push(format!("{label}: {status}"));
    }
}

/// Hostile bodies and headers from 200 clients at once for 10 s.
fn phase_hostile(server: &mut Served) -> bool {
    let port = server.port;
    thread::sleep(Duration::from_millis(300));
    let idle = server.rss_kib();
    let peak = Peak::watch(server.child.id());
    let answers = Arc::new(Mutex::new(Vec::new()));
    let until = Instant::now() + HOSTILE_FOR;
    let threads: Vec<_> = (0..HOSTILE)
        .map(|i| {
            let answers = Arc::clone(&answers);
            thread::spawn(move || hostile(port, i % 4, until, answers))
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let peak = peak.end();
    let after = server.rss_kib();
    let normal = fresh_get(port, "/");
    let answers = answers.lock().unwrap();
    let mut counted: Vec<(String, usize)> = Vec::new();
    for a in answers.iter() {
        match counted.iter_mut().find(|(k, _)| k == a) {
            Some((_, n)) => *n += 1,
            None => counted.push((a.clone(), 1)),
        }
    }
    counted.sort();
    println!(
        "hostile: {HOSTILE} clients at once for {} s ({} requests: huge Content-Length, chunked \
         bodies, a 1 MiB header, 20,000 headers); server RSS idle {:.1} MiB, peak {:.1} MiB \
         (+{:.1} MiB), after {:.1} MiB; a normal request after: {}",
        HOSTILE_FOR.as_secs(),
        answers.len(),
        mib(idle),
        mib(peak),
        mib(peak.saturating_sub(idle)),
        mib(after),
        match &normal {
            Ok((status, took)) => format!("{status} in {:.2} ms", took.as_secs_f64() * 1000.0),
            Err(e) => e.to_string(),
        },
    );
    for (answer, n) in &counted {
        println!("  {n:>6} × {answer}");
    }
    peak.saturating_sub(idle) < MEMORY_LIMIT_KIB && matches!(normal, Ok((200, _))) && server.alive()
}

fn main() {
    // `cargo test --benches` runs benches with --test-ish args; only run
    // when benchmarking.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    if !Path::new("/proc/self/status").exists() {
        eprintln!("serve_load reads memory from /proc: Linux only");
        return;
    }
    let (dir, paths, note) = demo();
    let mut server = Served::start(dir.path());
    let mut ok = true;
    ok &= phase_requests(&mut server, &paths, &note);
    ok &= phase_slow_clients(&mut server);
    ok &= phase_hostile(&mut server);
    println!(
        "peak RSS of the server over the whole run (VmHWM): {:.1} MiB",
        mib(status_kib(server.child.id(), "VmHWM:"))
    );
    if !ok {
        println!("FAILED: a target was missed (see above)");
        std::process::exit(1);
    }
    println!("all targets met");
}
