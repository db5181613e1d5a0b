//! Before and between calls: prep files, the next meeting of a series,
//! marking reviewed actions done, and the archive commands.

use minutes::cli::{NewArgs, Settings, create};
use minutes::model::{
    APPROVAL_OF_MINUTES, Attendance, Mode, NextMeeting, NoteKind, REVIEW_OF_ACTIONS,
};
use std::path::Path;
use std::process::Command;

#[test]
fn a_prep_file_sets_up_the_whole_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let prep = dir.path().join("prep.md");
    std::fs::write(
        &prep,
        "# WG Strategy\nNumber: 85\nDate: 2024-10-17\nTime: 19:00\nTime zone: Europe/Paris\nChair: Chris Buckridge\nNote-taker: Ana Neves\nMode: hybrid\n\n## Agenda\n1. Review of the letter (10 min)\n2. AoB\n\n## Participants\n- Chris Buckridge (RIPE NCC)\n- Xiao Zhang (CNNIC) [Xiao Zhang]\n",
    )
    .unwrap();
    let args = NewArgs {
        file: Some(dir.path().join("m.json")),
        agenda: Some(prep),
        ..NewArgs::default()
    };
    let (_store, meeting) = create(&args, &Settings::default()).unwrap();
    assert_eq!(meeting.title, "WG Strategy");
    assert_eq!(meeting.series_number, Some(85));
    assert_eq!(meeting.mode, Mode::Hybrid);
    assert_eq!(meeting.time_zone, chrono_tz::Europe::Paris);
    assert_eq!(
        meeting.scheduled_start.unwrap().to_rfc3339(),
        "2024-10-17T19:00:00+02:00"
    );
    assert_eq!(meeting.chair.as_deref(), Some("Chris Buckridge"));
    assert_eq!(meeting.note_taker.as_deref(), Some("Ana Neves"));
    assert_eq!(meeting.agenda[0].planned_minutes, Some(10));
    assert_eq!(meeting.participants[1].short_name, "Xiao Zhang");
    assert_eq!(
        minutes::store::load(&dir.path().join("m.json")).unwrap(),
        meeting
    );
}

#[test]
fn a_bad_prep_file_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let prep = dir.path().join("prep.md");
    std::fs::write(&prep, "# WG\nDate: next Thursday\n").unwrap();
    let args = NewArgs {
        file: Some(dir.path().join("m.json")),
        agenda: Some(prep.clone()),
        ..NewArgs::default()
    };
    let err = create(&args, &Settings::default()).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "{}: line 2: Date: \"next Thursday\" is not a date like 2024-09-26",
            prep.display()
        )
    );
    assert!(!dir.path().join("m.json").exists());
}

