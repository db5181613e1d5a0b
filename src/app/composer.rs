//! The note being typed: the editor's text and when and how its draft
//! began. The actions that type it are in `editor.rs`; this part keeps
//! only what needs no other state.

use crate::model::Instant;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

/// The editor and what the note being typed carries besides its text.
#[derive(Clone)]
pub struct Composer {
    pub editor: TextArea<'static>,
    /// When the note being typed began (speaker picked or first key).
    pub started_at: Option<Instant>,
    /// `started_at` was set by picking a speaker: emptying the editor
    /// keeps it (the turn began then), where a first key's does not.
    pub started_by_pick: bool,
    /// A speaker was chosen for the note being typed (not carried over
    /// from the last note).
    pub speakers_picked: bool,
}

impl Default for Composer {
    fn default() -> Self {
        Composer {
            editor: new_editor(Vec::new()),
            started_at: None,
            started_by_pick: false,
            speakers_picked: false,
        }
    }
}

impl Composer {
    pub fn text(&self) -> String {
        self.editor.lines().join("\n")
    }

    pub fn is_empty(&self) -> bool {
        self.editor.lines().iter().all(|l| l.is_empty())
    }

    /// The editor holding `lines`, the cursor after the last.
    pub(super) fn load(&mut self, lines: Vec<String>) {
        self.editor = new_editor(lines);
        self.editor.move_cursor(CursorMove::Bottom);
        self.editor.move_cursor(CursorMove::End);
    }

    /// The text changed at `now`: the draft's start follows it (an
    /// emptied editor has none, unless a speaker was picked for it).
    pub(super) fn edited(&mut self, now: Instant) {
        if self.is_empty() {
            if !self.started_by_pick {
                self.started_at = None;
            }
        } else if self.started_at.is_none() {
            // The note's time; the meeting itself starts when a note is
            // committed, never at a stray key.
            self.started_at = Some(now);
        }
    }

    /// An empty editor, ready for the next note.
    pub(super) fn clear(&mut self) {
        *self = Composer::default();
    }

    /// Sets the note being typed aside (with its `speakers`), for an edit
    /// of an earlier note.
    pub(super) fn stash(&mut self, speakers: Vec<String>) -> Stash {
        Stash {
            lines: self.editor.lines().to_vec(),
            speakers,
            started_at: self.started_at.take(),
            started_by_pick: self.started_by_pick,
        }
    }

    /// Brings back the note set aside; returns its speakers.
    pub(super) fn unstash(&mut self, stash: Stash) -> Vec<String> {
        self.load(stash.lines);
        self.started_at = stash.started_at;
        self.started_by_pick = stash.started_by_pick;
        stash.speakers
    }
}

/// The note being typed, set aside while an earlier note is edited.
#[derive(Debug, Clone)]
pub(super) struct Stash {
    pub lines: Vec<String>,
    pub speakers: Vec<String>,
    pub started_at: Option<Instant>,
    pub started_by_pick: bool,
}

pub(super) fn new_editor(lines: Vec<String>) -> TextArea<'static> {
    let mut editor = if lines.is_empty() {
        TextArea::default()
    } else {
        TextArea::new(lines)
    };
    editor.set_wrap_mode(WrapMode::WordOrGlyph);
    editor.set_cursor_line_style(ratatui::style::Style::default());
    editor
}
