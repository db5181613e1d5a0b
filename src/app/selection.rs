//! Earlier notes: selecting them, editing, deleting and bringing back,
//! marking actions done.

use super::composer::Stash;
use super::{Action, App, Change, Effect, InputMode, NotesAction, Severity};
use crate::model::Note;

/// The earlier note selected or being edited, and what was deleted.
#[derive(Debug, Default)]
pub struct Selection {
    /// Index into `meeting.notes` of the selected earlier note.
    pub selected: Option<usize>,
    pub editing: Option<Editing>,
    /// Deleted notes with their former index, newest last, for Ctrl+Z.
    deleted: Vec<(usize, Note)>,
}

/// An earlier note being edited, and the note that was being typed.
#[derive(Debug, Clone)]
pub struct Editing {
    pub note_id: u64,
    pub(super) stash: Stash,
}

impl Selection {
    /// Another scribe took out the note at `at`: the deleted notes kept
    /// for Ctrl+Z after it go back one place.
    pub(super) fn note_removed(&mut self, at: usize) {
        for (index, _) in &mut self.deleted {
            *index -= usize::from(*index > at);
        }
    }
}

/// Notes moved by PgUp and PgDn.
const NOTES_PAGE: usize = 10;
/// How many of the latest notes a new one may be placed among.
const PLACED_WITHIN: usize = 64;

impl App {
    pub(super) fn notes_action(&mut self, action: NotesAction) -> Vec<Effect> {
        match action {
            NotesAction::Scroll { older } => {
                match (self.mode, older) {
                    (InputMode::Selecting, older) => self.move_selection(older),
                    (InputMode::Typing, true) if self.selection.editing.is_none() => {
                        self.select_notes();
                    }
                    _ => {}
                }
                vec![]
            }
            NotesAction::Page { older } => {
                if self.mode != InputMode::Selecting {
                    if !older || self.selection.editing.is_some() {
                        return vec![];
                    }
                    self.select_notes();
                }
                for _ in 0..NOTES_PAGE {
                    self.move_selection(older);
                    if self.mode != InputMode::Selecting {
                        break;
                    }
                }
                vec![]
            }
            NotesAction::First | NotesAction::Last => {
                let item = self.current_item;
                let notes = &self.meeting.notes;
                let mut of_item = (0..notes.len()).filter(|&i| self.shows(&notes[i], item));
                let found = if action == NotesAction::First {
                    of_item.next()
                } else {
                    of_item.next_back()
                };
                if let Some(i) = found {
                    self.selection.selected = Some(i);
                }
                vec![]
            }
            NotesAction::Older => {
                self.move_selection(true);
                vec![]
            }
            NotesAction::Newer => {
                self.move_selection(false);
                vec![]
            }
            NotesAction::Edit => self.edit_selected(),
            NotesAction::Delete => self.delete_selected(),
            NotesAction::ToggleDone => self.toggle_done(),
            NotesAction::Restore => self.restore_deleted(),
            NotesAction::TypeFrom(key) => {
                self.leave_selection();
                self.editor_key(key)
            }
        }
    }

    pub(super) fn select_notes(&mut self) -> Vec<Effect> {
        let newest = self.current_notes_rev().next();
        match newest {
            Some(newest) => {
                self.selection.selected = Some(newest);
                self.mode = InputMode::Selecting;
            }
            None => self.info("No notes in this item yet"),
        }
        vec![]
    }

    fn move_selection(&mut self, older: bool) {
        let Some(from) = self.selection.selected else {
            return;
        };
        let item = self.current_item;
        let notes = &self.meeting.notes;
        let found = if older {
            (0..from).rev().find(|&i| self.shows(&notes[i], item))
        } else {
            (from + 1..notes.len()).find(|&i| self.shows(&notes[i], item))
        };
        match found {
            Some(i) => self.selection.selected = Some(i),
            // Down past the newest note goes back to typing.
            None if !older => self.leave_selection(),
            None => {}
        }
    }

    pub(super) fn leave_selection(&mut self) {
        self.selection.selected = None;
        if self.mode == InputMode::Selecting {
            self.mode = InputMode::Typing;
        }
    }

    fn edit_selected(&mut self) -> Vec<Effect> {
        let Some(index) = self.selection.selected else {
            return vec![];
        };
        let note = &self.meeting.notes[index];
        let stash = self.composer.stash(std::mem::take(&mut self.speakers));
        self.selection.editing = Some(Editing {
            note_id: note.id,
            stash,
        });
        self.speakers = note.speakers.clone();
        self.composer
            .load(note.text.lines().map(str::to_string).collect());
        self.leave_selection();
        vec![]
    }

