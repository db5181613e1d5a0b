use super::*;
use crate::model::grammar::speaker as speaker_line;
use crate::model::strip_kind_prefix;
use crate::model::{Attendance, NoteKind};

fn options() -> Options {
    Options {
        title: None,
        clock_zone: Tz::UTC,
        time_zone: Tz::UTC,
        date: None,
        scribe: None,
        keep_chat: false,
        rrsagent_in_utc: false,
        report: Default::default(),
        today: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        fallback_title: "log".into(),
    }
}

fn read(log: &str) -> Imported {
    import(log.as_bytes(), &options()).unwrap()
}

/// Each note as `speaker: text` (or just the text), in order.
fn notes(m: &Meeting) -> Vec<String> {
    m.notes
        .iter()
        .map(|n| match n.speakers.first() {
            Some(id) => format!("{}: {}", m.short_name(id), n.text),
            None => n.text.clone(),
        })
        .collect()
}

fn titles(m: &Meeting) -> Vec<&str> {
    m.agenda.iter().map(|i| i.title.as_str()).collect()
}

fn present(m: &Meeting) -> Vec<&str> {
    m.participants
        .iter()
        .filter(|p| p.attendance == Some(Attendance::Present))
        .map(|p| p.name.as_str())
        .collect()
}

const W3C: &str = "\
10:00:01 <RRSAgent> logging to https://www.w3.org/2024/09/26-wg-irc
10:00:02 <chair> Meeting: Strategy WG
10:00:03 <chair> Chair: Ana
10:00:04 <chris> scribe+
10:00:05 <chris> present+ Ana, Chris, Xiao
10:00:06 <chris> regrets+ Bo
10:00:07 <chris> Topic: Budget
10:00:08 <chris> ana: we are over by 10%
10:00:09 <chris> ... mostly travel
10:00:10 <xiao> q+
10:00:11 <chair> ack xiao
10:00:12 <chris> xiao: travel is booked
10:00:13 <xiao> I disagree with the figure
10:00:14 <chris> ACTION: ana to send the figures
10:00:15 <chris> ... by Friday
10:00:16 <chris> RESOLUTION: cut travel by half
10:00:17 <chris> s/half/a third/
10:00:18 <chris> Topic: AoB
10:00:19 <chris> [adjourned]
10:00:20 <RRSAgent> I have made the request to generate https://www.w3.org/2024/09/26-wg-minutes.html chris
";

#[test]
fn a_w3c_log_becomes_a_meeting() {
    let Imported {
        meeting: m,
        summary,
    } = read(W3C);
    assert_eq!(m.title, "Strategy WG");
    assert_eq!(m.chair.as_deref(), Some("Ana"));
    assert_eq!(m.note_taker.as_deref(), Some("chris"));
    assert_eq!(titles(&m), ["Budget", "AoB"]);
    assert_eq!(present(&m), ["Ana", "Chris", "Xiao"]);
    assert_eq!(
        notes(&m),
        [
            // Each `...` line on a line of its own, as scribe.perl keeps
            // it (issue 23, 12).
            "Ana: we are over by 10%\nmostly travel",
            "Xiao: travel is booked",
            "Xiao: I disagree with the figure",
            "ACTION: ana to send the figures by Friday",
            "RESOLUTION: cut travel by a third",
            "[adjourned]",
        ]
    );
    let action = &m.notes[3];
    assert_eq!(action.kind, NoteKind::Action);
    assert_eq!(action.owner.as_deref(), Some("ana"));
    assert_eq!(m.notes[4].kind, NoteKind::Decision);
    assert_eq!(m.notes[0].item, m.agenda.first().map(|i| i.id));
    assert_eq!(
        m.started_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2024-09-26T10:00:07+00:00"),
        "the day from RRSAgent's address, the start at the first minuted line"
    );
    assert_eq!(summary.corrections_applied, 1);
    assert_eq!(summary.actions, 1);
    assert_eq!(summary.resolutions, 1);
    assert!(summary.left_out >= 4, "q+, ack and RRSAgent: {summary:?}");
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
}

