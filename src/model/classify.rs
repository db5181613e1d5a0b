//! The kind of a note is read from how the scribe typed it:
//! `ACTION: @Owner … due 2024-10-01`, `DECISION: …`, `RESOLVED: …`,
//! `RESOLUTION: …` (W3C's word), or a bare URL.

use super::NoteKind;
use super::caseless::after_prefix;
use chrono::NaiveDate;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Classified {
    pub kind: NoteKind,
    /// The owner as typed after `@` (without it), to be matched to the roster.
    pub owner: Option<String>,
    /// The owner was named W3C's way (`Chris to …`), not with `@`: a
    /// guess, to be taken only for someone already on the roster.
    pub owner_by_convention: bool,
    pub due: Option<NaiveDate>,
}

const ACTION: &str = "action:";
/// Decisions as scribes write them: our word, W3C's, and MeetBot's.
const DECISION_PREFIXES: [&str; 7] = [
    "decision:",
    "resolved:",
    "resolution:",
    "#agreed ",
    "#agree ",
    "#accepted ",
    "#accept ",
];

/// A proposal put to the group (W3C's `PROPOSED:`), and a scribe's summary.
const PROPOSAL_PREFIXES: [&str; 3] = ["proposed:", "proposal:", "propose:"];
const SUMMARY_PREFIXES: [&str; 1] = ["summary:"];

/// Words that start an action's sentence without naming anyone.
const NOT_OWNERS: [&str; 16] = [
    "we",
    "i",
    "you",
    "they",
    "he",
    "she",
    "it",
    "someone",
    "somebody",
    "everyone",
    "everybody",
    "all",
    "nobody",
    "group",
    "team",
    "need",
];

/// An action's owner, as typed, and the rest of its sentence:
/// `ACTION: @Chris send it` (ours), `ACTION: Chris to send it` and
/// `ACTION: Chris: send it` (W3C's), `action Chris to send it`
/// (scribe.perl's), `#action Chris send it` (MeetBot's: the owner is
/// found by the caller, who knows the nicks).
fn action_parts(text: &str) -> Option<(Option<(&str, bool)>, &str)> {
    let text = text.trim();
    let (rest, explicit) = match after_prefix(text, ACTION) {
        Some(rest) => (rest.trim_start(), true),
        None => {
            let rest = after_prefix(text, "#action ").map(|r| (r, true));
            let rest = rest.or_else(|| after_prefix(text, "action ").map(|r| (r, false)));
            let (rest, explicit) = rest?;
            (rest.trim_start(), explicit)
        }
    };
    if let Some(after_at) = rest.strip_prefix('@') {
        let end = after_at.find(char::is_whitespace).unwrap_or(after_at.len());
        let owner = after_at[..end].trim_end_matches([',', ':', ';']);
        let owner = (!owner.is_empty()).then_some((owner, false));
        return Some((owner, after_at[end..].trim_start()));
    }
    let named = w3c_owner(rest);
    // `action` without a colon is an action only when it names its owner.
    if named.is_none() && !explicit {
        return None;
    }
    // The sentence stays whole: "Steven to fix it" reads right even when
    // the guess is wrong.
    Some((named.map(|owner| (owner, true)), rest))
}

/// `Chris to send it`, `Chris Wood to send it`, `Chris: send it`.
fn w3c_owner(rest: &str) -> Option<&str> {
    let first_end = rest.find(' ').unwrap_or(rest.len());
    let first = &rest[..first_end];
    if let Some(owner) = first.strip_suffix([':', '：'])
        && !owner.is_empty()
        && !owner.contains("://")
        && !NOT_OWNERS.contains(&owner.to_lowercase().as_str())
    {
        return Some(owner);
    }
    let words: Vec<&str> = rest.splitn(4, ' ').collect();
    let owner_words = match words.as_slice() {
        [_, to, ..] if to.eq_ignore_ascii_case("to") => 1,
        [a, b, to, ..]
            if to.eq_ignore_ascii_case("to")
                && [a, b].iter().all(|w| w.starts_with(char::is_uppercase)) =>
        {
            2
        }
        _ => return None,
    };
    let owner_len: usize = words[..owner_words]
        .iter()
        .map(|w| w.len() + 1)
        .sum::<usize>()
        - 1;
    let owner = &rest[..owner_len];
    if NOT_OWNERS.contains(&owner.to_lowercase().as_str())
        || !owner.starts_with(|c: char| c.is_alphanumeric() || c == '[')
    {
        return None;
    }
    Some(owner)
}

