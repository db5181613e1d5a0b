//! The participants' page (src/page/): the real server on loopback, a
//! real HTTP client, the scribe's session driven by keys. And a real
//! headless browser (Debian's chromium and chromedriver) over WebDriver.

use crate::common::{Harness, wg_strategy};
use minutes::page::{PageServer, Waker};
use std::io::{BufRead, BufReader};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

const SECRET: &str = "test-secret-0123456789abcdef";
/// How long a test waits for what must come (never a measure of speed:
/// that is benches/page.rs).
const PATIENCE: Duration = Duration::from_secs(20);
const TOKEN: &str = "0123456789abcdef0123";

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// A harness serving its page on a free loopback port; the page's link.
fn serving() -> (Harness, String) {
    let mut h = Harness::new(wg_strategy());
    let wake: Waker = Arc::new(|| {});
    let page = PageServer::start("127.0.0.1:0", Some(SECRET.into()), wake, None).unwrap();
    let link = page.link().to_string();
    assert!(link.ends_with(&format!("/p/{SECRET}/")), "{link}");
    h.session.serve_page(page);
    (h, link)
}

fn get(url: &str) -> (u16, String) {
    let mut response = agent().get(url).call().unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.body_mut().read_to_string().unwrap_or_default(),
    )
}

fn post(url: &str, body: &str) -> u16 {
    agent()
        .post(url)
        .header("Content-Type", "application/json")
        .send(body)
        .unwrap()
        .status()
        .as_u16()
}

