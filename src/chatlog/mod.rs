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

use crate::model::correction::{self, Scope};
use crate::model::{
    AgendaItem, Attendance, Instant, Meeting, Note, NoteKind, Visit, classify, fold, is_url,
};
use chrono::{Duration, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use lines::{Parsed, Stamp};
use std::collections::{HashMap, HashSet};
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

/// What a line added, for a `...` after it and MeetBot's `#undo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Added {
    Note(usize),
    Item(u32),
}

/// Reads the log's lines in order into a meeting.
struct Reader {
    meeting: Meeting,
    summary: Summary,
    meetbot: bool,
    keep_chat: bool,
    title_given: bool,
    /// Folded names and nicks to participant ids.
    people: HashMap<String, String>,
    /// Folded nicks of everyone who wrote in the channel (MeetBot's owners).
    nicks: HashSet<String>,
    scribes_now: HashSet<String>,
    scribe_names: Vec<String>,
    chairs: Vec<String>,
    current_item: Option<u32>,
    /// Per scribe nick: who their `...` lines continue.
    last_speaker: HashMap<String, Option<String>>,
    /// Per nick: what their last line added, for continuations.
    last_added: HashMap<String, Added>,
    meetbot_added: Vec<Added>,
    agenda_link: Option<(Instant, String)>,
    first_at: Option<Instant>,
    last_at: Option<Instant>,
    ended_at: Option<Instant>,
}

impl Reader {
    fn new(options: &Options, meetbot: bool, summary: Summary) -> Self {
        let title = options
            .title
            .clone()
            .unwrap_or_else(|| options.fallback_title.clone());
        Reader {
            meeting: Meeting::new(title, options.time_zone),
            summary,
            meetbot,
            keep_chat: options.keep_chat,
            title_given: options.title.is_some(),
            people: HashMap::new(),
            nicks: HashSet::new(),
            scribes_now: HashSet::new(),
            scribe_names: Vec::new(),
            chairs: Vec::new(),
            current_item: None,
            last_speaker: HashMap::new(),
            last_added: HashMap::new(),
            meetbot_added: Vec::new(),
            agenda_link: None,
            first_at: None,
            last_at: None,
            ended_at: None,
        }
    }

    /// `nick` or `nick = Full Name` or `nick/Full Name`, comma-separated.
    fn add_scribes(&mut self, names: &str, reset: bool, at: Option<Instant>) {
        if reset {
            self.scribes_now.clear();
        }
        for one in names.split(',') {
            let (nick, real) = match one.split_once(['=', '/']) {
                Some((nick, real)) => (nick.trim(), Some(real.trim())),
                None => (one.trim(), None),
            };
            if nick.is_empty() {
                continue;
            }
            self.scribes_now.insert(nick_key(nick));
            let name = real.filter(|r| !r.is_empty()).unwrap_or(nick).to_string();
            if !self
                .scribe_names
                .iter()
                .any(|n| nick_key(n) == nick_key(&name))
            {
                // A scribe after the first takes over: the report names them.
                if let Some(from) = at.filter(|_| !self.scribe_names.is_empty()) {
                    self.meeting.scribes.push(crate::model::ScribeShift {
                        name: name.clone(),
                        from,
                    });
                }
                self.scribe_names.push(name);
            }
        }
    }

    fn is_scribe(&self, nick: &str) -> bool {
        self.scribes_now.contains(&nick_key(nick))
    }

    /// The participant called `name` (a nick or a name), added if new.
    fn person(&mut self, name: &str) -> String {
        let name = name.trim().trim_end_matches('_');
        let key = fold(name);
        if let Some(id) = self.people.get(&key) {
            return id.clone();
        }
        let (id, _) = self.meeting.find_or_add_participant(name);
        self.people.insert(key, id.clone());
        id
    }

