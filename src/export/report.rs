//! The report model: everything a template needs, computed from the
//! meeting (attribution, ordinals, times in the meeting's zone), so the
//! templates only arrange it.

use crate::model::{Attendance, Instant, Meeting, Note, NoteKind, fold, is_url, report_text};
use chrono::format::StrftimeItems;
use chrono::{DateTime, Datelike, Offset};
use chrono_tz::Tz;
use minijinja::Value;
use minijinja::value::{Enumerator, Object};
use serde::Serialize;
use std::sync::Arc;

/// How statements read: reported speech, or as said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Voice {
    /// "Chris shared that …" where the note was typed that way (the default).
    #[default]
    Reported,
    /// "Chris: …" for every statement, as W3C minutes read.
    Transcript,
}

impl Voice {
    pub fn of(style: &crate::model::ReportStyle) -> Voice {
        if style.transcript {
            Voice::Transcript
        } else {
            Voice::Reported
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Voice::Reported => "reported",
            Voice::Transcript => "transcript",
        }
    }

    /// As a prep file or F2 has it typed.
    pub fn parse(typed: &str) -> Result<Voice, String> {
        match typed.trim().to_ascii_lowercase().as_str() {
            "reported" => Ok(Voice::Reported),
            "transcript" => Ok(Voice::Transcript),
            other => Err(format!("\"{other}\" is not reported or transcript")),
        }
    }
}

/// Which time, if any, stands before each note in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Timestamps {
    #[default]
    None,
    /// The note's start as time of day, `14:21`.
    Clock,
    /// Time since the meeting started, `00:21:07`, to find it in the recording.
    Elapsed,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub title: String,
    pub series_number: Option<u32>,
    /// "84th"
    pub series_ordinal: Option<String>,
    /// "virtual", "in-person", "hybrid"
    pub mode: &'static str,
    /// "26 September 2024"
    pub date: Option<String>,
    /// "14:00 UTC"
    pub time: Option<String>,
    /// "26 September 2024 at 14:00 UTC"
    pub when: Option<String>,
    pub chair: Option<String>,
    pub note_taker: Option<String>,
    pub recording: Option<String>,
    /// The intro paragraph, built from what is known.
    pub intro: String,
    /// The group's full and short names, when set.
    pub full_name: Option<String>,
    pub short_name: Option<String>,
    /// Notes taken before the first item (how the meeting was opened),
    /// for after the intro.
    #[serde(serialize_with = "entries_as_objects")]
    pub opening: Vec<Arc<Entry>>,
    #[serde(serialize_with = "paragraphs_as_objects")]
    pub opening_paragraphs: Vec<Vec<Arc<Entry>>>,
    /// House style: show the attendance section, number the agenda.
    pub attendance: bool,
    pub agenda_numbers: bool,
    pub present: Vec<Person>,
    pub regrets: Vec<Person>,
    pub agenda: Vec<AgendaEntry>,
    /// One section per agenda item (plus one for notes outside the agenda).
    pub sections: Vec<Section>,
    pub decisions: Vec<SummaryEntry>,
    pub actions: Vec<SummaryEntry>,
    /// "17 October 2024 at 19:00 UTC"
    pub next_meeting: Option<String>,
    pub next_meeting_note: Option<String>,
    /// "The next call will be on 17 October 2024 at 19:00 UTC.", or the
    /// group's own sentence.
    pub next_meeting_sentence: Option<String>,
    /// The next meeting closes the last section (an AoB item) rather than
    /// having a section of its own.
    pub next_meeting_in_last_section: bool,
    /// Who took the minutes, when scribes handed over (`scribe+`): the
    /// note-taker first, then each new scribe.
    pub scribes: Vec<String>,
    /// Not yet made final with `minutes finalize`.
    pub draft: bool,
    /// "Made final by Ana Neves on 27 September 2024."
    pub finalized: Option<String>,
    /// "Approved at the Strategy WG (85th meeting) on 3 October 2024."
    pub approved: Option<String>,
    /// Topics parked for the next meeting (F7), in the order parked.
    pub parked: Vec<String>,
    /// The speaker queue as it was left: no built-in template shows it.
    pub queue: Vec<Queued>,
}

