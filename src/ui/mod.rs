//! Drawing: `draw(frame, &app, &view)` reads the state and renders it.
//! Nothing here changes the meeting or touches the terminal directly.

mod agenda;
mod check;
mod compose;
mod footer;
mod header;
mod notes;
mod overlays;
mod queue;
mod roster;
mod setup;
mod speaking;
mod text;
// The transcript pane (issue #25).
mod transcript;

pub use text::{plural, truncate_words};

use crate::app::{App, InputMode};
use crate::keymap::Keymap;
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use std::cell::RefCell;

/// What drawing needs besides the app state: styles, the key table, and
/// the panes drawn on earlier frames.
pub struct View<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub cache: &'a RenderCache,
}

/// The notes pane and the side column do not change while the note-taker
/// types: they are drawn once per change of the meeting (the app's view
/// generation). A fresh buffer gets them copied from here; the screen's
/// own buffer, kept from frame to frame (`terminal::Screen`), is not even
/// touched where they already are.
#[derive(Default)]
pub struct RenderCache {
    panes: RefCell<Vec<CachedPane>>,
    /// The panes the last frame left in a retained buffer, not drawn over.
    on_screen: RefCell<Vec<PaneKey>>,
    /// The strips the last frame left in a retained buffer.
    strips: RefCell<Vec<Strip>>,
}

/// A row (or column) outside the panes: when its content is the same as
/// on the last frame, it is left as it is.
#[derive(PartialEq, Clone)]
struct Strip {
    part: Part,
    area: Rect,
    content: Content,
}

#[derive(PartialEq, Clone, Copy)]
enum Part {
    Header,
    Status,
    Hints,
    SpeakerBar,
    /// Drawn with the editor.
    EditorBorder,
}

/// What a strip is made from: cheaper to compare than the strip's lines
/// are to build.
#[derive(PartialEq, Clone)]
enum Content {
    /// The status line's messages, and the number being typed after Ctrl+G.
    Status {
        generation: u64,
        status: crate::app::Status,
        goto: Option<String>,
        to_fix: usize,
    },
    /// The meeting as of a view generation, at a second of the clock.
    Meeting { generation: u64, second: i64 },
    /// The key hints of a mode.
    Hints(InputMode),
    /// The editor's frame: the meeting as of a view generation, and when
    /// the note being typed began.
    Editor {
        generation: u64,
        started_at: Option<crate::model::Instant>,
        turn_seconds: Option<i64>,
    },
}

impl Strip {
    fn draw(&self, buf: &mut Buffer, app: &App, view: &View) {
        let (theme, width) = (view.theme, self.area.width);
        match (self.part, &self.content) {
            (Part::Header, _) => {
                let [left, right] = header::lines(app, theme, width);
                text::write_row(buf, self.area, &left, &right);
            }
            (Part::Status, _) => {
                let [left, right] = footer::status(app, view, width);
                text::write_row(buf, self.area, &left, &right);
            }
            (Part::Hints, _) => {
                let [left, right] = footer::hints(app, view, width);
                text::write_row(buf, self.area, &left, &right);
            }
            (Part::SpeakerBar, _) => {
                let line = compose::speaker_bar(app, view, width);
                text::write_lines(buf, self.area, &[line]);
            }
            _ => {}
        }
    }
}

#[derive(PartialEq, Clone, Copy)]
enum Pane {
    Notes,
    Agenda,
    Roster,
    Transcript,
}

#[derive(PartialEq, Clone, Copy)]
struct PaneKey {
    pane: Pane,
    area: Rect,
    generation: u64,
    /// What the pane's running timer shows (see `agenda::timer_key`); 0
    /// for panes without one.
    timer: u64,
}

struct CachedPane {
    key: PaneKey,
    buffer: Buffer,
}

impl RenderCache {
    fn draw(&self, target: &mut Buffer, key: PaneKey, render: impl FnOnce(&mut Buffer)) {
        let mut panes = self.panes.borrow_mut();
        let index = match panes.iter().position(|p| p.key == key) {
            Some(index) => index,
            None => {
                let mut buffer = Buffer::empty(key.area);
                render(&mut buffer);
                panes.retain(|p| p.key.pane != key.pane);
                panes.push(CachedPane { key, buffer });
                panes.len() - 1
            }
        };
        let cached = &panes[index].buffer;
        let area = key.area.intersection(target.area);
        for y in area.top()..area.bottom() {
            let from = cached.index_of(area.x, y);
            let to = target.index_of(area.x, y);
            let width = usize::from(area.width);
            target.content[to..to + width].clone_from_slice(&cached.content[from..from + width]);
        }
    }

