//! Calendar invites (`minutes new --ics INVITE.ics`): the occurrence of an
//! event the meeting is, and what the invite says about it (title, time
//! and zone, length, attendees, chair, agenda, conferencing link), as a
//! prep file would say it ([`AgendaFile`]).
//!
//! The iCalendar text is read by `calcard` (line folding, escapes, TZID
//! with VTIMEZONE, Windows zone names as Outlook sends them, RRULE, EXDATE
//! and RECURRENCE-ID overrides); this module only picks and translates.

use crate::import::{AgendaFile, Details, RosterEntry, split_planned_minutes, strip_list_marker};
use calcard::common::timezone::Tz as CalTz;
use calcard::icalendar::dates::TimeOrDelta;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarEntry, ICalendarParameterName,
    ICalendarParameterValue, ICalendarParticipationRole, ICalendarParticipationStatus,
    ICalendarProperty, ICalendarUserTypes, ICalendarValue,
};
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use std::collections::HashSet;

/// How many occurrences of a recurring event are looked at, at most: a
/// daily meeting for 100 years. Bounds the work a hostile rule can ask.
const MAX_OCCURRENCES: usize = 40_000;

/// Which occurrence of a recurring event is wanted.
#[derive(Debug, Clone, Copy)]
pub enum Occurrence {
    /// The first one not yet over at this instant (the meeting on now, or
    /// the next).
    NextAfter(DateTime<Utc>),
    /// The one on this day, in the meeting's zone.
    On(NaiveDate),
}

/// What an invite says about one meeting.
#[derive(Debug, PartialEq)]
pub struct Invite {
    pub title: Option<String>,
    pub start: DateTime<Utc>,
    /// A day without a time (an all-day event).
    pub all_day: bool,
    pub end: Option<DateTime<Utc>>,
    /// The zone the invite's times are written in (TZID), if any.
    pub zone: Option<Tz>,
    pub chair: Option<String>,
    pub attendees: Vec<RosterEntry>,
    /// Attendees who declined (PARTSTAT=DECLINED): their regrets.
    pub declined: Vec<String>,
    pub agenda: Vec<(String, Option<u32>)>,
    pub link: Option<String>,
}

/// An invite that cannot be used, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteError {
    /// 1-based line of the file, when one is to blame.
    pub line: Option<usize>,
    pub problem: String,
}

impl std::fmt::Display for InviteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.problem),
            None => f.write_str(&self.problem),
        }
    }
}

impl std::error::Error for InviteError {}

fn fail(line: Option<usize>, problem: impl Into<String>) -> InviteError {
    InviteError {
        line,
        problem: problem.into(),
    }
}

