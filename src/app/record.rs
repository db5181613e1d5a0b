//! The record kept as it was: final or approved minutes are read only
//! until amended (F9, recorded for the report), and an ended meeting
//! opened again keeps its times until the call is resumed (F8).

use super::{Action, App, EditorAction, Effect, InputMode, NotesAction, SetupAction, Severity};

impl App {
    /// What final minutes allow: looking, finding, exporting, quitting.
    pub(super) fn reads_only(action: &Action) -> bool {
        use Action as A;
        match action {
            A::Agenda(_) | A::Find(_) | A::Unsaved(_) | A::Cancel | A::ToggleHelp => true,
            A::HelpScroll(_) | A::ToggleSpeaking | A::ToggleCheck | A::Export | A::Save => true,
            A::Redraw | A::Quit | A::Tick | A::Amend | A::Outcome(_) => true,
            // The other scribe's changes are theirs to make (they amended
            // on their side): kept, never dropped.
            A::Remote(..) | A::RemoteDeleted(_) | A::RemotePeople(_) | A::RemoteMeeting(_) => true,
            A::Editor(e) => matches!(e, EditorAction::UpOrSelectNotes | EditorAction::SelectNotes),
            A::Notes(n) => matches!(
                n,
                NotesAction::Older
                    | NotesAction::Newer
                    | NotesAction::Page { .. }
                    | NotesAction::Scroll { .. }
                    | NotesAction::First
                    | NotesAction::Last
            ),
            A::Setup(s) => matches!(
                s,
                SetupAction::Toggle
                    | SetupAction::NextTab
                    | SetupAction::PrevTab
                    | SetupAction::Up
                    | SetupAction::Down
            ),
            A::Speaker(_) | A::Queue(_) | A::Paste(_) | A::ToggleOffRecord | A::Park => false,
            A::Resume => false,
            // Listening and looking; pulling edits a note.
            A::Transcript(t) => *t != crate::transcript::TranscriptAction::Pull,
            // Participants' pages (app/participants.rs): only the count.
            A::Page(p) => matches!(p, super::PageAction::Connected(_)),
        }
    }

    /// Why a key did nothing in final minutes, and how to amend them.
    pub(super) fn say_read_only(&mut self) {
        let state = match (&self.meeting.approved, &self.meeting.finalized) {
            (Some(_), _) => "approved",
            (None, _) => "final",
        };
        self.say(
            Severity::Error,
            format!("These minutes are {state}: read only. {{}} amends them (the report will say amended)"),
            &[(InputMode::Typing, Action::Amend)],
        );
    }

    /// Opening an ended meeting: fixing it leaves its times alone, and
    /// resuming the call is a key of its own.
    pub(super) fn say_ended(&mut self) {
        let Some(end) = self.meeting.ended_at.map(|at| self.meeting.in_zone(at)) else {
            return;
        };
        self.say(
            Severity::Info,
            format!(
                "This meeting ended at {}: fixing it leaves its times as they were; {{}} resumes the call",
                end.format("%H:%M")
            ),
            &[(InputMode::Typing, Action::Resume)],
        );
    }

    /// F9 on final or approved minutes: they can be changed again, and the
    /// change is recorded (who, when) for the report to say "amended".
    pub(super) fn amend(&mut self) -> Vec<Effect> {
        if !self.read_only {
            self.info("These minutes can be edited: nothing to amend");
            return vec![];
        }
        self.read_only = false;
        let by = self
            .meeting
            .note_taker
            .clone()
            .or_else(|| self.meeting.chair.clone())
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| "the note-taker".to_string());
        let at = self.local_now();
        self.meeting
            .amended
            .push(crate::model::Amendment { by: by.clone(), at });
        self.info(format!(
            "Amending the minutes (recorded as by {by}): the report will say amended"
        ));
        vec![self.meta_change()]
    }

    /// The call goes on after it had ended (F8, `minutes open --resume`):
    /// the end is cleared and the current item's visit opens again, as
    /// fixing the notes never does.
    pub(super) fn resume(&mut self) -> Vec<Effect> {
        if self.meeting.ended_at.take().is_none() {
            self.info("The meeting is running: nothing to resume");
            return vec![];
        }
        let now = self.local_now();
        let _ = self.ensure_started(now);
        self.info("Meeting resumed: its end will be stamped when you quit");
        vec![self.meta_change()]
    }
}
