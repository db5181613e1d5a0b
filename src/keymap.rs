//! Keys to actions, per input mode. The same table yields the footer hints
//! and the F1 help, so the help can never drift from what the keys do.

use crate::app::{Action, InputMode};
use crate::app::{
    AgendaAction, EditorAction, FindAction, NotesAction, SetupAction, SpeakerAction, UnsavedAction,
};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// One key with its modifiers, as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Chord {
    const fn new(code: KeyCode, modifiers: KeyModifiers) -> Self {
        Chord { code, modifiers }
    }

    /// Terminals report Shift on capital letters inconsistently; for
    /// characters only Ctrl and Alt matter.
    fn of(key: &KeyEvent) -> Self {
        let mut modifiers =
            key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let mut code = key.code;
        if let KeyCode::Char(c) = code {
            modifiers.remove(KeyModifiers::SHIFT);
            if modifiers.contains(KeyModifiers::CONTROL) {
                code = KeyCode::Char(c.to_ascii_lowercase());
            }
        }
        // Shift+Tab arrives as BackTab, with Shift or without (or, from
        // some terminals, as Tab with Shift).
        if code == KeyCode::Tab && modifiers.contains(KeyModifiers::SHIFT) {
            code = KeyCode::BackTab;
        }
        if code == KeyCode::BackTab {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        Chord { code, modifiers }
    }

    /// A chord as [`Chord::label`] names it: `Ctrl+N`, `Alt+Enter`,
    /// `Shift+Tab`, `F1`, `PgDn`, `Space`, `Q`.
    pub fn parse(text: &str) -> Option<Chord> {
        use KeyCode::*;
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text.trim();
        loop {
            let (modifier, after) = if let Some(after) = rest.strip_prefix("Ctrl+") {
                (KeyModifiers::CONTROL, after)
            } else if let Some(after) = rest.strip_prefix("Alt+") {
                (KeyModifiers::ALT, after)
            } else if let Some(after) = rest.strip_prefix("Shift+") {
                (KeyModifiers::SHIFT, after)
            } else {
                break;
            };
            modifiers |= modifier;
            rest = after;
        }
        let code = match rest {
            "Tab" if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers.remove(KeyModifiers::SHIFT);
                BackTab
            }
            "Enter" => Enter,
            "Esc" => Esc,
            "Tab" => Tab,
            "Backspace" => Backspace,
            "Delete" => Delete,
            "Up" => Up,
            "Down" => Down,
            "Left" => Left,
            "Right" => Right,
            "PgUp" => PageUp,
            "PgDn" => PageDown,
            "Home" => Home,
            "End" => End,
            "Space" => Char(' '),
            f if f.len() > 1 && f.starts_with('F') => F(f[1..].parse().ok()?),
            c if c.chars().count() == 1 => Char(c.chars().next()?.to_ascii_lowercase()),
            _ => return None,
        };
        Some(Chord { code, modifiers })
    }

    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            out.push_str("Ctrl+");
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            out.push_str("Alt+");
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            out.push_str("Shift+");
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("Space"),
            KeyCode::Char(c) => out.push(c.to_ascii_uppercase()),
            KeyCode::F(n) => out.push_str(&format!("F{n}")),
            KeyCode::Enter => out.push_str("Enter"),
            KeyCode::Esc => out.push_str("Esc"),
            KeyCode::Tab => out.push_str("Tab"),
            KeyCode::BackTab if self.modifiers.contains(KeyModifiers::SHIFT) => out.push_str("Tab"),
            KeyCode::BackTab => out.push_str("Shift+Tab"),
            KeyCode::Backspace => out.push_str("Backspace"),
            KeyCode::Delete => out.push_str("Delete"),
            KeyCode::Up => out.push_str("Up"),
            KeyCode::Down => out.push_str("Down"),
            KeyCode::Left => out.push_str("Left"),
            KeyCode::Right => out.push_str("Right"),
            KeyCode::PageUp => out.push_str("PgUp"),
            KeyCode::PageDown => out.push_str("PgDn"),
            KeyCode::Home => out.push_str("Home"),
            KeyCode::End => out.push_str("End"),
            other => out.push_str(&format!("{other:?}")),
        }
        out
    }
}

/// A row of the keymap: in `mode`, any of `chords` does `action`.
#[derive(Debug, Clone)]
pub struct Binding {
    pub mode: InputMode,
    pub chords: Vec<Chord>,
    pub action: Action,
    /// What the help says the keys do.
    pub help: &'static str,
    /// Short word for the footer, for the bindings worth showing there.
    pub hint: Option<&'static str>,
    /// How the help names the keys, when a list of chords would be too long.
    pub label: Option<&'static str>,
    /// Listed once under "Everywhere" in the help, not under each mode.
    pub everywhere: bool,
}

impl Binding {
    pub fn keys_label(&self) -> String {
        match self.label {
            Some(label) => label.to_string(),
            None => {
                let mut labels: Vec<String> = Vec::new();
                for label in self.chords.iter().map(Chord::label) {
                    if !labels.contains(&label) {
                        labels.push(label);
                    }
                }
                labels.join(" / ")
            }
        }
    }
}

pub struct Keymap {
    bindings: Vec<Binding>,
    /// The first binding of each chord in each mode: a key is looked up,
    /// not searched for, on every keystroke.
    index: std::collections::HashMap<(InputMode, Chord), usize>,
}

