//! What a key (or a paste, or the clock) asks the app to do, grouped by
//! what it acts on; each group is handled in the module beside its state
//! (see `App::dispatch`).

use crate::model::{Meeting, Note};
use crossterm::event::KeyEvent;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Typing a note (app/editor.rs).
    Editor(EditorAction),
    /// Who is speaking: the picker and the numbered bar (app/picker.rs).
    Speaker(SpeakerAction),
    /// Moving through the agenda (app/agenda.rs).
    Agenda(AgendaAction),
    /// Earlier notes: selecting, editing, deleting (app/selection.rs).
    Notes(NotesAction),
    /// F2, the meeting setup (app/setup.rs).
    Setup(SetupAction),
    /// Quitting while the last save failed (app/mod.rs, `unsaved_action`).
    Unsaved(UnsavedAction),
    /// Ctrl+F: finding a note in the whole meeting (app/find.rs).
    Find(FindAction),
    /// The speaker queue (app/queue.rs).
    Queue(QueueAction),
    /// The transcript: listening, the pane, pulling into a note
    /// (app/transcript.rs; docs/transcript.md).
    Transcript(crate::transcript::TranscriptAction),

    // The whole screen (app/mod.rs).
    /// A bracketed paste: inserted as one edit wherever text is typed.
    Paste(String),
    /// A note the other scribe committed (src/share/): added, or put in
    /// place of the one it came as before (its id here).
    Remote(Box<crate::model::Note>, Option<u64>),
    /// The other scribe deleted this note (its id here).
    RemoteDeleted(u64),
    /// People on the other scribe's roster: whoever is new here is added.
    RemotePeople(Vec<crate::model::Participant>),
    /// Sharing (src/share/): everything but the notes as the scribes
    /// share it (agenda, queue, roster and attendance, details, the
    /// record's state), put in place of this meeting's.
    RemoteMeeting(Box<SharedMeeting>),
    /// A participants' page asked for something, or the page server
    /// counted its pages (app/participants.rs).
    Page(super::PageAction),
    /// What the edge did with an effect (or found on its own), told back
    /// to the app: the state changes here, in `update`, never through a
    /// side door.
    Outcome(Outcome),
    /// Esc: closes whatever is open and returns to typing.
    Cancel,
    ToggleHelp,
    /// Scrolls the help by this many pages (negative: up).
    HelpScroll(i8),
    /// F3: the who-spoke pane.
    ToggleSpeaking,
    /// F4: what to fix before sending (`minutes check`), in the same place.
    ToggleCheck,
    /// Ctrl+O: notes from now on are off the record (or back on); with a
    /// note selected, that note.
    ToggleOffRecord,
    /// F7: keep the current item (or the title typed) for the next
    /// meeting; again on a parked item takes it back.
    Park,
    /// F6: write the Markdown report beside the meeting file.
    Export,
    /// F8: an ended meeting's call goes on (its end cleared). Opening it
    /// to fix notes leaves its times alone.
    Resume,
    /// F9: final or approved minutes, opened read-only, may be changed;
    /// the amendment is recorded (who, when) and the report says so.
    Amend,
    /// Ctrl+S, from habit: saving is automatic, and this says when it was.
    Save,
    /// Ctrl+L: draw the whole screen again (after another program wrote
    /// over it, or a terminal drew a character wider than it said).
    Redraw,
    Quit,
    /// The once-a-second clock tick.
    Tick,
}