#[test]
fn corrections_as_scribe_perl_applies_them() {
    let log = "\
<s> scribe: s
<s> Topic: T
<s> one teh
<s> two teh teh
<s> three
<s> s/teh/the/
<s> s/three/3/g
<s> four teh
<s> s/teh/THE/G
<s> i/four/inserted/
<s> s/nothing/here/
";
    let Imported {
        meeting: m,
        summary,
    } = read(log);
    assert_eq!(
        notes(&m),
        [
            "one THE",
            "two the THE",
            "3",
            "inserted",
            "four THE",
            "s/nothing/here/"
        ],
        "s/// the latest, g the first in each earlier line, G every line, i/// before"
    );
    assert_eq!(summary.corrections_applied, 4);
    assert_eq!(
        summary.corrections_failed,
        [(11, "s/nothing/here/".to_string())]
    );
}

#[test]
fn irc_client_forms_and_encodings() {
    let mut log = Vec::new();
    log.extend_from_slice(b"\xEF\xBB\xBF");
    log.extend_from_slice(b"[2024-09-26 10:00:01] <@chris> scribe: chris\r\n");
    log.extend_from_slice(b"2024-09-26 10:00:02\t+chris\tTopic: Caf\xE9\r\n");
    log.extend_from_slice(b"10:00 -!- ana [~a@host] has joined #wg\r\n");
    log.extend_from_slice(b"10:00 < chris> ana: hello \x02bold\x02 \x0304red\x03\r\n");
    log.extend_from_slice(b"   a wrapped line with no nick\r\n");
    let Imported {
        meeting: m,
        summary,
    } = import(&log, &options()).unwrap();
    assert_eq!(titles(&m), ["Café"]);
    // A wrapped line's indented second half goes on with its first half
    // (issue 23, 13).
    assert_eq!(
        notes(&m),
        ["ana: hello bold red a wrapped line with no nick"]
    );
    assert_eq!(summary.latin1_lines, [2]);
    assert!(summary.unplaced.is_empty(), "{:?}", summary.unplaced);
    assert_eq!(summary.left_out, 1);
}

#[test]
fn a_meetbot_log() {
    let log = "\
14:00:01 <jdoe> #startmeeting Infra weekly
14:00:02 <jdoe> #chair asmith
14:00:03 <jdoe> #topic Mirrors
14:00:04 <asmith> the EU mirror is slow
14:00:05 <asmith> #info EU mirror at 40% capacity
14:00:06 <jdoe> #action asmith to add a second mirror
14:00:07 <jdoe> #agreed keep the US mirror
14:00:08 <jdoe> #idea cache at the edge
14:00:09 <jdoe> #undo
14:00:10 <jdoe> #link https://example.org/mirrors
14:00:11 <jdoe> #topic Wrong topic
14:00:12 <jdoe> #undo
14:00:13 <jdoe> #endmeeting
";
    let Imported {
        meeting: m,
        summary,
    } = read(log);
    assert_eq!(m.title, "Infra weekly");
    assert_eq!(m.chair.as_deref(), Some("jdoe, asmith"));
    assert_eq!(titles(&m), ["Mirrors"], "#undo took the wrong topic back");
    assert_eq!(
        notes(&m),
        [
            "asmith: EU mirror at 40% capacity",
            "ACTION: asmith to add a second mirror",
            "RESOLUTION: keep the US mirror",
            "https://example.org/mirrors",
        ],
        "chat is left out, #undo took the idea back"
    );
    assert_eq!(m.notes[1].owner.as_deref(), Some("asmith"));
    assert_eq!(m.notes[3].kind, NoteKind::Link);
    assert_eq!(summary.chat_left_out, 1);
    assert_eq!(
        m.ended_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-30T14:00:13+00:00")
    );
    let kept = import(
        log.as_bytes(),
        &Options {
            keep_chat: true,
            ..options()
        },
    )
    .unwrap();
    assert!(notes(&kept.meeting).contains(&"asmith: the EU mirror is slow".to_string()));
}

#[test]
fn a_meetbot_action_names_its_owner_by_nick() {
    let log = "\
<jdoe> #startmeeting
<asmith> hi
<jdoe> #action asmith update the wiki
";
    let m = read(log).meeting;
    assert_eq!(m.notes[0].text, "ACTION: @asmith update the wiki");
    assert_eq!(strip_kind_prefix(&m.notes[0].text), "update the wiki");
}

