//! `minutes import LOG`: a chat log of a meeting minuted in W3C's scribe
//! conventions (scribe.perl with Zakim and RRSAgent) or with MeetBot's
//! `#commands`, read into a meeting. It follows scribe.perl's reading:
//! corrections first (`s///`, `i///`), then each line in order: the
//! scribe's `Name: text` lines and `...` continuations, commands
//! (`Topic:`, `present+`, `ACTION:` …), and others' lines as their own
//! remarks. Bot chatter, joins and queue commands (`q+`, `ack`) are left
//! out. Nothing else is dropped: a line in no known form is kept as a
//! plain note, and the summary lists it.

mod lines;
mod reader;

use crate::model::correction::{self, Scope};
use crate::model::{Instant, Meeting, fold};
use chrono::{Duration, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use lines::{Parsed, Stamp};
use reader::Reader;
use std::collections::HashMap;
use std::fmt::Write as _;

/// What the person importing can tell that the log may not.
#[derive(Debug, Clone)]
pub struct Options {
    /// Overrides the log's `Meeting:` or `#startmeeting` title.
    pub title: Option<String>,
    /// The zone the log's clock times are in (RRSAgent logs are in UTC).
    pub clock_zone: Tz,
    /// The meeting's own zone, that its times are shown in.
    pub time_zone: Tz,
    /// The day, for a log that does not say it.
    pub date: Option<NaiveDate>,
    /// The scribe's nick, when the log does not say (`scribe: nick`).
    pub scribe: Option<String>,
    /// Keep everyone's chat as notes in a MeetBot meeting (MeetBot's own
    /// minutes keep only the `#commands`).
    pub keep_chat: bool,
    /// Used when the log gives no date and `date` is not set.
    pub today: NaiveDate,
    /// A title when the log has none: the log file's name.
    pub fallback_title: String,
}

/// What was read, for the person importing to check.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub lines: usize,
    pub conventions: &'static str,
    pub items: usize,
    pub notes: usize,
    pub actions: usize,
    pub resolutions: usize,
    pub people: usize,
    pub scribes: Vec<String>,
    pub corrections_applied: usize,
    /// Line number and text of each correction that matched nothing (kept
    /// as a note, which `minutes check` lists).
    pub corrections_failed: Vec<(usize, String)>,
    /// Lines in no known form, kept as plain notes.
    pub unplaced: Vec<(usize, String)>,
    /// Joins, bot chatter and queue commands.
    pub left_out: usize,
    /// MeetBot chat not kept (without `--chat`).
    pub chat_left_out: usize,
    /// Lines that were not UTF-8 and were read as Latin-1.
    pub latin1_lines: Vec<usize>,
    /// Things to know: a guessed scribe, a day taken from elsewhere.
    pub warnings: Vec<String>,
}

#[derive(Debug)]
pub struct Imported {
    pub meeting: Meeting,
    pub summary: Summary,
}

/// Why a log could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError(pub String);

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

const BOTS: [&str; 10] = [
    "rrsagent",
    "zakim",
    "trackbot",
    "agendabot",
    "ghurlbot",
    "github-bot",
    "meetbot",
    "zodbot",
    "openstack",
    "supybot",
];

fn is_bot(nick: &str) -> bool {
    BOTS.contains(&nick.to_ascii_lowercase().as_str())
}

/// A nick as scribe.perl compares them: case-insensitive, without the
/// trailing `_` IRC adds when a nick is taken.
fn nick_key(nick: &str) -> String {
    fold(nick.trim_end_matches('_'))
}

/// A line of the log as the corrections and the reading see it.
#[derive(Debug, Clone)]
struct Record {
    line: usize,
    at: Instant,
    nick: String,
    text: String,
    /// Written by someone, as opposed to a line in no known form.
    placed: bool,
    state: State,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Line,
    /// An `s///` or `i///` not (yet) carried out.
    Correction,
    /// Carried out, or otherwise read: not a line of the minutes.
    Done,
}

