//! Entering and leaving the full-screen terminal, always restoring it, and
//! the [`Screen`] that puts frames on it.

use crossterm::cursor::Show;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use std::io::{self, BufWriter, Stdout, stdout};
use std::path::PathBuf;
use unicode_width::UnicodeWidthStr;

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
    let screen = (|| {
        execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        // Opt-in: capturing the mouse takes text selection away from the terminal.
        if mouse {
            execute!(stdout(), EnableMouseCapture)?;
        }
        Screen::new(CrosstermBackend::new(BufWriter::with_capacity(
            OUTPUT_BUFFER,
            stdout(),
        )))
    })();
    // Half entered is put back: the caller only reports the error.
    if screen.is_err() {
        leave();
    }
    screen
}

/// Puts the terminal back. Never fails nor prints: when the terminal is
/// gone (its window closed) there is nothing to put back, and printing
/// there would panic (ratatui::restore reports its failure on stderr).
pub fn leave() {
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        Show
    );
    let _ = disable_raw_mode();
}

/// What the input thread and the signal watchers tell the event loop.
#[derive(Debug)]
pub enum Input {
    Event(crossterm::event::Event),
    /// The terminal is gone (its window closed): save and exit.
    HungUp,
    /// A signal asked the app to stop (SIGTERM, SIGHUP, SIGINT).
    Stop,
    /// Reading the terminal failed.
    Failed(io::Error),
    /// Something for the loop to look at: the other scribe's notes.
    Wake,
}

/// Reads the terminal on a thread of its own and sends what it reads.
///
/// crossterm reads and parses: its `use-dev-tty` reader is level-triggered,
/// so input of any size is read whole (the default, edge-triggered one
/// stopped after 1 KiB until the next key), and it blocks in `poll(2)`
/// between keys. Events are sent as they are parsed; the event loop takes
/// all that have arrived as one batch.
///
/// crossterm's reader spins on a terminal that hung up, so a second thread
/// waits for the hang-up itself (`poll(2)` with no events asked: only
/// POLLHUP and errors wake it), with or without a SIGHUP.
#[cfg(unix)]
pub fn spawn_input(events: std::sync::mpsc::Sender<Input>) -> io::Result<()> {
    use crossterm::event;
    use std::io::IsTerminal;
    use std::os::fd::{AsRawFd, OwnedFd};
    // The terminal crossterm reads: standard input if it is one, else /dev/tty.
    let tty: OwnedFd = if io::stdin().is_terminal() {
        std::os::fd::AsFd::as_fd(&io::stdin()).try_clone_to_owned()?
    } else {
        std::fs::File::open("/dev/tty")?.into()
    };
    let hang_ups = events.clone();
    std::thread::Builder::new()
        .name("hang-up".into())
        .spawn(move || {
            let mut fds = [libc::pollfd {
                fd: tty.as_raw_fd(),
                events: 0,
                revents: 0,
            }];
            loop {
                // SAFETY: one valid pollfd, its count, no timeout.
                let woke = unsafe { libc::poll(fds.as_mut_ptr(), 1, -1) };
                if woke < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                if woke != 0 {
                    let _ = hang_ups.send(Input::HungUp);
                    return;
                }
            }
        })?;
    std::thread::Builder::new()
        .name("input".into())
        .spawn(move || {
            loop {
                let input = match event::read() {
                    Ok(event) => Input::Event(event),
                    Err(error) => Input::Failed(error),
                };
                let failed = matches!(input, Input::Failed(_));
                if events.send(input).is_err() || failed {
                    return;
                }
            }
        })?;
    Ok(())
}

/// Puts frames on the terminal, sending only what changed.
///
/// Frames are drawn into one buffer kept from frame to frame, so the panes
/// and rows that did not change are neither drawn nor copied again (the ui
/// says which), and only the other rows are compared with what the
/// terminal shows: from their first to their last changed cell, by
/// ratatui's own diff. ratatui's `Terminal` draws every frame into a blank
/// buffer and compares every cell: on a 200x50 screen that was most of the
/// cost of a keystroke (see docs/performance.md).
pub struct Screen<B: Backend> {
    backend: B,
    /// Where frames are drawn; holds the last one.
    frame: Buffer,
    /// What the terminal shows.
    shown: Buffer,
    /// The next frame is drawn from a blank buffer and sent whole.
    fresh: bool,
    /// The terminal's size, asked again after [`Screen::recheck_size`]:
    /// crossterm asks by opening `/dev/tty`, three system calls that were
    /// half of those a keystroke made.
    size: Option<ratatui::layout::Size>,
}

