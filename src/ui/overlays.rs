//! What opens on top of the panes: the speaker picker and the help.

use super::text::truncate;
use super::{View, centered};
use crate::app::{Action, App, InputMode, PickerRow};
use crate::app::{FindAction, SpeakerAction, UnsavedAction};
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

pub fn picker(buf: &mut Buffer, notes_area: Rect, app: &App, view: &View) {
    let theme = view.theme;
    let height = (app.picker.rows.len() as u16 + 3).clamp(5, notes_area.height);
    let area = centered(
        notes_area,
        notes_area.width.saturating_sub(4).min(60),
        height,
    );
    let title = view.keymap.fill(
        " Who is speaking? {}: choose · {}: also · {} ",
        &[
            (InputMode::Picker, Action::Speaker(SpeakerAction::Choose)),
            (InputMode::Picker, Action::Speaker(SpeakerAction::AddBeside)),
            (InputMode::Picker, Action::Cancel),
        ],
    );
    let inner = super::text::popup(buf, area, &title, theme);
    let row_width = inner.width as usize;

    let mut lines = vec![Line::from(vec![
        Span::styled("› ", theme.hint_key),
        Span::styled(
            crate::app::with_cursor(&app.picker.query, app.overlays.line_cursor),
            theme.note_text,
        ),
    ])];
    let list_rows = inner.height.saturating_sub(1) as usize;
    let first = app
        .picker
        .selected
        .saturating_sub(list_rows.saturating_sub(1));
    for (index, row) in app
        .picker
        .rows
        .iter()
        .enumerate()
        .skip(first)
        .take(list_rows)
    {
        let (text, style) = match row {
            PickerRow::Participant(i) => {
                let p = &app.meeting.participants[*i];
                let digit = app
                    .slots
                    .iter()
                    .find(|(_, id)| *id == p.id)
                    .map(|(d, _)| format!("{d}"))
                    .unwrap_or_default();
                let mut text = format!("{digit:>1} {}", p.name);
                if p.short_name != crate::model::short_name_of(&p.name) {
                    text.push_str(&format!(" “{}”", p.short_name));
                }
                if let Some(affiliation) = &p.affiliation {
                    text.push_str(&format!(" ({affiliation})"));
                }
                (text, theme.note_text)
            }
            PickerRow::AddNew => (
                format!("+ Add “{}” to the roster", app.picker.query.trim()),
                theme.picker_add,
            ),
        };
        let style = if index == app.picker.selected {
            theme.picker_selected
        } else {
            style
        };
        let text = truncate(&text, row_width);
        let pad = row_width.saturating_sub(super::text::width(&text));
        lines.push(Line::from(Span::styled(
            format!("{text}{}", " ".repeat(pad)),
            style,
        )));
    }
    if app.picker.rows.is_empty() {
        lines.push(Line::from(Span::styled(
            "Type a name to add the first participant",
            theme.empty,
        )));
    }
    Paragraph::new(lines).render(inner, buf);
}

/// Ctrl+F: the query, then the notes it finds, newest first, each with
/// its item, time and speakers.
pub fn find(buf: &mut Buffer, body: Rect, app: &App, view: &View) {
    let theme = view.theme;
    let meeting = &app.meeting;
    let hits = &app.find.hits;
    let height = (hits.len() as u16 + 4).clamp(6, body.height);
    let area = centered(body, body.width.saturating_sub(4).min(100), height);
    let title = view.keymap.fill(
        " Find in the meeting · {}: go · {}: cancel ",
        &[
            (InputMode::Find, Action::Find(FindAction::Go)),
            (InputMode::Find, Action::Cancel),
        ],
    );
    let inner = super::text::popup(buf, area, &title, theme);
    let row_width = inner.width as usize;
    let count = match (app.find.query.trim().is_empty(), hits.len()) {
        (true, _) => String::new(),
        (false, 0) => "  no note has these words".to_string(),
        (false, n) => format!("  {}", super::plural(n, "note")),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled("› ", theme.hint_key),
        Span::styled(
            crate::app::with_cursor(&app.find.query, app.overlays.line_cursor),
            theme.note_text,
        ),
        Span::styled(count, theme.note_time),
    ])];
    if app.find.query.trim().is_empty() {
        lines.push(Line::from(Span::styled(
            "Type words from a note, or a speaker's name: every word must be in the note",
            theme.empty,
        )));
    }
    let list_rows = inner.height.saturating_sub(1) as usize;
    let first = app
        .find
        .selected
        .saturating_sub(list_rows.saturating_sub(1));
    for (index, &note_index) in hits.iter().enumerate().skip(first).take(list_rows) {
        let Some(note) = meeting.notes.get(note_index) else {
            continue;
        };
        let place = match note.item.and_then(|id| meeting.item_number(id)) {
            Some(n) => format!("{n:>2}."),
            None if meeting.agenda.is_empty() => String::new(),
            None => " ‒ ".to_string(),
        };
        let time = meeting.in_zone(note.started_at).format("%H:%M");
        let names: Vec<&str> = note
            .speakers
            .iter()
            .map(|id| meeting.short_name(id))
            .collect();
        let who = if names.is_empty() {
            String::new()
        } else {
            format!("{}: ", names.join(" & "))
        };
        // One line a note: its lines joined, as the notes pane's first line.
        let text = note.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let row = truncate(&format!("{place} {time} {who}{text}"), row_width);
        let style = if index == app.find.selected {
            theme.picker_selected
        } else {
            theme.note_text
        };
        let pad = row_width.saturating_sub(super::text::width(&row));
        lines.push(Line::from(Span::styled(
            format!("{row}{}", " ".repeat(pad)),
            style,
        )));
    }
    Paragraph::new(lines).render(inner, buf);
}

