//! The meeting as one Automerge document: one key per note (`note:ID`),
//! per person (`person:ID`), per person in the queue (`queue:ID`), and
//! one each for the details, the agenda, the queue's state and the
//! record's state. Each value is the part's JSON, so that changes to two
//! parts at once both stay, and two changes to one part keep one on every
//! side while the other is said ([`Model::changes`]).
//!
//! The agenda's order is an Automerge list of item ids (`agenda-list`):
//! a move is the item taken out and put back elsewhere, so two scribes
//! moving two items at once both stay; one item moved by two at once is
//! in the list twice, its first place counts everywhere, and that is said.
//!
//! A deleted note or queue entry keeps its key with an empty value, so a
//! scribe who was away deletes it too when it comes back rather than
//! sending it again.
//!
//! Everything here runs on the share thread (engine.rs), on the document
//! samod holds; nothing here does I/O.

use super::wire;
use crate::model::{AgendaItem, Meeting, Note, Participant, QueueEntry};
use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, PatchAction, ROOT, ReadDoc};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// The earlier of two times, either of which may be unknown.
fn earliest(
    a: Option<crate::model::Instant>,
    b: Option<crate::model::Instant>,
) -> Option<crate::model::Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The parts of the meeting other than notes, people, agenda items and
/// queue entries, one key each. (`agenda` is the whole agenda as one
/// value, as documents made before items had keys of their own hold it.)
const META: [&str; 5] = ["meeting", "agenda-order", "queue", "record", "agenda"];

/// The agenda's order: a list of item ids (see the module's comment).
/// `agenda-order`, one JSON value, is read from documents made before.
const ORDER: &str = "agenda-list";
/// Entries of the order read at most (an agenda has tens; a peer cannot
/// make every look at it long).
const MAX_ORDER: usize = 4096;

/// The queue's state; its entries are one key each (`queue:PERSON`), so
/// that two scribes queueing two people at once both stay.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SharedQueue {
    closed: bool,
    kept: bool,
}

/// One person in the queue, with their place when it was put.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SharedEntry {
    place: usize,
    entry: QueueEntry,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SharedRecord {
    off_record: bool,
    parked: Vec<String>,
}

/// What changed in everything but the notes: only the parts another
/// scribe changed, laid over the scribe's own meeting with
/// [`Parts::over`], so that what this scribe did meanwhile (and the share
/// thread has not put yet) stays.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    details: Option<Meeting>,
    /// The agenda as the document has it, read whole (in order) when an
    /// item or the order changed.
    agenda: Option<AgendaNow>,
    queue_state: Option<SharedQueue>,
    /// The queue as the document has it, in order, and the entries taken
    /// out of it (an entry in neither is this scribe's, not put yet).
    queue: Option<SharedQueueNow>,
    record: Option<SharedRecord>,
    people: Vec<Participant>,
    /// The earliest of the starts the scribes stamped (`start:ACTOR`).
    start: Option<crate::model::Instant>,
}

impl Parts {
    /// Later changes over these.
    pub fn merge(&mut self, later: Parts) {
        let Parts {
            details,
            agenda,
            queue_state,
            queue,
            record,
            people,
            start,
        } = later;
        self.details = details.or(self.details.take());
        self.agenda = agenda.or(self.agenda.take());
        self.queue_state = queue_state.or(self.queue_state.take());
        self.record = record.or(self.record.take());
        self.queue = queue.or(self.queue.take());
        self.people.extend(people);
        self.start = earliest(self.start, start);
    }

    /// These changes over `local`: each scribe keeps its own speaker
    /// numbers, and anything the changes do not name.
    pub fn over(&self, local: &Meeting) -> Meeting {
        let mut meeting = match &self.details {
            Some(details) => Meeting {
                participants: local.participants.clone(),
                agenda: local.agenda.clone(),
                queue: local.queue.clone(),
                queue_closed: local.queue_closed,
                queue_kept: local.queue_kept,
                off_record: local.off_record,
                parked: local.parked.clone(),
                // Two scribes who began at once each stamped a start: the
                // earlier is the meeting's, on every side (the later one's
                // scribe sends it on, having it now).
                started_at: earliest(details.started_at, local.started_at),
                ..details.clone()
            },
            None => local.clone(),
        };
        meeting.notes.clear();
        if let Some(now) = &self.agenda {
            let mine: Vec<AgendaItem> = (meeting.agenda.iter())
                .filter(|i| !now.removed.contains(&i.id) && !now.items.iter().any(|n| n.id == i.id))
                .cloned()
                .collect();
            meeting.agenda = now.items.iter().cloned().chain(mine).collect();
        }
        if let Some(state) = &self.queue_state {
            (meeting.queue_closed, meeting.queue_kept) = (state.closed, state.kept);
        }
        if let Some(now) = &self.queue {
            let mine: Vec<QueueEntry> = meeting
                .queue
                .iter()
                .filter(|e| {
                    !now.removed.contains(&e.id) && !now.entries.iter().any(|n| n.id == e.id)
                })
                .cloned()
                .collect();
            meeting.queue = now.entries.iter().cloned().chain(mine).collect();
        }
        if let Some(record) = &self.record {
            (meeting.off_record, meeting.parked) = (record.off_record, record.parked.clone());
        }
        meeting.started_at = earliest(meeting.started_at, self.start);
        for person in &self.people {
            let speaker_number = local.participant(&person.id).and_then(|p| p.speaker_number);
            let person = Participant {
                speaker_number,
                ..person.clone()
            };
            match meeting.participants.iter_mut().find(|p| p.id == person.id) {
                Some(known) => *known = person,
                None => meeting.participants.push(person),
            }
        }
        meeting
    }

    /// One changed key, read into these changes.
    fn read(&mut self, key: &str, json: &str) {
        match key {
            "meeting" => self.details = serde_json::from_str(json).ok(),
            "agenda" | "agenda-order" => {
                self.agenda.get_or_insert_with(AgendaNow::default);
            }
            "queue" => self.queue_state = serde_json::from_str(json).ok(),
            "record" => self.record = serde_json::from_str(json).ok(),
            _ => {
                if key.starts_with("item:") {
                    // Read whole from the document (agenda_now), in order.
                    self.agenda.get_or_insert_with(AgendaNow::default);
                } else if key.starts_with("queue:") {
                    // Read whole from the document (queue_now), in order.
                    self.queue.get_or_insert_with(SharedQueueNow::default);
                } else if key.starts_with("person:")
                    && let Ok(person) = serde_json::from_str::<Participant>(json)
                {
                    self.people.push(person);
                } else if key.starts_with("start:")
                    && let Ok(start) = serde_json::from_str(json)
                {
                    self.start = earliest(self.start, Some(start));
                }
            }
        }
    }
}

