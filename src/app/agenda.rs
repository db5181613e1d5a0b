//! Moving through the agenda: next, previous, go to a number, a click.

use super::{AgendaAction, App, Effect, InputMode};

impl App {
    pub(super) fn agenda_action(&mut self, action: AgendaAction) -> Vec<Effect> {
        match action {
            AgendaAction::Next => self.step_item(1),
            AgendaAction::Previous => self.step_item(-1),
            AgendaAction::Switch(id) if self.meeting.item(id).is_some() => self.switch_item(id),
            AgendaAction::Switch(_) => vec![],
            AgendaAction::StartGoto => {
                if self.meeting.agenda.is_empty() {
                    self.error("The meeting has no agenda items");
                } else {
                    self.goto_input.clear();
                    self.mode = InputMode::Goto;
                }
                vec![]
            }
            AgendaAction::GotoDigit(d) => {
                if self.goto_input.len() < 4 {
                    self.goto_input.push(char::from(b'0' + d.min(9)));
                }
                vec![]
            }
            AgendaAction::GotoBackspace => {
                self.goto_input.pop();
                vec![]
            }
            AgendaAction::GotoConfirm => self.goto_confirm(),
        }
    }

    fn step_item(&mut self, delta: isize) -> Vec<Effect> {
        let agenda = &self.meeting.agenda;
        if agenda.is_empty() {
            self.error("The meeting has no agenda items");
            return vec![];
        }
        let position = self
            .current_item
            .and_then(|id| agenda.iter().position(|i| i.id == id));
        let target = match position {
            Some(p) => p as isize + delta,
            None => 0,
        };
        if target < 0 || target >= agenda.len() as isize {
            let edge = if delta > 0 { "last" } else { "first" };
            self.info(format!("Already on the {edge} item"));
            return vec![];
        }
        let id = agenda[target as usize].id;
        self.switch_item(id)
    }

    fn switch_item(&mut self, id: u32) -> Vec<Effect> {
        if self.current_item == Some(id) {
            return vec![];
        }
        let now = self.local_now();
        // Never before it was entered, even after the clock went back.
        self.meeting.close_open_visits(now);
        self.current_item = Some(id);
        // A visit opens whether or not the meeting had started.
        let _ = self.ensure_started(now);
        self.leave_selection();
        vec![self.meta_change()]
    }

    fn goto_confirm(&mut self) -> Vec<Effect> {
        self.mode = InputMode::Typing;
        let count = self.meeting.agenda.len();
        match self.goto_input.parse::<usize>() {
            Ok(n) if (1..=count).contains(&n) => {
                let id = self.meeting.agenda[n - 1].id;
                self.switch_item(id)
            }
            _ => {
                self.error(format!(
                    "No item {}: the agenda has 1 to {count}",
                    self.goto_input
                ));
                vec![]
            }
        }
    }
}
