//! automerge-repo's transport: WebSocket binary messages, each one CBOR
//! message of its protocol, over TLS (rustls, the certificate pinned in
//! the link) or plain TCP on loopback. samod speaks the protocol; this
//! file only moves checked messages between a socket and samod.
//!
//! - [`transport`]: one thread per connection owns the socket (a TLS
//!   stream cannot be split) and polls it; samod sees a bounded stream
//!   and a sink that fails, dropping the peer, rather than waiting for a
//!   peer that stops reading.
//! - [`Checker`]: every message a peer sends is checked before samod sees
//!   it: its size (tungstenite), its rate, its document (only the
//!   meeting's), its kind, and what its changes inflate to.
//! - [`listen`]: `minutes` as the relay: the secret in the upgrade's path
//!   is checked before the upgrade, so a stranger gets a 403 and samod
//!   never sees a byte of theirs.
//! - [`WsDialer`]: a scribe joining; a refused secret or a certificate
//!   that is not the pinned one stops it, anything else is retried.

use super::links::{self, Link};
use super::wire::{self, Conn};
use futures::channel::mpsc as fmpsc;
use futures::future::BoxFuture;
use futures::{SinkExt, executor::block_on};
use samod::{AcceptorHandle, DialError, DocumentId, PeerId, Transport};
use std::collections::HashMap;
use std::io;
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{TryRecvError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

/// The largest presence message passed on (a name, really).
const MAX_EPHEMERAL: usize = 1024;
/// The largest message a peer may send (tungstenite refuses more).
const MAX_MESSAGE: usize = 8 << 20;
/// TLS and the WebSocket upgrade must be done in this long.
const HANDSHAKE: Duration = Duration::from_secs(5);
/// A peer that does not read for this long is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Messages from a peer waiting for samod: a slow samod slows the
/// socket, never typing; at most (4 + 1) × 8 MiB held for one peer.
const INBOX: usize = 4;
/// Messages waiting for a peer: past this the peer is not reading.
const OUTBOX: usize = 256;
/// At most this many scribes connected to the sharing one at once.
const MAX_PEERS: usize = 16;

/// Why a connection ended, in plain words.
#[derive(Debug)]
pub struct Gone(pub String);

impl std::fmt::Display for Gone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Gone {}

fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE))
        .max_frame_size(Some(MAX_MESSAGE))
        // What waits for a slow peer: past this it is not reading.
        .max_write_buffer_size(4 * MAX_MESSAGE)
}

/// The parts of an automerge-repo message the checks need.
struct Header<'a> {
    kind: String,
    document: Option<DocumentId>,
    data: Option<&'a [u8]>,
}

/// Reads the top-level CBOR map of a message (wire_protocol.rs in
/// samod-core): `type`, `documentId` (text or bytes) and `data`.
fn header(bytes: &[u8]) -> Result<Header<'_>, String> {
    let bad = |_| "sent a message that is not automerge-repo's".to_string();
    let mut d = minicbor::Decoder::new(bytes);
    let len = d.map().map_err(bad)?;
    let mut header = Header {
        kind: String::new(),
        document: None,
        data: None,
    };
    let mut i = 0u64;
    while len.is_none_or(|n| i < n) {
        if len.is_none() && d.datatype().map_err(bad)? == minicbor::data::Type::Break {
            break;
        }
        i += 1;
        let key = d.str().map_err(bad)?;
        match key {
            "type" => header.kind = d.str().map_err(bad)?.to_string(),
            "documentId" => {
                header.document = match d.datatype().map_err(bad)? {
                    minicbor::data::Type::Bytes => {
                        DocumentId::try_from(d.bytes().map_err(bad)?.to_vec()).ok()
                    }
                    _ => DocumentId::from_str(d.str().map_err(bad)?).ok(),
                };
                if header.document.is_none() {
                    return Err("named a document that does not exist".into());
                }
            }
            "data" => header.data = Some(d.bytes().map_err(bad)?),
            _ => d.skip().map_err(bad)?,
        }
    }
    Ok(header)
}