/// Reads an invite and picks the occurrence wanted. Times without a zone
/// (floating) are read in `floating_zone`, which also decides the day
/// `Occurrence::On` means.
pub fn read_invite(
    text: &str,
    floating_zone: Tz,
    wanted: Occurrence,
) -> Result<Invite, InviteError> {
    let lines = PhysicalLines::new(text);
    let calendar = parse(text, &lines)?;
    let event_ids: Vec<usize> = calendar
        .components
        .iter()
        .enumerate()
        .filter(|(_, c)| c.component_type == ICalendarComponentType::VEvent)
        .map(|(i, _)| i)
        .collect();
    let Some(&master_id) = event_ids
        .iter()
        .find(|&&i| !calendar.components[i].is_recurrence_override())
        .or(event_ids.first())
    else {
        return Err(fail(
            None,
            "no event in it (no BEGIN:VEVENT); export the meeting itself, not the calendar",
        ));
    };
    let master = &calendar.components[master_id];
    let uid = master.uid();
    // Every event of the series (the master and its overrides) is checked.
    // Sets: an invite with thousands of overrides costs no more than a
    // pass over its occurrences.
    let series: HashSet<usize> = event_ids
        .iter()
        .copied()
        .filter(|&i| calendar.components[i].uid() == uid)
        .collect();
    let resolver = calendar.build_tz_resolver();
    for &id in &series {
        check_event(&calendar.components[id], id, &lines, &resolver)?;
    }
    let start_entry = master.property(&ICalendarProperty::Dtstart);
    let all_day = start_entry
        .and_then(|e| e.values.first())
        .and_then(ICalendarValue::as_partial_date_time)
        .is_some_and(|dt| !dt.has_time());
    let zone = start_entry
        .and_then(ICalendarEntry::tz_id)
        .and_then(|id| resolver.resolve(id))
        .and_then(|tz| match tz {
            CalTz::Tz(tz) => Some(tz),
            _ => None,
        });
    let occurrences = occurrences_of(&calendar, &series, floating_zone, &lines)?;
    let (start, end, comp_id) = choose(
        &occurrences,
        wanted,
        master.is_recurrent(),
        zone,
        floating_zone,
        lines.property_of(master_id, "RRULE"),
    )?;
    // What an override says wins over the series' own.
    let occurrence = &calendar.components[comp_id];
    let pick = |read: &dyn Fn(&ICalendarComponent) -> Option<String>| {
        read(occurrence).or_else(|| read(master))
    };
    let description = pick(&description_of);
    let title = pick(&|c| text_of(c, &ICalendarProperty::Summary));
    let (chair, attendees, declined) = {
        let from = if occurrence.property(&ICalendarProperty::Attendee).is_some() {
            occurrence
        } else {
            master
        };
        people_of(from)
    };
    let link = pick(&|c| {
        let candidates = [
            other_text(c, "X-GOOGLE-CONFERENCE"),
            text_of(c, &ICalendarProperty::Url),
            text_of(c, &ICalendarProperty::Location),
            description_of(c),
            other_text(c, "X-ALT-DESC"),
        ];
        conference_link(candidates.iter().flatten().map(String::as_str))
    });
    let has_end = |c: &ICalendarComponent| {
        c.property(&ICalendarProperty::Dtend).is_some()
            || c.property(&ICalendarProperty::Duration).is_some()
    };
    let end = (has_end(occurrence) || has_end(master)).then_some(end);
    Ok(Invite {
        title: title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        start,
        all_day,
        end: end.filter(|end| *end > start),
        zone,
        chair,
        attendees,
        declined,
        agenda: description.as_deref().map(agenda_of).unwrap_or_default(),
        link,
    })
}

/// An occurrence: start, end and the component it comes from.
type Span = (DateTime<Utc>, DateTime<Utc>, usize);

/// The invite read as iCalendar, or where and why it is not.
fn parse(text: &str, lines: &PhysicalLines) -> Result<ICalendar, InviteError> {
    let calendar = match ICalendar::parse(text) {
        Ok(calendar) => calendar,
        Err(calcard::Entry::InvalidLine(line)) => {
            return Err(fail(
                lines.find_text(&line),
                format!("\"{}\" is not an iCalendar line (NAME:value)", line.trim()),
            ));
        }
        Err(calcard::Entry::UnterminatedComponent(name)) => {
            return Err(fail(
                lines.begin_of(&name),
                format!("BEGIN:{name} is never closed by END:{name}; is the file cut short?"),
            ));
        }
        Err(calcard::Entry::UnexpectedComponentEnd { expected, found }) => {
            return Err(fail(
                lines.find_text(&format!("END:{}", found.as_str())),
                format!(
                    "END:{} where END:{} was due",
                    found.as_str(),
                    expected.as_str()
                ),
            ));
        }
        Err(calcard::Entry::TooManyComponents) => {
            return Err(fail(None, "too many components to be one invite"));
        }
        Err(_) => {
            return Err(fail(
                None,
                "not an iCalendar invite (it should start with BEGIN:VCALENDAR); save the invite as .ics from your calendar",
            ));
        }
    };
    // calcard closes what a cut file left open: a file cut short is said.
    let last = lines.lines.iter().rposition(|l| !l.trim().is_empty());
    if last.is_none_or(|i| !lines.lines[i].trim().eq_ignore_ascii_case("END:VCALENDAR")) {
        return Err(fail(
            last.map(|i| i + 1),
            "the file ends before END:VCALENDAR; is it cut short? Save the invite again",
        ));
    }
    Ok(calendar)
}

