//! A generated W3C scribe log of any length (RRSAgent's form): topics,
//! speaker lines and `...` continuations, others' remarks, actions,
//! resolutions, corrections, links, queue commands, bot replies and joins,
//! in proportions like a long working-group call's.

const NICKS: [&str; 12] = [
    "chris", "anriette", "desiree", "timea", "adam", "isra", "juan", "xiao", "giacomo", "titti",
    "ana", "justin",
];
const SAID: [&str; 8] = [
    "I think the outcome was much better than initially feared.",
    "We need to make sure the process supports the forum and its intersessional work.",
    "Some technical community organisations are accredited and could help promote this idea.",
    "Will there be any interaction between the two bodies before the review?",
    "Referencing the earlier principles is a red flag, but let us note their origins.",
    "+1",
    "the review needs strategic thinking, consensus, and a concrete proposal on the approach.",
    "Désirée's draft of section 3 — 会议 notes are in the doc, see https://example.org/wg/doc#s3",
];

/// `lines` lines of log, the same for the same length.
pub fn w3c_log(lines: usize) -> String {
    let mut rng = fastrand::Rng::with_seed(84);
    let mut out = String::with_capacity(lines * 70);
    let mut seconds = 14 * 3600;
    let mut written = 0;
    let line = |out: &mut String, seconds: u32, nick: &str, text: &str| {
        let (h, m, s) = ((seconds / 3600) % 24, (seconds / 60) % 60, seconds % 60);
        out.push_str(&format!("{h:02}:{m:02}:{s:02} <{nick}> {text}\n"));
    };
    for header in [
        (
            "RRSAgent",
            "logging to https://www.w3.org/2024/09/26-wg-irc",
        ),
        ("chris", "Meeting: Strategy Working Group"),
        ("chris", "Date: 26 September 2024"),
        ("chris", "Chair: Ana"),
        ("chris", "scribe: chris"),
        (
            "chris",
            "present+ Ana, Anriette, Desiree, Timea, Adam, Isra, Juan, Xiao",
        ),
    ] {
        line(&mut out, seconds, header.0, header.1);
        written += 1;
    }
    let mut topic = 0;
    while written < lines {
        seconds += rng.u32(0..2);
        let speaker = NICKS[rng.usize(1..NICKS.len())];
        let said = SAID[rng.usize(..SAID.len())];
        let roll = rng.u32(0..100);
        let text = match roll {
            _ if written % 400 == 6 => {
                topic += 1;
                format!("Topic: Issue {topic}: review of section {topic}")
            }
            0..=44 => format!("{speaker}: {said}"),
            45..=64 => format!("... {said}"),
            65..=69 => "q+".to_string(),
            70..=72 => format!("ack {speaker}"),
            73..=74 => format!("ACTION: {speaker} to follow up on section {topic}"),
            75 => format!("RESOLUTION: adopt section {topic} as amended"),
            76 => "s/the review/the next review/".to_string(),
            77..=78 => format!("https://example.org/wg/issues/{}", rng.u32(1..999)),
            79..=82 => {
                line(
                    &mut out,
                    seconds,
                    "Zakim",
                    &format!("{speaker}, you wanted to add a point"),
                );
                written += 1;
                continue;
            }
            83..=86 => {
                line(
                    &mut out,
                    seconds,
                    speaker,
                    &format!("{speaker} has joined #wg"),
                );
                written += 1;
                continue;
            }
            _ => {
                line(&mut out, seconds, speaker, said);
                written += 1;
                continue;
            }
        };
        let nick = if text == "q+" { speaker } else { "chris" };
        line(&mut out, seconds, nick, &text);
        written += 1;
    }
    out
}

/// A `lines`-line log followed by `corrections` corrections that match
/// nothing (`s/…/…/`, or `i/…/…/` when `insert`): the search's worst case.
pub fn unmatched_corrections(lines: usize, corrections: usize, insert: bool) -> String {
    let mut out = w3c_log(lines);
    let verb = if insert { 'i' } else { 's' };
    for i in 0..corrections {
        out.push_str(&format!(
            "15:00:00 <chris> {verb}/no such text {i}/a replacement/\n"
        ));
    }
    out
}

/// An amplification attack: 2,000 lines with an `a`, then 2,000
/// `s/a/<400 a>/g` lines (886 KB), each copying 400 bytes into every line.
pub fn amplification_log() -> String {
    let mut out = String::from("14:00:00 <chris> scribe: chris\n");
    for _ in 0..2_000 {
        out.push_str("14:00:01 <chris> a\n");
    }
    let many = "a".repeat(400);
    for _ in 0..2_000 {
        out.push_str(&format!("14:00:02 <chris> s/a/{many}/g\n"));
    }
    out
}
