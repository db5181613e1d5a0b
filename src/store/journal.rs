//! The append-only journal beside the meeting file.
//!
//! Each committed change is one JSON line, appended and fdatasync'ed before
//! the next frame: cheap at any meeting length. On open the journal is
//! replayed over the snapshot and compacted into it. Replaying a record
//! twice changes nothing, so a crash between writing the snapshot and
//! emptying the journal is harmless. A torn last line (a crash mid-write)
//! is dropped, as Redis does with its append-only file.

use super::error::Problem;
use crate::model::{FORMAT_VERSION, MAX_NOTE_ID, Meeting, Note};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Record {
    /// Adds the note, or replaces the one with its id. `index` places a
    /// restored note back where it was, or another scribe's note where
    /// it began (`Change::Placed`).
    Note {
        note: Note,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    Delete {
        id: u64,
    },
    /// Everything but the notes (roster, agenda, times, details).
    Meta {
        meeting: Box<Meeting>,
    },
}

impl Record {
    /// What the snapshot's parser checks, for one record: a newer format
    /// (which this version would write back as its own) and note ids.
    fn check(&self) -> Result<(), Problem> {
        match self {
            Record::Meta { meeting } if meeting.format_version > FORMAT_VERSION => {
                Err(Problem::NewerVersion {
                    found: u64::from(meeting.format_version),
                })
            }
            Record::Note { note, .. } if note.id > MAX_NOTE_ID => {
                Err(Problem::NoteIdTooLarge { id: note.id })
            }
            _ => Ok(()),
        }
    }

    pub fn apply(self, meeting: &mut Meeting) {
        match self {
            Record::Note { note, index } => {
                if let Some(existing) = meeting.notes.iter_mut().rev().find(|n| n.id == note.id) {
                    *existing = note;
                } else {
                    let at = index
                        .unwrap_or(meeting.notes.len())
                        .min(meeting.notes.len());
                    meeting.notes.insert(at, note);
                }
            }
            Record::Delete { id } => {
                if let Some(at) = meeting.notes.iter().rposition(|n| n.id == id) {
                    meeting.notes.remove(at);
                }
            }
            Record::Meta { meeting: meta } => meeting.set_meta(*meta),
        }
    }
}

/// `meeting.json` keeps its journal in `meeting.json.journal`.
pub fn journal_path(meeting: &Path) -> PathBuf {
    let mut name = meeting.as_os_str().to_owned();
    name.push(".journal");
    PathBuf::from(name)
}

/// What replaying a journal found.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Replay {
    pub records: usize,
    /// An incomplete last record (a crash mid-write) was dropped.
    pub torn_tail: bool,
}

/// Parses journal bytes. A damaged line other than the last is an error:
/// that is not a crash, and guessing would lose notes silently.
pub fn parse(bytes: &[u8]) -> Result<(Vec<Record>, Replay), (usize, Problem)> {
    let mut records = Vec::new();
    let mut replay = Replay::default();
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let last = lines.len().saturating_sub(1);
    for (index, line) in lines.iter().enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        // The last piece has no newline after it: it was never finished.
        if index == last {
            replay.torn_tail = true;
            continue;
        }
        match serde_json::from_slice::<Record>(line) {
            Ok(record) => {
                record.check().map_err(|problem| (index + 1, problem))?;
                records.push(record);
            }
            Err(e) => return Err((index + 1, Problem::from_json(e))),
        }
    }
    replay.records = records.len();
    Ok((records, replay))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: u64, text: &str) -> Note {
        let at = "2024-09-26T14:00:00Z".parse().unwrap();
        Note::new(id, None, vec![], text.into(), at)
    }

    fn line(r: &Record) -> String {
        serde_json::to_string(r).unwrap() + "\n"
    }

    #[test]
    fn replay_is_idempotent() {
        let records = vec![
            Record::Note {
                note: note(1, "a"),
                index: None,
            },
            Record::Note {
                note: note(2, "b"),
                index: None,
            },
            Record::Note {
                note: note(1, "a edited"),
                index: None,
            },
            Record::Delete { id: 2 },
            Record::Note {
                note: note(2, "b"),
                index: Some(0),
            },
        ];
        let mut once = Meeting::new("T", chrono_tz::Tz::UTC);
        for r in records.clone() {
            r.apply(&mut once);
        }
        let mut twice = once.clone();
        for r in records {
            r.apply(&mut twice);
        }
        assert_eq!(once, twice);
        let texts: Vec<&str> = once.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(texts, ["b", "a edited"]);
    }

    #[test]
    fn a_torn_last_line_is_dropped_and_counted() {
        let full = line(&Record::Note {
            note: note(1, "kept"),
            index: None,
        });
        let torn = &line(&Record::Note {
            note: note(2, "lost mid-write"),
            index: None,
        })[..30];
        let (records, replay) = parse(format!("{full}{torn}").as_bytes()).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(
            replay,
            Replay {
                records: 1,
                torn_tail: true
            }
        );
        // A complete last line without its newline is unfinished too.
        let (_, replay) = parse(full.trim_end().as_bytes()).unwrap();
        assert!(replay.torn_tail);
    }

    #[test]
    fn a_newer_format_or_an_oversized_id_in_the_journal_is_refused() {
        let mut newer = Meeting::new("T", chrono_tz::Tz::UTC);
        newer.format_version = FORMAT_VERSION + 1;
        let meta = line(&Record::Meta {
            meeting: Box::new(newer),
        });
        let good = line(&Record::Delete { id: 1 });
        let (at, problem) = parse(format!("{good}{meta}").as_bytes()).unwrap_err();
        assert_eq!(at, 2);
        assert!(
            matches!(problem, Problem::NewerVersion { found } if found == u64::from(FORMAT_VERSION) + 1)
        );
        let huge = line(&Record::Note {
            note: note(u64::MAX, "x"),
            index: None,
        });
        let (at, problem) = parse(huge.as_bytes()).unwrap_err();
        assert_eq!(at, 1);
        assert!(matches!(problem, Problem::NoteIdTooLarge { .. }));
    }

    #[test]
    fn damage_before_the_end_is_an_error_with_its_line() {
        let good = line(&Record::Delete { id: 1 });
        let err = parse(format!("{good}garbage\n{good}").as_bytes()).unwrap_err();
        assert_eq!(err.0, 2);
    }
}