#[test]
fn plain_text_minutes_typed_in_an_editor() {
    let log = "Topic: Closing issues\nJim: I want to talk about issue 1.\n... And 2, if possible.\n[General agreement]\n";
    let Imported {
        meeting: m,
        summary,
    } = read(log);
    assert_eq!(titles(&m), ["Closing issues"]);
    assert_eq!(
        notes(&m),
        [
            "Jim: I want to talk about issue 1.\nAnd 2, if possible.",
            "[General agreement]"
        ]
    );
    assert_eq!(m.started_at, None, "no clock times: a day, not a start");
    assert_eq!(m.scheduled_date, NaiveDate::from_ymd_opt(2026, 11, 30));
    assert!(
        summary.warnings[0].contains("--date"),
        "{:?}",
        summary.warnings
    );
    assert!(summary.unplaced.is_empty());
}

#[test]
fn scribes_hand_over() {
    let log = "\
09:00:00 <ana> scribenick: ana
09:00:01 <ana> Topic: One
09:00:02 <ana> bo: first
09:00:03 <cy> scribe+ cy
09:00:04 <ana> scribe- ana
09:00:05 <cy> bo: second
09:00:06 <ana> I was scribing before
";
    let m = read(log).meeting;
    assert_eq!(m.note_taker.as_deref(), Some("ana"));
    let shifts: Vec<(&str, String)> = m
        .scribes
        .iter()
        .map(|s| (s.name.as_str(), s.from.format("%H:%M:%S").to_string()))
        .collect();
    assert_eq!(shifts, [("cy", "09:00:03".to_string())]);
    assert_eq!(
        notes(&m),
        ["bo: first", "bo: second", "ana: I was scribing before"],
        "after scribe-, ana's lines are her own words"
    );
}

#[test]
fn zakim_agenda_and_a_clock_past_midnight() {
    let log = "\
23:59:00 <Zakim> agendum 2 -- Testing -- taken up [from agendabot]
23:59:30 <s> scribe: s
00:00:10 <s> Kim: past midnight
";
    let m = read(log).meeting;
    assert_eq!(titles(&m), ["Testing"]);
    let note = &m.notes[0];
    assert_eq!(note.started_at.to_rfc3339(), "2026-12-01T00:00:10+00:00");
}

#[test]
fn speaker_lines_are_names_not_urls_or_kinds() {
    assert_eq!(speaker_line("Erik: yes"), Some(("Erik", "yes")));
    assert_eq!(speaker_line("http://x.org/a: b"), None);
    assert_eq!(speaker_line("PROPOSED: do it"), None);
    assert_eq!(speaker_line("s;Agenda: http://x"), None);
    assert_eq!(speaker_line("ACTION-12: done"), None);
    assert_eq!(speaker_line("a long line: with a colon"), None);
}

#[test]
fn nothing_to_read_is_an_error() {
    assert!(import(b"", &options()).is_err());
    assert!(import(b"\n\n  \n", &options()).is_err());
}

#[test]
fn trackbot_gives_the_due_date() {
    let log = "\
15:11:25 <s> scribe: s
15:11:25 <s> ACTION: Steven to fix the text
15:11:25 <trackbot> Created ACTION-1971 - Fix the text [on Steven Pemberton - due 2014-04-16].
";
    let m = read(log).meeting;
    assert_eq!(m.notes[0].due, NaiveDate::from_ymd_opt(2014, 4, 16));
    assert_eq!(
        m.notes.len(),
        1,
        "trackbot's own line is not a note: {:?}",
        notes(&m)
    );
}

// Issue 21, point 6: non-ASCII inside a stamp and binary files.
#[test]
fn non_ascii_in_a_stamp_is_text_not_a_panic() {
    let log = b"[\xc3\xa912345] <bob> hi\n<ana> hello\n<bob> bye\n";
    let Imported { meeting: m, .. } = import(log, &options()).unwrap();
    // The unreadable stamp is dropped; bob, who wrote the most, scribes.
    assert_eq!(notes(&m), ["hi", "ana: hello", "bye"]);
    for line in [
        "[\u{e9}12345] <bob> hi",
        "[12:00İİİİİİ] <bob> hi",
        "[12:00+0ẞ:00] <bob> hi",
        "12:00-ΐ1:00 <bob> hi",
        "(ﬁ12:00:00 PM) bob: hi",
        "[Tue 1\u{301}1:06:06] <manu> hi",
    ] {
        let _ = import(line.as_bytes(), &options());
    }
}

