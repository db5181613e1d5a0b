//! Two scribes, one meeting: the notes each commits are shared through an
//! Automerge document (a CRDT) kept in sync with the peer by Automerge's
//! own sync protocol, over a TCP connection (docs/design/multi-scribe.md
//! says why this engine and what it does and does not cover).
//!
//! Every note is a key of the document's root map, `note:TAG:ID` (the
//! scribe's tag and their note's id), holding the note as JSON: keys never
//! collide, so concurrent notes merge by union and nothing is lost; an
//! edit by its own scribe replaces the value; two scribes editing the same
//! note at once end with the same one value on both sides (Automerge's
//! deterministic choice). The meeting file stays each scribe's own: a
//! note from the peer is committed to it like a typed one (journal,
//! fdatasync), so a crash loses what the file has never had, no more.
//!
//! The peer's messages are read on a thread of their own and handed over
//! by a channel; everything else happens on the caller's thread, at the
//! edge (the event loop), never in `update`.

use crate::model::{Note, Participant};
use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, PatchAction, PatchLog, ROOT, ReadDoc};
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::sync::mpsc::{Receiver, Sender, channel};

/// Wakes the event loop when the peer's message arrives (else it is read
/// at the next tick of the clock).
pub type Waker = Box<dyn Fn() + Send>;

/// Messages longer than this are refused: a peer is not trusted to say
/// how much memory to take.
const MAX_MESSAGE: usize = 64 << 20;

/// What a peer's messages brought: notes new or changed, with their keys,
/// and the ids here of notes they deleted.
#[derive(Debug, Default)]
pub struct Received {
    pub notes: Vec<(String, Note)>,
    pub deleted: Vec<u64>,
    /// People on the other scribe's roster (a newcomer who spoke there).
    pub people: Vec<Participant>,
}

pub struct Share {
    doc: AutoCommit,
    peer: sync::State,
    /// Messages for the peer, written by a thread of their own: a peer that
    /// stops reading never holds up the event loop (nor a note's journal).
    outbox: Sender<Vec<u8>>,
    inbox: Receiver<io::Result<Vec<u8>>>,
    /// This scribe's part of every key.
    tag: String,
    /// The peer's notes in this meeting: key to id here, and back.
    received: HashMap<String, u64>,
    peer_keys: HashMap<u64, String>,
    /// The connection broke: said once, then the meeting goes on alone.
    pub broken: Option<String>,
}

impl Share {
    /// Waits for one peer on `listener` (`minutes open FILE --host ADDR`).
    pub fn host(listener: &TcpListener, tag: &str, wake: Option<Waker>) -> io::Result<Share> {
        let (stream, _) = listener.accept()?;
        Share::over(stream, tag, wake)
    }

    /// Joins a host (`minutes open FILE --join ADDR`).
    pub fn join(addr: impl ToSocketAddrs, tag: &str, wake: Option<Waker>) -> io::Result<Share> {
        Share::over(TcpStream::connect(addr)?, tag, wake)
    }

    fn over(stream: TcpStream, tag: &str, wake: Option<Waker>) -> io::Result<Share> {
        stream.set_nodelay(true)?;
        let (tx, inbox) = channel();
        let mut reader = stream.try_clone()?;
        let (outbox, to_send) = channel::<Vec<u8>>();
        let mut writer = stream;
        let failed = tx.clone();
        std::thread::spawn(move || {
            for bytes in to_send {
                let written = writer
                    .write_all(&(bytes.len() as u32).to_be_bytes())
                    .and_then(|()| writer.write_all(&bytes));
                if let Err(e) = written {
                    // Said through the inbox, as a broken read would be.
                    let _ = failed.send(Err(e));
                    break;
                }
            }
        });
        std::thread::spawn(move || {
            loop {
                let message = read_message(&mut reader);
                let stop = message.is_err();
                if tx.send(message).is_err() || stop {
                    break;
                }
                if let Some(wake) = &wake {
                    wake();
                }
            }
        });
        let mut share = Share {
            doc: AutoCommit::new(),
            peer: sync::State::new(),
            outbox,
            inbox,
            tag: tag.to_string(),
            received: HashMap::new(),
            peer_keys: HashMap::new(),
            broken: None,
        };
        share.send();
        Ok(share)
    }