impl<B: Backend> Screen<B> {
    pub fn new(mut backend: B) -> Result<Self, B::Error> {
        // The note editor draws its own cursor.
        backend.hide_cursor()?;
        Ok(Screen {
            backend,
            frame: Buffer::empty(Rect::default()),
            shown: Buffer::empty(Rect::default()),
            fresh: true,
            size: None,
        })
    }

    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// For tests: a backend to resize (its size is asked again).
    pub fn backend_mut(&mut self) -> &mut B {
        self.size = None;
        &mut self.backend
    }

    /// The next frame is drawn from scratch and sent whole (Ctrl+L).
    pub fn redraw_all(&mut self) {
        self.fresh = true;
        self.size = None;
    }

    /// The terminal may have been resized: ask its size before the next frame.
    pub fn recheck_size(&mut self) {
        self.size = None;
    }

    /// Draws one frame. `render` draws into the buffer, told whether the
    /// buffer still holds the last frame (else it is blank), and returns
    /// the areas it left as they were.
    pub fn draw(
        &mut self,
        render: impl FnOnce(&mut Buffer, bool) -> Vec<Rect>,
    ) -> Result<(), B::Error> {
        let size = match self.size {
            Some(size) => size,
            None => *self.size.insert(self.backend.size()?),
        };
        let area = Rect::new(0, 0, size.width, size.height);
        if area != self.frame.area {
            self.frame = Buffer::empty(area);
            self.fresh = true;
        }
        let fresh = std::mem::take(&mut self.fresh);
        if fresh {
            self.frame.reset();
            self.backend.clear()?;
            self.shown = Buffer::empty(area);
        }
        let kept = render(&mut self.frame, !fresh);
        if fresh && kept.is_empty() {
            // The screen was just cleared: every cell not blank is sent,
            // with no changed runs to find (the first frame, Ctrl+L).
            for cell in &mut self.frame.content {
                split_joined_emoji(cell);
            }
            self.backend.draw(updates(&self.shown, &self.frame))?;
            self.shown.content.clone_from_slice(&self.frame.content);
            return self.backend.flush();
        }

        let spans: Vec<(u16, (u16, u16))> = (area.top()..area.bottom())
            .flat_map(|y| spans_outside(area, y, &kept).map(move |span| (y, span)))
            .collect();
        for &(y, (left, right)) in &spans {
            for x in left..right {
                split_joined_emoji(&mut self.frame[(x, y)]);
            }
        }
        // Each changed run as two small buffers, before and after.
        let runs: Vec<(Buffer, Buffer)> = spans
            .into_iter()
            .filter_map(|(y, span)| changed_run(&self.shown, &self.frame, y, span))
            .collect();
        if runs.is_empty() && !fresh {
            // Nothing changed: nothing is written (the clock's ticks while
            // idle often change nothing on screen).
            return Ok(());
        }
        self.backend.draw(
            runs.iter()
                .flat_map(|(before, after)| updates(before, after)),
        )?;
        for (_, after) in runs {
            let start = self.shown.index_of(after.area.x, after.area.y);
            self.shown.content[start..start + after.content.len()].clone_from_slice(&after.content);
        }
        self.backend.flush()
    }
}

/// An emoji joined to others by zero-width joiners (a family, a flag with
/// a sign) is one glyph two columns wide to ratatui, but many terminals
/// (tmux among them) draw each part, six columns or more, and every border
/// after it on the row moves. Only its first emoji is sent: two columns
/// on every terminal. Joiners in other scripts (Indic shaping) are kept.
fn split_joined_emoji(cell: &mut Cell) {
    let symbol = cell.symbol();
    // Most cells are one ASCII byte: nothing to look at.
    if symbol.len() < 4 || !symbol.contains('\u{200d}') {
        return;
    }
    let first = symbol.chars().next().unwrap_or(' ');
    if !matches!(u32::from(first), 0x1f000..=0x1faff | 0x2600..=0x27bf) {
        return;
    }
    let head: String = symbol
        .split('\u{200d}')
        .next()
        .unwrap_or_default()
        .to_string();
    cell.set_symbol(&head);
}

