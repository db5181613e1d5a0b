//! The top line: title, date, series number, clock and elapsed time.

use super::text::{clock_duration, clock_time, truncate, width};
use crate::app::App;
use crate::theme::Theme;
use ratatui::text::{Line, Span};

/// The header's left and right parts for a row `width` wide.
pub fn lines(app: &App, theme: &Theme, columns: u16) -> [Line<'static>; 2] {
    let meeting = &app.meeting;
    let now = meeting.in_zone(meeting.local(app.now));
    let day = meeting
        .scheduled_start
        .or(meeting.started_at)
        .map_or(now, |at| meeting.in_zone(at));

    let clock = format!(" {} {} ", clock_time(now), now.format("%Z"));
    let elapsed = match (meeting.started_at, meeting.ended_at) {
        (Some(start), None) => format!(
            "elapsed {} ",
            clock_duration((now.fixed_offset() - start).num_seconds())
        ),
        (Some(start), Some(end)) => {
            format!("lasted {} ", clock_duration((end - start).num_seconds()))
        }
        (None, _) => "not started ".to_string(),
    };
    let elapsed = match crate::model::stats::planned_end(meeting) {
        Some(end) => format!("{elapsed}· ends {} ", meeting.in_zone(end).format("%H:%M")),
        None => elapsed,
    };
    let mut meta = format!(" · {}", day.format("%a %-d %b %Y"));
    if let Some(n) = meeting.series_number {
        meta = format!(" · #{n}{meta}");
    }
    let right = width(&clock) + width(&elapsed);
    let room = usize::from(columns).saturating_sub(right + 1);
    let title = truncate(&format!(" {}", meeting.title), room);
    let meta = truncate(&meta, room.saturating_sub(width(&title)));
    let left = Line::from(vec![
        Span::styled(title, theme.header),
        Span::styled(meta, theme.header_meta),
    ])
    .style(theme.header);
    let right = Line::from(vec![
        Span::styled(clock, theme.header_clock),
        Span::styled(elapsed, theme.header_meta),
    ]);
    [left, right]
}
