//! Reading the plain-text files given to `minutes new`: an agenda (a bare
//! list) or a whole prep file (title, details, agenda, participants), and a
//! roster. The prep file format is in docs/prep.md.

use crate::model::{Meeting, Mode, PublishTargets, ReportStyle};
pub use crate::text::{parse_duration, split_planned_minutes};
use chrono::{NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;

/// An agenda or prep file.
#[derive(Debug, Default, PartialEq)]
pub struct AgendaFile {
    /// From a leading `# Heading`.
    pub title: Option<String>,
    pub items: Vec<(String, Option<u32>)>,
    pub details: Details,
    /// From a `## Participants` section.
    pub participants: Vec<RosterEntry>,
    /// From a `## Report` section: the group's house style.
    pub report: ReportStyle,
    /// From a `## Publish` section: where the minutes go.
    pub publish: PublishTargets,
}

impl AgendaFile {
    /// Puts what the file says into `meeting`: the details it gives replace
    /// the meeting's (the date and time read in the meeting's zone, which
    /// the caller sets first), its items and people are added. Its title
    /// and zone are the caller's to weigh against the command line.
    pub fn apply_to(self, meeting: &mut Meeting) {
        let details = self.details;
        meeting.series_number = details.number.or(meeting.series_number);
        meeting.chair = details.chair.or(meeting.chair.take());
        meeting.note_taker = details.note_taker.or(meeting.note_taker.take());
        meeting.recording = details.recording.or(meeting.recording.take());
        meeting.mode = details.mode.unwrap_or(meeting.mode);
        meeting.full_name = details.full_name.or(meeting.full_name.take());
        meeting.short_name = details.short_name.or(meeting.short_name.take());
        meeting.report = self.report.or_from(&meeting.report);
        meeting.publish = self.publish.or_from(&meeting.publish);
        meeting.link = details.link.or(meeting.link.take());
        match (details.date, details.time) {
            (Some(date), Some(time)) => {
                let local = meeting
                    .time_zone
                    .from_local_datetime(&date.and_time(time))
                    .earliest();
                meeting.scheduled_start = local.map(|t| t.fixed_offset());
                meeting.scheduled_date = None;
            }
            // A day without a time is not a meeting at midnight.
            (Some(date), None) => {
                meeting.scheduled_start = None;
                meeting.scheduled_date = Some(date);
            }
            (None, _) => {}
        }
        if let (Some(minutes), Some(start)) = (details.duration_minutes, meeting.scheduled_start) {
            meeting.scheduled_end = Some(start + chrono::Duration::minutes(i64::from(minutes)));
        }
        for (title, minutes) in self.items {
            meeting.add_agenda_item(title, minutes);
        }
        add_roster(meeting, self.participants);
    }
}

/// Adds people to the roster; someone already on it (carried from the
/// previous meeting) is kept as they are.
pub fn add_roster(meeting: &mut Meeting, roster: Vec<RosterEntry>) {
    for entry in roster {
        let (name, _) = crate::model::split_affiliation(&entry.typed);
        if meeting
            .find_participant_by_name(&name)
            .is_some_and(|p| p.name == name)
        {
            continue;
        }
        let id = meeting.add_participant(&entry.typed);
        if let (Some(short), Some(p)) = (entry.short_name, meeting.participant_mut(&id)) {
            p.short_name = short;
        }
    }
}

/// The `Key: value` lines of a prep file.
#[derive(Debug, Default, PartialEq)]
pub struct Details {
    pub number: Option<u32>,
    pub date: Option<NaiveDate>,
    pub time: Option<NaiveTime>,
    pub time_zone: Option<Tz>,
    pub chair: Option<String>,
    pub note_taker: Option<String>,
    pub mode: Option<Mode>,
    pub recording: Option<String>,
    pub full_name: Option<String>,
    pub short_name: Option<String>,
    /// How long the meeting is planned to last (`Duration: 90 min`).
    pub duration_minutes: Option<u32>,
    /// The conferencing link (`Link: https://…`).
    pub link: Option<String>,
}

#[derive(PartialEq)]
enum Section {
    Agenda,
    Participants,
    Report,
    Publish,
}

/// A line of a prep file that cannot be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrepError {
    pub line: usize,
    pub problem: String,
}

impl std::fmt::Display for PrepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.problem)
    }
}

impl std::error::Error for PrepError {}

