//! A whole small meeting driven by keys only, checked on disk and on screen.

use crate::common::{Harness, start_time, wg_strategy};
use chrono::Duration;
use minutes::model::NoteKind;

fn at(seconds: i64) -> String {
    (start_time() + Duration::seconds(seconds))
        .fixed_offset()
        .to_rfc3339()
}

#[test]
fn a_whole_meeting_from_the_keyboard() {
    let mut h = Harness::new(wg_strategy());

    // Speaker by picker (fuzzy), then the note. The note starts at the pick.
    h.keys("<tab>chr<enter>");
    let picked_at = h.now;
    h.keys("shared that the Pact had been agreed<enter>");
    let saved = h.saved();
    assert_eq!(saved.notes.len(), 1);
    let first = &saved.notes[0];
    assert_eq!(first.speakers, vec!["chris-buckridge"]);
    assert_eq!(first.item, Some(1));
    assert_eq!(first.started_at, picked_at.fixed_offset());
    assert!(
        first.committed_at > first.started_at,
        "committed at Enter, started at the pick"
    );
    assert_eq!(saved.started_at, Some(picked_at.fixed_offset()));

    // Alt+2 is Justin (second in the roster); a two-line note. With no pick
    // since the last note, this note starts at its first typed key.
    h.keys("<a-2>");
    let justin_picked = h.now;
    h.wait(30);
    h.keys("shared that the outcome was better.<a-enter>Challenges remain.<enter>");
    let justin = h.saved().notes[1].clone();
    assert_eq!(justin.speakers, vec!["justin-fair"]);
    assert_eq!(
        justin.text,
        "shared that the outcome was better.\nChallenges remain."
    );
    assert_eq!(
        justin.started_at,
        justin_picked.fixed_offset(),
        "Alt+digit is a pick too"
    );

    // A name nobody has: added to the roster and chosen.
    h.keys("<tab>Juan Fernández (LACNIC)<enter>recalled the role of IGF<enter>");
    let saved = h.saved();
    let juan = saved.participant("juan-fernandez").expect("Juan added");
    assert_eq!(juan.short_name, "Juan");
    assert_eq!(juan.affiliation.as_deref(), Some("LACNIC"));
    assert_eq!(saved.notes[2].speakers, vec!["juan-fernandez"]);

    // Agenda: next, previous, go to 3.
    h.keys("<c-n><tab>anr<enter>shared her concerns on the letter<enter>");
    assert_eq!(h.saved().notes[3].item, Some(2));
    h.keys("<c-p>");
    assert_eq!(h.app().current_item, Some(1));
    h.keys("<c-g>3<enter>");
    assert_eq!(h.app().current_item, Some(3));

    // Two speakers: Adam, then Isra beside him (Alt+Enter in the picker).
    h.keys("<tab>adam<enter><tab>isra<a-enter>agreed<enter>");
    let note = h.saved().notes[4].clone();
    assert_eq!(note.speakers, vec!["adam-peake", "isra-arab"]);
    assert_eq!(note.item, Some(3));

    // Edit the last note: keeps its start, records the edit.
    h.keys("<up><enter> strongly<enter>");
    let edited = h.saved().notes[4].clone();
    assert_eq!(edited.text, "agreed strongly");
    assert_eq!(edited.started_at, note.started_at);
    assert!(edited.edited_at.is_some());
    assert_eq!(h.saved().notes.len(), 5, "an edit adds no note");

    // Delete it, bring it back.
    h.keys("<up><del><esc>");
    assert_eq!(h.saved().notes.len(), 4);
    h.keys("<c-z>");
    assert_eq!(h.saved().notes.len(), 5);
    assert_eq!(h.saved().notes[4].text, "agreed strongly");

    // Alt+0: a note with no speaker; kinds from prefixes.
    h.keys("<a-0>ACTION: @Titti circulate the letter due 2024-10-03<enter>");
    h.keys("DECISION: send a white paper instead<enter>");
    h.keys("https://docs.google.com/document/d/1FuRD4Ed/edit<enter>");
    let saved = h.saved();
    let action = &saved.notes[5];
    assert!(action.speakers.is_empty());
    assert_eq!(action.kind, NoteKind::Action);
    assert_eq!(action.owner.as_deref(), Some("titti-cassa"));
    assert_eq!(
        action.due.map(|d| d.to_string()).as_deref(),
        Some("2024-10-03")
    );
    assert_eq!(saved.notes[6].kind, NoteKind::Decision);
    assert_eq!(saved.notes[7].kind, NoteKind::Link);

    // Quit: the end is stamped and every visit closed.
    h.keys("<c-q>");
    assert!(h.quit);
    let saved = h.saved();
    assert!(saved.ended_at.is_some());
    assert!(
        saved
            .agenda
            .iter()
            .all(|i| i.visits.iter().all(|v| v.left.is_some()))
    );
    assert_eq!(saved.agenda[0].visits.len(), 2, "item 1 was visited twice");
    assert_eq!(saved.agenda[3].visits.len(), 0, "item 4 never visited");
    assert_eq!(saved, h.app().meeting);
}

