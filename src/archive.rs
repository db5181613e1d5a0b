//! Past meetings in the data folder: listing them, searching their notes,
//! and the action items still open across them.

use crate::model::{Instant, Meeting, NoteKind, fold, report_text};
use crate::store::{self, FileError, MeetingFiles};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub struct Archived {
    pub path: PathBuf,
    pub meeting: Meeting,
}

impl Archived {
    /// When the meeting was (or is to be) held.
    pub fn when(&self) -> Option<Instant> {
        let m = &self.meeting;
        m.scheduled_start.or(m.started_at).or_else(|| {
            // A planned day alone: its start, for sorting and its date.
            let day = m.scheduled_date?.and_time(chrono::NaiveTime::MIN);
            let at = chrono::TimeZone::from_local_datetime(&m.time_zone, &day).earliest()?;
            Some(at.fixed_offset())
        })
    }
}

impl Archived {
    /// The date and time `list` and `search` show: "2024-09-26 14:00",
    /// or the day alone for a meeting planned for a day with no time (never
    /// a made-up "00:00"), padded to the same width.
    pub fn when_label(&self) -> String {
        let m = &self.meeting;
        match (m.scheduled_start.or(m.started_at), self.when()) {
            (Some(at), _) => m.in_zone(at).format("%Y-%m-%d %H:%M").to_string(),
            (None, Some(day)) => format!("{:<16}", m.in_zone(day).format("%Y-%m-%d")),
            (None, None) => "not held yet    ".to_string(),
        }
    }
}

/// What reading the data folder found.
pub struct Scan {
    /// The meetings read, newest first.
    pub meetings: Vec<Archived>,
    /// One message per meeting file that could not be read.
    pub problems: Vec<String>,
    /// How many meeting files there were.
    pub files: usize,
}

/// Every meeting file in `dir`, with its journal replayed.
pub fn scan(dir: &Path) -> Scan {
    scan_where(dir, None)
}

/// Like [`scan`], but only the meetings whose files could hold every word
/// of `query` are parsed: a file that, folded, lacks a word cannot hold a
/// note with it, in its text or its speakers' names. (JSON escapes only quotes, backslashes and control
/// characters, so words with none of those are found as typed.)
pub fn scan_for_words(dir: &Path, query: &str) -> Scan {
    let words = crate::model::search_words(query);
    if words.iter().any(|w| w.contains(['"', '\\'])) {
        return scan(dir);
    }
    let could_hold = |files: &MeetingFiles| {
        let folded = [&files.snapshot, &files.journal].map(|bytes| {
            // Checking UTF-8 whole is much faster than the lossy reading,
            // which is for files with bad bytes only.
            match std::str::from_utf8(bytes) {
                Ok(text) => fold(text),
                Err(_) => fold(&String::from_utf8_lossy(bytes)),
            }
        });
        words
            .iter()
            .all(|w| folded.iter().any(|text| text.contains(w.as_str())))
    };
    scan_where(dir, Some(&could_hold))
}

type Filter<'a> = &'a (dyn Fn(&MeetingFiles) -> bool + Sync);