/// Checks what one peer sends, before samod sees it.
pub struct Checker {
    /// The meeting's document; None until it is known (a joiner's first
    /// connection to an npm relay learns it from its link, always).
    document: DocumentId,
    rate: wire::Rate,
}

impl Checker {
    pub fn new(document: DocumentId) -> Checker {
        Checker {
            document,
            rate: wire::Rate::new(),
        }
    }

    /// Ok(true) to pass the message on, Ok(false) to drop it quietly,
    /// Err(why) to drop the peer.
    fn admit(&mut self, bytes: &[u8]) -> Result<bool, String> {
        self.rate.charge(bytes.len())?;
        let header = header(bytes)?;
        if let Some(document) = &header.document
            && *document != self.document
        {
            // samod would start looking for any document a peer names.
            return Ok(false);
        }
        match header.kind.as_str() {
            "sync" | "request" => {
                let data = header.data.ok_or("sent a sync message with no data")?;
                let message = automerge::sync::Message::decode(data)
                    .map_err(|_| "sent a message that is not Automerge's")?;
                wire::inflated_size(&message)?;
                Ok(header.document.is_some())
            }
            "join" | "peer" | "leave" | "doc-unavailable" | "error" => Ok(true),
            "remote-subscription-change" | "remote-heads-changed" => Ok(true),
            // Presence (engine.rs): small, and for the meeting only, as
            // samod passes them on to every other scribe.
            "ephemeral" => {
                Ok(header.document.is_some()
                    && header.data.is_some_and(|d| d.len() <= MAX_EPHEMERAL))
            }
            _ => Ok(false),
        }
    }
}

/// A socket's two ends: the WebSocket, and the TCP stream under it (for
/// its timeouts).
pub struct Socket {
    pub ws: WebSocket<Box<dyn Conn>>,
    pub tcp: TcpStream,
}

/// Told why a peer was dropped for what it sent, before samod is.
pub type OnDrop = Box<dyn Fn(&str) + Send>;

/// Connections' threads still running (a scribe quitting waits for them
/// to say goodbye, [`goodbyes_said`]).
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// Waits (at most `within`) until every connection's thread has ended.
pub fn goodbyes_said(within: Duration) {
    let until = std::time::Instant::now() + within;
    while LIVE.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// What samod's sink holds: the queue to the connection's thread and its
/// bell, rung when a message is queued and when samod lets go of the
/// peer (so the thread says goodbye at once, not at its next look).
struct Outgoing {
    tx: std::sync::mpsc::SyncSender<Vec<u8>>,
    bell: Arc<Bell>,
}

impl Drop for Outgoing {
    fn drop(&mut self) {
        // The sender goes right after this: ring once it is gone.
        let (dead, _) = sync_channel(0);
        drop(std::mem::replace(&mut self.tx, dead));
        self.bell.ring();
    }
}

/// Wakes a connection's thread when samod queued a message for its peer
/// (an eventfd), so a message goes out at once and an idle connection
/// sleeps.
struct Bell(std::os::fd::OwnedFd);

impl Bell {
    fn new() -> io::Result<Bell> {
        use std::os::fd::FromRawFd;
        // SAFETY: eventfd takes no pointers; a valid descriptor is owned
        // from here on, an error is -1 and checked.
        let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: fd was just made and is owned by nobody else.
        Ok(Bell(unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) }))
    }

    fn ring(&self) {
        use std::os::fd::AsRawFd;
        let one = 1u64.to_ne_bytes();
        // SAFETY: writes 8 bytes from a live buffer to our eventfd; a full
        // counter (never, here) only means it is rung already.
        unsafe { libc::write(self.0.as_raw_fd(), one.as_ptr().cast(), one.len()) };
    }

    fn quiet(&self) {
        use std::os::fd::AsRawFd;
        let mut count = [0u8; 8];
        // SAFETY: reads at most 8 bytes into a live buffer; non-blocking.
        unsafe { libc::read(self.0.as_raw_fd(), count.as_mut_ptr().cast(), count.len()) };
    }
}

