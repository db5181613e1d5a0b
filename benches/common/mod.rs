//! What the benchmarks share: typing into a meeting, frame by frame, the
//! way the binary does (update, then draw on the screen).

pub mod sample;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use minutes::app::EditorAction;
use minutes::app::{Action, App};
use minutes::keymap::Keymap;
use minutes::terminal::Screen;
use minutes::theme::Theme;
use minutes::ui::{self, RenderCache, View};
use ratatui::backend::TestBackend;

/// A generated meeting on a 200x50 screen, with a key to type.
pub struct Typist {
    app: App,
    theme: Theme,
    keymap: Keymap,
    /// One cache per app, as in a session.
    cache: RenderCache,
    screen: Screen<TestBackend>,
    typed: u64,
    now: chrono::DateTime<chrono::Utc>,
}

impl Typist {
    pub fn new(notes: usize) -> Typist {
        let now = chrono::Utc::now();
        Typist {
            app: App::new(sample::meeting(notes), now),
            theme: Theme::builtin(),
            keymap: Keymap::default(),
            cache: RenderCache::default(),
            screen: Screen::new(TestBackend::new(200, 50)).unwrap(),
            typed: 0,
            now,
        }
    }

    /// One key to a finished frame: a letter and Backspace in turn, so the
    /// draft stays short.
    pub fn type_a_key(&mut self) {
        let code = if self.typed.is_multiple_of(2) {
            KeyCode::Char('x')
        } else {
            KeyCode::Backspace
        };
        self.typed += 1;
        self.app.update(
            Action::Editor(EditorAction::Key(KeyEvent::new(code, KeyModifiers::NONE))),
            self.now,
        );
        let view = View {
            theme: &self.theme,
            keymap: &self.keymap,
            cache: &self.cache,
        };
        let app = &self.app;
        self.screen
            .draw(|buf, retained| ui::render(buf, app, &view, retained))
            .unwrap();
    }
}
