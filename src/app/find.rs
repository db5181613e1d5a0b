//! Ctrl+F: finding a note anywhere in the meeting by its words or its
//! speaker, and going to it.

use super::{Action, App, Effect, FindAction, InputMode, Severity};

/// Ctrl+F's query, the notes it finds and which of them is chosen.
#[derive(Debug, Clone, Default)]
pub struct Find {
    pub query: String,
    /// Indices into `meeting.notes`, newest first; found again when the
    /// query changes, never on a frame, and moved along when another
    /// scribe's note is placed or deleted while Find is open.
    pub hits: Vec<usize>,
    /// Index into `hits`.
    pub selected: usize,
}

impl Find {
    /// A note was put at `at`: the hits after it move down one.
    pub(super) fn note_inserted(&mut self, at: usize) {
        for hit in &mut self.hits {
            *hit += usize::from(*hit >= at);
        }
    }

    /// The note at `at` was taken out: it is no hit any more, and the
    /// hits after it move up one.
    pub(super) fn note_removed(&mut self, at: usize) {
        // The chosen hit stays chosen when one before it goes.
        if let Some(place) = self.hits.iter().position(|&hit| hit == at) {
            self.hits.remove(place);
            self.selected -= usize::from(place < self.selected);
        }
        for hit in &mut self.hits {
            *hit -= usize::from(*hit > at);
        }
        self.selected = self.selected.min(self.hits.len().saturating_sub(1));
    }
}

impl App {
    pub(super) fn find_action(&mut self, action: FindAction) -> Vec<Effect> {
        match action {
            FindAction::Open => {
                if self.selection.editing.is_some() {
                    self.say(
                        Severity::Info,
                        "Finish the edit first: {} keeps it, {} cancels it",
                        &[
                            (
                                InputMode::Typing,
                                Action::Editor(super::EditorAction::Commit),
                            ),
                            (InputMode::Typing, Action::Cancel),
                        ],
                    );
                    return vec![];
                }
                if self.meeting.notes.is_empty() {
                    self.info("No notes to find yet");
                    return vec![];
                }
                self.leave_selection();
                self.find = Find::default();
                self.overlays.line_cursor = 0;
                self.mode = InputMode::Find;
            }
            FindAction::Type(c) => {
                if let Some(mut line) = self.line_edit() {
                    line.insert(c.encode_utf8(&mut [0; 4]));
                }
                self.refind();
            }
            FindAction::Backspace => {
                if let Some(mut line) = self.line_edit() {
                    line.backspace();
                }
                self.refind();
            }
            FindAction::Up => self.find.selected = self.find.selected.saturating_sub(1),
            FindAction::Down => {
                let last = self.find.hits.len().saturating_sub(1);
                self.find.selected = (self.find.selected + 1).min(last);
            }
            FindAction::Go => return self.go_to_hit(),
        }
        vec![]
    }

    /// Paste into the query: its first line.
    pub(super) fn find_paste(&mut self, text: &str) {
        if let Some(mut line) = self.line_edit() {
            line.insert(text.lines().next().unwrap_or(""));
        }
        self.refind();
    }

    /// The notes the query finds, as `minutes search` finds them.
    pub(super) fn refind(&mut self) {
        let words = crate::model::search_words(&self.find.query);
        let meeting = &self.meeting;
        self.find.hits = if words.is_empty() {
            Vec::new()
        } else {
            (0..meeting.notes.len())
                .rev()
                .filter(|&i| meeting.note_has_words(&meeting.notes[i], &words))
                .collect()
        };
        self.find.selected = 0;
    }

    /// Enter: the chosen note's item becomes the current one, with the
    /// note selected (Enter again edits it).
    fn go_to_hit(&mut self) -> Vec<Effect> {
        let Some(&index) = self.find.hits.get(self.find.selected) else {
            self.mode = InputMode::Find;
            if !self.find.query.trim().is_empty() {
                self.error(format!("No note has “{}”", self.find.query.trim()));
            }
            return vec![];
        };
        self.mode = InputMode::Typing;
        let from = self.current_item;
        // A note of an item this meeting does not have is in the opening.
        let known = |id: &u32| self.meeting.item(*id).is_some();
        let Some(target) = self.meeting.notes.get(index).map(|n| n.item.filter(known)) else {
            return vec![];
        };
        let effects = self.switch_item(target);
        self.selection.selected = Some(index);
        self.mode = InputMode::Selecting;
        if from != target {
            let place = |item: Option<u32>| match item.and_then(|id| self.meeting.item_number(id)) {
                Some(n) => format!("item {n}"),
                None if self.meeting.agenda.is_empty() => "the notes".to_string(),
                None => "the opening".to_string(),
            };
            let message = format!("Now on {}; you were on {}", place(target), place(from));
            self.info(message);
        }
        effects
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{AgendaAction, EditorAction, NotesAction};
    use crate::model::Meeting;
    use chrono::{DateTime, TimeZone, Utc};

    fn at(m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 9, 26, 14, m, 0).unwrap()
    }

    /// A meeting of two items; each note is (item number, text), typed in
    /// that order.
    /// The text of the note selected.
    fn chosen(app: &App) -> Option<&str> {
        (app.selection.selected).map(|i| app.meeting.notes[i].text.as_str())
    }

    fn meeting_with_notes(notes: &[(usize, &str)]) -> App {
        let mut meeting = Meeting::new("WG", chrono_tz::Tz::UTC);
        meeting.add_agenda_item("One", None);
        meeting.add_agenda_item("Two", None);
        meeting.add_participant("Chris Wood");
        let mut app = App::new(meeting, at(0));
        for (minute, (item, text)) in notes.iter().enumerate() {
            let now = at(minute as u32);
            app.update(
                Action::Agenda(AgendaAction::Switch(app.meeting.agenda[item - 1].id)),
                now,
            );
            app.update(Action::Paste((*text).to_string()), now);
            app.update(Action::Editor(EditorAction::Commit), now);
        }
        app
    }

