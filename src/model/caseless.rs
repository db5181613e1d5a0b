//! Case-insensitive matching of ASCII words (`q+`, ` to `, `Topic:`)
//! inside user text, returning slices of that same text.
//!
//! Never lowercase the text and then cut the original at the offsets
//! found in the copy: case mapping changes lengths (`İ` is two bytes and
//! lowercases to three, `ẞ` lowercases to `ß`), and the offsets then fall
//! outside the text or inside a character. Comparing ASCII bytes in place
//! keeps every offset valid: an ASCII byte never occurs inside a
//! multi-byte UTF-8 character.

/// The rest of `text` after `prefix` (ASCII), ignoring ASCII case.
pub fn after_prefix<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    debug_assert!(prefix.is_ascii());
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `text` without `suffix` (ASCII) at its end, ignoring ASCII case.
pub fn before_suffix<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    debug_assert!(suffix.is_ascii());
    let start = text.len().checked_sub(suffix.len())?;
    let tail = text.get(start..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..start])
}

/// The byte offset in `text` of the first `needle` (ASCII), ignoring
/// ASCII case: a valid place to cut `text`.
pub fn find(text: &str, needle: &str) -> Option<usize> {
    debug_assert!(needle.is_ascii());
    let needle = needle.as_bytes();
    if needle.is_empty() {
        return Some(0);
    }
    text.as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings whose case mapping changes their length, in every position.
    const AWKWARD: [&str; 6] = ["İ", "ẞ", "ΐ", "ﬁ", "e\u{301}", "ǅ"];

    #[test]
    fn offsets_are_always_places_to_cut_the_text() {
        for awkward in AWKWARD {
            for text in [
                format!("{awkward} to {awkward}"),
                format!("q+ {awkward}{awkward} TO x"),
                awkward.to_string(),
                format!("to{awkward}"),
            ] {
                if let Some(at) = find(&text, " to ") {
                    assert!(text.is_char_boundary(at), "{text:?}");
                    assert_eq!(&text[at..at + 4].to_ascii_lowercase(), " to ");
                }
                let _ = after_prefix(&text, "q+ ");
                let _ = before_suffix(&text, "reply");
                let _ = before_suffix(&text, "?");
            }
        }
        assert_eq!(find("İsmail TO Éric", " to "), Some(7));
        assert_eq!(after_prefix("Q+ İlkay", "q+"), Some(" İlkay"));
        assert_eq!(before_suffix("İlkay REPLY", "reply"), Some("İlkay "));
        assert_eq!(before_suffix("İ", "?"), None);
        assert_eq!(
            before_suffix("ﬁ", "fi"),
            None,
            "a ligature is not two letters"
        );
    }
}
