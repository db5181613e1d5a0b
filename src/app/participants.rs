//! What participants do from their live page (src/page/), and the straw
//! polls they vote in: raising a hand in the queue with TCQ's kinds,
//! withdrawing it, voting. The edge hands each request over as an
//! [`PageAction`]; here it is checked and carried out like a scribe's
//! command, its changes returned as effects.
//!
//! Polls are opened and closed by the scribe with MeetBot's commands
//! (`#startvote Question? Yes, No, Abstain`, `#endvote`) or TCQ's
//! temperature check (`#temperature Question`); a closed poll's result
//! becomes a note ("Vote: Question? Yes 12, No 3").

use super::{App, Effect};
use crate::model::{Note, Poll, PollVote, QueueKind};
use std::collections::HashMap;

/// The longest name a participant may give, in characters.
const MAX_NAME_CHARS: usize = 60;
/// The longest topic of a raised hand, in characters.
const MAX_TOPIC_CHARS: usize = 200;
/// The most options a poll may have, and the longest each may be.
const MAX_OPTIONS: usize = 12;
const MAX_OPTION_CHARS: usize = 80;
/// The longest question, in characters.
const MAX_QUESTION_CHARS: usize = 300;
/// The most votes a poll takes (one per page): bounds the meeting file.
const MAX_VOTES: usize = 2000;
/// The most people pages may add to the roster, and the longest queue
/// they may join: a page run by a script cannot grow the meeting
/// without limit.
const MAX_NEWCOMERS: usize = 300;
const MAX_QUEUE: usize = 100;
/// TCQ's temperature check, from warmest to coldest.
const TEMPERATURE: [&str; 6] = [
    "Strongly positive",
    "Positive",
    "Following",
    "Confused",
    "Indifferent",
    "Unconvinced",
];

/// A participant's page, as the app knows it: the random token its
/// browser made (never shown to anyone else).
pub type Token = String;

/// What a participants' page asks (or the page server tells).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageAction {
    /// This many pages are connected now.
    Connected(usize),
    /// `q+` from a page: `name` raises a hand of this kind.
    Queue {
        token: Token,
        name: String,
        kind: QueueKind,
        topic: Option<String>,
    },
    /// The page takes back the hands it raised that are still queued.
    Withdraw { token: Token },
    /// A vote (or a changed one) in the open poll.
    Vote {
        token: Token,
        name: String,
        choice: usize,
    },
}

/// What the app keeps about the pages (not saved: a page that reconnects
/// after a restart can no longer withdraw the hand it raised before).
#[derive(Debug, Default)]
pub struct Pages {
    /// Pages connected, when the meeting has a participants' page.
    pub connected: Option<usize>,
    /// The participants' link, as the setup (F2) shows it.
    pub link: Option<String>,
    /// The hands each page raised: (participant id, kind).
    hands: HashMap<Token, Vec<(String, QueueKind)>>,
    /// People the pages added to the roster.
    newcomers: usize,
}

/// A poll command typed as a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollCommand {
    Start {
        question: String,
        options: Vec<String>,
    },
    End,
}

/// `#startvote Question? A, B, C` (MeetBot; Yes, No, Abstain when no
/// options follow the question mark), `#temperature Question` (TCQ's six
/// choices), `#endvote`.
pub fn parse(text: &str) -> Option<PollCommand> {
    let text = text.trim();
    if text.contains('\n') {
        return None;
    }
    let (word, rest) = text.split_once(' ').unwrap_or((text, ""));
    let rest = rest.trim();
    if word.eq_ignore_ascii_case("#endvote") {
        return rest.is_empty().then_some(PollCommand::End);
    }
    if word.eq_ignore_ascii_case("#temperature") {
        let question = if rest.is_empty() {
            "Temperature check"
        } else {
            rest
        };
        return Some(PollCommand::Start {
            question: cut(question, MAX_QUESTION_CHARS),
            options: TEMPERATURE.iter().map(|o| (*o).to_string()).collect(),
        });
    }
    if !word.eq_ignore_ascii_case("#startvote") || rest.is_empty() {
        return None;
    }
    let (question, options) = match rest.rfind('?') {
        Some(at) => (&rest[..=at], rest[at + 1..].trim()),
        None => (rest, ""),
    };
    let mut options: Vec<String> = options
        .split(',')
        .map(|o| cut(o.trim(), MAX_OPTION_CHARS))
        .filter(|o| !o.is_empty())
        .collect();
    options.dedup();
    options.truncate(MAX_OPTIONS);
    if options.len() < 2 {
        options = ["Yes", "No", "Abstain"].map(String::from).to_vec();
    }
    Some(PollCommand::Start {
        question: cut(question.trim(), MAX_QUESTION_CHARS),
        options,
    })
}

