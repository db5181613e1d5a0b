//! The transcript pane (docs/transcript.md): segments as they are heard,
//! newest at the bottom, each with its time and speaker; in the pane
//! (Alt+T) the selection is highlighted. Only the visible segments are
//! laid out.

use super::View;
use super::text::write_lines;
use crate::app::{Action, App, InputMode};
use crate::transcript::{Segment, TranscriptAction};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(buf: &mut Buffer, area: Rect, app: &App, view: &View) {
    let theme = view.theme;
    let pane = &app.transcript;
    let focused = app.mode == InputMode::Transcript;
    let (title, keys) = if focused {
        (" Transcript ", vec![])
    } else if pane.listening {
        (
            " Transcript · listening · {} picks · {} stops ",
            vec![
                (
                    InputMode::Typing,
                    Action::Transcript(TranscriptAction::Focus),
                ),
                (
                    InputMode::Typing,
                    Action::Transcript(TranscriptAction::ToggleListening),
                ),
            ],
        )
    } else {
        (
            " Transcript · {} picks · {} listens ",
            vec![
                (
                    InputMode::Typing,
                    Action::Transcript(TranscriptAction::Focus),
                ),
                (
                    InputMode::Typing,
                    Action::Transcript(TranscriptAction::ToggleListening),
                ),
            ],
        )
    };
    let title = view.keymap.fill(title, &keys);
    let border = if focused {
        theme.border_focus
    } else {
        theme.border
    };
    let inner = super::text::pane(buf, area, &title, border, theme);
    if inner.height == 0 || inner.width < 12 {
        return;
    }
    if pane.segments.is_empty() {
        write_lines(
            buf,
            inner,
            &[Line::from(Span::styled(
                "Listening… what is said appears here.",
                theme.empty,
            ))],
        );
        return;
    }
    let height = usize::from(inner.height);
    let width = usize::from(inner.width);
    let selection = pane.selection();
    let selected = |i: usize| selection.is_some_and(|(a, b)| (a..=b).contains(&i));
    // The newest segment at the bottom, unless the highlight is above
    // what that shows: then the highlight is the bottom line.
    let last = pane.segments.len() - 1;
    let mut bottom = last;
    if let Some(cursor) = pane.cursor {
        let mut used = 0;
        for index in (cursor + 1..=last).rev() {
            used += lines_of(app, &pane.segments[index], width, false, view).len();
            if used >= height {
                bottom = cursor;
                break;
            }
        }
    }
    let mut stack: Vec<Vec<Line>> = Vec::new();
    let mut total = 0;
    for index in (0..=bottom).rev() {
        let lines = lines_of(app, &pane.segments[index], width, selected(index), view);
        total += lines.len();
        stack.push(lines);
        if total >= height {
            break;
        }
    }
    let lines: Vec<Line> = stack.into_iter().rev().flatten().collect();
    let skip = lines.len().saturating_sub(height);
    write_lines(buf, inner, &lines[skip..]);
}

/// "14:03 Amy: text…", wrapped under the text.
fn lines_of(
    app: &App,
    segment: &Segment,
    width: usize,
    selected: bool,
    view: &View,
) -> Vec<Line<'static>> {
    let theme = view.theme;
    let meeting = &app.meeting;
    let time = match meeting.started_at {
        Some(start) => {
            let at = start + chrono::Duration::milliseconds((segment.start * 1000.0) as i64);
            meeting.in_zone(at).format("%H:%M ").to_string()
        }
        None => format!(
            "+{:02}:{:02} ",
            (segment.start as u64) / 60,
            (segment.start as u64) % 60
        ),
    };
    // The speaker picked when it was heard; else, live, which side of the
    // call it came from.
    let speaker = match (segment.speaker.as_deref(), segment.channel.as_str()) {
        (Some(id), _) => format!("{}: ", meeting.short_name(id)),
        (None, channel @ ("me" | "them")) => format!("({channel}) "),
        (None, _) => String::new(),
    };
    let lead = super::text::width(&time) + super::text::width(&speaker);
    let wrapped = textwrap::wrap(&segment.text, width.saturating_sub(lead).max(8));
    let text_style = if selected {
        theme.note_selected
    } else {
        theme.note_text
    };
    wrapped
        .into_iter()
        .enumerate()
        .map(|(n, piece)| {
            let mut spans = if n == 0 {
                vec![
                    Span::styled(time.clone(), theme.note_time),
                    Span::styled(speaker.clone(), theme.note_speaker),
                ]
            } else {
                vec![Span::raw(" ".repeat(lead))]
            };
            spans.push(Span::styled(piece.into_owned(), text_style));
            let line = Line::from(spans);
            if selected {
                line.style(theme.note_selected)
            } else {
                line
            }
        })
        .collect()
}
