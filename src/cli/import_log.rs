//! `minutes import LOG`: reads a chat log (src/chatlog) and writes it as a
//! new meeting file, never over anything.

use super::args::ImportArgs;
use super::{CliError, Settings};
use crate::chatlog::{self, Options};
use crate::store::Store;
use chrono_tz::Tz;
use std::io::Write;

pub fn import_command(args: &ImportArgs, settings: &Settings) -> Result<(), CliError> {
    let log = &args.log;
    let cannot = |what: String| CliError(format!("{}: {what}", log.display()));
    // A FIFO or a device would never end: only a file is read.
    let meta = std::fs::metadata(log).map_err(|e| cannot(format!("cannot read the log: {e}")))?;
    if !meta.is_file() {
        return Err(cannot("not a file: give the chat log's text file".into()));
    }
    let bytes = std::fs::read(log).map_err(|e| cannot(format!("cannot read the log: {e}")))?;
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
    // RRSAgent writes its logs in UTC.
    let rrsagent = memchr::memmem::find(&bytes, b"<RRSAgent>").is_some();
    let clock_zone = match &args.tz {
        Some(name) => parse_zone(name)?,
        None if rrsagent => Tz::UTC,
        None => meeting_zone,
    };
    let output = match &args.output {
        Some(path) => path.clone(),
        None => log.with_extension("json"),
    };
    // Whatever is there (a meeting, a link, a FIFO, a device) is left alone.
    if std::fs::symlink_metadata(&output).is_ok() {
        return Err(CliError(format!(
            "{}: already exists; import never writes over anything: name a new file with -o",
            output.display()
        )));
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
        today: chrono::Local::now().date_naive(),
        fallback_title: log.file_stem().map_or_else(
            || "Meeting".to_string(),
            |s| s.to_string_lossy().into_owned(),
        ),
    };
    let imported = chatlog::import(&bytes, &options).map_err(|e| cannot(e.to_string()))?;
    let store = Store::create(&output, &imported.meeting)?;
    let _ = store.remove_empty_journal();
    drop(store);
    let summary = imported
        .summary
        .render(&log.display().to_string(), &output.display().to_string());
    let _ = std::io::stdout().write_all(summary.as_bytes());
    let _ = writeln!(
        std::io::stdout(),
        "Next: `minutes check {0}` lists what to fix; `minutes {0}` opens it; `minutes export {0}` writes the report.",
        shell_word(&output)
    );
    Ok(())
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
