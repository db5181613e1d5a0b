//! Template filters: escaping note text for Markdown, wrapping plain text.

use minijinja::{Environment, Value};

pub fn register(env: &mut Environment) {
    env.add_filter("md", md_value);
    env.add_filter("md_cell", md_cell);
    env.add_filter("md_line", md_cell);
    env.add_filter("md_url", md_url);
    env.add_filter("linked", linked);
    env.add_filter("wrap", wrap);
    env.add_filter("ordinal", |n: u64| super::ordinal(n));
    env.add_filter("http_only", http_only);
}

/// [`md`] as a template filter: text that needs nothing escaped (most
/// notes) is passed on as it is, not copied. Anything but a string is a
/// template error, as for any filter that takes text (a missing value
/// must not print "none" into a report).
fn md_value(value: Value) -> Result<Value, minijinja::Error> {
    match value.as_str() {
        Some(text) if !needs_md_escaping(text) => Ok(value),
        Some(text) => Ok(Value::from(md(text))),
        None => Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "value is not a string",
        )),
    }
}

/// Whether [`md`] would change `text`: one pass over the bytes.
fn needs_md_escaping(text: &str) -> bool {
    const SPECIAL: [bool; 256] = {
        let mut table = [false; 256];
        let special = b"\\`*_[]<>|~&";
        let mut i = 0;
        while i < special.len() {
            table[special[i] as usize] = true;
            i += 1;
        }
        table
    };
    text.starts_with(char::is_whitespace)
        || text.starts_with(['#', '-', '+', '='])
        || text.starts_with(|c: char| c.is_ascii_digit())
        // Every line could open a block: the slow way looks at each.
        || text.bytes().any(|b| SPECIAL[usize::from(b)] || b == b'\n')
        // A URL becomes an autolink.
        || memchr::memmem::find(text.as_bytes(), b"http").is_some()
}

/// Escapes text so Markdown shows it as typed: inline markup characters,
/// and anything at the start of a line that would open a heading, quote,
/// list or rule (a line break in a title must not start a heading).
pub fn md(text: &str) -> String {
    let text = text.trim_start();
    if !needs_md_escaping(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        escape_line(line.trim_start(), &mut out);
    }
    out
}

fn escape_line(line: &str, out: &mut String) {
    // Block markers only matter at the start of a line.
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let mut rest = line;
    if digits > 0 && line[digits..].starts_with(['.', ')']) {
        out.push_str(&line[..digits]);
        out.push('\\');
        rest = &line[digits..];
    } else if line.starts_with(['#', '-', '+', '=']) && !starts_with_url(line) {
        // ('>' and '*' are escaped below wherever they stand.)
        out.push('\\');
    }
    for (part, is_url) in split_urls(rest) {
        if is_url {
            // An autolink: the URL byte for byte, a link in every renderer.
            out.push('<');
            out.push_str(&md_url(part));
            out.push('>');
            continue;
        }
        for c in part.chars() {
            if matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
    }
}

fn starts_with_url(text: &str) -> bool {
    text.starts_with("https://") || text.starts_with("http://")
}

/// `text` cut into runs of plain text and http(s) URLs, in order. A URL
/// starts a word and runs to the next white space, less the punctuation
/// that ends a sentence after it (`see https://x.org/a.` links `…/a`) and a
/// closing parenthesis it did not open.
fn split_urls(text: &str) -> Vec<(&str, bool)> {
    let mut parts = Vec::new();
    let mut plain_from = 0;
    let mut at = 0;
    while let Some(found) = text[at..].find("http") {
        let start = at + found;
        let word_start =
            start == 0 || text[..start].ends_with(|c: char| c.is_whitespace() || c == '(');
        let rest = &text[start..];
        if !word_start || !starts_with_url(rest) {
            at = start + 4;
            continue;
        }
        let word_end = start + rest.find(char::is_whitespace).unwrap_or(rest.len());
        let end = start + url_len(&text[start..word_end]);
        if !crate::model::is_url(&text[start..end]) {
            at = end.max(start + 4);
            continue;
        }
        if plain_from < start {
            parts.push((&text[plain_from..start], false));
        }
        parts.push((&text[start..end], true));
        plain_from = end;
        at = end;
    }
    if plain_from < text.len() {
        parts.push((&text[plain_from..], false));
    }
    parts
}

/// How much of `word` (a URL and what follows it up to white space) is
/// the URL: less the punctuation that ends a sentence, and less each
/// closing parenthesis it did not open. One pass from the end, counting
/// the parentheses once: a word of 100,000 `)` costs no more than its
/// length.
fn url_len(word: &str) -> usize {
    let opens = word.bytes().filter(|&b| b == b'(').count();
    let mut closes = word.bytes().filter(|&b| b == b')').count();
    let mut len = word.len();
    while let Some(last) = word[..len].bytes().next_back() {
        match last {
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'"' | b'\'' => len -= 1,
            b')' if opens < closes => {
                len -= 1;
                closes -= 1;
            }
            _ => break,
        }
    }
    len
}

/// For HTML: the text escaped, its http(s) URLs made links.
fn linked(value: Value) -> Result<Value, minijinja::Error> {
    let Some(text) = value.as_str() else {
        return Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "value is not a string",
        ));
    };
    let escape = |s: &str| minijinja::HtmlEscape(s).to_string();
    let mut out = String::with_capacity(text.len() + 16);
    for (part, is_url) in split_urls(text) {
        if is_url {
            let url = escape(part);
            out.push_str(&format!("<a href=\"{url}\">{url}</a>"));
        } else {
            out.push_str(&escape(part));
        }
    }
    Ok(Value::from_safe_string(out))
}

