//! The git target: the Markdown report, with YAML front matter for static
//! site generators, committed under a folder of the group's minutes
//! repository with a dated name, and pushed. Runs the user's own `git`
//! (their credentials, their push settings).

use super::{PublishError, Request, finalized_by, headline, report};
use crate::export::Format;
use crate::model::{Attendance, Instant, Meeting, Published, slug};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `REPO[:FOLDER]` as typed: a folder, a bare repository or a URL, and the
/// folder inside it.
fn split_target(typed: &str) -> (String, String) {
    let typed = typed.trim();
    // A prep file or config.toml is read by no shell: `~/` is ours to expand.
    let expanded;
    let typed = match (typed.strip_prefix("~/"), directories::BaseDirs::new()) {
        (Some(rest), Some(dirs)) => {
            expanded = dirs.home_dir().join(rest).to_string_lossy().into_owned();
            expanded.as_str()
        }
        _ => typed,
    };
    if Path::new(typed).exists() {
        return (typed.to_string(), String::new());
    }
    if let Some((repo, folder)) = typed.rsplit_once(':') {
        let repo_is_whole = Path::new(repo).exists()
            || repo.ends_with(".git")
            || (repo.contains("://") && !folder.starts_with("//"));
        if repo_is_whole && !folder.contains("://") && !folder.chars().all(|c| c.is_ascii_digit()) {
            return (repo.to_string(), folder.trim_matches('/').to_string());
        }
    }
    (typed.to_string(), String::new())
}

/// The report's file name: day, group, number: `2026-12-04-wg-strategy-85.md`.
pub fn file_name(meeting: &Meeting) -> String {
    let group = meeting.short_name.as_deref().unwrap_or(&meeting.title);
    let mut name = String::new();
    if let Some(day) = meeting.day() {
        name.push_str(&day.format("%Y-%m-%d").to_string());
    }
    for part in [
        slug(group),
        meeting
            .series_number
            .map(|n| n.to_string())
            .unwrap_or_default(),
    ] {
        if !part.is_empty() {
            if !name.is_empty() {
                name.push('-');
            }
            name.push_str(&part);
        }
    }
    if name.is_empty() {
        name.push_str("minutes");
    }
    name.push_str(".md");
    name
}

/// A YAML scalar that reads back as `text` whatever it holds (quotes,
/// colons, `#`, a leading `-`, `yes`, line breaks): a double-quoted
/// string, which YAML reads as JSON does.
fn yaml_string(text: &str) -> String {
    // serde_json escapes quotes, backslashes and control characters; the
    // line and paragraph separators are escaped too, which YAML 1.1 would
    // otherwise take as line breaks.
    serde_json::to_string(text)
        .unwrap_or_else(|_| "\"\"".into())
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn yaml_list(out: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        out.push_str(&format!("{key}: []\n"));
        return;
    }
    out.push_str(&format!("{key}:\n"));
    for item in items {
        out.push_str(&format!("  - {}\n", yaml_string(item)));
    }
}

/// The front matter: title, date, chair, scribes, attendees.
fn front_matter(meeting: &Meeting) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!(
        "title: {}\n",
        yaml_string(&headline_title(meeting))
    ));
    if let Some(day) = meeting.day() {
        out.push_str(&format!("date: {}\n", day.format("%Y-%m-%d")));
    }
    if let Some(chair) = &meeting.chair {
        out.push_str(&format!("chair: {}\n", yaml_string(chair)));
    }
    let mut scribes: Vec<String> = meeting.scribes.iter().map(|s| s.name.clone()).collect();
    if scribes.is_empty() {
        scribes.extend(meeting.note_taker.clone());
    }
    yaml_list(&mut out, "scribes", &scribes);
    let present: Vec<String> = meeting
        .participants
        .iter()
        .filter(|p| p.attendance == Some(Attendance::Present))
        .map(|p| p.name.clone())
        .collect();
    yaml_list(&mut out, "attendees", &present);
    if meeting.finalized.is_none() {
        out.push_str("draft: true\n");
    }
    out.push_str("---\n\n");
    out
}

fn headline_title(meeting: &Meeting) -> String {
    match meeting.series_number {
        Some(n) => format!("{} #{n}", meeting.title.trim()),
        None => meeting.title.trim().to_string(),
    }
}