/// Every date of the series, overrides in place of the dates they
/// moved, in order.
fn occurrences_of(
    calendar: &ICalendar,
    series: &HashSet<usize>,
    floating_zone: Tz,
    lines: &PhysicalLines,
) -> Result<Vec<Span>, InviteError> {
    let expanded = calendar.expand_dates(CalTz::Tz(floating_zone), MAX_OCCURRENCES);
    if let Some(error) = expanded
        .errors
        .iter()
        .find(|e| series.contains(&(e.comp_id as usize)))
    {
        use calcard::icalendar::dates::CalendarErrorType as E;
        let comp = error.comp_id as usize;
        let (property, problem) = match &error.error {
            E::MissingDtStart => ("BEGIN:VEVENT", "the event has no start (DTSTART)".into()),
            E::InvalidDtStart => ("DTSTART", "the start is not a time that exists".into()),
            E::InvalidDtEnd => ("DTEND", "the end is not a time that exists".into()),
            E::InvalidDuration => ("DURATION", "the duration cannot be read".into()),
            E::RRule(e) => (
                "RRULE",
                format!("the recurrence rule cannot be used: {e:?}"),
            ),
        };
        return Err(fail(lines.property_of(comp, property), problem));
    }
    let mut occurrences: Vec<Span> = expanded
        .events
        .iter()
        .filter(|e| series.contains(&(e.comp_id as usize)))
        .map(|e| {
            let start = e.start.with_timezone(&Utc);
            let end = match &e.end {
                TimeOrDelta::Time(end) => end.with_timezone(&Utc),
                TimeOrDelta::Delta(delta) => start + *delta,
            };
            (start, end, e.comp_id as usize)
        })
        .collect();
    // calcard pairs an override with its date only when both have the same
    // SEQUENCE; calendar apps bump an override's. The date an override
    // moved is dropped here whatever its SEQUENCE.
    let moved: HashSet<DateTime<Utc>> = {
        let resolver = calendar
            .build_tz_resolver()
            .with_default(CalTz::Tz(floating_zone));
        series
            .iter()
            .filter_map(|&id| {
                let entry = calendar.components[id].property(&ICalendarProperty::RecurrenceId)?;
                let zone = resolver.resolve_or_default(entry.tz_id());
                let at = entry.values.first()?.as_partial_date_time()?;
                Some(at.to_date_time_with_tz(zone)?.with_timezone(&Utc))
            })
            .collect()
    };
    occurrences.retain(|(start, _, comp)| {
        calendar.components[*comp].is_recurrence_override() || !moved.contains(start)
    });
    occurrences.sort_by_key(|(start, _, _)| *start);
    Ok(occurrences)
}

