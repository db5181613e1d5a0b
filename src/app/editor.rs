//! Typing a note: the editor, its draft, and committing it.

use super::{Action, App, EditorAction, Effect, InputMode, NotesAction, Severity};
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
                self.composer.editor.insert_newline();
                self.draft_edited()
            }
            EditorAction::Key(key) => self.editor_key(key),
            EditorAction::UpOrSelectNotes
                if self.editor_is_empty() && self.selection.editing.is_none() =>
            {
                self.select_notes()
            }
            EditorAction::UpOrSelectNotes => {
                self.composer
                    .editor
                    .input(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE));
                vec![]
            }
            EditorAction::SelectNotes if self.selection.editing.is_none() => self.select_notes(),
            EditorAction::SelectNotes => vec![],
        }
    }

    /// A key for the text being typed: the note (letters, arrows,
    /// Backspace, readline's editing keys), or the one-line query of the
    /// picker, of find or of the write-elsewhere path.
    pub(super) fn editor_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if let Some(mut line) = self.line_edit() {
            if line.key(key) {
                match self.mode {
                    InputMode::Picker => self.refilter_picker(),
                    InputMode::Find => self.refind(),
                    _ => {}
                }
            }
            return vec![];
        }
        if readline_key(&mut self.composer.editor, key) {
            self.draft_edited()
        } else {
            vec![]
        }
    }

    /// Esc on the note being typed: it goes, into the yank buffer (Ctrl+Y
    /// brings it back), so a stray Esc loses nothing.
    pub(super) fn clear_typed(&mut self) -> bool {
        if self.editor_is_empty() {
            return false;
        }
        self.composer.editor.select_all();
        self.composer.editor.cut();
        self.draft_edited();
        true
    }

    pub(super) fn draft_edited(&mut self) -> Vec<Effect> {
        if self.selection.editing.is_some() {
            return vec![];
        }
        let now = self.local_now();
        self.composer.edited(now);
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
        self.composer.clear();
        self.transcript.pulled = None;
    }

    pub(super) fn commit(&mut self) -> Vec<Effect> {
        let text = self.editor_text().trim().to_string();
        if text.is_empty() {
            if self.selection.editing.is_some() {
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
        // `#startvote Question? Yes, No`, `#endvote` (app/participants.rs).
        if self.selection.editing.is_none()
            && let Some(command) = super::participants::parse(&text)
        {
            return self.poll_command(command).unwrap_or_default();
        }
        // `Topic:`, `present+`, `s/old/new/`: a scribe's commands, not notes.
        if self.selection.editing.is_none()
            && let Some(command) = super::scribe::parse(&text)
        {
            return self.scribe_command(command).unwrap_or_default();
        }
        if self.selection.editing.is_none()
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
        if self.selection.editing.is_none()
            && !escaped
            && let Some((name, rest)) = super::scribe::speaker_prefix(&text)
            && let Some(id) = self
                .meeting
                .find_participant_by_name(name)
                .map(|p| p.id.clone())
        {
            marked_present = self.heard(&id);
            self.speakers = vec![id];
            self.composer.speakers_picked = true;
            text = rest.to_string();
        }
        let now = self.local_now();
        let read = self.read_text(&text);
        let roster_changed = marked_present | read.roster_changed;
        if let Some(editing) = self.selection.editing.take() {
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
        let mut started_at = self.composer.started_at.unwrap_or(now);
        // A note added while fixing an ended meeting belongs to it: its
        // time is kept within the meeting (when it was typed stays in
        // `committed_at`), so no speaker's turn runs for years.
        if let Some(end) = self.meeting.ended_at {
            started_at = started_at.min(end);
        }
        let meta_changed = self.ensure_started(started_at) | roster_changed;
        let id = self.next_note_id;
        // A link pasted while someone speaks is not theirs: it has no
        // speaker unless one was picked for it, and the speaker stays
        // current for the next note.
        let speakers = if read.kind == NoteKind::Link && !self.composer.speakers_picked {
            Vec::new()
        } else {
            self.speakers.clone()
        };
        let mut note = Note::new(id, self.current_item, speakers, text, started_at);
        note.committed_at = now;
        note.off_record = self.meeting.off_record;
        note.transcript = self.transcript.pulled.take();
        read.apply_to(&mut note);
        let approval = self.approval_by(&note, now);
        // The note just typed is the newest here, whatever its start.
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
                // The approving meeting's day, not the day its notes were
                // typed up (the report says "approved at … on" that day).
                at: self
                    .meeting
                    .started_at
                    .or(self.meeting.scheduled_start)
                    .unwrap_or(now),
                by_meeting: crate::finalize::approving_meeting(&self.meeting),
                decision: Some(crate::model::report_text(&note.text).into_owned()),
            },
            approver: crate::finalize::Approver::of(&self.meeting),
        })
    }
}

