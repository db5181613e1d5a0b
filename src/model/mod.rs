//! The meeting as it is stored: plain serde types, no terminal and no I/O.
//!
//! The JSON produced from these types is format v1, documented in
//! `docs/format.md` and `docs/meeting.schema.json`.

pub mod caseless;
mod classify;
pub mod correction;
pub mod grammar;
pub mod instant;
mod names;
pub mod stats;

pub use caseless::after_prefix;
pub use classify::{Classified, classify, is_url, report_text, strip_kind_prefix};
pub use names::{fold, short_name_of, slug, split_affiliation};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The first agenda item of a meeting made with `minutes new --from`.
pub const APPROVAL_OF_MINUTES: &str = "Approval of the previous minutes";
/// The item after it, when the previous meeting left actions open.
pub const REVIEW_OF_ACTIONS: &str = "Review of action items";

/// The file format version this build writes and the newest it reads.
/// Version 1 files are read too (version 2 only added optional fields:
/// the group's names, its house style, the next meeting's sentence and
/// link) and are written back as version 2. Versions 3 and 4 also only
/// added optional fields (and, in 4, the note kinds `proposal` and
/// `summary`); docs/format.md lists them. Version 5 added the
/// conferencing link, where the minutes are published and what was, and
/// `amended` (edits after the minutes were final or approved).
pub const FORMAT_VERSION: u32 = 6;

/// The largest note id a file may hold: the largest integer a JSON number
/// holds exactly (in JavaScript, say), far beyond any real meeting.
pub const MAX_NOTE_ID: u64 = (1 << 53) - 1;

/// An instant as stored: RFC 3339 with the meeting zone's offset.
pub type Instant = DateTime<FixedOffset>;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub format_version: u32,
    /// The group or meeting name, e.g. "IGF MAG Working Group on Strategy".
    pub title: String,
    /// Which call of a recurring series this is (84 for "the 84th meeting").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series_number: Option<u32>,
    #[serde(default)]
    pub mode: Mode,
    /// IANA zone in which times are shown and reported.
    pub time_zone: Tz,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_start: Option<Instant>,
    /// The planned day while no time is known (a prep file's `Date:`
    /// alone); a time given later makes it `scheduled_start`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_date: Option<NaiveDate>,
    /// When the meeting began: the start of its first committed note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Instant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Instant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chair: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_taker: Option<String>,
    /// Free text, e.g. "a recording of the meeting is available upon request".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording: Option<String>,
    #[serde(default)]
    pub participants: Vec<Participant>,
    #[serde(default)]
    pub agenda: Vec<AgendaItem>,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_meeting: Option<NextMeeting>,
    /// The group's full name, for the report's intro ("IGF MAG Working
    /// Group on IGF Strengthening and Strategy"); the title otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// The group's short name, after the full one in the intro ("WG-Strategy").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// The group's house style for the report.
    #[serde(default, skip_serializing_if = "ReportStyle::is_default")]
    pub report: ReportStyle,
    /// Who scribed from when (`scribe+ Name`), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scribes: Vec<ScribeShift>,
    /// Set by `minutes finalize`: the report no longer says DRAFT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finalized: Option<Finalized>,
    /// Set when a later meeting approved these minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved: Option<Approval>,
    /// Edits made after the minutes were final or approved (each opened
    /// with F9 in the app), oldest first: the report says "amended".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amended: Vec<Amendment>,
    /// The meeting this one follows (`new --from`) and the agenda item
    /// that approves its minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<PreviousMeeting>,
    /// Notes taken now are off the record (kept, never reported).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub off_record: bool,
    /// Topics parked for the next meeting, in the order parked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parked: Vec<String>,
    /// The speaker queue (raised hands), in speaking order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub queue: Vec<QueueEntry>,
    /// The straw poll open on the participants' pages (`#startvote`),
    /// with its votes: saved so that a crash loses none (format 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll: Option<Poll>,
    /// The chair closed the queue: no one is added until it opens.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub queue_closed: bool,
    /// The queue stays when the meeting moves to another item (else it
    /// is cleared).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub queue_kept: bool,
    /// When the meeting is planned to end (the agenda's planned minutes
    /// are checked against it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_end: Option<Instant>,
    /// Speakers are timed against this many minutes each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_limit_minutes: Option<u32>,
    /// The conferencing link (Zoom, Meet, Teams, Jitsi), from the invite
    /// or a prep file's `Link:`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Where the series' minutes are published; carried to the next meeting.
    #[serde(default, skip_serializing_if = "PublishTargets::is_empty")]
    pub publish: PublishTargets,
    /// What `minutes publish` sent, where and when, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub published: Vec<Published>,
    /// The issue each action was opened as (`publish --actions-as-issues`),
    /// by note id; carried with the actions to the next meeting.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub action_issues: Vec<ActionIssue>,
}

