//! The W3C scribe conventions typed in the editor (scribe.perl's habits):
//! `Topic: X` moves to an agenda item, `present+ Name` / `regrets+ Name`
//! mark attendance, `s/old/new/` corrects the latest note that has `old`.
//! They are commands, not notes: nothing is added to the minutes.

use super::{Action, App, Effect, InputMode, Severity};
use crate::model::correction::{self, Scope};
use crate::model::grammar::{self, Field, Line, Verb};
use crate::model::{Attendance, Note, ScribeShift, fold};

/// A scribe command read from a committed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Topic(String),
    Attendance(Attendance, Vec<String>),
    /// `present: Ana, Bo`: the list as it stands; anyone else marked so
    /// before is not any more.
    AttendanceList(Attendance, Vec<String>),
    /// `present- Ana`, `regrets- Bo`: the mark taken back.
    Unmark(Vec<String>),
    /// `present+` or `regrets-` alone: the writer, here the scribe.
    WriterAttends(Attendance, Verb),
    /// `s/old/new/` (`g` or `G` after: in every note that has `old`).
    Substitute {
        old: String,
        new: String,
        every_note: bool,
    },
    /// `i/anchor/line/`: a note put before the latest that has `anchor`.
    Insert {
        anchor: String,
        line: String,
    },
    /// `scribe+ Ana`: Ana takes the notes from now on.
    Scribe(String),
    /// `Chair: Ana`, `#chair Ana Bo` (`Verb::Set` replaces, `Add` adds,
    /// `Remove` takes off).
    Chair(Verb, Vec<String>),
    /// `Meeting: Forms WG`, `#meetingname Forms WG`.
    Title(String),
    /// `#startmeeting Forms WG`: the title (if given), and whoever starts
    /// the meeting (the scribe, here) chairs it and is there, as MeetBot
    /// has it.
    StartMeeting(String),
    /// A line for the bots (`zakim, who is here?`, `agenda+ X`, `.hello`)
    /// that is no queue command: not minuted, as scribe.perl leaves it out.
    ForBots,
    /// A command of the grammar that says nothing the live meeting does
    /// not know already (`Date:`, `Agenda:`, `#endmeeting`, `#undo`…):
    /// read as the importer reads it, it makes no note.
    NothingToDo(&'static str),
}

/// The command a line is, if it is one, read by the scribe's grammar
/// (model/grammar.rs), the one the importer reads logs with: the same
/// line typed here and read from a log does the same. Only a single line
/// can be a command: a note that starts with "Topic:" and goes on is
/// still a note. Commands the editor has no use for while notes are
/// taken (`Date:`, `#undo`, `#endmeeting`…) stay notes.
pub fn parse(text: &str) -> Option<Command> {
    let text = text.trim();
    if text.contains('\n') {
        return None;
    }
    let names = |rest: &str, meetbot: bool| -> Vec<String> {
        grammar::names(rest, meetbot)
            .iter()
            .map(|n| n.name.trim_start_matches(':').trim().to_string())
            .filter(|n| !n.is_empty())
            .collect()
    };
    match grammar::read(text) {
        Line::Correction(correction) => Some(if correction.insert {
            Command::Insert {
                anchor: correction.old.to_string(),
                line: correction.new.trim().to_string(),
            }
        } else {
            Command::Substitute {
                old: correction.old.to_string(),
                new: correction.new.to_string(),
                every_note: correction.scope != Scope::Latest,
            }
        }),
        Line::Command {
            field,
            verb,
            word,
            rest,
        } => {
            let meetbot = word.starts_with('#');
            match field {
                Field::Topic => (!rest.is_empty()).then(|| Command::Topic(rest.to_string())),
                Field::Present | Field::Regrets => {
                    let mark = match field {
                        Field::Regrets => Attendance::Regrets,
                        _ => Attendance::Present,
                    };
                    let names = names(rest, meetbot);
                    Some(match verb {
                        // `present+` alone: the writer, who is the scribe.
                        _ if names.is_empty() => Command::WriterAttends(mark, verb),
                        Verb::Add => Command::Attendance(mark, names),
                        Verb::Set => Command::AttendanceList(mark, names),
                        Verb::Remove => Command::Unmark(names),
                    })
                }
                Field::Scribe if verb != Verb::Remove && !rest.is_empty() => {
                    names(rest, meetbot).into_iter().next().map(Command::Scribe)
                }
                Field::Chair => {
                    let names = names(rest, meetbot);
                    (!names.is_empty()).then_some(Command::Chair(verb, names))
                }
                Field::Title if word == "#startmeeting" => {
                    Some(Command::StartMeeting(rest.to_string()))
                }
                Field::Title => (!rest.is_empty()).then(|| Command::Title(rest.to_string())),
                // A MeetBot note with text is a note (see `note_text`), and
                // so is the agenda's address, as the importer keeps it.
                Field::Note(_) if !rest.is_empty() => None,
                Field::Agenda if crate::model::is_url(rest) => None,
                Field::Scribe
                | Field::Note(_)
                | Field::Date
                | Field::Agenda
                | Field::End
                | Field::Undo
                | Field::Person
                | Field::Nothing => Some(Command::NothingToDo(word)),
            }
        }
        // Queue commands are the editor's own (app/queue.rs).
        Line::ForBots if super::queue::parse(text).is_none() => Some(Command::ForBots),
        Line::ForBots => None,
        Line::Speaker { .. } | Line::Continuation(_) | Line::Plain(_) | Line::Text(_) => None,
    }
}