fn scan_where(dir: &Path, wanted: Option<Filter>) -> Scan {
    let paths = match store::meeting_files(dir) {
        Ok(paths) => paths,
        Err(e) => {
            return Scan {
                meetings: Vec::new(),
                problems: vec![format!("{}: {e}", dir.display())],
                files: 0,
            };
        }
    };
    // Each file is read once: filtered on its bytes, then parsed from them.
    let load = |path: &PathBuf| -> Option<Result<Meeting, FileError>> {
        let files = match store::read_files(path) {
            Ok(files) => files,
            Err(e) => return Some(Err(e)),
        };
        if wanted.is_some_and(|wanted| !wanted(&files)) {
            return None;
        }
        Some(store::parse_files(path, &files).map(|(meeting, _)| meeting))
    };
    // Both cores: reading and parsing are most of the work.
    let halves: Vec<&[PathBuf]> = paths.chunks(paths.len().div_ceil(2).max(1)).collect();
    let loaded: Vec<(PathBuf, Result<Meeting, FileError>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = halves
            .into_iter()
            .map(|half| {
                let load = &load;
                scope.spawn(move || {
                    half.iter()
                        .filter_map(|p| load(p).map(|loaded| (p.clone(), loaded)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let mut meetings = Vec::new();
    let mut problems = Vec::new();
    for (path, result) in loaded {
        match result {
            Ok(meeting) => meetings.push(Archived { path, meeting }),
            // Worded here: `Scan` is what the commands show.
            Err(e) => problems.push(e.to_string()),
        }
    }
    meetings.sort_by(|a, b| b.when().cmp(&a.when()).then_with(|| b.path.cmp(&a.path)));
    Scan {
        meetings,
        problems,
        files: paths.len(),
    }
}

pub struct Hit<'a> {
    pub archived: &'a Archived,
    pub item: Option<(usize, &'a str)>,
    pub speakers: Vec<&'a str>,
    pub at: Instant,
    pub text: &'a str,
    /// Taken off the record: shown marked, never as part of the minutes.
    pub off_record: bool,
}

/// Notes with every word of `query` in their text or speakers' names,
/// ignoring case and accents.
pub fn search<'a>(meetings: &'a [Archived], query: &str) -> Vec<Hit<'a>> {
    let words = crate::model::search_words(query);
    if words.is_empty() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for archived in meetings {
        let m = &archived.meeting;
        for note in &m.notes {
            if m.note_has_words(note, &words) {
                hits.push(Hit {
                    archived,
                    item: note
                        .item
                        .and_then(|id| Some((m.item_number(id)?, m.item(id)?.title.as_str()))),
                    speakers: note.speakers.iter().map(|id| m.short_name(id)).collect(),
                    at: note.started_at,
                    text: &note.text,
                    off_record: note.off_record,
                });
            }
        }
    }
    hits
}

pub struct OpenAction<'a> {
    pub archived: &'a Archived,
    pub owner: Option<&'a str>,
    pub text: String,
    pub due: Option<chrono::NaiveDate>,
    /// The GitHub issue it was opened as (`publish --actions-as-issues`),
    /// in this meeting or one it was carried from.
    pub issue: Option<String>,
}

/// Action items not marked done, by owner. An action carried from one
/// meeting to the next counts once, as it stands in the newest meeting.
pub fn open_actions(meetings: &[Archived]) -> Vec<(String, Vec<OpenAction<'_>>)> {
    // Newest first, so the first sighting of an action is its latest state.
    let mut seen: HashMap<(String, Option<String>, String), bool> = HashMap::new();
    let mut by_owner: Vec<(String, Vec<OpenAction>)> = Vec::new();
    // An issue opened for an action in any meeting links every sighting.
    let mut issues: HashMap<(String, Option<String>, String), String> = HashMap::new();
    for m in meetings.iter().map(|a| &a.meeting) {
        for issue in &m.action_issues {
            if let Some(note) = m.notes.iter().find(|n| n.id == issue.note) {
                let key = (
                    fold(&m.title),
                    note.owner.clone(),
                    fold(&report_text(&note.text)),
                );
                issues.entry(key).or_insert_with(|| issue.url.clone());
            }
        }
    }
    for archived in meetings {
        let m = &archived.meeting;
        // An action taken off the record is no one's to do on the record.
        let actions = m.notes.iter().filter(|n| n.kind == NoteKind::Action);
        for note in actions.filter(|n| !n.off_record) {
            let text = report_text(&note.text);
            let key = (fold(&m.title), note.owner.clone(), fold(&text));
            let issue = m
                .action_issues
                .iter()
                .find(|i| i.note == note.id)
                .map(|i| i.url.clone())
                .or_else(|| issues.get(&key).cloned());
            if seen.insert(key, note.done).is_some() || note.done {
                continue;
            }
            let owner = note
                .owner
                .as_deref()
                .map(|id| m.participant(id).map_or(id, |p| p.name.as_str()));
            let name = owner.unwrap_or("(no owner)").to_string();
            let action = OpenAction {
                archived,
                owner,
                text: text.into_owned(),
                due: note.due,
                issue,
            };
            match by_owner.iter_mut().find(|(o, _)| *o == name) {
                Some((_, list)) => list.push(action),
                None => by_owner.push((name, vec![action])),
            }
        }
    }
    by_owner.sort_by(|a, b| a.0.cmp(&b.0));
    by_owner
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Note, NoteKind};

    fn meeting(title: &str, day: u32, notes: &[(&str, NoteKind, bool)]) -> Meeting {
        let mut m = Meeting::new(title, chrono_tz::Tz::UTC);
        m.add_participant("Titti Cassa");
        let at: Instant = format!("2024-09-{day:02}T14:00:00Z").parse().unwrap();
        m.scheduled_start = Some(at);
        for (i, (text, kind, done)) in notes.iter().enumerate() {
            m.notes.push(Note {
                id: i as u64 + 1,
                item: None,
                speakers: vec!["titti-cassa".into()],
                text: text.to_string(),
                kind: *kind,
                owner: (*kind == NoteKind::Action).then(|| "titti-cassa".to_string()),
                due: None,
                started_at: at,
                committed_at: at,
                edited_at: None,
                done: *done,
                off_record: false,
                transcript: None,
            });
        }
        m
    }

    fn save_all(dir: &Path, meetings: &[(&str, Meeting)]) {
        for (name, m) in meetings {
            crate::store::save(&dir.join(name), m).unwrap();
        }
    }

    #[test]
    fn scan_search_and_open_actions() {
        let dir = tempfile::tempdir().unwrap();
        save_all(
            dir.path(),
            &[
                (
                    "a.json",
                    meeting(
                        "WG",
                        12,
                        &[
                            ("Désirée raised the budget", NoteKind::Statement, false),
                            ("ACTION: send letter", NoteKind::Action, false),
                            ("ACTION: book room", NoteKind::Action, false),
                        ],
                    ),
                ),
                (
                    "b.json",
                    meeting(
                        "WG",
                        26,
                        &[
                            ("ACTION: send letter", NoteKind::Action, true),
                            ("ACTION: book room", NoteKind::Action, false),
                            ("budget again", NoteKind::Statement, false),
                        ],
                    ),
                ),
            ],
        );
        std::fs::write(dir.path().join("broken.json"), "{").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a meeting").unwrap();
        let Scan {
            meetings,
            problems,
            files,
        } = scan(dir.path());
        assert_eq!((meetings.len(), files), (2, 3));
        assert!(meetings[0].path.ends_with("b.json"), "newest first");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("broken.json"));
        let only_a = scan_for_words(dir.path(), "DÉSIRÉE");
        assert_eq!(
            only_a.meetings.len(),
            1,
            "b.json cannot hold the word and is not parsed"
        );
        assert!(only_a.meetings[0].path.ends_with("a.json"));

        let hits = search(&meetings, "DESIREE budget");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].speakers, vec!["Titti"]);
        assert_eq!(search(&meetings, "budget").len(), 2);

        let open = open_actions(&meetings);
        assert_eq!(open.len(), 1);
        let (owner, actions) = &open[0];
        assert_eq!(owner, "Titti Cassa");
        let texts: Vec<&str> = actions.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(
            texts,
            ["book room"],
            "done in the newest meeting, and carried ones once"
        );
    }
}
