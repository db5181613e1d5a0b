//! `minutes import LOG`: reads a chat log (src/chatlog) and writes it as a
//! new meeting file, never over anything.

use super::args::ImportArgs;
use super::listings::visible;
use super::{CliError, Settings};
use crate::chatlog::{self, Options};
use crate::store::Store;
use chrono_tz::Tz;
use std::io::Write;

pub fn import_command(args: &ImportArgs, settings: &Settings) -> Result<(), CliError> {
    let log = &args.log;
    // The log's name and lines may hold escapes: shown, never obeyed.
    let cannot =
        |what: String| CliError(visible(&format!("{}: {what}", log.display())).into_owned());
    // A FIFO or a device would never end: only a file is read.
    let meta = std::fs::metadata(log).map_err(|e| cannot(format!("cannot read the log: {e}")))?;
    if !meta.is_file() {
        return Err(cannot("not a file: give the chat log's text file".into()));
    }
    let file = std::fs::File::open(log).map_err(|e| cannot(format!("cannot read the log: {e}")))?;
    let parse_zone = |name: &str| {
        name.parse::<Tz>().map_err(|_| {
            CliError(format!(
                "--tz {name}: not a time zone name (try Europe/Paris or UTC)"
            ))
        })
    };
    let meeting_zone = settings
        .config
        .time_zone
        .unwrap_or_else(super::new::system_time_zone);
    let clock_zone = match &args.tz {
        Some(name) => parse_zone(name)?,
        None => meeting_zone,
    };
    let output = match &args.output {
        Some(path) => path.clone(),
        None => log.with_extension("json"),
    };
    // Whatever is there (a meeting, a link, a FIFO, a device) is left alone.
    if std::fs::symlink_metadata(&output).is_ok() {
        return Err(CliError(
            visible(&format!(
                "{}: already exists; import never writes over anything: name a new file with -o",
                output.display()
            ))
            .into_owned(),
        ));
    }
    let options = Options {
        title: args.title.clone(),
        clock_zone,
        time_zone: args
            .tz
            .as_deref()
            .map(parse_zone)
            .transpose()?
            .unwrap_or(meeting_zone),
        date: args.date,
        scribe: args.scribe.clone(),
        keep_chat: args.chat,
        // RRSAgent writes its logs in UTC.
        rrsagent_in_utc: args.tz.is_none(),
        report: house_style(settings),
        today: chrono::Local::now().date_naive(),
        fallback_title: log.file_stem().map_or_else(
            || "Meeting".to_string(),
            |s| s.to_string_lossy().into_owned(),
        ),
    };
    let imported = chatlog::import_from(std::io::BufReader::new(file), &options)
        .map_err(|e| cannot(e.to_string()))?;
    let store = Store::create(&output, &imported.meeting)?;
    let _ = store.remove_empty_journal();
    drop(store);
    let summary = imported
        .summary
        .render(&log.display().to_string(), &output.display().to_string());
    let _ = std::io::stdout().write_all(visible(&summary).as_bytes());
    let _ = writeln!(
        std::io::stdout(),
        "Next: `minutes check {0}` lists what to fix; `minutes {0}` opens it; `minutes export {0}` writes the report.",
        visible(&shell_word(&output))
    );
    Ok(())
}

/// An imported meeting reads like the group's minutes: "Name: …" for
/// every statement, unless the house style says reported speech.
fn house_style(settings: &Settings) -> crate::model::ReportStyle {
    let mut style = settings.config.report.style();
    style.transcript = settings.config.report.style != Some(crate::export::Voice::Reported);
    style
}

/// A path as a shell would need it typed.
fn shell_word(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    if text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_./".contains(&b))
    {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}
