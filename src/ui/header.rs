//! The top line: title, date, series number, clock and elapsed time.

use super::text::{clock_duration, clock_time, truncate_words, width};
use crate::app::App;
use crate::theme::Theme;
use ratatui::text::{Line, Span};

/// A long title keeps this many columns before the date is shortened.
const TITLE_MIN_WIDTH: usize = 16;

/// The header's left and right parts for a row `width` wide.
pub fn lines(app: &App, theme: &Theme, columns: u16) -> [Line<'static>; 2] {
    let meeting = &app.meeting;
    let now = meeting.in_zone(meeting.local(app.now));
    let day = meeting.day().unwrap_or_else(|| now.date_naive());

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
    // The planned end, and the agenda's when it runs past it.
    let fit = crate::model::stats::agenda_fit(meeting);
    let hhmm = |at| meeting.in_zone(at).format("%H:%M").to_string();
    let (elapsed, over) = match (&fit, crate::model::stats::planned_end(meeting)) {
        (Some(fit), _) if fit.minutes_over > 0 => (
            elapsed,
            format!(
                "· agenda ends {}, {}m past {} ",
                hhmm(fit.agenda_end),
                fit.minutes_over,
                hhmm(fit.scheduled_end)
            ),
        ),
        (Some(fit), _) => (
            format!("{elapsed}· ends {} ", hhmm(fit.scheduled_end)),
            String::new(),
        ),
        (None, Some(end)) => (format!("{elapsed}· ends {} ", hhmm(end)), String::new()),
        (None, None) => match meeting.scheduled_end {
            Some(end) => (format!("{elapsed}· ends {} ", hhmm(end)), String::new()),
            None => (elapsed, String::new()),
        },
    };
    let series = meeting
        .series_number
        .map(|n| format!(" · #{n}"))
        .unwrap_or_default();
    let title = format!(" {}", meeting.title);
    // A narrow screen keeps the title and the clock: the elapsed time goes
    // first, then the date shortens (the agenda pane shows the times).
    let columns = usize::from(columns);
    let (elapsed, over) = if columns < width(&clock) + width(&elapsed) + width(&over) + 17 {
        (String::new(), String::new())
    } else {
        (elapsed, over)
    };
    // Off the record is said where every eye goes, as well as on the editor.
    // So are final minutes (read only until amended) and a file that
    // holds nothing yet (kept only once something is noted).
    let off = if app.read_only {
        if meeting.approved.is_some() {
            " APPROVED · READ ONLY "
        } else {
            " FINAL · READ ONLY "
        }
    } else if meeting.off_record {
        " OFF THE RECORD "
    } else if app.new_file && meeting.notes.is_empty() {
        " [New] "
    } else {
        ""
    };
    // Participants' pages following the meeting (src/page/).
    let pages = app.pages.connected.map_or(String::new(), |n| {
        format!(" {} ", crate::text::plural(n, "page"))
    });
    // Listening is said plainly while it goes on (docs/transcript.md).
    let listening = if app.transcript.listening {
        " ● LISTENING "
    } else {
        ""
    };
    // Sharing (src/share/): who is connected, or that it is reconnecting;
    // left out first when the row is narrow.
    let room_for_it = columns.saturating_sub(
        width(listening) + width(off) + width(&clock) + width(&elapsed) + width(&over) + 20,
    );
    let shared = app
        .status
        .sharing
        .as_deref()
        .map(|s| format!(" {} ·", truncate_words(s, room_for_it.saturating_sub(3))))
        .filter(|s| room_for_it >= 14 && width(s) <= room_for_it)
        .unwrap_or_default();
    let room = columns.saturating_sub(
        width(listening)
            + width(off)
            + width(&shared)
            + width(&pages)
            + width(&clock)
            + width(&elapsed)
            + width(&over)
            + 1,
    );
    let long_date = format!("{series} · {}", day.format("%a %-d %b %Y"));
    let short_date = format!("{series} · {}", day.format("%-d %b"));
    // The date outlives the title's last words: a long title is cut at a
    // word, down to 16 columns, before the date shortens or goes.
    let fits =
        |meta: &str| width(&title) + width(meta) <= room || room >= TITLE_MIN_WIDTH + width(meta);
    let meta = [long_date, short_date]
        .into_iter()
        .find(|meta| fits(meta))
        .unwrap_or_default();
    let title = truncate_words(&title, room.saturating_sub(width(&meta)));
    let left = Line::from(vec![
        Span::styled(title, theme.header),
        Span::styled(meta, theme.header_meta),
    ])
    .style(theme.header);
    let right = Line::from(vec![
        Span::styled(listening, theme.agenda_overrun),
        Span::styled(off, theme.agenda_overrun),
        Span::styled(shared, theme.header_meta),
        Span::styled(pages, theme.header_meta),
        Span::styled(clock, theme.header_clock),
        Span::styled(elapsed, theme.header_meta),
        Span::styled(over, theme.agenda_overrun),
    ]);
    [left, right]
}