    /// For each of this frame's panes and strips, whether a retained buffer
    /// still shows it as it is.
    fn kept(&self, panes: &[PaneKey], strips: &[Strip]) -> (Vec<bool>, Vec<bool>) {
        fn shown<T: PartialEq>(last: &RefCell<Vec<T>>, now: &[T]) -> Vec<bool> {
            let last = last.borrow();
            now.iter().map(|item| last.contains(item)).collect()
        }
        (shown(&self.on_screen, panes), shown(&self.strips, strips))
    }

    /// What a retained buffer holds after this frame (nothing is known
    /// to stay when the buffer is not retained or an overlay covers it).
    fn remember(&self, panes: Vec<PaneKey>, strips: Vec<Strip>) {
        *self.on_screen.borrow_mut() = panes;
        *self.strips.borrow_mut() = strips;
    }
}

/// Below this the screen only says it is too small (and keeps everything).
/// The height leaves the notes pane a few rows above the editor.
const MIN_WIDTH: u16 = 30;
const MIN_HEIGHT: u16 = 12;
/// Below this width the agenda column goes: the notes' title names the item.
const AGENDA_MIN_WIDTH: u16 = 60;
/// The who-spoke pane's width, and the main area's width from which it
/// shows beside the notes instead of over them.
const SPEAKING_WIDTH: u16 = 40;
const SPEAKING_BESIDE_WIDTH: u16 = 90;
/// From this height of the side column on, the roster shows under the agenda.
const ROSTER_MIN_HEIGHT: u16 = 30;

/// Where each pane goes on a screen of `area`: one function for drawing
/// and for telling what a mouse click landed on.
pub struct Areas {
    pub header: Rect,
    pub body: Rect,
    pub footer: Rect,
    pub agenda: Rect,
    pub roster: Option<Rect>,
    /// The notes pane with the who-spoke pane, when shown.
    pub notes: Rect,
    pub speakers: Rect,
    pub editor: Rect,
    /// The speaker queue under the agenda, on screens too narrow for it
    /// beside the notes (which it must not hide).
    pub queue: Option<Rect>,
    /// The transcript, beside the notes (under them on narrow screens),
    /// while listening or once anything was heard.
    pub transcript: Option<Rect>,
}

/// `Layout::vertical(parts).areas(area)`: see [`split`].
fn split_rows<const N: usize>(area: Rect, parts: [Constraint; N]) -> [Rect; N] {
    split(area, true, parts)
}

/// `Layout::horizontal(parts).areas(area)`: see [`split`].
fn split_columns<const N: usize>(area: Rect, parts: [Constraint; N]) -> [Rect; N] {
    split(area, false, parts)
}

/// What ratatui's `Layout` makes of `parts`, worked out directly when it
/// is plain arithmetic (lengths that fit, and one `Fill` for the rest), as
/// every split of the usual screen is. The constraint solver's first use
/// in a process cost 0.15 ms of a 3 ms start (docs/performance.md); it
/// still does anything else. A test checks that both agree.
fn split<const N: usize>(area: Rect, vertical: bool, parts: [Constraint; N]) -> [Rect; N] {
    let extent = if vertical { area.height } else { area.width };
    let fills = parts
        .iter()
        .filter(|part| matches!(part, Constraint::Fill(_)))
        .count();
    // The lengths' sum; None if any part is neither a length nor a fill.
    let lengths: Option<u16> = parts
        .iter()
        .map(|part| match part {
            Constraint::Length(length) => Some(*length),
            Constraint::Fill(_) => Some(0),
            _ => None,
        })
        .try_fold(0u16, |sum, length| sum.checked_add(length?));
    let Some(rest) = lengths
        .and_then(|lengths| extent.checked_sub(lengths))
        .filter(|_| fills == 1)
    else {
        let layout = if vertical {
            Layout::vertical(parts)
        } else {
            Layout::horizontal(parts)
        };
        return layout.areas(area);
    };
    let mut at = if vertical { area.y } else { area.x };
    parts.map(|part| {
        let size = match part {
            Constraint::Length(length) => length,
            _ => rest,
        };
        let piece = if vertical {
            Rect {
                y: at,
                height: size,
                ..area
            }
        } else {
            Rect {
                x: at,
                width: size,
                ..area
            }
        };
        at += size;
        piece
    })
}

