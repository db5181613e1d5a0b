//! Moving through the agenda: next, previous, go to a number, a click.

use super::{AgendaAction, App, Effect, InputMode};

impl App {
    pub(super) fn agenda_action(&mut self, action: AgendaAction) -> Vec<Effect> {
        match action {
            AgendaAction::Next => self.step_item(1),
            AgendaAction::Previous => self.step_item(-1),
            AgendaAction::Switch(id) if self.meeting.item(id).is_some() => {
                self.switch_item(Some(id))
            }
            AgendaAction::Switch(_) => vec![],
            AgendaAction::StartGoto => {
                if self.meeting.agenda.is_empty() {
                    self.error("The meeting has no agenda items");
                } else {
                    self.overlays.goto_input.clear();
                    self.mode = InputMode::Goto;
                }
                vec![]
            }
            AgendaAction::GotoDigit(d) => {
                if self.overlays.goto_input.len() < 4 {
                    self.overlays.goto_input.push(char::from(b'0' + d.min(9)));
                }
                vec![]
            }
            AgendaAction::GotoBackspace => {
                self.overlays.goto_input.pop();
                vec![]
            }
            AgendaAction::GotoConfirm => self.goto_confirm(),
        }
    }

    /// Steps through the opening (before item 1, where the meeting is
    /// opened and introduced) and the agenda's items.
    fn step_item(&mut self, delta: isize) -> Vec<Effect> {
        let agenda = &self.meeting.agenda;
        if agenda.is_empty() {
            self.error("The meeting has no agenda items");
            return vec![];
        }
        // 0 is the opening, 1 the first item.
        let position = self
            .current_item
            .and_then(|id| agenda.iter().position(|i| i.id == id))
            .map_or(0, |p| p as isize + 1);
        let target = position + delta;
        if target < 0 || target > agenda.len() as isize {
            let edge = if delta > 0 {
                "Already on the last item"
            } else {
                "Already at the opening, before the first item"
            };
            self.info(edge);
            return vec![];
        }
        let id = (target > 0).then(|| agenda[target as usize - 1].id);
        self.switch_item(id)
    }

    pub(super) fn switch_item(&mut self, id: Option<u32>) -> Vec<Effect> {
        if self.current_item == id {
            return vec![];
        }
        let now = self.local_now();
        // Never before it was entered, even after the clock went back.
        self.meeting.close_open_visits(now);
        self.current_item = id;
        self.leave_selection();
        let queue_cleared = self.queue_on_new_item();
        // Before the first note the agenda is only looked at: the meeting
        // has not started, and no time is counted on any item.
        if self.meeting.started_at.is_none() {
            return if queue_cleared {
                vec![self.meta_change()]
            } else {
                vec![]
            };
        }
        let _ = self.ensure_started(now);
        vec![self.meta_change()]
    }

    fn goto_confirm(&mut self) -> Vec<Effect> {
        self.mode = InputMode::Typing;
        let count = self.meeting.agenda.len();
        match self.overlays.goto_input.parse::<usize>() {
            Ok(n) if (1..=count).contains(&n) => {
                let id = self.meeting.agenda[n - 1].id;
                self.switch_item(Some(id))
            }
            _ => {
                let items = match count {
                    1 => "the agenda has only item 1".to_string(),
                    n => format!("the agenda has items 1 to {n}"),
                };
                self.error(format!("No item {}: {items}", self.overlays.goto_input));
                vec![]
            }
        }
    }
}
