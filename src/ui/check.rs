//! The before-sending pane (F4): what `minutes check` finds, errors
//! first, each wrapped to the pane's width.

use super::View;
use super::text::write_lines;
use crate::app::{Action, App, InputMode};
use crate::check::Severity;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(buf: &mut Buffer, area: Rect, app: &App, view: &View) {
    let theme = view.theme;
    let keys = [(InputMode::Typing, Action::ToggleCheck)];
    let Some(inner) = super::side_pane(buf, area, view, " Before sending ({} hides) ", &keys)
    else {
        return;
    };
    let row_width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    if app.panes.findings.is_empty() {
        lines.push(Line::from(Span::styled(
            "Nothing to fix: ready to send.",
            theme.empty,
        )));
    }
    let errors = app.errors_to_fix();
    let warnings = app.panes.findings.len() - errors;
    if !app.panes.findings.is_empty() {
        lines.push(Line::from(Span::styled(
            format!(
                "{}, {}:",
                super::plural(errors, "error"),
                super::plural(warnings, "warning")
            ),
            theme.agenda_time,
        )));
    }
    let in_order = (app
        .panes
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error))
    .chain(
        app.panes
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Warning),
    );
    for finding in in_order {
        let (mark, style) = match finding.severity {
            Severity::Error => ("✗ ", theme.status_error),
            Severity::Warning => ("! ", theme.chart_silent),
        };
        let text = format!("{}: {}", finding.place, finding.problem);
        let options = textwrap::Options::new(row_width.max(3))
            .initial_indent(mark)
            .subsequent_indent("  ");
        for line in textwrap::wrap(&text, options) {
            lines.push(Line::from(Span::styled(line.into_owned(), style)));
        }
        if lines.len() >= inner.height as usize {
            break;
        }
    }
    write_lines(buf, inner, &lines);
}