/// Sleeps until the socket has something to read (or can take what is
/// waiting to be written), the bell rings, or a second passed.
fn wait(tcp: &TcpStream, bell: &Bell, writing: bool) {
    use std::os::fd::AsRawFd;
    let mut fds = [
        libc::pollfd {
            fd: tcp.as_raw_fd(),
            events: libc::POLLIN | if writing { libc::POLLOUT } else { 0 },
            revents: 0,
        },
        libc::pollfd {
            fd: bell.0.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        },
    ];
    // SAFETY: two live pollfd entries, their count given.
    unsafe { libc::poll(fds.as_mut_ptr(), 2, 1000) };
    bell.quiet();
}

fn would_block(e: &tungstenite::Error) -> bool {
    matches!(e, tungstenite::Error::Io(e)
        if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut))
}

/// What the connection's thread does: until the peer or samod ends it,
/// what samod queued goes out, everything the peer sent is checked and
/// handed to samod, then it sleeps (`wait`). Returns why it ended, when
/// that was the peer's fault or the network's.
fn pump(
    ws: &mut WebSocket<Box<dyn Conn>>,
    tcp: &TcpStream,
    bell: &Bell,
    outbox: &std::sync::mpsc::Receiver<Vec<u8>>,
    to_samod: &mut fmpsc::Sender<Result<Vec<u8>, Gone>>,
    check: &mut Checker,
    on_drop: Option<&OnDrop>,
) -> Option<String> {
    let mut stuck_since: Option<std::time::Instant> = None;
    loop {
        loop {
            match outbox.try_recv() {
                Ok(message) => match ws.write(Message::binary(message)) {
                    Ok(()) => {}
                    Err(e) if would_block(&e) => {}
                    Err(tungstenite::Error::WriteBufferFull(_)) => {
                        return Some("it stopped reading".into());
                    }
                    Err(e) => return Some(ws_words(&e)),
                },
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    // samod is done with this peer: say goodbye, waiting
                    // for the words to go out (a second at most).
                    let _ = tcp.set_nonblocking(false);
                    let _ = tcp.set_write_timeout(Some(Duration::from_secs(1)));
                    let _ = ws.close(None);
                    let _ = ws.flush();
                    return None;
                }
            }
        }
        let writing = match ws.flush() {
            Ok(()) => false,
            Err(e) if would_block(&e) => true,
            Err(tungstenite::Error::ConnectionClosed) => return None,
            Err(e) => return Some(ws_words(&e)),
        };
        match (writing, stuck_since) {
            (false, _) => stuck_since = None,
            (true, None) => stuck_since = Some(std::time::Instant::now()),
            (true, Some(at)) if at.elapsed() > WRITE_TIMEOUT => {
                return Some("it stopped reading".into());
            }
            (true, Some(_)) => {}
        }
        loop {
            match ws.read() {
                Ok(Message::Binary(bytes)) => match check.admit(&bytes) {
                    Ok(true) => {
                        if block_on(to_samod.send(Ok(bytes.to_vec()))).is_err() {
                            return None;
                        }
                    }
                    Ok(false) => {}
                    Err(why) => {
                        if let Some(on_drop) = on_drop {
                            on_drop(&why);
                        }
                        let _ = ws.close(None);
                        let _ = ws.flush();
                        return Some(why);
                    }
                },
                Ok(Message::Close(_)) => return None,
                Ok(Message::Text(_)) => {
                    return Some("sent text, not automerge-repo messages".into());
                }
                Ok(_) => {}
                Err(e) if would_block(&e) => break,
                Err(tungstenite::Error::ConnectionClosed) => return None,
                Err(e) => return Some(ws_words(&e)),
            }
        }
        wait(tcp, bell, writing);
    }
}

