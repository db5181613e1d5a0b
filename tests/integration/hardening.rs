//! What an attacker and a careless user tried (issue #21): text that
//! changes length when its case is mapped, commands typed off the record,
//! and, in bursts, random lines typed as queue, scribe and correction
//! commands.

use crate::common::{Harness, wg_strategy};
use minutes::export::{Format, Options, render};
use minutes::model::Meeting;
use proptest::prelude::*;

/// Everything a meeting says on the record: its reports, its open
/// actions, what `minutes check` finds, and what it carries to the next
/// meeting (agenda and actions to review).
fn outputs(meeting: &Meeting) -> Vec<String> {
    let mut out: Vec<String> = [Format::Markdown, Format::Html, Format::Text]
        .into_iter()
        .map(|format| {
            render(
                meeting,
                &Options {
                    format,
                    ..Options::default()
                },
            )
            .unwrap()
        })
        .collect();
    let archived = [minutes::archive::Archived {
        path: "m.json".into(),
        meeting: meeting.clone(),
    }];
    let actions = minutes::archive::open_actions(&archived);
    out.push(format!(
        "{:?}",
        actions
            .iter()
            .map(|(owner, list)| (owner, list.iter().map(|a| &a.text).collect::<Vec<_>>()))
            .collect::<Vec<_>>()
    ));
    out.push(format!("{:?}", minutes::check::check(meeting)));
    let next = meeting.next_in_series(meeting.notes[0].started_at);
    out.push(format!("{:?}", next.agenda));
    out.push(format!("{:?}", next.notes));
    out
}

/// Every command a scribe can type, typed during a stretch off the
/// record, leaves every output of the meeting as it was: what is typed
/// off the record is kept off it, and what would change the record is
/// refused with the line kept in the editor.
#[test]
fn nothing_typed_off_the_record_reaches_any_output() {
    let on_record = "<tab>chr<enter>the budget is fine<enter>\
                     ACTION: @Chris circulate the budget due 2024-10-03<enter>\
                     <tab>anr<enter>Anriette agreed<enter>";
    // Each line is committed, then whatever a refusal left in the editor
    // is cleared, so that the next line stands alone.
    let off_record = [
        "Topic: Xyzzy new item",
        "Topic: AoB",
        "present+ Isra Arab, Mallory Xyzzy",
        "regrets+ Titti Cassa",
        "scribe+ Mallory Xyzzy",
        "s/budget/xyzzy budget/",
        "s/fine/leaked/g",
        "i/the budget/inserted xyzzy/",
        "ACTION: @Mallory Xyzzy leak the xyzzy due 2024-10-09",
        "RESOLUTION: xyzzy resolution",
        "Adam Peake: a xyzzy by a prefix",
        "q+ Mallory Xyzzy to the xyzzy",
        "ack Mallory Xyzzy",
        "just a xyzzy note",
        "https://xyzzy.example.org/doc",
        "#topic Another xyzzy",
    ];
    for burst in [false, true] {
        let mut h = Harness::new(wg_strategy());
        h.play(on_record, burst);
        let before = outputs(&h.saved());
        let mut script = String::from("<c-o>");
        for line in off_record {
            script.push_str(line);
            script.push_str("<enter><bs*80>");
        }
        // Parking the item, and the title typed; Alt+digits and the
        // picker pick speakers; Ctrl+T gives the floor.
        script
            .push_str("<f7>a xyzzy to park<f7><bs*40><a-3><tab>giac<enter>said by Giacomo<enter>");
        script.push_str("q+ Isra Arab<enter><c-t>more<enter><c-n>in the next item<enter>");
        script.push_str("<c-o>");
        h.play(&script, burst);
        let saved = h.saved();
        assert!(!saved.off_record, "burst: {burst}");
        assert!(
            saved.notes.iter().filter(|n| n.off_record).count() >= 8,
            "the notes are kept, off the record: {:?}",
            saved.notes
        );
        let after = outputs(&saved);
        for (before, after) in before.iter().zip(&after) {
            assert!(
                !after.to_lowercase().contains("xyzzy"),
                "burst: {burst}: {after}"
            );
            assert_eq!(before, after, "burst: {burst}");
        }
        let archived = [minutes::archive::Archived {
            path: "m.json".into(),
            meeting: saved.clone(),
        }];
        let hits = minutes::archive::search(&archived, "xyzzy");
        assert!(!hits.is_empty() && hits.iter().all(|h| h.off_record));
    }
}

