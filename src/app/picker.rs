//! The speaker picker: fuzzy filter over the roster, plus "add a new
//! person"; and the speaker actions (picker, numbered bar, no speaker).

use super::{Action, App, Effect, InputMode, Severity, SpeakerAction};
use crate::model::{Attendance, Participant, fold};
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerRow {
    /// Index into the meeting's participants.
    Participant(usize),
    /// Add the typed name as a new participant.
    AddNew,
}

#[derive(Debug, Clone, Default)]
pub struct Picker {
    pub query: String,
    pub rows: Vec<PickerRow>,
    pub selected: usize,
}

impl Picker {
    /// Recomputes the rows for the query. `preferred` (recent speakers) come
    /// first when nothing is typed yet.
    fn refilter(&mut self, roster: &[Participant], preferred: &[&str]) {
        self.rows = filter(roster, &self.query, preferred);
        self.selected = 0;
    }

    pub fn selected_row(&self) -> Option<&PickerRow> {
        self.rows.get(self.selected)
    }

    fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            return;
        }
        let len = self.rows.len() as isize;
        self.selected = (self.selected as isize + delta).rem_euclid(len) as usize;
    }
}

fn filter(roster: &[Participant], query: &str, preferred: &[&str]) -> Vec<PickerRow> {
    let query = query.trim();
    if query.is_empty() {
        let mut order: Vec<usize> = preferred
            .iter()
            .filter_map(|id| roster.iter().position(|p| p.id == *id))
            .collect();
        let rest: Vec<usize> = (0..roster.len()).filter(|i| !order.contains(i)).collect();
        order.extend(rest);
        return order.into_iter().map(PickerRow::Participant).collect();
    }
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut scored: Vec<(usize, u32)> = roster
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let full = pattern.score(Utf32Str::new(&p.name, &mut buf), &mut matcher);
            let short = pattern.score(Utf32Str::new(&p.short_name, &mut buf), &mut matcher);
            full.max(short).map(|score| (i, score))
        })
        .collect();
    // Stable sort: equal scores keep roster order.
    scored.sort_by_key(|&(_, score)| std::cmp::Reverse(score));
    let mut rows: Vec<PickerRow> = scored
        .into_iter()
        .map(|(i, _)| PickerRow::Participant(i))
        .collect();
    let folded = fold(query);
    let exact = roster
        .iter()
        .any(|p| fold(&p.name) == folded || fold(&p.short_name) == folded);
    if !exact {
        rows.push(PickerRow::AddNew);
    }
    rows
}

impl App {
    pub(super) fn speaker_action(&mut self, action: SpeakerAction) -> Vec<Effect> {
        match action {
            SpeakerAction::OpenPicker => {
                self.mode = InputMode::Picker;
                self.picker.query.clear();
                self.overlays.line_cursor = 0;
                self.refilter_picker();
                vec![]
            }
            SpeakerAction::ChooseSlot(n) => match self.slots.get(n).map(str::to_string) {
                Some(id) => self.choose_speakers(vec![id]),
                None => {
                    self.say(
                        Severity::Error,
                        "No speaker on {} yet: {} picks one",
                        &[
                            (
                                InputMode::Typing,
                                Action::Speaker(SpeakerAction::ChooseSlot(n)),
                            ),
                            (
                                InputMode::Typing,
                                Action::Speaker(SpeakerAction::OpenPicker),
                            ),
                        ],
                    );
                    vec![]
                }
            },
            SpeakerAction::Clear => {
                self.speakers.clear();
                vec![Effect::DraftChanged]
            }
            SpeakerAction::Type(c) => {
                if let Some(mut line) = self.line_edit() {
                    line.insert(c.encode_utf8(&mut [0; 4]));
                }
                self.refilter_picker();
                vec![]
            }
            SpeakerAction::Backspace => {
                if let Some(mut line) = self.line_edit() {
                    line.backspace();
                }
                self.refilter_picker();
                vec![]
            }
            SpeakerAction::Up => {
                self.picker.move_by(-1);
                vec![]
            }
            SpeakerAction::Down => {
                self.picker.move_by(1);
                vec![]
            }
            SpeakerAction::Choose => self.pick(false),
            SpeakerAction::AddBeside => self.pick(true),
        }
    }

