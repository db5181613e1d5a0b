//! Command-line interface: what `minutes` and its subcommands take and do.

mod args;
mod capture;
mod import_log;
mod listings;
mod new;
mod publish;
mod share;
mod transcribe;

pub use args::{
    ArchiveArgs, Cli, Command, ExportArgs, ListenArgs, NewArgs, PublishArgs, TemplatesCommand,
};
use capture::capture;
pub use new::create;

use crate::archive;
use crate::config::{self, Config};
use crate::export::{self, Format};
use crate::store::{self, Store};
use new::{needs_terminal, new_meeting};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The settings in force: the config file's, with what went wrong reading it.
#[derive(Debug, Default)]
pub struct Settings {
    pub config: Config,
    pub config_file: Option<PathBuf>,
    pub theme: Option<String>,
    /// Said once the app is up (or on stderr for commands without a screen).
    pub warnings: Vec<String>,
    /// Share the meeting with other scribes (`open --share/--join`).
    pub share: Option<share::ShareTarget>,
    /// The transcript: listen from the start, or play a recording.
    pub listen: ListenArgs,
    /// Serve the participants' page at this address (`open --page`).
    pub page: Option<String>,
    /// The page's certificate and key files (`--page-cert`, `--page-key`).
    pub page_cert: Option<(PathBuf, PathBuf)>,
    /// The share that made a joining scribe's new file, going on.
    pub joined: Option<share::Joined>,
}

/// An error for the user: one line naming what went wrong.
#[derive(Debug)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<export::ExportError> for CliError {
    fn from(error: export::ExportError) -> Self {
        CliError(error.to_string())
    }
}

impl From<store::FileError> for CliError {
    fn from(e: store::FileError) -> Self {
        CliError(e.to_string())
    }
}

impl From<crate::transcript::TranscriptError> for CliError {
    fn from(e: crate::transcript::TranscriptError) -> Self {
        CliError(e.to_string())
    }
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let windowless = !matches!(
        cli.command,
        None | Some(Command::File(_) | Command::New(_) | Command::Open { .. })
    );
    let settings = settings(&cli);
    if windowless {
        warn(&settings);
    }
    match cli.command {
        None => new_meeting(&NewArgs::default(), settings),
        // `minutes FILE`, as `vim FILE` would: open it, or start it.
        Some(Command::File(words)) => file_command(&words, settings),
        Some(Command::New(args)) => {
            let listen = args.listen.clone();
            new_meeting(&args, Settings { listen, ..settings })
        }
        Some(Command::Open {
            file,
            share,
            join,
            relay,
            scribe,
            page,
            no_page,
            page_cert,
            page_key,
            resume,
            listen,
        }) => {
            let share = share::target(share, join, relay, scribe)?;
            let page = match (page, no_page) {
                (_, true) => None,
                (Some(page), false) => Some(page),
                // Beside the share, once it is bound (port 0 is picked then).
                (None, false) => share
                    .as_ref()
                    .filter(|t| matches!(t.how, crate::share::How::Share { .. }))
                    .map(|_| share::PAGE_BESIDE_SHARE.to_string()),
            };
            let settings = Settings {
                share,
                listen,
                page,
                page_cert: page_cert.zip(page_key),
                ..settings
            };
            open_meeting(file, resume, settings)
        }
        Some(Command::Export(args)) => export_command(&args, &settings.config),
        Some(Command::List(archive)) => list_command(&archive, &settings),
        Some(Command::Search { text, archive }) => search_command(&text, &archive, &settings),
        Some(Command::Actions(archive)) => actions_command(&archive, &settings),
        Some(Command::Check { file }) => check_command(&file),
        Some(Command::Finalize { file, by, force }) => {
            finalize_command(&file, by.as_deref(), force)
        }
        Some(Command::Publish(args)) => publish::publish_command(&args, &settings),
        Some(Command::Import(args)) => import_log::import_command(&args, &settings),
        Some(Command::Templates { command }) => templates_command(command),
        Some(Command::Links {
            file,
            share,
            page_port,
        }) => share::links(&file, share, page_port),
        Some(Command::Transcribe { audio, output }) => {
            transcribe::transcribe_command(&audio, output.as_deref(), &settings.config)
        }
    }
}

