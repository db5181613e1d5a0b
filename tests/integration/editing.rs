//! Where text is typed, keys keep readline's meaning (issue 27): the note
//! editor, the speaker picker, find, the setup's values and the
//! write-elsewhere path. No editing key runs a command.

use crate::common::{Harness, wg_strategy};

fn typed(h: &Harness) -> String {
    h.app().editor_text()
}

#[test]
fn the_note_editor_keeps_readlines_keys() {
    let mut h = Harness::new(wg_strategy());
    // Ctrl+A / Ctrl+E: line start and end (Ctrl+E exports nothing).
    h.keys("one two three<c-a>[<c-e>]");
    assert_eq!(typed(&h), "[one two three]");
    assert!(!h.path().with_extension("md").exists(), "Ctrl+E exported");
    // Home / End likewise.
    h.keys("<home>(<end>)");
    assert_eq!(typed(&h), "([one two three])");
    // Esc clears the note, and Ctrl+Y brings it back.
    h.keys("<esc>");
    assert_eq!(typed(&h), "");
    h.keys("<c-y>");
    assert_eq!(typed(&h), "([one two three])");
    h.keys("<esc>");
    // Alt+B / Alt+F: a word back and forward.
    h.keys("alpha beta gamma<a-b><a-b>^<a-f>$");
    assert_eq!(typed(&h), "alpha ^beta$ gamma");
    h.keys("<esc>");
    // Ctrl+K cuts to the end of the line (and parks nothing).
    h.keys("keep this cut that<a-b><a-b><c-k>");
    assert_eq!(typed(&h), "keep this ");
    assert!(h.saved().parked.is_empty(), "Ctrl+K parked");
    // Ctrl+Y yanks it back.
    h.keys("<c-y>");
    assert_eq!(typed(&h), "keep this cut that");
    // Ctrl+U cuts to the line start (it is no longer undo).
    h.keys("<a-b><c-u>");
    assert_eq!(typed(&h), "that");
    // Ctrl+W cuts the word before the cursor.
    h.keys("<end> and more<c-w>");
    assert_eq!(typed(&h), "that and ");
    // Undo is readline's Ctrl+_ (sent as Ctrl+7 by most terminals).
    h.keys("<esc>x<c-7>");
    assert_eq!(typed(&h), "");
    // Nothing was committed, exported or parked by any of it.
    let saved = h.saved();
    assert!(saved.notes.is_empty());
    assert!(saved.parked.is_empty());
}

#[test]
fn the_speaker_picker_and_find_cut_and_yank_their_line() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<tab>Chris Buck<c-w>");
    assert_eq!(h.app().picker.query, "Chris ");
    h.keys("<c-y>");
    assert_eq!(h.app().picker.query, "Chris Buck");
    // The cursor moves as in readline, and none of these runs a command.
    h.keys("<c-a>[<c-e>]<home>(<end>)");
    assert_eq!(h.app().picker.query, "([Chris Buck])");
    h.keys("<a-b><a-b>-<a-f>+");
    assert_eq!(h.app().picker.query, "([-Chris+ Buck])");
    assert!(h.screen(100, 30).contains("([-Chris+▏ Buck])"));
    h.keys("<c-k>");
    assert_eq!(h.app().picker.query, "([-Chris+");
    h.keys("<c-a><right><right><c-u>");
    assert_eq!(h.app().picker.query, "-Chris+");
    assert_eq!(h.app().mode, minutes::app::InputMode::Picker);
    h.keys("<c-e><c-u>Justin<a-bs>");
    assert_eq!(h.app().picker.query, "");
    h.keys("<esc>note for find<enter>");
    h.keys("<c-f>budget plan<c-w>");
    assert_eq!(h.app().find.query, "budget ");
    h.keys("<c-u>");
    assert_eq!(h.app().find.query, "");
    h.keys("<c-y><c-a><c-k>");
    assert_eq!(h.app().find.query, "");
    h.keys("<c-y><c-a>the <c-e>plan");
    assert_eq!(h.app().find.query, "the budget plan");
    assert_eq!(h.app().mode, minutes::app::InputMode::Find);
    assert!(!h.path().with_extension("md").exists());
}

