//! Scribes on one meeting: the meeting kept in an Automerge document (a
//! CRDT), synced with Automerge's sync protocol between every scribe and
//! the sharing one, which relays (docs/design/multi-scribe.md says why
//! this engine, what the protocol is, and who can do what with a link).
//!
//! - `links.rs`: the secrets and the links, the certificate, the ids;
//! - `wire.rs`: frames, TLS, the hello, the limits on what a peer sends;
//! - `net.rs`: the sockets and their threads; reconnecting;
//! - here: the document (one key per note, per person, and the meeting's
//!   details), what each scribe sends and receives, and the document
//!   saved beside the meeting (`FILE.automerge`) so that a scribe who
//!   crashed rejoins where they were.
//!
//! Notes keep one id on every scribe (each scribe makes ids from a block
//! of its own, [`links::Secrets::note_ids`]): a note is `note:ID` in the
//! document, so a note received twice (after a reconnect, a restart) is
//! the same note, never a second one. A deleted note's key keeps an empty
//! value, so that a scribe who was away deletes it too when it comes
//! back, rather than sending it again.
//!
//! Everything here runs on the event loop's thread, at the edge; the
//! sockets' threads only move checked frames.

pub mod links;
pub mod net;
pub mod wire;

use crate::model::{Meeting, Note, Participant};
use crate::store::files;
use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, PatchAction, PatchLog, ROOT, ReadDoc};
use links::{Link, Secrets};
use net::Event;
use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, sync_channel};
use std::time::{Duration, Instant};

pub use net::Waker;

/// The parts of the meeting other than notes and people, one key each.
const META: [&str; 4] = ["meeting", "agenda", "queue", "record"];

/// The queue's state; its entries are one key each (`queue:PERSON`), so
/// that two scribes queueing two people at once both stay.
#[derive(serde::Serialize, serde::Deserialize)]
struct SharedQueue {
    closed: bool,
    kept: bool,
}