/// The connection as samod wants it: a stream of checked messages and a
/// sink, with one thread that owns the socket.
pub fn transport(
    socket: Socket,
    mut check: Checker,
    on_drop: Option<OnDrop>,
) -> Result<Transport, Gone> {
    let Socket { mut ws, tcp } = socket;
    tcp.set_nonblocking(true)
        .map_err(|e| Gone(wire_words(&e)))?;
    let bell = Arc::new(Bell::new().map_err(|e| Gone(wire_words(&e)))?);
    let (mut to_samod, from_peer) = fmpsc::channel::<Result<Vec<u8>, Gone>>(INBOX);
    let (to_peer, outbox) = sync_channel::<Vec<u8>>(OUTBOX);
    let outgoing = Outgoing {
        tx: to_peer,
        bell: bell.clone(),
    };
    LIVE.fetch_add(1, Ordering::SeqCst);
    let run = move || {
        let ended = pump(
            &mut ws,
            &tcp,
            &bell,
            &outbox,
            &mut to_samod,
            &mut check,
            on_drop.as_ref(),
        );
        if let Some(why) = ended {
            let _ = block_on(to_samod.send(Err(Gone(why))));
        }
        LIVE.fetch_sub(1, Ordering::SeqCst);
    };
    if let Err(e) = std::thread::Builder::new()
        .name("share-peer".into())
        .spawn(run)
    {
        LIVE.fetch_sub(1, Ordering::SeqCst);
        return Err(Gone(e.to_string()));
    }
    let sink = futures::sink::unfold(outgoing, |outgoing, message: Vec<u8>| async move {
        outgoing
            .tx
            .try_send(message)
            .map_err(|_| Gone("it stopped reading".into()))?;
        outgoing.bell.ring();
        Ok::<_, Gone>(outgoing)
    });
    Ok(Transport::new(from_peer, Box::pin(sink)))
}

fn wire_words(e: &io::Error) -> String {
    super::wire::plain(e)
}

fn ws_words(e: &tungstenite::Error) -> String {
    match e {
        tungstenite::Error::Io(e) => wire_words(e),
        tungstenite::Error::Capacity(_) => {
            format!("sent a message over {} MiB", MAX_MESSAGE >> 20)
        }
        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => {
            "the connection closed".into()
        }
        other => other.to_string(),
    }
}

/// The path a joining scribe asks for: the secret, its slot (its peer id)
/// and its name (hex, so that any name fits a path).
fn path_for(secret: &str, slot: u32, name: &str) -> String {
    let hex: String = name.bytes().map(|b| format!("{b:02x}")).collect();
    format!("/s/{secret}/{slot}/{hex}")
}

/// The peer id a scribe has in the shared meeting.
pub fn scribe_peer(slot: u32) -> PeerId {
    PeerId::from(format!("scribe-{slot}"))
}

/// Who a path lets in: the slot and the name, when the secret is right.
fn who(path: &str, secret: &str) -> Option<(u32, String)> {
    let rest = path.strip_prefix("/s/")?;
    let mut parts = rest.splitn(3, '/');
    let (given, slot, hex) = (parts.next()?, parts.next()?, parts.next()?);
    if !links::same_secret(given, secret) {
        return None;
    }
    let slot: u32 = slot.parse().ok().filter(|s| *s > 0)?;
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect();
    let name = wire::clean_name(&String::from_utf8_lossy(&bytes?));
    Some((slot, name))
}

/// What the relay tells the share thread about connections samod never
/// saw: refused, too many.
pub type Refused = Arc<dyn Fn(String, String) + Send + Sync>;

/// The relay's side: who is behind each peer id, for the screen.
#[derive(Default)]
pub struct Peers {
    /// Names by peer id, from the paths they were let in by.
    pub names: HashMap<String, String>,
    /// Peers dropped for what they sent (already said), by peer id.
    pub dropped: std::collections::HashSet<String>,
}

pub type Names = Arc<Mutex<Peers>>;

/// Called when a peer is dropped for what it sent: its name, and why.
pub type Dropped = Arc<dyn Fn(&str, &str) + Send + Sync>;

/// Accepts scribes on `listener`, checks TLS and the secret, and hands
/// each connection to samod bound to the peer id its path gives.
pub struct Relay {
    pub listener: TcpListener,
    pub tls: Option<Arc<rustls::ServerConfig>>,
    pub secret: String,
    pub document: DocumentId,
    pub acceptor: AcceptorHandle,
    pub names: Names,
    pub refused: Refused,
    pub dropped: Dropped,
    pub stop: Arc<AtomicBool>,
}

