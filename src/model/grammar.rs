//! The scribe's grammar, one for the live editor and the importer: a line
//! in, what it is out. W3C's scribe.perl commands (`Topic:`, `present+`,
//! `scribe:` …), MeetBot's `#commands`, corrections (`s///`, `i///`,
//! model/correction.rs), `Name: text` speaker lines, `...` continuations
//! and lines for the bots (`q+`, `zakim, …`). What each command does is
//! in one table, [`COMMANDS`]; carrying it out is the caller's business
//! (the editor's or the importer's), as is whether a `Name:` is a speaker.

use super::correction::{self, Correction};
use super::{NoteKind, fold};

/// What a command changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The meeting's title (`Meeting:`, `#startmeeting title`, `#meetingname`).
    Title,
    /// The meeting's day (`Date: 9 April 2014`).
    Date,
    /// The agenda's address (`Agenda: URL`).
    Agenda,
    Chair,
    /// Who is taking the notes from this line on.
    Scribe,
    Present,
    Regrets,
    /// The agenda item being discussed (`Topic:`, `#topic`).
    Topic,
    /// A note of a kind: `ACTION:`, `RESOLUTION:`, MeetBot's `#info`,
    /// `#idea`, `#link`, `#action`, `#agreed`, `#rejected`.
    Note(NoteKind),
    /// MeetBot's `#endmeeting`.
    End,
    /// MeetBot's `#undo`: takes back what the last `#command` added.
    Undo,
    /// MeetBot's `#nick name`: someone on the roster.
    Person,
    /// Read and left out: `scribeoptions:`, `#help`, `#lurk`, votes.
    Nothing,
}

/// How a command changes its field: `present:` sets the list, `present+`
/// adds to it, `present-` takes from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Set,
    Add,
    Remove,
}

/// One row of the table: the words that name a command, what it changes,
/// how (for a MeetBot command, which has no `:`/`+`/`-`), and a line of it.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub words: &'static [&'static str],
    pub field: Field,
    /// MeetBot's commands have a fixed verb; W3C's take it from the mark.
    pub verb: Option<Verb>,
    pub example: &'static str,
}

const fn w3c(words: &'static [&'static str], field: Field, example: &'static str) -> Entry {
    Entry {
        words,
        field,
        verb: None,
        example,
    }
}

const fn bot(
    words: &'static [&'static str],
    field: Field,
    verb: Verb,
    example: &'static str,
) -> Entry {
    Entry {
        words,
        field,
        verb: Some(verb),
        example,
    }
}

/// Every command of the grammar. W3C's words are followed by `:`, `+` or
/// `-` (`present+ Ana`); MeetBot's start with `#`.
pub const COMMANDS: &[Entry] = &[
    w3c(&["meeting"], Field::Title, "Meeting: Forms WG"),
    w3c(&["date"], Field::Date, "Date: 09 April 2014"),
    w3c(
        &["agenda"],
        Field::Agenda,
        "Agenda: https://example.org/agenda",
    ),
    w3c(&["chair", "chairs"], Field::Chair, "Chair: Steven"),
    w3c(&["scribe", "scribenick"], Field::Scribe, "scribe: Steven"),
    w3c(&["present"], Field::Present, "present+ Ana, Bo"),
    w3c(&["regrets", "regret"], Field::Regrets, "regrets+ Xiao"),
    w3c(
        &["topic", "subtopic", "sub-topic", "subsubtopic"],
        Field::Topic,
        "Topic: Announcements",
    ),
    w3c(&["scribeoptions"], Field::Nothing, "ScribeOptions: -final"),
    bot(
        &["#startmeeting", "#meetingname", "#meetingtopic"],
        Field::Title,
        Verb::Set,
        "#startmeeting Fedora CoreOS",
    ),
    bot(&["#endmeeting"], Field::End, Verb::Set, "#endmeeting"),
    bot(
        &["#chair"],
        Field::Chair,
        Verb::Add,
        "#chair dustymabe jlebon",
    ),
    bot(&["#unchair"], Field::Chair, Verb::Remove, "#unchair jlebon"),
    bot(
        &["#topic", "#subtopic"],
        Field::Topic,
        Verb::Set,
        "#topic Action items",
    ),
    bot(
        &["#info"],
        Field::Note(NoteKind::Statement),
        Verb::Add,
        "#info the release is on Tuesday",
    ),
    bot(
        &["#idea"],
        Field::Note(NoteKind::Statement),
        Verb::Add,
        "#idea a wiki page per release",
    ),
    bot(
        &["#link"],
        Field::Note(NoteKind::Link),
        Verb::Add,
        "#link https://example.org/board Board",
    ),
    bot(
        &["#action"],
        Field::Note(NoteKind::Action),
        Verb::Add,
        "#action jlebon to file the ticket",
    ),
    bot(
        &["#agreed", "#agree", "#accepted", "#accept"],
        Field::Note(NoteKind::Decision),
        Verb::Add,
        "#agreed ship it on Tuesday",
    ),
    bot(
        &["#rejected", "#reject"],
        Field::Note(NoteKind::Decision),
        Verb::Add,
        "#rejected a second release",
    ),
    bot(&["#undo"], Field::Undo, Verb::Remove, "#undo"),
    bot(&["#nick"], Field::Person, Verb::Add, "#nick bcotton"),
    bot(
        &[
            "#help",
            "#halp",
            "#save",
            "#lurk",
            "#unlurk",
            "#commands",
            "#vote",
            "#endvote",
            "#voters",
            "#votesrequired",
            "#restrictlogs",
            "#progress",
        ],
        Field::Nothing,
        Verb::Set,
        "#help",
    ),
];

