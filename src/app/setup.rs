//! F2, the meeting setup: details, agenda and people, editable before,
//! during and after the call. Every value is checked before it is taken;
//! a refused one leaves the meeting as it was and says why.

use super::{App, Change, Effect, InputMode, SetupAction, SetupError};
use crate::export::Voice;
use crate::model::{Attendance, Instant, Meeting, Mode, NextMeeting};
use crate::text::parse_yes_no;
use chrono::{NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupTab {
    Details,
    Agenda,
    People,
    /// Topics parked for the next meeting (F7): listed, renamed, removed.
    Parked,
}

impl SetupTab {
    pub const ALL: [SetupTab; 4] = [
        SetupTab::Details,
        SetupTab::Agenda,
        SetupTab::People,
        SetupTab::Parked,
    ];

    /// Whether the action does anything on this tab: the footer shows only
    /// those, and the others are not run there.
    pub fn has(self, action: &super::Action) -> bool {
        use super::{Action, SetupAction as A};
        let Action::Setup(action) = action else {
            return true;
        };
        match action {
            A::Add => self != SetupTab::Details,
            A::Remove => matches!(self, SetupTab::Agenda | SetupTab::Parked),
            A::MoveUp | A::MoveDown | A::PlannedMinutes => self == SetupTab::Agenda,
            A::ShortName | A::Affiliation | A::SpeakerNumber | A::Attendance => {
                self == SetupTab::People
            }
            _ => true,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            SetupTab::Details => "Details",
            SetupTab::Agenda => "Agenda",
            SetupTab::People => "People",
            SetupTab::Parked => "Parked",
        }
    }
}

/// A meeting detail on the Details tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    Title,
    FullName,
    ShortName,
    Number,
    Mode,
    Date,
    Time,
    EndTime,
    TimeZone,
    Chair,
    NoteTaker,
    Recording,
    NextDate,
    NextTime,
    NextSentence,
    NextNote,
    Attendance,
    AgendaNumbers,
    DateFormat,
    Template,
    Style,
    SpeakerLimit,
    QueueKept,
    PublishGit,
    PublishEmail,
    PublishSmtp,
    PublishGithub,
}

pub const DETAILS: [Detail; 27] = [
    Detail::Title,
    Detail::FullName,
    Detail::ShortName,
    Detail::Number,
    Detail::Mode,
    Detail::Date,
    Detail::Time,
    Detail::TimeZone,
    Detail::Chair,
    Detail::NoteTaker,
    Detail::Recording,
    Detail::NextDate,
    Detail::NextTime,
    Detail::NextSentence,
    Detail::NextNote,
    Detail::Attendance,
    Detail::AgendaNumbers,
    Detail::DateFormat,
    Detail::Template,
    Detail::EndTime,
    Detail::SpeakerLimit,
    Detail::QueueKept,
    Detail::Style,
    Detail::PublishGit,
    Detail::PublishEmail,
    Detail::PublishSmtp,
    Detail::PublishGithub,
];