/// Reads an agenda or prep file. Numbered (`1.`, `1)`), bulleted (`-`, `*`,
/// `+`) or bare lines are agenda items; a trailing `(10 min)` sets the
/// planned minutes. Errors say the line and what is wrong.
pub fn parse_agenda(text: &str) -> Result<AgendaFile, PrepError> {
    let mut agenda = AgendaFile::default();
    let mut section = Section::Agenda;
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let fail = |problem: String| PrepError {
            line: index + 1,
            problem,
        };
        if let Some(heading) = line.strip_prefix("## ") {
            let heading = heading.trim().to_ascii_lowercase();
            section = match heading.as_str() {
                "participants" | "roster" | "attendees" | "people" => Section::Participants,
                "agenda" => Section::Agenda,
                "report" | "house style" => Section::Report,
                "publish" | "publishing" => Section::Publish,
                _ => return Err(fail(unknown_heading(line[3..].trim()))),
            };
            continue;
        }
        if let Some(heading) = line.strip_prefix('#') {
            if !heading.starts_with('#') && agenda.title.is_none() && agenda.items.is_empty() {
                agenda.title = Some(heading.trim().to_string());
            }
            continue;
        }
        if section == Section::Agenda
            && agenda.items.is_empty()
            && detail(&mut agenda.details, line).map_err(fail)?
        {
            continue;
        }
        if section == Section::Report {
            report_line(&mut agenda.report, strip_list_marker(line)).map_err(fail)?;
            continue;
        }
        if section == Section::Publish {
            publish_line(&mut agenda.publish, strip_list_marker(line)).map_err(fail)?;
            continue;
        }
        let item = strip_list_marker(line);
        if item.is_empty() {
            continue;
        }
        match section {
            Section::Agenda => {
                let (title, minutes) = split_planned_minutes(item);
                if minutes.is_none()
                    && let Some(duration) = unread_duration(item)
                {
                    return Err(fail(format!(
                        "\"({duration})\" looks like a duration but is not one minutes reads: write (20 min), (1 hr), (90 minutes) or (1h30)"
                    )));
                }
                agenda.items.push((title.to_string(), minutes));
            }
            Section::Participants => agenda.participants.push(roster_entry(item)),
            Section::Report | Section::Publish => {}
        }
    }
    Ok(agenda)
}

/// The sections a prep file has, as docs/prep.md names them.
const SECTIONS: &[&str] = &["Agenda", "Participants", "Report", "Publish"];

/// Why a `## heading` is refused: a misspelt section would drop the
/// whole agenda or roster under it without a word.
fn unknown_heading(heading: &str) -> String {
    let known = [
        "Agenda",
        "Participants",
        "Roster",
        "Attendees",
        "People",
        "Report",
        "Publish",
    ];
    let sections = SECTIONS
        .iter()
        .map(|s| format!("## {s}"))
        .collect::<Vec<_>>()
        .join(", ");
    match closest(heading, &known) {
        Some(near) => format!(
            "\"## {heading}\" is not a section; did you mean ## {near}? (the sections are {sections})"
        ),
        None => format!("\"## {heading}\" is not a section a prep file has (they are {sections})"),
    }
}

/// The bracket at the end of an agenda item when it reads like a
/// duration minutes cannot read ("(1 hrs.)", "(90 mn)"): a number and a
/// word of time, not a year or a reference ("(2025 budget)", "(RFC 9110)").
fn unread_duration(item: &str) -> Option<&str> {
    let inner = item
        .trim_end()
        .strip_suffix(')')?
        .rsplit_once('(')?
        .1
        .trim();
    let digits = inner
        .find(|c: char| !c.is_ascii_digit() && c != '.' && c != ',')
        .unwrap_or(inner.len());
    let unit = inner[digits..].trim().trim_end_matches('.').to_lowercase();
    let timeish = [
        "h", "hr", "hrs", "hour", "hours", "mn", "mns", "mins.", "minuten", "std", "heure",
        "heures", "minute",
    ];
    (digits > 0
        && (timeish.contains(&unit.as_str())
            || unit.starts_with("min")
            || unit.starts_with("hour")))
    .then_some(inner)
}

