//! One line of a chat log, in the forms IRC clients and bots write it:
//! RRSAgent (`15:05:20 <nick> text`), irssi (`15:05 <@nick> text`,
//! `-!-` events), weechat (`2014-04-09 15:05:20<TAB>nick<TAB>text`),
//! quassel, ZNC, qwebirc and IRCCloud (`[15:05:20] <nick> text`), bip
//! (`09-04-2014 15:05:20 < nick!user@host: text`), and plain `<nick> text`.
//! Each line is read on its own, so a log that mixes forms (a paste into
//! another client's log) is still read.

use chrono::{FixedOffset, NaiveDate, NaiveTime};

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
    let (stamp, rest) = take_stamp(line);
    let stamped = stamp != Stamp::default();
    // weechat: the nick has a column of its own, between tabs.
    if stamped && let Some((column, text)) = rest.split_once('\t') {
        let column = column.trim();
        if is_event_marker(column) {
            return Parsed::Event;
        }
        let nick = strip_mode(column);
        if !nick.is_empty() && !nick.contains(' ') {
            return said(stamp, nick, text);
        }
    }
    let rest = rest.trim_start_matches([' ', '\t']);
    if let Some(inner) = rest.strip_prefix('<')
        && let Some(end) = inner.find('>')
    {
        let nick = strip_mode(inner[..end].trim());
        if !nick.is_empty() && !nick.contains(' ') {
            let text = &inner[end + 1..];
            let text = text.strip_prefix(' ').unwrap_or(text);
            return said(stamp, nick, text);
        }
    }
    // bip: `< nick!user@host: text` from others, `> nick: text` from oneself.
    if stamped
        && let Some(inner) = rest.strip_prefix("< ").or_else(|| rest.strip_prefix("> "))
        && let Some((who, text)) = inner.split_once(": ")
    {
        let nick = who.split('!').next().unwrap_or(who);
        if !nick.is_empty() && !nick.contains(' ') {
            return said(stamp, nick, text);
        }
    }
    let first = rest.split_whitespace().next().unwrap_or("");
    if is_event_marker(first) || rest.starts_with("--- ") {
        return Parsed::Event;
    }
    Parsed::Other { stamp, text: rest }
}

fn said<'a>(stamp: Stamp, nick: &'a str, text: &'a str) -> Parsed<'a> {
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
/// separating space or tab taken off).
fn take_stamp(line: &str) -> (Stamp, &str) {
    let rest_after = |end: usize| {
        let rest = &line[end..];
        rest.strip_prefix([' ', '\t']).unwrap_or(rest)
    };
    if let Some(inner) = line.strip_prefix('[')
        && let Some(end) = inner.find(']')
        && let Some(stamp) = read_stamp(&inner[..end])
    {
        return (stamp, rest_after(end + 2));
    }
    let first_end = line.find([' ', '\t']).unwrap_or(line.len());
    let first = &line[..first_end];
    // A date, then a time: `2014-04-09 15:05:20`.
    if let Some(date) = read_date(first) {
        let second_start = first_end + 1;
        if let Some(second) = line.get(second_start..) {
            let second_end = second
                .find([' ', '\t'])
                .map_or(line.len(), |i| second_start + i);
            if let Some(stamp) = read_stamp(&line[second_start..second_end])
                && stamp.date.is_none()
            {
                return (
                    Stamp {
                        date: Some(date),
                        ..stamp
                    },
                    rest_after(second_end),
                );
            }
        }
        return (Stamp::default(), line);
    }
    match read_stamp(first) {
        Some(stamp) => (stamp, rest_after(first_end)),
        None => (Stamp::default(), line),
    }
}

/// `15:05`, `15:05:20`, `3:05 pm`, `2014-04-09 15:05:20`,
/// `2014-04-09T15:05:20Z`, `09-04-2014 15:05:20`.
fn read_stamp(text: &str) -> Option<Stamp> {
    let text = text.trim();
    let (date_part, time_part) = match text.split_once(['T', ' ']) {
        Some((date, time)) if read_date(date).is_some() => (Some(date), time.trim()),
        _ => (None, text),
    };
    let date = match date_part {
        Some(d) => Some(read_date(d)?),
        None => None,
    };
    let (time_part, offset) = split_offset(time_part);
    let time = read_time(time_part)?;
    Some(Stamp {
        date,
        time: Some(time),
        offset,
    })
}

fn split_offset(text: &str) -> (&str, Option<FixedOffset>) {
    if let Some(rest) = text.strip_suffix('Z') {
        return (rest, FixedOffset::east_opt(0));
    }
    if text.len() > 6 {
        let (head, tail) = text.split_at(text.len() - 6);
        let b = tail.as_bytes();
        if matches!(b[0], b'+' | b'-') && b[3] == b':' {
            let hours: i32 = tail[1..3].parse().unwrap_or(99);
            let minutes: i32 = tail[4..6].parse().unwrap_or(99);
            if hours < 24 && minutes < 60 {
                let seconds = (hours * 3600 + minutes * 60) * if b[0] == b'-' { -1 } else { 1 };
                return (head, FixedOffset::east_opt(seconds));
            }
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
            Parsed::Said { stamp, nick, text } => (
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
