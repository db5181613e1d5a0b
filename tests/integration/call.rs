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
        h.play(script, burst);
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

/// F7 parks the current item, or the title typed, for next time; the
/// report lists them and the next meeting of the series has them on its
/// agenda after the review of actions.
#[test]
fn parked_topics_go_on_the_next_agenda() {
    let mut h = Harness::new(wg_strategy());
    h.keys("ACTION: @Chris send it due 2024-10-01<enter>");
    h.keys("<f7>Budget for 2025<f7><c-n><f7><f7><f7>");
    let saved = h.saved();
    assert_eq!(
        saved.parked,
        [
            "Pact of the Future/GDC",
            "Budget for 2025",
            "WSIS+20 review draft letter"
        ],
        "a second F7 on an item takes it back, a third parks it again"
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

fn queued(meeting: &Meeting) -> Vec<String> {
    meeting
        .queue
        .iter()
        .map(|e| {
            let name = meeting.short_name(&e.id);
            match &e.topic {
                Some(topic) => format!("{name} {}: {topic}", e.kind.label()),
                None => format!("{name} {}", e.kind.label()),
            }
        })
        .collect()
}

/// Raised hands as Zakim and TCQ keep them: a point of order first, then
/// clarifying questions, replies and new topics, each in the order
/// raised; removed, moved, closed and opened; Ctrl+T gives the floor to
/// the first (the note's speaker and its start), `ack` to anyone queued.
/// One key at a time and in bursts.
#[test]
fn the_speaker_queue_through_a_call() {
    let raise = "q+ Chris<enter>q+ Justin reply to the letter<enter>q+ Anriette ?<enter>\
                 q+ Giacomo point of order<enter>q+ Timea to WSIS+20<enter>q+ Titti reply<enter>";
    for burst in [false, true] {
        let mut h = Harness::new(wg_strategy());
        h.play(raise, burst);
        assert_eq!(
            queued(&h.saved()),
            [
                "Giacomo point of order",
                "Anriette clarifying question",
                "Justin reply: the letter",
                "Titti reply",
                "Chris new topic",
                "Timea new topic: WSIS+20",
            ],
            "burst: {burst}"
        );
        assert!(h.saved().notes.is_empty(), "queue commands are not notes");
        let screen = h.screen(120, 30);
        assert!(screen.contains("Queue Ctrl+T next · F5 hides"), "{screen}");
        assert!(screen.contains("1 Giacomo point of order"), "{screen}");

        // Moved up, taken out; a closed queue refuses and keeps the line.
        h.keys("q up Titti<enter>q- Timea<enter>close the queue<enter>q+ Adam<enter>");
        let screen = h.screen(120, 30);
        assert!(screen.contains("The queue is closed"), "{screen}");
        assert!(screen.contains("Queue closed"), "{screen}");
        assert_eq!(h.saved().queue.len(), 5, "Adam was refused");
        h.keys("<c-u><bs*20>q open<enter>q+ Adam reply<enter>");
        assert_eq!(
            queued(&h.saved()),
            [
                "Giacomo point of order",
                "Anriette clarifying question",
                "Titti reply",
                "Justin reply: the letter",
                "Adam reply",
                "Chris new topic",
            ]
        );

        // The next speaker has the floor: the note is theirs, from then.
        h.keys("<c-t>");
        let taken_at = h.app().meeting.local(h.now);
        h.keys("raised a point about the process<enter>");
        let saved = h.saved();
        let note = saved.notes.last().unwrap();
        assert_eq!(note.speakers, ["giacomo-mazzone"]);
        assert_eq!(note.started_at, taken_at);
        assert_eq!(saved.queue.len(), 5);
        // Ctrl+T with a note half typed commits it for the speaker before.
        h.keys("and a second point<c-t>");
        let saved = h.saved();
        assert_eq!(saved.notes.last().unwrap().text, "and a second point");
        assert_eq!(saved.notes.last().unwrap().speakers, ["giacomo-mazzone"]);
        assert_eq!(h.app().speakers, ["anriette-esterhuysen"]);
        // ack: anyone in the queue.
        h.keys("ack Chris<enter>");
        assert_eq!(h.app().speakers, ["chris-buckridge"]);
        assert_eq!(
            queued(&h.saved()),
            ["Titti reply", "Justin reply: the letter", "Adam reply"]
        );
        // A new item clears it, unless the chair keeps it.
        h.keys("<c-n>");
        assert!(h.saved().queue.is_empty());
    }
}

#[test]
fn the_queue_is_kept_across_items_when_the_chair_says() {
    let mut meeting = wg_strategy();
    meeting.queue_kept = true;
    let mut h = Harness::new(meeting);
    h.keys("q+ Chris<enter><c-n><c-n>");
    assert_eq!(queued(&h.saved()), ["Chris new topic"]);
    // From the picker: Alt+Q queues the one highlighted.
    h.keys("half a note");
    let began = h.app().composer.started_at;
    h.keys("<tab>anr<a-q>");
    assert_eq!(
        h.app().composer.started_at,
        began,
        "the note keeps its start"
    );
    assert_eq!(
        queued(&h.saved()),
        ["Chris new topic", "Anriette new topic"]
    );
    assert_eq!(
        h.app().editor_text(),
        "half a note",
        "the note being typed stays"
    );
    // Out of every built-in report; a template of one's own may show it.
    let saved = h.saved();
    assert!(!report(&saved, Format::Markdown).contains("Anriette"));
    let own = render(
        &saved,
        &Options {
            template: Some(
                "{% for q in report.queue %}{{ q.name }}: {{ q.kind }}; {% endfor %}".into(),
            ),
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(own.trim_end(), "Chris: new topic; Anriette: new topic;");
}

const QUEUE_WRITER: &str = "MINUTES_QUEUE_WRITER";

/// The writer for the kill test: a real session that queues people, says
/// READY, and waits to be killed.
#[test]
fn queue_writer() {
    let Some(path) = std::env::var_os(QUEUE_WRITER) else {
        return;
    };
    let meeting = wg_strategy();
    let store = minutes::store::Store::create(std::path::Path::new(&path), &meeting).unwrap();
    let mut session = minutes::event_loop::Session::new(
        store,
        minutes::app::App::new(meeting, chrono::Utc::now()),
        minutes::theme::Theme::builtin(),
    );
    let script = "q+ Chris<enter>q+ Justin reply to the letter<enter>q+ Anriette !<enter>close the queue<enter>";
    for key in crate::common::parse_keys(script) {
        session.step(vec![crossterm::event::Event::Key(key)], chrono::Utc::now());
    }
    println!("READY");
    std::thread::sleep(std::time::Duration::from_secs(60));
}

#[test]
fn a_kill_9_mid_queue_loses_nothing() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.json");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "call::queue_writer",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(QUEUE_WRITER, &path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let ready = std::io::BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .any(|line| line.ends_with("READY"));
    assert!(ready, "the writer got going");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let (_, meeting, _) = minutes::store::Store::open(&path).unwrap();
    assert_eq!(
        queued(&meeting),
        [
            "Anriette point of order",
            "Justin reply: the letter",
            "Chris new topic"
        ]
    );
    assert!(meeting.queue_closed);
}

/// The queue pane and the timers' warnings, as a person sees them: the
/// item near its planned end, the speaker past the limit, the agenda past
/// the planned end of the meeting.
#[test]
fn queue_and_timers_on_screen() {
    let mut meeting = wg_strategy();
    let start: minutes::model::Instant = "2024-09-26T14:00:00+00:00".parse().unwrap();
    meeting.scheduled_start = Some(start);
    meeting.scheduled_end = Some(start + chrono::Duration::minutes(15));
    meeting.speaker_limit_minutes = Some(2);
    let mut h = Harness::new(meeting);
    h.keys("q+ Justin reply to the letter<enter>q+ Anriette !<enter>q+ Titti<enter>");
    h.keys("<tab>chr<enter>opened the item<enter>");
    h.wait(60 * 18 + 20);
    for (width, height) in [(80, 24), (200, 60)] {
        let screen = h.screen(width, height);
        assert!(screen.contains("Queue Ctrl+T next"), "{screen}");
        assert!(screen.contains("1 Anriette point of"), "{screen}");
        assert!(screen.contains("of 2:00"), "the speaker's time: {screen}");
        insta::assert_snapshot!(format!("queue_and_timers_{width}x{height}"), screen);
    }
    let screen = h.screen(200, 60);
    assert!(
        screen.contains("agenda ends 14:20, 5m past 14:15"),
        "{screen}"
    );
    // The warnings are in the warning colour: the item's time, the
    // speaker's, the agenda's overrun.
    let styled = h.styled_screen(200, 60);
    insta::assert_snapshot!("queue_and_timers_styled_200x60", styled);
}

/// On a narrow screen the queue sits under the agenda, so F3 and F4 do
/// not hide it; on a wide one it gives them its place beside the notes.
#[test]
fn the_queue_and_the_other_side_panes() {
    let mut h = Harness::new(wg_strategy());
    h.keys("q+ Justin<enter><f4>");
    let narrow = h.screen(80, 24);
    assert!(
        narrow.contains("Before sending") && narrow.contains("1 Justin"),
        "{narrow}"
    );
    let wide = h.screen(200, 60);
    assert!(
        wide.contains("Before sending") && !wide.contains("Queue Ctrl+T"),
        "{wide}"
    );
    h.keys("<f4>");
    assert!(h.screen(200, 60).contains("Queue Ctrl+T"));
    h.keys("<f5>");
    assert!(!h.screen(200, 60).contains("Queue Ctrl+T"), "F5 hides it");
    assert!(!h.screen(80, 24).contains("1 Justin"));
}