/// A key that types a character (no Ctrl, no Alt).
fn is_typed_text(chord: &Chord) -> bool {
    matches!(chord.code, KeyCode::Char(_))
        && !chord
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// Modes in which keys type text, where a character cannot be a command.
fn takes_text(mode: InputMode) -> bool {
    matches!(
        mode,
        InputMode::Typing
            | InputMode::Picker
            | InputMode::Find
            | InputMode::SetupInput
            | InputMode::WritePath
    )
}

/// How a chord is written in config.toml and the help.
fn chord_label(chord: &Chord) -> String {
    match chord.code {
        KeyCode::Char(c) => c.to_string(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
const NONE: KeyModifiers = KeyModifiers::NONE;
#[cfg(test)]
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
#[cfg(test)]
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

use InputMode::{
    ConfirmQuit, Find, Goto, Help, Picker, Selecting, Setup, SetupInput, Transcript, Typing,
    WritePath,
};
/// The modes of the main screen, where the "Everywhere" keys work.
const MAIN: &[InputMode] = &[Typing, Picker, Goto, Selecting, Find, Transcript];
/// The main screen and the help over it.
const MAIN_AND_HELP: &[InputMode] = &[Typing, Picker, Goto, Selecting, Find, Transcript, Help];

/// One line of the default table: modes, keys (as the help names them,
/// `/` between alternatives), action, help, footer word (or "").
type Row = (
    &'static [InputMode],
    &'static str,
    Action,
    &'static str,
    &'static str,
);

/// The default keys, one binding a line. The footer shows the bindings
/// with a word, in this order; F1 and docs/keys.md list them all.
#[rustfmt::skip]
fn default_rows() -> Vec<Row> {
    use crate::app::{AgendaAction, EditorAction, FindAction, NotesAction, QueueAction, SetupAction, SpeakerAction, UnsavedAction};
    use crate::transcript::TranscriptAction as Tr;
    use Action::*;
    vec![
        (&[Typing],           "Enter / Ctrl+J",          Editor(EditorAction::Commit),                "Commit the note",                                     "commit"),
        (&[Typing],           "Alt+Enter / Shift+Enter", Editor(EditorAction::NewLine),               "Line break in the note",                              ""),
        (&[Typing],           "Tab",                     Speaker(SpeakerAction::OpenPicker),          "Pick the speaker",                                    "speaker"),
        (&[Typing],           "Ctrl+N",                  Agenda(AgendaAction::Next),                  "Next agenda item",                                    "next"),
        (&[Typing],           "Ctrl+P",                  Agenda(AgendaAction::Previous),              "Previous agenda item",                                "prev"),
        (&[Typing],           "Ctrl+G",                  Agenda(AgendaAction::StartGoto),             "Go to agenda item by number",                         "go to"),
        (&[Typing],           "Ctrl+F",                  Find(FindAction::Open),                      "Find a note in the whole meeting",                    "find"),
        (&[Typing],           "Up",                      Editor(EditorAction::UpOrSelectNotes),       "Select earlier notes (editor empty)",                 ""),
        (&[Typing],           "Ctrl+Up",                 Editor(EditorAction::SelectNotes),           "Select earlier notes",                                "notes"),
        (&[Typing],           "F6",                      Export,                                      "Export the Markdown report beside the meeting file",  "export"),
        (&[Typing],           "Ctrl+Z",                  Notes(NotesAction::Restore),                 "Bring back the last deleted note",                    ""),
        (&[Typing],           "Ctrl+T",                  Queue(QueueAction::Next),                    "Give the floor to the next in the queue",             ""),
        (&[Typing],           "F7",                      Park,                                        "Park the item (or the title typed) for the next meeting", ""),
        (&[Typing],           "F8",                      Resume,                                      "Resume an ended meeting (the call goes on)",         ""),
        (&[Typing],           "F9",                      Amend,                                       "Amend final or approved minutes (the report says so)", ""),
        (&[Typing],           "PgUp",                    Notes(NotesAction::Page { older: true }),    "A page of earlier notes",                             ""),
        (&[Typing],           "Esc",                     Cancel,                                      "Clear the note (Ctrl+Y brings it back) or cancel an edit", ""),
        (&[Picker],           "Enter",                   Speaker(SpeakerAction::Choose),              "Choose (or add the typed name)",                      "choose"),
        (&[Picker],           "Alt+Enter",               Speaker(SpeakerAction::AddBeside),           "Add beside the current speaker",                      "also"),
        (&[Picker],           "Alt+Q",                   Queue(QueueAction::AddPicked),               "Add to the speaker queue (new topic)",                "queue"),
        (&[Picker],           "Up / Shift+Tab",          Speaker(SpeakerAction::Up),                  "Move up",                                             ""),
        (&[Picker],           "Down / Tab",              Speaker(SpeakerAction::Down),                "Move down",                                           ""),
        (&[Picker],           "Backspace",               Speaker(SpeakerAction::Backspace),           "Delete a typed letter",                               ""),
        (&[Picker],           "Esc",                     Cancel,                                      "Cancel",                                              "cancel"),
        (&[Goto],             "Enter",                   Agenda(AgendaAction::GotoConfirm),           "Go to the item typed",                                "go"),
        (&[Goto],             "Backspace",               Agenda(AgendaAction::GotoBackspace),         "Delete a digit",                                      ""),
        (&[Goto],             "Esc",                     Cancel,                                      "Cancel",                                              "cancel"),
        (&[InputMode::Find],  "Enter",                   Find(FindAction::Go),                        "Go to the note (in its item)",                        "go"),
        (&[InputMode::Find],  "Up",                      Find(FindAction::Up),                        "Newer hit",                                           ""),
        (&[InputMode::Find],  "Down",                    Find(FindAction::Down),                      "Older hit",                                           ""),
        (&[InputMode::Find],  "Backspace",               Find(FindAction::Backspace),                 "Delete a typed letter",                               ""),
        (&[InputMode::Find],  "Esc",                     Cancel,                                      "Cancel",                                              "cancel"),
        (&[Selecting],        "Up / Ctrl+Up",            Notes(NotesAction::Older),                   "Older note",                                          ""),
        (&[Selecting],        "Down / Ctrl+Down",        Notes(NotesAction::Newer),                   "Newer note",                                          ""),
        (&[Selecting],        "Enter",                   Notes(NotesAction::Edit),                    "Edit the note (keeps its time)",                      "edit"),
        (&[Selecting],        "Delete",                  Notes(NotesAction::Delete),                  "Delete the note",                                     "delete"),
        (&[Selecting],        "Ctrl+D",                  Notes(NotesAction::ToggleDone),              "Mark the action done, or open again",                 "done"),
        (&[Selecting],        "Ctrl+Z",                  Notes(NotesAction::Restore),                 "Bring back the last deleted note",                    "undo"),
        (&[Selecting],        "PgUp",                    Notes(NotesAction::Page { older: true }),    "A page older",                                        ""),
        (&[Selecting],        "PgDn",                    Notes(NotesAction::Page { older: false }),   "A page newer",                                        ""),
        (&[Selecting],        "Home",                    Notes(NotesAction::First),                   "The item's first note",                               ""),
        (&[Selecting],        "End",                     Notes(NotesAction::Last),                    "The item's last note",                                ""),
        (&[Selecting],        "Ctrl+F",                  Find(FindAction::Open),                      "Find a note in the whole meeting",                    ""),
        (&[Selecting],        "Esc",                     Cancel,                                      "Back to typing",                                      "back"),
        // The transcript pane (docs/transcript.md).
        (&[InputMode::Transcript],       "Enter",                   Transcript(Tr::Pull),                        "Pull the selected segments into the note",            "pull"),
        (&[InputMode::Transcript],       "Up",                      Transcript(Tr::Older),                       "Older segment",                                       ""),
        (&[InputMode::Transcript],       "Down",                    Transcript(Tr::Newer),                       "Newer segment",                                       ""),
        (&[InputMode::Transcript],       "Shift+Up",                Transcript(Tr::ExtendOlder),                 "Select the older segment too",                        "select more"),
        (&[InputMode::Transcript],       "Shift+Down",              Transcript(Tr::ExtendNewer),                 "Select the newer segment too",                        ""),
        (&[InputMode::Transcript],       "Esc",                     Cancel,                                      "Back to typing",                                      "back"),
        (&[Help],             "Esc / F1 / Q",            ToggleHelp,                                  "Close the help",                                      "close"),
        (&[Help],             "Down / PgDn / Space",     HelpScroll(1),                               "Scroll down",                                         "more"),
        (&[Help],             "Up / PgUp",               HelpScroll(-1),                              "Scroll up",                                           ""),
        (&[InputMode::Setup], "Tab / Right",             Setup(SetupAction::NextTab),                 "Next tab",                                            "tab"),
        (&[InputMode::Setup], "Shift+Tab / Left",        Setup(SetupAction::PrevTab),                 "Previous tab",                                        ""),
        (&[InputMode::Setup], "Up",                      Setup(SetupAction::Up),                      "Previous row",                                        ""),
        (&[InputMode::Setup], "Down",                    Setup(SetupAction::Down),                    "Next row",                                            ""),
        (&[InputMode::Setup], "Enter",                   Setup(SetupAction::Edit),                    "Edit the detail, item title or name",                 "edit"),
        (&[InputMode::Setup], "A",                       Setup(SetupAction::Add),                     "Add an agenda item (after this one), a person or a parked topic",     "add"),
        (&[InputMode::Setup], "Delete",                  Setup(SetupAction::Remove),                  "Remove the agenda item (its notes go where you say) or parked topic", "remove"),
        (&[InputMode::Setup], "Alt+Up",                  Setup(SetupAction::MoveUp),                  "Move the agenda item up",                             ""),
        (&[InputMode::Setup], "Alt+Down",                Setup(SetupAction::MoveDown),                "Move the agenda item down",                           ""),
        (&[InputMode::Setup], "M",                       Setup(SetupAction::PlannedMinutes),          "Planned minutes of the item",                         "minutes"),
        (&[InputMode::Setup], "S",                       Setup(SetupAction::ShortName),               "The person's short name (used in the report)",        "short name"),
        (&[InputMode::Setup], "F",                       Setup(SetupAction::Affiliation),             "The person's affiliation",                            ""),
        (&[InputMode::Setup], "N",                       Setup(SetupAction::SpeakerNumber),           "The person's speaker number (Alt+1..9)",              ""),
        (&[InputMode::Setup], "P",                       Setup(SetupAction::Attendance),              "Present / regrets / absent / not marked",             "present"),
        (&[InputMode::Setup], "Esc / F2",                Cancel,                                      "Close the setup",                                     "close"),
        (&[SetupInput],       "Enter",                   Setup(SetupAction::Confirm),                 "Take the value (or say why not)",                     "ok"),
        (&[SetupInput],       "Backspace",               Setup(SetupAction::Backspace),               "Delete a typed letter",                               ""),
        (&[SetupInput],       "Esc",                     Cancel,                                      "Cancel: keep the old value",                          "cancel"),
        (&[ConfirmQuit],      "R",                       Unsaved(UnsavedAction::Retry),               "Try saving again",                                    "retry"),
        (&[ConfirmQuit],      "W",                       Unsaved(UnsavedAction::StartWriteElsewhere), "Write the meeting to another file",                   "write elsewhere"),
        (&[ConfirmQuit],      "Q / Ctrl+Q / Ctrl+C",     Unsaved(UnsavedAction::QuitAnyway),          "Quit anyway (unsaved changes are lost)",              "quit anyway"),
        (&[ConfirmQuit],      "Esc",                     Cancel,                                      "Back to the meeting",                                 "back"),
        (&[WritePath],        "Enter",                   Unsaved(UnsavedAction::PathConfirm),         "Write the meeting there",                             "write"),
        (&[WritePath],        "Backspace",               Unsaved(UnsavedAction::PathBackspace),       "Delete a typed letter",                               ""),
        (&[WritePath],        "Esc",                     Cancel,                                      "Cancel",                                              "cancel"),
        // Everywhere on the main screen (Alt+1..9 is added below).
        (MAIN,                "Alt+0",                   Speaker(SpeakerAction::Clear),               "No speaker",                                          ""),
        (MAIN,                "F2",                      Setup(SetupAction::Toggle),                  "Meeting setup: details, agenda, people",              "setup"),
        (MAIN,                "F3",                      ToggleSpeaking,                              "Show or hide who spoke (and who has not)",            "who spoke"),
        (MAIN,                "F5",                      Queue(QueueAction::TogglePane),              "Show or hide the speaker queue",                      ""),
        (MAIN,                "F4",                      ToggleCheck,                                 "Show or hide what to fix before sending",             ""),
        (MAIN,                "Alt+L",                   Transcript(Tr::ToggleListening),             "Listen to the call and transcribe it, or stop",       ""),
        (MAIN,                "Alt+T",                   Transcript(Tr::Focus),                       "Into the transcript: pick what to pull into the note", ""),
        (MAIN,                "Ctrl+O",                  ToggleOffRecord,                             "Off the record, or back on (also a selected note)", ""),
        (MAIN,                "F1",                      ToggleHelp,                                  "Help",                                                "help"),
        (MAIN,                "Ctrl+S",                  Save,                                        "Save (it is automatic: says when it last was)", ""),
        (MAIN_AND_HELP,       "Ctrl+Q / Ctrl+C",         Quit,                                        "Quit (everything is saved)",                          "quit"),
        (MAIN_AND_HELP,       "Ctrl+L",                  Redraw,                                      "Redraw the whole screen",                             ""),
    ]
}

impl Default for Keymap {
    fn default() -> Self {
        let rows = default_rows();
        // The keys of one mode first, then those of the whole main screen
        // (the footer shows a mode's own hints before the shared ones).
        let (shared, own): (Vec<Row>, Vec<Row>) = rows.into_iter().partition(|row| row.0.len() > 1);
        let mut bindings: Vec<Binding> = own.into_iter().flat_map(bindings_of).collect();
        // The speaker bar's numbers: one binding each, one line in the help.
        for &mode in MAIN {
            for digit in 1..=9u8 {
                let chord = Chord::new(KeyCode::Char(char::from(b'0' + digit)), KeyModifiers::ALT);
                bindings.push(Binding {
                    mode,
                    chords: vec![chord],
                    action: Action::Speaker(SpeakerAction::ChooseSlot(digit)),
                    help: "Speaker with that number",
                    hint: None,
                    label: Some("Alt+1..9"),
                    everywhere: true,
                });
            }
        }
        bindings.extend(shared.into_iter().flat_map(bindings_of));
        Keymap::from_bindings(bindings)
    }
}

/// The bindings one line of the table makes, one per mode.
fn bindings_of((modes, keys, action, help, hint): Row) -> Vec<Binding> {
    let chords: Vec<Chord> = keys.split(" / ").filter_map(Chord::parse).collect();
    debug_assert_eq!(chords.len(), keys.split(" / ").count(), "{keys}");
    modes
        .iter()
        .map(|&mode| Binding {
            mode,
            chords: chords.clone(),
            action: action.clone(),
            help,
            hint: Some(hint).filter(|h| !h.is_empty()),
            label: None,
            everywhere: modes.len() > 1,
        })
        .collect()
}

/// The name config.toml knows an action by: `agenda.next`,
/// `speaker.choose_slot(3)`, `quit`. Made from the action's own name, so
/// every bindable action has one.
pub fn action_name(action: &Action) -> String {
    use crate::app::{
        AgendaAction as Ag, EditorAction as Ed, FindAction as Fi, NotesAction as No,
        QueueAction as Qu, SetupAction as Se, SpeakerAction as Sp, UnsavedAction as Un,
    };
    // Declared, not derived: these names are a contract with users'
    // config.toml. Renaming a variant changes nothing here; a new one
    // must be given its name (the match is exhaustive).
    let name = match action {
        Action::Editor(e) => match e {
            Ed::Commit => "editor.commit",
            Ed::NewLine => "editor.new_line",
            Ed::Key(_) => "editor.key",
            Ed::UpOrSelectNotes => "editor.up_or_select_notes",
            Ed::SelectNotes => "editor.select_notes",
        },
        Action::Speaker(s) => match s {
            Sp::OpenPicker => "speaker.open_picker",
            Sp::ChooseSlot(n) => return format!("speaker.choose_slot({n})"),
            Sp::Clear => "speaker.clear",
            Sp::Type(_) => "speaker.type",
            Sp::Backspace => "speaker.backspace",
            Sp::Up => "speaker.up",
            Sp::Down => "speaker.down",
            Sp::Choose => "speaker.choose",
            Sp::AddBeside => "speaker.add_beside",
        },
        Action::Agenda(a) => match a {
            Ag::Next => "agenda.next",
            Ag::Previous => "agenda.previous",
            Ag::StartGoto => "agenda.start_goto",
            Ag::Switch(_) => "agenda.switch",
            Ag::GotoDigit(_) => "agenda.goto_digit",
            Ag::GotoBackspace => "agenda.goto_backspace",
            Ag::GotoConfirm => "agenda.goto_confirm",
        },
        Action::Notes(n) => match n {
            No::Scroll { older } => return format!("notes.scroll(older: {older})"),
            No::Page { older } => return format!("notes.page(older: {older})"),
            No::First => "notes.first",
            No::Last => "notes.last",
            No::Older => "notes.older",
            No::Newer => "notes.newer",
            No::Edit => "notes.edit",
            No::Delete => "notes.delete",
            No::ToggleDone => "notes.toggle_done",
            No::Restore => "notes.restore",
            No::TypeFrom(_) => "notes.type_from",
        },
        Action::Queue(q) => match q {
            Qu::Next => "queue.next",
            Qu::TogglePane => "queue.toggle_pane",
            Qu::AddPicked => "queue.add_picked",
        },
        Action::Setup(s) => match s {
            Se::Toggle => "setup.toggle",
            Se::NextTab => "setup.next_tab",
            Se::PrevTab => "setup.prev_tab",
            Se::Up => "setup.up",
            Se::Down => "setup.down",
            Se::Edit => "setup.edit",
            Se::Add => "setup.add",
            Se::Remove => "setup.remove",
            Se::MoveUp => "setup.move_up",
            Se::MoveDown => "setup.move_down",
            Se::PlannedMinutes => "setup.planned_minutes",
            Se::ShortName => "setup.short_name",
            Se::Affiliation => "setup.affiliation",
            Se::SpeakerNumber => "setup.speaker_number",
            Se::Attendance => "setup.attendance",
            Se::Key(_) => "setup.key",
            Se::Backspace => "setup.backspace",
            Se::Confirm => "setup.confirm",
        },
        Action::Find(f) => match f {
            Fi::Open => "find.open",
            Fi::Type(_) => "find.type",
            Fi::Backspace => "find.backspace",
            Fi::Up => "find.up",
            Fi::Down => "find.down",
            Fi::Go => "find.go",
        },
        Action::Unsaved(u) => match u {
            Un::Retry => "unsaved.retry",
            Un::StartWriteElsewhere => "unsaved.start_write_elsewhere",
            Un::PathType(_) => "unsaved.path_type",
            Un::PathBackspace => "unsaved.path_backspace",
            Un::PathConfirm => "unsaved.path_confirm",
            Un::QuitAnyway => "unsaved.quit_anyway",
        },
        Action::Transcript(t) => {
            use crate::transcript::TranscriptAction as Tr;
            match t {
                Tr::ToggleListening => "transcript.toggle_listening",
                Tr::Focus => "transcript.focus",
                Tr::Older => "transcript.older",
                Tr::Newer => "transcript.newer",
                Tr::ExtendOlder => "transcript.extend_older",
                Tr::ExtendNewer => "transcript.extend_newer",
                Tr::Pull => "transcript.pull",
                Tr::Heard(_) => "transcript.heard",
                Tr::Stopped(_) => "transcript.stopped",
            }
        }
        Action::HelpScroll(pages) => return format!("help_scroll({pages})"),
        Action::Paste(_) => "paste",
        Action::Remote(..) => "remote",
        Action::RemoteDeleted(_) => "remote_deleted",
        Action::RemotePeople(_) => "remote_people",
        Action::RemoteMeeting(_) => "remote_meeting",
        Action::Outcome(_) => "outcome",
        Action::Cancel => "cancel",
        Action::ToggleHelp => "toggle_help",
        Action::ToggleSpeaking => "toggle_speaking",
        Action::ToggleCheck => "toggle_check",
        Action::ToggleOffRecord => "toggle_off_record",
        Action::Park => "park",
        Action::Export => "export",
        Action::Resume => "resume",
        Action::Amend => "amend",
        Action::Save => "save",
        Action::Redraw => "redraw",
        Action::Quit => "quit",
        Action::Tick => "tick",
        Action::Page(_) => "page",
    };
    name.to_string()
}

impl Keymap {
    /// The default keys with the user's own from config.toml: each names
    /// an action and the keys that replace its defaults, in every mode the
    /// action has. A key given to an action leaves any other action of the
    /// same mode. What cannot be read is said (the caller shows it) and
    /// left as the default.
    pub fn with_overrides(
        overrides: &std::collections::BTreeMap<String, crate::config::KeyList>,
    ) -> (Keymap, Vec<String>) {
        let mut keymap = Keymap::default();
        if overrides.is_empty() {
            return (keymap, Vec::new());
        }
        let mut problems = Vec::new();
        for (name, keys) in overrides {
            let chords: Result<Vec<Chord>, String> = keys
                .keys()
                .iter()
                .map(|key| Chord::parse(key).ok_or_else(|| key.clone()))
                .collect();
            let chords = match chords {
                Ok(chords) if !chords.is_empty() => chords,
                Ok(_) => {
                    problems.push(format!("[keys] {name}: no key given"));
                    continue;
                }
                Err(key) => {
                    problems.push(format!(
                        "[keys] {name}: \"{key}\" is not a key (write them as the help does: Ctrl+J, Alt+Enter, F5)"
                    ));
                    continue;
                }
            };
            let modes: Vec<InputMode> = keymap
                .bindings
                .iter()
                .filter(|b| action_name(&b.action) == *name)
                .map(|b| b.mode)
                .collect();
            if modes.is_empty() {
                problems.push(format!(
                    "[keys] {name}: no such action (docs/config.md lists their names)"
                ));
                continue;
            }
            // A letter bound to a command where text is typed would run
            // it on the first word typed (`quit = "q"` quits at once).
            if let Some(typed) = chords.iter().find(|chord| is_typed_text(chord))
                && modes.iter().any(|mode| takes_text(*mode))
            {
                problems.push(format!(
                    "[keys] {name}: \"{}\" is typed into notes; bind a key with Ctrl or Alt, or a function key (F1 to F12); kept the default",
                    chord_label(typed)
                ));
                continue;
            }
            for binding in &mut keymap.bindings {
                if action_name(&binding.action) == *name {
                    binding.chords = chords.clone();
                    binding.label = None;
                } else if modes.contains(&binding.mode) {
                    binding.chords.retain(|chord| !chords.contains(chord));
                }
            }
        }
        keymap.bindings.retain(|b| !b.chords.is_empty());
        (Keymap::from_bindings(keymap.bindings), problems)
    }

    fn from_bindings(bindings: Vec<Binding>) -> Keymap {
        let chords = bindings.iter().map(|b| b.chords.len()).sum();
        let mut index = std::collections::HashMap::with_capacity(chords);
        for (i, binding) in bindings.iter().enumerate() {
            for chord in &binding.chords {
                index.entry((binding.mode, *chord)).or_insert(i);
            }
        }
        Keymap { bindings, index }
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// How the keys of `action` in `mode` are named (its first key), for
    /// every place that tells the user a key: hints, prompts, messages.
    /// Every key shown comes from here, so none can drift from the table.
    pub fn key_for(&self, mode: InputMode, action: &Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.mode == mode && b.action == *action)
            .map_or_else(|| "?".to_string(), |b| b.chords[0].label())
    }

    /// Every key that closes `mode` (its Cancel, or for the help its
    /// toggle): "Esc / F2".
    pub fn closes(&self, mode: InputMode) -> String {
        let closing = |b: &&Binding| {
            b.mode == mode && matches!(b.action, Action::Cancel | Action::ToggleHelp)
        };
        self.bindings
            .iter()
            .find(closing)
            .map_or_else(|| "?".to_string(), Binding::keys_label)
    }

    /// `template` with each `{}` replaced by the key of the matching
    /// `(mode, action)`, in order: "{} picks one" → "Tab picks one".
    pub fn fill(&self, template: &str, keys: &[(InputMode, Action)]) -> String {
        // Text that names no key is shown as it is, braces and all (a
        // file name, a note quoted in a message).
        if keys.is_empty() {
            return template.to_string();
        }
        let mut out = String::with_capacity(template.len() + 16);
        let mut keys = keys.iter();
        let mut parts = template.split("{}");
        if let Some(first) = parts.next() {
            out.push_str(first);
        }
        for part in parts {
            if let Some((mode, action)) = keys.next() {
                out.push_str(&self.key_for(*mode, action));
            }
            out.push_str(part);
        }
        out
    }

    /// The action for a key in a mode; keys not in the table go to the
    /// editor (typing), the filter (picker) or the number (go to).
    pub fn resolve(&self, mode: InputMode, event: KeyEvent) -> Option<Action> {
        let chord = Chord::of(&event);
        if let Some(&i) = self.index.get(&(mode, chord)) {
            return Some(self.bindings[i].action.clone());
        }
        // A letter key works with Shift or Caps Lock too ("A" as "a").
        if let KeyCode::Char(c) = chord.code
            && c.is_uppercase()
        {
            let lower = Chord {
                code: KeyCode::Char(c.to_ascii_lowercase()),
                ..chord
            };
            if let Some(&i) = self.index.get(&(mode, lower)) {
                return Some(self.bindings[i].action.clone());
            }
        }
        let plain_char = match chord {
            Chord {
                code: KeyCode::Char(c),
                modifiers,
            } if modifiers.is_empty() => Some(c),
            _ => None,
        };
        // Where a line is typed, the other keys edit it (readline's Ctrl+U,
        // Ctrl+W, Ctrl+Y…): a text field never runs a command.
        let edits_line = || Some(Action::Editor(EditorAction::Key(event)));
        match mode {
            InputMode::Typing => Some(Action::Editor(EditorAction::Key(event))),
            InputMode::Picker | InputMode::Find | InputMode::WritePath if plain_char.is_none() => {
                edits_line()
            }
            InputMode::Picker => plain_char.map(|x| Action::Speaker(SpeakerAction::Type(x))),
            InputMode::Goto => plain_char
                .and_then(|c| c.to_digit(10))
                .map(|d| Action::Agenda(AgendaAction::GotoDigit(d as u8))),
            InputMode::Selecting => plain_char.map(|_| Action::Notes(NotesAction::TypeFrom(event))),
            InputMode::Find => plain_char.map(|x| Action::Find(FindAction::Type(x))),
            InputMode::WritePath => plain_char.map(|x| Action::Unsaved(UnsavedAction::PathType(x))),
            InputMode::SetupInput => Some(Action::Setup(SetupAction::Key(event))),
            InputMode::Help | InputMode::ConfirmQuit | InputMode::Setup | InputMode::Transcript => {
                None
            }
        }
    }

    /// Footer hints for a mode: (keys, word), in table order, once per
    /// action, for the actions `shown` keeps.
    pub fn hints(
        &self,
        mode: InputMode,
        shown: impl Fn(&Action) -> bool,
    ) -> Vec<(String, &'static str)> {
        self.bindings
            .iter()
            .filter(|b| b.mode == mode && shown(&b.action))
            .filter_map(|b| b.hint.map(|hint| (b.chords[0].label(), hint)))
            .collect()
    }

    /// The help screen: groups of (keys, what they do). Bindings that every
    /// mode of the main screen shares are listed once, under "Everywhere".
    pub fn help(&self) -> Vec<(String, Vec<(String, &'static str)>)> {
        let group = |keep: &dyn Fn(&Binding) -> bool| {
            let mut lines: Vec<(String, &'static str)> = Vec::new();
            for b in self.bindings.iter().filter(|b| keep(b)) {
                if !lines.iter().any(|(_, help)| *help == b.help) {
                    lines.push((b.keys_label(), b.help));
                }
            }
            lines
        };
        let of_mode = |mode: InputMode| move |b: &Binding| b.mode == mode && !b.everywhere;
        // A mode opened by a key is titled with that key: "Go to item (Ctrl+G)".
        let opened = |title: &str, opener: Action, mode: InputMode| {
            let template = title.replace("{}", &self.key_for(Typing, &opener));
            (template, group(&of_mode(mode)))
        };
        let plain = |title: &str, mode: InputMode| (title.to_string(), group(&of_mode(mode)));
        vec![
            plain("Typing a note", Typing),
            (
                "Everywhere".to_string(),
                group(&|b: &Binding| b.mode == Typing && b.everywhere),
            ),
            opened(
                "Speaker picker ({})",
                Action::Speaker(SpeakerAction::OpenPicker),
                Picker,
            ),
            opened(
                "Earlier notes ({} on an empty editor)",
                Action::Editor(EditorAction::UpOrSelectNotes),
                Selecting,
            ),
            opened(
                "Go to item ({})",
                Action::Agenda(AgendaAction::StartGoto),
                Goto,
            ),
            opened("Finding a note ({})", Action::Find(FindAction::Open), Find),
            opened(
                "The transcript ({})",
                Action::Transcript(crate::transcript::TranscriptAction::Focus),
                Transcript,
            ),
            opened(
                "Meeting setup ({})",
                Action::Setup(SetupAction::Toggle),
                Setup,
            ),
            plain("Typing a value in the setup", SetupInput),
            plain("Quitting after a failed save", ConfirmQuit),
            plain("Writing the meeting elsewhere", WritePath),
            plain("This help", Help),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn every_chord_resolves_to_its_own_binding() {
        let keymap = Keymap::default();
        for b in keymap.bindings() {
            for chord in &b.chords {
                let got = keymap.resolve(b.mode, press(chord.code, chord.modifiers));
                assert_eq!(
                    got.as_ref(),
                    Some(&b.action),
                    "{} in {:?}",
                    chord.label(),
                    b.mode
                );
            }
        }
    }

    #[test]
    fn no_chord_is_bound_twice_in_a_mode() {
        let keymap = Keymap::default();
        let mut seen = Vec::new();
        for b in keymap.bindings() {
            for chord in &b.chords {
                assert!(
                    !seen.contains(&(b.mode, *chord)),
                    "{} twice in {:?}",
                    chord.label(),
                    b.mode
                );
                seen.push((b.mode, *chord));
            }
        }
    }

    #[test]
    fn unbound_keys_fall_through_by_mode() {
        let keymap = Keymap::default();
        let a = press(KeyCode::Char('a'), NONE);
        assert_eq!(
            keymap.resolve(InputMode::Typing, a),
            Some(Action::Editor(EditorAction::Key(a)))
        );
        assert_eq!(
            keymap.resolve(InputMode::Picker, a),
            Some(Action::Speaker(SpeakerAction::Type('a')))
        );
        assert_eq!(keymap.resolve(InputMode::Goto, a), None);
        let seven = press(KeyCode::Char('7'), NONE);
        assert_eq!(
            keymap.resolve(InputMode::Goto, seven),
            Some(Action::Agenda(AgendaAction::GotoDigit(7)))
        );
        // Setup's letters work with Shift or Caps Lock; typed capitals
        // stay text where text is typed.
        let capital_a = press(KeyCode::Char('A'), SHIFT);
        assert_eq!(
            keymap.resolve(InputMode::Setup, capital_a),
            Some(Action::Setup(crate::app::SetupAction::Add))
        );
        assert_eq!(
            keymap.resolve(InputMode::Picker, capital_a),
            Some(Action::Speaker(SpeakerAction::Type('A')))
        );
        let shifted = press(KeyCode::Char('N'), CTRL | SHIFT);
        assert_eq!(
            keymap.resolve(InputMode::Typing, shifted),
            Some(Action::Agenda(AgendaAction::Next))
        );
    }

    /// The names config.toml's `[keys]` may hold are a contract: each
    /// released name still names a binding (renaming a variant, which
    /// used to rename its config name, cannot break a user's config).
    #[test]
    fn released_action_names_still_name_a_binding() {
        const RELEASED: &[&str] = &[
            "editor.commit",
            "editor.new_line",
            "speaker.open_picker",
            "agenda.next",
            "agenda.previous",
            "agenda.start_goto",
            "find.open",
            "editor.up_or_select_notes",
            "editor.select_notes",
            "export",
            "notes.restore",
            "queue.next",
            "park",
            "resume",
            "amend",
            "notes.page(older: true)",
            "cancel",
            "speaker.choose",
            "speaker.add_beside",
            "queue.add_picked",
            "speaker.up",
            "speaker.down",
            "speaker.backspace",
            "agenda.goto_confirm",
            "agenda.goto_backspace",
            "find.go",
            "find.up",
            "find.down",
            "find.backspace",
            "notes.older",
            "notes.newer",
            "notes.edit",
            "notes.delete",
            "notes.toggle_done",
            "notes.page(older: false)",
            "notes.first",
            "notes.last",
            "toggle_help",
            "help_scroll(1)",
            "help_scroll(-1)",
            "setup.next_tab",
            "setup.prev_tab",
            "setup.up",
            "setup.down",
            "setup.edit",
            "setup.add",
            "setup.remove",
            "setup.move_up",
            "setup.move_down",
            "setup.planned_minutes",
            "setup.short_name",
            "setup.affiliation",
            "setup.speaker_number",
            "setup.attendance",
            "setup.confirm",
            "setup.backspace",
            "unsaved.retry",
            "unsaved.start_write_elsewhere",
            "unsaved.quit_anyway",
            "unsaved.path_confirm",
            "unsaved.path_backspace",
            "speaker.choose_slot(1)",
            "speaker.choose_slot(2)",
            "speaker.choose_slot(3)",
            "speaker.choose_slot(4)",
            "speaker.choose_slot(5)",
            "speaker.choose_slot(6)",
            "speaker.choose_slot(7)",
            "speaker.choose_slot(8)",
            "speaker.choose_slot(9)",
            "speaker.clear",
            "setup.toggle",
            "toggle_speaking",
            "queue.toggle_pane",
            "toggle_check",
            "toggle_off_record",
            "save",
            "quit",
            "redraw",
        ];
        let keymap = Keymap::default();
        let names: std::collections::BTreeSet<String> = keymap
            .bindings()
            .iter()
            .map(|b| action_name(&b.action))
            .collect();
        let lost: Vec<&&str> = RELEASED.iter().filter(|n| !names.contains(**n)).collect();
        assert!(lost.is_empty(), "config names no longer bound: {lost:?}");
    }

    #[test]
    fn action_names_for_config() {
        use crate::app::{AgendaAction, SpeakerAction};
        assert_eq!(
            action_name(&Action::Agenda(AgendaAction::Next)),
            "agenda.next"
        );
        assert_eq!(
            action_name(&Action::Speaker(SpeakerAction::ChooseSlot(3))),
            "speaker.choose_slot(3)"
        );
        assert_eq!(action_name(&Action::HelpScroll(-1)), "help_scroll(-1)");
        assert_eq!(action_name(&Action::ToggleHelp), "toggle_help");
        // Every binding has a name of its own.
        let keymap = Keymap::default();
        let mut names: Vec<(InputMode, String)> = keymap
            .bindings()
            .iter()
            .map(|b| (b.mode, action_name(&b.action)))
            .collect();
        let count = names.len();
        names.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        names.dedup();
        assert_eq!(names.len(), count);
    }

    #[test]
    fn user_keys_replace_the_defaults_and_leave_other_actions() {
        use crate::app::{AgendaAction, EditorAction};
        use crate::config::KeyList;
        let overrides = [
            ("agenda.next".to_string(), KeyList::One("Ctrl+J".into())),
            (
                "editor.commit".to_string(),
                KeyList::Many(vec!["Enter".into(), "Ctrl+S".into()]),
            ),
            // Ctrl+P moves from "previous item" to "redraw".
            ("redraw".to_string(), KeyList::One("Ctrl+P".into())),
            ("no.such".to_string(), KeyList::One("F5".into())),
            ("quit".to_string(), KeyList::One("Hyper+Q".into())),
        ]
        .into_iter()
        .collect();
        let (keymap, problems) = Keymap::with_overrides(&overrides);
        let typing = InputMode::Typing;
        let key = |code, modifiers| press(code, modifiers);
        assert_eq!(
            keymap.resolve(typing, key(KeyCode::Char('j'), CTRL)),
            Some(Action::Agenda(AgendaAction::Next))
        );
        assert_eq!(
            keymap.resolve(typing, key(KeyCode::Char('n'), CTRL)),
            Some(Action::Editor(EditorAction::Key(key(
                KeyCode::Char('n'),
                CTRL
            ))))
        );
        assert_eq!(
            keymap.resolve(typing, key(KeyCode::Char('s'), CTRL)),
            Some(Action::Editor(EditorAction::Commit))
        );
        assert_eq!(
            keymap.resolve(typing, key(KeyCode::Char('p'), CTRL)),
            Some(Action::Redraw)
        );
        assert_eq!(
            keymap.key_for(typing, &Action::Agenda(AgendaAction::Next)),
            "Ctrl+J"
        );
        // Previous item lost its only key: it is no longer listed.
        assert!(
            keymap
                .bindings()
                .iter()
                .all(|b| b.action != Action::Agenda(AgendaAction::Previous))
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].contains("no.such: no such action"),
            "{problems:?}"
        );
        assert!(
            problems[1].contains("\"Hyper+Q\" is not a key"),
            "{problems:?}"
        );
    }

    /// `quit = "q"` would quit on the first word typed: refused, said,
    /// and the default kept.
    #[test]
    fn a_letter_is_never_a_command_where_text_is_typed() {
        let overrides = [
            ("quit".to_string(), crate::config::KeyList::One("q".into())),
            (
                "export".to_string(),
                crate::config::KeyList::Many(vec!["Ctrl+E".into(), "E".into()]),
            ),
        ]
        .into_iter()
        .collect();
        let (keymap, problems) = Keymap::with_overrides(&overrides);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[1].contains("quit: \"q\" is typed into notes"),
            "{problems:?}"
        );
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_ne!(keymap.resolve(InputMode::Typing, q), Some(Action::Quit));
    }

    #[test]
    fn help_lists_alt_digits_once_and_every_mode() {
        let help = Keymap::default().help();
        let all: Vec<&(String, &str)> = help.iter().flat_map(|(_, lines)| lines).collect();
        let count = |label: &str| all.iter().filter(|(keys, _)| keys == label).count();
        assert_eq!(count("Alt+1..9"), 1);
        assert_eq!(count("Up / Shift+Tab"), 1, "duplicate labels merged");
        assert!(count("Ctrl+Q / Ctrl+C") >= 1);
        assert!(help.iter().all(|(_, lines)| !lines.is_empty()));
    }
}
