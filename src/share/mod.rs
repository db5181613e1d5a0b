//! Scribes on one meeting: the meeting kept in an Automerge document (a
//! CRDT) and carried over automerge-repo's protocol by samod, so that any
//! number of scribes meet through a relay: `minutes` itself (`--share`),
//! or any automerge-repo sync server. docs/design/multi-scribe.md says
//! why this engine, what the protocol is, and who can do what with which
//! link.
//!
//! - `links.rs`: the secrets and the links, the certificate, the ids;
//! - `wire.rs`: the limits on what a peer sends, TLS;
//! - `ws.rs`: the WebSocket transport, the relay's door, the dialer;
//! - `storage.rs`: the document saved beside the meeting
//!   (`FILE.automerge`), so that a scribe who crashed rejoins where it was;
//! - `doc.rs`: the meeting as keys of the document, and what changed;
//! - `engine.rs`: the share thread that runs samod;
//! - here: the event loop's side, which never waits for that thread.
//!
//! Notes keep one id on every scribe (each scribe makes ids from a block
//! of its own, [`links::Secrets::note_ids`]): a note is `note:ID` in the
//! document, so a note received twice (after a reconnect, a restart) is
//! the same note, never a second one.

mod doc;
mod engine;
pub mod links;
mod storage;
pub mod wire;
mod ws;

use crate::model::{Meeting, Note};
use doc::{Parts, Put};
use engine::{Cmd, Event, Role, Start, Teller};
use futures::channel::mpsc::UnboundedSender;
use links::{Link, Secrets};
use std::collections::{HashMap, HashSet};
use std::io;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::time::{Duration, Instant};

pub use engine::Waker;
pub use storage::document_path;

/// Events waiting for the event loop, at most.
const QUEUE: usize = 64;

/// How this scribe takes part.
#[derive(Debug, Clone)]
pub enum How {
    /// `--share ADDR`: listens there, relays between the scribes.
    Share { address: String },
    /// `--join LINK`: connects to the sharing scribe.
    Join { link: Link },
    /// `--relay URL`: shares through an automerge-repo relay (the npm
    /// sync server, say) rather than listening itself.
    Relay { url: String },
}

/// What the other scribes changed, to be applied to the meeting here,
/// and what to say about the connections.
#[derive(Debug, Default)]
pub struct Received {
    /// Notes new here or changed, with their ids (the same everywhere).
    pub notes: Vec<Note>,
    /// Notes deleted by another scribe.
    pub deleted: Vec<u64>,
    /// Another scribe changed the agenda, the queue, attendance, the
    /// details or the record's state: [`Share::shared_meeting`] has them.
    pub meeting_changed: bool,
    /// Who joined, left, was dropped or refused, in plain words.
    pub news: Vec<String>,
    /// The same, when something went wrong.
    pub trouble: Vec<String>,
}

pub struct Share {
    commands: UnboundedSender<Cmd>,
    events: Receiver<Event>,
    thread: Option<std::thread::JoinHandle<()>>,
    stop: Arc<AtomicBool>,
    how: How,
    /// This scribe's block of note ids.
    ids: std::ops::Range<u64>,
    /// What this step changed, sent at [`Share::settle`].
    pending: Vec<Put>,
    /// Notes applied from another scribe in this step: not sent back
    /// (unless dated anew here, [`Share::publish_dated_anew`]).
    just_received: HashSet<u64>,
    /// What other scribes changed in the agenda, roster, queue…, not yet
    /// given to the app.
    parts: Option<Parts>,
    /// The whole shared meeting, once heard (a joining scribe waits).
    meeting: Option<Meeting>,
    /// What the header says; `state_changed` until the app has it.
    state: String,
    state_changed: bool,
    denied: Option<String>,
    /// No document was saved beside the meeting when this started.
    fresh: bool,
    /// A scribe with no file yet waits for the whole meeting.
    waiting: bool,
    doc_path: std::path::PathBuf,
}

