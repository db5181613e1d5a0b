//! `minutes new --ics`: invites as three calendar apps write them (in
//! tests/fixtures/ics/), each a recurring series with an excluded date and
//! a moved meeting, and invites that cannot be used.

use minutes::cli::{NewArgs, Settings, create};
use minutes::model::Meeting;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ics")
        .join(name)
}

fn from_invite(name: &str, on: &str, tz: Option<&str>) -> Meeting {
    let dir = tempfile::tempdir().unwrap();
    let args = NewArgs {
        file: Some(dir.path().join("m.json")),
        ics: Some(fixture(name)),
        on: Some(on.parse().unwrap()),
        tz: tz.map(str::to_string),
        ..NewArgs::default()
    };
    let (_store, meeting) = create(&args, &Settings::default()).unwrap();
    assert_eq!(
        minutes::store::load(&dir.path().join("m.json")).unwrap(),
        meeting,
        "what is written is what was made"
    );
    meeting
}

fn agenda(meeting: &Meeting) -> Vec<(String, Option<u32>)> {
    meeting
        .agenda
        .iter()
        .map(|i| (i.title.clone(), i.planned_minutes))
        .collect()
}

fn names(meeting: &Meeting) -> Vec<&str> {
    meeting
        .participants
        .iter()
        .map(|p| p.name.as_str())
        .collect()
}

fn error_of(name: &str, on: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let args = NewArgs {
        file: Some(dir.path().join("m.json")),
        ics: Some(fixture(name)),
        on: Some(on.parse().unwrap()),
        ..NewArgs::default()
    };
    let error = create(&args, &Settings::default()).unwrap_err().to_string();
    assert!(!dir.path().join("m.json").exists(), "nothing is written");
    error
}

#[test]
fn a_google_invite_html_description_and_a_moved_meeting() {
    let m = from_invite("google.ics", "2026-12-09", None);
    assert_eq!(m.title, "TC39 Editors");
    assert_eq!(m.time_zone, chrono_tz::America::New_York);
    assert_eq!(
        m.scheduled_start.unwrap().to_rfc3339(),
        "2026-12-09T11:00:00-05:00"
    );
    assert_eq!(
        m.scheduled_end.unwrap().to_rfc3339(),
        "2026-12-09T12:00:00-05:00"
    );
    assert_eq!(
        agenda(&m),
        vec![
            ("Welcome & intros".to_string(), Some(5)),
            ("Temporal: open issues".to_string(), Some(30)),
            ("Decimal: next steps".to_string(), None),
        ]
    );
    // ROLE=CHAIR wins over the organizer; the room is no person; a name
    // folded across two lines is whole.
    assert_eq!(m.chair.as_deref(), Some("Ujjwal Sharma"));
    assert_eq!(names(&m), ["Rob Palmer", "Jörg Müller", "Ujjwal Sharma"]);
    assert_eq!(
        m.link.as_deref(),
        Some("https://meet.google.com/abc-defg-hij")
    );
    // The override moves the 16th to 14:00 for 90 minutes, renamed.
    let moved = from_invite("google.ics", "2026-12-16", None);
    assert_eq!(moved.title, "TC39 Editors (moved: plenary week)");
    assert_eq!(
        moved.scheduled_start.unwrap().to_rfc3339(),
        "2026-12-16T14:00:00-05:00"
    );
    assert_eq!(
        moved.scheduled_end.unwrap().to_rfc3339(),
        "2026-12-16T15:30:00-05:00"
    );
    assert_eq!(
        moved.agenda.len(),
        3,
        "the series' agenda where it says none"
    );
    // The 23rd is excluded.
    let error = error_of("google.ics", "2026-12-23");
    assert!(
        error.contains("does not take place on 2026-12-23") && error.contains("2026-12-30"),
        "{error}"
    );
}

#[test]
fn an_outlook_invite_windows_zone_and_html_alt_description() {
    let m = from_invite("outlook.ics", "2026-12-01", None);
    assert_eq!(m.title, "OCI Weekly Discussion");
    // "W. Europe Standard Time" is Europe/Berlin.
    assert_eq!(m.time_zone, chrono_tz::Europe::Berlin);
    assert_eq!(
        m.scheduled_start.unwrap().to_rfc3339(),
        "2026-12-01T16:00:00+01:00"
    );
    assert_eq!(
        agenda(&m),
        vec![
            ("Image spec: artifact type".to_string(), None),
            ("Distribution spec: referrers API".to_string(), Some(15)),
            ("AOB".to_string(), None),
        ]
    );
    assert_eq!(m.chair.as_deref(), Some("Weller, Anna"), "the organizer");
    assert_eq!(m.participants.len(), 3);
    assert!(
        m.link
            .as_deref()
            .unwrap()
            .starts_with("https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjU2"),
        "{:?}",
        m.link
    );
    let moved = from_invite("outlook.ics", "2026-12-29", None);
    assert_eq!(moved.title, "OCI Weekly Discussion (year-end, short)");
    assert_eq!(
        moved.scheduled_start.unwrap().to_rfc3339(),
        "2026-12-29T15:00:00+01:00"
    );
    assert_eq!(
        moved.scheduled_end.unwrap().to_rfc3339(),
        "2026-12-29T15:30:00+01:00"
    );
    let error = error_of("outlook.ics", "2026-12-15");
    assert!(error.contains("2026-12-29"), "{error}");
    // Every other Tuesday: the week between has no meeting.
    let error = error_of("outlook.ics", "2026-12-08");
    assert!(error.contains("does not take place"), "{error}");
}

