//! Small helpers on text that every layer may use (the app, the
//! importer, the report, the command line, the panes): plurals, cutting
//! to a width, reading yes or no and a planned duration as people type
//! them. Nothing here knows the meeting or the terminal; keeping them at
//! the bottom keeps the modules above free of cycles (a test checks).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` columns, ending in "…" when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Cuts `s` to at most `max` columns at a word's end, with "…": never
/// mid-word unless a single word is most of the room.
pub fn truncate_words(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let cut = truncate(s, max);
    let kept = cut.trim_end_matches('…');
    let tidy = |words: &str| format!("{}…", words.trim_end_matches([' ', '·', ':', ',']));
    if s[kept.len()..].starts_with(' ') {
        // The cut fell between two words.
        return tidy(kept);
    }
    // The last whole word that fits, if it keeps at least half the room.
    match kept.rfind(' ') {
        Some(space) if width(&kept[..space]) * 2 >= max => tidy(&kept[..space]),
        _ => cut,
    }
}

/// "1 note", "3 notes".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// "yes"/"no" (and the usual spellings of them), as prep files write them.
pub fn parse_yes_no(typed: &str) -> Result<bool, String> {
    match typed.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "on" | "true" | "1" => Ok(true),
        "no" | "n" | "off" | "false" | "0" => Ok(false),
        other => Err(format!("\"{other}\" is not yes or no")),
    }
}

pub fn split_planned_minutes(item: &str) -> (&str, Option<u32>) {
    if let Some(inner) = item.trim_end().strip_suffix(')')
        && let Some((title, duration)) = inner.rsplit_once('(')
        && let Some(minutes) = parse_duration(duration)
        && !title.trim().is_empty()
    {
        return (title.trim(), Some(minutes));
    }
    (item, None)
}

/// Minutes from what people write in brackets after an item: `20 min`,
/// `20m`, `20 minutes`, `1h`, `1 hour`, `1.5h`, `1h30`, `ten min`.
pub fn parse_duration(text: &str) -> Option<u32> {
    let text = text.trim().to_ascii_lowercase();
    let number = |word: &str| -> Option<f64> {
        let word = word.trim();
        word.parse::<f64>().ok().filter(|n| *n > 0.0).or_else(|| {
            const WORDS: [(&str, f64); 14] = [
                ("one", 1.0),
                ("two", 2.0),
                ("three", 3.0),
                ("five", 5.0),
                ("ten", 10.0),
                ("fifteen", 15.0),
                ("twenty", 20.0),
                ("thirty", 30.0),
                ("forty", 40.0),
                ("forty-five", 45.0),
                ("fifty", 50.0),
                ("sixty", 60.0),
                ("ninety", 90.0),
                ("an", 1.0),
            ];
            WORDS.iter().find(|(w, _)| *w == word).map(|(_, n)| *n)
        })
    };
    let minutes = |n: f64| (n.round() as u32).max(1);
    if matches!(text.as_str(), "half an hour" | "half hour" | "½h") {
        return Some(30);
    }
    for unit in ["minutes", "minute", "mins", "min", "m"] {
        if let Some(n) = text.strip_suffix(unit).and_then(number) {
            return Some(minutes(n));
        }
    }
    // `1h30`, `1 h 30`, `1h30m`
    if let Some((hours, rest)) = text.split_once('h') {
        // `1 hour`, `2 hours`, `1 hr`, `2 hrs`
        let rest = rest
            .trim_start_matches("ours")
            .trim_start_matches("our")
            .trim_start_matches("rs")
            .trim_start_matches('r')
            .trim_start_matches('s');
        let rest = rest
            .trim()
            .trim_end_matches("min")
            .trim_end_matches('m')
            .trim();
        let hours = number(hours)?;
        let extra = if rest.is_empty() {
            0.0
        } else {
            rest.parse::<f64>().ok()?
        };
        return Some(minutes(hours * 60.0 + extra));
    }
    None
}
