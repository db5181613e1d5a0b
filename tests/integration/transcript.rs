//! The transcript (docs/transcript.md): `minutes transcribe` on speech
//! made here with espeak-ng and sox, its word error rate and cue times;
//! `export --transcript`; the message when no recogniser is installed.
//!
//! Tests that need the recogniser (Moonshine, `pip install moonshine-cpp`)
//! or the speech tools skip with a reason when they are missing, unless
//! MINUTES_REQUIRE_RECOGNISER=1 (set by .ci/run when it installed them).

use minutes::transcript::{RecogniserConfig, word_error_rate};
use std::path::{Path, PathBuf};
use std::process::Command;

pub const SENTENCES: [&str; 4] = [
    "The working group agreed to publish the draft next week.",
    "Amy will send the minutes to the mailing list on Friday.",
    "We should review the open issues before the next meeting.",
    "Thank you everyone, the meeting is adjourned.",
];

/// Whether the recogniser's tests must run (CI installed it).
fn required() -> bool {
    std::env::var("MINUTES_REQUIRE_RECOGNISER").is_ok_and(|v| v == "1")
}

/// Skips (returns false) with a reason, or fails when it is required.
pub fn available(what: &str, found: bool) -> bool {
    if !found {
        assert!(
            !required(),
            "MINUTES_REQUIRE_RECOGNISER=1 but {what} is missing"
        );
        eprintln!("skipped: {what} is not installed (docs/transcript.md)");
    }
    found
}

pub fn have_recogniser() -> bool {
    let located = RecogniserConfig::default().locate();
    available(
        "the recogniser (pip install moonshine-cpp)",
        located.is_ok(),
    )
}

fn have_tool(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Speech made here: each sentence said by espeak-ng, with `gap` seconds
/// of silence before it, joined at 16 kHz mono. Returns the file and each
/// sentence's (start, end) in seconds; None when the tools are missing.
pub fn speech(dir: &Path, sentences: &[&str], gap: f64) -> Option<(PathBuf, Vec<(f64, f64)>)> {
    if !available(
        "espeak-ng and sox (apt-get install espeak-ng sox)",
        have_tool("espeak-ng") && have_tool("sox"),
    ) {
        return None;
    }
    let mut parts = Vec::new();
    let mut spans = Vec::new();
    let mut at = 0.0;
    for (n, sentence) in sentences.iter().enumerate() {
        let said = dir.join(format!("said-{n}.wav"));
        let padded = dir.join(format!("part-{n}.wav"));
        let ok = Command::new("espeak-ng")
            .args(["-s", "140", "-w"])
            .arg(&said)
            .arg(sentence)
            .status()
            .unwrap()
            .success();
        assert!(ok, "espeak-ng failed");
        let ok = Command::new("sox")
            .arg(&said)
            .args(["-r", "16000", "-c", "1", "-b", "16"])
            .arg(&padded)
            .args(["pad", &gap.to_string(), "0"])
            .status()
            .unwrap()
            .success();
        assert!(ok, "sox failed");
        let out = Command::new("soxi").arg("-D").arg(&said).output().unwrap();
        let length: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
        spans.push((at + gap, at + gap + length));
        at += gap + length;
        parts.push(padded);
    }
    let all = dir.join("speech.wav");
    let mut sox = Command::new("sox");
    sox.args(&parts)
        .arg(&all)
        .args(["pad", "0", &gap.to_string()]);
    assert!(sox.status().unwrap().success(), "sox failed to join");
    Some((all, spans))
}

pub fn minutes(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_minutes"))
        .args(args)
        .output()
        .unwrap()
}

/// Cues of a WebVTT file: (start, end, text).
pub fn cues(vtt: &str) -> Vec<(f64, f64, String)> {
    let seconds = |t: &str| -> f64 {
        let parts: Vec<f64> = t.trim().split(':').map(|p| p.parse().unwrap()).collect();
        parts[0] * 3600.0 + parts[1] * 60.0 + parts[2]
    };
    let lines: Vec<&str> = vtt.lines().collect();
    let mut out = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        if let Some((a, b)) = line.split_once(" --> ") {
            out.push((seconds(a), seconds(b), lines[n + 1].to_string()));
        }
    }
    out
}

