//! Fixture repos for integration tests, in the style of mdBook's test
//! suite: copy a fixture into a temporary folder, change it, run a command,
//! check the output.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// The date every test checks as of, so staleness and future dates do not
/// drift with the calendar.
pub const TODAY: &str = "2026-11-26";

/// Decodes `%XX` escapes.
pub fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A data repo in a temporary folder.
pub struct Repo {
    dir: TempDir,
}

impl Repo {
    /// Copies `tests/fixtures/<name>`; the bundled `data/process.toml` and
    /// `data/team.toml` fill in what the fixture does not bring.
    pub fn fixture(name: &str) -> Repo {
        let repo = Repo::empty();
        copy_dir(&crate_dir().join("tests/fixtures").join(name), repo.path());
        for file in ["data/process.toml", "data/team.toml"] {
            let target = repo.path().join(file);
            if !target.exists() {
                fs::create_dir_all(target.parent().unwrap()).unwrap();
                fs::copy(crate_dir().join(file), target).unwrap();
            }
        }
        repo
    }

    /// The bundled demo repo (dealbook.toml, data/, content/).
    pub fn demo() -> Repo {
        let repo = Repo::empty();
        fs::copy(
            crate_dir().join("dealbook.toml"),
            repo.path().join("dealbook.toml"),
        )
        .unwrap();
        copy_dir(&crate_dir().join("data"), &repo.path().join("data"));
        copy_dir(&crate_dir().join("content"), &repo.path().join("content"));
        repo
    }

    pub fn empty() -> Repo {
        Repo {
            dir: tempfile::Builder::new()
                .prefix("dealbook-test")
                .tempdir()
                .unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders).
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
        self
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap()
    }

    pub fn remove(&self, rel: &str) -> &Self {
        let path = self.path().join(rel);
        if path.is_dir() {
            fs::remove_dir_all(path).unwrap();
        } else {
            fs::remove_file(path).unwrap();
        }
        self
    }

    /// `dealbook --root <repo> --color never <args>`.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("dealbook").unwrap();
        cmd.arg("--root")
            .arg(self.path())
            .args(["--color", "never"])
            .args(args);
        cmd.env_remove("DEALBOOK_TODAY");
        cmd
    }

    /// Runs `check` as of [`TODAY`] with extra arguments.
    pub fn check(&self, args: &[&str]) -> Run {
        let mut full = vec!["check", "--today", TODAY];
        full.extend_from_slice(args);
        Run::of(self.cmd(&full).output().unwrap())
    }

    /// Every file below the repo with its bytes, to prove nothing changed.
    pub fn snapshot_tree(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        walk(self.path(), &mut out);
        out.sort();
        out
    }
}

/// The result of a command.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn of(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8(o.stdout).unwrap(),
            stderr: String::from_utf8(o.stderr).unwrap(),
        }
    }

    /// Headlines of the human output: `path:line:col: severity[code]`.
    pub fn headlines(&self) -> Vec<String> {
        self.stdout
            .lines()
            .filter(|l| l.contains("]: ") && !l.starts_with(' '))
            .map(|l| l.split("]: ").next().unwrap().to_string() + "]")
            .collect()
    }

    /// Asserts a finding headline is present, like
    /// `content/projects/X/project.toml:8:10: error[wrong-type]`.
    pub fn assert_has(&self, headline: &str) -> &Self {
        assert!(
            self.headlines().iter().any(|h| h == headline),
            "no `{headline}` in:\n{}",
            self.stdout
        );
        self
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let ft = entry.file_type().unwrap();
        if ft.is_dir() {
            walk(&path, out);
        } else if ft.is_file() {
            out.push((path.clone(), fs::read(&path).unwrap()));
        } else {
            out.push((path.clone(), Vec::new()));
        }
    }
}

impl Repo {
    /// `build --out <repo>/public` as of [`TODAY`], with extra arguments.
    pub fn build(&self, args: &[&str]) -> Run {
        let out = self.path().join("public");
        let mut full = vec!["build", "--today", TODAY, "--out", out.to_str().unwrap()];
        full.extend_from_slice(args);
        Run::of(self.cmd(&full).output().unwrap())
    }

    /// Every file of the built site with its bytes, by relative path.
    pub fn site(&self) -> Vec<(String, Vec<u8>)> {
        let root = self.path().join("public");
        let mut files = Vec::new();
        walk(&root, &mut files);
        let mut out: Vec<(String, Vec<u8>)> = files
            .into_iter()
            .map(|(p, b)| {
                (
                    p.strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                    b,
                )
            })
            .collect();
        out.sort();
        out
    }

    /// Asserts that this repo's built site and `other`'s are the same to
    /// the byte.
    pub fn assert_same_site(&self, other: &Repo) {
        let (a, b) = (self.site(), other.site());
        assert_eq!(a.len(), b.len());
        for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
            assert_eq!(pa, pb);
            assert!(ba == bb, "{pa} differs between builds");
        }
    }

    pub fn page(&self, rel: &str) -> String {
        self.read(&format!("public/{rel}"))
    }
}
