//! The transcript's actions (docs/transcript.md): listening on and off,
//! segments heard (labelled with the speaker picked at that moment), the
//! pane's selection, and pulling segments into the note being typed.
//! The state is `App::transcript` (src/transcript/pane.rs).

use super::{Action, App, Effect, InputMode, Severity};
use crate::transcript::{TranscriptAction, TranscriptEffect};

impl App {
    pub(super) fn transcript_action(&mut self, action: TranscriptAction) -> Vec<Effect> {
        use TranscriptAction as T;
        match action {
            T::ToggleListening => self.toggle_listening(),
            T::Focus => {
                if self.transcript.segments.is_empty() {
                    self.say(
                        Severity::Info,
                        "Nothing heard yet ({} listens)",
                        &[(InputMode::Typing, Action::Transcript(T::ToggleListening))],
                    );
                } else {
                    self.leave_selection();
                    self.transcript.cursor = Some(self.transcript.segments.len() - 1);
                    self.transcript.anchor = None;
                    self.mode = InputMode::Transcript;
                }
                vec![]
            }
            T::Older | T::Newer | T::ExtendOlder | T::ExtendNewer => {
                let older = matches!(action, T::Older | T::ExtendOlder);
                let extend = matches!(action, T::ExtendOlder | T::ExtendNewer);
                self.transcript.step(older, extend);
                vec![]
            }
            T::Pull => self.pull_transcript(),
            // Heard once listening stopped (off the record, Alt+L): dropped.
            T::Heard(_) if !self.transcript.listening => vec![],
            T::Heard(heard) => {
                // The scribe's pick is the diarisation.
                let speaker = self.speakers.first().cloned();
                let segment = self.transcript.heard(heard, speaker);
                vec![Effect::Transcript(TranscriptEffect::Keep(segment))]
            }
            T::Stopped(reason) => {
                if self.transcript.listening {
                    self.transcript.listening = false;
                    match reason {
                        Ok(ended) => self.info(ended),
                        Err(failed) => self.error(failed),
                    }
                }
                vec![]
            }
        }
    }

    fn toggle_listening(&mut self) -> Vec<Effect> {
        if self.transcript.listening {
            self.transcript.listening = false;
            self.info("Stopped listening: the transcript so far is kept");
            return vec![Effect::Transcript(TranscriptEffect::Stop)];
        }
        if self.meeting.off_record {
            self.info("Off the record: not listening");
            return vec![];
        }
        // Listening means the call is under way: the meeting starts now if
        // no note started it yet, so that segments count from its start.
        let started = self.ensure_started(self.local_now());
        let origin = self.meeting.started_at.map_or(0.0, |start| {
            (self.now - start.to_utc()).num_milliseconds() as f64 / 1000.0
        });
        self.transcript.start(origin);
        self.say(
            Severity::Info,
            "Listening: heard speech is transcribed on this machine ({} stops)",
            &[(
                InputMode::Typing,
                Action::Transcript(TranscriptAction::ToggleListening),
            )],
        );
        let meta = started.then(|| self.meta_change());
        meta.into_iter()
            .chain([Effect::Transcript(TranscriptEffect::Listen)])
            .collect()
    }

    /// Off the record stops listening: nothing said then is heard or kept.
    pub(super) fn stop_listening_off_record(&mut self) -> Vec<Effect> {
        if self.meeting.off_record && self.transcript.listening {
            self.transcript.listening = false;
            return vec![Effect::Transcript(TranscriptEffect::Stop)];
        }
        vec![]
    }

    /// Enter in the pane: the selected segments' text goes into the note
    /// being typed, at the cursor, to be cut down to the scribe's words;
    /// the note will keep the span it came from.
    fn pull_transcript(&mut self) -> Vec<Effect> {
        self.mode = InputMode::Typing;
        let Some((text, _)) = self.transcript.take_selection() else {
            return vec![];
        };
        if !self.editor_is_empty() && !self.editor_text().ends_with(char::is_whitespace) {
            self.composer.editor.insert_char(' ');
        }
        self.composer.editor.insert_str(&text);
        self.draft_edited()
    }
}

#[cfg(test)]
mod tests {
    use crate::app::{Action, App, Change, EditorAction, Effect, InputMode};
    use crate::model::Meeting;
    use crate::transcript::{HeardMs, TranscriptAction as T, TranscriptEffect};
    use chrono::{TimeZone, Utc};

