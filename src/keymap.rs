//! Keys to actions, per input mode. The same table yields the footer hints
//! and the F1 help, so the help can never drift from what the keys do.

use crate::app::{Action, InputMode};
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
        Chord { code, modifiers }
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

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const ALT: KeyModifiers = KeyModifiers::ALT;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

fn key(code: KeyCode, modifiers: KeyModifiers) -> Chord {
    Chord::new(code, modifiers)
}

fn ctrl(c: char) -> Chord {
    Chord::new(KeyCode::Char(c), CTRL)
}

impl Default for Keymap {
    fn default() -> Self {
        use InputMode::*;
        use KeyCode::*;
        let mut b: Vec<Binding> = Vec::new();
        let mut bind = |mode, chords: Vec<Chord>, action, help, hint| {
            b.push(Binding {
                mode,
                chords,
                action,
                help,
                hint,
                label: None,
            });
        };
        // Typing.
        bind(
            Typing,
            vec![key(Enter, NONE)],
            Action::Commit,
            "Commit the note",
            Some("commit"),
        );
        bind(
            Typing,
            vec![key(Enter, ALT), key(Enter, SHIFT)],
            Action::NewLine,
            "Line break in the note",
            None,
        );
        bind(
            Typing,
            vec![key(Tab, NONE)],
            Action::OpenPicker,
            "Pick the speaker",
            Some("speaker"),
        );
        bind(
            Typing,
            vec![ctrl('n')],
            Action::NextItem,
            "Next agenda item",
            Some("next"),
        );
        bind(
            Typing,
            vec![ctrl('p')],
            Action::PreviousItem,
            "Previous agenda item",
            Some("prev"),
        );
        bind(
            Typing,
            vec![ctrl('g')],
            Action::StartGoto,
            "Go to agenda item by number",
            Some("go to"),
        );
        bind(
            Typing,
            vec![key(Up, NONE)],
            Action::UpOrSelectNotes,
            "Select earlier notes (editor empty)",
            None,
        );
        bind(
            Typing,
            vec![key(Up, CTRL)],
            Action::SelectNotes,
            "Select earlier notes",
            Some("notes"),
        );
        bind(
            Typing,
            vec![ctrl('e')],
            Action::Export,
            "Export the Markdown report beside the meeting file",
            Some("export"),
        );
        bind(
            Typing,
            vec![ctrl('z')],
            Action::RestoreDeleted,
            "Bring back the last deleted note",
            None,
        );
        bind(
            Typing,
            vec![key(Esc, NONE)],
            Action::Cancel,
            "Cancel editing an earlier note",
            None,
        );
        // Speaker picker.
        bind(
            Picker,
            vec![key(Enter, NONE)],
            Action::PickerChoose,
            "Choose (or add the typed name)",
            Some("choose"),
        );
        bind(
            Picker,
            vec![key(Enter, ALT)],
            Action::PickerAddSpeaker,
            "Add beside the current speaker",
            Some("also"),
        );
        bind(
            Picker,
            vec![key(Up, NONE), key(BackTab, SHIFT), key(BackTab, NONE)],
            Action::PickerUp,
            "Move up",
            None,
        );
        bind(
            Picker,
            vec![key(Down, NONE), key(Tab, NONE)],
            Action::PickerDown,
            "Move down",
            None,
        );
        bind(
            Picker,
            vec![key(Backspace, NONE)],
            Action::PickerBackspace,
            "Delete a typed letter",
            None,
        );
        bind(
            Picker,
            vec![key(Esc, NONE)],
            Action::Cancel,
            "Cancel",
            Some("cancel"),
        );
        // Go to item.
        bind(
            Goto,
            vec![key(Enter, NONE)],
            Action::GotoConfirm,
            "Go to the item typed",
            Some("go"),
        );
        bind(
            Goto,
            vec![key(Backspace, NONE)],
            Action::GotoBackspace,
            "Delete a digit",
            None,
        );
        bind(
            Goto,
            vec![key(Esc, NONE)],
            Action::Cancel,
            "Cancel",
            Some("cancel"),
        );
        // Earlier notes.
        bind(
            Selecting,
            vec![key(Up, NONE), key(Up, CTRL)],
            Action::SelectOlder,
            "Older note",
            None,
        );
        bind(
            Selecting,
            vec![key(Down, NONE), key(Down, CTRL)],
            Action::SelectNewer,
            "Newer note",
            None,
        );
        bind(
            Selecting,
            vec![key(Enter, NONE)],
            Action::EditSelected,
            "Edit the note (keeps its time)",
            Some("edit"),
        );
        bind(
            Selecting,
            vec![key(Delete, NONE)],
            Action::DeleteSelected,
            "Delete the note",
            Some("delete"),
        );
        bind(
            Selecting,
            vec![ctrl('d')],
            Action::ToggleDone,
            "Mark the action done, or open again",
            Some("done"),
        );
        bind(
            Selecting,
            vec![ctrl('z')],
            Action::RestoreDeleted,
            "Bring back the last deleted note",
            Some("undo"),
        );
        bind(
            Selecting,
            vec![key(Esc, NONE)],
            Action::Cancel,
            "Back to typing",
            Some("back"),
        );
        // Help.
        bind(
            Help,
            vec![key(Esc, NONE), key(F(1), NONE), key(Char('q'), NONE)],
            Action::ToggleHelp,
            "Close the help",
            Some("close"),
        );
        bind(
            Help,
            vec![key(Down, NONE), key(PageDown, NONE), key(Char(' '), NONE)],
            Action::HelpScroll(1),
            "Scroll down",
            Some("more"),
        );
        bind(
            Help,
            vec![key(Up, NONE), key(PageUp, NONE)],
            Action::HelpScroll(-1),
            "Scroll up",
            None,
        );

        // F2, the meeting setup.
        bind(
            Setup,
            vec![key(Tab, NONE), key(Right, NONE)],
            Action::SetupNextTab,
            "Next tab",
            Some("tab"),
        );
        bind(
            Setup,
            vec![key(BackTab, SHIFT), key(BackTab, NONE), key(Left, NONE)],
            Action::SetupPrevTab,
            "Previous tab",
            None,
        );
        bind(
            Setup,
            vec![key(Up, NONE)],
            Action::SetupUp,
            "Previous row",
            None,
        );
        bind(
            Setup,
            vec![key(Down, NONE)],
            Action::SetupDown,
            "Next row",
            None,
        );
        bind(
            Setup,
            vec![key(Enter, NONE)],
            Action::SetupEdit,
            "Edit the detail, item title or name",
            Some("edit"),
        );
        bind(
            Setup,
            vec![key(Char('a'), NONE)],
            Action::SetupAdd,
            "Add an agenda item (after this one) or a person",
            Some("add"),
        );
        bind(
            Setup,
            vec![key(Delete, NONE)],
            Action::SetupRemove,
            "Remove the agenda item (its notes go where you say)",
            Some("remove"),
        );
        bind(
            Setup,
            vec![key(Up, ALT)],
            Action::SetupMoveUp,
            "Move the agenda item up",
            None,
        );
        bind(
            Setup,
            vec![key(Down, ALT)],
            Action::SetupMoveDown,
            "Move the agenda item down",
            None,
        );
        bind(
            Setup,
            vec![key(Char('m'), NONE)],
            Action::SetupPlannedMinutes,
            "Planned minutes of the item",
            Some("minutes"),
        );
        bind(
            Setup,
            vec![key(Char('s'), NONE)],
            Action::SetupShortName,
            "The person's short name (used in the report)",
            Some("short name"),
        );
        bind(
            Setup,
            vec![key(Char('f'), NONE)],
            Action::SetupAffiliation,
            "The person's affiliation",
            None,
        );
        bind(
            Setup,
            vec![key(Char('p'), NONE)],
            Action::SetupAttendance,
            "Present / regrets / absent / not marked",
            Some("present"),
        );
        bind(
            Setup,
            vec![key(Esc, NONE), key(F(2), NONE)],
            Action::Cancel,
            "Close the setup",
            Some("close"),
        );
        bind(
            SetupInput,
            vec![key(Enter, NONE)],
            Action::SetupConfirm,
            "Take the value (or say why not)",
            Some("ok"),
        );
        bind(
            SetupInput,
            vec![key(Backspace, NONE)],
            Action::SetupBackspace,
            "Delete a typed letter",
            None,
        );
        bind(
            SetupInput,
            vec![key(Esc, NONE)],
            Action::Cancel,
            "Cancel: keep the old value",
            Some("cancel"),
        );

        // Quitting while the last save failed.
        bind(
            ConfirmQuit,
            vec![key(Char('r'), NONE)],
            Action::RetrySave,
            "Try saving again",
            Some("retry"),
        );
        bind(
            ConfirmQuit,
            vec![key(Char('w'), NONE)],
            Action::StartWriteElsewhere,
            "Write the meeting to another file",
            Some("write elsewhere"),
        );
        bind(
            ConfirmQuit,
            vec![key(Char('q'), NONE), ctrl('q'), ctrl('c')],
            Action::QuitAnyway,
            "Quit anyway (unsaved changes are lost)",
            Some("quit anyway"),
        );
        bind(
            ConfirmQuit,
            vec![key(Esc, NONE)],
            Action::Cancel,
            "Back to the meeting",
            Some("back"),
        );
        bind(
            WritePath,
            vec![key(Enter, NONE)],
            Action::PathConfirm,
            "Write the meeting there",
            Some("write"),
        );
        bind(
            WritePath,
            vec![key(Backspace, NONE)],
            Action::PathBackspace,
            "Delete a typed letter",
            None,
        );
        bind(
            WritePath,
            vec![key(Esc, NONE)],
            Action::Cancel,
            "Cancel",
            Some("cancel"),
        );

        // Everywhere.
        for mode in [Typing, Picker, Goto, Selecting] {
            let slots: Vec<Chord> = (1..=9)
                .map(|d| key(Char(char::from(b'0' + d)), ALT))
                .collect();
            for (digit, chord) in (1u8..).zip(slots) {
                b.push(Binding {
                    mode,
                    chords: vec![chord],
                    action: Action::ChooseSlot(digit),
                    help: "Speaker with that number",
                    hint: None,
                    label: Some("Alt+1..9"),
                });
            }
            b.push(Binding {
                mode,
                chords: vec![key(Char('0'), ALT)],
                action: Action::ClearSpeaker,
                help: "No speaker",
                hint: None,
                label: None,
            });
            b.push(Binding {
                mode,
                chords: vec![key(F(2), NONE)],
                action: Action::OpenSetup,
                help: "Meeting setup: details, agenda, people",
                hint: Some("setup"),
                label: None,
            });
            b.push(Binding {
                mode,
                chords: vec![key(F(3), NONE)],
                action: Action::ToggleSpeaking,
                help: "Show or hide who spoke (and who has not)",
                hint: Some("who spoke"),
                label: None,
            });
            b.push(Binding {
                mode,
                chords: vec![key(F(1), NONE)],
                action: Action::ToggleHelp,
                help: "Help",
                hint: Some("help"),
                label: None,
            });
        }
        for mode in [Typing, Picker, Goto, Selecting, Help] {
            b.push(Binding {
                mode,
                chords: vec![ctrl('q'), ctrl('c')],
                action: Action::Quit,
                help: "Quit (everything is saved)",
                hint: Some("quit"),
                label: None,
            });
            b.push(Binding {
                mode,
                chords: vec![ctrl('l')],
                action: Action::Redraw,
                help: "Redraw the whole screen",
                hint: None,
                label: None,
            });
        }
        let mut index = std::collections::HashMap::new();
        for (i, binding) in b.iter().enumerate() {
            for chord in &binding.chords {
                index.entry((binding.mode, *chord)).or_insert(i);
            }
        }
        Keymap { bindings: b, index }
    }
}