pub fn layout(area: Rect, app: &App) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [header, body, footer] = split_rows(
        area,
        [
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(2),
        ],
    );
    let agenda_width = if body.width < AGENDA_MIN_WIDTH {
        0
    } else {
        (body.width / 4).clamp(22, 44)
    };
    let [side, main] = split_columns(
        body,
        [Constraint::Length(agenda_width), Constraint::Fill(1)],
    );
    // A narrow screen keeps the notes whole: the queue goes under the agenda.
    let (side, queue) =
        if queue::wanted(app) && side.width > 0 && main.width < SPEAKING_BESIDE_WIDTH {
            let rows = (app.meeting.queue.len().max(1) as u16 + 2).min(side.height / 2);
            let [upper, queue] = split_rows(side, [Constraint::Fill(1), Constraint::Length(rows)]);
            (upper, Some(queue))
        } else {
            (side, None)
        };
    // Tall screens have room for the roster under the agenda.
    let (agenda, roster) =
        if side.height >= ROSTER_MIN_HEIGHT && !app.meeting.participants.is_empty() {
            let agenda_rows = app.meeting.agenda.len().max(1) as u16 + 2;
            let [agenda, roster] = split_rows(
                side,
                [
                    Constraint::Length(agenda_rows.min(side.height / 2)),
                    Constraint::Fill(1),
                ],
            );
            (agenda, Some(roster))
        } else {
            (side, None)
        };
    let editor_height = compose::editor_height(app, main);
    let [notes, speakers, editor] = split_rows(
        main,
        [
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(editor_height),
        ],
    );
    let (notes, transcript) = transcript_beside(notes, app);
    Some(Areas {
        header,
        body,
        footer,
        agenda,
        roster,
        notes,
        speakers,
        editor,
        queue,
        transcript,
    })
}

/// From this width of the notes' area the transcript goes beside them.
const TRANSCRIPT_BESIDE_WIDTH: u16 = 100;

/// The notes' area shared with the transcript pane, when it is shown.
fn transcript_beside(notes: Rect, app: &App) -> (Rect, Option<Rect>) {
    if !app.transcript.shown() {
        return (notes, None);
    }
    if notes.width >= TRANSCRIPT_BESIDE_WIDTH {
        let [notes, transcript] = split_columns(notes, [Constraint::Fill(3), Constraint::Fill(2)]);
        (notes, Some(transcript))
    } else {
        let rows = (notes.height * 2 / 5).max(3);
        let [notes, transcript] =
            split_rows(notes, [Constraint::Fill(1), Constraint::Length(rows)]);
        (notes, Some(transcript))
    }
}

/// A side pane (who spoke, before sending, the queue): its frame, titled
/// with the keys that work it; the area inside, or `None` when too narrow
/// to say anything.
fn side_pane(
    buf: &mut Buffer,
    area: Rect,
    view: &View,
    title: &str,
    keys: &[(InputMode, crate::app::Action)],
) -> Option<Rect> {
    let title = view.keymap.fill(title, keys);
    let inner = text::pane(buf, area, &title, view.theme.border, view.theme);
    (inner.width >= 12).then_some(inner)
}

/// The agenda item under a point, if any (for mouse clicks).
pub fn agenda_item_at(area: Rect, app: &App, x: u16, y: u16) -> Option<u32> {
    let areas = layout(area, app)?;
    let inner = areas.agenda.inner(ratatui::layout::Margin::new(1, 1));
    if !inner.contains(ratatui::layout::Position::new(x, y)) {
        return None;
    }
    let first = agenda::first_visible(app, inner.height as usize);
    app.meeting
        .agenda
        .get(first + usize::from(y - inner.y))
        .map(|i| i.id)
}

/// Whether a point is on the notes pane (for the mouse wheel).
pub fn on_notes(area: Rect, app: &App, x: u16, y: u16) -> bool {
    layout(area, app).is_some_and(|a| a.notes.contains(ratatui::layout::Position::new(x, y)))
}

/// Draws a frame into a fresh buffer (ratatui's `Terminal`, tests).
pub fn draw(frame: &mut Frame, app: &App, view: &View) {
    render(frame.buffer_mut(), app, view, false);
}

