//! Typing a note: the editor, its draft, and committing it.

use super::{Action, App, EditorAction, Effect, InputMode, NotesAction, Severity, new_editor};
use crate::model::{Note, NoteKind, classify};
use chrono::NaiveDate;

/// What a note's text says about it: kind, owner (a participant id) and
/// due date. Read again whenever the text changes (an edit, `s/old/new/`).
pub(super) struct ReadText {
    kind: NoteKind,
    owner: Option<String>,
    due: Option<NaiveDate>,
    /// The owner was not on the roster and has been added.
    pub roster_changed: bool,
}

impl ReadText {
    pub(super) fn apply_to(self, note: &mut Note) {
        note.kind = self.kind;
        note.owner = self.owner;
        note.due = self.due;
    }
}
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

impl App {
    pub(super) fn editor_action(&mut self, action: EditorAction) -> Vec<Effect> {
        match action {
            EditorAction::Commit => self.commit(),
            EditorAction::NewLine => {
                self.editor.insert_newline();
                self.draft_edited()
            }
            EditorAction::Key(key) => self.editor_key(key),
            EditorAction::UpOrSelectNotes if self.editor_is_empty() && self.editing.is_none() => {
                self.select_notes()
            }
            EditorAction::UpOrSelectNotes => {
                self.editor
                    .input(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE));
                vec![]
            }
            EditorAction::SelectNotes if self.editing.is_none() => self.select_notes(),
            EditorAction::SelectNotes => vec![],
        }
    }

    /// A key for the text editor itself (letters, arrows, Backspace…).
    pub(super) fn editor_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.editor.input(key) {
            self.draft_edited()
        } else {
            vec![]
        }
    }

    pub(super) fn draft_edited(&mut self) -> Vec<Effect> {
        if self.editing.is_some() {
            return vec![];
        }
        if self.editor_is_empty() {
            if !self.draft_started_by_pick {
                self.draft_started_at = None;
            }
        } else if self.draft_started_at.is_none() {
            // The note's time; the meeting itself starts when a note is
            // committed, never at a stray key.
            self.draft_started_at = Some(self.local_now());
        }
        vec![Effect::DraftChanged]
    }

    /// Reads `text` as a note's (see [`ReadText`]); an owner nobody is
    /// called is added to the roster.
    pub(super) fn read_text(&mut self, text: &str) -> ReadText {
        let classified = classify(text);
        let (owner, roster_changed) = self.meeting.owner_of(&classified);
        ReadText {
            kind: classified.kind,
            owner,
            due: classified.due,
            roster_changed,
        }
    }

    /// An empty editor, ready for the next note.
    pub(super) fn clear_editor(&mut self) {
        self.editor = new_editor(Vec::new());
        self.draft_started_at = None;
        self.draft_started_by_pick = false;
        self.speakers_picked = false;
    }

    pub(super) fn commit(&mut self) -> Vec<Effect> {
        let text = self.editor_text().trim().to_string();
        if text.is_empty() {
            if self.editing.is_some() {
                self.say(
                    Severity::Error,
                    "A note cannot be empty: {} keeps it as it was, {} removes it",
                    &[
                        (InputMode::Typing, Action::Cancel),
                        (InputMode::Selecting, Action::Notes(NotesAction::Delete)),
                    ],
                );
            }
            return vec![];
        }
        // `Topic:`, `present+`, `s/old/new/`: a scribe's commands, not notes.
        if self.editing.is_none()
            && let Some(command) = super::scribe::parse(&text)
        {
            return self.scribe_command(command).unwrap_or_default();
        }
        if self.editing.is_none()
            && let Some(command) = super::queue::parse(&text)
        {
            return self.queue_command(command, true).unwrap_or_default();
        }
        // `Chris: I agree`, as W3C scribes attribute a line: Chris speaks
        // (and stays picked, as after Tab). Only someone on the roster, so
        // "Budget: numbers due" stays a note.
        // `\text` is a note whatever it starts with; `... more` goes on
        // with the speaker's turn (the grammar's reading, as imported).
        let escaped = text.starts_with('\\');
        let mut text = super::scribe::note_text(&text).to_string();
        let mut marked_present = false;
        if self.editing.is_none()
            && !escaped
            && let Some((name, rest)) = super::scribe::speaker_prefix(&text)
            && let Some(id) = self
                .meeting
                .find_participant_by_name(name)
                .map(|p| p.id.clone())
        {
            marked_present = self.heard(&id);
            self.speakers = vec![id];
            self.speakers_picked = true;
            text = rest.to_string();
        }
        let now = self.local_now();
        let read = self.read_text(&text);
        let roster_changed = marked_present | read.roster_changed;
        if let Some(editing) = self.editing.take() {
            if let Some(note) = self
                .meeting
                .notes
                .iter_mut()
                .find(|n| n.id == editing.note_id)
            {
                note.text = text;
                read.apply_to(note);
                note.speakers = self.speakers.clone();
                note.edited_at = Some(now);
            }
            let edited = self.note_change(editing.note_id);
            self.unstash(editing.stash);
            self.info("Note updated");
            let roster = roster_changed.then(|| self.meta_change());
            return roster
                .into_iter()
                .chain(edited)
                .chain([Effect::DraftChanged])
                .collect();
        }
        let started_at = self.draft_started_at.unwrap_or(now);
        let meta_changed = self.ensure_started(started_at) | roster_changed;
        let id = self.next_note_id;
        // A link pasted while someone speaks is not theirs: it has no
        // speaker unless one was picked for it, and the speaker stays
        // current for the next note.
        let speakers = if read.kind == NoteKind::Link && !self.speakers_picked {
            Vec::new()
        } else {
            self.speakers.clone()
        };
        let mut note = Note::new(id, self.current_item, speakers, text, started_at);
        note.committed_at = now;
        note.off_record = self.meeting.off_record;
        read.apply_to(&mut note);
        let approval = self.approval_by(&note, now);
        self.meeting.notes.push(note);
        self.next_note_id += 1;
        self.clear_editor();
        let meta = meta_changed.then(|| self.meta_change());
        let added = self.note_change(id);
        meta.into_iter()
            .chain(added)
            .chain([Effect::DraftChanged])
            .chain(approval)
            .collect()
    }

    /// A decision on the "Approval of the previous minutes" item of a
    /// meeting made with `new --from` approves them: the previous file is
    /// told (once it has been, later decisions change nothing).
    fn approval_by(&self, note: &Note, now: crate::model::Instant) -> Option<Effect> {
        let previous = self.meeting.previous.as_ref()?;
        let approves = note.kind == NoteKind::Decision
            && !note.off_record
            && note.item == Some(previous.approval_item)
            && !previous.approval_recorded;
        approves.then(|| Effect::RecordApproval {
            file: previous.file.clone(),
            approval: crate::model::Approval {
                at: now,
                by_meeting: crate::finalize::approving_meeting(&self.meeting),
                decision: Some(crate::model::report_text(&note.text).into_owned()),
            },
            approver: crate::finalize::Approver::of(&self.meeting),
        })
    }
}