/// A name or topic from a page: control characters (newlines, escapes,
/// bidirectional overrides) taken out, spaces folded, cut to `max`
/// characters.
pub fn clean(text: &str, max: usize) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    cut(&words.join(" "), max)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The first `max` characters of `text`.
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

impl App {
    pub(super) fn page_action(&mut self, action: PageAction) -> Vec<Effect> {
        match action {
            PageAction::Connected(count) => {
                self.pages.connected = Some(count);
                vec![]
            }
            PageAction::Queue {
                token,
                name,
                kind,
                topic,
            } => self.page_queue(token, &name, kind, topic),
            PageAction::Withdraw { token } => self.page_withdraw(&token),
            PageAction::Vote {
                token,
                name,
                choice,
            } => self.page_vote(token, &name, choice),
        }
    }

    fn page_queue(
        &mut self,
        token: Token,
        name: &str,
        kind: QueueKind,
        topic: Option<String>,
    ) -> Vec<Effect> {
        let name = clean(name, MAX_NAME_CHARS);
        let topic = topic
            .map(|t| clean(&t, MAX_TOPIC_CHARS))
            .filter(|t| !t.is_empty());
        if name.is_empty() || self.read_only || self.meeting.queue.len() >= MAX_QUEUE {
            return vec![];
        }
        let newcomer = self.meeting.find_participant_by_name(&name).is_none();
        if newcomer && self.pages.newcomers >= MAX_NEWCOMERS {
            return vec![];
        }
        let add = super::queue::QueueCommand::Add {
            name: name.clone(),
            kind,
            topic,
        };
        let Some(effects) = self.queue_command(add, false) else {
            return vec![];
        };
        self.pages.newcomers += usize::from(newcomer);
        if let Some(person) = self.meeting.find_participant_by_name(&name) {
            let hands = self.pages.hands.entry(token).or_default();
            let hand = (person.id.clone(), kind);
            if !hands.contains(&hand) {
                hands.push(hand);
            }
        }
        effects
    }

    /// Only the hands this page raised, and only while still queued.
    fn page_withdraw(&mut self, token: &str) -> Vec<Effect> {
        let Some(hands) = self.pages.hands.remove(token) else {
            return vec![];
        };
        let before = self.meeting.queue.len();
        self.meeting.queue.retain(|e| {
            !hands
                .iter()
                .any(|(id, kind)| *id == e.id && *kind == e.kind)
        });
        if self.meeting.queue.len() == before {
            return vec![];
        }
        self.info("A participant withdrew from the queue");
        vec![self.meta_change()]
    }

    fn page_vote(&mut self, token: Token, name: &str, choice: usize) -> Vec<Effect> {
        let name = clean(name, MAX_NAME_CHARS);
        let Some(poll) = self.meeting.poll.as_mut() else {
            return vec![];
        };
        if name.is_empty() || choice >= poll.options.len() || poll.off_record {
            return vec![];
        }
        let votes = poll.votes.len();
        match poll.votes.iter_mut().find(|v| v.voter == token) {
            Some(vote) if vote.choice == choice && vote.name == name => return vec![],
            Some(vote) => {
                vote.choice = choice;
                vote.name = name;
            }
            None if votes >= MAX_VOTES => return vec![],
            None => poll.votes.push(PollVote {
                voter: token,
                name,
                choice,
            }),
        }
        vec![self.meta_change()]
    }

