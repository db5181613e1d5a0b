//! What a key (or a paste, or the clock) asks the app to do.

use crate::model::{Meeting, Note};
use crossterm::event::KeyEvent;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    // Typing a note.
    /// Enter: commit the note (or the edit of an earlier note).
    Commit,
    /// Alt+Enter / Shift+Enter: a line break inside the note.
    NewLine,
    /// Any key our keymap leaves to the text editor.
    EditorKey(KeyEvent),
    /// A bracketed paste: inserted as one edit.
    Paste(String),
    /// Up: moves the cursor, or selects the newest note when the editor is empty.
    UpOrSelectNotes,
    /// Ctrl+Up: selects earlier notes even with text in the editor.
    SelectNotes,

    // Speakers.
    OpenPicker,
    /// Alt+1..9: the speaker shown with that number.
    ChooseSlot(u8),
    /// Alt+0: no speaker.
    ClearSpeaker,
    PickerType(char),
    PickerBackspace,
    PickerUp,
    PickerDown,
    /// Enter in the picker: this person (or the new one typed) is the speaker.
    PickerChoose,
    /// Alt+Enter in the picker: add this person beside the current speaker(s).
    PickerAddSpeaker,

    // Agenda.
    NextItem,
    PreviousItem,
    StartGoto,
    /// A click on an agenda item (mouse).
    SwitchItem(u32),
    /// The mouse wheel over the notes: older (up) or newer (down).
    ScrollNotes {
        older: bool,
    },
    GotoDigit(u8),
    GotoBackspace,
    GotoConfirm,

    // Earlier notes.
    SelectOlder,
    SelectNewer,
    EditSelected,
    DeleteSelected,
    /// Marks the selected action done (or not done again).
    ToggleDone,
    /// Ctrl+Z: brings back the last deleted note.
    RestoreDeleted,
    /// A key typed while notes are selected: back to the editor with it.
    TypeFromSelection(KeyEvent),

    // F2, the meeting setup.
    OpenSetup,
    SetupNextTab,
    SetupPrevTab,
    SetupUp,
    SetupDown,
    /// Enter: edit the selected detail, item title or person's name.
    SetupEdit,
    SetupAdd,
    SetupRemove,
    SetupMoveUp,
    SetupMoveDown,
    SetupPlannedMinutes,
    SetupShortName,
    SetupAffiliation,
    /// Cycles no mark / present / regrets / absent.
    SetupAttendance,
    SetupType(char),
    SetupBackspace,
    SetupConfirm,

    // Everywhere.
    /// Esc: closes whatever is open and returns to typing.
    Cancel,
    ToggleHelp,
    /// F3: the who-spoke pane.
    ToggleSpeaking,
    /// Ctrl+E: write the Markdown report beside the meeting file.
    Export,
    // Quitting while the last save failed.
    RetrySave,
    StartWriteElsewhere,
    PathType(char),
    PathBackspace,
    PathConfirm,
    QuitAnyway,
    /// Scrolls the help by this many pages (negative: up).
    HelpScroll(i8),
    Quit,
    /// Ctrl+L: draw the whole screen again (after another program wrote
    /// over it, or a terminal drew a character wider than it said).
    Redraw,
    /// The once-a-second clock tick.
    Tick,
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
    /// This deleted note was put back (Ctrl+Z) at this index.
    Restored { note: Box<Note>, index: usize },
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
    /// Draw the whole screen again, not only what changed.
    Redraw,
    Quit,
}
