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
use crate::model::{Instant, Meeting, grammar};
use chrono::{Duration, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use lines::{Parsed, Stamp};
use reader::Reader;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead, Read};
use std::rc::Rc;

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
    /// A log RRSAgent wrote is in UTC, whatever `clock_zone` says (when
    /// the zone was not given).
    pub rrsagent_in_utc: bool,
    /// The house style of the meeting written.
    pub report: crate::model::ReportStyle,
    /// Used when the log gives no date and `date` is not set.
    pub today: NaiveDate,
    /// A title when the log has none: the log file's name.
    pub fallback_title: String,
}

/// What was read, for the person importing to check.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub lines: usize,
    /// The log's form (which client wrote it), as most lines have it.
    pub form: &'static str,
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
    /// Line number, text and why of each correction not carried out
    /// because it would search or grow too much (kept as a note).
    pub corrections_refused: Vec<(usize, String, &'static str)>,
    /// Lines in no known form, kept as plain notes.
    /// (The first 20, as shown; `unplaced_count` counts them all.)
    pub unplaced: Vec<(usize, String)>,
    pub unplaced_count: usize,
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

/// Bots by name; a nick that announces a MeetBot meeting is one too.
fn is_bot(nick: &str) -> bool {
    let bare = grammar::bare_nick(nick).to_ascii_lowercase();
    grammar::BOT_NAMES.contains(&bare.as_str())
}

/// A line of the log as the corrections and the reading see it.
#[derive(Debug, Clone)]
struct Record {
    line: usize,
    stamp: Stamp,
    at: Instant,
    /// Shared by every line of the same nick: a log of millions of lines
    /// has a few dozen nicks.
    nick: Rc<str>,
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

/// A log read from memory.
pub fn import(bytes: &[u8], options: &Options) -> Result<Imported, ImportError> {
    import_from(bytes, options)
}

/// A log read line by line: what is kept is the lines that make the
/// meeting, never the whole file.
pub fn import_from(input: impl BufRead, options: &Options) -> Result<Imported, ImportError> {
    let mut source = Source::new(input)?;
    let mut scan = Scan::default();
    let (records, lines) = read_records(&mut source, &mut scan)?;
    // A log with nobody's nick is minutes typed in an editor: every line
    // is the scribe's (scribe.perl's plain text format).
    let plain = scan.said == 0;
    let mut records = records;
    if plain {
        let scribe: Rc<str> = Rc::from(PLAIN_SCRIBE);
        for record in &mut records {
            record.nick = scribe.clone();
            record.placed = true;
        }
    }
    if records.is_empty() {
        return Err(ImportError(
            "nothing in it reads as a chat log: no line has a speaker or any text".into(),
        ));
    }
    let Some(form) = scan.form(plain) else {
        return Err(in_no_known_form(&records));
    };
    let day = scan.day(options);
    let clock_zone = if options.rrsagent_in_utc && scan.rrsagent {
        chrono_tz::Tz::UTC
    } else {
        options.clock_zone
    };
    let mut clock = Clock::new(clock_zone, options.time_zone, day.0);
    for record in &mut records {
        record.at = clock.at(record.stamp);
    }
    let mut summary = Summary {
        lines,
        latin1_lines: std::mem::take(&mut source.latin1),
        left_out: scan.events,
        form,
        ..Summary::default()
    };
    if let Some(warning) = day.1 {
        summary.warnings.push(warning);
    }
    let records = apply_corrections(records, &mut summary);
    let meetbot = records
        .iter()
        .any(|r| grammar::command_word(&r.text).is_some_and(|(w, _, _)| w == "#startmeeting"))
        || scan.meetbot_started;
    summary.conventions = match (plain, meetbot) {
        (true, _) => "plain text in W3C scribe conventions",
        (false, true) => "MeetBot",
        (false, false) => "W3C scribe conventions",
    };
    let scribe = scribe_of(options, plain, meetbot, &records, &mut summary);
    if !plain && scan.other > scan.said {
        summary.warnings.push(format!(
            "Most lines ({} of {}) are in no form this reads: they are kept as plain notes (listed above); docs/import.md lists the forms",
            scan.other,
            scan.other + scan.said
        ));
    }
    let mut reader = Reader::new(options, meetbot, summary);
    if let Some(title) = scan.meetbot_title.as_deref() {
        reader.meetbot_title(title);
    }
    reader.add_bots(&scan.bots);
    for (old, new) in &scan.renames {
        reader.alias(old, new);
    }
    if let Some(nick) = scribe {
        reader.add_scribes(&nick, false, None);
    }
    read_all(&mut reader, records);
    Ok(reader.finish(plain, clock.timed()))
}

/// The nick every line of a plain-text log (no nicks) is said by.
const PLAIN_SCRIBE: &str = "scribe";

/// The log's lines as records, and how many lines it has; what the lines
/// show of the log (its form, the day, renames) goes into `scan`.
fn read_records(
    source: &mut Source<impl BufRead>,
    scan: &mut Scan,
) -> Result<(Vec<Record>, usize), ImportError> {
    let mut records: Vec<Record> = Vec::new();
    let mut lines = 0usize;
    let mut raw = String::new();
    let mut nicks = Interner::default();
    while source.next_line(&mut raw)? {
        lines += 1;
        let line = lines;
        scan.banner(&raw);
        scan.rename(&raw);
        let parsed = lines::parse(&raw);
        scan.look_at(&parsed);
        let (stamp, nick, text, placed) = match parsed {
            Parsed::Said {
                stamp, nick, text, ..
            } => (stamp, nick, text, true),
            Parsed::Other { stamp, text } => {
                // A wrapped line's indented second half goes on with the first.
                if stamp == Stamp::default()
                    && raw.starts_with([' ', '\t'])
                    && let Some(last) = records.last_mut()
                    && last.placed
                    && last.line + 1 == line
                {
                    last.text.push(' ');
                    last.text.push_str(&clean(text.trim()));
                    continue;
                }
                (stamp, "", text, false)
            }
            Parsed::Event | Parsed::Blank => continue,
        };
        records.push(Record {
            line,
            stamp,
            at: Instant::default(),
            nick: nicks.intern(nick),
            text: clean(text),
            placed,
            state: State::Line,
        });
    }
    Ok((records, lines))
}

/// What a log in no form this reads is told: its first lines.
fn in_no_known_form(records: &[Record]) -> ImportError {
    let first: Vec<String> = records
        .iter()
        .take(3)
        .map(|r| {
            format!(
                "  line {}: {}",
                r.line,
                crate::text::truncate_words(&r.text, 70)
            )
        })
        .collect();
    ImportError(format!(
        "no line is in a form this reads (a chat log's `<nick> text` lines, or minutes typed in W3C scribe conventions); the first lines:\n{}\ndocs/import.md lists the forms",
        first.join("\n")
    ))
}

/// Who scribes: `--scribe`, the plain log's scribe, the first `scribe:`
/// line, or (W3C logs without one) who wrote the most, said.
fn scribe_of(
    options: &Options,
    plain: bool,
    meetbot: bool,
    records: &[Record],
    summary: &mut Summary,
) -> Option<String> {
    match options.scribe.clone() {
        Some(nick) => Some(nick),
        None if plain => Some(PLAIN_SCRIBE.to_string()),
        // MeetBot has no scribe: each line is its writer's.
        None if meetbot => first_scribe(records),
        None => first_scribe(records).or_else(|| {
            let guess = most_active(records);
            if let Some(nick) = &guess {
                summary.warnings.push(format!(
                    "No `scribe:` line: took {nick}, who wrote the most, as the scribe (--scribe NICK says otherwise)"
                ));
            }
            guess
        }),
    }
}

/// Reads every record. Lines are read from the end of a reversed list,
/// and the list's memory given back as it empties: the lines and the
/// meeting they become are not both held whole.
fn read_all(reader: &mut Reader, mut records: Vec<Record>) {
    records.reverse();
    let mut shrink_at = records.len() / 2;
    while let Some(record) = records.pop() {
        reader.read(&record);
        if records.len() < shrink_at {
            records.shrink_to_fit();
            shrink_at = records.len() / 2;
        }
    }
}

/// One shared string per distinct nick.
#[derive(Default)]
struct Interner {
    nicks: std::collections::HashSet<Rc<str>>,
}

impl Interner {
    fn intern(&mut self, nick: &str) -> Rc<str> {
        if let Some(known) = self.nicks.get(nick) {
            return known.clone();
        }
        let shared: Rc<str> = Rc::from(nick);
        self.nicks.insert(shared.clone());
        shared
    }
}

/// The file's lines as text: a BOM dropped, CRLF or LF ends, a line that
/// is not UTF-8 read as Latin-1 (old logs mix them) and its number noted,
/// a UTF-16 file (by its BOM) decoded whole. A NUL byte means a binary
/// file, not a log.
struct Source<R> {
    input: R,
    utf16: Option<std::vec::IntoIter<String>>,
    bytes: Vec<u8>,
    number: usize,
    latin1: Vec<usize>,
}

/// A line longer than this is not a chat line: it is cut into pieces.
const MAX_LINE: usize = 1 << 20;

impl<R: BufRead> Source<R> {
    fn new(mut input: R) -> Result<Self, ImportError> {
        let head = input.fill_buf().map_err(read_error)?;
        let mut utf16 = None;
        if head.starts_with(b"\xEF\xBB\xBF") {
            input.consume(3);
        } else if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
            let mut all = Vec::new();
            input.read_to_end(&mut all).map_err(read_error)?;
            let text = decode_utf16(&all).unwrap_or_default();
            let lines: Vec<String> = text.lines().map(str::to_string).collect();
            utf16 = Some(lines.into_iter());
        }
        Ok(Source {
            input,
            utf16,
            bytes: Vec::new(),
            number: 0,
            latin1: Vec::new(),
        })
    }

    /// The next line into `line`; false at the end.
    fn next_line(&mut self, line: &mut String) -> Result<bool, ImportError> {
        line.clear();
        if let Some(lines) = &mut self.utf16 {
            return Ok(lines.next().map(|l| *line = l).is_some());
        }
        self.bytes.clear();
        let read = (&mut self.input)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut self.bytes)
            .map_err(read_error)?;
        if read == 0 {
            return Ok(false);
        }
        self.number += 1;
        let raw = self.bytes.strip_suffix(b"\n").unwrap_or(&self.bytes);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if memchr::memchr(0, raw).is_some() {
            return Err(ImportError(format!(
                "line {}: a NUL byte: this is a binary file, not a chat log (give the log's text file)",
                self.number
            )));
        }
        match std::str::from_utf8(raw) {
            Ok(text) => line.push_str(text),
            Err(_) => {
                self.latin1.push(self.number);
                line.extend(raw.iter().map(|&b| char::from(b)));
            }
        }
        Ok(true)
    }
}

