//! Entering and leaving the full-screen terminal, always restoring it.

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use ratatui::DefaultTerminal;
use std::io::{self, stdout};
use std::path::PathBuf;

/// Raw mode, alternate screen, bracketed paste. ratatui's own panic hook
/// restores the screen; ours, run after it, also turns paste mode off and
/// tells where the meeting is saved.
pub fn enter(meeting_path: PathBuf, mouse: bool) -> io::Result<DefaultTerminal> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture);
        previous(info);
        eprintln!(
            "minutes stopped on an internal error. Every committed note is saved in {}",
            meeting_path.display()
        );
    }));
    let terminal = ratatui::try_init()?;
    execute!(stdout(), EnableBracketedPaste)?;
    // Opt-in: capturing the mouse takes text selection away from the terminal.
    if mouse {
        execute!(stdout(), EnableMouseCapture)?;
    }
    Ok(terminal)
}

pub fn leave() {
    let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture);
    ratatui::restore();
}