impl Detail {
    pub fn label(self) -> &'static str {
        match self {
            Detail::Title => "Title",
            Detail::FullName => "Group's full name",
            Detail::ShortName => "Group's short name",
            Detail::Number => "Number in the series",
            Detail::Mode => "Mode",
            Detail::Date => "Date",
            Detail::Time => "Time",
            Detail::EndTime => "Planned end",
            Detail::TimeZone => "Time zone",
            Detail::Chair => "Chair",
            Detail::NoteTaker => "Note-taker",
            Detail::Recording => "Recording",
            Detail::NextDate => "Next meeting: date",
            Detail::NextTime => "Next meeting: time",
            Detail::NextSentence => "Next meeting: sentence",
            Detail::NextNote => "Next meeting: link or line",
            Detail::Attendance => "Report: attendance",
            Detail::AgendaNumbers => "Report: agenda numbers",
            Detail::DateFormat => "Report: date format",
            Detail::Template => "Report: template file",
            Detail::Style => "Report: style",
            Detail::SpeakerLimit => "Speaker limit (minutes)",
            Detail::QueueKept => "Queue kept across items",
            Detail::PublishGit => "Publish: git repository",
            Detail::PublishEmail => "Publish: mail to",
            Detail::PublishSmtp => "Publish: mail server",
            Detail::PublishGithub => "Publish: GitHub repo",
        }
    }

    /// What the field holds now, as it is typed.
    pub fn value(self, m: &Meeting) -> String {
        let local = |at: Option<Instant>, format: &str| {
            at.map(|t| m.in_zone(t).format(format).to_string())
                .unwrap_or_default()
        };
        let next = m.next_meeting.as_ref().map(|n| n.at);
        match self {
            Detail::Title => m.title.clone(),
            Detail::FullName => m.full_name.clone().unwrap_or_default(),
            Detail::ShortName => m.short_name.clone().unwrap_or_default(),
            Detail::Number => m.series_number.map(|n| n.to_string()).unwrap_or_default(),
            Detail::Mode => mode_name(m.mode).to_string(),
            Detail::Date => match m.scheduled_date {
                Some(day) => day.format("%Y-%m-%d").to_string(),
                None => local(m.scheduled_start, "%Y-%m-%d"),
            },
            Detail::Time => local(m.scheduled_start, "%H:%M"),
            Detail::EndTime => local(m.scheduled_end, "%H:%M"),
            Detail::TimeZone => m.time_zone.name().to_string(),
            Detail::Chair => m.chair.clone().unwrap_or_default(),
            Detail::NoteTaker => m.note_taker.clone().unwrap_or_default(),
            Detail::Recording => m.recording.clone().unwrap_or_default(),
            Detail::NextDate => local(next, "%Y-%m-%d"),
            Detail::NextTime => local(next, "%H:%M"),
            Detail::NextSentence => next_field(m, |n| n.sentence.clone()),
            Detail::NextNote => next_field(m, |n| n.note.clone()),
            Detail::Attendance => yes_no(!m.report.no_attendance).into(),
            Detail::AgendaNumbers => yes_no(!m.report.no_agenda_numbers).into(),
            Detail::DateFormat => m.report.date_format.clone().unwrap_or_default(),
            Detail::Template => m.report.template.clone().unwrap_or_default(),
            Detail::Style => Voice::of(&m.report).name().into(),
            Detail::SpeakerLimit => m
                .speaker_limit_minutes
                .map(|n| n.to_string())
                .unwrap_or_default(),
            Detail::QueueKept => yes_no(m.queue_kept).into(),
            Detail::PublishGit => m.publish.git.clone().unwrap_or_default(),
            Detail::PublishEmail => m.publish.email.join(", "),
            Detail::PublishSmtp => m.publish.smtp.clone().unwrap_or_default(),
            Detail::PublishGithub => m.publish.github.clone().unwrap_or_default(),
        }
    }

    /// Sets the field from what was typed, or says why it cannot. A time
    /// typed before any date is on the day the meeting started, or `today`.
    pub fn set(self, m: &mut Meeting, typed: &str, today: NaiveDate) -> Result<(), SetupError> {
        let typed = typed.trim();
        let text = || Some(typed.to_string()).filter(|t| !t.is_empty());
        match self {
            Detail::Title if typed.is_empty() => return Err(SetupError::EmptyTitle),
            Detail::Title => m.title = typed.to_string(),
            Detail::FullName => m.full_name = text(),
            Detail::ShortName => m.short_name = text(),
            Detail::Number => {
                m.series_number = match typed {
                    "" => None,
                    n => Some(
                        n.trim_start_matches('#')
                            .parse()
                            .map_err(|_| SetupError::NotWholeNumber(n.to_string()))?,
                    ),
                }
            }
            Detail::Mode => {
                m.mode = Mode::parse(typed).ok_or_else(|| SetupError::NotMode(typed.to_string()))?
            }
            Detail::Date | Detail::Time | Detail::TimeZone | Detail::EndTime => {
                self.set_when(m, typed, today)?
            }
            Detail::Chair => m.chair = text(),
            Detail::NoteTaker => m.note_taker = text(),
            Detail::Recording => m.recording = text(),
            Detail::NextDate | Detail::NextTime | Detail::NextSentence | Detail::NextNote => {
                self.set_next(m, typed)?
            }
            Detail::Attendance
            | Detail::AgendaNumbers
            | Detail::DateFormat
            | Detail::Template
            | Detail::Style => self.set_report(m, typed)?,
            Detail::SpeakerLimit => {
                m.speaker_limit_minutes = match typed {
                    "" | "0" => None,
                    n => Some(
                        n.parse()
                            .ok()
                            .filter(|&n: &u32| n > 0)
                            .ok_or_else(|| SetupError::NotMinutes(n.to_string()))?,
                    ),
                }
            }
            Detail::QueueKept => m.queue_kept = parse_yes_no(typed)?,
            Detail::PublishGit
            | Detail::PublishEmail
            | Detail::PublishSmtp
            | Detail::PublishGithub => self.set_publish(m, typed)?,
        }
        Ok(())
    }

    /// When the meeting is planned: its date, time, zone and end.
    fn set_when(self, m: &mut Meeting, typed: &str, today: NaiveDate) -> Result<(), SetupError> {
        match self {
            // A date alone is a day, not a meeting at midnight.
            Detail::Date if m.scheduled_start.is_none() => {
                m.scheduled_date = match typed {
                    "" => None,
                    typed => Some(parse_date(typed)?),
                }
            }
            Detail::Date => m.scheduled_start = with_date(m, m.scheduled_start, typed)?,
            Detail::Time if typed.is_empty() => {
                m.scheduled_date = m.day();
                m.scheduled_start = None;
            }
            Detail::Time => {
                let day = m.day().unwrap_or(today);
                let time = parse_time(typed)?;
                m.scheduled_start = Some(local(m, day, time)?);
                m.scheduled_date = None;
            }
            Detail::TimeZone => {
                let zone: Tz = typed
                    .parse()
                    .map_err(|_| SetupError::NotZone(typed.to_string()))?;
                // Planned times keep their wall-clock time in the new zone.
                let move_to = |at: Instant| {
                    zone.from_local_datetime(&m.in_zone(at).naive_local())
                        .earliest()
                        .map(|t| t.fixed_offset())
                };
                let scheduled = m.scheduled_start.and_then(move_to);
                let next = m.next_meeting.as_ref().and_then(|n| move_to(n.at));
                m.time_zone = zone;
                m.scheduled_start = scheduled.or(m.scheduled_start);
                if let (Some(n), Some(at)) = (m.next_meeting.as_mut(), next) {
                    n.at = at;
                }
            }
            Detail::EndTime if typed.is_empty() => m.scheduled_end = None,
            Detail::EndTime => {
                let start = m.scheduled_start.or(m.started_at);
                let day = start
                    .map(|s| m.in_zone(s).date_naive())
                    .or(m.day())
                    .unwrap_or(today);
                let end = local(m, day, parse_time(typed)?)?;
                if start.is_some_and(|s| end <= s) {
                    return Err(SetupError::NotAfterStart(typed.to_string()));
                }
                m.scheduled_end = Some(end);
            }
            _ => {}
        }
        Ok(())
    }

    /// The next meeting: its date, time, sentence and note.
    fn set_next(self, m: &mut Meeting, typed: &str) -> Result<(), SetupError> {
        let text = || Some(typed.to_string()).filter(|t| !t.is_empty());
        match self {
            Detail::NextDate => {
                let at = with_date(m, m.next_meeting.as_ref().map(|n| n.at), typed)?;
                let (note, sentence) = m
                    .next_meeting
                    .take()
                    .map_or((None, None), |n| (n.note, n.sentence));
                m.next_meeting = at.map(|at| NextMeeting { at, note, sentence });
            }
            Detail::NextTime => {
                let at = with_time(
                    m,
                    m.next_meeting.as_ref().map(|n| n.at),
                    typed,
                    "the next meeting's date",
                )?;
                if let (Some(n), Some(at)) = (m.next_meeting.as_mut(), at) {
                    n.at = at;
                }
            }
            Detail::NextSentence | Detail::NextNote => {
                let Some(next) = m.next_meeting.as_mut() else {
                    return Err(SetupError::SetFirst("the next meeting's date"));
                };
                match self {
                    Detail::NextSentence => next.sentence = text(),
                    _ => next.note = text(),
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// How the report reads.
    fn set_report(self, m: &mut Meeting, typed: &str) -> Result<(), SetupError> {
        let text = || Some(typed.to_string()).filter(|t| !t.is_empty());
        match self {
            Detail::Attendance => m.report.no_attendance = !parse_yes_no(typed)?,
            Detail::AgendaNumbers => m.report.no_agenda_numbers = !parse_yes_no(typed)?,
            Detail::DateFormat => {
                if let Some(format) = text() {
                    crate::model::check_date_format(&format)?;
                }
                m.report.date_format = text();
            }
            Detail::Template => m.report.template = text(),
            Detail::Style => {
                // Empty: back to the default.
                let voice = match typed {
                    "" => Voice::Reported,
                    typed => Voice::parse(typed)?,
                };
                m.report.transcript = voice == Voice::Transcript;
            }
            _ => {}
        }
        Ok(())
    }

    /// Where `minutes publish` sends the final minutes (docs/publish.md);
    /// carried to the next meeting of the series.
    fn set_publish(self, m: &mut Meeting, typed: &str) -> Result<(), SetupError> {
        let text = || Some(typed.to_string()).filter(|t| !t.is_empty());
        match self {
            Detail::PublishGit => m.publish.git = text(),
            Detail::PublishEmail => {
                let to: Vec<String> = typed
                    .split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect();
                if let Some(bad) = to.iter().find(|a| !a.contains('@') || a.contains(' ')) {
                    return Err(SetupError::NotMailAddress(bad.clone()));
                }
                m.publish.email = to;
            }
            Detail::PublishSmtp => {
                if let Some(server) = text() {
                    let port = server.rsplit_once(':').map(|(_, p)| p.parse::<u16>());
                    if !matches!(port, Some(Ok(_))) {
                        return Err(SetupError::NotHostPort(server));
                    }
                }
                m.publish.smtp = text();
            }
            Detail::PublishGithub => {
                if let Some(repo) = text() {
                    let parts: Vec<&str> = repo.split('/').collect();
                    if parts.len() != 2 || parts.iter().any(|p| p.is_empty() || p.contains(' ')) {
                        return Err(SetupError::NotOwnerRepo(repo));
                    }
                }
                m.publish.github = text();
            }
            _ => {}
        }
        Ok(())
    }
}

fn next_field(m: &Meeting, field: impl Fn(&NextMeeting) -> Option<String>) -> String {
    m.next_meeting.as_ref().and_then(field).unwrap_or_default()
}

fn yes_no(yes: bool) -> &'static str {
    if yes { "yes" } else { "no" }
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Virtual => "virtual",
        Mode::InPerson => "in person",
        Mode::Hybrid => "hybrid",
    }
}

/// `at` moved to the typed date (keeping its time), or cleared by "".
fn with_date(m: &Meeting, at: Option<Instant>, typed: &str) -> Result<Option<Instant>, SetupError> {
    if typed.is_empty() {
        return Ok(None);
    }
    let date = parse_date(typed)?;
    let time = at.map(|t| m.in_zone(t).time()).unwrap_or_default();
    local(m, date, time).map(Some)
}

fn with_time(
    m: &Meeting,
    at: Option<Instant>,
    typed: &str,
    what: &'static str,
) -> Result<Option<Instant>, SetupError> {
    let Some(at) = at else {
        return Err(SetupError::SetFirst(what));
    };
    local(m, m.in_zone(at).date_naive(), parse_time(typed)?).map(Some)
}

fn parse_date(typed: &str) -> Result<NaiveDate, SetupError> {
    NaiveDate::parse_from_str(typed, "%Y-%m-%d").map_err(|_| SetupError::NotDate(typed.to_string()))
}

fn parse_time(typed: &str) -> Result<NaiveTime, SetupError> {
    NaiveTime::parse_from_str(typed, "%H:%M").map_err(|_| SetupError::NotTime(typed.to_string()))
}

fn local(m: &Meeting, date: NaiveDate, time: NaiveTime) -> Result<Instant, SetupError> {
    m.time_zone
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.fixed_offset())
        .ok_or_else(|| SetupError::NoSuchTime {
            date,
            time,
            zone: m.time_zone.name().to_string(),
        })
}