impl Share {
    /// Starts sharing the meeting at `meeting_path` (its document loaded
    /// from beside it), or joining the scribe who shares it.
    pub fn start(meeting_path: &Path, how: How, name: &str, wake: Waker) -> Result<Share, String> {
        let side = links::side_path(meeting_path);
        let named = |e: io::Error| format!("{}: {e}", side.display());
        let mut secrets = Secrets::load_or_create(meeting_path).map_err(named)?;
        let fresh =
            std::fs::symlink_metadata(document_path(meeting_path)).map_or(true, |m| m.len() == 0);
        let (role, document) = match &how {
            How::Share { address } => {
                let listener = std::net::TcpListener::bind(address)
                    .map_err(|e| format!("{address}: cannot share the meeting there: {e}"))?;
                let bound = listener.local_addr().map_err(|e| e.to_string())?;
                // Port 0 is the system's pick: the links name the real one.
                let said = match address.strip_suffix(":0") {
                    Some(host) => format!("{host}:{}", bound.port()),
                    None => address.clone(),
                };
                let made = secrets.ensure_document().map_err(named)?;
                if made || secrets.address.as_deref() != Some(said.as_str()) {
                    secrets.address = Some(said.clone());
                    secrets.save(meeting_path).map_err(named)?;
                }
                let tls = if links::is_loopback(&said) {
                    None
                } else {
                    Some(wire::server_config(&secrets).map_err(|e| e.to_string())?)
                };
                let document = secrets
                    .document
                    .as_deref()
                    .and_then(|d| samod::DocumentId::from_str(d).ok());
                (Role::Relay { listener, tls }, document)
            }
            How::Join { link } => {
                // A file whose shared copy is another meeting's would mix
                // the two: refused. (Without a shared copy, the link's.)
                if !fresh
                    && let Some(mine) = &secrets.document
                    && *mine != link.document
                {
                    return Err(format!(
                        "{} was shared as another meeting; join with a new file",
                        meeting_path.display()
                    ));
                }
                let changed = secrets.slot == 0
                    || secrets.document.as_deref() != Some(link.document.as_str());
                secrets.draw_slot().map_err(|e| e.to_string())?;
                secrets.document = Some(link.document.clone());
                if changed {
                    secrets.save(meeting_path).map_err(named)?;
                }
                let document = samod::DocumentId::from_str(&link.document).ok();
                let role = Role::Join {
                    link: link.clone(),
                    name: wire::clean_name(name),
                    own: false,
                };
                (role, document)
            }
            How::Relay { url } => {
                links::check_relay(url)?;
                let made = secrets.ensure_document().map_err(named)?;
                if made || secrets.relay.as_deref() != Some(url.as_str()) {
                    secrets.relay = Some(url.clone());
                    secrets.save(meeting_path).map_err(named)?;
                }
                let link = Link::parse(&secrets.relay_link(url))?;
                let document = samod::DocumentId::from_str(&link.document).ok();
                let role = Role::Join {
                    link,
                    name: wire::clean_name(name),
                    own: true,
                };
                (role, document)
            }
        };
        let ids = secrets.note_ids();
        let (events_in, events) = sync_channel(QUEUE);
        let stop = Arc::new(AtomicBool::new(false));
        let start = Start {
            meeting_path: meeting_path.to_path_buf(),
            secrets,
            document,
            role,
            teller: Teller::new(events_in, wake, stop.clone()),
            name: wire::clean_name(name),
        };
        let (commands, thread) = engine::spawn(start).map_err(|e| e.to_string())?;
        let mut share = Share {
            commands,
            events,
            thread: Some(thread),
            stop,
            how,
            ids,
            pending: Vec::new(),
            just_received: HashSet::new(),
            parts: None,
            meeting: None,
            state: String::new(),
            state_changed: true,
            denied: None,
            fresh,
            waiting: false,
            doc_path: document_path(meeting_path),
        };
        share.state = share.first_state();
        Ok(share)
    }

    fn first_state(&self) -> String {
        match self.how {
            How::Share { .. } => "shared: no other scribe yet".into(),
            How::Join { .. } | How::Relay { .. } => "shared: connecting".into(),
        }
    }

    /// The ids this scribe's new notes take.
    pub fn note_ids(&self) -> std::ops::Range<u64> {
        self.ids.clone()
    }

