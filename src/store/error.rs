//! Errors about a meeting's files: they name the file and say what is
//! wrong with it, and what to do.

use crate::model::FORMAT_VERSION;
use std::fmt;
use std::path::PathBuf;

#[derive(Debug)]
pub struct FileError {
    pub path: PathBuf,
    pub problem: Problem,
}

#[derive(Debug)]
pub enum Problem {
    Io(std::io::Error),
    /// Writing failed (as opposed to reading).
    Write(std::io::Error),
    /// A FIFO, device or socket where a meeting file should be.
    NotRegular,
    /// The owner may not write the file: it is kept as it is.
    ReadOnly,
    /// The file has other names: saving replaces it, which would part them.
    HardLinked {
        names: u64,
    },
    /// A new meeting would go where a file is.
    AlreadyExists,
    /// A note id beyond what JSON numbers hold exactly.
    NoteIdTooLarge {
        id: u64,
    },
    IsDirectory,
    Empty,
    NotJson {
        line: usize,
        column: usize,
        message: String,
    },
    Invalid {
        line: usize,
        column: usize,
        message: String,
    },
    NoVersion,
    BadVersion(String),
    /// Another minutes has the meeting open (its process id, if known).
    Locked {
        pid: Option<String>,
    },
    /// A journal line other than the last is damaged.
    Journal {
        line: usize,
        problem: Box<Problem>,
    },
    NewerVersion {
        found: u64,
    },
    /// Not a meeting file but another kind `minutes` reads with another
    /// command: the error names that command.
    WrongKind(Kind),
}

/// What a file that is not a meeting looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An IRC, Zakim or MeetBot log: `minutes import` reads it.
    ChatLog,
    /// A Markdown agenda: `minutes new --agenda` reads it.
    PrepFile,
    /// Text, not JSON.
    Text,
    /// JSON, but not an object with a `format_version`.
    OtherJson,
}

/// Says what a file that did not read as a meeting is instead, when its
/// first lines show it: a chat log, a prep file, other text or JSON that
/// is not an object. None for a JSON object (its own error says more).
pub(crate) fn wrong_kind(bytes: &[u8]) -> Option<Problem> {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    let first = text.trim_start().chars().next()?;
    if first == '{' {
        return None;
    }
    if first == '[' && !looks_like_chat(&text) || first == '"' {
        return Some(Problem::WrongKind(Kind::OtherJson));
    }
    let kind = if looks_like_chat(&text) {
        Kind::ChatLog
    } else if text
        .lines()
        .take(200)
        .any(|l| l.starts_with("# ") || l.starts_with("## "))
    {
        Kind::PrepFile
    } else if serde_json::from_str::<serde_json::Value>(&text).is_ok() {
        Kind::OtherJson
    } else {
        Kind::Text
    };
    Some(Problem::WrongKind(kind))
}

/// Lines as chat logs write them: `<nick> text`, after a time stamp
/// (`15:05:20 <nick>`, `[15:05] <nick>`) or not, or weechat's
/// `stamp<TAB>nick<TAB>text`. Half the first lines, or more.
fn looks_like_chat(text: &str) -> bool {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(40)
        .collect();
    let chat = lines
        .iter()
        .filter(|line| {
            let rest = line.trim_start_matches(|c: char| {
                c.is_ascii_digit()
                    || matches!(c, ':' | '-' | '.' | 'T' | 'Z' | '+' | ' ' | '[' | ']')
            });
            let said = rest.starts_with('<') && rest.contains('>');
            let weechat = rest.len() < line.len() && line.matches('\t').count() >= 2;
            let event = rest.starts_with("-!-") || rest.starts_with("* ");
            said || weechat || event
        })
        .count();
    chat > 0 && chat * 2 >= lines.len()
}

impl Problem {
    pub(crate) fn from_json(err: serde_json::Error) -> Problem {
        use serde_json::error::Category;
        let (line, column) = (err.line(), err.column());
        // serde_json appends " at line L column C"; we say it our own way.
        let message = err.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m);
        let message = without_type_names(message);
        match err.classify() {
            Category::Data => Problem::Invalid {
                line,
                column,
                message,
            },
            Category::Eof if line <= 1 && column == 0 => Problem::Empty,
            _ => Problem::NotJson {
                line,
                column,
                message,
            },
        }
    }
}

