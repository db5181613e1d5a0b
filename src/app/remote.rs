//! The other scribe's changes (src/share/), applied like typed ones:
//! a note committed here under an id of this meeting, a deletion, a
//! newcomer on the roster.

use super::{App, Change, Effect, InputMode};

/// How far ahead of this clock another scribe's note may be: a note
/// committed during this step, after the step's clock was read, or on a
/// clock that drifted a little, is not from the future.
const REMOTE_CLOCK_SKEW: i64 = 60;
/// How long before this scribe's start another scribe's note may begin:
/// two scribes start a meeting at once, and a note takes a while to type
/// and to arrive. A note from further back is a clock that is wrong.
const REMOTE_EARLIER: i64 = 3600;
use crate::model::Participant;

impl App {
    /// The other scribe's note: kept like one typed here (the journal has
    /// it before the next frame), under an id of this meeting.
    pub(super) fn remote_note(
        &mut self,
        mut note: crate::model::Note,
        local: Option<u64>,
    ) -> Vec<Effect> {
        let new = local.is_none();
        let dated_anew = new && self.date_within_the_meeting(&mut note);
        let at = note.started_at;
        let saved = match local.and_then(|id| self.meeting.notes.iter_mut().find(|n| n.id == id)) {
            Some(existing) => {
                note.id = existing.id;
                *existing = note;
                let id = existing.id;
                self.note_change(id).into_iter().collect::<Vec<_>>()
            }
            None => {
                // Shared notes keep the id they have on every scribe
                // (each scribe makes ids from a block of its own).
                if note.id == 0 || self.meeting.notes.iter().any(|n| n.id == note.id) {
                    note.id = self.next_note_id;
                    self.next_note_id += 1;
                }
                // An item this meeting does not have (yet) is kept as it
                // came, the same on every side: shown in the opening.
                let shared = dated_anew.then(|| Effect::Share(Box::new(note.clone())));
                Some(self.add_note(note))
                    .into_iter()
                    .chain(shared)
                    .collect()
            }
        };
        let started = self.ensure_started(at) | (new && self.started_earlier(at));
        let meta = started.then(|| self.meta_change());
        meta.into_iter().chain(saved).collect()
    }

    /// The peer's clock is not trusted: a new note from hours before this
    /// meeting began here, or from the future, would stretch its timers,
    /// and is dated now (the share sends the new date to every scribe, so
    /// that all keep the same). A note from a little before is kept as
    /// it is, on every side: the meeting began earlier than it did here.
    /// A version of a note this scribe has is taken as it comes (the
    /// dates one scribe set are never set again by another).
    fn date_within_the_meeting(&self, note: &mut crate::model::Note) -> bool {
        let was = (note.started_at, note.committed_at);
        let now = self.local_now();
        let latest = now + chrono::Duration::seconds(REMOTE_CLOCK_SKEW);
        let reference = self.meeting.started_at.unwrap_or(now).min(now);
        let earliest = reference - chrono::Duration::seconds(REMOTE_EARLIER);
        if note.started_at < earliest || note.started_at > latest {
            note.started_at = now;
        }
        note.committed_at = note.committed_at.clamp(note.started_at, latest);
        (note.started_at, note.committed_at) != was
    }

    /// Another scribe's note began before this meeting did here: the
    /// meeting began then (every scribe ends with the earliest start).
    /// Only within the last hour: notes each a little earlier than the
    /// last cannot walk the start back without end.
    fn started_earlier(&mut self, at: crate::model::Instant) -> bool {
        let recent = self.local_now() - chrono::Duration::seconds(REMOTE_EARLIER);
        match self.meeting.started_at {
            Some(start) if at < start && at >= recent && self.meeting.ended_at.is_none() => {
                self.meeting.started_at = Some(at);
                true
            }
            _ => false,
        }
    }

    /// Sharing (src/share/): this scribe's new notes take their ids from
    /// `ids`, a block no other scribe uses, so that ids never clash.
    pub fn use_note_ids(&mut self, ids: std::ops::Range<u64>) {
        // Agenda items take theirs from a block of 4,096 of the same slot
        // (notes have 2^32 a slot; slots are under 2^20).
        let slot = ids.start >> 32;
        self.item_ids = u32::try_from(slot << 12)
            .ok()
            .and_then(|start| Some(start.max(1)..u32::try_from((slot + 1) << 12).ok()?))
            .unwrap_or(1..u32::MAX);
        let last = (self.meeting.notes.iter().map(|n| n.id))
            .filter(|id| ids.contains(id))
            .max();
        self.next_note_id = last.map_or(ids.start, |id| id + 1);
    }