pub fn help(buf: &mut Buffer, area: Rect, app: &App, view: &View) {
    let theme = view.theme;
    let groups = view.keymap.help();
    let key_width = groups
        .iter()
        .flat_map(|(_, lines)| lines.iter().map(|(keys, _)| super::text::width(keys)))
        .max()
        .unwrap_or(10);
    let mut lines = Vec::new();
    for (title, bindings) in groups {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::from(Span::styled(title, theme.help_heading)));
        for (keys, help) in bindings {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<key_width$}  "), theme.help_key),
                Span::styled(help, theme.help_text),
            ]));
        }
    }
    lines.push(Line::raw(""));
    for text in [
        "A note starting ACTION: is an action (@Owner or Owner to …, due YYYY-MM-DD",
        "anywhere); DECISION:, RESOLVED: or RESOLUTION: a decision; PROPOSED: a",
        "proposal; SUMMARY: a summary; a bare URL a link.",
        "Scribe commands: Topic: X (or #topic X) goes to item X (or adds it);",
        "present+ A, B and regrets+ A mark people; scribe+ A hands the notes to A;",
        "s/old/new/ corrects the latest note that has old (g: every note);",
        "i/anchor/line/ puts a note before the latest that has anchor.",
        "Queue: q+ Ana (reply, ? or ! after the name; to topic), q- Ana, ack Ana,",
        "q up / q down Ana, close / open / clear the queue (keys above: next speaker).",
        "Chris: text is a note by Chris (someone on the roster), who stays picked.",
    ] {
        lines.push(Line::from(Span::styled(text, theme.help_text)));
    }
    let total = lines.len() as u16;
    let area = centered(area, 86, total + 2);
    let visible = area.height.saturating_sub(2);
    let scroll = app.panes.help_scroll.min(total.saturating_sub(visible));
    let more = if scroll + visible < total {
        let down = view.keymap.key_for(InputMode::Help, &Action::HelpScroll(1));
        format!("· {down}: more ")
    } else {
        String::new()
    };
    let close = view.keymap.closes(InputMode::Help);
    Clear.render(area, buf);
    let block = Block::bordered()
        .border_style(theme.border_focus)
        .title(Span::styled(
            format!(" Keys ({close} closes) {more}"),
            theme.pane_title,
        ));
    Paragraph::new(lines)
        .block(block)
        .scroll((scroll, 0))
        .render(area, buf);
}

/// Quitting while the meeting's own file cannot be written.
pub fn unsaved(buf: &mut Buffer, area: Rect, app: &App, view: &View) {
    let theme = view.theme;
    let error = app
        .status
        .save_error
        .as_deref()
        .unwrap_or("the last save failed");
    let mut lines = vec![
        Line::from(Span::styled(
            "Your latest changes are NOT saved.",
            theme.status_error,
        )),
        Line::raw(""),
        Line::from(Span::styled(error.to_string(), theme.help_text)),
        Line::raw(""),
        Line::from(Span::styled(
            "Everything is still here, in memory.",
            theme.help_text,
        )),
        Line::raw(""),
    ];
    if app.mode == crate::app::InputMode::WritePath {
        let prompt = view.keymap.fill(
            "Write the whole meeting to (a path, {}):",
            &[(
                InputMode::WritePath,
                Action::Unsaved(UnsavedAction::PathConfirm),
            )],
        );
        lines.push(Line::from(Span::styled(prompt, theme.help_heading)));
        lines.push(Line::from(Span::styled(
            format!(
                "› {}",
                crate::app::with_cursor(&app.overlays.path_input, app.overlays.line_cursor)
            ),
            theme.note_text,
        )));
    } else {
        // From the keymap itself, so the prompt says what the keys do.
        let bindings = view
            .keymap
            .bindings()
            .iter()
            .filter(|b| b.mode == crate::app::InputMode::ConfirmQuit);
        for binding in bindings {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<22}", binding.keys_label()), theme.help_key),
                Span::styled(binding.help, theme.help_text),
            ]));
        }
        if let Some(path) = &app.status.written_to {
            lines.push(Line::raw(""));
            lines.push(Line::from(Span::styled(
                format!("Written to {path}."),
                theme.status_saved,
            )));
        }
    }
    let area = centered(area, 72, lines.len() as u16 + 2);
    Clear.render(area, buf);
    let block = Block::bordered()
        .border_style(theme.status_error)
        .title(Span::styled(" Not saved ", theme.status_error));
    Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

pub fn too_small(buf: &mut Buffer, area: Rect, theme: &Theme) {
    // The longest that fits whole: a cut message would hide what to do.
    let columns = usize::from(area.width.max(1));
    let text = [
        "Window too small for minutes. Enlarge it: your notes and draft are kept.",
        "Too small: enlarge the window (notes are kept)",
        "Too small: enlarge",
        "Too small",
        "Small",
    ]
    .into_iter()
    .find(|text| {
        let rows = textwrap::wrap(text, columns);
        rows.len() <= usize::from(area.height)
            && rows.iter().all(|r| super::text::width(r) <= columns)
    })
    .unwrap_or("");
    Paragraph::new(text)
        .style(theme.status_info)
        .wrap(Wrap { trim: true })
        .render(area, buf);
}