impl Keymap {
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The action for a key in a mode; keys not in the table go to the
    /// editor (typing), the filter (picker) or the number (go to).
    pub fn resolve(&self, mode: InputMode, event: KeyEvent) -> Option<Action> {
        let chord = Chord::of(&event);
        if let Some(&i) = self.index.get(&(mode, chord)) {
            return Some(self.bindings[i].action.clone());
        }
        let plain_char = match chord {
            Chord {
                code: KeyCode::Char(c),
                modifiers,
            } if modifiers.is_empty() => Some(c),
            _ => None,
        };
        match mode {
            InputMode::Typing => Some(Action::EditorKey(event)),
            InputMode::Picker => plain_char.map(Action::PickerType),
            InputMode::Goto => plain_char
                .and_then(|c| c.to_digit(10))
                .map(|d| Action::GotoDigit(d as u8)),
            InputMode::Selecting => plain_char.map(|_| Action::TypeFromSelection(event)),
            InputMode::WritePath => plain_char.map(Action::PathType),
            InputMode::SetupInput => plain_char.map(Action::SetupType),
            InputMode::Help | InputMode::ConfirmQuit | InputMode::Setup => None,
        }
    }

    /// Footer hints for a mode: (keys, word), in table order, once per action.
    pub fn hints(&self, mode: InputMode) -> Vec<(String, &'static str)> {
        self.bindings
            .iter()
            .filter(|b| b.mode == mode)
            .filter_map(|b| b.hint.map(|hint| (b.chords[0].label(), hint)))
            .collect()
    }