pub fn listen(relay: Relay) -> io::Result<()> {
    let relay = Arc::new(relay);
    let busy = Arc::new(AtomicUsize::new(0));
    std::thread::Builder::new()
        .name("share-listen".into())
        .spawn(move || {
            for stream in relay.listener.incoming() {
                if relay.stop.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let from = stream
                    .peer_addr()
                    .map_or_else(|_| "somewhere".to_string(), |a| a.ip().to_string());
                if relay.acceptor.connection_count() + busy.load(Ordering::Relaxed) >= MAX_PEERS {
                    (relay.refused)(from, format!("{MAX_PEERS} scribes are connected already"));
                    continue;
                }
                let (relay, busy) = (relay.clone(), busy.clone());
                busy.fetch_add(1, Ordering::Relaxed);
                let spawned = std::thread::Builder::new()
                    .name("share-admit".into())
                    .spawn(move || {
                        if let Err(why) = admit(stream, &relay) {
                            (relay.refused)(from, why);
                        }
                        busy.fetch_sub(1, Ordering::Relaxed);
                    });
                drop(spawned);
            }
        })?;
    Ok(())
}

/// One connection: TLS, then the upgrade with the secret checked in its
/// path (a 403 otherwise), then samod.
fn admit(tcp: TcpStream, relay: &Relay) -> Result<(), String> {
    let _ = tcp.set_nodelay(true);
    tcp.set_read_timeout(Some(HANDSHAKE))
        .and_then(|()| tcp.set_write_timeout(Some(HANDSHAKE)))
        .map_err(|e| wire_words(&e))?;
    let under = tcp.try_clone().map_err(|e| wire_words(&e))?;
    let conn: Box<dyn Conn> = match &relay.tls {
        Some(config) => {
            let server = rustls::ServerConnection::new(config.clone())
                .map_err(|e| format!("TLS failed: {e}"))?;
            Box::new(rustls::StreamOwned::new(server, tcp))
        }
        None => Box::new(tcp),
    };
    let let_in = std::cell::RefCell::new(None);
    // tungstenite's callback type: its error is an HTTP response.
    #[allow(clippy::result_large_err)]
    let callback = |req: &Request, resp: Response| match who(req.uri().path(), &relay.secret) {
        Some(found) => {
            *let_in.borrow_mut() = Some(found);
            Ok(resp)
        }
        None => {
            let mut refusal = ErrorResponse::new(Some("wrong secret".into()));
            *refusal.status_mut() = tungstenite::http::StatusCode::FORBIDDEN;
            Err(refusal)
        }
    };
    let ws = tungstenite::accept_hdr_with_config(conn, callback, Some(ws_config()));
    let found = let_in.borrow_mut().take();
    let (ws, (slot, name)) = match (ws, found) {
        (Ok(ws), Some(found)) => (ws, found),
        (_, None) => return Err("gave a wrong secret".into()),
        (Err(e), Some(_)) => return Err(handshake_words(e)),
    };
    let peer = scribe_peer(slot);
    if let Ok(mut peers) = relay.names.lock() {
        peers.names.insert(peer.to_string(), name.clone());
        peers.dropped.remove(peer.as_str());
    }
    let (names, dropped, id) = (relay.names.clone(), relay.dropped.clone(), peer.to_string());
    let on_drop: OnDrop = Box::new(move |why: &str| {
        if let Ok(mut peers) = names.lock() {
            peers.dropped.insert(id.clone());
        }
        dropped(&name, why);
    });
    let transport = transport(
        Socket { ws, tcp: under },
        Checker::new(relay.document.clone()),
        Some(on_drop),
    )
    .map_err(|e| e.0)?;
    relay
        .acceptor
        .accept(transport.with_expected_peer_id(peer))
        .map(drop)
        .map_err(|_| "sharing has stopped".to_string())
}

fn handshake_words<R: tungstenite::handshake::HandshakeRole>(
    e: tungstenite::HandshakeError<R>,
) -> String {
    match e {
        tungstenite::HandshakeError::Failure(e) => ws_words(&e),
        tungstenite::HandshakeError::Interrupted(_) => "said nothing for 5 seconds".into(),
    }
}

