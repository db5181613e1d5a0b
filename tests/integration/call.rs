//! Running the call: off the record, topics parked for next time, the
//! speaker queue and the timers, driven by keys as a scribe does.

use crate::common::{Harness, wg_strategy};
use minutes::export::{Format, Options, render};
use minutes::model::Meeting;

fn report(meeting: &Meeting, format: Format) -> String {
    render(
        meeting,
        &Options {
            format,
            ..Options::default()
        },
    )
    .unwrap()
}

/// Notes taken off the record are saved, marked and shown muted, and in
/// no report; a selected note can be taken off (or put back on) alone.
#[test]
fn off_the_record_is_kept_but_never_reported() {
    let script = "<tab>chr<enter>on the record one<enter><c-o>\
                  the secret budget figure<enter>ACTION: @Chris check the secret figure due 2024-10-01<enter>\
                  <c-o>on the record two<enter>";
    for burst in [false, true] {
        let mut h = Harness::new(wg_strategy());
        if burst {
            h.burst(script);
        } else {
            h.keys(script);
        }
        let saved = h.saved();
        let off: Vec<bool> = saved.notes.iter().map(|n| n.off_record).collect();
        assert_eq!(off, [false, true, true, false], "burst: {burst}");
        assert!(!saved.off_record, "back on the record");
        for format in [Format::Markdown, Format::Html, Format::Text] {
            let out = report(&saved, format);
            assert!(out.contains("on the record one"), "{format:?}");
            assert!(out.contains("on the record two"), "{format:?}");
            assert!(!out.contains("secret"), "{format:?}: {out}");
        }
        // The off-record action is not carried to the next meeting either.
        let next = saved.next_in_series(saved.notes[0].started_at);
        assert!(next.notes.iter().all(|n| !n.text.contains("secret")));
    }
    let mut h = Harness::new(wg_strategy());
    h.keys("<c-o>");
    let screen = h.screen(100, 30);
    assert!(screen.contains("OFF THE RECORD"), "{screen}");
    assert!(h.saved().off_record, "the mode is saved: a crash keeps it");
    h.keys("hush<enter><c-o>said aloud<enter>");
    let screen = h.screen(100, 30);
    assert!(screen.contains("OFF RECORD hush"), "{screen}");
    // The selected note alone goes back on the record.
    h.keys("<up><up><c-o><esc>");
    assert!(h.saved().notes.iter().all(|n| !n.off_record));
}

/// Ctrl+K parks the current item, or the title typed, for next time; the
/// report lists them and the next meeting of the series has them on its
/// agenda after the review of actions.
#[test]
fn parked_topics_go_on_the_next_agenda() {
    let mut h = Harness::new(wg_strategy());
    h.keys("ACTION: @Chris send it due 2024-10-01<enter>");
    h.keys("<c-k>Budget for 2025<c-k><c-n><c-k><c-k><c-k>");
    let saved = h.saved();
    assert_eq!(
        saved.parked,
        [
            "Pact of the Future/GDC",
            "Budget for 2025",
            "WSIS+20 review draft letter"
        ],
        "a second Ctrl+K on an item takes it back, a third parks it again"
    );
    assert!(
        h.screen(100, 30).contains("» WSIS+20"),
        "{}",
        h.screen(100, 30)
    );
    let md = report(&saved, Format::Markdown);
    assert!(
        md.contains("## For the next meeting\n\n- Pact of the Future/GDC\n- Budget for 2025\n"),
        "{md}"
    );
    let next = saved.next_in_series(saved.notes[0].started_at);
    let titles: Vec<&str> = next.agenda.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            minutes::model::APPROVAL_OF_MINUTES,
            minutes::model::REVIEW_OF_ACTIONS,
            "Pact of the Future/GDC",
            "Budget for 2025",
            "WSIS+20 review draft letter"
        ]
    );
}
