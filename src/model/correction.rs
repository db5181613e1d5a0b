//! Scribe corrections as scribe.perl reads them: `s/old/new/` replaces
//! `old` in the latest line that has it, `s/old/new/g` in every line
//! before, `s/old/new/G` in every line; `i/anchor/new line/` inserts a
//! line before the latest that has `anchor`. `|` may stand for `/`, the
//! last delimiter may be left off, and `new` may itself hold the
//! delimiter (`s/a/b/c/` puts `b/c`). Matching is plain text, case and all.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The latest line that has `old`.
    Latest,
    /// Every earlier line that has it (`g`).
    EveryEarlier,
    /// Every line, before and after (`G`).
    Everywhere,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Correction<'a> {
    /// `i/anchor/line/` rather than `s/old/new/`.
    pub insert: bool,
    pub old: &'a str,
    pub new: &'a str,
    pub scope: Scope,
}

pub fn parse(text: &str) -> Option<Correction<'_>> {
    let text = text.trim_start_matches(' ');
    let mut chars = text.chars();
    let insert = match chars.next()? {
        's' => false,
        'i' => true,
        _ => return None,
    };
    let delimiter = chars.next().filter(|c| matches!(c, '/' | '|'))?;
    let rest = &text[2..];
    let (old, tail) = rest.split_once(delimiter)?;
    if old.is_empty() {
        return None;
    }
    // The shortest `new` after which only a delimiter and a flag remain.
    let trimmed = tail.trim_end_matches(' ');
    let (new, scope) = if let Some(head) = trimmed.strip_suffix('g')
        && let Some(new) = head.strip_suffix(delimiter)
    {
        (new, Scope::EveryEarlier)
    } else if let Some(head) = trimmed.strip_suffix('G')
        && let Some(new) = head.strip_suffix(delimiter)
    {
        (new, Scope::Everywhere)
    } else if let Some(new) = trimmed.strip_suffix(delimiter) {
        (new, Scope::Latest)
    } else {
        (tail, Scope::Latest)
    };
    Some(Correction {
        insert,
        old,
        new,
        scope: if insert { Scope::Latest } else { scope },
    })
}

impl Correction<'_> {
    /// `text` with the first `old` replaced, if it has one. Copy-pasted
    /// minutes may carry zero-width non-joiners inside URLs; `old` also
    /// matches without them, as in scribe.perl.
    pub fn apply(&self, text: &str) -> Option<String> {
        if text.contains(self.old) {
            return Some(text.replacen(self.old, self.new, 1));
        }
        let bare = self.old.replace('\u{200C}', "");
        (bare != self.old && !bare.is_empty() && text.contains(&bare))
            .then(|| text.replacen(&bare, self.new, 1))
    }

    /// Whether `text` has what this correction looks for.
    pub fn matches(&self, text: &str) -> bool {
        text.contains(self.old)
            || (self.old.contains('\u{200C}') && text.contains(&self.old.replace('\u{200C}', "")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(old: &'static str, new: &'static str, scope: Scope) -> Option<Correction<'static>> {
        Some(Correction {
            insert: false,
            old,
            new,
            scope,
        })
    }

    #[test]
    fn the_forms_scribe_perl_reads() {
        assert_eq!(parse("s/teh/the/"), s("teh", "the", Scope::Latest));
        assert_eq!(parse("s/teh/the"), s("teh", "the", Scope::Latest));
        assert_eq!(parse("s|a/b|c|g"), s("a/b", "c", Scope::EveryEarlier));
        assert_eq!(parse("s/0004/0011/G"), s("0004", "0011", Scope::Everywhere));
        assert_eq!(parse("s/;/'/"), s(";", "'", Scope::Latest));
        assert_eq!(parse("s/x/y/z/"), s("x", "y/z", Scope::Latest));
        assert_eq!(parse("s/x/y/  "), s("x", "y", Scope::Latest));
        assert_eq!(parse("s/x//"), s("x", "", Scope::Latest));
        assert_eq!(
            parse("i/Erik: I still/Steven: Any news?/"),
            Some(Correction {
                insert: true,
                old: "Erik: I still",
                new: "Steven: Any news?",
                scope: Scope::Latest
            })
        );
    }

    #[test]
    fn not_corrections() {
        for text in ["s//y/", "so/what/now", "sure, s/he", "s/nothing", "x/a/b/"] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn applies_to_the_first_match() {
        let c = parse("s/a/b/").unwrap();
        assert_eq!(c.apply("a a"), Some("b a".into()));
        assert_eq!(c.apply("none"), None);
        let zwnj = parse("s|http://x.org/\u{200C}a|http://x.org/b|").unwrap();
        assert_eq!(
            zwnj.apply("see http://x.org/a"),
            Some("see http://x.org/b".into())
        );
    }
}
