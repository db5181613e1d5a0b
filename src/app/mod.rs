//! The app's state and `update`: every change to the meeting happens here,
//! from an [`Action`] and the current time, with no terminal and no I/O.
//! What must reach the disk is returned as [`Effect`]s.

mod action;
mod agenda;
mod composer;
mod editor;
mod find;
mod outcome;
mod overlays;
mod panes;
mod participants;
mod picker;
mod queue;
mod record;
mod remote;
mod scribe;
mod selection;
mod setup;
mod setup_error;
mod speakers;
// The transcript pane's actions (issue #25).
mod transcript;

pub use action::{
    Action, AgendaAction, Change, EditorAction, Effect, FindAction, NotesAction, Outcome,
    QueueAction, SetupAction, SharedMeeting, SpeakerAction, UnsavedAction,
};
pub use composer::Composer;
pub use editor::with_cursor;
pub use find::Find;
pub use overlays::Overlays;
pub use panes::SidePanes;
pub use participants::{PageAction, Pages, PollCommand};
pub use picker::{Picker, PickerRow};
pub use selection::{Editing, Selection};
pub use setup::{DETAILS, Detail, Purpose, Setup, SetupInput, SetupTab};
pub use setup_error::SetupError;
pub use speakers::{SLOT_COUNT, SpeakerSlots};

use crate::model::{Instant, Meeting};
use crate::store::Draft;
use chrono::{DateTime, Utc};

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
    /// Ctrl+F: typing words to find a note anywhere in the meeting.
    Find,
    /// In the transcript pane: choosing segments to pull into the note.
    Transcript,
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
    /// Sharing (src/share/): who is connected, or why not.
    pub sharing: Option<String>,
}

pub struct App {
    pub meeting: Meeting,
    pub mode: InputMode,
    /// The note being typed (app/composer.rs).
    pub composer: Composer,
    /// Participant ids of the current speaker(s).
    pub speakers: Vec<String>,
    pub slots: SpeakerSlots,
    pub current_item: Option<u32>,
    pub picker: Picker,
    /// Ctrl+F's query and chosen hit.
    pub find: Find,
    /// The earlier note selected or edited, and the notes deleted
    /// (app/selection.rs).
    pub selection: Selection,
    pub status: Status,
    /// The time of the last action; what the screen shows as "now".
    pub now: DateTime<Utc>,
    next_note_id: u64,
    /// The ids new agenda items take (a block of this scribe's own when
    /// the meeting is shared).
    item_ids: std::ops::Range<u32>,
    /// The modes under the overlays, and the one-line fields typed in
    /// them (app/overlays.rs).
    pub overlays: Overlays,
    /// The minutes are final or approved: they are read, not changed,
    /// until F9 amends them (recorded in the meeting's `amended`).
    pub read_only: bool,
    /// The meeting's file was made for this session (`minutes NEWFILE`):
    /// the header says "[New]" until the first note.
    pub new_file: bool,
    /// The side panes (who spoke, what to fix, the queue) and the help's
    /// scrolling: what they show, and when it was read.
    pub panes: SidePanes,
    /// Counts the changes made to the meeting (every action returning a
    /// save): what is derived from the whole meeting is read again only
    /// after one, never on an idle clock tick.
    meeting_changes: u64,
    /// The current item's time warns this long before its planned end
    /// (config `[timers] item_warning_minutes`).
    pub item_warning_seconds: i64,
    pub setup: Setup,
    /// Where the meeting is saved, as the setup shows it.
    pub file: String,
    /// Changes whenever anything but the note being typed may have changed:
    /// panes drawn for one generation can be reused until the next.
    pub view_generation: u64,
    /// The transcript heard beside the notes (src/transcript/pane.rs).
    pub transcript: crate::transcript::Pane,
    /// The participants' pages: how many are connected, the hands each
    /// raised (app/participants.rs).
    pub pages: Pages,
}

