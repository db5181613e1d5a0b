//! `minutes new` (and `minutes` alone): the new meeting the arguments,
//! the prep file, the roster and the previous meeting describe.

use super::{CliError, NewArgs, Settings, capture, read_text};
use crate::import::{add_roster, parse_agenda, parse_roster};
use crate::model::Meeting;
use crate::store::{self, Store};
use chrono::Utc;
use chrono_tz::Tz;
use std::path::PathBuf;

pub(super) fn new_meeting(args: &NewArgs, settings: Settings) -> Result<(), CliError> {
    let opened = match args.file {
        Some(_) => super::capture::Opened::MadeInFile,
        None => super::capture::Opened::MadeInDataFolder,
    };
    new_meeting_as(args, settings, opened)
}

/// `minutes FILE` for a FILE that does not exist: a new meeting, not
/// kept unless something is noted.
pub(super) fn new_meeting_from_name(args: &NewArgs, settings: Settings) -> Result<(), CliError> {
    new_meeting_as(args, settings, super::capture::Opened::MadeFromName)
}

fn new_meeting_as(
    args: &NewArgs,
    settings: Settings,
    opened: super::capture::Opened,
) -> Result<(), CliError> {
    let (path, meeting) = prepare(args, &settings)?;
    needs_terminal()?;
    let store = Store::create(&path, &meeting)?;
    capture(store, meeting, opened, settings)
}

/// Builds a new meeting from the arguments and writes it, refusing to
/// overwrite an existing file.
pub fn create(args: &NewArgs, settings: &Settings) -> Result<(Store, Meeting), CliError> {
    let (path, meeting) = prepare(args, settings)?;
    let store = Store::create(&path, &meeting)?;
    Ok((store, meeting))
}

/// Note taking needs a terminal; said before anything is written, so that
/// a start from a script or a pipe leaves nothing behind.
pub(super) fn needs_terminal() -> Result<(), CliError> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return Ok(());
    }
    Err(CliError(
        "taking notes needs a terminal (standard input and output are not one); nothing was written. `minutes export` and `minutes list` work without one".into(),
    ))
}

/// The new meeting the arguments describe, and the file it goes to.
fn prepare(args: &NewArgs, settings: &Settings) -> Result<(PathBuf, Meeting), CliError> {
    let cli_zone = match &args.tz {
        Some(name) => Some(name.parse::<Tz>().map_err(|_| {
            CliError(format!(
                "--tz {name}: not a time zone name (try Europe/Paris or UTC)"
            ))
        })?),
        None => None,
    };
    let mut prep = match &args.agenda {
        Some(path) => parse_agenda(&read_text(path, "agenda")?)
            .map_err(|e| CliError(format!("{}: {e}", path.display())))?,
        None => Default::default(),
    };
    let mut meeting = match &args.from {
        Some(previous) => {
            let mut next = store::load(previous)?.next_in_series(Utc::now().fixed_offset());
            // The approval item's decision is recorded in this file.
            let file = std::fs::canonicalize(previous).unwrap_or_else(|_| previous.clone());
            next.previous = next
                .agenda
                .iter()
                .find(|item| item.title == crate::model::APPROVAL_OF_MINUTES)
                .map(|item| crate::model::PreviousMeeting {
                    file: file.display().to_string(),
                    approval_item: item.id,
                    approval_recorded: false,
                });
            next
        }
        None => {
            let zone = cli_zone
                .or(prep.details.time_zone)
                .or(settings.config.time_zone)
                .unwrap_or_else(system_time_zone);
            let mut meeting = Meeting::new("Meeting", zone);
            meeting.note_taker = settings.config.note_taker.clone();
            meeting.report = settings.config.report.style();
            meeting.speaker_limit_minutes = settings.config.timers.speaker_limit_minutes;
            meeting
        }
    };
    if let Some(zone) = cli_zone.or(prep.details.time_zone) {
        meeting.time_zone = zone;
    }
    if let Some(title) = args.title.clone().or(prep.title.take()) {
        meeting.title = title;
    }
    prep.apply_to(&mut meeting);
    if let Some(path) = &args.roster {
        let text = read_text(path, "roster")?;
        if crate::import::looks_like_agenda(&text) {
            return Err(CliError(format!(
                "{}: this looks like an agenda (a # title, numbered items or planned minutes), not a roster of people: give it with --agenda",
                path.display()
            )));
        }
        add_roster(&mut meeting, parse_roster(&text));
    }

    let path = match &args.file {
        Some(file) => file.clone(),
        None => {
            let dir = settings
                .config
                .data_dir
                .clone()
                .or_else(store::data_dir)
                .ok_or_else(|| {
                    CliError("cannot find a home folder to keep meetings in; name a FILE".into())
                })?;
            store::create_private_dir_all(&dir).map_err(|e| {
                CliError(format!(
                    "{}: cannot create the data folder: {e}",
                    dir.display()
                ))
            })?;
            let when = meeting
                .scheduled_start
                .unwrap_or_else(|| meeting.local(Utc::now()));
            let stamp = meeting.in_zone(when).format("%Y-%m-%d-%H%M").to_string();
            store::new_meeting_path(&dir, &stamp)
        }
    };
    store::refuse_existing(&path)?;
    Ok((path, meeting))
}

pub(super) fn system_time_zone() -> Tz {
    iana_time_zone::get_timezone()
        .ok()
        .and_then(|name| name.parse().ok())
        .unwrap_or(Tz::UTC)
}
