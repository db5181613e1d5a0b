//! The notes pane: the current item's notes, newest at the bottom.
//!
//! Only the notes that fit are laid out, walking back from the newest (or
//! from the selected one), so a long meeting draws as fast as a short one.

use super::View;
use super::text::width;
use crate::app::SpeakerAction;
use crate::app::{Action, App, InputMode};
use crate::model::{Meeting, Note, NoteKind, strip_kind_prefix};
use crate::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use ratatui::widgets::{Paragraph, Wrap};

/// Continuation lines start under the text, past "HH:MM ".
const INDENT: &str = "      ";

pub fn draw(buf: &mut Buffer, area: Rect, app: &App, view: &View) {
    let theme = view.theme;
    let meeting = &app.meeting;
    let title = match app.current_item.and_then(|id| meeting.item(id)) {
        Some(item) => {
            let number = meeting.item_number(item.id).unwrap_or(0);
            format!(" {number}. {} ", item.title)
        }
        // Before the first item: where the meeting is opened.
        None if !meeting.agenda.is_empty() => " Opening ".to_string(),
        None => " Notes ".to_string(),
    };
    if area.height == 0 {
        return;
    }
    let inner = super::text::pane(buf, area, &title, theme.border, theme);
    if inner.height == 0 || inner.width < 8 {
        return;
    }

    let height = inner.height as usize;
    let wrap_width = inner.width as usize;
    let mut newest_first = app.current_notes_rev().peekable();
    if newest_first.peek().is_none() {
        let (template, key) = if app.current_item.is_some() {
            (
                "No notes for this item yet. Type below; {} picks who is speaking.",
                Action::Speaker(SpeakerAction::OpenPicker),
            )
        } else if !meeting.agenda.is_empty() {
            (
                "The opening, before the first item: how the meeting was opened and introduced goes here. {} goes to the first item.",
                Action::Agenda(crate::app::AgendaAction::Next),
            )
        } else {
            (
                "No notes yet. Type below; {} picks who is speaking.",
                Action::Speaker(SpeakerAction::OpenPicker),
            )
        };
        let text = view.keymap.fill(template, &[(InputMode::Typing, key)]);
        Paragraph::new(text)
            .style(theme.empty)
            .wrap(Wrap { trim: true })
            .render(inner, buf);
        return;
    }

    // With a note selected above the visible part, it becomes the bottom line.
    let mut start = None;
    if let Some(selected) = app.selection.selected {
        let mut used = 0;
        for index in app.current_notes_rev() {
            if index == selected {
                break;
            }
            used += note_lines(meeting, &meeting.notes[index], wrap_width, theme, false).len();
            if used >= height {
                start = Some(selected);
                break;
            }
        }
    }

    let mut lines: Vec<Line> = Vec::with_capacity(height);
    let mut stack: Vec<Vec<Line>> = Vec::new();
    for index in app
        .current_notes_rev()
        .skip_while(|&i| start.is_some_and(|s| i != s))
    {
        let note_lines = note_lines(
            meeting,
            &meeting.notes[index],
            wrap_width,
            theme,
            app.selection.selected == Some(index),
        );
        let total: usize = stack.iter().map(Vec::len).sum::<usize>() + note_lines.len();
        stack.push(note_lines);
        if total >= height {
            break;
        }
    }
    for note in stack.into_iter().rev() {
        lines.extend(note);
    }
    let skip = lines.len().saturating_sub(height);
    let visible: Vec<Line> = lines.into_iter().skip(skip).collect();
    super::text::write_lines(buf, inner, &visible);
}

/// The lines of one note: "HH:MM [KIND] Speaker text…", wrapped under the text.
fn note_lines<'a>(
    meeting: &'a Meeting,
    note: &'a Note,
    wrap_width: usize,
    theme: &Theme,
    selected: bool,
) -> Vec<Line<'a>> {
    let body = strip_kind_prefix(&note.text);
    let prefix = prefix(meeting, note, body, theme);
    // Off the record: kept, shown muted, never reported.
    let text_style = if note.off_record {
        theme.empty
    } else if note.kind == NoteKind::Link {
        theme.kind_link
    } else {
        theme.note_text
    };
    let mut lines = wrap(prefix, body, wrap_width, text_style);
    if selected {
        for line in &mut lines {
            line.style = line.style.patch(theme.note_selected);
        }
    }
    lines
}

