//! Command-line interface: what `minutes` and its subcommands take and do.

mod listings;

use crate::app::App;
use crate::archive;
use crate::config::{self, Config};
use crate::event_loop::Session;
use crate::export::{self, Format, Timestamps};
use crate::import::{parse_agenda, parse_roster};
use crate::model::Meeting;
use crate::store::{self, Replay, Store};
use crate::terminal;
use crate::theme::{ColorSupport, Theme};
use chrono::{TimeZone, Utc};
use chrono_tz::Tz;
use clap::{Args, Parser, Subcommand};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(
    name = "minutes",
    version,
    about = "Live meeting notes in the terminal.",
    long_about = "Live meeting notes in the terminal: agenda, speakers and timestamps while the call runs, saved continuously to a JSON file.\n\nWith no command, starts a new meeting in your data folder."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Colour theme: default, light, high-contrast, colorblind, or your own (docs/themes.md).
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// Settings file (default: config.toml in your config folder; docs/config.md).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// The settings in force: the config file's, with what went wrong reading it.
#[derive(Debug, Default)]
pub struct Settings {
    pub config: Config,
    pub config_file: Option<PathBuf>,
    pub theme: Option<String>,
    /// Said once the app is up (or on stderr for commands without a screen).
    pub warnings: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Start a new meeting and take notes.
    New(NewArgs),
    /// Resume taking notes in an existing meeting file.
    Open {
        /// The meeting file (JSON); without it, the meeting last written in
        /// the data folder (the one you were in).
        file: Option<PathBuf>,
    },
    /// Write the meeting's summary report (Markdown, HTML or plain text).
    Export(ExportArgs),
    /// List the meetings in the data folder, newest first.
    List(ArchiveArgs),
    /// Find notes across all meetings (ignoring case and accents).
    Search {
        /// Words that must all appear in the note.
        #[arg(required = true)]
        text: Vec<String>,
        #[command(flatten)]
        archive: ArchiveArgs,
    },
    /// Action items still open across all meetings, by owner.
    Actions(ArchiveArgs),
}

#[derive(Args, Debug)]
pub struct ArchiveArgs {
    /// The folder of meetings (default: the data folder, or the config's data_dir).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The meeting file (JSON).
    pub file: PathBuf,
    /// Output file; `-` for standard output. Default: beside FILE, with the format's extension.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Output format; by default from OUT's extension, else Markdown.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Render with your own minijinja template (see docs/templates.md).
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Put each note's time before it: `clock` (14:21) or `elapsed` since the start (00:21:07). Default: none, or the config's.
    #[arg(long, value_enum)]
    pub timestamps: Option<Timestamps>,
}

#[derive(Args, Debug, Default)]
pub struct NewArgs {
    /// Where to save the meeting; defaults to a new file in the data folder.
    pub file: Option<PathBuf>,
    /// The meeting or group name (default: the agenda's `# Heading`, else "Meeting").
    #[arg(long)]
    pub title: Option<String>,
    /// Agenda as a text or Markdown list, or a whole prep file with details
    /// and participants (docs/prep.md); a leading `# Heading` becomes the title.
    #[arg(long, value_name = "FILE")]
    pub agenda: Option<PathBuf>,
    /// Start the next meeting of a series from the previous one: same group,
    /// roster and chair, the next number, its open actions to review.
    #[arg(long, value_name = "PREVIOUS")]
    pub from: Option<PathBuf>,
    /// Roster: one `Full Name (Affiliation) [Short]` per line.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// IANA time zone of the meeting, e.g. Europe/Paris (default: this computer's).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
}

/// An error for the user: one line naming what went wrong.
#[derive(Debug)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<store::LoadError> for CliError {
    fn from(e: store::LoadError) -> Self {
        CliError(e.to_string())
    }
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let config_file = cli.config.clone().or_else(config::default_path);
    let (config, warning) = match &config_file {
        Some(path) => Config::load(path),
        None => (Config::default(), None),
    };
    let settings = Settings {
        config,
        config_file,
        theme: cli.theme,
        warnings: warning.into_iter().collect(),
    };
    match cli.command {
        None => new_meeting(&NewArgs::default(), settings),
        Some(Command::New(args)) => new_meeting(&args, settings),
        Some(Command::Open { file }) => {
            let file = match file {
                Some(file) => file,
                None => {
                    let dir = archive_dir(&ArchiveArgs { dir: None }, &settings)?;
                    store::latest_meeting(&dir).ok_or_else(|| {
                        CliError(format!(
                            "{}: no meetings here yet; `minutes new` starts one",
                            dir.display()
                        ))
                    })?
                }
            };
            let (store, meeting, replay) = Store::open(&file)?;
            needs_terminal()?;
            capture(store, meeting, Some(replay), settings)
        }
        Some(Command::Export(args)) => {
            warn(&settings);
            export_command(&args, &settings.config)
        }
        Some(Command::List(archive)) => {
            warn(&settings);
            let scan = archive::scan(&archive_dir(&archive, &settings)?);
            report_problems(&scan);
            print(|out| listings::list(&scan, out))
        }
        Some(Command::Search { text, archive }) => {
            warn(&settings);
            let query = text.join(" ");
            let scan = archive::scan_for_words(&archive_dir(&archive, &settings)?, &query);
            report_problems(&scan);
            let hits = archive::search(&scan.meetings, &query);
            print(|out| listings::search(&hits, out))?;
            let notes = crate::ui::plural(hits.len(), "note");
            let meetings = crate::ui::plural(scan.files, "meeting");
            let _ = writeln!(std::io::stderr(), "{notes} found in {meetings}");
            Ok(())
        }
        Some(Command::Actions(archive)) => {
            warn(&settings);
            let scan = archive::scan(&archive_dir(&archive, &settings)?);
            report_problems(&scan);
            let open = archive::open_actions(&scan.meetings);
            print(|out| listings::actions(&open, out))?;
            if open.is_empty() {
                let _ = writeln!(std::io::stderr(), "No open action items.");
            }
            Ok(())
        }
    }
}

