//! The participants pane, shown under the agenda on tall screens: full
//! names and affiliations, with the current speaker(s) marked.

use super::text::{truncate, width};
use crate::app::App;
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(buf: &mut Buffer, area: Rect, app: &App, theme: &Theme) {
    let participants = &app.meeting.participants;
    let title = format!(" Participants ({}) ", participants.len());
    let inner = super::text::pane(buf, area, &title, theme.border, theme);
    let row_width = inner.width as usize;
    let lines: Vec<Line> = participants
        .iter()
        .take(inner.height as usize)
        .map(|p| {
            let digit = app
                .slots
                .iter()
                .find(|(_, id)| *id == p.id)
                .map_or("  ".to_string(), |(d, _)| format!("{d} "));
            let mut name = p.name.clone();
            if let Some(affiliation) = &p.affiliation {
                name.push_str(&format!(" ({affiliation})"));
            }
            let name = truncate(&name, row_width.saturating_sub(width(&digit)));
            let speaking = app.speakers.contains(&p.id);
            let style = if speaking {
                theme.speaker_current
            } else {
                theme.speaker_other
            };
            Line::from(vec![
                Span::styled(digit, theme.speaker_number),
                Span::styled(name, style),
            ])
        })
        .collect();
    super::text::write_lines(buf, inner, &lines);
}