    /// A note committed (or edited) here: into the document, and whatever
    /// the peer lacks is sent. A note that came from the peer goes back
    /// under the peer's key, so an edit here reaches them as an edit.
    pub fn publish(&mut self, note: &Note) {
        let from_peer = self.peer_keys.get(&note.id).cloned();
        let key = from_peer
            .clone()
            .unwrap_or_else(|| format!("note:{}:{}", self.tag, note.id));
        let Ok(json) = serde_json::to_string(note) else {
            return;
        };
        // A note just received is saved here too, under an id (and maybe
        // an item) of this meeting: it is not sent back unless edited here.
        let same = self
            .doc
            .get(ROOT, &key)
            .ok()
            .flatten()
            .and_then(|(value, _)| {
                value
                    .as_str()
                    .and_then(|j| serde_json::from_str::<Note>(j).ok())
            })
            .is_some_and(|mut there| {
                there.id = note.id;
                if from_peer.is_some() {
                    there.item = note.item;
                }
                there == *note
            });
        if !same && self.doc.put(ROOT, key, json).is_ok() {
            self.send();
        }
    }

    /// The roster, so that the peer knows whoever its notes name: one key
    /// per person (`person:ID`), put only when it changed.
    pub fn publish_people(&mut self, people: &[Participant]) {
        let mut changed = false;
        for person in people {
            let key = format!("person:{}", person.id);
            // Attendance and speaker numbers are each scribe's own.
            let shared = Participant {
                attendance: None,
                speaker_number: None,
                ..person.clone()
            };
            let Ok(json) = serde_json::to_string(&shared) else {
                continue;
            };
            let same = self
                .doc
                .get(ROOT, &key)
                .ok()
                .flatten()
                .is_some_and(|(value, _)| value.as_str() == Some(json.as_str()));
            if !same {
                changed |= self.doc.put(ROOT, key, json).is_ok();
            }
        }
        if changed {
            self.send();
        }
    }

    /// A note deleted here: out of the document, so the peer deletes it too.
    pub fn retract(&mut self, id: u64) {
        let key =
            (self.peer_keys.get(&id).cloned()).unwrap_or_else(|| format!("note:{}:{id}", self.tag));
        let present = self.doc.get(ROOT, &key).ok().flatten().is_some();
        if present && self.doc.delete(ROOT, key).is_ok() {
            self.send();
        }
    }

    /// Applies what the peer sent; returns the notes new to this meeting
    /// (or changed there), with the key they are known by, and the keys of
    /// notes the peer deleted.
    pub fn receive(&mut self) -> Received {
        // The changes each message makes, as patches: a long meeting is
        // not read again whole.
        let mut log = PatchLog::active();
        let mut changed = false;
        while let Ok(message) = self.inbox.try_recv() {
            let applied = message.and_then(|bytes| {
                let message = sync::Message::decode(&bytes)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
                self.doc
                    .sync()
                    .receive_sync_message_log_patches(&mut self.peer, message, &mut log)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
            });
            match applied {
                Ok(()) => changed = true,
                Err(e) => {
                    self.broken.get_or_insert_with(|| e.to_string());
                    break;
                }
            }
        }
        if !changed {
            return Received::default();
        }
        self.send();
        let ours = format!("note:{}:", self.tag);
        let mut received = Received::default();
        for patch in self.doc.make_patches(&mut log) {
            if patch.obj != ROOT {
                continue;
            }
            match patch.action {
                // A note of ours the peer deleted: its key is ours.
                PatchAction::DeleteMap { key } => {
                    let local = match key.strip_prefix(&ours) {
                        Some(id) => id.parse().ok(),
                        None => self.received.get(&key).copied(),
                    };
                    received.deleted.extend(local);
                }
                PatchAction::PutMap { key, value, .. } if key.starts_with("person:") => {
                    if let Some(person) = value
                        .0
                        .as_str()
                        .and_then(|json| serde_json::from_str::<Participant>(json).ok())
                    {
                        received.people.push(person);
                    }
                }
                // A note of the peer's, or one of ours the peer edited.
                PatchAction::PutMap { key, value, .. } => {
                    if let Some(note) = value
                        .0
                        .as_str()
                        .and_then(|json| serde_json::from_str::<Note>(json).ok())
                    {
                        received.notes.push((key, note));
                    }
                }
                _ => {}
            }
        }
        received
    }