fn new_meeting(args: &NewArgs, settings: Settings) -> Result<(), CliError> {
    let (path, meeting) = prepare(args, &settings)?;
    needs_terminal()?;
    let store = Store::create(&path, &meeting).map_err(CliError)?;
    capture(store, meeting, None, settings)
}

/// Prints a listing on standard output.
fn print(listing: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), CliError> {
    listings::to_stdout(listing).map_err(|e| CliError(format!("cannot print the listing: {e}")))
}

fn warn(settings: &Settings) {
    for warning in &settings.warnings {
        eprintln!("minutes: {warning}");
    }
}

/// The archive's folder: --dir, the config's data_dir, or the data folder.
fn archive_dir(args: &ArchiveArgs, settings: &Settings) -> Result<PathBuf, CliError> {
    let dir = args
        .dir
        .clone()
        .or_else(|| settings.config.data_dir.clone())
        .or_else(store::data_dir)
        .ok_or_else(|| CliError("cannot find the data folder; name one with --dir".into()))?;
    if !dir.is_dir() {
        return Err(CliError(format!(
            "{}: no such folder of meetings",
            dir.display()
        )));
    }
    Ok(dir)
}

/// Files that cannot be read are named on stderr, and skipped.
fn report_problems(scan: &archive::Scan) {
    for problem in &scan.problems {
        eprintln!("minutes: skipped {problem}");
    }
}

/// A report that could not be made: a template error names the template,
/// a failed write the report (when it has a file).
fn report_error(error: export::RenderError, template: &Path, out: Option<&Path>) -> CliError {
    CliError(match (error, out) {
        (export::RenderError::Template(e), _) => format!("{}: {e}", template.display()),
        (export::RenderError::Io(e), Some(out)) => {
            format!("{}: cannot write the report: {e}", out.display())
        }
        (export::RenderError::Io(e), None) => format!("cannot write the report: {e}"),
        (export::RenderError::Output(message), _) => message,
    })
}

