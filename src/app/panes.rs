//! The side panes and the help: who spoke (F3), what to fix before
//! sending (F4), the help's scrolling; and keeping what they show up to
//! date without reading the whole meeting on every tick.

use super::{App, Effect, HELP_PAGE, InputMode};
use crate::model::stats;
use chrono::{DateTime, Utc};

impl App {
    pub(super) fn toggle_help(&mut self) -> Vec<Effect> {
        if self.mode == InputMode::Help {
            return self.close_overlay();
        }
        self.help_scroll = 0;
        self.open_overlay(InputMode::Help)
    }

    pub(super) fn help_scroll_by(&mut self, pages: i8) -> Vec<Effect> {
        let by = i32::from(pages) * HELP_PAGE;
        self.help_scroll = (i32::from(self.help_scroll) + by).clamp(0, 400) as u16;
        vec![]
    }

    /// F3: who spoke, in the side pane (F4's place).
    pub(super) fn toggle_speaking(&mut self) -> Vec<Effect> {
        self.speaking = match self.speaking {
            Some(_) => None,
            None => Some(stats::speaking(&self.meeting, self.local_now())),
        };
        self.speaking_read = Some((self.meeting_changes, self.now));
        self.show_check = false;
        vec![]
    }

    /// F4: what to fix before sending, in the side pane (F3's place).
    pub(super) fn toggle_check(&mut self) -> Vec<Effect> {
        self.show_check = !self.show_check;
        if self.show_check {
            self.speaking = None;
            self.refresh_findings();
        }
        vec![]
    }

    /// The clock's tick: only what is derived from a changed meeting is
    /// read again.
    pub(super) fn tick(&mut self) -> Vec<Effect> {
        self.refresh_findings();
        vec![]
    }

    /// Runs `minutes check` again if anything changed since it last ran.
    pub(super) fn refresh_findings(&mut self) {
        if self.due(self.findings_read, false, self.now) {
            self.findings = crate::check::check(&self.meeting);
            self.findings_read = Some((self.meeting_changes, self.now));
        }
    }

    /// Whether what was read from the whole meeting at `read` should be
    /// read again: after a change (or, with `clock`, as time passes), but
    /// in a long meeting no more often than its size allows, so that a
    /// meeting of millions of notes spends about one percent of a core on
    /// it (reading 100,000 notes takes about 10 ms here).
    pub(super) fn due(
        &self,
        read: Option<(u64, DateTime<Utc>)>,
        clock: bool,
        now: DateTime<Utc>,
    ) -> bool {
        let Some((changes, at)) = read else {
            return true;
        };
        if changes == self.meeting_changes && !clock {
            return false;
        }
        let pause = chrono::Duration::seconds((self.meeting.notes.len() / 100_000) as i64);
        now - at >= pause
    }

    /// How many of the findings are errors (the status line counts them).
    pub fn errors_to_fix(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == crate::check::Severity::Error)
            .count()
    }
}
