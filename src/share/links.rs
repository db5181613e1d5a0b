//! The secrets behind the two links (`minutes links FILE`), the sharing
//! scribe's TLS certificate, and this scribe's block of note ids, kept in
//! a side file beside the meeting (`FILE.share`): created once, private
//! (0600), never through a symlink, replaced only atomically.
//!
//! - the scribe link, `minutes://HOST:PORT/s/SECRET[?pin=SHA256]`, lets its
//!   holder read and write the whole shared meeting (off the record too);
//! - the participants' link, `http://HOST:PORT+1/p/SECRET`, is for the
//!   participants' page (read only: queue requests and polls), served by
//!   the participants' page module, never the shared document.

use crate::store::files;
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// 128 random bits each, written as 32 hex digits.
const SECRET_BYTES: usize = 16;
/// The side file is small; anything larger is not ours.
const MAX_SIDE_FILE: usize = 64 << 10;

/// What `FILE.share` holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Secrets {
    /// In the scribe link: whoever has it reads and writes the meeting.
    pub scribe: String,
    /// In the participants' link: the page, the queue, the polls.
    pub participants: String,
    /// The sharing scribe's self-signed certificate and key (DER, hex),
    /// made once, so that the pin in a link stays valid across restarts.
    cert: String,
    key: String,
    /// Where this meeting was last shared (`--share ADDR`), for the links.
    #[serde(default)]
    pub address: Option<String>,
    /// This scribe's block of note ids (see [`Secrets::note_ids`]); 0 is
    /// the sharing scribe's, the others are drawn at random when joining.
    #[serde(default)]
    pub slot: u32,
    /// The shared document's id (automerge-repo's, bs58check): made by
    /// the sharing scribe the first time, given to the others in the link.
    #[serde(default)]
    pub document: Option<String>,
    /// The automerge-repo relay the meeting is shared through
    /// (`open --relay URL`), when it is not this `minutes`.
    #[serde(default)]
    pub relay: Option<String>,
}

/// The side file's path: `FILE.share`.
pub fn side_path(meeting: &Path) -> PathBuf {
    let mut name = meeting.as_os_str().to_owned();
    name.push(".share");
    PathBuf::from(name)
}

fn random_bytes(n: usize) -> io::Result<Vec<u8>> {
    let mut bytes = vec![0; n];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| io::Error::other("the system gave no random bytes"))?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// A new id for the shared document, in automerge-repo's form (a UUID,
/// bs58check): made here, with the secrets, so that the links can be
/// printed before the meeting is first shared.
fn new_document_id() -> io::Result<String> {
    let mut bytes = random_bytes(16)?;
    // A version 4 UUID, as automerge-repo makes them: the JavaScript
    // sync server refuses any other.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let id = samod::DocumentId::try_from(bytes).map_err(|e| io::Error::other(e.to_string()))?;
    Ok(id.to_string())
}

/// The SHA-256 of a certificate, as pinned in a scribe link.
pub fn fingerprint(cert_der: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, cert_der).as_ref())
}