#[test]
fn the_screen_shows_the_current_item_notes_and_speaker() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<tab>chr<enter>shared that the Pact of Future and GDC had been agreed the past weekend<enter>");
    h.keys("<a-2>cautioned on the need to continue to be vigilant<enter>");
    h.keys("<a-0>ACTION: @Titti circulate the letter<enter>");
    h.keys("<a-3>");
    h.wait(60);
    h.keys("She added");
    let screen = h.screen(80, 24);
    insta::assert_snapshot!("main_80x24", screen);
    assert!(screen.contains("1. Pact of the Future/GDC"));
    assert!(screen.contains("14:00 Chris shared that the Pact"));
    assert!(screen.contains("Justin cautioned"));
    assert!(screen.contains("ACTION @Titti circulate the letter"));
    assert!(
        screen.contains("Anriette · since 14:0"),
        "editor names the speaker:\n{screen}"
    );
    assert!(screen.contains("She added"));
    assert!(screen.contains("F1 help"));
    assert!(screen.contains("Ctrl+Q quit"));

    let wide = h.screen(200, 60);
    insta::assert_snapshot!("main_200x60", wide);
    assert!(wide.contains("MAG Working Group on IGF Strengthening and Strategy · Thu 26 Sep 2024"));
}

#[test]
fn first_key_starts_the_note_when_no_speaker_was_picked() {
    let mut h = Harness::new(wg_strategy());
    h.keys("A");
    let first_key = h.now;
    h.wait(120);
    h.keys("nother note<enter>");
    let note = &h.saved().notes[0];
    assert_eq!(note.started_at, first_key.fixed_offset());
    assert_eq!(
        note.committed_at.to_rfc3339(),
        at((h.now - start_time()).num_seconds())
    );
}

#[test]
fn emptying_the_editor_resets_the_start_but_a_pick_survives() {
    let mut h = Harness::new(wg_strategy());
    h.keys("x<bs>");
    h.wait(50);
    h.keys("y");
    let typed = h.now;
    h.keys("<enter>");
    assert_eq!(h.saved().notes[0].started_at, typed.fixed_offset());

    h.keys("<a-1>");
    let picked = h.now;
    h.keys("z<bs>");
    h.wait(50);
    h.keys("w<enter>");
    assert_eq!(h.saved().notes[1].started_at, picked.fixed_offset());
}

#[test]
fn help_lists_the_keys_and_closes() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<f1>");
    let screen = h.screen(100, 50);
    for expected in [
        "Commit the note",
        "Pick the speaker",
        "Alt+1..9",
        "Ctrl+G",
        "Bring back the last deleted note",
    ] {
        assert!(
            screen.contains(expected),
            "help lacks {expected}:\n{screen}"
        );
    }
    insta::assert_snapshot!("help_100x50", screen);
    h.keys("<esc>");
    assert!(!h.screen(100, 50).contains("Pick the speaker"));
}

#[test]
fn goto_refuses_numbers_outside_the_agenda() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<c-g>9<enter>");
    assert_eq!(h.app().current_item, Some(1));
    assert!(
        h.screen(80, 24)
            .contains("No item 9: the agenda has items 1 to 6")
    );
}