/// The note editor's keys as readline has them. ratatui-textarea's own
/// map is emacs-like but puts undo on Ctrl+U; here Ctrl+U cuts to the line
/// start, and undo is readline's Ctrl+_ (which most terminals send as
/// Ctrl+7; Ctrl+/ from terminals that report it as such).
pub(crate) fn readline_key(
    editor: &mut ratatui_textarea::TextArea<'static>,
    key: KeyEvent,
) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    match key.code {
        KeyCode::Char('u') if ctrl && !alt => editor.delete_line_by_head(),
        KeyCode::Char('_' | '7' | '/') if ctrl && !alt => editor.undo(),
        KeyCode::Char('f') if alt && !ctrl => {
            forward_word(editor);
            false
        }
        _ => editor.input(key),
    }
}

/// readline's Alt+F: to the end of the next word (ratatui-textarea's goes
/// to the start of the one after). At a line's end, on to the next line.
fn forward_word(editor: &mut ratatui_textarea::TextArea<'static>) {
    use ratatui_textarea::CursorMove;
    let ratatui_textarea::DataCursor(row, col) = editor.cursor();
    let Some(line) = editor.lines().get(row) else {
        return;
    };
    let chars: Vec<char> = line.chars().collect();
    if col >= chars.len() {
        editor.move_cursor(CursorMove::WordForward);
        return;
    }
    let mut at = col;
    while at < chars.len() && !chars[at].is_alphanumeric() {
        at += 1;
    }
    while at < chars.len() && chars[at].is_alphanumeric() {
        at += 1;
    }
    let (Ok(row), Ok(at)) = (u16::try_from(row), u16::try_from(at)) else {
        editor.move_cursor(CursorMove::WordForward);
        return;
    };
    editor.move_cursor(CursorMove::Jump(row, at));
}

/// A one-line field being typed (the picker's query, find's, the path):
/// its text and the cursor, counted in characters from the end so that
/// text added at the end by a paste leaves it where it was. Every field is
/// edited through these functions, which keep readline's keys.
pub struct LineEdit<'a> {
    pub text: &'a mut String,
    /// Characters between the cursor and the end.
    pub from_end: &'a mut usize,
    /// What Ctrl+K, Ctrl+U and Ctrl+W cut, for Ctrl+Y.
    pub yank: &'a mut String,
}