/// One person in the queue, with their place when it was put.
#[derive(serde::Serialize, serde::Deserialize)]
struct SharedEntry {
    place: usize,
    entry: crate::model::QueueEntry,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct SharedRecord {
    off_record: bool,
    parked: Vec<String>,
}

/// How this scribe takes part.
#[derive(Debug, Clone)]
pub enum How {
    /// `--share ADDR`: listens there, relays between the scribes.
    Share { address: String },
    /// `--join LINK`: connects to the sharing scribe.
    Join { link: Link },
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

struct Peer {
    name: String,
    state: sync::State,
    outbox: Sender<Vec<u8>>,
}

/// The side file with the document: `FILE.automerge`.
fn document_path(meeting: &Path) -> PathBuf {
    let mut name = meeting.as_os_str().to_owned();
    name.push(".automerge");
    PathBuf::from(name)
}

pub struct Share {
    doc: AutoCommit,
    peers: BTreeMap<u64, Peer>,
    events: Receiver<Event>,
    stop: Arc<AtomicBool>,
    how: How,
    /// The document's file, appended to after every step that changed it.
    saved: Option<std::fs::File>,
    path: Option<PathBuf>,
    /// This scribe's block of note ids.
    ids: std::ops::Range<u64>,
    /// Notes applied from another scribe in this step: not sent back.
    just_received: HashSet<u64>,
    /// What the header says; `state_changed` until the app has it.
    state: String,
    state_changed: bool,
    /// The joining scribe's connection, while it is being made again.
    retrying: Option<String>,
    denied: Option<String>,
    /// No document was saved beside the meeting when this started.
    fresh: bool,
    /// Something changed (the document, a peer came or went) since the
    /// last [`Share::settle`].
    dirty: bool,
    /// Refused connections since the last word about them (a scan of
    /// the port must not fill the status line).
    refused: (u32, Option<Instant>),
}

impl Share {
    /// Starts sharing the meeting at `meeting_path` (its document loaded
    /// from beside it), or joining the scribe who shares it.
    pub fn start(meeting_path: &Path, how: How, name: &str, wake: Waker) -> Result<Share, String> {
        let named = |e: io::Error, path: &Path| format!("{}: {e}", path.display());
        let doc_path = document_path(meeting_path);
        let mut doc = load_document(&doc_path)?;
        let mut secrets = Secrets::load_or_create(meeting_path)
            .map_err(|e| named(e, &links::side_path(meeting_path)))?;
        let (events_in, events) = sync_channel(net::QUEUE);
        let stop = Arc::new(AtomicBool::new(false));
        match &how {
            How::Share { address } => {
                let listener = std::net::TcpListener::bind(address)
                    .map_err(|e| format!("{address}: cannot share the meeting there: {e}"))?;
                let bound = listener.local_addr().map_err(|e| e.to_string())?;
                // Port 0 is the system's pick: the links name the real one.
                let said = if address.ends_with(":0") {
                    let host = address.trim_end_matches(":0");
                    format!("{host}:{}", bound.port())
                } else {
                    address.clone()
                };
                if secrets.address.as_deref() != Some(said.as_str()) {
                    secrets.address = Some(said.clone());
                    secrets
                        .save(meeting_path)
                        .map_err(|e| named(e, &links::side_path(meeting_path)))?;
                }
                let tls = if links::is_loopback(&said) {
                    None
                } else {
                    Some(wire::server_config(&secrets).map_err(|e| e.to_string())?)
                };
                net::listen(
                    listener,
                    secrets.scribe.clone(),
                    tls,
                    events_in,
                    wake,
                    stop.clone(),
                )
                .map_err(|e| e.to_string())?;
            }
            How::Join { link } => {
                if secrets.slot == 0 {
                    secrets.draw_slot().map_err(|e| e.to_string())?;
                    secrets
                        .save(meeting_path)
                        .map_err(|e| named(e, &links::side_path(meeting_path)))?;
                }
                net::join(
                    link.clone(),
                    wire::clean_name(name),
                    events_in,
                    wake,
                    stop.clone(),
                )
                .map_err(|e| e.to_string())?;
            }
        }
        let fresh = doc.get_heads().is_empty();
        let mut share = Share {
            fresh,
            dirty: true,
            doc,
            peers: BTreeMap::new(),
            events,
            stop,
            how,
            saved: None,
            path: Some(doc_path),
            ids: secrets.note_ids(),
            just_received: HashSet::new(),
            state: String::new(),
            state_changed: true,
            retrying: None,
            denied: None,
            refused: (0, None),
        };
        share.rewrite_document()?;
        share.state = share.describe();
        Ok(share)
    }

    /// The ids this scribe's new notes take.
    pub fn note_ids(&self) -> std::ops::Range<u64> {
        self.ids.clone()
    }

    /// The document written whole (compacted), then appended to.
    fn rewrite_document(&mut self) -> Result<(), String> {
        let Some(path) = self.path.clone() else {
            return Ok(());
        };
        let bytes = self.doc.save();
        let named = |e: io::Error| format!("{}: {e}", path.display());
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(named)?;
        temp.write_all(&bytes).map_err(named)?;
        temp.as_file().sync_data().map_err(named)?;
        temp.persist(&path).map_err(|e| named(e.error))?;
        self.saved = Some(files::open_side_file(&path, true).map_err(named)?);
        Ok(())
    }