#[test]
fn a_binary_file_is_refused_with_a_reason() {
    let mut elf = b"\x7fELF\x02\x01\x01\0\0\0".to_vec();
    elf.extend((0..4000u32).map(|i| (i * 7919 % 251) as u8));
    let error = import(&elf, &options()).unwrap_err();
    assert!(error.0.contains("binary"), "{error}");
    // Invalid UTF-8 without NULs is still read, as Latin-1.
    let bytes: Vec<u8> = (1..=255u8).filter(|b| *b != b'\n').collect();
    let _ = import(&bytes, &options());
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Pieces that make the reader's cutting hard: case mappings that
    /// change lengths, combining marks, stamps, brackets, commands.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("İ".to_string()),
            Just("ẞ".to_string()),
            Just("ΐ".to_string()),
            Just("ﬁ".to_string()),
            Just("e\u{301}".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just("(".to_string()),
            Just(") ".to_string()),
            Just("<".to_string()),
            Just("> ".to_string()),
            Just("\t".to_string()),
            Just(":".to_string()),
            Just("12:00".to_string()),
            Just("+02:00".to_string()),
            Just("Z".to_string()),
            Just(" PM".to_string()),
            Just("Tue ".to_string()),
            Just("2020-06-10".to_string()),
            Just("T".to_string()),
            Just("s/".to_string()),
            Just("i|".to_string()),
            Just("/g".to_string()),
            Just("Topic: ".to_string()),
            Just("present+ ".to_string()),
            Just("#link ".to_string()),
            Just("ACTION: ".to_string()),
            Just("... ".to_string()),
            Just("\n".to_string()),
            Just(" ".to_string()),
            "[a-zA-Z0-9]{1,4}",
            any::<char>().prop_map(String::from),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn the_line_reader_survives_any_text(pieces in proptest::collection::vec(piece(), 0..24)) {
            let text = pieces.concat();
            for line in text.lines() {
                let _ = lines::parse(line);
            }
            let _ = import(text.as_bytes(), &options());
        }

        #[test]
        fn the_importer_survives_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
            let _ = import(&bytes, &options());
        }
    }
}

// Issue 21, point 5: corrections are bounded in work and in growth.
#[test]
fn an_amplifying_correction_is_refused_and_listed() {
    let mut log = String::from("<s> scribe: s\n");
    for i in 0..400 {
        log.push_str(&format!("<s> line {i} has an a\n"));
    }
    let big = "a".repeat(400);
    for _ in 0..2000 {
        log.push_str(&format!("<s> s/a/{big}/g\n"));
    }
    let Imported {
        meeting: m,
        summary,
    } = read(&log);
    let text: usize = m.notes.iter().map(|n| n.text.len()).sum();
    assert!(text < 10 << 20, "{text} bytes of notes");
    assert!(summary.corrections_applied > 0);
    assert!(!summary.corrections_refused.is_empty());
    assert!(
        summary.corrections_refused[0].2.contains("too big"),
        "{:?}",
        summary.corrections_refused[0]
    );
    assert_eq!(
        summary.corrections_applied + summary.corrections_refused.len(),
        2000
    );
    assert!(
        summary
            .render("log", "m.json")
            .contains("Corrections refused: ")
    );
}

#[test]
fn endless_unmatched_corrections_are_refused_once_the_search_allowance_is_spent() {
    let mut log = String::from("<s> scribe: s\n");
    for i in 0..3000 {
        log.push_str(&format!(
            "<s> a line of the minutes, number {i}, long enough to count\n"
        ));
    }
    for i in 0..3000 {
        log.push_str(&format!("<s> s/nothing like {i}/x/\n"));
    }
    log.push_str("<s> the last line\n<s> s/last/final/\n");
    let Imported {
        meeting: m,
        summary,
    } = read(&log);
    // Each looks through what its allowance pays for: most are refused,
    // and a correction of the line just before still works.
    assert!(!summary.corrections_refused.is_empty());
    assert!(
        summary
            .corrections_refused
            .iter()
            .all(|r| r.2.contains("too many"))
    );
    assert_eq!(
        summary.corrections_failed.len() + summary.corrections_refused.len(),
        3000
    );
    assert_eq!(summary.corrections_applied, 1);
    assert!(notes(&m).iter().any(|n| n == "the final line"));
    // Nothing is lost: each correction not carried out stays as a note.
    assert_eq!(m.notes.len(), 3000 + 3000 + 1);
}

