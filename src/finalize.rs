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

/// The meeting that approves another's minutes, as it knows itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Approver {
    pub title: String,
    pub series_number: Option<u32>,
}

impl Approver {
    pub fn of(meeting: &Meeting) -> Approver {
        Approver {
            title: meeting.title.clone(),
            series_number: meeting.series_number,
        }
    }

    /// Whether `previous` is the meeting this one follows, as `new --from`
    /// made it: the same group's, numbered one before (when both are).
    fn follows(&self, previous: &Meeting) -> bool {
        let same_group =
            crate::model::fold(previous.title.trim()) == crate::model::fold(self.title.trim());
        let numbered_before = match (previous.series_number, self.series_number) {
            (Some(before), Some(now)) => before.checked_add(1) == Some(now),
            _ => true,
        };
        same_group && numbered_before
    }
}

/// Why an approval was not recorded.
#[derive(Debug)]
pub enum ApprovalError {
    File(FileError),
    /// The file named as the previous meeting is not the meeting this one
    /// follows (a meeting file edited by hand, or crafted): it is left as
    /// it was.
    NotThePrevious {
        path: std::path::PathBuf,
        title: String,
    },
    /// Already approved, by this meeting or another: kept as it was.
    AlreadyApproved {
        path: std::path::PathBuf,
        by: String,
    },
}

impl std::fmt::Display for ApprovalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApprovalError::File(e) => write!(f, "{e}"),
            ApprovalError::NotThePrevious { path, title } => write!(
                f,
                "{}: is “{title}”, not the meeting this one follows; left as it was",
                path.display()
            ),
            ApprovalError::AlreadyApproved { path, by } => write!(
                f,
                "{}: already approved by the {by}; left as it was",
                path.display()
            ),
        }
    }
}

/// Writes `approval` into the meeting file at `path`, under its lock and
/// with its journal folded in, as one atomic replace, if that file is the
/// meeting `approver` follows and not approved yet. Refused while that
/// meeting is open in another `minutes`.
pub fn record_approval(
    path: &Path,
    approval: &Approval,
    approver: &Approver,
) -> Result<(), ApprovalError> {
    let (mut store, mut meeting, _) = Store::open(path).map_err(ApprovalError::File)?;
    if !approver.follows(&meeting) {
        return Err(ApprovalError::NotThePrevious {
            path: path.to_path_buf(),
            title: meeting.title,
        });
    }
    if let Some(done) = &meeting.approved {
        return Err(ApprovalError::AlreadyApproved {
            path: path.to_path_buf(),
            by: done.by_meeting.clone(),
        });
    }
    meeting.approved = Some(approval.clone());
    store.compact(&meeting).map_err(|e| {
        ApprovalError::File(FileError {
            path: path.to_path_buf(),
            problem: crate::store::Problem::Write(e),
        })
    })?;
    let _ = store.remove_empty_journal();
    Ok(())
}
