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
        self.searcher().apply(text)
    }

    /// Whether `text` has what this correction looks for.
    pub fn matches(&self, text: &str) -> bool {
        self.searcher().matches(text)
    }

    /// A searcher for running this correction over many lines: the
    /// needles are prepared once, not per line.
    pub fn searcher(&self) -> Searcher<'_> {
        let bare = self.old.replace('\u{200C}', "");
        let bare = (bare != self.old && !bare.is_empty())
            .then(|| memchr::memmem::Finder::new(bare.as_bytes()).into_owned());
        Searcher {
            old: memchr::memmem::Finder::new(self.old.as_bytes()),
            bare,
            new: self.new,
        }
    }

    /// How many bytes one replacement adds to a line (0 when it shrinks it).
    pub fn growth(&self) -> usize {
        self.new.len().saturating_sub(self.old.len())
    }
}

/// A correction's `old` (and its form without zero-width non-joiners),
/// ready to look for in many lines.
pub struct Searcher<'a> {
    old: memchr::memmem::Finder<'a>,
    bare: Option<memchr::memmem::Finder<'static>>,
    new: &'a str,
}

impl Searcher<'_> {
    /// Where the match is and how long it is, if `text` has one.
    fn find(&self, text: &str) -> Option<(usize, usize)> {
        if let Some(at) = self.old.find(text.as_bytes()) {
            return Some((at, self.old.needle().len()));
        }
        let bare = self.bare.as_ref()?;
        bare.find(text.as_bytes())
            .map(|at| (at, bare.needle().len()))
    }

    pub fn matches(&self, text: &str) -> bool {
        self.find(text).is_some()
    }

    /// `text` with the first match replaced, if it has one.
    pub fn apply(&self, text: &str) -> Option<String> {
        let (at, len) = self.find(text)?;
        // Both ends are boundaries: the needle is whole UTF-8 text.
        let mut out = String::with_capacity(text.len() + self.new.len());
        out.push_str(&text[..at]);
        out.push_str(self.new);
        out.push_str(&text[at + len..]);
        Some(out)
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
