//! The speaker queue: raised hands as Zakim (`q+`, `q-`, `ack`) and TCQ
//! (new topic, reply, clarifying question, point of order) keep them. A
//! point of order goes first, then clarifying questions, replies and new
//! topics, each kind in the order raised. One key gives the floor to the
//! next person: they become the speaker, and the note's clock starts.
//! The queue is part of the meeting's details (saved with them, so it
//! survives a crash) and never part of a report.

use super::{App, Effect, InputMode, QueueAction};
use crate::model::caseless::{self, after_prefix};
use crate::model::{QueueEntry, QueueKind};

/// A queue command typed as a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueCommand {
    /// `q+ Ana`, `q+ Ana reply to the budget`, `q+ Ana ?`, `q+ Ana !`.
    Add {
        name: String,
        kind: QueueKind,
        topic: Option<String>,
    },
    /// `q- Ana`.
    Remove(String),
    /// `ack Ana`: Ana has the floor.
    Ack(String),
    /// `q up Ana` / `q down Ana`: one place earlier or later.
    Move {
        name: String,
        earlier: bool,
    },
    Close,
    Open,
    Clear,
}

/// The queue command a committed line is, if it is one (`zakim, ` before
/// it is allowed, as Zakim's users type it). Every word is matched in
/// the typed text itself (see `model::caseless`): names like İsmail
/// change length when lowercased.
pub fn parse(text: &str) -> Option<QueueCommand> {
    let text = text.trim();
    if text.contains('\n') {
        return None;
    }
    let text = after_prefix(text, "zakim,").map_or(text, str::trim_start);
    let is = |words: &[&str]| words.iter().any(|w| text.eq_ignore_ascii_case(w));
    if is(&["q close", "close the queue", "close queue", "queue closed"]) {
        return Some(QueueCommand::Close);
    }
    if is(&[
        "q open",
        "open the queue",
        "open queue",
        "reopen the queue",
        "queue open",
    ]) {
        return Some(QueueCommand::Open);
    }
    if is(&["q clear", "clear the queue", "clear queue"]) {
        return Some(QueueCommand::Clear);
    }
    let after = |prefixes: &[&str]| {
        prefixes
            .iter()
            .find_map(|p| after_prefix(text, p))
            .map(|rest| rest.trim().to_string())
    };
    if let Some(rest) = after(&["q+", "queue+", "+q"]) {
        return Some(add(&rest));
    }
    if let Some(name) = after(&["q-", "queue-", "-q"]) {
        return Some(QueueCommand::Remove(name));
    }
    if let Some(name) = after(&["ack "]) {
        return Some(QueueCommand::Ack(name));
    }
    if let Some(name) = after(&["q up "]) {
        return Some(QueueCommand::Move {
            name,
            earlier: true,
        });
    }
    if let Some(name) = after(&["q down "]) {
        return Some(QueueCommand::Move {
            name,
            earlier: false,
        });
    }
    None
}

/// `Ana`, `Ana Neves reply`, `Ana ? to the dates`, `Ana point of order`.
fn add(rest: &str) -> QueueCommand {
    let (who, topic) = match caseless::find(rest, " to ") {
        Some(at) => (&rest[..at], Some(rest[at + 4..].trim().to_string())),
        None => match after_prefix(rest, "to ") {
            Some(topic) => ("", Some(topic.trim().to_string())),
            None => (rest, None),
        },
    };
    let who = who.trim().trim_end_matches(',');
    let kinds: [(&[&str], QueueKind); 3] = [
        (&["point of order", "poo", "!"], QueueKind::PointOfOrder),
        (
            &["clarifying question", "clarifying", "clarify", "?"],
            QueueKind::Clarifying,
        ),
        (&["reply"], QueueKind::Reply),
    ];
    for (words, kind) in kinds {
        for word in words {
            if let Some(name) = caseless::before_suffix(who, word) {
                let name = name.trim().trim_end_matches(',').to_string();
                return QueueCommand::Add { name, kind, topic };
            }
        }
    }
    QueueCommand::Add {
        name: who.to_string(),
        kind: QueueKind::NewTopic,
        topic: topic.filter(|t| !t.is_empty()),
    }
}

