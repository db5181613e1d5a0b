//! The screen sends only what changed: after every event, what a terminal
//! (the vt100 emulator) fed by `terminal::Screen` shows must equal the
//! frame drawn from scratch.

use crate::common::{Harness, parse_keys, wg_strategy};
use crossterm::event::Event;
use minutes::terminal::Screen;
use minutes::ui::{self, RenderCache, View};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use std::cell::RefCell;
use std::io;
use std::rc::Rc;

/// The frame drawn from scratch, with a cache of its own: the session's
/// must be left as the screen left it.
fn fresh_frame(harness: &Harness, width: u16, height: u16) -> Buffer {
    let session = &harness.session;
    let view = View {
        theme: &session.theme,
        keymap: &session.keymap,
        cache: &RenderCache::default(),
    };
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| ui::draw(frame, &session.app, &view))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// A terminal for the screen to draw on: crossterm's escape sequences,
/// read by the vt100 emulator, on a screen of a size set by the test.
/// A terminal emulator behind the screen (tests/integration/transcript.rs too).
pub(crate) struct Emulator {
    output: CrosstermBackend<Output>,
    written: Output,
    terminal: vt100::Parser,
}

/// The bytes written to the terminal and not read yet.
#[derive(Clone, Default)]
struct Output(Rc<RefCell<Vec<u8>>>);

impl io::Write for Output {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Emulator {
    pub(crate) fn new(width: u16, height: u16) -> Emulator {
        let written = Output::default();
        Emulator {
            output: CrosstermBackend::new(written.clone()),
            written,
            terminal: vt100::Parser::new(height, width, 0),
        }
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.terminal.screen_mut().set_size(height, width);
    }
}

impl Backend for Emulator {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.output.draw(content)
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        self.output.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.output.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        let (row, col) = self.terminal.screen().cursor_position();
        Ok(Position::new(col, row))
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.output.set_cursor_position(position)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.output.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.output.clear_region(clear_type)
    }
    fn size(&self) -> io::Result<Size> {
        let (height, width) = self.terminal.screen().size();
        Ok(Size::new(width, height))
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size()?,
            pixels: Size::default(),
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.output)?;
        let bytes = std::mem::take(&mut *self.written.0.borrow_mut());
        self.terminal.process(&bytes);
        Ok(())
    }
}

fn vt100_color(color: Color) -> vt100::Color {
    match color {
        Color::Reset => vt100::Color::Default,
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
        Color::Indexed(i) => vt100::Color::Idx(i),
        named => vt100::Color::Idx(match named {
            Color::Black => 0,
            Color::Red => 1,
            Color::Green => 2,
            Color::Yellow => 3,
            Color::Blue => 4,
            Color::Magenta => 5,
            Color::Cyan => 6,
            Color::Gray => 7,
            Color::DarkGray => 8,
            Color::LightRed => 9,
            Color::LightGreen => 10,
            Color::LightYellow => 11,
            Color::LightBlue => 12,
            Color::LightMagenta => 13,
            Color::LightCyan => 14,
            _ => 15,
        }),
    }
}

/// Row `y` of the frame, cell by cell as a terminal shows it: text,
/// colours, bold and reverse; the column after a wide character is its
/// right half.
fn frame_row(buf: &Buffer, y: u16) -> Vec<String> {
    let mut cells = Vec::new();
    let mut hidden = 0;
    for x in buf.area.left()..buf.area.right() {
        let cell = &buf[(x, y)];
        if hidden > 0 {
            hidden -= 1;
            cells.push("(right half)".to_string());
            continue;
        }
        hidden = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
        let symbol = match cell.symbol() {
            " " => "",
            symbol => symbol,
        };
        cells.push(format!(
            "{symbol:?} {:?} {:?} bold={} reverse={}",
            vt100_color(cell.fg),
            vt100_color(cell.bg),
            cell.modifier.contains(Modifier::BOLD),
            cell.modifier.contains(Modifier::REVERSED),
        ));
    }
    cells
}