/// The queue's entries as the document has them.
#[derive(Debug, Clone, Default)]
pub struct SharedQueueNow {
    entries: Vec<QueueEntry>,
    removed: std::collections::HashSet<String>,
}

/// The queue's entries, ordered by their places (then when and who, so
/// that two put at one place at once are in one order everywhere).
fn queue_now(doc: &Automerge) -> SharedQueueNow {
    let mut now = SharedQueueNow::default();
    let mut entries = Vec::new();
    for item in doc.map_range(ROOT, "queue:".to_string().."queue;".to_string()) {
        match text(item.value).filter(|json| !json.is_empty()) {
            Some(json) => entries.extend(serde_json::from_str::<SharedEntry>(&json).ok()),
            None => {
                if let Some(id) = item.key.strip_prefix("queue:") {
                    now.removed.insert(id.to_string());
                }
            }
        }
    }
    entries.sort_by(|a, b| {
        (a.place, a.entry.added_at, &a.entry.id).cmp(&(b.place, b.entry.added_at, &b.entry.id))
    });
    now.entries = entries.into_iter().map(|e| e.entry).collect();
    now
}

/// The agenda's items as the document has them, and those taken out.
#[derive(Debug, Clone, Default)]
pub struct AgendaNow {
    items: Vec<AgendaItem>,
    removed: std::collections::HashSet<u32>,
}

/// The agenda, in the shared order; an item the order does not name (two
/// scribes added one each at once, and one order was kept) comes after,
/// by id, so every scribe shows the same. A document from before items
/// had keys of their own holds the agenda as one value.
fn agenda_now(doc: &Automerge) -> AgendaNow {
    let mut now = AgendaNow::default();
    let mut items: HashMap<u32, AgendaItem> = HashMap::new();
    for item in doc.map_range(ROOT, "item:".to_string().."item;".to_string()) {
        let Some(id) = item
            .key
            .strip_prefix("item:")
            .and_then(|id| id.parse().ok())
        else {
            continue;
        };
        match text(item.value).filter(|json| !json.is_empty()) {
            Some(json) => {
                if let Ok(parsed) = serde_json::from_str::<AgendaItem>(&json) {
                    items.insert(id, AgendaItem { id, ..parsed });
                }
            }
            None => {
                now.removed.insert(id);
            }
        }
    }
    let order = order_of(doc).map(|(order, _)| order).or_else(|| {
        string(doc, "agenda-order").and_then(|j| serde_json::from_str::<Vec<u32>>(&j).ok())
    });
    let Some(order) = order else {
        now.items = string(doc, "agenda")
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default();
        return now;
    };
    for id in order {
        now.items.extend(items.remove(&id));
    }
    let mut rest: Vec<AgendaItem> = items.into_values().collect();
    rest.sort_by_key(|i| i.id);
    now.items.extend(rest);
    now
}

/// The agenda's order list, when the document has one.
fn order_list(doc: &impl ReadDoc) -> Option<automerge::ObjId> {
    match doc.get(ROOT, ORDER).ok().flatten()? {
        (automerge::Value::Object(automerge::ObjType::List), list) => Some(list),
        _ => None,
    }
}

/// The order as the list has it (each id at its first place), and the
/// ids in it more than once (moved by two scribes at once).
fn order_of(doc: &impl ReadDoc) -> Option<(Vec<u32>, Vec<u32>)> {
    let list = order_list(doc)?;
    let mut order = Vec::new();
    let mut placed = std::collections::HashSet::new();
    let mut twice = Vec::new();
    for entry in doc.list_range(&list, ..MAX_ORDER) {
        let Some(id) = entry
            .value
            .into_value()
            .as_i64()
            .and_then(|n| u32::try_from(n).ok())
        else {
            continue;
        };
        if placed.insert(id) {
            order.push(id);
        } else if !twice.contains(&id) {
            twice.push(id);
        }
    }
    Some((order, twice))
}

/// The items of `now` whose order among themselves is as it was in
/// `before` (the longest such run, in O(n log n)): the others were moved
/// or are new.
fn unmoved(before: &[u32], now: &[u32]) -> std::collections::HashSet<u32> {
    let place: HashMap<u32, usize> = before.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let known: Vec<(u32, usize)> = now
        .iter()
        .filter_map(|id| Some((*id, *place.get(id)?)))
        .collect();
    // Patience sorting: tails[k] is the index in `known` ending the best
    // run of length k + 1; back links rebuild the run.
    let mut tails: Vec<usize> = Vec::new();
    let mut back: Vec<Option<usize>> = vec![None; known.len()];
    for (i, &(_, p)) in known.iter().enumerate() {
        let k = tails.partition_point(|&t| known[t].1 < p);
        back[i] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut run = std::collections::HashSet::new();
    let mut at = tails.last().copied();
    while let Some(i) = at {
        run.insert(known[i].0);
        at = back[i];
    }
    run
}

/// Orders a screen may still have (see `Model::orders`): screens apply
/// what they are given within a moment, so a few are enough.
const ORDERS_KEPT: usize = 8;

/// Moves in one put above this are a new order, not moves: the list is
/// written afresh (a pasted agenda, or a peer making every edit long).
const MOST_MOVES: usize = 64;

/// What the scribe did to the order since `before` (what its screen had),
/// done to the shared list: an item moved or added here is taken out
/// wherever it is and put back after the item before it here; one removed
/// here is taken out. Moves other scribes made meanwhile stay.
fn edit_order(tx: &mut automerge::transaction::Transaction<'_>, before: &[u32], now: &[u32]) {
    let now = &now[..now.len().min(MAX_ORDER)];
    let list = match order_list(tx) {
        Some(list) => list,
        None => match tx.put_object(ROOT, ORDER, automerge::ObjType::List) {
            Ok(list) => list,
            Err(_) => return,
        },
    };
    let listed: std::collections::HashSet<u32> = order_of(tx)
        .map(|(order, _)| order.into_iter().collect())
        .unwrap_or_default();
    // An item the list does not name (its first list lost to another
    // scribe's made at once) is put in like a new one.
    let stays: std::collections::HashSet<u32> = unmoved(before, now)
        .into_iter()
        .filter(|id| listed.contains(id))
        .collect();
    let moves = now.iter().filter(|id| !stays.contains(id)).count();
    if moves > MOST_MOVES {
        // All of it: what lies past MAX_ORDER would come after the new
        // order and be read as part of it.
        for at in (0..tx.length(&list)).rev() {
            let _ = tx.delete(&list, at);
        }
        for (at, id) in now.iter().enumerate() {
            let _ = tx.insert(&list, at, i64::from(*id));
        }
        return;
    }
    let kept: std::collections::HashSet<u32> = now.iter().copied().collect();
    let take_out = |tx: &mut automerge::transaction::Transaction<'_>, id: u32| {
        let places: Vec<usize> = tx
            .list_range(&list, ..MAX_ORDER)
            .filter(|e| e.value.clone().into_value().as_i64() == Some(i64::from(id)))
            .map(|e| e.index)
            .collect();
        for at in places.into_iter().rev() {
            let _ = tx.delete(&list, at);
        }
    };
    for id in before.iter().filter(|id| !kept.contains(id)) {
        take_out(tx, *id);
    }
    for (at, id) in now.iter().enumerate() {
        if stays.contains(id) {
            continue;
        }
        take_out(tx, *id);
        // After the nearest item before it here that the list has: one
        // pass over the list, not one per item looked for.
        let places = first_places(tx, &list);
        let after = now[..at].iter().rev().find_map(|p| places.get(p).copied());
        let _ = tx.insert(&list, after.map_or(0, |i| i + 1), i64::from(*id));
    }
}