/// A refused command keeps its line, and once back on the record the
/// same Enter carries it out.
#[test]
fn a_refused_command_is_kept_to_commit_on_the_record() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<tab>chr<enter>opening<enter><c-o>present+ Isra Arab<enter>");
    assert_eq!(h.app().editor_text(), "present+ Isra Arab");
    let screen = h.screen(100, 30);
    assert!(screen.contains("Off the record"), "{screen}");
    h.keys("<c-o><enter>");
    assert_eq!(h.app().editor_text(), "");
    let isra = h.saved();
    let isra = isra.find_participant_by_name("Isra Arab").unwrap();
    assert_eq!(isra.attendance, Some(minutes::model::Attendance::Present));
}

/// Queue commands with names whose case mapping changes their length
/// (Turkish İ, German ẞ, Greek ΐ, the ligature ﬁ) never panic, and
/// the names come out whole.
#[test]
fn names_that_change_length_in_lower_case_queue_whole() {
    for burst in [false, true] {
        let mut h = Harness::new(wg_strategy());
        h.play(
            "q+ İsmail İnce ?<enter>q+ İlkay to Éric's point<enter>zakim, q+ ẞeta REPLY<enter>q+ ﬁona !<enter>",
            burst,
        );
        let saved = h.saved();
        let queued: Vec<&str> = saved
            .queue
            .iter()
            .map(|e| saved.participant(&e.id).unwrap().name.as_str())
            .collect();
        assert_eq!(queued, ["ﬁona", "İsmail İnce", "ẞeta", "İlkay"]);
        assert_eq!(saved.queue[3].topic.as_deref(), Some("Éric's point"));
    }
}

/// Characters whose case mapping changes their length, and others.
fn awkward_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("İ".to_string()),
        Just("ẞ".to_string()),
        Just("ΐ".to_string()),
        Just("ﬁ".to_string()),
        Just("e\u{301}".to_string()),
        Just(" to ".to_string()),
        Just("?".to_string()),
        Just("!".to_string()),
        Just("/".to_string()),
        Just("|".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just(" ".to_string()),
        "[a-zA-Z]{1,3}",
        "\\PC{1,2}",
    ];
    prop::collection::vec(piece, 0..8).prop_map(|parts| parts.concat())
}

