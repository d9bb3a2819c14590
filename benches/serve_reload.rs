//! Benchmark (not a test): from a file write to the reload event of
//! `dealbook serve`, on the demo and on a generated repo of 1,008
//! projects (`scripts/gen-repo.sh 1008`: the demo's 36 projects copied 28
//! times under new codes). Run with `cargo bench --bench serve_reload`;
//! with `SERVE_RELOAD_PROJECTS="1000 10000"`, on generated repos of those
//! sizes instead. Figures go to stdout and into the README's performance
//! section.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use dealbook::serve::{Options, Server, Settings};

const DEBOUNCE: Duration = Duration::from_millis(50);
const ROUNDS: usize = 40;

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

/// The demo as it is.
fn demo() -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(src.join("dealbook.toml"), dir.path().join("dealbook.toml")).unwrap();
    copy(&src.join("data"), &dir.path().join("data"));
    copy(&src.join("content"), &dir.path().join("content"));
    dir
}

/// A repo of `projects` projects from `scripts/gen-repo.sh`.
fn generated(projects: usize) -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("bash")
        .arg(src.join("scripts/gen-repo.sh"))
        .arg(projects.to_string())
        .arg(dir.path())
        .status()
        .expect("bash runs scripts/gen-repo.sh");
    assert!(status.success(), "scripts/gen-repo.sh {projects} failed");
    dir
}

fn get(port: u16, path: &str) -> Duration {
    let start = Instant::now();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut body = Vec::new();
    s.read_to_end(&mut body).unwrap();
    assert!(body.starts_with(b"HTTP/1.1 200"), "{path}");
    start.elapsed()
}

/// Reads the event stream until a `data:` line (a new generation) comes.
/// The stream is chunked: only the event lines inside are looked at.
fn wait_for_reload(stream: &mut TcpStream, seen: &mut String) {
    let mut buf = [0u8; 512];
    loop {
        if let Some(at) = seen.find("data: ")
            && let Some(end) = seen[at..].find("\n\n")
        {
            seen.drain(..at + end + 2);
            return;
        }
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "event stream closed");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

fn percentile(mut v: Vec<Duration>, p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

fn bench(label: &str, dir: tempfile::TempDir) {
    let mut codes: Vec<String> = std::fs::read_dir(dir.path().join("content/projects"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    codes.sort();
    let projects = codes.len();
    let settings = Settings {
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        debounce: DEBOUNCE,
        options: Options {
            today: Some(jiff::civil::date(2026, 11, 26)),
            locale: None,
            cache: true,
        },
        limits: Default::default(),
    };
    let (tx, rx) = channel();
    let open = Instant::now();
    let server = Server::start(dir.path(), &settings, move |r| {
        let _ = tx.send(r.took);
    })
    .unwrap();
    let loaded = open.elapsed();
    let port = server.addr().port();
    let stop = server.stopper();
    let handle = std::thread::spawn(move || server.run());

    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        events,
        "GET /__dealbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    // The head and the current generation.
    let mut seen = String::new();
    wait_for_reload(&mut events, &mut seen);

    // The demo's HZ-2026-001 (or its first copy), else the first project
    // with notes.
    let project = ["HZ-2026-001", "HZ-2026-001-1"]
        .into_iter()
        .map(String::from)
        .find(|c| codes.contains(c))
        .or_else(|| {
            codes
                .iter()
                .find(|c| {
                    dir.path()
                        .join("content/projects")
                        .join(c)
                        .join("notes")
                        .is_dir()
                })
                .cloned()
        })
        .expect("a project with notes");
    let notes = dir
        .path()
        .join("content/projects")
        .join(&project)
        .join("notes");
    let note = std::fs::read_dir(notes)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let page = format!("/projects/{project}.html");
    get(port, "/");
    let first_page = open.elapsed();
    get(port, &page);

    let (mut total, mut work, mut overview, mut project_page) = (vec![], vec![], vec![], vec![]);
    for round in 0..ROUNDS {
        let mut text = std::fs::read_to_string(&note).unwrap();
        text.push_str(&format!("\n第 {round} 次修改。\n"));
        let start = Instant::now();
        std::fs::write(&note, text).unwrap();
        wait_for_reload(&mut events, &mut seen);
        total.push(start.elapsed());
        work.push(rx.recv().unwrap());
        overview.push(get(port, "/"));
        project_page.push(get(port, &page));
        std::thread::sleep(Duration::from_millis(150));
    }
    stop();
    let _ = handle.join();
    let debounce = DEBOUNCE.as_secs_f64() * 1000.0;
    println!(
        "{label}: {projects} projects, loaded in {:.0} ms, first page served after {:.0} ms; write → reload event p50 {:.1} ms, p95 {:.1} ms \
         (beyond the {debounce:.0} ms debounce: p50 {:.1} ms); reload work p50 {:.1} ms; \
         then rendering the overview p50 {:.1} ms, the project page p50 {:.1} ms",
        loaded.as_secs_f64() * 1000.0,
        first_page.as_secs_f64() * 1000.0,
        percentile(total.clone(), 0.5),
        percentile(total.clone(), 0.95),
        percentile(total, 0.5) - debounce,
        percentile(work, 0.5),
        percentile(overview, 0.5),
        percentile(project_page, 0.5),
    );
}

fn main() {
    dealbook::allocator::tune();
    // `cargo test --benches` runs benches with --test-ish args; only run
    // when benchmarking.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    match std::env::var("SERVE_RELOAD_PROJECTS") {
        Ok(sizes) => {
            for n in sizes.split([' ', ',']).filter(|s| !s.is_empty()) {
                let n: usize = n
                    .parse()
                    .expect("SERVE_RELOAD_PROJECTS: numbers of projects");
                bench("generated", generated(n));
            }
        }
        Err(_) => {
            bench("demo", demo());
            bench("generated", generated(1008));
        }
    }
}