#[test]
fn a_floating_invite_is_read_in_the_meetings_zone() {
    let m = from_invite("floating.ics", "2026-10-06", Some("Asia/Tokyo"));
    assert_eq!(m.time_zone, chrono_tz::Asia::Tokyo);
    assert_eq!(
        m.scheduled_start.unwrap().to_rfc3339(),
        "2026-10-06T15:00:00+09:00"
    );
    assert_eq!(
        m.scheduled_end.unwrap().to_rfc3339(),
        "2026-10-06T16:30:00+09:00"
    );
    assert_eq!(
        agenda(&m),
        vec![
            ("Charter renewal".to_string(), Some(20)),
            ("WCAG 3 status".to_string(), None),
            ("AOB".to_string(), None),
        ]
    );
    assert_eq!(m.chair.as_deref(), Some("Chris Buckridge"));
    assert_eq!(m.link.as_deref(), Some("https://meet.jit.si/agwg-monthly"));
    // Who declined sent regrets; the others are not marked yet.
    let attendance: Vec<_> = m
        .participants
        .iter()
        .map(|p| (p.name.as_str(), p.attendance))
        .collect();
    assert_eq!(
        attendance,
        [
            ("Ana Neves", None),
            ("Chris Buckridge", None),
            ("Xiao Zhang", Some(minutes::model::Attendance::Regrets))
        ]
    );
    // November's first Tuesday moved to the Wednesday, with its own agenda.
    let moved = from_invite("floating.ics", "2026-11-04", Some("Asia/Tokyo"));
    assert_eq!(moved.title, "Accessibility Guidelines WG (moved for TPAC)");
    assert_eq!(
        moved.scheduled_start.unwrap().to_rfc3339(),
        "2026-11-04T16:00:00+09:00"
    );
    assert_eq!(
        agenda(&moved),
        vec![
            ("TPAC follow-up".to_string(), None),
            ("AOB".to_string(), None)
        ]
    );
    let error = error_of("floating.ics", "2026-12-01");
    assert!(error.contains("2027-01-05"), "{error}");
}

#[test]
fn the_next_meeting_is_the_default_and_a_prep_file_has_the_last_word() {
    let dir = tempfile::tempdir().unwrap();
    let prep = dir.path().join("prep.md");
    std::fs::write(
        &prep,
        "# TC39 Editors\nNumber: 12\n\n## Agenda\n1. Only this (10 min)\n\n## Publish\nEmail: editors@example.org\nSMTP: smtp.example.org:587\n",
    )
    .unwrap();
    let args = NewArgs {
        file: Some(dir.path().join("m.json")),
        ics: Some(fixture("google.ics")),
        agenda: Some(prep),
        ..NewArgs::default()
    };
    let now = chrono::Utc::now();
    let (_store, m) = create(&args, &Settings::default()).unwrap();
    let start = m.scheduled_start.unwrap();
    // The meeting still on, or the next one: a Wednesday within a week.
    assert!(start + chrono::Duration::hours(2) > now, "{start}");
    assert!(start < now + chrono::Duration::days(15), "{start}");
    assert_eq!(
        m.in_zone(start).format("%A").to_string(),
        "Wednesday",
        "{start}"
    );
    assert_eq!(agenda(&m), vec![("Only this".to_string(), Some(10))]);
    assert_eq!(m.series_number, Some(12));
    assert_eq!(names(&m).len(), 3, "the invite's attendees");
    assert_eq!(m.publish.email, ["editors@example.org"]);
    assert_eq!(m.publish.smtp.as_deref(), Some("smtp.example.org:587"));
}

#[test]
fn bad_invites_say_the_file_and_line_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ics");
    std::fs::write(
        &bad,
        "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:1\nDTSTART;TZID=Nowhere/Special:20261204T100000\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_minutes"))
        .args(["new", "--ics"])
        .arg(&bad)
        .arg(dir.path().join("m.json"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}: line 5: DTSTART: TZID=\"Nowhere/Special\"",
            bad.display()
        )),
        "{stderr}"
    );
    assert!(!dir.path().join("m.json").exists());
    std::fs::write(&bad, "BEGIN:VCARD\nFN:Someone\nEND:VCARD\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_minutes"))
        .args(["new", "--ics"])
        .arg(&bad)
        .arg(dir.path().join("m.json"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not an iCalendar invite"), "{stderr}");
}
