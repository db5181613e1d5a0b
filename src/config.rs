//! The user's settings: `config.toml` in the config folder
//! (`~/.config/minutes/` on Linux), documented in docs/config.md.
//! A broken file is reported with its path and line, and the defaults
//! are used instead.

use chrono_tz::Tz;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Put in every new meeting's note-taker field.
    pub note_taker: Option<String>,
    /// IANA zone for new meetings when `--tz` is not given.
    pub time_zone: Option<Tz>,
    /// Theme name: built in (default, light, high-contrast, colorblind) or
    /// a file `NAME.toml` in the themes folder beside this file.
    pub theme: Option<String>,
    /// Where meetings are kept (default: the user data folder).
    pub data_dir: Option<PathBuf>,
    /// Clicks on agenda items and the wheel over the notes. Off by default:
    /// while on, selecting text needs Shift in most terminals.
    pub mouse: bool,
    pub export: ExportConfig,
    /// Warnings before an item's planned end, and the speaker limit of new
    /// meetings.
    pub timers: TimerConfig,
    /// The house style of new meetings (a prep file's `## Report` and the
    /// previous meeting's style come first).
    pub report: ReportConfig,
    /// Where minutes are published when neither the meeting (a prep file's
    /// `## Publish`) nor the command line says, and how (docs/publish.md).
    pub publish: PublishConfig,
    /// Keys of your own: an action's name (as `docs/config.md` lists them)
    /// and its keys, which replace its default ones in every mode.
    pub keys: std::collections::BTreeMap<String, KeyList>,
    /// The speech recogniser and whether to listen (docs/transcript.md).
    pub transcript: crate::transcript::RecogniserConfig,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PublishConfig {
    /// A git repository, and after a colon the folder in it.
    pub git: Option<String>,
    /// Addresses the minutes are mailed to.
    pub email: Vec<String>,
    /// The mail server, HOST:PORT.
    pub smtp: Option<String>,
    /// `starttls` (the default), `tls` (the default on port 465) or
    /// `plain` (only to this machine: 127.0.0.1, ::1, localhost).
    pub smtp_security: Option<String>,
    /// The SMTP user name and password (MINUTES_SMTP_USER and
    /// MINUTES_SMTP_PASSWORD win).
    pub smtp_user: Option<String>,
    pub smtp_password: Option<String>,
    /// The mail's From address.
    pub from: Option<String>,
    /// OWNER/REPO for comments and issues.
    pub github: Option<String>,
    pub actions_as_issues: bool,
    /// GitHub's API (default https://api.github.com; MINUTES_GITHUB_API
    /// wins), for GitHub Enterprise.
    pub github_api: Option<String>,
    /// A GitHub token (GITHUB_TOKEN wins).
    pub github_token: Option<String>,
}

impl PublishConfig {
    pub fn targets(&self) -> crate::model::PublishTargets {
        crate::model::PublishTargets {
            git: self.git.clone(),
            email: self.email.clone(),
            smtp: self.smtp.clone(),
            from: self.from.clone(),
            github: self.github.clone(),
            actions_as_issues: self.actions_as_issues,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TimerConfig {
    /// The current item's time turns to the warning colour this many
    /// minutes before its planned end (default 2; 0: only once over).
    pub item_warning_minutes: Option<u32>,
    /// New meetings time each speaker against this many minutes.
    pub speaker_limit_minutes: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportConfig {
    pub attendance: bool,
    pub agenda_numbers: bool,
    pub date_format: Option<String>,
    pub template: Option<String>,
    /// `reported` ("Chris shared that …", the default) or `transcript`
    /// ("Chris: …", as W3C minutes read).
    pub style: Option<crate::export::Voice>,
}

impl Default for ReportConfig {
    fn default() -> Self {
        ReportConfig {
            attendance: true,
            agenda_numbers: true,
            date_format: None,
            template: None,
            style: None,
        }
    }
}

impl ReportConfig {
    pub fn style(&self) -> crate::model::ReportStyle {
        crate::model::ReportStyle {
            no_attendance: !self.attendance,
            no_agenda_numbers: !self.agenda_numbers,
            date_format: self.date_format.clone(),
            template: self.template.clone(),
            transcript: self.style == Some(crate::export::Voice::Transcript),
        }
    }
}

/// One key (`"Ctrl+J"`) or several (`["Enter", "Ctrl+S"]`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    pub fn keys(&self) -> &[String] {
        match self {
            KeyList::One(key) => std::slice::from_ref(key),
            KeyList::Many(keys) => keys,
        }
    }
}

/// The `[export]` table.
pub type ExportConfig = crate::export::Defaults;

/// The settings at the top of the file (before any `[table]`).
const TOP_LEVEL_KEYS: [&str; 5] = ["note_taker", "time_zone", "theme", "data_dir", "mouse"];

/// The key an "unknown field `key`" message names.
fn unknown_key(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split_once('`').map(|(key, _)| key)
}

/// `~/.config/minutes` on Linux.
fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "minutes").map(|d| d.config_dir().to_path_buf())
}

