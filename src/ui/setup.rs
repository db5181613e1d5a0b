//! F2, the meeting setup: one tab each for details, agenda and people,
//! with the one-line input at the bottom when a value is being typed.

use super::View;
use super::text::{plural, truncate, width, write_lines};
use crate::app::SetupAction;
use crate::app::{Action, App, DETAILS, InputMode, SetupInput, SetupTab};
use crate::model::{Attendance, Meeting};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(buf: &mut Buffer, area: Rect, app: &App, view: &View) {
    let close = view.keymap.closes(InputMode::Setup);
    let title = format!(" Meeting setup ({close} closes) ");
    let inner = super::text::popup(buf, area, &title, view.theme);
    if inner.height < 3 {
        return;
    }
    let setup = &app.setup;
    let mut lines = header(app, view, inner.width as usize);
    let rows = match setup.tab {
        SetupTab::Details => details_rows(&app.meeting),
        SetupTab::Agenda => agenda_rows(&app.meeting),
        SetupTab::People => people_rows(&app.meeting),
        SetupTab::Parked => app
            .meeting
            .parked
            .iter()
            .map(|title| (title.clone(), String::new()))
            .collect(),
    };
    let input_rows = if setup.input.is_some() { 4 } else { 0 };
    let list_rows = (inner.height as usize).saturating_sub(lines.len() + input_rows);
    let first = setup.selected.saturating_sub(list_rows.saturating_sub(1));
    let header_lines = lines.len();
    list(
        &mut lines,
        &rows,
        first,
        list_rows,
        app,
        view,
        inner.width as usize,
    );
    // The input opens under the row it edits (or adds after), not far
    // below: the eye stays where it was.
    let under_row = if rows.is_empty() {
        lines.len()
    } else {
        header_lines + setup.selected.saturating_sub(first) + 1
    };
    match &setup.input {
        Some(input) => draw_with_input(buf, inner, lines, under_row, input, view),
        None => write_lines(buf, inner, &lines),
    }
}

/// The tabs, the file the meeting is saved in, and whether the agenda
/// fits the planned end (Details and Agenda tabs).
fn header(app: &App, view: &View, row_width: usize) -> Vec<Line<'static>> {
    let theme = view.theme;
    let mut tabs = Vec::new();
    for tab in SetupTab::ALL {
        let style = if tab == app.setup.tab {
            theme.picker_selected
        } else {
            theme.hint_text
        };
        tabs.push(Span::styled(format!(" {} ", tab.title()), style));
        tabs.push(Span::raw(" "));
    }
    // Where it all goes: the file, which the main screen does not show.
    let file = truncate(&format!(" Saved in {}", app.file), row_width);
    let mut lines = vec![
        Line::from(tabs),
        Line::from(Span::styled(file, theme.hint_text)),
    ];
    // The participants' link (src/page/), to paste in the call's chat.
    if let Some(link) = &app.pages.link {
        let link = truncate(&format!(" Participants' page: {link}"), row_width);
        lines.push(Line::from(Span::styled(link, theme.hint_text)));
    }
    // Whether the agenda fits the planned end (Details and Agenda tabs).
    if app.setup.tab != SetupTab::People
        && let Some(fit) = crate::model::stats::agenda_fit(&app.meeting)
    {
        let hhmm = |at| app.meeting.in_zone(at).format("%H:%M").to_string();
        let (text, style) = if fit.minutes_over > 0 {
            (
                format!(
                    " The agenda plans {} min: it ends {}, {} min past the planned end {}",
                    fit.planned_minutes,
                    hhmm(fit.agenda_end),
                    fit.minutes_over,
                    hhmm(fit.scheduled_end)
                ),
                theme.agenda_overrun,
            )
        } else {
            (
                format!(
                    " The agenda plans {} min: it ends {}, by the planned end {}",
                    fit.planned_minutes,
                    hhmm(fit.agenda_end),
                    hhmm(fit.scheduled_end)
                ),
                theme.hint_text,
            )
        };
        lines.push(Line::from(Span::styled(truncate(&text, row_width), style)));
    }
    lines
}

fn details_rows(meeting: &Meeting) -> Vec<(String, String)> {
    DETAILS
        .iter()
        .map(|d| (d.label().to_string(), d.value(meeting)))
        .collect()
}

