//! Why a value typed in the setup (F2) was refused, one variant per
//! reason, worded once (`Display`) where the setup shows it under the
//! field.

use chrono::{NaiveDate, NaiveTime};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupError {
    EmptyTitle,
    NotWholeNumber(String),
    NotMode(String),
    NotMinutes(String),
    /// Refused by a parser shared with the prep file and the config
    /// (yes or no, a date format, the report's style), as it says it.
    Value(String),
    NotZone(String),
    NotAfterStart(String),
    /// This must be set first (the next meeting's date).
    SetFirst(&'static str),
    NotMailAddress(String),
    NotHostPort(String),
    NotOwnerRepo(String),
    NotDate(String),
    NotTime(String),
    /// The date and time fall in a gap of the meeting's zone.
    NoSuchTime {
        date: NaiveDate,
        time: NaiveTime,
        zone: String,
    },
    ParkedNeedsTitle,
    ParkedAlready(String),
    ItemNeedsTitle,
    NoTopicSelected,
    NoItemSelected,
    NoOneSelected,
    NotItemMinutes(String),
    /// Not the number of another item; there are this many.
    NotAnotherItem(usize),
    NeedsName,
    OnRoster(String),
    EmptyName,
    NeedsShortName,
    NotSpeakerNumber(String),
}

impl From<String> for SetupError {
    fn from(message: String) -> Self {
        SetupError::Value(message)
    }
}

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SetupError::*;
        match self {
            EmptyTitle => f.write_str("the title cannot be empty"),
            NotWholeNumber(n) => write!(f, "\"{n}\" is not a whole number, like 84"),
            NotMode(typed) => write!(f, "\"{typed}\" is not virtual, in person or hybrid"),
            NotMinutes(n) => write!(f, "\"{n}\" is not a number of minutes, like 2"),
            Value(message) => f.write_str(message),
            NotZone(typed) => write!(
                f,
                "\"{typed}\" is not a time zone name, like Europe/Paris or UTC"
            ),
            NotAfterStart(typed) => write!(f, "{typed} is not after the start"),
            SetFirst(what) => write!(f, "set {what} first"),
            NotMailAddress(bad) => {
                write!(f, "\"{bad}\" is not a mail address, like wg@example.org")
            }
            NotHostPort(server) => write!(
                f,
                "\"{server}\" is not HOST:PORT, like smtp.example.org:587"
            ),
            NotOwnerRepo(repo) => {
                write!(f, "\"{repo}\" is not OWNER/REPO, like w3c/csswg-drafts")
            }
            NotDate(typed) => write!(f, "\"{typed}\" is not a date like 2024-09-26"),
            NotTime(typed) => write!(f, "\"{typed}\" is not a time like 14:00"),
            NoSuchTime { date, time, zone } => {
                write!(f, "{date} {time} does not exist in {zone}")
            }
            ParkedNeedsTitle => f.write_str("a parked topic needs a title"),
            ParkedAlready(typed) => write!(f, "\"{typed}\" is parked already"),
            ItemNeedsTitle => f.write_str("an item needs a title"),
            NoTopicSelected => f.write_str("no topic selected"),
            NoItemSelected => f.write_str("no item selected"),
            NoOneSelected => f.write_str("no one selected"),
            NotItemMinutes(n) => {
                write!(f, "\"{n}\" is not a number of minutes from 1 to 600")
            }
            NotAnotherItem(items) => {
                write!(f, "type the number of another item, 1 to {items}")
            }
            NeedsName => f.write_str("type the person's name"),
            OnRoster(typed) => write!(f, "{typed} is on the roster already"),
            EmptyName => f.write_str("a name cannot be empty"),
            NeedsShortName => f.write_str("the report needs a name to call them by"),
            NotSpeakerNumber(typed) => write!(f, "\"{typed}\" is not a number from 1 to 9"),
        }
    }
}

impl std::error::Error for SetupError {}
