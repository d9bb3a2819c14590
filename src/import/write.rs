//! The one place the import writes: new records into new folders, never
//! over anything, and changed files through a temporary file renamed over
//! the old one, so a crash leaves either the old file or the new one.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

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

/// Writes `content/projects/<code>/project.toml` under `projects`. The
/// folder is made if it is not there; the record is linked into place
/// only if no record is there (`create_new` semantics: a hard link fails
/// on an existing name; where hard links are not supported, the name is
/// checked first and the file renamed in).
pub fn create(projects: &Path, code: &str, text: &str) -> io::Result<Created> {
    fs::create_dir_all(projects)?;
    let dir = projects.join(code);
    match fs::create_dir(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let target = dir.join(crate::load::RECORD);
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
    fn a_new_record_never_replaces_one() {
        let dir = tempfile::tempdir().unwrap();
        let projects = dir.path().join("content/projects");
        assert_eq!(create(&projects, "A-1", "one").unwrap(), Created::Written);
        assert_eq!(create(&projects, "A-1", "two").unwrap(), Created::Existed);
        let record = projects.join("A-1/project.toml");
        assert_eq!(fs::read_to_string(&record).unwrap(), "one");
        let names: Vec<_> = fs::read_dir(projects.join("A-1"))
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