/// Equal secrets, compared in a time that does not say how much matched.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Secrets {
    /// Fresh secrets, certificate and slot.
    pub fn generate() -> io::Result<Secrets> {
        let key = rcgen::KeyPair::generate().map_err(io::Error::other)?;
        let params = rcgen::CertificateParams::new(vec!["minutes.invalid".to_string()])
            .map_err(io::Error::other)?;
        let cert = params.self_signed(&key).map_err(io::Error::other)?;
        Ok(Secrets {
            scribe: hex(&random_bytes(SECRET_BYTES)?),
            participants: hex(&random_bytes(SECRET_BYTES)?),
            cert: hex(cert.der()),
            key: hex(&key.serialize_der()),
            address: None,
            slot: 0,
            document: Some(new_document_id()?),
            relay: None,
        })
    }

    /// The meeting's secrets, made (and saved) the first time.
    pub fn load_or_create(meeting: &Path) -> io::Result<Secrets> {
        let path = side_path(meeting);
        match Secrets::load(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let secrets = Secrets::generate()?;
                match secrets.write(&path, true) {
                    Ok(()) => Ok(secrets),
                    // Made meanwhile by another `minutes` (links and
                    // open at once): that one is the meeting's.
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Secrets::load(&path),
                    Err(e) => Err(e),
                }
            }
            other => other,
        }
    }

    fn load(path: &Path) -> io::Result<Secrets> {
        // A side file of ours: never through a symlink, a regular file only.
        let bytes = files::read_regular(path, false)?;
        if bytes.len() > MAX_SIDE_FILE {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "is too large"));
        }
        let secrets: Secrets = serde_json::from_slice(&bytes)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let ok = |s: &str| s.len() >= 2 * SECRET_BYTES && unhex(s).is_some();
        if !ok(&secrets.scribe) || !ok(&secrets.participants) || secrets.cert_der().is_none() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "holds no valid secrets",
            ));
        }
        Ok(secrets)
    }

    /// Written whole to a private temporary file, then renamed over the
    /// old one (a rename replaces a symlink, never follows it); `new`
    /// refuses to replace anything.
    fn write(&self, path: &Path, new: bool) -> io::Result<()> {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        let json = serde_json::to_vec_pretty(self).map_err(io::Error::other)?;
        temp.write_all(&json)?;
        temp.as_file().sync_all()?;
        if new {
            temp.persist_noclobber(path).map_err(|e| e.error)?;
        } else {
            temp.persist(path).map_err(|e| e.error)?;
        }
        Ok(())
    }

    /// Saves a changed address or slot.
    pub fn save(&self, meeting: &Path) -> io::Result<()> {
        self.write(&side_path(meeting), false)
    }

    pub fn cert_der(&self) -> Option<Vec<u8>> {
        unhex(&self.cert)
    }

    pub fn key_der(&self) -> Option<Vec<u8>> {
        unhex(&self.key)
    }

    /// The ids this scribe gives its notes: its own block, so that no two
    /// scribes ever make the same id. Slot 0 (the sharing scribe) keeps the
    /// ids below 2^32; the others have 2^32 each, under 2^52 (exact in
    /// JavaScript, for the participants' page).
    pub fn note_ids(&self) -> std::ops::Range<u64> {
        let slot = u64::from(self.slot);
        let start = (slot << 32).max(1);
        start..((slot + 1) << 32)
    }

    /// The sharing scribe's document id, made if the side file (from an
    /// older `minutes`) has none; true when it was made.
    pub fn ensure_document(&mut self) -> io::Result<bool> {
        if self.document.is_some() {
            return Ok(false);
        }
        self.document = Some(new_document_id()?);
        Ok(true)
    }

    /// A joining scribe's slot, drawn at random (1..2^20) the first time.
    pub fn draw_slot(&mut self) -> io::Result<()> {
        if self.slot == 0 {
            let bytes = random_bytes(4)?;
            let n = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            self.slot = 1 + n % ((1 << 20) - 1);
        }
        Ok(())
    }

    /// The scribe link for a meeting shared on `address`: the secret,
    /// the document's id and, off loopback, the certificate's pin.
    pub fn scribe_link(&self, address: &str) -> String {
        let host = link_host(address);
        let document = self.document.as_deref().unwrap_or_default();
        if is_loopback(address) {
            format!("minutes://{host}/s/{}/{document}", self.scribe)
        } else {
            let pin = self.cert_der().map(|c| fingerprint(&c)).unwrap_or_default();
            format!("minutes://{host}/s/{}/{document}?pin={pin}", self.scribe)
        }
    }

    /// The scribe link for a meeting shared through a relay:
    /// `minutes+ws://…` or `minutes+wss://…`, then the secret and the
    /// document's id.
    pub fn relay_link(&self, relay: &str) -> String {
        let document = self.document.as_deref().unwrap_or_default();
        format!(
            "minutes+{}/s/{}/{document}",
            relay.trim_end_matches('/'),
            self.scribe
        )
    }

    /// The participants' page: the share's port + 1 unless given.
    pub fn participants_link(&self, address: &str, page_port: Option<u16>) -> String {
        let host = link_host(address);
        let (name, port) = split_port(&host);
        let port = page_port.unwrap_or_else(|| port.map_or(0, |p| p.saturating_add(1)));
        let scheme = if is_loopback(address) {
            "http"
        } else {
            "https"
        };
        format!("{scheme}://{name}:{port}/p/{}", self.participants)
    }
}

fn split_port(address: &str) -> (String, Option<u16>) {
    match address.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() => (host.to_string(), port.parse().ok()),
        _ => (address.to_string(), None),
    }
}

