//! The agenda pane: numbered items, the current one highlighted, time spent.

use super::text::{short_duration, truncate, width};
use crate::app::App;
use crate::model::{AgendaItem, Instant};
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use ratatui::widgets::{Paragraph, Wrap};

pub fn draw(buf: &mut Buffer, area: Rect, app: &App, theme: &Theme) {
    let inner = super::text::pane(buf, area, " Agenda ", theme.border, theme);

    let meeting = &app.meeting;
    if meeting.agenda.is_empty() {
        let text = "No agenda: notes belong to the meeting as a whole.";
        Paragraph::new(text)
            .style(theme.empty)
            .wrap(Wrap { trim: true })
            .render(inner, buf);
        return;
    }
    let now = meeting.local(app.now);
    let rows = inner.height as usize;
    let current = current_index(app);
    let first = first_visible(app, rows);
    let number_width = meeting.agenda.len().to_string().len();
    let rows_on_screen = meeting.agenda.iter().enumerate().skip(first).take(rows);
    for (y, (index, item)) in (inner.y..).zip(rows_on_screen) {
        let is_current = index == current && app.current_item.is_some();
        let (time, overrun) = time_text(item, is_current, now, app.item_warning_seconds);
        let number = format!("{:>number_width$} ", index + 1);
        let room = (inner.width as usize).saturating_sub(width(&number) + width(&time) + 1);
        // Parked for the next meeting (F7).
        let parked = meeting.parked.contains(&item.title);
        let title = if parked {
            truncate(&format!("» {}", item.title), room)
        } else {
            truncate(&item.title, room)
        };
        let (item_style, time_style) = match (is_current, overrun) {
            (true, true) => (theme.agenda_current, theme.agenda_overrun),
            (true, false) => (theme.agenda_current, theme.agenda_current),
            _ => (theme.agenda_item, theme.agenda_time),
        };
        let left = Line::from(vec![Span::raw(number), Span::raw(title)]).style(item_style);
        let right = Line::from(Span::styled(time, time_style));
        super::text::write_row(
            buf,
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

/// What an item's time column says, and whether it is to be warned of:
/// run over, or within `warning` seconds of its planned end. The current
/// item counts down; the others say spent / planned.
fn time_text(item: &AgendaItem, is_current: bool, now: Instant, warning: i64) -> (String, bool) {
    let spent = item.seconds_spent(now);
    match (is_current, item.seconds_left(now)) {
        (true, Some(left)) if left >= 0 => {
            (format!("{} left", short_duration(left)), left < warning)
        }
        (true, Some(left)) => (format!("+{} over", short_duration(-left)), true),
        (_, planned) => {
            let spent = if spent > 0 {
                short_duration(spent)
            } else {
                String::new()
            };
            match (planned, item.planned_minutes) {
                (Some(_), Some(minutes)) if !spent.is_empty() => {
                    (format!("{spent}/{minutes}m"), false)
                }
                (Some(_), Some(minutes)) => (format!("{minutes}m"), false),
                _ => (spent, false),
            }
        }
    }
}

/// Changes when, and only when, what the agenda's clock shows changes:
/// only the current item's time runs, and it shows seconds for its first
/// minute only. The pane is drawn again on that, not on every tick.
pub fn timer_key(app: &App) -> u64 {
    let Some(item) = app.current_item.and_then(|id| app.meeting.item(id)) else {
        return 0;
    };
    let shown = time_text(
        item,
        true,
        app.meeting.local(app.now),
        app.item_warning_seconds,
    );
    let mut hasher = std::hash::DefaultHasher::new();
    std::hash::Hash::hash(&shown, &mut hasher);
    std::hash::Hasher::finish(&hasher)
}

fn current_index(app: &App) -> usize {
    let agenda = &app.meeting.agenda;
    app.current_item
        .and_then(|id| agenda.iter().position(|i| i.id == id))
        .unwrap_or(0)
}

/// The first item shown when `rows` fit: the current one stays in view, a
/// little below the top when possible.
pub fn first_visible(app: &App, rows: usize) -> usize {
    current_index(app)
        .saturating_sub(rows.saturating_sub(1).min(2))
        .min(app.meeting.agenda.len().saturating_sub(rows))
}
