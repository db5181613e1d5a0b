//! `FILE.transcript.jsonl`: the segments heard, one JSON line each,
//! appended and `fdatasync`'ed as each is recognised, so a crash loses
//! nothing heard. Opened like the meeting's other side files: never
//! through a symlink, only a regular file, readable by its owner only.
//! A later line with the same id replaces an earlier one.

use super::Segment;
use crate::store::{open_side_file, read_side_file, real_path};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The transcript beside a meeting (beside its target, for a link).
pub fn transcript_path(meeting: &Path) -> PathBuf {
    let real = real_path(meeting).unwrap_or_else(|_| meeting.to_path_buf());
    let mut name = real.into_os_string();
    name.push(".transcript.jsonl");
    PathBuf::from(name)
}

/// Reads a meeting's transcript (none: empty). A torn last line (a crash
/// during an append) is dropped; a damaged line elsewhere is an error
/// naming the file and line.
pub fn load(meeting: &Path) -> Result<Vec<Segment>, String> {
    let path = transcript_path(meeting);
    let bytes = match read_side_file(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse(bytes: &[u8]) -> Result<Vec<Segment>, String> {
    let mut segments: Vec<Segment> = Vec::new();
    let mut index = std::collections::HashMap::new();
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let last = lines.len().saturating_sub(1);
    for (n, line) in lines.iter().enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let segment: Segment = match serde_json::from_slice(line) {
            Ok(segment) => segment,
            // Unterminated last line: an append cut short.
            Err(_) if n == last => break,
            Err(e) => return Err(format!("line {}: {e}", n + 1)),
        };
        match index.get(&segment.id) {
            Some(&at) => segments[at] = segment,
            None => {
                index.insert(segment.id, segments.len());
                segments.push(segment);
            }
        }
    }
    Ok(segments)
}

/// The transcript open for appending.
pub struct TranscriptFile {
    file: File,
    path: PathBuf,
}

impl TranscriptFile {
    pub fn open(meeting: &Path) -> io::Result<TranscriptFile> {
        let path = transcript_path(meeting);
        let file = open_side_file(&path, true)?;
        // A torn last line (a crash during an append, never acknowledged)
        // is cut off, so that the next record starts a line of its own.
        if file.metadata()?.len() > 0 {
            let bytes = read_side_file(&path)?;
            if bytes.last() != Some(&b'\n') {
                let whole = bytes
                    .iter()
                    .rposition(|b| *b == b'\n')
                    .map_or(0, |at| at + 1);
                file.set_len(whole as u64)?;
                file.sync_data()?;
            }
        }
        Ok(TranscriptFile { file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends a segment and waits until it is on disk.
    pub fn append(&mut self, segment: &Segment) -> io::Result<()> {
        let mut line = serde_json::to_vec(segment)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(id: u64, text: &str) -> Segment {
        Segment {
            id,
            start: id as f64,
            end: id as f64 + 0.5,
            text: text.into(),
            channel: "me".into(),
            speaker: Some("amy".into()),
        }
    }

    #[test]
    fn segments_appended_are_read_back_and_a_torn_line_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.json");
        assert_eq!(load(&meeting).unwrap(), vec![]);
        let mut file = TranscriptFile::open(&meeting).unwrap();
        file.append(&segment(1, "one")).unwrap();
        file.append(&segment(2, "two")).unwrap();
        drop(file);
        let path = transcript_path(&meeting);
        let mut torn = std::fs::read(&path).unwrap();
        torn.extend_from_slice(b"{\"id\":3,\"sta");
        std::fs::write(&path, &torn).unwrap();
        assert_eq!(
            load(&meeting).unwrap(),
            vec![segment(1, "one"), segment(2, "two")]
        );
        // Appending after a torn line starts a new line.
        let mut file = TranscriptFile::open(&meeting).unwrap();
        file.append(&segment(2, "two again")).unwrap();
        assert_eq!(
            load(&meeting).unwrap(),
            vec![segment(1, "one"), segment(2, "two again")]
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_damaged_line_names_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.json");
        std::fs::write(transcript_path(&meeting), "not json\n{}\n").unwrap();
        let error = load(&meeting).unwrap_err();
        assert!(error.contains("m.json.transcript.jsonl: line 1"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_symlink_is_refused_and_its_target_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.json");
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, "precious").unwrap();
        std::os::unix::fs::symlink(&target, transcript_path(&meeting)).unwrap();
        assert!(TranscriptFile::open(&meeting).is_err());
        assert!(load(&meeting).unwrap_err().contains("symbolic link"));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
    }
}
