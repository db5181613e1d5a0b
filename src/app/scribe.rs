//! The W3C scribe conventions typed in the editor (scribe.perl's habits):
//! `Topic: X` moves to an agenda item, `present+ Name` / `regrets+ Name`
//! mark attendance, `s/old/new/` corrects the latest note that has `old`.
//! They are commands, not notes: nothing is added to the minutes.

use super::{App, Effect};
use crate::model::{Attendance, fold};

/// A scribe command read from a committed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Topic(String),
    Attendance(Attendance, Vec<String>),
    /// `s/old/new/` (every match with a trailing `g`).
    Substitute {
        old: String,
        new: String,
        all: bool,
    },
}

/// The command a line is, if it is one. Only a single line can be: a note
/// that starts with "Topic:" and goes on is still a note.
pub fn parse(text: &str) -> Option<Command> {
    let text = text.trim();
    if text.contains('\n') {
        return None;
    }
    if let Some(title) = strip_prefix_ignore_case(text, "topic:") {
        let title = title.trim();
        return (!title.is_empty()).then(|| Command::Topic(title.to_string()));
    }
    for (prefix, mark) in [
        ("present+", Attendance::Present),
        ("regrets+", Attendance::Regrets),
    ] {
        if let Some(names) = strip_prefix_ignore_case(text, prefix) {
            let names: Vec<String> = names
                .split(',')
                .map(|n| n.trim().trim_start_matches(':').trim().to_string())
                .filter(|n| !n.is_empty())
                .collect();
            return (!names.is_empty()).then_some(Command::Attendance(mark, names));
        }
    }
    substitute(text)
}