/// Reads a `Key: value` line into the details; false when the line is not one.
fn detail(details: &mut Details, line: &str) -> Result<bool, String> {
    let Some((key, value)) = line.split_once(':') else {
        return Ok(false);
    };
    let value = value.trim();
    let key = key.trim().to_ascii_lowercase().replace(['-', '_'], " ");
    let text = || Some(value.to_string()).filter(|v| !v.is_empty());
    match key.as_str() {
        "number" | "no" | "meeting number" => {
            let n = value.trim_start_matches('#');
            let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
            details.number = Some(
                digits
                    .parse()
                    .map_err(|_| format!("Number: \"{value}\" is not a number"))?,
            );
        }
        "date" => {
            details.date = Some(
                NaiveDate::parse_from_str(value, "%Y-%m-%d")
                    .map_err(|_| format!("Date: \"{value}\" is not a date like 2024-09-26"))?,
            );
        }
        "time" => {
            details.time = Some(
                NaiveTime::parse_from_str(value, "%H:%M")
                    .map_err(|_| format!("Time: \"{value}\" is not a time like 14:00"))?,
            );
        }
        "time zone" | "timezone" | "tz" | "zone" => {
            details.time_zone = Some(value.parse().map_err(|_| {
                format!("Time zone: \"{value}\" is not a zone name like Europe/Paris")
            })?);
        }
        "chair" | "moderator" | "chairs" => details.chair = text(),
        "note taker" | "notetaker" | "scribe" | "secretary" => details.note_taker = text(),
        "recording" => details.recording = text(),
        "mode" => {
            details.mode =
                Some(Mode::parse(value).ok_or_else(|| {
                    format!("Mode: \"{value}\" is not virtual, in person or hybrid")
                })?);
        }
        "full name" | "group" | "group name" => details.full_name = text(),
        "duration" | "length" => {
            details.duration_minutes = Some(parse_duration(value).ok_or_else(|| {
                format!("Duration: \"{value}\" is not a length like 90 min or 1h30")
            })?);
        }
        "link" | "call" | "join" => {
            if !crate::model::is_url(value) {
                return Err(format!(
                    "Link: \"{value}\" is not a web address like https://meet.example/abc"
                ));
            }
            details.link = text();
        }
        "short name" | "acronym" => details.short_name = text(),
        other => {
            // A detail misspelt (`Chiar: Bob`) must not become an agenda item.
            if let Some(known) = closest(other, DETAIL_KEYS) {
                let typed = line.split_once(':').map_or(other, |(k, _)| k.trim());
                return Err(format!(
                    "\"{typed}\" is not a detail this file knows; did you mean {known}? (an agenda item with a colon goes under ## Agenda)"
                ));
            }
            return Ok(false);
        }
    }
    Ok(true)
}

/// The details a prep file may give, as docs/prep.md names them.
const DETAIL_KEYS: &[&str] = &[
    "Number",
    "Date",
    "Time",
    "Time zone",
    "Chair",
    "Note-taker",
    "Mode",
    "Recording",
    "Full name",
    "Short name",
    "Duration",
    "Link",
];

