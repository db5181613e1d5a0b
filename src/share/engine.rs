//! The share thread: samod (automerge-repo in Rust) on a `LocalPool` of
//! its own, with no async runtime elsewhere in `minutes`. It owns the
//! repo, the meeting's document, the relay's acceptor or the joining
//! scribe's dialer. The event loop sends it the scribe's changes
//! ([`Cmd`]) and hears back what the others changed and who came and
//! went ([`Event`]); it never waits for this thread, so typing never
//! waits for the network.

use super::doc::{self, Changes, Model, Put};
use super::links::{self, Link, Secrets};
use super::storage::FileStorage;
use super::ws::{self, Names, WsDialer};
use crate::model::Meeting;
use automerge::Automerge;
use futures::channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use futures::executor::LocalPool;
use futures::stream::{LocalBoxStream, StreamExt};
use samod::{
    AcceptorEvent, BackoffConfig, ConnFinishedReason, DialerEvent, DocumentId, PeerId, Repo,
    ShareConfig,
};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the event loop asks of the share thread.
pub enum Cmd {
    /// The scribe's changes, once its journal has them.
    Put(Vec<Put>),
    /// At the start: what the meeting file has that the document lacks.
    Reconcile { meeting: Box<Meeting>, meta: bool },
    /// Flush the document and stop.
    Stop,
}

/// What the share thread tells the event loop.
pub enum Event {
    /// What the other scribes changed.
    Changes(Box<Changes>),
    /// The whole shared meeting, once it arrived (a scribe joining with
    /// no file yet waits for it), and its parts.
    Meeting { meeting: Box<Meeting> },
    /// The header's word on the connections.
    State(String),
    /// Someone joined or left.
    News(String),
    /// Something went wrong, in plain words.
    Trouble(String),
    /// Sharing cannot go on (a refused link): said once, not retried.
    Denied(String),
}

/// Called after each event is queued, to wake the event loop.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// Events to the event loop: bounded, so a flood from the network waits
/// here (on the share thread), never in the loop's memory.
#[derive(Clone)]
pub struct Teller {
    events: SyncSender<Event>,
    wake: Waker,
    stop: Arc<AtomicBool>,
}

impl Teller {
    pub fn new(events: SyncSender<Event>, wake: Waker, stop: Arc<AtomicBool>) -> Teller {
        Teller { events, wake, stop }
    }

    /// Queues an event; false when the loop is gone or stopping.
    pub fn tell(&self, event: Event) -> bool {
        let mut event = event;
        loop {
            if self.stop.load(Ordering::Relaxed) {
                return false;
            }
            match self.events.try_send(event) {
                Ok(()) => {
                    (self.wake)();
                    return true;
                }
                Err(TrySendError::Full(back)) => {
                    event = back;
                    std::thread::sleep(Duration::from_millis(2));
                }
                Err(TrySendError::Disconnected(_)) => return false,
            }
        }
    }
}

/// How this scribe takes part, with what it needs.
pub enum Role {
    /// `--share ADDR`: the relay, listening there.
    Relay {
        listener: std::net::TcpListener,
        tls: Option<Arc<rustls::ServerConfig>>,
    },
    /// `--join LINK`: dials the relay; `own` when this scribe shares the
    /// meeting through a relay that is not `minutes` (`--relay URL`).
    Join { link: Link, name: String, own: bool },
}

/// Everything the thread starts from.
pub struct Start {
    pub meeting_path: PathBuf,
    pub secrets: Secrets,
    /// The meeting's document id, when known (from the side file or the
    /// link); the relay makes one the first time.
    pub document: Option<DocumentId>,
    pub role: Role,
    pub teller: Teller,
    /// This scribe's name, as the others' headers show it.
    pub name: String,
}

/// Starts the thread; it answers the commands on `commands`, and tells
/// the document's id (new or found) through `ready` before anything else.
pub fn spawn(start: Start) -> std::io::Result<(UnboundedSender<Cmd>, std::thread::JoinHandle<()>)> {
    let (commands, inbox) = unbounded();
    let handle = std::thread::Builder::new()
        .name("share".into())
        .spawn(move || {
            let teller = start.teller.clone();
            // samod-core panics on states it thinks impossible: the
            // meeting goes on alone rather than with a dead thread.
            let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                let mut pool = LocalPool::new();
                let spawner = pool.spawner();
                pool.run_until(run(start, spawner, inbox));
            }));
            if ran.is_err() {
                teller.tell(Event::Denied(
                    "sharing stopped after an internal error; the meeting goes on here".into(),
                ));
            }
        })?;
    Ok((commands, handle))
}