/// The config file's settings, with what went wrong reading it and
/// options given where they do nothing.
fn settings(cli: &Cli) -> Settings {
    let config_file = cli.config.clone().or_else(config::default_path);
    let (config, warning) = match &config_file {
        Some(path) => Config::load(path),
        None => (Config::default(), None),
    };
    // --theme is only for the full screen: said, not silently ignored.
    let needless_theme = match (&cli.theme, &cli.command) {
        (Some(_), Some(Command::Export(_))) => Some("export"),
        (Some(_), Some(Command::List(_))) => Some("list"),
        (Some(_), Some(Command::Search { .. })) => Some("search"),
        (Some(_), Some(Command::Actions(_))) => Some("actions"),
        (Some(_), Some(Command::Check { .. })) => Some("check"),
        (Some(_), Some(Command::Templates { .. })) => Some("templates"),
        (Some(_), Some(Command::Links { .. })) => Some("links"),
        (Some(_), Some(Command::Import(_))) => Some("import"),
        (Some(_), Some(Command::Finalize { .. })) => Some("finalize"),
        (Some(_), Some(Command::Publish(_))) => Some("publish"),
        _ => None,
    }
    .map(|command| {
        format!("--theme only changes the full-screen app; `minutes {command}` shows no colours")
    });
    Settings {
        config,
        config_file,
        theme: cli.theme.clone(),
        warnings: warning.into_iter().chain(needless_theme).collect(),
        share: None,
        listen: ListenArgs::default(),
        page: None,
        page_cert: None,
        joined: None,
    }
}

/// `minutes FILE`: opens FILE, or starts a new meeting in it; a word that
/// looks like a mistyped command is said to be one.
fn file_command(words: &[std::ffi::OsString], settings: Settings) -> Result<(), CliError> {
    if let Some(first) = words.first()
        && let Some(command) = similar_command(first)
    {
        return Err(CliError(format!(
            "{}: no such command; did you mean `minutes {command}`? (`minutes --help` lists the commands)",
            listings::visible(&first.to_string_lossy())
        )));
    }
    let [file] = words else {
        return Err(CliError(
            "name one meeting file (`minutes board.json`), or a command: `minutes --help` lists them".into(),
        ));
    };
    let file = PathBuf::from(file);
    if std::fs::symlink_metadata(&file).is_ok() {
        open_meeting(Some(file), false, settings)
    } else if file.extension().is_none() && file.parent() == Some(Path::new("")) {
        // A mistyped command (`minutes lsit`) must not become a file.
        Err(CliError(format!(
            "{}: no such command or file; `minutes --help` lists the commands (a new meeting needs a file name like {}.json)",
            file.display(),
            file.display()
        )))
    } else {
        let args = NewArgs {
            file: Some(file),
            ..NewArgs::default()
        };
        new::new_meeting_from_name(&args, settings)
    }
}

/// `minutes list`: the meetings of the folder, newest first.
fn list_command(archive: &ArchiveArgs, settings: &Settings) -> Result<(), CliError> {
    let Some((scan, dir)) = scan_folder(archive, settings, None, "list")? else {
        return Ok(());
    };
    print(|out| listings::list(&scan, out))?;
    if scan.meetings.is_empty() {
        say("No meetings here.");
    }
    looked_in(&dir, archive, "list");
    Ok(())
}

/// `minutes search WORDS`: the notes with every word; none is a failure,
/// as with grep.
fn search_command(
    text: &[String],
    archive: &ArchiveArgs,
    settings: &Settings,
) -> Result<(), CliError> {
    let query = text.join(" ");
    let nothing = || CliError(format!("no note holds {:?}", listings::visible(&query)));
    let Some((scan, dir)) = scan_folder(archive, settings, Some(&query), "search")? else {
        return Err(nothing());
    };
    let hits = archive::search(&scan.meetings, &query);
    print(|out| listings::search(&hits, out))?;
    let notes = crate::text::plural(hits.len(), "note");
    let meetings = crate::text::plural(scan.files, "meeting");
    say(&format!("{notes} found in {meetings}"));
    looked_in(&dir, archive, "search");
    if hits.is_empty() {
        return Err(nothing());
    }
    Ok(())
}

/// `minutes actions`: the action items still open, by owner.
fn actions_command(archive: &ArchiveArgs, settings: &Settings) -> Result<(), CliError> {
    let Some((scan, dir)) = scan_folder(archive, settings, None, "actions")? else {
        return Ok(());
    };
    let open = archive::open_actions(&scan.meetings);
    print(|out| listings::actions(&open, out))?;
    if open.is_empty() {
        say("No open action items.");
    }
    looked_in(&dir, archive, "actions");
    Ok(())
}