/// A command word (as scribes type them) before the random text.
fn command_line() -> impl Strategy<Value = String> {
    let command = prop_oneof![
        Just("q+ "),
        Just("Q+ "),
        Just("zakim, q+ "),
        Just("ZAKİM, q+ "),
        Just("q- "),
        Just("ack "),
        Just("q up "),
        Just("q down "),
        Just("Topic: "),
        Just("#topic "),
        Just("present+ "),
        Just("regrets+ "),
        Just("scribe+ "),
        Just("s/"),
        Just("s|"),
        Just("i/"),
        Just("ACTION: @"),
        Just("ACTION: "),
        Just("RESOLUTION: "),
        Just(""),
    ];
    (command, awkward_text(), awkward_text()).prop_map(|(command, a, b)| format!("{command}{a}{b}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The app never panics on random lines typed as queue, scribe and
    /// correction commands, key by key or in bursts, on or off the record.
    #[test]
    fn random_command_lines_never_panic(
        lines in prop::collection::vec(command_line(), 1..12),
        sizes in prop::collection::vec(1usize..40, 1..4),
        off_record in any::<bool>(),
    ) {
        let mut h = Harness::new(wg_strategy());
        if off_record {
            h.keys("<c-o>");
        }
        let mut script = String::new();
        for line in &lines {
            // `<` starts a named key in scripts.
            script.push_str(&line.replace('<', "«"));
            script.push_str("<enter><bs*60>");
        }
        h.keys_in_bursts(&script, &sizes);
        let saved = h.saved();
        prop_assert_eq!(&saved.notes, &h.app().meeting.notes);
    }
}

fn minutes(args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_minutes"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A meeting opened by a symlink name is its target, for every command:
/// its journal is read, and a report never replaces its journal or lock.
/// Nor does a report replace another meeting (without --force) or any
/// meeting's side file.
#[test]
fn a_meeting_is_one_meeting_whatever_name_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m.json");
    // A crash left three notes in the journal.
    let mut h = Harness::new(wg_strategy());
    h.keys("<tab>chr<enter>first<enter>second<enter>third<enter>");
    let saved_dir = h.path();
    std::fs::copy(&saved_dir, &m).unwrap();
    std::fs::copy(
        minutes::store::journal_path(&saved_dir),
        minutes::store::journal_path(&m),
    )
    .unwrap();
    let journal = std::fs::read(minutes::store::journal_path(&m)).unwrap();
    assert!(!journal.is_empty());
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink("m.json", &link).unwrap();
    let link = link.to_str().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();

    // The link reads the target's journal: the report has every note.
    let (ok, stderr) = minutes(&["export", link, "-o", &path("r.txt"), "--format", "text"]);
    assert!(ok, "{stderr}");
    let report = std::fs::read_to_string(dir.path().join("r.txt")).unwrap();
    assert!(report.contains("third"), "{report}");
    let (_, stderr) = minutes(&["check", link]);
    assert!(!stderr.contains("no notes for “Pact"), "{stderr}");

    // Through the link, the target's side files are refused.
    for side in ["m.json.journal", "m.json.lock", "m.json.draft"] {
        let (ok, stderr) = minutes(&["export", link, "-o", &path(side), "--format", "text"]);
        assert!(!ok, "{side}: {stderr}");
        assert!(stderr.contains("refusing to write over"), "{stderr}");
    }
    assert_eq!(
        std::fs::read(minutes::store::journal_path(&m)).unwrap(),
        journal,
        "the journal is untouched"
    );

    // Another meeting, and another meeting's side files.
    let other = dir.path().join("other.json");
    std::fs::copy(&m, &other).unwrap();
    let other_before = std::fs::read(&other).unwrap();
    let (ok, stderr) = minutes(&[
        "export",
        link,
        "-o",
        other.to_str().unwrap(),
        "--format",
        "text",
    ]);
    assert!(!ok);
    assert!(stderr.contains("is a meeting file"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read(&other).unwrap(), other_before);
    for side in ["other.json.lock", "other.json.journal", "other.json.draft"] {
        let (ok, stderr) = minutes(&[
            "export",
            link,
            "-o",
            &path(side),
            "--format",
            "text",
            "--force",
        ]);
        assert!(!ok, "{side}");
        assert!(stderr.contains("meeting's"), "{stderr}");
        assert!(!dir.path().join(side).exists(), "{side} not made");
    }
    // --force replaces a meeting file the user means to replace.
    let (ok, stderr) = minutes(&[
        "export",
        link,
        "-o",
        other.to_str().unwrap(),
        "--format",
        "text",
        "--force",
    ]);
    assert!(ok, "{stderr}");
    assert!(std::fs::read_to_string(&other).unwrap().contains("third"));
}

/// Runs the binary, killing it if it has not finished in 20 seconds (a
/// hang is a failure, not a stuck test run).
fn minutes_in(dir: &std::path::Path, args: &[&str]) -> (bool, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_minutes"))
        .current_dir(dir)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            return (status.success(), stderr);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("minutes {args:?} hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A meeting naming a template that is a FIFO, a device or a runaway
/// loop: the export says so at once and leaves nothing behind; in the
/// app, Ctrl+E never holds up the next note. An agenda that is a FIFO is
/// refused, not waited on.
#[test]
fn templates_and_agendas_the_app_reads_on_its_own_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let mut meeting = wg_strategy();
    meeting.report.template = Some("house.md.j2".into());
    let file = dir.path().join("m.json");
    std::fs::write(&file, serde_json::to_string(&meeting).unwrap()).unwrap();
    let house = dir.path().join("house.md.j2");

    crate::common::mkfifo(&house);
    let (ok, stderr) = minutes_in(dir.path(), &["export", "m.json"]);
    assert!(!ok);
    assert!(
        stderr.contains("house.md.j2") && stderr.contains("not a regular file"),
        "{stderr}"
    );

    std::fs::remove_file(&house).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &house).unwrap();
    let (ok, stderr) = minutes_in(dir.path(), &["export", "m.json"]);
    assert!(!ok);
    assert!(stderr.contains("not a regular file"), "{stderr}");

    std::fs::remove_file(&house).unwrap();
    std::fs::write(
        &house,
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    )
    .unwrap();
    // A temporary file a killed export left, which nothing holds.
    std::fs::write(dir.path().join(".minutes-output-Ab12Cd"), "half a report").unwrap();
    let (ok, stderr) = minutes_in(dir.path(), &["export", "m.json"]);
    assert!(!ok);
    assert!(stderr.contains("ran far longer"), "{stderr}");
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["house.md.j2", "m.json"],
        "no report, no temporary file"
    );

    // A template that writes without end meets the output limit first.
    std::fs::write(
        &house,
        "{% for i in range(100000) %}{{ 'x' * 10000000 }}{% endfor %}",
    )
    .unwrap();
    let (ok, stderr) = minutes_in(dir.path(), &["export", "m.json"]);
    assert!(!ok);
    assert!(stderr.contains("grew far past"), "{stderr}");

    let agenda = dir.path().join("agenda.fifo");
    crate::common::mkfifo(&agenda);
    let (ok, stderr) = minutes_in(dir.path(), &["new", "n.json", "--agenda", "agenda.fifo"]);
    assert!(!ok);
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

/// In the app, Ctrl+E with a template that is a FIFO says so, and the
/// next note is committed as ever.
#[test]
fn ctrl_e_with_a_fifo_template_never_stops_the_notes() {
    let mut meeting = wg_strategy();
    meeting.report.template = Some("house.md.j2".into());
    let mut h = Harness::new(meeting);
    crate::common::mkfifo(&h.path().with_file_name("house.md.j2"));
    h.keys("<f6>");
    h.session.wait_for_export();
    let screen = h.screen(200, 30);
    assert!(screen.contains("not a regular file"), "{screen}");
    h.keys("<tab>chr<enter>after the export<enter>");
    assert_eq!(h.saved().notes.len(), 1);
}

/// Whatever a file, its name or a log says reaches standard error with
/// its control characters shown, never sent: an error quoting a bad
/// value, a file name in an error, a skipped file in `list`.
#[test]
fn escape_sequences_never_reach_standard_error() {
    let dir = tempfile::tempdir().unwrap();
    let osc = "\u{1b}]0;owned\u{7}";
    let bad_zone = dir.path().join("zone.json");
    // Escaped in the JSON, as a JSON writer writes them.
    let zone =
        serde_json::json!({"format_version": 4, "title": "x", "time_zone": format!("Mars/{osc}")});
    std::fs::write(&bad_zone, zone.to_string()).unwrap();
    let bad_kind = dir.path().join("kind.json");
    let kind = serde_json::json!({
        "format_version": 4, "title": "x", "time_zone": "UTC",
        "notes": [{"id": 1, "text": "t", "kind": osc,
                   "started_at": "2024-09-26T14:00:00Z", "committed_at": "2024-09-26T14:00:00Z"}]
    });
    std::fs::write(&bad_kind, kind.to_string()).unwrap();
    let named = dir.path().join(format!("{osc}.json"));
    std::fs::write(&named, "not json").unwrap();
    let dir_arg = dir.path().to_str().unwrap();
    for args in [
        vec!["check", bad_zone.to_str().unwrap()],
        vec!["export", bad_kind.to_str().unwrap(), "-o", "-"],
        vec!["check", named.to_str().unwrap()],
        vec!["list", "--dir", dir_arg],
        vec!["search", "x", "--dir", dir_arg],
    ] {
        let (_, stderr) = minutes(&args);
        assert!(
            !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
            "{args:?}: {stderr:?}"
        );
        assert!(stderr.contains("^[]0;owned^G"), "{args:?}: {stderr:?}");
    }
}

/// A meeting file whose `previous.file` names an unrelated meeting
/// (edited by hand, or crafted) never stamps "approved" into it; and an
/// approved meeting's report no longer says DRAFT.
#[test]
fn an_approval_reaches_only_the_meeting_this_one_follows() {
    let dir = tempfile::tempdir().unwrap();
    let mut unrelated = Meeting::new("Board of something else", chrono_tz::Tz::UTC);
    unrelated.add_agenda_item("Budget", None);
    let target = dir.path().join("unrelated.json");
    minutes::store::Store::create(&target, &unrelated).unwrap();
    let before = std::fs::read(&target).unwrap();
    let mut meeting = wg_strategy();
    meeting.previous = Some(minutes::model::PreviousMeeting {
        file: target.display().to_string(),
        approval_item: meeting.agenda[0].id,
        approval_recorded: false,
    });
    let mut h = Harness::new(meeting);
    h.keys("DECISION: the minutes are approved<enter>");
    assert_eq!(std::fs::read(&target).unwrap(), before, "left as it was");
    let screen = h.screen(200, 30);
    assert!(
        screen.contains("not the meeting this one follows"),
        "{screen}"
    );

    let mut approved = wg_strategy();
    approved.approved = Some(minutes::model::Approval {
        at: approved.local(crate::common::start_time()),
        by_meeting: "85th meeting of the WG".into(),
        decision: None,
    });
    let text = render(&approved, &Options::default()).unwrap();
    assert!(!text.contains("DRAFT"), "{text}");
}

/// Someone who sent regrets and then said something is listed once,
/// under Regrets (`check` flags the contradiction), never also Present.
#[test]
fn regrets_who_spoke_are_listed_once() {
    let imported = minutes::chatlog::import(
        b"<ivan> scribe: ivan\n<ivan> present+ ivan\n<ivan> regrets+ dauwhe\n<ivan> Topic: Opening\n<dauwhe> Romain!\n",
        &crate::common::import_options(),
    )
    .unwrap();
    let text = render(
        &imported.meeting,
        &Options {
            format: Format::Text,
            ..Options::default()
        },
    )
    .unwrap();
    let present = text
        .lines()
        .find(|l| l.starts_with("Present"))
        .unwrap_or("");
    assert!(!present.contains("dauwhe"), "{text}");
    assert!(text.contains("dauwhe"), "listed under regrets: {text}");
}
