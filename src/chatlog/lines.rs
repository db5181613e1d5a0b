//! One line of a chat log, in the forms IRC clients and bots write it:
//! RRSAgent (`15:05:20 <nick> text`), irssi (`15:05 <@nick> text`,
//! `-!-` events), weechat (`2014-04-09 15:05:20<TAB>nick<TAB>text`),
//! quassel, ZNC, qwebirc and IRCCloud (`[15:05:20] <nick> text`), bip
//! (`09-04-2014 15:05:20 < nick!user@host: text`), and plain `<nick> text`.
//! Each line is read on its own, so a log that mixes forms (a paste into
//! another client's log) is still read.

use chrono::{FixedOffset, NaiveDate, NaiveTime, Timelike};

/// When a line was written, as far as the line says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stamp {
    pub date: Option<NaiveDate>,
    pub time: Option<NaiveTime>,
    /// Set when the stamp names its offset (`…T15:05:20Z`, `+02:00`).
    pub offset: Option<FixedOffset>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed<'a> {
    /// Someone wrote `text` in the channel.
    Said {
        stamp: Stamp,
        nick: &'a str,
        text: &'a str,
        /// Which client's form the line is in, for the summary.
        form: &'static str,
    },
    /// Joins, parts, nick and topic changes, `/me`, client notices: not
    /// part of the minutes, as scribe.perl leaves them out.
    Event,
    Blank,
    /// A line in no form known: a scribe's plain text, or a wrapped line.
    Other {
        stamp: Stamp,
        text: &'a str,
    },
}

pub fn parse(line: &str) -> Parsed<'_> {
    let line = line.trim_end();
    if line.trim().is_empty() {
        return Parsed::Blank;
    }
    let (stamp, mut rest, enclosed) = take_stamp(line);
    let stamped = stamp != Stamp::default();
    // A bracket that is no stamp this reads, before a `<nick>`: a client's
    // own stamp, dropped.
    if !stamped
        && let Some(inner) = rest.strip_prefix('[')
        && let Some(end) = inner.find(']').filter(|&e| e <= 48)
        && inner[end + 1..].trim_start().starts_with('<')
    {
        rest = &inner[end + 1..];
    }
    // weechat: the nick has a column of its own, between tabs (some
    // clients keep its brackets: `[Wed 11:03]<TAB><m4nu><TAB>text`).
    if stamped && let Some((column, text)) = rest.split_once('\t') {
        let column = column.trim();
        if is_event_marker(column) {
            return Parsed::Event;
        }
        let nick = strip_mode(column);
        let nick = nick
            .strip_prefix('<')
            .and_then(|n| n.strip_suffix('>'))
            .map_or(nick, |n| strip_mode(n.trim()));
        if !nick.is_empty() && !nick.contains(' ') {
            let form = if enclosed == Enclosed::Bare {
                WEECHAT
            } else {
                BRACKETED
            };
            return said(stamp, nick, text, form);
        }
    }
    let rest = rest.trim_start_matches([' ', '\t']);
    if let Some(inner) = rest.strip_prefix('<')
        && let Some(end) = inner.find('>')
    {
        let nick = strip_mode(inner[..end].trim());
        if !nick.is_empty() && !nick.contains(' ') {
            let text = &inner[end + 1..];
            let text = text.strip_prefix([' ', '\t']).unwrap_or(text);
            let form = match (stamped, enclosed) {
                (false, _) => NICKS_ONLY,
                (true, Enclosed::Bare) => BARE,
                (true, _) => BRACKETED,
            };
            return said(stamp, nick, text, form);
        }
    }
    // bip: `< nick!user@host: text` from others, `> nick: text` from oneself.
    if stamped
        && let Some(inner) = rest.strip_prefix("< ").or_else(|| rest.strip_prefix("> "))
        && let Some((who, text)) = inner.split_once(": ")
    {
        let nick = who.split('!').next().unwrap_or(who);
        if !nick.is_empty() && !nick.contains(' ') {
            return said(stamp, nick, text, BIP);
        }
    }
    let first = rest.split_whitespace().next().unwrap_or("");
    if is_event_marker(first)
        || rest.starts_with("--- ")
        || rest.starts_with("***")
        || (rest.starts_with("Conversation with ") && rest.contains(" at "))
    {
        return Parsed::Event;
    }
    // Pidgin: `(08:05:06 PM) nick: text`; its joins and `/me` lines have
    // no colon after the first word.
    if enclosed == Enclosed::Parens {
        if let Some((nick, text)) = rest.split_once(": ")
            && !nick.is_empty()
            && !nick.contains(' ')
        {
            return said(stamp, nick, text, PIDGIN);
        }
        return Parsed::Event;
    }
    Parsed::Other { stamp, text: rest }
}

