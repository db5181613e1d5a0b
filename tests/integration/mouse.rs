//! The mouse, for those who turn it on: clicks on agenda items, the wheel
//! over the notes. Never needed: every one of these has a key.

use crate::common::{Harness, wg_strategy};
use crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> Event {
    Event::Mouse(MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    })
}

#[test]
fn a_click_on_an_agenda_item_goes_there() {
    let mut h = Harness::new(wg_strategy());
    // A started meeting: moves on its agenda count time.
    h.keys("Opening remarks<enter>");
    let screen = h.screen(80, 24); // the session learns the screen's size
    let row = screen
        .lines()
        .position(|l| l.contains("3 IGF strategic"))
        .unwrap() as u16;
    h.event(mouse(MouseEventKind::Down(MouseButton::Left), 5, row));
    assert_eq!(h.app().current_item, Some(3));
    assert!(h.screen(80, 24).contains("3. IGF strategic vision"));
    // Clicks elsewhere do nothing.
    h.event(mouse(MouseEventKind::Down(MouseButton::Left), 50, 10));
    assert_eq!(h.app().current_item, Some(3));
    assert_eq!(
        h.saved().agenda[2].visits.len(),
        1,
        "the move is saved like Ctrl+G"
    );
}

#[test]
fn the_wheel_walks_through_the_notes() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<a-1>one<enter>two<enter>three<enter>");
    h.screen(80, 24);
    let up = mouse(MouseEventKind::ScrollUp, 40, 5);
    let down = mouse(MouseEventKind::ScrollDown, 40, 5);
    h.event(up.clone());
    assert_eq!(h.app().selection.selected, Some(2));
    h.event(up);
    assert_eq!(h.app().selection.selected, Some(1));
    h.event(down.clone());
    h.event(down.clone());
    h.event(down);
    assert_eq!(
        h.app().selection.selected,
        None,
        "past the newest: back to typing"
    );
    // Over the agenda the wheel does nothing.
    h.event(mouse(MouseEventKind::ScrollUp, 3, 5));
    assert_eq!(h.app().selection.selected, None);
}
