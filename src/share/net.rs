//! The sockets, on threads of their own: the sharing scribe's listener and
//! one thread per connected scribe; a joining scribe's connection, made
//! again with a growing pause whenever it breaks. Each thread hands what
//! it reads to the event loop through one bounded channel (a peer faster
//! than the loop waits, not the loop) and writes what the loop gives it.
//! The secret is checked here, before any byte of the meeting is sent.

use super::links::Link;
use super::wire::{self, FrameReader, Rate, Read1};
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// At most this many scribes connected to the sharing one at once.
const MAX_PEERS: usize = 16;
/// Frames waiting for the event loop, from all peers together.
pub const QUEUE: usize = 64;

/// What the connections tell the event loop.
pub enum Event {
    /// A scribe is in (the secret was right): frames for them go to `outbox`.
    Joined {
        peer: u64,
        name: String,
        outbox: Sender<Vec<u8>>,
    },
    /// A sync message from a peer, already checked for size and rate.
    Sync { peer: u64, message: Vec<u8> },
    /// The peer is gone: `bye` when they quit, else why.
    Left {
        peer: u64,
        name: String,
        bye: bool,
        why: String,
    },
    /// A connection was refused before it saw anything (no or wrong
    /// secret, too many scribes).
    Refused { from: String, why: String },
    /// A joining scribe's connection broke and is tried again.
    Retrying { attempt: u32, why: String },
    /// The sharing scribe refused this one's secret: not tried again.
    Denied(String),
}

/// Called after each event is queued, to wake the event loop.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

struct Ctx {
    events: SyncSender<Event>,
    wake: Waker,
    stop: Arc<AtomicBool>,
}

impl Ctx {
    /// Queues an event; false when the loop is gone or stopping.
    fn tell(&self, event: Event) -> bool {
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

/// Listens on `addr` for scribes with `secret`; TLS unless `tls` is None.
pub fn listen(
    listener: TcpListener,
    secret: String,
    tls: Option<Arc<rustls::ServerConfig>>,
    events: SyncSender<Event>,
    wake: Waker,
    stop: Arc<AtomicBool>,
) -> io::Result<()> {
    let ctx = Arc::new(Ctx { events, wake, stop });
    let next = Arc::new(AtomicU64::new(1));
    let connected = Arc::new(Mutex::new(0usize));
    std::thread::Builder::new()
        .name("share-listen".into())
        .spawn(move || {
            for stream in listener.incoming() {
                if ctx.stop.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let from = stream
                    .peer_addr()
                    .map_or_else(|_| "somewhere".to_string(), |a| a.ip().to_string());
                let full = connected.lock().map_or(true, |n| *n >= MAX_PEERS);
                if full {
                    ctx.tell(Event::Refused {
                        from,
                        why: format!("{MAX_PEERS} scribes are connected already"),
                    });
                    continue;
                }
                let (ctx, secret, tls, connected) =
                    (ctx.clone(), secret.clone(), tls.clone(), connected.clone());
                let peer = next.fetch_add(1, Ordering::Relaxed);
                let spawned =
                    std::thread::Builder::new()
                        .name("share-peer".into())
                        .spawn(move || {
                            if let Ok(mut n) = connected.lock() {
                                *n += 1;
                            }
                            serve(stream, peer, &from, &secret, tls, &ctx);
                            if let Ok(mut n) = connected.lock() {
                                *n = n.saturating_sub(1);
                            }
                        });
                drop(spawned);
            }
        })?;
    Ok(())
}

/// One scribe's connection to the sharing one: the hello checked, then
/// frames both ways until either side closes.
fn serve(
    stream: TcpStream,
    peer: u64,
    from: &str,
    secret: &str,
    tls: Option<Arc<rustls::ServerConfig>>,
    ctx: &Ctx,
) {
    let refuse = |why: String| {
        ctx.tell(Event::Refused {
            from: from.to_string(),
            why,
        });
    };
    let _ = stream.set_nodelay(true);
    if stream.set_read_timeout(Some(wire::POLL)).is_err() {
        return;
    }
    let mut conn = match tls {
        Some(config) => match rustls::ServerConnection::new(config) {
            Ok(server) => Wire::Server(Box::new(rustls::StreamOwned::new(server, stream))),
            Err(e) => return refuse(format!("TLS failed: {e}")),
        },
        None => Wire::Plain(stream),
    };
    let mut reader = FrameReader::with_limit(wire::HELLO_LIMIT);
    let deadline = Instant::now() + wire::HELLO_TIMEOUT;
    let name = loop {
        match reader.next(&mut conn) {
            Ok(Read1::Frame(wire::HELLO, bytes)) => match wire::check_hello(&bytes, secret) {
                Ok(name) => break name,
                Err(why) => {
                    // The refusal, and nothing else.
                    let _ = wire::write_frame(&mut conn, wire::REFUSED, why.as_bytes());
                    let _ = conn.flush();
                    return refuse(why.to_string());
                }
            },
            Ok(Read1::Frame(..)) => return refuse("did not say hello first".into()),
            Ok(Read1::Closed) => return refuse("left without a word".into()),
            Ok(Read1::Nothing) if Instant::now() > deadline => {
                return refuse("said nothing for 5 seconds".into());
            }
            Ok(Read1::Nothing) => {}
            Err(e) => return refuse(plain(&e)),
        }
    };
    reader.lift_limit();
    if wire::write_frame(&mut conn, wire::WELCOME, b"").is_err() {
        return;
    }
    let (outbox, to_send) = std::sync::mpsc::channel();
    if !ctx.tell(Event::Joined {
        peer,
        name: name.clone(),
        outbox,
    }) {
        return;
    }
    let (bye, why) = pump(conn, reader, to_send, peer, ctx);
    ctx.tell(Event::Left {
        peer,
        name,
        bye,
        why,
    });
}

/// A connection, plain (loopback) or TLS, as the hello is read and said.
enum Wire {
    Plain(TcpStream),
    Server(Box<rustls::StreamOwned<rustls::ServerConnection, TcpStream>>),
    Client(Box<rustls::StreamOwned<rustls::ClientConnection, TcpStream>>),
}

impl io::Read for Wire {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Wire::Plain(s) => s.read(buf),
            Wire::Server(s) => s.read(buf),
            Wire::Client(s) => s.read(buf),
        }
    }
}