/// The columns `left..right` of row `y` of `area` that no rectangle of
/// `kept` covers.
pub fn spans_outside(area: Rect, y: u16, kept: &[Rect]) -> impl Iterator<Item = (u16, u16)> + '_ {
    let on_row = move |rect: &&Rect| rect.top() <= y && y < rect.bottom();
    let mut x = area.left();
    // No allocation: this runs for every row of every frame.
    std::iter::from_fn(move || {
        while x < area.right() {
            if let Some(rect) = kept
                .iter()
                .filter(on_row)
                .find(|rect| rect.left() <= x && x < rect.right())
            {
                x = rect.right();
                continue;
            }
            let end = kept
                .iter()
                .filter(on_row)
                .map(|rect| rect.left())
                .filter(|&left| left > x)
                .min()
                .unwrap_or(area.right())
                .min(area.right());
            let span = (x, end);
            x = end;
            return Some(span);
        }
        None
    })
}

/// The cells of `columns` of row `y` from the first to the last that
/// differ between `shown` and `frame`, as they were and as they are, with
/// one cell more on each side (within the row) so that a wide character
/// there is seen whole by the diff.
fn changed_run(
    shown: &Buffer,
    frame: &Buffer,
    y: u16,
    (left, right): (u16, u16),
) -> Option<(Buffer, Buffer)> {
    let row_start = frame.index_of(frame.area.x, y);
    let row = row_start..row_start + usize::from(frame.area.width);
    let (before, after) = (&shown.content[row.clone()], &frame.content[row]);
    let columns = usize::from(left - frame.area.x)..usize::from(right - frame.area.x);
    let first = columns.clone().find(|&i| before[i] != after[i])?;
    let last = (first..columns.end).rfind(|&i| before[i] != after[i])?;
    let (from, to) = (first.saturating_sub(1), (last + 2).min(after.len()));
    let run = Rect::new(frame.area.x + from as u16, y, (to - from) as u16, 1);
    let cells = |row: &[Cell]| Buffer {
        area: run,
        content: row[from..to].to_vec(),
    };
    Some((cells(before), cells(after)))
}

/// What to send to turn `before` into `after` on the terminal.
fn updates<'a>(
    before: &'a Buffer,
    after: &'a Buffer,
) -> impl Iterator<Item = (u16, u16, &'a Cell)> {
    before
        .diff_iter(after)
        .flat_map(move |update| with_cleared_halves(update, before, after))
}

/// An update, and after it the columns it uncovers: a terminal clears the
/// right half of a wide character written over with a narrower one, on
/// some terminals in the new cell's colours (a reversed cursor cell over an
/// emoji left a reversed blank beside it), so those columns are sent again.
fn with_cleared_halves<'a>(
    (x, y, cell): (u16, u16, &'a Cell),
    before: &Buffer,
    after: &'a Buffer,
) -> impl Iterator<Item = (u16, u16, &'a Cell)> {
    let was = before[(x, y)].symbol().width() as u16;
    let is = (cell.symbol().width() as u16).max(1);
    let uncovered = (x + is..x + was).filter(move |&column| column < after.area.right());
    std::iter::once((x, y, cell))
        .chain(uncovered.map(move |column| (column, y, &after[(column, y)])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_emoji_are_sent_as_their_first_part() {
        let mut cell = Cell::new("👨\u{200d}👩\u{200d}👧");
        split_joined_emoji(&mut cell);
        assert_eq!(cell.symbol(), "👨");
        // Skin tone and variation selectors stay with their emoji.
        let mut cell = Cell::new("👩🏽\u{200d}💻");
        split_joined_emoji(&mut cell);
        assert_eq!(cell.symbol(), "👩🏽");
        // A joiner shaping Indic text is left alone.
        let mut cell = Cell::new("क्\u{200d}");
        split_joined_emoji(&mut cell);
        assert_eq!(cell.symbol(), "क्\u{200d}");
    }

    #[test]
    fn spans_outside_kept_areas() {
        let area = Rect::new(0, 0, 20, 3);
        let kept = [Rect::new(0, 0, 5, 2), Rect::new(12, 1, 3, 1)];
        let spans = |y| spans_outside(area, y, &kept).collect::<Vec<_>>();
        assert_eq!(spans(0), [(5, 20)]);
        assert_eq!(spans(1), [(5, 12), (15, 20)]);
        assert_eq!(spans(2), [(0, 20)]);
        let whole = [Rect::new(0, 0, 20, 3)];
        assert_eq!(spans_outside(area, 1, &whole).count(), 0);
    }
}