#[test]
fn the_setups_values_keep_readlines_keys() {
    let mut h = Harness::new(wg_strategy());
    // The title (first row): the old value is selected, typing replaces it.
    h.keys("<f2><enter>middle<c-a>start <c-e> end<enter>");
    assert_eq!(h.saved().title, "start middle end");
    h.keys("<enter><end><a-b><c-k>close<enter>");
    assert_eq!(h.saved().title, "start middle close");
    h.keys("<enter><end><a-b><c-u><enter>");
    assert_eq!(h.saved().title, "close");
    h.keys("<enter><end> words here<c-w><c-w><c-y><enter>");
    assert_eq!(h.saved().title, "close words", "kept trimmed");
    h.keys("<enter><home><a-f>!<enter>");
    assert_eq!(h.saved().title, "close! words");
}

#[test]
fn an_old_default_key_in_config_is_still_honoured() {
    use minutes::app::{Action, InputMode};
    use minutes::config::KeyList;
    let overrides = [
        ("export".to_string(), KeyList::One("Ctrl+E".into())),
        ("park".to_string(), KeyList::One("Ctrl+K".into())),
    ]
    .into_iter()
    .collect();
    let (keymap, problems) = minutes::keymap::Keymap::with_overrides(&overrides);
    assert!(problems.is_empty(), "{problems:?}");
    let key = |c| {
        crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            crossterm::event::KeyModifiers::CONTROL,
        )
    };
    assert_eq!(
        keymap.resolve(InputMode::Typing, key('e')),
        Some(Action::Export)
    );
    assert_eq!(
        keymap.resolve(InputMode::Typing, key('k')),
        Some(Action::Park)
    );
    assert_eq!(keymap.key_for(InputMode::Typing, &Action::Export), "Ctrl+E");
}

/// Final or approved minutes open read only, say so on top, and take F9
/// to amend them, which the report then says.
#[test]
fn final_minutes_are_read_only_until_amended() {
    let mut meeting = wg_strategy();
    meeting.note_taker = Some("Ana Neves".into());
    // Finalized after a crash: started, never ended.
    let started: minutes::model::Instant = "2024-09-19T14:00:00+00:00".parse().unwrap();
    meeting.started_at = Some(started);
    meeting.finalized = Some(minutes::model::Finalized {
        by: "Ana Neves".into(),
        at: "2024-09-20T09:00:00+00:00".parse().unwrap(),
    });
    let mut h = Harness::new(meeting);
    let screen = h.screen(100, 30);
    assert!(screen.contains("FINAL · READ ONLY"), "{screen}");
    assert!(
        screen.contains("These minutes are final: read only. F9 amends them"),
        "{screen}"
    );
    h.keys("a quiet change<enter><f7><c-o>");
    let saved = h.saved();
    assert!(saved.notes.is_empty() && saved.parked.is_empty() && !saved.off_record);
    assert_eq!(typed(&h), "", "nothing is typed into final minutes");
    // Looking around is allowed and writes nothing, even at exit.
    h.keys("<c-n><c-n>");
    assert!(h.saved().agenda.iter().all(|i| i.visits.is_empty()));
    h.keys("<c-q>");
    h.session.finish().unwrap();
    let saved = h.saved();
    assert!(saved.agenda.iter().all(|i| i.visits.is_empty()));
    assert_eq!((saved.started_at, saved.ended_at), (Some(started), None));
    h.keys("<f9>");
    assert!(!h.screen(100, 30).contains("READ ONLY"));
    h.keys("a correction<enter>");
    let saved = h.saved();
    assert_eq!(saved.notes.len(), 1);
    assert_eq!(saved.amended.len(), 1);
    assert_eq!(saved.amended[0].by, "Ana Neves");
    let report = minutes::export::render(&saved, &minutes::export::Options::default()).unwrap();
    assert!(report.contains("Amended by Ana Neves on"), "{report}");
}

#[test]
fn approved_minutes_say_approved_and_read_only() {
    let mut meeting = wg_strategy();
    meeting.approved = Some(minutes::model::Approval {
        at: "2024-10-17T19:10:00+00:00".parse().unwrap(),
        by_meeting: "85th meeting of the WG".into(),
        decision: None,
    });
    let mut h = Harness::new(meeting);
    h.keys("x<enter>");
    assert!(h.screen(100, 30).contains("APPROVED · READ ONLY"));
    assert!(h.saved().notes.is_empty());
}

