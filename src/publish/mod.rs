//! `minutes publish`: the report sent where the group reads it: committed
//! to a git repository (`git.rs`), mailed to a list (`email.rs`), posted
//! on the GitHub issues an item discussed (`github.rs`). Each target runs
//! on its own: one failing leaves the others done, and what was done is
//! returned to be recorded in the meeting file.

pub mod email;
mod error;
pub mod git;
pub mod github;

pub use error::PublishError;

use crate::config::PublishConfig;
use crate::model::{Instant, Meeting, PublishTargets, Published};
use std::path::PathBuf;

/// What the caller asked, with everything from outside (clock, settings,
/// environment) already read.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub targets: PublishTargets,
    /// The meeting file, for the group's own template.
    pub meeting_file: PathBuf,
    /// Publish though the minutes are not final.
    pub draft: bool,
    /// Send again where the minutes were already sent.
    pub again: bool,
    /// Say what would be sent; send nothing.
    pub dry_run: bool,
    pub config: PublishConfig,
    /// The environment's say: tokens, passwords, API address.
    pub env: Env,
}

/// What `publish` reads from the environment, read by the caller.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub smtp_user: Option<String>,
    pub smtp_password: Option<String>,
    pub github_token: Option<String>,
    pub github_api: Option<String>,
}

impl Env {
    pub fn from_process() -> Env {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Env {
            smtp_user: var("MINUTES_SMTP_USER"),
            smtp_password: var("MINUTES_SMTP_PASSWORD"),
            github_token: var("GITHUB_TOKEN"),
            github_api: var("MINUTES_GITHUB_API"),
        }
    }
}

/// The result at one target.
#[derive(Debug)]
pub enum Outcome {
    /// Sent: the record to keep, and a line for the user.
    Done(Published, String),
    /// Nothing to do (already published, or a dry run): why.
    Skipped(String),
    Failed(PublishError),
    /// Part sent (recorded), part failed (said).
    Partly(Published, String, PublishError),
}

impl Outcome {
    pub fn failed(&self) -> bool {
        matches!(self, Outcome::Failed(_) | Outcome::Partly(..))
    }
}

/// What `publish` did: each target's outcome, in order, and the issue
/// each action was opened as.
pub struct Report {
    pub outcomes: Vec<(&'static str, Outcome)>,
    pub action_issues: Vec<crate::model::ActionIssue>,
}

/// Publishes `meeting` at each target `request` names, at `now`. The
/// caller records the `Done` ones (and the action issues) in the file.
pub fn publish(meeting: &Meeting, request: &Request, now: Instant) -> Result<Report, PublishError> {
    if meeting.finalized.is_none() && !request.draft {
        return Err(PublishError::Draft);
    }
    let targets = &request.targets;
    if targets.git.is_none() && targets.email.is_empty() && targets.github.is_none() {
        return Err(PublishError::Nowhere);
    }
    let mut outcomes = Vec::new();
    let mut issues = Vec::new();
    if let Some(repo) = &targets.git {
        let outcome = once(meeting, request, "git", repo, || {
            git::publish(meeting, request, repo, now)
        });
        outcomes.push(("git", outcome));
    }
    if !targets.email.is_empty() {
        let to = targets.email.join(", ");
        let outcome = once(meeting, request, "email", &to, || {
            email::publish(meeting, request, now)
        });
        outcomes.push(("email", outcome));
    }
    if let Some(repo) = &targets.github {
        // GitHub keeps its own account of what was posted (per issue), so
        // a run after a partial failure posts only what is missing.
        let outcome = match github::publish(meeting, request, repo, now) {
            Err(problem) => Outcome::Failed(at("github", problem)),
            Ok(posted) if posted.nothing_new || request.dry_run => Outcome::Skipped(posted.said),
            Ok(posted) => {
                issues = posted.opened;
                match posted.failed {
                    None => Outcome::Done(posted.record, posted.said),
                    Some(failed) if posted.record.links.is_empty() => Outcome::Failed(failed),
                    Some(failed) => Outcome::Partly(posted.record, posted.said, failed),
                }
            }
        };
        outcomes.push(("github", outcome));
    }
    Ok(Report {
        outcomes,
        action_issues: issues,
    })
}

/// Runs `send` unless the minutes already went to `to` (and --again is not
/// given).
fn once(
    meeting: &Meeting,
    request: &Request,
    target: &'static str,
    to: &str,
    send: impl FnOnce() -> Result<(Published, String), PublishError>,
) -> Outcome {
    if !request.again
        && let Some(done) = meeting
            .published
            .iter()
            .rev()
            .find(|p| p.target == target && same_place(target, &p.to, to))
    {
        return Outcome::Skipped(format!(
            "{target}: already published to {} on {} (--again publishes again)",
            done.to,
            meeting.in_zone(done.at).format("%Y-%m-%d %H:%M")
        ));
    }
    match send() {
        Ok((_, line)) if request.dry_run => Outcome::Skipped(line),
        Ok((done, line)) => Outcome::Done(done, line),
        Err(problem) => Outcome::Failed(at(target, problem)),
    }
}

/// `error`, said as `target`'s.
fn at(target: &'static str, error: PublishError) -> PublishError {
    PublishError::At {
        target,
        error: Box::new(error),
    }
}

/// A git record's `to` names the file too; the repository is what counts.
fn same_place(target: &str, recorded: &str, to: &str) -> bool {
    match target {
        "git" => recorded
            .split_once(" → ")
            .map_or(recorded, |(repo, _)| repo)
            .eq(to),
        _ => recorded == to,
    }
}

/// The meeting as its report's heading and subjects name it: "WG Strategy
/// #85, 2026-12-04".
pub fn headline(meeting: &Meeting) -> String {
    let mut name = meeting.title.trim().to_string();
    if let Some(n) = meeting.series_number {
        name.push_str(&format!(" #{n}"));
    }
    if let Some(day) = meeting.day() {
        name.push_str(&format!(", {day}"));
    }
    name
}

/// The report in `format`, with the group's own template if it has one.
pub fn report(
    meeting: &Meeting,
    request: &Request,
    format: crate::export::Format,
) -> Result<String, PublishError> {
    let template = crate::export::house_template_for(meeting, &request.meeting_file, format)
        .map(|path| {
            std::fs::read_to_string(&path).map_err(|error| PublishError::Template { path, error })
        })
        .transpose()?;
    crate::export::render(
        meeting,
        &crate::export::Options {
            format,
            timestamps: Default::default(),
            template,
            voice: None,
            ..Default::default()
        },
    )
    .map_err(PublishError::Report)
}

/// Who made the minutes final (or "draft" while they are not).
pub fn finalized_by(meeting: &Meeting) -> String {
    match &meeting.finalized {
        Some(f) => f.by.clone(),
        None => meeting
            .note_taker
            .clone()
            .or_else(|| meeting.chair.clone())
            .unwrap_or_else(|| "minutes".into()),
    }
}
