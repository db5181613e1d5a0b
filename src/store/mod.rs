//! Reading and writing meeting files: clear errors on load, a journal for
//! every committed change, atomic snapshots.
//!
//! A meeting is `FILE` (the snapshot, always one complete, valid JSON
//! document: written to a temporary file, fsynced, renamed over, folder
//! fsynced, by `atomic-write-file`) plus `FILE.journal` (changes since the
//! snapshot, one fdatasync'ed line each). Opening replays the journal and
//! folds it into the snapshot. `FILE.lock` keeps a second writer out.

mod draft;
mod error;
mod files;
mod journal;
mod lock;
pub mod output;

pub use draft::{
    Draft, DraftWriter, draft_path, load_draft, remove_draft, save_draft, write as write_draft,
};
pub use error::{FileError, Problem};
pub use files::{create_private_dir_all, read_text_file};

/// The largest text file the app reads on its own: a template, an agenda,
/// a roster, the config, a theme (real ones are a few kilobytes).
pub const TEXT_FILE_LIMIT: u64 = 8 << 20;
pub use journal::{Record, Replay, journal_path};
pub use lock::lock_path;

use crate::model::{FORMAT_VERSION, MAX_NOTE_ID, Meeting};
use atomic_write_file::AtomicWriteFile;
use serde::Deserialize;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Reads a meeting (snapshot and journal); never writes to either.
pub fn load(path: &Path) -> Result<Meeting, FileError> {
    load_with_replay(path).map(|(meeting, _)| meeting)
}

/// Like [`load`], also telling what the journal held.
pub fn load_with_replay(path: &Path) -> Result<(Meeting, Replay), FileError> {
    parse_files(path, &read_files(path)?)
}

/// A meeting's two files as read, not parsed yet.
pub struct MeetingFiles {
    pub snapshot: Vec<u8>,
    /// Empty when there is no journal.
    pub journal: Vec<u8>,
}

/// Reads a meeting's snapshot and journal; an error names the file.
pub fn read_files(path: &Path) -> Result<MeetingFiles, FileError> {
    if path.is_dir() {
        return Err(FileError {
            path: path.to_path_buf(),
            problem: Problem::IsDirectory,
        });
    }
    // The meeting may be a link the user made; its journal may not. The
    // journal of a link is its target's: every name of a meeting reads
    // the same meeting.
    let real = files::real_path(path).map_err(|e| FileError {
        path: path.to_path_buf(),
        problem: Problem::Io(e),
    })?;
    let read = |path: &Path, is_side_file: bool| match files::read_regular(path, !is_side_file) {
        Err(e) if is_side_file && e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        read => read.map_err(|e| FileError {
            path: path.to_path_buf(),
            problem: Problem::Io(e),
        }),
    };
    Ok(MeetingFiles {
        snapshot: read(path, false)?,
        journal: read(&journal_path(&real), true)?,
    })
}

/// The meeting in `files`, as read from `path` by [`read_files`], with
/// its journal replayed.
pub fn parse_files(path: &Path, files: &MeetingFiles) -> Result<(Meeting, Replay), FileError> {
    let mut meeting = parse(&files.snapshot).map_err(|problem| FileError {
        path: path.to_path_buf(),
        problem,
    })?;
    let (records, replay) =
        journal::parse(&files.journal).map_err(|(line, problem)| FileError {
            path: journal_path(path),
            problem: Problem::Journal {
                line,
                problem: Box::new(problem),
            },
        })?;
    for record in records {
        record.apply(&mut meeting);
    }
    // An older version's file is read as this version's: every field it
    // can hold, this one holds too; it is written back in this version.
    meeting.format_version = FORMAT_VERSION;
    Ok((meeting, replay))
}

/// Compact the journal into the snapshot once it holds this many records.
const COMPACT_AFTER: usize = 10_000;