impl io::Write for Wire {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Wire::Plain(s) => s.write(buf),
            Wire::Server(s) => s.write(buf),
            Wire::Client(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Wire::Plain(s) => s.flush(),
            Wire::Server(s) => s.flush(),
            Wire::Client(s) => s.flush(),
        }
    }
}

/// What goes through the socket: plain bytes, or TLS records from one
/// rustls connection shared by the reading and the writing thread (held
/// only to hand bytes in and out, never while waiting on the network).
enum Records {
    Plain,
    Tls(Arc<Mutex<rustls::Connection>>),
}

impl Records {
    /// Sends `bytes` (plaintext) through `socket`.
    fn send(&self, socket: &mut TcpStream, bytes: &[u8]) -> io::Result<()> {
        match self {
            Records::Plain => socket.write_all(bytes),
            Records::Tls(tls) => {
                let mut tls = tls.lock().map_err(|_| io::Error::other("TLS state lost"))?;
                tls.writer().write_all(bytes)?;
                while tls.wants_write() {
                    tls.write_tls(socket)?;
                }
                Ok(())
            }
        }
    }

    /// The plaintext in `bytes` read from `socket`; None when the peer
    /// closed the TLS session.
    fn open(&self, socket: &mut TcpStream, bytes: &[u8]) -> io::Result<Option<Vec<u8>>> {
        let Records::Tls(tls) = self else {
            return Ok(Some(bytes.to_vec()));
        };
        let mut tls = tls.lock().map_err(|_| io::Error::other("TLS state lost"))?;
        let mut rest = bytes;
        let mut plain = Vec::new();
        while !rest.is_empty() {
            tls.read_tls(&mut rest)?;
            tls.process_new_packets()
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            let mut chunk = [0u8; 16 * 1024];
            loop {
                match tls.reader().read(&mut chunk) {
                    Ok(0) => return Ok(None),
                    Ok(n) => plain.extend_from_slice(&chunk[..n]),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) => return Err(e),
                }
            }
        }
        while tls.wants_write() {
            tls.write_tls(socket)?;
        }
        Ok(Some(plain))
    }
}

