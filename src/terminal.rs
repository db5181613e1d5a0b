//! Entering and leaving the full-screen terminal, always restoring it, and
//! the [`Screen`] that puts frames on it.

use crossterm::cursor::Show;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::io::{self, BufWriter, Stdout, stdout};
use std::path::PathBuf;

/// The real terminal: output buffered so that a whole frame is one write.
pub type TerminalScreen = Screen<CrosstermBackend<BufWriter<Stdout>>>;

/// Room for a full redraw of a large screen in one write.
const OUTPUT_BUFFER: usize = 256 * 1024;

/// Raw mode, alternate screen, bracketed paste. The panic hook puts the
/// terminal back first and then tells where the meeting is saved.
pub fn enter(meeting_path: PathBuf, mouse: bool) -> io::Result<TerminalScreen> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        previous(info);
        eprintln!(
            "minutes stopped on an internal error. Every committed note is saved in {}",
            meeting_path.display()
        );
    }));
    enable_raw_mode()?;
    execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    // Opt-in: capturing the mouse takes text selection away from the terminal.
    if mouse {
        execute!(stdout(), EnableMouseCapture)?;
    }
    Screen::new(CrosstermBackend::new(BufWriter::with_capacity(
        OUTPUT_BUFFER,
        stdout(),
    )))
}

pub fn leave() {
    let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture);
    ratatui::restore();
    let _ = execute!(stdout(), Show);
}

/// Puts frames on the terminal, sending only what changed.
///
/// Frames are drawn into one buffer kept from frame to frame, so the panes
/// that did not change are neither drawn nor copied again, and only the
/// rows they do not cover are compared (by ratatui's own diff) with what
/// the terminal shows. ratatui's `Terminal` draws every frame into a blank
/// buffer and compares every cell: on a 200x50 screen that was most of the
/// cost of a keystroke (see docs/performance.md).
pub struct Screen<B: Backend> {
    backend: B,
    /// Where frames are drawn; holds the last one.
    frame: Buffer,
    /// What the terminal shows, row by row.
    shown: Vec<Buffer>,
    /// The next frame is drawn from a blank buffer and sent whole.
    fresh: bool,
}

impl<B: Backend> Screen<B> {
    pub fn new(mut backend: B) -> Result<Self, B::Error> {
        // The note editor draws its own cursor.
        backend.hide_cursor()?;
        Ok(Screen {
            backend,
            frame: Buffer::empty(Rect::default()),
            shown: Vec::new(),
            fresh: true,
        })
    }

    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// For tests: a backend to resize.
    pub fn backend_mut(&mut self) -> &mut B {
        &mut self.backend
    }

    /// Draws one frame. `render` draws into the buffer, told whether the
    /// buffer still holds the last frame (else it is blank), and returns
    /// the areas it left as they were.
    pub fn draw(
        &mut self,
        render: impl FnOnce(&mut Buffer, bool) -> Vec<Rect>,
    ) -> Result<(), B::Error> {
        let size = self.backend.size()?;
        let area = Rect::new(0, 0, size.width, size.height);
        if area != self.frame.area {
            self.frame = Buffer::empty(area);
            self.fresh = true;
        }
        if self.fresh {
            self.frame.reset();
            self.backend.clear()?;
            self.shown = (area.top()..area.bottom())
                .map(|y| Buffer::empty(row_area(area, y)))
                .collect();
        }
        let kept = render(&mut self.frame, !self.fresh);
        self.fresh = false;

        let width = usize::from(area.width);
        let rows: Vec<Buffer> = (area.top()..area.bottom())
            .filter(|&y| !covered(area, y, &kept))
            .map(|y| {
                let start = usize::from(y - area.y) * width;
                Buffer {
                    area: row_area(area, y),
                    content: self.frame.content[start..start + width].to_vec(),
                }
            })
            .collect();
        let shown = &self.shown;
        let updates = rows
            .iter()
            .flat_map(|row| shown[usize::from(row.area.y - area.y)].diff_iter(row));
        self.backend.draw(updates)?;
        for row in rows {
            let index = usize::from(row.area.y - area.y);
            self.shown[index] = row;
        }
        self.backend.flush()
    }
}

fn row_area(area: Rect, y: u16) -> Rect {
    Rect::new(area.x, y, area.width, 1)
}

/// Whether row `y` of `area` lies wholly in `kept` (areas that do not overlap).
fn covered(area: Rect, y: u16, kept: &[Rect]) -> bool {
    let row = row_area(area, y);
    let kept_width: u16 = kept
        .iter()
        .filter(|rect| rect.intersects(row))
        .map(|rect| rect.intersection(row).width)
        .sum();
    kept_width >= area.width
}
