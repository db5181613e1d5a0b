//! What `list`, `search` and `actions` print: one function each, writing
//! to any writer (tests read what a person would see).
//!
//! Everything that comes from a meeting file (titles, names, note text,
//! file names) goes through [`visible`]: a note holding `ESC ]52;c;…`
//! (set the clipboard), `ESC [2J` or an OSC 8 link must show as text, not
//! run in the reader's terminal.

use crate::archive::{self, Scan};
use std::borrow::Cow;
use std::io::{self, Write};

/// The meetings of the folder, newest first.
pub fn list(scan: &Scan, out: &mut dyn Write) -> io::Result<()> {
    for a in &scan.meetings {
        let m = &a.meeting;
        let when = a.when_label();
        let number = m.series_number.map_or(String::new(), |n| format!("#{n} "));
        writeln!(
            out,
            "{when}  {number}{}  ({})  {}",
            visible(&m.title),
            crate::text::plural(m.notes.len(), "note"),
            visible(&a.path.display().to_string())
        )?;
    }
    Ok(())
}

/// The notes that hold every word of `query`.
pub fn search(hits: &[archive::Hit], out: &mut dyn Write) -> io::Result<()> {
    for hit in hits {
        let m = &hit.archived.meeting;
        let number = m.series_number.map_or(String::new(), |n| format!(" #{n}"));
        let item = hit
            .item
            .map_or(String::new(), |(n, title)| format!(" · {n}. {title}"));
        let speakers = if hit.speakers.is_empty() {
            String::new()
        } else {
            format!("{}: ", hit.speakers.join(" & "))
        };
        // The meeting's date as `list` gives it, and its file (hits from
        // two meetings of one title are told apart); the note's time below.
        let when = hit.archived.when_label();
        let at = m.in_zone(hit.at).format("%H:%M");
        writeln!(
            out,
            "{when}  {}{number}{}  {}",
            visible(&m.title),
            visible(&item),
            visible(&hit.archived.path.display().to_string())
        )?;
        let off = if hit.off_record {
            "(off the record) "
        } else {
            ""
        };
        let text = format!("{off}{speakers}{}", hit.text.replace('\n', " / "));
        writeln!(out, "    {at} {}", visible(&text))?;
    }
    Ok(())
}

/// Open actions by owner.
pub fn actions(open: &[(String, Vec<archive::OpenAction>)], out: &mut dyn Write) -> io::Result<()> {
    for (owner, actions) in open {
        writeln!(out, "{}", visible(owner))?;
        for action in actions {
            let m = &action.archived.meeting;
            let due = action.due.map_or(String::new(), |d| format!(" (due {d})"));
            let when = action.archived.when().map_or(String::new(), |t| {
                format!(", {}", m.in_zone(t).format("%Y-%m-%d"))
            });
            let issue = action
                .issue
                .as_deref()
                .map_or(String::new(), |url| format!(" {}", visible(url)));
            writeln!(
                out,
                "  - {}{due}  [{}{when}]{issue}",
                visible(&action.text),
                visible(&m.title)
            )?;
        }
    }
    Ok(())
}

/// What `minutes check` found, one line each as compilers write them
/// ("FILE: item 2, 14:05: action without an owner"), so editors jump to it.
pub fn findings(
    file: &std::path::Path,
    findings: &[crate::check::Finding],
    out: &mut dyn Write,
) -> io::Result<()> {
    let file = file.display().to_string();
    for finding in findings {
        writeln!(
            out,
            "{}: {}: {}: {}",
            visible(&file),
            finding.place,
            finding.severity.word(),
            visible(&finding.problem)
        )?;
    }
    Ok(())
}

/// `text` with every control character shown instead of sent: C0 controls
/// (ESC, BEL, CR…) as `^[`, `^G`, `^M`, DEL as `^?`, C1 controls (CSI,
/// OSC…) and the bidirectional overrides that reorder what is shown as
/// `<U+009B>`. Line breaks and tabs stay.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_showing) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !needs_showing(c) => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{7f}' => {
                out.push('^');
                out.push(char::from(c as u8 ^ 0x40));
            }
            c => out.push_str(&format!("<U+{:04X}>", u32::from(c))),
        }
    }
    Cow::Owned(out)
}

fn needs_showing(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Runs a listing on standard output. A reader that stops early (`| head`)
/// ends it quietly, as with any Unix tool.
pub fn to_stdout(print: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match print(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_show_as_text() {
        assert_eq!(
            visible("plain — café 会议\tand\nlines"),
            "plain — café 会议\tand\nlines"
        );
        assert_eq!(visible("\u{1b}]52;c;ZXZpbA==\u{7}"), "^[]52;c;ZXZpbA==^G");
        assert_eq!(visible("\u{1b}[2J\r\u{7f}"), "^[[2J^M^?");
        assert_eq!(visible("\u{9b}31m \u{202e}txt"), "<U+009B>31m <U+202E>txt");
        assert!(matches!(visible("nothing to do"), Cow::Borrowed(_)));
    }
}
