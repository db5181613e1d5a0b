//! `minutes check`: what a secretary fixes before the minutes go out.

use crate::model::{Attendance, Meeting, Note, NoteKind, strip_kind_prefix};

/// One thing to fix: where it is ("item 2, 14:05") and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub place: String,
    pub problem: String,
}

/// Everything to fix, in the order the report reads: the meeting's own
/// details first, then item by item, notes in time order.
pub fn check(meeting: &Meeting) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut add = |place: String, problem: String| found.push(Finding { place, problem });
    if meeting.agenda.is_empty() {
        add(
            "meeting".into(),
            "no agenda: every note is under \"Other notes\"".into(),
        );
    }
    if meeting.next_meeting.is_none() {
        add(
            "meeting".into(),
            "no next meeting (the setup's \"Next meeting: date\")".into(),
        );
    }
    let mut spoke: Vec<&str> = Vec::new();
    for note in &meeting.notes {
        for id in &note.speakers {
            if !spoke.contains(&id.as_str()) {
                spoke.push(id);
            }
        }
    }
    for id in spoke {
        let Some(p) = meeting.participant(id) else {
            continue;
        };
        if p.attendance != Some(Attendance::Present) {
            let marked = match p.attendance {
                Some(Attendance::Regrets) => "marked regrets",
                Some(Attendance::Absent) => "marked absent",
                _ => "not marked present",
            };
            add("people".into(), format!("{} spoke but is {marked}", p.name));
        }
    }
    for item in &meeting.agenda {
        let number = meeting.item_number(item.id).unwrap_or(0);
        if !meeting.notes.iter().any(|n| n.item == Some(item.id)) {
            add(
                format!("item {number}"),
                format!("no notes for “{}”", item.title),
            );
        }
    }
    for note in &meeting.notes {
        let place = || place_of(meeting, note);
        let text = strip_kind_prefix(&note.text);
        // Corrections that worked are never notes: one kept is one that failed.
        if crate::model::correction::parse(&note.text).is_some() {
            add(
                place(),
                format!(
                    "a correction that matched nothing: “{text}” (fix the note it meant, then delete this one)"
                ),
            );
            continue;
        }
        match note.kind {
            NoteKind::Action => {
                if note.owner.is_none() {
                    add(
                        place(),
                        format!("action without an owner (@Name): “{text}”"),
                    );
                }
                if note.due.is_none() && !note.done {
                    add(place(), format!("action without a due date: “{text}”"));
                }
            }
            NoteKind::Statement if note.speakers.is_empty() && note.item.is_some() => {
                add(place(), format!("note without a speaker: “{text}”"));
            }
            _ => {}
        }
    }
    found
}

fn place_of(meeting: &Meeting, note: &Note) -> String {
    let time = meeting.in_zone(note.started_at).format("%H:%M");
    match note.item.and_then(|id| meeting.item_number(id)) {
        Some(n) => format!("item {n}, {time}"),
        None => time.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Action, AgendaAction, App, EditorAction, SpeakerAction};
    use chrono::{TimeZone, Utc};

    fn typed(lines: &[&str]) -> Meeting {
        let mut meeting = Meeting::new("WG", chrono_tz::Tz::UTC);
        meeting.add_agenda_item("One", None);
        meeting.add_agenda_item("Two", None);
        meeting.add_participant("Chris Wood");
        let now = Utc.with_ymd_and_hms(2024, 9, 26, 14, 0, 0).unwrap();
        let mut app = App::new(meeting, now);
        for line in lines {
            let action = match *line {
                "<next>" => Action::Agenda(AgendaAction::Next),
                "<chris>" => Action::Speaker(SpeakerAction::ChooseSlot(1)),
                text => {
                    app.update(Action::Paste(text.to_string()), now);
                    Action::Editor(EditorAction::Commit)
                }
            };
            app.update(action, now);
        }
        app.meeting
    }

    fn problems(meeting: &Meeting) -> Vec<String> {
        check(meeting)
            .into_iter()
            .map(|f| format!("{}: {}", f.place, f.problem))
            .collect()
    }

    #[test]
    fn finds_each_kind_of_problem() {
        let mut meeting = typed(&["<chris>", "spoke", "ACTION: send it", "<next>", "<next>"]);
        meeting.participants[0].attendance = Some(Attendance::Regrets);
        meeting.notes.push(Note {
            speakers: Vec::new(),
            ..meeting.notes[0].clone()
        });
        assert_eq!(
            problems(&meeting),
            [
                "meeting: no next meeting (the setup's \"Next meeting: date\")",
                "people: Chris Wood spoke but is marked regrets",
                "item 2: no notes for “Two”",
                "item 1, 14:00: action without an owner (@Name): “send it”",
                "item 1, 14:00: action without a due date: “send it”",
                "item 1, 14:00: note without a speaker: “spoke”",
            ]
        );
    }

    #[test]
    fn a_complete_meeting_is_clean() {
        let mut meeting = typed(&[
            "<chris>",
            "spoke",
            "ACTION: @Chris send it due 2024-10-01",
            "<next>",
            "on two",
        ]);
        meeting.next_meeting = Some(crate::model::NextMeeting {
            at: meeting.notes[0].started_at,
            note: None,
            sentence: None,
        });
        assert_eq!(problems(&meeting), Vec::<String>::new());
    }
}
