//! `minutes check`: what a secretary fixes before the minutes go out.
//! Errors are wrong in the minutes as they stand (an action nobody owns, a
//! correction that matched nothing): `minutes finalize` refuses them.
//! Warnings are worth a look (an item with no notes, a note with no
//! speaker) but may be right.

use crate::model::{Attendance, Meeting, Note, NoteKind, fold, strip_kind_prefix};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One thing to fix: where it is ("item 2, 14:05") and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub place: String,
    pub problem: String,
}

/// Everything to fix, in the order the report reads: the meeting's own
/// details first, then item by item, notes in time order.
pub fn check(meeting: &Meeting) -> Vec<Finding> {
    let mut found = Vec::new();
    meeting_findings(meeting, &mut found);
    attendance_findings(meeting, &mut found);
    item_findings(meeting, &mut found);
    note_findings(meeting, &mut found);
    found
}

fn add(found: &mut Vec<Finding>, severity: Severity, place: String, problem: String) {
    found.push(Finding {
        severity,
        place,
        problem,
    });
}

/// What the meeting as a whole lacks: an agenda, a next meeting, anyone
/// speaking at all.
fn meeting_findings(meeting: &Meeting, found: &mut Vec<Finding>) {
    if meeting.agenda.is_empty() {
        add(
            found,
            Severity::Warning,
            "meeting".into(),
            "no agenda: every note is under \"Other notes\"".into(),
        );
    }
    if meeting.next_meeting.is_none() {
        add(
            found,
            Severity::Warning,
            "meeting".into(),
            "no next meeting (the setup's \"Next meeting: date\")".into(),
        );
    }
    // An import that read nobody's lines (a log in a form it did not know)
    // leaves notes that no one said.
    if meeting.notes.len() >= 3
        && meeting
            .notes
            .iter()
            .all(|n| n.speakers.is_empty() && n.kind == NoteKind::Statement)
    {
        add(
            found,
            Severity::Warning,
            "meeting".into(),
            format!(
                "no note has a speaker ({} notes): was the log read in the right form?",
                meeting.notes.len()
            ),
        );
    }
}

/// Someone who spoke on the record but is marked as not there.
fn attendance_findings(meeting: &Meeting, found: &mut Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    let spoke = meeting
        .notes
        .iter()
        .filter(|n| !n.off_record)
        .flat_map(|n| n.speakers.iter())
        .filter(|id| seen.insert(id.as_str()));
    for id in spoke {
        let Some(p) = meeting.participant(id) else {
            continue;
        };
        let marked = match p.attendance {
            Some(Attendance::Regrets) => "regrets",
            Some(Attendance::Absent) => "absent",
            // Spoke, so was there: the report lists them as present, and
            // check agrees rather than ask for a mark the record has.
            Some(Attendance::Present) | None => continue,
        };
        add(
            found,
            Severity::Error,
            "people".into(),
            format!("{} spoke but is marked {marked}", p.name),
        );
    }
}

/// Items with no notes on the record.
fn item_findings(meeting: &Meeting, found: &mut Vec<Finding>) {
    // The next meeting's sentence closes an AoB item: it is not empty.
    let closed_by_next_meeting = meeting
        .agenda
        .last()
        .filter(|item| {
            meeting.next_meeting.is_some() && crate::export::is_any_other_business(&item.title)
        })
        .map(|item| item.id);
    let with_notes: std::collections::HashSet<u32> = meeting
        .notes
        .iter()
        .filter(|n| !n.off_record)
        .filter_map(|n| n.item)
        .collect();
    for item in &meeting.agenda {
        if with_notes.contains(&item.id) || closed_by_next_meeting == Some(item.id) {
            continue;
        }
        let number = meeting.item_number(item.id).unwrap_or(0);
        add(
            found,
            Severity::Warning,
            format!("item {number}"),
            format!("no notes for “{}”", item.title),
        );
    }
}

/// Notes that need fixing: failed corrections, actions without an owner
/// or a date, statements nobody said.
fn note_findings(meeting: &Meeting, found: &mut Vec<Finding>) {
    use Severity::{Error, Warning};
    let names: Vec<String> = meeting
        .participants
        .iter()
        .flat_map(|p| [fold(&p.short_name), fold(&p.name)])
        .filter(|n| !n.is_empty())
        .collect();
    for note in meeting.notes.iter().filter(|n| !n.off_record) {
        let place = || place_of(meeting, note);
        let text = strip_kind_prefix(&note.text);
        // Corrections that worked are never notes: one kept is one that failed.
        if crate::model::correction::parse(&note.text).is_some() {
            add(
                found,
                Error,
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
                        found,
                        Error,
                        place(),
                        format!("action without an owner (@Name): “{text}”"),
                    );
                }
                if note.due.is_none() && !note.done {
                    add(
                        found,
                        Error,
                        place(),
                        format!("action without a due date: “{text}”"),
                    );
                }
            }
            // A narration that names who spoke ("Chris shared …") is attributed.
            NoteKind::Statement
                if note.speakers.is_empty()
                    && note.item.is_some()
                    && !names_someone(&note.text, &names) =>
            {
                add(
                    found,
                    Warning,
                    place(),
                    format!("note without a speaker: “{text}”"),
                );
            }
            _ => {}
        }
    }
}

/// Whether `text` has one of `names` as whole words.
fn names_someone(text: &str, names: &[String]) -> bool {
    let text = fold(text);
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    names.iter().any(|name| {
        let parts: Vec<&str> = name.split_whitespace().collect();
        !parts.is_empty() && words.windows(parts.len()).any(|w| w == parts.as_slice())
    })
}

/// Whether any finding is an error (`minutes finalize` refuses those).
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
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
            .map(|f| format!("{}: {}: {}", f.place, f.severity.word(), f.problem))
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
                "meeting: warning: no next meeting (the setup's \"Next meeting: date\")",
                "people: error: Chris Wood spoke but is marked regrets",
                "item 2: warning: no notes for “Two”",
                "item 1, 14:00: error: action without an owner (@Name): “send it”",
                "item 1, 14:00: error: action without a due date: “send it”",
                "item 1, 14:00: warning: note without a speaker: “spoke”",
            ]
        );
    }

    #[test]
    fn a_meeting_where_nobody_spoke_is_flagged() {
        let mut meeting = typed(&["one", "two", "three"]);
        for note in &mut meeting.notes {
            note.speakers.clear();
        }
        assert!(
            problems(&meeting).contains(
                &"meeting: warning: no note has a speaker (3 notes): was the log read in the right form?"
                    .to_string()
            ),
            "{:?}",
            problems(&meeting)
        );
    }

    #[test]
    fn narration_that_names_someone_and_a_closed_aob_are_fine() {
        let mut meeting = typed(&["Chris Wood shared the plan", "Nobody spoke", "<next>"]);
        meeting.agenda[1].title = "AoB".into();
        meeting.next_meeting = Some(crate::model::NextMeeting {
            at: meeting.notes[0].started_at,
            note: None,
            sentence: None,
        });
        assert_eq!(
            problems(&meeting),
            ["item 1, 14:00: warning: note without a speaker: “Nobody spoke”"]
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
