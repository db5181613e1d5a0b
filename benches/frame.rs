//! Key event to finished frame: `update` plus drawing on the screen (as
//! the binary does) with a 200x50 TestBackend, for meetings of 100 to
//! 100,000 notes. Should be flat.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use minutes::app::{Action, App};
use minutes::keymap::Keymap;
use minutes::terminal::Screen;
use minutes::theme::Theme;
use minutes::ui::{self, View};
use ratatui::backend::TestBackend;

fn main() {
    divan::main();
}

const SIZES: [usize; 4] = [100, 1_000, 10_000, 100_000];

#[divan::bench(args = SIZES)]
fn type_a_key(bencher: divan::Bencher, notes: usize) {
    let now = chrono::Utc::now();
    let mut app = App::new(minutes::sample::meeting(notes), now);
    let theme = Theme::builtin();
    let keymap = Keymap::default();
    let cache = minutes::ui::RenderCache::default();
    let mut screen = Screen::new(TestBackend::new(200, 50)).unwrap();
    let mut typed = 0u64;
    bencher.bench_local(|| {
        // Alternate a letter and Backspace so the draft stays short.
        let code = if typed.is_multiple_of(2) {
            KeyCode::Char('x')
        } else {
            KeyCode::Backspace
        };
        typed += 1;
        app.update(
            Action::EditorKey(KeyEvent::new(code, KeyModifiers::NONE)),
            now,
        );
        screen
            .draw(|buf, retained| {
                ui::render(
                    buf,
                    &app,
                    &View {
                        theme: &theme,
                        keymap: &keymap,
                        cache: &cache,
                    },
                    retained,
                )
            })
            .unwrap();
    });
}