/// Someone in the speaker queue, for a template that wants it.
#[derive(Debug, Serialize)]
pub struct Queued {
    pub name: String,
    /// "point of order", "clarifying question", "reply", "new topic".
    pub kind: &'static str,
    pub topic: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Person {
    pub name: String,
    pub short_name: String,
    pub affiliation: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AgendaEntry {
    pub number: usize,
    pub title: String,
    pub planned_minutes: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct Section {
    /// None for the notes of a meeting without an agenda.
    pub number: Option<usize>,
    pub title: String,
    /// Only http(s) URLs, from the item's link notes (they are also among
    /// the entries, where they were taken).
    pub links: Vec<String>,
    #[serde(serialize_with = "entries_as_objects")]
    pub entries: Vec<Arc<Entry>>,
    /// The next meeting's sentence closes this section (the last, an AoB).
    pub next_meeting_here: bool,
    /// The same entries as paragraphs: an entry and those that continue it.
    #[serde(serialize_with = "paragraphs_as_objects")]
    pub paragraphs: Vec<Vec<Arc<Entry>>>,
}

fn paragraphs_as_objects<S: serde::Serializer>(
    paragraphs: &[Vec<Arc<Entry>>],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(paragraphs.iter().map(|entries| {
        Value::from(
            entries
                .iter()
                .map(|entry| Value::from_dyn_object(entry.clone()))
                .collect::<Vec<_>>(),
        )
    }))
}

/// Entries grouped as they read: each with the ones that continue it.
fn paragraphs(entries: &[Arc<Entry>]) -> Vec<Vec<Arc<Entry>>> {
    let mut out: Vec<Vec<Arc<Entry>>> = Vec::new();
    for entry in entries {
        match out.last_mut() {
            Some(last) if entry.continues => last.push(entry.clone()),
            _ => out.push(vec![entry.clone()]),
        }
    }
    out
}

/// To templates, entries are objects (see [`Entry`]), shared, not copied.
fn entries_as_objects<S: serde::Serializer>(
    entries: &[Arc<Entry>],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(
        entries
            .iter()
            .map(|entry| Value::from_dyn_object(entry.clone())),
    )
}

/// One note as a paragraph of the report.
///
/// To templates an entry is an object whose `text` and `blocks` are worked
/// out when a template asks for them: building and converting them for
/// every note, when most templates use one or the other, was a good part
/// of an export's time and memory.
#[derive(Debug)]
pub struct Entry {
    pub kind: &'static str,
    /// "Chris", "Adam and Isra", "A, B and C"; empty when no speaker.
    pub speakers: String,
    /// True when the text starts with a lower-case word and reads on from
    /// the name ("Chris shared that…"); false for "**Chris:** Text".
    pub inline: bool,
    /// The note's text as it goes in the report (a template string, so
    /// that a one-line note's `text` is this very string, not a copy).
    pub body: Value,
    /// The note is one line of text: `text` says it all (and templates
    /// can skip walking `blocks`).
    pub single_line: bool,
    pub time: Option<String>,
    pub owner: Option<String>,
    pub due: Option<String>,
    /// An action that has been done.
    pub done: bool,
    /// Typed starting with `...` or `…`: reads on in the paragraph of the
    /// entry before it ("… SDG process. Chris noted that …").
    pub continues: bool,
}

impl Entry {
    fn body(&self) -> &str {
        self.body.as_str().unwrap_or_default()
    }

    /// The whole text on one line (for tables and one-line formats).
    pub fn text(&self) -> String {
        one_line(self.body())
    }

    /// The text as blocks: paragraphs of lines, and lists as typed.
    pub fn blocks(&self) -> Vec<Block> {
        blocks(self.body())
    }
}

impl Object for Entry {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let optional =
            |value: &Option<String>| value.as_deref().map_or(Value::from(()), Value::from);
        Some(match key.as_str()? {
            "kind" => Value::from(self.kind),
            "speakers" => Value::from(self.speakers.as_str()),
            "inline" => Value::from(self.inline),
            "blocks" => Value::from_serialize(self.blocks()),
            "text" if is_one_line(self.body()) => self.body.clone(),
            "text" => Value::from(self.text()),
            "single_line" => Value::from(self.single_line),
            "time" => optional(&self.time),
            "owner" => optional(&self.owner),
            "due" => optional(&self.due),
            "done" => Value::from(self.done),
            "continues" => Value::from(self.continues),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&[
            "kind",
            "speakers",
            "inline",
            "blocks",
            "text",
            "single_line",
            "time",
            "owner",
            "due",
            "done",
            "continues",
        ])
    }
}

#[derive(Debug, Serialize)]
pub struct Block {
    /// "lines" (a paragraph, line breaks kept) or "list".
    pub kind: &'static str,
    pub ordered: bool,
    pub lines: Vec<String>,
    /// For a list, how deep each line is nested (0 for the top level; each
    /// two spaces typed before the bullet are one level).
    pub depths: Vec<usize>,
}

#[derive(Debug, Serialize)]
pub struct SummaryEntry {
    pub text: String,
    pub done: bool,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub item_number: Option<usize>,
    pub item_title: Option<String>,
}

/// 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 84th, 111th.
pub fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "Adam", "Adam and Isra", "Anriette, Chris and Timea".
pub fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn long_date(at: &DateTime<Tz>) -> String {
    long_day(at.date_naive())
}

fn long_day(day: chrono::NaiveDate) -> String {
    format!("{} {} {}", day.day(), day.format("%B"), day.year())
}

/// Whether the meeting's notes were taken at more than one UTC offset of
/// its zone.
fn spans_offsets(meeting: &Meeting) -> bool {
    let offset = |note: &Note| meeting.in_zone(note.started_at).offset().fix();
    let mut offsets = meeting.notes.iter().map(offset);
    offsets
        .next()
        .is_some_and(|first| offsets.any(|other| other != first))
}

fn clock(at: &DateTime<Tz>) -> String {
    at.format("%H:%M %Z").to_string()
}

/// Whether `text` is on one line already: no white space but single
/// spaces between words.
fn is_one_line(text: &str) -> bool {
    let bytes = text.as_bytes();
    if !bytes.is_ascii() {
        return text.trim() == text
            && !text.contains("  ")
            && !text.contains(|c: char| c.is_whitespace() && c != ' ');
    }
    // Most notes: no double space, no ASCII white space but the space (as
    // `char::is_whitespace` has it: tab to carriage return), none at the ends.
    // memchr looks at many bytes at a time: a byte-by-byte loop here was a
    // twentieth of an export.
    !bytes.starts_with(b" ")
        && !bytes.ends_with(b" ")
        && memchr::memmem::find(bytes, b"  ").is_none()
        && memchr::memchr3(b'\t', b'\n', b'\r', bytes).is_none()
        && memchr::memchr2(0x0b, 0x0c, bytes).is_none()
}

/// The text on one line, runs of white space made one space.
fn one_line(text: &str) -> String {
    if is_one_line(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn starts_lower_case(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_lowercase)
}

/// Splits typed text into paragraphs and lists: a run of lines that start
/// with `- `, `* ` or `1. ` after the first line is a list.
fn blocks(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blocks.push(Block {
                kind: "lines",
                ordered: false,
                lines: Vec::new(),
                depths: Vec::new(),
            });
            continue;
        }
        let item = if n == 0 { None } else { list_item(line) };
        let depth = (line.len() - line.trim_start().len()) / 2;
        match (item, blocks.last_mut()) {
            (Some((ordered, text)), Some(last))
                if last.kind == "list" && (last.ordered == ordered || depth > 0) =>
            {
                last.lines.push(text.to_string());
                last.depths.push(depth);
            }
            (Some((ordered, text)), _) => blocks.push(Block {
                kind: "list",
                ordered,
                lines: vec![text.to_string()],
                depths: vec![depth],
            }),
            (None, Some(last)) if last.kind == "lines" => last.lines.push(line.to_string()),
            (None, _) => blocks.push(Block {
                kind: "lines",
                ordered: false,
                lines: vec![line.to_string()],
                depths: Vec::new(),
            }),
        }
    }
    blocks.retain(|b| !b.lines.is_empty());
    blocks
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    let trimmed = line.trim_start();
    for bullet in ["- ", "* ", "• "] {
        if let Some(rest) = trimmed.strip_prefix(bullet) {
            return Some((false, rest.trim()));
        }
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        let rest = &trimmed[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((true, rest.trim()));
        }
    }
    None
}

impl Report {
    /// The report in the meeting's own house style.
    pub fn new(meeting: &Meeting, timestamps: Timestamps) -> Report {
        Report::in_voice(meeting, timestamps, Voice::of(&meeting.report))
    }

    pub fn in_voice(meeting: &Meeting, timestamps: Timestamps, voice: Voice) -> Report {
        let when = When::of(meeting);
        let (present, regrets) = attendance(meeting);
        let entries = Entries::new(meeting, timestamps, voice);
        let Body {
            opening,
            sections,
            decisions,
            actions,
        } = body(meeting, &entries);
        let next = NextMeeting::of(meeting);
        let mut sections = sections;
        if next.in_last_section
            && let Some(last) = sections.iter_mut().rfind(|s| s.number.is_some())
        {
            last.next_meeting_here = true;
        }
        let series_ordinal = meeting.series_number.map(|n| ordinal(u64::from(n)));
        let mode = mode_name(meeting.mode);
        Report {
            title: meeting.title.clone(),
            series_number: meeting.series_number,
            intro: intro(
                meeting,
                series_ordinal.as_deref(),
                mode,
                when.intro.as_deref(),
            ),
            series_ordinal,
            mode,
            date: when.date,
            time: when.time,
            when: when.when,
            chair: meeting.chair.clone(),
            note_taker: meeting.note_taker.clone(),
            recording: meeting.recording.clone(),
            full_name: meeting.full_name.clone(),
            short_name: meeting.short_name.clone(),
            opening_paragraphs: paragraphs(&opening),
            opening,
            attendance: !meeting.report.no_attendance,
            agenda_numbers: !meeting.report.no_agenda_numbers,
            present,
            regrets,
            agenda: agenda(meeting),
            sections,
            decisions,
            actions,
            next_meeting_sentence: next.sentence,
            next_meeting_in_last_section: next.in_last_section,
            next_meeting: next.when,
            next_meeting_note: meeting.next_meeting.as_ref().and_then(|n| n.note.clone()),
            scribes: scribes(meeting),
            parked: meeting.parked.clone(),
            queue: meeting
                .queue
                .iter()
                .map(|e| Queued {
                    name: entries.short_name(&e.id),
                    kind: e.kind.label(),
                    topic: e.topic.clone(),
                })
                .collect(),
            // Approved minutes are final, whether or not they were
            // marked so before the approval.
            draft: meeting.finalized.is_none() && meeting.approved.is_none(),
            finalized: meeting.finalized.as_ref().map(|f| {
                format!(
                    "Made final by {} on {}.",
                    f.by,
                    long_date(&meeting.in_zone(f.at))
                )
            }),
            approved: approval_line(meeting),
        }
    }
}

fn mode_name(mode: crate::model::Mode) -> &'static str {
    match mode {
        crate::model::Mode::Virtual => "virtual",
        crate::model::Mode::InPerson => "in-person",
        crate::model::Mode::Hybrid => "hybrid",
    }
}

/// When the meeting is, in each of the forms templates use.
struct When {
    /// "26 September 2024"
    date: Option<String>,
    /// "14:00 UTC"
    time: Option<String>,
    /// "26 September 2024 at 14:00 UTC"
    when: Option<String>,
    /// As the house style's date format has it, for the intro.
    intro: Option<String>,
}

impl When {
    fn of(meeting: &Meeting) -> When {
        let start = meeting
            .scheduled_start
            .or(meeting.started_at)
            .map(|at| meeting.in_zone(at));
        // A planned day with no time (and no start yet) is reported as a
        // day: never "at 00:00".
        let day_only = meeting.scheduled_date.filter(|_| start.is_none());
        let date_format = meeting.report.date_format.as_deref();
        When {
            date: start.as_ref().map(long_date).or(day_only.map(long_day)),
            time: start.as_ref().map(clock),
            when: start
                .as_ref()
                .map(|s| format!("{} at {}", long_date(s), clock(s)))
                .or(day_only.map(long_day)),
            intro: start
                .as_ref()
                .map(|s| when_in_style(s, date_format))
                .or(day_only.map(|day| day_in_style(day, date_format))),
        }
    }
}

/// Who was present and who sent regrets, each listed once, as marked.
fn attendance(meeting: &Meeting) -> (Vec<Person>, Vec<Person>) {
    // Someone heard only off the record was not heard by the record.
    let speakers: std::collections::HashSet<&str> = meeting
        .notes
        .iter()
        .filter(|n| !n.off_record)
        .flat_map(|n| n.speakers.iter().map(String::as_str))
        .collect();
    let person = |p: &crate::model::Participant| Person {
        name: p.name.clone(),
        short_name: p.short_name.clone(),
        affiliation: p.affiliation.clone(),
    };
    let present = meeting
        .participants
        .iter()
        // Someone who spoke was there, unless marked otherwise (sent
        // regrets, say): listed once, as marked; `check` flags it.
        .filter(|p| {
            p.attendance == Some(Attendance::Present)
                || (p.attendance.is_none() && speakers.contains(p.id.as_str()))
        })
        .map(person)
        .collect();
    let regrets = meeting
        .participants
        .iter()
        .filter(|p| p.attendance == Some(Attendance::Regrets))
        .map(person)
        .collect();
    (present, regrets)
}

fn agenda(meeting: &Meeting) -> Vec<AgendaEntry> {
    meeting
        .agenda
        .iter()
        .enumerate()
        .map(|(i, item)| AgendaEntry {
            number: i + 1,
            title: item.title.clone(),
            planned_minutes: item.planned_minutes,
        })
        .collect()
}

/// Turns notes into report entries: names, times and voice.
struct Entries<'m> {
    meeting: &'m Meeting,
    short_names: std::collections::HashMap<&'m str, &'m str>,
    timestamps: Timestamps,
    clock_format: &'static str,
    voice: Voice,
}