/// What a one-line input in the setup is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Detail(Detail),
    NewItem,
    RenameItem,
    PlannedMinutes,
    /// Where the notes of the item being removed go.
    MoveNotesTo,
    NewPerson,
    RenamePerson,
    /// A topic parked for the next meeting.
    NewParked,
    RenameParked,
    ShortName,
    Affiliation,
    /// Their Alt+digit on the speaker bar.
    SpeakerNumber,
}

impl Purpose {
    pub fn prompt(self) -> &'static str {
        match self {
            Purpose::Detail(d) => d.label(),
            Purpose::NewItem => "New item's title",
            Purpose::RenameItem => "Item's title",
            Purpose::PlannedMinutes => "Planned minutes (empty: none)",
            Purpose::MoveNotesTo => "This item has notes. Move them to item number",
            Purpose::NewPerson => "Full Name (Affiliation)",
            Purpose::RenamePerson => "Full name",
            Purpose::NewParked => "Topic to park for the next meeting",
            Purpose::RenameParked => "Parked topic",
            Purpose::ShortName => "Name used in the report",
            Purpose::SpeakerNumber => "Speaker number on the bar, 1 to 9 (empty: none kept)",
            Purpose::Affiliation => "Affiliation (empty: none)",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SetupInput {
    pub purpose: Purpose,
    /// One line, with the editing keys every readline user has; the value
    /// it starts with is selected, so typing replaces it.
    pub editor: TextArea<'static>,
    /// Why the last Enter was refused.
    pub error: Option<SetupError>,
}

impl SetupInput {
    fn new(purpose: Purpose, text: String) -> SetupInput {
        let mut editor = TextArea::new(vec![text]);
        editor.set_cursor_line_style(ratatui::style::Style::default());
        editor.move_cursor(CursorMove::End);
        editor.select_all();
        SetupInput {
            purpose,
            editor,
            error: None,
        }
    }

    /// What is typed.
    pub fn text(&self) -> String {
        self.editor.lines().concat()
    }

    /// A key for the line: readline's Ctrl+U (to the start), Ctrl+W (a
    /// word), Ctrl+A / Ctrl+E and Home / End, arrows; never a line break.
    pub fn key(&mut self, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        // Moving the cursor keeps the value: it is no longer replaced.
        let moves = matches!(
            key.code,
            KeyCode::Left
                | KeyCode::Right
                | KeyCode::Home
                | KeyCode::End
                | KeyCode::Up
                | KeyCode::Down
        ) || ((ctrl || key.modifiers.contains(KeyModifiers::ALT))
            && matches!(key.code, KeyCode::Char('a' | 'e' | 'f' | 'b')));
        if moves {
            self.editor.cancel_selection();
        }
        match key.code {
            KeyCode::Char('j' | 'm') if ctrl => {}
            KeyCode::Enter => {}
            _ => {
                super::editor::readline_key(&mut self.editor, key);
            }
        }
        self.error = None;
    }
}

#[derive(Debug, Clone)]
pub struct Setup {
    pub tab: SetupTab,
    pub selected: usize,
    pub input: Option<SetupInput>,
    /// The row each tab was left on, to come back to it.
    left_on: [Option<usize>; 4],
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            tab: SetupTab::Details,
            selected: 0,
            input: None,
            left_on: [None; 4],
        }
    }
}