#[test]
fn the_next_meeting_of_a_series_carries_what_it_should() {
    let dir = tempfile::tempdir().unwrap();
    let previous = dir.path().join("84.json");
    let mut m84 = crate::common::wg_strategy();
    m84.series_number = Some(84);
    m84.mode = Mode::Virtual;
    m84.chair = Some("Chris Buckridge".into());
    m84.note_taker = Some("Ana Neves".into());
    m84.time_zone = chrono_tz::Europe::Paris;
    m84.next_meeting = Some(NextMeeting {
        at: "2024-10-17T19:00:00+00:00".parse().unwrap(),
        note: None,
        sentence: None,
    });
    m84.participants[0].attendance = Some(Attendance::Present);
    let mut h = crate::common::Harness::new(m84);
    h.keys("ACTION: @Titti circulate the letter due 2024-10-03<enter>ACTION: @Adam check the principles<enter>");
    h.keys("<up><c-d><esc>"); // Adam's is done already
    h.keys("DECISION: write a white paper<enter><c-q>");
    h.session.finish().unwrap();
    std::fs::copy(h.path(), &previous).unwrap();

    let args = NewArgs {
        file: Some(dir.path().join("85.json")),
        from: Some(previous.clone()),
        ..NewArgs::default()
    };
    let (_store, m85) = create(&args, &Settings::default()).unwrap();
    assert_eq!(
        m85.title,
        "MAG Working Group on IGF Strengthening and Strategy"
    );
    assert_eq!(m85.series_number, Some(85));
    assert_eq!(m85.mode, Mode::Virtual);
    assert_eq!(m85.chair.as_deref(), Some("Chris Buckridge"));
    assert_eq!(m85.note_taker.as_deref(), Some("Ana Neves"));
    assert_eq!(m85.time_zone, chrono_tz::Europe::Paris);
    assert_eq!(
        m85.scheduled_start.unwrap().to_rfc3339(),
        "2024-10-17T19:00:00+00:00"
    );
    assert_eq!(m85.participants.len(), 8);
    assert!(
        m85.participants.iter().all(|p| p.attendance.is_none()),
        "attendance starts afresh"
    );
    assert_eq!(m85.agenda.len(), 2);
    assert_eq!(m85.agenda[0].title, APPROVAL_OF_MINUTES);
    assert_eq!(m85.agenda[1].title, REVIEW_OF_ACTIONS);
    let link = m85
        .previous
        .clone()
        .expect("the previous meeting is linked");
    assert_eq!(
        Path::new(&link.file),
        previous.canonicalize().unwrap().as_path()
    );
    assert_eq!(link.approval_item, m85.agenda[0].id);
    assert_eq!(m85.notes.len(), 1, "only the open action");
    let carried = &m85.notes[0];
    assert_eq!(
        (carried.kind, carried.item, carried.done),
        (NoteKind::Action, Some(m85.agenda[1].id), false)
    );
    assert_eq!(carried.owner.as_deref(), Some("titti-cassa"));
    assert_eq!(
        carried.due.map(|d| d.to_string()).as_deref(),
        Some("2024-10-03")
    );
    assert!(m85.started_at.is_none() && m85.next_meeting.is_none());

    // The call approves the minutes of the last one: its file says so.
    let mut h = crate::common::Harness::new(m85);
    h.keys("DECISION: the minutes of 26 September are approved<enter>");
    let approved = minutes::store::load(&previous).unwrap().approved;
    let approved = approved
        .unwrap_or_else(|| panic!("the approval is in the previous file: {}", h.screen(80, 24)));
    assert!(
        approved.by_meeting.starts_with("85th meeting of the"),
        "{approved:?}"
    );
    assert_eq!(
        approved.decision.as_deref(),
        Some("the minutes of 26 September are approved")
    );
    assert!(h.saved().previous.unwrap().approval_recorded);
    assert!(
        h.screen(80, 24)
            .contains("Approval of the previous minutes recorded")
    );
    let old_report = minutes::export::render(
        &minutes::store::load(&previous).unwrap(),
        &Default::default(),
    )
    .unwrap();
    assert!(
        old_report.contains("*Approved at the 85th meeting of the"),
        "{old_report}"
    );

    // During the call the action is marked done.
    h.keys("<c-n><up><c-d>");
    assert!(h.saved().notes[0].done);
    let report = minutes::export::render(&h.saved(), &Default::default()).unwrap();
    assert!(report.contains("### 2. Review of action items"), "{report}");
    assert!(
        report.contains("**Action** (Titti, 3 October 2024) ✓ done: circulate the letter"),
        "{report}"
    );
    h.keys("<c-d>");
    assert!(!h.saved().notes[0].done, "Ctrl+D again opens it");
    h.keys("<esc>first words<enter><up><c-d>");
    assert!(h.screen(80, 24).contains("Only actions can be marked done"));
}

fn minutes(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_minutes"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn list_search_and_actions_across_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/wg-strategy-84.json"
    );
    std::fs::copy(fixture, dir.path().join("2024-09-26.json")).unwrap();
    let mut h = crate::common::Harness::new(crate::common::wg_strategy());
    h.keys("<a-3>shared that Désirée's point on WSIS stands<enter>ACTION: @Titti send the letter<enter><c-q>");
    h.session.finish().unwrap();
    std::fs::copy(h.path(), dir.path().join("2024-10-17.json")).unwrap();
    let d = dir.path().to_str().unwrap();

    let (ok, out, _) = minutes(&["list", "--dir", d]);
    assert!(ok);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[1].starts_with("2024-09-26 14:00  #84 IGF MAG Working Group")
            && lines[1].contains("(28 notes)"),
        "{out}"
    );

    let (ok, out, err) = minutes(&["search", "--dir", d, "desiree", "WSIS"]);
    assert!(ok);
    assert!(
        out.contains("Anriette: shared that Désirée's point on WSIS stands"),
        "{out}"
    );
    assert!(err.contains("1 note found in 2 meetings"), "{err}");
    // Each hit names its file; where it looked is said.
    assert!(out.contains("2024-10-17.json"), "{out}");
    assert!(err.contains(&format!("Looked in {d}.")), "{err}");
    let (ok, out, err) = minutes(&["search", "--dir", d, "nowhere-said"]);
    assert!(!ok && out.is_empty(), "no hit exits 1, as grep");
    assert!(err.contains("no note holds \"nowhere-said\""), "{err}");
    let (_, out, _) = minutes(&["search", "--dir", d, "ecosoc"]);
    assert!(
        out.contains("· 1. Pact of the Future/GDC")
            && out.contains(
                "Chris: noted that some technical community organizations are ECOSOC-accredited"
            ),
        "{out}"
    );

    let (ok, out, _) = minutes(&["actions", "--dir", d]);
    assert!(ok);
    assert_eq!(out.lines().next(), Some("Titti Cassa"), "{out}");
    assert!(
        out.contains("  - send the letter  [MAG Working Group on IGF Strengthening and Strategy"),
        "{out}"
    );

    let (ok, _, err) = minutes(&["list", "--dir", "/no/such/folder"]);
    assert!(
        !ok && err.contains("/no/such/folder: no such folder of meetings"),
        "{err}"
    );
}