/// The occurrence wanted, or why there is none.
fn choose(
    occurrences: &[Span],
    wanted: Occurrence,
    recurring: bool,
    zone: Option<Tz>,
    floating_zone: Tz,
    rrule_line: Option<usize>,
) -> Result<Span, InviteError> {
    let chosen = match wanted {
        Occurrence::NextAfter(now) => occurrences
            .iter()
            .find(|(_, end, _)| *end > now)
            .or_else(|| (!recurring).then(|| occurrences.last()).flatten()),
        Occurrence::On(day) => occurrences
            .iter()
            .find(|(start, _, _)| start.with_timezone(&floating_zone).date_naive() == day)
            .or_else(|| {
                // An invite's own zone decides its day when it has one.
                let zone = zone?;
                occurrences
                    .iter()
                    .find(|(start, _, _)| start.with_timezone(&zone).date_naive() == day)
            }),
    };
    if chosen.is_none() && recurring && occurrences.len() >= MAX_OCCURRENCES {
        return Err(fail(
            rrule_line,
            format!(
                "the rule repeats more than {MAX_OCCURRENCES} times before the meeting wanted; is it right?"
            ),
        ));
    }
    let Some(&chosen) = chosen else {
        let near = |list: &[Span]| {
            list.iter()
                .map(|(s, _, _)| {
                    s.with_timezone(&zone.unwrap_or(floating_zone))
                        .format("%Y-%m-%d")
                        .to_string()
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(fail(
            None,
            match wanted {
                Occurrence::On(day) => {
                    let after: Vec<_> = occurrences
                        .iter()
                        .filter(|(s, _, _)| s.date_naive() >= day)
                        .take(3)
                        .copied()
                        .collect();
                    if after.is_empty() {
                        format!("the event does not take place on {day}, nor after it")
                    } else {
                        format!(
                            "the event does not take place on {day}; the next dates are {}",
                            near(&after)
                        )
                    }
                }
                Occurrence::NextAfter(_) => match occurrences.last() {
                    Some(last) => format!(
                        "the series is over (its last meeting was on {}); --on DATE picks one of its dates",
                        near(&[*last])
                    ),
                    None => "the event has no date left (every one is excluded)".into(),
                },
            },
        ));
    };
    Ok(chosen)
}

impl Invite {
    /// What the invite says, as a prep file would say it; dates and times
    /// in `zone` (the meeting's).
    pub fn into_prep(self, zone: Tz) -> AgendaFile {
        let local = self.start.with_timezone(&zone);
        let duration = self
            .end
            .filter(|_| !self.all_day)
            .map(|end| (end - self.start).num_minutes())
            .and_then(|m| u32::try_from(m).ok())
            .filter(|m| *m > 0);
        AgendaFile {
            title: self.title,
            items: self.agenda,
            details: Details {
                date: Some(local.date_naive()),
                time: (!self.all_day).then(|| local.time()),
                time_zone: self.zone,
                chair: self.chair,
                duration_minutes: duration,
                link: self.link,
                ..Details::default()
            },
            participants: self.attendees,
            ..AgendaFile::default()
        }
    }
}

/// A property's date-time and zone are checked before expansion, where a
/// mistake would be dropped or read in another zone without a word.
fn check_event(
    event: &ICalendarComponent,
    comp_id: usize,
    lines: &PhysicalLines,
    resolver: &calcard::icalendar::timezone::TzResolver<&str>,
) -> Result<(), InviteError> {
    if event.property(&ICalendarProperty::Dtstart).is_none()
        && event.property(&ICalendarProperty::RecurrenceId).is_none()
    {
        return Err(fail(
            lines.property_of(comp_id, "BEGIN:VEVENT"),
            "the event has no start (DTSTART)",
        ));
    }
    for entry in &event.entries {
        let name = match entry.name {
            ICalendarProperty::Dtstart => "DTSTART",
            ICalendarProperty::Dtend => "DTEND",
            ICalendarProperty::RecurrenceId => "RECURRENCE-ID",
            ICalendarProperty::Exdate => "EXDATE",
            ICalendarProperty::Rrule => {
                if !matches!(
                    entry.values.first(),
                    Some(ICalendarValue::RecurrenceRule(_))
                ) {
                    return Err(fail(
                        lines.property_of(comp_id, "RRULE"),
                        "the recurrence rule (RRULE) cannot be read; it should be like FREQ=WEEKLY;BYDAY=TH",
                    ));
                }
                continue;
            }
            _ => continue,
        };
        let line = || lines.property_of(comp_id, name);
        if let Some(bad) = entry
            .values
            .iter()
            .find(|v| v.as_partial_date_time().is_none_or(|dt| !dt.has_date()))
        {
            let typed = bad.clone().into_text().unwrap_or_default();
            return Err(fail(
                line(),
                format!("{name}: \"{typed}\" is not a date-time like 20261204T150000Z"),
            ));
        }
        if let Some(tzid) = entry.tz_id()
            && resolver.resolve(tzid).is_none()
        {
            return Err(fail(
                line(),
                format!(
                    "{name}: TZID=\"{tzid}\" is not a time zone this knows, and the invite does not define it (VTIMEZONE); --tz ZONE and a time without TZID would do"
                ),
            ));
        }
    }
    Ok(())
}

fn text_of(component: &ICalendarComponent, property: &ICalendarProperty) -> Option<String> {
    component
        .property(property)
        .and_then(|e| e.values.first())
        .and_then(ICalendarValue::as_text)
        .map(str::to_string)
        .filter(|t| !t.trim().is_empty())
}

/// An X- property's text. Its type is unknown to the parser, which splits
/// it at each unescaped `;` as a list: an HTML description that did not
/// escape them is put back together.
fn other_text(component: &ICalendarComponent, name: &str) -> Option<String> {
    component.entries.iter().find_map(|e| match &e.name {
        ICalendarProperty::Other(n) if n.eq_ignore_ascii_case(name) => {
            let parts: Vec<&str> = e
                .values
                .iter()
                .filter_map(ICalendarValue::as_text)
                .collect();
            (!parts.is_empty()).then(|| parts.join(";"))
        }
        _ => None,
    })
}

/// The description as text: Outlook's HTML one (X-ALT-DESC) if there is
/// one, else DESCRIPTION, which Google sends as HTML too.
fn description_of(component: &ICalendarComponent) -> Option<String> {
    let html = other_text(component, "X-ALT-DESC").filter(|d| looks_like_html(d));
    match html.or_else(|| text_of(component, &ICalendarProperty::Description)) {
        Some(text) if looks_like_html(&text) => Some(html_to_text(&text)),
        other => other,
    }
}

fn looks_like_html(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "<br", "<p>", "<p ", "<ol", "<ul", "<li", "<div", "<html", "<b>", "<a ", "<span",
    ]
    .iter()
    .any(|tag| lower.contains(tag))
}

fn html_to_text(html: &str) -> String {
    html2text::config::plain()
        .link_footnotes(false)
        .string_from_read(html.as_bytes(), 10_000)
        // A description html2text cannot read is still better as it was.
        .unwrap_or_else(|_| html.to_string())
}

/// The attendees as roster entries (people, not rooms), and the chair:
/// an attendee with ROLE=CHAIR, else the organizer.
fn people_of(event: &ICalendarComponent) -> (Option<String>, Vec<RosterEntry>, Vec<String>) {
    let name_of = |entry: &ICalendarEntry| {
        entry
            .parameter(&ICalendarParameterName::Cn)
            .and_then(ICalendarParameterValue::as_text)
            .map(|cn| cn.trim().to_string())
            .filter(|cn| !cn.is_empty())
            .or_else(|| {
                entry
                    .calendar_address()
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
            })
    };
    let mut chair = None;
    let mut attendees: Vec<RosterEntry> = Vec::new();
    let mut named = HashSet::new();
    let mut declined = Vec::new();
    for entry in event.properties(&ICalendarProperty::Attendee) {
        let not_a_person = entry.params.iter().any(|p| {
            matches!(
                p.value,
                ICalendarParameterValue::Cutype(
                    ICalendarUserTypes::Room | ICalendarUserTypes::Resource
                )
            )
        });
        let Some(name) = name_of(entry).filter(|_| !not_a_person) else {
            continue;
        };
        let is_chair = entry.params.iter().any(|p| {
            matches!(
                p.value,
                ICalendarParameterValue::Role(ICalendarParticipationRole::Chair)
            )
        });
        if is_chair && chair.is_none() {
            chair = Some(name.clone());
        }
        let said_no = entry.params.iter().any(|p| {
            matches!(
                p.value,
                ICalendarParameterValue::Partstat(ICalendarParticipationStatus::Declined)
            )
        });
        if !named.insert(name.clone()) {
            continue;
        }
        if said_no {
            declined.push(name.clone());
        }
        attendees.push(RosterEntry {
            typed: name,
            short_name: None,
        });
    }
    let organizer = event.property(&ICalendarProperty::Organizer).and_then(|e| {
        e.parameter(&ICalendarParameterName::Cn)
            .and_then(ICalendarParameterValue::as_text)
            .map(|cn| cn.trim().to_string())
            .filter(|cn| !cn.is_empty())
    });
    (chair.or(organizer), attendees, declined)
}

/// The agenda in a description: the lines under an "Agenda" heading, or
/// else every numbered or bulleted line. A trailing `(10 min)` plans the
/// item's minutes, as in a prep file.
fn agenda_of(description: &str) -> Vec<(String, Option<u32>)> {
    let lines: Vec<&str> = description.lines().map(str::trim).collect();
    let is_heading = |line: &str| {
        let bare = line
            .trim_matches(|c: char| c == '#' || c == '*' || c == '_' || c.is_whitespace())
            .trim_end_matches(':')
            .trim();
        bare.eq_ignore_ascii_case("agenda")
    };
    let is_listed = |line: &str| !line.is_empty() && strip_list_marker(line) != line;
    let chosen: Vec<&str> = match lines.iter().position(|l| is_heading(l)) {
        Some(heading) => {
            let mut taken = Vec::new();
            for line in &lines[heading + 1..] {
                // Blank lines before the first item are the heading's
                // spacing; one after the items ends the list, as does
                // another heading.
                if line.is_empty() {
                    if taken.is_empty() {
                        continue;
                    }
                    break;
                }
                if line.ends_with(':') && !is_listed(line) {
                    break;
                }
                taken.push(*line);
            }
            taken
        }
        None => lines.iter().copied().filter(|l| is_listed(l)).collect(),
    };
    chosen
        .into_iter()
        .map(strip_list_marker)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let (title, minutes) = split_planned_minutes(item);
            (title.to_string(), minutes)
        })
        .collect()
}

