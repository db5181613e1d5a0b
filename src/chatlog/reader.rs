//! Reading a log's lines in order into a meeting, once the corrections
//! are carried out (see the module above): commands, the scribe's lines,
//! others' remarks, bot lines and MeetBot's `#commands`.

use super::{BOTS, Imported, Options, Record, State, Summary, command_word, is_bot, nick_key};
use crate::model::{
    AgendaItem, Attendance, Instant, Meeting, Note, NoteKind, Visit, classify, fold, is_url,
};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// What a line added, for a `...` after it and MeetBot's `#undo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Added {
    Note(usize),
    Item(u32),
}

/// Reads the log's lines in order into a meeting.
pub(super) struct Reader {
    meeting: Meeting,
    summary: Summary,
    meetbot: bool,
    keep_chat: bool,
    title_given: bool,
    /// The log named the meeting (`Meeting:`, `#startmeeting title`).
    titled: bool,
    /// The name MeetBot announced, for a meeting the log names no other way.
    bot_title: Option<String>,
    /// Folded names and nicks to participant ids.
    people: HashMap<String, String>,
    /// Folded nicks of everyone who wrote in the channel (MeetBot's owners).
    nicks: HashSet<String>,
    scribes_now: HashSet<String>,
    scribe_names: Vec<String>,
    chairs: Vec<String>,
    current_item: Option<u32>,
    /// Per scribe nick: who their `...` lines continue.
    last_speaker: HashMap<String, Option<String>>,
    /// Per nick: what their last line added, for continuations.
    last_added: HashMap<String, Added>,
    meetbot_added: Vec<Added>,
    agenda_link: Option<(Instant, String)>,
    first_at: Option<Instant>,
    last_at: Option<Instant>,
    ended_at: Option<Instant>,
}

impl Reader {
    pub(super) fn new(options: &Options, meetbot: bool, summary: Summary) -> Self {
        let title = options
            .title
            .clone()
            .unwrap_or_else(|| options.fallback_title.clone());
        let mut meeting = Meeting::new(title, options.time_zone);
        meeting.report = options.report.clone();
        Reader {
            meeting,
            titled: false,
            bot_title: None,
            summary,
            meetbot,
            keep_chat: options.keep_chat,
            title_given: options.title.is_some(),
            people: HashMap::new(),
            nicks: HashSet::new(),
            scribes_now: HashSet::new(),
            scribe_names: Vec::new(),
            chairs: Vec::new(),
            current_item: None,
            last_speaker: HashMap::new(),
            last_added: HashMap::new(),
            meetbot_added: Vec::new(),
            agenda_link: None,
            first_at: None,
            last_at: None,
            ended_at: None,
        }
    }

    pub(super) fn meetbot_title(&mut self, title: &str) {
        self.bot_title = Some(title.to_string());
    }

    fn set_title(&mut self, title: &str) {
        if !self.title_given && !title.is_empty() {
            self.meeting.title = title.to_string();
            self.titled = true;
        }
    }

    /// `nick` or `nick = Full Name` or `nick/Full Name`, comma-separated.
    pub(super) fn add_scribes(&mut self, names: &str, reset: bool, at: Option<Instant>) {
        if reset {
            self.scribes_now.clear();
        }
        for one in names.split(',') {
            let (nick, real) = match one.split_once(['=', '/']) {
                Some((nick, real)) => (nick.trim(), Some(real.trim())),
                None => (one.trim(), None),
            };
            if nick.is_empty() {
                continue;
            }
            self.scribes_now.insert(nick_key(nick));
            let name = real.filter(|r| !r.is_empty()).unwrap_or(nick).to_string();
            if !self
                .scribe_names
                .iter()
                .any(|n| nick_key(n) == nick_key(&name))
            {
                // A scribe after the first takes over: the report names them.
                if let Some(from) = at.filter(|_| !self.scribe_names.is_empty()) {
                    self.meeting.scribes.push(crate::model::ScribeShift {
                        name: name.clone(),
                        from,
                    });
                }
                self.scribe_names.push(name);
            }
        }
    }

    fn is_scribe(&self, nick: &str) -> bool {
        self.scribes_now.contains(&nick_key(nick))
    }