/// Where a series' minutes go: `## Publish` in a prep file, the options of
/// `minutes publish`, config.toml's `[publish]`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct PublishTargets {
    /// A git repository (a folder, bare or not, or a URL), and after a
    /// colon the folder in it: `../minutes-repo:minutes/2026`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<String>,
    /// Mail addresses the minutes are sent to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email: Vec<String>,
    /// The mail server, HOST:PORT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp: Option<String>,
    /// The mail's From address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// OWNER/REPO: issues and pull requests of it linked in an item get
    /// a comment with the item's minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github: Option<String>,
    /// Open a GitHub issue for each action.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub actions_as_issues: bool,
}

impl PublishTargets {
    pub fn is_empty(&self) -> bool {
        *self == PublishTargets::default()
    }

    /// Each value of `self`, else `other`'s.
    pub fn or_from(self, other: &PublishTargets) -> PublishTargets {
        PublishTargets {
            git: self.git.or_else(|| other.git.clone()),
            email: if self.email.is_empty() {
                other.email.clone()
            } else {
                self.email
            },
            smtp: self.smtp.or_else(|| other.smtp.clone()),
            from: self.from.or_else(|| other.from.clone()),
            github: self.github.or_else(|| other.github.clone()),
            actions_as_issues: self.actions_as_issues || other.actions_as_issues,
        }
    }
}

/// One publication of the minutes at one target.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Published {
    /// `git`, `email` or `github`.
    pub target: String,
    /// Where: the repository and file, the addresses, OWNER/REPO.
    pub to: String,
    pub at: Instant,
    /// The commit id, or the mail's Message-ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Comments and issues made (their web addresses).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// Published while the minutes were a draft (`--draft`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
}

/// An action and the issue it was opened as.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ActionIssue {
    /// The action's note id in this meeting.
    pub note: u64,
    pub url: String,
}

impl Note {
    /// A statement as committed at `at`: kind, owner and due date are the
    /// caller's to read from the text (see [`Meeting::owner_of`]).
    pub fn new(
        id: u64,
        item: Option<u32>,
        speakers: Vec<String>,
        text: String,
        at: Instant,
    ) -> Note {
        Note {
            id,
            item,
            speakers,
            text,
            kind: NoteKind::Statement,
            owner: None,
            due: None,
            started_at: at,
            committed_at: at,
            edited_at: None,
            done: false,
            off_record: false,
            transcript: None,
        }
    }
}

/// A straw poll (MeetBot's `#startvote Question? Yes, No`, TCQ's
/// temperature check): one vote per participant's page, changeable until
/// `#endvote` makes the result a note and removes the poll.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Poll {
    pub question: String,
    /// The choices, in the order given (at least two).
    pub options: Vec<String>,
    /// One per voter, in the order first cast.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub votes: Vec<PollVote>,
    pub opened_at: Instant,
    /// Opened while the meeting was off the record: never shown on the
    /// participants' pages, and its result is an off-the-record note.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub off_record: bool,
}

/// A participant's vote: their page's token (never shown), the name they
/// gave, and the index of their choice in the poll's options.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PollVote {
    pub voter: String,
    pub name: String,
    pub choice: usize,
}

