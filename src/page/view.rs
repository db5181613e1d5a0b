//! What participants may see, derived from the meeting: pure functions,
//! no I/O. The page is told in deltas: a committed note is one
//! [`Delta::Note`], a deleted note (or one taken off the record) one
//! [`Delta::Gone`], and everything else (agenda, current item, speakers,
//! queue, poll) one small [`StatusView`], sent again only when it differs.
//! None of it ever holds an off-the-record note, or a poll opened off the
//! record.

use crate::model::{Meeting, Note, NoteKind, QueueKind};
use crate::store::Record;
use serde::Serialize;

/// A note as the page shows it.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct NoteView {
    pub id: u64,
    /// The agenda item's id, as in [`StatusView::items`].
    pub item: Option<u32>,
    /// Who spoke, by name.
    pub speakers: Vec<String>,
    pub text: String,
    pub kind: NoteKind,
    /// When it began, "14:05" in the meeting's zone.
    pub at: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct ItemView {
    pub id: u32,
    pub title: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct HandView {
    pub name: String,
    pub kind: QueueKind,
    pub topic: Option<String>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct PollView {
    pub question: String,
    pub options: Vec<String>,
    /// Votes per option, in the options' order.
    pub counts: Vec<usize>,
}

/// Everything on the page but the notes: small (the agenda, the queue),
/// never proportional to the notes.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct StatusView {
    pub title: String,
    pub items: Vec<ItemView>,
    pub current: Option<u32>,
    /// Who is speaking, by name.
    pub speakers: Vec<String>,
    pub queue: Vec<HandView>,
    pub queue_closed: bool,
    pub poll: Option<PollView>,
    /// The scribe is off the record: notes are paused on the page.
    pub off_record: bool,
    pub ended: bool,
}

/// What changed on the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Delta {
    Note(NoteView),
    Gone(u64),
}

fn name(meeting: &Meeting, id: &str) -> String {
    meeting
        .participant(id)
        .map_or_else(|| id.to_string(), |p| p.name.clone())
}

/// The note as the page shows it; `None` when it is off the record.
pub fn note(meeting: &Meeting, note: &Note) -> Option<NoteView> {
    if note.off_record {
        return None;
    }
    Some(NoteView {
        id: note.id,
        item: note.item,
        speakers: note.speakers.iter().map(|id| name(meeting, id)).collect(),
        text: note.text.clone(),
        kind: note.kind,
        at: meeting.in_zone(note.started_at).format("%H:%M").to_string(),
    })
}

/// Every note participants may see, in the meeting's order: what a page
/// that connects is sent first (the only walk over the notes).
pub fn notes(meeting: &Meeting) -> impl Iterator<Item = NoteView> + '_ {
    meeting.notes.iter().filter_map(|n| note(meeting, n))
}

/// The page's side of what was just saved: a note added or edited (gone
/// when it is off the record now), a note deleted. A record of the
/// meeting's details changes only the status (see [`status`]).
pub fn deltas<'a>(
    meeting: &'a Meeting,
    records: impl IntoIterator<Item = &'a Record> + 'a,
) -> impl Iterator<Item = Delta> + 'a {
    records.into_iter().filter_map(|record| match record {
        Record::Note { note: n, .. } => {
            Some(note(meeting, n).map_or(Delta::Gone(n.id), Delta::Note))
        }
        Record::Delete { id } => Some(Delta::Gone(*id)),
        Record::Meta { .. } => None,
    })
}

/// The agenda with the current item, who is speaking, the queue and the
/// open poll (unless opened off the record).
pub fn status(meeting: &Meeting, current: Option<u32>, speakers: &[String]) -> StatusView {
    StatusView {
        title: meeting.title.clone(),
        items: meeting
            .agenda
            .iter()
            .map(|item| ItemView {
                id: item.id,
                title: item.title.clone(),
            })
            .collect(),
        current,
        speakers: speakers.iter().map(|id| name(meeting, id)).collect(),
        queue: meeting
            .queue
            .iter()
            .map(|hand| HandView {
                name: name(meeting, &hand.id),
                kind: hand.kind,
                topic: hand.topic.clone(),
            })
            .collect(),
        queue_closed: meeting.queue_closed,
        poll: meeting
            .poll
            .as_ref()
            .filter(|poll| !poll.off_record)
            .map(|poll| PollView {
                question: poll.question.clone(),
                options: poll.options.clone(),
                counts: poll.counts(),
            }),
        off_record: meeting.off_record,
        ended: meeting.ended_at.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Poll, QueueEntry};
    use chrono::TimeZone;

    fn meeting() -> Meeting {
        let mut meeting = Meeting::new("Call", chrono_tz::UTC);
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 12, 4, 14, 5, 0)
            .unwrap()
            .fixed_offset();
        let (ana, _) = meeting.find_or_add_participant("Ana Neves");
        let mut said = Note::new(1, None, vec![ana.clone()], "We agree".into(), at);
        said.committed_at = at;
        let mut secret = Note::new(2, None, vec![ana], "SECRET plans".into(), at);
        secret.off_record = true;
        meeting.notes = vec![said, secret];
        meeting
    }

    #[test]
    fn off_the_record_notes_are_never_in_the_view() {
        let meeting = meeting();
        let shown: Vec<NoteView> = notes(&meeting).collect();
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].text, "We agree");
        assert_eq!(shown[0].speakers, ["Ana Neves"]);
        assert_eq!(shown[0].at, "14:05");
        let json = serde_json::to_string(&shown).unwrap();
        assert!(!json.contains("SECRET"), "{json}");
    }

    #[test]
    fn a_note_taken_off_the_record_is_gone_from_the_page() {
        let meeting = meeting();
        let records = [
            Record::Note {
                note: meeting.notes[0].clone(),
                index: None,
            },
            Record::Note {
                note: meeting.notes[1].clone(),
                index: None,
            },
            Record::Delete { id: 9 },
            Record::Meta {
                meeting: Box::new(meeting.meta()),
            },
        ];
        let deltas: Vec<Delta> = deltas(&meeting, &records).collect();
        assert!(matches!(&deltas[0], Delta::Note(n) if n.id == 1));
        assert_eq!(deltas[1], Delta::Gone(2));
        assert_eq!(deltas[2], Delta::Gone(9));
        assert_eq!(deltas.len(), 3);
        assert!(!format!("{deltas:?}").contains("SECRET"));
    }

    #[test]
    fn the_status_shows_the_queue_and_an_open_poll_unless_off_the_record() {
        let mut meeting = meeting();
        let at = meeting.notes[0].started_at;
        let (bo, _) = meeting.find_or_add_participant("Bo");
        meeting.queue.push(QueueEntry {
            id: bo.clone(),
            kind: QueueKind::Reply,
            topic: Some("dates".into()),
            added_at: at,
        });
        let mut poll = Poll {
            question: "Ship?".into(),
            options: vec!["Yes".into(), "No".into()],
            votes: Vec::new(),
            opened_at: at,
            off_record: false,
        };
        meeting.poll = Some(poll.clone());
        let shown = status(&meeting, None, std::slice::from_ref(&bo));
        assert_eq!(shown.speakers, ["Bo"]);
        assert_eq!(shown.queue[0].name, "Bo");
        assert_eq!(shown.poll.unwrap().counts, [0, 0]);
        poll.off_record = true;
        meeting.poll = Some(poll);
        assert_eq!(status(&meeting, None, &[]).poll, None);
    }
}