/// What a line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line<'a> {
    /// A command of the table: what it changes, how, and the rest of the
    /// line (names, a title, a note's text). An empty rest after `+` or
    /// `-` means the writer (`present+`, `scribe+`).
    Command {
        field: Field,
        verb: Verb,
        word: &'static str,
        rest: &'a str,
    },
    /// `s/old/new/` or `i/anchor/line/`.
    Correction(Correction<'a>),
    /// `Name: text`, as scribe.perl reads a speaker: whether Name is a
    /// speaker is the caller's to say (a scribe's line is; others' chat
    /// addressing someone is not).
    Speaker { name: &'a str, text: &'a str },
    /// `... more` or `… more`: more of the last speaker's turn.
    Continuation(&'a str),
    /// `\text`: a plain note, whatever it starts with.
    Plain(&'a str),
    /// For the bots and the queue: `q+`, `ack x`, `zakim, …`, `agenda+ …`,
    /// `.hello`, `!seen`: not minuted.
    ForBots,
    /// Anything else: a note, whose kind its words give (`ACTION:`,
    /// `RESOLUTION:`, model/classify.rs).
    Text(&'a str),
}

/// Reads one line. Pure: the same text gives the same answer everywhere.
pub fn read(text: &str) -> Line<'_> {
    let text = text.trim();
    if let Some(correction) = correction::parse(text) {
        return Line::Correction(correction);
    }
    if let Some((word, mark, rest)) = command_word(text)
        && let Some(entry) = entry(&word)
    {
        let verb = match (entry.verb, mark) {
            (Some(verb), _) => Some(verb),
            // scribe.perl (2019): `scribe:` adds to the pool of scribes, as
            // `scribe+` does; `scribe=` sets it.
            (None, ':') if entry.field == Field::Scribe => Some(Verb::Add),
            (None, ':' | '=') => Some(Verb::Set),
            // `agenda+ item` is Zakim's queue of topics, not the agenda's
            // address; a title or a day is set, never added to.
            (None, '+' | '-')
                if matches!(entry.field, Field::Agenda | Field::Title | Field::Date) =>
            {
                None
            }
            (None, '+') => Some(Verb::Add),
            (None, '-') => Some(Verb::Remove),
            _ => None,
        };
        if let Some(verb) = verb {
            let word = entry
                .words
                .iter()
                .find(|w| **w == word)
                .copied()
                .unwrap_or(entry.words[0]);
            return Line::Command {
                field: entry.field,
                verb,
                word,
                rest,
            };
        }
    }
    if for_bots(text) {
        return Line::ForBots;
    }
    if let Some(rest) = continuation(text) {
        return Line::Continuation(rest);
    }
    if let Some(rest) = text.strip_prefix('\\') {
        return Line::Plain(rest);
    }
    if let Some((name, rest)) = speaker(text) {
        return Line::Speaker { name, text: rest };
    }
    Line::Text(text)
}

/// The note a MeetBot note command (`#info`, `#idea`, `#link`,
/// `#action`, `#agreed`, `#rejected`) makes of its text, as MeetBot's
/// minutes word it: read the same typed live and imported.
pub fn meetbot_note(word: &str, kind: NoteKind, rest: &str) -> String {
    match (word, kind) {
        ("#idea", _) => format!("IDEA: {rest}"),
        (_, NoteKind::Statement | NoteKind::Link) => rest.to_string(),
        (_, NoteKind::Action) => format!("ACTION: {rest}"),
        ("#rejected" | "#reject", _) => format!("RESOLUTION: Rejected: {rest}"),
        _ => format!("RESOLUTION: {rest}"),
    }
}

fn entry(word: &str) -> Option<&'static Entry> {
    COMMANDS.iter().find(|e| e.words.contains(&word))
}

/// A command's first word, lower-cased (`#word` for MeetBot), the mark
/// after it (`:`, `=`, `+`, `-`, or ' ' for none) and the rest.
pub fn command_word(text: &str) -> Option<(String, char, &str)> {
    let text = text.trim_start();
    let hash = text.starts_with('#');
    let body = if hash { &text[1..] } else { text };
    let end = body
        .find(|c: char| !(c.is_ascii_alphabetic() || c == '-'))
        .unwrap_or(body.len());
    // `sub-topic` has a dash inside; `present-` ends with one.
    let (word_end, dash) = if end > 0 && body[..end].ends_with('-') {
        (end - 1, true)
    } else {
        (end, false)
    };
    if word_end == 0 {
        return None;
    }
    let word = body[..word_end].to_ascii_lowercase();
    if hash {
        return Some((format!("#{word}"), ' ', body[end..].trim()));
    }
    if dash {
        let rest = &body[end..];
        return Some((
            word,
            '-',
            rest.strip_prefix([':', '：']).unwrap_or(rest).trim(),
        ));
    }
    let rest = body[end..].trim_start_matches(' ');
    let (mark, rest) = if let Some(r) = rest.strip_prefix([':', '：']) {
        (':', r)
    } else if let Some(r) = rest.strip_prefix('=') {
        ('=', r)
    } else if let Some(r) = rest.strip_prefix('+') {
        ('+', r.strip_prefix([':', '：']).unwrap_or(r))
    } else {
        (' ', rest)
    };
    Some((word, mark, rest.trim()))
}

/// Lines for the bots and the queue: `zakim, …`, `q+`, `ack x`,
/// `agenda+ …`, `rrsagent, make minutes`, and bot commands such as
/// `.hello2` or `!seen nick`.
fn for_bots(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    let starts = |p: &str| lower.starts_with(p);
    let addressed = BOT_NAMES.iter().any(|bot| {
        lower
            .strip_prefix(bot)
            .is_some_and(|r| r.starts_with(',') || r.starts_with(':'))
    });
    let word = lower.split_whitespace().next().unwrap_or("");
    let queue = matches!(
        word,
        "q+" | "q-" | "q?" | "q=" | "+q" | "-q" | "queue+" | "queue-" | "queue?" | "qq+" | "vq?"
    ) || word.starts_with("q+") && word.len() <= 3;
    // `.hello2`, `!seen`: a bot's command word, not punctuation.
    let bot_command = word.len() > 1
        && (word.starts_with('.') || word.starts_with('!'))
        && word[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic());
    addressed
        || queue
        || bot_command
        || starts("ack ")
        || lower == "ack"
        || starts("agenda+")
        || starts("agenda-")
        || starts("agenda?")
        || starts("agendum ")
        || starts("take up agendum")
        || starts("next agendum")
        || starts("close agendum")
}

/// Bots that minute, log or keep the queue: what they say is theirs, not
/// the meeting's, and they are never present.
pub const BOT_NAMES: [&str; 16] = [
    "rrsagent",
    "zakim",
    "trackbot",
    "agendabot",
    "ghurlbot",
    "github-bot",
    "meetbot",
    "zodbot",
    "openstack",
    "supybot",
    "meetingology",
    "collabot",
    "fedbot",
    "ubottu",
    "lubotu1",
    "mootbot",
];

/// The text after `...` or `…` (two dots or more, as scribe.perl reads).
pub fn continuation(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let rest = if let Some(rest) = text.strip_prefix('…') {
        rest
    } else if text.starts_with("..") {
        text.trim_start_matches('.')
    } else {
        return None;
    };
    Some(rest.trim())
}

/// `Name: text` as scribe.perl reads a speaker: a name without spaces,
/// quotes or `>`, not a URL and not `PROPOSED:` or `ACTION-12:`.
pub fn speaker(text: &str) -> Option<(&str, &str)> {
    let colon = text.find([':', '：'])?;
    let name = text[..colon].trim();
    let rest = text[colon..].trim_start_matches([':', '：']).trim();
    if name.is_empty()
        || name.starts_with("..")
        || name.contains([' ', '"', '>', '<', ';', '/', ',', '(', ')', '='])
        || !name.contains(char::is_alphabetic)
        || rest.starts_with("//")
    {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let special = [
        "proposed",
        "proposal",
        "github",
        "agenda",
        "action",
        "resolution",
        "resolved",
        "decision",
        "issue",
        "summary",
        "slideset",
        "slides",
        "recording",
        "repo",
        "repository",
        "namedanchorhere",
        "http",
        "https",
    ]
    .contains(&lower.as_str())
        || lower
            .strip_prefix("issue-")
            .or_else(|| lower.strip_prefix("action-"))
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
    (!special).then_some((name, rest))
}

/// A nick as it names a person: without a channel mode (`@chair`), angle
/// brackets (`<manu>`), an away or device suffix (`dka_air`, `manu|afk`,
/// `ana[m]`, `Steven_`, `bob^`), so that the same person is one person.
pub fn bare_nick(nick: &str) -> &str {
    let whole = nick.trim();
    // Most nicks have nothing to take off.
    if !whole.contains(['_', '-', '[', '|', '^', '`', '<', '@', '+', '%', '~', '&']) {
        return whole;
    }
    let mut nick = whole.trim_start_matches(['@', '+', '%', '~', '&']);
    if let Some(inner) = nick.strip_prefix('<').and_then(|n| n.strip_suffix('>')) {
        nick = inner.trim();
    }
    if let Some((head, _)) = nick.split_once('|')
        && !head.is_empty()
    {
        nick = head;
    }
    loop {
        let before = nick;
        nick = nick.trim_end_matches(['_', '^', '`']);
        for suffix in [
            "[m]", "[away]", "[afk]", "-afk", "-away", "-work", "-home", "-mobile", "-phone",
            "-laptop", "-air", "_afk", "_away", "_work", "_home", "_mobile", "_phone", "_laptop",
            "_air", "_lunch", "-lunch",
        ] {
            if nick.len() > suffix.len()
                && let Some(head) = nick
                    .get(nick.len() - suffix.len()..)
                    .filter(|tail| tail.eq_ignore_ascii_case(suffix))
                    .and_then(|_| nick.get(..nick.len() - suffix.len()))
            {
                nick = head;
            }
        }
        if nick == before || nick.is_empty() {
            break;
        }
    }
    if nick.is_empty() { whole } else { nick }
}

/// The key two nicks or names are compared by.
pub fn nick_key(nick: &str) -> String {
    let bare = bare_nick(nick);
    // `Kathy_Wahlbin` (Zakim's) and `Kathy Wahlbin` are one name.
    fold(&bare.replace('_', " "))
}

/// The names in a command's rest: comma-separated (or space-separated
/// for MeetBot's `#chair a b`), `nick/Full Name` or `nick = Full Name` as
/// a pair.
pub fn names(rest: &str, spaces: bool) -> Vec<Name<'_>> {
    let split: Vec<&str> = if spaces && !rest.contains(',') {
        rest.split_whitespace().collect()
    } else {
        rest.split(',').collect()
    };
    split
        .into_iter()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|one| match one.split_once(['/', '=']) {
            Some((nick, full)) if !nick.trim().is_empty() && !full.trim().is_empty() => Name {
                name: full.trim(),
                nick: Some(nick.trim()),
            },
            _ => Name {
                name: one,
                nick: None,
            },
        })
        .collect()
}

