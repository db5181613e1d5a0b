//! One grammar: a line typed live and the same line imported from a
//! scribe's log make the same notes (kind, text, speaker) and the same
//! attendance, for every command of the grammar's table and for speaker
//! lines, escapes and corrections. (A `...` continuation is the one
//! difference, by design: a log's goes on in the speaker's note, a live
//! one is a new note of the same speaker, with its own time.)

use crate::common::Harness;
use minutes::chatlog::import;
use minutes::model::grammar::COMMANDS;
use minutes::model::{Meeting, fold, report_text};

/// Notes after the opening two lines, as (kind, text, speakers), and
/// who is marked what: names folded, so that the log's nick `ana` and
/// the roster's `Ana` are one person.
fn outcome(meeting: &Meeting, skip: usize, speakers: bool) -> (Vec<String>, Vec<String>) {
    // In time order: an `i///` note is stored last, dated before its anchor.
    let mut in_order: Vec<&minutes::model::Note> = meeting.notes.iter().collect();
    in_order.sort_by_key(|n| (n.started_at, n.id));
    let notes = in_order
        .into_iter()
        .skip(skip)
        .map(|n| {
            let who: Vec<String> = n
                .speakers
                .iter()
                .map(|id| fold(meeting.short_name(id)))
                .collect();
            let who = if speakers {
                who.join("&")
            } else {
                String::new()
            };
            format!("{:?} {} {who}", n.kind, report_text(&n.text))
        })
        .collect();
    let mut marks: Vec<String> = meeting
        .participants
        .iter()
        .filter_map(|p| Some(format!("{}={:?}", fold(&p.short_name), p.attendance?)))
        .collect();
    marks.sort();
    (notes, marks)
}

fn imported(line: &str) -> Meeting {
    let log = format!(
        "<ana> scribe: ana\n<ana> present+ bo\n<ana> Topic: Opening\n<ana> bo: first point\n<ana> {line}\n"
    );
    let options = crate::common::import_options();
    import(log.as_bytes(), &options).unwrap().meeting
}

fn typed(line: &str, burst: bool) -> Meeting {
    let mut meeting = Meeting::new("WG", chrono_tz::Tz::UTC);
    meeting.note_taker = Some("ana".into());
    meeting.add_participant("ana");
    let mut h = Harness::new(meeting);
    // `<` starts a named key in scripts.
    let line = line.replace('<', "<lt>");
    h.play(
        // Alt+0: no one speaks after Bo, as a scribe's line without
        // `Name:` is nobody's in a log.
        &format!("present+ bo<enter>Topic: Opening<enter>bo: first point<enter><a-0>{line}<enter>"),
        burst,
    );
    h.saved()
}

#[test]
fn a_line_typed_live_does_what_it_does_in_a_log() {
    let mut lines: Vec<&str> = COMMANDS.iter().map(|entry| entry.example).collect();
    lines.extend([
        "bo: a second point",
        "\\Topic: a note, not a topic",
        "s/first/opening/",
        "i/first/inserted before/",
        "ACTION: bo to send the figures",
        "RESOLUTION: adopted",
        "present: ana, bo",
        "present- bo",
        "regrets: xiao",
        "a plain statement",
    ]);
    let mut differ = Vec::new();
    for line in lines {
        // MeetBot's #info and #idea are the writer's in a log and the
        // current speaker's live: their speakers are not compared.
        let speakers = !["#info", "#idea"].iter().any(|w| line.starts_with(w));
        let from_log = outcome(&imported(line), 1, speakers);
        for burst in [false, true] {
            let live = outcome(&typed(line, burst), 1, speakers);
            if live != from_log {
                differ.push(format!(
                    "{line:?} (burst: {burst}):\n  live {live:?}\n  log  {from_log:?}"
                ));
            }
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