impl LineEdit<'_> {
    /// The cursor as a byte offset into the text (clamped: a field
    /// cleared since keeps no stale cursor).
    fn cursor(&mut self) -> usize {
        let count = self.text.chars().count();
        *self.from_end = (*self.from_end).min(count);
        let chars_before = count - *self.from_end;
        self.text
            .char_indices()
            .nth(chars_before)
            .map_or(self.text.len(), |(i, _)| i)
    }

    fn set_cursor(&mut self, byte: usize) {
        *self.from_end = self.text[byte..].chars().count();
    }

    pub fn insert(&mut self, typed: &str) {
        let at = self.cursor();
        self.text.insert_str(at, typed);
    }

    /// Backspace: the character before the cursor. True when one went.
    pub fn backspace(&mut self) -> bool {
        let at = self.cursor();
        let Some((before, _)) = self.text[..at].char_indices().next_back() else {
            return false;
        };
        self.text.replace_range(before..at, "");
        true
    }

    fn cut(&mut self, range: std::ops::Range<usize>) -> bool {
        if range.is_empty() {
            return false;
        }
        *self.yank = self.text[range.clone()].to_string();
        self.text.replace_range(range.clone(), "");
        self.set_cursor(range.start);
        true
    }

    /// The start of the word before `at` (readline's Alt+B): past any
    /// non-word characters, then the word.
    fn word_back(&self, at: usize) -> usize {
        let before = &self.text[..at];
        let end_of_word = before
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .len();
        before[..end_of_word]
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(0, |(i, c)| i + c.len_utf8())
    }

    /// The end of the word after `at` (readline's Alt+F).
    fn word_forward(&self, at: usize) -> usize {
        let after = &self.text[at..];
        let start = after.len()
            - after
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .len();
        after[start..]
            .char_indices()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(self.text.len(), |(i, _)| at + start + i)
    }

    /// A key as readline has it: Ctrl+A / Home and Ctrl+E / End to the
    /// start and end, Left / Ctrl+B and Right / Ctrl+F a character,
    /// Alt+B / Alt+F a word; Ctrl+K cuts to the end, Ctrl+U to the start,
    /// Ctrl+W or Alt+Backspace the word before the cursor, Ctrl+Y puts the
    /// cut text back; Delete / Ctrl+D the character under the cursor.
    /// True when the text changed.
    pub fn key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let at = self.cursor();
        let next = |text: &str| text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        let previous = |text: &str| text[..at].char_indices().next_back().map_or(at, |(i, _)| i);
        let len = self.text.len();
        match key.code {
            KeyCode::Char('a') if ctrl => self.set_cursor(0),
            KeyCode::Home => self.set_cursor(0),
            KeyCode::Char('e') if ctrl => self.set_cursor(len),
            KeyCode::End => self.set_cursor(len),
            KeyCode::Char('b') if ctrl => self.set_cursor(previous(self.text)),
            KeyCode::Left if !alt && !ctrl => self.set_cursor(previous(self.text)),
            KeyCode::Char('f') if ctrl => self.set_cursor(next(self.text)),
            KeyCode::Right if !alt && !ctrl => self.set_cursor(next(self.text)),
            KeyCode::Char('b') if alt => self.set_cursor(self.word_back(at)),
            KeyCode::Char('f') if alt => self.set_cursor(self.word_forward(at)),
            KeyCode::Char('k') if ctrl => return self.cut(at..len),
            KeyCode::Char('u') if ctrl => return self.cut(0..at),
            KeyCode::Char('w') if ctrl => {
                let before = &self.text[..at];
                let word = before.trim_end_matches(char::is_whitespace).len();
                let start = before[..word]
                    .char_indices()
                    .rev()
                    .find(|(_, c)| c.is_whitespace())
                    .map_or(0, |(i, c)| i + c.len_utf8());
                return self.cut(start..at);
            }
            KeyCode::Backspace if alt => return self.cut(self.word_back(at)..at),
            KeyCode::Backspace if !ctrl => return self.backspace(),
            KeyCode::Delete => return self.cut_char(at, next(self.text)),
            KeyCode::Char('d') if ctrl => return self.cut_char(at, next(self.text)),
            KeyCode::Char('y') if ctrl && !self.yank.is_empty() => {
                let yank = self.yank.clone();
                self.insert(&yank);
                return true;
            }
            _ => {}
        }
        false
    }

    /// Deleting one character is not a cut: the yank stays.
    fn cut_char(&mut self, at: usize, end: usize) -> bool {
        if at == end {
            return false;
        }
        self.text.replace_range(at..end, "");
        self.set_cursor(at);
        true
    }
}

/// `text` with a bar where the cursor is, `from_end` characters before
/// its end: how the one-line fields are drawn.
pub fn with_cursor(text: &str, from_end: usize) -> String {
    let count = text.chars().count();
    let at = text
        .char_indices()
        .nth(count - from_end.min(count))
        .map_or(text.len(), |(i, _)| i);
    format!("{}▏{}", &text[..at], &text[at..])
}

impl App {
    /// The one-line field of the current mode, for [`LineEdit`].
    pub(super) fn line_edit(&mut self) -> Option<LineEdit<'_>> {
        let text = match self.mode {
            InputMode::Picker => &mut self.picker.query,
            InputMode::Find => &mut self.find.query,
            InputMode::WritePath => &mut self.overlays.path_input,
            _ => return None,
        };
        Some(LineEdit {
            text,
            from_end: &mut self.overlays.line_cursor,
            yank: &mut self.overlays.line_yank,
        })
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    /// Plays `keys` on `text` (cursor at the end); the text with its cursor.
    fn play(text: &str, keys: &[KeyEvent]) -> (String, String) {
        let (mut text, mut from_end, mut yank) = (text.to_string(), 0, String::new());
        let mut line = LineEdit {
            text: &mut text,
            from_end: &mut from_end,
            yank: &mut yank,
        };
        for k in keys {
            line.key(*k);
        }
        (with_cursor(&text, from_end), yank)
    }