#[test]
fn paste_is_one_edit_and_normalises_line_ends() {
    let mut h = Harness::new(wg_strategy());
    h.paste("first line\r\nsecond line\rthird");
    assert_eq!(h.app().editor_text(), "first line\nsecond line\nthird");
    h.keys("<enter>");
    assert_eq!(h.saved().notes[0].text, "first line\nsecond line\nthird");
}

#[test]
fn a_draft_is_kept_across_quit_and_restored() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<a-3>half a thought<c-q>");
    let draft = h.draft_on_disk().expect("draft saved at quit");
    assert_eq!(draft.text, "half a thought");
    assert_eq!(draft.speakers, vec!["anriette-esterhuysen"]);
    let mut app = minutes::app::App::new(h.saved(), h.now);
    app.restore_draft(draft);
    assert_eq!(app.editor_text(), "half a thought");
    assert_eq!(app.speakers, vec!["anriette-esterhuysen"]);
}

#[test]
fn tiny_and_odd_terminal_sizes_do_not_panic() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<tab>张晓明<enter>会议 emoji 🎉 and accents é<enter>typing");
    for (w, h2) in [(20, 5), (30, 8), (31, 9), (40, 12), (80, 24), (1, 1)] {
        let screen = h.screen(w, h2);
        assert!(!screen.is_empty());
    }
    assert_eq!(h.app().editor_text(), "typing");
}

/// The screens in docs/screens.md and the README come from these snapshots.
#[test]
fn screens_for_the_docs() {
    let mut h = Harness::new(wg_strategy());
    h.step = chrono::Duration::seconds(2);
    h.keys("<tab>chr<enter>shared that the Pact of Future and GDC had been agreed the past weekend and commended the work done by the WG Strategy on making submissions through MAG and LP.<enter>");
    h.keys("<a-2>shared that the outcome was much better than initially feared. There was a clear recognition that Internet governance should be multistakeholder.<a-enter>He cautioned on the need to continue to be vigilant.<enter>");
    h.keys("<tab>anr<enter>shared that the outcome is good and stressed the need to ensure WSIS supports IGF.<enter>");
    h.keys("https://www.un.org/sites/un2.un.org/files/sotf-the-pact-for-the-future.pdf<enter>");
    h.keys("<tab>gia<enter>shared that the level of IGF visibility in GDC was low, while WSIS had high visibility.<enter>");
    h.keys("<a-0>ACTION: @Chris share the Pact text with the MAG due 2024-10-03<enter>");
    h.keys("<tab>tim<enter>mentioned that the IGF secretariat and community needs to coordinate with UNDESA");
    insta::assert_snapshot!("docs_80x24", h.screen(80, 24));
    insta::assert_snapshot!("docs_200x60", h.screen(200, 60));
}

/// Stepping through the agenda in one burst (tmux send-keys, a fast
/// hand): the meeting reopens on the item it was left on.
#[test]
fn reopening_lands_on_the_item_left_in_a_burst() {
    let mut h = crate::common::Harness::new(crate::common::wg_strategy());
    h.keys("a note<enter>");
    h.burst("<c-g>4<enter><c-p><c-p><c-p>");
    assert_eq!(h.app().current_item, Some(1));
    h.keys("<c-q>");
    h.session.finish().unwrap();
    let reopened = minutes::app::App::new(h.saved(), crate::common::start_time());
    assert_eq!(reopened.current_item, Some(1));
}

/// At 80x24 the footer keeps the keys a new user finds the rest with.
#[test]
fn the_footer_at_80_columns_keeps_help_setup_export_and_quit() {
    let h = crate::common::Harness::new(crate::common::wg_strategy());
    let screen = h.screen(80, 24);
    let footer = screen.lines().last().unwrap();
    for hint in [
        "F1 help",
        "F2 setup",
        "F6 export",
        "Ctrl+Q quit",
        "Enter commit",
    ] {
        assert!(footer.contains(hint), "{hint:?} missing: {footer}");
    }
}

