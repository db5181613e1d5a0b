//! Sharing from the command line: `open --share ADDR`, `open --join LINK`
//! (a file not made yet is made from the shared meeting), `links FILE`.

use super::{CliError, say, tell};
use crate::share::links::{Link, Secrets};
use crate::share::{How, Share};
use crate::store::Store;
use crate::terminal;
use std::path::Path;
use std::time::Duration;

/// How this scribe takes part, and the name the others see.
#[derive(Debug, Clone)]
pub struct ShareTarget {
    pub how: How,
    pub name: String,
}

/// `open --share ADDR` or `--join LINK`, as `--as NAME`.
pub(super) fn target(
    share: Option<String>,
    join: Option<String>,
    relay: Option<String>,
    scribe: Option<String>,
) -> Result<Option<ShareTarget>, CliError> {
    if let Some(url) = relay {
        let name = scribe
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_else(|| "a scribe".into());
        crate::share::links::check_relay(&url).map_err(CliError)?;
        return Ok(Some(ShareTarget {
            how: How::Relay { url },
            name,
        }));
    }
    let name = scribe
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "a scribe".into());
    let how = match (share, join) {
        (Some(address), None) => How::Share { address },
        (None, Some(link)) => How::Join {
            link: Link::parse(&link).map_err(CliError)?,
        },
        (None, None) => return Ok(None),
        (Some(_), Some(_)) => {
            return Err(CliError(
                "--share and --join: one scribe shares the meeting, the others join it".into(),
            ));
        }
    };
    Ok(Some(ShareTarget { how, name }))
}

/// `--page` when sharing without one: the share's host, its port + 1
/// (what `minutes links` prints), known once the share is bound.
pub(super) const PAGE_BESIDE_SHARE: &str = "beside the share";

/// Where the page goes: as given, or beside the share (see
/// [`PAGE_BESIDE_SHARE`]).
pub(super) fn page_address(path: &Path, page: &str) -> Result<String, CliError> {
    if page != PAGE_BESIDE_SHARE {
        return Ok(page.to_string());
    }
    let side = crate::share::links::side_path(path);
    let secrets =
        Secrets::load_or_create(path).map_err(|e| CliError(format!("{}: {e}", side.display())))?;
    let address = secrets.address.unwrap_or_default();
    let beside = address.rsplit_once(':').and_then(|(host, port)| {
        Some(format!(
            "{host}:{}",
            port.parse::<u16>().ok()?.checked_add(1)?
        ))
    });
    beside.ok_or_else(|| {
        CliError(format!(
            "{address}: no port + 1 there for the participants' page; give --page ADDR or --no-page"
        ))
    })
}

/// Where the share thread's "something came" goes: the session's inputs,
/// once there is a session.
type Inputs = std::sync::Arc<std::sync::Mutex<std::sync::mpsc::Sender<terminal::Input>>>;

fn wake_with(inputs: Inputs) -> crate::share::Waker {
    std::sync::Arc::new(move || {
        if let Ok(inputs) = inputs.lock() {
            let _ = inputs.send(terminal::Input::Wake);
        }
    })
}

/// The share that made a joining scribe's file from the shared meeting,
/// kept for the session: one connection, so the others do not see the
/// scribe join, leave and join again.
pub struct Joined {
    share: Share,
    inputs: Inputs,
}

impl std::fmt::Debug for Joined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Joined")
    }
}

/// Starts sharing (or joining) before the full screen opens; a joining
/// scribe whose file was just made goes on with the share that made it.
pub(super) fn start(
    path: &Path,
    target: &ShareTarget,
    inputs: std::sync::mpsc::Sender<terminal::Input>,
    joined: Option<Joined>,
) -> Result<Share, CliError> {
    if let Some(Joined {
        share,
        inputs: wake,
    }) = joined
    {
        if let Ok(mut wake) = wake.lock() {
            *wake = inputs;
        }
        return Ok(share);
    }
    let inputs = std::sync::Arc::new(std::sync::Mutex::new(inputs));
    let share = Share::start(path, target.how.clone(), &target.name, wake_with(inputs))
        .map_err(|e| CliError(format!("cannot share the meeting: {e}")))?;
    if let How::Share { .. } | How::Relay { .. } = target.how {
        tell(&format!(
            "Sharing {}: `minutes links {}` prints the link for the other scribes",
            path.display(),
            path.display()
        ));
    }
    Ok(share)
}

