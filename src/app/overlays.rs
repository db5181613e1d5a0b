//! What the modes over the note being typed keep: the stack of modes
//! under the open overlays (help over the picker, say), the digits of
//! Ctrl+G, the path typed after a failed save, and the cursor and yank of
//! whichever one-line field is being typed (picker, find, path).

use super::InputMode;

#[derive(Debug, Default)]
pub struct Overlays {
    /// The modes under the overlays open (help over the picker, say).
    modes_below: Vec<InputMode>,
    /// Digits typed after Ctrl+G.
    pub goto_input: String,
    /// Where to write the meeting when its own file cannot be written.
    pub path_input: String,
    /// What Ctrl+K / Ctrl+U / Ctrl+W last cut from a one-line field (Ctrl+Y).
    pub(super) line_yank: String,
    /// The cursor of the one-line field being typed (picker, find, path),
    /// in characters from its end.
    pub line_cursor: usize,
}

impl Overlays {
    /// Opens the overlay `mode` over `current`; returns the mode now.
    pub(super) fn open(&mut self, current: InputMode, mode: InputMode) -> InputMode {
        self.modes_below.push(current);
        mode
    }

    /// Closes the overlay on top; returns the mode under it.
    pub(super) fn close(&mut self) -> InputMode {
        self.modes_below.pop().unwrap_or(InputMode::Typing)
    }
}
