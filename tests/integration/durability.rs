//! Never lose a note: disk faults, a full disk, torn and damaged journals,
//! one writer, large pastes, wide characters.

use crate::common::{Harness, wg_strategy};
use minutes::app::EditorAction;
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
        App::new(wg_strategy(), crate::common::start_time()),
        minutes::theme::Theme::builtin(),
    );
    let type_note = |session: &mut minutes::event_loop::Session, text: &str| {
        for key in crate::common::parse_keys(&format!("{text}<enter>")) {
            session.step(
                vec![crossterm::event::Event::Key(key)],
                crate::common::start_time(),
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
        crate::common::start_time(),
    );
    type_note(&mut session, "");
    assert!(
        session.app.status.save_error.is_some(),
        "the failure is seen"
    );
    std::fs::remove_file(&filler).unwrap();
    session.step(vec![], crate::common::start_time());
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

    let mut app = App::new(reopened, crate::common::start_time());
    app.recovered(&replay);
    assert_eq!(
        app.status.message.unwrap().text,
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
            "is text, not a meeting file",
        ),
        (
            "types.json",
            b"{\n\"format_version\": 1,\n\"title\": [],\n\"time_zone\": \"UTC\"}",
            "invalid meeting data at line 3, column",
        ),
        (
            "newer.json",
            b"{\"format_version\": 7}",
            "written in format version 7 by a newer minutes",
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
    let mut app = App::new(wg_strategy(), crate::common::start_time());
    let text: String = "Résumé 会议 emoji 🎉 and a long line. "
        .chars()
        .cycle()
        .take(10_000)
        .collect();
    let effects = app.update(Action::Paste(text.clone()), crate::common::start_time());
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
    let effects = app.update(
        Action::Editor(EditorAction::Commit),
        crate::common::start_time(),
    );
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
    let mode = |file: &std::path::Path| {
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    };
    // While the meeting is open.
    mode(&journal_path(&path));
    mode(&store::lock_path(&path));
    // At close (the journal folded in and gone).
    h.draft_on_disk();
    mode(&path);
    mode(&store::draft_path(&path));
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
    assert_eq!(crate::common::note_texts(&h), ["second"]);
    h.burst("<c-z><c-z>");
    assert_eq!(crate::common::note_texts(&h), ["first", "second", "third"]);
    // What a kill -9 now would leave: the snapshot and the journal.
    assert_eq!(h.saved(), h.app().meeting);
}

/// Links planted where the journal, lock or draft go are never followed:
/// the files they point at are left as they were.
#[test]
fn planted_symlinks_beside_a_meeting_are_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.json");
    drop(Store::create(&path, &wg_strategy()).unwrap());
    let _ = std::fs::remove_file(journal_path(&path));
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    for side in [journal_path(&path), store::lock_path(&path)] {
        std::os::unix::fs::symlink(&victim, &side).unwrap();
        let error = Store::open(&path).unwrap_err().to_string();
        assert!(error.starts_with(&side.display().to_string()), "{error}");
        assert!(error.contains("is a symbolic link"), "{error}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        std::fs::remove_file(&side).unwrap();
    }
    std::fs::write(&victim, r#"{"text": "not my draft"}"#).unwrap();
    std::os::unix::fs::symlink(&victim, store::draft_path(&path)).unwrap();
    assert_eq!(store::load_draft(&path), None);
}

/// A second name for an open meeting, symlink or hard link, cannot open a
/// second writer.
#[test]
fn a_second_writer_through_a_symlink_or_a_hard_link_is_refused() {
    let mut h = Harness::new(wg_strategy());
    h.keys("mine<enter>");
    let path = h.path();
    let alias = path.with_file_name("alias.json");
    std::os::unix::fs::symlink(&path, &alias).unwrap();
    let error = Store::open(&alias).unwrap_err().to_string();
    assert!(error.contains("already open in another minutes"), "{error}");
    let hard = path.with_file_name("hard.json");
    std::fs::hard_link(&path, &hard).unwrap();
    let error = Store::open(&hard).unwrap_err().to_string();
    assert!(error.contains("has 2 names (hard links)"), "{error}");
    assert!(!store::lock_path(&hard).exists());
    assert!(!journal_path(&alias).exists());
}

/// A sync tool renames its copy over the journal, or someone deletes the
/// meeting file: noticed at the next commit, the meeting written back
/// whole, the other version kept aside, nothing lost.
#[test]
fn a_replaced_or_removed_file_is_noticed_and_nothing_is_lost() {
    let mut h = Harness::new(wg_strategy());
    h.keys("first<enter>");
    let path = h.path();
    let journal = journal_path(&path);
    let other = path.with_file_name("synced-copy");
    std::fs::write(&other, "").unwrap();
    std::fs::rename(&other, &journal).unwrap();
    h.keys("second<enter>");
    assert!(
        h.screen(120, 30)
            .contains("replaced or removed by another program")
    );
    assert_eq!(h.saved(), h.app().meeting);
    assert_eq!(h.saved().notes.len(), 2);
    let aside = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .contains(".journal.replaced-")
        })
        .count();
    assert_eq!(aside, 1, "the other journal is kept");

    std::fs::remove_file(&path).unwrap();
    h.keys("third<enter>");
    assert_eq!(h.saved(), h.app().meeting);
    assert_eq!(h.saved().notes.len(), 3);
}

/// Opening what is no meeting file refuses at once, by name, and leaves
/// nothing behind: no lock file, no journal, the file as it was.
#[test]
fn refused_opens_leave_nothing_behind() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("adir");
    std::fs::create_dir(&folder).unwrap();
    let fifo = dir.path().join("fifo.json");
    crate::common::mkfifo(&fifo);
    let read_only = dir.path().join("ro.json");
    drop(Store::create(&read_only, &wg_strategy()).unwrap());
    std::fs::remove_file(journal_path(&read_only)).unwrap();
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&read_only).unwrap();
    let mut with_slash = folder.clone().into_os_string();
    with_slash.push("/");
    for (path, expected) in [
        (std::path::PathBuf::from(with_slash), "is a folder"),
        (dir.path().join("missing.json"), "no such file"),
        (fifo, "is not a regular file"),
        (read_only.clone(), "is read-only"),
    ] {
        let error = Store::open(&path).unwrap_err().to_string();
        assert!(error.contains(expected), "{}: {error}", path.display());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .chain(std::fs::read_dir(&folder).unwrap())
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".lock") || name.ends_with(".journal"))
            .collect();
        assert!(left.is_empty(), "{}: left {left:?}", path.display());
    }
    assert_eq!(std::fs::read(&read_only).unwrap(), before);
    let mode = std::fs::metadata(&read_only).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o444);
}

/// Temporary files a kill during a snapshot left are cleaned up when the
/// meeting is next closed; a closed meeting leaves no lock file.
#[test]
fn leftovers_of_a_kill_are_cleaned_at_the_next_close() {
    let mut h = Harness::new(wg_strategy());
    let path = h.path();
    let stale = path.with_file_name(".meeting.json.Ab12Cd");
    std::fs::write(&stale, "half a snapshot").unwrap();
    h.keys("a note<enter><c-q>");
    h.session.finish().unwrap();
    assert!(!stale.exists());
    drop(h.session);
    assert!(!store::lock_path(&path).exists());
}
