//! `minutes publish`: to a bare git repository made here, to a loopback
//! SMTP server and a loopback GitHub API stub started here; twice, again,
//! as a draft, and with one target failing.

use minutes::model::{Finalized, Meeting, Note, NoteKind};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

/// The report fixture, with a GitHub issue linked in item 2 and an action,
/// made final by Ana Neves (unless `draft`), saved as `dir/m.json`.
fn meeting_file(dir: &Path, draft: bool) -> PathBuf {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wg-strategy-84.json");
    let mut m: Meeting = minutes::store::load(&fixture).unwrap();
    let at = m.notes.last().unwrap().committed_at;
    let id = m.next_note_id();
    m.notes.push(Note::new(
        id,
        Some(2),
        vec!["chris-buckridge".into()],
        "The draft is in https://github.com/igf/wg-strategy/issues/12, comments welcome".into(),
        at,
    ));
    let mut action = Note::new(
        id + 1,
        Some(2),
        Vec::new(),
        "ACTION: @Chris to circulate the letter due 2024-10-01".into(),
        at,
    );
    action.kind = NoteKind::Action;
    action.owner = Some("chris-buckridge".into());
    action.due = chrono::NaiveDate::from_ymd_opt(2024, 10, 1);
    m.notes.push(action);
    // A name that needs quoting in YAML.
    m.chair = Some("Chris \"CB\" Buckridge: chair #1".into());
    if !draft {
        m.finalized = Some(Finalized {
            by: "Ana Neves".into(),
            at,
        });
    }
    let path = dir.join("m.json");
    minutes::store::save(&path, &m).unwrap();
    path
}

fn minutes(args: &[&str], env: &[(&str, &str)]) -> (bool, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_minutes"));
    command
        .args(args)
        .env_remove("GITHUB_TOKEN")
        .env_remove("MINUTES_GITHUB_API")
        .env_remove("MINUTES_SMTP_USER")
        .env_remove("MINUTES_SMTP_PASSWORD")
        // No config file of the user's: only what the test says.
        .env("XDG_CONFIG_HOME", "/nonexistent-minutes-test")
        .env("HOME", "/nonexistent-minutes-test");
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("--git-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn bare_repo(dir: &Path) -> PathBuf {
    let repo = dir.join("minutes.git");
    let status = Command::new("git")
        .args(["init", "--quiet", "--bare"])
        .arg(&repo)
        .status()
        .unwrap();
    assert!(status.success());
    repo
}

#[test]
fn git_commits_the_report_with_front_matter_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = meeting_file(dir.path(), false);
    let repo = bare_repo(dir.path());
    let target = format!("{}:minutes/2024", repo.display());
    let (ok, stdout, stderr) = minutes(&["publish", file.to_str().unwrap(), "--git", &target], &[]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("git: committed minutes/2024/2024-09-26-"),
        "{stdout}"
    );
    let log = git(&repo, &["log", "--format=%an|%s|%b", "HEAD"]);
    assert!(log.starts_with("Ana Neves|Minutes: "), "{log}");
    assert!(log.contains("Finalized by Ana Neves"), "{log}");
    let files = git(&repo, &["ls-tree", "-r", "--name-only", "HEAD"]);
    let name = files.trim();
    assert!(
        name.starts_with("minutes/2024/2024-09-26-") && name.ends_with("-84.md"),
        "{name}"
    );
    let text = git(&repo, &["show", &format!("HEAD:{name}")]);
    assert!(text.starts_with("---\ntitle: \""), "{text}");
    assert!(
        text.contains("chair: \"Chris \\\"CB\\\" Buckridge: chair #1\"\n"),
        "{text}"
    );
    assert!(text.contains("date: 2024-09-26\n"), "{text}");
    assert!(text.contains("attendees:\n  - \""), "{text}");
    assert!(!text.contains("draft: true"));
    // The record, with the commit id.
    let m = minutes::store::load(&file).unwrap();
    let head = git(&repo, &["rev-parse", "HEAD"]);
    assert_eq!(m.published.len(), 1);
    assert_eq!(m.published[0].target, "git");
    assert_eq!(m.published[0].id.as_deref(), Some(head.trim()));
    // Twice: nothing new.
    let (ok, stdout, _) = minutes(&["publish", file.to_str().unwrap(), "--git", &target], &[]);
    assert!(ok);
    assert!(stdout.contains("already published"), "{stdout}");
    assert_eq!(git(&repo, &["rev-list", "--count", "HEAD"]).trim(), "1");
    assert_eq!(minutes::store::load(&file).unwrap().published.len(), 1);
    // Changed, and --again: a second commit replaces the file.
    let mut m = minutes::store::load(&file).unwrap();
    m.recording = Some("a recording is available".into());
    minutes::store::save(&file, &m).unwrap();
    let (ok, stdout, stderr) = minutes(
        &[
            "publish",
            file.to_str().unwrap(),
            "--git",
            &target,
            "--again",
        ],
        &[],
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains("git: committed"), "{stdout}");
    assert_eq!(git(&repo, &["rev-list", "--count", "HEAD"]).trim(), "2");
    assert_eq!(minutes::store::load(&file).unwrap().published.len(), 2);
}