/// Escape sequences pasted into a title, a name or a note (set the
/// clipboard, clear the screen, rename the window, a hidden link) are
/// printed as text by list, search and actions, never sent raw.
#[test]
fn stored_escape_sequences_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = [
        "\u{1b}]52;c;ZXZpbA==\u{7}",
        "\u{1b}[2J",
        "\u{1b}]8;;https://phish.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\",
        "\u{1b}]0;owned\u{7}",
        "\u{9b}31m",
    ]
    .concat();
    let mut meeting = crate::common::wg_strategy();
    meeting.title = format!("WG {hostile}");
    let mut h = crate::common::Harness::new(meeting);
    h.keys(&format!("<tab>Eve{hostile}<enter>"));
    h.paste(&format!("ACTION: @Eve find {hostile}"));
    h.keys("<enter><c-q>");
    h.session.finish().unwrap();
    std::fs::copy(h.path(), dir.path().join("m.json")).unwrap();
    let d = dir.path().to_str().unwrap();
    for args in [
        vec!["list", "--dir", d],
        vec!["search", "--dir", d, "find"],
        vec!["actions", "--dir", d],
    ] {
        let (ok, out, err) = minutes(&args);
        assert!(ok, "{args:?}: {err}");
        assert!(out.contains("^[]52;c;ZXZpbA==^G"), "{args:?}: {out}");
        for raw in ['\u{1b}', '\u{7}', '\u{9b}'] {
            assert!(!out.contains(raw), "{args:?} printed {raw:?}: {out:?}");
        }
    }
}

/// A meeting file that cannot be read (a FIFO, a broken link) is named on
/// stderr by list and search, not skipped without a word, and never hangs.
#[test]
fn unreadable_meeting_files_are_named_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.json");
    crate::common::mkfifo(&fifo);
    std::os::unix::fs::symlink("gone.json", dir.path().join("broken.json")).unwrap();
    let d = dir.path().to_str().unwrap();
    for args in [vec!["list", "--dir", d], vec!["search", "--dir", d, "x"]] {
        let (ok, _, err) = minutes(&args);
        // Search finds nothing: it fails, as grep does.
        assert_eq!(ok, args[0] == "list", "{err}");
        assert!(
            err.contains("fifo.json: cannot read it: is not a regular file"),
            "{err}"
        );
        assert!(err.contains("broken.json: no such file"), "{err}");
    }
}

/// Meetings saved in the current folder (as the guide does) are not in
/// the data folder: `list`, `search` and `actions` say where they looked
/// and how to look here. A meeting with a day but no time is listed with
/// its day alone.
#[test]
fn listings_say_where_they_looked_and_how_to_look_here() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(&config, format!("data_dir = \"{}\"\n", data.display())).unwrap();
    let here = dir.path().join("here");
    std::fs::create_dir(&here).unwrap();
    let mut planned = crate::common::wg_strategy();
    planned.scheduled_date = chrono::NaiveDate::from_ymd_opt(2024, 11, 5);
    minutes::store::save(&here.join("planned.json"), &planned).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_minutes"))
            .args(["--config", config.to_str().unwrap()])
            .args(args)
            .current_dir(&here)
            .output()
            .unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.success(), text(&out.stdout), text(&out.stderr))
    };
    for command in ["list", "actions"] {
        let (ok, _, err) = run(&[command]);
        assert!(ok, "{err}");
        assert!(
            err.contains(&format!(
                "Looked in {} (the data folder); --dir FOLDER looks in another.",
                data.display()
            )),
            "{err}"
        );
        assert!(
            err.contains(&format!(
                "This folder holds 1 meeting file: `minutes {command} --dir .` looks here."
            )),
            "{err}"
        );
    }
    let (ok, _, err) = run(&["search", "budget"]);
    assert!(!ok);
    assert!(
        err.contains("`minutes search WORDS --dir .` looks here"),
        "{err}"
    );
    let (ok, out, err) = run(&["list", "--dir", "."]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("2024-11-05        MAG Working Group"),
        "{out}"
    );
    assert!(!out.contains("00:00"), "{out}");
    assert!(err.contains("Looked in ."), "{err}");
    assert!(!err.contains("This folder holds"), "{err}");
}

/// Before the first meeting there is nothing to list, which is no error;
/// a folder named with --dir that does not exist is one.
#[test]
fn nothing_to_list_before_the_first_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let data = dir.path().join("not-yet");
    std::fs::write(&config, format!("data_dir = \"{}\"\n", data.display())).unwrap();
    let c = config.to_str().unwrap();
    for args in [
        vec!["--config", c, "list"],
        vec!["--config", c, "actions"],
        vec!["--config", c, "search", "x"],
    ] {
        let (ok, out, err) = minutes(&args);
        assert_eq!(ok, !args.contains(&"search"), "{args:?}: {err}");
        assert!(out.is_empty() && err.contains("No meetings yet"), "{err}");
    }
    let (ok, _, err) = minutes(&["list", "--dir", data.to_str().unwrap()]);
    assert!(!ok && err.contains("no such folder of meetings"), "{err}");
}