const BARE: &str = "`15:05:20 <nick> text` (RRSAgent, irssi, XChat)";
const BRACKETED: &str = "`[15:05:20] <nick> text` (ZNC, Quassel, IRCCloud, mIRC)";
const NICKS_ONLY: &str = "`<nick> text` without times";
const WEECHAT: &str = "time TAB nick TAB text (WeeChat)";
const BIP: &str = "`09-04-2014 15:05:20 < nick!user@host: text` (bip)";
const PIDGIN: &str = "`(08:05:06 PM) nick: text` (Pidgin)";

fn said<'a>(stamp: Stamp, nick: &'a str, text: &'a str, form: &'static str) -> Parsed<'a> {
    // RRSAgent logs the channel's joins as lines of the joiner's own.
    for event in [" has joined ", " has left ", " has changed the topic to:"] {
        if let Some(after) = text.strip_prefix(nick)
            && after.starts_with(event)
        {
            return Parsed::Event;
        }
    }
    Parsed::Said {
        stamp,
        nick,
        text: text.trim_end(),
        form,
    }
}

/// What clients put where a nick would be for joins, parts, `/me` and
/// notices.
fn is_event_marker(word: &str) -> bool {
    matches!(
        word,
        "-!-"
            | "--"
            | "-->"
            | "<--"
            | "<->"
            | "***"
            | "*"
            | "-*-"
            | "=="
            | "==="
            | "=!="
            | "—"
            | "→"
            | "←"
            | "⇐"
            | "-"
            | "!"
    )
}

/// `@chair`, `+voiced`: channel modes are not part of a nick.
fn strip_mode(nick: &str) -> &str {
    nick.trim_start_matches(['@', '+', '%', '~', '&'])
}

/// The time stamp a line starts with, and the rest of the line (one
/// separating space or tab taken off). A stamp in brackets or parentheses
/// (`[15:05:20]`, Pidgin's `(08:05:06 PM)`) or bare (`15:05`,
/// `2014-04-09 15:05:20`, XChat's `jun 10 15:05:20`, mbot's
/// `Thu Aug 23 12:59:40 2001`), with a weekday, a date, 12 or 24 hours.
fn take_stamp(line: &str) -> (Stamp, &str, Enclosed) {
    let rest_after = |rest: &'_ str| -> usize {
        let trimmed = rest.strip_prefix([' ', '\t']).unwrap_or(rest);
        line.len() - trimmed.len()
    };
    for (open, close, enclosed) in [('[', ']', Enclosed::Brackets), ('(', ')', Enclosed::Parens)] {
        if let Some(inner) = line.strip_prefix(open)
            && let Some(end) = inner.find(close)
            && end <= 48
            && let Some(stamp) = read_stamp(&inner[..end])
        {
            let after = &inner[end + close.len_utf8()..];
            return (stamp, &line[rest_after(after)..], enclosed);
        }
    }
    // Bare: the words that make a stamp, as long as the line has them.
    let mut best = None;
    let mut end = 0;
    for _ in 0..6 {
        let rest = &line[end..];
        let start = end + (rest.len() - rest.trim_start_matches(' ').len());
        if start > end + 1 || start >= line.len() {
            break;
        }
        let word_end = line[start..]
            .find([' ', '\t'])
            .map_or(line.len(), |i| start + i);
        if !is_stamp_word(&line[start..word_end]) {
            break;
        }
        end = word_end;
        if let Some(stamp) = read_stamp(&line[..end]) {
            best = Some((stamp, end));
        }
        if line[end..].starts_with('\t') {
            break;
        }
    }
    match best {
        Some((stamp, end)) => (stamp, &line[rest_after(&line[end..])..], Enclosed::Bare),
        None => (Stamp::default(), line, Enclosed::Bare),
    }
}

/// How a stamp was written: Pidgin puts its in parentheses and the nick
/// after it as `nick: text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Enclosed {
    Bare,
    Brackets,
    Parens,
}