#[test]
fn git_commits_into_a_working_clone_and_pushes() {
    let dir = tempfile::tempdir().unwrap();
    let file = meeting_file(dir.path(), false);
    let repo = bare_repo(dir.path());
    let clone = dir.path().join("clone");
    let run = |args: &[&str], at: &Path| {
        let out = Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
            .args(args)
            .current_dir(at)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(
        &["clone", "--quiet", repo.to_str().unwrap(), "clone"],
        dir.path(),
    );
    run(
        &["commit", "--quiet", "--allow-empty", "-m", "start"],
        &clone,
    );
    run(&["push", "--quiet", "-u", "origin", "HEAD"], &clone);
    // Something of the user's staged in the clone is left out of the commit.
    std::fs::write(clone.join("unrelated.txt"), "mine").unwrap();
    run(&["add", "unrelated.txt"], &clone);
    let (ok, stdout, stderr) = minutes(
        &[
            "publish",
            file.to_str().unwrap(),
            "--git",
            clone.to_str().unwrap(),
        ],
        &[],
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains(", pushed"), "{stdout}");
    let files = git(&repo, &["ls-tree", "-r", "--name-only", "HEAD"]);
    assert!(files.trim().ends_with("-84.md"), "{files}");
    assert!(!files.contains("unrelated.txt"), "{files}");
    assert_eq!(git(&repo, &["rev-list", "--count", "HEAD"]).trim(), "2");
}

#[test]
fn config_publish_is_the_default_target() {
    let dir = tempfile::tempdir().unwrap();
    let file = meeting_file(dir.path(), false);
    let repo = bare_repo(dir.path());
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("[publish]\ngit = \"{}:minutes\"\n", repo.display()),
    )
    .unwrap();
    let (ok, stdout, stderr) = minutes(
        &[
            "--config",
            config.to_str().unwrap(),
            "publish",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains("git: committed minutes/"), "{stdout}");
    // Nowhere said: a message, nothing recorded.
    let other = tempfile::tempdir().unwrap();
    let file = meeting_file(other.path(), false);
    let (ok, _, stderr) = minutes(&["publish", file.to_str().unwrap()], &[]);
    assert!(!ok);
    assert!(stderr.contains("nowhere to publish"), "{stderr}");
}

#[test]
fn a_draft_is_refused_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let file = meeting_file(dir.path(), true);
    let repo = bare_repo(dir.path());
    let before = std::fs::read(&file).unwrap();
    let repo_arg = repo.to_str().unwrap();
    let (ok, _, stderr) = minutes(&["publish", file.to_str().unwrap(), "--git", repo_arg], &[]);
    assert!(!ok);
    assert!(stderr.contains("the minutes are a draft"), "{stderr}");
    assert_eq!(std::fs::read(&file).unwrap(), before, "nothing recorded");
    assert!(
        git(&repo, &["for-each-ref"]).is_empty(),
        "nothing committed"
    );
    let (ok, _, stderr) = minutes(
        &[
            "publish",
            file.to_str().unwrap(),
            "--git",
            repo_arg,
            "--draft",
        ],
        &[],
    );
    assert!(ok, "{stderr}");
    let m = minutes::store::load(&file).unwrap();
    assert!(m.published[0].draft);
    let name = git(&repo, &["ls-tree", "-r", "--name-only", "HEAD"]);
    let text = git(&repo, &["show", &format!("HEAD:{}", name.trim())]);
    assert!(text.contains("draft: true\n"), "{text}");
}