fn agenda_rows(meeting: &Meeting) -> Vec<(String, String)> {
    // Notes per item in one pass over the meeting, not one per item.
    let mut notes: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for item in meeting.notes.iter().filter_map(|n| n.item) {
        *notes.entry(item).or_default() += 1;
    }
    meeting
        .agenda
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let planned = item
                .planned_minutes
                .map_or(String::new(), |m| format!("{m} min"));
            let count = notes.get(&item.id).copied().unwrap_or(0);
            (
                format!("{}. {}", i + 1, item.title),
                format!("{planned:>7}  {}", plural(count, "note")),
            )
        })
        .collect()
}

fn people_rows(meeting: &Meeting) -> Vec<(String, String)> {
    // The marks in a column of their own, whatever the short names.
    let short_width = meeting
        .participants
        .iter()
        .map(|p| width(&p.short_name) + 2)
        .max()
        .unwrap_or(0);
    meeting
        .participants
        .iter()
        .map(|p| {
            let mut name = p.name.clone();
            if let Some(a) = &p.affiliation {
                name.push_str(&format!(" ({a})"));
            }
            let mark = match p.attendance {
                Some(Attendance::Present) => "present",
                Some(Attendance::Regrets) => "regrets",
                Some(Attendance::Absent) => "absent",
                None => "",
            };
            let short = format!("“{}”", p.short_name);
            let pad = short_width.saturating_sub(width(&short));
            (
                name,
                format!("{short}{}  {mark}", " ".repeat(pad))
                    .trim_end()
                    .to_string(),
            )
        })
        .collect()
}

/// The tab's rows that fit, from `first`, the selected one marked; or
/// what to press when there are none.
fn list(
    lines: &mut Vec<Line<'static>>,
    rows: &[(String, String)],
    first: usize,
    list_rows: usize,
    app: &App,
    view: &View,
    row_width: usize,
) {
    let theme = view.theme;
    let label_width = rows
        .iter()
        .map(|(l, _)| width(l))
        .max()
        .unwrap_or(0)
        .min(row_width / 2);
    for (i, (label, value)) in rows.iter().enumerate().skip(first).take(list_rows) {
        let selected = i == app.setup.selected;
        let label = format!("{:<label_width$}", truncate(label, label_width));
        let value = truncate(value, row_width.saturating_sub(label_width + 4));
        let style = if selected {
            theme.picker_selected
        } else {
            theme.note_text
        };
        let marker = if selected { "› " } else { "  " };
        lines.push(
            Line::from(vec![
                Span::raw(marker),
                Span::raw(label),
                Span::raw("  "),
                Span::raw(value),
            ])
            .style(style),
        );
    }
    if rows.is_empty() {
        let empty = match app.setup.tab {
            SetupTab::Agenda => "No agenda yet: {} adds an item.",
            SetupTab::Parked => "Nothing parked for the next meeting: {} parks a topic.",
            _ => "Nobody yet: {} adds a person.",
        };
        let empty = view.keymap.fill(
            empty,
            &[(InputMode::Setup, Action::Setup(SetupAction::Add))],
        );
        lines.push(Line::from(Span::styled(empty, theme.empty)));
    }
}

/// The lines with the input's prompt, field and error spliced in at
/// `under_row`, and the input's editor drawn in its field.
fn draw_with_input(
    buf: &mut Buffer,
    inner: Rect,
    mut lines: Vec<Line<'static>>,
    under_row: usize,
    input: &SetupInput,
    view: &View,
) {
    let theme = view.theme;
    let mut input_lines = vec![
        Line::from(Span::styled(
            format!("{}:", input.purpose.prompt()),
            theme.help_heading,
        )),
        Line::from(Span::styled("› ", theme.hint_key)),
    ];
    if let Some(error) = &input.error {
        input_lines.push(Line::from(Span::styled(
            truncate(&format!(" {error} "), inner.width as usize),
            theme.status_error,
        )));
    }
    let at = under_row.min(lines.len());
    lines.splice(at..at, input_lines);
    write_lines(buf, inner, &lines);
    let field = Rect {
        x: inner.x + 2,
        y: inner.y + at as u16 + 1,
        width: inner.width.saturating_sub(2),
        height: 1,
    };
    if field.y < inner.bottom() {
        ratatui::widgets::Widget::render(&input.editor, field, buf);
    }
}