/// Draws the app into `buf`. With `retained`, `buf` holds the frame this
/// function drew last, and the panes that are unchanged and where they
/// were are left alone: those areas are returned, for the screen to skip
/// when it looks for what to send to the terminal.
pub fn render(buf: &mut Buffer, app: &App, view: &View, retained: bool) -> Vec<Rect> {
    let area = buf.area;
    let theme = view.theme;
    let Some(areas) = layout(area, app) else {
        view.cache.remember(Vec::new(), Vec::new());
        if retained {
            buf.reset();
        }
        overlays::too_small(buf, area, theme);
        return Vec::new();
    };
    // Who spoke (F3) or what to fix (F4): one side pane, in the same place.
    let queue_beside = queue::beside_notes(app) && areas.queue.is_none();
    let side_pane =
        (app.panes.speaking.is_some() || app.panes.show_check || queue_beside).then_some(());
    let (notes_area, speaking_area) = match side_pane {
        Some(()) if areas.notes.width >= SPEAKING_BESIDE_WIDTH => {
            let [notes, speaking] = split_columns(
                areas.notes,
                [Constraint::Fill(1), Constraint::Length(SPEAKING_WIDTH)],
            );
            (notes, Some(speaking))
        }
        // Narrow screens: the chart takes the notes' place while shown.
        Some(()) => (
            Rect {
                height: 0,
                ..areas.notes
            },
            Some(areas.notes),
        ),
        None => (areas.notes, None),
    };
    let panes = pane_keys(app, &areas, notes_area);
    let strips = strips(app, &areas);

    // Overlays draw over the rest: then nothing is kept, this frame or next.
    let overlaid = !matches!(
        app.mode,
        InputMode::Typing | InputMode::Goto | InputMode::Selecting | InputMode::Transcript
    );
    let keep = retained && !overlaid;
    let (kept_panes, kept_strips) = if keep {
        view.cache.kept(&panes, &strips)
    } else {
        (vec![false; panes.len()], vec![false; strips.len()])
    };
    let kept_areas: Vec<Rect> = (panes.iter().map(|key| key.area).zip(&kept_panes))
        .chain(strips.iter().map(|strip| strip.area).zip(&kept_strips))
        .filter(|(_, kept)| **kept)
        .map(|(area, _)| area)
        .collect();
    if retained {
        reset_outside(buf, &kept_areas);
    }

    for (strip, _) in strips.iter().zip(&kept_strips).filter(|(_, kept)| !**kept) {
        strip.draw(buf, app, view);
    }
    for (key, _) in panes.iter().zip(&kept_panes).filter(|(_, kept)| !**kept) {
        let key = *key;
        let pane_area = key.area;
        view.cache.draw(buf, key, |pane| match key.pane {
            Pane::Agenda => agenda::draw(pane, pane_area, app, theme),
            Pane::Roster => roster::draw(pane, pane_area, app, theme),
            Pane::Notes => notes::draw(pane, pane_area, app, view),
            Pane::Transcript => transcript::draw(pane, pane_area, app, view),
        });
    }
    if let (Some(speaking), Some(speaking_area)) = (&app.panes.speaking, speaking_area) {
        speaking::draw(buf, speaking_area, app, speaking, view);
    } else if let (true, Some(check_area)) = (app.panes.show_check, speaking_area) {
        check::draw(buf, check_area, app, view);
    } else if let (true, Some(queue_area)) = (queue_beside, speaking_area) {
        queue::draw(buf, queue_area, app, view);
    }
    if let Some(queue_area) = areas.queue {
        queue::draw(buf, queue_area, app, view);
    }
    // The editor's border is drawn again only if it changed.
    let border_kept = (strips.iter().zip(&kept_strips))
        .filter(|(strip, _)| strip.part == Part::EditorBorder)
        .all(|(_, kept)| *kept);
    let editor = areas.editor;
    let editor_frame = (!border_kept).then(|| compose::editor_frame(app, view, editor.width));
    compose::draw_editor(buf, editor, app, view, editor_frame);
    if keep {
        view.cache.remember(panes, strips);
    } else {
        view.cache.remember(Vec::new(), Vec::new());
    }

    match app.mode {
        InputMode::Picker => overlays::picker(buf, areas.notes, app, view),
        InputMode::Find => overlays::find(buf, areas.body, app, view),
        InputMode::Help => overlays::help(buf, area, app, view),
        InputMode::ConfirmQuit | InputMode::WritePath => overlays::unsaved(buf, area, app, view),
        InputMode::Setup | InputMode::SetupInput => setup::draw(buf, areas.body, app, view),
        // No overlay: the panes are the screen.
        InputMode::Typing | InputMode::Goto | InputMode::Selecting | InputMode::Transcript => {}
    }
    kept_areas
}

