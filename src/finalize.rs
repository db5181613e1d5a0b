//! Draft and final: `minutes finalize` marks a meeting's minutes final
//! (its report stops saying DRAFT), and a later meeting's decision on its
//! "Approval of the previous minutes" item records the approval in the
//! previous meeting's own file.

use crate::check::{Finding, check, has_errors};
use crate::export::Format;
use crate::model::{Approval, Finalized, Instant, Meeting};
use crate::store::{FileError, Store};
use std::path::Path;

/// Why a meeting was not made final.
#[derive(Debug)]
pub enum Refusal {
    /// Already final: by whom and when, unchanged.
    AlreadyFinal(Finalized),
    /// `minutes check` finds these errors; `--force` finalizes anyway.
    NotReady(Vec<Finding>),
}

/// Marks `meeting` final by `by` at `at`, unless it is already or `check`
/// finds an error (and `force` is off); warnings do not stop it.
pub fn finalize(meeting: &mut Meeting, by: &str, at: Instant, force: bool) -> Result<(), Refusal> {
    if let Some(done) = &meeting.finalized {
        return Err(Refusal::AlreadyFinal(done.clone()));
    }
    let findings = check(meeting);
    if has_errors(&findings) && !force {
        let errors = findings
            .into_iter()
            .filter(|f| f.severity == crate::check::Severity::Error)
            .collect();
        return Err(Refusal::NotReady(errors));
    }
    meeting.finalized = Some(Finalized {
        by: by.trim().to_string(),
        at,
    });
    Ok(())
}

/// The reports exported before beside `meeting_file` (where `minutes
/// export` and F6 write without `-o`) that still say DRAFT, with their
/// format. They are named, not written again: the user may have edited
/// them since, and a report is only ever written when asked for.
pub fn stale_reports(meeting_file: &Path) -> Vec<(std::path::PathBuf, Format)> {
    use std::io::Read;
    [Format::Markdown, Format::Html, Format::Text]
        .into_iter()
        .filter_map(|format| {
            let path = crate::export::default_output(meeting_file, format);
            // Regular files only (never a FIFO's open), and only their
            // start: the mark is near the top of every built-in report.
            let meta = std::fs::symlink_metadata(&path).ok()?;
            if !meta.is_file() {
                return None;
            }
            let mut head = Vec::new();
            std::fs::File::open(&path)
                .ok()?
                .take(256 * 1024)
                .read_to_end(&mut head)
                .ok()?;
            String::from_utf8_lossy(&head)
                .contains("DRAFT")
                .then_some((path, format))
        })
        .collect()
}

/// How the approving meeting is named in the approved one's report: "the
/// 85th meeting of the WG Strategy" (its series number and group).
pub fn approving_meeting(meeting: &Meeting) -> String {
    let group = meeting
        .short_name
        .as_deref()
        .or(meeting.full_name.as_deref())
        .unwrap_or(&meeting.title)
        .trim();
    match meeting.series_number {
        Some(n) => format!(
            "{} meeting of the {group}",
            crate::export::ordinal(u64::from(n))
        ),
        None => format!("meeting of the {group}"),
    }
}

/// Writes `approval` into the meeting file at `path`, under its lock and
/// with its journal folded in, as one atomic replace. Refused while that
/// meeting is open in another `minutes`.
pub fn record_approval(path: &Path, approval: &Approval) -> Result<(), FileError> {
    let (mut store, mut meeting, _) = Store::open(path)?;
    meeting.approved = Some(approval.clone());
    store.compact(&meeting).map_err(|e| FileError {
        path: path.to_path_buf(),
        problem: crate::store::Problem::Write(e),
    })?;
    let _ = store.remove_empty_journal();
    Ok(())
}