/// Opening an ended meeting to fix it never moves its times; F8 resumes
/// the call, and only then do they change.
#[test]
fn fixing_an_ended_meeting_keeps_its_times_and_f8_resumes_it() {
    let mut meeting = wg_strategy();
    let start: minutes::model::Instant = "2014-03-04T15:00:00+00:00".parse().unwrap();
    let end: minutes::model::Instant = "2014-03-04T16:00:00+00:00".parse().unwrap();
    meeting.started_at = Some(start);
    meeting.ended_at = Some(end);
    let first = meeting.agenda[0].id;
    meeting
        .item_mut(first)
        .unwrap()
        .visits
        .push(minutes::model::Visit {
            entered: start,
            left: Some(end),
        });
    let mut h = Harness::new(meeting.clone());
    let screen = h.screen(120, 30);
    assert!(
        screen.contains("This meeting ended at 16:00: fixing it leaves its times as they were; F8 resumes the call"),
        "{screen}"
    );
    h.keys("a fix<enter><c-n>another fix<enter><c-q>");
    let saved = h.saved();
    assert_eq!(saved.notes.len(), 2);
    assert_eq!((saved.started_at, saved.ended_at), (Some(start), Some(end)));
    // The notes added are kept within the meeting; when they were typed
    // is their commit time.
    assert!(
        saved
            .notes
            .iter()
            .all(|n| n.started_at == end && n.committed_at > end)
    );
    let visits: Vec<_> = saved.agenda.iter().map(|i| i.visits.clone()).collect();
    let before: Vec<_> = meeting.agenda.iter().map(|i| i.visits.clone()).collect();
    assert_eq!(visits, before, "no item's time changed");
    assert!(h.screen(100, 30).contains("lasted 1:00:00"));

    let mut h = Harness::new(meeting);
    h.keys("<f8>");
    assert_eq!(h.saved().ended_at, None);
    h.keys("more<enter><c-q>");
    let saved = h.saved();
    assert!(saved.ended_at.unwrap() > end, "a new end at quit");
}

/// Parked topics are parked once, and F2's Parked tab lists, renames and
/// removes them.
#[test]
fn parked_topics_are_listed_and_removable_in_the_setup() {
    let mut h = Harness::new(wg_strategy());
    h.keys("Budget for 2025<f7>Budget for 2025<f7>Travel<f7>");
    assert_eq!(h.saved().parked, ["Budget for 2025", "Travel"]);
    h.keys("<f2><tab><tab><tab>");
    let screen = h.screen(100, 30);
    assert!(screen.contains("Parked"), "{screen}");
    assert!(screen.contains("Budget for 2025"), "{screen}");
    assert!(screen.contains("Travel"), "{screen}");
    h.keys("<del>");
    assert_eq!(h.saved().parked, ["Travel"]);
    h.keys("<enter><c-u>Travel budget<enter>");
    assert_eq!(h.saved().parked, ["Travel budget"]);
    h.keys("aTravel budget<enter>");
    assert!(
        h.screen(100, 30)
            .contains("\"Travel budget\" is parked already")
    );
    h.keys("<c-u>Venue<enter>");
    assert_eq!(h.saved().parked, ["Travel budget", "Venue"]);
    h.keys("<del><del>");
    assert!(h.saved().parked.is_empty());
    assert!(
        h.screen(100, 30)
            .contains("Nothing parked for the next meeting: A parks a topic.")
    );
}

/// A meeting made for this session says "[New]" until its first note.
#[test]
fn a_new_file_says_new_until_the_first_note() {
    let mut h = Harness::new(wg_strategy());
    h.session.app.new_file = true;
    assert!(h.screen(100, 30).contains("[New]"));
    h.keys("first<enter>");
    assert!(!h.screen(100, 30).contains("[New]"));
}

/// The file to write to after a failed save takes the same cutting keys,
/// and none of them quits or writes.
#[test]
fn the_write_elsewhere_path_cuts_and_yanks_its_line() {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;
    let mut h = Harness::new(wg_strategy());
    h.session.fail_writes_when(Arc::new(AtomicBool::new(true)));
    h.keys("<a-1>precious<enter><c-q>w");
    assert_eq!(h.app().mode, minutes::app::InputMode::WritePath);
    h.keys("/tmp/some where/rescued.json<c-w>");
    assert_eq!(h.app().overlays.path_input, "/tmp/some ");
    h.keys("<c-y>");
    assert_eq!(h.app().overlays.path_input, "/tmp/some where/rescued.json");
    h.keys("<home><c-f><c-f><c-f><c-f><c-k>");
    assert_eq!(h.app().overlays.path_input, "/tmp");
    h.keys("<c-e>/x.json<c-a><a-f><a-f><c-d>");
    assert_eq!(h.app().overlays.path_input, "/tmp/xjson");
    h.keys("<end><c-u>");
    assert_eq!(h.app().overlays.path_input, "");
    assert_eq!(h.app().mode, minutes::app::InputMode::WritePath);
    assert!(!h.quit);
}