    /// The other scribe deleted a note. One being edited here is kept:
    /// saving the edit brings it back on both sides, so nothing typed is lost.
    pub(super) fn remote_deleted(&mut self, id: u64) -> Vec<Effect> {
        if self
            .selection
            .editing
            .as_ref()
            .is_some_and(|e| e.note_id == id)
        {
            return vec![];
        }
        let Some(at) = self.meeting.notes.iter().position(|n| n.id == id) else {
            return vec![];
        };
        self.meeting.notes.remove(at);
        self.find.note_removed(at);
        self.selection.note_removed(at);
        self.selection.selected = match self.selection.selected {
            Some(s) if s == at => None,
            Some(s) if s > at => Some(s - 1),
            other => other,
        };
        if self.selection.selected.is_none() && self.mode == InputMode::Selecting {
            self.mode = InputMode::Typing;
        }
        vec![Effect::Persist(Change::Deleted(id))]
    }

    /// People on the other scribe's roster: whoever is new here is added.
    pub(super) fn remote_people(&mut self, people: Vec<Participant>) -> Vec<Effect> {
        let mut added = false;
        for person in people {
            if self.meeting.participant(&person.id).is_none() {
                self.meeting.participants.push(person);
                added = true;
            }
        }
        if added {
            vec![self.meta_change()]
        } else {
            vec![]
        }
    }

    /// Sharing: the meeting's details, agenda, queue, roster and record's
    /// state as the scribes share them. The agenda's open visit says which
    /// item the meeting is on, for every scribe.
    pub(super) fn remote_meeting(&mut self, shared: crate::model::Meeting) -> Vec<Effect> {
        let notes = std::mem::take(&mut self.meeting.notes);
        if self.meeting == shared {
            self.meeting.notes = notes;
            return vec![];
        }
        self.meeting = crate::model::Meeting { notes, ..shared };
        let open = (self.meeting.agenda.iter())
            .find(|item| item.visits.last().is_some_and(|v| v.left.is_none()))
            .map(|item| item.id);
        let known = |id: &u32| self.meeting.item(*id).is_some();
        if open.is_some() || !self.current_item.as_ref().is_none_or(known) {
            self.current_item = open.or_else(|| self.meeting.agenda.first().map(|i| i.id));
        }
        vec![self.meta_change()]
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Action, App, Change, Effect, SharedMeeting};
    use crate::model::Note;
    use chrono::TimeZone;