impl<'m> Entries<'m> {
    fn new(meeting: &'m Meeting, timestamps: Timestamps, voice: Voice) -> Entries<'m> {
        Entries {
            meeting,
            short_names: meeting
                .participants
                .iter()
                .map(|p| (p.id.as_str(), p.short_name.as_str()))
                .collect(),
            timestamps,
            // Across a change of offset (DST ending at 02:00 repeats 01:00
            // to 01:59), a clock time alone is ambiguous: the zone's
            // abbreviation goes with it then (01:30 EDT, 01:30 EST).
            clock_format: match timestamps {
                Timestamps::Clock if spans_offsets(meeting) => "%H:%M %Z",
                _ => "%H:%M",
            },
            voice,
        }
    }

    fn short_name(&self, id: &str) -> String {
        self.short_names.get(id).map_or(id, |s| s).to_string()
    }

    fn time(&self, note: &Note) -> Option<String> {
        let meeting_start = self.meeting.started_at.or(self.meeting.scheduled_start);
        match (self.timestamps, meeting_start) {
            (Timestamps::None, _) | (Timestamps::Elapsed, None) => None,
            (Timestamps::Clock, _) => Some(
                self.meeting
                    .in_zone(note.started_at)
                    .format(self.clock_format)
                    .to_string(),
            ),
            (Timestamps::Elapsed, Some(start)) => {
                let s = (note.started_at - start).num_seconds().max(0);
                Some(format!(
                    "{:02}:{:02}:{:02}",
                    s / 3600,
                    (s % 3600) / 60,
                    s % 60
                ))
            }
        }
    }

    fn entry(&self, note: &Note) -> Entry {
        let names: Vec<String> = note.speakers.iter().map(|id| self.short_name(id)).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let body = report_text(&note.text);
        let (continues, body) = match continuation(&body) {
            Some(rest) => (true, rest),
            None => (false, &*body),
        };
        Entry {
            kind: kind_name(note.kind),
            speakers: join_names(&names),
            inline: self.voice == Voice::Reported
                && !names.is_empty()
                && note.kind == NoteKind::Statement
                && starts_lower_case(body),
            single_line: !body.trim().contains('\n'),
            body: Value::from(body),
            time: self.time(note),
            owner: note.owner.as_deref().map(|id| self.short_name(id)),
            due: note
                .due
                .map(|d| format!("{} {} {}", d.day(), d.format("%B"), d.year())),
            done: note.done,
            continues,
        }
    }

    fn in_turns(&self, notes: &[&Note]) -> Vec<Arc<Entry>> {
        in_turns(notes.iter().map(|n| self.entry(n)).collect())
    }
}

/// The notes arranged: the opening, a section per item, and the
/// decisions and actions gathered from both.
struct Body {
    opening: Vec<Arc<Entry>>,
    sections: Vec<Section>,
    decisions: Vec<SummaryEntry>,
    actions: Vec<SummaryEntry>,
}

fn body(meeting: &Meeting, entries: &Entries) -> Body {
    let mut item_ids: Vec<Option<u32>> = meeting.agenda.iter().map(|i| Some(i.id)).collect();
    // The notes of each item, in one pass over the meeting.
    let mut by_item: std::collections::HashMap<Option<u32>, Vec<&Note>> =
        item_ids.iter().map(|&id| (id, Vec::new())).collect();
    // Off the record: kept in the file, in no report.
    for note in meeting.notes.iter().filter(|n| !n.off_record) {
        let item = note.item.filter(|id| meeting.item(*id).is_some());
        by_item.entry(item).or_default().push(note);
    }
    // In the order they were said (a note edited or brought back later
    // keeps its place).
    for notes in by_item.values_mut() {
        notes.sort_by_key(|n| (n.started_at, n.id));
    }
    // Before the first item: the opening. Without an agenda, the notes
    // are the discussion itself.
    let unplaced = by_item.remove(&None).unwrap_or_default();
    let opening: Vec<Arc<Entry>> = if meeting.agenda.is_empty() {
        if !unplaced.is_empty() {
            item_ids.push(None);
            by_item.insert(None, unplaced);
        }
        Vec::new()
    } else {
        entries.in_turns(&unplaced)
    };
    // Decisions and actions of the opening come first in their lists.
    let mut decisions = Vec::new();
    let mut actions = Vec::new();
    for entry in &opening {
        let list = match entry.kind {
            "decision" => &mut decisions,
            "action" => &mut actions,
            _ => continue,
        };
        list.push(SummaryEntry::of(entry, None, None));
    }
    let mut sections = Vec::new();
    for item_id in item_ids {
        let item = item_id.and_then(|id| meeting.item(id));
        let number = item.and_then(|i| meeting.item_number(i.id));
        let notes = by_item.remove(&item_id).unwrap_or_default();
        let links = notes
            .iter()
            .filter(|n| n.kind == NoteKind::Link && is_url(n.text.trim()))
            .map(|n| n.text.trim().to_string())
            .collect();
        let section_entries = entries.in_turns(&notes);
        for (note, entry) in notes.iter().zip(&section_entries) {
            let list = match note.kind {
                NoteKind::Decision => &mut decisions,
                NoteKind::Action => &mut actions,
                _ => continue,
            };
            list.push(SummaryEntry::of(
                entry,
                number,
                item.map(|i| i.title.clone()),
            ));
        }
        sections.push(Section {
            number,
            title: item.map_or_else(|| "Notes".to_string(), |i| i.title.clone()),
            links,
            next_meeting_here: false,
            paragraphs: paragraphs(&section_entries),
            entries: section_entries,
        });
    }
    Body {
        opening,
        sections,
        decisions,
        actions,
    }
}

impl SummaryEntry {
    fn of(entry: &Entry, item_number: Option<usize>, item_title: Option<String>) -> SummaryEntry {
        SummaryEntry {
            text: entry.text(),
            done: entry.done,
            owner: entry.owner.clone(),
            due: entry.due.clone(),
            item_number,
            item_title,
        }
    }
}

/// The next call, as the report states it.
struct NextMeeting {
    when: Option<String>,
    sentence: Option<String>,
    /// Groups end their AoB item with the next call.
    in_last_section: bool,
}

impl NextMeeting {
    fn of(meeting: &Meeting) -> NextMeeting {
        let next = meeting.next_meeting.as_ref();
        let date_format = meeting.report.date_format.as_deref();
        NextMeeting {
            when: next.map(|n| {
                let at = meeting.in_zone(n.at);
                format!("{} at {}", long_date(&at), clock(&at))
            }),
            sentence: next.map(|n| match &n.sentence {
                Some(own) => own.clone(),
                None => format!(
                    "The next call will be on {}.",
                    when_in_style(&meeting.in_zone(n.at), date_format)
                ),
            }),
            in_last_section: next.is_some()
                && meeting
                    .agenda
                    .last()
                    .is_some_and(|item| is_any_other_business(&item.title)),
        }
    }
}

/// "Approved at the … on …", with each amendment after it, by whom and
/// when; amended minutes that were never approved say only that.
fn approval_line(meeting: &Meeting) -> Option<String> {
    let zone = |at: Instant| meeting.in_zone(at);
    meeting
        .approved
        .as_ref()
        .map(|a| {
            format!(
                "Approved at the {} on {}.",
                a.by_meeting,
                long_date(&zone(a.at))
            )
        })
        .or_else(|| (!meeting.amended.is_empty()).then(String::new))
        .map(|line| {
            let amended = meeting
                .amended
                .iter()
                .map(|a| format!(" Amended by {} on {}.", a.by, long_date(&zone(a.at))));
            let line: String = std::iter::once(line).chain(amended).collect();
            line.trim_start().to_string()
        })
}

/// The note-taker and each scribe who took over, once each; none unless
/// someone took over (a lone note-taker is not named, as before).
fn scribes(meeting: &Meeting) -> Vec<String> {
    if meeting.scribes.is_empty() {
        return Vec::new();
    }
    let mut names: Vec<String> = Vec::new();
    let first = meeting.note_taker.iter().map(|n| n.trim().to_string());
    for name in first.chain(meeting.scribes.iter().map(|s| s.name.trim().to_string())) {
        if !name.is_empty() && !names.iter().any(|n| fold(n) == fold(&name)) {
            names.push(name);
        }
    }
    names
}

/// "AoB", "AOB", "A.O.B.", "Any other business" (and "AoB and close").
pub fn is_any_other_business(title: &str) -> bool {
    let folded: String = title
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    let words: Vec<&str> = folded.split_whitespace().collect();
    words.first() == Some(&"aob") || words.starts_with(&["any", "other", "business"])
}

/// A continuation by the same speaker goes on with their turn: it does
/// not name them again ("Chris: … Chris more" reads as a second turn).
fn in_turns(mut entries: Vec<Entry>) -> Vec<Arc<Entry>> {
    let mut turn = String::new();
    for entry in &mut entries {
        if !entry.continues {
            turn.clone_from(&entry.speakers);
        } else if entry.speakers == turn {
            entry.speakers = String::new();
            entry.inline = false;
        }
    }
    entries.into_iter().map(Arc::new).collect()
}

/// The text after a continuation mark (`...` or `…`), if it starts with one.
fn continuation(text: &str) -> Option<&str> {
    let trimmed = text.trim_start();
    trimmed
        .strip_prefix("...")
        .or_else(|| trimmed.strip_prefix('…'))
        .map(str::trim_start)
}

/// A date and time the group's way (its strftime `format`, then the
/// zone), or "26 September 2024 at 14:00 UTC".
fn when_in_style(at: &DateTime<Tz>, format: Option<&str>) -> String {
    format
        .and_then(|f| displayed(at.format_with_items(StrftimeItems::new(f))))
        .map(|styled| format!("{styled} {}", at.format("%Z")))
        .unwrap_or_else(|| format!("{} at {}", long_date(at), clock(at)))
}

/// A day in the house style; a style that needs a time (which a day
/// alone has not) falls back to the long date.
fn day_in_style(day: chrono::NaiveDate, format: Option<&str>) -> String {
    format
        .and_then(|f| displayed(day.format_with_items(StrftimeItems::new(f))))
        .unwrap_or_else(|| long_day(day))
}

/// A value shown, or none when showing it fails (a date format that
/// slipped past the checks, or asks for what the value lacks) instead of
/// the panic `to_string` gives then.
fn displayed(value: impl std::fmt::Display) -> Option<String> {
    use std::fmt::Write;
    let mut out = String::new();
    write!(out, "{value}").ok().map(|()| out)
}

fn kind_name(kind: NoteKind) -> &'static str {
    match kind {
        NoteKind::Statement => "statement",
        NoteKind::Decision => "decision",
        NoteKind::Action => "action",
        NoteKind::Link => "link",
        NoteKind::Proposal => "proposal",
        NoteKind::Summary => "summary",
    }
}

