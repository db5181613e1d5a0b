//! Never lose a note: disk faults, a full disk, torn and damaged journals,
//! one writer, large pastes, wide characters.

mod common;

use common::{Harness, wg_strategy};
use minutes::app::{Action, App, Effect};
use minutes::store::{self, Record, Store, journal_path};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[test]
fn a_failing_disk_keeps_everything_and_recovers() {
    let mut h = Harness::new(wg_strategy());
    let disk_full = Arc::new(AtomicBool::new(false));
    h.session.fail_writes_when(disk_full.clone());
    h.keys("<a-1>first note<enter>");

    disk_full.store(true, Ordering::SeqCst);
    h.keys("<a-2>second note<enter>third note<enter>");
    let screen = h.screen(80, 24);
    assert!(screen.contains("NOT SAVED"), "red banner:\n{screen}");
    assert!(
        screen.contains("third note"),
        "notes stay on screen:\n{screen}"
    );
    assert_eq!(h.saved().notes.len(), 1, "the disk really refused");
    h.wait(1);
    assert!(
        h.screen(80, 24).contains("NOT SAVED"),
        "the banner stays while saves fail"
    );

    disk_full.store(false, Ordering::SeqCst);
    h.wait(1);
    assert!(
        !h.screen(80, 24).contains("NOT SAVED"),
        "the banner goes with the next good save"
    );
    let saved = h.saved();
    let texts: Vec<&str> = saved.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, ["first note", "second note", "third note"]);
    assert_eq!(saved, h.app().meeting);
}

#[test]
fn quitting_while_unsaved_asks_and_can_write_elsewhere() {
    let mut h = Harness::new(wg_strategy());
    let disk_full = Arc::new(AtomicBool::new(true));
    h.session.fail_writes_when(disk_full);
    h.keys("<a-1>precious<enter><c-q>");
    assert!(!h.quit, "does not quit while unsaved");
    let screen = h.screen(80, 24);
    assert!(
        screen.contains("Your latest changes are NOT saved."),
        "{screen}"
    );

    let elsewhere = h.path().with_file_name("rescued.json");
    h.keys("w");
    h.keys(elsewhere.to_str().unwrap());
    h.keys("<enter>");
    assert!(
        h.screen(100, 30).contains("Written to"),
        "{}",
        h.screen(100, 30)
    );
    let rescued = store::load(&elsewhere).unwrap();
    assert_eq!(rescued.notes[0].text, "precious");
    h.keys("q");
    assert!(h.quit);
}

/// A real full disk: a small tmpfs, where the machine lets us mount one.
#[test]
fn a_really_full_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(dir.path())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    }
    struct Unmount<'a>(&'a std::path::Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(dir.path());

    let path = dir.path().join("m.json");
    let store = Store::create(&path, &wg_strategy()).unwrap();
    let mut session = minutes::event_loop::Session::new(
        store,
        App::new(wg_strategy(), common::start_time()),
        minutes::theme::Theme::builtin(),
    );
    let type_note = |session: &mut minutes::event_loop::Session, text: &str| {
        for key in common::parse_keys(&format!("{text}<enter>")) {
            session.step(
                vec![crossterm::event::Event::Key(key)],
                common::start_time(),
            );
        }
    };
    type_note(&mut session, "before the disk filled");
    let filler = dir.path().join("filler");
    let _ = std::fs::write(&filler, vec![b'x'; 512 * 1024]); // fails part way: disk full
    // Longer than a page, so it cannot hide in the journal's last block.
    let long = "while the disk was full ".repeat(400);
    session.step(
        vec![crossterm::event::Event::Paste(long)],
        common::start_time(),
    );
    type_note(&mut session, "");
    assert!(
        session.app.status.save_error.is_some(),
        "the failure is seen"
    );
    std::fs::remove_file(&filler).unwrap();
    session.step(vec![], common::start_time());
    assert!(
        session.app.status.save_error.is_none(),
        "saved once there is room"
    );
    let saved = store::load(&path).unwrap();
    assert_eq!(saved.notes.len(), 2);
    assert_eq!(saved, session.app.meeting);
}

#[test]
fn a_torn_journal_tail_is_recovered_and_reported() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<a-1>one<enter>two<enter>three<enter>");
    let path = h.path();
    let meeting = h.app().meeting.clone();
    drop(h.session); // as if killed: no compaction
    let journal = journal_path(&path);
    let mut bytes = std::fs::read(&journal).unwrap();
    let complete = bytes.iter().filter(|b| **b == b'\n').count();
    // A fourth record cut off mid-write.
    let torn = serde_json::to_vec(&Record::Delete { id: 1 }).unwrap();
    bytes.extend_from_slice(&torn[..torn.len() / 2]);
    std::fs::write(&journal, &bytes).unwrap();

    let (_store, reopened, replay) = Store::open(&path).unwrap();
    assert_eq!(replay.records, complete);
    assert!(replay.torn_tail);
    assert_eq!(reopened, meeting, "every complete record is back");
    assert_eq!(
        std::fs::read(&journal).unwrap(),
        b"",
        "folded into the snapshot"
    );
    assert_eq!(store::load(&path).unwrap(), meeting);

    let mut app = App::new(reopened, common::start_time());
    app.recovered(&replay);
    assert_eq!(
        app.status.message.unwrap().0,
        format!(
            "Recovered {complete} changes from the journal (an unfinished last change was dropped)"
        )
    );
}