    fn find(app: &mut App, query: &str) {
        app.update(Action::Find(FindAction::Open), at(30));
        for c in query.chars() {
            app.update(Action::Find(FindAction::Type(c)), at(30));
        }
    }

    fn message(app: &App) -> Option<&str> {
        app.status.message.as_ref().map(|m| m.text.as_str())
    }

    #[test]
    fn finds_words_in_any_case_and_order_newest_first() {
        let mut app = meeting_with_notes(&[
            (1, "Budget is tight"),
            (2, "The tight budget again"),
            (2, "Nothing to see"),
        ]);
        find(&mut app, "BÜDGET tight");
        let texts: Vec<&str> = app
            .find
            .hits
            .iter()
            .map(|&i| app.meeting.notes[i].text.as_str())
            .collect();
        assert_eq!(texts, ["The tight budget again", "Budget is tight"]);
    }

    #[test]
    fn enter_goes_to_the_note_s_item_and_selects_it() {
        let mut app = meeting_with_notes(&[(1, "first item note"), (2, "second")]);
        assert_eq!(app.current_item, Some(app.meeting.agenda[1].id));
        find(&mut app, "first");
        let effects = app.update(Action::Find(FindAction::Go), at(31));
        assert_eq!(app.current_item, Some(app.meeting.agenda[0].id));
        assert_eq!(app.mode, InputMode::Selecting);
        assert_eq!(app.selection.selected, Some(0));
        // The change of item is saved like any other.
        assert!(matches!(effects.as_slice(), [Effect::Persist(_)]));
        assert_eq!(message(&app), Some("Now on item 1; you were on item 2"));
    }

    #[test]
    fn down_and_up_choose_among_the_hits() {
        let mut app = meeting_with_notes(&[(1, "a note"), (1, "another note"), (2, "note")]);
        find(&mut app, "note");
        for _ in 0..5 {
            app.update(Action::Find(FindAction::Down), at(30));
        }
        assert_eq!(app.find.selected, 2, "stops at the oldest");
        app.update(Action::Find(FindAction::Up), at(30));
        app.update(Action::Find(FindAction::Go), at(30));
        assert_eq!(app.selection.selected, Some(1));
    }

    /// Another scribe's note placed before a hit, or a hit deleted by
    /// another scribe, while Find is open: Enter still goes to the note
    /// that was chosen.
    #[test]
    fn the_hits_follow_the_notes_another_scribe_changes() {
        let mut app = meeting_with_notes(&[(1, "a note"), (1, "b"), (1, "c note")]);
        find(&mut app, "note");
        assert_eq!(app.find.hits, [2, 0]);
        let earlier =
            crate::model::Note::new(9, None, Vec::new(), "x".into(), app.meeting.local(at(1)));
        app.update(Action::Remote(Box::new(earlier), None), at(5));
        app.update(Action::RemoteDeleted(app.meeting.notes[3].id), at(5));
        assert_eq!(app.find.hits, [0], "c note gone, a note where it is");
        app.update(Action::Find(FindAction::Go), at(5));
        assert_eq!(chosen(&app), Some("a note"));
        // The second hit chosen, and the first deleted: still the second.
        let mut app = meeting_with_notes(&[(1, "a note"), (1, "b note"), (1, "c note")]);
        find(&mut app, "note");
        app.update(Action::Find(FindAction::Down), at(5));
        app.update(Action::RemoteDeleted(app.meeting.notes[2].id), at(5));
        app.update(Action::Find(FindAction::Go), at(5));
        assert_eq!(chosen(&app), Some("b note"));
    }

    /// A note of an item this meeting has not heard of is found in the
    /// opening, and going to it goes there, not to an item that is not.
    #[test]
    fn a_note_of_an_unknown_item_is_found_in_the_opening() {
        let mut app = meeting_with_notes(&[(1, "a note")]);
        let far = crate::model::Note::new(
            9,
            Some(99),
            Vec::new(),
            "far note".into(),
            app.meeting.local(at(2)),
        );
        app.update(Action::Remote(Box::new(far), None), at(5));
        find(&mut app, "far");
        app.update(Action::Find(FindAction::Go), at(5));
        assert_eq!(app.current_item, None);
        assert_eq!(chosen(&app), Some("far note"));
    }

    #[test]
    fn no_hit_keeps_the_query_and_says_so() {
        let mut app = meeting_with_notes(&[(1, "alpha")]);
        find(&mut app, "zeta");
        let effects = app.update(Action::Find(FindAction::Go), at(31));
        assert!(effects.is_empty());
        assert_eq!(app.mode, InputMode::Find);
        assert_eq!(app.find.query, "zeta");
        assert_eq!(message(&app), Some("No note has “zeta”"));
    }

    #[test]
    fn finds_by_speaker_name() {
        let mut app = meeting_with_notes(&[(1, "alpha"), (1, "beta")]);
        app.meeting.notes[0].speakers = vec![app.meeting.participants[0].id.clone()];
        find(&mut app, "chris");
        assert_eq!(app.find.hits, [0]);
    }

    #[test]
    fn not_while_editing_an_earlier_note() {
        let mut app = meeting_with_notes(&[(1, "alpha")]);
        app.update(Action::Editor(EditorAction::SelectNotes), at(30));
        app.update(Action::Notes(NotesAction::Edit), at(30));
        assert!(app.selection.editing.is_some());
        app.update(Action::Find(FindAction::Open), at(30));
        assert_eq!(app.mode, InputMode::Typing);
    }
}