fn read_error(e: std::io::Error) -> ImportError {
    ImportError(format!("cannot read the log: {e}"))
}

/// What the first pass over the lines learns: the day, the forms seen,
/// MeetBot's start.
#[derive(Default)]
struct Scan {
    said: usize,
    other: usize,
    events: usize,
    forms: std::collections::BTreeMap<&'static str, usize>,
    date_line: Option<NaiveDate>,
    from_stamp: Option<NaiveDate>,
    from_banner: Option<NaiveDate>,
    from_url: Option<NaiveDate>,
    rrsagent: bool,
    meetbot_started: bool,
    /// Nicks that announced a MeetBot meeting: bots, whatever their name.
    bots: Vec<String>,
    /// `old is now known as new`, in order.
    renames: Vec<(String, String)>,
    /// Typed minutes' lines that the grammar reads as commands or speakers.
    plain_commands: usize,
    meetbot_title: Option<String>,
}

impl Scan {
    fn look_at(&mut self, line: &Parsed<'_>) {
        let (stamp, text) = match line {
            Parsed::Said {
                stamp,
                nick,
                text,
                form,
            } => {
                self.said += 1;
                *self.forms.entry(form).or_default() += 1;
                if nick.eq_ignore_ascii_case("rrsagent") {
                    self.rrsagent = true;
                }
                if is_bot(nick) || text.starts_with("Meeting started ") {
                    self.meetbot_line(text);
                }
                if text.starts_with("Meeting started ")
                    && text.contains("The chair is")
                    && !self.bots.iter().any(|b| b == nick)
                {
                    self.bots.push(nick.to_string());
                }
                (stamp, *text)
            }
            Parsed::Other { stamp, text } => {
                self.other += 1;
                if matches!(
                    grammar::read(text),
                    grammar::Line::Command { .. } | grammar::Line::Speaker { .. }
                ) {
                    self.plain_commands += 1;
                }
                (stamp, *text)
            }
            Parsed::Event => {
                self.events += 1;
                return;
            }
            Parsed::Blank => return,
        };
        if self.date_line.is_none()
            && let Some((word, ':', rest)) = grammar::command_word(text)
            && word == "date"
        {
            self.date_line = read_long_date(rest);
        }
        self.from_stamp = self.from_stamp.or(stamp.date);
        if self.from_url.is_none() && text.contains("w3.org/") {
            self.from_url = date_in_url(text);
        }
    }