    pub(super) fn refilter_picker(&mut self) {
        let recent: Vec<&str> = self.slots.iter().map(|(_, id)| id).collect();
        self.picker.refilter(&self.meeting.participants, &recent);
    }

    fn pick(&mut self, beside_current: bool) -> Vec<Effect> {
        let mut added = false;
        let id = match self.picker.selected_row().cloned() {
            Some(PickerRow::Participant(i)) => self.meeting.participants[i].id.clone(),
            Some(PickerRow::AddNew) => {
                let typed = self.picker.query.trim().to_string();
                let id = self.meeting.add_participant(&typed);
                added = true;
                self.info(format!(
                    "Added {} to the roster",
                    self.meeting.short_name(&id)
                ));
                id
            }
            None => return vec![],
        };
        self.mode = InputMode::Typing;
        let mut speakers = if beside_current {
            self.speakers.clone()
        } else {
            Vec::new()
        };
        if !speakers.contains(&id) {
            speakers.push(id);
        }
        let mut effects = self.choose_speakers(speakers);
        if added && !effects.iter().any(|e| matches!(e, Effect::Persist(_))) {
            effects.insert(0, self.meta_change());
        }
        effects
    }

    /// `id` speaks: they keep (or get) their number on the bar, and are
    /// marked present unless marked otherwise (or off the record, which
    /// leaves attendance as it was). True when that mark is new.
    pub(super) fn heard(&mut self, id: &str) -> bool {
        self.slots.touch(id);
        if self.meeting.off_record {
            return false;
        }
        match self.meeting.participant_mut(id) {
            Some(p) if p.attendance.is_none() => {
                p.attendance = Some(Attendance::Present);
                true
            }
            _ => false,
        }
    }

    /// Makes `ids` the current speakers; a pick starts the next note's clock.
    fn choose_speakers(&mut self, ids: Vec<String>) -> Vec<Effect> {
        let mut changed = false;
        for id in &ids {
            changed |= self.heard(id);
        }
        self.speakers = ids;
        self.composer.speakers_picked |= self.selection.editing.is_none();
        if self.selection.editing.is_none() && self.editor_is_empty() {
            let at = self.local_now();
            self.composer.started_at = Some(at);
            self.composer.started_by_pick = true;
        }
        if changed {
            vec![self.meta_change(), Effect::DraftChanged]
        } else {
            vec![Effect::DraftChanged]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Meeting;

    fn roster() -> Vec<Participant> {
        let mut m = Meeting::new("T", chrono_tz::Tz::UTC);
        for name in [
            "Chris Buckridge",
            "Anriette Esterhuysen",
            "Désirée Miloshevic",
            "Adam Peake",
        ] {
            m.add_participant(name);
        }
        m.participants
    }

    fn names(picker: &Picker, roster: &[Participant]) -> Vec<String> {
        picker
            .rows
            .iter()
            .map(|r| match r {
                PickerRow::Participant(i) => roster[*i].name.clone(),
                PickerRow::AddNew => "+".to_string(),
            })
            .collect()
    }

    #[test]
    fn fuzzy_accent_and_case_insensitive() {
        let roster = roster();
        let mut picker = Picker {
            query: "DESIR".into(),
            ..Picker::default()
        };
        picker.refilter(&roster, &[]);
        assert_eq!(names(&picker, &roster), vec!["Désirée Miloshevic", "+"]);
        picker.query = "anr est".into();
        picker.refilter(&roster, &[]);
        assert_eq!(names(&picker, &roster)[0], "Anriette Esterhuysen");
    }

    #[test]
    fn exact_name_hides_the_add_row_and_unknown_name_offers_it() {
        let roster = roster();
        let mut picker = Picker {
            query: "adam".into(),
            ..Picker::default()
        };
        picker.refilter(&roster, &[]);
        assert_eq!(names(&picker, &roster), vec!["Adam Peake"]);
        picker.query = "Juan Fernández".into();
        picker.refilter(&roster, &[]);
        assert_eq!(picker.rows, vec![PickerRow::AddNew]);
    }

    #[test]
    fn empty_query_lists_recent_speakers_first() {
        let roster = roster();
        let mut picker = Picker::default();
        picker.refilter(&roster, &["adam-peake"]);
        assert_eq!(names(&picker, &roster)[0], "Adam Peake");
        assert_eq!(picker.rows.len(), 4);
        picker.move_by(-1);
        assert_eq!(picker.selected, 3, "wraps around");
    }
}