#[test]
fn insertions_keep_their_order_among_many() {
    let mut log = String::from("<s> scribe: s\n<s> anchor one\n<s> middle\n<s> anchor two\n");
    log.push_str("<s> i/anchor/first/\n<s> i/anchor/second/\n<s> i/first/zero/\n");
    log.push_str("<s> s/second/2nd/\n<s> i/anchor one/start/\n");
    let Imported {
        meeting: m,
        summary,
    } = read(&log);
    assert_eq!(
        notes(&m),
        [
            "start",
            "anchor one",
            "middle",
            "zero",
            "first",
            "2nd",
            "anchor two"
        ]
    );
    assert_eq!(summary.corrections_applied, 5);
}

// Issue 23: logs nobody here wrote. Lines written after the forms in the
// clients' manuals and MeetBot's and scribe.perl's documentation.

fn with(log: &str, change: impl FnOnce(&mut Options)) -> Imported {
    let mut options = options();
    change(&mut options);
    import(log.as_bytes(), &options).unwrap()
}

fn regrets(m: &Meeting) -> Vec<&str> {
    m.participants
        .iter()
        .filter(|p| p.attendance == Some(Attendance::Regrets))
        .map(|p| p.name.as_str())
        .collect()
}

#[test]
fn clients_stamp_forms_with_weekdays_dates_and_12_hours() {
    let want = "Verifiable Credentials";
    for (log, form) in [
        (
            "[Tue 11:06:06] <manu>\tTopic: Verifiable Credentials\n",
            "bracket",
        ),
        (
            "[Wed 11:03]\t<m4nu>\tTopic: Verifiable Credentials\n",
            "tabs",
        ),
        (
            "[2020-06-10T11:06:06Z]\t<manu>\tTopic: Verifiable Credentials\n",
            "ISO",
        ),
        (
            "jun 10 11:06:06 <manu> Topic: Verifiable Credentials\n",
            "XChat",
        ),
        (
            "Wed Jun 10 11:06:06 2020 <manu> Topic: Verifiable Credentials\n",
            "mbot",
        ),
        (
            "(11:06:06 AM) manu: Topic: Verifiable Credentials\n",
            "Pidgin",
        ),
        ("11:06 <@manu> Topic: Verifiable Credentials\n", "irssi"),
        (
            "[10 Jun 2020 11:06:06] <manu> Topic: Verifiable Credentials\n",
            "day month",
        ),
    ] {
        let Imported {
            meeting: m,
            summary,
        } = read(log);
        assert_eq!(titles(&m), [want], "{form}: {log}");
        assert!(
            summary.unplaced.is_empty(),
            "{form}: {:?}",
            summary.unplaced
        );
        let start = m.started_at.map(|t| t.format("%H:%M").to_string());
        assert!(
            matches!(start.as_deref(), Some("11:06" | "11:03")),
            "{form}: {start:?}"
        );
    }
    // The day, where the stamp has it.
    let Imported { meeting: m, .. } =
        read("Wed Jun 10 11:06:06 2020 <manu> Topic: VC\n(no stamp) line\n");
    assert_eq!(
        m.started_at.map(|t| t.date_naive().to_string()).as_deref(),
        Some("2020-06-10")
    );
    // Pidgin: the nick column, its joins left out, its banner's day.
    let pidgin = "\
Conversation with #i2p-dev at Wed 10 Jun 2020 08:00:00 PM UTC on me@irc.example.org (irc)
(08:00:10 PM) zzz entered the room.
(08:05:06 PM) eyedeekay: 2. Status of the release
(08:05:30 PM) zzz: looks good to me
";
    let Imported {
        meeting: m,
        summary,
    } = with(pidgin, |o| o.scribe = Some("nobody".into()));
    assert_eq!(
        notes(&m),
        [
            "eyedeekay: 2. Status of the release",
            "zzz: looks good to me"
        ]
    );
    assert_eq!(
        m.started_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2020-06-10T20:05:06+00:00")
    );
    assert!(summary.form.contains("Pidgin"), "{}", summary.form);
    assert!(summary.render("log", "m.json").contains("Pidgin"));
}

#[test]
fn a_form_nothing_reads_is_an_error_not_an_empty_meeting() {
    // hii's log (a Unix time, the channel, the nick in parentheses).
    let hii = "1552167885 [#hii] (alice) bob: hi, how are you doing?\n1552168459 [#hii] (alice) did anybody hear from bob?\n";
    let error = import(hii.as_bytes(), &options()).unwrap_err();
    assert!(error.0.contains("no line is in a form"), "{error}");
    assert!(
        error.0.contains("1552167885 [#hii]"),
        "the first lines are shown: {error}"
    );
    // Most lines unplaced: said loudly.
    let mostly = "<ana> hi\nsomething\nelse\nentirely\n";
    let Imported { summary, .. } = read(mostly);
    assert!(
        summary.warnings.iter().any(|w| w.contains("Most lines")),
        "{:?}",
        summary.warnings
    );
}

