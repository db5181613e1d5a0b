//! What can go wrong when publishing, one variant per failure, worded
//! once (`Display`) for whoever shows it.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug)]
pub enum PublishError {
    /// Not final, and `--draft` not given.
    Draft,
    /// No target named anywhere.
    Nowhere,
    /// The group's own template could not be read.
    Template {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The report could not be made (as `export::render` says).
    Report(String),
    /// A target's failure, said with the target's name before it.
    At {
        target: &'static str,
        error: Box<PublishError>,
    },

    // git
    /// No temporary folder to clone a repository into.
    CloneFolder(std::io::Error),
    /// `git` could not be started.
    GitMissing(std::io::Error),
    /// `git what` failed, and said this.
    Git {
        what: String,
        said: String,
    },
    /// The report's file is in the repository with other content.
    OtherContent {
        file: PathBuf,
        repo: String,
    },
    CreateFolder {
        path: PathBuf,
        error: std::io::Error,
    },
    WriteReport {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Committed, but the push failed.
    NotPushed {
        file: PathBuf,
        id: String,
        error: Box<PublishError>,
    },
    /// The folder is not inside the repository.
    FolderLeaves,
    /// The folder has `..` or a root in it.
    FolderNotInside,
    /// A part of the report's path is a link, or not the file or folder
    /// it must be.
    NotPlain {
        path: PathBuf,
        last: bool,
    },

    // email
    /// `--smtp` without a port.
    SmtpNoPort(String),
    SmtpBadPort {
        typed: String,
        port: String,
    },
    SmtpNoHost(String),
    /// `smtp_security` is none of the known ones.
    SmtpSecurity(String),
    /// Plain text asked for a server elsewhere.
    Unencrypted(String),
    NoMailServer,
    NoSender,
    BadSender {
        from: String,
        error: String,
    },
    BadRecipient {
        to: String,
        error: String,
    },
    Message(String),
    /// The transport to `host` could not be made.
    Smtp {
        host: String,
        error: String,
    },
    NotSent {
        host: String,
        port: u16,
        error: String,
    },

    // github
    NotRepo(String),
    NoToken,
    /// 401.
    TokenRefused {
        url: String,
    },
    /// 403 or 404.
    NotAllowed {
        url: String,
        status: u16,
    },
    Http {
        url: String,
        error: String,
    },
    Reply {
        url: String,
        error: String,
    },
    /// Some of GitHub's posts failed (each said with what it was for);
    /// the others were posted.
    Posts {
        of: usize,
        failures: Vec<(String, PublishError)>,
    },
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use PublishError::*;
        match self {
            Draft => f.write_str(
                "the minutes are a draft: `minutes finalize` makes them final (or --draft publishes the draft as it is)",
            ),
            Nowhere => f.write_str(
                "nowhere to publish: give --git, --email or --github, a ## Publish section in the prep file, or [publish] in config.toml (docs/publish.md)",
            ),
            Template { path, error } => {
                write!(f, "{}: cannot read the template: {error}", path.display())
            }
            Report(message) => f.write_str(message),
            At { target, error } => write!(f, "{target}: {error}"),
            CloneFolder(error) => write!(f, "cannot make a folder to clone into: {error}"),
            GitMissing(error) => write!(f, "cannot run git ({error}); is git installed?"),
            Git { what, said } => write!(f, "git {what} failed: {said}"),
            OtherContent { file, repo } => write!(
                f,
                "{} in {repo} is there with other content; nothing was committed (--again replaces it)",
                file.display()
            ),
            CreateFolder { path, error } => {
                write!(f, "{}: cannot create the folder: {error}", path.display())
            }
            WriteReport { path, error } => {
                write!(f, "{}: cannot write it: {error}", path.display())
            }
            NotPushed { file, id, error } => write!(
                f,
                "committed {} as {id} but did not push it: {error}",
                file.display()
            ),
            FolderLeaves => f.write_str("the folder leaves the repository"),
            FolderNotInside => {
                f.write_str("the folder must be a path inside the repository (no .., no /)")
            }
            NotPlain { path, last } => write!(
                f,
                "{} is not a plain {} in the repository; nothing was written",
                path.display(),
                if *last { "file" } else { "folder" }
            ),
            SmtpNoPort(typed) => {
                write!(f, "--smtp {typed}: give HOST:PORT, like smtp.example.org:587")
            }
            SmtpBadPort { typed, port } => {
                write!(f, "--smtp {typed}: \"{port}\" is not a port number")
            }
            SmtpNoHost(typed) => write!(f, "--smtp {typed}: no host name"),
            SmtpSecurity(asked) => {
                write!(f, "smtp_security = \"{asked}\": say starttls, tls or plain")
            }
            Unencrypted(host) => write!(
                f,
                "{host}: mail without encryption is only sent to this machine (127.0.0.1, ::1, localhost); use starttls or tls"
            ),
            NoMailServer => f.write_str(
                "no mail server: give --smtp HOST:PORT, SMTP: in the prep file's ## Publish, or smtp in config.toml's [publish]",
            ),
            NoSender => f.write_str(
                "no sender: give From: in the prep file's ## Publish, or from in config.toml's [publish]",
            ),
            BadSender { from, error } => {
                write!(f, "From \"{from}\" is not a mail address: {error}")
            }
            BadRecipient { to, error } => write!(f, "\"{to}\" is not a mail address: {error}"),
            Message(error) => write!(f, "cannot make the message: {error}"),
            Smtp { host, error } => write!(f, "{host}: {error}"),
            NotSent { host, port, error } => write!(f, "{host}:{port}: not sent: {error}"),
            NotRepo(repo) => write!(f, "\"{repo}\" is not OWNER/REPO like w3c/csswg-drafts"),
            NoToken => f.write_str(
                "no token: set GITHUB_TOKEN (or github_token in config.toml's [publish])",
            ),
            TokenRefused { url } => write!(f, "{url}: the token was refused (401)"),
            NotAllowed { url, status } => write!(
                f,
                "{url}: not allowed or not found ({status}); does the token reach this repository?"
            ),
            Http { url, error } => write!(f, "{url}: {error}"),
            Reply { url, error } => write!(f, "{url}: the reply cannot be read: {error}"),
            Posts { of, failures } => {
                write!(f, "github: {} of {of} posts failed: ", failures.len())?;
                for (i, (what, error)) in failures.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{what}: {error}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PublishError {}