pub(super) fn publish(
    meeting: &Meeting,
    request: &Request,
    typed: &str,
    now: Instant,
) -> Result<(Published, String), PublishError> {
    let (repo, folder) = split_target(typed);
    let name = file_name(meeting);
    let relative = if folder.is_empty() {
        PathBuf::from(&name)
    } else {
        Path::new(&folder).join(&name)
    };
    let text = format!(
        "{}{}",
        front_matter(meeting),
        report(meeting, request, Format::Markdown)?
    );
    if request.dry_run {
        return Ok((
            record(typed, &relative, now, None, meeting),
            format!(
                "git: would commit {} ({} bytes) to {repo}",
                relative.display(),
                text.len()
            ),
        ));
    }
    let work = Work::open(&repo)?;
    if let Some(head) = work.place(&relative, &text, request.again, &repo)? {
        return Ok((
            record(typed, &relative, now, Some(head), meeting),
            format!("git: {} was already there as it is", relative.display()),
        ));
    }
    let id = work.commit(&relative, meeting, request)?;
    let pushed = work.push(&relative, &id)?;
    let short: String = id.chars().take(10).collect();
    Ok((
        record(typed, &relative, now, Some(id), meeting),
        format!("git: committed {} as {short}{pushed}", relative.display()),
    ))
}

/// The work tree the report is committed in: the user's own, or a
/// temporary clone of a bare repository or a URL (removed when this is
/// dropped).
struct Work {
    path: PathBuf,
    in_place: bool,
    _clone: Option<tempfile::TempDir>,
}

impl Work {
    /// A working tree is committed in place; a bare repository or a URL is
    /// cloned into a temporary folder, committed and pushed back.
    fn open(repo: &str) -> Result<Work, PublishError> {
        let local = Path::new(repo);
        let in_place = local.is_dir()
            && git(local, &["rev-parse", "--is-bare-repository"])
                .map(|out| out.trim() == "false")
                .unwrap_or(false);
        if in_place {
            return Ok(Work {
                path: local.to_path_buf(),
                in_place,
                _clone: None,
            });
        }
        let dir = tempfile::tempdir().map_err(PublishError::CloneFolder)?;
        let target = dir.path().join("repo");
        let mut clone = Command::new("git");
        clone.args(["clone", "--quiet"]);
        // Over a network only the newest commit is fetched: a group's
        // years of minutes need not come down to add one file.
        if !local.exists() {
            clone.args(["--depth", "1"]);
        }
        run(clone.arg("--").arg(repo).arg(&target), "clone")?;
        Ok(Work {
            path: target,
            in_place,
            _clone: Some(dir),
        })
    }

    /// Writes `text` at `relative`. When it is there already as it is,
    /// writes nothing and returns the commit it is in.
    fn place(
        &self,
        relative: &Path,
        text: &str,
        again: bool,
        repo: &str,
    ) -> Result<Option<String>, PublishError> {
        let work = self.path.as_path();
        let path = work.join(relative);
        refuse_unsafe_path(work, &path)?;
        match std::fs::read_to_string(&path) {
            Ok(existing) if existing == text => {
                let head = git(work, &["rev-parse", "HEAD"])?;
                return Ok(Some(head.trim().to_string()));
            }
            Ok(_) if !again => {
                return Err(PublishError::OtherContent {
                    file: relative.to_path_buf(),
                    repo: repo.to_string(),
                });
            }
            _ => {}
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|error| PublishError::CreateFolder {
                path: parent.to_path_buf(),
                error,
            })?;
        }
        std::fs::write(&path, text).map_err(|error| PublishError::WriteReport {
            path: path.clone(),
            error,
        })?;
        Ok(None)
    }

    /// Commits the report at `relative`; returns the commit's id.
    fn commit(
        &self,
        relative: &Path,
        meeting: &Meeting,
        request: &Request,
    ) -> Result<String, PublishError> {
        let work = self.path.as_path();
        let relative_arg = relative.to_string_lossy().to_string();
        git(work, &["add", "--", &relative_arg])?;
        let by = finalized_by(meeting);
        let message = format!(
            "Minutes: {}\n\n{} by {by}; published with `minutes publish`.\n",
            headline(meeting),
            if meeting.finalized.is_some() {
                "Finalized"
            } else {
                "A draft, not yet finalized,"
            }
        );
        // The author is who made the minutes final; the committer is the
        // user's git identity, or the author's when git has none.
        let email = git(work, &["config", "user.email"])
            .ok()
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .or_else(|| request.targets.from.clone())
            .unwrap_or_else(|| "minutes@localhost".into());
        let author = format!("{} <{email}>", by.replace(['<', '>', '\n'], " ").trim());
        let mut commit = Command::new("git");
        commit.current_dir(work);
        if git(work, &["config", "user.name"]).is_err() {
            commit.args([
                "-c",
                &format!("user.name={by}"),
                "-c",
                &format!("user.email={email}"),
            ]);
        }
        commit.args([
            "commit",
            "--quiet",
            "--author",
            &author,
            "-m",
            &message,
            "--",
            &relative_arg,
        ]);
        run(&mut commit, "commit")?;
        Ok(git(work, &["rev-parse", "HEAD"])?.trim().to_string())
    }

    /// Pushes the commit `id` if the work tree has a remote; says so.
    fn push(&self, relative: &Path, id: &str) -> Result<&'static str, PublishError> {
        let work = self.path.as_path();
        if git(work, &["remote"])?.trim().is_empty() {
            return Ok("");
        }
        // The user's own clone pushes as they set it up (upstream,
        // push.default); a clone made here pushes back where it came from.
        let mut push = Command::new("git");
        push.current_dir(work).args(["push", "--quiet"]);
        if !self.in_place {
            push.args(["origin", "HEAD"]);
        }
        run(&mut push, "push").map_err(|error| PublishError::NotPushed {
            file: relative.to_path_buf(),
            id: id.to_string(),
            error: Box::new(error),
        })?;
        Ok(", pushed")
    }
}