/// `minutes check FILE`: what to fix before sending; exits 1 when it
/// finds anything.
fn check_command(file: &Path) -> Result<(), CliError> {
    let meeting = store::load(file)?;
    let findings = crate::check::check(&meeting);
    print(|out| listings::findings(file, &findings, out))?;
    if findings.is_empty() {
        say("Nothing to fix: ready to send.");
        return Ok(());
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == crate::check::Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    Err(CliError(format!(
        "{}: {} and {} before sending ({})",
        file.display(),
        crate::text::plural(errors, "error"),
        crate::text::plural(warnings, "warning"),
        if errors > 0 {
            "`minutes finalize` waits for the errors to be fixed"
        } else {
            "warnings do not stop `minutes finalize`"
        }
    )))
}

/// `minutes finalize FILE`: the minutes made final, saved as one atomic
/// replace under the meeting's lock.
fn finalize_command(file: &Path, by: Option<&str>, force: bool) -> Result<(), CliError> {
    use crate::finalize::{Refusal, finalize};
    let (mut store, mut meeting, _) = Store::open(file)?;
    let by = by
        .map(str::to_string)
        .or_else(|| meeting.note_taker.clone())
        .or_else(|| meeting.chair.clone())
        .filter(|b| !b.trim().is_empty())
        .ok_or_else(|| {
            CliError(format!(
                "{}: say who makes the minutes final: --by NAME (the meeting has no note-taker or chair)",
                file.display()
            ))
        })?;
    let at = meeting.local(chrono::Utc::now());
    match finalize(&mut meeting, &by, at, force) {
        Ok(()) => {}
        Err(Refusal::AlreadyFinal(done)) => {
            let _ = writeln!(
                std::io::stdout(),
                "{}: already final (made final by {} on {}); nothing changed.",
                file.display(),
                done.by,
                meeting.in_zone(done.at).format("%Y-%m-%d %H:%M")
            );
            return Ok(());
        }
        Err(Refusal::NotReady(findings)) => {
            print(|out| listings::findings(file, &findings, out))?;
            return Err(CliError(format!(
                "{}: not made final: {} to fix first (`minutes check` lists everything; --force makes them final anyway)",
                file.display(),
                crate::text::plural(findings.len(), "error")
            )));
        }
    }
    store
        .compact(&meeting)
        .map_err(|e| CliError(format!("{}: cannot write it: {e}", file.display())))?;
    // The journal was folded in: no empty one is left beside the file.
    let _ = store.remove_empty_journal();
    let _ = writeln!(
        std::io::stdout(),
        "{}: final, by {by}. Reports exported from now on no longer say DRAFT.",
        file.display()
    );
    // Reports written before still do: named, with the command that
    // makes each again (not rewritten here: they may have been edited).
    let stale = crate::finalize::stale_reports(file);
    if !stale.is_empty() {
        let _ = writeln!(
            std::io::stdout(),
            "Exported before, still saying DRAFT (export them again):"
        );
        for (path, format) in stale {
            let flag = match format {
                Format::Markdown => String::new(),
                other => format!(" --format {}", other.name()),
            };
            let _ = writeln!(
                std::io::stdout(),
                "  {}    minutes export {}{flag}",
                listings::visible(&path.display().to_string()),
                listings::visible(&file.display().to_string())
            );
        }
    }
    Ok(())
}

/// The command a mistyped word most likely meant (`lsit` → `list`), if
/// it is close to one and names no file: clap's own suggestion does not
/// run, as any other word is taken as a meeting file.
fn similar_command(word: &std::ffi::OsStr) -> Option<String> {
    use clap::CommandFactory;
    let word = word.to_str()?;
    if Path::new(word).extension().is_some()
        || word.contains(std::path::MAIN_SEPARATOR)
        || std::fs::symlink_metadata(word).is_ok()
    {
        return None;
    }
    let word = word.to_lowercase();
    Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .map(|name| (strsim::damerau_levenshtein(&word, &name), name))
        .filter(|(distance, name)| *distance <= 2 && *distance < name.chars().count())
        .min()
        .map(|(_, name)| name)
}

/// `minutes open [FILE]`: FILE, or the meeting last written in the data
/// folder.
fn open_meeting(file: Option<PathBuf>, resume: bool, settings: Settings) -> Result<(), CliError> {
    let file = match file {
        Some(file) => file,
        None => {
            let no_meetings = || CliError("no meetings yet: `minutes new` starts one".into());
            let dir =
                archive_dir(&ArchiveArgs { dir: None }, &settings)?.ok_or_else(no_meetings)?;
            store::latest_meeting(&dir).ok_or_else(|| {
                CliError(format!(
                    "{}: no meetings here yet; `minutes new` starts one",
                    dir.display()
                ))
            })?
        }
    };
    // Joining a shared meeting into a file not made yet: made from it.
    let joined = share::create_if_joining(&file, settings.share.as_ref())?;
    let settings = Settings { joined, ..settings };
    let (store, mut meeting, replay) = Store::open(&file)?;
    if resume {
        if meeting.finalized.is_some() || meeting.approved.is_some() {
            return Err(CliError(format!(
                "{}: these minutes are final; a final meeting's call does not go on (open it without --resume to amend its notes)",
                file.display()
            )));
        }
        // Saved with the first change, or at quit with the new end.
        meeting.ended_at = None;
    }
    needs_terminal()?;
    capture(store, meeting, capture::Opened::Resumed(replay), settings)
}

/// `minutes templates`: the built-in templates, or one copied out.
fn templates_command(command: Option<TemplatesCommand>) -> Result<(), CliError> {
    match command {
        None => print(|out| {
            for format in [Format::Markdown, Format::Html, Format::Text] {
                writeln!(
                    out,
                    "{:<9} {}   `minutes templates copy {} DIR` writes it out",
                    format.name(),
                    format.template_file(),
                    format.name()
                )?;
            }
            writeln!(
                out,
                "Use one with `minutes export --template FILE`, or as the group's own with `Template: FILE` in a prep file's ## Report section (docs/templates.md)."
            )
        }),
        Some(TemplatesCommand::Copy { name, dir }) => {
            let path = dir.join(name.template_file());
            let written = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut file| file.write_all(name.builtin_template().as_bytes()));
            match written {
                Ok(()) => {
                    say(&format!("Wrote {}", path.display()));
                    Ok(())
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(CliError(format!(
                    "{}: already exists; your own template is kept (remove it, or name another folder)",
                    path.display()
                ))),
                Err(e) => Err(CliError(format!(
                    "{}: cannot write it: {e}",
                    path.display()
                ))),
            }
        }
    }
}

/// Says one line on standard error, its control characters shown, not
/// sent: file names, titles and nicks come from files and logs, and an
/// escape sequence in one must not reach the terminal. Never panics when
/// the terminal is gone (as `eprintln!` would).
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{}", listings::visible(line));
}

