//! Entering capture: the app, its theme and saved draft, the terminal,
//! the input and signal threads, and the saved exit.

use super::{CliError, Settings};
use crate::app::App;
use crate::config::Config;
use crate::event_loop::{Session, watch_signals};
use crate::keymap::Keymap;
use crate::model::Meeting;
use crate::store::{self, Replay, Store};
use crate::terminal;
use crate::theme::{ColorSupport, Theme};
use chrono::Utc;
use std::io::Write;

/// The full-screen note taking, from start to a saved exit.
/// How the meeting came to be open. A meeting made just now has its name
/// reserved ([`Store::reserve`]) and is written after the first frame.
pub(super) enum Opened {
    /// Resumed (what the journal held).
    Resumed(Replay),
    /// Made just now in the data folder, no file named: not kept if
    /// nothing is noted.
    MadeInDataFolder,
    /// Made just now in a file the user named: kept as prepared.
    MadeInFile,
    /// Made just now by `minutes FILE` with nothing prepared in it: like
    /// one made in the data folder, not kept if nothing is noted (a
    /// mistyped name leaves no empty meeting behind).
    MadeFromName,
}

pub(super) fn capture(
    store: Store,
    meeting: Meeting,
    opened: Opened,
    mut settings: Settings,
) -> Result<(), CliError> {
    let recovered = match &opened {
        Opened::Resumed(replay) => Some(replay.clone()),
        _ => None,
    };
    let path = store.path().to_path_buf();
    let mut app = App::new(meeting, Utc::now());
    app.new_file = !matches!(opened, Opened::Resumed(_));
    app.item_warning_seconds =
        i64::from(settings.config.timers.item_warning_minutes.unwrap_or(2)) * 60;
    if let Some(draft) = store::load_draft(&path) {
        app.restore_draft(draft);
    }
    if let Some(replay) = recovered {
        app.recovered(&replay);
    }
    let theme_name = settings
        .theme
        .as_deref()
        .or(settings.config.theme.as_deref())
        .unwrap_or("default");
    let themes_dir = settings.config_file.as_deref().and_then(Config::themes_dir);
    let (theme, theme_warning) =
        Theme::load(theme_name, themes_dir.as_deref(), ColorSupport::detect());
    let (keymap, key_problems) = Keymap::with_overrides(&settings.config.keys);
    let config_name = settings
        .config_file
        .as_deref()
        .map_or(String::from("config.toml"), |p| p.display().to_string());
    let key_problems = key_problems
        .into_iter()
        .map(|problem| format!("{config_name}: {problem}"));
    let warnings: Vec<String> = settings
        .warnings
        .into_iter()
        .chain(theme_warning)
        .chain(key_problems)
        .collect();
    if !warnings.is_empty() {
        let notice = crate::app::Outcome::Notice(warnings.join(" · "));
        app.update(crate::app::Action::Outcome(notice), Utc::now());
    }
    let mut session = Session::with_keymap(store, app, theme, keymap);
    // The transcript heard before, and where to listen (issue #25).
    let listen_now =
        super::transcribe::attach(&mut session, &settings.config.transcript, &settings.listen)?;
    if matches!(opened, Opened::MadeInDataFolder | Opened::MadeFromName) {
        session.discard_if_untouched();
    }
    session.export_defaults = settings.config.export.clone();
    let (inputs, input_rx) = std::sync::mpsc::channel();
    session.wake_with(inputs.clone());
    if let Some(target) = &settings.share {
        let joined = settings.joined.take();
        session.share_with(super::share::start(&path, target, inputs.clone(), joined)?);
    }
    if let Some(addr) = &settings.page {
        let addr = super::share::page_address(&path, addr)?;
        serve_page(
            &mut session,
            &addr,
            settings.page_cert.as_ref(),
            inputs.clone(),
        )?;
    }
    let signals = watch_signals(&session, path.clone(), inputs.clone())
        .map_err(|e| CliError(format!("cannot watch for signals: {e}")))?;
    let mut screen = terminal::enter(path.clone(), settings.config.mouse)
        .map_err(|e| CliError(format!("cannot start the full-screen display: {e}")))?;
    // The first frame before the threads that can follow it: keys typed
    // meanwhile wait in the terminal, signals are already caught.
    let first_frame = screen.draw(|buf, retained| session.render(buf, retained));
    // A new meeting's name was only reserved: it is written durably now,
    // after the first frame and before any key is read.
    if !matches!(opened, Opened::Resumed(_))
        && let Err(e) = session.write_new()
    {
        terminal::leave();
        let _ = session.abandon_new();
        return Err(e.into());
    }
    signals.start();
    if listen_now {
        session.step_action(
            crate::app::Action::Transcript(crate::transcript::TranscriptAction::ToggleListening),
            Utc::now(),
        );
    }
    // In raw mode: keys are read as they are typed.
    if let Err(e) = first_frame.and_then(|()| terminal::spawn_input(inputs)) {
        let saved = session.finish();
        terminal::leave();
        saved?;
        return Err(CliError(format!("cannot read the terminal: {e}")));
    }
    let outcome = session.run(&mut screen, &input_rx);
    // Saved before anything else: the terminal may be gone.
    let saved = session.finish();
    terminal::leave();
    if outcome.is_ok() && saved.is_ok() && session.is_untouched() {
        session
            .discard()
            .map_err(|e| CliError(format!("{}: cannot remove it: {e}", path.display())))?;
        let _ = writeln!(
            std::io::stdout(),
            "Nothing was noted: the new meeting was not kept"
        );
        return Ok(());
    }
    match (outcome, saved) {
        (Ok(()), Ok(())) => {
            super::tell(&format!("Saved {}", path.display()));
            Ok(())
        }
        (Err(e), Ok(())) => Err(CliError(format!(
            "the terminal failed ({e}); every note is saved in {}",
            path.display()
        ))),
        (_, Err(e)) => Err(e.into()),
    }
}

/// The participants' page at `addr`, its link said on stderr before the
/// full screen opens (and on the status line).
fn serve_page(
    session: &mut Session,
    addr: &str,
    cert: Option<&(std::path::PathBuf, std::path::PathBuf)>,
    inputs: std::sync::mpsc::Sender<terminal::Input>,
) -> Result<(), CliError> {
    let wake: crate::page::Waker = std::sync::Arc::new(move || {
        let _ = inputs.send(terminal::Input::Wake);
    });
    // The participants' secret `minutes links` prints (FILE.share), so
    // that link opens this page.
    let secrets = crate::share::links::Secrets::load_or_create(&session.path)
        .map_err(|e| CliError(format!("cannot read or make the meeting's links: {e}")))?;
    // The link carries the secret: HTTPS wherever others could listen.
    let tls = if cert.is_some() || !crate::share::links::is_loopback(addr) {
        let files = cert.map(|(c, k)| (c.as_path(), k.as_path()));
        let config = crate::share::wire::page_config(&secrets, files).map_err(|e| {
            CliError(format!(
                "cannot serve the participants' page over HTTPS: {e}"
            ))
        })?;
        Some(config)
    } else {
        None
    };
    let page = crate::page::PageServer::start(addr, Some(secrets.participants), wake, tls)
        .map_err(|e| CliError(format!("{addr}: cannot serve the participants' page: {e}")))?;
    let link = page.link().to_string();
    let _ = writeln!(std::io::stderr(), "Participants' page: {link}");
    let notice = crate::app::Outcome::Notice(format!("Participants' page: {link}"));
    session
        .app
        .update(crate::app::Action::Outcome(notice), Utc::now());
    session.app.pages.link = Some(link);
    session.serve_page(page);
    Ok(())
}