    /// Carries out `#startvote` / `#endvote` typed as a note; `None`
    /// leaves the line in the editor to fix.
    pub(super) fn poll_command(&mut self, command: PollCommand) -> Option<Vec<Effect>> {
        let mut effects = match command {
            PollCommand::Start { question, options } => {
                if let Some(open) = &self.meeting.poll {
                    let open = open.question.clone();
                    self.error(format!(
                        "A poll is open already ({open}): #endvote closes it"
                    ));
                    return None;
                }
                self.info(format!("Poll open on the participants' pages: {question}"));
                self.meeting.poll = Some(Poll {
                    question,
                    options,
                    votes: Vec::new(),
                    opened_at: self.local_now(),
                    off_record: self.meeting.off_record,
                });
                vec![self.meta_change()]
            }
            PollCommand::End => {
                let Some(poll) = self.meeting.poll.take() else {
                    self.error("No poll is open: #startvote Question? Yes, No opens one");
                    return None;
                };
                self.poll_result(&poll)
            }
        };
        self.clear_editor();
        effects.push(Effect::DraftChanged);
        Some(effects)
    }

    /// The closed poll's result as a note of the current item (off the
    /// record when the poll was opened off it), and the poll gone.
    fn poll_result(&mut self, poll: &Poll) -> Vec<Effect> {
        let counts = poll.counts();
        let tally: Vec<String> = poll
            .options
            .iter()
            .zip(&counts)
            .map(|(option, count)| format!("{option} {count}"))
            .collect();
        let text = format!("Vote: {} {}", poll.question, tally.join(", "));
        let now = self.local_now();
        // The meta change below carries the start, if this began it.
        let _ = self.ensure_started(now);
        let id = self.next_note_id;
        let mut note = Note::new(id, self.current_item, Vec::new(), text.clone(), now);
        note.committed_at = now;
        note.off_record = poll.off_record || self.meeting.off_record;
        self.meeting.notes.push(note);
        self.next_note_id += 1;
        self.info(format!("Poll closed: {text}"));
        std::iter::once(self.meta_change())
            .chain(self.note_change(id))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Action, Change};
    use crate::model::Meeting;
    use chrono::{TimeZone, Utc};

