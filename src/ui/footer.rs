//! The bottom two lines: status (saved, errors, prompts) and key hints.

use super::View;
use super::text::{clock_time, truncate, width};
use crate::app::AgendaAction;
use crate::app::{Action, App, InputMode, Severity};
use ratatui::text::{Line, Span};

/// The status row's left and right parts, for a row `columns` wide.
pub fn status(app: &App, view: &View, columns: u16) -> [Line<'static>; 2] {
    let theme = view.theme;
    let total = usize::from(columns);
    if let Some(error) = &app.status.save_error {
        let line = Line::from(Span::styled(
            truncate(
                &format!(" NOT SAVED: {error}. Your notes are kept in memory; retrying."),
                total,
            ),
            theme.status_error,
        ))
        .style(theme.status_error);
        [line, Line::default()]
    } else {
        let saved = match app.status.last_saved {
            Some(at) => format!(
                "saved {} ",
                clock_time(app.meeting.in_zone(app.meeting.local(at)))
            ),
            None => String::new(),
        };
        // Errors `minutes check` finds (an action nobody owns): fixed best
        // while the call still runs.
        let to_fix = match app.errors_to_fix() {
            0 => String::new(),
            n => view.keymap.fill(
                &format!("{n} to fix ({{}}) · "),
                &[(InputMode::Typing, Action::ToggleCheck)],
            ),
        };
        let (message, style) = match (&app.mode, &app.status.message) {
            (InputMode::Goto, _) => (
                format!(
                    " Go to item: {}▏ (1 to {}, {})",
                    app.overlays.goto_input,
                    app.meeting.agenda.len(),
                    view.keymap
                        .key_for(InputMode::Goto, &Action::Agenda(AgendaAction::GotoConfirm))
                ),
                theme.status_info,
            ),
            (_, Some(message)) => {
                let text = view.keymap.fill(&message.text, &message.keys);
                let style = match message.severity {
                    Severity::Error => theme.status_error,
                    Severity::Info => theme.status_info,
                };
                (format!(" {text}"), style)
            }
            (_, None) => (String::new(), theme.status_info),
        };
        let message = truncate(
            &message,
            total.saturating_sub(width(&saved) + width(&to_fix) + 1),
        );
        [
            Line::from(Span::styled(message, style)),
            Line::from(vec![
                Span::styled(to_fix, theme.status_error),
                Span::styled(saved, theme.status_saved),
            ]),
        ]
    }
}

/// The hints row's left and right parts, for a row `columns` wide.
pub fn hints(app: &App, view: &View, columns: u16) -> [Line<'static>; 2] {
    let theme = view.theme;
    let total = usize::from(columns);
    // Export, setup, help and quit always show, at the right (they are how
    // a new user finds the rest); the mode's own keys fill the left.
    let (mut always, own): (Vec<_>, Vec<_>) = view
        .keymap
        .hints(app.mode, |action| {
            app.mode != InputMode::Setup || app.setup.tab.has(action)
        })
        .into_iter()
        .partition(|(_, hint)| matches!(*hint, "export" | "setup" | "help" | "quit"));
    let cell = |keys: &str, hint: &str| width(keys) + width(hint) + 2;
    // On a very narrow screen help and quit are the last to go (help
    // lists the rest); a hint is shown whole or not at all.
    while always.iter().map(|(k, h)| cell(k, h)).sum::<usize>() > total && !always.is_empty() {
        always.remove(0);
    }
    let right: usize = always.iter().map(|(k, h)| cell(k, h)).sum();
    let mut spans = Vec::new();
    let mut used = 0;
    for (keys, hint) in own {
        if used + cell(&keys, hint) + right > total {
            break;
        }
        used += cell(&keys, hint);
        spans.push(Span::styled(format!(" {keys}"), theme.hint_key));
        spans.push(Span::styled(format!(" {hint}"), theme.hint_text));
    }
    let mut right_spans = Vec::new();
    for (keys, hint) in always {
        right_spans.push(Span::styled(format!(" {keys}"), theme.hint_key));
        right_spans.push(Span::styled(format!(" {hint}"), theme.hint_text));
    }
    [Line::from(spans), Line::from(right_spans)]
}