fn export_command(args: &ExportArgs, config: &Config) -> Result<(), CliError> {
    let meeting = store::load(&args.file)?;
    let to_stdout = args.output.as_deref() == Some(Path::new("-"));
    let format = args
        .format
        .or_else(|| {
            args.output
                .as_deref()
                .filter(|_| !to_stdout)
                .and_then(Format::from_path)
        })
        .or(config.export.format)
        .unwrap_or_default();
    let template = match &args.template {
        Some(path) => Some(read_text(path, "template")?),
        None => None,
    };
    let options = export::Options {
        format,
        timestamps: args
            .timestamps
            .or(config.export.timestamps)
            .unwrap_or_default(),
        template,
    };
    let template_name = args
        .template
        .as_deref()
        .unwrap_or(Path::new("the built-in template"));
    if to_stdout {
        if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            // Read on screen: escape sequences in the notes show as text.
            let report = export::render(&meeting, &options)
                .map_err(|e| CliError(format!("{}: {e}", template_name.display())))?;
            return print(|out| out.write_all(listings::visible(&report).as_bytes()));
        }
        let mut failure = None;
        let printed = listings::to_stdout(|out| {
            export::render_to(&meeting, &options, out, true).map_err(|e| match e {
                export::RenderError::Io(e) => e,
                other => {
                    let e = std::io::Error::other(other.to_string());
                    failure = Some(other);
                    e
                }
            })
        });
        return match (failure, printed) {
            (Some(e), _) => Err(report_error(e, template_name, None)),
            (None, printed) => {
                printed.map_err(|e| report_error(export::RenderError::Io(e), template_name, None))
            }
        };
    }
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| export::default_output(&args.file, format));
    export::export_to_file(&meeting, &options, &out, Some(&args.file), true)
        .map_err(|e| report_error(e, template_name, Some(&out)))?;
    eprintln!("Wrote {}", out.display());
    // The process ends here: freeing a large meeting piece by piece would
    // only delay the exit.
    std::mem::forget(meeting);
    Ok(())
}

fn read_text(path: &Path, what: &str) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| {
        CliError(format!(
            "{}: cannot read the {what} file: {e}",
            path.display()
        ))
    })
}

/// Builds a new meeting from the arguments and writes it, refusing to
/// overwrite an existing file.
pub fn create(args: &NewArgs, settings: &Settings) -> Result<(Store, Meeting), CliError> {
    let (path, meeting) = prepare(args, settings)?;
    let store = Store::create(&path, &meeting).map_err(CliError)?;
    Ok((store, meeting))
}

/// Note taking needs a terminal; said before anything is written, so that
/// a start from a script or a pipe leaves nothing behind.
fn needs_terminal() -> Result<(), CliError> {
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
    let prep = match &args.agenda {
        Some(path) => parse_agenda(&read_text(path, "agenda")?)
            .map_err(|e| CliError(format!("{}: {e}", path.display())))?,
        None => Default::default(),
    };
    let mut meeting = match &args.from {
        Some(previous) => store::load(previous)?.next_in_series(Utc::now().fixed_offset()),
        None => {
            let zone = cli_zone
                .or(prep.details.time_zone)
                .or(settings.config.time_zone)
                .unwrap_or_else(system_time_zone);
            let mut meeting = Meeting::new("Meeting", zone);
            meeting.note_taker = settings.config.note_taker.clone();
            meeting
        }
    };
    if let Some(zone) = cli_zone.or(prep.details.time_zone) {
        meeting.time_zone = zone;
    }
    if let Some(title) = args.title.clone().or(prep.title) {
        meeting.title = title;
    }
    let details = prep.details;
    meeting.series_number = details.number.or(meeting.series_number);
    meeting.chair = details.chair.or(meeting.chair);
    meeting.note_taker = details.note_taker.or(meeting.note_taker);
    meeting.recording = details.recording.or(meeting.recording);
    meeting.mode = details.mode.unwrap_or(meeting.mode);
    if let Some(date) = details.date {
        let time = details.time.unwrap_or_default();
        let local = meeting
            .time_zone
            .from_local_datetime(&date.and_time(time))
            .earliest();
        meeting.scheduled_start = local.map(|t| t.fixed_offset());
    }
    for (title, minutes) in prep.items {
        meeting.add_agenda_item(title, minutes);
    }
    let mut roster = prep.participants;
    if let Some(path) = &args.roster {
        roster.extend(parse_roster(&read_text(path, "roster")?));
    }
    for entry in roster {
        let (name, _) = crate::model::split_affiliation(&entry.typed);
        if meeting
            .find_participant_by_name(&name)
            .is_some_and(|p| p.name == name)
        {
            continue; // already on the roster carried from the previous meeting
        }
        let id = meeting.add_participant(&entry.typed);
        if let (Some(short), Some(p)) = (entry.short_name, meeting.participant_mut(&id)) {
            p.short_name = short;
        }
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
    store::refuse_existing(&path).map_err(CliError)?;
    Ok((path, meeting))
}

fn system_time_zone() -> Tz {
    iana_time_zone::get_timezone()
        .ok()
        .and_then(|name| name.parse().ok())
        .unwrap_or(Tz::UTC)
}

/// How long a signalled session may take to quit by itself.
const QUIT_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// SIGTERM, SIGHUP and SIGINT ask the session to quit as Ctrl+Q does: the
/// event loop is woken through its input channel. (A closed terminal is
/// seen by the input's hang-up thread, SIGHUP or not.) Should the loop not
/// have quit after a grace period (stuck on a disk that does not answer,
/// say), this thread writes the latest draft and ends the process itself;
/// every committed note is already in the journal.
fn watch_signals(
    session: &Session,
    path: PathBuf,
    inputs: std::sync::mpsc::Sender<terminal::Input>,
) -> Result<(), CliError> {
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])
        .map_err(|e| CliError(format!("cannot watch for signals: {e}")))?;
    let quit = QuitSoon {
        inputs,
        stop: session.stop_flag(),
        draft: session.draft_mirror(),
        path,
    };
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            quit.now();
        }
    });
    Ok(())
}

