//! Reading and writing meeting files: clear errors on load, atomic saves.
//!
//! A save writes a temporary file in the same folder, fsyncs it, renames it
//! over the meeting file and fsyncs the folder (`atomic-write-file`), so the
//! file on disk is always one complete, valid document.

mod draft;
mod error;

pub use draft::{Draft, draft_path, load_draft, remove_draft, save_draft};
pub use error::LoadError;

use crate::model::{FORMAT_VERSION, Meeting};
use atomic_write_file::AtomicWriteFile;
use serde::Deserialize;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Reads a meeting file; never writes to it.
pub fn load(path: &Path) -> Result<Meeting, LoadError> {
    let fail = |problem| LoadError {
        path: path.to_path_buf(),
        problem,
    };
    if path.is_dir() {
        return Err(fail(error::Problem::IsDirectory));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(error::Problem::Io(e)))?;
    parse(&bytes).map_err(fail)
}

/// Parses the bytes of a meeting file. The version is checked before the
/// rest is read, so a newer file is refused as a whole, never half-read.
pub fn parse(bytes: &[u8]) -> Result<Meeting, error::Problem> {
    use error::Problem;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Problem::Empty);
    }
    #[derive(Deserialize)]
    struct VersionOnly {
        format_version: Option<serde_json::Value>,
    }
    let probe: VersionOnly = serde_json::from_slice(bytes).map_err(Problem::from_json)?;
    match probe.format_version {
        None => return Err(Problem::NoVersion),
        Some(v) => match v.as_u64() {
            Some(found) if found > u64::from(FORMAT_VERSION) => {
                return Err(Problem::NewerVersion { found });
            }
            Some(found) if found >= 1 => {}
            _ => return Err(Problem::BadVersion(v.to_string())),
        },
    }
    serde_json::from_slice(bytes).map_err(Problem::from_json)
}

/// Replaces the meeting file atomically; the file is readable by its owner only.
pub fn save(path: &Path, meeting: &Meeting) -> io::Result<()> {
    write_atomically(path, |out| {
        serde_json::to_writer_pretty(&mut *out, meeting).map_err(io::Error::other)?;
        out.write_all(b"\n")
    })
}

/// The temp-file, fsync, rename, fsync-folder sequence shared by every file we write.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<&mut std::fs::File>) -> io::Result<()>,
) -> io::Result<()> {
    let mut file = AtomicWriteFile::open(path)?;
    owner_only(file.as_file())?;
    {
        let mut out = BufWriter::new(file.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    file.commit()
}

#[cfg(unix)]
fn owner_only(file: &std::fs::File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn owner_only(_file: &std::fs::File) -> io::Result<()> {
    Ok(())
}

/// Where `minutes` keeps meetings when no file is named.
pub fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "minutes").map(|d| d.data_dir().to_path_buf())
}

/// A fresh file name in `dir` for a meeting starting at `stamp`
/// (e.g. `2024-09-26-1400.json`), never one that exists.
pub fn new_meeting_path(dir: &Path, stamp: &str) -> PathBuf {
    let mut candidate = dir.join(format!("{stamp}.json"));
    let mut n = 2;
    while candidate.exists() {
        candidate = dir.join(format!("{stamp}-{n}.json"));
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    #[test]
    fn save_then_load_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let mut meeting = Meeting::new("WG", Tz::UTC);
        meeting.add_participant("Chris Buckridge");
        save(&path, &meeting).unwrap();
        assert_eq!(load(&path).unwrap(), meeting);
    }

    #[cfg(unix)]
    #[test]
    fn saved_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        save(&path, &Meeting::new("WG", Tz::UTC)).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    fn problem(bytes: &str) -> String {
        parse(bytes.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn explains_what_is_wrong() {
        assert_eq!(problem(""), "the file is empty");
        assert!(problem("{\"format_version\": 1,").starts_with("not valid JSON at line 1, column"));
        assert_eq!(
            problem("{\"format_version\": 7}"),
            "it was written in format version 7 by a newer minutes; this one reads up to version 1. Upgrade minutes to open it"
        );
        assert_eq!(
            problem("{\"title\": \"x\"}"),
            "it has no format_version: it is not a minutes meeting file"
        );
        let wrong_type = problem("{\"format_version\": 1, \"title\": 5, \"time_zone\": \"UTC\"}");
        assert!(
            wrong_type.starts_with("invalid meeting data at line 1, column"),
            "{wrong_type}"
        );
        assert!(wrong_type.contains("expected a string"), "{wrong_type}");
    }

    #[test]
    fn names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.json");
        let err = load(&missing).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{}: ", missing.display())),
            "{err}"
        );
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.ends_with("is a folder, not a meeting file"), "{err}");
    }

    #[test]
    fn new_paths_never_clash() {
        let dir = tempfile::tempdir().unwrap();
        let first = new_meeting_path(dir.path(), "2024-09-26-1400");
        std::fs::write(&first, "x").unwrap();
        let second = new_meeting_path(dir.path(), "2024-09-26-1400");
        assert_ne!(first, second);
        assert!(second.ends_with("2024-09-26-1400-2.json"));
    }
}