fn terminal_row(screen: &vt100::Screen, y: u16) -> Vec<String> {
    let (_, width) = screen.size();
    (0..width)
        .map(|x| {
            let Some(cell) = screen.cell(y, x) else {
                return "(none)".to_string();
            };
            if cell.is_wide_continuation() {
                return "(right half)".to_string();
            }
            let symbol = match cell.contents() {
                " " => "",
                symbol => symbol,
            };
            format!(
                "{symbol:?} {:?} {:?} bold={} reverse={}",
                cell.fgcolor(),
                cell.bgcolor(),
                cell.bold(),
                cell.inverse(),
            )
        })
        .collect()
}

fn differing_rows(screen: &vt100::Screen, expected: &Buffer) -> String {
    let area = expected.area;
    (area.top()..area.bottom())
        .filter_map(|y| {
            let (shown, wanted) = (terminal_row(screen, y), frame_row(expected, y));
            let x = shown.iter().zip(&wanted).position(|(a, b)| a != b)?;
            Some(format!(
                "row {y}: {:?}\n  column {x}: shown {} / expected {}\n",
                screen.contents_between(y, 0, y, area.width),
                shown[x],
                wanted[x]
            ))
        })
        .collect()
}

/// Draws a frame on `screen` and checks the terminal against a frame
/// drawn from scratch; `after` says what came before, for the message.
pub(crate) fn draw_and_check(
    harness: &Harness,
    screen: &mut Screen<Emulator>,
    after: impl Fn() -> String,
) {
    screen
        .draw(|buf, retained| harness.session.render(buf, retained))
        .unwrap();
    let (height, width) = screen.backend().terminal.screen().size();
    let expected = fresh_frame(harness, width, height);
    let differences = differing_rows(screen.backend().terminal.screen(), &expected);
    assert!(
        differences.is_empty(),
        "after {}, rows differ:\n{differences}",
        after()
    );
}

/// Plays `script` one key at a time, checking every frame.
pub(crate) fn check_every_frame(
    harness: &mut Harness,
    screen: &mut Screen<Emulator>,
    script: &str,
) {
    for (i, key) in parse_keys(script).into_iter().enumerate() {
        harness.now += harness.step;
        harness.session.step(vec![Event::Key(key)], harness.now);
        draw_and_check(harness, screen, || {
            format!("key {i} ({key:?}) of {script:?}")
        });
    }
}

#[test]
fn the_terminal_shows_every_frame_as_drawn_from_scratch() {
    let mut harness = Harness::new(wg_strategy());
    let mut screen = Screen::new(Emulator::new(120, 40)).unwrap();
    let long_line = "word ".repeat(40);
    let long_word = "q".repeat(150);
    let script = format!(
        "<tab>chr<enter>Opening remarks<enter>\
         <tab>ada<enter>{long_line}<enter>{long_word}<enter>\
         <c-n>A note on item two, 会议 and Zoë<enter>\
         <tab>isr<enter>typing then <bs*6>erasing<enter>\
         会议 Zoë 🎉 x<bs*4>y<bs*6>z 会<enter>\
         <f1><esc><f3>side by side<f3><enter>\
         <c-up><c-up><esc><f2><esc><c-p>last one<enter>\
         <a-1>by the first<a-2> and the second<enter><c-g>3<enter>on three<a-0><enter>\
         <c-e>typing clears the message<enter>\
         a note<a-enter>- growing<a-enter>- down<a-enter>and back<bs*9><bs*9><enter>"
    );
    check_every_frame(&mut harness, &mut screen, &script);
}

/// The clock ticks `ticks` times, `seconds` apart, with no key: timers on
/// screen must follow (the agenda is drawn again only when they change).
fn check_ticks(harness: &mut Harness, screen: &mut Screen<Emulator>, ticks: usize, seconds: i64) {
    for tick in 0..ticks {
        harness.now += chrono::Duration::seconds(seconds);
        harness.session.step(vec![], harness.now);
        draw_and_check(harness, screen, || format!("tick {tick}"));
    }
}

#[test]
fn timers_follow_the_clock_between_keys() {
    let mut harness = Harness::new(wg_strategy());
    let mut screen = Screen::new(Emulator::new(120, 40)).unwrap();
    check_every_frame(&mut harness, &mut screen, "<tab>chr<enter>Opening");
    // Through the first minute second by second, then past the item's
    // planned 20 minutes into overrun.
    check_ticks(&mut harness, &mut screen, 70, 1);
    check_ticks(&mut harness, &mut screen, 30, 47);
    check_every_frame(&mut harness, &mut screen, "<enter><c-n>next item");
    check_ticks(&mut harness, &mut screen, 10, 13);
}