/// The text of a note as the grammar reads it: a `\` escape without its
/// backslash (a note that only looks like a command), MeetBot's note
/// commands as MeetBot words them.
pub fn note_text(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    match grammar::read(text) {
        // A `...` continuation keeps its dots: the report reads them to
        // go on with the speaker's paragraph.
        Line::Plain(rest) if !rest.trim().is_empty() => Cow::Borrowed(rest),
        // `#info`, `#idea`, `#agreed`… as MeetBot words them; `#link`
        // as typed, which the note's kind is read from.
        Line::Command {
            field: Field::Note(kind),
            word,
            rest,
            ..
        } if !rest.is_empty() && kind != crate::model::NoteKind::Link => {
            Cow::Owned(grammar::meetbot_note(word, kind, rest))
        }
        _ => Cow::Borrowed(text),
    }
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

impl App {
    /// Carries out a scribe command typed as a note. Returns the effects,
    /// or `None` when it failed and the line stays in the editor to fix.
    pub(super) fn scribe_command(&mut self, command: Command) -> Option<Vec<Effect>> {
        if self.meeting.off_record
            && let Some(what) = self.would_enter_the_record(&command)
        {
            self.refuse_off_record(what);
            return None;
        }
        match command {
            Command::Topic(title) => Some(self.take_up_topic(&title)),
            Command::Attendance(mark, names) => Some(self.mark_attendance(Some(mark), &names)),
            Command::AttendanceList(mark, names) => {
                for p in &mut self.meeting.participants {
                    if p.attendance == Some(mark) {
                        p.attendance = None;
                    }
                }
                Some(self.mark_attendance(Some(mark), &names))
            }
            Command::Unmark(names) => Some(self.mark_attendance(None, &names)),
            Command::WriterAttends(mark, verb) => {
                let scribe = self.scribe_now();
                let Some(scribe) = scribe else {
                    self.error("Who? Name them (present+ Ana): this meeting has no scribe yet");
                    return None;
                };
                let mark = (verb != Verb::Remove).then_some(mark);
                Some(self.mark_attendance(mark, &[scribe]))
            }
            Command::Chair(verb, names) => Some(self.set_chair(verb, &names)),
            Command::Title(title) => {
                self.meeting.title = title.clone();
                self.clear_editor();
                self.info(format!("The meeting is “{title}”"));
                Some(vec![self.meta_change(), Effect::DraftChanged])
            }
            Command::StartMeeting(title) => {
                let scribe = self.scribe_now();
                if !title.is_empty() {
                    self.meeting.title = title;
                }
                if let Some(scribe) = scribe {
                    self.set_chair(Verb::Add, std::slice::from_ref(&scribe));
                    self.mark_attendance(Some(Attendance::Present), &[scribe]);
                }
                self.clear_editor();
                self.info(format!("Meeting started: {}", self.meeting.title));
                Some(vec![self.meta_change(), Effect::DraftChanged])
            }
            Command::NothingToDo(word) => {
                self.clear_editor();
                self.info(format!(
                    "{word}: read as a log would be, nothing to note (start a line with \\ to note it as typed)"
                ));
                Some(vec![Effect::DraftChanged])
            }
            Command::ForBots => {
                self.error(
                    "A line for the bots (Zakim, RRSAgent, agenda+): not minuted. Start it with \\ to keep it as a note",
                );
                None
            }
            Command::Substitute {
                old,
                new,
                every_note,
            } => self.correct_notes(&old, &new, every_note),
            Command::Insert { anchor, line } => self.insert_note(&anchor, line),
            Command::Scribe(name) => Some(self.hand_over(&name)),
        }
    }

    /// Who takes the notes now: the last to take over, else the
    /// meeting's note-taker (the writer of a log's `present+`).
    fn scribe_now(&self) -> Option<String> {
        self.meeting
            .scribes
            .last()
            .map(|s| s.name.clone())
            .or_else(|| self.meeting.note_taker.clone())
    }

    /// What `command` would put into the record, if anything: off the
    /// record, only notes are taken (kept off it), and corrections reach
    /// only notes that are off it too. Going to an existing item is moving
    /// about, not a record.
    fn would_enter_the_record(&self, command: &Command) -> Option<&'static str> {
        match command {
            Command::Topic(title) if self.item_titled(title).is_none() => Some("a new item"),
            Command::Topic(_)
            | Command::Substitute { .. }
            | Command::Insert { .. }
            | Command::ForBots
            | Command::NothingToDo(_) => None,
            Command::Attendance(Attendance::Regrets, _) => Some("regrets"),
            Command::Attendance(..)
            | Command::AttendanceList(..)
            | Command::Unmark(_)
            | Command::WriterAttends(..) => Some("attendance"),
            Command::Scribe(_) => Some("a new scribe"),
            Command::Chair(..) => Some("the chair"),
            Command::Title(_) | Command::StartMeeting(_) => Some("the meeting's title"),
        }
    }

    /// Says that `what` is not taken while off the record; the typed line
    /// stays in the editor, to commit once back on the record.
    pub(super) fn refuse_off_record(&mut self, what: &str) {
        self.say(
            Severity::Error,
            format!(
                "Off the record: {what} would go into the record, so nothing changed ({{}} goes back on the record; the line is kept)"
            ),
            &[(InputMode::Typing, Action::ToggleOffRecord)],
        );
    }

    /// The id of the item with that title, ignoring case and accents.
    fn item_titled(&self, title: &str) -> Option<u32> {
        let wanted = fold(title.trim());
        self.meeting
            .agenda
            .iter()
            .find(|item| fold(item.title.trim()) == wanted)
            .map(|item| item.id)
    }

    /// The item with that title (ignoring case and accents), else a new one
    /// after the current item.
    fn take_up_topic(&mut self, title: &str) -> Vec<Effect> {
        let existing = self.item_titled(title);
        let id = match existing {
            Some(id) => id,
            None => {
                let at = self
                    .current_item
                    .and_then(|id| self.meeting.agenda.iter().position(|i| i.id == id))
                    .map_or(self.meeting.agenda.len(), |p| p + 1);
                let ids = self.item_ids.clone();
                self.meeting.insert_agenda_item_from(at, title, None, ids)
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

    /// `scribe+ Name`: the notes are Name's from now on; the report names
    /// every scribe. The first scribe of a meeting is its note-taker.
    fn hand_over(&mut self, typed: &str) -> Vec<Effect> {
        let name = self
            .meeting
            .find_participant_by_name(typed)
            .map_or_else(|| typed.to_string(), |p| p.name.clone());
        if self.scribe_now().is_some_and(|n| fold(&n) == fold(&name)) {
            self.clear_editor();
            self.info(format!("{name} is already the scribe"));
            return vec![Effect::DraftChanged];
        }
        if self.meeting.note_taker.is_none() {
            self.meeting.note_taker = Some(name.clone());
        } else {
            let from = self.local_now();
            self.meeting.scribes.push(ScribeShift {
                name: name.clone(),
                from,
            });
        }
        self.clear_editor();
        self.info(format!("{name} takes the notes from now on"));
        vec![self.meta_change(), Effect::DraftChanged]
    }

    /// `Chair: Ana` names the chair; `#chair Bo` adds a co-chair;
    /// `#unchair Bo` takes one off. Names on the roster are written as
    /// the roster has them.
    fn set_chair(&mut self, verb: Verb, names: &[String]) -> Vec<Effect> {
        let as_known = |app: &App, name: &str| {
            app.meeting
                .find_participant_by_name(name)
                .map_or_else(|| name.to_string(), |p| p.name.clone())
        };
        let mut chairs: Vec<String> = match verb {
            Verb::Set => Vec::new(),
            _ => self
                .meeting
                .chair
                .iter()
                .flat_map(|c| c.split(", "))
                .map(str::to_string)
                .collect(),
        };
        for name in names {
            let name = as_known(self, name);
            match verb {
                Verb::Remove => chairs.retain(|c| fold(c) != fold(&name)),
                _ if !chairs.iter().any(|c| fold(c) == fold(&name)) => chairs.push(name),
                _ => {}
            }
        }
        self.meeting.chair = (!chairs.is_empty()).then(|| chairs.join(", "));
        self.clear_editor();
        match &self.meeting.chair {
            Some(chair) => self.info(format!("Chair: {chair}")),
            None => self.info("No chair"),
        }
        vec![self.meta_change(), Effect::DraftChanged]
    }

    /// Marks people present or regrets (`None`: no mark); newcomers join
    /// the roster.
    fn mark_attendance(&mut self, mark: Option<Attendance>, names: &[String]) -> Vec<Effect> {
        let mut marked = Vec::new();
        for name in names {
            let (id, _) = self.meeting.find_or_add_participant(name);
            if let Some(p) = self.meeting.participant_mut(&id) {
                p.attendance = mark;
                marked.push(p.short_name.clone());
            }
        }
        self.clear_editor();
        let what = match mark {
            Some(Attendance::Regrets) => "Regrets",
            Some(_) => "Present",
            None => "No longer marked",
        };
        self.info(format!("{what}: {}", marked.join(", ")));
        vec![self.meta_change(), Effect::DraftChanged]
    }

    /// Corrects the latest note that has `old` (as typed, case and all, as
    /// scribe.perl does), or every note that has it; says which, or that
    /// none had it.
    fn correct_notes(&mut self, old: &str, new: &str, every_note: bool) -> Option<Vec<Effect>> {
        let correction = correction::Correction {
            insert: false,
            old,
            new,
            scope: Scope::Latest,
        };
        let now = self.local_now();
        let mut corrected = Vec::new();
        // Off the record, what is typed stays off it: only notes that are
        // off the record too are corrected.
        let off_record = self.meeting.off_record;
        for note in self.meeting.notes.iter_mut().rev() {
            if off_record && !note.off_record {
                continue;
            }
            if let Some(text) = correction.apply(&note.text) {
                note.text = text;
                note.edited_at = Some(now);
                corrected.push(note.id);
                if !every_note {
                    break;
                }
            }
        }
        let Some(&latest) = corrected.first() else {
            let unmatched = if off_record {
                "No note taken off the record has"
            } else {
                "No note has"
            };
            self.error(format!(
                "{unmatched} “{old}”: nothing corrected (the line is kept to fix)"
            ));
            return None;
        };
        // Kind, owner and due date follow the corrected text, as after an edit.
        let mut roster_changed = false;
        for &id in &corrected {
            let Some(text) = self
                .meeting
                .notes
                .iter()
                .find(|n| n.id == id)
                .map(|n| n.text.clone())
            else {
                continue;
            };
            let read = self.read_text(&text);
            roster_changed |= read.roster_changed;
            if let Some(note) = self.meeting.notes.iter_mut().find(|n| n.id == id) {
                read.apply_to(note);
            }
        }
        self.clear_editor();
        match corrected.len() {
            1 => {
                let text = self
                    .meeting
                    .notes
                    .iter()
                    .find(|n| n.id == latest)
                    .map(|n| n.text.clone())
                    .unwrap_or_default();
                self.info(format!("Corrected: {text}"));
            }
            n => self.info(format!("Corrected {n} notes")),
        }
        let roster = roster_changed.then(|| self.meta_change());
        let changes: Vec<Effect> = corrected
            .iter()
            .flat_map(|&id| self.note_change(id))
            .collect();
        Some(
            roster
                .into_iter()
                .chain(changes)
                .chain([Effect::DraftChanged])
                .collect(),
        )
    }

    /// `i/anchor/line/`: `line` becomes a note of the same item just before
    /// the latest note that has `anchor`, as scribe.perl inserts a line.
    fn insert_note(&mut self, anchor: &str, line: String) -> Option<Vec<Effect>> {
        let found = self
            .meeting
            .notes
            .iter()
            .rev()
            .find(|n| n.text.contains(anchor))
            .map(|n| (n.item, n.started_at));
        let (Some((item, at)), false) = (found, line.is_empty()) else {
            self.error(format!(
                "No note has “{anchor}”: nothing inserted (the line is kept to fix)"
            ));
            return None;
        };
        // Between the anchor and the note before it: notes are read in
        // time order, and a burst of keys commits notes microseconds apart.
        let previous = self
            .meeting
            .notes
            .iter()
            .map(|n| n.started_at)
            .filter(|&t| t < at)
            .max();
        let before = match previous {
            Some(previous) => previous + (at - previous) / 2,
            None => at - chrono::Duration::milliseconds(1),
        };
        let read = self.read_text(&line);
        let roster_changed = read.roster_changed;
        let id = self.next_note_id;
        let mut note = Note::new(id, item, Vec::new(), line, before);
        read.apply_to(&mut note);
        // Typed off the record: kept off it, wherever it is put.
        note.off_record = self.meeting.off_record;
        // Stored last, as every new note is (the journal replays in that
        // order); reports read notes in time order.
        self.meeting.notes.push(note);
        self.next_note_id += 1;
        self.clear_editor();
        self.info(format!("Inserted before the note that has “{anchor}”"));
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
                every_note: false
            })
        );
        assert_eq!(
            parse("s|a/b|c|g"),
            Some(Command::Substitute {
                old: "a/b".into(),
                new: "c".into(),
                every_note: true
            })
        );
        assert_eq!(
            parse("s/x/y"),
            Some(Command::Substitute {
                old: "x".into(),
                new: "y".into(),
                every_note: false
            }),
            "the last delimiter may be left off"
        );
    }

    #[test]
    fn a_scribe_hands_over() {
        use crate::app::{Action, EditorAction};
        use chrono::TimeZone;
        let mut meeting = crate::model::Meeting::new("WG", chrono_tz::Tz::UTC);
        meeting.note_taker = Some("Ana Neves".into());
        meeting.add_participant("Chris Wood");
        let now = chrono::Utc.with_ymd_and_hms(2024, 9, 26, 14, 0, 0).unwrap();
        let mut app = App::new(meeting, now);
        app.update(Action::Paste("scribe+ chris".into()), now);
        let effects = app.update(Action::Editor(EditorAction::Commit), now);
        assert!(
            effects.iter().any(|e| matches!(e, Effect::Persist(crate::app::Change::Meta(m)) if m.scribes.len() == 1)),
            "the hand-over is saved: {effects:?}"
        );
        assert_eq!(
            app.meeting.scribes[0].name, "Chris Wood",
            "the roster's name"
        );
        assert!(app.meeting.notes.is_empty(), "a command, not a note");
        assert_eq!(
            parse("scribe+"),
            Some(Command::NothingToDo("scribe")),
            "the writer, who takes the notes already"
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

    use proptest::prelude::*;

    /// Pieces whose case mapping changes their length (İ grows, ẞ and ﬁ
    /// change), combining marks, and the words the parsers look for.
    fn awkward() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("İ"),
            Just("ẞ"),
            Just("ΐ"),
            Just("ﬁ"),
            Just("e\u{301}"),
            Just("ǅ"),
            Just("q+"),
            Just("Q+ "),
            Just("zakim,"),
            Just("ZAKİM, "),
            Just(" to "),
            Just(" TO "),
            Just("?"),
            Just("!"),
            Just("reply"),
            Just("point of order"),
            Just("ack "),
            Just("Topic:"),
            Just("#topic "),
            Just("present+"),
            Just("regrets+"),
            Just("scribe+"),
            Just("s/"),
            Just("s|"),
            Just("i/"),
            Just("/"),
            Just("|"),
            Just(":"),
            Just(","),
            Just("ACTION:"),
            Just("@"),
            Just(" due 2024-10-01"),
            Just("RESOLUTION:"),
            Just("https://x.org/("),
            Just(")"),
            Just(" "),
            Just("a"),
            Just("Ab"),
        ];
        prop::collection::vec(piece, 0..12).prop_map(|parts| parts.concat())
    }

    proptest! {
        /// Every parser of typed lines takes any text, in any order of
        /// these pieces, without panicking, and what it returns is cut
        /// from the text at character boundaries (else `to_string` on a
        /// slice would have panicked already).
        #[test]
        fn the_parsers_of_typed_lines_never_panic(text in awkward()) {
            let _ = parse(&text);
            let _ = super::super::queue::parse(&text);
            let _ = speaker_prefix(&text);
            let _ = crate::model::classify(&text);
            let _ = crate::model::report_text(&text);
            let _ = crate::model::strip_kind_prefix(&text);
            let _ = correction::parse(&text);
            let _ = crate::export::is_any_other_business(&text);
        }
    }

    #[test]
    fn ordinary_notes_are_not_commands() {
        for text in [
            "shared that the topic: was settled",
            "Topic: two\nlines",
            "so/what/now",
            "s//y/",
            "sure, s/he agreed",
            "Budget: numbers due",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }
}