#[test]
fn meetbot_reads_as_meetbot_minutes_it() {
    let log = "\
12:02:20 <bcotton> #startmeeting Fedora Council
12:02:26 <zodbot> Meeting started Wed Jun 10 12:02:26 2020 UTC. The chair is bcotton. Information about MeetBot at https://fedoraproject.org/wiki/Zodbot#Meeting_Functions.
12:02:26 <zodbot> The meeting name has been set to 'fedora_council'
12:02:30 <bcotton> #chair asamalik mattdm
12:02:31 <bcotton> .hello2
12:02:32 <zodbot> bcotton: bcotton 'Ben Cotton' <bcotton@example.org>
12:02:40 <bcotton> asamalik: want to take the reins?
12:02:50 <asamalik> sure
12:03:00 <asamalik> #topic Objectives
12:03:10 <asamalik> #link Board: https://example.org/board
12:03:11 <asamalik> #link
12:03:20 <mattdm> #info the minimization objective is done
12:03:30 <mattdm> #action asamalik and mattdm to write the report
12:03:40 <asamalik> #endmeeting
";
    let Imported {
        meeting: m,
        summary,
    } = read(log);
    // 5: MeetBot's start gives the day; #startmeeting's topic the title.
    assert_eq!(m.title, "Fedora Council");
    assert_eq!(
        m.started_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2020-06-10T12:02:20+00:00")
    );
    assert!(
        summary.warnings.iter().all(|w| !w.contains("today")),
        "{:?}",
        summary.warnings
    );
    // 2: everyone who spoke is present, the chair too; the bot is not.
    let mut spoke = present(&m);
    spoke.sort_unstable();
    assert_eq!(spoke, ["asamalik", "bcotton", "mattdm"]);
    // 7, 8: the chair's chat is neither a note without a speaker nor
    // asamalik's; without --chat it is left out.
    assert_eq!(
        notes(&m),
        [
            "Board: https://example.org/board",
            "mattdm: the minimization objective is done",
            "ACTION: @asamalik and mattdm to write the report",
        ]
    );
    // 9: a labelled #link is a link; an empty one is nothing.
    assert_eq!(m.notes[0].kind, NoteKind::Link);
    // 11: several owners: the first owns it, each is someone.
    assert_eq!(m.notes[2].owner.as_deref(), Some("asamalik"));
    assert!(
        summary.warnings.iter().all(|w| !w.contains("scribe")),
        "{:?}",
        summary.warnings
    );

    // 13: with --chat, chat is kept under its writer; bot commands and the
    // bot are not.
    let Imported { meeting: m, .. } = with(log, |o| o.keep_chat = true);
    let all = notes(&m);
    assert!(
        all.contains(&"bcotton: asamalik: want to take the reins?".to_string()),
        "{all:?}"
    );
    assert!(all.contains(&"asamalik: sure".to_string()), "{all:?}");
    assert!(!all.iter().any(|n| n.contains("hello2")), "{all:?}");
    assert!(!m.participants.iter().any(|p| p.name == "zodbot"));
    // A MeetBot of another name is known by what it says.
    let other = log.replace("zodbot", "collab-bot");
    let Imported { meeting: m, .. } = with(&other, |o| o.keep_chat = true);
    assert!(
        !m.participants.iter().any(|p| p.name == "collab-bot"),
        "{:?}",
        present(&m)
    );
}

#[test]
fn one_person_whatever_nick_or_name_they_use() {
    let log = "\
11:00 <manu> scribe: manu
11:00 <manu> present+ Alex_Russell, dka/Dan Appelquist
11:01 -!- dka is now known as dka_air
11:01 <manu> Alex: one of the points
11:02 <dka_air> I agree
11:03 <dka> me too
11:04 <manu> zakim, slightlyoff is Alex_Russell
11:05 <slightlyoff> from my side
11:06 <manu|afk> back
11:07 -!- guest42 is now known as Ana
11:07 <manu> present+ Ana
11:08 <guest42> earlier words
";
    let Imported { meeting: m, .. } = read(log);
    let names: Vec<&str> = m.participants.iter().map(|p| p.name.as_str()).collect();
    // The scribe's own lines are theirs to type, not a person's words.
    assert_eq!(
        names,
        ["Alex_Russell", "Dan Appelquist", "Ana"],
        "{:?}",
        notes(&m)
    );
    assert_eq!(
        notes(&m),
        [
            "Alex_Russell: one of the points",
            "Dan: I agree",
            "Dan: me too",
            "Alex_Russell: from my side",
            "back",
            "Ana: earlier words",
        ]
    );
}