fn record(
    typed: &str,
    relative: &Path,
    at: Instant,
    id: Option<String>,
    meeting: &Meeting,
) -> Published {
    Published {
        target: "git".into(),
        to: format!("{typed} → {}", relative.display()),
        at,
        id,
        links: Vec::new(),
        draft: meeting.finalized.is_none(),
    }
}

/// The report is only written to a regular file (or a new one) inside the
/// work tree: never through a symlink or over a folder, FIFO or device.
fn refuse_unsafe_path(work: &Path, path: &Path) -> Result<(), PublishError> {
    let mut at = work.to_path_buf();
    for part in path
        .strip_prefix(work)
        .map_err(|_| PublishError::FolderLeaves)?
        .components()
    {
        use std::path::Component;
        match part {
            Component::Normal(name) => at.push(name),
            _ => return Err(PublishError::FolderNotInside),
        }
        if let Ok(meta) = std::fs::symlink_metadata(&at) {
            let last = at == path;
            if meta.file_type().is_symlink()
                || (last && !meta.is_file())
                || (!last && !meta.is_dir())
            {
                return Err(PublishError::NotPlain { path: at, last });
            }
        }
    }
    Ok(())
}

/// Runs `git -C dir ARGS`, its output on success.
fn git(dir: &Path, args: &[&str]) -> Result<String, PublishError> {
    let mut command = Command::new("git");
    command.current_dir(dir).args(args);
    run(&mut command, args.first().copied().unwrap_or("git"))
}

fn run(command: &mut Command, what: &str) -> Result<String, PublishError> {
    // No prompt for a password can reach a terminal it would hang on, and
    // an HTTP transfer stalled for a minute is given up (unless the user
    // set their own limits).
    command
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(std::process::Stdio::null());
    for (name, value) in [
        ("GIT_HTTP_LOW_SPEED_LIMIT", "1000"),
        ("GIT_HTTP_LOW_SPEED_TIME", "60"),
    ] {
        if std::env::var_os(name).is_none() {
            command.env(name, value);
        }
    }
    let out = command.output().map_err(PublishError::GitMissing)?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let said: String = stderr.trim().chars().take(600).collect();
    Err(PublishError::Git {
        what: what.to_string(),
        said,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_split_at_the_folder() {
        assert_eq!(
            split_target("git@github.com:w3c/wg-minutes.git:minutes/2026"),
            (
                "git@github.com:w3c/wg-minutes.git".into(),
                "minutes/2026".into()
            )
        );
        assert_eq!(
            split_target("https://example.org/wg.git"),
            ("https://example.org/wg.git".into(), String::new())
        );
        assert_eq!(
            split_target("https://example.org/wg.git:minutes/"),
            ("https://example.org/wg.git".into(), "minutes".into())
        );
    }

    #[test]
    fn the_report_is_never_written_through_a_link_or_over_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path();
        std::fs::create_dir(work.join("real")).unwrap();
        std::os::unix::fs::symlink(work.join("real"), work.join("linked")).unwrap();
        std::fs::create_dir(work.join("taken.md")).unwrap();
        assert!(refuse_unsafe_path(work, &work.join("minutes/new.md")).is_ok());
        assert!(refuse_unsafe_path(work, &work.join("real/new.md")).is_ok());
        let linked = refuse_unsafe_path(work, &work.join("linked/new.md"))
            .unwrap_err()
            .to_string();
        assert!(linked.contains("not a plain folder"), "{linked}");
        let folder = refuse_unsafe_path(work, &work.join("taken.md"))
            .unwrap_err()
            .to_string();
        assert!(folder.contains("not a plain file"), "{folder}");
        assert!(refuse_unsafe_path(work, &work.join("../x.md")).is_err());
    }

    #[test]
    fn odd_names_stay_whole_in_the_front_matter() {
        for name in [
            "O'Brien: \"the chair\"",
            "- yes",
            "# not a comment",
            "no",
            "Back\\slash",
            "Line\nbreak",
            "Sep\u{2028}arator",
            "Émilie 李",
        ] {
            let quoted = yaml_string(name);
            assert!(quoted.starts_with('"') && quoted.ends_with('"'), "{quoted}");
            assert!(
                !quoted.contains('\n') && !quoted.contains('\u{2028}'),
                "{quoted}"
            );
            // YAML reads a double-quoted scalar with JSON's escapes.
            let back: String = serde_json::from_str(&quoted).unwrap();
            assert_eq!(back, name);
        }
    }
}
