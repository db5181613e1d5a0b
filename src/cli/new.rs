//! `minutes new` (and `minutes` alone): the new meeting the arguments,
//! the prep file, the roster and the previous meeting describe.

use super::{CliError, NewArgs, Settings, capture, read_text};
use crate::calendar::{Occurrence, read_invite};
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
    // Written durably right after the first frame (capture does it).
    let store = Store::reserve(&path)?;
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
    let previous = match &args.from {
        Some(path) => Some(store::load(path)?),
        None => None,
    };
    // The invite's floating times are in the zone the meeting would have
    // without it.
    let floating = || {
        cli_zone
            .or(prep.details.time_zone)
            .or(previous.as_ref().map(|p| p.time_zone))
            .or(settings.config.time_zone)
            .unwrap_or_else(system_time_zone)
    };
    let invite = match &args.ics {
        Some(path) => Some(invite_from(path, args.on, floating())?),
        None => None,
    };
    let mut meeting = match (&args.from, previous) {
        (Some(previous), Some(loaded)) => next_in_series(previous, loaded),
        _ => {
            let zone = cli_zone
                .or(prep.details.time_zone)
                .or(invite.as_ref().and_then(|i| i.zone))
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
    // The invite first, the prep file over it: the command line, then the
    // prep file, then the invite, then the previous meeting have the say.
    let declined = match invite {
        Some(invite) => apply_invite(&mut meeting, invite, &mut prep, args.from.is_some()),
        None => Vec::new(),
    };
    if let Some(title) = args.title.clone().or(prep.title.take()) {
        meeting.title = title;
    }
    prep.apply_to(&mut meeting);
    // Who declined the invite sent their regrets.
    for name in declined {
        let id = meeting
            .find_participant_by_name(&crate::model::split_affiliation(&name).0)
            .map(|p| p.id.clone());
        if let Some(p) = id.and_then(|id| meeting.participant_mut(&id)) {
            p.attendance = Some(crate::model::Attendance::Regrets);
        }
    }
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
        None => path_in_data_folder(settings, &meeting)?,
    };
    store::refuse_existing(&path)?;
    Ok((path, meeting))
}

/// The occurrence of the invite at `path` that `--on` names, or the next.
fn invite_from(
    path: &std::path::Path,
    on: Option<chrono::NaiveDate>,
    floating: Tz,
) -> Result<crate::calendar::Invite, CliError> {
    let wanted = match on {
        Some(day) => Occurrence::On(day),
        None => Occurrence::NextAfter(Utc::now()),
    };
    // The invite's own words are in the message: made visible.
    read_invite(&read_text(path, "invite")?, floating, wanted).map_err(|e| {
        CliError(format!(
            "{}: {}",
            path.display(),
            super::listings::visible(&e.to_string())
        ))
    })
}

/// The meeting after `loaded` (`--from`), whose approval item records
/// its decision in that file.
fn next_in_series(previous: &std::path::Path, loaded: Meeting) -> Meeting {
    let mut next = loaded.next_in_series(Utc::now().fixed_offset());
    let file = std::fs::canonicalize(previous).unwrap_or_else(|_| previous.to_path_buf());
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

/// What the invite says, under what the prep file says; returns who
/// declined.
fn apply_invite(
    meeting: &mut Meeting,
    mut invite: crate::calendar::Invite,
    prep: &mut crate::import::AgendaFile,
    in_series: bool,
) -> Vec<String> {
    let declined = std::mem::take(&mut invite.declined);
    let mut from_invite = invite.into_prep(meeting.time_zone);
    // A series keeps its name; the invite names a meeting without one.
    let invite_title = from_invite.title.take().filter(|_| !in_series);
    if !prep.items.is_empty() {
        from_invite.items.clear();
    }
    if prep.details.date.is_some() {
        from_invite.details.date = None;
        from_invite.details.time = None;
        from_invite.details.duration_minutes = None;
    }
    from_invite.details.time_zone = None;
    if prep.title.is_none() {
        prep.title = invite_title;
    }
    from_invite.apply_to(meeting);
    declined
}

/// A new file in the data folder, named by the meeting's date and time.
fn path_in_data_folder(settings: &Settings, meeting: &Meeting) -> Result<PathBuf, CliError> {
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
    Ok(store::new_meeting_path(&dir, &stamp))
}

pub(super) fn system_time_zone() -> Tz {
    iana_time_zone::get_timezone()
        .ok()
        .and_then(|name| name.parse().ok())
        .unwrap_or(Tz::UTC)
}