/// Says one line on standard output, as [`say`] does on standard error.
pub fn tell(line: &str) {
    let _ = writeln!(std::io::stdout(), "{}", listings::visible(line));
}

/// Prints a listing on standard output.
fn print(listing: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), CliError> {
    listings::to_stdout(listing).map_err(|e| CliError(format!("cannot print the listing: {e}")))
}

fn warn(settings: &Settings) {
    for warning in &settings.warnings {
        say(&format!("minutes: {warning}"));
    }
}

/// The archive's folder: --dir, the config's data_dir, or the data folder.
fn archive_dir(args: &ArchiveArgs, settings: &Settings) -> Result<Option<PathBuf>, CliError> {
    let dir = args
        .dir
        .clone()
        .or_else(|| settings.config.data_dir.clone())
        .or_else(store::data_dir)
        .ok_or_else(|| CliError("cannot find the data folder; name one with --dir".into()))?;
    if !dir.is_dir() {
        // The default data folder before the first meeting: nothing yet,
        // not a mistake. A folder named with --dir must exist.
        if args.dir.is_none() && !dir.exists() {
            return Ok(None);
        }
        return Err(CliError(format!(
            "{}: no such folder of meetings",
            dir.display()
        )));
    }
    Ok(Some(dir))
}

/// Before the first meeting the data folder does not exist: nothing to
/// list yet, which is no mistake.
/// The meetings of the folder (only those with every word of `words`, if
/// given), its unreadable files reported; none, said so, before the first.
fn scan_folder(
    args: &ArchiveArgs,
    settings: &Settings,
    words: Option<&str>,
    command: &str,
) -> Result<Option<(archive::Scan, PathBuf)>, CliError> {
    let Some(dir) = archive_dir(args, settings)? else {
        no_meetings_yet(command);
        return Ok(None);
    };
    let scan = match words {
        Some(words) => archive::scan_for_words(&dir, words),
        None => archive::scan(&dir),
    };
    report_problems(&scan);
    Ok(Some((scan, dir)))
}