/// The page's event stream, line by line, read on a thread of its own.
fn follow(link: &str) -> Receiver<String> {
    let response = agent().get(&format!("{link}events")).call().unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let (lines, received) = std::sync::mpsc::channel();
    let reader = BufReader::new(response.into_body().into_reader());
    std::thread::spawn(move || {
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    received
}

/// Steps the session until `done`, or fails after [`PATIENCE`].
fn until(h: &mut Harness, what: &str, mut done: impl FnMut(&mut Harness) -> bool) {
    let start = Instant::now();
    while !done(h) {
        assert!(start.elapsed() < PATIENCE, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(10));
        h.wait(0);
    }
}

/// Lines of the stream up to the first containing `wanted`; all of them.
fn read_until(stream: &Receiver<String>, wanted: &str) -> Vec<String> {
    let start = Instant::now();
    let mut seen = Vec::new();
    loop {
        let left = PATIENCE.saturating_sub(start.elapsed());
        match stream.recv_timeout(left) {
            Ok(line) => {
                let found = line.contains(wanted);
                seen.push(line);
                if found {
                    return seen;
                }
            }
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                panic!("the stream never said {wanted:?}; it said {seen:#?}")
            }
        }
    }
}

#[test]
fn without_the_secret_there_is_nothing_but_not_found() {
    let (mut h, link) = serving();
    h.keys("Budget agreed<enter>");
    let root = link.split("/p/").next().unwrap();
    for path in [
        String::new(),
        "/".into(),
        "/p/".into(),
        "/p/wrong-secret-0123456789abcdef/".into(),
        "/p/wrong-secret-0123456789abcdef/events".into(),
        format!("/p/{}/", &SECRET[..SECRET.len() - 1]),
        format!("/p/{SECRET}x/events"),
        format!("/p/{SECRET}/../etc/passwd"),
        format!("/p/{SECRET}/nothing"),
    ] {
        let (status, body) = get(&format!("{root}{path}"));
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("Budget"), "{path}: {body}");
        assert!(!body.contains("Strategy"), "{path}: {body}");
    }
    let wrong = format!("{root}/p/wrong-secret-0123456789abcdef/act");
    let ask = format!(r#"{{"do":"queue","token":"{TOKEN}","name":"Eve","kind":"reply"}}"#);
    assert_eq!(post(&wrong, &ask), 404);
    h.wait(0);
    assert!(h.app().meeting.queue.is_empty());
    // With it: the page, its script and style, no meeting data in them.
    let (status, page) = get(&link);
    assert_eq!(status, 200);
    assert!(page.contains("page.js") && !page.contains("Budget"));
    assert_eq!(get(&format!("{link}page.js")).0, 200);
    assert_eq!(get(&format!("{link}page.css")).0, 200);
}

#[test]
fn the_stream_gets_committed_notes_never_off_the_record_ones() {
    let (mut h, link) = serving();
    h.keys("Before the page<enter>");
    let stream = follow(&link);
    // First what there is: the status, then the notes.
    let first = read_until(&stream, "Before the page");
    assert!(first.iter().any(|l| l == "event: status"), "{first:#?}");
    until(&mut h, "the page counted", |h| {
        h.app().pages.connected == Some(1)
    });
    h.keys("<c-o>SECRET plan<enter><c-o>Budget agreed<enter>");
    let then = read_until(&stream, "Budget agreed");
    assert!(
        !then.iter().chain(&first).any(|l| l.contains("SECRET")),
        "{then:#?}"
    );
    // A note taken off the record after it was shown goes from the page.
    let shown = h.app().meeting.notes.last().unwrap().id;
    h.keys("<up><c-o><esc>");
    assert!(h.app().meeting.notes.last().unwrap().off_record);
    let gone = read_until(&stream, "event: gone");
    let data = read_until(&stream, "data:");
    assert_eq!(
        data.last().unwrap(),
        &format!("data: {{\"id\":{shown}}}"),
        "{gone:?}"
    );
}

#[test]
fn a_hand_raised_on_the_page_reaches_the_queue_and_only_its_page_withdraws_it() {
    let (mut h, link) = serving();
    let act = format!("{link}act");
    let ask = format!(
        r#"{{"do":"queue","token":"{TOKEN}","name":"Zara Page","kind":"reply","topic":"the dates"}}"#
    );
    assert_eq!(post(&act, &ask), 204);
    h.wait(0);
    let queue = &h.app().meeting.queue;
    assert_eq!(queue.len(), 1);
    assert_eq!(h.app().meeting.short_name(&queue[0].id), "Zara");
    assert_eq!(queue[0].kind, minutes::model::QueueKind::Reply);
    assert_eq!(h.saved().queue, h.app().meeting.queue, "saved at once");
    // Another page's withdrawal leaves it; its own takes it down.
    let other = r#"{"do":"withdraw","token":"another-page-token-xyz"}"#;
    assert_eq!(post(&act, other), 204);
    h.wait(0);
    assert_eq!(h.app().meeting.queue.len(), 1);
    assert_eq!(
        post(&act, &format!(r#"{{"do":"withdraw","token":"{TOKEN}"}}"#)),
        204
    );
    h.wait(0);
    assert!(h.app().meeting.queue.is_empty());
    // What no page sends is refused before it reaches the app.
    let big = format!(
        r#"{{"do":"queue","token":"{TOKEN}","name":"{}","kind":"reply"}}"#,
        "x".repeat(8000)
    );
    for (body, status) in [
        ("not json", 400),
        (
            r#"{"do":"delete_everything","token":"0123456789abcdef0123"}"#,
            400,
        ),
        (r#"{"do":"withdraw","token":"short"}"#, 400),
        (big.as_str(), 413),
    ] {
        assert_eq!(post(&act, body), status, "{body:.60}");
    }
    h.wait(0);
    assert!(h.app().meeting.queue.is_empty());
    assert_eq!(h.app().meeting.participants.len(), 9, "only Zara joined");
}

#[test]
fn a_vote_from_the_page_is_counted_and_the_result_is_a_note() {
    let (mut h, link) = serving();
    let stream = follow(&link);
    h.keys("#startvote Ship it? Yes, No<enter>");
    read_until(&stream, "Ship it?");
    let vote = |token: &str, choice: usize| {
        format!(r#"{{"do":"vote","token":"{token}","name":"Zara","choice":{choice}}}"#)
    };
    let act = format!("{link}act");
    assert_eq!(post(&act, &vote(TOKEN, 1)), 204);
    assert_eq!(post(&act, &vote("a-second-page-token", 1)), 204);
    // Changed: one vote per page.
    assert_eq!(post(&act, &vote(TOKEN, 0)), 204);
    h.wait(0);
    let poll = h.app().meeting.poll.clone().unwrap();
    assert_eq!(poll.counts(), [1, 1]);
    assert_eq!(h.saved().poll, Some(poll), "votes survive a crash");
    read_until(&stream, r#""counts":[1,1]"#);
    h.keys("#endvote<enter>");
    read_until(&stream, "Vote: Ship it? Yes 1, No 1");
    assert!(h.app().meeting.poll.is_none());
}

/// The real browser: Debian's chromium and chromium-driver, driven over
/// the WebDriver protocol (W3C) with plain JSON requests.
mod browser {
    use super::*;
    use serde_json::{Value, json};
    use std::process::{Child, Command, Stdio};

    const CHROMIUM: &str = "/usr/bin/chromium";
    const DRIVER: &str = "/usr/bin/chromedriver";
    const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

    struct Browser {
        driver: Child,
        url: String,
        _profile: tempfile::TempDir,
    }

    impl Drop for Browser {
        fn drop(&mut self) {
            let _ = agent().delete(&self.url).call();
            let _ = self.driver.kill();
            let _ = self.driver.wait();
        }
    }

    fn call(method: &str, url: &str, body: Option<Value>) -> Value {
        let agent = agent();
        let response = match (method, body) {
            ("GET", _) => agent.get(url).call(),
            (_, Some(body)) => agent.post(url).send_json(body),
            _ => agent.post(url).send_json(json!({})),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{url}: {e}"));
        let value: Value = response.body_mut().read_json().unwrap();
        assert!(
            value["value"]["error"].is_null(),
            "{url}: {}",
            value["value"]
        );
        value
    }

    impl Browser {
        /// A browser, or why there is none.
        fn start() -> Result<Browser, String> {
            for tool in [CHROMIUM, DRIVER] {
                if !std::path::Path::new(tool).exists() {
                    return Err(format!(
                        "{tool} is missing (apt-get install chromium chromium-driver)"
                    ));
                }
            }
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map_err(|e| e.to_string())?
                .port();
            let driver = Command::new(DRIVER)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("{DRIVER}: {e}"))?;
            let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
            let base = format!("http://127.0.0.1:{port}");
            let mut browser = Browser {
                driver,
                url: String::new(),
                _profile: profile,
            };
            let start = Instant::now();
            while agent().get(&format!("{base}/status")).call().is_err() {
                if start.elapsed() > PATIENCE {
                    return Err("chromedriver never answered".into());
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let args = [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ]
            .iter()
            .map(|a| a.to_string())
            .chain([format!(
                "--user-data-dir={}",
                browser._profile.path().display()
            )])
            .collect::<Vec<_>>();
            let session = call(
                "POST",
                &format!("{base}/session"),
                Some(json!({"capabilities": {"alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {"binary": CHROMIUM, "args": args}
                }}})),
            );
            let id = session["value"]["sessionId"]
                .as_str()
                .ok_or("no WebDriver session")?;
            browser.url = format!("{base}/session/{id}");
            Ok(browser)
        }

        fn go(&self, url: &str) {
            call(
                "POST",
                &format!("{}/url", self.url),
                Some(json!({"url": url})),
            );
        }

        fn script(&self, script: &str) -> Value {
            call(
                "POST",
                &format!("{}/execute/sync", self.url),
                Some(json!({"script": script, "args": []})),
            )["value"]
                .clone()
        }

        fn text(&self, id: &str) -> String {
            let script = format!("return document.getElementById('{id}').textContent");
            self.script(&script)
                .as_str()
                .unwrap_or_default()
                .to_string()
        }

        fn element(&self, css: &str) -> String {
            let found = call(
                "POST",
                &format!("{}/element", self.url),
                Some(json!({"using": "css selector", "value": css})),
            );
            let element = found["value"][ELEMENT].as_str();
            element
                .unwrap_or_else(|| panic!("{css}: {found}"))
                .to_string()
        }

        fn click(&self, css: &str) {
            let element = self.element(css);
            call(
                "POST",
                &format!("{}/element/{element}/click", self.url),
                None,
            );
        }

        fn type_in(&self, css: &str, text: &str) {
            let element = self.element(css);
            call(
                "POST",
                &format!("{}/element/{element}/value", self.url),
                Some(json!({"text": text})),
            );
        }
    }

    #[test]
    fn a_participant_follows_raises_a_hand_and_votes_in_a_real_browser() {
        let browser = match Browser::start() {
            Ok(browser) => browser,
            Err(why) if std::env::var("MINUTES_REQUIRE_BROWSER").as_deref() == Ok("1") => {
                panic!("MINUTES_REQUIRE_BROWSER=1 but {why}")
            }
            Err(why) => {
                println!("skipped: {why}");
                return;
            }
        };
        let (mut h, link) = serving();
        h.keys("<c-o>SECRET before<enter><c-o>Welcome all<enter>");
        browser.go(&link);
        until(&mut h, "the page is live", |_| {
            browser.text("connection") == "Live" && browser.text("note-list").contains("Welcome")
        });
        until(&mut h, "the page counted", |h| {
            h.app().pages.connected == Some(1)
        });
        // A note typed after the page loaded shows without a reload.
        h.keys("<c-o>SECRET plan<enter><c-o>Shipping on Friday<enter>");
        let typed = Instant::now();
        until(&mut h, "the note on the page", |_| {
            browser.text("note-list").contains("Shipping on Friday")
        });
        println!("note on the page after {:?}", typed.elapsed());
        assert!(!browser.text("note-list").contains("SECRET"));
        assert!(
            !browser
                .script("return document.documentElement.outerHTML")
                .to_string()
                .contains("SECRET")
        );
        // q+ from the page: a reply, in the scribe's queue.
        browser.type_in("#name", "Zara Page");
        browser.click("#kind option[value='reply']");
        browser.type_in("#topic", "the dates");
        browser.click("#raise-button");
        until(&mut h, "the hand in the queue", |h| {
            h.app().meeting.queue.iter().any(|e| {
                e.kind == minutes::model::QueueKind::Reply
                    && h.app().meeting.short_name(&e.id) == "Zara"
            })
        });
        until(&mut h, "the queue on the page", |_| {
            browser.text("queue").contains("Zara Page")
        });
        // A poll: the vote is counted, the result a note on the page.
        h.keys("#startvote Ship it? Yes, No<enter>");
        until(&mut h, "the poll on the page", |_| {
            browser.text("question") == "Ship it?"
        });
        browser.click("#options input[value='0']");
        browser.click("#vote-button");
        until(&mut h, "the vote counted", |h| {
            h.app()
                .meeting
                .poll
                .as_ref()
                .is_some_and(|p| p.counts() == [1, 0])
        });
        h.keys("#endvote<enter>");
        until(&mut h, "the result on the page", |_| {
            browser
                .text("note-list")
                .contains("Vote: Ship it? Yes 1, No 0")
        });
        assert!(!browser.text("note-list").contains("SECRET"));
    }
}

/// GET over TLS, trusting only the certificate whose SHA-256 is `pin`:
/// the status line and the body.
fn get_tls(link: &str, pin: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let rest = link.strip_prefix("https://").expect("an https link");
    let (host, path) = rest.split_once('/').unwrap();
    let tcp = std::net::TcpStream::connect(host)?;
    tcp.set_read_timeout(Some(PATIENCE))?;
    let config = minutes::share::wire::client_config(pin)?;
    let tls = rustls::ClientConnection::new(config, minutes::share::wire::server_name()?)
        .map_err(std::io::Error::other)?;
    let mut stream = rustls::StreamOwned::new(tls, tcp);
    write!(
        stream,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    match stream.read_to_string(&mut answer) {
        Ok(_) => Ok(answer),
        // The server closing without close_notify after a full answer.
        Err(_) if answer.contains("</html>") => Ok(answer),
        Err(e) => Err(e),
    }
}

/// Off loopback the page is HTTPS: here forced on loopback with the
/// meeting's self-signed certificate. The page comes over TLS with the
/// certificate pinned; plain HTTP to that port gets nothing; a client
/// that connects and says nothing keeps no one else out.
#[test]
fn the_page_over_https_with_the_meetings_certificate() {
    let secrets = minutes::share::links::Secrets::generate().unwrap();
    let tls = minutes::share::wire::page_config(&secrets, None).unwrap();
    let wake: Waker = Arc::new(|| {});
    let page = PageServer::start("127.0.0.1:0", Some(SECRET.into()), wake, Some(tls)).unwrap();
    let link = page.link().to_string();
    assert!(link.starts_with("https://127.0.0.1:"), "{link}");
    let silent: Vec<_> = (0..20)
        .map(|_| std::net::TcpStream::connect(link[8..].split('/').next().unwrap()).unwrap())
        .collect();
    let pin = minutes::share::links::fingerprint(&secrets.cert_der().unwrap());
    let answer = get_tls(&link, &pin).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("</html>"));
    // Another certificate than the pinned one: refused by the client.
    let other = minutes::share::links::Secrets::generate().unwrap();
    let wrong = minutes::share::links::fingerprint(&other.cert_der().unwrap());
    assert!(get_tls(&link, &wrong).is_err());
    // Plain HTTP to the HTTPS port: no page.
    let plain = agent().get(link.replacen("https", "http", 1)).call();
    assert!(plain.is_err(), "{:?}", plain.map(|r| r.status()));
    drop(silent);
    drop(page);
}

/// A certificate of the group's own (PEM files, as Let's Encrypt gives
/// them) is served in place of the self-signed one; a file that holds no
/// certificate is named in the error.
#[test]
fn the_page_serves_a_certificate_from_pem_files_and_names_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["minutes.invalid".to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let (cert_file, key_file) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_file, cert.pem()).unwrap();
    std::fs::write(&key_file, key.serialize_pem()).unwrap();
    let secrets = minutes::share::links::Secrets::generate().unwrap();
    let files = Some((cert_file.as_path(), key_file.as_path()));
    let tls = minutes::share::wire::page_config(&secrets, files).unwrap();
    let wake: Waker = Arc::new(|| {});
    let page = PageServer::start("127.0.0.1:0", Some(SECRET.into()), wake, Some(tls)).unwrap();
    let pin = minutes::share::links::fingerprint(cert.der());
    let answer = get_tls(page.link(), &pin).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // The key file given as the certificate: named, with what to give.
    let swapped = Some((key_file.as_path(), key_file.as_path()));
    let e = minutes::share::wire::page_config(&secrets, swapped).unwrap_err();
    assert!(
        e.to_string().contains("key.pem") && e.to_string().contains("certificate"),
        "{e}"
    );
}