/// A name in a list, and the nick it was given with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Name<'a> {
    pub name: &'a str,
    pub nick: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(text: &str) -> (Field, Verb, &str) {
        match read(text) {
            Line::Command {
                field, verb, rest, ..
            } => (field, verb, rest),
            other => panic!("{text:?} read as {other:?}"),
        }
    }

    #[test]
    fn every_example_in_the_table_reads_as_its_command() {
        for entry in COMMANDS {
            let (field, verb, _) = command(entry.example);
            assert_eq!(field, entry.field, "{}", entry.example);
            if let Some(fixed) = entry.verb {
                assert_eq!(verb, fixed, "{}", entry.example);
            }
            for word in entry.words {
                let line = if word.starts_with('#') {
                    format!("{word} x")
                } else {
                    format!("{word}: x")
                };
                assert_eq!(command(&line).0, entry.field, "{line}");
            }
        }
    }

    #[test]
    fn the_mark_is_the_verb() {
        assert_eq!(
            command("present: A, B"),
            (Field::Present, Verb::Set, "A, B")
        );
        assert_eq!(command("Present+ C"), (Field::Present, Verb::Add, "C"));
        assert_eq!(command("present+"), (Field::Present, Verb::Add, ""));
        assert_eq!(command("present- C"), (Field::Present, Verb::Remove, "C"));
        assert_eq!(command("regrets: Ana"), (Field::Regrets, Verb::Set, "Ana"));
        assert_eq!(command("Regrets+: Bo"), (Field::Regrets, Verb::Add, "Bo"));
        assert_eq!(
            command("scribenick: dka"),
            (Field::Scribe, Verb::Add, "dka")
        );
        assert_eq!(
            command("scribe= dka, ana"),
            (Field::Scribe, Verb::Set, "dka, ana")
        );
        assert_eq!(command("scribe-"), (Field::Scribe, Verb::Remove, ""));
        assert_eq!(command("chair+"), (Field::Chair, Verb::Add, ""));
        assert_eq!(command("Sub-topic: x"), (Field::Topic, Verb::Set, "x"));
        assert_eq!(command("TOPIC： 会议"), (Field::Topic, Verb::Set, "会议"));
        assert_eq!(
            command("#LINK"),
            (Field::Note(NoteKind::Link), Verb::Add, "")
        );
    }

    #[test]
    fn lines_that_are_not_commands() {
        assert_eq!(
            read("ana: we are over"),
            Line::Speaker {
                name: "ana",
                text: "we are over"
            }
        );
        assert_eq!(
            read("... mostly travel"),
            Line::Continuation("mostly travel")
        );
        assert_eq!(read("\\Topic: not one"), Line::Plain("Topic: not one"));
        assert!(matches!(read("s/teh/the/"), Line::Correction(_)));
        for bots in [
            "q+",
            "ack ana",
            "zakim, close item 2",
            ".hello2",
            "!seen bob",
        ] {
            assert_eq!(read(bots), Line::ForBots, "{bots}");
        }
        for text in [
            "ACTION: ana to send the figures",
            "RESOLUTION: cut travel",
            "topics are hard",
            "presently, no",
            "https://example.org/x",
            "... ",
            "!",
            ".",
        ] {
            assert!(
                matches!(read(text), Line::Text(_) | Line::Continuation(_)),
                "{text}: {:?}",
                read(text)
            );
        }
    }

    #[test]
    fn nicks_of_one_person_are_one_key() {
        for nick in [
            "dka", "dka_", "dka_air", "DKA|afk", "@dka", "<dka>", "dka[m]", "dka^", "dka-away",
        ] {
            assert_eq!(nick_key(nick), "dka", "{nick}");
        }
        assert_eq!(nick_key("Kathy_Wahlbin"), nick_key("kathy wahlbin"));
        assert_eq!(bare_nick("_"), "_");
        assert_eq!(bare_nick("İsmail_"), "İsmail");
    }

    #[test]
    fn names_and_their_nicks() {
        assert_eq!(
            names("dka/Dan Appelquist, Ana", false),
            [
                Name {
                    name: "Dan Appelquist",
                    nick: Some("dka")
                },
                Name {
                    name: "Ana",
                    nick: None
                }
            ]
        );
        assert_eq!(names("a b", true).len(), 2);
        assert_eq!(names("a b", false).len(), 1);
    }

    proptest::proptest! {
        #[test]
        fn any_line_reads_without_a_panic(text in "([İẞΐﬁe\u{301}#:+=/\\|<>@_\\[\\]. -]|[a-zA-Z]{1,3}){0,16}") {
            let _ = read(&text);
            let _ = nick_key(&text);
            let _ = names(&text, true);
            let _ = command_word(&text);
        }
    }
}
