//! The app's state and `update`: every change to the meeting happens here,
//! from an [`Action`] and the current time, with no terminal and no I/O.
//! What must reach the disk is returned as [`Effect`]s.

mod action;
mod picker;
mod setup;
mod speakers;

pub use action::{Action, Change, Effect};
pub use picker::{Picker, PickerRow};
pub use setup::{DETAILS, Detail, Purpose, Setup, SetupInput, SetupTab};
pub use speakers::{SLOT_COUNT, SpeakerSlots};

use crate::model::stats::{self, Speaking};
use crate::model::{Attendance, Instant, Meeting, Note, classify};
use crate::store::Draft;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputMode {
    Typing,
    Picker,
    Goto,
    Selecting,
    Help,
    /// Quitting while the last save failed: retry, write elsewhere or quit.
    ConfirmQuit,
    /// Typing the file to write the meeting to instead.
    WritePath,
    /// F2: the meeting's details, agenda and people.
    Setup,
    /// Typing a value in the setup.
    SetupInput,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Severity {
    Info,
    Error,
}

/// Something the status line says. Keys are named by the keymap when it
/// is shown (`{}` in `text` stands for each of `keys`, in order), never
/// typed into the text: what a message tells you to press is what the
/// key table binds.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub text: String,
    pub keys: Vec<(InputMode, Action)>,
    pub severity: Severity,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Status {
    pub message: Option<Message>,
    pub last_saved: Option<DateTime<Utc>>,
    /// Set while the last save failed; cleared by the next good one.
    pub save_error: Option<String>,
    /// Where the meeting was written instead, after a failed save.
    pub written_to: Option<String>,
}

/// The note being typed, set aside while an earlier note is edited.
#[derive(Debug, Clone)]
struct Stash {
    lines: Vec<String>,
    speakers: Vec<String>,
    started_at: Option<Instant>,
    started_by_pick: bool,
}

#[derive(Debug, Clone)]
pub struct Editing {
    pub note_id: u64,
    stash: Stash,
}

pub struct App {
    pub meeting: Meeting,
    pub mode: InputMode,
    pub editor: TextArea<'static>,
    /// When the note being typed began (speaker picked or first key).
    pub draft_started_at: Option<Instant>,
    draft_started_by_pick: bool,
    /// Participant ids of the current speaker(s).
    pub speakers: Vec<String>,
    pub slots: SpeakerSlots,
    pub current_item: Option<u32>,
    pub picker: Picker,
    /// Digits typed after Ctrl+G.
    pub goto_input: String,
    /// Index into `meeting.notes` of the selected earlier note.
    pub selected: Option<usize>,
    pub editing: Option<Editing>,
    /// Deleted notes with their former index, newest last, for Ctrl+Z.
    deleted: Vec<(usize, Note)>,
    pub status: Status,
    /// The time of the last action; what the screen shows as "now".
    pub now: DateTime<Utc>,
    next_note_id: u64,
    mode_before_help: InputMode,
    /// First help line shown; the help clamps it to what it has.
    pub help_scroll: u16,
    /// Where to write the meeting when its own file cannot be written.
    pub path_input: String,
    /// Who spoke and for how long, kept up to date while its pane is shown.
    pub speaking: Option<Speaking>,
    pub setup: Setup,
    mode_before_setup: InputMode,
    /// Changes whenever anything but the note being typed may have changed:
    /// panes drawn for one generation can be reused until the next.
    pub view_generation: u64,
}

impl App {
    pub fn new(meeting: Meeting, now: DateTime<Utc>) -> Self {
        let slots = SpeakerSlots::new(
            meeting.participants.iter().map(|p| p.id.as_str()),
            meeting
                .notes
                .iter()
                .flat_map(|n| n.speakers.iter().map(String::as_str)),
        );
        let current_item = meeting.last_item();
        let next_note_id = meeting.next_note_id();
        let speakers = meeting
            .notes
            .last()
            .map(|n| n.speakers.clone())
            .unwrap_or_default();
        App {
            meeting,
            mode: InputMode::Typing,
            editor: new_editor(Vec::new()),
            draft_started_at: None,
            draft_started_by_pick: false,
            speakers,
            slots,
            current_item,
            picker: Picker::default(),
            goto_input: String::new(),
            selected: None,
            editing: None,
            deleted: Vec::new(),
            status: Status::default(),
            now,
            next_note_id,
            mode_before_help: InputMode::Typing,
            help_scroll: 0,
            path_input: String::new(),
            speaking: None,
            setup: Setup::default(),
            mode_before_setup: InputMode::Typing,
            view_generation: 0,
        }
    }

    /// Puts a saved draft back in the editor (after a quit or a crash).
    pub fn restore_draft(&mut self, draft: Draft) {
        // The speaker bar shows the draft's speakers.
        self.view_generation += 1;
        // A crash between committing a note and clearing its draft would
        // otherwise bring the committed text back.
        if self
            .meeting
            .notes
            .last()
            .is_some_and(|n| n.text == draft.text.trim())
        {
            self.speakers = draft.speakers;
            return;
        }
        let lines: Vec<String> = draft.text.lines().map(str::to_string).collect();
        self.editor = new_editor(lines);
        self.editor.move_cursor(CursorMove::Bottom);
        self.editor.move_cursor(CursorMove::End);
        self.speakers = draft.speakers;
        self.draft_started_at = draft.started_at;
        self.draft_started_by_pick = false;
    }

    /// Says what opening found in the journal, if anything worth saying.
    pub fn recovered(&mut self, replay: &crate::store::Replay) {
        let torn = if replay.torn_tail {
            " (an unfinished last change was dropped)"
        } else {
            ""
        };
        if replay.records > 0 || replay.torn_tail {
            self.info(format!(
                "Recovered {} changes from the journal{torn}",
                replay.records
            ));
        }
    }

    /// The note being typed, as saved to the draft file.
    pub fn draft(&self) -> Draft {
        match &self.editing {
            Some(editing) => Draft {
                text: editing.stash.lines.join("\n"),
                speakers: editing.stash.speakers.clone(),
                started_at: editing.stash.started_at,
            },
            None => Draft {
                text: self.editor_text(),
                speakers: self.speakers.clone(),
                started_at: self.draft_started_at,
            },
        }
    }

    pub fn editor_text(&self) -> String {
        self.editor.lines().join("\n")
    }

    fn editor_is_empty(&self) -> bool {
        self.editor.lines().iter().all(|l| l.is_empty())
    }

    /// Indices of the current item's notes, newest first.
    pub fn current_notes_rev(&self) -> impl Iterator<Item = usize> + '_ {
        let item = self.current_item;
        (0..self.meeting.notes.len())
            .rev()
            .filter(move |&i| self.meeting.notes[i].item == item)
    }

    pub fn saved(&mut self, at: DateTime<Utc>) {
        self.status.last_saved = Some(at);
        self.status.save_error = None;
    }

    pub fn exported(&mut self, result: Result<String, String>) {
        match result {
            Ok(path) => self.info(format!("Report written to {path}")),
            Err(e) => self.error(format!("Report not written: {e}")),
        }
    }

    pub fn written_elsewhere(&mut self, result: Result<String, String>) {
        match result {
            Ok(path) => {
                self.info(format!("Meeting written to {path}: q quits"));
                self.status.written_to = Some(path);
            }
            Err(e) => self.error(format!("Not written: {e}")),
        }
    }

    pub fn save_failed(&mut self, error: String) {
        self.status.save_error = Some(error);
    }

    /// A problem worth saying at start (a broken config or theme file).
    pub fn notice(&mut self, message: String) {
        self.error(message);
    }

    fn info(&mut self, message: impl Into<String>) {
        self.say(Severity::Info, message, &[]);
    }

    fn error(&mut self, message: impl Into<String>) {
        self.say(Severity::Error, message, &[]);
    }

    /// A message naming keys: `{}` in `text` for each of `keys`.
    fn say(&mut self, severity: Severity, text: impl Into<String>, keys: &[(InputMode, Action)]) {
        self.status.message = Some(Message {
            text: text.into(),
            keys: keys.to_vec(),
            severity,
        });
    }

    /// Applies one action at time `now`; returns what must be written.
    pub fn update(&mut self, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
        // Typing changes no count: only other actions refresh the pane.
        let typing = matches!(
            action,
            Action::EditorKey(_) | Action::Paste(_) | Action::NewLine
        );
        // Typing and the clock leave the notes, agenda and roster as they were.
        let same_view =
            (typing || matches!(action, Action::Tick)) && self.mode == InputMode::Typing;
        let effects = self.dispatch(action, now);
        // The first key typed starts the meeting: the agenda shows it.
        let meta_changed = effects
            .iter()
            .any(|e| matches!(e, Effect::Persist(Change::Meta(_))));
        if !same_view || meta_changed {
            self.view_generation += 1;
        }
        if self.speaking.is_some() && !typing {
            self.speaking = Some(stats::speaking(&self.meeting, self.local_now()));
        }
        effects
    }

    fn dispatch(&mut self, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
        self.now = now;
        if !matches!(action, Action::Tick) && !matches!(self.mode, InputMode::Help) {
            // A new action makes the last message stale, save errors excepted.
            self.status.message = None;
        }
        match action {
            Action::Tick => vec![],
            Action::Commit => self.commit(),
            Action::NewLine => {
                self.editor.insert_newline();
                self.draft_edited()
            }
            Action::EditorKey(key) => {
                if self.editor.input(key) {
                    self.draft_edited()
                } else {
                    vec![]
                }
            }
            Action::Paste(text) => self.paste(&text),
            Action::UpOrSelectNotes if self.editor_is_empty() && self.editing.is_none() => {
                self.select_notes()
            }
            Action::UpOrSelectNotes => {
                self.editor
                    .input(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE));
                vec![]
            }
            Action::SelectNotes if self.editing.is_none() => self.select_notes(),
            Action::SelectNotes => vec![],
            Action::OpenPicker => {
                self.mode = InputMode::Picker;
                self.picker.query.clear();
                self.refilter_picker();
                vec![]
            }
            Action::ChooseSlot(n) => match self.slots.get(n).map(str::to_string) {
                Some(id) => self.choose_speakers(vec![id]),
                None => {
                    self.say(
                        Severity::Error,
                        "No speaker on {} yet: {} picks one",
                        &[
                            (InputMode::Typing, Action::ChooseSlot(n)),
                            (InputMode::Typing, Action::OpenPicker),
                        ],
                    );
                    vec![]
                }
            },
            Action::ClearSpeaker => {
                self.speakers.clear();
                vec![Effect::DraftChanged]
            }
            Action::PickerType(c) => {
                self.picker.query.push(c);
                self.refilter_picker();
                vec![]
            }
            Action::PickerBackspace => {
                self.picker.query.pop();
                self.refilter_picker();
                vec![]
            }
            Action::PickerUp => {
                self.picker.move_by(-1);
                vec![]
            }
            Action::PickerDown => {
                self.picker.move_by(1);
                vec![]
            }
            Action::PickerChoose => self.pick(false),
            Action::PickerAddSpeaker => self.pick(true),
            Action::NextItem => self.step_item(1),
            Action::PreviousItem => self.step_item(-1),
            Action::SwitchItem(id) if self.meeting.item(id).is_some() => self.switch_item(id),
            Action::SwitchItem(_) => vec![],
            Action::ScrollNotes { older } => {
                match (self.mode, older) {
                    (InputMode::Selecting, older) => self.move_selection(older),
                    (InputMode::Typing, true) if self.editing.is_none() => {
                        self.select_notes();
                    }
                    _ => {}
                }
                vec![]
            }
            Action::StartGoto => {
                if self.meeting.agenda.is_empty() {
                    self.error("The meeting has no agenda items");
                } else {
                    self.goto_input.clear();
                    self.mode = InputMode::Goto;
                }
                vec![]
            }
            Action::GotoDigit(d) => {
                if self.goto_input.len() < 4 {
                    self.goto_input.push(char::from(b'0' + d.min(9)));
                }
                vec![]
            }
            Action::GotoBackspace => {
                self.goto_input.pop();
                vec![]
            }
            Action::GotoConfirm => self.goto_confirm(),
            Action::SelectOlder => {
                self.move_selection(true);
                vec![]
            }
            Action::SelectNewer => {
                self.move_selection(false);
                vec![]
            }
            Action::EditSelected => self.edit_selected(),
            Action::DeleteSelected => self.delete_selected(),
            Action::ToggleDone => self.toggle_done(),
            Action::RestoreDeleted => self.restore_deleted(),
            Action::TypeFromSelection(key) => {
                self.leave_selection();
                self.update(Action::EditorKey(key), now)
            }
            Action::Cancel => self.cancel(),
            Action::ToggleHelp => {
                if self.mode == InputMode::Help {
                    self.mode = self.mode_before_help;
                } else {
                    self.mode_before_help = self.mode;
                    self.mode = InputMode::Help;
                    self.help_scroll = 0;
                }
                vec![]
            }
            Action::OpenSetup if self.mode == InputMode::Setup => {
                self.close_setup();
                vec![]
            }
            Action::OpenSetup => self.open_setup(),
            Action::SetupNextTab => {
                self.setup_tab(true);
                vec![]
            }
            Action::SetupPrevTab => {
                self.setup_tab(false);
                vec![]
            }
            Action::SetupUp => {
                self.setup_move(false);
                vec![]
            }
            Action::SetupDown => {
                self.setup_move(true);
                vec![]
            }
            Action::SetupEdit => {
                self.setup_edit();
                vec![]
            }
            Action::SetupAdd => {
                self.setup_add();
                vec![]
            }
            Action::SetupRemove => self.setup_remove(),
            Action::SetupMoveUp => self.setup_reorder(false),
            Action::SetupMoveDown => self.setup_reorder(true),
            Action::SetupPlannedMinutes => {
                self.setup_field(Purpose::PlannedMinutes);
                vec![]
            }
            Action::SetupShortName => {
                self.setup_field(Purpose::ShortName);
                vec![]
            }
            Action::SetupAffiliation => {
                self.setup_field(Purpose::Affiliation);
                vec![]
            }
            Action::SetupAttendance => self.setup_attendance(),
            Action::SetupType(c) => {
                if let Some(input) = &mut self.setup.input {
                    input.text.push(c);
                    input.error = None;
                }
                vec![]
            }
            Action::SetupBackspace => {
                if let Some(input) = &mut self.setup.input {
                    input.text.pop();
                    input.error = None;
                }
                vec![]
            }
            Action::SetupConfirm => self.setup_confirm(),
            Action::ToggleSpeaking => {
                self.speaking = match self.speaking {
                    Some(_) => None,
                    None => Some(stats::speaking(&self.meeting, self.local_now())),
                };
                vec![]
            }
            Action::HelpScroll(pages) => {
                let by = i32::from(pages) * HELP_PAGE;
                self.help_scroll = (i32::from(self.help_scroll) + by).clamp(0, 400) as u16;
                vec![]
            }
            Action::Export => vec![Effect::Export],
            Action::Redraw => vec![Effect::Redraw],
            Action::Quit if self.status.save_error.is_some() => {
                self.mode = InputMode::ConfirmQuit;
                vec![]
            }
            Action::Quit | Action::QuitAnyway => self.quit(),
            Action::RetrySave => {
                self.mode = InputMode::Typing;
                vec![Effect::RetrySave]
            }
            Action::StartWriteElsewhere => {
                self.mode = InputMode::WritePath;
                vec![]
            }
            Action::PathType(c) => {
                self.path_input.push(c);
                vec![]
            }
            Action::PathBackspace => {
                self.path_input.pop();
                vec![]
            }
            Action::PathConfirm if self.path_input.trim().is_empty() => vec![],
            Action::PathConfirm => {
                self.mode = InputMode::ConfirmQuit;
                vec![Effect::WriteTo(self.path_input.trim().to_string())]
            }
        }
    }

    fn local_now(&self) -> Instant {
        self.meeting.local(self.now)
    }

    /// The effect that saves everything but the notes, as it is now. Every
    /// change to the meeting's details, roster, agenda or times returns it
    /// (after the change: it carries the values).
    fn meta_change(&self) -> Effect {
        Effect::Persist(Change::Meta(Box::new(self.meeting.meta())))
    }

    /// Capture has begun: stamps the meeting start and opens a visit on the
    /// current item if none is open. True when that changed the meeting
    /// (the caller then returns [`App::meta_change`]).
    #[must_use = "a change to the meeting must be saved"]
    fn ensure_started(&mut self, at: Instant) -> bool {
        let mut changed = false;
        if self.meeting.started_at.is_none() {
            self.meeting.started_at = Some(at);
            changed = true;
        }
        // Capture resumed after a quit: the meeting is running again.
        if self.meeting.ended_at.take().is_some() {
            changed = true;
        }
        if let Some(item) = self.current_item.and_then(|id| self.meeting.item_mut(id))
            && !item.is_open()
        {
            item.visits.push(crate::model::Visit {
                entered: at,
                left: None,
            });
            changed = true;
        }
        changed
    }

    fn draft_edited(&mut self) -> Vec<Effect> {
        if self.editing.is_some() {
            return vec![];
        }
        if self.editor_is_empty() {
            if !self.draft_started_by_pick {
                self.draft_started_at = None;
            }
        } else if self.draft_started_at.is_none() {
            let at = self.local_now();
            self.draft_started_at = Some(at);
            if self.ensure_started(at) {
                return vec![self.meta_change(), Effect::DraftChanged];
            }
        }
        vec![Effect::DraftChanged]
    }

    fn paste(&mut self, text: &str) -> Vec<Effect> {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        match self.mode {
            InputMode::Picker => {
                let first_line = text.lines().next().unwrap_or("");
                self.picker.query.push_str(first_line);
                self.refilter_picker();
                vec![]
            }
            InputMode::Typing | InputMode::Selecting => {
                self.leave_selection();
                if self.editor.insert_str(&text) {
                    self.draft_edited()
                } else {
                    vec![]
                }
            }
            InputMode::WritePath => {
                self.path_input.push_str(text.lines().next().unwrap_or(""));
                vec![]
            }
            InputMode::SetupInput => {
                if let Some(input) = &mut self.setup.input {
                    input.text.push_str(text.lines().next().unwrap_or(""));
                }
                vec![]
            }
            InputMode::Goto | InputMode::Help | InputMode::ConfirmQuit | InputMode::Setup => vec![],
        }
    }

    fn refilter_picker(&mut self) {
        let recent: Vec<&str> = self.slots.iter().map(|(_, id)| id).collect();
        self.picker.refilter(&self.meeting.participants, &recent);
    }

    fn pick(&mut self, beside_current: bool) -> Vec<Effect> {
        let mut added = false;
        let id = match self.picker.selected_row().cloned() {
            Some(PickerRow::Participant(i)) => self.meeting.participants[i].id.clone(),
            Some(PickerRow::AddNew) => {
                let typed = self.picker.query.trim().to_string();
                let id = self.meeting.add_participant(&typed);
                added = true;
                self.info(format!(
                    "Added {} to the roster",
                    self.meeting.short_name(&id)
                ));
                id
            }
            None => return vec![],
        };
        self.mode = InputMode::Typing;
        let mut speakers = if beside_current {
            self.speakers.clone()
        } else {
            Vec::new()
        };
        if !speakers.contains(&id) {
            speakers.push(id);
        }
        let mut effects = self.choose_speakers(speakers);
        if added && !effects.iter().any(|e| matches!(e, Effect::Persist(_))) {
            effects.insert(0, self.meta_change());
        }
        effects
    }

    /// Makes `ids` the current speakers; a pick starts the next note's clock.
    fn choose_speakers(&mut self, ids: Vec<String>) -> Vec<Effect> {
        let mut changed = false;
        for id in &ids {
            self.slots.touch(id);
            if let Some(p) = self.meeting.participant_mut(id)
                && p.attendance.is_none()
            {
                p.attendance = Some(Attendance::Present);
                changed = true;
            }
        }
        self.speakers = ids;
        if self.editing.is_none() && self.editor_is_empty() {
            let at = self.local_now();
            self.draft_started_at = Some(at);
            self.draft_started_by_pick = true;
            changed |= self.ensure_started(at);
        }
        if changed {
            vec![self.meta_change(), Effect::DraftChanged]
        } else {
            vec![Effect::DraftChanged]
        }
    }

    fn commit(&mut self) -> Vec<Effect> {
        let text = self.editor_text().trim().to_string();
        if text.is_empty() {
            if self.editing.is_some() {
                self.say(
                    Severity::Error,
                    "A note cannot be empty: {} keeps it as it was, {} removes it",
                    &[
                        (InputMode::Typing, Action::Cancel),
                        (InputMode::Selecting, Action::DeleteSelected),
                    ],
                );
            }
            return vec![];
        }
        let now = self.local_now();
        let classified = classify(&text);
        let mut roster_changed = false;
        let owner = classified.owner.as_deref().map(|typed| {
            match self.meeting.find_participant_by_name(typed) {
                Some(p) => p.id.clone(),
                None => {
                    roster_changed = true;
                    self.meeting.add_participant(typed)
                }
            }
        });
        if let Some(editing) = self.editing.take() {
            if let Some(note) = self
                .meeting
                .notes
                .iter_mut()
                .find(|n| n.id == editing.note_id)
            {
                note.text = text;
                note.kind = classified.kind;
                note.owner = owner;
                note.due = classified.due;
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
        self.meeting.notes.push(Note {
            id,
            item: self.current_item,
            speakers: self.speakers.clone(),
            text,
            kind: classified.kind,
            owner,
            due: classified.due,
            started_at,
            committed_at: now,
            edited_at: None,
            done: false,
        });
        self.next_note_id += 1;
        self.editor = new_editor(Vec::new());
        self.draft_started_at = None;
        self.draft_started_by_pick = false;
        let meta = meta_changed.then(|| self.meta_change());
        let added = self.note_change(id);
        meta.into_iter()
            .chain(added)
            .chain([Effect::DraftChanged])
            .collect()
    }

    fn step_item(&mut self, delta: isize) -> Vec<Effect> {
        let agenda = &self.meeting.agenda;
        if agenda.is_empty() {
            self.error("The meeting has no agenda items");
            return vec![];
        }
        let position = self
            .current_item
            .and_then(|id| agenda.iter().position(|i| i.id == id));
        let target = match position {
            Some(p) => p as isize + delta,
            None => 0,
        };
        if target < 0 || target >= agenda.len() as isize {
            let edge = if delta > 0 { "last" } else { "first" };
            self.info(format!("Already on the {edge} item"));
            return vec![];
        }
        let id = agenda[target as usize].id;
        self.switch_item(id)
    }

    fn switch_item(&mut self, id: u32) -> Vec<Effect> {
        if self.current_item == Some(id) {
            return vec![];
        }
        let now = self.local_now();
        // Never before it was entered, even after the clock went back.
        self.meeting.close_open_visits(now);
        self.current_item = Some(id);
        // A visit opens whether or not the meeting had started.
        let _ = self.ensure_started(now);
        self.leave_selection();
        vec![self.meta_change()]
    }

    fn goto_confirm(&mut self) -> Vec<Effect> {
        self.mode = InputMode::Typing;
        let count = self.meeting.agenda.len();
        match self.goto_input.parse::<usize>() {
            Ok(n) if (1..=count).contains(&n) => {
                let id = self.meeting.agenda[n - 1].id;
                self.switch_item(id)
            }
            _ => {
                self.error(format!(
                    "No item {}: the agenda has 1 to {count}",
                    self.goto_input
                ));
                vec![]
            }
        }
    }

    fn select_notes(&mut self) -> Vec<Effect> {
        let newest = self.current_notes_rev().next();
        match newest {
            Some(newest) => {
                self.selected = Some(newest);
                self.mode = InputMode::Selecting;
            }
            None => self.info("No notes in this item yet"),
        }
        vec![]
    }

    fn move_selection(&mut self, older: bool) {
        let Some(from) = self.selected else { return };
        let item = self.current_item;
        let notes = &self.meeting.notes;
        let found = if older {
            (0..from).rev().find(|&i| notes[i].item == item)
        } else {
            (from + 1..notes.len()).find(|&i| notes[i].item == item)
        };
        match found {
            Some(i) => self.selected = Some(i),
            // Down past the newest note goes back to typing.
            None if !older => self.leave_selection(),
            None => {}
        }
    }

    fn leave_selection(&mut self) {
        self.selected = None;
        if self.mode == InputMode::Selecting {
            self.mode = InputMode::Typing;
        }
    }

    fn edit_selected(&mut self) -> Vec<Effect> {
        let Some(index) = self.selected else {
            return vec![];
        };
        let note = &self.meeting.notes[index];
        let stash = Stash {
            lines: self.editor.lines().to_vec(),
            speakers: std::mem::take(&mut self.speakers),
            started_at: self.draft_started_at.take(),
            started_by_pick: self.draft_started_by_pick,
        };
        self.editing = Some(Editing {
            note_id: note.id,
            stash,
        });
        self.speakers = note.speakers.clone();
        self.editor = new_editor(note.text.lines().map(str::to_string).collect());
        self.editor.move_cursor(CursorMove::Bottom);
        self.editor.move_cursor(CursorMove::End);
        self.leave_selection();
        vec![]
    }

    fn unstash(&mut self, stash: Stash) {
        self.editor = new_editor(stash.lines);
        self.editor.move_cursor(CursorMove::Bottom);
        self.editor.move_cursor(CursorMove::End);
        self.speakers = stash.speakers;
        self.draft_started_at = stash.started_at;
        self.draft_started_by_pick = stash.started_by_pick;
    }

    fn toggle_done(&mut self) -> Vec<Effect> {
        let Some(note) = self.selected.and_then(|i| self.meeting.notes.get_mut(i)) else {
            return vec![];
        };
        if note.kind != crate::model::NoteKind::Action {
            self.info("Only actions can be marked done");
            return vec![];
        }
        note.done = !note.done;
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
        let Some(index) = self.selected else {
            return vec![];
        };
        let note = self.meeting.notes.remove(index);
        let id = note.id;
        self.deleted.push((index, note));
        self.say(
            Severity::Info,
            "Note deleted: {} brings it back",
            &[(InputMode::Selecting, Action::RestoreDeleted)],
        );
        // Select the next older note of the item, else the newer one, else type.
        let item = self.current_item;
        let notes = &self.meeting.notes;
        let older = (0..index).rev().find(|&i| notes[i].item == item);
        let newer = (index..notes.len()).find(|&i| notes[i].item == item);
        match older.or(newer) {
            Some(i) => self.selected = Some(i),
            None => self.leave_selection(),
        }
        vec![Effect::Persist(Change::Deleted(id))]
    }

    fn restore_deleted(&mut self) -> Vec<Effect> {
        let Some((index, note)) = self.deleted.pop() else {
            self.info("Nothing to bring back");
            return vec![];
        };
        let index = index.min(self.meeting.notes.len());
        let elsewhere = note.item != self.current_item;
        let number = note.item.and_then(|id| self.meeting.item_number(id));
        let change = Change::Restored {
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
                self.selected = Some(index);
            }
        }
        if let Some(selected) = self.selected.filter(|&s| s >= index && elsewhere) {
            self.selected = Some(selected + 1);
        }
        vec![Effect::Persist(change)]
    }

    /// The effect that writes the note with this id as it is now.
    fn note_change(&self, id: u64) -> Option<Effect> {
        let note = self.meeting.notes.iter().rev().find(|n| n.id == id)?;
        Some(Effect::Persist(Change::Note(Box::new(note.clone()))))
    }

    fn cancel(&mut self) -> Vec<Effect> {
        match self.mode {
            InputMode::Picker | InputMode::Goto => self.mode = InputMode::Typing,
            InputMode::Selecting => self.leave_selection(),
            InputMode::Help => self.mode = self.mode_before_help,
            InputMode::ConfirmQuit => self.mode = InputMode::Typing,
            InputMode::Setup => self.close_setup(),
            InputMode::SetupInput => {
                self.setup.input = None;
                self.mode = InputMode::Setup;
            }
            InputMode::WritePath => self.mode = InputMode::ConfirmQuit,
            InputMode::Typing => {
                if let Some(editing) = self.editing.take() {
                    self.unstash(editing.stash);
                    self.info("Edit cancelled");
                }
            }
        }
        vec![]
    }

    /// Quitting loses nothing: a pending edit is applied, the draft is kept
    /// for next time, and the meeting's end is stamped.
    fn quit(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        if self.editing.is_some() {
            effects = self.commit();
            if let Some(editing) = self.editing.take() {
                self.unstash(editing.stash);
            }
        }
        let now = self.local_now();
        if self.meeting.started_at.is_some() {
            self.meeting.close_open_visits(now);
            self.meeting.ended_at = Some(now);
            effects.push(self.meta_change());
        }
        effects.extend([Effect::DraftChanged, Effect::Quit]);
        effects
    }
}

