//! `dealbook serve` end to end: a real server on a free port, real file
//! changes, the reload event, the overlay, and paths that must not leave
//! the site.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Repo, TODAY};
use dealbook::serve::{Limits, Options, Server, Settings};

/// A running `dealbook serve`, stopped when dropped.
struct Served {
    child: Child,
    port: u16,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(repo: &Repo) -> Served {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("dealbook"))
        .arg("--root")
        .arg(repo.path())
        .args([
            "--locale",
            "en",
            "serve",
            "--port",
            "0",
            "--today",
            TODAY,
            "--debounce-ms",
            "30",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    out.read_line(&mut line).unwrap();
    // Keep reading the log, as a terminal would.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Served { child, port }
}

/// `GET path` → (status, content type, body).
fn get(port: u16, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let content_type = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type: ")
                .map(str::to_string)
        })
        .unwrap_or_default();
    (status, content_type, body.to_string())
}

/// An open event stream and the last generation it announced.
struct Events {
    stream: TcpStream,
    generation: String,
    pending: String,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET /__dealbook/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let mut e = Events {
            stream,
            generation: String::new(),
            pending: String::new(),
        };
        e.generation = e
            .next(Duration::from_secs(5))
            .expect("the current generation on connect");
        e
    }

    /// The next `data:` value, if one comes in time.
    fn next(&mut self, within: Duration) -> Option<String> {
        let start = Instant::now();
        let mut buf = [0u8; 1024];
        loop {
            if let Some(at) = self.pending.find("data: ") {
                let rest = &self.pending[at + 6..];
                if let Some(end) = rest.find('\n') {
                    let value = rest[..end].to_string();
                    self.pending = rest[end..].to_string();
                    return Some(value);
                }
            }
            if start.elapsed() >= within {
                return None;
            }
            self.stream
                .set_read_timeout(Some(Duration::from_millis(100)))
                .unwrap();
            match self.stream.read(&mut buf) {
                Ok(0) => return None,
                Ok(n) => self.pending.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {}
            }
        }
    }

    /// Waits for reloads until `done` holds after one. One change may come
    /// as more than one batch of file events (a folder, then its file), so
    /// each reload is followed by a look, never assumed to be the last.
    fn until(&mut self, within: Duration, mut done: impl FnMut() -> bool) -> bool {
        let deadline = Instant::now() + within;
        while self.reloaded(deadline.saturating_duration_since(Instant::now())) {
            if done() {
                return true;
            }
        }
        false
    }

    /// Waits for a new generation: the pages must reload.
    fn reloaded(&mut self, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        while let Some(g) = self.next(deadline.saturating_duration_since(Instant::now())) {
            if g != self.generation {
                self.generation = g;
                return true;
            }
        }
        false
    }
}

const NOTE: &str = "content/projects/L-001/notes/first-call.md";
const RECORD: &str = "content/projects/L-001/project.toml";

#[test]
fn a_changed_note_reloads_the_page_with_its_new_content() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    let (status, ctype, body) = get(server.port, "/projects/L-001.html");
    assert_eq!(status, 200);
    assert_eq!(ctype, "text/html; charset=utf-8");
    assert!(
        body.contains("EventSource"),
        "the reload script is injected"
    );
    let mut events = Events::open(server.port);

    let note = repo.read(NOTE).replace("300 chairs", "450 chairs");
    repo.write(NOTE, note);
    assert!(
        events.until(Duration::from_secs(10), || {
            get(server.port, "/projects/L-001.html")
                .2
                .contains("450 chairs")
        }),
        "reloaded with the new content"
    );
}

#[test]
fn a_new_judgement_file_reloads_its_project() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    let page = get(server.port, "/projects/L-001.html").2;
    assert!(!page.contains("Margin is fine."));
    let owed = "L-001.html#stage-quote-lead";
    assert!(get(server.port, "/pending/index.html").2.contains(owed));
    let mut events = Events::open(server.port);
    // The folder and the file are new, as the host's editor makes them.
    repo.write(
        "content/projects/L-001/judgements/Quote.Team lead.md",
        "+++\nby = \"bo\"\n+++\n\n## Judgement\n\nMargin is fine.\n\n## Follow-up\n\nCall Friday.\n",
    );
    assert!(
        events.until(Duration::from_secs(10), || {
            get(server.port, "/projects/L-001.html")
                .2
                .contains("Margin is fine.")
        }),
        "reloaded with the judgement"
    );
    assert!(!get(server.port, "/pending/index.html").2.contains(owed));
}