    fn mark(&mut self, names: &str, mark: Option<Attendance>) {
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let id = self.person(name);
            if let Some(p) = self.meeting.participant_mut(&id) {
                p.attendance = mark;
            }
        }
    }

    fn touch(&mut self, at: Instant) {
        self.first_at.get_or_insert(at);
        self.last_at = Some(at);
    }

    fn topic(&mut self, title: &str, at: Instant) -> Option<Added> {
        let title = title.trim();
        if title.is_empty() {
            return None;
        }
        self.touch(at);
        let wanted = fold(title);
        let id = match self
            .meeting
            .agenda
            .iter()
            .find(|i| fold(&i.title) == wanted)
        {
            Some(item) => item.id,
            None => self.meeting.insert_agenda_item(usize::MAX, title, None),
        };
        self.enter(id, at);
        Some(Added::Item(id))
    }

    fn enter(&mut self, id: u32, at: Instant) {
        if self.current_item == Some(id) {
            return;
        }
        if let Some(item) = self.current_item.and_then(|c| self.meeting.item_mut(c)) {
            close_visit(item, at);
        }
        if let Some(item) = self.meeting.item_mut(id) {
            item.visits.push(Visit {
                entered: at,
                left: None,
            });
        }
        self.current_item = Some(id);
    }

    /// A note as the live editor would make it of the same text: its kind,
    /// owner and due date read from the words.
    fn note(&mut self, at: Instant, speaker: Option<String>, text: String) -> Added {
        self.touch(at);
        let classified = classify(&text);
        let owner = classified.owner.as_deref().and_then(|typed| {
            // A guessed owner must look like a name: one word, or a known one.
            let known = self.people.contains_key(&fold(typed.trim_end_matches('_')));
            (!classified.owner_by_convention || known || !typed.contains(' '))
                .then(|| self.person(typed))
        });
        let id = self.meeting.notes.len() as u64 + 1;
        let speakers = speaker.into_iter().collect();
        let mut note = Note::new(id, self.current_item, speakers, text, at);
        note.kind = classified.kind;
        note.owner = owner;
        note.due = classified.due;
        self.meeting.notes.push(note);
        Added::Note(self.meeting.notes.len() - 1)
    }

    fn read(&mut self, record: &Record) {
        let at = record.at;
        match record.state {
            State::Done => return,
            State::Correction => {
                // Kept in sight, so `minutes check` can say it matched nothing.
                self.note(at, None, record.text.clone());
                return;
            }
            State::Line => {}
        }
        let text = record.text.trim();
        if text.is_empty() {
            return;
        }
        if !record.placed {
            self.summary.unplaced.push((record.line, text.to_string()));
            self.note(at, None, text.to_string());
            return;
        }
        let nick = record.nick.as_str();
        self.nicks.insert(nick_key(nick));
        if let Some(added) = self.command(nick, text, at) {
            if let Some(added) = added {
                self.last_added.insert(nick_key(nick), added);
            }
            return;
        }
        if is_bot(nick) {
            self.bot_line(nick, text, at);
            return;
        }
        if self.chatter(text) {
            self.summary.left_out += 1;
            return;
        }
        let added = if self.is_scribe(nick) {
            self.scribe_line(nick, text, at)
        } else {
            self.remark(nick, text, at)
        };
        if let Some(added) = added {
            self.last_added.insert(nick_key(nick), added);
        }
    }

    /// A command line's effect: `Some(what it added)` when it was one.
    fn command(&mut self, nick: &str, text: &str, at: Instant) -> Option<Option<Added>> {
        let (word, rest) = command_word(text)?;
        let added = match word.as_str() {
            "meeting:" => {
                if !self.title_given && !rest.is_empty() {
                    self.meeting.title = rest.to_string();
                }
                None
            }
            "date:" => None,
            "chair:" | "chairs:" => {
                self.chairs = split_names(rest);
                None
            }
            "chair+" | "chairs+" if rest.is_empty() => {
                self.chairs.push(nick.trim_end_matches('_').to_string());
                None
            }
            "chair+" | "chairs+" => {
                self.chairs.extend(split_names(rest));
                None
            }
            "chair-" | "chairs-" => {
                let gone: Vec<String> = split_names(rest).iter().map(|n| fold(n)).collect();
                self.chairs.retain(|c| !gone.contains(&fold(c)));
                None
            }
            "present:" => {
                for p in &mut self.meeting.participants {
                    if p.attendance == Some(Attendance::Present) {
                        p.attendance = None;
                    }
                }
                self.mark(rest, Some(Attendance::Present));
                None
            }
            "present+" if rest.is_empty() => {
                self.mark(nick, Some(Attendance::Present));
                None
            }
            "present+" => {
                self.mark(rest, Some(Attendance::Present));
                None
            }
            "present-" => {
                self.mark(rest, None);
                None
            }
            "regrets:" | "regret:" | "regrets+" | "regret+" if rest.is_empty() => {
                self.mark(nick, Some(Attendance::Regrets));
                None
            }
            "regrets:" | "regret:" | "regrets+" | "regret+" => {
                self.mark(rest, Some(Attendance::Regrets));
                None
            }
            "regrets-" | "regret-" => {
                self.mark(rest, None);
                None
            }
            "scribe:" | "scribenick:" => {
                self.add_scribes(rest, true, Some(at));
                None
            }
            "scribe+" | "scribenick+" if rest.is_empty() => {
                self.add_scribes(nick, false, Some(at));
                None
            }
            "scribe+" | "scribenick+" => {
                self.add_scribes(rest, false, Some(at));
                None
            }
            "scribe-" | "scribenick-" => {
                let gone = if rest.is_empty() { nick } else { rest };
                for n in gone.split(',') {
                    self.scribes_now.remove(&nick_key(n.trim()));
                }
                None
            }
            "agenda:" if is_url(rest) => {
                self.agenda_link = Some((at, rest.to_string()));
                None
            }
            "topic:" | "subtopic:" | "sub-topic:" => self.topic(rest, at),
            "scribeoptions:" => None,
            w if w.starts_with('#') => return self.meetbot_command(nick, w, rest, at),
            _ => return None,
        };
        Some(added)
    }

    fn meetbot_command(
        &mut self,
        nick: &str,
        word: &str,
        rest: &str,
        at: Instant,
    ) -> Option<Option<Added>> {
        let who = || Some(nick.trim_end_matches('_').to_string());
        let added = match word {
            "#startmeeting" => {
                if !self.title_given && !rest.is_empty() {
                    self.meeting.title = rest.to_string();
                }
                self.chairs.push(nick.trim_end_matches('_').to_string());
                self.touch(at);
                None
            }
            "#meetingname" | "#meetingtopic" => {
                if !self.title_given && !rest.is_empty() {
                    self.meeting.title = rest.to_string();
                }
                None
            }
            "#endmeeting" => {
                self.ended_at = Some(at);
                None
            }
            "#chair" => {
                self.chairs.extend(
                    rest.split([' ', ','])
                        .filter(|n| !n.is_empty())
                        .map(str::to_string),
                );
                None
            }
            "#unchair" => {
                let gone: Vec<String> = rest.split([' ', ',']).map(fold).collect();
                self.chairs.retain(|c| !gone.contains(&fold(c)));
                None
            }
            "#nick" => {
                for n in rest.split([' ', ',']).filter(|n| !n.is_empty()) {
                    self.person(n);
                }
                None
            }
            "#topic" => self.topic(rest, at),
            "#info" if !rest.is_empty() => {
                let speaker = who().map(|n| self.person(&n));
                Some(self.note(at, speaker, rest.to_string()))
            }
            "#idea" if !rest.is_empty() => {
                let speaker = who().map(|n| self.person(&n));
                Some(self.note(at, speaker, format!("IDEA: {rest}")))
            }
            "#link" if !rest.is_empty() => Some(self.note(at, None, rest.to_string())),
            "#action" if !rest.is_empty() => {
                let text = self.meetbot_action(rest);
                Some(self.note(at, None, text))
            }
            "#agreed" | "#agree" | "#accepted" | "#accept" if !rest.is_empty() => {
                Some(self.note(at, None, format!("RESOLUTION: {rest}")))
            }
            "#rejected" | "#reject" if !rest.is_empty() => {
                Some(self.note(at, None, format!("RESOLUTION: Rejected: {rest}")))
            }
            "#undo" => {
                self.undo();
                None
            }
            "#help" | "#save" | "#lurk" | "#unlurk" | "#commands" => None,
            _ => return None,
        };
        if let Some(added) = added {
            self.meetbot_added.push(added);
        }
        Some(added)
    }

    /// MeetBot names the owner as a nick anywhere in the text; the first
    /// word that is someone's nick becomes `@nick`.
    fn meetbot_action(&mut self, rest: &str) -> String {
        let text = format!("ACTION: {rest}");
        if classify(&text).owner.is_some() {
            return text;
        }
        let first = rest.split_whitespace().next().unwrap_or("");
        let first = first.trim_end_matches([',', ':']);
        let key = nick_key(first);
        if self.nicks.contains(&key) || self.people.contains_key(&key) {
            let after = rest[rest.find(first).unwrap_or(0) + first.len()..]
                .trim_start_matches([',', ':'])
                .trim_start();
            return format!("ACTION: @{first} {after}");
        }
        text
    }

    /// MeetBot's `#undo`: the last thing a `#command` added is taken back.
    fn undo(&mut self) {
        match self.meetbot_added.pop() {
            Some(Added::Note(index)) if index + 1 == self.meeting.notes.len() => {
                self.meeting.notes.pop();
            }
            Some(Added::Item(id)) => {
                let previous = self
                    .meeting
                    .notes
                    .iter()
                    .rev()
                    .find(|n| n.item != Some(id))
                    .and_then(|n| n.item);
                for note in &mut self.meeting.notes {
                    if note.item == Some(id) {
                        note.item = previous;
                    }
                }
                self.meeting.agenda.retain(|i| i.id != id);
                self.current_item = previous;
            }
            _ => {}
        }
    }

    /// Zakim's agenda and attendance and trackbot's action numbers; the
    /// rest of what bots say is left out.
    fn bot_line(&mut self, nick: &str, text: &str, at: Instant) {
        let bot = nick.to_ascii_lowercase();
        if bot == "zakim" {
            if let Some(rest) = text.strip_prefix("agendum ") {
                let title = rest.split_once(" -- ").map(|(_, t)| t).or_else(|| {
                    rest.split_once(". \"")
                        .map(|(_, t)| t.trim_end_matches("\" taken up"))
                });
                if let Some(title) = title {
                    let title = title.split(" -- taken up").next().unwrap_or(title);
                    if let Some(added) = self.topic(title.trim_end_matches('"'), at) {
                        self.last_added.insert(nick_key(nick), added);
                    }
                    return;
                }
            }
            for lead in ["the attendees were ", "the attendees have been "] {
                if let Some(at) = text.find(lead) {
                    let names = text[at + lead.len()..].replace("(no one)", "");
                    self.mark(names.trim_end_matches(','), Some(Attendance::Present));
                    return;
                }
            }
        }
        if bot == "trackbot"
            && let Some(due) = text.strip_prefix("Created ACTION-").and_then(due_in)
        {
            self.set_due_of_last_action(due);
            return;
        }
        self.summary.left_out += 1;
    }

    fn set_due_of_last_action(&mut self, due: NaiveDate) {
        if let Some(note) = self
            .meeting
            .notes
            .iter_mut()
            .rev()
            .find(|n| n.kind == NoteKind::Action)
            && note.due.is_none()
        {
            // In the words too, so an edit keeps it.
            note.text = format!("{} (due {due})", note.text.trim_end());
            note.due = Some(due);
        }
    }

    /// Lines for the bots and the queue: `zakim, …`, `q+`, `ack x`,
    /// `agenda+ …`, `rrsagent, make minutes`.
    fn chatter(&self, text: &str) -> bool {
        let lower = text.trim().to_ascii_lowercase();
        let starts = |p: &str| lower.starts_with(p);
        let addressed = BOTS.iter().any(|bot| {
            lower
                .strip_prefix(bot)
                .is_some_and(|r| r.starts_with(',') || r.starts_with(':'))
        });
        let queue = {
            let word = lower.split_whitespace().next().unwrap_or("");
            matches!(
                word,
                "q+" | "q-"
                    | "q?"
                    | "q="
                    | "+q"
                    | "-q"
                    | "queue+"
                    | "queue-"
                    | "queue?"
                    | "qq+"
                    | "vq?"
            ) || word.starts_with("q+") && word.len() <= 3
        };
        addressed
            || queue
            || starts("ack ")
            || lower == "ack"
            || starts("agenda+")
            || starts("agenda-")
            || starts("agenda?")
            || starts("agendum ")
            || starts("take up agendum")
            || starts("next agendum")
            || starts("close agendum")
    }

    /// A line the scribe typed: `Name: text`, `... more`, or their own words.
    fn scribe_line(&mut self, nick: &str, text: &str, at: Instant) -> Option<Added> {
        let key = nick_key(nick);
        if let Some(rest) = continuation(text) {
            // The speaker's next sentence, or more of the scribe's last action,
            // resolution or topic.
            if let Some(Some(speaker)) = self.last_speaker.get(&key).cloned() {
                if rest.is_empty() {
                    return None;
                }
                // Someone else's line came between: this starts a new turn.
                let same_turn = self.meeting.notes.last().is_some_and(|n| {
                    n.speakers == [speaker.as_str()] && n.item == self.current_item
                });
                let text = if same_turn {
                    format!("... {rest}")
                } else {
                    rest.to_string()
                };
                return Some(self.note(at, Some(speaker), text));
            }
            if self.continue_last(&key, rest) {
                return None;
            }
            return Some(self.note(at, None, text.to_string()));
        }
        // The scribe's own remark: `<mynick> my opinion`.
        if let Some(inner) = text.strip_prefix('<')
            && let Some((said_by, rest)) = inner.split_once('>')
            && nick_key(said_by) == key
        {
            let speaker = self.person(nick);
            return Some(self.note(at, Some(speaker), rest.trim().to_string()));
        }
        if let Some(rest) = text.strip_prefix('\\') {
            self.last_speaker.insert(key, None);
            return Some(self.note(at, None, rest.to_string()));
        }
        // `ACTION: Steven to …` names an owner, not a speaker.
        let kind = classify(text).kind;
        if let Some((name, rest)) = speaker_line(text).filter(|_| kind == NoteKind::Statement) {
            let speaker = self.person(name);
            self.last_speaker.insert(key, Some(speaker.clone()));
            if rest.is_empty() {
                return None;
            }
            return Some(self.note(at, Some(speaker), rest.to_string()));
        }
        let added = self.note(at, None, text.to_string());
        // An action or a resolution may go on with `...`; plain text ends a turn.
        self.last_speaker.insert(key, None);
        Some(added)
    }

    /// Someone other than the scribe: their own words, under their nick.
    fn remark(&mut self, nick: &str, text: &str, at: Instant) -> Option<Added> {
        if let Some(rest) = continuation(text)
            && self.continue_last(&nick_key(nick), rest)
        {
            return None;
        }
        if self.meetbot && !self.keep_chat {
            self.summary.chat_left_out += 1;
            return None;
        }
        let speaker = self.person(nick);
        Some(self.note(at, Some(speaker), text.to_string()))
    }

    /// `...` after an action, a resolution or a topic goes on with it.
    fn continue_last(&mut self, key: &str, rest: &str) -> bool {
        match self.last_added.get(key).copied() {
            Some(Added::Note(index)) => {
                let Some(note) = self.meeting.notes.get_mut(index) else {
                    return false;
                };
                if !matches!(note.kind, NoteKind::Action | NoteKind::Decision) {
                    return false;
                }
                note.text = format!("{} {rest}", note.text.trim_end());
                let classified = classify(&note.text);
                note.due = note.due.or(classified.due);
                true
            }
            Some(Added::Item(id)) => {
                if let Some(item) = self.meeting.item_mut(id) {
                    item.title = format!("{} {rest}", item.title);
                }
                true
            }
            None => false,
        }
    }

    fn finish(mut self, plain: bool, timed: bool) -> Imported {
        let end = self.ended_at.or(self.last_at);
        if let Some(item) = self.current_item.and_then(|c| self.meeting.item_mut(c))
            && let Some(end) = end
        {
            close_visit(item, end);
        }
        if let Some((at, link)) = self.agenda_link.take() {
            // The agenda's address opens the minutes, before the first topic.
            let id = self.meeting.notes.len() as u64 + 1;
            let first = self.meeting.notes.iter().map(|n| n.started_at).min();
            let at = first.map_or(at, |f| f.min(at));
            let text = format!("Agenda: {link}");
            self.meeting
                .notes
                .insert(0, Note::new(id, None, Vec::new(), text, at));
        }
        // Without clock times the log gives a day, not a start and an end.
        if timed {
            self.meeting.started_at = self.first_at;
            self.meeting.ended_at = end;
        } else {
            self.meeting.scheduled_date =
                self.first_at.map(|f| self.meeting.in_zone(f).date_naive());
        }
        let mut chairs: Vec<String> = Vec::new();
        for chair in &self.chairs {
            if !chairs.iter().any(|c| nick_key(c) == nick_key(chair)) {
                chairs.push(chair.clone());
            }
        }
        self.meeting.chair = (!chairs.is_empty()).then(|| chairs.join(", "));
        // The first scribe took the notes; those after are hand-overs.
        self.meeting.note_taker = self.scribe_names.first().filter(|_| !plain).cloned();
        let s = &mut self.summary;
        s.items = self.meeting.agenda.len();
        s.notes = self.meeting.notes.len();
        s.actions = count(&self.meeting, NoteKind::Action);
        s.resolutions = count(&self.meeting, NoteKind::Decision);
        s.people = self.meeting.participants.len();
        s.scribes = if plain { Vec::new() } else { self.scribe_names };
        Imported {
            meeting: self.meeting,
            summary: self.summary,
        }
    }
}