    pub(super) fn unstash(&mut self, stash: Stash) {
        self.speakers = self.composer.unstash(stash);
    }

    fn toggle_done(&mut self) -> Vec<Effect> {
        let now = self.local_now();
        let Some(note) = self
            .selection
            .selected
            .and_then(|i| self.meeting.notes.get_mut(i))
        else {
            return vec![];
        };
        if note.kind != crate::model::NoteKind::Action {
            self.info("Only actions can be marked done");
            return vec![];
        }
        note.done = !note.done;
        // Every change of a note is a version of its own, even one back to
        // how it was (a restart tells versions apart by them, doc.rs).
        note.edited_at = Some(now);
        let done = note.done;
        let change = Effect::Persist(Change::Note(Box::new(note.clone())));
        self.info(if done {
            "Action marked done"
        } else {
            "Action open again"
        });
        vec![change]
    }

    fn delete_selected(&mut self) -> Vec<Effect> {
        let Some(index) = self.selection.selected else {
            return vec![];
        };
        let note = self.meeting.notes.remove(index);
        let id = note.id;
        self.selection.deleted.push((index, note));
        self.say(
            Severity::Info,
            "Note deleted: {} brings it back",
            &[(InputMode::Selecting, Action::Notes(NotesAction::Restore))],
        );
        // Select the next older note of the item, else the newer one, else type.
        let item = self.current_item;
        let notes = &self.meeting.notes;
        let older = (0..index).rev().find(|&i| self.shows(&notes[i], item));
        let newer = (index..notes.len()).find(|&i| self.shows(&notes[i], item));
        match older.or(newer) {
            Some(i) => self.selection.selected = Some(i),
            None => self.leave_selection(),
        }
        vec![Effect::Persist(Change::Deleted(id))]
    }

    fn restore_deleted(&mut self) -> Vec<Effect> {
        let Some((index, mut note)) = self.selection.deleted.pop() else {
            self.info("Nothing to bring back");
            return vec![];
        };
        let index = index.min(self.meeting.notes.len());
        // A version of its own (a restart tells versions apart, doc.rs).
        note.edited_at = Some(self.local_now());
        let elsewhere = !self.shows(&note, self.current_item);
        let number = note.item.and_then(|id| self.meeting.item_number(id));
        let change = Change::Placed {
            note: Box::new(note.clone()),
            index,
        };
        self.meeting.notes.insert(index, note);
        if elsewhere {
            let place = number.map_or("outside the agenda".to_string(), |n| format!("in item {n}"));
            self.info(format!("Note restored {place}"));
        } else {
            self.info("Note restored");
            if self.mode == InputMode::Selecting {
                self.selection.selected = Some(index);
            }
        }
        if let Some(selected) = self.selection.selected.filter(|&s| s >= index && elsewhere) {
            self.selection.selected = Some(selected + 1);
        }
        vec![Effect::Persist(change)]
    }

    /// Another scribe's new note, placed among the latest by when it began
    /// (as the report reads them): begun before the last one typed here,
    /// it comes before it. (A note typed here is always the newest.) Only the last [`PLACED_WITHIN`]
    /// are looked at (a note from further back goes last, as it always
    /// did), so a peer's burst of old notes costs no more than its size.
    /// The effect saves it where it went.
    pub(super) fn add_note(&mut self, note: Note) -> Effect {
        let notes = &self.meeting.notes;
        let len = notes.len();
        let looked = notes.iter().rev().take(PLACED_WITHIN);
        let at = match looked.clone().position(|n| n.started_at <= note.started_at) {
            Some(back) => len - back,
            None if len <= PLACED_WITHIN => 0,
            None => len,
        };
        if at == len {
            self.meeting.notes.push(note.clone());
            return Effect::Persist(Change::Note(Box::new(note)));
        }
        self.meeting.notes.insert(at, note.clone());
        self.find.note_inserted(at);
        if let Some(selected) = self.selection.selected.filter(|&s| s >= at) {
            self.selection.selected = Some(selected + 1);
        }
        for (index, _) in &mut self.selection.deleted {
            if *index >= at {
                *index += 1;
            }
        }
        Effect::Persist(Change::Placed {
            note: Box::new(note),
            index: at,
        })
    }

    /// The effect that writes the note with this id as it is now.
    pub(super) fn note_change(&self, id: u64) -> Option<Effect> {
        let note = self.meeting.notes.iter().rev().find(|n| n.id == id)?;
        Some(Effect::Persist(Change::Note(Box::new(note.clone()))))
    }
}