/// "The 84th virtual meeting of the X was held on D at T. The meeting was
/// moderated by C, and R." Whatever is unknown is left out.
fn intro(meeting: &Meeting, ordinal: Option<&str>, mode: &str, when: Option<&str>) -> String {
    let mut first = String::from("The ");
    if let Some(ordinal) = ordinal {
        first.push_str(ordinal);
        first.push(' ');
    }
    // The group by its full name, and its short one after it:
    // "… of the IGF MAG Working Group on … Strategy (WG-Strategy)".
    let name = meeting
        .full_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(meeting.title.trim());
    let short = meeting
        .short_name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != name)
        .map_or(String::new(), |s| format!(" ({s})"));
    // A meeting never named ("Meeting", the default) is not "the
    // virtual meeting of the Meeting".
    // A name with its own article is not put after "the": "of The
    // Board", and a title such as "An extremely long review…" is quoted.
    let article = name
        .split_whitespace()
        .next()
        .map(str::to_lowercase)
        .filter(|w| matches!(w.as_str(), "a" | "an" | "the"));
    if name == "Meeting" && short.is_empty() {
        first.push_str(&format!("{mode} meeting was held"));
    } else if article.as_deref() == Some("the") {
        first.push_str(&format!("{mode} meeting of {name}{short} was held"));
    } else if article.is_some() {
        first.push_str(&format!("{mode} meeting “{name}”{short} was held"));
    } else {
        first.push_str(&format!("{mode} meeting of the {name}{short} was held"));
    }
    if let Some(when) = when {
        first.push_str(&format!(" on {when}"));
    }
    first.push('.');
    let recording = meeting
        .recording
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let recording = recording.map(|r| r.trim_end_matches('.'));
    let second = match (
        meeting
            .chair
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty()),
        recording,
    ) {
        (Some(chair), Some(rec)) => format!(
            " The meeting was moderated by {chair}, and {}.",
            lower_first(rec)
        ),
        (Some(chair), None) => format!(" The meeting was moderated by {chair}."),
        (None, Some(rec)) => format!(" {}.", upper_first(rec)),
        (None, None) => String::new(),
    };
    first + &second
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.clone().next()) {
        // Keep acronyms ("UN recording…") as they are.
        (Some(c), Some(next)) if c.is_uppercase() && !next.is_uppercase() => {
            c.to_lowercase().chain(chars).collect()
        }
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_text() {
        assert!(is_one_line(""));
        assert!(is_one_line("Chris shared that"));
        assert!(!is_one_line(" leading"));
        assert!(!is_one_line("two  spaces"));
        assert!(!is_one_line("a\tb"));
        assert!(!is_one_line("trailing "));
    }

    proptest::proptest! {
        #[test]
        fn one_line_check_agrees_with_the_definition(text in "[ab \t\n\r\x0b\x0c\u{a0}]{0,10}") {
            let by_definition = text.trim() == text
                && !text.contains("  ")
                && !text.contains(|c: char| c.is_whitespace() && c != ' ');
            proptest::prop_assert_eq!(is_one_line(&text), by_definition);
        }
    }

    #[test]
    fn ordinals() {
        let cases = [
            (1, "1st"),
            (2, "2nd"),
            (3, "3rd"),
            (4, "4th"),
            (11, "11th"),
            (12, "12th"),
            (13, "13th"),
            (21, "21st"),
            (22, "22nd"),
            (84, "84th"),
            (101, "101st"),
            (111, "111th"),
            (112, "112th"),
            (113, "113th"),
        ];
        for (n, expected) in cases {
            assert_eq!(ordinal(n), expected);
        }
    }

    #[test]
    fn names_join_like_prose() {
        assert_eq!(join_names(&[]), "");
        assert_eq!(join_names(&["Adam"]), "Adam");
        assert_eq!(join_names(&["Adam", "Isra"]), "Adam and Isra");
        assert_eq!(join_names(&["A", "B", "C"]), "A, B and C");
    }

    #[test]
    fn lists_typed_after_the_first_line_become_lists() {
        let b = blocks("raised three points:\n- funding\n- scope\nand closed.\n1. one\n2. two");
        let kinds: Vec<(&str, usize)> = b.iter().map(|b| (b.kind, b.lines.len())).collect();
        assert_eq!(
            kinds,
            vec![("lines", 1), ("list", 2), ("lines", 1), ("list", 2)]
        );
        assert!(b[3].ordered);
        assert_eq!(blocks("- not a list on the first line")[0].kind, "lines");
    }

    #[test]
    fn a_planned_day_without_a_time_is_reported_as_a_day() {
        let mut m = Meeting::new("Board", chrono_tz::Tz::UTC);
        m.scheduled_date = chrono::NaiveDate::from_ymd_opt(2024, 9, 26);
        let report = Report::new(&m, Timestamps::Clock);
        assert_eq!(
            report.intro,
            "The virtual meeting of the Board was held on 26 September 2024."
        );
        m.report.date_format = Some("%-d %B %H:%M".into());
        let report = Report::new(&m, Timestamps::Clock);
        assert!(
            report.intro.contains("on 26 September 2024."),
            "{}",
            report.intro
        );
        m.report.date_format = Some("%A %-d %B".into());
        let report = Report::new(&m, Timestamps::Clock);
        assert!(
            report.intro.contains("on Thursday 26 September."),
            "{}",
            report.intro
        );
    }

    #[test]
    fn intro_never_puts_the_before_an_article() {
        let mut m = Meeting::new(
            "An extremely long review of the charter",
            chrono_tz::Tz::UTC,
        );
        assert_eq!(
            intro(&m, None, "virtual", None),
            "The virtual meeting “An extremely long review of the charter” was held."
        );
        m.title = "The Board".into();
        assert_eq!(
            intro(&m, Some("3rd"), "virtual", None),
            "The 3rd virtual meeting of The Board was held."
        );
        m.title = "Anchor WG".into();
        assert_eq!(
            intro(&m, None, "virtual", None),
            "The virtual meeting of the Anchor WG was held."
        );
    }

    #[test]
    fn intro_leaves_out_what_is_unknown() {
        let mut m = Meeting::new("Board", chrono_tz::Tz::UTC);
        assert_eq!(
            intro(&m, None, "virtual", None),
            "The virtual meeting of the Board was held."
        );
        m.chair = Some("Ana".into());
        m.recording = Some("A recording is available upon request.".into());
        assert_eq!(
            intro(&m, Some("3rd"), "hybrid", Some("1 May 2025 at 10:00 UTC")),
            "The 3rd hybrid meeting of the Board was held on 1 May 2025 at 10:00 UTC. The meeting was moderated by Ana, and a recording is available upon request."
        );
        let unnamed = Meeting::new("Meeting", chrono_tz::Tz::UTC);
        assert_eq!(
            intro(&unnamed, None, "virtual", None),
            "The virtual meeting was held."
        );
        m.chair = None;
        m.recording = Some("no recording was made".into());
        assert_eq!(
            intro(&m, None, "virtual", None),
            "The virtual meeting of the Board was held. No recording was made."
        );
    }
}
