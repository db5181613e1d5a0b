//! The participants' live page (docs/participants.md): an HTTP server at
//! the edge, on a thread of its own, serving `/p/<secret>/` and nothing
//! else. The page (assets compiled in, `assets/`) follows the meeting
//! through Server-Sent Events: a page that connects gets what
//! participants may see once (`view::notes`, `view::status`), then only
//! what changes. Its requests (a raised hand, a withdrawal, a vote) come
//! back to the event loop as [`PageAction`]s, carried out by `update`.
//!
//! Off loopback the page is HTTPS (the caller gives the TLS
//! configuration): the link carries the participants' secret. Handshakes
//! run side by side, each within [`HANDSHAKE`], so a client that opens a
//! connection and says nothing holds one place and never the door.
//!
//! Bounded everywhere: connections ([`MAX_CONNECTIONS`]), pages
//! ([`MAX_PAGES`]), request bodies ([`MAX_BODY`]), requests per address
//! (a token bucket), requests waiting for the event loop, and each page's
//! queue of events ([`PAGE_QUEUE`]): a page that does not read is dropped
//! (its browser reconnects and starts afresh), never waited for.

pub mod view;

use crate::app::PageAction;
use crate::model::{Meeting, QueueKind};
use crate::store::Record;
use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::StreamExt;
use serde::Deserialize;
use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use view::{Delta, StatusView};

/// Open connections at once (pages, and their requests).
const MAX_CONNECTIONS: usize = 512;
/// A TLS handshake not done within this is dropped.
const HANDSHAKE: Duration = Duration::from_secs(10);
/// Pages following the meeting at once.
const MAX_PAGES: usize = 300;
/// The largest request body (a raised hand, a vote).
const MAX_BODY: usize = 4096;
/// Events waiting for one page; a page this far behind is dropped.
const PAGE_QUEUE: usize = 512;
/// Requests waiting for the event loop, from all pages.
const WAITING: usize = 256;
/// Requests per address: a burst of this many (a whole office behind one
/// address opening the page at once: four requests each)...
const BURST: f64 = 200.0;
/// ...then this many a second.
const PER_SECOND: f64 = 50.0;
/// Addresses remembered by the rate limit before the idle ones are let go.
const ADDRESSES: usize = 4096;

