//! `minutes publish FILE`: the targets weighed (command line, meeting,
//! config), the minutes sent, and what was sent recorded in the meeting
//! file under its lock.

use super::{CliError, PublishArgs, Settings, listings::visible};
use crate::model::PublishTargets;
use crate::publish::{self, Env, Outcome, Request};
use crate::store::{self, Store};
use std::io::Write;

pub(super) fn publish_command(args: &PublishArgs, settings: &Settings) -> Result<(), CliError> {
    let file = &args.file;
    // A dry run only reads; a real one holds the meeting's lock from
    // before sending until the record is written.
    let (mut store, mut meeting) = if args.dry_run {
        (None, store::load(file)?)
    } else {
        let (store, meeting, _) = Store::open(file)?;
        (Some(store), meeting)
    };
    let config = &settings.config.publish;
    let series = meeting.publish.clone().or_from(&config.targets());
    let named = PublishTargets {
        git: args.git.clone(),
        email: args
            .email
            .iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        smtp: args.smtp.clone(),
        from: args.sender.clone(),
        github: args.github.clone(),
        actions_as_issues: args.actions_as_issues,
    };
    // Targets named on the command line are the only ones used; how to
    // reach them (server, sender) still comes from the series or config.
    let targets = if named.git.is_some() || !named.email.is_empty() || named.github.is_some() {
        PublishTargets {
            smtp: named.smtp.clone().or(series.smtp.clone()),
            from: named.from.clone().or(series.from.clone()),
            actions_as_issues: named.actions_as_issues || series.actions_as_issues,
            ..named
        }
    } else {
        named.or_from(&series)
    };
    let request = Request {
        targets,
        meeting_file: file.clone(),
        draft: args.draft,
        again: args.again,
        dry_run: args.dry_run,
        config: config.clone(),
        env: Env::from_process(),
    };
    // Whole seconds: the record says when, not how fast.
    let now = meeting.local(chrono::Utc::now());
    let now = chrono::Timelike::with_nanosecond(&now, 0).unwrap_or(now);
    let done = publish::publish(&meeting, &request, now)
        .map_err(|e| CliError(format!("{}: {e}", file.display())))?;
    let mut out = std::io::stdout();
    let mut failures = 0;
    let mut recorded = 0;
    for (_, outcome) in done.outcomes {
        match outcome {
            Outcome::Done(record, said) => {
                let _ = writeln!(out, "{}", visible(&said));
                meeting.published.push(record);
                recorded += 1;
            }
            Outcome::Partly(record, said, failed) => {
                let _ = writeln!(out, "{}", visible(&said));
                eprintln!("minutes: {}", visible(&failed.to_string()));
                meeting.published.push(record);
                recorded += 1;
                failures += 1;
            }
            Outcome::Skipped(said) => {
                let _ = writeln!(out, "{}", visible(&said));
            }
            Outcome::Failed(problem) => {
                eprintln!("minutes: {}", visible(&problem.to_string()));
                failures += 1;
            }
        }
    }
    meeting.action_issues.extend(done.action_issues);
    if let Some(store) = store.as_mut().filter(|_| recorded > 0) {
        store.compact(&meeting).map_err(|e| {
            CliError(format!(
                "{}: published, but cannot record it in the file: {e}",
                file.display()
            ))
        })?;
        let _ = store.remove_empty_journal();
    }
    if failures > 0 {
        return Err(CliError(format!(
            "{}: {} did not go out; the others are done{}",
            file.display(),
            crate::text::plural(failures, "target"),
            if recorded > 0 {
                " and recorded in the file"
            } else {
                ""
            }
        )));
    }
    Ok(())
}
