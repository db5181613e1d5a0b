//! The edge of the program: terminal events in, effects (disk writes) out,
//! one frame drawn per batch of events.

use crate::app::{Action, App, Effect};
use crate::export::{self, Format};
use crate::keymap::Keymap;
use crate::store;
use crate::theme::Theme;
use crate::ui::{self, View};
use chrono::{DateTime, Utc};
use crossterm::event::{self, Event, KeyEventKind};
use ratatui::DefaultTerminal;
use std::io;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The draft is written this long after the last keystroke.
const DRAFT_DELAY: Duration = Duration::from_secs(1);

pub struct Session {
    pub path: PathBuf,
    pub app: App,
    pub keymap: Keymap,
    pub theme: Theme,
    /// A save failed and must be retried.
    unsaved: bool,
    draft_due: Option<Instant>,
}

impl Session {
    pub fn new(path: PathBuf, app: App, theme: Theme) -> Self {
        Session {
            path,
            app,
            keymap: Keymap::default(),
            theme,
            unsaved: false,
            draft_due: None,
        }
    }

    /// Runs until the user quits. Whatever happens, the caller should then
    /// call [`Session::save_all`].
    pub fn run(&mut self, terminal: &mut DefaultTerminal) -> io::Result<()> {
        loop {
            terminal.draw(|frame| self.draw(frame))?;
            let events = self.next_events()?;
            if self.step(events, Utc::now()) {
                return Ok(());
            }
        }
    }

    pub fn draw(&self, frame: &mut ratatui::Frame) {
        let view = View {
            theme: &self.theme,
            keymap: &self.keymap,
        };
        ui::draw(frame, &self.app, &view);
    }

    /// Waits for events, or the next clock tick (no events), and returns
    /// every event already waiting: a burst of keys or a paste costs one frame.
    fn next_events(&mut self) -> io::Result<Vec<Event>> {
        let mut events = Vec::new();
        if event::poll(self.timeout())? {
            loop {
                events.push(event::read()?);
                if !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        Ok(events)
    }

    /// Applies a batch of events at `now` (an empty batch is a clock tick)
    /// and writes what must be written. True when the app should exit.
    pub fn step(&mut self, events: Vec<Event>, now: DateTime<Utc>) -> bool {
        let mut effects = Vec::new();
        if events.is_empty() {
            effects.extend(self.app.update(Action::Tick, now));
        }
        for event in events {
            if let Some(action) = self.action_for(event) {
                effects.extend(self.app.update(action, now));
            }
        }
        self.apply(effects)
    }

    fn action_for(&self, event: Event) -> Option<Action> {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                self.keymap.resolve(self.app.mode, key)
            }
            Event::Paste(text) => Some(Action::Paste(text)),
            _ => None,
        }
    }

    /// Sleep until the next whole second (the clock), or the draft deadline.
    fn timeout(&self) -> Duration {
        let millis = u64::from(Utc::now().timestamp_subsec_millis());
        let to_tick = Duration::from_millis(1000 - millis.min(999));
        match self.draft_due {
            Some(due) => to_tick.min(due.saturating_duration_since(Instant::now())),
            None => to_tick,
        }
    }

    /// Carries out the effects; true when the app should exit.
    fn apply(&mut self, effects: Vec<Effect>) -> bool {
        let mut quit = false;
        let mut export = false;
        for effect in &effects {
            match effect {
                Effect::SaveMeeting => self.unsaved = true,
                Effect::DraftChanged => self.draft_due = Some(Instant::now() + DRAFT_DELAY),
                Effect::Export => export = true,
                Effect::Quit => quit = true,
            }
        }
        if self.unsaved {
            // Also retried on every tick while the disk refuses.
            self.save_meeting();
            // A committed note must not come back as a draft after a crash.
            if self.app.draft().text.is_empty() {
                self.save_draft();
            }
        }
        if quit || self.draft_due.is_some_and(|due| due <= Instant::now()) {
            self.save_draft();
        }
        if export {
            self.export();
        }
        quit
    }

    fn export(&mut self) {
        let out = export::default_output(&self.path, Format::Markdown);
        let options = export::Options::default();
        let result = export::export_to_file(&self.app.meeting, &options, &out)
            .map(|()| out.display().to_string());
        self.app.exported(result);
    }

    fn save_meeting(&mut self) {
        match store::save(&self.path, &self.app.meeting) {
            Ok(()) => {
                self.unsaved = false;
                self.app.saved(self.app.now);
            }
            Err(e) => self
                .app
                .save_failed(format!("{}: {e}", self.path.display())),
        }
    }

    fn save_draft(&mut self) {
        self.draft_due = None;
        let draft = self.app.draft();
        let result = if draft.text.trim().is_empty() && draft.speakers.is_empty() {
            store::remove_draft(&self.path)
        } else {
            store::save_draft(&self.path, &draft)
        };
        if let Err(e) = result {
            self.app.save_failed(format!(
                "draft {}: {e}",
                store::draft_path(&self.path).display()
            ));
        }
    }

    /// Last-chance save, used after the loop ends for any reason.
    pub fn save_all(&mut self) -> io::Result<()> {
        store::save(&self.path, &self.app.meeting)?;
        self.save_draft();
        Ok(())
    }
}