/// A small SMTP server on 127.0.0.1 that takes one message and keeps its
/// DATA.
fn smtp_server() -> (u16, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut writer = stream;
        writer.write_all(b"220 test ESMTP\r\n").unwrap();
        let mut data = String::new();
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap() == 0 {
                break;
            }
            let command = line.trim_end().to_ascii_uppercase();
            if command.starts_with("EHLO") || command.starts_with("HELO") {
                writer.write_all(b"250-test\r\n250 8BITMIME\r\n").unwrap();
            } else if command == "DATA" {
                writer.write_all(b"354 go on\r\n").unwrap();
                loop {
                    line.clear();
                    reader.read_line(&mut line).unwrap();
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(&line);
                }
                writer.write_all(b"250 queued\r\n").unwrap();
            } else if command == "QUIT" {
                writer.write_all(b"221 bye\r\n").unwrap();
                break;
            } else {
                writer.write_all(b"250 ok\r\n").unwrap();
            }
        }
        data
    });
    (port, handle)
}

#[test]
fn email_sends_one_message_with_text_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let file = meeting_file(dir.path(), false);
    let (port, server) = smtp_server();
    let smtp = format!("127.0.0.1:{port}");
    let (ok, stdout, stderr) = minutes(
        &[
            "publish",
            file.to_str().unwrap(),
            "--email",
            "wg-strategy@example.org",
            "--smtp",
            &smtp,
            "--sender",
            "secretary@example.org",
        ],
        &[],
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains("email: sent"), "{stdout}");
    let data = server.join().unwrap();
    let headers = &data[..data.find("\r\n\r\n").unwrap()];
    for expected in [
        "From: secretary@example.org",
        "To: wg-strategy@example.org",
        "Subject: Minutes: ",
        "Date: ",
        "Message-ID: <minutes.",
        "List-Post: <mailto:wg-strategy@example.org>",
        "Content-Type: multipart/alternative",
    ] {
        assert!(headers.contains(expected), "{expected} in {headers}");
    }
    assert!(
        data.contains("Content-Type: text/plain; charset=utf-8"),
        "{data}"
    );
    assert!(
        data.contains("Content-Type: text/html; charset=utf-8"),
        "{data}"
    );
    assert!(!data.contains("DRAFT"), "final minutes");
    // The text part is the text report, the HTML part the HTML one.
    let text_part = &data[data.find("text/plain").unwrap()..data.find("text/html").unwrap()];
    assert!(
        text_part.contains("Summary Report") || text_part.contains("SUMMARY REPORT"),
        "{text_part}"
    );
    assert!(!text_part.contains("<h1"), "{text_part}");
    assert!(
        data[data.find("text/html").unwrap()..].contains("<h1"),
        "{data}"
    );
    let m = minutes::store::load(&file).unwrap();
    let id = m.published[0].id.clone().unwrap();
    assert!(headers.contains(&format!("Message-ID: {id}")), "{headers}");
}