pub fn default_path() -> Option<PathBuf> {
    config_dir().map(|d| d.join("config.toml"))
}

impl Config {
    /// Reads `path`; a missing file is the defaults, a broken one the
    /// defaults plus a message naming the file and the line.
    pub fn load(path: &Path) -> (Config, Option<String>) {
        match crate::store::read_text_file(path, crate::store::TEXT_FILE_LIMIT) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Config::default(), None),
            Err(e) => (
                Config::default(),
                Some(format!("{}: {e}; using the defaults", path.display())),
            ),
            Ok(text) => match toml::from_str::<Config>(&text) {
                Ok(config) => (config, None),
                Err(e) => {
                    let mut line = e
                        .span()
                        .map(|span| text[..span.start.min(text.len())].lines().count().max(1));
                    let mut message = e.message().trim_end().to_string();
                    // toml points an unknown key at its table: find the key's
                    // own line, and say when it is a setting of the top that
                    // a [table] above took in.
                    if let Some(key) = unknown_key(&message) {
                        let from = line.unwrap_or(1);
                        if let Some(at) =
                            text.lines().enumerate().skip(from - 1).find_map(|(n, l)| {
                                let name = l.split('=').next().unwrap_or("").trim();
                                (name == key).then_some(n + 1)
                            })
                        {
                            line = Some(at);
                        }
                        let table = text
                            .lines()
                            .take(line.unwrap_or(0))
                            .filter(|l| l.trim_start().starts_with('['))
                            .last()
                            .map(str::trim);
                        if let Some(table) = table
                            && TOP_LEVEL_KEYS.contains(&key)
                        {
                            message.push_str(&format!(
                                " ({key} comes after {table}, so TOML reads it as part of that table: move it above {table})"
                            ));
                        }
                    }
                    let at = line.map_or(String::new(), |l| format!(" (line {l})"));
                    (
                        Config::default(),
                        Some(format!(
                            "{}{at}: {message}; using the defaults",
                            path.display()
                        )),
                    )
                }
            },
        }
    }

    /// The folder of user themes, beside the config file.
    pub fn themes_dir(config_file: &Path) -> Option<PathBuf> {
        config_file.parent().map(|d| d.join("themes"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{Format, Timestamps};

    #[test]
    fn a_full_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "note_taker = \"Ana Neves\"\ntime_zone = \"Europe/Paris\"\ntheme = \"light\"\ndata_dir = \"/srv/minutes\"\n\n[export]\nformat = \"html\"\ntimestamps = \"elapsed\"\n",
        )
        .unwrap();
        let (config, warning) = Config::load(&path);
        assert_eq!(warning, None);
        assert_eq!(config.note_taker.as_deref(), Some("Ana Neves"));
        assert_eq!(config.time_zone, Some(chrono_tz::Europe::Paris));
        assert_eq!(config.export.format, Some(Format::Html));
        assert_eq!(config.export.timestamps, Some(Timestamps::Elapsed));
        assert_eq!(config.data_dir, Some(PathBuf::from("/srv/minutes")));
    }

    #[test]
    fn missing_is_default_and_broken_names_path_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        assert_eq!(Config::load(&path), (Config::default(), None));
        std::fs::write(&path, "theme = \"light\"\n\ntime_zone = \"Mars/Base\"\n").unwrap();
        let (config, warning) = Config::load(&path);
        assert_eq!(config, Config::default());
        let warning = warning.unwrap();
        assert!(
            warning.starts_with(&format!("{} (line 3): ", path.display())),
            "{warning}"
        );
        assert!(warning.ends_with("; using the defaults"), "{warning}");
        std::fs::write(&path, "colour = \"red\"\n").unwrap();
        assert!(
            Config::load(&path)
                .1
                .unwrap()
                .contains("(line 1): unknown field `colour`")
        );
    }
}
