//! Two scribes on one meeting: two processes, each with its own meeting
//! file, joined through the shared Automerge document (src/share.rs),
//! each committing notes while the other does, one deleting a note. Both
//! end with every note once, and without the deleted one.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const SCRIBE_ENV: &str = "MINUTES_SHARE_SCRIBE";
const NOTES_EACH: usize = 40;

/// One scribe, run as a process of its own by the test below: `host:FILE`
/// prints the port it waits on; `join:FILE:ADDR` joins it.
#[test]
fn share_scribe() {
    let Some(role) = std::env::var_os(SCRIBE_ENV) else {
        return;
    };
    let role = role.to_string_lossy().into_owned();
    let mut parts = role.splitn(3, ':');
    let (kind, file) = (parts.next().unwrap(), parts.next().unwrap());
    let path = std::path::PathBuf::from(file);
    let meeting = crate::common::wg_strategy();
    let store = minutes::store::Store::create(&path, &meeting).unwrap();
    let (share, tag) = if kind == "host" {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        println!("\nPORT {}", listener.local_addr().unwrap().port());
        (
            minutes::share::Share::host(&listener, "ana", None).unwrap(),
            "ana",
        )
    } else {
        let addr = parts.next().unwrap().to_string();
        (minutes::share::Share::join(addr, "bo", None).unwrap(), "bo")
    };
    let mut session = minutes::event_loop::Session::new(
        store,
        minutes::app::App::new(meeting, chrono::Utc::now()),
        minutes::theme::Theme::builtin(),
    );
    session.share_with(share);
    let mut rng = fastrand::Rng::with_seed(u64::from(tag == "bo"));
    for n in 0..NOTES_EACH {
        // Now and then a speaker, a burst, a move to the next item.
        let script = match n % 5 {
            // A newcomer, added by one scribe only: the other learns them.
            _ if tag == "bo" && n == 7 => format!("<tab>Zara Newcomer<enter>{tag} note {n}<enter>"),
            0 => format!("<tab>chr<enter>{tag} note {n}<enter>"),
            3 => format!("<c-n>{tag} note {n}<enter>"),
            _ => format!("{tag} note {n}<enter>"),
        };
        let keys = crate::common::parse_keys(&script);
        if n % 2 == 0 {
            let events = keys.into_iter().map(crossterm::event::Event::Key).collect();
            session.step(events, chrono::Utc::now());
        } else {
            for key in keys {
                session.step(vec![crossterm::event::Event::Key(key)], chrono::Utc::now());
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(rng.u64(0..15)));
    }
    // The host deletes its first note: the guest's copy goes too.
    if tag == "ana" {
        // Up from the editor walks the item's notes, newest first.
        let notes = &session.app().meeting.notes;
        let first = notes.iter().find(|n| n.text == "ana note 0").unwrap();
        let of_item: Vec<&str> = notes
            .iter()
            .filter(|n| n.item == first.item)
            .map(|n| n.text.as_str())
            .collect();
        let at = of_item.iter().position(|t| *t == "ana note 0").unwrap();
        let script = format!("<c-g>1<enter><up*{}><del><esc>", of_item.len() - at);
        for key in crate::common::parse_keys(&script) {
            session.step(vec![crossterm::event::Event::Key(key)], chrono::Utc::now());
        }
        let texts: Vec<&str> = session
            .app()
            .meeting
            .notes
            .iter()
            .map(|n| n.text.as_str())
            .collect();
        assert!(!texts.contains(&"ana note 0"), "deleted here: {texts:?}");
    }
    // Wait for the other scribe's notes (or give up after 20 s).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let done = |session: &minutes::event_loop::Session| {
        let notes = &session.app().meeting.notes;
        notes.len() == 2 * NOTES_EACH - 1 && notes.iter().all(|n| n.text != "ana note 0")
    };
    while !done(&session) && std::time::Instant::now() < deadline {
        session.step(Vec::new(), chrono::Utc::now());
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // Let the last sync messages out before closing.
    for _ in 0..20 {
        session.step(Vec::new(), chrono::Utc::now());
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    session.finish().unwrap();
    println!("\nDONE {}", session.app().meeting.notes.len());
}

fn notes_of(path: &std::path::Path) -> Vec<String> {
    let meeting = minutes::store::load(path).unwrap();
    let mut texts: Vec<String> = meeting.notes.iter().map(|n| n.text.clone()).collect();
    texts.sort();
    texts
}

#[test]
fn two_scribes_end_with_the_same_notes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("ana.json"), dir.path().join("bo.json"));
    let spawn = |role: String| {
        Command::new(std::env::current_exe().unwrap())
            .args([
                "share::share_scribe",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(SCRIBE_ENV, role)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut host = spawn(format!("host:{}", a.display()));
    let mut host_out = BufReader::new(host.stdout.take().unwrap()).lines();
    let port = host_out
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| line.strip_prefix("PORT ").map(str::to_string))
        .expect("the host says its port");
    let mut guest = spawn(format!("join:{}:127.0.0.1:{port}", b.display()));
    let guest_out = BufReader::new(guest.stdout.take().unwrap()).lines();
    let done = |lines: &mut dyn Iterator<Item = std::io::Result<String>>| {
        lines
            .map_while(Result::ok)
            .find_map(|line| line.strip_prefix("DONE ").map(str::to_string))
    };
    let host_done = done(&mut host_out);
    let guest_done = done(&mut guest_out.into_iter());
    host.wait().unwrap();
    guest.wait().unwrap();
    assert_eq!(host_done.as_deref(), Some("79"), "the host has every note");
    assert_eq!(
        guest_done.as_deref(),
        Some("79"),
        "the guest has every note"
    );

    // Bo's newcomer is on Ana's roster, and speaks there.
    let host_meeting = minutes::store::load(&a).unwrap();
    let zara = host_meeting
        .participant("zara-newcomer")
        .map(|p| p.name.as_str());
    assert_eq!(zara, Some("Zara Newcomer"));
    let said = host_meeting
        .notes
        .iter()
        .find(|n| n.text == "bo note 7")
        .unwrap();
    assert_eq!(said.speakers, ["zara-newcomer"]);

    let (ana, bo) = (notes_of(&a), notes_of(&b));
    assert_eq!(ana.len(), 2 * NOTES_EACH - 1, "all but the one deleted");
    assert_eq!(ana, bo, "both meetings have the same notes");
    for tag in ["ana", "bo"] {
        for n in 0..NOTES_EACH {
            let text = format!("{tag} note {n}");
            let deleted = text == "ana note 0";
            assert_eq!(
                ana.iter().filter(|t| **t == text).count(),
                usize::from(!deleted),
                "{text}: once, not lost nor doubled (the deleted one gone from both): {ana:?}"
            );
        }
    }
}