#[test]
fn attendance_as_scribe_perl_reads_it() {
    let log = "\
10:00 <ivan> scribe+
10:00 <ivan> present+ ivan, Romain
10:01 <ivan> regrets+ dauwhe
10:01 <dauwhe> Romain!
10:02 <Zakim> As of this point the attendees have been ivan, Romain, Kathy_Wahlbin,
10:02 <Zakim> ... Bert, Judy
10:03 <ivan> Topic: Publishing
10:04 <ivan> action item: laudrain launches the survey
10:05 <ivan> ACTION: Domenic and Sergey to re-phrase the note
";
    let Imported { meeting: m, .. } = read(log);
    assert_eq!(
        present(&m),
        ["ivan", "Romain", "Kathy_Wahlbin", "Bert", "Judy"]
    );
    // Speaking in the channel does not make dauwhe present (issue 23, 3;
    // the report's own rule, spoke => present, is export's).
    assert_eq!(regrets(&m), ["dauwhe"]);
    let owners: Vec<Option<&str>> = m
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Action)
        .map(|n| n.owner.as_deref())
        .collect();
    // Not "item": the action's owner is left for the scribe to name.
    assert_eq!(owners, [None, Some("domenic")]);
    assert!(m.participants.iter().any(|p| p.name == "Sergey"));
    assert!(!m.participants.iter().any(|p| p.name == "item"));
}

/// Every command of the grammar, imported, does what the grammar's table
/// says it does: the importer's half of "the same line typed live and
/// imported makes the same note"; the editor's half is to assert the same
/// of `app/scribe.rs` once it reads with `model::grammar`.
#[test]
fn every_command_of_the_grammar_does_what_its_table_says() {
    use crate::model::grammar::{COMMANDS, Field, Line, Verb, read as grammar_read};
    for entry in COMMANDS {
        let Line::Command {
            field, verb, rest, ..
        } = grammar_read(entry.example)
        else {
            panic!("{} is not a command", entry.example);
        };
        assert_eq!(field, entry.field);
        let log = format!(
            "10:00 <s> scribe: s\n10:01 <s> Topic: Start\n10:02 <s> present+ Ana\n10:03 <s> {}\n",
            entry.example
        );
        let Imported { meeting: m, .. } = read(&log);
        let example = entry.example;
        let names = |rest: &str| -> Vec<String> {
            rest.split([',', ' '])
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect()
        };
        match field {
            Field::Title => assert_eq!(m.title, rest, "{example}"),
            Field::Date => assert_eq!(
                m.started_at.map(|t| t.date_naive().to_string()).as_deref(),
                Some("2014-04-09"),
                "{example}"
            ),
            Field::Agenda => assert_eq!(notes(&m)[0], format!("Agenda: {rest}"), "{example}"),
            Field::Chair => {
                let chair = m.chair.clone().unwrap_or_default();
                let chairs: Vec<&str> = chair.split(", ").collect();
                for name in names(rest) {
                    assert_eq!(
                        chairs.contains(&name.as_str()),
                        verb != Verb::Remove,
                        "{example}: {chair}"
                    );
                }
            }
            Field::Scribe => assert_eq!(m.note_taker.as_deref(), Some("s"), "{example}"),
            Field::Present => {
                assert_eq!(present(&m), ["Ana", "Bo"], "{example}");
            }
            Field::Regrets => assert_eq!(regrets(&m), [rest], "{example}"),
            Field::Topic => assert_eq!(titles(&m), ["Start", rest], "{example}"),
            Field::Note(kind) => {
                let last = m
                    .notes
                    .last()
                    .unwrap_or_else(|| panic!("{example}: no note"));
                assert_eq!(last.kind, kind, "{example}");
                assert!(last.text.contains(rest), "{example}: {}", last.text);
            }
            Field::End => assert_eq!(
                m.ended_at.map(|t| t.format("%H:%M").to_string()).as_deref(),
                Some("10:03"),
                "{example}"
            ),
            Field::Undo => assert_eq!(titles(&m), ["Start"], "{example}"),
            Field::Person => assert!(m.participants.iter().any(|p| p.name == rest), "{example}"),
            Field::Nothing => assert!(m.notes.is_empty(), "{example}: {:?}", notes(&m)),
        }
    }
}