/// serde's message without the program's own type names: "expected
/// struct Finalized" says "expected an object", "expected enum Mode"
/// "expected one of its values" (the file's reader knows no Rust types).
fn without_type_names(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    loop {
        let next = [("struct ", "an object"), ("enum ", "one of its values")]
            .into_iter()
            .filter_map(|(word, said)| {
                rest.find(&format!("expected {word}"))
                    .map(|at| (at, word, said))
            })
            .min_by_key(|(at, _, _)| *at);
        let Some((at, word, said)) = next else {
            out.push_str(rest);
            return out;
        };
        let name_start = at + "expected ".len() + word.len();
        let name_len = rest[name_start..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len() - name_start);
        out.push_str(&rest[..at]);
        out.push_str("expected ");
        out.push_str(said);
        rest = &rest[name_start + name_len..];
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                write!(f, "no such file")
            }
            Problem::Io(e) => write!(f, "cannot read it: {e}"),
            Problem::Write(e) => write!(f, "cannot write it: {e}"),
            Problem::AlreadyExists => write!(f, "already exists; `minutes open` resumes it"),
            Problem::NotRegular => write!(
                f,
                "is not a regular file (a FIFO, device or socket), so not a meeting file"
            ),
            Problem::ReadOnly => write!(
                f,
                "is read-only, so minutes leaves it as it is: `chmod u+w` it to take notes in it, or `minutes export` it to read it"
            ),
            Problem::HardLinked { names } => write!(
                f,
                "has {names} names (hard links); saving replaces the file, which would part them: keep one name (remove the other links, or open a copy)"
            ),
            Problem::NoteIdTooLarge { id } => write!(
                f,
                "note id {id} is larger than {}, the largest a JSON number holds exactly: the file was edited by hand or damaged",
                crate::model::MAX_NOTE_ID
            ),
            Problem::IsDirectory => write!(f, "is a folder, not a meeting file"),
            Problem::Empty => write!(f, "the file is empty"),
            Problem::NotJson {
                line,
                column,
                message,
            } => {
                write!(
                    f,
                    "not valid JSON at line {line}, column {column}: {message}"
                )
            }
            Problem::Invalid {
                line,
                column,
                message,
            } => {
                write!(
                    f,
                    "invalid meeting data at line {line}, column {column}: {message}"
                )
            }
            Problem::NoVersion => {
                write!(
                    f,
                    "it has no format_version: it is not a minutes meeting file"
                )
            }
            Problem::BadVersion(v) => write!(f, "format_version {v} is not a version number"),
            Problem::Locked { pid: Some(pid) } => write!(
                f,
                "already open in another minutes (process {pid}); close it there first"
            ),
            Problem::Locked { pid: None } => {
                write!(f, "already open in another minutes; close it there first")
            }
            Problem::Journal { line, problem } => {
                write!(
                    f,
                    "line {line} of the journal is damaged ({problem}); nothing was changed"
                )
            }
            Problem::WrongKind(Kind::ChatLog) => write!(
                f,
                "looks like a chat log, not a meeting file: `minutes import` makes a meeting of it"
            ),
            Problem::WrongKind(Kind::PrepFile) => write!(
                f,
                "looks like a prep file (an agenda in Markdown), not a meeting file: `minutes new --agenda` starts a meeting from it"
            ),
            Problem::WrongKind(Kind::Text) => write!(
                f,
                "is text, not a meeting file (the .json that `minutes new` writes); an agenda goes to `minutes new --agenda`, a chat log to `minutes import`"
            ),
            Problem::WrongKind(Kind::OtherJson) => write!(
                f,
                "is JSON but not a minutes meeting file (it has no format_version)"
            ),
            Problem::NewerVersion { found } => write!(
                f,
                "it was written in format version {found} by a newer minutes; this one reads up to version {FORMAT_VERSION}. Upgrade minutes to open it"
            ),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match self.problem {
            Problem::AlreadyExists => {
                write!(
                    f,
                    "{path}: already exists; `minutes open {path}` resumes it"
                )
            }
            _ => write!(f, "{path}: {}", self.problem),
        }
    }
}

impl std::error::Error for FileError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Option<Kind> {
        match wrong_kind(text.as_bytes()) {
            Some(Problem::WrongKind(kind)) => Some(kind),
            _ => None,
        }
    }

    #[test]
    fn files_that_are_not_meetings_are_told_apart() {
        assert_eq!(
            kind("15:05:20 <chris> hi\n15:06:01 <ana> ok\n"),
            Some(Kind::ChatLog)
        );
        assert_eq!(kind("[15:05] <@chris> hi\n"), Some(Kind::ChatLog));
        assert_eq!(
            kind("2014-04-09 15:05:20\tchris\thi\n2014-04-09 15:05:21\tana\tok\n"),
            Some(Kind::ChatLog)
        );
        assert_eq!(
            kind("# WG call\n\n## Agenda\n1. Budget\n"),
            Some(Kind::PrepFile)
        );
        assert_eq!(kind("Dear all,\nthe minutes follow.\n"), Some(Kind::Text));
        assert_eq!(kind("[1, 2]"), Some(Kind::OtherJson));
        assert_eq!(kind("14"), Some(Kind::OtherJson));
        assert_eq!(kind("  {\"format_version\": 1,"), None);
    }

    #[test]
    fn serde_messages_lose_the_programs_type_names() {
        assert_eq!(
            without_type_names("invalid type: integer `5`, expected struct Finalized"),
            "invalid type: integer `5`, expected an object"
        );
        assert_eq!(
            without_type_names("invalid type: map, expected enum Mode; expected struct X_1 too"),
            "invalid type: map, expected one of its values; expected an object too"
        );
        assert_eq!(
            without_type_names("missing field `title`"),
            "missing field `title`"
        );
        let problem = crate::store::parse(
            br#"{"format_version": 1, "title": "x", "time_zone": "UTC", "finalized": 5}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(problem.contains("expected an object"), "{problem}");
    }
}