#[test]
fn an_editors_atomic_save_reloads_and_swap_files_do_not() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    let mut events = Events::open(server.port);
    // vim writes swap files next to the file: nothing to rebuild.
    repo.write("content/projects/L-001/notes/.first-call.md.swp", "swap");
    repo.write("content/projects/L-001/notes/first-call.md~", "backup");
    assert!(
        !events.reloaded(Duration::from_millis(800)),
        "no reload for swap files"
    );
    // Save by writing a temporary file and renaming it over the note.
    let tmp = repo.path().join("content/projects/L-001/notes/.tmp-save");
    std::fs::write(&tmp, repo.read(NOTE).replace("300 chairs", "512 chairs")).unwrap();
    std::fs::rename(&tmp, repo.path().join(NOTE)).unwrap();
    assert!(
        events.until(Duration::from_secs(10), || {
            get(server.port, "/projects/L-001.html")
                .2
                .contains("512 chairs")
        }),
        "reload after rename"
    );
}

#[test]
fn a_broken_record_shows_an_overlay_until_it_is_fixed() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    let mut events = Events::open(server.port);
    let good = repo.read(RECORD);
    repo.write(RECORD, good.replace("amount = 42_000", "amount = \"lots\""));
    let located = "content/projects/L-001/project.toml:7:10";
    assert!(events.until(Duration::from_secs(10), || {
        get(server.port, "/").2.contains(located)
    }));
    for page in ["/", "/projects/L-002.html", "/stages/quote.html"] {
        let (status, _, body) = get(server.port, page);
        assert_eq!(status, 200, "{page} still served");
        assert!(
            body.contains("dealbook-overlay"),
            "{page} shows the overlay"
        );
        assert!(body.contains(located), "{page}: {body}");
    }
    repo.write(RECORD, good);
    assert!(
        events.until(Duration::from_secs(10), || {
            !get(server.port, "/").2.contains("dealbook-overlay")
        }),
        "recovered"
    );
}

#[test]
fn a_new_project_folder_appears_and_a_deleted_one_goes() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    let mut events = Events::open(server.port);
    let record = repo
        .read("content/projects/L-003/project.toml")
        .replace("L-003", "L-004");
    repo.write("content/projects/L-004/project.toml", record);
    let status = |port| get(port, "/projects/L-004.html").0;
    assert!(
        events.until(Duration::from_secs(10), || status(server.port) == 200),
        "the new project is served"
    );
    repo.remove("content/projects/L-004");
    assert!(
        events.until(Duration::from_secs(10), || status(server.port) == 404),
        "the deleted project is gone"
    );
}

#[test]
fn paths_outside_the_site_are_not_found() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    for path in [
        "/../dealbook.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/%2e%2e/%2e%2e/data/team.toml",
        "/..%5c..%5cdealbook.toml",
        "/content/projects/L-001/project.toml",
        "/no-such-page.html",
    ] {
        let (status, ctype, body) = get(server.port, path);
        assert_eq!(status, 404, "{path}");
        assert!(ctype.starts_with("text/html"), "{path}");
        assert!(
            !body.contains("[[people]]") && !body.contains("root:"),
            "{path} leaked a file"
        );
    }
    assert_eq!(
        get(server.port, "/static/style.css").1,
        "text/css; charset=utf-8"
    );
    assert_eq!(get(server.port, "/pipeline.json").1, "application/json");
    assert_eq!(get(server.port, "/projects/").0, 200);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let repo = Repo::fixture("three-stage");
    let first = serve(&repo);
    let out = Command::new(assert_cmd::cargo::cargo_bin("dealbook"))
        .arg("--root")
        .arg(repo.path())
        .args(["--locale", "en", "serve", "--port", &first.port.to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already in use") && err.contains("--port"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let repo = Repo::fixture("three-stage");
    let mut server = serve(&repo);
    assert_eq!(get(server.port, "/").0, 200);
    Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still running after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
}

#[test]
fn requests_for_other_host_names_are_refused() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        s,
        "GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 403"), "{raw}");
}

