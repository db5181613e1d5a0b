//! The who-spoke pane (F3): interventions and speaking time per person as
//! bars, and who is present but has not spoken yet.

use super::View;
use super::text::{short_duration, truncate, width, write_lines};
use crate::app::{Action, App, InputMode};
use crate::model::stats::Speaking;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(buf: &mut Buffer, area: Rect, app: &App, speaking: &Speaking, view: &View) {
    let theme = view.theme;
    let keys = [(InputMode::Typing, Action::ToggleSpeaking)];
    let Some(inner) = super::side_pane(buf, area, view, " Who spoke ({} hides) ", &keys) else {
        return;
    };
    let row_width = inner.width as usize;
    let meeting = &app.meeting;
    let name_width = speaking
        .spoke
        .iter()
        .map(|s| width(meeting.short_name(&s.id)))
        .max()
        .unwrap_or(4)
        .clamp(4, 14);
    let longest = speaking.spoke.first().map_or(1, |s| s.seconds.max(1));
    let mut lines: Vec<Line> = Vec::new();
    for stats in &speaking.spoke {
        let name = truncate(meeting.short_name(&stats.id), name_width);
        let figures = format!(
            " {}× {:>4}",
            stats.interventions,
            short_duration(stats.seconds)
        );
        let room = row_width.saturating_sub(name_width + 1 + width(&figures));
        let bar = (stats.seconds as usize * room)
            .div_ceil(longest as usize)
            .min(room);
        let style = if app.speakers.contains(&stats.id) {
            theme.speaker_current
        } else {
            theme.speaker_other
        };
        // Padded by display width: a CJK character or an emoji takes two
        // columns, and `{:<n}` would count it as one.
        let pad = name_width.saturating_sub(width(&name)) + 1;
        lines.push(Line::from(vec![
            Span::styled(format!("{name}{}", " ".repeat(pad)), style),
            Span::styled("█".repeat(bar), theme.chart_bar),
            Span::raw(" ".repeat(room - bar)),
            Span::styled(figures, theme.agenda_time),
        ]));
    }
    if speaking.spoke.is_empty() {
        lines.push(Line::from(Span::styled(
            "Nobody has spoken yet.",
            theme.empty,
        )));
    }
    if !speaking.silent.is_empty() {
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(
            format!("Not spoken yet ({}):", speaking.silent.len()),
            theme.chart_silent,
        )));
        let names: Vec<&str> = speaking
            .silent
            .iter()
            .map(|id| meeting.short_name(id))
            .collect();
        let options = textwrap::Options::new(row_width.max(1))
            .subsequent_indent(" ")
            .initial_indent(" ");
        for line in textwrap::wrap(&names.join(", "), options) {
            lines.push(Line::from(Span::styled(
                line.into_owned(),
                theme.chart_silent,
            )));
        }
    }
    write_lines(buf, inner, &lines);
}