    /// MeetBot's `Meeting started Wed Jun 10 12:02:26 2020 UTC.` and
    /// `The meeting name has been set to 'x'`.
    fn meetbot_line(&mut self, text: &str) {
        if let Some(rest) = text.strip_prefix("Meeting started ") {
            self.meetbot_started = true;
            let when = rest
                .split(". ")
                .next()
                .unwrap_or(rest)
                .trim_end_matches('.');
            self.from_banner = self.from_banner.or_else(|| lines::read_banner_date(when));
        }
        if let Some(rest) = text.strip_prefix("The meeting name has been set to ") {
            let name = rest.trim().trim_matches(['\'', '"', '.', '`']);
            if !name.is_empty() {
                self.meetbot_title = Some(name.to_string());
            }
        }
    }

    /// Nick changes as clients log them: `-!- dka is now known as dka_air`,
    /// `=== ana_ is now known as Ana`.
    fn rename(&mut self, raw: &str) {
        let Some((before, after)) = raw.split_once(" is now known as ") else {
            return;
        };
        let old = before.split_whitespace().last().unwrap_or("");
        let new = after.split_whitespace().next().unwrap_or("");
        let old = grammar::bare_nick(old.trim_matches(['*', '<', '>']));
        let new = grammar::bare_nick(new.trim_end_matches(['.', ',']));
        if !old.is_empty() && !new.is_empty() && self.renames.len() < 10_000 {
            self.renames.push((old.to_string(), new.to_string()));
        }
    }