impl App {
    pub fn new(meeting: Meeting, now: DateTime<Utc>) -> Self {
        // The chair first (Alt+1), then the roster in its order.
        let chair = meeting
            .chair
            .as_deref()
            .and_then(|name| meeting.find_participant_by_name(name))
            .map(|p| p.id.as_str());
        let roster = chair.into_iter().chain(
            meeting
                .participants
                .iter()
                .map(|p| p.id.as_str())
                .filter(|id| Some(*id) != chair),
        );
        let pinned = meeting
            .participants
            .iter()
            .filter_map(|p| Some((p.id.as_str(), p.speaker_number?)));
        let slots = SpeakerSlots::new(
            pinned,
            roster,
            meeting
                .notes
                .iter()
                .flat_map(|n| n.speakers.iter().map(String::as_str)),
        );
        let current_item = meeting.last_item();
        let read_only = meeting.finalized.is_some() || meeting.approved.is_some();
        let next_note_id = meeting.next_note_id();
        let speakers = meeting
            .notes
            .last()
            .map(|n| n.speakers.clone())
            .unwrap_or_default();
        let mut app = App {
            meeting,
            mode: InputMode::Typing,
            composer: Composer::default(),
            speakers,
            slots,
            current_item,
            picker: Picker::default(),
            find: Find::default(),
            selection: Selection::default(),
            status: Status::default(),
            now,
            next_note_id,
            item_ids: 1..u32::MAX,
            overlays: Overlays::default(),
            read_only,
            new_file: false,
            panes: SidePanes::default(),
            meeting_changes: 0,
            item_warning_seconds: 120,
            setup: Setup::default(),
            file: String::new(),
            view_generation: 0,
            transcript: crate::transcript::Pane::default(),
            pages: Pages::default(),
        };
        if app.read_only {
            app.say_read_only();
        } else if app.meeting.ended_at.is_some() {
            app.say_ended();
        }
        app
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
        self.composer.load(lines);
        self.speakers = draft.speakers;
        self.composer.started_at = draft.started_at;
        self.composer.started_by_pick = false;
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
                "Recovered {} from the journal{torn}",
                crate::text::plural(replay.records, "change")
            ));
        }
    }

    /// The note being typed, as saved to the draft file.
    pub fn draft(&self) -> Draft {
        match &self.selection.editing {
            Some(editing) => Draft {
                text: editing.stash.lines.join("\n"),
                speakers: editing.stash.speakers.clone(),
                started_at: editing.stash.started_at,
            },
            None => Draft {
                text: self.editor_text(),
                speakers: self.speakers.clone(),
                started_at: self.composer.started_at,
            },
        }
    }

    pub fn editor_text(&self) -> String {
        self.composer.text()
    }

    fn editor_is_empty(&self) -> bool {
        self.composer.is_empty()
    }

    /// Indices of the current item's notes, newest first.
    pub fn current_notes_rev(&self) -> impl Iterator<Item = usize> + '_ {
        let item = self.current_item;
        (0..self.meeting.notes.len())
            .rev()
            .filter(move |&i| self.shows(&self.meeting.notes[i], item))
    }

    /// Whether `note` is shown under `item`: its own, or, in the opening,
    /// a note of an item this meeting does not have (one another scribe
    /// removed, or not heard of yet), where the report puts it too.
    fn shows(&self, note: &crate::model::Note, item: Option<u32>) -> bool {
        note.item == item
            || (item.is_none() && note.item.is_some_and(|id| self.meeting.item(id).is_none()))
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
            Action::Editor(EditorAction::Key(_))
                | Action::Paste(_)
                | Action::Editor(EditorAction::NewLine)
        );
        // Typing and the clock leave the notes, agenda and roster as they were.
        let same_view = (typing || matches!(action, Action::Tick | Action::Outcome(_)))
            && self.mode == InputMode::Typing;
        let action_kind = match action {
            Action::Tick => ActionKind::Tick,
            _ => ActionKind::Other,
        };
        if self.read_only && !Self::reads_only(&action) {
            self.now = now;
            self.say_read_only();
            return vec![];
        }
        // Looking around final minutes (moving through the agenda,
        // quitting) changes nothing in them: not the times moving counts,
        // nor the end quitting stamps (the file is rewritten at exit from
        // what is in memory).
        let remote = action.is_remote();
        let frozen = (self.read_only && !remote).then(|| {
            let m = &self.meeting;
            (m.started_at, m.ended_at, m.agenda.clone())
        });
        let mut effects = self.dispatch(action, now);
        if let Some((started_at, ended_at, agenda)) = frozen
            && self.read_only
        {
            self.meeting.started_at = started_at;
            self.meeting.ended_at = ended_at;
            self.meeting.agenda = agenda;
            effects.retain(|e| !matches!(e, Effect::Persist(_)));
        }
        // The first key typed starts the meeting: the agenda shows it.
        let meta_changed = effects
            .iter()
            .any(|e| matches!(e, Effect::Persist(Change::Meta(_))));
        if !same_view || meta_changed {
            self.view_generation += 1;
        }
        if effects.iter().any(|e| matches!(e, Effect::Persist(_))) {
            self.meeting_changes += 1;
        }
        if !typing {
            // The current turn grows with the clock: read again on the
            // tick too, as often as the meeting's size allows.
            let clock = matches!(action_kind, ActionKind::Tick);
            let reading = panes::Reading {
                local_now: self.local_now(),
                meeting: &self.meeting,
                changes: self.meeting_changes,
                now,
            };
            self.panes.refresh_speaking(clock, reading);
        }
        effects
    }

    /// The table of contents: each group of actions is handled beside
    /// its state (see `action.rs` for where).
    fn dispatch(&mut self, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
        self.now = now;
        self.forget_stale_message(&action);
        match action {
            Action::Editor(action) => self.editor_action(action),
            Action::Speaker(action) => self.speaker_action(action),
            Action::Agenda(action) => self.agenda_action(action),
            Action::Notes(action) => self.notes_action(action),
            Action::Setup(action) => self.setup_action(action),
            Action::Unsaved(action) => self.unsaved_action(action),
            Action::Find(action) => self.find_action(action),
            Action::Queue(action) => self.queue_action(action),
            Action::Transcript(action) => self.transcript_action(action),
            Action::Paste(text) => self.paste(&text),
            Action::Remote(note, local) => self.remote_note(*note, local),
            Action::RemoteDeleted(id) => self.remote_deleted(id),
            Action::RemotePeople(people) => self.remote_people(people),
            Action::RemoteMeeting(meeting) => self.remote_meeting(meeting.0),
            Action::Outcome(outcome) => self.outcome(outcome),
            Action::Page(action) => self.page_action(action),
            Action::Cancel => self.cancel(),
            Action::ToggleHelp => self.toggle_help(),
            Action::HelpScroll(pages) => self.help_scroll_by(pages),
            Action::ToggleSpeaking => self.toggle_speaking(),
            Action::ToggleCheck => self.toggle_check(),
            Action::ToggleOffRecord => self.toggle_off_record(),
            Action::Park => self.park(),
            Action::Resume => self.resume(),
            Action::Amend => self.amend(),
            Action::Export => vec![Effect::Export],
            Action::Save => self.save_by_hand(),
            Action::Redraw => vec![Effect::Redraw],
            Action::Quit => self.quit_asked(),
            Action::Tick => self.tick(),
        }
    }

    /// The clock's tick: what is derived from the meeting, if it changed.
    fn tick(&mut self) -> Vec<Effect> {
        self.refresh_findings();
        vec![]
    }

    /// Parks a topic for the next meeting (`new --from` puts it on that
    /// agenda): the title typed in the editor, else the current item, which
    /// a second press takes back.
    fn park(&mut self) -> Vec<Effect> {
        if self.meeting.off_record {
            // The next meeting's agenda is a record too.
            self.refuse_off_record("a topic parked for the next meeting");
            return vec![];
        }
        let typed = self.editor_text().trim().to_string();
        if self.selection.editing.is_none() && !typed.is_empty() && !typed.contains('\n') {
            self.clear_editor();
            // Parked once, however often F7 is pressed on it.
            if self.meeting.parked.contains(&typed) {
                self.info(format!("Already parked: {typed}"));
                return vec![Effect::DraftChanged];
            }
            self.meeting.parked.push(typed.clone());
            self.info(format!(
                "Parked for the next meeting: {typed} ({} parked)",
                self.meeting.parked.len()
            ));
            return vec![self.meta_change(), Effect::DraftChanged];
        }
        let Some(title) = self
            .current_item
            .and_then(|id| self.meeting.item(id))
            .map(|item| item.title.clone())
        else {
            self.info("Type a title to park for the next meeting, or go to an item");
            return vec![];
        };
        if let Some(at) = self.meeting.parked.iter().position(|t| *t == title) {
            self.meeting.parked.remove(at);
            self.info(format!("No longer parked: {title}"));
        } else {
            self.meeting.parked.push(title.clone());
            self.info(format!(
                "Parked for the next meeting: {title} ({} parked)",
                self.meeting.parked.len()
            ));
        }
        vec![self.meta_change()]
    }

    /// Off the record from now on, or back on; with a note selected, that
    /// note alone.
    fn toggle_off_record(&mut self) -> Vec<Effect> {
        let now = self.local_now();
        if self.mode == InputMode::Selecting
            && let Some(note) = self
                .selection
                .selected
                .and_then(|i| self.meeting.notes.get_mut(i))
        {
            note.off_record = !note.off_record;
            note.edited_at = Some(now);
            let change = Effect::Persist(Change::Note(Box::new(note.clone())));
            let off = note.off_record;
            self.info(if off {
                "This note is off the record: kept, never reported"
            } else {
                "This note is on the record again"
            });
            return vec![change];
        }
        self.meeting.off_record = !self.meeting.off_record;
        // Off the record stops the transcript too (app/transcript.rs).
        let stop = self.stop_listening_off_record();
        if self.meeting.off_record {
            self.say(
                Severity::Info,
                "Off the record: notes are kept but left out of every report ({} goes back on)",
                &[(InputMode::Typing, Action::ToggleOffRecord)],
            );
        } else {
            self.info("Back on the record");
        }
        stop.into_iter().chain([self.meta_change()]).collect()
    }

    /// How long the current speakers have held the floor: since their
    /// first note of this turn (the notes in a row that are theirs), else
    /// since they were picked for the note being typed.
    pub fn turn_seconds(&self) -> Option<i64> {
        if self.speakers.is_empty() {
            return None;
        }
        let mut start = self.composer.started_at;
        for note in self.meeting.notes.iter().rev() {
            if note.speakers != self.speakers || note.off_record != self.meeting.off_record {
                break;
            }
            start = Some(start.map_or(note.started_at, |s| s.min(note.started_at)));
        }
        start.map(|s| (self.local_now() - s).num_seconds().max(0))
    }

    /// The speaker limit is passed (`speaker_limit_minutes`).
    pub fn turn_over_limit(&self) -> bool {
        match (self.meeting.speaker_limit_minutes, self.turn_seconds()) {
            (Some(limit), Some(seconds)) => seconds > i64::from(limit) * 60,
            _ => false,
        }
    }

    /// Opens an overlay (the help, the setup) over the current mode.
    fn open_overlay(&mut self, mode: InputMode) -> Vec<Effect> {
        self.mode = self.overlays.open(self.mode, mode);
        vec![]
    }

    /// Closes the overlay on top: back to the mode under it.
    fn close_overlay(&mut self) -> Vec<Effect> {
        self.mode = self.overlays.close();
        vec![]
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

    /// Capture has begun (a note was committed, or the agenda moved in a
    /// started meeting): stamps the meeting start and opens a visit on the
    /// current item if none is open. True when that changed the meeting
    /// (the caller then returns [`App::meta_change`]).
    #[must_use = "a change to the meeting must be saved"]
    fn ensure_started(&mut self, at: Instant) -> bool {
        // An ended meeting opened again is being fixed: its times are the
        // record of the call and stay as they were (F8 resumes the call).
        if self.meeting.ended_at.is_some() {
            return false;
        }
        let mut changed = false;
        if self.meeting.started_at.is_none() {
            self.meeting.started_at = Some(at);
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

    fn paste(&mut self, text: &str) -> Vec<Effect> {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        match self.mode {
            InputMode::Picker => {
                let first_line = text.lines().next().unwrap_or("");
                if let Some(mut line) = self.line_edit() {
                    line.insert(first_line);
                }
                self.refilter_picker();
                vec![]
            }
            InputMode::Typing | InputMode::Selecting => {
                self.leave_selection();
                if self.composer.editor.insert_str(&text) {
                    self.draft_edited()
                } else {
                    vec![]
                }
            }
            InputMode::WritePath => {
                if let Some(mut line) = self.line_edit() {
                    line.insert(text.lines().next().unwrap_or(""));
                }
                vec![]
            }
            InputMode::SetupInput => {
                if let Some(input) = &mut self.setup.input {
                    input.editor.insert_str(text.lines().next().unwrap_or(""));
                    input.error = None;
                }
                vec![]
            }
            InputMode::Find => {
                self.find_paste(&text);
                vec![]
            }
            InputMode::Goto
            | InputMode::Help
            | InputMode::ConfirmQuit
            | InputMode::Setup
            | InputMode::Transcript => vec![],
        }
    }

    fn cancel(&mut self) -> Vec<Effect> {
        match self.mode {
            InputMode::Picker | InputMode::Goto | InputMode::Find => self.mode = InputMode::Typing,
            InputMode::Selecting => self.leave_selection(),
            InputMode::Help => {
                self.close_overlay();
            }
            InputMode::ConfirmQuit => self.mode = InputMode::Typing,
            InputMode::Setup => self.close_setup(),
            InputMode::SetupInput => {
                self.setup.input = None;
                self.mode = InputMode::Setup;
            }
            InputMode::WritePath => self.mode = InputMode::ConfirmQuit,
            InputMode::Transcript => {
                self.transcript.cursor = None;
                self.transcript.anchor = None;
                self.mode = InputMode::Typing;
            }
            InputMode::Typing => {
                if let Some(editing) = self.selection.editing.take() {
                    self.unstash(editing.stash);
                    self.info("Edit cancelled");
                } else if self.clear_typed() {
                    return vec![Effect::DraftChanged];
                } else {
                    // Esc from habit, with nothing open: say what there is.
                    self.say(
                        Severity::Info,
                        "Nothing to close: {} lists every key, {} quits (everything is saved)",
                        &[
                            (InputMode::Typing, Action::ToggleHelp),
                            (InputMode::Typing, Action::Quit),
                        ],
                    );
                }
            }
        }
        vec![]
    }

    pub(super) fn unsaved_action(&mut self, action: UnsavedAction) -> Vec<Effect> {
        match action {
            UnsavedAction::QuitAnyway => self.quit(),
            UnsavedAction::Retry => {
                self.mode = InputMode::Typing;
                vec![Effect::RetrySave]
            }
            UnsavedAction::StartWriteElsewhere => {
                self.mode = InputMode::WritePath;
                self.overlays.line_cursor = 0;
                vec![]
            }
            UnsavedAction::PathType(_) | UnsavedAction::PathBackspace => {
                if let Some(mut line) = self.line_edit() {
                    match action {
                        UnsavedAction::PathType(c) => line.insert(c.encode_utf8(&mut [0; 4])),
                        _ => {
                            line.backspace();
                        }
                    }
                }
                vec![]
            }
            UnsavedAction::PathConfirm if self.overlays.path_input.trim().is_empty() => vec![],
            UnsavedAction::PathConfirm => {
                self.mode = InputMode::ConfirmQuit;
                vec![Effect::WriteTo(self.overlays.path_input.trim().to_string())]
            }
        }
    }

    /// A new action of the user's makes the last message stale (save
    /// errors excepted); the clock, what the edge reports, the other
    /// scribes, the pages and the recogniser do not ("Bo left" stays on
    /// screen when Bo's last change arrives after it).
    fn forget_stale_message(&mut self, action: &Action) {
        if action.is_the_users() && self.mode != InputMode::Help {
            self.status.message = None;
        }
    }

    /// Ctrl+S, from habit: saving is automatic; says when it last was.
    fn save_by_hand(&mut self) -> Vec<Effect> {
        let when = self.status.last_saved.map_or(String::new(), |at| {
            let at = self.meeting.in_zone(self.meeting.local(at));
            format!(" (last at {})", at.format("%H:%M:%S"))
        });
        self.info(format!(
            "Nothing to save by hand: every note is on disk the moment it is committed{when}"
        ));
        vec![]
    }

    /// Quit, unless the last save failed: then ask first (retry, write
    /// elsewhere or quit anyway).
    fn quit_asked(&mut self) -> Vec<Effect> {
        if self.status.save_error.is_some() {
            self.mode = InputMode::ConfirmQuit;
            return vec![];
        }
        self.quit()
    }

    /// Quitting loses nothing: a pending edit is applied, the draft is kept
    /// for next time, and the meeting's end is stamped.
    fn quit(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        if self.selection.editing.is_some() {
            effects = self.commit();
            if let Some(editing) = self.selection.editing.take() {
                self.unstash(editing.stash);
            }
        }
        let now = self.local_now();
        // A meeting that had ended keeps its end: opening it to fix a note
        // is not the call going on.
        if self.meeting.started_at.is_some() && self.meeting.ended_at.is_none() {
            self.meeting.close_open_visits(now);
            self.meeting.ended_at = Some(now);
            effects.push(self.meta_change());
        }
        effects.extend([Effect::DraftChanged, Effect::Quit]);
        effects
    }
}

/// What `update` needs to know of an action after dispatching it.
enum ActionKind {
    Tick,
    Other,
}

/// Help lines scrolled per PgDn.
const HELP_PAGE: i32 = 10;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Note;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 9, 26, h, m, 0).unwrap()
    }

    /// A meeting of three items, for the app's tests.
    pub(super) fn meeting() -> Meeting {
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
        app.update(Action::Paste("first".into()), at(14, 0));
        // The first note starts the meeting: its meta, then the note.
        let effects = app.update(Action::Editor(EditorAction::Commit), at(14, 1));
        let Some(Effect::Persist(Change::Meta(meta))) = effects.first() else {
            panic!("the start is journaled: {effects:?}");
        };
        assert_eq!(meta.started_at, Some(app.meeting.local(at(14, 0))));
        assert!(meta.notes.is_empty());
        let note = app.meeting.notes[0].clone();
        assert_eq!(
            effects[1..],
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
                Effect::Persist(Change::Placed { .. }) => "placed",
                Effect::Persist(Change::Deleted(_)) => "deleted",
                Effect::Persist(Change::Meta(_)) => "meta",
                Effect::RetrySave => "retry",
                Effect::WriteTo(_) => "write to",
                Effect::DraftChanged => "draft",
                Effect::RecordApproval { .. } => "approval",
                Effect::Export => "export",
                Effect::Redraw => "redraw",
                Effect::Share(_) => "share",
                Effect::Transcript(_) => "transcript",
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
                "a first key saves only the draft: no start yet",
                vec![],
                paste("a"),
                vec!["draft"],
            ),
            (
                "more typing saves only the draft",
                vec![paste("a")],
                paste("b"),
                vec!["draft"],
            ),
            (
                "the first note starts the meeting",
                vec![paste("a")],
                Editor(EditorAction::Commit),
                vec!["meta", "note", "draft"],
            ),
            (
                "later notes",
                vec![paste("a"), Editor(EditorAction::Commit), paste("b")],
                Editor(EditorAction::Commit),
                vec!["note", "draft"],
            ),
            (
                "an empty commit does nothing",
                vec![],
                Editor(EditorAction::Commit),
                vec![],
            ),
            (
                "next item before the start: nothing to save",
                vec![],
                Agenda(AgendaAction::Next),
                vec![],
            ),
            (
                "next item once started",
                vec![paste("a"), Editor(EditorAction::Commit)],
                Agenda(AgendaAction::Next),
                vec!["meta"],
            ),
            (
                "last item: nothing to save",
                vec![Agenda(AgendaAction::Next), Agenda(AgendaAction::Next)],
                Agenda(AgendaAction::Next),
                vec![],
            ),
            (
                "a new owner joins the roster",
                vec![paste("ACTION: @Zoe do it")],
                Editor(EditorAction::Commit),
                vec!["meta", "note", "draft"],
            ),
            (
                "pick a speaker marks them present",
                vec![
                    Speaker(SpeakerAction::OpenPicker),
                    Speaker(SpeakerAction::Type('a')),
                ],
                Speaker(SpeakerAction::Choose),
                vec!["meta", "draft"],
            ),
            (
                "a stray key then quit: the meeting never started",
                vec![
                    paste("q"),
                    Editor(EditorAction::Key(crossterm::event::KeyEvent::new(
                        crossterm::event::KeyCode::Backspace,
                        crossterm::event::KeyModifiers::NONE,
                    ))),
                ],
                Quit,
                vec!["draft", "quit"],
            ),
            (
                "no speaker",
                vec![],
                Speaker(SpeakerAction::Clear),
                vec!["draft"],
            ),
            (
                "delete",
                vec![
                    paste("a"),
                    Editor(EditorAction::Commit),
                    Editor(EditorAction::UpOrSelectNotes),
                ],
                Notes(NotesAction::Delete),
                vec!["deleted"],
            ),
            (
                "undo",
                vec![
                    paste("a"),
                    Editor(EditorAction::Commit),
                    Editor(EditorAction::UpOrSelectNotes),
                    Notes(NotesAction::Delete),
                ],
                Notes(NotesAction::Restore),
                vec!["placed"],
            ),
            (
                "done on a statement",
                vec![
                    paste("a"),
                    Editor(EditorAction::Commit),
                    Editor(EditorAction::UpOrSelectNotes),
                ],
                Notes(NotesAction::ToggleDone),
                vec![],
            ),
            (
                "done on an action",
                vec![
                    paste("ACTION: x"),
                    Editor(EditorAction::Commit),
                    Editor(EditorAction::UpOrSelectNotes),
                ],
                Notes(NotesAction::ToggleDone),
                vec!["note"],
            ),
            (
                "edit",
                vec![
                    paste("a"),
                    Editor(EditorAction::Commit),
                    Editor(EditorAction::UpOrSelectNotes),
                    Notes(NotesAction::Edit),
                    paste("b"),
                ],
                Editor(EditorAction::Commit),
                vec!["note", "draft"],
            ),
            ("quit before the start", vec![], Quit, vec!["draft", "quit"]),
            (
                "quit stamps the end",
                vec![paste("a"), Editor(EditorAction::Commit)],
                Quit,
                vec!["meta", "draft", "quit"],
            ),
            ("export", vec![], Export, vec!["export"]),
            ("redraw", vec![], Redraw, vec!["redraw"]),
            ("help changes nothing", vec![], ToggleHelp, vec![]),
            (
                "setup: attendance",
                vec![
                    Setup(SetupAction::Toggle),
                    Setup(SetupAction::NextTab),
                    Setup(SetupAction::NextTab),
                ],
                Setup(SetupAction::Attendance),
                vec!["meta"],
            ),
            (
                "setup: move an item",
                vec![Setup(SetupAction::Toggle), Setup(SetupAction::NextTab)],
                Setup(SetupAction::MoveDown),
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

    /// An idle clock tick reads nothing from the whole meeting; after a
    /// change, a long meeting is read again only as often as its size
    /// allows.
    #[test]
    fn the_tick_reads_the_meeting_only_after_a_change() {
        let mut app = App::new(meeting(), at(14, 0));
        app.update(Action::Tick, at(14, 0));
        let read = app.panes.findings_read();
        app.update(Action::Tick, at(14, 1));
        app.update(Action::Tick, at(14, 2));
        assert_eq!(app.panes.findings_read(), read, "idle: nothing read again");
        app.update(Action::Paste("ACTION: someone".into()), at(14, 3));
        app.update(Action::Editor(EditorAction::Commit), at(14, 3));
        app.update(Action::Tick, at(14, 4));
        assert_eq!(
            app.panes.findings_read(),
            Some((app.meeting_changes, at(14, 4)))
        );
        assert!(app.errors_to_fix() > 0, "the action without an owner");

        // 300,000 notes: read again at most every 3 seconds.
        let mut long = meeting();
        let start = long.local(at(13, 0));
        long.notes = (1..=300_000)
            .map(|id| Note::new(id, Some(1), Vec::new(), "n".into(), start))
            .collect();
        let mut app = App::new(long, at(14, 0));
        let t = |s: i64| at(14, 0) + chrono::Duration::seconds(s);
        app.update(Action::Tick, t(0));
        app.update(Action::Paste("one more".into()), t(0));
        app.update(Action::Editor(EditorAction::Commit), t(0));
        app.update(Action::Tick, t(1));
        assert_eq!(app.panes.findings_read().map(|(_, at)| at), Some(t(0)));
        app.update(Action::Tick, t(3));
        assert_eq!(app.panes.findings_read().map(|(_, at)| at), Some(t(3)));
    }

    /// A peer's note dated hours before the meeting (or in the future)
    /// is dated when it came: its times cannot stretch the item's timer.
    #[test]
    fn a_peers_clock_is_not_trusted() {
        let mut app = App::new(meeting(), at(14, 0));
        app.update(Action::Paste("here".into()), at(14, 0));
        app.update(Action::Editor(EditorAction::Commit), at(14, 0));
        for sent in [at(10, 7), at(19, 0)] {
            let mut note = Note::new(
                0,
                Some(1),
                Vec::new(),
                "peer".into(),
                app.meeting.local(sent),
            );
            note.committed_at = note.started_at;
            let effects = app.update(Action::Remote(Box::new(note), None), at(14, 5));
            let got = app.meeting.notes.last().unwrap();
            assert!(
                effects
                    .iter()
                    .any(|e| matches!(e, Effect::Share(n) if **n == *got)),
                "the new dates go to every scribe: {effects:?}"
            );
            // Dated when it came (up to a minute ahead would be kept: a
            // note committed during the step, a clock a little ahead).
            let skew = chrono::Duration::seconds(60);
            assert_eq!(got.started_at, app.meeting.local(at(14, 5)));
            assert!(got.committed_at <= app.meeting.local(at(14, 5)) + skew);
        }
        let item = &app.meeting.agenda[0];
        assert_eq!(item.seconds_spent(app.meeting.local(at(14, 5))), 5 * 60);
    }

    /// Two scribes start at once: a note begun a little before this
    /// scribe's first keeps its date, as its scribe has it (every file the
    /// same), and the meeting began then. A joining scribe whose meeting
    /// had not begun keeps the date too. Dates a scribe already has are
    /// not set again.
    #[test]
    fn a_peers_note_from_a_little_before_keeps_its_date() {
        let peer = |app: &App, id: u64, minute: u32| {
            let mut note = Note::new(
                id,
                Some(1),
                Vec::new(),
                "peer".into(),
                app.meeting.local(at(14, minute)),
            );
            note.committed_at = app.meeting.local(at(14, minute + 1));
            note
        };
        let mut app = App::new(meeting(), at(14, 10));
        app.update(Action::Paste("here".into()), at(14, 10));
        app.update(Action::Editor(EditorAction::Commit), at(14, 10));
        let note = peer(&app, 77, 2);
        let effects = app.update(Action::Remote(Box::new(note.clone()), None), at(14, 11));
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::Share(_))),
            "{effects:?}"
        );
        let got = app.meeting.notes.iter().find(|n| n.id == 77).unwrap();
        assert_eq!(
            (got.started_at, got.committed_at),
            (note.started_at, note.committed_at)
        );
        assert_eq!(app.meeting.started_at, Some(note.started_at), "begun then");
        assert!(
            effects.iter().any(|e| matches!(e, Effect::Persist(Change::Meta(m)) if m.started_at == Some(note.started_at))),
            "the earlier start is saved: {effects:?}"
        );
        // Not begun here: the note from before now keeps its date.
        let mut joined = App::new(meeting(), at(14, 0));
        let note = peer(&joined, 78, 3);
        joined.update(Action::Remote(Box::new(note.clone()), None), at(14, 9));
        let got = joined.meeting.notes.iter().find(|n| n.id == 78).unwrap();
        assert_eq!(got.started_at, note.started_at);
        assert_eq!(joined.meeting.started_at, Some(note.started_at));
        // A version of a note it has, from hours before: as it comes.
        let mut edited = peer(&joined, 78, 3);
        edited.started_at = joined.meeting.local(at(9, 0));
        edited.text = "peer, edited".into();
        joined.update(
            Action::Remote(Box::new(edited.clone()), Some(78)),
            at(14, 12),
        );
        let got = joined.meeting.notes.iter().find(|n| n.id == 78).unwrap();
        assert_eq!(
            (got.text.as_str(), got.started_at),
            ("peer, edited", edited.started_at)
        );
        assert_eq!(
            joined.meeting.started_at,
            Some(note.started_at),
            "no earlier"
        );
    }

    #[test]
    fn a_clock_gone_back_never_ends_a_visit_before_it_began() {
        let mut app = App::new(meeting(), at(14, 0));
        app.update(Action::Agenda(AgendaAction::Next), at(14, 5));
        app.update(Action::Agenda(AgendaAction::Next), at(13, 50));
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