/// The known name `typed` is a slip of (two letters off, or swapped), if any.
fn closest(typed: &str, known: &[&'static str]) -> Option<&'static str> {
    let typed = typed.to_lowercase();
    known
        .iter()
        .map(|k| {
            (
                strsim::damerau_levenshtein(&typed, &k.to_lowercase().replace('-', " ")),
                k,
            )
        })
        .filter(|(distance, k)| *distance > 0 && *distance <= 2.min(k.len() / 3 + 1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| *k)
}

/// Whether a file given as a roster is an agenda: a `# title`, numbered
/// items or planned minutes.
pub fn looks_like_agenda(text: &str) -> bool {
    text.lines().map(str::trim).any(|line| {
        line.starts_with("# ")
            || line.eq_ignore_ascii_case("## agenda")
            || split_planned_minutes(line).1.is_some()
            || {
                let digits = line.chars().take_while(char::is_ascii_digit).count();
                digits > 0 && line[digits..].starts_with(['.', ')'])
            }
    })
}

/// A `Key: value` line of the `## Report` section.
fn report_line(style: &mut ReportStyle, line: &str) -> Result<(), String> {
    let Some((key, value)) = line.split_once(':') else {
        return Err(format!(
            "\"{line}\" is not a house-style line like Attendance: no (docs/prep.md)"
        ));
    };
    let value = value.trim();
    let yes_no = |what: &str| crate::text::parse_yes_no(value).map_err(|e| format!("{what}: {e}"));
    match key
        .trim()
        .to_ascii_lowercase()
        .replace(['-', '_'], " ")
        .as_str()
    {
        "attendance" => style.no_attendance = !yes_no("Attendance")?,
        "agenda numbers" | "numbers" => style.no_agenda_numbers = !yes_no("Agenda numbers")?,
        "date format" | "date" => {
            crate::model::check_date_format(value).map_err(|e| format!("Date format: {e}"))?;
            style.date_format = Some(value.to_string()).filter(|v| !v.is_empty());
        }
        "template" => style.template = Some(value.to_string()).filter(|v| !v.is_empty()),
        "style" => {
            let voice = crate::export::Voice::parse(value).map_err(|e| format!("Style: {e}"))?;
            style.transcript = voice == crate::export::Voice::Transcript;
        }
        other => {
            return Err(format!(
                "\"{other}\" is not a house-style setting (Attendance, Agenda numbers, Date format, Template, Style)"
            ));
        }
    }
    Ok(())
}

/// A `Key: value` line of the `## Publish` section (docs/publish.md).
fn publish_line(publish: &mut PublishTargets, line: &str) -> Result<(), String> {
    let Some((key, value)) = line.split_once(':') else {
        return Err(format!(
            "\"{line}\" is not a publishing line like Email: wg@example.org (docs/publish.md)"
        ));
    };
    let value = value.trim();
    let text = || Some(value.to_string()).filter(|v| !v.is_empty());
    match key
        .trim()
        .to_ascii_lowercase()
        .replace(['-', '_'], " ")
        .as_str()
    {
        "git" | "repository" | "repo" => publish.git = text(),
        "email" | "mail" | "to" => {
            publish.email = value
                .split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect();
            if let Some(bad) = publish.email.iter().find(|a| !a.contains('@')) {
                return Err(format!("Email: \"{bad}\" is not a mail address"));
            }
        }
        "smtp" | "mail server" => publish.smtp = text(),
        "from" => publish.from = text(),
        "github" => {
            if value.split('/').filter(|p| !p.is_empty()).count() != 2 {
                return Err(format!(
                    "GitHub: \"{value}\" is not OWNER/REPO like w3c/csswg-drafts"
                ));
            }
            publish.github = text();
        }
        "actions as issues" | "issues" => {
            publish.actions_as_issues =
                crate::text::parse_yes_no(value).map_err(|e| format!("Actions as issues: {e}"))?;
        }
        other => {
            return Err(format!(
                "\"{other}\" is not a publishing setting (Git, Email, SMTP, From, GitHub, Actions as issues)"
            ));
        }
    }
    Ok(())
}

/// One person in a roster file.
#[derive(Debug, PartialEq)]
pub struct RosterEntry {
    /// "Full Name (Affiliation)" as the model's `add_participant` takes it.
    pub typed: String,
    /// From a trailing `[Short]`; otherwise the first name is used.
    pub short_name: Option<String>,
}

/// One person per line: `Full Name (Affiliation) [Short]`, list markers and
/// `#` comment lines allowed.
pub fn parse_roster(text: &str) -> Vec<RosterEntry> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(strip_list_marker)
        .filter(|l| !l.is_empty())
        .map(roster_entry)
        .collect()
}

fn roster_entry(line: &str) -> RosterEntry {
    match line.strip_suffix(']').and_then(|l| l.rsplit_once('[')) {
        Some((typed, short)) if !typed.trim().is_empty() && !short.trim().is_empty() => {
            RosterEntry {
                typed: typed.trim().to_string(),
                short_name: Some(short.trim().to_string()),
            }
        }
        _ => RosterEntry {
            typed: line.to_string(),
            short_name: None,
        },
    }
}

/// A line without its list marker (`- `, `* `, `+ `, `1.`, `2)`).
pub fn strip_list_marker(line: &str) -> &str {
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(bullet) {
            return rest.trim();
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = line[digits..].strip_prefix(['.', ')'])
        && (rest.is_empty() || rest.starts_with(char::is_whitespace))
    {
        return rest.trim();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_sections_and_unread_durations_are_refused() {
        let error = |text: &str| parse_agenda(text).unwrap_err().to_string();
        assert_eq!(
            error("# WG\n## Agend\n1. Budget\n"),
            "line 2: \"## Agend\" is not a section; did you mean ## Agenda? (the sections are ## Agenda, ## Participants, ## Report, ## Publish)"
        );
        assert!(
            error("# WG\n## Agenda\n1. Budget\n## Particpants\n- Ana\n").starts_with(
                "line 4: \"## Particpants\" is not a section; did you mean ## Participants?"
            )
        );
        assert!(error("## Background\n").contains("is not a section a prep file has"));
        assert_eq!(
            error("## Agenda\n1. Budget (90 mn)\n"),
            "line 2: \"(90 mn)\" looks like a duration but is not one minutes reads: write (20 min), (1 hr), (90 minutes) or (1h30)"
        );
        let prep = parse_agenda(
            "## Agenda\n1. Budget (1 hr)\n2. Travel (90 minutes)\n3. AoB (1h30)\n4. Plans (2 hrs)\n5. Budget (2025 plan)\n6. HTTP (RFC 9110)\n",
        )
        .unwrap();
        assert_eq!(
            prep.items,
            [
                ("Budget".to_string(), Some(60)),
                ("Travel".to_string(), Some(90)),
                ("AoB".to_string(), Some(90)),
                ("Plans".to_string(), Some(120)),
                ("Budget (2025 plan)".to_string(), None),
                ("HTTP (RFC 9110)".to_string(), None),
            ]
        );
    }

    #[test]
    fn markdown_agenda_with_title_and_durations() {
        let agenda = parse_agenda(
            "# WG Strategy\n\n## Agenda\n1. Pact of the Future/GDC (20 min)\n2) WSIS+20 review draft letter\n- IGF strategic vision (5m)\n* AoB\nPlain line\n",
        )
        .unwrap();
        assert_eq!(agenda.title.as_deref(), Some("WG Strategy"));
        assert_eq!(
            agenda.items,
            vec![
                ("Pact of the Future/GDC".to_string(), Some(20)),
                ("WSIS+20 review draft letter".to_string(), None),
                ("IGF strategic vision".to_string(), Some(5)),
                ("AoB".to_string(), None),
                ("Plain line".to_string(), None),
            ]
        );
    }

    #[test]
    fn numbers_that_are_not_markers_stay() {
        let agenda = parse_agenda("2024 budget\n1.5 million (approx)\n").unwrap();
        assert_eq!(agenda.items[0].0, "2024 budget");
        assert_eq!(agenda.items[1].0, "1.5 million (approx)");
    }

    #[test]
    fn a_whole_prep_file() {
        let prep = parse_agenda(
            "# WG Strategy\nNumber: 84\nDate: 2024-09-26\nTime: 14:00\nTime zone: Europe/Paris\nChair: Chris Buckridge\nNote-taker: Ana Neves\nMode: hybrid\n\n## Agenda\n1. Pact (20 min)\n2. Follow-up: next steps\n\n## Participants\n- Chris Buckridge (RIPE NCC)\n- Xiao Zhang [Xiao Zhang]\n",
        )
        .unwrap();
        let d = &prep.details;
        assert_eq!(d.number, Some(84));
        assert_eq!(d.date, NaiveDate::from_ymd_opt(2024, 9, 26));
        assert_eq!(d.time, NaiveTime::from_hms_opt(14, 0, 0));
        assert_eq!(d.time_zone, Some(chrono_tz::Europe::Paris));
        assert_eq!(d.chair.as_deref(), Some("Chris Buckridge"));
        assert_eq!(d.note_taker.as_deref(), Some("Ana Neves"));
        assert_eq!(d.mode, Some(Mode::Hybrid));
        assert_eq!(
            prep.items,
            vec![
                ("Pact".to_string(), Some(20)),
                ("Follow-up: next steps".to_string(), None)
            ]
        );
        assert_eq!(prep.participants.len(), 2);
        assert_eq!(
            prep.participants[1].short_name.as_deref(),
            Some("Xiao Zhang")
        );
    }

    #[test]
    fn a_date_without_a_time_is_a_day() {
        let prep = parse_agenda("# WG\nDate: 2024-09-26\n\n## Agenda\n1. One\n").unwrap();
        let mut meeting = Meeting::new("WG", chrono_tz::Tz::UTC);
        prep.apply_to(&mut meeting);
        assert_eq!(meeting.scheduled_start, None);
        assert_eq!(meeting.scheduled_date, NaiveDate::from_ymd_opt(2024, 9, 26));
        assert_eq!(meeting.day(), NaiveDate::from_ymd_opt(2024, 9, 26));
    }

    #[test]
    fn durations_as_people_write_them() {
        for (typed, minutes) in [
            ("20 min", Some(20)),
            ("5m", Some(5)),
            ("45 minutes", Some(45)),
            ("1h", Some(60)),
            ("1 hour", Some(60)),
            ("2 hours", Some(120)),
            ("1.5h", Some(90)),
            ("1h30", Some(90)),
            ("ten min", Some(10)),
            ("half an hour", Some(30)),
            ("TBD", None),
            ("2024", None),
        ] {
            assert_eq!(parse_duration(typed), minutes, "{typed}");
        }
        assert_eq!(
            split_planned_minutes("Strategy (1h)"),
            ("Strategy", Some(60))
        );
        assert_eq!(
            split_planned_minutes("Budget (ten min)"),
            ("Budget", Some(10))
        );
    }

    #[test]
    fn a_misspelt_detail_is_said_not_made_an_item() {
        let error = parse_agenda("# T\nChiar: Bob\n1. One\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.problem.contains("did you mean Chair?"), "{error}");
        // An item that only has a colon stays an item.
        let prep = parse_agenda("# T\nReview: the WSIS letter\n").unwrap();
        assert_eq!(prep.items[0].0, "Review: the WSIS letter");
        assert!(looks_like_agenda("# WG\n1. Pact (20 min)\n"));
        assert!(!looks_like_agenda(
            "Chris Buckridge (RIPE NCC)\nXiao Zhang [Xiao Zhang]\n"
        ));
    }

    #[test]
    fn bad_details_name_the_line() {
        assert_eq!(
            parse_agenda("# T\nDate: 26/09/2024\n").unwrap_err(),
            PrepError {
                line: 2,
                problem: "Date: \"26/09/2024\" is not a date like 2024-09-26".into()
            }
        );
        let error = parse_agenda("Time zone: Mars\n").unwrap_err();
        assert!(
            error.to_string().starts_with("line 1: Time zone"),
            "{error}"
        );
        let error = parse_agenda("Mode: carrier pigeon\n").unwrap_err();
        assert!(error.problem.contains("not virtual, in person or hybrid"));
    }

    #[test]
    fn a_publish_section_and_a_link() {
        let prep = parse_agenda(
            "# WG\nDuration: 1h30\nLink: https://meet.jit.si/wg\n\n## Publish\n- Git: ../minutes.git:2026\nEmail: a@example.org, b@example.org\nSMTP: smtp.example.org:587\nGitHub: w3c/wg\nActions as issues: yes\n",
        )
        .unwrap();
        assert_eq!(prep.details.duration_minutes, Some(90));
        assert_eq!(prep.details.link.as_deref(), Some("https://meet.jit.si/wg"));
        assert_eq!(prep.publish.git.as_deref(), Some("../minutes.git:2026"));
        assert_eq!(prep.publish.email, ["a@example.org", "b@example.org"]);
        assert!(prep.publish.actions_as_issues);
        let error = parse_agenda("# WG\n## Publish\nGitHub: wg\n").unwrap_err();
        assert_eq!(error.line, 3);
        assert!(error.problem.contains("OWNER/REPO"), "{error}");
        let error = parse_agenda("# WG\n## Publish\nFTP: host\n").unwrap_err();
        assert!(
            error.problem.contains("not a publishing setting"),
            "{error}"
        );
        let error = parse_agenda("Link: zoom me\n").unwrap_err();
        assert!(error.problem.contains("not a web address"), "{error}");
    }

    #[test]
    fn roster_lines() {
        let roster = parse_roster(
            "# WG members\n- Chris Buckridge (RIPE NCC)\nXiao Zhang (CNNIC) [Xiao Zhang]\n\nJuan\n",
        );
        assert_eq!(roster.len(), 3);
        assert_eq!(
            roster[0],
            RosterEntry {
                typed: "Chris Buckridge (RIPE NCC)".into(),
                short_name: None
            }
        );
        assert_eq!(roster[1].short_name.as_deref(), Some("Xiao Zhang"));
        assert_eq!(roster[1].typed, "Xiao Zhang (CNNIC)");
        assert_eq!(roster[2].typed, "Juan");
    }
}