pub fn classify(text: &str) -> Classified {
    let text = text.trim();
    if let Some((owner, rest)) = action_parts(text) {
        return Classified {
            kind: NoteKind::Action,
            owner: owner.map(|(o, _)| o.to_string()),
            owner_by_convention: owner.is_some_and(|(_, guessed)| guessed),
            due: find_due_date(rest),
        };
    }
    if DECISION_PREFIXES
        .iter()
        .any(|p| after_prefix(text, p).is_some())
    {
        return Classified {
            kind: NoteKind::Decision,
            ..Classified::default()
        };
    }
    for (prefixes, kind) in [
        (&PROPOSAL_PREFIXES[..], NoteKind::Proposal),
        (&SUMMARY_PREFIXES[..], NoteKind::Summary),
    ] {
        if prefixes.iter().any(|p| after_prefix(text, p).is_some()) {
            return Classified {
                kind,
                ..Classified::default()
            };
        }
    }
    // MeetBot's `#link URL words`: a link with a label.
    let labelled = after_prefix(text, LINK_PREFIX).is_some_and(|rest| {
        let url = rest.split_whitespace().next().unwrap_or("");
        is_url(url)
    });
    if labelled || is_url(text) {
        return Classified {
            kind: NoteKind::Link,
            ..Classified::default()
        };
    }
    Classified::default()
}

/// MeetBot's link command, read as a link note.
const LINK_PREFIX: &str = "#link ";

/// Only http(s) URLs make links: anything else stays text in every report.
pub fn is_url(text: &str) -> bool {
    (after_prefix(text, "https://").is_some() || after_prefix(text, "http://").is_some())
        && text.len() > "http://".len() + 1
        && !text.chars().any(char::is_whitespace)
}

/// `due 2024-10-01`, `due: 2024-10-01` or `(due 2024-10-01)` anywhere in the text.
fn find_due_date(text: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).find_map(|pair| {
        let keyword = pair[0].trim_start_matches('(').trim_end_matches(':');
        if !keyword.eq_ignore_ascii_case("due") {
            return None;
        }
        let date = pair[1].trim_end_matches([')', ',', '.', ';']);
        NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
    })
}

/// The report's text of a note: kind prefix and `@owner` removed, and for
/// an action the `due YYYY-MM-DD` phrase too (it has a column of its own).
pub fn report_text(text: &str) -> Cow<'_, str> {
    let body = strip_kind_prefix(text);
    // Only an action has a due date; other notes are their text as it is.
    if action_parts(text).is_none() || classify(text).due.is_none() {
        return Cow::Borrowed(body);
    }
    let words: Vec<&str> = body.split(' ').collect();
    let mut kept: Vec<&str> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let keyword = words[i].trim_start_matches('(').trim_end_matches(':');
        let date = words
            .get(i + 1)
            .map(|w| w.trim_end_matches([')', ',', '.', ';']));
        if keyword.eq_ignore_ascii_case("due")
            && date.is_some_and(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
        {
            // Keep the sentence's own punctuation after the date.
            let tail = words[i + 1].trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
            let tail = tail.trim_start_matches(')');
            if let Some(last) = kept.last_mut() {
                *last = last.trim_end_matches(',');
            }
            if !tail.is_empty() && tail != "," {
                kept.push(tail);
            }
            i += 2;
            continue;
        }
        kept.push(words[i]);
        i += 1;
    }
    Cow::Owned(kept.join(" ").replace(" .", ".").trim().to_string())
}

