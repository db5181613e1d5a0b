//! How the store touches the file system: meeting files read only when
//! they are regular files, side files (journal, lock, draft) never through
//! a symlink and always private, folders private.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

#[cfg(unix)]
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};

/// Reads a file that must be a regular file. A FIFO, a device or a socket
/// is refused at once instead of hanging or reading without end (`/dev/zero`).
/// With `follow_links` false, a symlink is refused too: side files are ours,
/// and a link planted in their place must not lead our writes elsewhere.
pub fn read_regular(path: &Path, follow_links: bool) -> io::Result<Vec<u8>> {
    let mut file = open_checked(path, follow_links)?;
    let len = file.metadata()?.len();
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens a regular file to read (through a symlink the user made), never
/// waiting on a FIFO nor reading a device.
pub fn open_regular(path: &Path) -> io::Result<File> {
    open_checked(path, true)
}

/// A text file the app reads on its own (a template named in a meeting,
/// an agenda, a roster, the config, a theme): a regular file only, and at
/// most `limit` bytes, so that a FIFO, `/dev/zero` or a huge file named
/// by mistake is refused at once rather than hanging or filling memory.
pub fn read_text_file(path: &Path, limit: u64) -> io::Result<String> {
    let file = open_checked(path, true)?;
    let len = file.metadata()?.len();
    if len > limit {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "is {} MB; a file of this kind is at most {} MB",
                len.div_ceil(1 << 20),
                limit >> 20
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize + 1);
    // take(): the file may grow while it is read.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("grew past {} MB while read", limit >> 20),
        ));
    }
    String::from_utf8(bytes).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "is not UTF-8 text; save it as UTF-8",
        )
    })
}

/// Opens a file of ours to look at it (a temporary file left behind):
/// never through a symlink, only a regular file.
pub fn open_side_file_to_check(path: &Path) -> io::Result<File> {
    open_checked(path, false)
}

fn open_checked(path: &Path, follow_links: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // Non-blocking: opening a FIFO without a writer would wait forever.
        let mut flags = libc::O_NONBLOCK;
        if !follow_links {
            flags |= libc::O_NOFOLLOW;
        }
        options.custom_flags(flags);
    }
    let file = options.open(path).map_err(|e| explain(e, path))?;
    if !file.metadata()?.is_file() {
        return Err(not_regular());
    }
    Ok(file)
}

/// Opens (creating it if `create`) one of the meeting's side files for
/// writing: never through a symlink, only a regular file, readable by its
/// owner only (a wider mode left by an older version or a copy is narrowed).
pub fn open_side_file(path: &Path, append: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).create(true);
    if append {
        options.append(true);
    } else {
        options.write(true);
    }
    #[cfg(unix)]
    options
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    let file = options.open(path).map_err(|e| explain(e, path))?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(not_regular());
    }
    #[cfg(unix)]
    if metadata.mode() & 0o077 != 0 {
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// Creates a folder and its parents, readable by its owner only.
pub fn create_private_dir_all(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// What the kernel's ELOOP means here, in words.
fn explain(error: io::Error, path: &Path) -> io::Error {
    #[cfg(unix)]
    if error.raw_os_error() == Some(libc::ELOOP)
        && fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
    {
        return io::Error::other(
            "is a symbolic link; minutes does not follow links for its own files: remove it",
        );
    }
    let _ = path;
    error
}

fn not_regular() -> io::Error {
    io::Error::other("is not a regular file (a FIFO, device or socket)")
}

/// Temporary files that a kill during an atomic write can leave beside the
/// meeting: `.NAME.XXXXXX` and `.NAME.draft.XXXXXX` (atomic-write-file's
/// names). Removed while the meeting's lock is held, so none is in use.
pub fn remove_stale_temporaries(meeting: &Path) {
    let Some(name) = meeting.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let folder = match meeting.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(folder) else {
        return;
    };
    let prefixes = [format!(".{name}."), format!(".{name}.draft.")];
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name();
        let Some(candidate) = file_name.to_str() else {
            continue;
        };
        let is_temporary = prefixes.iter().any(|prefix| {
            candidate
                .strip_prefix(prefix.as_str())
                .is_some_and(|suffix| {
                    suffix.len() == 6 && suffix.bytes().all(|b| b.is_ascii_alphanumeric())
                })
        });
        if is_temporary && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// The file a meeting path names: a symlink's target (so that two names
/// for one meeting share one lock and one journal), else the path itself.
pub fn real_path(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

/// How many names the file has (hard links).
#[cfg(unix)]
pub fn link_count(metadata: &fs::Metadata) -> u64 {
    metadata.nlink()
}

#[cfg(not(unix))]
pub fn link_count(_metadata: &fs::Metadata) -> u64 {
    1
}

/// Whether the owner may write the file (a 0444 meeting is kept as it is).
#[cfg(unix)]
pub fn owner_can_write(metadata: &fs::Metadata) -> bool {
    metadata.mode() & 0o200 != 0
}

#[cfg(not(unix))]
pub fn owner_can_write(metadata: &fs::Metadata) -> bool {
    !metadata.permissions().readonly()
}

/// For tests: a named pipe at `path`.
#[cfg(all(test, unix))]
pub(crate) fn mkfifo(path: &Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(
        made.is_ok_and(|status| status.success()),
        "mkfifo {}",
        path.display()
    );
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn side_files_never_follow_links_and_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "precious").unwrap();
        let planted = dir.path().join("m.json.journal");
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let error = open_side_file(&planted, true).unwrap_err().to_string();
        assert!(error.starts_with("is a symbolic link"), "{error}");
        assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
        let error = read_regular(&planted, false).unwrap_err().to_string();
        assert!(error.starts_with("is a symbolic link"), "{error}");

        let wide = dir.path().join("wide.journal");
        fs::write(&wide, "").unwrap();
        fs::set_permissions(&wide, fs::Permissions::from_mode(0o644)).unwrap();
        open_side_file(&wide, true).unwrap();
        assert_eq!(fs::metadata(&wide).unwrap().mode() & 0o777, 0o600);
    }

    #[test]
    fn folders_are_made_private_whatever_the_umask() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b/minutes");
        create_private_dir_all(&deep).unwrap();
        for folder in [dir.path().join("a"), dir.path().join("a/b"), deep] {
            let mode = fs::metadata(&folder).unwrap().mode() & 0o777;
            assert_eq!(mode & 0o077, 0, "{}: {mode:o}", folder.display());
        }
    }

    #[test]
    fn fifos_and_devices_are_refused_without_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.json");
        mkfifo(&fifo);
        for path in [fifo.as_path(), Path::new("/dev/zero")] {
            let error = read_regular(path, true).unwrap_err().to_string();
            assert!(error.starts_with("is not a regular file"), "{error}");
        }
    }

    #[test]
    fn stale_temporaries_of_this_meeting_only_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.json");
        let names = [
            (".m.json.a1B2c3", false),
            (".m.json.draft.Zz9yY8", false),
            (".m.json.toolong7", true),
            (".other.json.a1B2c3", true),
            ("m.json.a1B2c3", true),
        ];
        for (name, _) in names {
            fs::write(dir.path().join(name), "").unwrap();
        }
        remove_stale_temporaries(&meeting);
        for (name, kept) in names {
            assert_eq!(dir.path().join(name).exists(), kept, "{name}");
        }
    }
}