impl App {
    pub(super) fn queue_action(&mut self, action: QueueAction) -> Vec<Effect> {
        match action {
            QueueAction::Next => self.take_next(),
            QueueAction::TogglePane => {
                self.panes.queue_hidden = !self.panes.queue_hidden;
                if !self.panes.queue_hidden && self.meeting.queue.is_empty() {
                    self.info("Nobody is in the queue: q+ Name adds someone");
                }
                vec![]
            }
            QueueAction::AddPicked => {
                // The highlighted person, or the name typed for a newcomer.
                let name = match self.picker.selected_row() {
                    Some(super::picker::PickerRow::Participant(i)) => {
                        self.meeting.participants[*i].name.clone()
                    }
                    Some(super::picker::PickerRow::AddNew) => self.picker.query.trim().to_string(),
                    None => return vec![],
                };
                self.mode = InputMode::Typing;
                // Not typed: the note being typed stays as it is.
                let add = QueueCommand::Add {
                    name,
                    kind: QueueKind::NewTopic,
                    topic: None,
                };
                self.queue_command(add, false).unwrap_or_default()
            }
        }
    }

    /// Carries out a queue command; `None` when it could not be. A command
    /// typed as a note (`typed`) takes the line out of the editor when it
    /// is carried out, and leaves it there to fix when not.
    pub(super) fn queue_command(
        &mut self,
        command: QueueCommand,
        typed: bool,
    ) -> Option<Vec<Effect>> {
        if !typed {
            return self.queue_change(command);
        }
        // The line is the command, not a note: out of the editor first (so
        // that `ack` starts the floor's clock afresh), back as it was if the
        // command cannot be carried out.
        let kept = self.composer.clone();
        self.clear_editor();
        match self.queue_change(command) {
            Some(mut effects) => {
                effects.push(Effect::DraftChanged);
                Some(effects)
            }
            None => {
                self.composer = kept;
                None
            }
        }
    }

    fn queue_change(&mut self, command: QueueCommand) -> Option<Vec<Effect>> {
        // A newcomer raising a hand joins the roster (saved with the queue).
        let id_of = |app: &mut App, name: &str| -> Option<String> {
            let name = name.trim();
            (!name.is_empty()).then(|| app.meeting.find_or_add_participant(name).0)
        };
        let said = match command {
            QueueCommand::Add { name, kind, topic } => {
                if self.meeting.queue_closed {
                    self.error("The queue is closed: `q open` opens it");
                    return None;
                }
                let Some(id) = id_of(self, &name) else {
                    self.error("Who? `q+ Name` (reply, ?, ! or `to topic` after the name)");
                    return None;
                };
                if self
                    .meeting
                    .queue
                    .iter()
                    .any(|e| e.id == id && e.kind == kind)
                {
                    let who = self.meeting.short_name(&id).to_string();
                    self.info(format!("{who} is in the queue already"));
                    return Some(Vec::new());
                }
                let entry = QueueEntry {
                    id: id.clone(),
                    kind,
                    topic,
                    added_at: self.local_now(),
                };
                // After everyone of the same kind or before it; ahead of
                // every kind that speaks later.
                let at = self
                    .meeting
                    .queue
                    .iter()
                    .position(|e| e.kind > kind)
                    .unwrap_or(self.meeting.queue.len());
                self.meeting.queue.insert(at, entry);
                format!(
                    "{} queued ({}), {} of {}",
                    self.meeting.short_name(&id),
                    kind.label(),
                    at + 1,
                    self.meeting.queue.len()
                )
            }
            QueueCommand::Remove(name) => {
                let at = self.queue_position(&name)?;
                let entry = self.meeting.queue.remove(at);
                format!("{} left the queue", self.meeting.short_name(&entry.id))
            }
            QueueCommand::Ack(name) => {
                let at = self.queue_position(&name)?;
                return Some(self.give_floor(at));
            }
            QueueCommand::Move { name, earlier } => {
                let at = self.queue_position(&name)?;
                let to = if earlier {
                    at.saturating_sub(1)
                } else {
                    (at + 1).min(self.meeting.queue.len() - 1)
                };
                self.meeting.queue.swap(at, to);
                format!(
                    "{} is now {} of {}",
                    self.meeting.short_name(&self.meeting.queue[to].id),
                    to + 1,
                    self.meeting.queue.len()
                )
            }
            QueueCommand::Close => {
                self.meeting.queue_closed = true;
                "The queue is closed: nobody is added until `q open`".into()
            }
            QueueCommand::Open => {
                self.meeting.queue_closed = false;
                "The queue is open".into()
            }
            QueueCommand::Clear => {
                self.meeting.queue.clear();
                "The queue is empty".into()
            }
        };
        self.panes.queue_hidden = false;
        self.info(said);
        Some(vec![self.meta_change()])
    }