    /// The help screen: groups of (keys, what they do). Bindings that every
    /// mode shares are listed once, under "Everywhere".
    pub fn help(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        use InputMode::*;
        let main_modes = [Typing, Picker, Selecting, Goto];
        let everywhere = |b: &Binding| {
            main_modes.iter().all(|m| {
                self.bindings
                    .iter()
                    .any(|o| o.mode == *m && o.help == b.help && o.action == b.action)
            })
        };
        let group = |keep: &dyn Fn(&Binding) -> bool| {
            let mut lines: Vec<(String, &'static str)> = Vec::new();
            for b in self.bindings.iter().filter(|b| keep(b)) {
                if !lines.iter().any(|(_, help)| *help == b.help) {
                    lines.push((b.keys_label(), b.help));
                }
            }
            lines
        };
        let mut groups: Vec<(&'static str, Vec<(String, &'static str)>)> = [
            (Typing, "Typing a note"),
            (Picker, "Speaker picker (Tab)"),
            (Selecting, "Earlier notes (Up on an empty editor)"),
            (Goto, "Go to item (Ctrl+G)"),
        ]
        .into_iter()
        .map(|(mode, title)| {
            (
                title,
                group(&|b: &Binding| b.mode == mode && !everywhere(b)),
            )
        })
        .collect();
        // Right after typing: the keys that work everywhere matter most.
        groups.insert(
            1,
            (
                "Everywhere",
                group(&|b: &Binding| b.mode == Typing && everywhere(b)),
            ),
        );
        groups.push(("Meeting setup (F2)", group(&|b: &Binding| b.mode == Setup)));
        groups.push((
            "Typing a value in the setup",
            group(&|b: &Binding| b.mode == SetupInput),
        ));
        groups.push((
            "Quitting after a failed save",
            group(&|b: &Binding| b.mode == ConfirmQuit),
        ));
        groups.push((
            "Writing the meeting elsewhere",
            group(&|b: &Binding| b.mode == WritePath),
        ));
        groups.push((
            "This help",
            group(&|b: &Binding| b.mode == Help && !everywhere(b)),
        ));
        groups
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
            Some(Action::EditorKey(a))
        );
        assert_eq!(
            keymap.resolve(InputMode::Picker, a),
            Some(Action::PickerType('a'))
        );
        assert_eq!(keymap.resolve(InputMode::Goto, a), None);
        let seven = press(KeyCode::Char('7'), NONE);
        assert_eq!(
            keymap.resolve(InputMode::Goto, seven),
            Some(Action::GotoDigit(7))
        );
        let shifted = press(KeyCode::Char('N'), CTRL | SHIFT);
        assert_eq!(
            keymap.resolve(InputMode::Typing, shifted),
            Some(Action::NextItem)
        );
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