/// `Name: what they said`: the name (one to three words) and the rest,
/// when there is a rest. Whether the name is someone's is the roster's to
/// say: "Budget: numbers due" stays a note.
pub fn speaker_prefix(text: &str) -> Option<(&str, &str)> {
    let (name, rest) = text.split_once(':')?;
    let words = name.split_whitespace().count();
    let rest = rest.trim();
    ((1..=3).contains(&words) && !name.contains('\n') && !rest.is_empty())
        .then(|| (name.trim(), rest))
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `s/old/new/`, `s|old|new|`, with `g` (or `G`) after for every match, as
/// scribe.perl reads them; the last delimiter may be left off.
fn substitute(text: &str) -> Option<Command> {
    let rest = text.strip_prefix('s')?;
    let delimiter = rest.chars().next().filter(|c| matches!(c, '/' | '|'))?;
    let parts: Vec<&str> = rest[1..].split(delimiter).collect();
    let (old, new, flags) = match parts.as_slice() {
        [old, new] => (*old, *new, ""),
        [old, new, flags] => (*old, *new, *flags),
        _ => return None,
    };
    let all = match flags.trim() {
        "" => false,
        "g" | "G" => true,
        _ => return None,
    };
    (!old.is_empty()).then(|| Command::Substitute {
        old: old.to_string(),
        new: new.to_string(),
        all,
    })
}

impl App {
    /// Carries out a scribe command typed as a note. Returns the effects,
    /// or `None` when it failed and the line stays in the editor to fix.
    pub(super) fn scribe_command(&mut self, command: Command) -> Option<Vec<Effect>> {
        match command {
            Command::Topic(title) => Some(self.take_up_topic(&title)),
            Command::Attendance(mark, names) => Some(self.mark_attendance(mark, &names)),
            Command::Substitute { old, new, all } => self.correct_note(&old, &new, all),
        }
    }

    /// The item with that title (ignoring case and accents), else a new one
    /// after the current item.
    fn take_up_topic(&mut self, title: &str) -> Vec<Effect> {
        let wanted = fold(title);
        let existing = self
            .meeting
            .agenda
            .iter()
            .find(|item| fold(item.title.trim()) == wanted)
            .map(|item| item.id);
        let id = match existing {
            Some(id) => id,
            None => {
                let at = self
                    .current_item
                    .and_then(|id| self.meeting.agenda.iter().position(|i| i.id == id))
                    .map_or(self.meeting.agenda.len(), |p| p + 1);
                self.meeting.insert_agenda_item(at, title, None)
            }
        };
        self.clear_editor();
        let mut effects = self.switch_item(Some(id));
        if effects.is_empty() {
            // Already on it, or the meeting has not started: the new item
            // must still be saved.
            effects.push(self.meta_change());
        }
        let number = self.meeting.item_number(id).unwrap_or(0);
        let verb = if existing.is_some() {
            "Now on"
        } else {
            "Added and now on"
        };
        self.info(format!("{verb} item {number}: {title}"));
        effects.push(Effect::DraftChanged);
        effects
    }

    fn mark_attendance(&mut self, mark: Attendance, names: &[String]) -> Vec<Effect> {
        let mut marked = Vec::new();
        for name in names {
            let (id, _) = self.meeting.find_or_add_participant(name);
            if let Some(p) = self.meeting.participant_mut(&id) {
                p.attendance = Some(mark);
                marked.push(p.short_name.clone());
            }
        }
        self.clear_editor();
        let what = match mark {
            Attendance::Regrets => "Regrets",
            _ => "Present",
        };
        self.info(format!("{what}: {}", marked.join(", ")));
        vec![self.meta_change(), Effect::DraftChanged]
    }

    /// Corrects the latest note that has `old` (as typed, case and all, as
    /// scribe.perl does); says which, or that none had it.
    fn correct_note(&mut self, old: &str, new: &str, all: bool) -> Option<Vec<Effect>> {
        let now = self.local_now();
        let Some(note) = self
            .meeting
            .notes
            .iter_mut()
            .rev()
            .find(|n| n.text.contains(old))
        else {
            self.error(format!(
                "No note has “{old}”: nothing corrected (the line is kept to fix)"
            ));
            return None;
        };
        note.text = if all {
            note.text.replace(old, new)
        } else {
            note.text.replacen(old, new, 1)
        };
        note.edited_at = Some(now);
        let (id, text) = (note.id, note.text.clone());
        // Kind, owner and due date follow the corrected text, as after an edit.
        let read = self.read_text(&text);
        let roster_changed = read.roster_changed;
        if let Some(note) = self.meeting.notes.iter_mut().find(|n| n.id == id) {
            read.apply_to(note);
        }
        self.clear_editor();
        self.info(format!("Corrected: {text}"));
        let roster = roster_changed.then(|| self.meta_change());
        Some(
            roster
                .into_iter()
                .chain(self.note_change(id))
                .chain([Effect::DraftChanged])
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_scribe_commands() {
        assert_eq!(
            parse("Topic: Budget"),
            Some(Command::Topic("Budget".into()))
        );
        assert_eq!(parse("topic:  AoB "), Some(Command::Topic("AoB".into())));
        assert_eq!(parse("Topic:"), None);
        assert_eq!(
            parse("present+ Chris, Ana Neves"),
            Some(Command::Attendance(
                Attendance::Present,
                vec!["Chris".into(), "Ana Neves".into()]
            ))
        );
        assert_eq!(
            parse("regrets+ Xiao"),
            Some(Command::Attendance(
                Attendance::Regrets,
                vec!["Xiao".into()]
            ))
        );
        assert_eq!(
            parse("s/teh/the/"),
            Some(Command::Substitute {
                old: "teh".into(),
                new: "the".into(),
                all: false
            })
        );
        assert_eq!(
            parse("s|a/b|c|g"),
            Some(Command::Substitute {
                old: "a/b".into(),
                new: "c".into(),
                all: true
            })
        );
        assert_eq!(
            parse("s/x/y"),
            Some(Command::Substitute {
                old: "x".into(),
                new: "y".into(),
                all: false
            }),
            "the last delimiter may be left off"
        );
    }

    #[test]
    fn a_speaker_prefix_is_a_short_name_and_a_rest() {
        assert_eq!(speaker_prefix("Chris: I agree"), Some(("Chris", "I agree")));
        assert_eq!(
            speaker_prefix("Ana Neves: ACTION: @Xiao do it"),
            Some(("Ana Neves", "ACTION: @Xiao do it"))
        );
        assert_eq!(speaker_prefix("Chris:"), None);
        assert_eq!(speaker_prefix("a long sentence of words: then more"), None);
        assert_eq!(speaker_prefix("no colon here"), None);
    }

    #[test]
    fn a_correction_reads_the_note_again() {
        use crate::app::{Action, EditorAction};
        use chrono::TimeZone;
        let mut meeting = crate::model::Meeting::new("WG", chrono_tz::Tz::UTC);
        meeting.add_participant("Chris Wood");
        let now = chrono::Utc.with_ymd_and_hms(2024, 9, 26, 14, 0, 0).unwrap();
        let mut app = App::new(meeting, now);
        for line in ["ACTION: @Chirs send it", "s/Chirs/Chris/"] {
            app.update(Action::Paste(line.into()), now);
            app.update(Action::Editor(EditorAction::Commit), now);
        }
        let note = &app.meeting.notes[0];
        assert_eq!(note.text, "ACTION: @Chris send it");
        assert_eq!(
            note.owner.as_deref(),
            Some("chris-wood"),
            "the owner follows"
        );
    }

    #[test]
    fn ordinary_notes_are_not_commands() {
        for text in [
            "shared that the topic: was settled",
            "Topic: two\nlines",
            "so/what/now",
            "s/x/y/z/w",
            "s//y/",
            "present+",
            "sure, s/he agreed",
            "Budget: numbers due",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }
}