impl Poll {
    /// How many chose each option, in the options' order.
    pub fn counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.options.len()];
        for vote in &self.votes {
            if let Some(count) = counts.get_mut(vote.choice) {
                *count += 1;
            }
        }
        counts
    }
}

/// A raised hand: who, what kind of intervention, about what, since when.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct QueueEntry {
    /// A participant id.
    pub id: String,
    pub kind: QueueKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    pub added_at: Instant,
}

/// TCQ's kinds of raised hand, in the order they speak: a point of order
/// first, then a clarifying question, a reply, a new topic.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum QueueKind {
    PointOfOrder,
    Clarifying,
    Reply,
    NewTopic,
}

impl QueueKind {
    pub fn label(self) -> &'static str {
        match self {
            QueueKind::PointOfOrder => "point of order",
            QueueKind::Clarifying => "clarifying question",
            QueueKind::Reply => "reply",
            QueueKind::NewTopic => "new topic",
        }
    }
}

/// A scribe taking over: `scribe+ Name` at `from`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScribeShift {
    pub name: String,
    pub from: Instant,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Finalized {
    pub by: String,
    pub at: Instant,
}

/// Final or approved minutes opened for editing: by whom, when.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Amendment {
    pub by: String,
    pub at: Instant,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    pub at: Instant,
    /// The approving meeting, as its report names it ("WG Strategy #85").
    pub by_meeting: String,
    /// The words of the decision ("the minutes of 26 September are approved").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PreviousMeeting {
    /// Its file, as an absolute path.
    pub file: String,
    /// The item of this meeting whose decision approves its minutes.
    pub approval_item: u32,
    /// Set once the approval was recorded in that file.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approval_recorded: bool,
}

/// Checks a strftime date format before it is kept: chrono panics on an
/// unknown specifier when it formats, so a bad one is refused when typed.
pub fn check_date_format(format: &str) -> Result<(), String> {
    use chrono::format::{Item, StrftimeItems};
    if StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
        return Err(format!(
            "\"{format}\" is not a date format like %-d %B %Y (strftime: %d day, %B month, %Y year, %H:%M time)"
        ));
    }
    Ok(())
}

/// How a group's report looks, set once and carried to the next meeting.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(deny_unknown_fields)]
pub struct ReportStyle {
    /// Leave out the attendance section.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_attendance: bool,
    /// List the agenda without numbers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_agenda_numbers: bool,
    /// strftime format of the date in the intro and the next meeting's
    /// sentence (`%-d %B %H:%M`); the zone follows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_format: Option<String>,
    /// A template file of the group's own (relative to the meeting file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Statements as W3C minutes read ("Chris: …"), not as reported
    /// speech ("Chris shared that …").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub transcript: bool,
}

impl ReportStyle {
    fn is_default(&self) -> bool {
        *self == ReportStyle::default()
    }