/// No log makes the roster's or the agenda's linear lookups quadratic:
/// past a thousand people or topics, the rest are one participant or
/// notes, with a warning; nothing is lost.
#[test]
fn thousands_of_names_and_topics_are_bounded() {
    let mut log = String::from("<s> scribe: s\n");
    for i in 0..1500 {
        log.push_str(&format!("<s> present+ person{i}\n<s> Topic: topic {i}\n"));
    }
    let Imported {
        meeting: m,
        summary,
    } = read(&log);
    assert!(m.participants.len() <= 1001, "{}", m.participants.len());
    assert!(m.participants.iter().any(|p| p.name == "Others"));
    assert_eq!(m.agenda.len(), 1000);
    assert_eq!(m.notes.len(), 500, "the topics past the limit are notes");
    assert!(m.notes.iter().all(|n| n.text.starts_with("Topic: topic ")));
    assert_eq!(summary.warnings.len(), 3, "{:?}", summary.warnings);
}

/// scribe.perl's pool of scribes (2019): `scribe:` adds, as `scribe+`
/// does, so a second note-taker's lines are minuted too; `scribe=` sets
/// the pool.
#[test]
fn a_second_scribe_joins_the_pool() {
    let log = "\
09:00 <pchampin> scribenick: pchampin
09:01 <pchampin> bigbluehat: says something great
09:02 <rubenworks> scribe: rubenworks
09:03 <rubenworks> pchampin: says something specific
09:04 <rubenworks> ... and it is now part of the minutes
09:05 <pchampin> ivan: says something else
09:06 <ivan> scribe= ivan
09:07 <pchampin> my own words
";
    let m = read(log).meeting;
    assert_eq!(
        notes(&m),
        [
            "bigbluehat: says something great",
            "pchampin: says something specific\nand it is now part of the minutes",
            "ivan: says something else",
            "pchampin: my own words",
        ]
    );
}

/// irssi's day banner and renames, Ubuntu's irclogs (`===` renames,
/// meetingology): the day, one person, the bot left out.
#[test]
fn banners_and_renames_of_irssi_and_ubuntu_logs() {
    let irssi = "\
--- Log opened Wed Apr 09 14:58:01 2014
--- Day changed Wed Apr 09 2014
15:05 -!- Steven_ [~s@host] has joined #forms
15:05 <@Steven_> scribe: Steven_
15:05 <@Steven_> Topic: Announcements
15:06 -!- alain is now known as alain_away
15:06 <alain_away> I will send it
15:07 <alain> done
";
    let Imported {
        meeting: m,
        summary,
    } = read(irssi);
    assert_eq!(
        m.started_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2014-04-09T15:05:00+00:00")
    );
    assert_eq!(notes(&m), ["alain: I will send it", "alain: done"]);
    assert_eq!(m.participants.len(), 1);
    assert!(summary.form.contains("irssi"), "{}", summary.form);

    let ubuntu = "\
[15:36] <IdleOne> #startmeeting test
[15:36] <meetingology> Meeting started Wed May 21 15:36:44 2014 UTC. The chair is IdleOne. Information about MeetBot at http://wiki.ubuntu.com/meetingology.
[15:36] <meetingology> Available commands: action commands idea info link nick
=== cyphermox_ is now known as cyphermox
[15:37] <cyphermox_> #info the ISO is out
[15:37] <cyphermox> #action cyphermox to test it
[15:38] <IdleOne> #endmeeting
";
    let Imported { meeting: m, .. } = read(ubuntu);
    assert_eq!(
        m.started_at.map(|t| t.date_naive().to_string()).as_deref(),
        Some("2014-05-21")
    );
    assert_eq!(
        notes(&m),
        ["cyphermox: the ISO is out", "ACTION: cyphermox to test it"]
    );
    assert_eq!(m.notes[1].owner.as_deref(), Some("cyphermox"));
    let mut names: Vec<&str> = m.participants.iter().map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["IdleOne", "cyphermox"]);
}