/// How the others reach this scribe: the relay's acceptor, or a joining
/// scribe's dialer (kept for their events, and alive as long as sharing).
enum Door {
    Acceptor(samod::AcceptorHandle),
    Dialer(samod::DialerHandle<ws::Gone>),
}

/// What wakes the thread.
enum Wake {
    /// The commands waiting, all at once: a burst of changes is one
    /// change of the document, one message to each peer.
    Cmds(Vec<Cmd>),
    Changed,
    Dialer(DialerEvent),
    /// Another scribe's ephemeral message (presence).
    Heard(Vec<u8>),
    Acceptor(AcceptorEvent),
    Tick,
}

async fn run(
    start: Start,
    spawner: futures::executor::LocalSpawner,
    inbox: UnboundedReceiver<Cmd>,
) {
    let Start {
        meeting_path,
        secrets,
        document,
        role,
        teller,
        name,
    } = start;
    let relay = matches!(role, Role::Relay { .. });
    // The scribe whose meeting it is: its file starts the document.
    let owner = matches!(role, Role::Relay { .. } | Role::Join { own: true, .. });
    let (storage, saved) = match FileStorage::open(&meeting_path, owner) {
        Ok(found) => found,
        Err(why) => {
            teller.tell(Event::Denied(why));
            return;
        }
    };
    let maker = RepoMaker {
        spawner,
        storage: storage.clone(),
        me: ws::scribe_peer(if owner { 0 } else { secrets.slot }),
        relay,
    };
    let mut repo = maker.open().await;
    let names: Names = Arc::new(Mutex::new(ws::Peers::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut connections = Connections::new(relay, names.clone());
    let opened = match role {
        Role::Relay { listener, tls } => {
            let door = RelayDoor {
                listener,
                tls,
                names,
                stop: stop.clone(),
            };
            open_as_relay(
                &repo,
                door,
                &meeting_path,
                secrets,
                document,
                &saved,
                &teller,
            )
            .await
        }
        Role::Join { link, name, .. } => {
            let Some(document) = document else {
                teller.tell(Event::Denied("the link names no meeting".into()));
                return;
            };
            if link.relay.is_some() {
                connections.other = "the relay";
            }
            let dialer = WsDialer {
                link,
                slot: secrets.slot,
                name,
                document,
                refusal: connections.refusal.clone(),
                last_failure: connections.last_failure.clone(),
            };
            open_as_joiner(&mut repo, &maker, dialer, &teller).await
        }
    };
    let Some((handle, door)) = opened else {
        repo.stop().await;
        return;
    };
    let talk = Talk {
        handle: &handle,
        door: &door,
        storage: &storage,
        name: &name,
        teller: &teller,
    };
    talk.serve(inbox, &mut connections).await;
    stop.store(true, Ordering::Relaxed);
    // The connections first, so the others hear "left" at once, whatever
    // samod still has to flush.
    match &door {
        Door::Acceptor(acceptor) => acceptor.close(),
        Door::Dialer(dialer) => dialer.close(),
    }
    repo.stop().await;
}

/// What samod's repository on the meeting's document file is made of
/// (a joining scribe makes it again to ask a relay again).
struct RepoMaker {
    spawner: futures::executor::LocalSpawner,
    storage: FileStorage,
    me: PeerId,
    relay: bool,
}

impl RepoMaker {
    async fn open(&self) -> Repo {
        open_repo(
            self.spawner.clone(),
            self.storage.clone(),
            self.me.clone(),
            self.relay,
        )
        .await
    }
}

/// samod's repository on the meeting's document file. The relay lets
/// scribes (peers its listener bound to a secret) in; a joining scribe
/// talks only to its relay.
async fn open_repo(
    spawner: futures::executor::LocalSpawner,
    storage: FileStorage,
    me: PeerId,
    relay: bool,
) -> Repo {
    let policy = move |_doc: DocumentId, peer: PeerId| {
        let config = if !relay || peer.as_str().starts_with("scribe-") {
            ShareConfig::read_write()
        } else {
            ShareConfig::none()
        };
        futures::stream::iter([config])
    };
    Repo::build_localpool(spawner)
        .with_storage(storage)
        .with_peer_id(me)
        .with_share_policy(policy)
        .load_local()
        .await
}

/// What the relay listens with.
struct RelayDoor {
    listener: std::net::TcpListener,
    tls: Option<Arc<rustls::ServerConfig>>,
    names: Names,
    stop: Arc<AtomicBool>,
}

/// The sharing scribe: its document (found, or made from the saved one),
/// its id kept in the side file, and the listener started.
async fn open_as_relay(
    repo: &Repo,
    door: RelayDoor,
    meeting_path: &std::path::Path,
    mut secrets: Secrets,
    document: Option<DocumentId>,
    saved: &[u8],
    teller: &Teller,
) -> Option<(samod::DocHandle, Door)> {
    let found = match document.clone() {
        Some(id) => repo.find(id).await.ok().flatten(),
        None => None,
    };
    let handle = match found {
        Some(handle) => handle,
        None => {
            let initial = Automerge::load(saved).unwrap_or_else(|_| Automerge::new());
            repo.create(initial).await.ok()?
        }
    };
    let id = handle.document_id().clone();
    if document.as_ref() != Some(&id) {
        secrets.document = Some(id.to_string());
        if let Err(e) = secrets.save(meeting_path) {
            let side = links::side_path(meeting_path);
            teller.tell(Event::Trouble(format!("{}: {e}", side.display())));
        }
    }
    let url = samod::Url::parse("ws://minutes.invalid/").ok()?;
    let acceptor = repo.make_acceptor(url).ok()?;
    let told = teller.clone();
    let dropped: ws::Dropped = Arc::new(move |name: &str, why: &str| {
        told.tell(Event::Trouble(format!(
            "{name} was disconnected: it {why}; they can join again"
        )));
    });
    let started = ws::listen(ws::Relay {
        listener: door.listener,
        tls: door.tls,
        secret: secrets.scribe.clone(),
        document: id,
        acceptor: acceptor.clone(),
        names: door.names,
        refused: refusals(teller.clone()),
        dropped,
        stop: door.stop,
    });
    if let Err(e) = started {
        teller.tell(Event::Denied(e.to_string()));
        return None;
    }
    Some((handle, Door::Acceptor(acceptor)))
}

/// A joining scribe: dials the relay (again and again, with a backoff)
/// and waits for the document, found in the file at once or from the
/// relay once it has it. A relay that did not have it when asked (an npm
/// relay before the sharing scribe reached it) is asked again by a
/// repository of its own, with a connection of its own: samod asks a
/// peer once per connection.
async fn open_as_joiner(
    repo: &mut Repo,
    maker: &RepoMaker,
    dialer: WsDialer,
    teller: &Teller,
) -> Option<(samod::DocHandle, Door)> {
    let mut again = ASK_AGAIN;
    loop {
        match ask(repo, dialer.clone(), teller).await {
            Joined::Found(handle, door) => return Some((handle, door)),
            Joined::Gone => return None,
            Joined::Unavailable => {
                // Nobody to tell: the scribe has gone.
                if !teller.tell(Event::State(NOT_THERE_YET.into())) {
                    return None;
                }
                repo.stop().await;
                futures_timer::Delay::new(again).await;
                again = (again * 2).min(ASK_AGAIN_AT_MOST);
                *repo = maker.open().await;
            }
        }
    }
}

/// One ask for the meeting, on a new connection.
async fn ask(repo: &Repo, dialer: WsDialer, teller: &Teller) -> Joined {
    let id = dialer.document.clone();
    let refusal = dialer.refusal.clone();
    let backoff = BackoffConfig {
        initial_delay: Duration::from_millis(200),
        max_delay: Duration::from_secs(5),
        max_retries: None,
    };
    let Ok(dialer) = repo.dial(backoff, Arc::new(dialer)) else {
        return Joined::Gone;
    };
    let found = repo.find(id).await;
    if let Some(why) = refusal.lock().ok().and_then(|r| r.clone()) {
        teller.tell(Event::Denied(why));
        return Joined::Gone;
    }
    match found {
        Ok(Some(handle)) => Joined::Found(handle, Door::Dialer(dialer)),
        Ok(None) => Joined::Unavailable,
        Err(_) => Joined::Gone,
    }
}

/// How a joining scribe's ask for the meeting ended.
enum Joined {
    Found(samod::DocHandle, Door),
    /// The relay does not have it (yet).
    Unavailable,
    /// Refused, or stopped.
    Gone,
}

/// The share thread at work, once the document is open.
struct Talk<'a> {
    handle: &'a samod::DocHandle,
    door: &'a Door,
    storage: &'a FileStorage,
    /// This scribe's name, said to the others.
    name: &'a str,
    teller: &'a Teller,
}

impl Talk<'_> {
    /// Answers the event loop, tells it what the others changed and who
    /// comes and goes, until Stop.
    async fn serve(&self, inbox: UnboundedReceiver<Cmd>, connections: &mut Connections) {
        let (handle, teller) = (self.handle, self.teller);
        // Events before the door was watched (while the document was
        // being found) are read from its state.
        if let Door::Dialer(dialer) = self.door {
            connections.connected = dialer.is_connected();
        }
        connections.say(teller);
        let mut model = handle.with_document(|doc| Model::new(doc));
        if let Some(meeting) = handle.with_document(|doc| doc::meeting(doc)) {
            teller.tell(Event::Meeting {
                meeting: Box::new(meeting),
            });
        }
        let mut wakes = self.wakes(inbox);
        let mut ticks = 0u64;
        while let Some(wake) = wakes.next().await {
            match wake {
                Wake::Cmds(commands) => {
                    if !answer(commands, handle, &mut model, teller) {
                        break;
                    }
                    // samod's own tasks (the peers' messages) run before
                    // the next burst is taken.
                    yield_now().await;
                }
                Wake::Changed => {
                    let changes = handle.with_document(|doc| model.changes(doc));
                    if !changes.is_empty() && !teller.tell(Event::Changes(Box::new(changes))) {
                        break;
                    }
                }
                Wake::Dialer(event) => connections.dialer(event, teller),
                Wake::Acceptor(event) => connections.acceptor(event, teller),
                Wake::Tick => {
                    if let Some(why) = self.storage.take_failure() {
                        teller.tell(Event::Trouble(why));
                    }
                    // Here, every few seconds, to whoever shares the meeting.
                    ticks += 1;
                    if ticks % PRESENCE_EVERY == 1 {
                        handle.broadcast(presence(self.name));
                    }
                    connections.forget_silent(teller);
                }
                Wake::Heard(bytes) => connections.heard(&bytes, teller),
            }
        }
    }

    /// Everything that wakes the thread, as one stream.
    fn wakes(
        &self,
        inbox: UnboundedReceiver<Cmd>,
    ) -> futures::stream::SelectAll<LocalBoxStream<'_, Wake>> {
        let door = match self.door {
            Door::Acceptor(acceptor) => acceptor.events().map(Wake::Acceptor).boxed_local(),
            Door::Dialer(dialer) => dialer.events().map(Wake::Dialer).boxed_local(),
        };
        // Storage errors are looked for now and then, not per keystroke.
        let ticks = futures::stream::unfold((), |()| async {
            futures_timer::Delay::new(Duration::from_secs(1)).await;
            Some((Wake::Tick, ()))
        })
        .boxed_local();
        futures::stream::select_all([
            inbox.ready_chunks(1024).map(Wake::Cmds).boxed_local(),
            self.handle.changes().map(|_| Wake::Changed).boxed_local(),
            self.handle.ephemera().map(Wake::Heard).boxed_local(),
            door,
            ticks,
        ])
    }
}