    /// The participant called `name` (a nick or a name), added if new.
    fn person(&mut self, name: &str) -> String {
        let name = name.trim().trim_end_matches('_');
        let key = fold(name);
        if let Some(id) = self.people.get(&key) {
            return id.clone();
        }
        let (id, _) = self.meeting.find_or_add_participant(name);
        self.people.insert(key, id.clone());
        id
    }

    fn mark(&mut self, names: &str, mark: Option<Attendance>) {
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let id = self.person(name);
            if let Some(p) = self.meeting.participant_mut(&id) {
                p.attendance = mark;
            }
        }
    }

    fn touch(&mut self, at: Instant) {
        self.first_at.get_or_insert(at);
        self.last_at = Some(at);
    }

    fn topic(&mut self, title: &str, at: Instant) -> Option<Added> {
        let title = title.trim();
        if title.is_empty() {
            return None;
        }
        self.touch(at);
        let wanted = fold(title);
        let id = match self
            .meeting
            .agenda
            .iter()
            .find(|i| fold(&i.title) == wanted)
        {
            Some(item) => item.id,
            None => self.meeting.insert_agenda_item(usize::MAX, title, None),
        };
        self.enter(id, at);
        Some(Added::Item(id))
    }

    fn enter(&mut self, id: u32, at: Instant) {
        if self.current_item == Some(id) {
            return;
        }
        if let Some(item) = self.current_item.and_then(|c| self.meeting.item_mut(c)) {
            close_visit(item, at);
        }
        if let Some(item) = self.meeting.item_mut(id) {
            item.visits.push(Visit {
                entered: at,
                left: None,
            });
        }
        self.current_item = Some(id);
    }

    /// A note as the live editor would make it of the same text: its kind,
    /// owner and due date read from the words.
    fn note(&mut self, at: Instant, speaker: Option<String>, text: String) -> Added {
        self.touch(at);
        let classified = classify(&text);
        let owner = classified.owner.as_deref().and_then(|typed| {
            // A guessed owner must look like a name: one word, or a known one.
            let known = self.people.contains_key(&fold(typed.trim_end_matches('_')));
            (!classified.owner_by_convention || known || !typed.contains(' '))
                .then(|| self.person(typed))
        });
        let id = self.meeting.notes.len() as u64 + 1;
        let speakers = speaker.into_iter().collect();
        let mut note = Note::new(id, self.current_item, speakers, text, at);
        note.kind = classified.kind;
        note.owner = owner;
        note.due = classified.due;
        self.meeting.notes.push(note);
        Added::Note(self.meeting.notes.len() - 1)
    }

    pub(super) fn read(&mut self, record: &Record) {
        let at = record.at;
        match record.state {
            State::Done => return,
            State::Correction => {
                // Kept in sight, so `minutes check` can say it matched nothing.
                self.note(at, None, record.text.clone());
                return;
            }
            State::Line => {}
        }
        let text = record.text.trim();
        if text.is_empty() {
            return;
        }
        if !record.placed {
            self.summary.unplaced.push((record.line, text.to_string()));
            self.note(at, None, text.to_string());
            return;
        }
        let nick = record.nick.as_str();
        self.nicks.insert(nick_key(nick));
        if let Some(added) = self.command(nick, text, at) {
            if let Some(added) = added {
                self.last_added.insert(nick_key(nick), added);
            }
            return;
        }
        if is_bot(nick) {
            self.bot_line(nick, text, at);
            return;
        }
        if self.chatter(text) {
            self.summary.left_out += 1;
            return;
        }
        let added = if self.is_scribe(nick) {
            self.scribe_line(nick, text, at)
        } else {
            self.remark(nick, text, at)
        };
        if let Some(added) = added {
            self.last_added.insert(nick_key(nick), added);
        }
    }

    /// A command line's effect: `Some(what it added)` when it was one.
    fn command(&mut self, nick: &str, text: &str, at: Instant) -> Option<Option<Added>> {
        let (word, rest) = command_word(text)?;
        let added = match word.as_str() {
            "meeting:" => {
                self.set_title(rest);
                None
            }
            "date:" => None,
            "chair:" | "chairs:" => {
                self.chairs = split_names(rest);
                None
            }
            "chair+" | "chairs+" if rest.is_empty() => {
                self.chairs.push(nick.trim_end_matches('_').to_string());
                None
            }
            "chair+" | "chairs+" => {
                self.chairs.extend(split_names(rest));
                None
            }
            "chair-" | "chairs-" => {
                let gone: Vec<String> = split_names(rest).iter().map(|n| fold(n)).collect();
                self.chairs.retain(|c| !gone.contains(&fold(c)));
                None
            }
            "present:" => {
                for p in &mut self.meeting.participants {
                    if p.attendance == Some(Attendance::Present) {
                        p.attendance = None;
                    }
                }
                self.mark(rest, Some(Attendance::Present));
                None
            }
            "present+" if rest.is_empty() => {
                self.mark(nick, Some(Attendance::Present));
                None
            }
            "present+" => {
                self.mark(rest, Some(Attendance::Present));
                None
            }
            "present-" => {
                self.mark(rest, None);
                None
            }
            "regrets:" | "regret:" | "regrets+" | "regret+" if rest.is_empty() => {
                self.mark(nick, Some(Attendance::Regrets));
                None
            }
            "regrets:" | "regret:" | "regrets+" | "regret+" => {
                self.mark(rest, Some(Attendance::Regrets));
                None
            }
            "regrets-" | "regret-" => {
                self.mark(rest, None);
                None
            }
            "scribe:" | "scribenick:" => {
                self.add_scribes(rest, true, Some(at));
                None
            }
            "scribe+" | "scribenick+" if rest.is_empty() => {
                self.add_scribes(nick, false, Some(at));
                None
            }
            "scribe+" | "scribenick+" => {
                self.add_scribes(rest, false, Some(at));
                None
            }
            "scribe-" | "scribenick-" => {
                let gone = if rest.is_empty() { nick } else { rest };
                for n in gone.split(',') {
                    self.scribes_now.remove(&nick_key(n.trim()));
                }
                None
            }
            "agenda:" if is_url(rest) => {
                self.agenda_link = Some((at, rest.to_string()));
                None
            }
            "topic:" | "subtopic:" | "sub-topic:" => self.topic(rest, at),
            "scribeoptions:" => None,
            w if w.starts_with('#') => return self.meetbot_command(nick, w, rest, at),
            _ => return None,
        };
        Some(added)
    }

    fn meetbot_command(
        &mut self,
        nick: &str,
        word: &str,
        rest: &str,
        at: Instant,
    ) -> Option<Option<Added>> {
        let who = || Some(nick.trim_end_matches('_').to_string());
        let added = match word {
            "#startmeeting" => {
                self.set_title(rest);
                self.chairs.push(nick.trim_end_matches('_').to_string());
                self.touch(at);
                None
            }
            "#meetingname" | "#meetingtopic" => {
                self.set_title(rest);
                None
            }
            "#endmeeting" => {
                self.ended_at = Some(at);
                None
            }
            "#chair" => {
                self.chairs.extend(
                    rest.split([' ', ','])
                        .filter(|n| !n.is_empty())
                        .map(str::to_string),
                );
                None
            }
            "#unchair" => {
                let gone: Vec<String> = rest.split([' ', ',']).map(fold).collect();
                self.chairs.retain(|c| !gone.contains(&fold(c)));
                None
            }
            "#nick" => {
                for n in rest.split([' ', ',']).filter(|n| !n.is_empty()) {
                    self.person(n);
                }
                None
            }
            "#topic" => self.topic(rest, at),
            "#info" if !rest.is_empty() => {
                let speaker = who().map(|n| self.person(&n));
                Some(self.note(at, speaker, rest.to_string()))
            }
            "#idea" if !rest.is_empty() => {
                let speaker = who().map(|n| self.person(&n));
                Some(self.note(at, speaker, format!("IDEA: {rest}")))
            }
            "#link" if !rest.is_empty() => Some(self.note(at, None, rest.to_string())),
            "#action" if !rest.is_empty() => {
                let text = self.meetbot_action(rest);
                Some(self.note(at, None, text))
            }
            "#agreed" | "#agree" | "#accepted" | "#accept" if !rest.is_empty() => {
                Some(self.note(at, None, format!("RESOLUTION: {rest}")))
            }
            "#rejected" | "#reject" if !rest.is_empty() => {
                Some(self.note(at, None, format!("RESOLUTION: Rejected: {rest}")))
            }
            "#undo" => {
                self.undo();
                None
            }
            "#help" | "#save" | "#lurk" | "#unlurk" | "#commands" => None,
            _ => return None,
        };
        if let Some(added) = added {
            self.meetbot_added.push(added);
        }
        Some(added)
    }

    /// MeetBot names the owner as a nick anywhere in the text; the first
    /// word that is someone's nick becomes `@nick`.
    fn meetbot_action(&mut self, rest: &str) -> String {
        let text = format!("ACTION: {rest}");
        if classify(&text).owner.is_some() {
            return text;
        }
        let first = rest.split_whitespace().next().unwrap_or("");
        let first = first.trim_end_matches([',', ':']);
        let key = nick_key(first);
        if self.nicks.contains(&key) || self.people.contains_key(&key) {
            let after = rest[rest.find(first).unwrap_or(0) + first.len()..]
                .trim_start_matches([',', ':'])
                .trim_start();
            return format!("ACTION: @{first} {after}");
        }
        text
    }

    /// MeetBot's `#undo`: the last thing a `#command` added is taken back.
    fn undo(&mut self) {
        match self.meetbot_added.pop() {
            Some(Added::Note(index)) if index + 1 == self.meeting.notes.len() => {
                self.meeting.notes.pop();
            }
            Some(Added::Item(id)) => {
                let previous = self
                    .meeting
                    .notes
                    .iter()
                    .rev()
                    .find(|n| n.item != Some(id))
                    .and_then(|n| n.item);
                for note in &mut self.meeting.notes {
                    if note.item == Some(id) {
                        note.item = previous;
                    }
                }
                self.meeting.agenda.retain(|i| i.id != id);
                self.current_item = previous;
            }
            _ => {}
        }
    }

    /// Zakim's agenda and attendance and trackbot's action numbers; the
    /// rest of what bots say is left out.
    fn bot_line(&mut self, nick: &str, text: &str, at: Instant) {
        let bot = nick.to_ascii_lowercase();
        if bot == "zakim" {
            if let Some(rest) = text.strip_prefix("agendum ") {
                let title = rest.split_once(" -- ").map(|(_, t)| t).or_else(|| {
                    rest.split_once(". \"")
                        .map(|(_, t)| t.trim_end_matches("\" taken up"))
                });
                if let Some(title) = title {
                    let title = title.split(" -- taken up").next().unwrap_or(title);
                    if let Some(added) = self.topic(title.trim_end_matches('"'), at) {
                        self.last_added.insert(nick_key(nick), added);
                    }
                    return;
                }
            }
            for lead in ["the attendees were ", "the attendees have been "] {
                if let Some(at) = text.find(lead) {
                    let names = text[at + lead.len()..].replace("(no one)", "");
                    self.mark(names.trim_end_matches(','), Some(Attendance::Present));
                    return;
                }
            }
        }
        if bot == "trackbot"
            && let Some(due) = text.strip_prefix("Created ACTION-").and_then(due_in)
        {
            self.set_due_of_last_action(due);
            return;
        }
        self.summary.left_out += 1;
    }

    fn set_due_of_last_action(&mut self, due: NaiveDate) {
        if let Some(note) = self
            .meeting
            .notes
            .iter_mut()
            .rev()
            .find(|n| n.kind == NoteKind::Action)
            && note.due.is_none()
        {
            // In the words too, so an edit keeps it.
            note.text = format!("{} (due {due})", note.text.trim_end());
            note.due = Some(due);
        }
    }

    /// Lines for the bots and the queue: `zakim, …`, `q+`, `ack x`,
    /// `agenda+ …`, `rrsagent, make minutes`.
    fn chatter(&self, text: &str) -> bool {
        let lower = text.trim().to_ascii_lowercase();
        let starts = |p: &str| lower.starts_with(p);
        let addressed = BOTS.iter().any(|bot| {
            lower
                .strip_prefix(bot)
                .is_some_and(|r| r.starts_with(',') || r.starts_with(':'))
        });
        let queue = {
            let word = lower.split_whitespace().next().unwrap_or("");
            matches!(
                word,
                "q+" | "q-"
                    | "q?"
                    | "q="
                    | "+q"
                    | "-q"
                    | "queue+"
                    | "queue-"
                    | "queue?"
                    | "qq+"
                    | "vq?"
            ) || word.starts_with("q+") && word.len() <= 3
        };
        addressed
            || queue
            || starts("ack ")
            || lower == "ack"
            || starts("agenda+")
            || starts("agenda-")
            || starts("agenda?")
            || starts("agendum ")
            || starts("take up agendum")
            || starts("next agendum")
            || starts("close agendum")
    }

    /// A line the scribe typed: `Name: text`, `... more`, or their own words.
    fn scribe_line(&mut self, nick: &str, text: &str, at: Instant) -> Option<Added> {
        let key = nick_key(nick);
        if let Some(rest) = continuation(text) {
            // The speaker's next sentence, or more of the scribe's last action,
            // resolution or topic.
            if let Some(Some(speaker)) = self.last_speaker.get(&key).cloned() {
                if rest.is_empty() {
                    return None;
                }
                // Someone else's line came between: this starts a new turn.
                let same_turn = self.meeting.notes.last().is_some_and(|n| {
                    n.speakers == [speaker.as_str()] && n.item == self.current_item
                });
                let text = if same_turn {
                    format!("... {rest}")
                } else {
                    rest.to_string()
                };
                return Some(self.note(at, Some(speaker), text));
            }
            if self.continue_last(&key, rest) {
                return None;
            }
            return Some(self.note(at, None, text.to_string()));
        }
        // The scribe's own remark: `<mynick> my opinion`.
        if let Some(inner) = text.strip_prefix('<')
            && let Some((said_by, rest)) = inner.split_once('>')
            && nick_key(said_by) == key
        {
            let speaker = self.person(nick);
            return Some(self.note(at, Some(speaker), rest.trim().to_string()));
        }
        if let Some(rest) = text.strip_prefix('\\') {
            self.last_speaker.insert(key, None);
            return Some(self.note(at, None, rest.to_string()));
        }
        // `ACTION: Steven to …` names an owner, not a speaker.
        let kind = classify(text).kind;
        if let Some((name, rest)) = speaker_line(text).filter(|_| kind == NoteKind::Statement) {
            let speaker = self.person(name);
            self.last_speaker.insert(key, Some(speaker.clone()));
            if rest.is_empty() {
                return None;
            }
            return Some(self.note(at, Some(speaker), rest.to_string()));
        }
        let added = self.note(at, None, text.to_string());
        // An action or a resolution may go on with `...`; plain text ends a turn.
        self.last_speaker.insert(key, None);
        Some(added)
    }

    /// Someone other than the scribe: their own words, under their nick.
    fn remark(&mut self, nick: &str, text: &str, at: Instant) -> Option<Added> {
        if let Some(rest) = continuation(text)
            && self.continue_last(&nick_key(nick), rest)
        {
            return None;
        }
        if self.meetbot && !self.keep_chat {
            self.summary.chat_left_out += 1;
            return None;
        }
        let speaker = self.person(nick);
        Some(self.note(at, Some(speaker), text.to_string()))
    }

    /// `...` after an action, a resolution or a topic goes on with it.
    fn continue_last(&mut self, key: &str, rest: &str) -> bool {
        match self.last_added.get(key).copied() {
            Some(Added::Note(index)) => {
                let Some(note) = self.meeting.notes.get_mut(index) else {
                    return false;
                };
                if !matches!(note.kind, NoteKind::Action | NoteKind::Decision) {
                    return false;
                }
                note.text = format!("{} {rest}", note.text.trim_end());
                let classified = classify(&note.text);
                note.due = note.due.or(classified.due);
                true
            }
            Some(Added::Item(id)) => {
                if let Some(item) = self.meeting.item_mut(id) {
                    item.title = format!("{} {rest}", item.title);
                }
                true
            }
            None => false,
        }
    }

    pub(super) fn finish(mut self, plain: bool, timed: bool) -> Imported {
        if !self.titled
            && let Some(title) = self.bot_title.take()
        {
            self.set_title(&title);
        }
        let end = self.ended_at.or(self.last_at);
        if let Some(item) = self.current_item.and_then(|c| self.meeting.item_mut(c))
            && let Some(end) = end
        {
            close_visit(item, end);
        }
        if let Some((at, link)) = self.agenda_link.take() {
            // The agenda's address opens the minutes, before the first topic.
            let id = self.meeting.notes.len() as u64 + 1;
            let first = self.meeting.notes.iter().map(|n| n.started_at).min();
            let at = first.map_or(at, |f| f.min(at));
            let text = format!("Agenda: {link}");
            self.meeting
                .notes
                .insert(0, Note::new(id, None, Vec::new(), text, at));
        }
        // Without clock times the log gives a day, not a start and an end.
        if timed {
            self.meeting.started_at = self.first_at;
            self.meeting.ended_at = end;
        } else {
            self.meeting.scheduled_date =
                self.first_at.map(|f| self.meeting.in_zone(f).date_naive());
        }
        let mut chairs: Vec<String> = Vec::new();
        for chair in &self.chairs {
            if !chairs.iter().any(|c| nick_key(c) == nick_key(chair)) {
                chairs.push(chair.clone());
            }
        }
        self.meeting.chair = (!chairs.is_empty()).then(|| chairs.join(", "));
        // The first scribe took the notes; those after are hand-overs.
        self.meeting.note_taker = self.scribe_names.first().filter(|_| !plain).cloned();
        let s = &mut self.summary;
        s.items = self.meeting.agenda.len();
        s.notes = self.meeting.notes.len();
        s.actions = count(&self.meeting, NoteKind::Action);
        s.resolutions = count(&self.meeting, NoteKind::Decision);
        s.people = self.meeting.participants.len();
        s.scribes = if plain { Vec::new() } else { self.scribe_names };
        Imported {
            meeting: self.meeting,
            summary: self.summary,
        }
    }
}