/// Habits from other programs: Ctrl+S says saving is automatic, Esc with
/// nothing open says what there is, PgUp/PgDn/Home/End walk the notes,
/// and F2 shows the file it all goes to.
#[test]
fn habits_from_other_programs_get_an_answer() {
    let mut h = crate::common::Harness::new(crate::common::wg_strategy());
    for n in 0..25 {
        h.keys(&format!("note {n}<enter>"));
    }
    h.keys("<c-s>");
    assert!(
        h.screen(120, 30).contains("Nothing to save by hand"),
        "{}",
        h.screen(120, 30)
    );
    h.keys("<esc>");
    assert!(
        h.screen(120, 30)
            .contains("Nothing to close: F1 lists every key, Ctrl+Q quits")
    );
    // PgUp from the editor: a page back from the newest.
    h.event(crossterm::event::Event::Key(
        crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::PageUp,
            crossterm::event::KeyModifiers::NONE,
        ),
    ));
    let selected = |h: &crate::common::Harness| {
        h.app()
            .selection
            .selected
            .map(|i| h.app().meeting.notes[i].text.clone())
    };
    assert_eq!(selected(&h).as_deref(), Some("note 14"));
    for (code, expected) in [
        (crossterm::event::KeyCode::Home, "note 0"),
        (crossterm::event::KeyCode::End, "note 24"),
    ] {
        h.event(crossterm::event::Event::Key(
            crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE),
        ));
        assert_eq!(selected(&h).as_deref(), Some(expected));
    }
    h.keys("<esc><f2>");
    let path = h.path().display().to_string();
    assert!(h.screen(200, 40).contains(&format!("Saved in {path}")));
}

/// Ctrl+F finds a note of another item by its words and its speaker, goes
/// there with it selected, and Enter edits it in place; a note typed after
/// Ctrl+G back goes where the scribe was. Keys one by one and in a burst.
#[test]
fn find_goes_to_a_note_of_another_item_and_edits_it() {
    let script = "<tab>chr<enter>the Pact had been agreed<enter>\
                  <a-2>the outcome was better<enter>\
                  <c-g>3<enter><tab>anr<enter>raised the letter<enter>\
                  <c-f>CHRIS pact<enter><enter> in May<enter>\
                  <c-g>3<enter>back on three<enter>";
    for burst in [false, true] {
        let mut h = Harness::new(wg_strategy());
        h.play(script, burst);
        let saved = h.saved();
        let texts: Vec<(&str, Option<u32>)> = saved
            .notes
            .iter()
            .map(|n| (n.text.as_str(), n.item))
            .collect();
        assert_eq!(
            texts,
            [
                ("the Pact had been agreed in May", Some(1)),
                ("the outcome was better", Some(1)),
                ("raised the letter", Some(3)),
                ("back on three", Some(3)),
            ],
            "burst: {burst}"
        );
        assert!(saved.notes[0].edited_at.is_some());
    }
}

/// What Ctrl+F finds is listed with its item and speaker; no hit says so.
#[test]
fn find_lists_hits_and_says_when_there_are_none() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<tab>chr<enter>the Pact had been agreed<enter><c-n><a-2>a pact too<enter>");
    h.keys("<c-f>pact");
    let screen = h.screen(100, 30);
    assert!(screen.contains("› pact▏  2 notes"), "{screen}");
    let newest = screen.find(" 2. ").expect("item 2's hit");
    let oldest = screen.find(" 1. ").expect("item 1's hit");
    assert!(newest < oldest, "newest first: {screen}");
    assert!(
        screen.contains("Chris: the Pact had been agreed"),
        "{screen}"
    );
    h.keys("zzz<enter>");
    let screen = h.screen(100, 30);
    assert!(screen.contains("No note has “pactzzz”"), "{screen}");
    h.keys("<esc>");
    assert_eq!(h.app().mode, minutes::app::InputMode::Typing);
    assert_eq!(h.saved().notes.len(), 2, "finding changes no note");
}

/// The smallest screens still show what was committed, and say whole what
/// to do when too small.
#[test]
fn small_screens_show_the_notes_or_say_to_enlarge() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<tab>chr<enter>the Pact had been agreed<enter>");
    let screen = h.screen(30, 12);
    assert!(screen.contains("14:00 Chris the Pact had"), "{screen}");
    assert!(screen.contains("1. "), "the item is named: {screen}");
    assert!(screen.contains("F1 help"), "{screen}");
    for (w, rows) in [(16, 4), (29, 11), (8, 2)] {
        let screen = h.screen(w, rows);
        let words = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains("oo small"), "{screen}");
        assert!(!screen.contains('…'), "nothing cut: {screen}");
    }
}

