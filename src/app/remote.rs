//! The other scribe's changes (src/share/), applied like typed ones:
//! a note committed here under an id of this meeting, a deletion, a
//! newcomer on the roster.

use super::{App, Change, Effect, InputMode};

/// How far ahead of this clock another scribe's note may be.
const REMOTE_CLOCK_SKEW: i64 = 5;
use crate::model::Participant;

impl App {
    /// The other scribe's note: kept like one typed here (the journal has
    /// it before the next frame), under an id of this meeting.
    pub(super) fn remote_note(
        &mut self,
        mut note: crate::model::Note,
        local: Option<u64>,
    ) -> Vec<Effect> {
        // The peer's clock is not trusted: a note from before this
        // meeting began, or from the future, would stretch its timers.
        // A few seconds ahead is allowed: a note committed during this
        // step, after the step's clock was read, is not from the future
        // (and is kept as its scribe has it, the same on every side).
        let now = self.local_now();
        let ahead = now + chrono::Duration::seconds(REMOTE_CLOCK_SKEW);
        let floor = self.meeting.started_at.unwrap_or(now).min(now);
        note.started_at = note.started_at.clamp(floor, ahead);
        note.committed_at = note.committed_at.clamp(note.started_at, ahead);
        let at = note.started_at;
        let id = match local.and_then(|id| self.meeting.notes.iter_mut().find(|n| n.id == id)) {
            Some(existing) => {
                note.id = existing.id;
                *existing = note;
                existing.id
            }
            None => {
                // Shared notes keep the id they have on every scribe
                // (each scribe makes ids from a block of its own).
                if note.id == 0 || self.meeting.notes.iter().any(|n| n.id == note.id) {
                    note.id = self.next_note_id;
                    self.next_note_id += 1;
                }
                // An item this meeting does not have: the opening's.
                note.item = note.item.filter(|id| self.meeting.item(*id).is_some());
                let id = note.id;
                self.meeting.notes.push(note);
                id
            }
        };
        let started = self.ensure_started(at);
        let meta = started.then(|| self.meta_change());
        meta.into_iter().chain(self.note_change(id)).collect()
    }

    /// Sharing (src/share/): this scribe's new notes take their ids from
    /// `ids`, a block no other scribe uses, so that ids never clash.
    pub fn use_note_ids(&mut self, ids: std::ops::Range<u64>) {
        let last = (self.meeting.notes.iter().map(|n| n.id))
            .filter(|id| ids.contains(id))
            .max();
        self.next_note_id = last.map_or(ids.start, |id| id + 1);
    }

    /// The other scribe deleted a note. One being edited here is kept:
    /// saving the edit brings it back on both sides, so nothing typed is lost.
    pub(super) fn remote_deleted(&mut self, id: u64) -> Vec<Effect> {
        if self.editing.as_ref().is_some_and(|e| e.note_id == id) {
            return vec![];
        }
        let Some(at) = self.meeting.notes.iter().position(|n| n.id == id) else {
            return vec![];
        };
        self.meeting.notes.remove(at);
        self.selected = match self.selected {
            Some(s) if s == at => None,
            Some(s) if s > at => Some(s - 1),
            other => other,
        };
        if self.selected.is_none() && self.mode == InputMode::Selecting {
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
