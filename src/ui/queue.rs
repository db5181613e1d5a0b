//! The speaker queue pane: who has a hand up, in speaking order, with
//! the kind of intervention and its topic. Shown while anyone is queued
//! (F5 hides it), where F3's and F4's panes go.

use super::View;
use super::text::{truncate, width, write_lines};
use crate::app::{Action, App, InputMode, QueueAction};
use crate::model::QueueKind;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Whether the pane is wanted: someone is queued (or the queue is
/// closed), and F5 did not hide it.
pub fn wanted(app: &App) -> bool {
    !app.panes.queue_hidden && (!app.meeting.queue.is_empty() || app.meeting.queue_closed)
}

/// Whether it goes beside the notes, where F3's and F4's panes go: only
/// when neither is asked for (under the agenda, it never competes).
pub fn beside_notes(app: &App) -> bool {
    wanted(app) && app.panes.speaking.is_none() && !app.panes.show_check
}

pub fn draw(buf: &mut Buffer, area: Rect, app: &App, view: &View) {
    let theme = view.theme;
    let closed = if app.meeting.queue_closed {
        " closed ·"
    } else {
        ""
    };
    let keys = [
        (InputMode::Typing, Action::Queue(QueueAction::Next)),
        (InputMode::Typing, Action::Queue(QueueAction::TogglePane)),
    ];
    let title = format!(" Queue{closed} {{}} next · {{}} hides ");
    let Some(inner) = super::side_pane(buf, area, view, &title, &keys) else {
        return;
    };
    let row_width = inner.width as usize;
    let meeting = &app.meeting;
    let mut lines: Vec<Line> = Vec::new();
    if meeting.queue.is_empty() {
        lines.push(Line::from(Span::styled(
            "Nobody is in the queue.",
            theme.empty,
        )));
    }
    let number_width = meeting.queue.len().to_string().len();
    for (n, entry) in meeting.queue.iter().enumerate() {
        let name = meeting.short_name(&entry.id);
        let kind = match entry.kind {
            QueueKind::NewTopic => String::new(),
            kind => format!(" {}", kind.label()),
        };
        let topic = entry
            .topic
            .as_deref()
            .map_or(String::new(), |t| format!(": {t}"));
        let lead = format!("{:>number_width$} ", n + 1);
        let style = if n == 0 {
            theme.speaker_current
        } else {
            theme.speaker_other
        };
        let kind_style = match entry.kind {
            QueueKind::PointOfOrder => theme.agenda_overrun,
            _ => theme.agenda_time,
        };
        let room = row_width.saturating_sub(width(&lead) + width(name));
        let detail = truncate(&format!("{kind}{topic}"), room);
        lines.push(Line::from(vec![
            Span::styled(lead, theme.speaker_number),
            Span::styled(name.to_string(), style),
            Span::styled(detail, kind_style),
        ]));
    }
    write_lines(buf, inner, &lines);
}
