//! Draft and final: `minutes finalize` marks a meeting's minutes final
//! (its report stops saying DRAFT), and a later meeting's decision on its
//! "Approval of the previous minutes" item records the approval in the
//! previous meeting's own file.

use crate::check::{Finding, check, has_errors};
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