/// What a watcher thread needs to end the session from outside.
struct QuitSoon {
    /// Wakes the event loop at once.
    inputs: std::sync::mpsc::Sender<terminal::Input>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    draft: Arc<std::sync::Mutex<store::Draft>>,
    path: PathBuf,
}

impl QuitSoon {
    /// Asks the session to quit; if it has not after [`QUIT_GRACE`], writes
    /// the draft and ends the process.
    fn now(&self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = self.inputs.send(terminal::Input::Stop);
        std::thread::sleep(QUIT_GRACE);
        let latest = self.draft.lock().map(|d| d.clone()).unwrap_or_default();
        let _ = store::write_draft(&self.path, &latest);
        std::process::exit(0);
    }
}

/// The full-screen note taking, from start to a saved exit.
fn capture(
    store: Store,
    meeting: Meeting,
    recovered: Option<Replay>,
    settings: Settings,
) -> Result<(), CliError> {
    let path = store.path().to_path_buf();
    let mut app = App::new(meeting, Utc::now());
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
    let warnings: Vec<String> = settings.warnings.into_iter().chain(theme_warning).collect();
    if !warnings.is_empty() {
        app.notice(warnings.join(" · "));
    }
    let mut session = Session::new(store, app, theme);
    let (inputs, input_rx) = std::sync::mpsc::channel();
    watch_signals(&session, path.clone(), inputs.clone())?;
    let mut screen = terminal::enter(path.clone(), settings.config.mouse)
        .map_err(|e| CliError(format!("cannot start the full-screen display: {e}")))?;
    // Once in raw mode: keys are read as they are typed.
    if let Err(e) = terminal::spawn_input(inputs) {
        terminal::leave();
        return Err(CliError(format!("cannot read the terminal: {e}")));
    }
    let outcome = session.run(&mut screen, &input_rx);
    // Saved before anything else: the terminal may be gone.
    let saved = session.finish();
    terminal::leave();
    match (outcome, saved) {
        (Ok(()), Ok(())) => {
            // Not println!: it panics when the terminal is gone.
            let _ = writeln!(std::io::stdout(), "Saved {}", path.display());
            Ok(())
        }
        (Err(e), Ok(())) => Err(CliError(format!(
            "the terminal failed ({e}); every note is saved in {}",
            path.display()
        ))),
        (_, Err(e)) => Err(CliError(e)),
    }
}
