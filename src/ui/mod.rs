//! Drawing: `draw(frame, &app, &view)` reads the state and renders it.
//! Nothing here changes the meeting or touches the terminal directly.

mod agenda;
mod compose;
mod footer;
mod header;
mod notes;
mod overlays;
mod roster;
mod setup;
mod speaking;
mod text;

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
/// generation) and copied on the frames in between.
#[derive(Default)]
pub struct RenderCache {
    panes: RefCell<Vec<CachedPane>>,
}

#[derive(PartialEq, Clone, Copy)]
enum Pane {
    Notes,
    Agenda,
    Roster,
}

#[derive(PartialEq, Clone, Copy)]
struct PaneKey {
    pane: Pane,
    area: Rect,
    generation: u64,
    /// Timers show whole seconds; panes without time use 0.
    second: i64,
}

struct CachedPane {
    key: PaneKey,
    buffer: Buffer,
}

impl RenderCache {
    fn draw(&self, frame: &mut Frame, key: PaneKey, render: impl FnOnce(&mut Buffer)) {
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
        let target = frame.buffer_mut();
        let area = key.area.intersection(target.area);
        for y in area.top()..area.bottom() {
            for x in area.left()..area.right() {
                target[(x, y)] = cached[(x, y)].clone();
            }
        }
    }
}

/// Below this the screen only says it is too small (and keeps everything).
const MIN_WIDTH: u16 = 30;
const MIN_HEIGHT: u16 = 8;
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
}

pub fn layout(area: Rect, app: &App) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(2),
    ])
    .areas(area);
    let agenda_width = (body.width / 4).clamp(22, 44);
    let [side, main] =
        Layout::horizontal([Constraint::Length(agenda_width), Constraint::Fill(1)]).areas(body);
    // Tall screens have room for the roster under the agenda.
    let (agenda, roster) =
        if side.height >= ROSTER_MIN_HEIGHT && !app.meeting.participants.is_empty() {
            let agenda_rows = app.meeting.agenda.len().max(1) as u16 + 2;
            let [agenda, roster] = Layout::vertical([
                Constraint::Length(agenda_rows.min(side.height / 2)),
                Constraint::Fill(1),
            ])
            .areas(side);
            (agenda, Some(roster))
        } else {
            (side, None)
        };
    let editor_height = compose::editor_height(app, main);
    let [notes, speakers, editor] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(editor_height),
    ])
    .areas(main);
    Some(Areas {
        header,
        body,
        footer,
        agenda,
        roster,
        notes,
        speakers,
        editor,
    })
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

pub fn draw(frame: &mut Frame, app: &App, view: &View) {
    let area = frame.area();
    let Some(Areas {
        header: header_area,
        body,
        footer: footer_area,
        agenda: agenda_area,
        roster: roster_area,
        notes: notes_area,
        speakers: speakers_area,
        editor: editor_area,
    }) = layout(area, app)
    else {
        overlays::too_small(frame, area, view.theme);
        return;
    };
    header::draw(frame, header_area, app, view.theme);
    footer::draw(frame, footer_area, app, view);
    let generation = app.view_generation;
    let second = app.now.timestamp();
    view.cache.draw(
        frame,
        PaneKey {
            pane: Pane::Agenda,
            area: agenda_area,
            generation,
            second,
        },
        |buf| agenda::draw(buf, agenda_area, app, view.theme),
    );
    if let Some(roster_area) = roster_area {
        view.cache.draw(
            frame,
            PaneKey {
                pane: Pane::Roster,
                area: roster_area,
                generation,
                second: 0,
            },
            |buf| roster::draw(buf, roster_area, app, view.theme),
        );
    }
    let pane_area = notes_area;
    let notes_area = match &app.speaking {
        Some(speaking) if notes_area.width >= SPEAKING_BESIDE_WIDTH => {
            let [notes_area, speaking_area] =
                Layout::horizontal([Constraint::Fill(1), Constraint::Length(SPEAKING_WIDTH)])
                    .areas(notes_area);
            speaking::draw(frame, speaking_area, app, speaking, view.theme);
            notes_area
        }
        Some(speaking) => {
            // Narrow screens: the chart takes the notes' place while shown.
            speaking::draw(frame, notes_area, app, speaking, view.theme);
            Rect {
                height: 0,
                ..notes_area
            }
        }
        None => notes_area,
    };
    view.cache.draw(
        frame,
        PaneKey {
            pane: Pane::Notes,
            area: notes_area,
            generation,
            second: 0,
        },
        |buf| notes::draw(buf, notes_area, app, view.theme),
    );
    compose::draw_speaker_bar(frame, speakers_area, app, view.theme);
    compose::draw_editor(frame, editor_area, app, view.theme);

    match app.mode {
        InputMode::Picker => overlays::picker(frame, pane_area, app, view.theme),
        InputMode::Help => overlays::help(frame, area, app, view),
        InputMode::ConfirmQuit | InputMode::WritePath => overlays::unsaved(frame, area, app, view),
        InputMode::Setup | InputMode::SetupInput => setup::draw(frame, body, app, view.theme),
        _ => {}
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