    #[test]
    fn one_line_fields_keep_readlines_keys() {
        let ctrl = |c| key(KeyCode::Char(c), KeyModifiers::CONTROL);
        let alt = |c| key(KeyCode::Char(c), KeyModifiers::ALT);
        let plain = |code| key(code, KeyModifiers::NONE);
        let text = "Désirée Ünal  İz";
        assert_eq!(play(text, &[ctrl('a')]).0, "▏Désirée Ünal  İz");
        assert_eq!(play(text, &[ctrl('a'), ctrl('e')]).0, "Désirée Ünal  İz▏");
        assert_eq!(
            play(text, &[plain(KeyCode::Home), plain(KeyCode::Right)]).0,
            "D▏ésirée Ünal  İz"
        );
        assert_eq!(play(text, &[alt('b')]).0, "Désirée Ünal  ▏İz");
        assert_eq!(play(text, &[alt('b'), alt('b')]).0, "Désirée ▏Ünal  İz");
        assert_eq!(play(text, &[ctrl('a'), alt('f')]).0, "Désirée▏ Ünal  İz");
        assert_eq!(
            play(text, &[alt('b'), alt('b'), ctrl('k')]),
            ("Désirée ▏".to_string(), "Ünal  İz".to_string())
        );
        assert_eq!(
            play(text, &[alt('b'), ctrl('u')]),
            ("▏İz".to_string(), "Désirée Ünal  ".to_string())
        );
        assert_eq!(
            play(text, &[ctrl('w')]),
            ("Désirée Ünal  ▏".to_string(), "İz".to_string())
        );
        assert_eq!(
            play(text, &[ctrl('w'), ctrl('a'), ctrl('y')]).0,
            "İz▏Désirée Ünal  "
        );
        assert_eq!(
            play(text, &[key(KeyCode::Backspace, KeyModifiers::ALT)]).0,
            "Désirée Ünal  ▏"
        );
        assert_eq!(
            play(text, &[ctrl('a'), plain(KeyCode::Delete)]).0,
            "▏ésirée Ünal  İz"
        );
        assert_eq!(
            play(text, &[plain(KeyCode::Left), plain(KeyCode::Backspace)]).0,
            "Désirée Ünal  ▏z"
        );
        // Nothing to cut at the edges: nothing changes, no panic.
        assert_eq!(
            play("", &[ctrl('u'), ctrl('k'), ctrl('w'), ctrl('y'), alt('b')]).0,
            "▏"
        );
    }
}

#[cfg(test)]
mod approval_tests {
    use super::*;
    use chrono::TimeZone;

    /// The approval is dated by the approving meeting (when it was held),
    /// not by the day its notes were typed or fixed.
    #[test]
    fn an_approval_is_dated_by_the_approving_meeting() {
        let mut meeting = crate::model::Meeting::new("WG", chrono_tz::Tz::UTC);
        meeting.add_agenda_item(crate::model::APPROVAL_OF_MINUTES.to_string(), None);
        let item = meeting.agenda[0].id;
        meeting.previous = Some(crate::model::PreviousMeeting {
            file: "/tmp/84.json".into(),
            approval_item: item,
            approval_recorded: false,
        });
        let held: crate::model::Instant = "2024-10-17T19:00:00+00:00".parse().unwrap();
        meeting.started_at = Some(held);
        meeting.ended_at = Some("2024-10-17T20:00:00+00:00".parse().unwrap());
        let typed_up = chrono::Utc.with_ymd_and_hms(2024, 11, 2, 9, 0, 0).unwrap();
        let mut app = App::new(meeting, typed_up);
        app.current_item = Some(item);
        for c in "DECISION: approved".chars() {
            let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            app.update(Action::Editor(EditorAction::Key(key)), typed_up);
        }
        let effects = app.update(Action::Editor(EditorAction::Commit), typed_up);
        let approval = effects
            .iter()
            .find_map(|e| match e {
                Effect::RecordApproval { approval, .. } => Some(approval.clone()),
                _ => None,
            })
            .expect("the approval is recorded");
        assert_eq!(approval.at, held);
    }
}