/// Frames both ways until the connection ends: a writer thread that
/// sleeps until there is something to send, and reads here that sleep
/// until something comes, so a message goes out at once and an idle
/// connection costs nothing. Returns whether the peer said goodbye, and
/// why it ended.
fn pump(
    conn: Wire,
    mut reader: FrameReader,
    to_send: Receiver<Vec<u8>>,
    peer: u64,
    ctx: &Ctx,
) -> (bool, String) {
    let (socket, link) = match conn {
        Wire::Plain(socket) => (socket, Records::Plain),
        Wire::Server(s) => {
            let s = *s;
            (s.sock, Records::Tls(Arc::new(Mutex::new(s.conn.into()))))
        }
        Wire::Client(s) => {
            let s = *s;
            (s.sock, Records::Tls(Arc::new(Mutex::new(s.conn.into()))))
        }
    };
    if socket.set_read_timeout(None).is_err() {
        return (false, "the connection failed".into());
    }
    // Plaintext rustls already holds (read along with the hello).
    if let Records::Tls(tls) = &link
        && let Ok(mut tls) = tls.lock()
    {
        let mut chunk = [0u8; 16 * 1024];
        while let Ok(n) = tls.reader().read(&mut chunk) {
            if n == 0 {
                break;
            }
            reader.push(&chunk[..n]);
        }
    }
    let (mut out, mut inward) = match (socket.try_clone(), socket.try_clone()) {
        (Ok(out), Ok(inward)) => (out, inward),
        (Err(e), _) | (_, Err(e)) => return (false, plain(&e)),
    };
    let link = Arc::new(link);
    let writer_link = link.clone();
    let writer = std::thread::Builder::new()
        .name("share-write".into())
        .spawn(move || {
            for frame in to_send {
                let mut bytes = Vec::with_capacity(frame.len() + 5);
                if wire::write_frame(&mut bytes, wire::SYNC, &frame).is_err()
                    || writer_link.send(&mut out, &bytes).is_err()
                {
                    break;
                }
            }
            // Let go of by the event loop (or the peer is gone): goodbye,
            // and the reads below end.
            let mut bye = Vec::new();
            if wire::write_frame(&mut bye, wire::BYE, b"").is_ok() {
                let _ = writer_link.send(&mut out, &bye);
            }
            let _ = out.shutdown(std::net::Shutdown::Both);
        });
    if writer.is_err() {
        return (false, "no thread to write with".into());
    }
    let mut rate = Rate::new();
    let mut buf = vec![0u8; 64 * 1024];
    let ended = 'read: loop {
        // Frames already whole (read with the hello) first.
        loop {
            match reader.take_frame() {
                Ok(Some((wire::SYNC, message))) => {
                    if let Err(why) = rate.charge(message.len()) {
                        break 'read (false, why);
                    }
                    if !ctx.tell(Event::Sync { peer, message }) {
                        break 'read (false, "closed here".into());
                    }
                }
                Ok(Some((wire::BYE, _))) => break 'read (true, "left".into()),
                Ok(Some((kind, _))) => {
                    break 'read (false, format!("sent a message of an unknown kind ({kind})"));
                }
                Ok(None) => break,
                Err(e) => break 'read (false, plain(&e)),
            }
        }
        let n = match inward.read(&mut buf) {
            Ok(0) => break (false, "the connection closed".into()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => break (false, plain(&e)),
        };
        match link.open(&mut inward, &buf[..n]) {
            Ok(Some(plaintext)) => reader.push(&plaintext),
            Ok(None) => break (false, "the connection closed".into()),
            Err(e) => break (false, plain(&e)),
        }
    };
    let _ = socket.shutdown(std::net::Shutdown::Both);
    ended
}

/// An I/O error in plain words.
pub fn plain(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => "nobody is sharing there (connection refused)".into(),
        io::ErrorKind::ConnectionReset | io::ErrorKind::BrokenPipe => {
            "the connection was cut".into()
        }
        io::ErrorKind::UnexpectedEof => "the connection closed".into(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => "no answer in time".into(),
        io::ErrorKind::InvalidData => e.to_string(),
        _ => e.to_string(),
    }
}