    /// Where `name` (as the roster knows people) is in the queue; says so
    /// when they are not.
    fn queue_position(&mut self, name: &str) -> Option<usize> {
        let id = self
            .meeting
            .find_participant_by_name(name)
            .map(|p| p.id.clone());
        let found = id.and_then(|id| self.meeting.queue.iter().position(|e| e.id == id));
        if found.is_none() {
            self.error(format!("{} is not in the queue", name.trim()));
        }
        found
    }

    /// Ctrl+T: the first in the queue has the floor. A note being typed
    /// for the speaker before is committed first: it was theirs.
    fn take_next(&mut self) -> Vec<Effect> {
        if self.meeting.queue.is_empty() {
            self.info("Nobody is in the queue");
            return vec![];
        }
        let mut effects =
            if self.selection.editing.is_none() && !self.editor_text().trim().is_empty() {
                self.commit()
            } else {
                Vec::new()
            };
        effects.extend(self.give_floor(0));
        effects
    }

    /// The queue's entry `at` has the floor: out of the queue, the speaker
    /// from now (the note's time starts now), marked present.
    fn give_floor(&mut self, at: usize) -> Vec<Effect> {
        let entry = self.meeting.queue.remove(at);
        self.heard(&entry.id);
        self.speakers = vec![entry.id.clone()];
        self.composer.speakers_picked = true;
        self.composer.started_at = Some(self.local_now());
        self.composer.started_by_pick = true;
        let about = match &entry.topic {
            Some(topic) => format!("{}: {topic}", entry.kind.label()),
            None => entry.kind.label().to_string(),
        };
        let left = match self.meeting.queue.len() {
            0 => "the queue is empty".to_string(),
            n => format!("{n} in the queue"),
        };
        let name = self.meeting.short_name(&entry.id).to_string();
        self.info(format!("{name} has the floor ({about}); {left}"));
        vec![self.meta_change()]
    }

    /// Moving to another item clears the queue unless the chair keeps it.
    pub(super) fn queue_on_new_item(&mut self) -> bool {
        if self.meeting.queue_kept || self.meeting.queue.is_empty() {
            return false;
        }
        self.meeting.queue.clear();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(name: &str, kind: QueueKind, topic: Option<&str>) -> Option<QueueCommand> {
        Some(QueueCommand::Add {
            name: name.into(),
            kind,
            topic: topic.map(str::to_string),
        })
    }

    #[test]
    fn reads_zakim_and_tcq_habits() {
        use QueueKind::*;
        assert_eq!(parse("q+ Ana"), add("Ana", NewTopic, None));
        assert_eq!(
            parse("q+ Ana Neves to the budget"),
            add("Ana Neves", NewTopic, Some("the budget"))
        );
        assert_eq!(parse("q+ Ana reply"), add("Ana", Reply, None));
        assert_eq!(
            parse("Q+ Bo reply to the dates"),
            add("Bo", Reply, Some("the dates"))
        );
        assert_eq!(parse("q+ Cy ?"), add("Cy", Clarifying, None));
        assert_eq!(
            parse("q+ Cy clarifying question"),
            add("Cy", Clarifying, None)
        );
        assert_eq!(parse("q+ Di point of order"), add("Di", PointOfOrder, None));
        assert_eq!(parse("q+ Di !"), add("Di", PointOfOrder, None));
        assert_eq!(parse("zakim, q+ Ana"), add("Ana", NewTopic, None));
        assert_eq!(parse("q- Ana"), Some(QueueCommand::Remove("Ana".into())));
        assert_eq!(parse("ack Ana"), Some(QueueCommand::Ack("Ana".into())));
        assert_eq!(parse("close the queue"), Some(QueueCommand::Close));
        assert_eq!(parse("q open"), Some(QueueCommand::Open));
        assert_eq!(
            parse("q up Bo"),
            Some(QueueCommand::Move {
                name: "Bo".into(),
                earlier: true
            })
        );
        assert_eq!(
            parse("q+ İsmail İnce ?"),
            add("İsmail İnce", Clarifying, None)
        );
        assert_eq!(
            parse("q+ İlkay to Éric's point"),
            add("İlkay", NewTopic, Some("Éric's point"))
        );
        assert_eq!(parse("ZAKIM, Q+ ẞeta REPLY"), add("ẞeta", Reply, None));
        assert_eq!(
            parse("zakim, ack İsmail"),
            Some(QueueCommand::Ack("İsmail".into()))
        );
        for text in ["quite right", "q is for queue", "acknowledged", "ack"] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