/// Hosts of conferencing services, as their links name them.
const CONFERENCE_HOSTS: &[&str] = &[
    "zoom.us",
    "zoomgov.com",
    "meet.google.com",
    "teams.microsoft.com",
    "teams.live.com",
    "meet.jit.si",
    "webex.com",
    "whereby.com",
    "gotomeeting.com",
    "bigbluebutton",
];

/// The first link to a conferencing service among the texts, in order;
/// else a link that is a whole LOCATION or URL.
fn conference_link<'a>(texts: impl Iterator<Item = &'a str> + Clone) -> Option<String> {
    let urls = |text: &'a str| {
        text.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '(' | ')'))
            .filter_map(|word| {
                let start = word.find("https://").or_else(|| word.find("http://"))?;
                let url = word[start..].trim_end_matches(['.', ',', ';', ']']);
                crate::model::is_url(url).then(|| url.to_string())
            })
            .collect::<Vec<_>>()
    };
    let host_of = |url: &str| {
        url.split_once("://")
            .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    texts
        .clone()
        .flat_map(urls)
        .find(|url| {
            let host = host_of(url);
            CONFERENCE_HOSTS.iter().any(|known| {
                host == *known || host.ends_with(&format!(".{known}")) || host.contains(known)
            })
        })
        .or_else(|| {
            texts
                .take(3)
                .map(str::trim)
                .find(|t| crate::model::is_url(t))
                .map(str::to_string)
        })
}