    /// The values of `other` where it sets one: a prep file or the
    /// config over the previous meeting's style.
    pub fn or_from(self, other: &ReportStyle) -> ReportStyle {
        ReportStyle {
            no_attendance: self.no_attendance || other.no_attendance,
            no_agenda_numbers: self.no_agenda_numbers || other.no_agenda_numbers,
            date_format: self.date_format.or_else(|| other.date_format.clone()),
            template: self.template.or_else(|| other.template.clone()),
            transcript: self.transcript || other.transcript,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    Virtual,
    InPerson,
    Hybrid,
}

impl Mode {
    /// As people type it: virtual / online, in person / on site, hybrid.
    pub fn parse(typed: &str) -> Option<Mode> {
        match typed
            .trim()
            .to_ascii_lowercase()
            .replace(['-', '_'], " ")
            .as_str()
        {
            "virtual" | "online" | "remote" => Some(Mode::Virtual),
            "in person" | "inperson" | "on site" => Some(Mode::InPerson),
            "hybrid" => Some(Mode::Hybrid),
            _ => None,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// Stable key that notes refer to; never changes when the name does.
    pub id: String,
    pub name: String,
    /// The name used in the report ("Chris" for "Chris Buckridge").
    pub short_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendance: Option<Attendance>,
    /// Their Alt+digit on the speaker bar, given in the setup (1 to 9);
    /// carried to the next meeting like the rest of the roster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_number: Option<u8>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Present,
    Regrets,
    Absent,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    pub id: u32,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_minutes: Option<u32>,
    /// Each time the meeting entered and left this item, in order.
    #[serde(default)]
    pub visits: Vec<Visit>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    pub entered: Instant,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<Instant>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub id: u64,
    /// The agenda item's id; none when the meeting has no agenda.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<u32>,
    /// Participant ids, in the order they were chosen.
    #[serde(default)]
    pub speakers: Vec<String>,
    /// The text exactly as typed, including any `ACTION:` prefix.
    pub text: String,
    pub kind: NoteKind,
    /// Action owner (participant id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Action due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// When the intervention began: speaker picked or first key typed.
    #[serde(deserialize_with = "instant::deserialize")]
    pub started_at: Instant,
    #[serde(deserialize_with = "instant::deserialize")]
    pub committed_at: Instant,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "instant::deserialize_option"
    )]
    pub edited_at: Option<Instant>,
    /// An action that has been done (marked during a later review).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub done: bool,
    /// Taken off the record: kept in the file, left out of every report.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub off_record: bool,
    /// The transcript segments the note was pulled from: the first and
    /// last id in `FILE.transcript.jsonl` (format 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<[u64; 2]>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    #[default]
    Statement,
    Decision,
    Action,
    Link,
    /// `PROPOSED:` — put to the group, not (yet) decided.
    Proposal,
    /// `SUMMARY:` — the scribe's summary of a discussion.
    Summary,
}

impl NoteKind {
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Statement => "",
            NoteKind::Decision => "DECISION",
            NoteKind::Action => "ACTION",
            NoteKind::Link => "LINK",
            NoteKind::Proposal => "PROPOSED",
            NoteKind::Summary => "SUMMARY",
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NextMeeting {
    pub at: Instant,
    /// A line after the sentence (often a link to the next agenda).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The group's own sentence instead of "The next call will be on …".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
}

impl Meeting {
    pub fn new(title: impl Into<String>, time_zone: Tz) -> Self {
        Meeting {
            format_version: FORMAT_VERSION,
            title: title.into(),
            series_number: None,
            mode: Mode::default(),
            time_zone,
            scheduled_start: None,
            scheduled_date: None,
            started_at: None,
            ended_at: None,
            chair: None,
            note_taker: None,
            recording: None,
            participants: Vec::new(),
            agenda: Vec::new(),
            full_name: None,
            short_name: None,
            report: ReportStyle::default(),
            notes: Vec::new(),
            next_meeting: None,
            scribes: Vec::new(),
            finalized: None,
            approved: None,
            previous: None,
            off_record: false,
            parked: Vec::new(),
            queue: Vec::new(),
            poll: None,
            queue_closed: false,
            queue_kept: false,
            scheduled_end: None,
            speaker_limit_minutes: None,
            link: None,
            publish: PublishTargets::default(),
            published: Vec::new(),
            action_issues: Vec::new(),
            amended: Vec::new(),
        }
    }

    /// A copy of everything but the notes: what a journal's meta record holds.
    pub fn meta(&self) -> Meeting {
        Meeting {
            format_version: self.format_version,
            title: self.title.clone(),
            series_number: self.series_number,
            mode: self.mode,
            time_zone: self.time_zone,
            scheduled_start: self.scheduled_start,
            scheduled_date: self.scheduled_date,
            started_at: self.started_at,
            ended_at: self.ended_at,
            chair: self.chair.clone(),
            note_taker: self.note_taker.clone(),
            recording: self.recording.clone(),
            participants: self.participants.clone(),
            agenda: self.agenda.clone(),
            notes: Vec::new(),
            next_meeting: self.next_meeting.clone(),
            full_name: self.full_name.clone(),
            short_name: self.short_name.clone(),
            report: self.report.clone(),
            scribes: self.scribes.clone(),
            finalized: self.finalized.clone(),
            approved: self.approved.clone(),
            previous: self.previous.clone(),
            off_record: self.off_record,
            parked: self.parked.clone(),
            queue: self.queue.clone(),
            poll: self.poll.clone(),
            queue_closed: self.queue_closed,
            queue_kept: self.queue_kept,
            scheduled_end: self.scheduled_end,
            speaker_limit_minutes: self.speaker_limit_minutes,
            link: self.link.clone(),
            publish: self.publish.clone(),
            published: self.published.clone(),
            action_issues: self.action_issues.clone(),
            amended: self.amended.clone(),
        }
    }

    /// Takes everything but the notes from `meta`.
    pub fn set_meta(&mut self, meta: Meeting) {
        let notes = std::mem::take(&mut self.notes);
        *self = Meeting { notes, ..meta };
    }

    /// `at` expressed in the meeting's zone, as stored in the file.
    pub fn local(&self, at: DateTime<Utc>) -> Instant {
        self.time_zone
            .from_utc_datetime(&at.naive_utc())
            .fixed_offset()
    }

    /// The zone-aware form of a stored instant, for display.
    pub fn in_zone(&self, at: Instant) -> DateTime<Tz> {
        at.with_timezone(&self.time_zone)
    }

    /// Whether every word (as [`search_words`] makes them) is in the
    /// note's text or its speakers' names: "chris budget" finds what Chris
    /// said about the budget. Ignores case and accents.
    pub fn note_has_words(&self, note: &Note, words: &[String]) -> bool {
        let mut haystack = fold(&note.text);
        for p in note.speakers.iter().filter_map(|id| self.participant(id)) {
            for name in [&p.name, &p.short_name] {
                haystack.push('\n');
                haystack.push_str(&fold(name));
            }
        }
        words.iter().all(|w| haystack.contains(w.as_str()))
    }

    /// The day the meeting is (or was) held, in its zone: planned, else
    /// when it started.
    pub fn day(&self) -> Option<NaiveDate> {
        let date = |at: Instant| self.in_zone(at).date_naive();
        self.scheduled_start
            .map(date)
            .or(self.scheduled_date)
            .or(self.started_at.map(date))
    }

    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    pub fn participant_mut(&mut self, id: &str) -> Option<&mut Participant> {
        self.participants.iter_mut().find(|p| p.id == id)
    }

    /// The name a participant is reported under; the raw id if unknown.
    pub fn short_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.participant(id).map_or(id, |p| p.short_name.as_str())
    }

    /// The id of the person a scribe named (see
    /// [`Meeting::find_participant_by_name`]), added to the roster if
    /// nobody is called that; and whether they were added.
    pub fn find_or_add_participant(&mut self, typed: &str) -> (String, bool) {
        match self.find_participant_by_name(typed) {
            Some(p) => (p.id.clone(), false),
            None => (self.add_participant(typed), true),
        }
    }

    /// The id of an action's owner as typed (and whether they were added to
    /// the roster): `@Name` adds a newcomer; a W3C-style `Name to …` is a
    /// guess, taken only for someone already on the roster.
    pub fn owner_of(&mut self, classified: &Classified) -> (Option<String>, bool) {
        match classified.owner.as_deref() {
            Some(typed) if classified.owner_by_convention => (
                self.find_participant_by_name(typed).map(|p| p.id.clone()),
                false,
            ),
            Some(typed) => {
                let (id, added) = self.find_or_add_participant(typed);
                (Some(id), added)
            }
            None => (None, false),
        }
    }

    /// Adds a person to the roster from a typed name ("Full Name (Affiliation)")
    /// and returns their new id.
    pub fn add_participant(&mut self, typed: &str) -> String {
        let (name, affiliation) = names::split_affiliation(typed);
        let id = self.unique_participant_id(&name);
        self.participants.push(Participant {
            id: id.clone(),
            short_name: short_name_of(&name),
            name,
            affiliation,
            attendance: None,
            speaker_number: None,
        });
        id
    }

    fn unique_participant_id(&self, name: &str) -> String {
        let base = match slug(name) {
            s if s.is_empty() => "person".to_string(),
            s => s,
        };
        let mut candidate = base.clone();
        let mut n = 2;
        while self.participant(&candidate).is_some() {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        candidate
    }

    /// Finds a participant by a name as a scribe would type it: id, short
    /// name, full name or first name, ignoring case and accents.
    pub fn find_participant_by_name(&self, typed: &str) -> Option<&Participant> {
        let wanted = fold(typed.trim());
        if wanted.is_empty() {
            return None;
        }
        let by = |f: &dyn Fn(&Participant) -> String| {
            self.participants.iter().find(|p| fold(&f(p)) == wanted)
        };
        by(&|p| p.id.clone())
            .or_else(|| by(&|p| p.short_name.clone()))
            .or_else(|| by(&|p| p.name.clone()))
            .or_else(|| by(&|p| short_name_of(&p.name)))
    }

    pub fn item(&self, id: u32) -> Option<&AgendaItem> {
        self.agenda.iter().find(|i| i.id == id)
    }

    pub fn item_mut(&mut self, id: u32) -> Option<&mut AgendaItem> {
        self.agenda.iter_mut().find(|i| i.id == id)
    }

    /// 1-based position of an item in the agenda, as numbered on screen.
    pub fn item_number(&self, id: u32) -> Option<usize> {
        self.agenda.iter().position(|i| i.id == id).map(|p| p + 1)
    }

    pub fn add_agenda_item(&mut self, title: impl Into<String>, planned_minutes: Option<u32>) {
        self.insert_agenda_item(self.agenda.len(), title, planned_minutes);
    }

    /// A new item at position `at` (0-based, clamped to the end); its id.
    pub fn insert_agenda_item(
        &mut self,
        at: usize,
        title: impl Into<String>,
        planned_minutes: Option<u32>,
    ) -> u32 {
        self.insert_agenda_item_from(at, title, planned_minutes, 1..u32::MAX)
    }

    /// The same, its id the next in `ids`: each scribe sharing a meeting
    /// has a block of its own, so that two items added at once by two
    /// scribes never take one id.
    pub fn insert_agenda_item_from(
        &mut self,
        at: usize,
        title: impl Into<String>,
        planned_minutes: Option<u32>,
        ids: std::ops::Range<u32>,
    ) -> u32 {
        let last = (self.agenda.iter().map(|i| i.id))
            .filter(|id| ids.contains(id))
            .max();
        let id = last.map_or(ids.start, |id| id + 1);
        self.agenda.insert(
            at.min(self.agenda.len()),
            AgendaItem {
                id,
                title: title.into(),
                planned_minutes,
                visits: Vec::new(),
            },
        );
        id
    }

    pub fn next_note_id(&self) -> u64 {
        self.notes.iter().map(|n| n.id).max().unwrap_or(0) + 1
    }

    /// The item the meeting was last in: the newest visit, else the newest
    /// note's item, else the first item.
    pub fn last_item(&self) -> Option<u32> {
        let by_visit = self
            .agenda
            .iter()
            .filter_map(|i| i.visits.last().map(|v| (v.entered, i.id)))
            .max_by_key(|(entered, _)| *entered)
            .map(|(_, id)| id);
        // A meeting not yet started begins at the top of its agenda, even
        // with notes carried in (the actions to review).
        let by_note = || {
            self.started_at?;
            self.notes.last().and_then(|n| n.item)
        };
        by_visit
            .or_else(by_note)
            .or_else(|| self.agenda.first().map(|i| i.id))
    }

    /// The next meeting of the series: same group, mode, chair, note-taker,
    /// roster and zone, the next number, scheduled when this one said, a
    /// first item approving this meeting's minutes and one reviewing its
    /// open actions. The caller links the approval to this meeting's file.
    pub fn next_in_series(&self, now: Instant) -> Meeting {
        let mut next = Meeting::new(self.title.clone(), self.time_zone);
        next.series_number = self.series_number.map(|n| n + 1);
        next.mode = self.mode;
        next.chair = self.chair.clone();
        next.note_taker = self.note_taker.clone();
        next.recording = self.recording.clone();
        next.full_name = self.full_name.clone();
        next.short_name = self.short_name.clone();
        next.report = self.report.clone();
        next.speaker_limit_minutes = self.speaker_limit_minutes;
        next.queue_kept = self.queue_kept;
        next.publish = self.publish.clone();
        // A standing call's link stays the same from one meeting to the next.
        next.link = self.link.clone();
        next.scheduled_start = self.next_meeting.as_ref().map(|n| n.at);
        next.participants = self
            .participants
            .iter()
            .map(|p| Participant {
                attendance: None,
                ..p.clone()
            })
            .collect();
        let open: Vec<&Note> = self
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::Action && !n.done && !n.off_record)
            .collect();
        next.add_agenda_item(APPROVAL_OF_MINUTES, None);
        if !open.is_empty() {
            next.add_agenda_item(REVIEW_OF_ACTIONS, None);
            let review = next.agenda.last().map(|i| i.id);
            let at = next.scheduled_start.unwrap_or(now);
            for (id, action) in (1..).zip(open) {
                if let Some(issue) = self.action_issues.iter().find(|i| i.note == action.id) {
                    next.action_issues.push(ActionIssue {
                        note: id,
                        url: issue.url.clone(),
                    });
                }
                next.notes.push(Note {
                    id,
                    item: review,
                    // Carried for review, not said again: whoever spoke
                    // then is not this meeting's speaker nor present.
                    speakers: Vec::new(),
                    started_at: at,
                    committed_at: at,
                    edited_at: None,
                    // The span was in the previous meeting's transcript.
                    transcript: None,
                    ..action.clone()
                });
            }
        }
        // What this meeting parked for next time comes after the review.
        for title in &self.parked {
            next.add_agenda_item(title.clone(), None);
        }
        next
    }

    /// Closes every visit left open (by a crash, or at the end of capture).
    pub fn close_open_visits(&mut self, at: Instant) {
        for item in &mut self.agenda {
            for visit in &mut item.visits {
                if visit.left.is_none() {
                    visit.left = Some(at.max(visit.entered));
                }
            }
        }
    }
}

impl AgendaItem {
    /// Whole seconds spent on this item, counting an open visit up to `now`.
    pub fn seconds_spent(&self, now: Instant) -> i64 {
        self.visits
            .iter()
            .map(|v| (v.left.unwrap_or(now) - v.entered).num_seconds().max(0))
            .sum()
    }

    /// Planned time left on this item (negative once overrun), if planned.
    pub fn seconds_left(&self, now: Instant) -> Option<i64> {
        self.planned_minutes
            .map(|m| i64::from(m) * 60 - self.seconds_spent(now))
    }

    pub fn is_open(&self) -> bool {
        self.visits.last().is_some_and(|v| v.left.is_none())
    }
}

/// A search query as the words [`Meeting::note_has_words`] looks for.
pub fn search_words(query: &str) -> Vec<String> {
    fold(query).split_whitespace().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Instant {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn participant_ids_are_unique_slugs() {
        let mut m = Meeting::new("T", Tz::UTC);
        assert_eq!(
            m.add_participant("Anriette Esterhuysen (APC)"),
            "anriette-esterhuysen"
        );
        assert_eq!(
            m.add_participant("Anriette Esterhuysen"),
            "anriette-esterhuysen-2"
        );
        let p = m.participant("anriette-esterhuysen").unwrap();
        assert_eq!(p.short_name, "Anriette");
        assert_eq!(p.affiliation.as_deref(), Some("APC"));
    }

    #[test]
    fn finds_participants_ignoring_case_and_accents() {
        let mut m = Meeting::new("T", Tz::UTC);
        m.add_participant("Désirée Miloshevic");
        m.add_participant("Xiao Zhang");
        assert_eq!(
            m.find_participant_by_name("desiree").unwrap().name,
            "Désirée Miloshevic"
        );
        assert_eq!(
            m.find_participant_by_name("XIAO zhang").unwrap().id,
            "xiao-zhang"
        );
        assert!(m.find_participant_by_name("Zhang Xiao").is_none());
    }

    #[test]
    fn time_spent_counts_every_visit_and_the_open_one() {
        let mut m = Meeting::new("T", Tz::UTC);
        m.add_agenda_item("One", None);
        let item = &mut m.agenda[0];
        item.visits.push(Visit {
            entered: at("2024-09-26T14:00:00Z"),
            left: Some(at("2024-09-26T14:10:00Z")),
        });
        item.visits.push(Visit {
            entered: at("2024-09-26T14:20:00Z"),
            left: None,
        });
        assert_eq!(item.seconds_spent(at("2024-09-26T14:25:30Z")), 15 * 60 + 30);
    }

    #[test]
    fn local_time_uses_the_meeting_zone_offset() {
        let m = Meeting::new("T", chrono_tz::Europe::Paris);
        let utc = at("2024-09-26T14:00:00Z").with_timezone(&Utc);
        assert_eq!(m.local(utc).to_rfc3339(), "2024-09-26T16:00:00+02:00");
    }

    /// The zone abbreviations shown in the header and the report come from
    /// vendor/chrono-tz, whose tables keep them inline: letters, signs and
    /// digits, short and long, summer and winter, and a zone's early
    /// local mean time.
    #[test]
    fn zone_abbreviations_read_as_the_tz_database_writes_them() {
        let shown = |zone: Tz, instant: &str| {
            Meeting::new("T", zone)
                .in_zone(at(instant))
                .format("%Z")
                .to_string()
        };
        let cases = [
            (chrono_tz::Europe::Paris, "2024-01-15T12:00:00Z", "CET"),
            (chrono_tz::Europe::Paris, "2024-07-15T12:00:00Z", "CEST"),
            (chrono_tz::America::New_York, "2024-07-15T12:00:00Z", "EDT"),
            (chrono_tz::Asia::Kathmandu, "2024-07-15T12:00:00Z", "+0545"),
            (chrono_tz::America::Sao_Paulo, "2024-07-15T12:00:00Z", "-03"),
            (chrono_tz::Pacific::Chatham, "2024-01-15T12:00:00Z", "+1345"),
            (chrono_tz::Europe::Paris, "1880-01-01T12:00:00Z", "LMT"),
            (Tz::UTC, "2024-07-15T12:00:00Z", "UTC"),
        ];
        for (zone, instant, abbreviation) in cases {
            assert_eq!(shown(zone, instant), abbreviation, "{zone} at {instant}");
        }
    }

    #[test]
    fn the_next_meeting_keeps_where_to_publish_the_link_and_action_issues() {
        let t = at("2024-09-26T14:00:00Z");
        let mut m = Meeting::new("WG", Tz::UTC);
        m.link = Some("https://meet.jit.si/wg".into());
        m.publish.email = vec!["wg@example.org".into()];
        m.published.push(Published {
            target: "email".into(),
            to: "wg@example.org".into(),
            at: t,
            id: None,
            links: Vec::new(),
            draft: false,
        });
        let mut done = Note::new(1, None, Vec::new(), "ACTION: @Ana do".into(), t);
        done.kind = NoteKind::Action;
        done.done = true;
        let mut open = Note::new(2, None, Vec::new(), "ACTION: @Ana write".into(), t);
        open.kind = NoteKind::Action;
        m.notes = vec![done, open];
        m.action_issues.push(ActionIssue {
            note: 2,
            url: "https://github.com/o/r/issues/7".into(),
        });
        let next = m.next_in_series(t);
        assert_eq!(next.link, m.link);
        assert_eq!(next.publish, m.publish);
        assert!(next.published.is_empty(), "the next one is not published");
        // The open action is note 1 there, with its issue.
        assert_eq!(next.notes.len(), 1);
        assert_eq!(
            next.action_issues,
            [ActionIssue {
                note: next.notes[0].id,
                url: "https://github.com/o/r/issues/7".into()
            }]
        );
    }
}
