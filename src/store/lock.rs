//! One writer per meeting: an OS file lock on `FILE.lock`, which the OS
//! releases when the process dies, so a killed minutes never blocks the
//! next. The lock file is removed when the meeting is closed.

use super::error::Problem;
use super::files;
use super::output::{file_id, identity};
use std::fs::{File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

pub fn lock_path(meeting: &Path) -> PathBuf {
    let mut name = meeting.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Holds the lock until dropped; dropping removes the lock file.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held: whoever opened it meanwhile finds, once
        // it has the lock, that the file is no longer at the path, and
        // tries again with a new one (see `acquire`).
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

pub fn acquire(meeting: &Path) -> Result<Lock, (PathBuf, Problem)> {
    let path = lock_path(meeting);
    let fail = |problem| (path.clone(), problem);
    for _ in 0..10 {
        let mut file = files::open_side_file(&path, false).map_err(|e| fail(Problem::Io(e)))?;
        // A lock is also held, for an instant, by a process that was forked
        // while it was open (until that child's exec closes it), and by a
        // minutes that is just exiting: ask again briefly before refusing.
        match try_lock_briefly(&file) {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut pid = String::new();
                let _ = file.read_to_string(&mut pid);
                let pid = Some(pid.trim().to_string()).filter(|p| !p.is_empty());
                return Err((meeting.to_path_buf(), Problem::Locked { pid }));
            }
            Err(TryLockError::Error(e)) => return Err(fail(Problem::Io(e))),
        }
        // The last holder removes the file as it lets go: a lock on a file
        // no longer at the path keeps nobody out.
        let metadata = file.metadata().ok();
        let ours = metadata.as_ref().map(file_id);
        if ours.is_none() || ours != identity(&path) {
            continue;
        }
        // Who holds it, for the message another minutes shows. Written
        // over what a killed holder left, then cut only if that was
        // longer: a truncation costs a filesystem journal transaction,
        // on the way to the first frame.
        let pid = std::process::id().to_string();
        let _ = file.rewind().and_then(|()| file.write_all(pid.as_bytes()));
        if metadata.is_some_and(|m| m.len() > pid.len() as u64) {
            let _ = file.set_len(pid.len() as u64);
        }
        return Ok(Lock { file, path });
    }
    Err(fail(Problem::Io(std::io::Error::other(
        "the lock file keeps being removed by another program",
    ))))
}

/// Who holds the meeting's lock now, if anyone (the process id it wrote,
/// when it did): asked without taking the lock or making a lock file.
pub fn holder(meeting: &Path) -> Option<Option<String>> {
    let mut file = files::open_side_file_to_check(&lock_path(meeting)).ok()?;
    match file.try_lock_shared() {
        Err(TryLockError::WouldBlock) => {
            let mut pid = String::new();
            let _ = file.read_to_string(&mut pid);
            Some(Some(pid.trim().to_string()).filter(|p| !p.is_empty()))
        }
        Ok(()) => {
            let _ = file.unlock();
            None
        }
        Err(TryLockError::Error(_)) => None,
    }
}

fn try_lock_briefly(file: &File) -> Result<(), TryLockError> {
    // Up to half a second: a minutes whose window was just closed needs
    // a moment to save and exit.
    for _ in 0..50 {
        match file.try_lock() {
            Err(TryLockError::WouldBlock) => {
                std::thread::sleep(std::time::Duration::from_millis(10))
            }
            other => return other,
        }
    }
    file.try_lock()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_with_the_holder_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.json");
        let first = acquire(&meeting).unwrap();
        let (path, problem) = acquire(&meeting).unwrap_err();
        assert_eq!(path, meeting);
        assert_eq!(
            problem.to_string(),
            format!(
                "already open in another minutes (process {}); close it there first",
                std::process::id()
            )
        );
        drop(first);
        assert!(!lock_path(&meeting).exists(), "the lock file is removed");
        let again = acquire(&meeting).unwrap();
        assert!(lock_path(&meeting).exists());
        drop(again);
    }

    #[test]
    fn a_lock_file_a_killed_holder_left_names_the_new_holder_only() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.json");
        for left in ["4194304999999\n", "7", ""] {
            std::fs::write(lock_path(&meeting), left).unwrap();
            let lock = acquire(&meeting).unwrap();
            assert_eq!(
                std::fs::read_to_string(lock_path(&meeting)).unwrap(),
                std::process::id().to_string(),
                "left: {left:?}"
            );
            drop(lock);
        }
    }
}