/// An open meeting: holds the lock and appends to the journal.
#[derive(Debug)]
pub struct Store {
    /// The meeting file (a symlink's target, so that two names for one
    /// meeting share one lock and one journal).
    path: PathBuf,
    journal: File,
    journal_records: usize,
    /// The snapshot as last written by us, to notice another program
    /// replacing or removing it.
    snapshot_id: Option<(u64, u64)>,
    _lock: lock::Lock,
    /// Test seam: while set, every write fails as a full disk would.
    fail_writes: Option<Arc<AtomicBool>>,
}

impl Store {
    /// Locks the meeting, reads it with its journal, and folds the journal
    /// into the snapshot. A file that cannot be read is left untouched, and
    /// nothing is created beside a path that is no meeting file.
    pub fn open(path: &Path) -> Result<(Store, Meeting, Replay), FileError> {
        let error = |path: &Path, problem| FileError {
            path: path.to_path_buf(),
            problem,
        };
        let path = files::real_path(path).map_err(|e| error(path, Problem::Io(e)))?;
        let path = path.as_path();
        let metadata = std::fs::metadata(path).map_err(|e| error(path, Problem::Io(e)))?;
        if metadata.is_dir() {
            return Err(error(path, Problem::IsDirectory));
        }
        if !metadata.is_file() {
            return Err(error(path, Problem::NotRegular));
        }
        if !files::owner_can_write(&metadata) {
            return Err(error(path, Problem::ReadOnly));
        }
        let names = files::link_count(&metadata);
        if names > 1 {
            return Err(error(path, Problem::HardLinked { names }));
        }
        let held = lock::acquire(path).map_err(|(path, problem)| FileError { path, problem })?;
        let (meeting, replay) = load_with_replay(path)?;
        let journal =
            open_journal(path).map_err(|e| error(&journal_path(path), Problem::Write(e)))?;
        let mut store = Store {
            path: path.to_path_buf(),
            journal,
            journal_records: replay.records,
            snapshot_id: output::identity(path),
            _lock: held,
            fail_writes: None,
        };
        if replay.records > 0 || replay.torn_tail {
            store
                .compact(&meeting)
                .map_err(|e| error(path, Problem::Write(e)))?;
        }
        Ok((store, meeting, replay))
    }

    /// Writes a new meeting file (never over an existing one, nor a link)
    /// and opens it.
    pub fn create(path: &Path, meeting: &Meeting) -> Result<Store, FileError> {
        refuse_existing(path)?;
        let held = lock::acquire(path).map_err(|(path, problem)| FileError { path, problem })?;
        let failed = |path: PathBuf| {
            move |e| FileError {
                path,
                problem: Problem::Write(e),
            }
        };
        save(path, meeting).map_err(failed(path.to_path_buf()))?;
        let journal = open_journal(path).map_err(failed(journal_path(path)))?;
        // An old journal of a deleted meeting of the same name must not replay.
        journal.set_len(0).map_err(failed(journal_path(path)))?;
        Ok(Store {
            path: path.to_path_buf(),
            journal,
            journal_records: 0,
            snapshot_id: output::identity(path),
            _lock: held,
            fail_writes: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes writes fail while `switch` is on (for tests of disk faults).
    pub fn fail_writes_when(&mut self, switch: Arc<AtomicBool>) {
        self.fail_writes = Some(switch);
    }

    fn check_fault(&self) -> io::Result<()> {
        match &self.fail_writes {
            Some(switch) if switch.load(Ordering::SeqCst) => Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "no space left on device (simulated)",
            )),
            _ => Ok(()),
        }
    }

    /// Appends records and makes them durable (one write, one fdatasync).
    pub fn append(&mut self, records: &[Record]) -> io::Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        self.check_fault()?;
        let mut buf = Vec::with_capacity(256 * records.len());
        for record in records {
            serde_json::to_writer(&mut buf, record).map_err(io::Error::other)?;
            buf.push(b'\n');
        }
        self.journal.write_all(&buf)?;
        self.journal.sync_data()?;
        ensure_still_linked(&self.journal)?;
        self.journal_records += records.len();
        Ok(())
    }