#[test]
fn a_resized_terminal_is_drawn_whole_again() {
    let mut harness = Harness::new(wg_strategy());
    let mut screen = Screen::new(Emulator::new(100, 30)).unwrap();
    check_every_frame(&mut harness, &mut screen, "<tab>chr<enter>Before");
    for (width, height) in [(60, 20), (20, 5), (140, 45)] {
        screen.backend_mut().resize(width, height);
        check_every_frame(&mut harness, &mut screen, " and after");
    }
}

#[test]
fn a_long_meeting_on_a_big_screen() {
    let mut harness = Harness::new(crate::sample::meeting(10_000));
    let mut screen = Screen::new(Emulator::new(200, 50)).unwrap();
    let script = format!("{}<enter><c-p>", "q".repeat(170));
    check_every_frame(&mut harness, &mut screen, &script);
}

/// Any action that changes what a pane shows must invalidate what the
/// screen keeps of it: random key scripts, in every mode (picker, notes,
/// setup, help, who spoke), each frame checked against one drawn from
/// scratch. A pane reused after its content changed fails here.
mod any_keys {
    use super::*;
    use proptest::prelude::*;

    fn token() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "x",
            "note ",
            "<enter>",
            "<a-enter>",
            "<bs>",
            "<tab>",
            "chr",
            "<esc>",
            "<up>",
            "<down>",
            "<del>",
            "<c-z>",
            "<c-d>",
            "<c-up>",
            "<c-n>",
            "<c-p>",
            "<c-g>",
            "<c-f>",
            "2",
            "<f1>",
            "<f2>",
            "<f3>",
            "<a-1>",
            "<a-2>",
            "<a-0>",
            "<a-up>",
            "<a-down>",
            "a",
            "p",
            "m",
            "5",
            "<c-e>",
            "<c-l>",
            "ACTION: @Titti x",
            "https://example.org",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        #[test]
        fn every_frame_equals_one_drawn_from_scratch(tokens in proptest::collection::vec(token(), 1..40)) {
            let mut harness = Harness::new(wg_strategy());
            let mut screen = Screen::new(Emulator::new(90, 26)).unwrap();
            check_every_frame(&mut harness, &mut screen, &tokens.concat());
        }
    }
}

/// Every key of the keymap, in its mode, on a meeting with notes (one an
/// action): the frame after it equals one drawn from scratch, so no
/// action can change the view and leave a kept pane stale.
#[test]
fn every_key_in_every_mode_redraws_what_it_changes() {
    use minutes::app::InputMode;
    use minutes::keymap::Keymap;
    let into = |mode: InputMode| match mode {
        InputMode::Typing => Some(""),
        InputMode::Picker => Some("<tab>"),
        InputMode::Goto => Some("<c-g>2"),
        InputMode::Find => Some("<c-f>o"),
        InputMode::Selecting => Some("<up>"),
        InputMode::Help => Some("<f1>"),
        InputMode::Setup => Some("<f2><tab>"),
        InputMode::SetupInput => Some("<f2><enter>"),
        // Reached only after a failed save (tests/integration/durability.rs).
        InputMode::ConfirmQuit | InputMode::WritePath => None,
        // Reached only with segments heard (tests/integration/transcript.rs
        // checks its frames).
        InputMode::Transcript => None,
    };
    for binding in Keymap::default().bindings() {
        let Some(prefix) = into(binding.mode) else {
            continue;
        };
        for chord in &binding.chords {
            let mut harness = Harness::new(wg_strategy());
            let mut screen = Screen::new(Emulator::new(100, 30)).unwrap();
            let setting = format!(
                "<tab>chr<enter>Opening<enter>ACTION: @Titti send it<enter><c-n><a-2>On two<enter><c-p>{prefix}"
            );
            harness.keys(&setting);
            draw_and_check(&harness, &mut screen, || format!("{setting:?}"));
            let key = crossterm::event::KeyEvent::new(chord.code, chord.modifiers);
            harness.now += harness.step;
            harness.session.step(vec![Event::Key(key)], harness.now);
            draw_and_check(&harness, &mut screen, || {
                format!("{} in {:?}", chord.label(), binding.mode)
            });
        }
    }
}
