//! The side panes and the help: who spoke (F3), what to fix before
//! sending (F4), the help's scrolling; and keeping what they show up to
//! date without reading the whole meeting on every tick.

use super::{App, Effect, HELP_PAGE, InputMode};
use crate::check::Finding;
use crate::model::stats::{self, Speaking};
use crate::model::{Instant, Meeting};
use chrono::{DateTime, Utc};

/// What the side panes show and when it was read from the meeting; the
/// help's scrolling.
#[derive(Debug, Default)]
pub struct SidePanes {
    /// Who spoke and for how long (F3), kept up to date while shown.
    pub speaking: Option<Speaking>,
    /// What `minutes check` finds, brought up to date on the clock's tick
    /// after a change (not on every key: it reads the whole meeting).
    pub findings: Vec<Finding>,
    /// The meeting as `findings` and `speaking` last read it (its count of
    /// changes, see `App::meeting_changes`), and when.
    findings_read: Option<(u64, DateTime<Utc>)>,
    speaking_read: Option<(u64, DateTime<Utc>)>,
    /// The before-sending pane (F4) is shown, where who-spoke goes.
    pub show_check: bool,
    /// The queue pane is hidden (F5), though people are queued.
    pub queue_hidden: bool,
    /// First help line shown; the help clamps it to what it has.
    pub help_scroll: u16,
}

/// The meeting as the panes read it: its count of changes, and now.
#[derive(Clone, Copy)]
pub(super) struct Reading<'m> {
    pub meeting: &'m Meeting,
    pub changes: u64,
    pub now: DateTime<Utc>,
    /// Now on the meeting's clock (the current turn runs to it).
    pub local_now: Instant,
}

impl SidePanes {
    /// Runs `minutes check` again if anything changed since it last ran.
    pub(super) fn refresh_findings(&mut self, at: Reading) {
        if due(self.findings_read, false, at) {
            self.findings = crate::check::check(at.meeting);
            self.findings_read = Some((at.changes, at.now));
        }
    }

    /// Reads who spoke again while its pane is shown: after a change, and
    /// with `clock` as the current turn grows.
    pub(super) fn refresh_speaking(&mut self, clock: bool, at: Reading) {
        if self.speaking.is_some() && due(self.speaking_read, clock, at) {
            self.speaking = Some(stats::speaking(at.meeting, at.local_now));
            self.speaking_read = Some((at.changes, at.now));
        }
    }

    /// How many of the findings are errors (the status line counts them).
    pub fn errors_to_fix(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == crate::check::Severity::Error)
            .count()
    }

    #[cfg(test)]
    pub(super) fn findings_read(&self) -> Option<(u64, DateTime<Utc>)> {
        self.findings_read
    }
}

/// Whether what was read from the whole meeting at `read` should be read
/// again: after a change (or, with `clock`, as time passes), but in a
/// long meeting no more often than its size allows, so that a meeting of
/// millions of notes spends about one percent of a core on it (reading
/// 100,000 notes takes about 10 ms here).
fn due(read: Option<(u64, DateTime<Utc>)>, clock: bool, at: Reading) -> bool {
    let Some((changes, then)) = read else {
        return true;
    };
    if changes == at.changes && !clock {
        return false;
    }
    let pause = chrono::Duration::seconds((at.meeting.notes.len() / 100_000) as i64);
    at.now - then >= pause
}

impl App {
    pub(super) fn toggle_help(&mut self) -> Vec<Effect> {
        if self.mode == InputMode::Help {
            return self.close_overlay();
        }
        self.panes.help_scroll = 0;
        self.open_overlay(InputMode::Help)
    }

    pub(super) fn help_scroll_by(&mut self, pages: i8) -> Vec<Effect> {
        let by = i32::from(pages) * HELP_PAGE;
        self.panes.help_scroll = (i32::from(self.panes.help_scroll) + by).clamp(0, 400) as u16;
        vec![]
    }

    /// F3: who spoke, in the side pane (F4's place).
    pub(super) fn toggle_speaking(&mut self) -> Vec<Effect> {
        let local_now = self.local_now();
        let panes = &mut self.panes;
        panes.speaking = match panes.speaking {
            Some(_) => None,
            None => Some(stats::speaking(&self.meeting, local_now)),
        };
        panes.speaking_read = Some((self.meeting_changes, self.now));
        panes.show_check = false;
        vec![]
    }

    /// F4: what to fix before sending, in the side pane (F3's place).
    pub(super) fn toggle_check(&mut self) -> Vec<Effect> {
        self.panes.show_check = !self.panes.show_check;
        if self.panes.show_check {
            self.panes.speaking = None;
            self.refresh_findings();
        }
        vec![]
    }

    /// Runs `minutes check` again if anything changed since it last ran.
    pub(super) fn refresh_findings(&mut self) {
        let reading = Reading {
            local_now: self.local_now(),
            meeting: &self.meeting,
            changes: self.meeting_changes,
            now: self.now,
        };
        self.panes.refresh_findings(reading);
    }

    /// How many of the findings are errors (the status line counts them).
    pub fn errors_to_fix(&self) -> usize {
        self.panes.errors_to_fix()
    }
}