#[test]
fn a_damaged_journal_is_refused_and_left_as_it_is() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<a-1>one<enter>two<enter>");
    let path = h.path();
    drop(h.session);
    let journal = journal_path(&path);
    let mut bytes = std::fs::read(&journal).unwrap();
    bytes.splice(0..0, b"{\"op\": \"note\", \"garbage\n".iter().copied());
    std::fs::write(&journal, &bytes).unwrap();
    let snapshot = std::fs::read(&path).unwrap();

    let err = Store::open(&path).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "{}: line 1 of the journal is damaged",
            journal.display()
        )),
        "{err}"
    );
    assert_eq!(std::fs::read(&journal).unwrap(), bytes, "journal untouched");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        snapshot,
        "snapshot untouched"
    );
}

#[test]
fn bad_meeting_files_are_refused_with_the_reason_and_never_changed() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.json", b"", "the file is empty"),
        (
            "truncated.json",
            b"{\"format_version\": 1, \"title\": \"WG\", \"time_zone\": \"UT",
            "not valid JSON at line 1, column",
        ),
        (
            "prose.json",
            b"Minutes of the call",
            "not valid JSON at line 1, column 1",
        ),
        (
            "types.json",
            b"{\n\"format_version\": 1,\n\"title\": [],\n\"time_zone\": \"UTC\"}",
            "invalid meeting data at line 3, column",
        ),
        (
            "newer.json",
            b"{\"format_version\": 2}",
            "written in format version 2 by a newer minutes",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = Store::open(&path).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{}: ", path.display())) && err.contains(expected),
            "{name}: {err}"
        );
        assert_eq!(&std::fs::read(&path).unwrap(), bytes, "{name} changed");
    }
    let err = Store::open(dir.path()).unwrap_err().to_string();
    assert!(err.contains("is a folder"), "{err}");
    let err = Store::open(&dir.path().join("missing.json"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("no such file"), "{err}");
}

#[test]
fn one_writer_at_a_time() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<a-1>mine<enter>");
    let err = Store::open(&h.path()).unwrap_err().to_string();
    assert!(
        err.contains(&format!(
            "already open in another minutes (process {})",
            std::process::id()
        )),
        "{err}"
    );
    let path = h.path();
    drop(h.session);
    assert!(
        Store::open(&path).is_ok(),
        "free again once the first one is gone"
    );
}

#[test]
fn a_large_paste_is_one_edit_and_one_save() {
    let mut app = App::new(wg_strategy(), common::start_time());
    let text: String = "Résumé 会议 emoji 🎉 and a long line. "
        .chars()
        .cycle()
        .take(10_000)
        .collect();
    let effects = app.update(Action::Paste(text.clone()), common::start_time());
    let draft_saves = effects
        .iter()
        .filter(|e| **e == Effect::DraftChanged)
        .count();
    let persists = effects
        .iter()
        .filter(|e| matches!(e, Effect::Persist(minutes::app::Change::Note(_))))
        .count();
    assert_eq!((draft_saves, persists), (1, 0), "{effects:?}");
    assert_eq!(app.editor_text(), text);
    let effects = app.update(Action::Commit, common::start_time());
    assert_eq!(
        effects
            .iter()
            .filter(|e| matches!(e, Effect::Persist(minutes::app::Change::Note(_))))
            .count(),
        1
    );
    assert_eq!(app.meeting.notes[0].text, text.trim());
}

#[test]
fn wide_and_combining_characters_keep_the_panes_aligned() {
    let mut meeting = wg_strategy();
    meeting.add_participant("张晓明 (CNNIC)");
    meeting.add_participant("José Müller");
    let mut h = Harness::new(meeting);
    h.keys("<tab>张晓明<enter>会议的结论是：继续讨论 🎉🎉 e\u{301}te\u{301}<enter><tab>jose<enter>añadió que sí<enter>");
    for (width, height) in [(80u16, 24u16), (200, 60), (43, 15)] {
        let screen = h.screen(width, height);
        for row in screen.lines().filter(|r| r.ends_with('│')) {
            let columns = unicode_width::UnicodeWidthStr::width(row);
            assert_eq!(
                columns, width as usize,
                "row misaligned at {width}x{height}: {row:?}\n{screen}"
            );
        }
        assert!(screen.contains("张晓明"), "{screen}");
    }
}

#[cfg(unix)]
#[test]
fn every_file_of_a_meeting_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let mut h = Harness::new(wg_strategy());
    h.keys("<a-1>secret<enter>draft");
    let path = h.path();
    h.draft_on_disk();
    for file in [path.clone(), journal_path(&path), store::draft_path(&path)] {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
}

/// Two Ctrl+Z in one read of the terminal (SSH, mosh and tmux deliver
/// keys together): both restored notes reach the journal, each once.
#[test]
fn two_undos_in_one_burst_are_both_saved() {
    let mut h = Harness::new(wg_strategy());
    h.keys("first<enter>second<enter>third<enter>");
    // First the oldest note, then the newest: the second restore goes in
    // before the first, moving it.
    h.keys("<up><up><up><del><down><del><esc>");
    let texts: Vec<&str> = h
        .app()
        .meeting
        .notes
        .iter()
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(texts, ["second"]);
    h.burst("<c-z><c-z>");
    let texts: Vec<&str> = h
        .app()
        .meeting
        .notes
        .iter()
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(texts, ["first", "second", "third"]);
    // What a kill -9 now would leave: the snapshot and the journal.
    assert_eq!(h.saved(), h.app().meeting);
}