impl App {
    pub(super) fn setup_action(&mut self, action: SetupAction) -> Vec<Effect> {
        if self.mode == InputMode::Setup
            && !self.setup.tab.has(&super::Action::Setup(action.clone()))
        {
            return vec![];
        }
        match action {
            SetupAction::Toggle if self.mode == InputMode::Setup => {
                self.close_setup();
                vec![]
            }
            SetupAction::Toggle => self.open_setup(),
            SetupAction::NextTab => {
                self.setup_tab(true);
                vec![]
            }
            SetupAction::PrevTab => {
                self.setup_tab(false);
                vec![]
            }
            SetupAction::Up => {
                self.setup_move(false);
                vec![]
            }
            SetupAction::Down => {
                self.setup_move(true);
                vec![]
            }
            SetupAction::Edit => {
                self.setup_edit();
                vec![]
            }
            SetupAction::Add => {
                self.setup_add();
                vec![]
            }
            SetupAction::Remove => self.setup_remove(),
            SetupAction::MoveUp => self.setup_reorder(false),
            SetupAction::MoveDown => self.setup_reorder(true),
            SetupAction::PlannedMinutes => {
                self.setup_field(Purpose::PlannedMinutes);
                vec![]
            }
            SetupAction::ShortName => {
                self.setup_field(Purpose::ShortName);
                vec![]
            }
            SetupAction::Affiliation => {
                self.setup_field(Purpose::Affiliation);
                vec![]
            }
            SetupAction::SpeakerNumber => {
                self.setup_field(Purpose::SpeakerNumber);
                vec![]
            }
            SetupAction::Attendance => self.setup_attendance(),
            SetupAction::Key(key) => {
                if let Some(input) = &mut self.setup.input {
                    input.key(key);
                }
                vec![]
            }
            SetupAction::Backspace => {
                if let Some(input) = &mut self.setup.input {
                    input.key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
                }
                vec![]
            }
            SetupAction::Confirm => self.setup_confirm(),
        }
    }