    fn heard(text: &str, start_ms: u64) -> Action {
        Action::Transcript(T::Heard(HeardMs {
            start_ms,
            end_ms: start_ms + 1500,
            text: text.into(),
            channel: "them".into(),
        }))
    }

    #[test]
    fn listening_heard_segments_and_two_pulled_into_a_note() {
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0).unwrap();
        let mut meeting = Meeting::new("Call", chrono_tz::UTC);
        let amy = meeting.add_participant("Amy Brown");
        let mut app = App::new(meeting, now);
        let effects = app.update(Action::Transcript(T::ToggleListening), now);
        // The call is under way: the meeting starts, saved with its start.
        assert!(
            matches!(
                effects.as_slice(),
                [
                    Effect::Persist(Change::Meta(_)),
                    Effect::Transcript(TranscriptEffect::Listen)
                ]
            ),
            "{effects:?}"
        );
        assert_eq!(app.meeting.started_at.map(|s| s.to_utc()), Some(now));
        assert!(app.transcript.listening);
        // Listening again later: the start stays.
        app.update(Action::Transcript(T::ToggleListening), now);
        let later = now + chrono::Duration::seconds(90);
        let effects = app.update(Action::Transcript(T::ToggleListening), later);
        assert_eq!(effects, vec![Effect::Transcript(TranscriptEffect::Listen)]);
        app.speakers = vec![amy.clone()];
        let kept = app.update(heard("We agreed to ship.", 0), now);
        let [Effect::Transcript(TranscriptEffect::Keep(first))] = kept.as_slice() else {
            panic!("{kept:?}");
        };
        assert_eq!(first.speaker.as_deref(), Some(amy.as_str()));
        // Timed from the meeting's start: listening began 90 s into it.
        assert_eq!(first.start, 90.0);
        app.speakers.clear();
        app.update(heard("On Friday.", 2000), now);
        app.update(heard("Next item.", 4000), now);
        // Into the pane, up one, then one more into the selection.
        app.update(Action::Transcript(T::Focus), now);
        assert_eq!(app.mode, InputMode::Transcript);
        app.update(Action::Transcript(T::Older), now);
        app.update(Action::Transcript(T::ExtendOlder), now);
        let pulled = app.update(Action::Transcript(T::Pull), now);
        assert_eq!(pulled, vec![Effect::DraftChanged]);
        assert_eq!(app.mode, InputMode::Typing);
        assert_eq!(
            app.composer.editor.lines().join("\n"),
            "We agreed to ship. On Friday."
        );
        let committed = app.update(Action::Editor(EditorAction::Commit), now);
        let note = committed
            .iter()
            .find_map(|e| match e {
                Effect::Persist(Change::Note(note)) => Some(note),
                _ => None,
            })
            .unwrap();
        assert_eq!(note.transcript, Some([1, 2]));
        assert_eq!(note.text, "We agreed to ship. On Friday.");
        // The next note has no span of its own.
        app.update(Action::Paste("later".into()), now);
        let committed = app.update(Action::Editor(EditorAction::Commit), now);
        assert!(
            committed
                .iter()
                .any(|e| matches!(e, Effect::Persist(Change::Note(n)) if n.transcript.is_none()))
        );
    }

    #[test]
    fn off_the_record_stops_listening() {
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0).unwrap();
        let mut app = App::new(Meeting::new("Call", chrono_tz::UTC), now);
        app.update(Action::Transcript(T::ToggleListening), now);
        let effects = app.update(Action::ToggleOffRecord, now);
        assert!(
            effects.contains(&Effect::Transcript(TranscriptEffect::Stop)),
            "{effects:?}"
        );
        assert!(!app.transcript.listening);
        // What the thread was still recognising is not kept.
        assert_eq!(app.update(heard("said off the record", 0), now), vec![]);
        assert!(app.transcript.segments.is_empty());
        // And does not start again while off the record.
        assert_eq!(
            app.update(Action::Transcript(T::ToggleListening), now),
            vec![]
        );
        assert!(!app.transcript.listening);
    }

    #[test]
    fn a_stopped_listener_says_why() {
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0).unwrap();
        let mut app = App::new(Meeting::new("Call", chrono_tz::UTC), now);
        app.update(Action::Transcript(T::ToggleListening), now);
        app.update(
            Action::Transcript(T::Stopped(Err("no recogniser".into()))),
            now,
        );
        assert!(!app.transcript.listening);
        assert_eq!(
            app.status.message.as_ref().map(|m| m.text.as_str()),
            Some("no recogniser")
        );
    }
}