/// What came of an effect at the edge (app/outcome.rs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every change so far is on disk.
    Saved,
    /// A write failed: said in red until the next good one.
    SaveFailed(String),
    /// The meeting was written elsewhere (its path), or not.
    WrittenElsewhere(Result<String, String>),
    /// The previous meeting's file was told of the approval, or not.
    ApprovalRecorded {
        file: String,
        result: Result<(), String>,
    },
    /// A report asked for with Ctrl+E was written (its path), or not.
    Exported(Result<String, String>),
    /// Something worth saying: a broken config or theme at start, a file
    /// replaced behind the app's back, the other scribe gone.
    Notice(String),
    /// Sharing (src/share/): the connection's state for the header
    /// ("shared with Bo, Cy", "reconnecting…"), and news worth a word
    /// ("Bo joined", "Bo left").
    Sharing(String),
    ShareNews(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorAction {
    /// Enter: commit the note (or the edit of an earlier note).
    Commit,
    /// Alt+Enter / Shift+Enter: a line break inside the note.
    NewLine,
    /// Any key our keymap leaves to the text editor.
    Key(KeyEvent),
    /// Up: moves the cursor, or selects the newest note when the editor is empty.
    UpOrSelectNotes,
    /// Ctrl+Up: selects earlier notes even with text in the editor.
    SelectNotes,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpeakerAction {
    OpenPicker,
    /// Alt+1..9: the speaker shown with that number.
    ChooseSlot(u8),
    /// Alt+0: no speaker.
    Clear,
    Type(char),
    Backspace,
    Up,
    Down,
    /// Enter in the picker: this person (or the new one typed) is the speaker.
    Choose,
    /// Alt+Enter in the picker: add this person beside the current speaker(s).
    AddBeside,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgendaAction {
    Next,
    Previous,
    StartGoto,
    /// A click on an agenda item (mouse).
    Switch(u32),
    GotoDigit(u8),
    GotoBackspace,
    GotoConfirm,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotesAction {
    /// The mouse wheel over the notes: older (up) or newer (down).
    Scroll {
        older: bool,
    },
    /// PgUp / PgDn: a page of notes older or newer (from the editor too).
    Page {
        older: bool,
    },
    /// Home / End among the notes: the item's first or last note.
    First,
    Last,
    Older,
    Newer,
    Edit,
    Delete,
    /// Marks the selected action done (or not done again).
    ToggleDone,
    /// Ctrl+Z: brings back the last deleted note.
    Restore,
    /// A key typed while notes are selected: back to the editor with it.
    TypeFrom(KeyEvent),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueAction {
    /// Ctrl+T: the first in the queue has the floor.
    Next,
    /// F5: show or hide the queue pane.
    TogglePane,
    /// Alt+Q in the picker: the highlighted person joins the queue.
    AddPicked,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupAction {
    /// F2: open (or close) the setup.
    Toggle,
    NextTab,
    PrevTab,
    Up,
    Down,
    /// Enter: edit the selected detail, item title or person's name.
    Edit,
    Add,
    Remove,
    MoveUp,
    MoveDown,
    PlannedMinutes,
    ShortName,
    Affiliation,
    /// The person's Alt+digit on the speaker bar.
    SpeakerNumber,
    /// Cycles no mark / present / regrets / absent.
    Attendance,
    /// A key for the value being typed (letters, arrows, Ctrl+U…).
    Key(KeyEvent),
    Backspace,
    Confirm,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindAction {
    /// Ctrl+F: an empty query over the whole meeting.
    Open,
    Type(char),
    Backspace,
    /// The newer hit (the list runs newest first).
    Up,
    Down,
    /// Enter: to the chosen note, in its item.
    Go,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnsavedAction {
    Retry,
    StartWriteElsewhere,
    PathType(char),
    PathBackspace,
    PathConfirm,
    QuitAnyway,
}

/// A change to the meeting that must reach the disk before the next frame.
///
/// Each carries the values to write, taken when `update` made the change:
/// an effect performed after later actions of the same batch of events
/// must still write what this action did (a position or an id looked up
/// later could name another note by then).
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// This note was added or edited.
    Note(Box<Note>),
    /// This note goes at this index: a deleted note put back (Ctrl+Z), or
    /// a new one placed among the latest by when it began.
    Placed { note: Box<Note>, index: usize },
    /// The note with this id was deleted.
    Deleted(u64),
    /// Anything but the notes (roster, agenda times, start and end), as
    /// the meeting had it after the action: [`Meeting::meta`].
    Meta(Box<Meeting>),
}

/// What `update` asks the edge of the program to do after it returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Write this change to disk before the next frame.
    Persist(Change),
    /// The last save failed: try again now.
    RetrySave,
    /// Write the whole meeting to this file (when its own file cannot be).
    WriteTo(String),
    /// The note being typed changed: save the draft soon (debounced).
    DraftChanged,
    /// Write the Markdown report beside the meeting file.
    Export,
    /// Record in the previous meeting's file that this meeting approved
    /// its minutes (a decision on the approval item).
    RecordApproval {
        file: String,
        approval: crate::model::Approval,
        /// This meeting, which that file must be the previous one of.
        approver: crate::finalize::Approver,
    },
    /// Draw the whole screen again, not only what changed.
    Redraw,
    /// Send this note to the other scribes, though it came from one: it
    /// was dated anew here (its scribe's clock far off), and every scribe
    /// keeps the same dates. After the journal has it, as every change.
    Share(Box<Note>),
    /// Start or stop listening, or keep a segment heard (the transcript,
    /// src/transcript/).
    Transcript(crate::transcript::TranscriptEffect),
    Quit,
}

impl Action {
    /// The other scribes' changes (src/share/), applied even to final
    /// minutes.
    pub fn is_remote(&self) -> bool {
        matches!(
            self,
            Action::Remote(..)
                | Action::RemoteDeleted(_)
                | Action::RemotePeople(_)
                | Action::RemoteMeeting(_)
        )
    }

    /// Whether the person at the keyboard did this (a key, a paste), as
    /// opposed to the clock, the edge, another scribe, a participants'
    /// page or the recogniser.
    pub fn is_the_users(&self) -> bool {
        use crate::transcript::TranscriptAction as T;
        !(self.is_remote()
            || matches!(
                self,
                Action::Tick
                    | Action::Outcome(_)
                    | Action::Page(_)
                    | Action::Transcript(T::Heard(_) | T::Stopped(_))
            ))
    }
}

/// Sharing (src/share/): the meeting as the scribes share it, notes
/// aside; compared whole, like any action.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedMeeting(pub crate::model::Meeting);

impl Eq for SharedMeeting {}