    fn open_setup(&mut self) -> Vec<Effect> {
        self.setup.input = None;
        self.open_overlay(InputMode::Setup)
    }

    pub(super) fn close_setup(&mut self) {
        self.setup.input = None;
        self.close_overlay();
    }

    fn rows(&self) -> usize {
        match self.setup.tab {
            SetupTab::Details => DETAILS.len(),
            SetupTab::Agenda => self.meeting.agenda.len(),
            SetupTab::People => self.meeting.participants.len(),
            SetupTab::Parked => self.meeting.parked.len(),
        }
    }

    pub(super) fn setup_tab(&mut self, forward: bool) {
        let i = SetupTab::ALL
            .iter()
            .position(|t| *t == self.setup.tab)
            .unwrap_or(0);
        let n = SetupTab::ALL.len();
        self.setup.left_on[i] = Some(self.setup.selected);
        let next = if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        };
        self.setup.tab = SetupTab::ALL[next];
        // Back on a tab, the row it was left on; the agenda first opens on
        // the item the meeting is on (Delete there means it).
        let first = match self.setup.tab {
            SetupTab::Agenda => self
                .current_item
                .and_then(|id| self.meeting.agenda.iter().position(|item| item.id == id))
                .unwrap_or(0),
            _ => 0,
        };
        let rows = self.rows();
        self.setup.selected = self.setup.left_on[next]
            .unwrap_or(first)
            .min(rows.saturating_sub(1));
    }

    pub(super) fn setup_move(&mut self, down: bool) {
        let rows = self.rows();
        if rows == 0 {
            return;
        }
        self.setup.selected = if down {
            (self.setup.selected + 1).min(rows - 1)
        } else {
            self.setup.selected.saturating_sub(1)
        };
    }

    fn ask(&mut self, purpose: Purpose, text: String) {
        self.setup.input = Some(SetupInput::new(purpose, text));
        self.mode = InputMode::SetupInput;
    }

    /// Enter on a row: edit it.
    pub(super) fn setup_edit(&mut self) {
        let i = self.setup.selected;
        match self.setup.tab {
            SetupTab::Details => {
                let detail = DETAILS[i.min(DETAILS.len() - 1)];
                self.ask(Purpose::Detail(detail), detail.value(&self.meeting));
            }
            SetupTab::Agenda => {
                if let Some(item) = self.meeting.agenda.get(i) {
                    self.ask(Purpose::RenameItem, item.title.clone());
                }
            }
            SetupTab::People => {
                if let Some(p) = self.meeting.participants.get(i) {
                    self.ask(Purpose::RenamePerson, p.name.clone());
                }
            }
            SetupTab::Parked => {
                if let Some(title) = self.meeting.parked.get(i) {
                    self.ask(Purpose::RenameParked, title.clone());
                }
            }
        }
    }

    pub(super) fn setup_add(&mut self) {
        match self.setup.tab {
            SetupTab::Agenda => self.ask(Purpose::NewItem, String::new()),
            SetupTab::People => self.ask(Purpose::NewPerson, String::new()),
            SetupTab::Parked => self.ask(Purpose::NewParked, String::new()),
            SetupTab::Details => {}
        }
    }

    pub(super) fn setup_field(&mut self, purpose: Purpose) {
        let i = self.setup.selected;
        let text = match (self.setup.tab, purpose) {
            (SetupTab::Agenda, Purpose::PlannedMinutes) => match self.meeting.agenda.get(i) {
                Some(item) => item
                    .planned_minutes
                    .map(|m| m.to_string())
                    .unwrap_or_default(),
                None => return,
            },
            (SetupTab::People, Purpose::ShortName) => match self.meeting.participants.get(i) {
                Some(p) => p.short_name.clone(),
                None => return,
            },
            (SetupTab::People, Purpose::Affiliation) => match self.meeting.participants.get(i) {
                Some(p) => p.affiliation.clone().unwrap_or_default(),
                None => return,
            },
            (SetupTab::People, Purpose::SpeakerNumber) => match self.meeting.participants.get(i) {
                Some(p) => self
                    .slots
                    .iter()
                    .find(|(_, id)| *id == p.id)
                    .map(|(n, _)| n.to_string())
                    .unwrap_or_default(),
                None => return,
            },
            _ => return,
        };
        self.ask(purpose, text);
    }

    /// Moves the selected agenda item up or down.
    pub(super) fn setup_reorder(&mut self, down: bool) -> Vec<Effect> {
        let i = self.setup.selected;
        let agenda = &mut self.meeting.agenda;
        if self.setup.tab != SetupTab::Agenda || i >= agenda.len() {
            return vec![];
        }
        let j = if down { i + 1 } else { i.wrapping_sub(1) };
        if j >= agenda.len() {
            return vec![];
        }
        agenda.swap(i, j);
        self.setup.selected = j;
        vec![self.meta_change()]
    }

    pub(super) fn setup_remove(&mut self) -> Vec<Effect> {
        let i = self.setup.selected;
        if self.setup.tab == SetupTab::Parked && i < self.meeting.parked.len() {
            let title = self.meeting.parked.remove(i);
            self.setup.selected = i.min(self.meeting.parked.len().saturating_sub(1));
            self.info(format!("No longer parked: {title}"));
            return vec![self.meta_change()];
        }
        if self.setup.tab != SetupTab::Agenda {
            return vec![];
        }
        let Some(item) = self.meeting.agenda.get(i) else {
            return vec![];
        };
        let id = item.id;
        if self.meeting.notes.iter().any(|n| n.item == Some(id)) {
            if self.meeting.agenda.len() < 2 {
                self.error("The only item has notes: it cannot go");
                return vec![];
            }
            self.ask(Purpose::MoveNotesTo, String::new());
            return vec![];
        }
        vec![self.remove_item(i)]
    }

    #[must_use = "the removal must be saved"]
    fn remove_item(&mut self, index: usize) -> Effect {
        let removed = self.meeting.agenda.remove(index);
        if self.current_item == Some(removed.id) {
            let neighbour = self
                .meeting
                .agenda
                .get(index.min(self.meeting.agenda.len().saturating_sub(1)));
            self.current_item = neighbour.map(|i| i.id);
        }
        self.setup.selected = index.min(self.meeting.agenda.len().saturating_sub(1));
        self.info(format!("Removed \"{}\"", removed.title));
        self.meta_change()
    }

    /// p: no mark → present → regrets → absent → no mark.
    pub(super) fn setup_attendance(&mut self) -> Vec<Effect> {
        let i = self.setup.selected;
        if self.setup.tab != SetupTab::People {
            return vec![];
        }
        if let Some(p) = self.meeting.participants.get_mut(i) {
            p.attendance = match p.attendance {
                None => Some(Attendance::Present),
                Some(Attendance::Present) => Some(Attendance::Regrets),
                Some(Attendance::Regrets) => Some(Attendance::Absent),
                Some(Attendance::Absent) => None,
            };
            return vec![self.meta_change()];
        }
        vec![]
    }

    /// Enter in the one-line input: take the value, or say why not.
    pub(super) fn setup_confirm(&mut self) -> Vec<Effect> {
        let Some(input) = self.setup.input.clone() else {
            return vec![];
        };
        let mut effects = Vec::new();
        let result = self.apply_input(input.purpose, input.text().trim(), &mut effects);
        match result {
            Ok(()) => {
                self.setup.input = None;
                self.mode = InputMode::Setup;
                effects.push(self.meta_change());
            }
            Err(reason) => {
                if let Some(input) = &mut self.setup.input {
                    input.error = Some(reason);
                }
            }
        }
        effects
    }

    fn apply_input(
        &mut self,
        purpose: Purpose,
        typed: &str,
        effects: &mut Vec<Effect>,
    ) -> Result<(), SetupError> {
        match purpose {
            Purpose::Detail(detail) => {
                let m = &mut self.meeting;
                let today = m.in_zone(m.local(self.now)).date_naive();
                detail.set(m, typed, today)
            }
            Purpose::NewParked | Purpose::RenameParked => self.apply_parked(purpose, typed),
            Purpose::NewItem | Purpose::RenameItem | Purpose::PlannedMinutes => {
                self.apply_item(purpose, typed)
            }
            Purpose::MoveNotesTo => self.move_notes_to(typed, effects),
            Purpose::NewPerson
            | Purpose::RenamePerson
            | Purpose::ShortName
            | Purpose::Affiliation => self.apply_person(purpose, typed),
            Purpose::SpeakerNumber => self.set_speaker_number(typed),
        }
    }

    /// A topic parked for the next meeting, new or renamed.
    fn apply_parked(&mut self, purpose: Purpose, typed: &str) -> Result<(), SetupError> {
        let i = self.setup.selected;
        let m = &mut self.meeting;
        if typed.is_empty() {
            return Err(SetupError::ParkedNeedsTitle);
        }
        if m.parked
            .iter()
            .enumerate()
            .any(|(at, t)| t == typed && (purpose == Purpose::NewParked || at != i))
        {
            return Err(SetupError::ParkedAlready(typed.to_string()));
        }
        if purpose == Purpose::NewParked {
            m.parked.push(typed.to_string());
            self.setup.selected = m.parked.len() - 1;
        } else {
            *m.parked.get_mut(i).ok_or(SetupError::NoTopicSelected)? = typed.to_string();
        }
        Ok(())
    }

    /// An agenda item: a new one after the selected, its title, its
    /// planned minutes.
    fn apply_item(&mut self, purpose: Purpose, typed: &str) -> Result<(), SetupError> {
        let i = self.setup.selected;
        let m = &mut self.meeting;
        match purpose {
            Purpose::NewItem | Purpose::RenameItem if typed.is_empty() => {
                return Err(SetupError::ItemNeedsTitle);
            }
            Purpose::NewItem => {
                let at = if m.agenda.is_empty() { 0 } else { i + 1 };
                // "Budget (20 min)" as in a prep file: the minutes are planned.
                let (title, minutes) = crate::text::split_planned_minutes(typed);
                m.insert_agenda_item_from(at, title, minutes, self.item_ids.clone());
                if self.current_item.is_none() {
                    self.current_item = m.agenda.first().map(|i| i.id);
                }
                self.setup.selected = at.min(m.agenda.len() - 1);
            }
            Purpose::RenameItem => {
                m.agenda.get_mut(i).ok_or(SetupError::NoItemSelected)?.title = typed.to_string()
            }
            _ => {
                let minutes = match typed {
                    "" => None,
                    n => match n.trim_end_matches("min").trim().parse::<u32>() {
                        Ok(n) if (1..=600).contains(&n) => Some(n),
                        _ => return Err(SetupError::NotItemMinutes(n.to_string())),
                    },
                };
                m.agenda
                    .get_mut(i)
                    .ok_or(SetupError::NoItemSelected)?
                    .planned_minutes = minutes;
            }
        }
        Ok(())
    }

    /// The selected item is removed; its notes go to the item typed.
    fn move_notes_to(&mut self, typed: &str, effects: &mut Vec<Effect>) -> Result<(), SetupError> {
        let i = self.setup.selected;
        let now = self.local_now();
        let m = &mut self.meeting;
        let target = typed
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=m.agenda.len()).contains(n) && n - 1 != i)
            .ok_or(SetupError::NotAnotherItem(m.agenda.len()))?;
        let from = m.agenda[i].id;
        let to = m.agenda[target - 1].id;
        for note in m.notes.iter_mut().filter(|n| n.item == Some(from)) {
            note.item = Some(to);
            note.edited_at = Some(now);
            effects.push(Effect::Persist(Change::Note(Box::new(note.clone()))));
        }
        let moved = effects.len();
        let removed = self.remove_item(i);
        effects.push(removed);
        self.info(format!(
            "Moved {moved} notes to item {}",
            if target > i { target - 1 } else { target }
        ));
        Ok(())
    }

    /// Someone on the roster: new, renamed, their short name, affiliation.
    fn apply_person(&mut self, purpose: Purpose, typed: &str) -> Result<(), SetupError> {
        let i = self.setup.selected;
        let m = &mut self.meeting;
        let empty = typed.is_empty();
        match purpose {
            Purpose::NewPerson if empty => return Err(SetupError::NeedsName),
            Purpose::NewPerson => {
                if m.find_participant_by_name(typed)
                    .is_some_and(|p| p.name == typed)
                {
                    return Err(SetupError::OnRoster(typed.to_string()));
                }
                m.add_participant(typed);
                self.setup.selected = m.participants.len() - 1;
                return Ok(());
            }
            Purpose::RenamePerson if empty => return Err(SetupError::EmptyName),
            Purpose::ShortName if empty => return Err(SetupError::NeedsShortName),
            _ => {}
        }
        let person = m.participants.get_mut(i).ok_or(SetupError::NoOneSelected)?;
        match purpose {
            Purpose::RenamePerson => person.name = typed.to_string(),
            Purpose::ShortName => person.short_name = typed.to_string(),
            _ => person.affiliation = Some(typed.to_string()).filter(|t| !t.is_empty()),
        }
        Ok(())
    }

    /// The selected person's Alt+digit, pinned; empty unpins it.
    fn set_speaker_number(&mut self, typed: &str) -> Result<(), SetupError> {
        let i = self.setup.selected;
        let m = &mut self.meeting;
        let id = m
            .participants
            .get(i)
            .ok_or(SetupError::NoOneSelected)?
            .id
            .clone();
        if typed.is_empty() {
            // Unpinned: the number stays theirs for this meeting only.
            m.participants[i].speaker_number = None;
            return Ok(());
        }
        let n = typed
            .parse::<u8>()
            .ok()
            .filter(|n| (1..=9).contains(n))
            .ok_or_else(|| SetupError::NotSpeakerNumber(typed.to_string()))?;
        // Saved with the roster: it holds next time and next meeting.
        for p in &mut m.participants {
            if p.id == id {
                p.speaker_number = Some(n);
            } else if p.speaker_number == Some(n) {
                p.speaker_number = None;
            }
        }
        self.slots.assign(&id, n);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// F2 says where the minutes are published, as the prep file's
    /// `## Publish` and `minutes publish`'s options do; bad values are
    /// refused with an example.
    #[test]
    fn publish_targets_are_set_in_the_setup() {
        let mut m = Meeting::new("WG", Tz::UTC);
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        for (detail, typed) in [
            (Detail::PublishGit, "../minutes-repo:minutes/2026"),
            (Detail::PublishEmail, "wg@example.org, chairs@example.org"),
            (Detail::PublishSmtp, "smtp.example.org:587"),
            (Detail::PublishGithub, "w3c/csswg-drafts"),
        ] {
            detail.set(&mut m, typed, today).unwrap();
            assert_eq!(detail.value(&m), typed);
        }
        assert_eq!(m.publish.email.len(), 2);
        for (detail, typed, says) in [
            (Detail::PublishEmail, "wg at example", "not a mail address"),
            (Detail::PublishSmtp, "smtp.example.org", "HOST:PORT"),
            (Detail::PublishGithub, "w3c", "OWNER/REPO"),
        ] {
            let error = detail.set(&mut m, typed, today).unwrap_err().to_string();
            assert!(error.contains(says), "{error}");
        }
        assert_eq!(
            m.publish.github.as_deref(),
            Some("w3c/csswg-drafts"),
            "kept"
        );
        Detail::PublishGit.set(&mut m, "", today).unwrap();
        assert_eq!(m.publish.git, None, "emptied: no git target");
    }
}