#[test]
fn transcribe_hears_what_was_said_with_its_times() {
    if !have_recogniser() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some((audio, spans)) = speech(dir.path(), &SENTENCES, 1.0) else {
        return;
    };
    let out = dir.path().join("out.vtt");
    let run = minutes(&[
        "transcribe",
        audio.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let vtt = std::fs::read_to_string(&out).unwrap();
    assert!(vtt.starts_with("WEBVTT\n"), "{vtt}");
    let cues = cues(&vtt);
    let heard: Vec<&str> = cues.iter().map(|c| c.2.as_str()).collect();
    let wer = word_error_rate(&SENTENCES.join(" "), &heard.join(" "));
    eprintln!(
        "word error rate {wer:.3} over {} cues: {heard:?}",
        cues.len()
    );
    assert!(wer < 0.15, "word error rate {wer}: {heard:?}");
    // Every cue lies within a sentence's span (a little leeway for the
    // pre-roll and the tail kept around the speech).
    for (start, end, text) in &cues {
        assert!(
            spans
                .iter()
                .any(|(a, b)| *start >= a - 0.35 && *end <= b + 0.35),
            "cue {start}-{end} {text:?} is in no sentence: {spans:?}"
        );
    }
    // And every sentence was heard.
    for (a, b) in &spans {
        assert!(
            cues.iter().any(|(s, e, _)| s < b && e > a),
            "nothing heard in {a}-{b}"
        );
    }
}

#[test]
fn without_a_recogniser_transcribe_says_how_to_install_one() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[transcript]\nlibrary = \"/nonexistent/libmoonshine.so\"\nmodel = \"/nonexistent/base-en\"\n",
    )
    .unwrap();
    let audio = dir.path().join("a.wav");
    std::fs::write(&audio, b"RIFF").unwrap();
    let out = dir.path().join("a.vtt");
    let run = minutes(&[
        "--config",
        config.to_str().unwrap(),
        "transcribe",
        audio.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(stderr.contains("pip install moonshine-cpp"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn export_writes_the_transcript_as_webvtt_with_voices() {
    let dir = tempfile::tempdir().unwrap();
    let meeting = dir.path().join("m.json");
    std::fs::copy("tests/fixtures/wg-strategy-84.json", &meeting).unwrap();
    let loaded = minutes::store::load(&meeting).unwrap();
    let someone = &loaded.participants[0];
    let mut file = minutes::transcript::store::TranscriptFile::open(&meeting).unwrap();
    for (id, speaker) in [(1, Some(someone.id.clone())), (2, None)] {
        file.append(&minutes::transcript::Segment {
            id,
            start: id as f64 * 2.0,
            end: id as f64 * 2.0 + 1.5,
            text: format!("segment {id}"),
            channel: "them".into(),
            speaker,
        })
        .unwrap();
    }
    let out = dir.path().join("m.vtt");
    let run = minutes(&[
        "export",
        meeting.to_str().unwrap(),
        "--transcript",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let vtt = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        vtt,
        format!(
            "WEBVTT\n\n1\n00:00:02.000 --> 00:00:03.500\n<v {}>segment 1\n\n2\n00:00:04.000 --> 00:00:05.500\nsegment 2\n",
            someone.name
        )
    );
    // The transcript never goes into the report.
    let report = minutes(&["export", meeting.to_str().unwrap(), "-o", "-"]);
    assert!(!String::from_utf8_lossy(&report.stdout).contains("segment 1"));
}

/// A heard utterance, as the listening thread sends it.
fn heard(text: &str, start_ms: u64) -> minutes::app::Action {
    use minutes::transcript::{HeardMs, TranscriptAction};
    minutes::app::Action::Transcript(TranscriptAction::Heard(HeardMs {
        start_ms,
        end_ms: start_ms + 1800,
        text: text.into(),
        channel: "them".into(),
    }))
}

/// The scribe's pull: two segments chosen in the pane (key by key and as
/// one burst), pulled into the note, committed; the note keeps the span,
/// the segments are on disk with the speaker picked when they were heard.
#[test]
fn a_key_script_pulls_two_segments_into_a_note() {
    use crate::common::{Harness, wg_strategy};
    for burst in [false, true] {
        let mut h = Harness::new(wg_strategy());
        h.play("<tab>chr<enter>", burst);
        let chris = h.app().speakers.clone();
        assert_eq!(chris.len(), 1);
        // Listening (the thread itself is replaced by the actions below).
        h.session.app.transcript.start(0.0);
        for (n, text) in [
            "We will ship on Friday.",
            "Unless the tests fail.",
            "Next item.",
        ]
        .iter()
        .enumerate()
        {
            let now = h.now;
            h.session.step_action(heard(text, n as u64 * 2000), now);
        }
        let screen = h.screen(100, 30);
        assert!(screen.contains("Transcript"), "{screen}");
        assert!(screen.contains("Next item."), "{screen}");
        // Into the pane, up to the second, the first too, pull, commit.
        h.play("<a-t><up><s-up><enter><enter>", burst);
        let saved = h.saved();
        let note = saved.notes.last().unwrap();
        assert_eq!(note.text, "We will ship on Friday. Unless the tests fail.");
        assert_eq!(note.transcript, Some([1, 2]));
        let kept = minutes::transcript::store::load(&h.path()).unwrap();
        assert_eq!(kept.len(), 3);
        assert!(
            kept.iter().all(|s| s.speaker.as_ref() == chris.first()),
            "{kept:?}"
        );
        assert_eq!(kept[2].text, "Next item.");
    }
}

/// Waits up to `seconds` for `done` on the screen of a running minutes.
fn wait_screen(m: &crate::pty::Running, seconds: u64, what: &str, done: impl Fn(&str) -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        let text = m.text();
        if done(&text) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never got {what}:\n{text}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// `--audio-from` plays a recording through the live pipeline: the pane
/// fills as it is heard, the header says LISTENING, the segments are kept
/// beside the meeting and `export --transcript` writes them.
#[test]
fn audio_from_fills_the_pane_end_to_end() {
    if !have_recogniser() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some((audio, _)) = speech(dir.path(), &SENTENCES[..2], 1.0) else {
        return;
    };
    let file = dir.path().join("call.json");
    let mut m = crate::pty::Running::start(
        &[
            "new",
            file.to_str().unwrap(),
            "--audio-from",
            audio.to_str().unwrap(),
        ],
        dir.path(),
    );
    wait_screen(&m, 20, "LISTENING", |s| s.contains("LISTENING"));
    wait_screen(&m, 60, "both sentences in the pane", |s| {
        s.contains("publish") && s.contains("Friday")
    });
    wait_screen(&m, 30, "the end of the recording", |s| {
        s.contains("recording ended")
    });
    assert!(!m.text().contains("LISTENING"), "{}", m.text());
    m.send(b"\x11");
    assert!(m.wait_exit().success());
    let kept = minutes::transcript::store::load(&file).unwrap();
    let heard: Vec<&str> = kept.iter().map(|s| s.text.as_str()).collect();
    let wer = word_error_rate(&SENTENCES[..2].join(" "), &heard.join(" "));
    assert!(wer < 0.2, "{wer}: {heard:?}");
    assert!(kept.iter().all(|s| s.channel == "file"));
    let vtt = dir.path().join("call.vtt");
    let run = minutes(&[
        "export",
        file.to_str().unwrap(),
        "--transcript",
        "-o",
        vtt.to_str().unwrap(),
    ]);
    assert!(run.status.success());
    assert_eq!(
        cues(&std::fs::read_to_string(&vtt).unwrap()).len(),
        kept.len()
    );
}

/// kill -9 while a recording is being transcribed: every segment that
/// reached the screen is on disk, and opening the meeting again shows it.
#[test]
fn kill_9_during_transcription_loses_no_segment_heard() {
    if !have_recogniser() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some((audio, _)) = speech(dir.path(), &SENTENCES, 1.0) else {
        return;
    };
    let file = dir.path().join("call.json");
    let mut m = crate::pty::Running::start(
        &[
            "new",
            file.to_str().unwrap(),
            "--audio-from",
            audio.to_str().unwrap(),
        ],
        dir.path(),
    );
    // The second sentence on screen; the third is being spoken.
    wait_screen(&m, 60, "two sentences heard", |s| s.contains("Friday"));
    let shown = m.text();
    m.signal("KILL");
    assert!(!m.wait_exit().success());
    let kept = minutes::transcript::store::load(&file).unwrap();
    let text: String = kept
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    for word in ["publish", "Friday"] {
        assert!(
            shown.contains(word) && text.contains(word),
            "{word} lost: {text:?}\n{shown}"
        );
    }
    // Reopened, the pane has it back.
    let mut again = crate::pty::Running::start(&["open", file.to_str().unwrap()], dir.path());
    wait_screen(&again, 20, "the transcript back", |s| s.contains("Friday"));
    again.send(b"\x11");
    assert!(again.wait_exit().success());
}

/// A template of the group's own may ask for the transcript; the built-in
/// report never shows it.
#[test]
fn a_template_of_ones_own_gets_the_transcript() {
    let dir = tempfile::tempdir().unwrap();
    let meeting = dir.path().join("m.json");
    std::fs::copy("tests/fixtures/wg-strategy-84.json", &meeting).unwrap();
    let mut file = minutes::transcript::store::TranscriptFile::open(&meeting).unwrap();
    file.append(&minutes::transcript::Segment {
        id: 1,
        start: 1.0,
        end: 2.0,
        text: "heard words".into(),
        channel: "me".into(),
        speaker: None,
    })
    .unwrap();
    let template = dir.path().join("t.md.j2");
    std::fs::write(
        &template,
        "{{ report.title }}:{% for s in transcript %} [{{ s.id }}] {{ s.text }}{% endfor %}\n",
    )
    .unwrap();
    let run = minutes(&[
        "export",
        meeting.to_str().unwrap(),
        "--template",
        template.to_str().unwrap(),
        "-o",
        "-",
    ]);
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(out.ends_with(": [1] heard words\n"), "{out}");
    let builtin = minutes(&["export", meeting.to_str().unwrap(), "-o", "-"]);
    assert!(!String::from_utf8_lossy(&builtin.stdout).contains("heard words"));
}

/// Every frame of the pane's keys, and of segments arriving, equals one
/// drawn from scratch (the pane is kept between frames like the notes),
/// on a wide screen (beside the notes) and a narrow one (under them).
#[test]
fn the_pane_redraws_what_each_key_and_segment_changes() {
    use crate::common::{Harness, wg_strategy};
    use crate::screen::{Emulator, check_every_frame, draw_and_check};
    for (width, height) in [(120, 30), (80, 24)] {
        let mut h = Harness::new(wg_strategy());
        let mut screen = minutes::terminal::Screen::new(Emulator::new(width, height)).unwrap();
        h.keys("<tab>chr<enter>");
        h.session.app.transcript.start(0.0);
        for n in 0..12u64 {
            let text = format!(
                "Segment {n}: a sentence long enough to wrap on the narrower of the two screens."
            );
            h.now += h.step;
            let now = h.now;
            h.session.step_action(heard(&text, n * 3000), now);
            draw_and_check(&h, &mut screen, || {
                format!("segment {n} at {width}x{height}")
            });
        }
        check_every_frame(
            &mut h,
            &mut screen,
            "<a-t><up*8><s-up><s-up><down><s-down><enter>my words<enter><a-t><up><esc><a-l>",
        );
        let saved = h.saved();
        let note = saved.notes.last().unwrap();
        // Up to id 4, two more, down one (a new selection), and the next: 3 and 4.
        assert_eq!(note.transcript, Some([3, 4]), "{}", note.text);
        assert!(note.text.ends_with("my words"), "{}", note.text);
    }
}
