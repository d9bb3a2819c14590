//! The one place the import writes: new records into new folders, never
//! over anything, and changed files through a temporary file renamed over
//! the old one, so a crash leaves either the old file or the new one.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// What became of a new record.
#[derive(Debug, PartialEq, Eq)]
pub enum Created {
    Written,
    /// Something was there already (it appeared after the plan was
    /// made); it was left alone.
    Existed,
}

/// A temporary file beside `target`, hidden (so `dealbook` never reads
/// it as data) and unique to this process.
fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

fn write_temp(target: &Path, text: &str) -> io::Result<PathBuf> {
    let tmp = temp_path(target);
    let mut f = fs::File::create(&tmp)?;
    f.write_all(text.as_bytes())?;
    Ok(tmp)
}

/// Writes new records (code, text) under `projects`, each with
/// [`create`], on up to four threads: making thousands of folders and
/// files is the file system's work, and it goes faster in parallel.
/// `done` is told how many are written so far. The results are in the
/// order of `records`.
pub fn create_many(
    projects: &Path,
    records: &[(&str, &str)],
    done: &(dyn Fn(usize) + Sync),
) -> io::Result<Vec<io::Result<Created>>> {
    fs::create_dir_all(projects)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let chunk = records.len().div_ceil(threads).max(1);
    let count = AtomicUsize::new(0);
    let mut results = Vec::with_capacity(records.len());
    std::thread::scope(|s| {
        let workers: Vec<_> = records
            .chunks(chunk)
            .map(|part| {
                let count = &count;
                s.spawn(move || {
                    part.iter()
                        .map(|(code, text)| {
                            let r = create(projects, code, text);
                            done(count.fetch_add(1, Ordering::Relaxed) + 1);
                            r
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for w in workers {
            match w.join() {
                Ok(part) => results.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    Ok(results)
}

/// Writes `<code>/project.toml` in the existing folder `projects`, never
/// over anything. The project's folder is made with `create_dir`, which
/// fails when it exists (`create_new` semantics for the folder): a folder
/// this call made holds no one else's record, so the record is renamed
/// into it. A folder that was there already (left empty by an
/// interrupted import) gets the record only if it has none: a hard link
/// fails on an existing name; where hard links are not supported, the
/// name is checked first.
pub fn create(projects: &Path, code: &str, text: &str) -> io::Result<Created> {
    let dir = projects.join(code);
    let target = dir.join(crate::load::RECORD);
    match fs::create_dir(&dir) {
        Ok(()) => {
            let tmp = write_temp(&target, text)?;
            return fs::rename(&tmp, &target).map(|()| Created::Written);
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    if fs::symlink_metadata(&target).is_ok() {
        return Ok(Created::Existed);
    }
    let tmp = write_temp(&target, text)?;
    let result = match fs::hard_link(&tmp, &target) {
        Ok(()) => Ok(Created::Written),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(Created::Existed),
        Err(_) if fs::symlink_metadata(&target).is_err() => {
            return fs::rename(&tmp, &target).map(|()| Created::Written);
        }
        Err(e) => Err(e),
    };
    let _ = fs::remove_file(&tmp);
    result
}

/// Replaces a file's content: a temporary file beside it, renamed over.
pub fn replace(target: &Path, text: &str) -> io::Result<()> {
    let tmp = write_temp(target, text)?;
    fs::rename(&tmp, target).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_records_never_replace_one() {
        let dir = tempfile::tempdir().unwrap();
        let projects = dir.path().join("content/projects");
        let records: Vec<(String, String)> = (0..50)
            .map(|i| (format!("P-{i}"), format!("n = {i}\n")))
            .collect();
        let pairs: Vec<(&str, &str)> = records
            .iter()
            .map(|(c, t)| (c.as_str(), t.as_str()))
            .collect();
        let seen = AtomicUsize::new(0);
        let results = create_many(&projects, &pairs, &|n| {
            seen.fetch_max(n, Ordering::Relaxed);
        })
        .unwrap();
        assert!(results.iter().all(|r| matches!(r, Ok(Created::Written))));
        assert_eq!(seen.load(Ordering::Relaxed), 50);
        assert_eq!(
            fs::read_to_string(projects.join("P-7/project.toml")).unwrap(),
            "n = 7\n"
        );

        // A second time: everything is there and stays as it was.
        let again: Vec<(&str, &str)> = pairs.iter().map(|(c, _)| (*c, "other")).collect();
        let results = create_many(&projects, &again, &|_| {}).unwrap();
        assert!(results.iter().all(|r| matches!(r, Ok(Created::Existed))));
        assert_eq!(
            fs::read_to_string(projects.join("P-7/project.toml")).unwrap(),
            "n = 7\n"
        );
        let names: Vec<_> = fs::read_dir(projects.join("P-7"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["project.toml"], "no temporary file is left");
    }

    #[test]
    fn a_folder_left_without_a_record_gets_one() {
        let dir = tempfile::tempdir().unwrap();
        let projects = dir.path().join("content/projects");
        fs::create_dir_all(projects.join("A-2")).unwrap();
        assert_eq!(create(&projects, "A-2", "x").unwrap(), Created::Written);
        assert_eq!(create(&projects, "A-2", "y").unwrap(), Created::Existed);
        assert_eq!(
            fs::read_to_string(projects.join("A-2/project.toml")).unwrap(),
            "x"
        );
    }

    #[test]
    fn replacing_leaves_only_the_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("team.toml");
        fs::write(&f, "old").unwrap();
        replace(&f, "new").unwrap();
        assert_eq!(fs::read_to_string(&f).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