fn count(meeting: &Meeting, kind: NoteKind) -> usize {
    meeting.notes.iter().filter(|n| n.kind == kind).count()
}

fn close_visit(item: &mut AgendaItem, at: Instant) {
    if let Some(visit) = item.visits.last_mut()
        && visit.left.is_none()
    {
        visit.left = Some(at.max(visit.entered));
    }
}

fn split_names(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// The text after `...` or `…` (two dots or more, as scribe.perl reads).
fn continuation(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let rest = if let Some(rest) = text.strip_prefix('…') {
        rest
    } else if text.starts_with("..") {
        text.trim_start_matches('.')
    } else {
        return None;
    };
    Some(rest.trim())
}

/// `Name: text` as scribe.perl reads a speaker: a name without spaces,
/// quotes or `>`, not a URL and not `PROPOSED:` or `ACTION-12:`.
fn speaker_line(text: &str) -> Option<(&str, &str)> {
    let colon = text.find([':', '：'])?;
    let name = text[..colon].trim();
    let rest = text[colon..].trim_start_matches([':', '：']).trim();
    if name.is_empty()
        || name.starts_with("..")
        || name.contains([' ', '"', '>', '<', ';', '/', ',', '(', ')', '='])
        || !name.contains(char::is_alphabetic)
        || rest.starts_with("//")
    {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let special = [
        "proposed",
        "proposal",
        "github",
        "agenda",
        "action",
        "resolution",
        "resolved",
        "decision",
        "issue",
        "summary",
        "slideset",
        "slides",
        "recording",
        "repo",
        "repository",
        "namedanchorhere",
    ]
    .contains(&lower.as_str())
        || lower
            .strip_prefix("issue-")
            .or_else(|| lower.strip_prefix("action-"))
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
    (!special).then_some((name, rest))
}

/// trackbot's `1971 - Fix … [on Steven Pemberton - due 2014-04-16].`
fn due_in(text: &str) -> Option<NaiveDate> {
    let at = text.rfind("due ")?;
    let date = text.get(at + 4..at + 14)?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
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