fn count(meeting: &Meeting, kind: NoteKind) -> usize {
    meeting.notes.iter().filter(|n| n.kind == kind).count()
}

fn close_visit(item: &mut AgendaItem, at: Instant) {
    if let Some(visit) = item.visits.last_mut()
        && visit.left.is_none()
    {
        visit.left = Some(at.max(visit.entered));
    }
}

fn split_names(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// The text after `...` or `…` (two dots or more, as scribe.perl reads).
fn continuation(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let rest = if let Some(rest) = text.strip_prefix('…') {
        rest
    } else if text.starts_with("..") {
        text.trim_start_matches('.')
    } else {
        return None;
    };
    Some(rest.trim())
}

/// `Name: text` as scribe.perl reads a speaker: a name without spaces,
/// quotes or `>`, not a URL and not `PROPOSED:` or `ACTION-12:`.
pub(super) fn speaker_line(text: &str) -> Option<(&str, &str)> {
    let colon = text.find([':', '：'])?;
    let name = text[..colon].trim();
    let rest = text[colon..].trim_start_matches([':', '：']).trim();
    if name.is_empty()
        || name.starts_with("..")
        || name.contains([' ', '"', '>', '<', ';', '/', ',', '(', ')', '='])
        || !name.contains(char::is_alphabetic)
        || rest.starts_with("//")
    {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let special = [
        "proposed",
        "proposal",
        "github",
        "agenda",
        "action",
        "resolution",
        "resolved",
        "decision",
        "issue",
        "summary",
        "slideset",
        "slides",
        "recording",
        "repo",
        "repository",
        "namedanchorhere",
    ]
    .contains(&lower.as_str())
        || lower
            .strip_prefix("issue-")
            .or_else(|| lower.strip_prefix("action-"))
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
    (!special).then_some((name, rest))
}

/// trackbot's `1971 - Fix … [on Steven Pemberton - due 2014-04-16].`
fn due_in(text: &str) -> Option<NaiveDate> {
    let at = text.rfind("due ")?;
    let date = text.get(at + 4..at + 14)?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}
