//! samod's storage for the one shared document, kept in one file beside
//! the meeting (`FILE.automerge`): Automerge's chunks one after another,
//! as `load_incremental` reads them.
//!
//! samod stores each change under its own key and, every few changes,
//! one snapshot that replaces them (samod-core's on-disk state). Here a
//! change is appended; a snapshot rewrites the file (atomic replace) as
//! the snapshot followed by every change not yet deleted, so the file
//! always holds at least what samod thinks is stored, whatever the order
//! of its puts and deletes. A crash in the middle of an append leaves a
//! last chunk cut short, which loading leaves out.
//!
//! Nothing here is synced to the disk: the scribe's own changes are in
//! the meeting's journal (synced) before samod hears of them, and the
//! others' are in theirs; what a crash takes from this file comes back
//! from the meeting at start and from the others when they reconnect. A
//! sync per change would hold up the share thread, where samod also
//! moves every message (10,000 notes took minutes that way).

use super::wire;
use crate::store::files;
use samod::storage::{Storage, StorageKey};
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The side file with the document: `FILE.automerge`.
pub fn document_path(meeting: &Path) -> PathBuf {
    let mut name = meeting.as_os_str().to_owned();
    name.push(".automerge");
    PathBuf::from(name)
}

#[derive(Clone)]
pub struct FileStorage {
    inner: Arc<Mutex<Inner>>,
}

struct Inner {
    path: PathBuf,
    /// Opened for appending once the file was written whole.
    file: Option<std::fs::File>,
    /// Changes stored since the last snapshot, by key.
    changes: Vec<(StorageKey, Vec<u8>)>,
    /// Keys that are not the document's (samod's storage id).
    other: HashMap<StorageKey, Vec<u8>>,
    /// The first write error since the last one said: the share thread
    /// tells the scribe (the meeting's own file still has everything).
    failed: Option<String>,
}

/// The chunks of a saved document that load, checked for size once
/// inflated; a last chunk cut short by a crash is left out.
pub fn read_chunks(bytes: &[u8]) -> Vec<u8> {
    let mut rest = bytes;
    let mut good = 0;
    while !rest.is_empty() {
        let Ok(len) = wire::chunk_len(rest) else {
            break;
        };
        let (chunk, after) = rest.split_at(len);
        if wire::check_saved(chunk).is_err() {
            break;
        }
        good += len;
        rest = after;
    }
    bytes[..good].to_vec()
}