/// The file's physical lines, to name the line a problem is on.
struct PhysicalLines<'a> {
    lines: Vec<&'a str>,
}

impl<'a> PhysicalLines<'a> {
    fn new(text: &'a str) -> Self {
        PhysicalLines {
            lines: text.lines().collect(),
        }
    }

    /// The first line that starts with `text` (a folded line's start).
    fn find_text(&self, text: &str) -> Option<usize> {
        let wanted = text.trim();
        let head: String = wanted.chars().take(40).collect();
        self.lines
            .iter()
            .position(|l| !head.is_empty() && l.trim_end().starts_with(&head))
            .map(|i| i + 1)
    }

    fn begin_of(&self, component: &str) -> Option<usize> {
        let wanted = format!("BEGIN:{component}");
        self.lines
            .iter()
            .position(|l| l.trim().eq_ignore_ascii_case(&wanted))
            .map(|i| i + 1)
    }

    /// The line of `property` in the component numbered `comp_id` (calcard
    /// numbers components in the order they begin); its BEGIN line when
    /// `property` is `BEGIN:…` or not found.
    fn property_of(&self, comp_id: usize, property: &str) -> Option<usize> {
        let begin = self
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                l.get(..6)
                    .is_some_and(|head| head.eq_ignore_ascii_case("BEGIN:"))
            })
            .nth(comp_id)
            .map(|(i, _)| i)?;
        if property.starts_with("BEGIN:") {
            return Some(begin + 1);
        }
        let found = self.lines[begin + 1..]
            .iter()
            .take_while(|l| {
                !l.get(..6)
                    .is_some_and(|head| head.eq_ignore_ascii_case("BEGIN:"))
            })
            .position(|l| {
                l.get(..property.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(property))
                    && matches!(l.as_bytes().get(property.len()), Some(b':' | b';'))
            });
        Some(found.map_or(begin + 1, |i| begin + 2 + i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const WEEKLY: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:weekly-1\r\nDTSTART;TZID=Europe/Paris:20261105T150000\r\nDTEND;TZID=Europe/Paris:20261105T163000\r\nRRULE:FREQ=WEEKLY;BYDAY=TH\r\nEXDATE;TZID=Europe/Paris:20261203T150000\r\nSUMMARY:WG Strategy\r\nDESCRIPTION:Agenda:\\n1. Welcome (5 min)\\n2. Budget\\n\\nJoin: https://zoom.u\r\n s/j/123456\r\nATTENDEE;CN=Chris Buckridge;ROLE=CHAIR:mailto:chris@example.org\r\nATTENDEE;CN=\"Ana Neves\":mailto:ana@example.org\r\nATTENDEE;CUTYPE=ROOM;CN=Room 1:mailto:room@example.org\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:weekly-1\r\nRECURRENCE-ID;TZID=Europe/Paris:20261210T150000\r\nDTSTART;TZID=Europe/Paris:20261210T170000\r\nDTEND;TZID=Europe/Paris:20261210T180000\r\nSUMMARY:WG Strategy (moved)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn the_next_weekly_occurrence_skips_an_exdate_and_takes_an_override() {
        let paris = chrono_tz::Europe::Paris;
        // After 26 November: 3 December is excluded, 10 December moved.
        let invite = read_invite(
            WEEKLY,
            Tz::UTC,
            Occurrence::NextAfter(utc(2026, 11, 27, 0, 0)),
        )
        .unwrap();
        assert_eq!(invite.start, utc(2026, 12, 10, 16, 0));
        assert_eq!(invite.title.as_deref(), Some("WG Strategy (moved)"));
        assert_eq!(invite.zone, Some(paris));
        assert_eq!(invite.end, Some(utc(2026, 12, 10, 17, 0)));
        // The override has no description or attendees: the series' own.
        assert_eq!(
            invite.agenda,
            vec![("Welcome".into(), Some(5)), ("Budget".into(), None)]
        );
        assert_eq!(invite.chair.as_deref(), Some("Chris Buckridge"));
        let names: Vec<_> = invite.attendees.iter().map(|a| a.typed.as_str()).collect();
        assert_eq!(names, ["Chris Buckridge", "Ana Neves"]);
        assert_eq!(invite.link.as_deref(), Some("https://zoom.us/j/123456"));
        // A plain week, by its day.
        let on = read_invite(
            WEEKLY,
            Tz::UTC,
            Occurrence::On(NaiveDate::from_ymd_opt(2026, 11, 19).unwrap()),
        )
        .unwrap();
        assert_eq!(on.start, utc(2026, 11, 19, 14, 0));
        assert_eq!(on.title.as_deref(), Some("WG Strategy"));
        let excluded = read_invite(
            WEEKLY,
            Tz::UTC,
            Occurrence::On(NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()),
        )
        .unwrap_err();
        assert!(
            excluded.problem.contains("2026-12-10"),
            "{}",
            excluded.problem
        );
    }

    #[test]
    fn agenda_from_headings_lists_and_html() {
        assert_eq!(
            agenda_of("Hello all,\n\nAgenda:\n- One\n- Two (10m)\n\nRegards\n- not this"),
            vec![("One".into(), None), ("Two".into(), Some(10))]
        );
        assert_eq!(
            agenda_of("Some text\n1. First\n2) Second\nMore text"),
            vec![("First".into(), None), ("Second".into(), None)]
        );
        let html = html_to_text(
            "<p>Hi</p><b>Agenda:</b><br><ol><li>Welcome</li><li>Charter &amp; scope (20 min)</li></ol><p>Join <a href=\"https://meet.google.com/abc-defg-hij\">here</a></p>",
        );
        assert_eq!(
            agenda_of(&html),
            vec![
                ("Welcome".into(), None),
                ("Charter & scope".into(), Some(20))
            ],
            "{html}"
        );
    }

    #[test]
    fn conference_links_are_found_where_apps_put_them() {
        assert_eq!(
            conference_link(
                [
                    "Room 4",
                    "Join: <https://teams.microsoft.com/l/meetup-join/19%3a>."
                ]
                .into_iter()
            )
            .as_deref(),
            Some("https://teams.microsoft.com/l/meetup-join/19%3a")
        );
        assert_eq!(
            conference_link(["see https://example.org/wiki", "https://meet.jit.si/wg"].into_iter())
                .as_deref(),
            Some("https://meet.jit.si/wg")
        );
        assert_eq!(conference_link(["Room 4"].into_iter()), None);
    }

    #[test]
    fn bad_invites_name_the_line() {
        let e = read_invite("hello\n", Tz::UTC, Occurrence::NextAfter(Utc::now())).unwrap_err();
        assert!(e.problem.contains("not an iCalendar"), "{e}");
        let cut = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261105T150000Z\n";
        let e = read_invite(cut, Tz::UTC, Occurrence::NextAfter(Utc::now())).unwrap_err();
        assert!(e.problem.contains("cut short"), "{e}");
        assert_eq!(e.line, Some(3));
        let bad_tz = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nSUMMARY:T\nDTSTART;TZID=Mars/Olympus:20261105T150000\nEND:VEVENT\nEND:VCALENDAR\n";
        let e = read_invite(bad_tz, Tz::UTC, Occurrence::NextAfter(Utc::now())).unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.problem.contains("Mars/Olympus"), "{e}");
        let bad_date = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:next thursday\nEND:VEVENT\nEND:VCALENDAR\n";
        let e = read_invite(bad_date, Tz::UTC, Occurrence::NextAfter(Utc::now())).unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        let no_start =
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nSUMMARY:T\nEND:VEVENT\nEND:VCALENDAR\n";
        let e = read_invite(no_start, Tz::UTC, Occurrence::NextAfter(Utc::now())).unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let every_second = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20260101T090000Z\nRRULE:FREQ=SECONDLY\nEND:VEVENT\nEND:VCALENDAR\n";
        let e = read_invite(
            every_second,
            Tz::UTC,
            Occurrence::NextAfter(utc(2026, 6, 1, 0, 0)),
        )
        .unwrap_err();
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.problem.contains("repeats more than"), "{e}");
        let no_event = "BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n";
        let e = read_invite(no_event, Tz::UTC, Occurrence::NextAfter(Utc::now())).unwrap_err();
        assert!(e.problem.contains("no event"), "{e}");
    }
}