    /// Whether another program replaced or removed the meeting file or its
    /// journal (a sync tool renames its copy over; a person deletes it):
    /// appends to a journal no longer at its path would be lost to the next
    /// open. [`Store::compact`] then writes the meeting back whole.
    pub fn check_files(&self) -> Option<PathBuf> {
        let journal = journal_path(&self.path);
        let ours = self.journal.metadata().ok().map(|m| output::file_id(&m));
        if ours.is_none() || ours != side_identity(&journal) {
            return Some(journal);
        }
        if self.snapshot_id.is_none() || self.snapshot_id != side_identity(&self.path) {
            return Some(self.path.clone());
        }
        None
    }

    /// Removes temporary snapshots a kill left beside the meeting (under
    /// the lock, so none is in use). At close, not at open: it reads the
    /// whole folder, which the first frame need not wait for.
    pub fn remove_stale_temporaries(&self) {
        files::remove_stale_temporaries(&self.path);
    }

    /// At a clean close, after [`Store::compact`]: the empty journal goes,
    /// so the folder holds the meeting file and nothing else.
    pub fn remove_empty_journal(&self) -> io::Result<()> {
        if self.journal_records == 0 && self.journal.metadata()?.len() == 0 {
            match std::fs::remove_file(journal_path(&self.path)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }

    /// A meeting made this session and left as it was made: the file and
    /// everything beside it go (see `Session::discard_if_untouched`).
    pub fn discard(self) -> io::Result<()> {
        for path in [
            journal_path(&self.path),
            draft_path(&self.path),
            self.path.clone(),
        ] {
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether the journal has grown enough to fold into the snapshot.
    pub fn wants_compaction(&self) -> bool {
        self.journal_records >= COMPACT_AFTER
    }

    /// Writes the whole meeting as the new snapshot, then empties the journal.
    /// Also the way back after a failed append: whatever half-line a failed
    /// write left in the journal goes with it. A meeting file or journal
    /// that another program put in place of ours is set aside first
    /// (returned), never written over.
    pub fn compact(&mut self, meeting: &Meeting) -> io::Result<Vec<PathBuf>> {
        self.check_fault()?;
        let mut set_aside = Vec::new();
        if side_identity(&self.path).is_some_and(|id| Some(id) != self.snapshot_id) {
            set_aside.push(keep_aside(&self.path)?);
        }
        save(&self.path, meeting)?;
        self.snapshot_id = output::identity(&self.path);
        let journal = journal_path(&self.path);
        let ours = self.journal.metadata().ok().map(|m| output::file_id(&m));
        if ours.is_none() || ours != side_identity(&journal) {
            if side_identity(&journal).is_some() {
                set_aside.push(keep_aside(&journal)?);
            }
            self.journal = open_journal(&self.path)?;
        }
        self.journal.set_len(0)?;
        self.journal.sync_all()?;
        self.journal_records = 0;
        Ok(set_aside)
    }
}

/// A new meeting never goes where anything is, not even a dangling link.
pub fn refuse_existing(path: &Path) -> Result<(), FileError> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(FileError {
            path: path.to_path_buf(),
            problem: Problem::AlreadyExists,
        });
    }
    Ok(())
}

/// The identity of what is at `path` itself (a symlink is not followed).
fn side_identity(path: &Path) -> Option<(u64, u64)> {
    std::fs::symlink_metadata(path)
        .ok()
        .map(|m| output::file_id(&m))
}

/// Renames another program's file out of our way, to `NAME.replaced-STAMP`.
fn keep_aside(path: &Path) -> io::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".replaced-{stamp}"));
    let aside = PathBuf::from(name);
    std::fs::rename(path, &aside)?;
    Ok(aside)
}

fn open_journal(meeting: &Path) -> io::Result<File> {
    let path = journal_path(meeting);
    let new = std::fs::symlink_metadata(&path).is_err();
    let file = files::open_side_file(&path, true)?;
    // A new journal's name must survive a crash too (an existing one's
    // already does).
    if new {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        File::open(dir)?.sync_all()?;
    }
    Ok(file)
}

