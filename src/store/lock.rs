//! One writer per meeting: an OS file lock on `FILE.lock`, which the OS
//! releases when the process dies, so a killed minutes never blocks the next.

use super::error::Problem;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

pub fn lock_path(meeting: &Path) -> PathBuf {
    let mut name = meeting.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Holds the lock until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

pub fn acquire(meeting: &Path) -> Result<Lock, (PathBuf, Problem)> {
    let path = lock_path(meeting);
    let fail = |problem| (path.clone(), problem);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| fail(Problem::Io(e)))?;
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
    // Who holds it, for the message another minutes shows.
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = write!(file, "{}", std::process::id());
    Ok(Lock { _file: file })
}

fn try_lock_briefly(file: &File) -> Result<(), TryLockError> {
    for _ in 0..20 {
        match file.try_lock() {
            Err(TryLockError::WouldBlock) => {
                std::thread::sleep(std::time::Duration::from_millis(5))
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
        assert!(acquire(&meeting).is_ok());
    }
}