#[test]
fn a_folder_address_redirects_to_its_index() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        s,
        "GET /projects HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 301"), "{raw}");
    assert!(
        raw.to_ascii_lowercase().contains("location: /projects/"),
        "{raw}"
    );
}

#[test]
fn a_recreated_data_folder_is_still_watched() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    let mut events = Events::open(server.port);
    let team = repo.read("data/team.toml");
    let process = repo.read("data/process.toml");
    repo.remove("data");
    assert!(events.reloaded(Duration::from_secs(10)));
    repo.write("data/process.toml", &process);
    repo.write("data/team.toml", &team);
    let page = |port| get(port, "/projects/L-001.html").2;
    assert!(events.until(Duration::from_secs(10), || {
        page(server.port).contains(">Ana<")
    }));
    repo.write(
        "data/team.toml",
        team.replace("name = \"Ana\"", "name = \"Anabel\""),
    );
    assert!(
        events.until(Duration::from_secs(10), || page(server.port)
            .contains(">Anabel<")),
        "edits in the new folder are seen"
    );
}

/// Sends raw bytes on a new connection and reads what comes back until the
/// server closes it (or 10 s pass): (the whole answer, whether it closed).
fn exchange(port: u16, request: &[u8]) -> (String, bool) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // The server may close before taking everything: that is the point.
    let _ = s.write_all(request);
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let closed = loop {
        match s.read(&mut buf) {
            Ok(0) => break true,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            // A reset after the answer also ends the connection.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break true,
            Err(_) => break false,
        }
    };
    (String::from_utf8_lossy(&raw).into_owned(), closed)
}

/// The resident memory of a process, in KiB (Linux).
#[cfg(target_os = "linux")]
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[test]
fn a_huge_declared_body_is_refused_and_the_server_lives_on() {
    let repo = Repo::fixture("three-stage");
    let mut server = serve(&repo);
    // tiny_http zero-filled the declared body when dropping the request:
    // this one aborted the process.
    let (answer, closed) = exchange(
        server.port,
        b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 999999999999\r\n\r\nabc",
    );
    assert!(answer.starts_with("HTTP/1.1 405"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("allow: get, head"),
        "{answer}"
    );
    assert!(closed, "the connection is closed, the body never read");
    for request in [
        &b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10000000\r\n\r\nabc"[..],
        b"GET / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
    ] {
        let (answer, closed) = exchange(server.port, request);
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(closed);
    }
    assert_eq!(get(server.port, "/").0, 200);
    assert!(server.child.try_wait().unwrap().is_none(), "still running");
}

#[cfg(target_os = "linux")]
#[test]
fn many_declared_bodies_do_not_grow_memory() {
    let repo = Repo::fixture("three-stage");
    let mut server = serve(&repo);
    assert_eq!(get(server.port, "/").0, 200);
    let before = rss_kib(server.child.id());
    // Each declares 10 MB and sends a little of it; tiny_http took the
    // server to about 2 GB with these.
    let held: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            let _ = s.write_all(
                b"POST /x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10000000\r\n\r\n",
            );
            let _ = s.write_all(&[b'x'; 4096]);
            s
        })
        .collect();
    assert_eq!(get(server.port, "/").0, 200);
    let after = rss_kib(server.child.id());
    drop(held);
    assert!(
        after < before + 50 * 1024,
        "memory grew from {before} KiB to {after} KiB"
    );
    assert!(server.child.try_wait().unwrap().is_none(), "still running");
}