/// Each id's first index in the list.
fn first_places(doc: &impl ReadDoc, list: &automerge::ObjId) -> HashMap<u32, usize> {
    let mut places = HashMap::new();
    for entry in doc.list_range(list, ..MAX_ORDER) {
        if let Some(id) = entry
            .value
            .into_value()
            .as_i64()
            .and_then(|n| u32::try_from(n).ok())
        {
            places.entry(id).or_insert(entry.index);
        }
    }
    places
}

/// What the other scribes changed since the last look.
#[derive(Debug, Default)]
pub struct Changes {
    pub notes: Vec<Note>,
    pub deleted: Vec<u64>,
    /// The agenda, queue, roster, details or record changed: the parts.
    pub parts: Option<Parts>,
    /// Two scribes changed one thing at once: what was not kept.
    pub conflicts: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
            && self.deleted.is_empty()
            && self.parts.is_none()
            && self.conflicts.is_empty()
    }
}

/// The document as this scribe has seen it: which value of each key it
/// put or was given last (a hash), so that its own changes coming back,
/// and the app's echo of a change it was given, are neither applied nor
/// sent again, even when the document has moved on meanwhile.
#[derive(Default)]
pub struct Model {
    seen: HashMap<String, u64>,
    /// The value of each key the scribe last sent (a hash): a part it
    /// sends again unchanged is not put, so a value it has not applied
    /// yet (heard meanwhile) is never put back over a newer one.
    sent: HashMap<String, u64>,
    /// The heads at the last look.
    heads: Vec<ChangeHash>,
    /// The agenda's orders this scribe's screen may have now, newest
    /// last: the one it sent last, and those read for it since. An order
    /// among them coming from the screen is no change of the scribe's (a
    /// move heard and not shown yet is not undone by a stale echo); a new
    /// one is measured against the nearest of them.
    orders: std::collections::VecDeque<Vec<u32>>,
    /// The order the screen sent last (in `orders` while it is there).
    sent_last: Option<Vec<u32>>,
    /// Items in the order list twice (already said).
    doubled: Vec<u32>,
}