    fn app() -> App {
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 20, 0, 0).unwrap();
        App::new(Meeting::new("Call", chrono_tz::UTC), now)
    }

    fn act(app: &mut App, action: PageAction) -> Vec<Effect> {
        let now = app.now + chrono::Duration::seconds(1);
        app.update(Action::Page(action), now)
    }

    fn commit(app: &mut App, text: &str) -> Vec<Effect> {
        let now = app.now + chrono::Duration::seconds(1);
        app.update(Action::Paste(text.into()), now);
        app.update(
            Action::Editor(crate::app::EditorAction::Commit),
            now + chrono::Duration::seconds(1),
        )
    }

    fn saves_meta(effects: &[Effect]) -> bool {
        effects
            .iter()
            .any(|e| matches!(e, Effect::Persist(Change::Meta(_))))
    }

    #[test]
    fn reads_meetbot_and_tcq_polls() {
        assert_eq!(
            parse("#startvote Ship it? Yes, No, Abstain"),
            Some(PollCommand::Start {
                question: "Ship it?".into(),
                options: vec!["Yes".into(), "No".into(), "Abstain".into()],
            })
        );
        assert_eq!(
            parse("#STARTVOTE Which day? Monday,Tuesday"),
            Some(PollCommand::Start {
                question: "Which day?".into(),
                options: vec!["Monday".into(), "Tuesday".into()],
            })
        );
        // No options: MeetBot's usual three.
        let Some(PollCommand::Start { options, .. }) = parse("#startvote Ship it?") else {
            panic!("not a poll");
        };
        assert_eq!(options, ["Yes", "No", "Abstain"]);
        let Some(PollCommand::Start { options, .. }) = parse("#temperature the plan") else {
            panic!("not a poll");
        };
        assert_eq!(options.len(), 6);
        assert_eq!(parse("#endvote"), Some(PollCommand::End));
        for text in ["#startvote", "#endvote now", "startvote x?", "#vote yes"] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn names_lose_control_characters_and_are_bounded() {
        assert_eq!(clean("  Ana\u{1b}[2J\n Neves\u{202e} ", 60), "Ana[2J Neves");
        assert_eq!(clean(&"é".repeat(100), MAX_NAME_CHARS).chars().count(), 60);
        assert_eq!(clean("\u{7}\u{0}", 60), "");
    }

    #[test]
    fn a_page_raises_a_hand_of_each_kind_and_withdraws_only_its_own() {
        let mut app = app();
        let effects = act(
            &mut app,
            PageAction::Queue {
                token: "page-a".into(),
                name: "Ana".into(),
                kind: QueueKind::Reply,
                topic: Some("the dates\n".into()),
            },
        );
        assert!(saves_meta(&effects));
        act(
            &mut app,
            PageAction::Queue {
                token: "page-b".into(),
                name: "Bo".into(),
                kind: QueueKind::PointOfOrder,
                topic: None,
            },
        );
        let queue = &app.meeting.queue;
        assert_eq!(queue.len(), 2);
        assert_eq!(queue[0].kind, QueueKind::PointOfOrder);
        assert_eq!(queue[1].topic.as_deref(), Some("the dates"));
        // Another page cannot take Ana's hand down.
        let none = act(
            &mut app,
            PageAction::Withdraw {
                token: "page-c".into(),
            },
        );
        assert!(none.is_empty());
        assert_eq!(app.meeting.queue.len(), 2);
        let effects = act(
            &mut app,
            PageAction::Withdraw {
                token: "page-a".into(),
            },
        );
        assert!(saves_meta(&effects));
        assert_eq!(app.meeting.queue.len(), 1);
        assert_eq!(app.meeting.short_name(&app.meeting.queue[0].id), "Bo");
    }

    #[test]
    fn pages_cannot_grow_the_roster_or_the_queue_without_limit() {
        let mut app = app();
        for n in 0..MAX_QUEUE + 10 {
            act(
                &mut app,
                PageAction::Queue {
                    token: format!("page-{n}"),
                    name: format!("Person {n}"),
                    kind: QueueKind::NewTopic,
                    topic: None,
                },
            );
        }
        assert_eq!(app.meeting.queue.len(), MAX_QUEUE);
        assert_eq!(app.meeting.participants.len(), MAX_QUEUE);
    }

    #[test]
    fn an_empty_name_raises_nothing() {
        let mut app = app();
        let effects = act(
            &mut app,
            PageAction::Queue {
                token: "t".into(),
                name: "\u{1b}\n".into(),
                kind: QueueKind::NewTopic,
                topic: None,
            },
        );
        assert!(effects.is_empty());
        assert!(app.meeting.queue.is_empty());
        assert!(app.meeting.participants.is_empty());
    }

    #[test]
    fn one_vote_per_page_changeable_until_closed_then_a_note() {
        let mut app = app();
        assert!(saves_meta(&commit(&mut app, "#startvote Ship it? Yes, No")));
        assert!(app.meeting.notes.is_empty(), "the command is not a note");
        let vote = |token: &str, choice| PageAction::Vote {
            token: token.into(),
            name: token.into(),
            choice,
        };
        assert!(saves_meta(&act(&mut app, vote("a", 0))));
        act(&mut app, vote("b", 1));
        act(&mut app, vote("b", 0)); // changed
        assert!(act(&mut app, vote("c", 7)).is_empty(), "no such option");
        let poll = app.meeting.poll.as_ref().unwrap();
        assert_eq!(poll.counts(), [2, 0]);
        let effects = commit(&mut app, "#endvote");
        assert!(app.meeting.poll.is_none());
        let note = effects.iter().find_map(|e| match e {
            Effect::Persist(Change::Note(note)) => Some(note),
            _ => None,
        });
        assert_eq!(note.unwrap().text, "Vote: Ship it? Yes 2, No 0");
        // Closed: votes no longer count.
        assert!(act(&mut app, vote("d", 0)).is_empty());
    }

    #[test]
    fn a_poll_opened_off_the_record_takes_no_votes_and_its_result_stays_off() {
        let mut app = app();
        app.meeting.off_record = true;
        commit(&mut app, "#startvote Secret? Yes, No");
        app.meeting.off_record = false;
        let vote = PageAction::Vote {
            token: "a".into(),
            name: "Ana".into(),
            choice: 0,
        };
        assert!(act(&mut app, vote).is_empty());
        commit(&mut app, "#endvote");
        assert!(app.meeting.notes.last().unwrap().off_record);
    }

    #[test]
    fn the_connected_count_is_kept() {
        let mut app = app();
        assert_eq!(app.pages.connected, None);
        act(&mut app, PageAction::Connected(3));
        assert_eq!(app.pages.connected, Some(3));
    }
}