impl FileStorage {
    /// The storage of the one document in the file beside `meeting`
    /// (whatever id samod asks for: the engine asks for the meeting's
    /// only, and ws.rs drops any other a peer names). The file is read
    /// once, here: a file that is not ours (a symlink, a FIFO) is an
    /// error naming it. The sharing scribe's starts with one change, so
    /// that samod finds the document under the id the links already name.
    pub fn open(meeting: &Path, start_one: bool) -> Result<(FileStorage, Vec<u8>), String> {
        let path = document_path(meeting);
        let mut saved = match files::read_regular(&path, false) {
            Ok(bytes) => read_chunks(&bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        if saved.is_empty() && start_one {
            let mut doc = automerge::Automerge::new();
            let mut tx = doc.transaction();
            let _ = automerge::transaction::Transactable::put(
                &mut tx,
                automerge::ROOT,
                "shared-by",
                "minutes",
            );
            tx.commit();
            saved = doc.save();
        }
        let storage = FileStorage {
            inner: Arc::new(Mutex::new(Inner {
                path,
                file: None,
                changes: Vec::new(),
                other: HashMap::new(),
                failed: None,
            })),
        };
        // Written whole (what loaded), so that appends follow good chunks.
        storage.with(|inner| inner.rewrite(&saved));
        Ok((storage, saved))
    }

    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        match self.inner.lock() {
            Ok(mut inner) => f(&mut inner),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    /// A write that failed since last asked, in plain words.
    pub fn take_failure(&self) -> Option<String> {
        self.with(|inner| inner.failed.take())
    }

    fn is_ours(&self, key: &StorageKey, kind: &str) -> bool {
        key.into_iter().nth(1).is_some_and(|k| k == kind)
    }

    fn saved_whole(&self) -> Vec<u8> {
        self.with(|inner| match files::read_regular(&inner.path, false) {
            Ok(bytes) => read_chunks(&bytes),
            Err(_) => Vec::new(),
        })
    }
}

impl Inner {
    fn failed(&mut self, e: io::Error) {
        if self.failed.is_none() {
            self.failed = Some(format!(
                "{}: {e} (the meeting's file has every note; the shared copy is written again at the next change)",
                self.path.display()
            ));
        }
        self.file = None;
    }

    /// The file replaced whole (never through a symlink), then appended to.
    fn rewrite(&mut self, snapshot: &[u8]) {
        let mut bytes = snapshot.to_vec();
        for (_, change) in &self.changes {
            bytes.extend_from_slice(change);
        }
        let dir = match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let written = (|| {
            let mut temp = tempfile::NamedTempFile::new_in(&dir)?;
            temp.write_all(&bytes)?;
            temp.persist(&self.path).map_err(|e| e.error)?;
            files::open_side_file(&self.path, true)
        })();
        match written {
            Ok(file) => self.file = Some(file),
            Err(e) => self.failed(e),
        }
    }

    /// A change stored: appended; after a failed write, the
    /// whole file again (what it had, then every change since).
    fn store_change(&mut self, key: StorageKey, change: Vec<u8>) {
        match self.file.as_mut() {
            Some(file) => {
                if let Err(e) = file.write_all(&change) {
                    self.failed(e);
                }
                self.changes.push((key, change));
            }
            None => {
                self.changes.push((key, change));
                let saved = match files::read_regular(&self.path, false) {
                    Ok(bytes) => read_chunks(&bytes),
                    Err(_) => Vec::new(),
                };
                self.rewrite(&saved);
            }
        }
    }
}

impl Storage for FileStorage {
    async fn load(&self, key: StorageKey) -> Option<Vec<u8>> {
        self.with(|inner| inner.other.get(&key).cloned())
    }

    async fn load_range(&self, prefix: StorageKey) -> HashMap<StorageKey, Vec<u8>> {
        let mut found = HashMap::new();
        if self.is_ours(&prefix, "snapshot") {
            let whole = self.saved_whole();
            let mut parts: Vec<String> = prefix.into_iter().collect();
            parts.push("file".into());
            if !whole.is_empty()
                && let Ok(key) = StorageKey::from_parts(parts)
            {
                found.insert(key, whole);
            }
            return found;
        }
        self.with(|inner| {
            let changes = inner.changes.iter().map(|(k, v)| (k, v));
            for (key, value) in changes.chain(inner.other.iter()) {
                if prefix.is_prefix_of(key) {
                    found.insert(key.clone(), value.clone());
                }
            }
        });
        found
    }

    async fn put(&self, key: StorageKey, data: Vec<u8>) {
        if self.is_ours(&key, "incremental") {
            self.with(|inner| inner.store_change(key, data));
        } else if self.is_ours(&key, "snapshot") {
            self.with(|inner| inner.rewrite(&data));
        } else {
            // samod's storage id: kept for this run only.
            self.with(|inner| {
                inner.other.insert(key, data);
            });
        }
    }

    async fn delete(&self, key: StorageKey) {
        // The file keeps what a snapshot superseded until the next
        // snapshot: loading it twice is harmless.
        self.with(|inner| {
            inner.changes.retain(|(k, _)| *k != key);
            inner.other.remove(&key);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{Automerge, ROOT, ReadDoc};

    fn doc_with(values: &[&str]) -> Automerge {
        let mut doc = Automerge::new();
        for (i, v) in values.iter().enumerate() {
            let mut tx = doc.transaction();
            tx.put(ROOT, format!("k{i}"), *v).unwrap();
            tx.commit();
        }
        doc
    }

    fn key(parts: &[&str]) -> StorageKey {
        StorageKey::from_parts(parts).unwrap()
    }

    #[test]
    fn changes_and_snapshots_load_back_whatever_the_order() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.json");
        let (storage, saved) = FileStorage::open(&meeting, false).unwrap();
        assert!(saved.is_empty());
        let doc = doc_with(&["a", "b", "c"]);
        let changes: Vec<Vec<u8>> = doc
            .get_changes(&[])
            .iter()
            .map(|c| c.raw_bytes().to_vec())
            .collect();
        futures::executor::block_on(async {
            storage
                .put(key(&["DOC", "incremental", "h1"]), changes[0].clone())
                .await;
            storage
                .put(key(&["DOC", "incremental", "h2"]), changes[1].clone())
                .await;
            // A snapshot of the first two; the third change races it.
            storage
                .put(key(&["DOC", "incremental", "h3"]), changes[2].clone())
                .await;
            let two = doc_with(&["a", "b"]).save();
            storage.put(key(&["DOC", "snapshot", "s1"]), two).await;
            storage.delete(key(&["DOC", "incremental", "h1"])).await;
            storage.delete(key(&["DOC", "incremental", "h2"])).await;
        });
        let (_, saved) = FileStorage::open(&meeting, false).unwrap();
        let mut back = Automerge::new();
        back.load_incremental(&saved).unwrap();
        assert_eq!(back.keys(ROOT).count(), 3, "the racing change is kept");
    }

    #[test]
    fn a_chunk_cut_short_by_a_crash_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.json");
        let mut bytes = doc_with(&["a"]).save();
        let more = doc_with(&["a", "b"]).save();
        bytes.extend_from_slice(&more[..more.len() / 2]);
        std::fs::write(document_path(&meeting), &bytes).unwrap();
        let (_, saved) = FileStorage::open(&meeting, false).unwrap();
        let mut back = Automerge::new();
        back.load_incremental(&saved).unwrap();
        assert_eq!(back.keys(ROOT).count(), 1);
    }

    #[test]
    fn a_symlink_in_place_of_the_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.json");
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, "x").unwrap();
        std::os::unix::fs::symlink(&target, document_path(&meeting)).unwrap();
        assert!(FileStorage::open(&meeting, false).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "x");
    }
}
