//! The limits on what a scribe's peer sends, and TLS: a rate for
//! everything a peer sends, a check of how far Automerge's compressed
//! chunks would inflate (made before Automerge inflates them, which it
//! does with no limit), and TLS with a pinned self-signed certificate
//! (rustls). ws.rs applies them to each message.

use super::links::{self, Secrets};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use std::io::{self, Read, Write};
use std::sync::Arc;
use std::time::Instant;

/// How much one message may hold once Automerge has inflated it.
pub const MAX_INFLATED: u64 = 64 << 20;
/// The largest value (one note, the meeting's details) taken from a peer.
pub const MAX_VALUE: usize = 1 << 20;
/// A peer may send this many frames a second on average (bursts of
/// [`BURST_FRAMES`]), and this many bytes.
const FRAMES_PER_SECOND: f64 = 400.0;
const BURST_FRAMES: f64 = 4000.0;
const BYTES_PER_SECOND: f64 = 16.0 * 1024.0 * 1024.0;
const BURST_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

/// A connection, plain (loopback) or TLS.
pub trait Conn: Read + Write + Send {}
impl<T: Read + Write + Send> Conn for T {}

fn invalid(what: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.into())
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
    let (cert, key) = own_certificate(secrets)?;
    server_config_from(vec![cert], key, &[])
}

/// The participants' page over HTTPS: the certificate and key given in
/// PEM files (one browsers trust, for this host), or else the meeting's
/// self-signed one (browsers ask once whether to go on).
pub fn page_config(
    secrets: &Secrets,
    given: Option<(&std::path::Path, &std::path::Path)>,
) -> io::Result<Arc<rustls::ServerConfig>> {
    use rustls::pki_types::pem::PemObject;
    let (certs, key) = match given {
        None => {
            let (cert, key) = own_certificate(secrets)?;
            (vec![cert], key)
        }
        Some((cert_file, key_file)) => {
            let named = |file: &std::path::Path, what: &str, e: rustls::pki_types::pem::Error| {
                invalid(format!(
                    "{}: no {what} in PEM there ({e}); give the PEM files of the host's certificate and its key",
                    file.display()
                ))
            };
            let certs = CertificateDer::pem_file_iter(cert_file)
                .map_err(|e| named(cert_file, "certificate", e))?
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| named(cert_file, "certificate", e))?;
            if certs.is_empty() {
                return Err(invalid(format!(
                    "{}: no certificate in it; give the PEM file of the host's certificate",
                    cert_file.display()
                )));
            }
            let key = PrivateKeyDer::from_pem_file(key_file)
                .map_err(|e| named(key_file, "private key", e))?;
            (certs, key)
        }
    };
    server_config_from(certs, key, &[b"http/1.1"])
}

fn own_certificate(
    secrets: &Secrets,
) -> io::Result<(CertificateDer<'static>, PrivateKeyDer<'static>)> {
    let cert = secrets
        .cert_der()
        .ok_or_else(|| invalid("the certificate in the side file is damaged"))?;
    let key = secrets
        .key_der()
        .ok_or_else(|| invalid("the key in the side file is damaged"))?;
    let key = PrivateKeyDer::try_from(key).map_err(invalid)?;
    Ok((CertificateDer::from(cert), key))
}

fn server_config_from(
    certs: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    protocols: &[&[u8]],
) -> io::Result<Arc<rustls::ServerConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| invalid(format!("the certificate and key do not go together ({e})")))?;
    config.alpn_protocols = protocols.iter().map(|p| p.to_vec()).collect();
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

/// TLS to a relay with a certificate from a public authority (Mozilla's
/// roots, as the mail and GitHub publishing use).
pub fn authority_config() -> io::Result<Arc<rustls::ClientConfig>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_root_certificates(roots)
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
}