/// `--join LINK` with a file that does not exist: the shared meeting is
/// fetched and written there, with the document beside it.
pub(super) fn create_if_joining(
    path: &Path,
    target: Option<&ShareTarget>,
) -> Result<Option<Joined>, CliError> {
    let Some(
        target @ ShareTarget {
            how: How::Join { .. },
            ..
        },
    ) = target
    else {
        return Ok(None);
    };
    if std::fs::symlink_metadata(path).is_ok() {
        return Ok(None);
    }
    let failed = |e: String| CliError(format!("{}: cannot join: {e}", path.display()));
    // Nobody to wake before the session starts.
    let inputs = std::sync::Arc::new(std::sync::Mutex::new(std::sync::mpsc::channel().0));
    let mut share = Share::start(
        path,
        target.how.clone(),
        &target.name,
        wake_with(inputs.clone()),
    )
    .map_err(failed)?;
    let meeting = share
        .wait_for_meeting(Duration::from_secs(30))
        .map_err(failed)?;
    if let Err(e) = Store::create(path, &meeting) {
        share.close();
        return Err(failed(e.to_string()));
    }
    say(&format!(
        "{}: made from the shared meeting ({})",
        path.display(),
        crate::text::plural(meeting.notes.len(), "note")
    ));
    Ok(Some(Joined { share, inputs }))
}

/// `minutes links FILE`: the scribe link and the participants' link.
pub(super) fn links(
    file: &Path,
    share: Option<String>,
    page_port: Option<u16>,
) -> Result<(), CliError> {
    let side = crate::share::links::side_path(file);
    let mut secrets =
        Secrets::load_or_create(file).map_err(|e| CliError(format!("{}: {e}", side.display())))?;
    let saving = |secrets: &Secrets| {
        secrets
            .save(file)
            .map_err(|e| CliError(format!("{}: {e}", side.display())))
    };
    if secrets
        .ensure_document()
        .map_err(|e| CliError(e.to_string()))?
    {
        saving(&secrets)?;
    }
    if let Some(address) = share {
        secrets.address = Some(address);
        secrets.relay = None;
        saving(&secrets)?;
    }
    if let Some(relay) = &secrets.relay {
        tell(&format!(
            "Scribes (read and write everything, off the record too):\n  minutes open THEIR-FILE.json --join '{}' --as NAME",
            secrets.relay_link(relay)
        ));
        tell(&format!(
            "Participants: `minutes open {} --relay {relay} --page ADDR` serves their page and prints its link",
            file.display()
        ));
        return Ok(());
    }
    let Some(address) = secrets.address.clone() else {
        return Err(CliError(format!(
            "{}: not shared yet; `minutes open {} --share ADDR` shares it (or give --share ADDR here)",
            file.display(),
            file.display()
        )));
    };
    tell(&format!(
        "Scribes (read and write everything, off the record too):\n  minutes open THEIR-FILE.json --join '{}' --as NAME",
        secrets.scribe_link(&address)
    ));
    tell(&format!(
        "Participants (the page: agenda, notes on the record, the queue, polls):\n  {}",
        secrets.participants_link(&address, page_port)
    ));
    if !crate::share::links::is_loopback(&address) {
        let print = secrets
            .cert_der()
            .map(|c| crate::share::links::fingerprint(&c))
            .unwrap_or_default();
        tell(&format!(
            "  HTTPS with the meeting's own certificate (unless `open` is given --page-cert): browsers ask once whether to go on; its SHA-256 is {print}"
        ));
    }
    Ok(())
}
