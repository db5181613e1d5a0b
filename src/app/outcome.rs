//! What the edge did with the effects `update` returned (a save, a
//! report, an approval written into the previous meeting), told back as
//! [`Outcome`]s: the status line and the meeting change here, in
//! `update`, like for any other action.

use super::{App, Effect, Outcome};

impl App {
    pub(super) fn outcome(&mut self, outcome: Outcome) -> Vec<Effect> {
        match outcome {
            Outcome::Saved => {
                self.status.last_saved = Some(self.now);
                self.status.save_error = None;
            }
            Outcome::SaveFailed(error) => self.status.save_error = Some(error),
            Outcome::WrittenElsewhere(Ok(path)) => {
                self.info(format!("Meeting written to {path}: q quits"));
                self.status.written_to = Some(path);
            }
            Outcome::WrittenElsewhere(Err(e)) => self.error(format!("Not written: {e}")),
            Outcome::ApprovalRecorded { file, result } => {
                return self.approval_recorded(&file, result);
            }
            Outcome::Exported(Ok(path)) => self.info(format!("Report written to {path}")),
            Outcome::Exported(Err(e)) => self.error(format!("Report not written: {e}")),
            Outcome::Notice(message) => self.error(message),
            Outcome::Sharing(state) => self.status.sharing = Some(state),
            Outcome::ShareNews(news) => self.info(news),
        }
        vec![]
    }

    /// The previous meeting's file was told of the approval, or could not be.
    fn approval_recorded(&mut self, file: &str, result: Result<(), String>) -> Vec<Effect> {
        match result {
            Ok(()) => {
                if let Some(previous) = self.meeting.previous.as_mut() {
                    previous.approval_recorded = true;
                }
                self.info(format!(
                    "Approval of the previous minutes recorded in {file}"
                ));
                vec![self.meta_change()]
            }
            Err(e) => {
                self.error(format!(
                    "Approval not recorded: {e}. Close it there and record the decision again"
                ));
                vec![]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Action, App};
    use super::*;
    use chrono::TimeZone;

    /// Outcomes come in through `update`: they say what happened and
    /// never take the place of the message a key gave (a save follows
    /// every commit).
    #[test]
    fn outcomes_change_the_status_through_update() {
        let now = chrono::Utc.with_ymd_and_hms(2024, 9, 26, 14, 0, 0).unwrap();
        let mut app = App::new(crate::model::Meeting::new("WG", chrono_tz::Tz::UTC), now);
        app.update(
            Action::Outcome(Outcome::SaveFailed("disk full".into())),
            now,
        );
        assert_eq!(app.status.save_error.as_deref(), Some("disk full"));
        app.update(Action::Paste("Topic: Budget".into()), now);
        app.update(Action::Editor(crate::app::EditorAction::Commit), now);
        let said = app.status.message.clone();
        assert!(said.is_some());
        app.update(Action::Outcome(Outcome::Saved), now);
        assert_eq!(app.status.save_error, None, "a good save clears the error");
        assert_eq!(app.status.last_saved, Some(now));
        assert_eq!(app.status.message, said, "the key's message stays");
        let effects = app.update(
            Action::Outcome(Outcome::ApprovalRecorded {
                file: "prev.json".into(),
                result: Ok(()),
            }),
            now,
        );
        assert!(
            matches!(effects.as_slice(), [Effect::Persist(_)]),
            "{effects:?}"
        );
    }
}