    fn at(minute: u32) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc
            .with_ymd_and_hms(2024, 9, 26, 14, minute, 0)
            .unwrap()
    }

    use crate::app::tests::meeting;

    /// Another scribe's note, begun at `minute`.
    fn peer(app: &App, id: u64, item: u32, text: &str, minute: u32) -> Note {
        Note::new(
            id,
            Some(item),
            Vec::new(),
            text.into(),
            app.meeting.local(at(minute)),
        )
    }

    /// Another scribe's meeting: the agenda item it is on is this one's
    /// too, its queue is this one's; the notes stay; the same meeting
    /// again changes nothing and saves nothing.
    #[test]
    fn the_shared_meeting_replaces_all_but_the_notes() {
        let mut app = App::new(meeting(), at(0));
        app.update(Action::Paste("here".into()), at(1));
        app.update(Action::Editor(super::super::EditorAction::Commit), at(1));
        let mut theirs = App::new(meeting(), at(0));
        theirs.update(Action::Paste("there".into()), at(1));
        theirs.update(Action::Editor(super::super::EditorAction::Commit), at(1));
        theirs.update(Action::Agenda(super::super::AgendaAction::Next), at(2));
        theirs.update(Action::Agenda(super::super::AgendaAction::Next), at(3));
        let mut shared = theirs.meeting.clone();
        shared.notes.clear();
        shared.title = "WG, renamed there".into();
        let effects = app.update(
            Action::RemoteMeeting(Box::new(SharedMeeting(shared.clone()))),
            at(4),
        );
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::Persist(Change::Meta(_)))),
            "saved: {effects:?}"
        );
        assert_eq!(app.meeting.title, "WG, renamed there");
        assert_eq!(app.current_item, theirs.current_item, "on their item");
        assert_eq!(app.meeting.notes.len(), 1, "the notes stay");
        let again = app.update(
            Action::RemoteMeeting(Box::new(SharedMeeting(shared))),
            at(5),
        );
        assert!(
            !again.iter().any(|e| matches!(e, Effect::Persist(_))),
            "nothing new, nothing saved: {again:?}"
        );
    }

    /// A shared note keeps its id (the same on every scribe); this
    /// scribe's own notes take ids from its block.
    #[test]
    fn shared_notes_keep_their_ids_and_blocks_keep_ids_apart() {
        let mut app = App::new(meeting(), at(0));
        app.use_note_ids(5 << 32..6 << 32);
        let note = peer(&app, 7, 1, "from Ana", 1);
        app.update(Action::Remote(Box::new(note), None), at(1));
        app.update(Action::Paste("mine".into()), at(2));
        app.update(Action::Editor(super::super::EditorAction::Commit), at(2));
        let ids: Vec<u64> = app.meeting.notes.iter().map(|n| n.id).collect();
        assert_eq!(ids, [7, 5 << 32]);
    }

    /// Another scribe's note begun before the last ones typed here comes
    /// before them (as in the report), saved where it went; the note
    /// selected stays selected. A note typed here is always the newest.
    #[test]
    fn a_note_begun_earlier_elsewhere_is_placed_before() {
        use super::super::{EditorAction, NotesAction};
        let mut app = App::new(meeting(), at(0));
        for (text, minute) in [("one", 1), ("three", 3), ("four", 4)] {
            app.update(Action::Paste(text.into()), at(minute));
            app.update(Action::Editor(EditorAction::Commit), at(minute));
        }
        app.update(Action::Notes(NotesAction::Scroll { older: true }), at(5));
        let selected = app.selection.selected.map(|i| app.meeting.notes[i].id);
        let texts = |app: &App| -> Vec<String> {
            app.meeting.notes.iter().map(|n| n.text.clone()).collect()
        };
        let note = peer(&app, 7, 1, "two", 2);
        let effects = app.update(Action::Remote(Box::new(note), None), at(5));
        assert_eq!(texts(&app), ["one", "two", "three", "four"]);
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::Persist(Change::Placed { index: 1, .. }))),
            "saved where it went: {effects:?}"
        );
        assert_eq!(
            app.selection.selected.map(|i| app.meeting.notes[i].id),
            selected
        );
        // Begun after all: last, saved as any new note.
        let note = peer(&app, 8, 1, "five", 5);
        let effects = app.update(Action::Remote(Box::new(note), None), at(6));
        assert!(
            effects
                .iter()
                .any(|e| matches!(e, Effect::Persist(Change::Note(_))))
        );
        assert_eq!(texts(&app).last().map(String::as_str), Some("five"));
    }

    /// A note of an item this meeting has not heard of keeps its item (the
    /// same on every scribe), shown in the opening until the item comes.
    #[test]
    fn a_note_of_an_unknown_item_keeps_it_and_shows_in_the_opening() {
        let mut app = App::new(meeting(), at(0));
        let note = peer(&app, 7, 99, "elsewhere", 1);
        app.update(Action::Remote(Box::new(note), None), at(1));
        assert_eq!(app.meeting.notes[0].item, Some(99), "kept as it came");
        app.current_item = None;
        assert_eq!(
            app.current_notes_rev().collect::<Vec<_>>(),
            [0],
            "in the opening"
        );
        app.current_item = app.meeting.agenda.first().map(|i| i.id);
        assert_eq!(app.current_notes_rev().count(), 0);
    }

    /// What another scribe sends never wipes what the status line says
    /// ("Bo left" stays when Bo's last change comes after it); a key does.
    #[test]
    fn the_other_scribes_changes_leave_the_message_alone() {
        let mut app = App::new(meeting(), at(0));
        app.update(
            Action::Outcome(super::super::Outcome::ShareNews("Bo left".into())),
            at(1),
        );
        let note = peer(&app, 7, 1, "from Bo", 1);
        app.update(Action::Remote(Box::new(note), None), at(2));
        app.update(Action::RemoteDeleted(7), at(2));
        let said = app.status.message.as_ref().map(|m| m.text.as_str());
        assert_eq!(said, Some("Bo left"));
        app.update(Action::Paste("mine".into()), at(3));
        assert_eq!(app.status.message, None, "the user's key makes it stale");
    }
}
