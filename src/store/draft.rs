//! The note being typed, kept beside the meeting file so that quitting (or
//! a crash) with a half-typed note loses nothing.

use super::write_atomically;
use crate::model::Instant;
use serde::{Deserialize, Serialize};
use std::io;
use std::path::{Path, PathBuf};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Draft {
    pub text: String,
    #[serde(default)]
    pub speakers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Instant>,
}

/// `meeting.json` keeps its draft in `meeting.json.draft`.
pub fn draft_path(meeting: &Path) -> PathBuf {
    let mut name = meeting.as_os_str().to_owned();
    name.push(".draft");
    PathBuf::from(name)
}

pub fn save_draft(meeting: &Path, draft: &Draft) -> io::Result<()> {
    write_atomically(&draft_path(meeting), |out| {
        serde_json::to_writer(&mut *out, draft).map_err(io::Error::other)
    })
}

/// A missing or unreadable draft is no draft: the meeting itself is intact.
pub fn load_draft(meeting: &Path) -> Option<Draft> {
    // Never through a link planted in its place.
    let bytes = super::files::read_regular(&draft_path(meeting), false).ok()?;
    serde_json::from_slice(&bytes).ok()
}

pub fn remove_draft(meeting: &Path) -> io::Result<()> {
    match std::fs::remove_file(draft_path(meeting)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Writes drafts on a thread of its own, so a slow disk never delays a
/// keystroke. Only the newest draft waiting is written. The thread starts
/// with the first draft, not before the first frame.
pub struct DraftWriter {
    meeting: PathBuf,
    jobs: Option<std::sync::mpsc::Sender<Draft>>,
    errors: Option<std::sync::mpsc::Receiver<String>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl DraftWriter {
    pub fn spawn(meeting: PathBuf) -> DraftWriter {
        DraftWriter {
            meeting,
            jobs: None,
            errors: None,
            thread: None,
        }
    }

    fn start(&mut self) -> &std::sync::mpsc::Sender<Draft> {
        let (jobs, inbox) = std::sync::mpsc::channel::<Draft>();
        let (report, errors) = std::sync::mpsc::channel();
        let meeting = self.meeting.clone();
        self.thread = Some(std::thread::spawn(move || {
            while let Ok(mut draft) = inbox.recv() {
                while let Ok(newer) = inbox.try_recv() {
                    draft = newer;
                }
                if let Err(e) = write(&meeting, &draft) {
                    let _ = report.send(format!("{}: {e}", draft_path(&meeting).display()));
                }
            }
        }));
        self.errors = Some(errors);
        self.jobs.insert(jobs)
    }

    pub fn send(&mut self, draft: Draft) {
        let jobs = match &self.jobs {
            Some(jobs) => jobs,
            None => self.start(),
        };
        let _ = jobs.send(draft);
    }

    /// The latest write error, if any happened since the last call.
    pub fn last_error(&self) -> Option<String> {
        self.errors.as_ref()?.try_iter().last()
    }

    /// Waits until every draft sent has been written.
    pub fn finish(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for DraftWriter {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A draft with no text is no file at all (the speaker comes back from
/// the last note anyway).
pub fn write(meeting: &Path, draft: &Draft) -> io::Result<()> {
    if draft.text.trim().is_empty() {
        remove_draft(meeting)
    } else {
        save_draft(meeting, draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_round_trip_and_removal() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.json");
        assert_eq!(load_draft(&meeting), None);
        let draft = Draft {
            text: "half a tho".into(),
            speakers: vec!["chris".into()],
            started_at: None,
        };
        save_draft(&meeting, &draft).unwrap();
        assert_eq!(load_draft(&meeting), Some(draft));
        remove_draft(&meeting).unwrap();
        remove_draft(&meeting).unwrap();
        assert_eq!(load_draft(&meeting), None);
    }
}
