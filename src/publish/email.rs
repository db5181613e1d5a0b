//! The mail target: one message with a text part and an HTML part (the
//! built-in templates, or the group's own), sent over SMTP by `lettre`
//! with rustls: STARTTLS, or TLS from the first byte; plain text only to
//! this machine (a relay on 127.0.0.1 or a test).

use super::{PublishError, Request, headline, report};
use crate::export::Format;
use crate::model::{Instant, Meeting, Published, slug};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use std::time::Duration;

/// How the connection to the mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    StartTls,
    Tls,
    /// No encryption: refused for any server but this machine.
    Plain,
}

/// `HOST:PORT` (`[::1]:25` for an IPv6 address).
fn split_server(typed: &str) -> Result<(String, u16), PublishError> {
    let typed = typed.trim();
    let (host, port) = typed
        .rsplit_once(':')
        .ok_or_else(|| PublishError::SmtpNoPort(typed.to_string()))?;
    let port = port.parse::<u16>().map_err(|_| PublishError::SmtpBadPort {
        typed: typed.to_string(),
        port: port.to_string(),
    })?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(PublishError::SmtpNoHost(typed.to_string()));
    }
    Ok((host.to_string(), port))
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The security asked for (config `smtp_security`), else TLS on port 465,
/// plain to this machine, STARTTLS anywhere else.
fn security(asked: Option<&str>, host: &str, port: u16) -> Result<Security, PublishError> {
    let chosen = match asked.map(|a| a.trim().to_ascii_lowercase()) {
        Some(a) if a == "starttls" => Security::StartTls,
        Some(a) if a == "tls" || a == "ssl" => Security::Tls,
        Some(a) if a == "plain" || a == "none" => Security::Plain,
        Some(other) => return Err(PublishError::SmtpSecurity(other)),
        None if port == 465 => Security::Tls,
        None if is_loopback(host) => Security::Plain,
        None => Security::StartTls,
    };
    if chosen == Security::Plain && !is_loopback(host) {
        return Err(PublishError::Unencrypted(host.to_string()));
    }
    Ok(chosen)
}

pub(super) fn publish(
    meeting: &Meeting,
    request: &Request,
    now: Instant,
) -> Result<(Published, String), PublishError> {
    let targets = &request.targets;
    let config = &request.config;
    let server = targets.smtp.as_deref().ok_or(PublishError::NoMailServer)?;
    let (host, port) = split_server(server)?;
    let security = security(config.smtp_security.as_deref(), &host, port)?;
    let user = request
        .env
        .smtp_user
        .clone()
        .or_else(|| config.smtp_user.clone());
    let from = targets
        .from
        .clone()
        .or_else(|| user.clone().filter(|u| u.contains('@')))
        .ok_or(PublishError::NoSender)?;
    let from: Mailbox = from.parse().map_err(|e| PublishError::BadSender {
        error: format!("{e}"),
        from,
    })?;
    let draft = meeting.finalized.is_none();
    let subject = format!(
        "{}Minutes: {}",
        if draft { "[DRAFT] " } else { "" },
        headline(meeting)
    );
    let domain = from.email.domain().to_string();
    let message_id = format!(
        "<minutes.{}.{}.{}@{domain}>",
        slug(&meeting.title),
        now.timestamp(),
        std::process::id()
    );
    let mut builder = Message::builder()
        .from(from)
        .subject(subject.clone())
        .date(std::time::SystemTime::from(now))
        .message_id(Some(message_id.clone()));
    for to in &targets.email {
        let mailbox: Mailbox = to.parse().map_err(|e| PublishError::BadRecipient {
            to: to.clone(),
            error: format!("{e}"),
        })?;
        builder = builder.to(mailbox);
    }
    // Sent to one list: replies and followers know where it was posted.
    if let [list] = targets.email.as_slice() {
        builder = builder.raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Post"),
            format!("<mailto:{}>", list.trim()),
        ));
    }
    let text = report(meeting, request, Format::Text)?;
    let html = report(meeting, request, Format::Html)?;
    let message = builder
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|e| PublishError::Message(e.to_string()))?;
    let to = targets.email.join(", ");
    let record = Published {
        target: "email".into(),
        to: to.clone(),
        at: now,
        id: Some(message_id),
        links: Vec::new(),
        draft,
    };
    if request.dry_run {
        return Ok((
            record,
            format!("email: would send \"{subject}\" to {to} through {host}:{port} ({security:?})"),
        ));
    }
    let builder = match security {
        Security::Tls => SmtpTransport::relay(&host),
        Security::StartTls => SmtpTransport::starttls_relay(&host),
        Security::Plain => Ok(SmtpTransport::builder_dangerous(&host)),
    }
    .map_err(|e| PublishError::Smtp {
        host: host.clone(),
        error: e.to_string(),
    })?;
    let mut builder = builder.port(port).timeout(Some(Duration::from_secs(30)));
    let password = request
        .env
        .smtp_password
        .clone()
        .or_else(|| config.smtp_password.clone());
    if let (Some(user), Some(password)) = (user, password) {
        builder = builder.credentials(Credentials::new(user, password));
    }
    builder
        .build()
        .send(&message)
        .map_err(|e| PublishError::NotSent {
            host: host.clone(),
            port,
            error: e.to_string(),
        })?;
    Ok((record, format!("email: sent \"{subject}\" to {to}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_mail_only_to_this_machine() {
        assert_eq!(
            security(None, "127.0.0.1", 2525).ok(),
            Some(Security::Plain)
        );
        assert_eq!(
            security(None, "smtp.example.org", 587).ok(),
            Some(Security::StartTls)
        );
        assert_eq!(
            security(None, "smtp.example.org", 465).ok(),
            Some(Security::Tls)
        );
        assert!(security(Some("plain"), "smtp.example.org", 25).is_err());
        assert_eq!(split_server("[::1]:25").ok(), Some(("::1".into(), 25)));
        assert!(split_server("smtp.example.org").is_err());
    }
}