fn is_stamp_word(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 32
        && (word.bytes().next().is_some_and(|b| b.is_ascii_digit())
            || weekday(word)
            || month(word).is_some()
            || matches!(
                word.to_ascii_lowercase().as_str(),
                "am" | "pm" | "utc" | "gmt"
            ))
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// `Tue`, `Tuesday`, `Tue,`.
fn weekday(word: &str) -> bool {
    let word = word.trim_end_matches([',', '.']).to_ascii_lowercase();
    word.len() >= 3
        && WEEKDAYS.iter().any(|d| word.starts_with(d))
        && word.chars().all(|c| c.is_ascii_alphabetic())
        && word.len() <= 9
}

/// `Jun`, `June`, `jun.` as a month number.
fn month(word: &str) -> Option<u32> {
    let word = word.trim_end_matches([',', '.']).to_ascii_lowercase();
    if word.len() < 3 || word.len() > 9 || !word.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| word.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// A stamp's words: a time (`15:05`, `15:05:20`, `3:05:20 pm`, with `Z`,
/// `+02:00` or `UTC` after), and before or after it a weekday and a date
/// (`2014-04-09`, `09-04-2014`, `Jun 10`, `10 Jun 2020`, `Aug 23 … 2001`).
/// Nothing else: a stamp is all stamp.
fn read_stamp(text: &str) -> Option<Stamp> {
    let text = text.trim();
    if text.is_empty() || text.len() > 48 {
        return None;
    }
    let mut date = None;
    let mut time = None;
    let mut offset = None;
    let mut pm = None;
    let (mut day, mut month_no, mut year) = (None, None, None);
    for word in text.split([' ', '\t']).filter(|w| !w.is_empty()) {
        let lower = word.to_ascii_lowercase();
        let lower = lower.trim_end_matches(',');
        // `2014-04-09T15:05:20Z`.
        if let Some((d, t)) = lower.split_once('t')
            && let Some(found) = read_date(d)
            && time.is_none()
        {
            let (t, o) = split_offset(t);
            time = Some(read_time(t)?);
            offset = o;
            date = Some(found);
            continue;
        }
        if let Some(found) = read_date(lower) {
            date = Some(found);
        } else if time.is_some() && !(lower.len() == 4 || lower.contains(['m', 't', 'u'])) {
            // After the time only a year, am/pm or a zone: `15:05 2 of us`
            // is a time and words.
            return None;
        } else if lower.contains(':') && time.is_none() {
            let (t, o) = split_offset(lower);
            let t = t.trim_end_matches(['a', 'p', 'm']);
            time = Some(read_time(t)?);
            offset = o;
            if lower.ends_with("pm") {
                pm = Some(true);
            } else if lower.ends_with("am") {
                pm = Some(false);
            }
        } else if lower == "am" || lower == "pm" {
            pm = Some(lower == "pm");
        } else if lower == "utc" || lower == "gmt" || lower == "z" {
            offset = chrono::FixedOffset::east_opt(0);
        } else if weekday(lower) {
        } else if let Some(m) = month(lower) {
            month_no = Some(m);
        } else if lower.len() == 4 && lower.bytes().all(|b| b.is_ascii_digit()) {
            year = lower.parse::<i32>().ok();
        } else if (1..=2).contains(&lower.len()) && lower.bytes().all(|b| b.is_ascii_digit()) {
            day = lower.parse::<u32>().ok();
        } else {
            return None;
        }
    }
    let mut time = time?;
    let hour = match pm {
        Some(true) if time.hour() < 12 => Some(time.hour() + 12),
        Some(false) if time.hour() == 12 => Some(0),
        _ => None,
    };
    if let Some(hour) = hour {
        time = NaiveTime::from_hms_opt(hour, time.minute(), time.second())?;
    }
    if date.is_none()
        && let (Some(month), Some(day)) = (month_no, day)
    {
        // A month and a day without a year: the year is the log's business.
        date = year.and_then(|y| NaiveDate::from_ymd_opt(y, month, day));
    }
    Some(Stamp {
        date,
        time: Some(time),
        offset,
    })
}

/// A time's `Z` or `+02:00`, cut by characters (the text may be anything).
fn split_offset(text: &str) -> (&str, Option<FixedOffset>) {
    if let Some(rest) = text.strip_suffix(['Z', 'z']) {
        return (rest, FixedOffset::east_opt(0));
    }
    let Some(sign_at) = text.rfind(['+', '-']) else {
        return (text, None);
    };
    let (head, tail) = text.split_at(sign_at);
    let b = tail.as_bytes();
    if b.len() == 6 && b[3] == b':' {
        let hours: Option<i32> = tail.get(1..3).and_then(|h| h.parse().ok());
        let minutes: Option<i32> = tail.get(4..6).and_then(|m| m.parse().ok());
        if let (Some(hours), Some(minutes)) = (hours, minutes)
            && hours < 24
            && minutes < 60
        {
            let seconds = (hours * 3600 + minutes * 60) * if b[0] == b'-' { -1 } else { 1 };
            return (head, FixedOffset::east_opt(seconds));
        }
    }
    (text, None)
}

fn read_time(text: &str) -> Option<NaiveTime> {
    let lower = text.trim().to_ascii_lowercase();
    let (clock, pm) = match lower
        .strip_suffix("pm")
        .or_else(|| lower.strip_suffix("am"))
    {
        Some(clock) => (clock.trim(), Some(lower.ends_with("pm"))),
        None => (lower.as_str(), None),
    };
    let clock = clock.split('.').next().unwrap_or(clock);
    let mut parts = clock.split(':');
    let number = |p: Option<&str>| -> Option<u32> {
        let p = p?;
        (!p.is_empty() && p.len() <= 2 && p.bytes().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let mut hour = number(parts.next())?;
    let minute = number(parts.next())?;
    let second = match parts.next() {
        Some(s) => number(Some(s))?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    match pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// The day in a banner: `Wed Jun 10 12:02:26 2020 UTC`,
/// `Wed Apr 09 2014`, `Wed 10 Jun 2020 08:00:00 PM UTC`, `2020-06-10`.
pub fn read_banner_date(text: &str) -> Option<NaiveDate> {
    let (mut day, mut month_no, mut year) = (None, None, None);
    for word in text.split_whitespace() {
        let word = word.trim_end_matches([',', '.']);
        if let Some(date) = read_date(word) {
            return Some(date);
        }
        if let Some(m) = month(word) {
            month_no = Some(m);
        } else if word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()) {
            year = word.parse::<i32>().ok();
        } else if (1..=2).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_digit()) {
            day = day.or(word.parse::<u32>().ok());
        }
    }
    NaiveDate::from_ymd_opt(year?, month_no?, day?)
}

/// `2014-04-09` or `09-04-2014` (bip's order).
pub fn read_date(text: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = text.split(['-', '/']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let all_digits = [a, b, c]
        .iter()
        .all(|p| p.bytes().all(|c| c.is_ascii_digit()));
    if !all_digits {
        return None;
    }
    match (a.len(), c.len()) {
        (4, 1..=2) => NaiveDate::from_ymd_opt(a.parse().ok()?, b.parse().ok()?, c.parse().ok()?),
        (1..=2, 4) => NaiveDate::from_ymd_opt(c.parse().ok()?, b.parse().ok()?, a.parse().ok()?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(line: &str) -> (Option<String>, String, String) {
        match parse(line) {
            Parsed::Said {
                stamp, nick, text, ..
            } => (
                stamp.time.map(|t| t.format("%H:%M:%S").to_string()),
                nick.to_string(),
                text.to_string(),
            ),
            other => panic!("{line:?} read as {other:?}"),
        }
    }

    fn at(time: &str, nick: &str, text: &str) -> (Option<String>, String, String) {
        (Some(time.to_string()), nick.to_string(), text.to_string())
    }

    #[test]
    fn the_forms_clients_write() {
        let want = at("15:05:20", "Steven_", "Topic: Announcements");
        for line in [
            "15:05:20 <Steven_> Topic: Announcements",
            "[15:05:20] <Steven_> Topic: Announcements",
            "[2014-04-09 15:05:20] <@Steven_> Topic: Announcements",
            "2014-04-09 15:05:20\t@Steven_\tTopic: Announcements",
            "2014-04-09T15:05:20Z <Steven_> Topic: Announcements",
            "09-04-2014 15:05:20 < Steven_!~s@host: Topic: Announcements",
            "[03:05:20 pm] <Steven_> Topic: Announcements",
        ] {
            assert_eq!(said(line), want, "{line}");
        }
        assert_eq!(
            said("15:05 < Steven_> hello"),
            at("15:05:00", "Steven_", "hello")
        );
        assert_eq!(
            said("<Steven_> hello"),
            (None, "Steven_".into(), "hello".into())
        );
    }

    #[test]
    fn events_are_not_said() {
        for line in [
            "14:59:36 <alain> alain has joined #forms",
            "15:24:57 <alain> alain has left #forms",
            "14:59:54 <Steven_> Steven_ has changed the topic to: Agenda",
            "15:01 -!- alain [~a@b] has joined #forms",
            "15:01  * Steven_ waves",
            "2014-04-09 15:01:00\t-->\talain joined",
            "[15:01:00] *** Joins: alain",
            "--- Log opened Wed Apr 09 15:00:00 2014",
        ] {
            assert_eq!(parse(line), Parsed::Event, "{line}");
        }
    }

    #[test]
    fn other_lines_keep_their_text() {
        assert_eq!(
            parse("Topic: plain text minutes"),
            Parsed::Other {
                stamp: Stamp::default(),
                text: "Topic: plain text minutes"
            }
        );
        // A bracket that is no time stays text.
        assert!(matches!(
            parse("[ADJOURN]"),
            Parsed::Other {
                text: "[ADJOURN]",
                ..
            }
        ));
        // A date alone is no stamp.
        assert!(matches!(
            parse("2014-04-09 was the day"),
            Parsed::Other { .. }
        ));
        assert_eq!(parse("   "), Parsed::Blank);
    }

    #[test]
    fn dates() {
        assert_eq!(read_date("2014-04-09"), NaiveDate::from_ymd_opt(2014, 4, 9));
        assert_eq!(read_date("09-04-2014"), NaiveDate::from_ymd_opt(2014, 4, 9));
        assert_eq!(read_date("2014-13-09"), None);
        assert_eq!(read_date("15:05"), None);
    }
}