/// Answers the event loop's commands in order, the puts in between
/// together in one change; false on Stop.
fn answer(
    commands: Vec<Cmd>,
    handle: &samod::DocHandle,
    model: &mut Model,
    teller: &Teller,
) -> bool {
    let mut puts = Vec::new();
    let flush = |puts: &mut Vec<Put>, model: &mut Model| {
        if !puts.is_empty() {
            handle.with_document(|doc| model.put(doc, puts));
            puts.clear();
        }
    };
    for command in commands {
        match command {
            Cmd::Put(more) => puts.extend(more),
            Cmd::Reconcile { meeting, meta } => {
                flush(&mut puts, model);
                let newer = handle.with_document(|doc| model.reconcile(doc, &meeting, meta));
                // What the document has and the meeting lacks (received,
                // then a crash before the journal had it; or heard while
                // the document was being found) comes back: the notes, and
                // the rest of the meeting as the document now has it.
                let missing = handle.with_document(|doc| {
                    let mut missing = model.missing(doc, &meeting, newer);
                    missing.parts = Some(doc::parts(doc));
                    missing
                });
                teller.tell(Event::Changes(Box::new(missing)));
            }
            Cmd::Stop => {
                flush(&mut puts, model);
                return false;
            }
        }
    }
    flush(&mut puts, model);
    true
}