/// A joining scribe's way to the relay: samod calls `connect` for the
/// first connection and after each break, with its backoff.
#[derive(Clone)]
pub struct WsDialer {
    pub link: Link,
    pub slot: u32,
    pub name: String,
    pub document: DocumentId,
    /// Why the relay refused for good, for the screen (samod's event says
    /// only that it did).
    pub refusal: Arc<Mutex<Option<String>>>,
    /// Why the last attempt failed, for the screen while it tries again.
    pub last_failure: Arc<Mutex<Option<String>>>,
}

impl WsDialer {
    fn url(&self) -> String {
        let path = path_for(&self.link.secret, self.slot, &self.name);
        match &self.link.relay {
            // Another relay ignores the path; `minutes` checks it.
            Some(relay) => format!("{}{path}", relay.trim_end_matches('/')),
            None => {
                let scheme = if self.link.pin.is_some() { "wss" } else { "ws" };
                format!("{scheme}://{}{path}", self.link.address)
            }
        }
    }
}

/// Why a dial failed: worth trying again, or not.
enum Dial {
    Again(String),
    Never(String),
}

fn dial(link: &Link, url: &str) -> Result<Socket, Dial> {
    let again = |e: &io::Error| Dial::Again(wire_words(e));
    let addrs: Vec<_> = link
        .address
        .to_socket_addrs()
        .map_err(|e| Dial::Again(format!("{}: {e}", link.address)))?
        .collect();
    let tcp = addrs
        .iter()
        .find_map(|a| TcpStream::connect_timeout(a, HANDSHAKE).ok())
        .ok_or_else(|| Dial::Again("nobody is sharing there yet".into()))?;
    let _ = tcp.set_nodelay(true);
    tcp.set_read_timeout(Some(HANDSHAKE))
        .and_then(|()| tcp.set_write_timeout(Some(HANDSHAKE)))
        .map_err(|e| again(&e))?;
    let under = tcp.try_clone().map_err(|e| again(&e))?;
    let tls = match (&link.pin, &link.relay) {
        (Some(pin), _) => Some((
            wire::client_config(pin).map_err(|e| again(&e))?,
            wire::server_name().map_err(|e| again(&e))?,
        )),
        // A relay behind TLS with a certificate from an authority.
        (None, Some(relay)) if relay.starts_with("wss://") => {
            let host = link
                .address
                .rsplit_once(':')
                .map_or(link.address.as_str(), |(h, _)| h);
            let name = rustls::pki_types::ServerName::try_from(host.to_string())
                .map_err(|e| Dial::Never(format!("{host}: {e}")))?;
            Some((wire::authority_config().map_err(|e| again(&e))?, name))
        }
        _ => None,
    };
    let conn: Box<dyn Conn> = match tls {
        Some((config, name)) => {
            let client = rustls::ClientConnection::new(config, name)
                .map_err(|e| Dial::Again(e.to_string()))?;
            Box::new(rustls::StreamOwned::new(client, tcp))
        }
        None => Box::new(tcp),
    };
    match tungstenite::client::client_with_config(url, conn, Some(ws_config())) {
        Ok((ws, _)) => Ok(Socket { ws, tcp: under }),
        Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(response)))
            if response.status() == tungstenite::http::StatusCode::FORBIDDEN =>
        {
            Err(Dial::Never(
                "the sharing scribe refused this link; ask them for the current one (`minutes links FILE`)"
                    .into(),
            ))
        }
        Err(tungstenite::HandshakeError::Failure(e)) => {
            let words = ws_words(&e);
            if words.contains("pins") {
                Err(Dial::Never(
                    "the sharing scribe's certificate is not the one the link pins: someone may be in between; check the link".into(),
                ))
            } else {
                Err(Dial::Again(words))
            }
        }
        Err(tungstenite::HandshakeError::Interrupted(_)) => {
            Err(Dial::Again("no answer in time".into()))
        }
    }
}

impl samod::Dialer for WsDialer {
    type Error = Gone;

