//! Reading a log's lines in order into a meeting, once the corrections
//! are carried out (see the module above): commands, the scribe's lines,
//! others' remarks, bot lines and MeetBot's `#commands`.

use super::{Imported, Options, Record, State, Summary, is_bot};
use crate::model::grammar::{self, Field, Line, Verb, nick_key};
use crate::model::{
    AgendaItem, Attendance, Instant, Meeting, Note, NoteKind, Visit, classify, fold, is_url,
    strip_kind_prefix,
};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// Bounds on what a log can make, so that no log makes the linear roster
/// and agenda lookups quadratic.
const MAX_PEOPLE: usize = 1000;
const MAX_ITEMS: usize = 1000;
const MAX_LIST: usize = 200;
const OTHERS: &str = "Others";

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
    /// Folded agenda titles to their items.
    topics: HashMap<String, u32>,
    too_many_items: bool,
    /// The participant who stands for everyone past `MAX_PEOPLE`.
    others: Option<String>,
    /// Nick keys to the name they stand for.
    aliases: HashMap<String, String>,
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
    /// Zakim's last line was its attendee list, which may wrap.
    attendees_open: bool,
    /// Nicks (as written) of everyone who wrote a line, bots aside, in order.
    writers: Vec<String>,
    /// Nicks that act as bots though no list names them (MeetBot's own).
    extra_bots: HashSet<String>,
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
            aliases: HashMap::new(),
            topics: HashMap::new(),
            too_many_items: false,
            others: None,
            nicks: HashSet::new(),
            scribes_now: HashSet::new(),
            scribe_names: Vec::new(),
            chairs: Vec::new(),
            current_item: None,
            last_speaker: HashMap::new(),
            last_added: HashMap::new(),
            meetbot_added: Vec::new(),
            agenda_link: None,
            attendees_open: false,
            writers: Vec::new(),
            extra_bots: HashSet::new(),
            first_at: None,
            last_at: None,
            ended_at: None,
        }
    }

    /// Nicks seen acting as a bot (announcing a MeetBot meeting).
    pub(super) fn add_bots(&mut self, nicks: &[String]) {
        self.extra_bots.extend(nicks.iter().map(|n| nick_key(n)));
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
            if self.scribe_names.len() < MAX_LIST
                && !self
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

    /// The participant called `name` (a nick or a name, `dka_air` and
    /// `dka` alike, a renamed nick as its first name), added if new.
    fn person(&mut self, name: &str) -> String {
        let mut key = nick_key(name);
        let mut shown = grammar::bare_nick(name).to_string();
        for _ in 0..8 {
            match self.aliases.get(&key) {
                Some(to) if nick_key(to) != key => {
                    key = nick_key(to);
                    shown = grammar::bare_nick(to).to_string();
                }
                _ => break,
            }
        }
        if let Some(id) = self.people.get(&key) {
            return id.clone();
        }
        // The roster's own lookups are linear: a log naming thousands of
        // people would take quadratic time. Past the limit, one stands
        // for the rest.
        let id = if self.meeting.participants.len() < MAX_PEOPLE {
            self.meeting.find_or_add_participant(&shown).0
        } else {
            if self.others.is_none() {
                self.summary.warnings.push(format!(
                    "The log names more than {MAX_PEOPLE} people: the rest are one participant, \"{OTHERS}\""
                ));
                self.others = Some(self.meeting.add_participant(OTHERS));
            }
            self.others.clone().unwrap_or_default()
        };
        self.people.insert(key, id.clone());
        id
    }

    /// `nick` and `name` are one person from now on (`present+ dka/Dan`,
    /// `zakim, dka is Dan`, `dka is now known as Dan`).
    pub(super) fn alias(&mut self, nick: &str, name: &str) {
        let (from, to) = (nick_key(nick), nick_key(name));
        if from == to || from.is_empty() || to.is_empty() {
            return;
        }
        // Whoever was known first keeps the id.
        if let Some(id) = self.people.get(&from).cloned()
            && !self.people.contains_key(&to)
        {
            self.people.insert(to, id);
        }
        self.aliases.insert(from, name.trim().to_string());
    }

    /// The speaker a scribe names: `Alex:` is the one present person
    /// whose name starts with Alex (`Alex_Russell`) when there is one.
    fn speaker(&mut self, name: &str) -> String {
        let key = nick_key(name);
        if !self.people.contains_key(&key) && !self.aliases.contains_key(&key) {
            let prefix = format!("{key} ");
            let mut found = self.people.iter().filter(|(k, _)| k.starts_with(&prefix));
            if let (Some((_, id)), None) = (found.next(), found.next()) {
                return id.clone();
            }
        }
        self.person(name)
    }

    fn mark(&mut self, names: &str, mark: Option<Attendance>) {
        for name in grammar::names(names, false) {
            if let Some(nick) = name.nick {
                self.alias(nick, name.name);
            }
            let id = self.person(name.name);
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
        let id = match self.topics.get(&wanted) {
            Some(&id) if self.meeting.item_mut(id).is_some() => id,
            _ if self.meeting.agenda.len() >= MAX_ITEMS => {
                // Kept, as a note: nothing is lost.
                if !self.too_many_items {
                    self.too_many_items = true;
                    self.summary.warnings.push(format!(
                        "The log has more than {MAX_ITEMS} topics: the rest are notes"
                    ));
                }
                return Some(self.note(at, None, format!("Topic: {title}")));
            }
            _ => {
                let id = self.meeting.insert_agenda_item(usize::MAX, title, None);
                self.topics.insert(wanted, id);
                id
            }
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
        // `action item: laudrain launches …` is an action, not one for "item".
        let text = match text
            .get(..12)
            .filter(|head| head.eq_ignore_ascii_case("action item:"))
        {
            Some(_) => format!("ACTION:{}", &text[12..]),
            None => text,
        };
        let classified = classify(&text);
        let mut owner = classified.owner.as_deref().and_then(|typed| {
            // A guessed owner must look like a name: one word, or a known one.
            let known = self.people.contains_key(&nick_key(typed));
            (!classified.owner_by_convention || known || !typed.contains(' '))
                .then(|| self.person(typed))
        });
        if classified.kind == NoteKind::Action && owner.is_none() {
            // `ACTION: Domenic and Sergey to re-phrase …`: each is someone;
            // the first owns it (a note has one owner).
            let owners = several_owners(strip_kind_prefix(&text));
            for (i, name) in owners.iter().enumerate() {
                let id = self.person(name);
                if i == 0 {
                    owner = Some(id);
                }
            }
        }
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
            // The first few are shown; a log of junk keeps no second copy.
            self.summary.unplaced_count += 1;
            if self.summary.unplaced.len() < 20 {
                self.summary.unplaced.push((record.line, text.to_string()));
            }
            self.note(at, None, text.to_string());
            return;
        }
        let nick = &*record.nick;
        let bot = is_bot(nick) || self.extra_bots.contains(&nick_key(nick));
        if self.nicks.insert(nick_key(nick)) && !bot {
            self.writers.push(nick.to_string());
        }
        let line = grammar::read(text);
        if let Line::Command {
            field,
            verb,
            word,
            rest,
        } = line
        {
            let added = self.command(nick, field, verb, word, rest, at);
            if let Some(added) = added {
                self.last_added.insert(nick_key(nick), added);
                if word.starts_with('#') {
                    self.meetbot_added.push(added);
                }
            }
            return;
        }
        if bot {
            self.bot_line(nick, text, at);
            return;
        }
        if line == Line::ForBots {
            // `zakim, dka is Dan_Appelquist`: one person.
            let lower = text.to_ascii_lowercase();
            if let Some(rest) = lower.strip_prefix("zakim,")
                && let Some((a, b)) = rest.split_once(" is ")
                && !a.trim().is_empty()
                && !b.trim().contains(' ')
                && !b.trim().is_empty()
            {
                let start = text.len() - rest.len();
                let (a, b) = text[start..].split_at(a.len());
                self.alias(a.trim(), b[" is ".len()..].trim());
            }
            self.summary.left_out += 1;
            return;
        }
        let added = if self.is_scribe(nick) {
            self.scribe_line(nick, line, text, at)
        } else {
            self.remark(nick, line, text, at)
        };
        if let Some(added) = added {
            self.last_added.insert(nick_key(nick), added);
        }
    }

    /// Carries out a command of the grammar (model/grammar.rs): what it
    /// added, for a `...` after it and MeetBot's `#undo`.
    fn command(
        &mut self,
        nick: &str,
        field: Field,
        verb: Verb,
        word: &str,
        rest: &str,
        at: Instant,
    ) -> Option<Added> {
        let meetbot = word.starts_with('#');
        // `present+`, `scribe+`, `chair+` alone: the writer.
        let rest = if rest.is_empty() && verb != Verb::Set && !meetbot {
            grammar::bare_nick(nick)
        } else {
            rest
        };
        match field {
            Field::Title => {
                if word == "#startmeeting" {
                    if self.chairs.len() < MAX_LIST {
                        self.chairs.push(grammar::bare_nick(nick).to_string());
                    }
                    self.touch(at);
                }
                self.set_title(rest);
                None
            }
            Field::Date | Field::Nothing => None,
            Field::Agenda => {
                if is_url(rest) {
                    self.agenda_link = Some((at, rest.to_string()));
                }
                None
            }
            Field::Chair => {
                let names: Vec<String> = grammar::names(rest, meetbot)
                    .iter()
                    .map(|n| n.name.to_string())
                    .collect();
                match verb {
                    Verb::Set | Verb::Add => {
                        if verb == Verb::Set {
                            self.chairs.clear();
                        }
                        self.chairs.extend(names);
                        let mut seen = HashSet::new();
                        self.chairs.retain(|c| seen.insert(nick_key(c)));
                        self.chairs.truncate(MAX_LIST);
                    }
                    Verb::Remove => {
                        let gone: Vec<String> = names.iter().map(|n| nick_key(n)).collect();
                        self.chairs.retain(|c| !gone.contains(&nick_key(c)));
                    }
                }
                None
            }
            Field::Scribe => {
                match verb {
                    Verb::Set => self.add_scribes(rest, true, Some(at)),
                    Verb::Add => self.add_scribes(rest, false, Some(at)),
                    Verb::Remove => {
                        for n in rest.split(',') {
                            self.scribes_now.remove(&nick_key(n.trim()));
                        }
                    }
                }
                None
            }
            Field::Present | Field::Regrets => {
                let mark = if field == Field::Present {
                    Attendance::Present
                } else {
                    Attendance::Regrets
                };
                if verb == Verb::Set {
                    for p in &mut self.meeting.participants {
                        if p.attendance == Some(mark) {
                            p.attendance = None;
                        }
                    }
                }
                let mark = (verb != Verb::Remove).then_some(mark);
                self.mark(rest, mark);
                None
            }
            Field::Topic => self.topic(rest, at),
            Field::End => {
                self.ended_at = Some(at);
                None
            }
            Field::Undo => {
                self.undo();
                None
            }
            Field::Person => {
                for n in grammar::names(rest, true) {
                    self.person(n.name);
                }
                None
            }
            // An empty `#info` or `#link` says nothing.
            Field::Note(_) if rest.is_empty() => None,
            Field::Note(kind) => {
                let who = self.person(nick);
                let text = grammar::meetbot_note(word, kind, rest);
                let (speaker, text) = match (word, kind) {
                    ("#idea", _) | (_, NoteKind::Statement) => (Some(who), text),
                    (_, NoteKind::Action) => (None, self.meetbot_action(rest)),
                    _ => (None, text),
                };
                let added = self.note(at, speaker, text);
                if kind == NoteKind::Link
                    && let Added::Note(index) = added
                    && let Some(note) = self.meeting.notes.get_mut(index)
                {
                    note.kind = NoteKind::Link;
                }
                Some(added)
            }
        }
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
                    self.attendees_open = true;
                    return;
                }
            }
            // Zakim wraps a long list onto `... Kathy_Wahlbin, …` lines.
            if self.attendees_open
                && let Some(rest) = grammar::continuation(text)
            {
                self.mark(rest.trim_end_matches(','), Some(Attendance::Present));
                return;
            }
        }
        self.attendees_open = false;
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

    /// A line the scribe typed: `Name: text`, `... more`, or their own words.
    fn scribe_line(
        &mut self,
        nick: &str,
        line: Line<'_>,
        text: &str,
        at: Instant,
    ) -> Option<Added> {
        let key = nick_key(nick);
        match line {
            Line::Continuation(rest) => {
                // The speaker's next sentence, or more of the scribe's last
                // action, resolution or topic.
                if let Some(Some(speaker)) = self.last_speaker.get(&key).cloned() {
                    if rest.is_empty() {
                        return None;
                    }
                    // The same turn goes on, on a line of its own (as
                    // scribe.perl keeps it); after someone else's line, a
                    // new turn starts.
                    let current = self.current_item;
                    if let Some(last) = self.meeting.notes.last_mut()
                        && last.speakers == [speaker.as_str()]
                        && last.item == current
                        && last.kind == NoteKind::Statement
                    {
                        last.text.push('\n');
                        last.text.push_str(rest);
                        return Some(Added::Note(self.meeting.notes.len() - 1));
                    }
                    return Some(self.note(at, Some(speaker), rest.to_string()));
                }
                if self.continue_last(&key, rest) {
                    return None;
                }
                Some(self.note(at, None, text.to_string()))
            }
            Line::Plain(rest) => {
                self.last_speaker.insert(key, None);
                Some(self.note(at, None, rest.to_string()))
            }
            // `ACTION: Steven to …` names an owner, not a speaker.
            Line::Speaker { name, text: rest } if classify(text).kind == NoteKind::Statement => {
                let speaker = self.speaker(name);
                self.last_speaker.insert(key, Some(speaker.clone()));
                if rest.is_empty() {
                    return None;
                }
                Some(self.note(at, Some(speaker), rest.to_string()))
            }
            _ => {
                // The scribe's own remark: `<mynick> my opinion`.
                if let Some(inner) = text.strip_prefix('<')
                    && let Some((said_by, rest)) = inner.split_once('>')
                    && nick_key(said_by) == key
                {
                    let speaker = self.person(nick);
                    return Some(self.note(at, Some(speaker), rest.trim().to_string()));
                }
                let added = self.note(at, None, text.to_string());
                // An action or a resolution may go on with `...`; plain text
                // ends a turn.
                self.last_speaker.insert(key, None);
                Some(added)
            }
        }
    }

    /// Someone other than the scribe: their own words, under their nick.
    /// A `Name:` at the start addresses Name; it does not make them the
    /// speaker.
    fn remark(&mut self, nick: &str, line: Line<'_>, text: &str, at: Instant) -> Option<Added> {
        if let Line::Continuation(rest) = line
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
        // MeetBot's minutes list everyone who spoke as present.
        if self.meetbot {
            for nick in std::mem::take(&mut self.writers) {
                let id = self.person(&nick);
                if let Some(p) = self.meeting.participant_mut(&id)
                    && p.attendance.is_none()
                {
                    p.attendance = Some(Attendance::Present);
                }
            }
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

/// `Domenic and Sergey to …`, `ana, bo & cy: …`: the names before ` to `
/// or `:`, when each is one word.
fn several_owners(body: &str) -> Vec<&str> {
    let Some((who, _)) = body.split_once(" to ").or_else(|| body.split_once(':')) else {
        return Vec::new();
    };
    let names: Vec<&str> = who
        .split([',', '&'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    if names.len() < 2 || names.iter().any(|n| n.contains(char::is_whitespace)) {
        return Vec::new();
    }
    names
}

/// trackbot's `1971 - Fix … [on Steven Pemberton - due 2014-04-16].`
fn due_in(text: &str) -> Option<NaiveDate> {
    let at = text.rfind("due ")?;
    let date = text.get(at + 4..at + 14)?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}