/// The text already names this person first ("Maximilian to
/// circulate…", "@Max to…"): the badge and the speaker do not repeat it.
fn named_first(meeting: &Meeting, body: &str, id: &str) -> bool {
    meeting.participant(id).is_some_and(|p| {
        [p.short_name.as_str(), p.name.as_str()].iter().any(|name| {
            let text = body.strip_prefix('@').unwrap_or(body);
            !name.is_empty()
                && text
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ':', ',', '\'']))
        })
    })
}

/// The note's kind as a badge ("ACTION ✓ done @Chris", "OFF RECORD
/// DECISION"), empty for a plain statement, and its style.
fn badge(meeting: &Meeting, note: &Note, body: &str, theme: &Theme) -> (String, Style) {
    let (badge, badge_style) = match note.kind {
        NoteKind::Statement => (String::new(), Style::default()),
        NoteKind::Action => {
            let mut badge = if note.done {
                "ACTION ✓ done".to_string()
            } else {
                "ACTION".to_string()
            };
            if let Some(owner) = note
                .owner
                .as_deref()
                .filter(|o| !named_first(meeting, body, o))
            {
                badge.push_str(&format!(" @{}", meeting.short_name(owner)));
            }
            (badge, theme.kind_action)
        }
        NoteKind::Decision => ("DECISION".to_string(), theme.kind_decision),
        NoteKind::Link => ("LINK".to_string(), theme.kind_link),
        NoteKind::Proposal => ("PROPOSED".to_string(), theme.kind_decision),
        NoteKind::Summary => ("SUMMARY".to_string(), theme.kind_link),
    };
    if !note.off_record {
        return (badge, badge_style);
    }
    let badge = if badge.is_empty() {
        "OFF RECORD".to_string()
    } else {
        format!("OFF RECORD {badge}")
    };
    (badge, theme.empty)
}

/// What stands before the note's text: its time, badge and speakers.
fn prefix<'a>(meeting: &'a Meeting, note: &Note, body: &str, theme: &Theme) -> Vec<Span<'a>> {
    let time = meeting
        .in_zone(note.started_at)
        .format("%H:%M ")
        .to_string();
    let mut prefix: Vec<Span> = vec![Span::styled(time, theme.note_time)];
    let (badge, badge_style) = badge(meeting, note, body, theme);
    let badged = !badge.is_empty();
    if badged {
        prefix.push(Span::styled(badge, badge_style));
        prefix.push(Span::raw(" "));
    }
    let sole_speaker_named =
        matches!(note.speakers.as_slice(), [only] if named_first(meeting, body, only));
    if !note.speakers.is_empty() && !sole_speaker_named {
        // "ACTION @Chris · Anriette …": the owner and who spoke, apart.
        if badged {
            prefix.push(Span::styled("· ", theme.note_time));
        }
        let names: Vec<&str> = note
            .speakers
            .iter()
            .map(|id| meeting.short_name(id))
            .collect();
        prefix.push(Span::styled(names.join(" & "), theme.note_speaker));
        // "Chris shared that…" reads on from the name; a capitalised
        // statement is the speaker's own words: "Priya: Narrator is…".
        if body.starts_with(char::is_uppercase) {
            prefix.push(Span::styled(":", theme.note_speaker));
        }
        prefix.push(Span::raw(" "));
    }
    prefix
}

/// The prefix and the text wrapped to `wrap_width`, each paragraph's
/// lines indented under the text.
fn wrap<'a>(
    prefix: Vec<Span<'a>>,
    body: &str,
    wrap_width: usize,
    text_style: Style,
) -> Vec<Line<'a>> {
    let prefix_width: usize = prefix.iter().map(|s| width(&s.content)).sum();
    // A long prefix (many speakers, narrow pane) gets a line of its own.
    let prefix_inline = prefix_width <= wrap_width / 2;
    let mut lines = Vec::new();
    if !prefix_inline {
        lines.push(Line::from(prefix.clone()));
    }
    for (n, paragraph) in body.split('\n').enumerate() {
        let first = n == 0 && prefix_inline;
        let lead = if first {
            " ".repeat(prefix_width)
        } else {
            INDENT.to_string()
        };
        let options = textwrap::Options::new(wrap_width.max(INDENT.len() + 1))
            .initial_indent(&lead)
            .subsequent_indent(INDENT)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(true);
        for (k, wrapped) in textwrap::wrap(paragraph, options).into_iter().enumerate() {
            let wrapped = wrapped.into_owned();
            if first && k == 0 {
                let mut spans = prefix.clone();
                spans.push(Span::styled(
                    wrapped.get(lead.len()..).unwrap_or("").to_string(),
                    text_style,
                ));
                lines.push(Line::from(spans));
            } else {
                lines.push(Line::from(Span::styled(wrapped, text_style)));
            }
        }
    }
    lines
}