    fn url(&self) -> samod::Url {
        // The link was checked when read; the URL is for samod's logs.
        samod::Url::parse(&self.url())
            .or_else(|_| samod::Url::parse("ws://minutes.invalid/"))
            .unwrap_or_else(|_| unreachable!("a constant URL parses"))
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<Gone>>> {
        let (tx, rx) = futures::channel::oneshot::channel();
        let (link, url, document) = (self.link.clone(), self.url(), self.document.clone());
        let refusal = self.refusal.clone();
        let last_failure = self.last_failure.clone();
        let failed = move |why: &str| {
            if let Ok(mut last) = last_failure.lock() {
                *last = Some(why.to_string());
            }
        };
        // The handshake blocks: on a thread of its own, so the share
        // thread never waits on the network.
        let spawned = std::thread::Builder::new()
            .name("share-dial".into())
            .spawn(move || {
                let _ = tx.send(dial(&link, &url));
            });
        Box::pin(async move {
            if spawned.is_err() {
                return Err(DialError::transient(Gone("no thread to dial on".into())));
            }
            match rx.await {
                Ok(Ok(socket)) => {
                    transport(socket, Checker::new(document), None).map_err(DialError::transient)
                }
                Ok(Err(Dial::Never(why))) => {
                    if let Ok(mut refusal) = refusal.lock() {
                        *refusal = Some(why.clone());
                    }
                    Err(DialError::PermanentFailure(Gone(why)))
                }
                Ok(Err(Dial::Again(why))) => {
                    failed(&why);
                    Err(DialError::transient(Gone(why)))
                }
                Err(_) => Err(DialError::transient(Gone("the dial was cut short".into()))),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cbor(kind: &str, document: Option<&DocumentId>, data: Option<&[u8]>) -> Vec<u8> {
        let mut e = minicbor::Encoder::new(Vec::new());
        let n = 1 + u64::from(document.is_some()) + u64::from(data.is_some());
        e.map(n).unwrap().str("type").unwrap().str(kind).unwrap();
        if let Some(d) = document {
            e.str("documentId").unwrap().str(&d.to_string()).unwrap();
        }
        if let Some(data) = data {
            e.str("data").unwrap().bytes(data).unwrap();
        }
        e.into_writer()
    }

    fn ids() -> (DocumentId, DocumentId) {
        let id = |b: u8| DocumentId::try_from(vec![b; 16]).unwrap();
        (id(1), id(2))
    }

    #[test]
    fn only_the_meetings_document_and_known_kinds_pass() {
        let (meeting, other) = ids();
        let mut check = Checker::new(meeting.clone());
        let empty = automerge::sync::Message {
            heads: Vec::new(),
            need: Vec::new(),
            have: Vec::new(),
            changes: Vec::<u8>::new().into(),
            flags: None,
            version: automerge::sync::MessageVersion::V2,
        }
        .encode();
        assert_eq!(
            check.admit(&cbor("sync", Some(&meeting), Some(&empty))),
            Ok(true)
        );
        assert_eq!(
            check.admit(&cbor("sync", Some(&other), Some(&empty))),
            Ok(false)
        );
        assert_eq!(
            check.admit(&cbor("ephemeral", Some(&meeting), None)),
            Ok(false)
        );
        assert_eq!(
            check.admit(&cbor("ephemeral", Some(&meeting), Some(b"hi"))),
            Ok(true)
        );
        assert_eq!(
            check.admit(&cbor("ephemeral", Some(&meeting), Some(&[0; 2000]))),
            Ok(false),
            "presence is small"
        );
        assert_eq!(check.admit(&cbor("join", None, None)), Ok(true));
        assert!(check.admit(b"not cbor").is_err());
        assert!(
            check
                .admit(&cbor("sync", Some(&meeting), Some(b"junk")))
                .is_err()
        );
    }

    #[test]
    fn the_path_lets_in_only_with_the_secret() {
        let secret = "0123456789abcdef0123456789abcdef";
        let path = path_for(secret, 42, "Bo \u{1b}[31mred");
        let (slot, name) = who(&path, secret).unwrap();
        assert_eq!(slot, 42);
        assert!(!name.contains('\u{1b}'), "control characters go: {name:?}");
        assert!(who(&path, "0123456789abcdef0123456789abcdee").is_none());
        assert!(who("/s/x", secret).is_none());
        assert!(
            who(&path_for(secret, 0, "host"), secret).is_none(),
            "slot 0 is the relay's"
        );
    }
}