/// For a table cell, or any field that is one line (a title, a name): escaped,
/// its line breaks and runs of white space made one space.
fn md_cell(text: &str) -> String {
    md(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Plain text wrapped to `width` columns; `indent` starts every line after
/// the first (and the first too when `first` is not given).
pub fn wrap(text: &str, width: Option<usize>, indent: Option<&str>, first: Option<&str>) -> String {
    let width = width.unwrap_or(72);
    let indent = indent.unwrap_or("");
    let first = first.unwrap_or(indent);
    if indent.is_empty() && first.is_empty() && spaced_singly(text) {
        // textwrap's own fast way (a third of a plain-text export went
        // into `fill`): the same lines when no line starts or ends with a
        // space and no two spaces meet, which is most notes.
        let mut text = text.to_string();
        textwrap::fill_inplace(&mut text, width);
        return text;
    }
    let options = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(indent)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false);
    textwrap::fill(text, options)
}

/// No line of `text` starts or ends with a space, and no two spaces meet.
fn spaced_singly(text: &str) -> bool {
    !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.contains(" \n")
        && !text.contains("\n ")
}

/// An http(s) URL for a Markdown autolink `<…>`, else nothing. What would
/// end the autolink early (`<`, `>`, control characters) is
/// percent-encoded, so `https://x.org/>[CLICK](https://phish.example/)<`
/// stays one link to x.org, not a link with text and target of its own.
fn md_url(url: &str) -> String {
    let url = http_only(url);
    if !url.contains(|c: char| matches!(c, '<' | '>') || c.is_control()) {
        return url;
    }
    let mut out = String::with_capacity(url.len() + 8);
    for c in url.chars() {
        if matches!(c, '<' | '>') || c.is_control() {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The URL if it is an http(s) URL, else nothing: never a `javascript:` link.
fn http_only(url: &str) -> String {
    if crate::model::is_url(url) {
        url.to_string()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_structure_cannot_be_broken_by_a_note() {
        assert_eq!(md("# not a heading"), "\\# not a heading");
        assert_eq!(md("1. not a list"), "1\\. not a list");
        assert_eq!(md("12) nor this"), "12\\) nor this");
        assert_eq!(md("- nor this"), "\\- nor this");
        assert_eq!(md("> nor a quote"), "\\> nor a quote");
        assert_eq!(md("a | b"), "a \\| b");
        assert_eq!(
            md("[x](javascript:alert(1)) <b>"),
            "\\[x\\](javascript:alert(1)) \\<b\\>"
        );
        assert_eq!(md("2024 budget"), "2024 budget");
        assert_eq!(
            md("Title\n# Heading\n  - item\n1. one\n> quote"),
            "Title\n\\# Heading\n\\- item\n1\\. one\n\\> quote"
        );
        assert_eq!(md_cell("WG\n\n# Heading"), "WG # Heading");
        assert_eq!(
            md_url("https://x.org/>[CLICKME](https://phish.example/)<"),
            "https://x.org/%3E[CLICKME](https://phish.example/)%3C"
        );
        assert_eq!(md_url("https://x.org/a?b=1&c=2"), "https://x.org/a?b=1&c=2");
        assert_eq!(md_url("javascript:alert(1)"), "");
        // URLs in a note stay whole: no escapes inside them.
        assert_eq!(
            md(
                "see https://docs.example/d/1?usp=sharing&ouid=11_0 (and http://x.org/a_(b)), then."
            ),
            "see <https://docs.example/d/1?usp=sharing&ouid=11_0> (and <http://x.org/a_(b)>), then."
        );
        assert_eq!(md("https://x.org/a_b."), "<https://x.org/a_b>.");
        assert_eq!(
            md("not a url: xhttps://x.org_a"),
            "not a url: xhttps://x.org\\_a"
        );
        assert_eq!(md_cell("line one\nline | two"), "line one line \\| two");
    }

    proptest::proptest! {
        /// The filter passes text on only when escaping would not change it.
        #[test]
        fn the_filter_escapes_as_md_does(text in "[ a#1.\\-*_<>|\n]{0,12}") {
            let filtered = md_value(Value::from(text.as_str())).unwrap();
            let escaped = md(&text);
            proptest::prop_assert_eq!(filtered.as_str(), Some(escaped.as_str()));
        }
    }

    #[test]
    fn the_filter_refuses_what_is_not_text() {
        assert!(md_value(Value::from(())).is_err());
        assert!(md_value(Value::from(5)).is_err());
    }

    proptest::proptest! {
        /// The fast way wraps exactly as `fill` does, where it is taken.
        #[test]
        fn wrap_fast_way_is_fill(
            text in "[a-zé会 \n]{0,30}( [a-z]{1,12}| [A-Z]{20,80}|\n){0,40}",
            width in 1usize..90,
        ) {
            let options = textwrap::Options::new(width)
                .word_splitter(textwrap::WordSplitter::NoHyphenation)
                .break_words(false);
            proptest::prop_assert_eq!(wrap(&text, Some(width), None, None), textwrap::fill(&text, options));
        }
    }

    #[test]
    fn a_space_before_a_line_break_takes_the_slow_way() {
        // Once found by the property test above, with the check loosened:
        // `fill_inplace` would keep the space that `fill` drops.
        let options = textwrap::Options::new(1)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(false);
        assert_eq!(
            wrap("会 \n", Some(1), None, None),
            textwrap::fill("会 \n", options)
        );
    }

    #[test]
    fn wraps_with_indents() {
        assert_eq!(
            wrap("aaa bbb ccc", Some(7), Some("  "), Some("- ")),
            "- aaa\n  bbb\n  ccc"
        );
        assert_eq!(http_only("javascript:alert(1)"), "");
        assert_eq!(http_only("https://x.org"), "https://x.org");
    }
}
