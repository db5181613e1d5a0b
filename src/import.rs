//! Reading the plain-text agenda and roster files given to `minutes new`.

/// An agenda read from a text or Markdown list.
#[derive(Debug, Default, PartialEq)]
pub struct AgendaFile {
    /// From a leading `# Heading`.
    pub title: Option<String>,
    pub items: Vec<(String, Option<u32>)>,
}

/// Accepts numbered (`1.`, `1)`), bulleted (`-`, `*`, `+`) or bare lines.
/// A trailing `(10 min)` sets the planned minutes.
pub fn parse_agenda(text: &str) -> AgendaFile {
    let mut agenda = AgendaFile::default();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            continue;
        }
        if let Some(heading) = line.strip_prefix('#') {
            let level_one = !heading.starts_with('#');
            if level_one && agenda.title.is_none() && agenda.items.is_empty() {
                agenda.title = Some(heading.trim().to_string());
            }
            continue;
        }
        let item = strip_list_marker(line);
        if item.is_empty() {
            continue;
        }
        let (title, minutes) = split_planned_minutes(item);
        agenda.items.push((title.to_string(), minutes));
    }
    agenda
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
        .map(
            |line| match line.strip_suffix(']').and_then(|l| l.rsplit_once('[')) {
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
            },
        )
        .collect()
}

fn strip_list_marker(line: &str) -> &str {
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

fn split_planned_minutes(item: &str) -> (&str, Option<u32>) {
    if let Some(inner) = item.strip_suffix(')')
        && let Some((title, duration)) = inner.rsplit_once('(')
    {
        let duration = duration.trim();
        let number = duration
            .strip_suffix("minutes")
            .or_else(|| duration.strip_suffix("mins"))
            .or_else(|| duration.strip_suffix("min"))
            .or_else(|| duration.strip_suffix('m'))
            .and_then(|n| n.trim().parse().ok());
        if let Some(n) = number
            && !title.trim().is_empty()
        {
            return (title.trim(), Some(n));
        }
    }
    (item, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_agenda_with_title_and_durations() {
        let agenda = parse_agenda(
            "# WG Strategy\n\n## Agenda\n1. Pact of the Future/GDC (20 min)\n2) WSIS+20 review draft letter\n- IGF strategic vision (5m)\n* AoB\nPlain line\n",
        );
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
        let agenda = parse_agenda("2024 budget\n1.5 million (approx)\n");
        assert_eq!(agenda.items[0].0, "2024 budget");
        assert_eq!(agenda.items[1].0, "1.5 million (approx)");
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
