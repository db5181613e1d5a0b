//! Where a note is written: the numbered speaker bar and the editor.

use super::View;
use super::text::{clock_time, truncate, width};
use crate::app::{Action, App, InputMode};
use crate::app::{EditorAction, SpeakerAction};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

/// The editor grows with its text, up to a third of the pane.
pub fn editor_height(app: &App, main: Rect) -> u16 {
    let inner_width = main.width.saturating_sub(2).max(1) as usize;
    let rows: usize = app
        .composer
        .editor
        .lines()
        .iter()
        .map(|l| width(l) / inner_width + 1)
        .sum();
    let max = (main.height / 3).max(3);
    (rows as u16 + 2).clamp(3, max)
}

/// The speaker bar, for a row `width` wide.
pub fn speaker_bar(app: &App, view: &View, columns: u16) -> Line<'static> {
    let theme = view.theme;
    // "Alt+1" without its digit: the numbers follow.
    let first = view.keymap.key_for(
        InputMode::Typing,
        &Action::Speaker(SpeakerAction::ChooseSlot(1)),
    );
    let modifier = format!(" {}", first.trim_end_matches('1'));
    let mut used = width(&modifier);
    let mut spans = vec![Span::styled(modifier, theme.hint_text)];
    for (digit, id) in app.slots.iter() {
        let name = app.meeting.short_name(id);
        let cell = format!("{digit} {name}");
        let cell_width = width(&cell) + 2;
        if used + cell_width > usize::from(columns) {
            break;
        }
        let style = if app.speakers.iter().any(|s| s == id) {
            theme.speaker_current
        } else {
            theme.speaker_other
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(format!("{digit}"), theme.speaker_number));
        spans.push(Span::styled(format!(" {name} "), style));
        used += cell_width;
    }
    if app.slots.iter().next().is_none() {
        let hint = view.keymap.fill(
            " no speakers yet: {} adds one",
            &[(
                InputMode::Typing,
                Action::Speaker(SpeakerAction::OpenPicker),
            )],
        );
        spans.push(Span::styled(hint, theme.empty));
    }
    Line::from(spans)
}

/// "1:23": minutes and seconds.
fn minutes_seconds(seconds: i64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// The editor's frame: its title (who speaks, since when) and border style.
pub fn editor_frame(app: &App, view: &View, columns: u16) -> (Line<'static>, Style) {
    let theme = view.theme;
    let meeting = &app.meeting;
    let speakers = if app.speakers.is_empty() {
        "no speaker".to_string()
    } else {
        app.speakers
            .iter()
            .map(|id| meeting.short_name(id))
            .collect::<Vec<_>>()
            .join(" & ")
    };
    let (title, title_style) = match &app.selection.editing {
        Some(editing) => {
            let time = meeting
                .notes
                .iter()
                .find(|n| n.id == editing.note_id)
                .map(|n| meeting.in_zone(n.started_at).format("%H:%M").to_string())
                .unwrap_or_default();
            let keys = view.keymap.fill(
                "{} saves · {} cancels",
                &[
                    (InputMode::Typing, Action::Editor(EditorAction::Commit)),
                    (InputMode::Typing, Action::Cancel),
                ],
            );
            (
                format!(" Editing the {time} note · {speakers} · {keys} "),
                theme.editor_editing,
            )
        }
        None => {
            let since = app
                .composer
                .started_at
                .map(|at| format!(" · since {}", clock_time(meeting.in_zone(at))))
                .unwrap_or_default();
            // The speaker's time on the floor, against the limit if one is set.
            let turn = match (app.turn_seconds(), meeting.speaker_limit_minutes) {
                (Some(s), Some(limit)) => format!(" · {} of {limit}:00", minutes_seconds(s)),
                (Some(s), None) => format!(" · {}", minutes_seconds(s)),
                (None, _) => String::new(),
            };
            let off = if meeting.off_record {
                " · OFF THE RECORD"
            } else {
                ""
            };
            let style = if app.turn_over_limit() || meeting.off_record {
                theme.agenda_overrun
            } else {
                theme.editor_title
            };
            (format!(" {speakers}{since}{turn}{off} "), style)
        }
    };
    let focused = matches!(app.mode, InputMode::Typing);
    let border = if focused {
        theme.border_focus
    } else {
        theme.border
    };
    let title = Span::styled(
        truncate(&title, usize::from(columns.saturating_sub(2))),
        title_style,
    );
    (Line::from(title), border)
}

/// The editor in its frame (see [`editor_frame`]); without one, only the
/// text inside is drawn (the frame is on screen already).
pub fn draw_editor(
    buf: &mut Buffer,
    area: Rect,
    app: &App,
    view: &View,
    frame: Option<(Line<'static>, Style)>,
) {
    let inner = area.inner(ratatui::layout::Margin::new(1, 1));
    if let Some((title, border)) = frame {
        Block::bordered()
            .border_style(border)
            .title(title)
            .render(area, buf);
    }
    (&app.composer.editor).render(inner, buf);
    if app.composer.editor.is_empty() && app.selection.editing.is_none() {
        // Drawn here rather than as the editor's own placeholder: its keys
        // come from the keymap.
        let placeholder = view.keymap.fill(
            "Type a note · {}: speaker · {}: commit · {}: help",
            &[
                (
                    InputMode::Typing,
                    Action::Speaker(SpeakerAction::OpenPicker),
                ),
                (InputMode::Typing, Action::Editor(EditorAction::Commit)),
                (InputMode::Typing, Action::ToggleHelp),
            ],
        );
        let at = Rect {
            x: inner.x.saturating_add(1).min(inner.right()),
            width: inner.width.saturating_sub(1),
            height: inner.height.min(1),
            ..inner
        };
        // The look ratatui-textarea gives a placeholder.
        let style = Style::default().fg(ratatui::style::Color::DarkGray);
        let placeholder = super::text::fit_title(&placeholder, usize::from(at.width));
        buf.set_stringn(at.x, at.y, placeholder, usize::from(at.width), style);
    }
}