/// `0.0.0.0:7070` is where to listen, not where to connect: the link names
/// this machine instead.
fn link_host(address: &str) -> String {
    let (host, port) = split_port(address);
    let host = match host.as_str() {
        "0.0.0.0" | "[::]" | "" => hostname().unwrap_or(host),
        _ => host,
    };
    match port {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

fn hostname() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length, and gethostname writes
    // at most that many bytes.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return None;
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8(buf[..end].to_vec())
        .ok()
        .filter(|h| !h.is_empty())
}

/// Whether an address (`HOST:PORT`) is this machine only: no TLS needed
/// there (nobody else can listen in).
pub fn is_loopback(address: &str) -> bool {
    let (host, _) = split_port(address);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A scribe link read back: where, the secret, and the certificate's pin.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub address: String,
    pub secret: String,
    /// The shared document's id.
    pub document: String,
    pub pin: Option<String>,
    /// Through an automerge-repo relay: its URL (`ws://…`, `wss://…`).
    pub relay: Option<String>,
}

/// A relay's URL checked: WebSocket, TLS unless on this machine.
pub fn check_relay(url: &str) -> Result<(String, bool), String> {
    let (tls, rest) = if let Some(rest) = url.strip_prefix("wss://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("ws://") {
        (false, rest)
    } else {
        return Err(format!(
            "{url}: a relay is a WebSocket URL (ws://HOST:PORT on this machine, wss://HOST elsewhere)"
        ));
    };
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() {
        return Err(format!("{url}: the relay's URL names no host"));
    }
    let address = if split_port(host).1.is_some() {
        host.to_string()
    } else {
        format!("{host}:{}", if tls { 443 } else { 80 })
    };
    if !tls && !is_loopback(&address) {
        return Err(format!(
            "{url}: the link's secret and the meeting would cross the network unencrypted; use wss:// (the relay behind TLS)"
        ));
    }
    Ok((address, tls))
}

impl Link {
    pub fn parse(link: &str) -> Result<Link, String> {
        let bad = || {
            format!(
                "{link}: not a scribe link (`minutes links FILE` prints one: minutes://HOST:PORT/s/SECRET)"
            )
        };
        let link = link.trim();
        if let Some(relayed) = link.strip_prefix("minutes+") {
            return Link::parse_relayed(link, relayed);
        }
        let rest = link.strip_prefix("minutes://").ok_or_else(bad)?;
        let (address, rest) = rest.split_once("/s/").ok_or_else(bad)?;
        let (path, pin) = match rest.split_once("?pin=") {
            Some((path, pin)) => (path, Some(pin.to_ascii_lowercase())),
            None => (rest, None),
        };
        let (secret, document) = path.split_once('/').unwrap_or((path, ""));
        if address.is_empty() || secret.len() < 2 * SECRET_BYTES || unhex(secret).is_none() {
            return Err(bad());
        }
        if document.parse::<samod::DocumentId>().is_err() {
            return Err(format!(
                "{link}: the link names no shared meeting (a link from an older minutes, or cut short); ask for the current one (`minutes links FILE`)"
            ));
        }
        if pin
            .as_deref()
            .is_some_and(|p| p.len() != 64 || unhex(p).is_none())
        {
            return Err(format!(
                "{link}: the link's pin is not a SHA-256 fingerprint"
            ));
        }
        if pin.is_none() && !is_loopback(address) {
            return Err(format!(
                "{link}: a link to another machine needs its certificate's pin (?pin=…); copy the whole link `minutes links FILE` prints"
            ));
        }
        Ok(Link {
            address: address.to_string(),
            secret: secret.to_string(),
            document: document.to_string(),
            pin,
            relay: None,
        })
    }

    /// `minutes+ws(s)://RELAY/s/SECRET/DOCUMENT`.
    fn parse_relayed(link: &str, relayed: &str) -> Result<Link, String> {
        let (relay, rest) = relayed.rsplit_once("/s/").ok_or_else(|| {
            format!("{link}: not a scribe link (`minutes links FILE` prints one)")
        })?;
        let (address, _) = check_relay(relay)?;
        let (secret, document) = rest.split_once('/').unwrap_or((rest, ""));
        if secret.len() < 2 * SECRET_BYTES || unhex(secret).is_none() {
            return Err(format!("{link}: the link's secret is cut short"));
        }
        if document.parse::<samod::DocumentId>().is_err() {
            return Err(format!(
                "{link}: the link names no shared meeting; ask for the current one (`minutes links FILE`)"
            ));
        }
        Ok(Link {
            address,
            secret: secret.to_string(),
            document: document.to_string(),
            pin: None,
            relay: Some(relay.to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_made_once_private_and_links_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.json");
        let a = Secrets::load_or_create(&meeting).unwrap();
        let b = Secrets::load_or_create(&meeting).unwrap();
        assert_eq!(a, b, "made once");
        assert!(a.scribe.len() >= 32 && a.participants.len() >= 32);
        assert_ne!(a.scribe, a.participants);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(side_path(&meeting))
                .unwrap()
                .permissions();
            assert_eq!(mode.mode() & 0o777, 0o600);
        }
        let link = Link::parse(&a.scribe_link("127.0.0.1:7070")).unwrap();
        assert_eq!((link.secret.as_str(), link.pin), (a.scribe.as_str(), None));
        assert_eq!(Some(link.document), a.document.clone());
        let far = Link::parse(&a.scribe_link("192.0.2.1:7070")).unwrap();
        assert_eq!(far.pin, a.cert_der().map(|c| fingerprint(&c)));
        assert!(Link::parse(&format!("minutes://192.0.2.1:7070/s/{}", a.scribe)).is_err());
        assert_eq!(
            a.participants_link("192.0.2.1:7070", None),
            format!("https://192.0.2.1:7071/p/{}", a.participants)
        );
        assert_eq!(
            a.participants_link("127.0.0.1:7070", Some(9000)),
            format!("http://127.0.0.1:9000/p/{}", a.participants)
        );
    }

    #[test]
    fn a_symlink_in_place_of_the_side_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join("m.json");
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, "{}").unwrap();
        std::os::unix::fs::symlink(&target, side_path(&meeting)).unwrap();
        assert!(Secrets::load_or_create(&meeting).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "{}");
    }

    #[test]
    fn slots_keep_ids_apart() {
        let mut s = Secrets::generate().unwrap();
        assert_eq!(s.note_ids().start, 1);
        s.draw_slot().unwrap();
        let ids = s.note_ids();
        assert!(ids.start >= 1 << 32 && ids.end <= 1 << 52);
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd"));
    }
}