fn no_meetings_yet(command: &str) {
    say("No meetings yet in the data folder: `minutes` starts one.");
    if let Some(hint) = current_folder_hint(None, command) {
        say(&hint);
    }
}

/// Says where `list`, `search` or `actions` looked, and how to look
/// elsewhere: meetings saved beside the user (as the guide does) are not
/// in the data folder, and must not look lost.
fn looked_in(dir: &Path, args: &ArchiveArgs, command: &str) {
    let shown = listings::visible(&dir.display().to_string()).into_owned();
    let line = if args.dir.is_some() {
        format!("Looked in {shown}.")
    } else {
        format!("Looked in {shown} (the data folder); --dir FOLDER looks in another.")
    };
    let _ = writeln!(std::io::stderr(), "{line}");
    if let Some(hint) = current_folder_hint(Some(dir), command) {
        say(&hint);
    }
}

/// "This folder holds 3 meeting files: `minutes list --dir .`", when the
/// current folder is not the one looked in and holds some.
fn current_folder_hint(looked: Option<&Path>, command: &str) -> Option<String> {
    let here = std::env::current_dir().ok()?;
    let same = looked
        .and_then(|dir| dir.canonicalize().ok())
        .is_some_and(|dir| here.canonicalize().is_ok_and(|h| h == dir));
    if same {
        return None;
    }
    let count = store::meeting_files(&here).ok()?.len();
    let args = if command == "search" { " WORDS" } else { "" };
    (count > 0).then(|| {
        format!(
            "This folder holds {}: `minutes {command}{args} --dir .` looks here.",
            crate::text::plural(count, "meeting file")
        )
    })
}

/// Files that cannot be read are named on stderr, and skipped.
fn report_problems(scan: &archive::Scan) {
    for problem in &scan.problems {
        say(&format!("minutes: skipped {problem}"));
    }
}

fn export_command(args: &ExportArgs, config: &Config) -> Result<(), CliError> {
    if args.transcript {
        return transcribe::export_transcript(&args.file, args.output.as_deref());
    }
    let to_stdout = args.output.as_deref() == Some(Path::new("-"));
    let request = export::Request {
        output: args.output.clone(),
        format: args.format,
        template: args.template.clone(),
        timestamps: args.timestamps,
        voice: args.style,
    };
    request.check_output_name()?;
    let meeting = store::load(&args.file)?;
    let job = export::plan(&meeting, &args.file, &request, &config.export)?;
    if to_stdout {
        if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            // Read on screen: escape sequences in the notes show as text.
            let report = export::render(&meeting, &job.options)
                .map_err(|e| job.error(export::RenderError::Template(e)))?;
            return print(|out| out.write_all(listings::visible(&report).as_bytes()));
        }
        let mut failure = None;
        let printed = listings::to_stdout(|out| {
            export::render_to(&meeting, &job.options, out, true).map_err(|e| match e {
                export::RenderError::Io(e) => e,
                other => {
                    let e = std::io::Error::other(other.to_string());
                    failure = Some(other);
                    e
                }
            })
        });
        return match (failure, printed) {
            (Some(e), _) => Err(job.error(e).into()),
            (None, Ok(())) => Ok(()),
            (None, Err(e)) => Err(CliError(format!("cannot write the report: {e}"))),
        };
    }
    let clobber = match args.force {
        true => store::output::Clobber::Meetings,
        false => store::output::Clobber::NoMeetings,
    };
    job.write(&meeting, &args.file, clobber, true)?;
    say(&format!("Wrote {}", job.out.display()));
    // The process ends here: freeing a large meeting piece by piece would
    // only delay the exit.
    std::mem::forget(meeting);
    Ok(())
}

pub(super) fn read_text(path: &Path, what: &str) -> Result<String, CliError> {
    store::read_text_file(path, store::TEXT_FILE_LIMIT).map_err(|e| {
        CliError(format!(
            "{}: cannot read the {what} file: {e}",
            path.display()
        ))
    })
}