/// One HTTP request as the stub saw it.
#[derive(Debug, Clone)]
struct Seen {
    line: String,
    authorization: String,
    body: serde_json::Value,
}

/// A loopback stand-in for GitHub's API: every POST gets a 201 with an
/// `html_url`; a path with `/issues/99/` gets a 404.
fn github_stub() -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut writer = stream;
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                continue;
            }
            let mut length = 0;
            let mut authorization = String::new();
            loop {
                let mut header = String::new();
                reader.read_line(&mut header).unwrap();
                if header == "\r\n" {
                    break;
                }
                let lower = header.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                if lower.starts_with("authorization:") {
                    authorization = header["authorization:".len()..].trim().to_string();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let missing = line.contains("/issues/99/");
            record.lock().unwrap().push(Seen {
                line: line.trim().to_string(),
                authorization,
                body: serde_json::from_slice(&body).unwrap(),
            });
            // Addresses as GitHub gives them: a comment's names its issue.
            let path = line.split(' ').nth(1).unwrap_or("");
            let url = match path
                .strip_prefix("/repos/")
                .and_then(|p| p.strip_suffix("/comments"))
            {
                Some(issue) => format!("https://github.com/{issue}#issuecomment-{n}"),
                None => format!(
                    "https://github.com/{}/{}",
                    path.trim_start_matches("/repos/"),
                    500 + n
                ),
            };
            let reply = format!("{{\"html_url\": \"{url}\"}}");
            let status = if missing {
                "404 Not Found"
            } else {
                "201 Created"
            };
            let _ = write!(
                writer,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    (base, seen)
}

#[test]
fn github_comments_on_linked_issues_and_opens_actions() {
    let dir = tempfile::tempdir().unwrap();
    let file = meeting_file(dir.path(), false);
    let (base, seen) = github_stub();
    let seen_by_stub = seen.clone();
    let env = [
        ("GITHUB_TOKEN", "t0ken"),
        ("MINUTES_GITHUB_API", base.as_str()),
    ];
    let args = [
        "publish",
        file.to_str().unwrap(),
        "--github",
        "igf/wg-strategy",
        "--actions-as-issues",
    ];
    // A dry run says what it would post, and posts nothing.
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let (ok, stdout, stderr) = minutes(&dry, &env);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("would post 1 comment and 1 new issue"),
        "{stdout}"
    );
    assert!(stdout.contains("comment on #12"), "{stdout}");
    assert!(seen.lock().unwrap().is_empty());
    assert!(minutes::store::load(&file).unwrap().published.is_empty());

    let (ok, stdout, stderr) = minutes(&args, &env);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("github: posted 1 comment and 1 new issue on igf/wg-strategy"),
        "{stdout}"
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(
        seen[0].line,
        "POST /repos/igf/wg-strategy/issues/12/comments HTTP/1.1"
    );
    assert_eq!(seen[0].authorization, "Bearer t0ken");
    let comment = seen[0].body["body"].as_str().unwrap();
    assert!(
        comment.contains("item 2: WSIS+20 review draft letter"),
        "{comment}"
    );
    assert!(comment.contains("Chris: The draft is in"), "{comment}");
    assert_eq!(seen[1].line, "POST /repos/igf/wg-strategy/issues HTTP/1.1");
    assert_eq!(
        seen[1].body["title"].as_str().unwrap(),
        "Action: Chris to circulate the letter"
    );
    let m = minutes::store::load(&file).unwrap();
    assert_eq!(m.published[0].links.len(), 2);
    assert_eq!(m.action_issues.len(), 1);
    assert_eq!(
        m.action_issues[0].url,
        "https://github.com/igf/wg-strategy/issues/501"
    );
    // The next meeting carries the action with its issue; `minutes
    // actions` shows it.
    let next = m.next_in_series(m.ended_at.unwrap());
    assert_eq!(next.action_issues.len(), 1);
    let carried = next.action_issues[0].note;
    assert_eq!(
        next.notes.iter().find(|n| n.id == carried).unwrap().kind,
        NoteKind::Action
    );
    // What publishing recorded is in the published schema.
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    crate::format::assert_valid(&crate::format::schema(), &written);
    let carried = serde_json::to_value(&next).unwrap();
    crate::format::assert_valid(&crate::format::schema(), &carried);
    let (ok, stdout, _) = minutes(&["actions", "--dir", dir.path().to_str().unwrap()], &[]);
    assert!(ok);
    assert!(
        stdout.contains("https://github.com/igf/wg-strategy/issues/501"),
        "{stdout}"
    );
    // Again: nothing new is posted.
    let (ok, stdout, stderr) = minutes(&args, &env);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("github: already published"), "{stdout}");
    assert_eq!(seen_by_stub.lock().unwrap().len(), 2);
}

