//! How people's names are compared, shortened and turned into ids.

use nucleo_matcher::chars::{normalize, to_lower_case};

/// Lower-cases and strips accents, so "Désirée" and "desiree" compare equal.
/// Uses the same folding as the speaker picker's fuzzy matcher.
pub fn fold(s: &str) -> String {
    // Runs of ASCII (most of any text) are copied and lower-cased whole;
    // only the other characters need the normalisation tables. Char by
    // char, this was half the time of `minutes search`.
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = ascii_prefix_len(rest.as_bytes());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        if let Some(c) = rest.chars().next() {
            out.push(to_lower_case(normalize(c)));
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// How many bytes `bytes` starts with that are ASCII: 16 at a time
/// (`is_ascii` on a block compiles to a few word-wide tests).
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    let blocks = bytes
        .chunks_exact(16)
        .take_while(|block| block.is_ascii())
        .count();
    let start = blocks * 16;
    start
        + bytes[start..]
            .iter()
            .position(|b| !b.is_ascii())
            .unwrap_or(bytes.len() - start)
}

/// A stable, readable id: "Désirée Miloshevic" becomes "desiree-miloshevic".
/// Letters outside Latin (CJK names) are kept as they are.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in fold(name).chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The name scribes use in a report: the first name ("Chris" for "Chris
/// Buckridge"), or the whole name when it is a single word.
pub fn short_name_of(full_name: &str) -> String {
    full_name
        .split_whitespace()
        .next()
        .unwrap_or(full_name)
        .to_string()
}

/// Splits "Full Name (Affiliation)" into its parts; the name is trimmed.
pub fn split_affiliation(typed: &str) -> (String, Option<String>) {
    let typed = typed.trim();
    if let Some(open) = typed.rfind('(')
        && typed.ends_with(')')
        && open > 0
    {
        let name = typed[..open].trim();
        let affiliation = typed[open + 1..typed.len() - 1].trim();
        if !name.is_empty() {
            let affiliation = (!affiliation.is_empty()).then(|| affiliation.to_string());
            return (name.to_string(), affiliation);
        }
    }
    (typed.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Folding by runs is folding char by char.
        #[test]
        fn fold_is_char_by_char(text in "(?s).{0,40}", ascii in "[ -~]{0,40}") {
            for text in [text.clone(), format!("{ascii}{text}{ascii}")] {
                let by_char: String = text
                    .chars()
                    .map(|c| if c.is_ascii() { c.to_ascii_lowercase() } else { to_lower_case(normalize(c)) })
                    .collect();
                proptest::prop_assert_eq!(fold(&text), by_char);
            }
        }
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Désirée ÅSA"), "desiree asa");
    }

    #[test]
    fn slugs_are_readable_and_keep_non_latin_letters() {
        assert_eq!(slug("  Désirée  Miloshevic "), "desiree-miloshevic");
        assert_eq!(slug("Xiao Zhang"), "xiao-zhang");
        assert_eq!(slug("张晓"), "张晓");
        assert_eq!(slug("O'Brien, Pat"), "o-brien-pat");
    }

    #[test]
    fn splits_affiliation() {
        assert_eq!(
            split_affiliation("Timea Suto (ICC)"),
            ("Timea Suto".into(), Some("ICC".into()))
        );
        assert_eq!(split_affiliation("Juan"), ("Juan".into(), None));
        assert_eq!(split_affiliation("(ICC)"), ("(ICC)".into(), None));
    }
}
