//! The file format: what the app writes validates against the published
//! JSON Schema (docs/meeting.schema.json), and the loader agrees with it.

use crate::common::{Harness, wg_strategy};
use minutes::model::{Attendance, Mode, NextMeeting};
use serde_json::Value;

pub(crate) fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/meeting.schema.json"
    ))
    .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

pub(crate) fn assert_valid(validator: &jsonschema::Validator, file: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(file)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}\n{file:#}");
}

#[test]
fn every_field_the_app_writes_is_in_the_schema() {
    let mut meeting = wg_strategy();
    meeting.series_number = Some(84);
    meeting.mode = Mode::Hybrid;
    meeting.scheduled_start = Some("2024-09-26T14:00:00+00:00".parse().unwrap());
    meeting.chair = Some("Chris Buckridge".into());
    meeting.note_taker = Some("Ana Neves".into());
    meeting.recording = Some("a recording of the meeting is available upon request".into());
    meeting.next_meeting = Some(NextMeeting {
        at: "2024-10-17T19:00:00+00:00".parse().unwrap(),
        note: Some("Doc".into()),
        sentence: Some("We meet again on 17 October.".into()),
    });
    meeting.full_name = Some("IGF MAG Working Group on Strategy".into());
    meeting.short_name = Some("WG-Strategy".into());
    meeting.report = minutes::model::ReportStyle {
        no_attendance: true,
        no_agenda_numbers: true,
        date_format: Some("%-d %B %H:%M".into()),
        template: Some("house.md.j2".into()),
        transcript: true,
    };
    meeting.scribes = vec![minutes::model::ScribeShift {
        name: "Justin".into(),
        from: "2024-09-26T14:30:00+00:00".parse().unwrap(),
    }];
    meeting.finalized = Some(minutes::model::Finalized {
        by: "Ana Neves".into(),
        at: "2024-09-27T09:00:00+00:00".parse().unwrap(),
    });
    meeting.approved = Some(minutes::model::Approval {
        at: "2024-10-17T19:10:00+00:00".parse().unwrap(),
        by_meeting: "WG-Strategy (85th meeting)".into(),
        decision: Some("approved as circulated".into()),
    });
    meeting.parked = vec!["Budget for 2025".into()];
    meeting.queue = vec![minutes::model::QueueEntry {
        id: "chris-buckridge".into(),
        kind: minutes::model::QueueKind::Reply,
        topic: Some("the letter".into()),
        added_at: "2024-09-26T14:10:00+00:00".parse().unwrap(),
    }];
    meeting.queue_closed = true;
    meeting.queue_kept = true;
    meeting.scheduled_end = Some("2024-09-26T15:30:00+00:00".parse().unwrap());
    meeting.speaker_limit_minutes = Some(2);
    meeting.previous = Some(minutes::model::PreviousMeeting {
        file: "/home/ana/wg/83.json".into(),
        approval_item: 1,
        approval_recorded: true,
    });
    meeting.participants[1].attendance = Some(Attendance::Regrets);
    meeting.participants[2].speaker_number = Some(7);
    // Not with scheduled_start in a real file, but each must be valid.
    meeting.scheduled_date = chrono::NaiveDate::from_ymd_opt(2024, 9, 26);
    let mut h = Harness::new(meeting);
    // Final minutes: F9 amends them first (and writes `amended`).
    h.keys(
        "<f9><tab>chr<enter>shared that<enter><c-n><a-0>ACTION: @Titti send it due 2024-10-03<enter>",
    );
    h.keys("DECISION: yes<enter>https://example.org<enter><up><enter> more<enter>");
    h.keys("PROPOSED: no<enter>SUMMARY: we agreed<enter><c-o>aside<enter><c-q>");

    // On exit the journal is folded into the meeting file.
    h.session.finish().unwrap();
    let file: Value = serde_json::from_slice(&std::fs::read(h.path()).unwrap()).unwrap();
    let validator = schema();
    assert_valid(&validator, &file);
    let note = &file["notes"][1];
    for key in [
        "owner",
        "due",
        "kind",
        "speakers",
        "started_at",
        "committed_at",
    ] {
        assert!(note.get(key).is_some(), "{key} written: {note}");
    }
    assert!(file["notes"][3].get("edited_at").is_some());
    assert_eq!(file["participants"][2]["speaker_number"], 7);
    assert_eq!(file["amended"][0]["by"], "Ana Neves");
    assert_eq!(file["scheduled_date"], "2024-09-26");
    assert!(file["agenda"][0]["visits"][0].get("left").is_some());
    assert_eq!(file["time_zone"], "UTC");
    let started = file["started_at"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(started).is_ok(),
        "RFC 3339: {started}"
    );
}