/// Lets the pool's other tasks run once.
fn yield_now() -> impl std::future::Future<Output = ()> {
    let mut yielded = false;
    futures::future::poll_fn(move |cx| {
        if std::mem::replace(&mut yielded, true) {
            std::task::Poll::Ready(())
        } else {
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
}

/// Presence is said every this many seconds; a scribe not heard for
/// three times that is gone from the others' headers.
const PRESENCE_EVERY: u64 = 3;
/// How long a joining scribe waits before asking a relay again for a
/// meeting it did not have, the first time and at most.
const ASK_AGAIN: Duration = Duration::from_secs(1);
const ASK_AGAIN_AT_MOST: Duration = Duration::from_secs(8);
/// The header meanwhile.
const NOT_THERE_YET: &str = "shared: the relay does not have the meeting yet";

/// "Here": automerge-repo's ephemeral messages are CBOR; ours is a map
/// with the scribe's name.
fn presence(name: &str) -> Vec<u8> {
    let mut e = minicbor::Encoder::new(Vec::new());
    let said = e
        .map(1)
        .and_then(|e| e.str("minutes-scribe"))
        .and_then(|e| e.str(name))
        .is_ok();
    if said { e.into_writer() } else { Vec::new() }
}

/// The name in another scribe's presence, if that is what it is.
fn present(bytes: &[u8]) -> Option<String> {
    let mut d = minicbor::Decoder::new(bytes);
    if d.map().ok()? != Some(1) || d.str().ok()? != "minutes-scribe" {
        return None;
    }
    Some(super::wire::clean_name(d.str().ok()?))
}

/// Refused connections, said at most every 10 s (a scan of the port must
/// not fill the status line).
fn refusals(teller: Teller) -> ws::Refused {
    let last: Mutex<(u32, Option<Instant>)> = Mutex::new((0, None));
    Arc::new(move |from: String, why: String| {
        let Ok(mut last) = last.lock() else { return };
        let (count, at) = &mut *last;
        *count += 1;
        if at.is_none_or(|at| at.elapsed() > Duration::from_secs(10)) {
            let more = if *count > 1 {
                format!(" ({count} refused so far)")
            } else {
                String::new()
            };
            teller.tell(Event::Trouble(format!(
                "A connection from {from} was refused: it {why}{more}"
            )));
            *at = Some(Instant::now());
        }
    })
}

/// Who is connected, for the header and the status line.
struct Connections {
    relay: bool,
    names: Names,
    /// The relay: connected scribes by connection.
    scribes: Vec<(samod::ConnectionId, PeerId, String)>,
    /// A joining scribe: connected to the relay, or trying again.
    connected: bool,
    retrying: bool,
    denied: bool,
    /// Why the relay refused this scribe for good (set by the dialer).
    refusal: Arc<Mutex<Option<String>>>,
    /// Who a joining scribe dials, in words.
    other: &'static str,
    /// Why the dialer's last attempt failed (set by the dialer).
    last_failure: Arc<Mutex<Option<String>>>,
    /// Attempts since the last connection, and whether that was said.
    attempts: u32,
    /// Other scribes heard from (their presence), and when last.
    heard: Vec<(String, Instant)>,
}

impl Connections {
    fn new(relay: bool, names: Names) -> Connections {
        Connections {
            relay,
            names,
            scribes: Vec::new(),
            connected: false,
            retrying: false,
            denied: false,
            refusal: Arc::new(Mutex::new(None)),
            other: "the sharing scribe",
            last_failure: Arc::new(Mutex::new(None)),
            attempts: 0,
            heard: Vec::new(),
        }
    }

    fn state(&self) -> String {
        if self.relay {
            if self.scribes.is_empty() {
                "shared: no other scribe yet".to_string()
            } else {
                let names: Vec<&str> = self.scribes.iter().map(|(_, _, n)| n.as_str()).collect();
                format!("shared with {}", names.join(", "))
            }
        } else if self.denied {
            "not shared".to_string()
        } else if self.connected && !self.heard.is_empty() {
            let names: Vec<&str> = self.heard.iter().map(|(n, _)| n.as_str()).collect();
            format!("shared with {}", names.join(", "))
        } else if self.connected {
            "shared: connected".to_string()
        } else if self.retrying {
            "shared: reconnecting".to_string()
        } else {
            "shared: connecting".to_string()
        }
    }

    /// Another scribe said it is here: on the header if it is new.
    fn heard(&mut self, bytes: &[u8], teller: &Teller) {
        let Some(name) = present(bytes) else { return };
        let now = Instant::now();
        match self.heard.iter_mut().find(|(n, _)| *n == name) {
            Some(known) => known.1 = now,
            None => {
                self.heard.push((name, now));
                self.heard.sort();
                self.say(teller);
            }
        }
    }

    /// Scribes not heard for a while are gone from the header.
    fn forget_silent(&mut self, teller: &Teller) {
        let before = self.heard.len();
        let silent = Duration::from_secs(3 * PRESENCE_EVERY);
        self.heard.retain(|(_, at)| at.elapsed() < silent);
        if self.heard.len() != before {
            self.say(teller);
        }
    }

    fn say(&self, teller: &Teller) {
        teller.tell(Event::State(self.state()));
    }

    fn name_of(&self, peer: &PeerId) -> String {
        self.names
            .lock()
            .ok()
            .and_then(|peers| peers.names.get(peer.as_str()).cloned())
            .unwrap_or_else(|| "a scribe".into())
    }

    fn acceptor(&mut self, event: AcceptorEvent, teller: &Teller) {
        match event {
            AcceptorEvent::ClientConnected {
                peer_info,
                connection_id,
            } => {
                let name = self.name_of(&peer_info.peer_id);
                teller.tell(Event::News(format!("{name} joined as a scribe")));
                self.scribes.push((connection_id, peer_info.peer_id, name));
            }
            AcceptorEvent::ClientDisconnected {
                connection_id,
                reason,
            } => {
                let Some(at) = self
                    .scribes
                    .iter()
                    .position(|(c, _, _)| *c == connection_id)
                else {
                    return;
                };
                let (_, peer, name) = self.scribes.remove(at);
                // Dropped for what it sent: said already, with the reason.
                let said = self
                    .names
                    .lock()
                    .is_ok_and(|mut peers| peers.dropped.remove(peer.as_str()));
                if said {
                } else if let ConnFinishedReason::ErrorSending(why) = &reason {
                    teller.tell(Event::Trouble(format!(
                        "{name} was disconnected: {}; they can join again",
                        plain_reason(why)
                    )));
                } else {
                    teller.tell(Event::News(format!("{name} left")));
                }
            }
        }
        self.say(teller);
    }

    fn dialer(&mut self, event: DialerEvent, teller: &Teller) {
        match event {
            DialerEvent::Connected { .. } => {
                self.attempts = 0;
                if std::mem::take(&mut self.retrying) {
                    teller.tell(Event::News("Connected again".into()));
                }
                self.connected = true;
            }
            DialerEvent::Disconnected { reason } => {
                if self.connected {
                    teller.tell(Event::Trouble(format!(
                        "Lost {} ({}): reconnecting",
                        self.other,
                        plain_reason(&reason)
                    )));
                }
                self.connected = false;
                self.retrying = true;
            }
            DialerEvent::Reconnecting { .. } => {
                self.retrying = true;
                self.attempts += 1;
                // Said once, on the third try in a row: a blip is not news.
                if self.attempts == 3
                    && let Some(why) = self.last_failure.lock().ok().and_then(|w| w.clone())
                {
                    teller.tell(Event::Trouble(format!(
                        "Cannot reach {} ({why}): trying again",
                        self.other
                    )));
                }
            }
            DialerEvent::MaxRetriesReached | DialerEvent::PermanentFailure => {
                if !self.denied {
                    let why = self.refusal.lock().ok().and_then(|r| r.clone());
                    teller.tell(Event::Denied(
                        why.unwrap_or_else(|| format!("{} cannot be reached", self.other)),
                    ));
                }
                self.denied = true;
                self.connected = false;
            }
        }
        self.say(teller);
    }
}

/// samod's reasons, shortened to ours (`Error receiving: it stopped
/// reading` → `it stopped reading`).
fn plain_reason(why: &str) -> String {
    // samod's word for a connection that simply ended.
    if why.contains("connection removed") {
        return "the connection closed".into();
    }
    let why = why
        .strip_prefix("Error receiving: ")
        .or_else(|| why.strip_prefix("Error sending: "))
        .unwrap_or(why);
    if why.starts_with("it ") || why.starts_with("the ") {
        why.to_string()
    } else {
        format!("it {why}")
    }
}