    /// The peer's note with `key` is note `id` in this meeting now.
    pub fn received_as(&mut self, key: String, id: u64) {
        self.peer_keys.insert(id, key.clone());
        self.received.insert(key, id);
    }

    /// The id here of the note `key`: ours (edited by the peer), or the
    /// peer's if it arrived before.
    pub fn local_id(&self, key: &str) -> Option<u64> {
        match key.strip_prefix(&format!("note:{}:", self.tag)) {
            Some(id) => id.parse().ok(),
            None => self.received.get(key).copied(),
        }
    }

    /// Sends the peer what the sync protocol says it lacks.
    fn send(&mut self) {
        while let Some(message) = self.doc.sync().generate_sync_message(&mut self.peer) {
            if self.outbox.send(message.encode()).is_err() {
                self.broken
                    .get_or_insert_with(|| "the connection is closed".into());
                return;
            }
        }
    }

    /// The document's size, saved (for the figures in the design notes).
    pub fn saved_size(&mut self) -> usize {
        self.doc.save().len()
    }
}

fn read_message(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
    let mut len = [0u8; 4];
    stream.read_exact(&mut len)?;
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_MESSAGE {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("the peer sent a message of {len} bytes"),
        ));
    }
    let mut bytes = vec![0; len];
    stream.read_exact(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (Share, Share) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let host = std::thread::spawn(move || Share::host(&listener, "ana", None).unwrap());
        let bo = Share::join(addr, "bo", None).unwrap();
        (host.join().unwrap(), bo)
    }

    fn note(id: u64, text: &str) -> Note {
        let at = "2024-09-26T14:00:00+00:00".parse().unwrap();
        Note::new(id, Some(1), Vec::new(), text.into(), at)
    }

    /// Waits for what `to` receives (the protocol needs both sides read).
    fn exchange(from: &mut Share, to: &mut Share) -> Received {
        for _ in 0..400 {
            let got = to.receive();
            from.receive();
            if !got.notes.is_empty() || !got.deleted.is_empty() {
                return got;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        Received::default()
    }

    #[test]
    fn notes_edits_and_deletions_reach_the_peer_and_nothing_echoes() {
        let (mut ana, mut bo) = pair();
        ana.publish(&note(1, "first"));
        let got = exchange(&mut ana, &mut bo);
        assert_eq!(got.notes.len(), 1);
        let (key, received) = &got.notes[0];
        assert_eq!(
            (key.as_str(), received.text.as_str()),
            ("note:ana:1", "first")
        );
        // Bo keeps it as note 7, and saving it there sends nothing back.
        bo.received_as(key.clone(), 7);
        let mut kept = received.clone();
        kept.id = 7;
        let heads = bo.doc.get_heads();
        bo.publish(&kept);
        assert_eq!(bo.doc.get_heads(), heads, "no echo");
        // An edit there goes back as an edit of Ana's note.
        kept.text = "first, corrected".into();
        bo.publish(&kept);
        let got = exchange(&mut bo, &mut ana);
        assert_eq!(got.notes.len(), 1);
        assert_eq!(got.notes[0].1.text, "first, corrected");
        assert_eq!(ana.local_id(&got.notes[0].0), Some(1), "her own note 1");
        // Ana deletes it: Bo is told which of his notes that is.
        ana.retract(1);
        let got = exchange(&mut ana, &mut bo);
        assert_eq!(got.deleted, [7]);
    }
}
