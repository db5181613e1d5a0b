//! Small text helpers for the panes: widths, truncation, times.

pub use crate::text::{plural, truncate, truncate_words, width};
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

/// Writes lines that are already laid out (one per row, cut at the edge)
/// straight into the buffer: much cheaper than a Paragraph, which would
/// lay them out again on every frame. A line's own style fills its row.
pub fn write_lines(buf: &mut Buffer, area: Rect, lines: &[Line]) {
    for (y, line) in (area.y..area.bottom()).zip(lines) {
        if line.style != Style::default() {
            buf.set_style(
                Rect {
                    y,
                    height: 1,
                    ..area
                },
                line.style,
            );
        }
        buf.set_line(area.x, y, line, area.width);
    }
}

/// A bordered pane titled `title`; returns the area inside the border.
pub fn pane(buf: &mut Buffer, area: Rect, title: &str, border: Style, theme: &Theme) -> Rect {
    let title = fit_title(title, area.width.saturating_sub(2) as usize);
    let block = Block::bordered()
        .border_style(border)
        .title(Span::styled(title, theme.pane_title));
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// A pane drawn over others (picker, setup): what was under it is cleared.
pub fn popup(buf: &mut Buffer, area: Rect, title: &str, theme: &Theme) -> Rect {
    Clear.render(area, buf);
    pane(buf, area, title, theme.border_focus, theme)
}

/// One row with `left` from the left edge and `right` against the right
/// edge; the left line's style fills the row. No padding is written.
pub fn write_row(buf: &mut Buffer, row: Rect, left: &Line, right: &Line) {
    if left.style != Style::default() {
        buf.set_style(row, left.style);
    }
    let right_width = (right.width() as u16).min(row.width);
    let right_x = row.right() - right_width;
    buf.set_line(row.x, row.y, left, right_x - row.x);
    buf.set_line(right_x, row.y, right, right_width);
}

/// A title that does not fit loses its hints from the end, whole (" · "
/// parts: "Esc: cancel"), then words: never half a key name.
pub fn fit_title(title: &str, max: usize) -> String {
    if width(title) <= max {
        return title.to_string();
    }
    let padded = title.ends_with(' ');
    let mut parts: Vec<&str> = title.trim_end().split(" · ").collect();
    while parts.len() > 1 {
        parts.pop();
        let shorter = format!("{}{}", parts.join(" · "), if padded { " " } else { "" });
        if width(&shorter) <= max {
            return shorter;
        }
    }
    truncate_words(title, max)
}

/// "45s", "12m", "1h05" for time spent on an item.
pub fn short_duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    match seconds {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s => format!("{}h{:02}", s / 3600, (s % 3600) / 60),
    }
}

/// "14:05:09": the time of day to the second (cheaper than a strftime
/// format, which is parsed on every call; this runs on every frame).
pub fn clock_time(time: impl chrono::Timelike) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// "0:23:05" for the meeting's elapsed time.
pub fn clock_duration(seconds: i64) -> String {
    let s = seconds.max(0);
    format!("{}:{:02}:{:02}", s / 3600, (s % 3600) / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_by_columns_not_bytes() {
        assert_eq!(truncate("Anriette", 20), "Anriette");
        assert_eq!(truncate("Anriette", 5), "Anri…");
        assert_eq!(truncate("张晓明会议", 5), "张晓…");
        assert_eq!(width(&truncate("张晓明会议", 5)), 5);
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn cuts_at_a_word_and_drops_whole_hints() {
        let title = "IGF MAG Working Group on IGF Strengthening";
        assert_eq!(truncate_words(title, 30), "IGF MAG Working Group on IGF…");
        assert_eq!(
            truncate_words(title, 16),
            "IGF MAG Working…",
            "cut at a word's end"
        );
        assert!(width(&truncate_words(title, 30)) <= 30);
        // One long word: cut inside it rather than keep almost nothing.
        assert_eq!(truncate_words("a Supercalifragilistic", 12), "a Supercali…");
        let hints = " Who is speaking? Enter: choose · Alt+Enter: also · Esc ";
        assert_eq!(fit_title(hints, 45), " Who is speaking? Enter: choose ");
        assert_eq!(fit_title(hints, 100), hints);
        assert_eq!(fit_title(" A very long title indeed ", 12), " A very…");
    }

    #[test]
    fn clock_times() {
        let time = chrono::NaiveTime::from_hms_opt(9, 5, 7).unwrap();
        assert_eq!(clock_time(time), time.format("%H:%M:%S").to_string());
    }

    #[test]
    fn durations() {
        assert_eq!(short_duration(42), "42s");
        assert_eq!(short_duration(12 * 60 + 5), "12m");
        assert_eq!(short_duration(3600 + 5 * 60), "1h05");
        assert_eq!(clock_duration(23 * 60 + 5), "0:23:05");
        assert_eq!(clock_duration(-5), "0:00:00");
    }
}
