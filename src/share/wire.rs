//! What goes over a scribes' connection, and the limits on it: frames
//! (a 4-byte length, a kind, the bytes), TLS with a pinned self-signed
//! certificate (rustls), the hello that carries the secret, a rate and a
//! size for everything a peer sends, and a check of how far Automerge's
//! compressed chunks would inflate, made before Automerge inflates them.

use super::links::{self, Secrets};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use std::io::{self, Read, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The largest frame a peer may send. A whole 10,000-note meeting, saved,
/// is about 200 KiB.
const MAX_FRAME: usize = 8 << 20;
/// How much one message may hold once Automerge has inflated it.
pub const MAX_INFLATED: u64 = 64 << 20;
/// The largest value (one note, the meeting's details) taken from a peer.
pub const MAX_VALUE: usize = 1 << 20;
/// A hello: the protocol, the secret, a name.
const MAX_HELLO: usize = 512;
/// A peer may send this many frames a second on average (bursts of
/// [`BURST_FRAMES`]), and this many bytes.
const FRAMES_PER_SECOND: f64 = 400.0;
const BURST_FRAMES: f64 = 4000.0;
const BYTES_PER_SECOND: f64 = 16.0 * 1024.0 * 1024.0;
const BURST_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

const PROTOCOL: &str = "minutes-share/1";

/// Frame kinds.
pub const HELLO: u8 = b'H';
pub const WELCOME: u8 = b'W';
pub const REFUSED: u8 = b'R';
pub const SYNC: u8 = b'S';
pub const BYE: u8 = b'B';

/// A connection, plain (loopback) or TLS.
pub trait Conn: Read + Write + Send {}
impl<T: Read + Write + Send> Conn for T {}

pub fn write_frame<W: Write + ?Sized>(conn: &mut W, kind: u8, bytes: &[u8]) -> io::Result<()> {
    let len = u32::try_from(bytes.len() + 1).map_err(|_| too_big(bytes.len()))?;
    let mut frame = Vec::with_capacity(bytes.len() + 5);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.push(kind);
    frame.extend_from_slice(bytes);
    conn.write_all(&frame)
}

fn too_big(len: usize) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("sent a message of {len} bytes (at most {MAX_FRAME})"),
    )
}

fn invalid(what: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.into())
}

/// Frames read from a connection whose reads may time out half way: the
/// bytes read so far are kept for the next call.
#[derive(Default)]
pub struct FrameReader {
    buf: Vec<u8>,
    limit: Option<usize>,
}

pub enum Read1 {
    Frame(u8, Vec<u8>),
    /// Nothing whole yet (the read timed out).
    Nothing,
    /// The peer closed the connection.
    Closed,
}

impl FrameReader {
    /// A reader whose frames are at most `limit` bytes (the hello).
    pub fn with_limit(limit: usize) -> FrameReader {
        FrameReader {
            buf: Vec::new(),
            limit: Some(limit),
        }
    }

    pub fn lift_limit(&mut self) {
        self.limit = None;
    }

    /// The next whole frame, reading at most once.
    pub fn next(&mut self, conn: &mut dyn Conn) -> io::Result<Read1> {
        if let Some(frame) = self.take()? {
            return Ok(frame);
        }
        let mut chunk = [0u8; 64 * 1024];
        match conn.read(&mut chunk) {
            Ok(0) => {
                return if self.buf.is_empty() {
                    Ok(Read1::Closed)
                } else {
                    Err(invalid("closed the connection in the middle of a message"))
                };
            }
            Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
        Ok(self.take()?.unwrap_or(Read1::Nothing))
    }

    /// Bytes read elsewhere (a TLS session's plaintext).
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next whole frame among the bytes already read: (kind, bytes).
    pub fn take_frame(&mut self) -> io::Result<Option<(u8, Vec<u8>)>> {
        Ok(match self.take()? {
            Some(Read1::Frame(kind, bytes)) => Some((kind, bytes)),
            _ => None,
        })
    }

    fn take(&mut self) -> io::Result<Option<Read1>> {
        if self.buf.len() < 4 {
            return Ok(None);
        }
        let len = u32::from_be_bytes([self.buf[0], self.buf[1], self.buf[2], self.buf[3]]) as usize;
        let limit = self.limit.unwrap_or(MAX_FRAME + 1);
        if len > limit {
            return Err(too_big(len.saturating_sub(1)));
        }
        if len == 0 {
            return Err(invalid("sent an empty message"));
        }
        if self.buf.len() < 4 + len {
            return Ok(None);
        }
        let kind = self.buf[4];
        let bytes = self.buf[5..4 + len].to_vec();
        self.buf.drain(..4 + len);
        Ok(Some(Read1::Frame(kind, bytes)))
    }
}

/// What a joining scribe says first.
pub fn hello(secret: &str, name: &str) -> Vec<u8> {
    format!("{PROTOCOL}\n{secret}\n{name}").into_bytes()
}

/// The hello read back: the name, when the secret is right.
pub fn check_hello(bytes: &[u8], secret: &str) -> Result<String, &'static str> {
    let text = std::str::from_utf8(bytes).map_err(|_| "did not say hello")?;
    let mut lines = text.splitn(3, '\n');
    if lines.next() != Some(PROTOCOL) {
        return Err("speaks another protocol");
    }
    let given = lines.next().unwrap_or_default();
    if !links::same_secret(given, secret) {
        return Err("gave a wrong secret");
    }
    let name = clean_name(lines.next().unwrap_or_default());
    Ok(name)
}

