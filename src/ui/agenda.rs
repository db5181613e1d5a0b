//! The agenda pane: numbered items, the current one highlighted, time spent.

use super::text::{short_duration, truncate, width};
use crate::app::App;
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let block = Block::bordered()
        .border_style(theme.border)
        .title(Span::styled(" Agenda ", theme.pane_title));
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let meeting = &app.meeting;
    if meeting.agenda.is_empty() {
        let text = "No agenda: notes belong to the meeting as a whole.";
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.empty)
                .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let now = meeting.local(app.now);
    let rows = inner.height as usize;
    let current = app
        .current_item
        .and_then(|id| meeting.agenda.iter().position(|i| i.id == id))
        .unwrap_or(0);
    // Keep the current item in view, a little below the top when possible.
    let first = current
        .saturating_sub(rows.saturating_sub(1).min(2))
        .min(meeting.agenda.len().saturating_sub(rows));
    let number_width = meeting.agenda.len().to_string().len();
    let rows_on_screen = meeting.agenda.iter().enumerate().skip(first).take(rows);
    for (y, (index, item)) in (inner.y..).zip(rows_on_screen) {
        let spent = item.seconds_spent(now);
        let time = if spent > 0 {
            short_duration(spent)
        } else {
            String::new()
        };
        let time = match item.planned_minutes {
            Some(planned) if spent > 0 => format!("{time}/{planned}m"),
            Some(planned) => format!("{planned}m"),
            None => time,
        };
        let number = format!("{:>number_width$} ", index + 1);
        let room = (inner.width as usize).saturating_sub(width(&number) + width(&time) + 1);
        let title = truncate(&item.title, room);
        let is_current = index == current && app.current_item.is_some();
        let (item_style, time_style) = if is_current {
            (theme.agenda_current, theme.agenda_current)
        } else {
            (theme.agenda_item, theme.agenda_time)
        };
        let left = Line::from(vec![Span::raw(number), Span::raw(title)]).style(item_style);
        let right = Line::from(Span::styled(time, time_style));
        super::text::render_row(
            frame,
            Rect {
                y,
                height: 1,
                ..inner
            },
            &left,
            &right,
        );
    }
}