/// A short meeting typed in W3C scribe conventions: `Topic:` takes up an
/// item (or adds one), `present+`/`regrets+` mark people, `RESOLUTION:`
/// is a decision, `s/old/new/` corrects the latest note that has `old`
/// and a failing one says so and keeps the line. One key at a time and in
/// a burst.
#[test]
fn scribe_conventions_typed_live() {
    let script = "present+ Chris Buckridge, Jane Roe<enter>regrets+ Isra<enter>\
                  Topic: Budget review<enter><a-1>the budgett is tight<enter>\
                  ...and getting tighter<enter>\
                  RESOLUTION: adopt the budget<enter>s/budgett/budget/<enter>\
                  ACTION: @Chris send it<enter>anriette: agreed, with a caveat<enter>\
                  Budget: numbers due<enter>s/nothing-like-this/x/<enter>";
    for burst in [false, true] {
        let mut h = Harness::new(wg_strategy());
        let items_before = h.app().meeting.agenda.len();
        h.play(script, burst);
        let saved = h.saved();
        let texts: Vec<&str> = saved.notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "the budget is tight",
                "...and getting tighter",
                "RESOLUTION: adopt the budget",
                "ACTION: @Chris send it",
                "agreed, with a caveat",
                "Budget: numbers due",
            ],
            "burst: {burst}"
        );
        assert!(
            saved.notes[0].edited_at.is_some(),
            "the correction is an edit"
        );
        assert_eq!(saved.notes[2].kind, NoteKind::Decision);
        // "Name: text" picks someone on the roster, and they stay picked;
        // a word nobody is called stays in the note.
        assert_eq!(saved.notes[4].speakers, ["anriette-esterhuysen"]);
        assert_eq!(saved.notes[5].speakers, ["anriette-esterhuysen"]);
        assert!(saved.participant("budget").is_none());
        // The new item follows the one the meeting was on, and holds the notes.
        assert_eq!(saved.agenda.len(), items_before + 1);
        let topic = saved
            .agenda
            .iter()
            .find(|i| i.title == "Budget review")
            .unwrap();
        assert!(saved.notes.iter().all(|n| n.item == Some(topic.id)));
        let present = |id: &str| saved.participant(id).and_then(|p| p.attendance);
        use minutes::model::Attendance;
        assert_eq!(present("chris-buckridge"), Some(Attendance::Present));
        assert_eq!(present("anriette-esterhuysen"), Some(Attendance::Present));
        assert_eq!(present("jane-roe"), Some(Attendance::Present), "added");
        assert_eq!(present("isra-arab"), Some(Attendance::Regrets));
        // The failed correction is said, and kept to fix.
        let screen = h.screen(100, 30);
        assert!(
            screen.contains("No note has “nothing-like-this”"),
            "{screen}"
        );
        assert!(screen.contains("s/nothing-like-this/x/"), "{screen}");
        // Taking up an existing item by its title moves there, adds none.
        h.keys("<c-u><bs*40>Topic: budget REVIEW<enter>");
        assert_eq!(h.saved().agenda.len(), items_before + 1);
    }
}