/// A name for the screen: printable, at most 40 characters.
pub fn clean_name(name: &str) -> String {
    let name: String = name.chars().filter(|c| !c.is_control()).take(40).collect();
    let name = name.trim();
    if name.is_empty() {
        "a scribe".to_string()
    } else {
        name.to_string()
    }
}

pub const HELLO_LIMIT: usize = MAX_HELLO;

/// A token bucket per peer: frames and bytes a second.
pub struct Rate {
    frames: f64,
    bytes: f64,
    at: Instant,
}

impl Rate {
    pub fn new() -> Rate {
        Rate {
            frames: BURST_FRAMES,
            bytes: BURST_BYTES,
            at: Instant::now(),
        }
    }

    /// Counts a frame; an error when the peer sends faster than allowed.
    pub fn charge(&mut self, len: usize) -> Result<(), String> {
        let now = Instant::now();
        let dt = now.duration_since(self.at).as_secs_f64();
        self.at = now;
        self.frames = (self.frames + dt * FRAMES_PER_SECOND).min(BURST_FRAMES) - 1.0;
        self.bytes = (self.bytes + dt * BYTES_PER_SECOND).min(BURST_BYTES) - len as f64;
        if self.frames < 0.0 || self.bytes < 0.0 {
            return Err("sent messages faster than any scribe types".into());
        }
        Ok(())
    }
}

impl Default for Rate {
    fn default() -> Self {
        Rate::new()
    }
}

/// How many bytes Automerge's chunks in a sync message would take once
/// inflated; an error past [`MAX_INFLATED`] or for what our peers never
/// send. Each compressed part is inflated into a counter, never into
/// memory, and at most up to the limit.
pub fn inflated_size(message: &automerge::sync::Message) -> Result<u64, String> {
    let mut budget = MAX_INFLATED;
    for chunks in message.changes.iter() {
        let mut rest = chunks;
        while !rest.is_empty() {
            rest = chunk(rest, &mut budget)?;
        }
    }
    Ok(MAX_INFLATED - budget)
}

/// Checks the bytes of a saved document (`FILE.automerge`) the same way.
pub fn check_saved(bytes: &[u8]) -> Result<(), String> {
    let mut budget = MAX_INFLATED * 4;
    let mut rest = bytes;
    while !rest.is_empty() {
        rest = chunk(rest, &mut budget)?;
    }
    Ok(())
}

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const DOCUMENT: u8 = 0;
const CHANGE: u8 = 1;
const COMPRESSED: u8 = 2;
/// A column spec's bit saying its data is deflated.
const DEFLATE_BIT: u32 = 0b1000;

fn uleb(input: &mut &[u8]) -> Result<u64, String> {
    leb128::read::unsigned(input).map_err(|_| "sent a malformed message".to_string())
}

fn take<'a>(input: &mut &'a [u8], n: u64) -> Result<&'a [u8], String> {
    let n = usize::try_from(n).map_err(|_| "sent a malformed message".to_string())?;
    if n > input.len() {
        return Err("sent a truncated message".into());
    }
    let (first, rest) = input.split_at(n);
    *input = rest;
    Ok(first)
}

fn charge(budget: &mut u64, n: u64) -> Result<(), String> {
    *budget = budget.checked_sub(n).ok_or_else(|| {
        format!(
            "sent a message that would inflate past {} MiB",
            MAX_INFLATED >> 20
        )
    })?;
    Ok(())
}

/// Inflates `data` into nothing, counting, at most `budget` bytes.
fn inflate(data: &[u8], budget: &mut u64) -> Result<(), String> {
    let decoder = flate2::bufread::DeflateDecoder::new(data);
    let n = io::copy(&mut decoder.take(*budget + 1), &mut io::sink())
        .map_err(|_| "sent badly compressed data".to_string())?;
    charge(budget, n)
}

/// The length of the first chunk in `input` (its header and data).
pub fn chunk_len(input: &[u8]) -> Result<usize, String> {
    let mut rest = input;
    take(&mut rest, 9)?;
    let len = uleb(&mut rest)?;
    take(&mut rest, len)?;
    Ok(input.len() - rest.len())
}