const INDEX: &str = include_str!("assets/index.html");
const SCRIPT: &str = include_str!("assets/page.js");
const STYLE: &str = include_str!("assets/page.css");
/// Nothing from elsewhere: scripts, styles and events from this page only.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Wakes the event loop when a page asked for something.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// A random secret of 128 bits, as 32 hexadecimal digits.
fn new_secret() -> io::Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| io::Error::other(e.to_string()))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether `secret` may be a participants' secret: at least 16
/// characters, letters, digits, `-` and `_` only (it goes in a link).
fn valid_secret(secret: &str) -> bool {
    (16..=128).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The same in time whatever the position of the first difference.
fn same_secret(given: &str, secret: &str) -> bool {
    given.len() == secret.len()
        && given
            .bytes()
            .zip(secret.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// An event for the pages: its SSE name and its JSON, made once for all.
#[derive(Clone, Debug)]
struct Message {
    kind: &'static str,
    data: Arc<str>,
}

/// What every page is sent: the notes (in the order they came, each
/// kept as the JSON sent), the status, and the pages' queues.
#[derive(Default)]
struct Hub {
    notes: Vec<Option<Arc<str>>>,
    index: HashMap<u64, usize>,
    status: Option<Arc<str>>,
    pages: Vec<mpsc::Sender<Message>>,
}

impl Hub {
    /// To every page at once; a page whose queue is full (or gone) is
    /// dropped.
    fn broadcast(&mut self, message: &Message) {
        self.pages
            .retain(|page| page.try_send(message.clone()).is_ok());
    }

    fn apply(&mut self, delta: Delta) -> Option<Message> {
        match delta {
            Delta::Note(note) => {
                let data: Arc<str> = serde_json::to_string(&note).ok()?.into();
                match self.index.get(&note.id) {
                    Some(&at) => self.notes[at] = Some(data.clone()),
                    None => {
                        self.index.insert(note.id, self.notes.len());
                        self.notes.push(Some(data.clone()));
                    }
                }
                Some(Message { kind: "note", data })
            }
            Delta::Gone(id) => {
                let at = self.index.remove(&id)?;
                self.notes[at] = None;
                Some(Message {
                    kind: "gone",
                    data: format!("{{\"id\":{id}}}").into(),
                })
            }
        }
    }

    /// What a page that connects is sent first.
    fn snapshot(&self) -> Vec<Message> {
        let status = self.status.iter().map(|data| Message {
            kind: "status",
            data: data.clone(),
        });
        let notes = self.notes.iter().flatten().map(|data| Message {
            kind: "note",
            data: data.clone(),
        });
        // `reset` and `ready` around it: a screen reader is not read the
        // whole meeting out when a page (re)connects.
        let mark = |kind| Message {
            kind,
            data: "{}".into(),
        };
        std::iter::once(mark("reset"))
            .chain(status)
            .chain(notes)
            .chain([mark("ready")])
            .collect()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The page server, as the event loop holds it.
pub struct PageServer {
    hub: Arc<Mutex<Hub>>,
    requests: Receiver<PageAction>,
    pages: Arc<AtomicUsize>,
    /// The count last told to the app.
    told: Option<usize>,
    status: Option<StatusView>,
    link: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl PageServer {
    /// Listens on `addr` (the participants' link is
    /// `http://ADDR/p/SECRET/`, or `https://` with `tls`); a secret of 128
    /// random bits when none is given. `wake` is called when a page asked
    /// for something.
    pub fn start(
        addr: &str,
        secret: Option<String>,
        wake: Waker,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> io::Result<PageServer> {
        let secret = match secret {
            Some(secret) if valid_secret(&secret) => secret,
            Some(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "the participants' secret needs 16 or more letters, digits, - or _",
                ));
            }
            None => new_secret()?,
        };
        let secure = tls.is_some();
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let local = listener.local_addr()?;
        let hub = Arc::new(Mutex::new(Hub::default()));
        let pages = Arc::new(AtomicUsize::new(0));
        let (requests_in, requests) = std::sync::mpsc::sync_channel(WAITING);
        let shared = Shared {
            secret: secret.clone().into(),
            hub: hub.clone(),
            requests: requests_in,
            wake,
            pages: pages.clone(),
            limiter: Arc::new(Mutex::new(Limiter::default())),
        };
        let router = router(shared);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("page".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    let (arrived, arrivals) = mpsc::channel(64);
                    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
                    tokio::spawn(admit(listener, acceptor, arrived));
                    let listener = Limited { arrivals, local };
                    let service = router.into_make_service_with_connect_info::<Peer>();
                    let _ = axum::serve(listener, service)
                        .with_graceful_shutdown(async {
                            let _ = stopped.await;
                        })
                        .await;
                });
            })?;
        let scheme = if secure { "https" } else { "http" };
        let host = match local.ip() {
            ip if ip.is_unspecified() => "HOST".to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
            IpAddr::V4(ip) => ip.to_string(),
        };
        Ok(PageServer {
            hub,
            requests,
            pages,
            told: None,
            status: None,
            link: format!("{scheme}://{host}:{}/p/{secret}/", local.port()),
            stop: Some(stop),
        })
    }

    /// The participants' link (`HOST` in it when listening on every
    /// address: the scribe puts the address participants reach).
    pub fn link(&self) -> &str {
        &self.link
    }

    /// Pages following the meeting now.
    pub fn pages(&self) -> usize {
        self.pages.load(Ordering::SeqCst)
    }

    /// Everything participants may see, from the meeting as it is (once,
    /// before the first page connects).
    pub fn load(&mut self, meeting: &Meeting, current: Option<u32>, speakers: &[String]) {
        let mut hub = lock(&self.hub);
        for note in view::notes(meeting) {
            hub.apply(Delta::Note(note));
        }
        drop(hub);
        self.set_status(view::status(meeting, current, speakers));
    }

    /// What was just saved, told to every page: work per note, never per
    /// meeting.
    pub fn publish(&mut self, meeting: &Meeting, records: &[Record]) {
        let deltas: Vec<Delta> = view::deltas(meeting, records).collect();
        if deltas.is_empty() {
            return;
        }
        let mut hub = lock(&self.hub);
        for delta in deltas {
            if let Some(message) = hub.apply(delta) {
                hub.broadcast(&message);
            }
        }
    }

    /// The status, told to every page when it changed.
    pub fn set_status(&mut self, status: StatusView) {
        if self.status.as_ref() == Some(&status) {
            return;
        }
        let Ok(data) = serde_json::to_string(&status) else {
            return;
        };
        self.status = Some(status);
        let message = Message {
            kind: "status",
            data: data.into(),
        };
        let mut hub = lock(&self.hub);
        hub.status = Some(message.data.clone());
        hub.broadcast(&message);
    }

    /// What the pages asked since the last call, and the number of pages
    /// when it changed.
    pub fn take(&mut self) -> Vec<PageAction> {
        let mut actions: Vec<PageAction> = self.requests.try_iter().collect();
        let pages = self.pages();
        if self.told != Some(pages) {
            self.told = Some(pages);
            actions.push(PageAction::Connected(pages));
        }
        actions
    }
}

impl Drop for PageServer {
    /// Every page's stream ends, then the server.
    fn drop(&mut self) {
        lock(&self.hub).pages.clear();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// What the handlers share.
#[derive(Clone)]
struct Shared {
    secret: Arc<str>,
    hub: Arc<Mutex<Hub>>,
    requests: SyncSender<PageAction>,
    wake: Waker,
    pages: Arc<AtomicUsize>,
    limiter: Arc<Mutex<Limiter>>,
}

impl Shared {
    /// `None` when the request may go on; the response refusing it else.
    fn refuse(&self, secret: &str, Peer(from): Peer) -> Option<Response> {
        if !lock(&self.limiter).allow(from.ip(), Instant::now()) {
            return Some(StatusCode::TOO_MANY_REQUESTS.into_response());
        }
        if !same_secret(secret, &self.secret) {
            return Some(not_found().into_response());
        }
        None
    }
}

fn router(shared: Shared) -> Router {
    Router::new()
        .route("/p/{secret}/", get(index))
        .route("/p/{secret}/page.js", get(script))
        .route("/p/{secret}/page.css", get(style))
        .route("/p/{secret}/events", get(events))
        .route("/p/{secret}/act", post(act))
        .fallback(|| async { not_found() })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::map_response(safe_headers))
        .with_state(shared)
}

fn not_found() -> (StatusCode, &'static str) {
    (StatusCode::NOT_FOUND, "Not found\n")
}

/// On every response: no caching, no referrer (the link is the secret),
/// nothing loaded from elsewhere, not framed.
async fn safe_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CONTENT_SECURITY_POLICY, POLICY),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

type Asked = (State<Shared>, ConnectInfo<Peer>, Path<String>);

fn asset(
    (State(shared), ConnectInfo(from), Path(secret)): Asked,
    kind: &'static str,
    body: &'static str,
) -> Response {
    if let Some(refused) = shared.refuse(&secret, from) {
        return refused;
    }
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

async fn index(state: State<Shared>, from: ConnectInfo<Peer>, secret: Path<String>) -> Response {
    asset((state, from, secret), "text/html; charset=utf-8", INDEX)
}

async fn script(state: State<Shared>, from: ConnectInfo<Peer>, secret: Path<String>) -> Response {
    asset(
        (state, from, secret),
        "text/javascript; charset=utf-8",
        SCRIPT,
    )
}

async fn style(state: State<Shared>, from: ConnectInfo<Peer>, secret: Path<String>) -> Response {
    asset((state, from, secret), "text/css; charset=utf-8", STYLE)
}

/// Counts a page while its stream lives; the event loop is woken to
/// show the count.
struct Following {
    pages: Arc<AtomicUsize>,
    wake: Waker,
}

impl Drop for Following {
    fn drop(&mut self) {
        self.pages.fetch_sub(1, Ordering::SeqCst);
        (self.wake)();
    }
}

/// The page's stream: what participants may see now, then what changes.
async fn events(
    State(shared): State<Shared>,
    ConnectInfo(from): ConnectInfo<Peer>,
    Path(secret): Path<String>,
) -> Response {
    if let Some(refused) = shared.refuse(&secret, from) {
        return refused;
    }
    if shared.pages.fetch_add(1, Ordering::SeqCst) >= MAX_PAGES {
        shared.pages.fetch_sub(1, Ordering::SeqCst);
        return (StatusCode::SERVICE_UNAVAILABLE, "Too many pages are open\n").into_response();
    }
    let following = Following {
        pages: shared.pages.clone(),
        wake: shared.wake.clone(),
    };
    (shared.wake)();
    let (queue, incoming) = mpsc::channel(PAGE_QUEUE);
    let first = {
        let mut hub = lock(&shared.hub);
        hub.pages.push(queue);
        hub.snapshot()
    };
    let then = futures_util::stream::unfold(
        (incoming, following),
        |(mut incoming, following)| async move {
            let message = incoming.recv().await?;
            Some((message, (incoming, following)))
        },
    );
    let stream = futures_util::stream::iter(first)
        .chain(then)
        .map(|message| {
            Ok::<_, std::convert::Infallible>(
                Event::default().event(message.kind).data(&*message.data),
            )
        });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// A page's request, as its script sends it.
#[derive(Deserialize)]
#[serde(tag = "do", rename_all = "snake_case", deny_unknown_fields)]
enum Ask {
    Queue {
        token: String,
        name: String,
        kind: QueueKind,
        #[serde(default)]
        topic: Option<String>,
    },
    Withdraw {
        token: String,
    },
    Vote {
        token: String,
        name: String,
        choice: usize,
    },
}

/// The random token a page made for itself: letters, digits, - and _.
fn valid_token(token: &str) -> bool {
    (16..=64).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

async fn act(
    State(shared): State<Shared>,
    ConnectInfo(from): ConnectInfo<Peer>,
    Path(secret): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    if let Some(refused) = shared.refuse(&secret, from) {
        return refused;
    }
    let Ok(ask) = serde_json::from_slice::<Ask>(&body) else {
        return (StatusCode::BAD_REQUEST, "Not a request this page makes\n").into_response();
    };
    let action = match ask {
        Ask::Queue {
            token,
            name,
            kind,
            topic,
        } => (
            token.clone(),
            PageAction::Queue {
                token,
                name,
                kind,
                topic,
            },
        ),
        Ask::Withdraw { token } => (token.clone(), PageAction::Withdraw { token }),
        Ask::Vote {
            token,
            name,
            choice,
        } => (
            token.clone(),
            PageAction::Vote {
                token,
                name,
                choice,
            },
        ),
    };
    let (token, action) = action;
    if !valid_token(&token) {
        return (StatusCode::BAD_REQUEST, "Not a request this page makes\n").into_response();
    }
    match shared.requests.try_send(action) {
        Ok(()) => {
            (shared.wake)();
            StatusCode::NO_CONTENT.into_response()
        }
        Err(TrySendError::Full(_)) => {
            (StatusCode::SERVICE_UNAVAILABLE, "Busy: try again\n").into_response()
        }
        Err(TrySendError::Disconnected(_)) => StatusCode::GONE.into_response(),
    }
}

/// A token bucket per address.
#[derive(Default)]
struct Limiter {
    buckets: HashMap<IpAddr, (f64, Instant)>,
}

impl Limiter {
    fn allow(&mut self, ip: IpAddr, now: Instant) -> bool {
        if self.buckets.len() >= ADDRESSES && !self.buckets.contains_key(&ip) {
            // Full buckets are as good as forgotten.
            self.buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * PER_SECOND < BURST
            });
            if self.buckets.len() >= ADDRESSES {
                return false;
            }
        }
        let (tokens, at) = self.buckets.entry(ip).or_insert((BURST, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * PER_SECOND).min(BURST);
        *at = now;
        if *tokens < 1.0 {
            return false;
        }
        *tokens -= 1.0;
        true
    }
}

/// Accepts connections while fewer than [`MAX_CONNECTIONS`] are open,
/// each one's TLS handshake (if any) on a task of its own, and hands the
/// ready ones to the server.
async fn admit(
    listener: tokio::net::TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    arrived: mpsc::Sender<(Counted, Peer)>,
) {
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let (stream, from) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors, say: a pause, not a busy loop.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let arrived = arrived.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let conn = match tls {
                None => Conn::Plain(stream),
                Some(tls) => match tokio::time::timeout(HANDSHAKE, tls.accept(stream)).await {
                    Ok(Ok(stream)) => Conn::Tls(Box::new(stream)),
                    // Not TLS, a wrong certificate refused by the
                    // browser, or silence: nothing to answer.
                    _ => return,
                },
            };
            let counted = Counted {
                conn,
                _permit: permit,
            };
            let _ = arrived.send((counted, Peer(from))).await;
        });
    }
}

/// The connections [`admit`] let in, for the server.
struct Limited {
    arrivals: mpsc::Receiver<(Counted, Peer)>,
    local: SocketAddr,
}

/// Where a connection comes from (for the rate limit).
#[derive(Clone, Copy, Debug)]
struct Peer(SocketAddr);

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, Limited>> for Peer {
    fn connect_info(stream: axum::serve::IncomingStream<'_, Limited>) -> Self {
        *stream.remote_addr()
    }
}

impl axum::serve::Listener for Limited {
    type Io = Counted;
    type Addr = Peer;

    async fn accept(&mut self) -> (Counted, Peer) {
        match self.arrivals.recv().await {
            Some(arrival) => arrival,
            // The door is shut: the server waits for its shutdown.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Peer> {
        Ok(Peer(self.local))
    }
}

/// A connection, in clear or over TLS.
enum Conn {
    Plain(tokio::net::TcpStream),
    Tls(Box<tokio_rustls::server::TlsStream<tokio::net::TcpStream>>),
}

/// A connection holding its place among the [`MAX_CONNECTIONS`].
struct Counted {
    conn: Conn,
    _permit: OwnedSemaphorePermit,
}

impl AsyncRead for Counted {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match &mut self.get_mut().conn {
            Conn::Plain(stream) => Pin::new(stream).poll_read(cx, buf),
            Conn::Tls(stream) => Pin::new(stream.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match &mut self.get_mut().conn {
            Conn::Plain(stream) => Pin::new(stream).poll_write(cx, buf),
            Conn::Tls(stream) => Pin::new(stream.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().conn {
            Conn::Plain(stream) => Pin::new(stream).poll_flush(cx),
            Conn::Tls(stream) => Pin::new(stream.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().conn {
            Conn::Plain(stream) => Pin::new(stream).poll_shutdown(cx),
            Conn::Tls(stream) => Pin::new(stream.as_mut()).poll_shutdown(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_long_and_compared_whole() {
        let a = new_secret().unwrap();
        assert_eq!(a.len(), 32);
        assert!(valid_secret(&a));
        assert_ne!(a, new_secret().unwrap());
        assert!(same_secret(&a, &a.clone()));
        assert!(!same_secret(&a[..31], &a));
        assert!(!valid_secret("short"));
        assert!(!valid_secret("has/a/slash/in/it/0123"));
    }

    #[test]
    fn the_rate_limit_lets_a_burst_through_then_slows_it() {
        let mut limiter = Limiter::default();
        let ip: IpAddr = [127, 0, 0, 1].into();
        let now = Instant::now();
        let allowed = (0..1000).filter(|_| limiter.allow(ip, now)).count();
        assert_eq!(allowed, BURST as usize);
        assert!(limiter.allow(ip, now + Duration::from_secs(1)));
        // Another address has its own bucket.
        assert!(limiter.allow([10, 0, 0, 1].into(), now));
    }

    #[test]
    fn a_page_that_does_not_read_is_dropped_not_waited_for() {
        let mut hub = Hub::default();
        let (queue, _never_read) = mpsc::channel(2);
        hub.pages.push(queue);
        let message = Message {
            kind: "note",
            data: "{}".into(),
        };
        hub.broadcast(&message);
        hub.broadcast(&message);
        assert_eq!(hub.pages.len(), 1);
        hub.broadcast(&message);
        assert!(hub.pages.is_empty());
    }

    #[test]
    fn a_page_connecting_gets_the_notes_left_and_the_status() {
        let mut hub = Hub::default();
        for id in 1..=3 {
            hub.apply(Delta::Note(view::NoteView {
                id,
                item: None,
                speakers: vec![],
                text: format!("note {id}"),
                kind: crate::model::NoteKind::Statement,
                at: "10:00".into(),
            }));
        }
        hub.apply(Delta::Gone(2));
        hub.status = Some("{\"s\":1}".into());
        let kinds: Vec<&str> = hub.snapshot().iter().map(|m| m.kind).collect();
        assert_eq!(kinds, ["reset", "status", "note", "note", "ready"]);
        assert!(!hub.snapshot().iter().any(|m| m.data.contains("note 2")));
    }
}