/// More of the scribes' habits, typed: MeetBot's `#topic`, `PROPOSED:`
/// and `SUMMARY:` kinds, W3C's `ACTION: Name to …` owner, `s///g` over
/// every note, `i///` before a note, and `scribe+` handing over.
#[test]
fn more_scribe_conventions_typed_live() {
    let script = "#topic Letters<enter>draft one teh letter<enter>draft two teh memo<enter>\
                  s/teh/the/g<enter>i/draft two/chris: first a word<enter>\
                  PROPOSED: send both<enter>SUMMARY: both go out<enter>\
                  ACTION: Chris to send both due 2024-10-03<enter>scribe+ Justin<enter>";
    for burst in [false, true] {
        let mut start = wg_strategy();
        start.note_taker = Some("Ana Neves".into());
        let mut h = Harness::new(start);
        h.play(script, burst);
        let saved = h.saved();
        let mut notes: Vec<&minutes::model::Note> = saved.notes.iter().collect();
        notes.sort_by_key(|n| n.started_at);
        let texts: Vec<&str> = notes.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "draft one the letter",
                "chris: first a word",
                "draft two the memo",
                "PROPOSED: send both",
                "SUMMARY: both go out",
                "ACTION: Chris to send both due 2024-10-03",
            ],
            "burst: {burst}"
        );
        assert!(saved.agenda.iter().any(|i| i.title == "Letters"));
        assert_eq!(notes[3].kind, NoteKind::Proposal);
        assert_eq!(notes[4].kind, NoteKind::Summary);
        assert_eq!(notes[5].kind, NoteKind::Action);
        assert_eq!(notes[5].owner.as_deref(), Some("chris-buckridge"));
        assert_eq!(saved.scribes.len(), 1);
        assert_eq!(saved.scribes[0].name, "Justin Fair");
        let screen = h.screen(100, 30);
        assert!(screen.contains("Justin Fair takes the notes"), "{screen}");
        assert!(screen.contains("PROPOSED"), "{screen}");
    }
}

/// While the call runs, the status line counts what `minutes check` calls
/// errors, and F4 shows everything it finds where F3's pane goes.
#[test]
fn the_check_pane_lists_what_to_fix() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<tab>chr<enter>shared the plan<enter>ACTION: send the letter<enter>");
    h.wait(1);
    let screen = h.screen(100, 30);
    assert!(screen.contains("2 to fix (F4)"), "{screen}");
    h.keys("<f4>");
    let screen = h.screen(100, 30);
    assert!(screen.contains("Before sending (F4 hides)"), "{screen}");
    assert!(screen.contains("✗ item 1,"), "{screen}");
    assert!(screen.contains("action without"), "{screen}");
    assert!(
        screen.contains("! item 2: no notes"),
        "warnings follow: {screen}"
    );
    insta::assert_snapshot!("check_pane_100x30", screen);
    // Fixed by an edit, the count goes once the clock ticks.
    h.keys("<up><enter><c-u><bs*40>ACTION: @Chris send the letter due 2024-10-03<enter>");
    h.wait(1);
    let screen = h.screen(100, 30);
    assert!(!screen.contains("to fix (F4)"), "{screen}");
    assert!(!screen.contains("✗ "), "{screen}");
    // F3 takes the place; F4 again hides it.
    h.keys("<f3>");
    assert!(!h.screen(100, 30).contains("Before sending"));
    h.keys("<f4><f4>");
    assert!(!h.screen(100, 30).contains("Before sending"));
}

/// The notes pane never runs a name into the words: a capitalised
/// statement reads "Priya: Narrator is…", and an action whose text starts
/// with its owner does not repeat them ("ACTION Maximilian to…").
#[test]
fn the_notes_pane_keeps_names_apart_from_the_words() {
    let mut meeting = minutes::model::Meeting::new("WG", chrono_tz::Tz::UTC);
    meeting.add_agenda_item("One", None);
    for name in ["Priya Raman", "Maximilian Weber", "Chris Buckridge"] {
        meeting.add_participant(name);
    }
    let mut h = Harness::new(meeting);
    h.keys("<c-n><a-1>Narrator is out of scope<enter>");
    h.keys("<a-1>asked whether it is<enter>");
    h.keys("<a-2>ACTION: Maximilian to circulate the draft due 2024-10-01<enter>");
    h.keys("<a-3>ACTION: @Maximilian to book the room due 2024-10-01<enter>");
    h.keys("<a-3>ACTION: @Priya review it due 2024-10-01<enter>");
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("Priya: Narrator is out of scope"),
        "{screen}"
    );
    assert!(screen.contains("Priya asked whether it is"), "{screen}");
    assert!(
        screen.contains("ACTION Maximilian to circulate the draft"),
        "{screen}"
    );
    assert!(!screen.contains("Maximilian Maximilian"), "{screen}");
    assert!(
        screen.contains("ACTION @Maximilian · Chris to book the room"),
        "{screen}"
    );
    assert!(
        screen.contains("ACTION @Priya · Chris review it"),
        "{screen}"
    );
}