/// This frame's panes, each with what it is drawn from.
fn pane_keys(app: &App, areas: &Areas, notes_area: Rect) -> Vec<PaneKey> {
    let generation = app.view_generation;
    [
        Some((Pane::Agenda, areas.agenda, agenda::timer_key(app))),
        areas.roster.map(|roster| (Pane::Roster, roster, 0)),
        Some((Pane::Notes, notes_area, 0)),
        areas.transcript.map(|area| (Pane::Transcript, area, 0)),
    ]
    .into_iter()
    .flatten()
    // A narrow screen has no agenda column.
    .filter(|(_, area, _)| !area.is_empty())
    .map(|(pane, area, timer)| PaneKey {
        pane,
        area,
        generation,
        timer,
    })
    .collect()
}

/// This frame's strips: header, status, hints, speaker bar and the
/// editor's border, each with what it is made from.
fn strips(app: &App, areas: &Areas) -> Vec<Strip> {
    let generation = app.view_generation;
    let strip = |part, area, content| Strip {
        part,
        area,
        content,
    };
    let mut strips = vec![
        strip(
            Part::Header,
            row_of(areas.header, 0),
            Content::Meeting {
                generation,
                second: app.now.timestamp(),
            },
        ),
        strip(
            Part::Status,
            row_of(areas.footer, 0),
            Content::Status {
                generation,
                status: app.status.clone(),
                goto: (app.mode == InputMode::Goto).then(|| app.overlays.goto_input.clone()),
                to_fix: app.errors_to_fix(),
            },
        ),
        strip(
            Part::Hints,
            row_of(areas.footer, 1),
            Content::Hints(app.mode),
        ),
        strip(
            Part::SpeakerBar,
            areas.speakers,
            Content::Meeting {
                generation,
                second: 0,
            },
        ),
    ];
    // The editor's border (four strips: top, bottom, sides) changes with
    // its frame (title, style) only.
    let editor_frame = Content::Editor {
        generation,
        started_at: app.composer.started_at,
        turn_seconds: app.turn_seconds(),
    };
    let editor = areas.editor;
    let editor_sides = Rect {
        y: editor.y + 1,
        height: editor.height.saturating_sub(2),
        width: 1,
        ..editor
    };
    strips.extend(
        [
            row_of(editor, 0),
            row_of(editor, editor.height.saturating_sub(1)),
            editor_sides,
            Rect {
                x: editor.right().saturating_sub(1),
                ..editor_sides
            },
        ]
        .map(|area| strip(Part::EditorBorder, area, editor_frame.clone())),
    );
    strips
}

/// Row `index` of `area` (empty when `area` has no such row).
fn row_of(area: Rect, index: u16) -> Rect {
    Rect {
        y: area.y + index,
        height: 1,
        ..area
    }
    .intersection(area)
}

/// Resets every cell of `buf` outside `kept` to what a fresh buffer holds.
fn reset_outside(buf: &mut Buffer, kept: &[Rect]) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        for (left, right) in crate::terminal::spans_outside(area, y, kept) {
            let start = buf.index_of(left, y);
            let end = start + usize::from(right - left);
            buf.content[start..end].iter_mut().for_each(|cell| {
                cell.reset();
            });
        }
    }
}

/// A rectangle of at most `width` x `height` centred in `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every split worked out directly is what the solver makes, lengths
    /// that fit or not, the fill first, between or last.
    #[test]
    fn direct_splits_are_the_solvers() {
        use Constraint::{Fill, Length};
        for extent in [0u16, 1, 2, 3, 5, 8, 9, 13, 22, 24, 29, 31, 39, 45, 60, 84] {
            let area = Rect::new(3, 5, extent, extent);
            for a in [0, 1, 2, 7, 22, 39, 45] {
                for b in [0, 1, 2, 9, 30] {
                    let threes: [[Constraint; 3]; 3] = [
                        [Length(a), Fill(1), Length(b)],
                        [Fill(1), Length(a), Length(b)],
                        [Length(a), Length(b), Fill(1)],
                    ];
                    for parts in threes {
                        assert_eq!(
                            split_rows(area, parts),
                            Layout::vertical(parts).areas(area),
                            "{parts:?} in {extent}"
                        );
                        assert_eq!(
                            split_columns(area, parts),
                            Layout::horizontal(parts).areas(area),
                            "{parts:?} in {extent}"
                        );
                    }
                }
                for parts in [
                    [Length(a), Fill(1)],
                    [Fill(1), Length(a)],
                    [Fill(3), Fill(2)],
                ] {
                    assert_eq!(split_rows(area, parts), Layout::vertical(parts).areas(area));
                    assert_eq!(
                        split_columns(area, parts),
                        Layout::horizontal(parts).areas(area)
                    );
                }
            }
        }
    }
}
