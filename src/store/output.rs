//! Files the user names as output (a report, a copy of the meeting): one
//! careful path for all of them.
//!
//! - Never the meeting or one of its side files, compared by identity
//!   (device and inode, or the canonical path of a file not there yet),
//!   not by spelling: `./m.json`, `sub/../m.json`, a symlink or a hard
//!   link to it are all refused by name.
//! - A new or regular file is replaced atomically (a temporary file beside
//!   it, renamed over); a replaced file keeps its permissions, a new one is
//!   readable by its owner only.
//! - A symlink's target is written; the link stays.
//! - FIFOs, terminals and other devices are written in place, never
//!   renamed over or truncated (`-o /dev/null` as root must not replace the
//!   machine's /dev/null with a file).
//! - A folder is refused.
//! - Never another meeting's side file (`X.journal`, `X.lock`, `X.draft`
//!   beside a file `X`), nor, unless asked ([`Clobber::Meetings`]),
//!   another meeting file: `export -o other.json` must not replace a
//!   meeting, perhaps one open in another `minutes`.

use super::{draft_path, journal_path, lock_path};
use std::fs::{self, File, Metadata};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Why an output file was not written.
#[derive(Debug)]
pub enum OutputError<E> {
    /// The path is the meeting itself, or one of its side files.
    IsMeetingFile {
        path: PathBuf,
        what: &'static str,
    },
    /// Another meeting's file: its side file, or a meeting file itself.
    IsOtherMeeting {
        path: PathBuf,
        what: &'static str,
        /// `--force` would write it (a meeting file, never a side file).
        forceable: bool,
    },
    IsFolder(PathBuf),
    Io(PathBuf, io::Error),
    /// What the writer itself failed with (a template error, say).
    Writer(E),
}

impl<E: std::fmt::Display> std::fmt::Display for OutputError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::IsMeetingFile { path, what } => write!(
                f,
                "{}: refusing to write over {what}; name another file",
                path.display()
            ),
            OutputError::IsOtherMeeting {
                path,
                what,
                forceable,
            } => {
                write!(
                    f,
                    "{}: is {what}; minutes never writes over it: name another file",
                    path.display()
                )?;
                if *forceable {
                    f.write_str(" (or add --force to replace that meeting)")?;
                }
                Ok(())
            }
            OutputError::IsFolder(path) => {
                write!(f, "{}: is a folder; name a file in it", path.display())
            }
            OutputError::Io(path, e) => write!(f, "{}: cannot write it: {e}", path.display()),
            OutputError::Writer(e) => write!(f, "{e}"),
        }
    }
}

/// Whether the written file must be on the disk before returning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// Flushed and its folder synced (a copy of the meeting).
    Synced,
    /// Left to the OS (a report, which can be made again at any time).
    Cached,
}

/// Whether a meeting file found at the output path may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clobber {
    /// Refused: the path holds a meeting (the default).
    NoMeetings,
    /// `--force`: the user means to replace that meeting file.
    Meetings,
}

/// What `path` turned out to be.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A regular file, or nothing yet: replaced atomically.
    Replace(PathBuf),
    /// A FIFO, a terminal or another device: written as it is.
    InPlace(PathBuf),
}

/// Writes what `write` produces to `out`, following the rules above.
/// `meeting` is the meeting the output comes from (if any): neither it
/// nor its journal, draft or lock may be written over.
pub fn write_output<E>(
    out: &Path,
    meeting: Option<&Path>,
    durability: Durability,
    clobber: Clobber,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), OutputError<E>>
where
    E: From<io::Error>,
{
    let target = resolve(out)?;
    let real = match &target {
        Target::Replace(p) | Target::InPlace(p) => p.as_path(),
    };
    if let Some(meeting) = meeting
        && let Some(what) = clashes_with_meeting(real, meeting)
    {
        return Err(OutputError::IsMeetingFile {
            path: out.to_path_buf(),
            what,
        });
    }
    if let Some(what) = side_file_of_a_meeting(real) {
        return Err(OutputError::IsOtherMeeting {
            path: out.to_path_buf(),
            what,
            forceable: false,
        });
    }
    if clobber == Clobber::NoMeetings
        && matches!(target, Target::Replace(_))
        && is_meeting_file(real)
    {
        return Err(OutputError::IsOtherMeeting {
            path: out.to_path_buf(),
            what: "a meeting file",
            forceable: true,
        });
    }
    let io_error = |e| OutputError::Io(out.to_path_buf(), e);
    match target {
        Target::InPlace(path) => {
            let file = File::options().write(true).open(&path).map_err(io_error)?;
            let mut writer = BufWriter::new(file);
            write(&mut writer).map_err(OutputError::Writer)?;
            writer.flush().map_err(io_error)
        }
        Target::Replace(path) => replace(&path, durability, write).map_err(|e| match e {
            Replaced::Io(e) => io_error(e),
            Replaced::Writer(e) => OutputError::Writer(e),
        }),
    }
}

enum Replaced<E> {
    Io(io::Error),
    Writer(E),
}

