//! The sockets, on threads of their own: the sharing scribe's listener and
//! one thread per connected scribe; a joining scribe's connection, made
//! again with a growing pause whenever it breaks. Each thread hands what
//! it reads to the event loop through one bounded channel (a peer faster
//! than the loop waits, not the loop) and writes what the loop gives it.
//! The secret is checked here, before any byte of the meeting is sent.

use super::links::Link;
use super::wire::{self, Conn, FrameReader, Rate, Read1};
use std::io;
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender, TryRecvError, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// At most this many scribes connected to the sharing one at once.
pub const MAX_PEERS: usize = 16;
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
    // Plain (loopback): a copy of the socket for a writer of its own.
    let split = if tls.is_none() {
        stream.try_clone().ok()
    } else {
        None
    };
    let mut conn: Box<dyn Conn> = match tls {
        Some(config) => match rustls::ServerConnection::new(config) {
            Ok(server) => Box::new(rustls::StreamOwned::new(server, stream)),
            Err(e) => return refuse(format!("TLS failed: {e}")),
        },
        None => Box::new(stream),
    };
    let mut reader = FrameReader::with_limit(wire::HELLO_LIMIT);
    let deadline = Instant::now() + wire::HELLO_TIMEOUT;
    let name = loop {
        match reader.next(conn.as_mut()) {
            Ok(Read1::Frame(wire::HELLO, bytes)) => match wire::check_hello(&bytes, secret) {
                Ok(name) => break name,
                Err(why) => {
                    // The refusal, and nothing else.
                    let _ = wire::write_frame(conn.as_mut(), wire::REFUSED, why.as_bytes());
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
    if wire::write_frame(conn.as_mut(), wire::WELCOME, b"").is_err() {
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
    let (bye, why) = match split {
        Some(socket) => pump_plain(socket, conn.as_mut(), &mut reader, to_send, peer, ctx),
        None => pump(conn.as_mut(), &mut reader, &to_send, peer, ctx),
    };
    ctx.tell(Event::Left {
        peer,
        name,
        bye,
        why,
    });
}

/// Frames both ways until the connection ends: (whether the peer said
/// goodbye, why it ended).
fn pump(
    conn: &mut dyn Conn,
    reader: &mut FrameReader,
    to_send: &Receiver<Vec<u8>>,
    peer: u64,
    ctx: &Ctx,
) -> (bool, String) {
    let mut rate = Rate::new();
    loop {
        let mut wrote = false;
        loop {
            match to_send.try_recv() {
                Ok(frame) => {
                    if let Err(e) = wire::write_frame(conn, wire::SYNC, &frame) {
                        return (false, plain(&e));
                    }
                    wrote = true;
                }
                Err(TryRecvError::Empty) => break,
                // The event loop let go of this peer (it quit, or dropped
                // the peer): goodbye.
                Err(TryRecvError::Disconnected) => {
                    let _ = wire::write_frame(conn, wire::BYE, b"");
                    let _ = conn.flush();
                    return (false, "closed here".into());
                }
            }
        }
        if wrote && let Err(e) = conn.flush() {
            return (false, plain(&e));
        }
        if ctx.stop.load(Ordering::Relaxed) {
            let _ = wire::write_frame(conn, wire::BYE, b"");
            let _ = conn.flush();
            return (false, "closed here".into());
        }
        match reader.next(conn) {
            Ok(Read1::Frame(wire::SYNC, message)) => {
                if let Err(why) = rate.charge(message.len()) {
                    return (false, why);
                }
                if !ctx.tell(Event::Sync { peer, message }) {
                    return (false, "closed here".into());
                }
            }
            Ok(Read1::Frame(wire::BYE, _)) => return (true, "left".into()),
            Ok(Read1::Frame(kind, _)) => {
                return (false, format!("sent a message of an unknown kind ({kind})"));
            }
            Ok(Read1::Closed) => return (false, "the connection closed".into()),
            Ok(Read1::Nothing) => {}
            Err(e) => return (false, plain(&e)),
        }
    }
}

/// A plain (loopback) connection: a writer thread that sleeps until there
/// is something to send, and reads here that sleep until something comes,
/// so a message goes out at once and an idle connection costs nothing.
/// (A TLS connection cannot be split so: [`pump`] takes turns, reading
/// with a short timeout.)
fn pump_plain(
    socket: TcpStream,
    conn: &mut dyn Conn,
    reader: &mut FrameReader,
    to_send: Receiver<Vec<u8>>,
    peer: u64,
    ctx: &Ctx,
) -> (bool, String) {
    if socket.set_read_timeout(None).is_err() {
        return (false, "the connection failed".into());
    }
    let mut out = match socket.try_clone() {
        Ok(out) => out,
        Err(e) => return (false, plain(&e)),
    };
    let writer = std::thread::Builder::new()
        .name("share-write".into())
        .spawn(move || {
            for frame in to_send {
                if wire::write_frame(&mut out, wire::SYNC, &frame).is_err() {
                    break;
                }
            }
            // Let go of by the event loop (or the peer is gone): goodbye,
            // and the reads below end.
            let _ = wire::write_frame(&mut out, wire::BYE, b"");
            let _ = out.shutdown(std::net::Shutdown::Both);
        });
    if writer.is_err() {
        return (false, "no thread to write with".into());
    }
    let mut rate = Rate::new();
    let ended = loop {
        match reader.next(conn) {
            Ok(Read1::Frame(wire::SYNC, message)) => {
                if let Err(why) = rate.charge(message.len()) {
                    break (false, why);
                }
                if !ctx.tell(Event::Sync { peer, message }) {
                    break (false, "closed here".into());
                }
            }
            Ok(Read1::Frame(wire::BYE, _)) => break (true, "left".into()),
            Ok(Read1::Frame(kind, _)) => {
                break (false, format!("sent a message of an unknown kind ({kind})"));
            }
            Ok(Read1::Closed) => break (false, "the connection closed".into()),
            Ok(Read1::Nothing) => {}
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
    let split = if tls.is_none() {
        stream.try_clone().ok()
    } else {
        None
    };
    let mut conn: Box<dyn Conn> = match tls {
        Some(config) => {
            let server = wire::server_name()
                .and_then(|n| rustls::ClientConnection::new(config, n).map_err(io::Error::other));
            match server {
                Ok(client) => Box::new(rustls::StreamOwned::new(client, stream)),
                Err(e) => return ended(plain(&e)),
            }
        }
        None => Box::new(stream),
    };
    let said = wire::write_frame(conn.as_mut(), wire::HELLO, &wire::hello(&link.secret, name))
        .and_then(|()| conn.flush());
    if let Err(e) = said {
        return tls_or(e, ended);
    }
    let mut reader = FrameReader::default();
    let deadline = Instant::now() + wire::HELLO_TIMEOUT;
    loop {
        match reader.next(conn.as_mut()) {
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
    let (bye, why) = match split {
        Some(socket) => pump_plain(socket, conn.as_mut(), &mut reader, to_send, RELAY, ctx),
        None => pump(conn.as_mut(), &mut reader, &to_send, RELAY, ctx),
    };
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