    /// Clients' banners: irssi's `--- Log opened Wed Apr 09 15:00:00 2014`
    /// and `--- Day changed Wed Apr 09 2014`, Pidgin's `Conversation with
    /// #wg at Wed 10 Jun 2020 08:00:00 PM UTC on …`.
    fn banner(&mut self, raw: &str) {
        if self.from_banner.is_some() {
            return;
        }
        let when = if let Some(rest) = raw
            .strip_prefix("--- Log opened ")
            .or_else(|| raw.strip_prefix("--- Day changed "))
        {
            rest
        } else if let Some(rest) = raw.strip_prefix("Conversation with ")
            && let Some((_, when)) = rest.split_once(" at ")
        {
            when.split(" on ").next().unwrap_or(when)
        } else {
            return;
        };
        self.from_banner = lines::read_banner_date(when);
    }

    /// The name of the form most lines are in, or none when nothing is
    /// in a known form.
    fn form(&self, plain: bool) -> Option<&'static str> {
        if plain {
            // Typed minutes: worth reading only when some line is a command
            // or a speaker's; anything else is a form this does not know.
            return (self.plain_commands > 0).then_some("minutes typed in an editor");
        }
        self.forms
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(name, _)| *name)
    }

    /// `Date:`, else a line's own date, else a client's banner or
    /// MeetBot's start, else the date in RRSAgent's log address, else
    /// `--date`, else today (with a warning).
    fn day(&self, options: &Options) -> (NaiveDate, Option<String>) {
        if let Some(date) = self
            .date_line
            .or(self.from_stamp)
            .or(self.from_banner)
            .or(self.from_url)
            .or(options.date)
        {
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
}

/// A log saved as UTF-16 (a Windows client's "Unicode"), by its BOM.
fn decode_utf16(bytes: &[u8]) -> Option<String> {
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

/// Corrections may make the lines' text grow by this much over the
/// log's own size (and by the log's size again): a few hundred corrections
/// that each copy a long text into every line would otherwise make a
/// meeting thousands of times the log.
const CORRECTION_GROWTH: usize = 1 << 20;
/// Lines' bytes a correction may look through for free, and the shared
/// allowance beyond that per byte of the log: searching stays linear in
/// the log, however many corrections match nothing.
const SEARCH_FREE: usize = 4 << 10;
const SEARCH_PER_BYTE: usize = 8;
/// A line costs its bytes and this much for being a line (a call).
const SEARCH_PER_LINE: usize = 64;
const SEARCH_BASE: usize = 16 << 20;

/// Carries out `s///` and `i///` as scribe.perl does, before anything
/// else is read: they correct the log's lines, whoever typed them. The
/// lines are a linked list, so an insertion costs nothing; a correction
/// that would search past the allowance or grow the text past its limit
/// is refused and listed.
fn apply_corrections(mut records: Vec<Record>, summary: &mut Summary) -> Vec<Record> {
    let mut any = false;
    for record in records.iter_mut() {
        if correction::parse(&record.text).is_some() {
            record.state = State::Correction;
            any = true;
        }
    }
    if !any {
        return records;
    }
    let mut log = Corrected::new(records);
    for i in 0..log.records.len() {
        if log.records[i].state != State::Correction {
            continue;
        }
        let command = std::mem::take(&mut log.records[i].text);
        let outcome = match correction::parse(&command) {
            Some(fix) if fix.insert => log.insert(i, &fix),
            Some(fix) => log.substitute(i, &fix),
            None => Outcome::NoMatch,
        };
        let record = &mut log.records[i];
        record.text = command;
        let line = record.line;
        match outcome {
            Outcome::Applied => {
                record.state = State::Done;
                summary.corrections_applied += 1;
            }
            Outcome::NoMatch => summary.corrections_failed.push((line, record.text.clone())),
            Outcome::TooBig => summary.corrections_refused.push((
                line,
                record.text.clone(),
                "it would make the meeting too big",
            )),
            Outcome::TooMuchSearch => summary.corrections_refused.push((
                line,
                record.text.clone(),
                "too many corrections to look for in this log",
            )),
        }
    }
    log.in_order()
}

const NONE: usize = usize::MAX;

/// The log's records as a linked list being corrected, with what bounds
/// the corrections: the text's size and the search allowance.
struct Corrected {
    records: Vec<Record>,
    prev: Vec<usize>,
    next: Vec<usize>,
    head: usize,
    /// The lines alone (no corrections) are a second list, searched
    /// backwards: a correction never looks through the others.
    line_prev: Vec<usize>,
    /// Where each correction starts: the last line before it, which
    /// insertions (always before a line) never change.
    start: Vec<usize>,
    /// `G` starts from the last line.
    last_line: usize,
    size: usize,
    size_limit: usize,
    allowance: usize,
}

impl Corrected {
    fn new(records: Vec<Record>) -> Corrected {
        let count = records.len();
        let size: usize = records.iter().map(|r| r.text.len()).sum();
        let mut line_prev: Vec<usize> = vec![NONE; count];
        let mut start: Vec<usize> = vec![NONE; count];
        let mut last_line = NONE;
        for (i, record) in records.iter().enumerate() {
            start[i] = last_line;
            if record.state == State::Line {
                line_prev[i] = last_line;
                last_line = i;
            }
        }
        Corrected {
            prev: (0..count).map(|i| i.wrapping_sub(1)).collect(),
            next: (1..=count)
                .map(|i| if i == count { NONE } else { i })
                .collect(),
            head: 0,
            line_prev,
            start,
            last_line,
            size_limit: size.saturating_mul(2).saturating_add(CORRECTION_GROWTH),
            allowance: size
                .saturating_mul(SEARCH_PER_BYTE)
                .saturating_add(SEARCH_BASE),
            size,
            records,
        }
    }

    /// The cost of looking at a line, from the correction's own free
    /// search first, then the log's allowance; false once nothing is left.
    fn afford(free: &mut usize, allowance: &mut usize, text: &str) -> bool {
        let cost = text.len() + SEARCH_PER_LINE;
        if *free >= cost {
            *free -= cost;
            true
        } else if *allowance >= cost {
            *allowance -= cost;
            true
        } else {
            false
        }
    }

    /// `i/anchor/line/`: the line goes before the latest line that has
    /// the anchor.
    fn insert(&mut self, i: usize, fix: &correction::Correction) -> Outcome {
        let search = fix.searcher();
        let mut free = SEARCH_FREE;
        let mut j = self.start[i];
        let mut outcome = Outcome::NoMatch;
        while j != NONE {
            let text = &self.records[j].text;
            if !Self::afford(&mut free, &mut self.allowance, text) {
                return Outcome::TooMuchSearch;
            }
            if search.matches(text) {
                outcome = if self.size + fix.new.len() > self.size_limit {
                    Outcome::TooBig
                } else {
                    Outcome::Applied
                };
                break;
            }
            j = self.line_prev[j];
        }
        if outcome != Outcome::Applied {
            return outcome;
        }
        self.size += fix.new.len();
        let inserted = Record {
            text: fix.new.to_string(),
            nick: self.records[i].nick.clone(),
            at: self.records[j].at,
            stamp: self.records[j].stamp,
            line: self.records[i].line,
            placed: true,
            state: State::Line,
        };
        let k = self.records.len();
        self.records.push(inserted);
        self.line_prev.push(self.line_prev[j]);
        self.line_prev[j] = k;
        self.prev.push(self.prev[j]);
        self.next.push(j);
        if self.prev[j] == NONE {
            self.head = k;
        } else {
            let before = self.prev[j];
            self.next[before] = k;
        }
        self.prev[j] = k;
        Outcome::Applied
    }

    /// `s/old/new/` (the latest line), with `g` (every earlier line) or
    /// `G` (every line). New texts are kept aside until the whole
    /// correction is known to fit.
    fn substitute(&mut self, i: usize, fix: &correction::Correction) -> Outcome {
        let search = fix.searcher();
        let mut free = SEARCH_FREE;
        let mut changed: Vec<(usize, String)> = Vec::new();
        let mut growth = 0usize;
        let mut j = match fix.scope {
            Scope::Everywhere => self.last_line,
            _ => self.start[i],
        };
        while j != NONE {
            let old = &self.records[j].text;
            if !Self::afford(&mut free, &mut self.allowance, old) {
                return Outcome::TooMuchSearch;
            }
            if let Some(text) = search.apply(old) {
                growth += text.len().saturating_sub(old.len());
                if self.size + growth > self.size_limit {
                    return Outcome::TooBig;
                }
                changed.push((j, text));
                if fix.scope == Scope::Latest {
                    break;
                }
            }
            j = self.line_prev[j];
        }
        if changed.is_empty() {
            return Outcome::NoMatch;
        }
        for (j, text) in changed {
            self.size = self.size - self.records[j].text.len().min(self.size) + text.len();
            self.records[j].text = text;
        }
        Outcome::Applied
    }

    /// The lines in their order, insertions and all.
    fn in_order(self) -> Vec<Record> {
        let mut slots: Vec<Option<Record>> = self.records.into_iter().map(Some).collect();
        let mut ordered = Vec::with_capacity(slots.len());
        let mut j = self.head;
        while j != NONE {
            if let Some(record) = slots[j].take() {
                ordered.push(record);
            }
            j = self.next[j];
        }
        ordered
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Applied,
    NoMatch,
    TooBig,
    TooMuchSearch,
}

fn first_scribe(records: &[Record]) -> Option<String> {
    records.iter().find_map(|r| match grammar::read(&r.text) {
        grammar::Line::Command {
            field: grammar::Field::Scribe,
            verb: grammar::Verb::Set | grammar::Verb::Add,
            rest,
            ..
        } => Some(if rest.is_empty() {
            r.nick.to_string()
        } else {
            rest.to_string()
        }),
        _ => None,
    })
}

/// Whoever wrote the most lines, bots aside: scribe.perl's guess.
fn most_active(records: &[Record]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for r in records.iter().filter(|r| r.placed && !is_bot(&r.nick)) {
        *counts.entry(&*r.nick).or_default() += 1;
    }
    let mut counts: Vec<(&str, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts.first().map(|(nick, _)| nick.to_string())
}

impl Summary {
    /// The summary as the CLI prints it.
    pub fn render(&self, log: &str, written: &str) -> String {
        let mut out = String::new();
        let plural = crate::text::plural;
        let _ = writeln!(
            out,
            "Read {log}: {} in {}, written as {}.",
            plural(self.lines, "line"),
            self.conventions,
            self.form
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
        for (line, text) in self.corrections_failed.iter().take(20) {
            let _ = writeln!(
                out,
                "  line {line}: {}  (kept as a note; `minutes check` lists it)",
                crate::text::truncate_words(text, 70)
            );
        }
        if self.corrections_failed.len() > 20 {
            let _ = writeln!(out, "  … and {} more", self.corrections_failed.len() - 20);
        }
        if !self.corrections_refused.is_empty() {
            let _ = writeln!(
                out,
                "Corrections refused: {} (kept as notes; fix them in the meeting by hand):",
                self.corrections_refused.len()
            );
            for (line, text, why) in self.corrections_refused.iter().take(20) {
                let _ = writeln!(
                    out,
                    "  line {line}: {}  ({why})",
                    crate::text::truncate_words(text, 70)
                );
            }
            if self.corrections_refused.len() > 20 {
                let _ = writeln!(out, "  … and {} more", self.corrections_refused.len() - 20);
            }
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
        if self.unplaced_count > 0 {
            let _ = writeln!(
                out,
                "{} in no known form, kept as plain notes:",
                plural(self.unplaced_count, "line")
            );
            for (line, text) in self.unplaced.iter().take(20) {
                let _ = writeln!(
                    out,
                    "  line {line}: {}",
                    crate::text::truncate_words(text, 70)
                );
            }
            if self.unplaced_count > self.unplaced.len() {
                let _ = writeln!(
                    out,
                    "  … and {} more",
                    self.unplaced_count - self.unplaced.len()
                );
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