fn replace<E>(
    path: &Path,
    durability: Durability,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), Replaced<E>> {
    let existing_mode = fs::metadata(path).ok().map(|m| m.permissions());
    match durability {
        Durability::Synced => {
            let mut file = atomic_write_file::AtomicWriteFile::open(path).map_err(Replaced::Io)?;
            if existing_mode.is_none() {
                super::owner_only(file.as_file()).map_err(Replaced::Io)?;
            }
            {
                let mut writer = BufWriter::new(file.as_file_mut());
                write(&mut writer).map_err(Replaced::Writer)?;
                writer.flush().map_err(Replaced::Io)?;
            }
            file.commit().map_err(Replaced::Io)
        }
        Durability::Cached => {
            let folder = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            remove_abandoned_outputs(folder);
            // Created beside `path` (so the rename is atomic), owner only,
            // and locked while it is written: one that no process holds
            // was left by a killed export.
            let mut file = tempfile::Builder::new()
                .prefix(TEMPORARY_PREFIX)
                .tempfile_in(folder)
                .map_err(|e| Replaced::Io(without_temporary_path(e)))?;
            file.as_file()
                .try_lock()
                .map_err(|e| Replaced::Io(e.into()))?;
            {
                let mut writer = BufWriter::new(file.as_file_mut());
                write(&mut writer).map_err(Replaced::Writer)?;
                writer.flush().map_err(Replaced::Io)?;
            }
            if let Some(permissions) = existing_mode {
                file.as_file()
                    .set_permissions(permissions)
                    .map_err(Replaced::Io)?;
            }
            file.persist(path).map_err(|e| Replaced::Io(e.error))?;
            Ok(())
        }
    }
}

/// The name of a report's temporary file, beside the report.
const TEMPORARY_PREFIX: &str = ".minutes-output-";

/// Removes the temporary files of exports that were killed (no process
/// holds their lock), so that a runaway export stopped by a kill does
/// not leave hundreds of megabytes behind. Only our own names, only
/// regular files, never through a link.
fn remove_abandoned_outputs(folder: &Path) {
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(TEMPORARY_PREFIX) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = super::files::open_side_file_to_check(&path) else {
            continue;
        };
        if file.try_lock().is_ok() {
            let _ = fs::remove_file(&path);
        }
    }
}

/// tempfile's errors end in the temporary file's path, which the user
/// never asked for; callers name the output. Keeps what went wrong.
fn without_temporary_path(error: io::Error) -> io::Error {
    let message = error.to_string();
    match message.rsplit_once(" at path ") {
        Some((cause, _)) => io::Error::new(error.kind(), cause.to_string()),
        None => error,
    }
}

/// What `out` is, through any symlinks.
fn resolve<E>(out: &Path) -> Result<Target, OutputError<E>> {
    let mut path = out.to_path_buf();
    // As the kernel does, give up on a loop of links.
    for _ in 0..40 {
        let metadata = match fs::symlink_metadata(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::Replace(path)),
            Err(e) => return Err(OutputError::Io(out.to_path_buf(), e)),
            Ok(m) => m,
        };
        let kind = metadata.file_type();
        if kind.is_symlink() {
            let link = fs::read_link(&path).map_err(|e| OutputError::Io(out.to_path_buf(), e))?;
            path = match path.parent() {
                Some(dir) => dir.join(link),
                None => link,
            };
        } else if kind.is_dir() {
            return Err(OutputError::IsFolder(out.to_path_buf()));
        } else if kind.is_file() {
            return Ok(Target::Replace(path));
        } else {
            return Ok(Target::InPlace(path));
        }
    }
    Err(OutputError::Io(
        out.to_path_buf(),
        io::Error::other("too many levels of symbolic links"),
    ))
}

/// Whether `path` is a journal, lock or draft beside a file of the
/// name it extends (`m.json.lock` beside `m.json`): another meeting's
/// side file, which a report must never replace (a lock replaced lets a
/// second writer in; a journal replaced loses notes).
fn side_file_of_a_meeting(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    [
        (".journal", "a meeting's journal"),
        (".lock", "a meeting's lock"),
        (".draft", "a meeting's draft"),
    ]
    .into_iter()
    .find_map(|(suffix, what)| {
        let meeting = name.strip_suffix(suffix)?;
        let beside = path.with_file_name(meeting);
        (!meeting.is_empty() && fs::metadata(beside).is_ok_and(|m| m.is_file())).then_some(what)
    })
}

/// Whether the regular file at `path` reads as a meeting: a JSON object
/// with a format version, a title and a zone. Read as a stream, and only
/// for a file that starts like JSON, so a large report costs one read of
/// its first bytes.
fn is_meeting_file(path: &Path) -> bool {
    use std::io::{BufRead, BufReader};
    #[derive(serde::Deserialize)]
    struct Signature {
        #[allow(dead_code)]
        format_version: u32,
        #[allow(dead_code)]
        title: String,
        #[allow(dead_code)]
        time_zone: String,
    }
    let Ok(file) = super::files::open_regular(path) else {
        return false;
    };
    let mut reader = BufReader::new(file);
    let starts_like_json = reader.fill_buf().is_ok_and(|head| {
        head.iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'{')
    });
    starts_like_json && serde_json::from_reader::<_, Signature>(reader).is_ok()
}