pub fn import(bytes: &[u8], options: &Options) -> Result<Imported, ImportError> {
    let (texts, latin1_lines) = decode(bytes);
    let mut parsed = Vec::with_capacity(texts.len());
    let mut said = 0usize;
    let mut left_out = 0usize;
    for (i, text) in texts.iter().enumerate() {
        let line = lines::parse(text);
        match &line {
            Parsed::Said { .. } => said += 1,
            Parsed::Event => left_out += 1,
            _ => {}
        }
        parsed.push((i + 1, line));
    }
    // A log with nobody's nick is minutes typed in an editor: every line
    // is the scribe's (scribe.perl's plain text format).
    let plain = said == 0;
    const PLAIN_SCRIBE: &str = "scribe";
    let day = find_day(&parsed, options);
    let mut clock = Clock::new(options.clock_zone, options.time_zone, day.0);
    let mut records = Vec::with_capacity(parsed.len());
    for (line, item) in parsed {
        let (stamp, nick, text, placed) = match item {
            Parsed::Said { stamp, nick, text } => (stamp, nick, text, true),
            Parsed::Other { stamp, text } if plain => (stamp, PLAIN_SCRIBE, text, true),
            Parsed::Other { stamp, text } => (stamp, "", text, false),
            Parsed::Event | Parsed::Blank => continue,
        };
        records.push(Record {
            line,
            at: clock.at(stamp),
            nick: nick.to_string(),
            text: clean(text),
            placed,
            state: State::Line,
        });
    }
    if records.is_empty() {
        return Err(ImportError(
            "nothing in it reads as a chat log: no line has a speaker or any text".into(),
        ));
    }
    let mut summary = Summary {
        lines: texts.len(),
        latin1_lines,
        left_out,
        ..Summary::default()
    };
    if let Some(warning) = day.1 {
        summary.warnings.push(warning);
    }
    apply_corrections(&mut records, &mut summary);
    let meetbot = records
        .iter()
        .any(|r| command_word(&r.text).is_some_and(|(w, _)| w == "#startmeeting"));
    summary.conventions = match (plain, meetbot) {
        (true, _) => "plain text in W3C scribe conventions",
        (false, true) => "MeetBot",
        (false, false) => "W3C scribe conventions",
    };
    let scribe = match options.scribe.clone() {
        Some(nick) => Some(nick),
        None if plain => Some(PLAIN_SCRIBE.to_string()),
        None => first_scribe(&records).or_else(|| {
            let guess = most_active(&records);
            if let Some(nick) = &guess
                && !meetbot
            {
                summary.warnings.push(format!(
                    "No `scribe:` line: took {nick}, who wrote the most, as the scribe (--scribe NICK says otherwise)"
                ));
            }
            guess
        }),
    };
    let mut reader = Reader::new(options, meetbot, summary);
    if let Some(nick) = scribe {
        reader.add_scribes(&nick, false, None);
    }
    for record in &records {
        reader.read(record);
    }
    Ok(reader.finish(plain, clock.timed()))
}

/// Lines as text: a BOM dropped, CRLF or LF ends, and a line that is not
/// UTF-8 read as Latin-1 (old logs mix them), its number noted.
fn decode(bytes: &[u8]) -> (Vec<String>, Vec<usize>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(text) = utf16(bytes) {
        let lines = text.lines().map(str::to_string).collect();
        return (lines, Vec::new());
    }
    let mut latin1 = Vec::new();
    let mut lines = Vec::new();
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        match std::str::from_utf8(raw) {
            Ok(text) => lines.push(text.to_string()),
            Err(_) => {
                latin1.push(i + 1);
                lines.push(raw.iter().map(|&b| char::from(b)).collect());
            }
        }
    }
    if bytes.ends_with(b"\n") {
        lines.pop();
    }
    (lines, latin1)
}