    /// Waits (before the full screen opens) until the sharing scribe has
    /// sent the meeting: for a scribe whose file does not exist yet.
    pub fn wait_for_meeting(&mut self, timeout: Duration) -> Result<Meeting, String> {
        let until = Instant::now() + timeout;
        loop {
            let received = self.receive();
            if let Some(denied) = &self.denied {
                return Err(denied.clone());
            }
            let synced = self.peers.get(&net::RELAY).is_some_and(|p| {
                p.state.their_heads.as_ref().is_some_and(|heads| {
                    heads
                        .iter()
                        .all(|h| self.doc.get_change_by_hash(h).is_some())
                })
            });
            if synced && let Some(meeting) = self.meeting() {
                return Ok(meeting);
            }
            if Instant::now() > until {
                let why = received
                    .trouble
                    .last()
                    .cloned()
                    .or_else(|| self.retrying.clone())
                    .unwrap_or_else(|| "no answer".into());
                return Err(format!(
                    "the shared meeting did not arrive in {} seconds ({why})",
                    timeout.as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The whole meeting as the document has it.
    pub fn meeting(&self) -> Option<Meeting> {
        let details: Meeting = serde_json::from_str(&self.string("meeting")?).ok()?;
        let mut meeting = self.shared_meeting(&details);
        for (key, value) in self.entries() {
            if let Some(id) = key
                .strip_prefix("note:")
                .and_then(|id| id.parse::<u64>().ok())
                && let Ok(mut note) = serde_json::from_str::<Note>(&value)
            {
                note.id = id;
                meeting.notes.push(note);
            } else if key.starts_with("person:")
                && let Ok(person) = serde_json::from_str::<Participant>(&value)
            {
                meeting.participants.push(person);
            }
        }
        meeting.notes.sort_by_key(|n| (n.started_at, n.id));
        Some(meeting)
    }

    /// Everything but the notes as the document has it, over `local`
    /// where the document has nothing: the details, the agenda, the
    /// queue, the record's state, and the roster with attendance (each
    /// scribe keeps its own speaker numbers and anyone only it knows).
    pub fn shared_meeting(&self, local: &Meeting) -> Meeting {
        let mut meeting = match self
            .string("meeting")
            .and_then(|j| serde_json::from_str(&j).ok())
        {
            Some(details) => Meeting {
                participants: Vec::new(),
                agenda: local.agenda.clone(),
                queue: local.queue.clone(),
                queue_closed: local.queue_closed,
                queue_kept: local.queue_kept,
                off_record: local.off_record,
                parked: local.parked.clone(),
                ..details
            },
            None => Meeting {
                notes: Vec::new(),
                participants: Vec::new(),
                ..local.clone()
            },
        };
        meeting.notes.clear();
        if let Some(agenda) = self
            .string("agenda")
            .and_then(|j| serde_json::from_str(&j).ok())
        {
            meeting.agenda = agenda;
        }
        if let Some(queue) = self
            .string("queue")
            .and_then(|j| serde_json::from_str::<SharedQueue>(&j).ok())
        {
            (meeting.queue_closed, meeting.queue_kept) = (queue.closed, queue.kept);
            let mut entries: Vec<SharedEntry> = self
                .values_under("queue:")
                .iter()
                .filter_map(|json| serde_json::from_str::<SharedEntry>(json).ok())
                .collect();
            entries.sort_by(|a, b| {
                (a.place, a.entry.added_at, &a.entry.id).cmp(&(
                    b.place,
                    b.entry.added_at,
                    &b.entry.id,
                ))
            });
            meeting.queue = entries.into_iter().map(|e| e.entry).collect();
        }
        if let Some(record) = self
            .string("record")
            .and_then(|j| serde_json::from_str::<SharedRecord>(&j).ok())
        {
            (meeting.off_record, meeting.parked) = (record.off_record, record.parked);
        }
        let mut people: Vec<Participant> = self
            .values_under("person:")
            .iter()
            .filter_map(|json| serde_json::from_str::<Participant>(json).ok())
            .collect();
        for person in &mut people {
            person.speaker_number = local.participant(&person.id).and_then(|p| p.speaker_number);
        }
        for person in &local.participants {
            if !people.iter().any(|p| p.id == person.id) {
                people.push(person.clone());
            }
        }
        meeting.participants = people;
        meeting
    }

    fn string(&self, key: &str) -> Option<String> {
        let (value, _) = self.doc.get(ROOT, key).ok().flatten()?;
        value.as_str().map(str::to_string)
    }

    /// The values of the keys that start with `prefix` (a prefix ending
    /// in `:`): keys are sorted, so only those are read, not every note.
    fn values_under(&self, prefix: &str) -> Vec<String> {
        let end = format!("{};", prefix.trim_end_matches(':'));
        let keys: Vec<String> = self
            .doc
            .map_range(ROOT, prefix.to_string()..end)
            .map(|item| item.key.to_string())
            .collect();
        keys.iter().filter_map(|key| self.string(key)).collect()
    }

    fn entries(&self) -> Vec<(String, String)> {
        let keys: Vec<String> = self.doc.keys(ROOT).collect();
        keys.into_iter()
            .filter_map(|key| Some((key.clone(), self.string(&key)?)))
            .collect()
    }

    /// At the start: the meeting file is never behind the document saved
    /// beside it (a change is saved in the meeting before the document),
    /// so whatever the meeting has that the document lacks is sent, and
    /// a note the document has that the meeting no longer has was deleted
    /// here.
    pub fn reconcile(&mut self, meeting: &Meeting) {
        let here: HashSet<u64> = meeting.notes.iter().map(|n| n.id).collect();
        for (key, value) in self.entries() {
            if let Some(id) = key
                .strip_prefix("note:")
                .and_then(|id| id.parse::<u64>().ok())
                && !value.is_empty()
                && !here.contains(&id)
            {
                let _ = self.doc.put(ROOT, key, "");
                self.dirty = true;
            }
        }
        for note in &meeting.notes {
            self.publish(note);
        }
        // A joining scribe with no document yet takes the shared meeting's
        // details rather than putting its copy's over them.
        if !(self.fresh && matches!(self.how, How::Join { .. })) {
            self.publish_meta(meeting);
        }
        self.settle();
    }

    fn put_json(&mut self, key: String, json: String) {
        if self.string(&key).as_deref() != Some(json.as_str()) {
            let _ = self.doc.put(ROOT, key, json);
            self.dirty = true;
        }
    }

    /// A note committed or edited here.
    pub fn publish(&mut self, note: &Note) {
        if self.just_received.contains(&note.id) {
            return;
        }
        if let Ok(json) = serde_json::to_string(note) {
            self.put_json(format!("note:{}", note.id), json);
        }
    }

    /// A note deleted here.
    pub fn retract(&mut self, id: u64) {
        if self.just_received.contains(&id) {
            return;
        }
        self.put_json(format!("note:{id}"), String::new());
    }

    /// Everything but the notes, in parts that merge apart: one key per
    /// person (with attendance), the agenda, the queue, the record's state
    /// (off the record, parked items) and the details. A change to one
    /// part and a change to another at once both stay; two changes to the
    /// same part at once keep one, and the other is said
    /// ([`Share::conflict_meta`]).
    pub fn publish_meta(&mut self, meeting: &Meeting) {
        for person in &meeting.participants {
            // Speaker numbers are each scribe's own.
            let shared = Participant {
                speaker_number: None,
                ..person.clone()
            };
            if let Ok(json) = serde_json::to_string(&shared) {
                self.put_json(format!("person:{}", person.id), json);
            }
        }
        if let Ok(json) = serde_json::to_string(&meeting.agenda) {
            self.put_json("agenda".into(), json);
        }
        let queue = SharedQueue {
            closed: meeting.queue_closed,
            kept: meeting.queue_kept,
        };
        if let Ok(json) = serde_json::to_string(&queue) {
            self.put_json("queue".into(), json);
        }
        for (place, entry) in meeting.queue.iter().enumerate() {
            let shared = SharedEntry {
                place,
                entry: entry.clone(),
            };
            if let Ok(json) = serde_json::to_string(&shared) {
                self.put_json(format!("queue:{}", entry.id), json);
            }
        }
        // Out of the queue here: out of the shared one (an empty value).
        // (Keys are sorted: only the queue's are looked at.)
        let gone: Vec<String> = self
            .doc
            .map_range(ROOT, "queue:".to_string().."queue;".to_string())
            .map(|item| item.key.to_string())
            .filter(|key| {
                key.strip_prefix("queue:")
                    .is_some_and(|id| !meeting.queue.iter().any(|e| e.id == id))
            })
            .collect();
        for key in gone {
            self.put_json(key, String::new());
        }
        let record = SharedRecord {
            off_record: meeting.off_record,
            parked: meeting.parked.clone(),
        };
        if let Ok(json) = serde_json::to_string(&record) {
            self.put_json("record".into(), json);
        }
        let details = Meeting {
            notes: Vec::new(),
            participants: Vec::new(),
            agenda: Vec::new(),
            queue: Vec::new(),
            queue_closed: false,
            queue_kept: false,
            off_record: false,
            parked: Vec::new(),
            ..meeting.clone()
        };
        if let Ok(json) = serde_json::to_string(&details) {
            self.put_json("meeting".into(), json);
        }
    }

    /// After a step: what changed is sent to every scribe connected, and
    /// appended to the document's file (after the meeting's journal).
    pub fn settle(&mut self) {
        self.just_received.clear();
        // A keystroke that changed nothing shared costs nothing here.
        if !std::mem::take(&mut self.dirty) {
            return;
        }
        self.send_all();
        let bytes = self.doc.save_incremental();
        if bytes.is_empty() {
            return;
        }
        // Written after the journal, not synced: the document may lag the
        // meeting after a crash (reconcile sends what it lacks), never
        // run ahead of it; no second fdatasync on a received note.
        let written = match self.saved.as_mut() {
            Some(file) => file.write_all(&bytes),
            None => Ok(()),
        };
        if written.is_err() {
            // Written whole next time, or never: the meeting file has it.
            let _ = self.rewrite_document();
        }
    }

    fn send_all(&mut self) {
        let mut gone = Vec::new();
        for (&id, peer) in &mut self.peers {
            while let Some(message) = self.doc.sync().generate_sync_message(&mut peer.state) {
                if peer.outbox.send(message.encode()).is_err() {
                    gone.push(id);
                    break;
                }
            }
        }
        for id in gone {
            self.peers.remove(&id);
        }
    }

    /// What the connections brought since the last step.
    pub fn receive(&mut self) -> Received {
        let mut received = Received::default();
        let mut any = false;
        while let Ok(event) = self.events.try_recv() {
            any = true;
            self.event(event, &mut received);
        }
        if any {
            self.dirty = true;
            self.send_all();
            let state = self.describe();
            if state != self.state {
                self.state = state;
                self.state_changed = true;
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
        self.describe()
    }

    /// Short, for the header (the reasons go to the status line).
    fn describe(&self) -> String {
        match &self.how {
            How::Share { .. } => {
                let names: Vec<&str> = self.peers.values().map(|p| p.name.as_str()).collect();
                if names.is_empty() {
                    "shared: no other scribe yet".to_string()
                } else {
                    format!("shared with {}", names.join(", "))
                }
            }
            How::Join { .. } => {
                if self.denied.is_some() {
                    "not shared".to_string()
                } else if self.peers.contains_key(&net::RELAY) {
                    "shared: connected".to_string()
                } else if self.retrying.is_some() {
                    "shared: reconnecting".to_string()
                } else {
                    "shared: connecting".to_string()
                }
            }
        }
    }

    fn event(&mut self, event: Event, received: &mut Received) {
        match event {
            Event::Joined { peer, name, outbox } => {
                if peer != net::RELAY {
                    received.news.push(format!("{name} joined as a scribe"));
                } else if self.retrying.take().is_some() {
                    received.news.push("Connected again".into());
                }
                self.peers.insert(
                    peer,
                    Peer {
                        name,
                        state: sync::State::new(),
                        outbox,
                    },
                );
            }
            Event::Sync { peer, message } => {
                if let Err(why) = self.apply(peer, &message, received)
                    && let Some(gone) = self.peers.remove(&peer)
                {
                    received
                        .trouble
                        .push(format!("{} was disconnected: it {why}", gone.name));
                }
            }
            Event::Left {
                peer,
                name,
                bye,
                why,
            } => {
                if self.peers.remove(&peer).is_some() {
                    if peer == net::RELAY {
                        // Said by the reconnecting state.
                    } else if bye {
                        received.news.push(format!("{name} left"));
                    } else {
                        received.news.push(format!(
                            "{name}'s connection is gone ({why}); they can join again"
                        ));
                    }
                }
            }
            Event::Refused { from, why } => {
                let (count, last) = &mut self.refused;
                *count += 1;
                if last.is_none_or(|at| at.elapsed() > Duration::from_secs(10)) {
                    let more = if *count > 1 {
                        format!(" ({count} refused so far)")
                    } else {
                        String::new()
                    };
                    received.trouble.push(format!(
                        "A connection from {from} was refused: it {why}{more}"
                    ));
                    *last = Some(Instant::now());
                }
            }
            Event::Retrying { attempt, why } => {
                if self.retrying.is_none() && attempt > 1 {
                    received
                        .trouble
                        .push(format!("Lost the sharing scribe ({why}): reconnecting"));
                }
                self.retrying = Some(why);
            }
            Event::Denied(why) => {
                received.trouble.push(format!("Not shared: {why}"));
                self.denied = Some(why);
            }
        }
    }

    /// A sync message from a peer: checked, applied, and what it changed
    /// read from its patches (a long meeting is not read again whole).
    fn apply(&mut self, peer: u64, bytes: &[u8], received: &mut Received) -> Result<(), String> {
        let Some(state) = self.peers.get_mut(&peer).map(|p| &mut p.state) else {
            return Ok(());
        };
        let message =
            sync::Message::decode(bytes).map_err(|_| "sent a message that is not Automerge's")?;
        wire::inflated_size(&message)?;
        let mut log = PatchLog::active();
        self.doc
            .sync()
            .receive_sync_message_log_patches(state, message, &mut log)
            .map_err(|e| format!("sent changes Automerge cannot apply ({e})"))?;
        for patch in self.doc.make_patches(&mut log) {
            if patch.obj != ROOT {
                continue;
            }
            let PatchAction::PutMap {
                key,
                value,
                conflict,
            } = patch.action
            else {
                continue;
            };
            let Some(text) = value.0.as_str() else {
                continue;
            };
            if text.len() > wire::MAX_VALUE {
                return Err(format!(
                    "sent a value of {} bytes (at most {})",
                    text.len(),
                    wire::MAX_VALUE
                ));
            }
            if let Some(id) = key
                .strip_prefix("note:")
                .and_then(|id| id.parse::<u64>().ok())
            {
                self.just_received.insert(id);
                if text.is_empty() {
                    received.deleted.push(id);
                    continue;
                }
                let mut note: Note = serde_json::from_str(text)
                    .map_err(|_| "sent a note this version cannot read")?;
                note.id = id;
                if conflict {
                    received.trouble.extend(self.conflict(&key, &note));
                }
                received.notes.push(note);
            } else if key.starts_with("person:")
                || key.starts_with("queue:")
                || META.contains(&key.as_str())
            {
                received.meeting_changed = true;
                if conflict {
                    received.trouble.extend(self.conflict_meta(&key));
                }
            }
        }
        Ok(())
    }

    /// Two scribes changed one note at once: Automerge keeps one version
    /// on every side; the others are said, not lost.
    fn conflict(&self, key: &str, kept: &Note) -> Option<String> {
        let values = self.doc.get_all(ROOT, key).ok()?;
        let others: Vec<String> = values
            .iter()
            .filter_map(|(value, _)| value.as_str().map(str::to_string))
            .filter_map(|json| serde_json::from_str::<Note>(&json).ok())
            .filter(|other| other.text != kept.text)
            .map(|other| other.text)
            .collect();
        (!others.is_empty()).then(|| {
            format!(
                "Two scribes changed one note at once: kept \"{}\"; the other version was \"{}\" (edit the note to restore it)",
                crate::text::truncate(&kept.text, 60),
                crate::text::truncate(&others.join("\" / \""), 60)
            )
        })
    }

    /// Two scribes changed the same part of the meeting at once: one
    /// version is kept everywhere; what the other had is said.
    fn conflict_meta(&self, key: &str) -> Option<String> {
        let values: Vec<String> = self
            .doc
            .get_all(ROOT, key)
            .ok()?
            .iter()
            .filter_map(|(value, _)| value.as_str().map(str::to_string))
            .collect();
        let (kept, others) = values.split_last()?;
        // The same value put twice (a scribe sending again what it had)
        // is no conflict.
        let others: Vec<&String> = others.iter().filter(|o| *o != kept).collect();
        if others.is_empty() {
            return None;
        }
        let what = match key {
            "agenda" => {
                let titles = |json: &str| -> Vec<String> {
                    serde_json::from_str::<Vec<crate::model::AgendaItem>>(json)
                        .map(|items| items.into_iter().map(|i| i.title).collect())
                        .unwrap_or_default()
                };
                let kept = titles(kept);
                let lost: Vec<String> = others
                    .iter()
                    .flat_map(|o| titles(o))
                    .filter(|t| !kept.contains(t))
                    .collect();
                if lost.is_empty() {
                    "the agenda (its order or times)".to_string()
                } else {
                    format!("the agenda; not kept: \"{}\"", lost.join("\", \""))
                }
            }
            "queue" => "the queue".into(),
            "record" => "the record's state (off the record, parked items)".into(),
            "meeting" => "the meeting's details".into(),
            _ => "the roster".into(),
        };
        Some(format!(
            "Two scribes changed {} at once: one change is kept on every screen; check it",
            crate::text::truncate(&what, 120)
        ))
    }

    /// Says goodbye to every scribe (\"X left\" on their screens), waiting
    /// a little for the words to go out.
    pub fn close(&mut self) {
        self.settle();
        let peers = std::mem::take(&mut self.peers);
        let count = peers.len();
        drop(peers);
        let until = Instant::now() + Duration::from_millis(500);
        let mut left = 0;
        while left < count && Instant::now() < until {
            if let Ok(Event::Left { .. }) = self.events.recv_timeout(Duration::from_millis(20)) {
                left += 1;
            }
        }
        self.stop.store(true, Ordering::Relaxed);
    }

    /// The document's size, saved (for the figures).
    pub fn saved_size(&mut self) -> usize {
        self.doc.save().len()
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// The document saved beside the meeting, or a new one. Its chunks are
/// read one by one: a crash in the middle of an append leaves a last
/// chunk cut short, which is left out (the meeting file has it).
fn load_document(path: &Path) -> Result<AutoCommit, String> {
    let bytes = match files::read_regular(path, false) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(AutoCommit::new()),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut doc = AutoCommit::new();
    let mut rest = bytes.as_slice();
    while !rest.is_empty() {
        let Ok(len) = wire::chunk_len(rest) else {
            break;
        };
        let (chunk, after) = rest.split_at(len);
        if wire::check_saved(chunk).is_err() || doc.load_incremental(chunk).is_err() {
            break;
        }
        rest = after;
    }
    Ok(doc)
}

#[cfg(test)]
mod tests;