/// The text a report shows: the kind prefix and the owner removed.
pub fn strip_kind_prefix(text: &str) -> &str {
    let trimmed = text.trim();
    if let Some((_, body)) = action_parts(trimmed) {
        return body;
    }
    let prefixes = DECISION_PREFIXES
        .iter()
        .chain(&PROPOSAL_PREFIXES)
        .chain(&SUMMARY_PREFIXES)
        .chain(&[LINK_PREFIX]);
    for prefix in prefixes {
        if let Some(rest) = after_prefix(trimmed, prefix) {
            return rest.trim_start();
        }
    }
    trimmed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_with_owner_and_due_date() {
        let c = classify("ACTION: @Titti circulate the letter, due 2024-10-03");
        assert_eq!(c.kind, NoteKind::Action);
        assert_eq!(c.owner.as_deref(), Some("Titti"));
        assert_eq!(c.due, NaiveDate::from_ymd_opt(2024, 10, 3));
        assert_eq!(
            strip_kind_prefix("ACTION: @Titti circulate the letter"),
            "circulate the letter"
        );
    }

    #[test]
    fn action_prefix_is_case_insensitive_and_owner_optional() {
        let c = classify("action: send minutes (due: 2024-10-01)");
        assert_eq!(c.kind, NoteKind::Action);
        assert_eq!(c.owner, None);
        assert_eq!(c.due, NaiveDate::from_ymd_opt(2024, 10, 1));
    }

    #[test]
    fn report_text_drops_the_due_phrase() {
        assert_eq!(
            report_text("ACTION: @Titti circulate the letter, due 2024-10-03"),
            "circulate the letter"
        );
        assert_eq!(
            report_text("ACTION: send it (due 2024-10-03) to all."),
            "send it to all."
        );
        assert_eq!(report_text("ACTION: send it due 2024-10-03."), "send it.");
        assert_eq!(
            report_text("ACTION: pay what is due tomorrow"),
            "pay what is due tomorrow"
        );
    }

    #[test]
    fn w3c_and_meetbot_actions_name_their_owner() {
        for (text, owner, body) in [
            (
                "ACTION: Steven to fix the text",
                Some("Steven"),
                "Steven to fix the text",
            ),
            (
                "action: Steven Pemberton to fix it",
                Some("Steven Pemberton"),
                "Steven Pemberton to fix it",
            ),
            (
                "ACTION: ebruchez: review",
                Some("ebruchez"),
                "ebruchez: review",
            ),
            (
                "action Steven to fix it",
                Some("Steven"),
                "Steven to fix it",
            ),
            (
                "#action jdoe to update the wiki",
                Some("jdoe"),
                "jdoe to update the wiki",
            ),
            ("ACTION: we to decide later", None, "we to decide later"),
            (
                "ACTION: send the letter to all",
                None,
                "send the letter to all",
            ),
            (
                "ACTION: see https://x.org: now",
                None,
                "see https://x.org: now",
            ),
        ] {
            let c = classify(text);
            assert_eq!(c.kind, NoteKind::Action, "{text}");
            assert_eq!(c.owner.as_deref(), owner, "{text}");
            assert_eq!(c.owner_by_convention, owner.is_some(), "{text}");
            assert_eq!(strip_kind_prefix(text), body, "{text}");
        }
        assert_eq!(classify("action items are late").kind, NoteKind::Statement);
        assert_eq!(classify("#agreed meet monthly").kind, NoteKind::Decision);
        assert_eq!(strip_kind_prefix("#agreed meet monthly"), "meet monthly");
    }

    #[test]
    fn proposals_and_summaries() {
        assert_eq!(classify("PROPOSED: meet monthly").kind, NoteKind::Proposal);
        assert_eq!(classify("Proposal: meet monthly").kind, NoteKind::Proposal);
        assert_eq!(classify("SUMMARY: we agreed").kind, NoteKind::Summary);
        assert_eq!(strip_kind_prefix("PROPOSED:  meet monthly"), "meet monthly");
        assert_eq!(strip_kind_prefix("summary: we agreed"), "we agreed");
        assert_eq!(classify("summary of the call").kind, NoteKind::Statement);
    }

    #[test]
    fn decisions() {
        assert_eq!(
            classify("DECISION: adopt the letter").kind,
            NoteKind::Decision
        );
        assert_eq!(
            classify("Resolved: to meet monthly").kind,
            NoteKind::Decision
        );
        assert_eq!(
            strip_kind_prefix("RESOLVED:  to meet monthly"),
            "to meet monthly"
        );
    }

    #[test]
    fn only_bare_http_urls_are_links() {
        assert_eq!(classify("https://example.org/a?b=c").kind, NoteKind::Link);
        assert_eq!(classify("  http://x.org ").kind, NoteKind::Link);
        assert_eq!(
            classify("see https://example.org").kind,
            NoteKind::Statement
        );
        assert_eq!(classify("javascript:alert(1)").kind, NoteKind::Statement);
        assert_eq!(classify("https://").kind, NoteKind::Statement);
    }

    #[test]
    fn plain_statements_and_non_ascii_do_not_panic() {
        assert_eq!(classify("é").kind, NoteKind::Statement);
        assert_eq!(classify("actioné").kind, NoteKind::Statement);
        assert_eq!(strip_kind_prefix("Chris shared"), "Chris shared");
    }
}