/// Joins the sharing scribe at `link` as `name`, and keeps joining: after
/// a break, again after 0.2 s, then twice as long each time up to 5 s.
pub fn join(
    link: Link,
    name: String,
    events: SyncSender<Event>,
    wake: Waker,
    stop: Arc<AtomicBool>,
) -> io::Result<()> {
    let tls = match &link.pin {
        Some(pin) => Some(wire::client_config(pin)?),
        None => None,
    };
    let ctx = Ctx { events, wake, stop };
    std::thread::Builder::new()
        .name("share-join".into())
        .spawn(move || {
            let mut attempt = 0u32;
            let mut pause = Duration::from_millis(200);
            loop {
                let outcome = connect_once(&link, &name, tls.clone(), &ctx);
                match outcome {
                    Attempt::Denied(why) => {
                        ctx.tell(Event::Denied(why));
                        return;
                    }
                    Attempt::Stopped => return,
                    Attempt::Ended { was_in, why } => {
                        if was_in {
                            attempt = 0;
                            pause = Duration::from_millis(200);
                        }
                        attempt += 1;
                        if !ctx.tell(Event::Retrying { attempt, why }) {
                            return;
                        }
                    }
                }
                let until = Instant::now() + pause;
                while Instant::now() < until {
                    if ctx.stop.load(Ordering::Relaxed) {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                pause = (pause * 2).min(Duration::from_secs(5));
            }
        })?;
    Ok(())
}

enum Attempt {
    Denied(String),
    Stopped,
    Ended { was_in: bool, why: String },
}

/// The peer id a joining scribe gives the sharing scribe.
pub const RELAY: u64 = 0;

fn connect_once(
    link: &Link,
    name: &str,
    tls: Option<Arc<rustls::ClientConfig>>,
    ctx: &Ctx,
) -> Attempt {
    let ended = |why: String| Attempt::Ended { was_in: false, why };
    let addrs = match link.address.to_socket_addrs() {
        Ok(addrs) => addrs.collect::<Vec<_>>(),
        Err(e) => return ended(format!("{}: {e}", link.address)),
    };
    let Some(stream) = addrs
        .iter()
        .find_map(|a| TcpStream::connect_timeout(a, Duration::from_secs(5)).ok())
    else {
        return ended("nobody is sharing there yet".into());
    };
    let _ = stream.set_nodelay(true);
    if let Err(e) = stream.set_read_timeout(Some(wire::POLL)) {
        return ended(plain(&e));
    }
    let mut conn = match tls {
        Some(config) => {
            let server = wire::server_name()
                .and_then(|n| rustls::ClientConnection::new(config, n).map_err(io::Error::other));
            match server {
                Ok(client) => Wire::Client(Box::new(rustls::StreamOwned::new(client, stream))),
                Err(e) => return ended(plain(&e)),
            }
        }
        None => Wire::Plain(stream),
    };
    let said = wire::write_frame(&mut conn, wire::HELLO, &wire::hello(&link.secret, name))
        .and_then(|()| conn.flush());
    if let Err(e) = said {
        return tls_or(e, ended);
    }
    let mut reader = FrameReader::default();
    let deadline = Instant::now() + wire::HELLO_TIMEOUT;
    loop {
        match reader.next(&mut conn) {
            Ok(Read1::Frame(wire::WELCOME, _)) => break,
            Ok(Read1::Frame(wire::REFUSED, why)) => {
                let why = String::from_utf8_lossy(&why).into_owned();
                return Attempt::Denied(format!(
                    "the sharing scribe refused this link ({}); ask them for the current one (`minutes links FILE`)",
                    wire::clean_name(&why)
                ));
            }
            Ok(Read1::Frame(..)) => return ended("the other side is not minutes".into()),
            Ok(Read1::Closed) => return ended("the connection closed".into()),
            Ok(Read1::Nothing) if Instant::now() > deadline => {
                return ended("no answer in time".into());
            }
            Ok(Read1::Nothing) => {}
            Err(e) => return tls_or(e, ended),
        }
    }
    let (outbox, to_send) = std::sync::mpsc::channel();
    if !ctx.tell(Event::Joined {
        peer: RELAY,
        name: "the sharing scribe".into(),
        outbox,
    }) {
        return Attempt::Stopped;
    }
    let (bye, why) = pump(conn, reader, to_send, RELAY, ctx);
    if !ctx.tell(Event::Left {
        peer: RELAY,
        name: "the sharing scribe".into(),
        bye,
        why: why.clone(),
    }) {
        return Attempt::Stopped;
    }
    let why = if bye {
        "the sharing scribe quit".into()
    } else {
        why
    };
    Attempt::Ended { was_in: true, why }
}

/// A certificate that is not the pinned one is said as such, and not
/// tried again: it will not change by waiting.
fn tls_or(e: io::Error, ended: impl Fn(String) -> Attempt) -> Attempt {
    let text = e.to_string();
    if text.contains("pins") {
        Attempt::Denied(
            "the sharing scribe's certificate is not the one the link pins: someone may be in between; check the link".into(),
        )
    } else {
        ended(plain(&e))
    }
}
