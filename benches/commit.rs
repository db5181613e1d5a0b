//! Committing a note until it is durable (journal append + fdatasync), in
//! meetings of 100 to 100,000 notes. Should be flat.

#[path = "common/sample.rs"]
mod sample;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use minutes::app::App;
use minutes::event_loop::Session;
use minutes::store::Store;
use minutes::theme::Theme;

fn main() {
    divan::main();
}

const SIZES: [usize; 4] = [100, 1_000, 10_000, 100_000];

#[divan::bench(args = SIZES, sample_count = 200, sample_size = 1)]
fn commit_a_note(bencher: divan::Bencher, notes: usize) {
    let dir = tempfile::tempdir_in(".").unwrap();
    let path = dir.path().join("bench.json");
    let meeting = sample::meeting(notes);
    let store = Store::create(&path, &meeting).unwrap();
    let session = std::cell::RefCell::new(Session::new(
        store,
        App::new(meeting, chrono::Utc::now()),
        Theme::builtin(),
    ));
    let enter = Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    bencher
        .with_inputs(|| {
            // Untimed: the note is typed (pasted) first.
            let text = "shared that the outcome was much better than initially feared.".to_string();
            session
                .borrow_mut()
                .step(vec![Event::Paste(text)], chrono::Utc::now());
        })
        .bench_local_values(|()| {
            session
                .borrow_mut()
                .step(vec![enter.clone()], chrono::Utc::now())
        });
}