fn fingerprint(value: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A value's text (every value here is a JSON string).
fn text(value: automerge::ValueRef<'_>) -> Option<String> {
    value.into_value().as_str().map(str::to_string)
}

fn string(doc: &Automerge, key: &str) -> Option<String> {
    let (value, _) = doc.get(ROOT, key).ok().flatten()?;
    value.as_str().map(str::to_string)
}

fn note_id(key: &str) -> Option<u64> {
    key.strip_prefix("note:").and_then(|id| id.parse().ok())
}

/// Every key a note, person, queue entry or part of the meeting puts.
fn entries_of(
    meeting: &Meeting,
    sent: &HashMap<String, u64>,
    actor: &str,
) -> Vec<(String, String)> {
    fn put(out: &mut Vec<(String, String)>, key: String, value: serde_json::Result<String>) {
        if let Ok(json) = value {
            out.push((key, json));
        }
    }
    let mut out = Vec::new();
    for person in &meeting.participants {
        // Speaker numbers are each scribe's own.
        let shared = Participant {
            speaker_number: None,
            ..person.clone()
        };
        put(
            &mut out,
            format!("person:{}", person.id),
            serde_json::to_string(&shared),
        );
    }
    // Each item its own key, so that two scribes renaming or adding two
    // items at once both stay; the order is the list (edit_order).
    for item in &meeting.agenda {
        put(
            &mut out,
            format!("item:{}", item.id),
            serde_json::to_string(item),
        );
    }
    let queue = SharedQueue {
        closed: meeting.queue_closed,
        kept: meeting.queue_kept,
    };
    put(&mut out, "queue".into(), serde_json::to_string(&queue));
    for (place, entry) in meeting.queue.iter().enumerate() {
        let shared = SharedEntry {
            place,
            entry: entry.clone(),
        };
        put(
            &mut out,
            format!("queue:{}", entry.id),
            serde_json::to_string(&shared),
        );
    }
    // Out of the queue or the agenda here, having been in it here: out of
    // the shared one (an empty value). One this scribe never had is not
    // its to remove (it may not have heard of it yet).
    let empty = fingerprint("");
    for (key, hash) in sent {
        let gone = if let Some(id) = key.strip_prefix("queue:") {
            !meeting.queue.iter().any(|e| e.id == id)
        } else if let Some(id) = key.strip_prefix("item:") {
            !meeting.agenda.iter().any(|i| i.id.to_string() == id)
        } else {
            false
        };
        if *hash != empty && gone {
            out.push((key.clone(), String::new()));
        }
    }
    let record = SharedRecord {
        off_record: meeting.off_record,
        parked: meeting.parked.clone(),
    };
    put(&mut out, "record".into(), serde_json::to_string(&record));
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
    put(&mut out, "meeting".into(), serde_json::to_string(&details));
    // Two scribes who began at once each stamp a start, under a key of
    // their own: the meeting began at the earliest (Parts::over), on
    // every side, whichever details Automerge keeps.
    if let Some(start) = meeting.started_at {
        put(
            &mut out,
            format!("start:{actor}"),
            serde_json::to_string(&start),
        );
    }
    out
}

/// What the scribe changed, as the engine is told it.
#[derive(Debug, Clone)]
pub enum Put {
    Note(Box<Note>),
    Deleted(u64),
    Meta(Box<Meeting>),
}

impl Model {
    /// Starts from the document as loaded (from the file, or a peer).
    pub fn new(doc: &Automerge) -> Model {
        let mut model = Model::default();
        for key in doc.keys(ROOT) {
            if let Some(value) = string(doc, &key) {
                model.seen.insert(key, fingerprint(&value));
            }
        }
        model.heads = doc.get_heads();
        model
            .orders
            .push_back(agenda_now(doc).items.iter().map(|i| i.id).collect());
        model
    }

    /// An order read and given to the screen.
    fn given(&mut self, order: Vec<u32>) {
        if self.orders.back() != Some(&order) {
            self.orders.push_back(order);
        }
        while self.orders.len() > ORDERS_KEPT {
            self.orders.pop_front();
        }
    }

    /// The scribe's changes put in one commit; what the scribe already
    /// had (its echo of what it was given) is left out.
    pub fn put(&mut self, doc: &mut Automerge, puts: &[Put]) {
        let mut entries = Vec::new();
        let mut order = None;
        for put in puts {
            match put {
                Put::Note(note) => {
                    if let Ok(json) = serde_json::to_string(note.as_ref()) {
                        entries.push((format!("note:{}", note.id), json));
                    }
                }
                Put::Deleted(id) => entries.push((format!("note:{id}"), String::new())),
                Put::Meta(meeting) => {
                    let actor = doc.get_actor().to_hex_string();
                    entries.extend(entries_of(meeting, &self.sent, &actor));
                    order = Some(meeting.agenda.iter().map(|i| i.id).collect::<Vec<u32>>());
                }
            }
        }
        // The order as it was last exchanged is no change of this scribe's
        // (a move heard and not applied yet is not undone); nor is a
        // document with no order yet to a scribe with no agenda.
        let order = order.and_then(|now| {
            let nothing = now.is_empty() && order_list(doc).is_none();
            if nothing || self.orders.contains(&now) {
                return None;
            }
            // What the screen had before this change: of the orders it
            // may have had, the one `now` differs least from (the newest
            // of equals).
            let before = self
                .orders
                .iter()
                .max_by_key(|o| unmoved(o, &now).len())
                .cloned()
                .unwrap_or_default();
            Some((before, now))
        });
        let fresh: Vec<(String, String)> = entries
            .into_iter()
            .filter(|(key, json)| {
                let hash = fingerprint(json);
                if self.sent.insert(key.clone(), hash) == Some(hash)
                    || self.seen.get(key) == Some(&hash)
                {
                    return false;
                }
                self.seen.insert(key.clone(), hash);
                string(doc, key).as_deref() != Some(json.as_str())
            })
            .collect();
        if fresh.is_empty() && order.is_none() {
            return;
        }
        let mut tx = doc.transaction();
        for (key, json) in fresh {
            let _ = tx.put(ROOT, key, json);
        }
        if let Some((before, now)) = order {
            edit_order(&mut tx, &before, &now);
            // What the screen sent is what it has. Orders read since it
            // last sent may still reach it (they stay); older ones it has
            // left behind, so going back to one is a change again.
            if let Some(last) = self.sent_last.take()
                && self.orders.contains(&last)
            {
                while self.orders.front().is_some_and(|o| *o != last) {
                    self.orders.pop_front();
                }
                self.orders.pop_front();
            }
            self.sent_last = Some(now.clone());
            self.given(now);
        }
        tx.commit();
        // The heads stay where the last look left them: changes from other
        // scribes may have come in since, unread. Our own values are
        // skipped there by `seen`.
    }

    /// At the start: whatever the meeting file has that the document
    /// lacks is put (a change is in the meeting's journal before the
    /// document hears of it). A joining scribe with no document yet takes
    /// the shared meeting's details rather than putting its copy's over
    /// them.
    /// What the document has newer than the meeting is left as it is,
    /// and returned for [`Model::missing`].
    pub fn reconcile(&mut self, doc: &mut Automerge, meeting: &Meeting, with_meta: bool) -> Newer {
        let newer = newer_in_doc(doc, meeting);
        let mut puts: Vec<Put> = meeting
            .notes
            .iter()
            .filter(|n| !newer.contains_key(&n.id))
            .map(|n| Put::Note(Box::new(n.clone())))
            .collect();
        if with_meta {
            puts.push(Put::Meta(Box::new(meeting.clone())));
            // The meeting's own scribe makes the order list at once, even
            // empty: two scribes adding the first items at once would each
            // make one, and one would be lost.
            if order_list(doc).is_none() {
                let mut tx = doc.transaction();
                let _ = tx.put_object(ROOT, ORDER, automerge::ObjType::List);
                tx.commit();
            }
        }
        self.put(doc, &puts);
        newer
    }

    /// Notes the document has and the meeting lacks, or has in an older
    /// version: received and stored here, then a crash before the
    /// meeting's journal had them. They are given to the scribe again
    /// rather than deleted or undone everywhere (a note this scribe
    /// deleted in the instant before a crash may come back; never one
    /// lost), as are deletions `newer` names.
    pub fn missing(&self, doc: &Automerge, meeting: &Meeting, newer: Newer) -> Changes {
        let here: std::collections::HashSet<u64> = meeting.notes.iter().map(|n| n.id).collect();
        let mut changes = Changes::default();
        for (id, note) in newer {
            match note {
                Some(note) => changes.notes.push(note),
                None => changes.deleted.push(id),
            }
        }
        for item in doc.map_range(ROOT, "note:".to_string().."note;".to_string()) {
            if let Some(id) = note_id(&item.key)
                && !here.contains(&id)
                && let Some(json) = text(item.value)
                && let Ok(mut note) = serde_json::from_str::<Note>(&json)
            {
                note.id = id;
                changes.notes.push(note);
            }
        }
        changes
    }

    /// What other scribes changed since the last look, read from the
    /// difference between the heads (a long meeting is not read whole).
    /// An error names what a peer sent that no scribe would.
    pub fn changes(&mut self, doc: &Automerge) -> Changes {
        let heads = doc.get_heads();
        let mut changes = Changes::default();
        if heads == self.heads {
            return changes;
        }
        let mut parts = Parts::default();
        let mut meta_changed = false;
        // The order list changed (its own patches, or put at the root).
        let mut reordered = false;
        for patch in doc.diff(&self.heads, &heads) {
            if patch.obj != ROOT {
                reordered |= matches!(patch.path.first(),
                    Some((obj, automerge::Prop::Map(key))) if *obj == ROOT && key == ORDER);
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
                reordered |= key == ORDER;
                continue;
            };
            let hash = fingerprint(text);
            if self.seen.get(&key) == Some(&hash) {
                continue;
            }
            self.seen.insert(key.clone(), hash);
            if text.len() > wire::MAX_VALUE {
                changes.conflicts.push(format!(
                    "A scribe sent a value of {} bytes (at most {}): left out",
                    text.len(),
                    wire::MAX_VALUE
                ));
                continue;
            }
            if let Some(id) = note_id(&key) {
                // The scribe applies a note it is given without sending it
                // back: that is now its value too.
                self.sent.insert(key.clone(), hash);
                if text.is_empty() {
                    changes.deleted.push(id);
                    continue;
                }
                let Ok(mut note) = serde_json::from_str::<Note>(text) else {
                    changes
                        .conflicts
                        .push("A scribe sent a note this version cannot read: left out".into());
                    continue;
                };
                note.id = id;
                if conflict {
                    changes.conflicts.extend(conflict_note(doc, &key, &note));
                }
                changes.notes.push(note);
            } else if key.starts_with("person:")
                || key.starts_with("start:")
                || key.starts_with("queue:")
                || key.starts_with("item:")
                || META.contains(&key.as_str())
            {
                meta_changed = true;
                parts.read(&key, text);
                if conflict {
                    changes.conflicts.extend(conflict_meta(doc, &key));
                }
            }
        }
        self.heads = heads;
        if reordered {
            let (order, twice) = order_of(doc).unwrap_or_default();
            // This scribe's own edit coming back is no news.
            if self.orders.back() != Some(&order) || parts.agenda.is_some() {
                parts.agenda.get_or_insert_with(AgendaNow::default);
                meta_changed = true;
            }
            changes.conflicts.extend(self.said_twice(doc, twice));
        }
        if meta_changed {
            if parts.queue.is_some() {
                parts.queue = Some(queue_now(doc));
            }
            if parts.agenda.is_some() {
                let now = agenda_now(doc);
                self.given(now.items.iter().map(|i| i.id).collect());
                parts.agenda = Some(now);
            }
            changes.parts = Some(parts);
        }
        changes
    }

    /// Items two scribes moved at once (in the order twice), said once
    /// each: every scribe shows the first place.
    fn said_twice(&mut self, doc: &Automerge, twice: Vec<u32>) -> Vec<String> {
        let said: Vec<String> = twice
            .iter()
            .filter(|id| !self.doubled.contains(id))
            .map(|id| {
                let title = string(doc, &format!("item:{id}"))
                    .and_then(|j| serde_json::from_str::<AgendaItem>(&j).ok())
                    .map_or_else(|| format!("item {id}"), |i| i.title);
                format!(
                    "Two scribes moved \"{}\" at once: it is where one of them put it (move it again if that is not right)",
                    crate::text::truncate(&title, 60)
                )
            })
            .collect();
        self.doubled = twice;
        said
    }
}

/// Notes the document has in a version the meeting's journal does not
/// (or has deleted), where the journal's version was in the document
/// once: the document's came after it (another scribe's edit or
/// deletion, stored here before a crash took the journal's copy), and is
/// the note now (`None`: deleted). A journal's version the document never
/// had is this scribe's own change, not sent before the crash: that one
/// is put. (History, not clocks: every change of the document is read,
/// at the start and only when some note differs. Every change of a note
/// makes a version of its own, `edited_at`, so a version is never one
/// before it again.)
pub type Newer = HashMap<u64, Option<Note>>;

fn newer_in_doc(doc: &Automerge, meeting: &Meeting) -> Newer {
    let mut differing: HashMap<String, (&Note, Option<Note>)> = HashMap::new();
    for note in &meeting.notes {
        let key = format!("note:{}", note.id);
        let Some(json) = string(doc, &key) else {
            continue;
        };
        let theirs = if json.is_empty() {
            None
        } else {
            let Ok(mut theirs) = serde_json::from_str::<Note>(&json) else {
                continue;
            };
            theirs.id = note.id;
            if theirs == *note {
                continue;
            }
            Some(theirs)
        };
        differing.insert(key, (note, theirs));
    }
    if differing.is_empty() {
        return Newer::new();
    }
    let mut once_there = std::collections::HashSet::new();
    for change in doc.get_changes(&[]) {
        for op in change.decode().operations {
            let automerge::legacy::Key::Map(key) = &op.key else {
                continue;
            };
            if let automerge::legacy::OpType::Put(automerge::ScalarValue::Str(value)) = &op.action
                && op.obj == automerge::legacy::ObjectId::Root
                && let Some((mine, _)) = differing.get(key.as_str())
                && !once_there.contains(key.as_str())
                && let Ok(mut was) = serde_json::from_str::<Note>(value)
            {
                was.id = mine.id;
                if was == **mine {
                    once_there.insert(key.to_string());
                }
            }
        }
    }
    differing
        .into_iter()
        .filter(|(key, _)| once_there.contains(key))
        .map(|(_, (mine, theirs))| (mine.id, theirs))
        .collect()
}

/// Everything but the notes, as the document has it (as changes over
/// an empty meeting).
pub fn parts(doc: &Automerge) -> Parts {
    let mut parts = Parts::default();
    for key in META {
        if let Some(json) = string(doc, key) {
            parts.read(key, &json);
        }
    }
    for item in doc.map_range(ROOT, "person:".to_string().."person;".to_string()) {
        if let Some(json) = text(item.value.clone()) {
            parts.read(&item.key, &json);
        }
    }
    for item in doc.map_range(ROOT, "start:".to_string().."start;".to_string()) {
        if let Some(json) = text(item.value.clone()) {
            parts.read(&item.key, &json);
        }
    }
    parts.queue = Some(queue_now(doc));
    let agenda = agenda_now(doc);
    parts.agenda = (!agenda.items.is_empty() || !agenda.removed.is_empty()).then_some(agenda);
    parts
}

/// The whole meeting as the document has it, once it has the details.
pub fn meeting(doc: &Automerge) -> Option<Meeting> {
    let parts = parts(doc);
    let details = parts.details.clone()?;
    let empty = Meeting {
        participants: Vec::new(),
        agenda: Vec::new(),
        queue: Vec::new(),
        ..details
    };
    let mut meeting = parts.over(&empty);
    for item in doc.map_range(ROOT, "note:".to_string().."note;".to_string()) {
        if let Some(id) = note_id(&item.key)
            && let Some(json) = text(item.value)
            && let Ok(mut note) = serde_json::from_str::<Note>(&json)
        {
            note.id = id;
            meeting.notes.push(note);
        }
    }
    meeting.notes.sort_by_key(|n| (n.started_at, n.id));
    Some(meeting)
}

/// Two scribes changed one note at once: Automerge keeps one version on
/// every side; the others are said, not lost.
fn conflict_note(doc: &Automerge, key: &str, kept: &Note) -> Option<String> {
    let values = doc.get_all(ROOT, key).ok()?;
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

/// Two scribes changed the same part of the meeting at once: one version
/// is kept everywhere; what the other had is said.
fn conflict_meta(doc: &Automerge, key: &str) -> Option<String> {
    let values: Vec<String> = doc
        .get_all(ROOT, key)
        .ok()?
        .iter()
        .filter_map(|(value, _)| value.as_str().map(str::to_string))
        .collect();
    let (kept, others) = values.split_last()?;
    // The same value put twice (a scribe sending again what it had) is no
    // conflict; nor are two starts stamped at once (the earlier is kept,
    // Parts::over).
    let details_but_start = |json: &str| {
        serde_json::from_str::<Meeting>(json).ok().map(|m| Meeting {
            started_at: None,
            ..m
        })
    };
    let others: Vec<&String> = others
        .iter()
        .filter(|o| *o != kept)
        .filter(|o| key != "meeting" || details_but_start(o) != details_but_start(kept))
        .collect();
    if others.is_empty() {
        return None;
    }
    let what = match key {
        "agenda" | "agenda-order" => "the agenda's order".to_string(),
        _ if key.starts_with("item:") => {
            let title = |json: &str| {
                serde_json::from_str::<AgendaItem>(json).map_or_else(|_| String::new(), |i| i.title)
            };
            let lost: Vec<String> = others
                .iter()
                .map(|o| title(o))
                .filter(|t| !t.is_empty() && *t != title(kept))
                .collect();
            if lost.is_empty() {
                format!("the agenda item \"{}\" (its times or minutes)", title(kept))
            } else {
                format!(
                    "the agenda item \"{}\"; not kept: \"{}\"",
                    title(kept),
                    lost.join("\", \"")
                )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: u64, text: &str) -> Note {
        let at = "2024-09-26T14:00:00+00:00".parse().unwrap();
        Note::new(id, Some(1), Vec::new(), text.into(), at)
    }

    /// Two documents synced both ways, as samod does over the network.
    fn sync(a: &mut Automerge, b: &mut Automerge) {
        use automerge::sync::{State, SyncDoc};
        let (mut sa, mut sb) = (State::new(), State::new());
        for _ in 0..10 {
            let mut quiet = true;
            if let Some(m) = a.generate_sync_message(&mut sa) {
                b.receive_sync_message(&mut sb, m).unwrap();
                quiet = false;
            }
            if let Some(m) = b.generate_sync_message(&mut sb) {
                a.receive_sync_message(&mut sa, m).unwrap();
                quiet = false;
            }
            if quiet {
                break;
            }
        }
    }

    #[test]
    fn a_note_goes_across_once_and_its_echo_is_not_news() {
        let (mut a, mut b) = (Automerge::new(), Automerge::new());
        let (mut ma, mut mb) = (Model::new(&a), Model::new(&b));
        ma.put(&mut a, &[Put::Note(Box::new(note(7, "hello")))]);
        assert!(ma.changes(&a).notes.is_empty(), "our own change is no news");
        sync(&mut a, &mut b);
        let got = mb.changes(&b);
        assert_eq!(got.notes.len(), 1);
        assert_eq!((got.notes[0].id, got.notes[0].text.as_str()), (7, "hello"));
        // The app saves what it was given and hands it back: no new change.
        let heads = b.get_heads();
        mb.put(&mut b, &[Put::Note(Box::new(got.notes[0].clone()))]);
        assert_eq!(b.get_heads(), heads, "the echo is not put again");
        // Deleted on b: deleted on a.
        mb.put(&mut b, &[Put::Deleted(7)]);
        sync(&mut a, &mut b);
        assert_eq!(ma.changes(&a).deleted, vec![7]);
    }

    #[test]
    fn a_stale_echo_never_overwrites_a_newer_version() {
        let (mut a, mut b) = (Automerge::new(), Automerge::new());
        let (mut ma, mut mb) = (Model::new(&a), Model::new(&b));
        ma.put(&mut a, &[Put::Note(Box::new(note(1, "v1")))]);
        sync(&mut a, &mut b);
        let v1 = mb.changes(&b).notes.remove(0);
        ma.put(&mut a, &[Put::Note(Box::new(note(1, "v2")))]);
        sync(&mut a, &mut b);
        // b's app echoes v1 after v2 arrived at b's document.
        mb.put(&mut b, &[Put::Note(Box::new(v1))]);
        assert_eq!(meeting_note(&b, 1), "v2");
    }

    fn meeting_note(doc: &Automerge, id: u64) -> String {
        let json = string(doc, &format!("note:{id}")).unwrap();
        serde_json::from_str::<Note>(&json).unwrap().text
    }

    #[test]
    fn two_edits_of_one_note_at_once_keep_one_and_say_the_other() {
        let (mut a, mut b) = (Automerge::new(), Automerge::new());
        let (mut ma, mut mb) = (Model::new(&a), Model::new(&b));
        ma.put(&mut a, &[Put::Note(Box::new(note(1, "first")))]);
        sync(&mut a, &mut b);
        mb.changes(&b);
        ma.put(&mut a, &[Put::Note(Box::new(note(1, "Ana's edit")))]);
        mb.put(&mut b, &[Put::Note(Box::new(note(1, "Bo's edit")))]);
        sync(&mut a, &mut b);
        let (ga, gb) = (ma.changes(&a), mb.changes(&b));
        let said: Vec<&String> = ga.conflicts.iter().chain(&gb.conflicts).collect();
        assert_eq!(said.len(), 1, "the losing side is told: {said:?}");
        assert!(said[0].contains("Ana's edit") && said[0].contains("Bo's edit"));
        assert_eq!(meeting_note(&a, 1), meeting_note(&b, 1));
    }

    /// Two scribes begin at once, each stamping a start: nothing to check
    /// is said, and both end with the earlier start (whichever of the two
    /// Automerge keeps: each way round). Another change of the details at
    /// once is still said.
    #[test]
    fn two_starts_at_once_keep_the_earlier_and_say_nothing() {
        let at = |s: &str| Some(s.parse::<crate::model::Instant>().unwrap());
        let (early, late) = (
            at("2024-09-26T14:00:00+00:00"),
            at("2024-09-26T14:00:01+00:00"),
        );
        for (ana_start, bo_start) in [(early, late), (late, early)] {
            let (mut a, mut b) = (Automerge::new(), Automerge::new());
            let (mut ma, mut mb) = (Model::new(&a), Model::new(&b));
            let weekly = Meeting::new("Weekly", chrono_tz::UTC);
            ma.put(&mut a, &[Put::Meta(Box::new(weekly.clone()))]);
            sync(&mut a, &mut b);
            mb.changes(&b);
            let ana = Meeting {
                started_at: ana_start,
                ..weekly.clone()
            };
            let bo = Meeting {
                started_at: bo_start,
                ..weekly.clone()
            };
            ma.put(&mut a, &[Put::Meta(Box::new(ana.clone()))]);
            mb.put(&mut b, &[Put::Meta(Box::new(bo.clone()))]);
            sync(&mut a, &mut b);
            let (ga, gb) = (ma.changes(&a), mb.changes(&b));
            let said: Vec<&String> = ga.conflicts.iter().chain(&gb.conflicts).collect();
            assert!(said.is_empty(), "{said:?}");
            // Each applies what it heard, and sends its meeting on when that
            // changed it (as the app does).
            let over = |changes: Changes, local: &Meeting| {
                changes
                    .parts
                    .map_or_else(|| local.clone(), |p| p.over(local))
            };
            let (ana, bo) = (over(ga, &ana), over(gb, &bo));
            ma.put(&mut a, &[Put::Meta(Box::new(ana.clone()))]);
            mb.put(&mut b, &[Put::Meta(Box::new(bo.clone()))]);
            sync(&mut a, &mut b);
            let (ga, gb) = (ma.changes(&a), mb.changes(&b));
            let (ana, bo) = (over(ga, &ana), over(gb, &bo));
            assert_eq!(
                (ana.started_at, bo.started_at),
                (early, early),
                "the earlier, on both"
            );
            // Renamed at once: said.
            let renamed = |title: &str| Meeting {
                title: title.into(),
                ..ana.clone()
            };
            ma.put(&mut a, &[Put::Meta(Box::new(renamed("Ana's")))]);
            mb.put(&mut b, &[Put::Meta(Box::new(renamed("Bo's")))]);
            sync(&mut a, &mut b);
            let (ga, gb) = (ma.changes(&a), mb.changes(&b));
            assert_eq!(ga.conflicts.len() + gb.conflicts.len(), 1);
        }
    }

    #[test]
    fn the_roster_queue_and_agenda_merge_as_parts() {
        let mut local = Meeting::new("Weekly", chrono_tz::UTC);
        local.agenda.push(AgendaItem {
            id: 1,
            title: "Budget".into(),
            planned_minutes: None,
            visits: Vec::new(),
        });
        let (mut a, mut b) = (Automerge::new(), Automerge::new());
        let (mut ma, mut mb) = (Model::new(&a), Model::new(&b));
        ma.reconcile(&mut a, &local, true);
        sync(&mut a, &mut b);
        let got = mb.changes(&b);
        let shared = got
            .parts
            .expect("the parts changed")
            .over(&Meeting::new("x", chrono_tz::UTC));
        assert_eq!(shared.title, "Weekly");
        assert_eq!(shared.agenda.len(), 1);
        assert_eq!(meeting(&b).map(|m| m.title), Some("Weekly".into()));
    }

    #[test]
    fn items_added_and_renamed_at_once_by_two_scribes_all_stay_in_one_order() {
        let mut local = Meeting::new("Weekly", chrono_tz::UTC);
        local.insert_agenda_item(0, "Budget", None);
        local.insert_agenda_item(1, "Hiring", None);
        let (mut a, mut b) = (Automerge::new(), Automerge::new());
        let (mut ma, mut mb) = (Model::new(&a), Model::new(&b));
        ma.reconcile(&mut a, &local, true);
        sync(&mut a, &mut b);
        let mut at_b = mb
            .changes(&b)
            .parts
            .unwrap()
            .over(&Meeting::new("x", chrono_tz::UTC));
        // Ana renames Budget and adds an item; Bo renames Hiring and adds
        // one, each from an id block of their own, before either hears.
        let mut at_a = local.clone();
        at_a.agenda[0].title = "Budget 2027".into();
        at_a.insert_agenda_item_from(2, "From Ana", None, 1..4096);
        at_b.agenda[1].title = "Hiring plan".into();
        at_b.insert_agenda_item_from(2, "From Bo", None, 4096..8192);
        ma.put(&mut a, &[Put::Meta(Box::new(at_a.clone()))]);
        mb.put(&mut b, &[Put::Meta(Box::new(at_b.clone()))]);
        sync(&mut a, &mut b);
        let seen_a = ma.changes(&a).parts.unwrap().over(&at_a);
        let seen_b = mb.changes(&b).parts.unwrap().over(&at_b);
        let titles = |m: &Meeting| m.agenda.iter().map(|i| i.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&seen_a), titles(&seen_b), "one order everywhere");
        let mut all = titles(&seen_a);
        all.sort();
        assert_eq!(all, ["Budget 2027", "From Ana", "From Bo", "Hiring plan"]);
    }

    fn agenda_of(titles: &[&str]) -> Meeting {
        let mut meeting = Meeting::new("Weekly", chrono_tz::UTC);
        for (at, title) in titles.iter().enumerate() {
            meeting.insert_agenda_item(at, *title, None);
        }
        meeting
    }

    fn titles(m: &Meeting) -> Vec<String> {
        m.agenda.iter().map(|i| i.title.clone()).collect()
    }

    /// Moves `title` to `to` in the agenda.
    fn moved(m: &Meeting, title: &str, to: usize) -> Meeting {
        let mut m = m.clone();
        let at = m.agenda.iter().position(|i| i.title == title).unwrap();
        let item = m.agenda.remove(at);
        m.agenda.insert(to, item);
        m
    }

    /// Ana and Bo each start from the same shared agenda.
    fn shared(titles: &[&str]) -> (Automerge, Automerge, Model, Model, Meeting, Meeting) {
        let local = agenda_of(titles);
        let (mut a, mut b) = (Automerge::new(), Automerge::new());
        let (mut ma, mut mb) = (Model::new(&a), Model::new(&b));
        ma.reconcile(&mut a, &local, true);
        sync(&mut a, &mut b);
        let at_b = mb
            .changes(&b)
            .parts
            .unwrap()
            .over(&Meeting::new("x", chrono_tz::UTC));
        assert_eq!(super::tests::titles(&at_b), titles);
        (a, b, ma, mb, local, at_b)
    }

    #[test]
    fn two_items_moved_at_once_by_two_scribes_both_move() {
        let (mut a, mut b, mut ma, mut mb, at_a, at_b) = shared(&["A", "B", "C", "D"]);
        let at_a = moved(&at_a, "D", 0);
        let at_b = moved(&at_b, "A", 3);
        ma.put(&mut a, &[Put::Meta(Box::new(at_a.clone()))]);
        mb.put(&mut b, &[Put::Meta(Box::new(at_b.clone()))]);
        sync(&mut a, &mut b);
        let got_a = ma.changes(&a);
        let got_b = mb.changes(&b);
        assert!(got_a.conflicts.is_empty(), "{:?}", got_a.conflicts);
        let seen_a = got_a.parts.unwrap().over(&at_a);
        let seen_b = got_b.parts.unwrap().over(&at_b);
        assert_eq!(titles(&seen_a), ["D", "B", "C", "A"]);
        assert_eq!(titles(&seen_b), titles(&seen_a));
        // Each side's echo of what it was given changes nothing more.
        ma.put(&mut a, &[Put::Meta(Box::new(seen_a.clone()))]);
        mb.put(&mut b, &[Put::Meta(Box::new(seen_b))]);
        sync(&mut a, &mut b);
        assert!(ma.changes(&a).parts.is_none());
        assert_eq!(order_of(&a).unwrap().0.len(), 4);
    }

    #[test]
    fn one_item_moved_at_once_by_two_scribes_has_one_place_and_is_said() {
        let (mut a, mut b, mut ma, mut mb, at_a, at_b) = shared(&["A", "B", "C", "D"]);
        let at_a = moved(&at_a, "A", 3);
        let at_b = moved(&at_b, "A", 2);
        ma.put(&mut a, &[Put::Meta(Box::new(at_a.clone()))]);
        mb.put(&mut b, &[Put::Meta(Box::new(at_b.clone()))]);
        sync(&mut a, &mut b);
        let got_a = ma.changes(&a);
        let got_b = mb.changes(&b);
        let seen_a = got_a.parts.unwrap().over(&at_a);
        // Bo's place is the one kept: nothing changes on his side.
        assert!(got_b.parts.is_none());
        assert!(
            got_b
                .conflicts
                .iter()
                .any(|c| c.contains("Two scribes moved"))
        );
        assert_eq!(titles(&seen_a), titles(&at_b));
        assert_eq!(seen_a.agenda.len(), 4, "{:?}", titles(&seen_a));
        assert!(
            got_a
                .conflicts
                .iter()
                .any(|c| c.contains("Two scribes moved \"A\"")),
            "{:?}",
            got_a.conflicts
        );
        // Moved again: in one place in the list again.
        let again = moved(&seen_a, "A", 0);
        ma.put(&mut a, &[Put::Meta(Box::new(again))]);
        assert_eq!(order_of(&a).unwrap().1, Vec::<u32>::new());
    }

    #[test]
    fn unmoved_finds_the_items_left_in_their_order() {
        let run = |before: &[u32], now: &[u32]| {
            let mut r: Vec<u32> = unmoved(before, now).into_iter().collect();
            r.sort();
            r
        };
        assert_eq!(run(&[1, 2, 3, 4], &[4, 1, 2, 3]), [1, 2, 3]);
        assert_eq!(run(&[1, 2, 3, 4], &[2, 3, 4, 1]), [2, 3, 4]);
        assert_eq!(
            run(&[1, 2, 3], &[1, 9, 2, 3]),
            [1, 2, 3],
            "a new item is not in it"
        );
        assert_eq!(run(&[], &[1, 2]), Vec::<u32>::new());
        assert_eq!(run(&[1, 2, 3], &[1, 3]), [1, 3]);
    }

    /// Ana's screen sends its old order (a queue change) after her share
    /// thread read Bo's move and before her screen showed it: Bo's move
    /// stays.
    #[test]
    fn a_stale_echo_does_not_undo_a_move_heard_meanwhile() {
        let (mut a, mut b, mut ma, mut mb, at_a, at_b) = shared(&["A", "B", "C", "D"]);
        let at_b = moved(&at_b, "D", 0);
        mb.put(&mut b, &[Put::Meta(Box::new(at_b.clone()))]);
        sync(&mut a, &mut b);
        assert!(ma.changes(&a).parts.is_some(), "Ana's thread read the move");
        let mut stale = at_a.clone();
        stale.queue_closed = true;
        ma.put(&mut a, &[Put::Meta(Box::new(stale))]);
        sync(&mut a, &mut b);
        mb.changes(&b);
        let shown = |doc: &Automerge| titles(&meeting(doc).unwrap());
        assert_eq!(shown(&a), ["D", "A", "B", "C"]);
        assert_eq!(shown(&b), shown(&a));
    }

    /// Two lists made at once (documents from before the sharing scribe
    /// made one at the start): the items of the one lost are put back in
    /// the list by their scribe's next change, where its screen has them.
    #[test]
    fn items_the_list_lost_are_put_back_in_order() {
        let (mut a, mut b) = (Automerge::new(), Automerge::new());
        let (mut ma, mut mb) = (Model::new(&a), Model::new(&b));
        let ana = agenda_of(&["A1", "A2"]);
        let mut bo = Meeting::new("Weekly", chrono_tz::UTC);
        bo.insert_agenda_item_from(0, "B1", None, 4096..8192);
        bo.insert_agenda_item_from(1, "B2", None, 4096..8192);
        ma.put(&mut a, &[Put::Meta(Box::new(ana.clone()))]);
        mb.put(&mut b, &[Put::Meta(Box::new(bo.clone()))]);
        sync(&mut a, &mut b);
        let seen_b = mb.changes(&b).parts.unwrap().over(&bo);
        let mut next = seen_b.clone();
        next.insert_agenda_item_from(next.agenda.len(), "B3", None, 4096..8192);
        mb.put(&mut b, &[Put::Meta(Box::new(next.clone()))]);
        sync(&mut a, &mut b);
        let listed = order_of(&b).unwrap().0;
        assert_eq!(listed.len(), 5, "every item in the list: {listed:?}");
        let shown = titles(&meeting(&b).unwrap());
        assert_eq!(shown, titles(&next), "as Bo's screen has them");
    }
}