#[test]
fn one_target_failing_leaves_the_others_done_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let file = meeting_file(dir.path(), false);
    let repo = bare_repo(dir.path());
    // A port nobody listens on.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let smtp = format!("127.0.0.1:{closed}");
    let (base, seen) = github_stub();
    let mut m = minutes::store::load(&file).unwrap();
    // Issue 99 is missing at the stub: that post fails, #12's goes.
    let id = m.next_note_id();
    let at = m.notes[0].committed_at;
    m.notes.push(Note::new(
        id,
        Some(1),
        Vec::new(),
        "see https://github.com/igf/wg-strategy/issues/99".into(),
        at,
    ));
    minutes::store::save(&file, &m).unwrap();
    let (ok, stdout, stderr) = minutes(
        &[
            "publish",
            file.to_str().unwrap(),
            "--git",
            repo.to_str().unwrap(),
            "--email",
            "wg@example.org",
            "--smtp",
            &smtp,
            "--sender",
            "s@example.org",
            "--github",
            "igf/wg-strategy",
        ],
        &[("GITHUB_TOKEN", "t"), ("MINUTES_GITHUB_API", base.as_str())],
    );
    assert!(!ok, "a failure is an error status");
    assert!(stdout.contains("git: committed"), "{stdout}");
    assert!(stderr.contains("email: 127.0.0.1"), "{stderr}");
    assert!(
        stderr.contains("github: 1 of 2 posts failed: #99"),
        "{stderr}"
    );
    assert!(stderr.contains("2 targets did not go out"), "{stderr}");
    let m = minutes::store::load(&file).unwrap();
    let targets: Vec<&str> = m.published.iter().map(|p| p.target.as_str()).collect();
    assert_eq!(targets, ["git", "github"], "what went out is recorded");
    assert_eq!(m.published[1].links.len(), 1);
    assert_eq!(git(&repo, &["rev-list", "--count", "HEAD"]).trim(), "1");
    // GitHub again: only the missing comment is tried, #12 is not posted twice.
    let posts = seen.lock().unwrap().len();
    let (ok, _, stderr) = minutes(
        &[
            "publish",
            file.to_str().unwrap(),
            "--github",
            "igf/wg-strategy",
        ],
        &[("GITHUB_TOKEN", "t"), ("MINUTES_GITHUB_API", base.as_str())],
    );
    assert!(!ok);
    assert!(
        stderr.contains("github: 1 of 1 posts failed: #99"),
        "{stderr}"
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), posts + 1);
    assert!(
        seen[posts].line.contains("/issues/99/comments"),
        "{:?}",
        seen[posts]
    );
    drop(seen);
    // Again without --again: git is done; the mail is tried.
    let (ok, stdout, _) = minutes(
        &[
            "publish",
            file.to_str().unwrap(),
            "--git",
            repo.to_str().unwrap(),
            "--email",
            "wg@example.org",
            "--smtp",
            &smtp,
            "--sender",
            "s@example.org",
        ],
        &[],
    );
    assert!(!ok);
    assert!(stdout.contains("git: already published"), "{stdout}");
}