#[test]
fn oversized_or_too_many_headers_are_refused() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    let huge = format!(
        "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200_000)
    );
    let (answer, closed) = exchange(server.port, huge.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    assert!(closed);
    let many: String = (0..500).map(|i| format!("X-H{i}: v\r\n")).collect();
    let many = format!("GET / HTTP/1.1\r\nHost: localhost\r\n{many}\r\n");
    let (answer, closed) = exchange(server.port, many.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    assert!(closed);
    assert_eq!(get(server.port, "/").0, 200);
}

#[test]
fn repeated_slashes_never_redirect_to_another_host() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    for (path, to) in [
        ("//projects", "/projects"),
        ("///evil.example/", "/evil.example/"),
        ("/projects//L-001.html", "/projects/L-001.html"),
    ] {
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let (answer, _) = exchange(server.port, request.as_bytes());
        assert!(answer.starts_with("HTTP/1.1 301"), "{path}: {answer}");
        let location = answer
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("location: ")
                    .map(str::to_string)
            })
            .unwrap_or_else(|| panic!("{path}: no Location in {answer}"));
        assert_eq!(location, to.to_ascii_lowercase(), "{path}");
    }
    // Followed, the collapsed address leads to the folder's index.
    let (answer, _) = exchange(
        server.port,
        b"GET /projects HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("location: /projects/\r\n"),
        "{answer}"
    );
}

#[test]
fn a_kept_alive_connection_answers_request_after_request() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut reader = BufReader::new(s.try_clone().unwrap());
    for path in ["/", "/projects/L-001.html", "/static/style.css", "/"] {
        write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{path}: {line}");
        let mut length = 0;
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length: ") {
                length = v.trim().parse().unwrap();
            }
        }
        assert!(length > 0, "{path}");
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
    }
}

#[test]
fn head_answers_without_a_body() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    let (answer, closed) = exchange(
        server.port,
        b"HEAD /projects/L-001.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert!(closed);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(body.is_empty(), "{body}");
    let head = head.to_ascii_lowercase();
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(head.contains("cache-control: no-store"), "{head}");
    assert!(head.contains("x-content-type-options: nosniff"), "{head}");
}

#[test]
fn attachments_are_streamed_while_they_are_files_inside_the_repo() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    let mut events = Events::open(server.port);
    // Larger than one read, not a multiple of it.
    let scan: Vec<u8> = (0..300_001u32).map(|i| (i * 7 % 251) as u8).collect();
    repo.write("content/projects/L-002/forms/scan.pdf", &scan);
    let fetch = |port| {
        let (answer, _) = exchange(
            port,
            b"GET /projects/L-002/forms/scan.pdf HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        );
        answer
    };
    assert!(
        events.until(Duration::from_secs(10), || fetch(server.port)
            .starts_with("HTTP/1.1 200")),
        "the attachment is served"
    );
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        s,
        "GET /projects/L-002/forms/scan.pdf HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let at = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..at]).to_ascii_lowercase();
    assert!(head.contains("content-type: application/pdf"), "{head}");
    assert!(head.contains("content-length: 300001"), "{head}");
    assert!(raw[at + 4..] == scan[..], "the same bytes");
    #[cfg(unix)]
    {
        // Swapped for a link out of the repo: no longer served.
        let outside = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(outside.path(), "secret").unwrap();
        let file = repo.path().join("content/projects/L-002/forms/scan.pdf");
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(outside.path(), &file).unwrap();
        assert!(fetch(server.port).starts_with("HTTP/1.1 404"));
    }
}

/// Saves a file as editors do: a new file renamed over the old one.
fn save(repo: &Repo, rel: &str, text: &str) {
    let file = repo.path().join(rel);
    // Hidden, so not data itself.
    let tmp = file.with_file_name(".saving");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, file).unwrap();
}