    /// Waits (before the full screen opens) until the shared meeting has
    /// arrived: for a scribe whose file does not exist yet.
    pub fn wait_for_meeting(&mut self, timeout: Duration) -> Result<Meeting, String> {
        let until = Instant::now() + timeout;
        let mut last_trouble = None;
        self.waiting = true;
        loop {
            let received = self.receive();
            if let Some(denied) = &self.denied {
                return Err(denied.clone());
            }
            if let Some(meeting) = self.meeting.take() {
                self.waiting = false;
                return Ok(meeting);
            }
            last_trouble = received.trouble.last().cloned().or(last_trouble);
            if Instant::now() > until {
                let why = last_trouble.unwrap_or_else(|| "no answer".into());
                return Err(format!(
                    "the shared meeting did not arrive in {} seconds ({why})",
                    timeout.as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything but the notes as the document has it, over `local`
    /// where the document has nothing: the details, the agenda, the
    /// queue, the record's state, and the roster with attendance (each
    /// scribe keeps its own speaker numbers and anyone only it knows).
    pub fn shared_meeting(&mut self, local: &Meeting) -> Meeting {
        match self.parts.take() {
            Some(parts) => parts.over(local),
            None => Meeting {
                notes: Vec::new(),
                ..local.clone()
            },
        }
    }

    /// At the start: what the meeting has that the document lacks is
    /// sent; notes the document has that the meeting lacks come back.
    pub fn reconcile(&mut self, meeting: &Meeting) {
        // A joining scribe with no document yet takes the shared meeting's
        // details rather than putting its copy's over them.
        let meta = !(self.fresh && matches!(self.how, How::Join { .. }));
        let _ = self.commands.unbounded_send(Cmd::Reconcile {
            meeting: Box::new(meeting.clone()),
            meta,
        });
    }

    /// A note committed or edited here.
    pub fn publish(&mut self, note: &Note) {
        if !self.just_received.contains(&note.id) {
            self.pending.push(Put::Note(Box::new(note.clone())));
        }
    }

    /// Another scribe's note, dated anew here (its scribe's clock far
    /// off): sent, so that every scribe keeps the same dates.
    pub fn publish_dated_anew(&mut self, note: &Note) {
        self.pending.push(Put::Note(Box::new(note.clone())));
    }

    /// A note deleted here.
    pub fn retract(&mut self, id: u64) {
        if !self.just_received.contains(&id) {
            self.pending.push(Put::Deleted(id));
        }
    }

    /// Everything but the notes, in parts that merge apart (doc.rs).
    pub fn publish_meta(&mut self, meeting: &Meeting) {
        self.pending.push(Put::Meta(Box::new(Meeting {
            notes: Vec::new(),
            ..meeting.clone()
        })));
    }

    /// After a step: what changed goes to the share thread, which puts it
    /// in the document; samod sends it and saves it.
    pub fn settle(&mut self) {
        self.just_received.clear();
        if !self.pending.is_empty() {
            let puts = std::mem::take(&mut self.pending);
            let _ = self.commands.unbounded_send(Cmd::Put(puts));
        }
    }

    /// What the share thread heard since the last step.
    pub fn receive(&mut self) -> Received {
        let mut received = Received::default();
        // Each note as it is now, in the order first heard.
        let mut latest: HashMap<u64, Option<Note>> = HashMap::new();
        let mut order = Vec::new();
        while let Ok(event) = self.events.try_recv() {
            match event {
                Event::Changes(changes) => {
                    let changes = *changes;
                    // A note put then deleted (or deleted then put back)
                    // since the last step: only what it is now.
                    let now = changes.notes.into_iter().map(|n| (n.id, Some(n)));
                    for (id, note) in now.chain(changes.deleted.into_iter().map(|id| (id, None))) {
                        if latest.insert(id, note).is_none() {
                            order.push(id);
                        }
                    }
                    received.trouble.extend(changes.conflicts);
                    if let Some(parts) = changes.parts {
                        match &mut self.parts {
                            Some(earlier) => earlier.merge(parts),
                            None => self.parts = Some(parts),
                        }
                        received.meeting_changed = true;
                    }
                }
                Event::Meeting { meeting } => {
                    if self.waiting {
                        self.meeting = Some(*meeting);
                    }
                }
                Event::State(state) => {
                    if state != self.state {
                        self.state = state;
                        self.state_changed = true;
                    }
                }
                Event::News(news) => received.news.push(news),
                Event::Trouble(trouble) => received.trouble.push(trouble),
                Event::Denied(why) => {
                    received.trouble.push(format!("Not shared: {why}"));
                    self.denied = Some(why);
                    self.state = "not shared".into();
                    self.state_changed = true;
                }
            }
        }
        for id in order {
            self.just_received.insert(id);
            match latest.remove(&id) {
                Some(Some(note)) => received.notes.push(note),
                Some(None) => received.deleted.push(id),
                None => {}
            }
        }
        received
    }

    /// What the header says about sharing, when it changed since asked.
    pub fn state_change(&mut self) -> Option<String> {
        std::mem::take(&mut self.state_changed).then(|| self.state.clone())
    }

    /// What the header says now (the benches wait on it).
    pub fn describe_state(&self) -> String {
        self.state.clone()
    }

    /// The document's size, saved (for the figures).
    pub fn saved_size(&self) -> usize {
        std::fs::metadata(&self.doc_path).map_or(0, |m| m.len() as usize)
    }

    /// Sends what is left, then stops the share thread, which flushes the
    /// document and closes the connections (\"X left\" on the others'
    /// screens), waiting for it a little.
    pub fn close(&mut self) {
        self.settle();
        let _ = self.commands.unbounded_send(Cmd::Stop);
        if let Some(thread) = self.thread.take() {
            let until = Instant::now() + Duration::from_secs(2);
            while !thread.is_finished() && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        ws::goodbyes_said(Duration::from_secs(1));
        self.stop.store(true, Ordering::Relaxed);
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        let _ = self.commands.unbounded_send(Cmd::Stop);
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests;