#[test]
fn the_schema_refuses_what_the_loader_refuses() {
    let validator = schema();
    let minimal: Value = serde_json::json!({"format_version": 1, "title": "x", "time_zone": "UTC"});
    assert_valid(&validator, &minimal);
    assert!(minutes::store::parse(minimal.to_string().as_bytes()).is_ok());

    for bad in [
        serde_json::json!({"format_version": 1, "title": "x", "time_zone": "UTC", "surprise": 1}),
        serde_json::json!({"format_version": 1, "time_zone": "UTC"}),
        serde_json::json!({"format_version": 1, "title": "x", "time_zone": "UTC",
            "notes": [{"id": 1, "text": "t", "kind": "rant", "started_at": "2024-09-26T14:00:00Z", "committed_at": "2024-09-26T14:00:00Z"}]}),
    ] {
        assert!(!validator.is_valid(&bad), "schema accepts {bad}");
        assert!(
            minutes::store::parse(bad.to_string().as_bytes()).is_err(),
            "loader accepts {bad}"
        );
    }
}

#[test]
fn times_are_stored_with_the_meeting_zone_offset() {
    let mut meeting = wg_strategy();
    meeting.time_zone = chrono_tz::Europe::Paris;
    let mut h = Harness::new(meeting);
    h.keys("<a-1>bonjour<enter>");
    let note = &h.saved().notes[0];
    assert_eq!(note.started_at.to_rfc3339(), "2024-09-26T16:00:01+02:00");
    h.session.finish().unwrap();
    let file = std::fs::read_to_string(h.path()).unwrap();
    assert!(
        file.contains("\"started_at\": \"2024-09-26T16:00:01+02:00\""),
        "{file}"
    );
    assert!(
        h.screen(80, 24).contains("16:00 Chris bonjour"),
        "{}",
        h.screen(80, 24)
    );
}

#[test]
fn the_example_in_format_md_loads_and_validates() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/format.md")).unwrap();
    let json = doc
        .split("```json\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let value: Value = serde_json::from_str(json).unwrap();
    assert_valid(&schema(), &value);
    let meeting = minutes::store::parse(json.as_bytes()).unwrap();
    assert_eq!(meeting.notes[1].owner.as_deref(), Some("titti-cassa"));
}

/// The benchmarks' generated meetings are valid meetings: the schema takes
/// them, the loader reads them back, and their notes spread over the agenda.
#[test]
fn generated_meetings_are_valid_and_spread_over_the_agenda() {
    let m = crate::sample::meeting(1000);
    assert_eq!(m.notes.len(), 1000);
    assert_eq!(m.participants.len(), 100);
    assert_eq!(m.agenda.len(), 30);
    assert!(
        m.notes
            .iter()
            .all(|n| n.item.is_some_and(|i| (1..=30).contains(&i)))
    );
    assert_eq!(m.notes.last().and_then(|n| n.item), Some(30));
    let json = serde_json::to_vec(&m).unwrap();
    assert_eq!(minutes::store::parse(&json).unwrap(), m);
    assert_valid(&schema(), &serde_json::from_slice(&json).unwrap());
}

/// A version-1 file (the fixture) opens as it is and is written back as
/// version 2 with nothing changed but the version; export reads it
/// without writing.
#[test]
fn a_version_1_file_is_upgraded_when_saved() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/wg-strategy-84.json"
    );
    let original: Value = serde_json::from_slice(&std::fs::read(fixture).unwrap()).unwrap();
    assert_eq!(original["format_version"], 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.json");
    std::fs::copy(fixture, &path).unwrap();
    let before = minutes::store::load(&path).unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(fixture).unwrap(),
        "reading never writes"
    );
    let (mut store, meeting, _) = minutes::store::Store::open(&path).unwrap();
    assert_eq!(meeting, before);
    store.compact(&meeting).unwrap();
    drop(store);
    let mut upgraded: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(upgraded["format_version"], minutes::model::FORMAT_VERSION);
    assert_valid(&schema(), &upgraded);
    upgraded["format_version"] = 1.into();
    assert_eq!(upgraded, original, "nothing else changed");
}