/// One chunk (magic, checksum, type, length, data): its inflated size
/// charged; the bytes after it returned.
fn chunk<'a>(mut input: &'a [u8], budget: &mut u64) -> Result<&'a [u8], String> {
    let head = take(&mut input, 9)?;
    if head[..4] != MAGIC {
        return Err("sent something that is not Automerge data".into());
    }
    let kind = head[8];
    let len = uleb(&mut input)?;
    let mut data = take(&mut input, len)?;
    match kind {
        CHANGE => charge(budget, len)?,
        COMPRESSED => inflate(data, budget)?,
        DOCUMENT => {
            charge(budget, len)?;
            // Actors, heads, then the change and op columns' specs and
            // lengths; the columns' data follows in that order.
            for _ in 0..uleb(&mut data)? {
                let n = uleb(&mut data)?;
                take(&mut data, n)?;
            }
            let heads = uleb(&mut data)?;
            take(&mut data, heads.saturating_mul(32))?;
            let mut columns = Vec::new();
            for _ in 0..2 {
                for _ in 0..uleb(&mut data)? {
                    let spec = uleb(&mut data)?;
                    let len = uleb(&mut data)?;
                    columns.push((spec, len));
                }
            }
            for (spec, len) in columns {
                let bytes = take(&mut data, len)?;
                if spec & u64::from(DEFLATE_BIT) != 0 {
                    inflate(bytes, budget)?;
                }
            }
        }
        _ => return Err("sent a kind of Automerge data scribes never send".into()),
    }
    Ok(input)
}

/// The sharing scribe's TLS: its self-signed certificate and key.
pub fn server_config(secrets: &Secrets) -> io::Result<Arc<rustls::ServerConfig>> {
    let cert = secrets
        .cert_der()
        .ok_or_else(|| invalid("the certificate in the side file is damaged"))?;
    let key = secrets
        .key_der()
        .ok_or_else(|| invalid("the key in the side file is damaged"))?;
    let key = PrivateKeyDer::try_from(key).map_err(invalid)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(cert)], key)
        .map_err(io::Error::other)?;
    Ok(Arc::new(config))
}

/// A joining scribe's TLS: the server's certificate must be the one whose
/// SHA-256 the link pins; no certificate authority is asked.
pub fn client_config(pin: &str) -> io::Result<Arc<rustls::ClientConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(Pinned {
        pin: pin.to_string(),
        provider: provider.clone(),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// The name a joining scribe asks for: the pin, not the name, is checked.
pub fn server_name() -> io::Result<ServerName<'static>> {
    ServerName::try_from("minutes.invalid").map_err(|e| invalid(e.to_string()))
}

#[derive(Debug)]
struct Pinned {
    pin: String,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl rustls::client::danger::ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        if links::same_secret(&links::fingerprint(end_entity.as_ref()), &self.pin) {
            Ok(rustls::client::danger::ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "the certificate is not the one the link pins".into(),
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// How long a peer has to say hello, and how long a read waits, during the
/// hello, before looking at the clock again.
pub const HELLO_TIMEOUT: Duration = Duration::from_secs(5);
pub const POLL: Duration = Duration::from_millis(5);

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT};

    #[test]
    fn a_compressed_bomb_is_refused_before_it_inflates() {
        let mut doc = AutoCommit::new();
        // 40 MB of one letter compresses to a few KiB.
        doc.put(ROOT, "note:1", "x".repeat(40 << 20)).unwrap();
        let saved = doc.save();
        assert!(saved.len() < 1 << 20);
        let message = automerge::sync::Message {
            heads: vec![],
            need: vec![],
            have: vec![],
            changes: saved.clone().into(),
            flags: None,
            version: automerge::sync::MessageVersion::V2,
        };
        assert!(inflated_size(&message).is_ok(), "40 MB is under the cap");
        let mut big = AutoCommit::new();
        big.put(ROOT, "note:1", "x".repeat(100 << 20)).unwrap();
        let message = automerge::sync::Message {
            changes: big.save().into(),
            ..message
        };
        let err = inflated_size(&message).unwrap_err();
        assert!(err.contains("inflate"), "{err}");
        assert!(check_saved(&saved).is_ok());
        assert!(check_saved(&saved[..saved.len() - 3]).is_err());
        assert!(check_saved(b"random bytes").is_err());
    }

    #[test]
    fn frames_are_bounded_and_survive_partial_reads() {
        let mut bytes = Vec::new();
        write_frame(&mut bytes, SYNC, b"hello").unwrap();
        let mut reader = FrameReader::default();
        // One byte at a time, as a slow network would hand them over.
        let mut got = None;
        for b in &bytes {
            let mut one: &[u8] = std::slice::from_ref(b);
            let mut conn = ReadOnly(&mut one);
            if let Read1::Frame(k, f) = reader.next(&mut conn).unwrap() {
                got = Some((k, f));
            }
        }
        assert_eq!(got, Some((SYNC, b"hello".to_vec())));
        let mut huge: &[u8] = &[0xff, 0xff, 0xff, 0xff, SYNC];
        assert!(
            FrameReader::default()
                .next(&mut ReadOnly(&mut huge))
                .is_err()
        );
        assert_eq!(
            check_hello(&hello("s3cret", "Bo\x1b[2J"), "s3cret"),
            Ok("Bo[2J".into())
        );
        assert!(check_hello(&hello("wrong", "Bo"), "s3cret").is_err());
    }

    struct ReadOnly<'a, 'b>(&'a mut &'b [u8]);
    impl Read for ReadOnly<'_, '_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.0.read(buf)
        }
    }
    impl Write for ReadOnly<'_, '_> {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
}