/// A log saved as UTF-16 (a Windows client's "Unicode"), by its BOM.
fn utf16(bytes: &[u8]) -> Option<String> {
    let little = match bytes.get(..2)? {
        [0xFF, 0xFE] => true,
        [0xFE, 0xFF] => false,
        _ => return None,
    };
    let units = bytes[2..].chunks_exact(2).map(|pair| {
        if little {
            u16::from_le_bytes([pair[0], pair[1]])
        } else {
            u16::from_be_bytes([pair[0], pair[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
            .replace("\r\n", "\n"),
    )
}

/// IRC's colour and bold codes and other control characters are not
/// text; tabs are spaces, as in scribe.perl.
fn clean(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => out.push(' '),
            // Colour: ^C, then up to two digits, a comma and two more.
            '\u{3}' => {
                for _ in 0..2 {
                    chars.next_if(char::is_ascii_digit);
                }
                if chars.peek() == Some(&',') {
                    chars.next();
                    for _ in 0..2 {
                        chars.next_if(char::is_ascii_digit);
                    }
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The meeting's day: `Date:`, else a line's own date, else the date in
/// RRSAgent's log address, else `--date`, else today (with a warning).
fn find_day(parsed: &[(usize, Parsed<'_>)], options: &Options) -> (NaiveDate, Option<String>) {
    let mut from_stamp = None;
    let mut from_url = None;
    for (_, line) in parsed {
        let (stamp, text) = match line {
            Parsed::Said { stamp, text, .. } => (stamp, *text),
            Parsed::Other { stamp, text } => (stamp, *text),
            _ => continue,
        };
        if let Some((word, rest)) = command_word(text)
            && word == "date:"
            && let Some(date) = read_long_date(rest)
        {
            return (date, None);
        }
        from_stamp = from_stamp.or(stamp.date);
        if from_url.is_none() && text.contains("w3.org/") {
            from_url = date_in_url(text);
        }
    }
    if let Some(date) = from_stamp.or(from_url).or(options.date) {
        return (date, None);
    }
    (
        options.today,
        Some(format!(
            "The log gives no day: took today, {} (--date YYYY-MM-DD says otherwise)",
            options.today
        )),
    )
}

/// `09 April 2014`, `9 Apr 2014`, `April 9, 2014`, `2014-04-09`.
fn read_long_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim().trim_end_matches('.');
    if let Some(date) = lines::read_date(text) {
        return Some(date);
    }
    [
        "%d %B %Y",
        "%d %b %Y",
        "%B %d, %Y",
        "%b %d, %Y",
        "%B %d %Y",
        "%A %d %B %Y",
    ]
    .iter()
    .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
}

/// RRSAgent's `…/2014/04/09-forms-irc`.
fn date_in_url(text: &str) -> Option<NaiveDate> {
    let at = text.find("w3.org/")? + "w3.org/".len();
    let rest = text.get(at..at + 11)?;
    let b = rest.as_bytes();
    (b[4] == b'/' && b[7] == b'/' && b[10] == b'-')
        .then(|| {
            NaiveDate::from_ymd_opt(
                rest[..4].parse().ok()?,
                rest[5..7].parse().ok()?,
                rest[8..10].parse().ok()?,
            )
        })
        .flatten()
}

/// Turns the log's clock times into instants: on the meeting's day in
/// its zone, across midnight when the clock goes back by hours, and the
/// previous line's instant for a line without a time.
struct Clock {
    zone: Tz,
    meeting_zone: Tz,
    day: NaiveDate,
    last: Option<(NaiveDate, NaiveTime)>,
    untimed: u32,
}

impl Clock {
    fn new(zone: Tz, meeting_zone: Tz, day: NaiveDate) -> Self {
        Clock {
            zone,
            meeting_zone,
            day,
            last: None,
            untimed: 0,
        }
    }

    /// Whether any line had a clock time.
    fn timed(&self) -> bool {
        self.last.is_some()
    }

    fn at(&mut self, stamp: Stamp) -> Instant {
        let (date, time) = match (stamp.date, stamp.time, self.last) {
            (Some(date), Some(time), _) => (date, time),
            (None, Some(time), Some((date, last))) => {
                // Back by more than 8 hours: past midnight (scribe.perl's rule).
                let date = if last.signed_duration_since(time) > Duration::hours(8) {
                    date.succ_opt().unwrap_or(date)
                } else {
                    date
                };
                (date, time)
            }
            (None, Some(time), None) => (self.day, time),
            (_, None, Some(last)) => last,
            (_, None, None) => {
                // No time yet: a second a line from midnight keeps the order.
                self.untimed += 1;
                let time =
                    NaiveTime::from_num_seconds_from_midnight_opt(self.untimed.min(86_399), 0)
                        .unwrap_or_default();
                return self.instant(stamp.date.unwrap_or(self.day), time, stamp);
            }
        };
        self.last = Some((date, time));
        self.instant(date, time, stamp)
    }

    fn instant(&self, date: NaiveDate, time: NaiveTime, stamp: Stamp) -> Instant {
        let naive = date.and_time(time);
        let utc = match stamp
            .offset
            .and_then(|o| o.from_local_datetime(&naive).single())
        {
            Some(at) => at.to_utc(),
            // A time in a DST gap is read an hour on.
            None => self
                .zone
                .from_local_datetime(&naive)
                .earliest()
                .or_else(|| {
                    self.zone
                        .from_local_datetime(&(naive + Duration::hours(1)))
                        .earliest()
                })
                .map_or_else(|| naive.and_utc(), |at| at.to_utc()),
        };
        utc.with_timezone(&self.meeting_zone).fixed_offset()
    }
}

/// Carries out `s///` and `i///` as scribe.perl does, before anything
/// else is read: they correct the log's lines, whoever typed them.
fn apply_corrections(records: &mut Vec<Record>, summary: &mut Summary) {
    for record in records.iter_mut() {
        if correction::parse(&record.text).is_some() {
            record.state = State::Correction;
        }
    }
    let mut i = 0;
    while i < records.len() {
        if records[i].state != State::Correction {
            i += 1;
            continue;
        }
        let command = records[i].text.clone();
        let Some(fix) = correction::parse(&command) else {
            i += 1;
            continue;
        };
        let is_line = |r: &Record| r.state == State::Line;
        let mut applied = 0;
        if fix.insert {
            if let Some(j) = (0..i)
                .rev()
                .find(|&j| is_line(&records[j]) && fix.matches(&records[j].text))
            {
                let inserted = Record {
                    text: fix.new.to_string(),
                    nick: records[i].nick.clone(),
                    at: records[j].at,
                    line: records[i].line,
                    placed: true,
                    state: State::Line,
                };
                records.insert(j, inserted);
                i += 1;
                applied = 1;
            }
        } else {
            let range = match fix.scope {
                Scope::Everywhere => 0..records.len(),
                _ => 0..i,
            };
            for j in range.rev() {
                if j == i || !is_line(&records[j]) {
                    continue;
                }
                if let Some(text) = fix.apply(&records[j].text) {
                    records[j].text = text;
                    applied += 1;
                    if fix.scope == Scope::Latest {
                        break;
                    }
                }
            }
        }
        if applied > 0 {
            records[i].state = State::Done;
            summary.corrections_applied += 1;
        } else {
            summary
                .corrections_failed
                .push((records[i].line, records[i].text.clone()));
        }
        i += 1;
    }
}

/// A command's first word, lower-cased, with its `:`, `+` or `-` kept
/// (`present+`, `topic:`), and the rest; `#word` for MeetBot.
fn command_word(text: &str) -> Option<(String, &str)> {
    let text = text.trim_start();
    let hash = text.starts_with('#');
    let body = if hash { &text[1..] } else { text };
    let end = body
        .find(|c: char| !(c.is_ascii_alphabetic() || c == '-'))
        .unwrap_or(body.len());
    if end == 0 {
        return None;
    }
    let word = body[..end].to_ascii_lowercase();
    let rest = body[end..].trim_start_matches(' ');
    if hash {
        return Some((format!("#{word}"), rest.trim()));
    }
    let (mark, rest) = if let Some(r) = rest.strip_prefix([':', '：', '=']) {
        (":", r)
    } else if let Some(r) = rest.strip_prefix('+') {
        ("+", r.strip_prefix([':', '：']).unwrap_or(r))
    } else if let Some(r) = rest.strip_prefix('-') {
        ("-", r.strip_prefix([':', '：']).unwrap_or(r))
    } else {
        ("", rest)
    };
    Some((format!("{word}{mark}"), rest.trim()))
}

fn first_scribe(records: &[Record]) -> Option<String> {
    records.iter().find_map(|r| {
        let (word, rest) = command_word(&r.text)?;
        match word.as_str() {
            "scribe+" | "scribenick+" if rest.is_empty() => Some(r.nick.clone()),
            "scribe:" | "scribenick:" | "scribe+" | "scribenick+" if !rest.is_empty() => {
                Some(rest.to_string())
            }
            _ => None,
        }
    })
}

/// Whoever wrote the most lines, bots aside: scribe.perl's guess.
fn most_active(records: &[Record]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for r in records.iter().filter(|r| r.placed && !is_bot(&r.nick)) {
        *counts.entry(&r.nick).or_default() += 1;
    }
    let mut counts: Vec<(&str, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts.first().map(|(nick, _)| nick.to_string())
}

impl Summary {
    /// The summary as the CLI prints it.
    pub fn render(&self, log: &str, written: &str) -> String {
        let mut out = String::new();
        let plural = crate::ui::plural;
        let _ = writeln!(
            out,
            "Read {log}: {} in {}.",
            plural(self.lines, "line"),
            self.conventions
        );
        let _ = writeln!(
            out,
            "Wrote {written}: {}, {}, {}, {}, {}.",
            plural(self.items, "item"),
            plural(self.notes, "note"),
            plural(self.actions, "action"),
            plural(self.resolutions, "resolution"),
            match self.people {
                1 => "1 person".to_string(),
                n => format!("{n} people"),
            }
        );
        if !self.scribes.is_empty() {
            let _ = writeln!(out, "Scribe: {}.", self.scribes.join(", "));
        }
        let _ = writeln!(
            out,
            "Corrections: {} applied, {} matched nothing.",
            self.corrections_applied,
            self.corrections_failed.len()
        );
        for (line, text) in &self.corrections_failed {
            let _ = writeln!(
                out,
                "  line {line}: {text}  (kept as a note; `minutes check` lists it)"
            );
        }
        let _ = writeln!(
            out,
            "Left out: {} (joins, bot replies, queue and bot commands).",
            plural(self.left_out, "line")
        );
        if self.chat_left_out > 0 {
            let _ = writeln!(
                out,
                "Left out: {} of chat that MeetBot does not minute (--chat keeps them as notes).",
                plural(self.chat_left_out, "line")
            );
        }
        if !self.unplaced.is_empty() {
            let _ = writeln!(
                out,
                "{} in no known form, kept as plain notes:",
                plural(self.unplaced.len(), "line")
            );
            for (line, text) in self.unplaced.iter().take(20) {
                let _ = writeln!(
                    out,
                    "  line {line}: {}",
                    crate::ui::truncate_words(text, 70)
                );
            }
            if self.unplaced.len() > 20 {
                let _ = writeln!(out, "  … and {} more", self.unplaced.len() - 20);
            }
        }
        if !self.latin1_lines.is_empty() {
            let shown: Vec<String> = self
                .latin1_lines
                .iter()
                .take(10)
                .map(usize::to_string)
                .collect();
            let more = if self.latin1_lines.len() > 10 {
                ", …"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "Read as Latin-1 (not UTF-8): {} ({}{more}).",
                plural(self.latin1_lines.len(), "line"),
                shown.join(", ")
            );
        }
        for warning in &self.warnings {
            let _ = writeln!(out, "Note: {warning}.");
        }
        out
    }
}

#[cfg(test)]
mod tests;