/// Help lines scrolled per PgDn.
const HELP_PAGE: i32 = 10;

fn new_editor(lines: Vec<String>) -> TextArea<'static> {
    let mut editor = if lines.is_empty() {
        TextArea::default()
    } else {
        TextArea::new(lines)
    };
    editor.set_wrap_mode(WrapMode::WordOrGlyph);
    editor.set_cursor_line_style(ratatui::style::Style::default());
    editor
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 9, 26, h, m, 0).unwrap()
    }

    fn meeting() -> Meeting {
        let mut meeting = Meeting::new("WG", chrono_tz::Tz::UTC);
        for title in ["One", "Two", "Three"] {
            meeting.add_agenda_item(title.to_string(), None);
        }
        meeting
    }

    /// The effects carry the values to write, as the action left them.
    #[test]
    fn effects_carry_what_they_write() {
        let mut app = App::new(meeting(), at(14, 0));
        // The first text typed starts the meeting: its meta is journaled.
        let effects = app.update(Action::Paste("first".into()), at(14, 0));
        let Some(Effect::Persist(Change::Meta(meta))) = effects.first() else {
            panic!("the start is journaled: {effects:?}");
        };
        assert!(meta.started_at.is_some() && meta.notes.is_empty());
        let effects = app.update(Action::Commit, at(14, 1));
        let note = app.meeting.notes[0].clone();
        assert_eq!(
            effects,
            [
                Effect::Persist(Change::Note(Box::new(note))),
                Effect::DraftChanged
            ]
        );
    }

    /// What an effect is, in a word, for tables of expected effects.
    fn kinds(effects: &[Effect]) -> Vec<&'static str> {
        effects
            .iter()
            .map(|e| match e {
                Effect::Persist(Change::Note(_)) => "note",
                Effect::Persist(Change::Restored { .. }) => "restored",
                Effect::Persist(Change::Deleted(_)) => "deleted",
                Effect::Persist(Change::Meta(_)) => "meta",
                Effect::RetrySave => "retry",
                Effect::WriteTo(_) => "write to",
                Effect::DraftChanged => "draft",
                Effect::Export => "export",
                Effect::Redraw => "redraw",
                Effect::Quit => "quit",
            })
            .collect()
    }

    fn paste(text: &str) -> Action {
        Action::Paste(text.into())
    }

    /// Every change to the meeting comes back as an effect that saves it:
    /// after each action, the actions before it set the scene.
    #[test]
    fn every_change_is_returned_as_an_effect() {
        use Action::*;
        let table: Vec<(&str, Vec<Action>, Action, Vec<&str>)> = vec![
            (
                "first key starts the meeting",
                vec![],
                paste("a"),
                vec!["meta", "draft"],
            ),
            (
                "more typing saves only the draft",
                vec![paste("a")],
                paste("b"),
                vec!["draft"],
            ),
            ("commit", vec![paste("a")], Commit, vec!["note", "draft"]),
            ("an empty commit does nothing", vec![], Commit, vec![]),
            ("next item", vec![], NextItem, vec!["meta"]),
            (
                "last item: nothing to save",
                vec![NextItem, NextItem],
                NextItem,
                vec![],
            ),
            (
                "a new owner joins the roster",
                vec![paste("ACTION: @Zoe do it")],
                Commit,
                vec!["meta", "note", "draft"],
            ),
            (
                "pick a speaker marks them present",
                vec![OpenPicker, PickerType('a')],
                PickerChoose,
                vec!["meta", "draft"],
            ),
            ("no speaker", vec![], ClearSpeaker, vec!["draft"]),
            (
                "delete",
                vec![paste("a"), Commit, UpOrSelectNotes],
                DeleteSelected,
                vec!["deleted"],
            ),
            (
                "undo",
                vec![paste("a"), Commit, UpOrSelectNotes, DeleteSelected],
                RestoreDeleted,
                vec!["restored"],
            ),
            (
                "done on a statement",
                vec![paste("a"), Commit, UpOrSelectNotes],
                ToggleDone,
                vec![],
            ),
            (
                "done on an action",
                vec![paste("ACTION: x"), Commit, UpOrSelectNotes],
                ToggleDone,
                vec!["note"],
            ),
            (
                "edit",
                vec![
                    paste("a"),
                    Commit,
                    UpOrSelectNotes,
                    EditSelected,
                    paste("b"),
                ],
                Commit,
                vec!["note", "draft"],
            ),
            ("quit before the start", vec![], Quit, vec!["draft", "quit"]),
            (
                "quit stamps the end",
                vec![paste("a")],
                Quit,
                vec!["meta", "draft", "quit"],
            ),
            ("export", vec![], Export, vec!["export"]),
            ("redraw", vec![], Redraw, vec!["redraw"]),
            ("help changes nothing", vec![], ToggleHelp, vec![]),
            (
                "setup: attendance",
                vec![OpenSetup, SetupNextTab, SetupNextTab],
                SetupAttendance,
                vec!["meta"],
            ),
            (
                "setup: move an item",
                vec![OpenSetup, SetupNextTab],
                SetupMoveDown,
                vec!["meta"],
            ),
        ];
        for (what, before, action, expected) in table {
            let mut app = App::new(meeting(), at(14, 0));
            app.meeting.add_participant("Ana Neves");
            for earlier in before {
                app.update(earlier, at(14, 1));
            }
            let effects = app.update(action, at(14, 2));
            assert_eq!(kinds(&effects), expected, "{what}: {effects:?}");
        }
    }

    #[test]
    fn a_clock_gone_back_never_ends_a_visit_before_it_began() {
        let mut app = App::new(meeting(), at(14, 0));
        app.update(Action::NextItem, at(14, 5));
        app.update(Action::NextItem, at(13, 50));
        for item in &app.meeting.agenda {
            for visit in &item.visits {
                assert!(
                    visit.left.is_none_or(|left| left >= visit.entered),
                    "{item:?}"
                );
            }
        }
    }
}