/// Writes to a file whose folder was removed succeed and vanish: refuse them.
#[cfg(unix)]
fn ensure_still_linked(file: &File) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    if file.metadata()?.nlink() == 0 {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            "the meeting's file or folder was removed",
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn ensure_still_linked(_file: &File) -> io::Result<()> {
    Ok(())
}

/// Parses the bytes of a meeting file. The version is checked before the
/// rest is read, so a newer file is refused as a whole, never half-read.
pub fn parse(bytes: &[u8]) -> Result<Meeting, error::Problem> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Problem::Empty);
    }
    // One pass in the common case; the version is still checked before
    // anything read is used, and a failed read asks the version first so
    // that a newer file is reported as such rather than as bad data.
    // UTF-8 checked once for the whole file, so that serde_json need not
    // check every string (a fifth of the parse); bad UTF-8 goes the slow
    // way, for an error that says where.
    let read = match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str::<Meeting>(text),
        Err(_) => serde_json::from_slice::<Meeting>(bytes),
    };
    match read {
        Ok(meeting) => {
            check_version(Some(serde_json::Value::from(meeting.format_version)))?;
            if let Some(note) = meeting.notes.iter().find(|n| n.id > MAX_NOTE_ID) {
                return Err(Problem::NoteIdTooLarge { id: note.id });
            }
            Ok(meeting)
        }
        Err(e) => {
            // A chat log or a prep file given where a meeting goes: the
            // error names the command that reads it.
            if let Some(kind) = error::wrong_kind(bytes) {
                return Err(kind);
            }
            #[derive(Deserialize)]
            struct VersionOnly {
                format_version: Option<serde_json::Value>,
            }
            let probe: VersionOnly = serde_json::from_slice(bytes).map_err(Problem::from_json)?;
            check_version(probe.format_version)?;
            Err(Problem::from_json(e))
        }
    }
}

fn check_version(version: Option<serde_json::Value>) -> Result<(), Problem> {
    let Some(v) = version else {
        return Err(Problem::NoVersion);
    };
    match v.as_u64() {
        Some(found) if found > u64::from(FORMAT_VERSION) => Err(Problem::NewerVersion { found }),
        Some(found) if found >= 1 => Ok(()),
        _ => Err(Problem::BadVersion(v.to_string())),
    }
}

/// Replaces the meeting file atomically; the file is readable by its owner only.
pub fn save(path: &Path, meeting: &Meeting) -> io::Result<()> {
    write_atomically(path, |out| write_meeting(out, meeting))
}

/// The meeting as its file holds it.
pub fn write_meeting(out: &mut dyn Write, meeting: &Meeting) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, meeting).map_err(io::Error::other)?;
    out.write_all(b"\n")
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

/// The meeting file in `dir` written last (its journal counts): the one
/// to resume when no file is named.
pub fn latest_meeting(dir: &Path) -> Option<PathBuf> {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    meeting_files(dir)
        .ok()?
        .into_iter()
        .max_by_key(|p| modified(p).max(modified(&journal_path(p))))
}

/// The meeting files (`*.json`) in `dir`, in name order.
pub fn meeting_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        // Not only regular files: a FIFO or a broken link named *.json is
        // reported by whoever reads it, not skipped without a word.
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.is_dir())
        .collect();
    paths.sort();
    Ok(paths)
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
            "it was written in format version 7 by a newer minutes; this one reads up to version 6. Upgrade minutes to open it"
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
    fn the_latest_meeting_is_the_one_written_last() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(latest_meeting(dir.path()), None);
        let old = dir.path().join("2024-09-26-1400.json");
        let new = dir.path().join("2024-10-17-1900.json");
        save(&old, &Meeting::new("WG", Tz::UTC)).unwrap();
        save(&new, &Meeting::new("WG", Tz::UTC)).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a meeting").unwrap();
        let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(an_hour_ago)
            .unwrap();
        assert_eq!(latest_meeting(dir.path()), Some(new.clone()));
        // A journal written now makes the older meeting the current one.
        std::fs::write(journal_path(&old), "").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&new)
            .unwrap()
            .set_modified(an_hour_ago)
            .unwrap();
        assert_eq!(latest_meeting(dir.path()), Some(old));
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