/// Which of the meeting's files `path` is, if any. The meeting may be
/// named through a symlink: its side files are its target's.
fn clashes_with_meeting(path: &Path, meeting: &Path) -> Option<&'static str> {
    let real = super::files::real_path(meeting).unwrap_or_else(|_| meeting.to_path_buf());
    let meeting = real.as_path();
    let ours = [
        (meeting.to_path_buf(), "the meeting file"),
        (journal_path(meeting), "the meeting's journal"),
        (draft_path(meeting), "the meeting's draft"),
        (lock_path(meeting), "the meeting's lock"),
    ];
    let target = identity(path);
    let target_name = canonical_name(path);
    ours.into_iter().find_map(|(side, what)| {
        let same_file = target.is_some() && target == identity(&side);
        let same_name = target_name.is_some() && target_name == canonical_name(&side);
        (same_file || same_name).then_some(what)
    })
}

/// Device and inode, through symlinks: a hard link has the same.
pub(crate) fn identity(path: &Path) -> Option<(u64, u64)> {
    fs::metadata(path).ok().map(|m| file_id(&m))
}

#[cfg(unix)]
pub(crate) fn file_id(metadata: &Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (metadata.dev(), metadata.ino())
}

#[cfg(not(unix))]
pub(crate) fn file_id(_metadata: &Metadata) -> (u64, u64) {
    (0, 0)
}

/// The path with its folder made canonical, for a file that may not exist
/// yet: `./m.json`, `$PWD/m.json` and `sub/../m.json` are one name.
pub(crate) fn canonical_name(path: &Path) -> Option<PathBuf> {
    if let Ok(full) = fs::canonicalize(path) {
        return Some(full);
    }
    let name = path.file_name()?;
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Some(fs::canonicalize(folder).ok()?.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_text(out: &Path, meeting: Option<&Path>, text: &str) -> Result<(), String> {
        write_output(out, meeting, Durability::Cached, Clobber::NoMeetings, |w| {
            w.write_all(text.as_bytes())
        })
        .map_err(|e: OutputError<io::Error>| e.to_string())
    }

    #[test]
    fn the_meeting_and_its_side_files_are_refused_however_spelt() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.json");
        fs::write(&meeting, "{}").unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&meeting, &link).unwrap();
        let hard = dir.path().join("hard.md");
        fs::hard_link(&meeting, &hard).unwrap();
        for (out, what) in [
            (meeting.clone(), "the meeting file"),
            (dir.path().join("./m.json"), "the meeting file"),
            (dir.path().join("sub/../m.json"), "the meeting file"),
            (link, "the meeting file"),
            (hard, "the meeting file"),
            (dir.path().join("m.json.journal"), "the meeting's journal"),
            (
                dir.path().join("sub/../m.json.draft"),
                "the meeting's draft",
            ),
            (dir.path().join("m.json.lock"), "the meeting's lock"),
        ] {
            let error = write_text(&out, Some(&meeting), "report").unwrap_err();
            assert!(error.contains(what), "{}: {error}", out.display());
            assert!(error.starts_with(&out.display().to_string()), "{error}");
        }
        assert_eq!(fs::read_to_string(&meeting).unwrap(), "{}");
        assert!(!dir.path().join("m.json.journal").exists());
    }

    #[test]
    fn a_symlink_has_its_target_written_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.md");
        fs::write(&target, "old").unwrap();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink("real.md", &link).unwrap();
        write_text(&link, None, "new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        // A dangling link: its target is created.
        let dangling = dir.path().join("dangling.md");
        std::os::unix::fs::symlink("made.md", &dangling).unwrap();
        write_text(&dangling, None, "made").unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("made.md")).unwrap(),
            "made"
        );
    }

    #[test]
    fn fifos_and_devices_are_written_in_place_folders_refused() {
        let dir = tempfile::tempdir().unwrap();
        // A null device of the test's own where it may make one: a
        // regression must not replace the machine's /dev/null.
        let null = dir.path().join("null");
        let made = std::process::Command::new("mknod")
            .args([null.to_str().unwrap(), "c", "1", "3"])
            .output()
            .is_ok_and(|out| out.status.success());
        if made {
            write_text(&null, None, "gone").unwrap();
            assert!(!fs::metadata(&null).unwrap().is_file(), "still a device");
        }
        let fifo = dir.path().join("fifo");
        super::super::files::mkfifo(&fifo);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
        };
        write_text(&fifo, None, "through").unwrap();
        assert_eq!(reader.join().unwrap(), "through");
        assert!(!fs::metadata(&fifo).unwrap().is_file());
        let error = write_text(dir.path(), None, "x").unwrap_err();
        assert!(error.ends_with("is a folder; name a file in it"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_mode_a_new_one_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared.md");
        fs::write(&shared, "old").unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o644)).unwrap();
        write_text(&shared, None, "new").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&shared), 0o644);
        let fresh = dir.path().join("fresh.md");
        write_text(&fresh, None, "new").unwrap();
        assert_eq!(mode(&fresh), 0o600);
    }
}