#[test]
fn a_record_broken_while_serving_keeps_its_last_good_page() {
    let repo = Repo::fixture("three-stage");
    let server = serve(&repo);
    let mut events = Events::open(server.port);
    let page = |port| get(port, "/projects/L-001.html");
    assert!(page(server.port).2.contains("Office chairs for a school"));
    // Half-typed: the record no longer parses at all. Saved as editors
    // do (a new file renamed over it), so no reload sees it half-written.
    let good = repo.read(RECORD);
    save(
        &repo,
        RECORD,
        &good.replace("amount = 42_000", "amount = 42_"),
    );
    assert!(
        events.until(Duration::from_secs(10), || {
            get(server.port, "/")
                .2
                .contains("content/projects/L-001/project.toml:")
        }),
        "the overlay names the record"
    );
    let (status, _, body) = page(server.port);
    assert_eq!(status, 200, "the page is still served: {body}");
    assert!(
        body.contains("Office chairs for a school"),
        "the last good version"
    );
    assert!(body.contains("dealbook-overlay"), "with the overlay");
    assert!(
        body.contains("content/projects/L-001/project.toml:"),
        "{body}"
    );
    // Fixed, it shows the new text.
    repo.write(
        RECORD,
        good.replace(
            "Office chairs for a school",
            "Office chairs for two schools",
        ),
    );
    assert!(
        events.until(Duration::from_secs(10), || {
            let (status, _, body) = page(server.port);
            status == 200
                && body.contains("Office chairs for two schools")
                && !body.contains("dealbook-overlay")
        }),
        "the fixed record is shown"
    );
    // Broken, then the folder deleted: the page goes.
    save(&repo, RECORD, "name = [");
    assert!(events.until(Duration::from_secs(10), || {
        get(server.port, "/").2.contains("dealbook-overlay")
    }));
    assert_eq!(page(server.port).0, 200);
    repo.remove("content/projects/L-001");
    assert!(
        events.until(Duration::from_secs(10), || page(server.port).0 == 404),
        "the deleted project is gone"
    );
}

/// A server in this process with other limits (too slow to test with the
/// defaults through the binary), stopped when dropped.
struct Limited {
    port: u16,
    stop: Option<Box<dyn Fn()>>,
    run: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Limited {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            stop();
        }
        if let Some(run) = self.run.take() {
            let _ = run.join();
        }
    }
}

fn serve_limited(repo: &Repo, limits: Limits) -> Limited {
    let settings = Settings {
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        debounce: Duration::from_millis(30),
        options: Options {
            today: Some(jiff::civil::date(2026, 11, 26)),
            locale: Some("en".into()),
            cache: true,
        },
        limits,
    };
    let server = Server::start(repo.path(), &settings, |_| {}).unwrap();
    let port = server.addr().port();
    let stop = server.stopper();
    Limited {
        port,
        stop: Some(Box::new(stop)),
        run: Some(std::thread::spawn(move || server.run())),
    }
}

/// Whether the server closes this connection within `within`.
fn closed_within(s: &mut TcpStream, within: Duration) -> bool {
    s.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 256];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e) => {
                return !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                );
            }
        }
    }
}

#[test]
fn clients_that_send_their_head_too_slowly_or_not_at_all_are_dropped() {
    let repo = Repo::fixture("three-stage");
    let server = serve_limited(
        &repo,
        Limits {
            head_timeout: Duration::from_millis(300),
            ..Limits::default()
        },
    );
    let mut idle = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let mut slow = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let dribbler = {
        let mut slow = slow.try_clone().unwrap();
        std::thread::spawn(move || {
            for b in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
                .iter()
                .cycle()
                .take(200)
            {
                if slow.write_all(&[*b]).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    assert!(closed_within(&mut idle, Duration::from_secs(10)), "idle");
    assert!(closed_within(&mut slow, Duration::from_secs(10)), "slow");
    dribbler.join().unwrap();
    assert_eq!(get(server.port, "/").0, 200);
}

#[test]
fn connections_over_the_cap_are_closed_at_once() {
    let repo = Repo::fixture("three-stage");
    let server = serve_limited(
        &repo,
        Limits {
            connections: 3,
            ..Limits::default()
        },
    );
    // Held open: each has been answered once, so the server has taken it.
    let mut held: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            write!(s, "HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
            let mut line = String::new();
            BufReader::new(s.try_clone().unwrap())
                .read_line(&mut line)
                .unwrap();
            assert!(line.starts_with("HTTP/1.1 200"), "{line}");
            s
        })
        .collect();
    let mut over = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let _ = write!(over, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert!(closed_within(&mut over, Duration::from_secs(10)));
    // One goes: there is room again.
    held.pop();
    let start = Instant::now();
    while exchange(
        server.port,
        b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .0
    .is_empty()
    {
        assert!(start.elapsed() < Duration::from_secs(10), "no room again");
        std::thread::sleep(Duration::from_millis(50));
    }
}
