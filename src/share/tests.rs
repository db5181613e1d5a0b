//! Scribes in one process, on loopback: notes, edits and deletions reach
//! every scribe through the sharing one; a wrong secret gets nothing.

use super::*;
use crate::model::Note;

fn note(id: u64, text: &str) -> Note {
    let at = "2024-09-26T14:00:00+00:00".parse().unwrap();
    Note::new(id, Some(1), Vec::new(), text.into(), at)
}

fn wake() -> Waker {
    Arc::new(|| {})
}

fn meeting() -> Meeting {
    Meeting::new("Weekly", chrono_tz::UTC)
}

/// The meeting as saved beside `path` (FILE.automerge), if any.
fn shared(path: &Path) -> Option<Meeting> {
    let bytes = std::fs::read(document_path(path)).ok()?;
    let doc = automerge::Automerge::load(&storage::read_chunks(&bytes)).ok()?;
    doc::meeting(&doc)
}

/// Steps every scribe until `done` holds (or gives up after 10 s).
fn until(scribes: &mut [&mut Share], got: &mut Vec<Received>, done: impl Fn(&[Received]) -> bool) {
    got.resize_with(scribes.len(), Received::default);
    for _ in 0..2000 {
        for (s, g) in scribes.iter_mut().zip(got.iter_mut()) {
            let r = s.receive();
            s.settle();
            g.notes.extend(r.notes);
            g.deleted.extend(r.deleted);
            g.news.extend(r.news);
            g.trouble.extend(r.trouble);
        }
        if done(got) {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn three_scribes_meet_through_the_sharing_one() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("a.json"),
        dir.path().join("b.json"),
        dir.path().join("c.json"),
    );
    let mut ana = Share::start(
        &a,
        How::Share {
            address: "127.0.0.1:0".into(),
        },
        "Ana",
        wake(),
    )
    .unwrap();
    ana.reconcile(&meeting());
    let secrets = Secrets::load_or_create(&a).unwrap();
    let link = Link::parse(&secrets.scribe_link(secrets.address.as_deref().unwrap())).unwrap();
    let mut bo = Share::start(&b, How::Join { link: link.clone() }, "Bo", wake()).unwrap();
    let mut cy = Share::start(&c, How::Join { link: link.clone() }, "Cy", wake()).unwrap();
    // As the app does: what each has is reconciled with the document first.
    bo.reconcile(&meeting());
    cy.reconcile(&meeting());
    // Ana answers on a thread of her own while Bo waits for the meeting.
    let done = Arc::new(AtomicBool::new(false));
    let stepping = {
        let done = done.clone();
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                ana.receive();
                ana.settle();
                std::thread::sleep(Duration::from_millis(2));
            }
            ana
        })
    };
    let fetched = bo.wait_for_meeting(Duration::from_secs(10));
    done.store(true, Ordering::Relaxed);
    let mut ana = stepping.join().unwrap();
    assert_eq!(fetched.unwrap().title, "Weekly");
    assert_ne!(bo.note_ids().start, cy.note_ids().start, "ids apart");
    let mut got = Vec::new();
    bo.publish(&note(bo.note_ids().start, "from Bo"));
    until(&mut [&mut ana, &mut bo, &mut cy], &mut got, |g| {
        g[0].notes.len() == 1 && g[2].notes.len() == 1
    });
    assert_eq!(got[2].notes[0].text, "from Bo");
    assert_eq!(got[2].notes[0].id, bo.note_ids().start, "one id everywhere");
    assert!(
        ana.describe_state().contains("Bo") && ana.describe_state().contains("Cy"),
        "{}",
        ana.describe_state()
    );
    // Cy deletes it: gone on both others.
    let id = bo.note_ids().start;
    cy.retract(id);
    let mut got = Vec::new();
    until(&mut [&mut ana, &mut bo, &mut cy], &mut got, |g| {
        g[0].deleted == [id] && g[1].deleted == [id]
    });
    assert_eq!(got[1].deleted, [id]);
    // Bo's header names the other scribes (their presence, through Ana).
    let deadline = Instant::now() + Duration::from_secs(10);
    while !(bo.describe_state().contains("Cy") && bo.describe_state().contains("Ana"))
        && Instant::now() < deadline
    {
        until(&mut [&mut ana, &mut bo, &mut cy], &mut Vec::new(), |_| true);
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(bo.describe_state(), "shared with Ana, Cy");
    // Bo quits: Ana is told he left, in those words.
    bo.close();
    let mut got = Vec::new();
    until(&mut [&mut ana], &mut got, |g| {
        !g[0].news.is_empty() || !g[0].trouble.is_empty()
    });
    assert_eq!(got[0].news, ["Bo left"], "{:?}", got[0].trouble);
}

#[test]
fn a_wrong_secret_is_refused_and_gets_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.json");
    let mut ana = Share::start(
        &a,
        How::Share {
            address: "127.0.0.1:0".into(),
        },
        "Ana",
        wake(),
    )
    .unwrap();
    ana.reconcile(&meeting());
    ana.publish(&note(1, "secret plans"));
    ana.settle();
    let secrets = Secrets::load_or_create(&a).unwrap();
    let mut link = Link::parse(&secrets.scribe_link(secrets.address.as_deref().unwrap())).unwrap();
    link.secret = "0".repeat(32);
    let mut eve = Share::start(
        &dir.path().join("e.json"),
        How::Join { link },
        "Eve",
        wake(),
    )
    .unwrap();
    let err = eve.wait_for_meeting(Duration::from_secs(5)).unwrap_err();
    assert!(err.contains("refused"), "{err}");
    assert!(
        shared(&dir.path().join("e.json")).is_none(),
        "nothing of the meeting"
    );
    let mut got = Vec::new();
    until(&mut [&mut ana], &mut got, |g| !g[0].trouble.is_empty());
    assert!(
        got[0].trouble[0].contains("wrong secret"),
        "{:?}",
        got[0].trouble
    );
}

/// Ana shares on an address that is not loopback (TLS), Bo joins.
fn pair_over_tls(dir: &Path, pin: Option<String>) -> (Share, Share) {
    let (ana, link) = share_over_tls(dir, pin);
    let mut bo = Share::start(&dir.join("b.json"), How::Join { link }, "Bo", wake()).unwrap();
    bo.reconcile(&meeting());
    (ana, bo)
}

/// Ana shares on an address that is not loopback (TLS): her scribe link
/// to it, pinning `pin` (or her certificate).
fn share_over_tls(dir: &Path, pin: Option<String>) -> (Share, Link) {
    let a = dir.join("a.json");
    let mut ana = Share::start(
        &a,
        How::Share {
            address: "0.0.0.0:0".into(),
        },
        "Ana",
        wake(),
    )
    .unwrap();
    ana.reconcile(&meeting());
    let secrets = Secrets::load_or_create(&a).unwrap();
    let port = secrets
        .address
        .as_deref()
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .to_string();
    let real = links::fingerprint(&secrets.cert_der().unwrap());
    let link = Link {
        address: format!("127.0.0.1:{port}"),
        secret: secrets.scribe.clone(),
        document: secrets.document.clone().unwrap(),
        pin: Some(pin.unwrap_or(real)),
        relay: None,
    };
    (ana, link)
}

#[test]
fn over_tls_the_pinned_certificate_is_required() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ana, mut bo) = pair_over_tls(dir.path(), None);
    bo.publish(&note(bo.note_ids().start, "over TLS"));
    let mut got = Vec::new();
    until(&mut [&mut ana, &mut bo], &mut got, |g| {
        !g[0].notes.is_empty()
    });
    assert_eq!(got[0].notes[0].text, "over TLS");
    // A link pinning another certificate: refused, not retried.
    let dir = tempfile::tempdir().unwrap();
    let (mut ana, mut eve) = pair_over_tls(dir.path(), Some("ab".repeat(32)));
    let mut got = Vec::new();
    until(&mut [&mut ana, &mut eve], &mut got, |g| {
        !g[1].trouble.is_empty()
    });
    assert!(got[1].trouble[0].contains("pins"), "{:?}", got[1].trouble);
    assert!(
        shared(&dir.path().join("b.json")).is_none(),
        "nothing of the meeting"
    );
}

#[test]
fn two_edits_of_one_note_at_once_keep_one_and_say_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ana, mut bo) = pair_over_tls(dir.path(), None);
    ana.publish(&note(1, "first"));
    let mut got = Vec::new();
    until(&mut [&mut ana, &mut bo], &mut got, |g| {
        !g[1].notes.is_empty()
    });
    // Both edit it before either hears of the other's edit. On a loaded
    // machine one may hear the other's first (edits one after the other:
    // no conflict, nothing to say): then both edit again.
    let mut got = Vec::new();
    for round in 0..20 {
        ana.publish(&note(1, &format!("first, as Ana has it ({round})")));
        bo.publish(&note(1, &format!("first, as Bo has it ({round})")));
        got = Vec::new();
        let heard = |r: &Received, text: &str| r.notes.iter().any(|n| n.text.contains(text));
        until(&mut [&mut ana, &mut bo], &mut got, |g| {
            !g[0].trouble.is_empty()
                || !g[1].trouble.is_empty()
                || (heard(&g[0], &format!("as Bo has it ({round})"))
                    && heard(&g[1], &format!("as Ana has it ({round})")))
        });
        // A conflict is said on both sides shortly after the edits cross.
        for _ in 0..20 {
            for (s, g) in [&mut ana, &mut bo].into_iter().zip(got.iter_mut()) {
                g.trouble.extend(s.receive().trouble);
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if got.iter().any(|r| !r.trouble.is_empty()) {
            break;
        }
    }
    let said: Vec<&String> = got.iter().flat_map(|r| &r.trouble).collect();
    assert!(
        said.iter()
            .any(|t| t.contains("as Ana has it") && t.contains("as Bo has it")),
        "the losing edit is shown: {said:?}"
    );
    // And both end with the same one, saved beside each meeting.
    ana.close();
    bo.close();
    let (a, b) = (
        shared(&dir.path().join("a.json")).unwrap(),
        shared(&dir.path().join("b.json")).unwrap(),
    );
    assert_eq!(a.notes, b.notes);
}

/// A note applied as it came is not sent back; one this scribe dated
/// anew (its scribe's clock far off) is, so that every scribe keeps the
/// new dates. A note put and deleted between two steps is heard as
/// deleted, not as put.
#[test]
fn a_note_dated_anew_goes_back_and_an_echo_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ana, mut bo) = pair_over_tls(dir.path(), None);
    ana.publish(&note(1, "from a clock hours behind"));
    ana.settle();
    let b = dir.path().join("b.json");
    let has = |path: &Path, key: &str, value: Option<&str>| {
        let Ok(bytes) = std::fs::read(document_path(path)) else {
            return false;
        };
        let Ok(doc) = automerge::Automerge::load(&storage::read_chunks(&bytes)) else {
            return false;
        };
        let got = automerge::ReadDoc::get(&doc, automerge::ROOT, key)
            .ok()
            .flatten();
        let text = got.and_then(|(v, _)| v.as_str().map(str::to_string));
        match value {
            Some(value) => text.is_some_and(|t| t.contains(value)),
            None => text.as_deref() == Some(""),
        }
    };
    let until_stored = |ana: &mut Share, key: &str, value: Option<&str>| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !has(&b, key, value) && Instant::now() < deadline {
            ana.receive();
            ana.settle();
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(has(&b, key, value), "{key} reached Bo's document");
    };
    until_stored(&mut ana, "note:1", Some("hours behind"));
    // Meanwhile Ana puts a note and deletes it: Bo's next step hears it
    // deleted, once.
    ana.publish(&note(2, "said and taken back"));
    ana.settle();
    until_stored(&mut ana, "note:2", Some("taken back"));
    ana.retract(2);
    ana.settle();
    until_stored(&mut ana, "note:2", None);
    let heard = bo.receive();
    assert_eq!(heard.notes.len(), 1, "{heard:?}");
    assert_eq!(heard.deleted, [2]);
    // Bo's step: what was applied as it came is not sent back.
    let mut echo = heard.notes[0].clone();
    bo.publish(&echo);
    bo.retract(2);
    assert!(bo.pending.is_empty(), "an echo is not sent");
    echo.started_at = "2024-09-26T17:00:00+00:00".parse().unwrap();
    echo.committed_at = echo.started_at;
    bo.publish_dated_anew(&echo);
    assert_eq!(bo.pending.len(), 1, "dated anew: sent");
    let mut got = Vec::new();
    until(&mut [&mut ana, &mut bo], &mut got, |g| {
        !g[0].notes.is_empty()
    });
    assert_eq!(got[0].notes[0].started_at, echo.started_at);
}

/// Bo's document stored Ana's edit, then Bo was killed before his
/// journal had it: at restart the edit comes back to Bo, and his older
/// copy does not undo it on every side. An edit of Bo's that his journal
/// had and his document did not is still sent.
#[test]
fn an_edit_stored_just_before_a_crash_is_not_undone_at_restart() {
    let dir = tempfile::tempdir().unwrap();
    let (mut ana, link) = share_over_tls(dir.path(), None);
    let b = dir.path().join("b.json");
    let mut bo = Share::start(&b, How::Join { link: link.clone() }, "Bo", wake()).unwrap();
    bo.reconcile(&meeting());
    let first = note(1, "first");
    let gone = note(2, "to be deleted by Ana");
    let mut his = note(bo.note_ids().start, "Bo's");
    ana.publish(&first);
    ana.publish(&gone);
    bo.publish(&his);
    let mut got = Vec::new();
    until(&mut [&mut ana, &mut bo], &mut got, |g| {
        !g[0].notes.is_empty() && g[1].notes.len() == 2
    });
    let mut edited = first.clone();
    edited.text = "first, edited by Ana".into();
    // As the app edits: the commit time stays, only the edit's is new
    // (so which came later is read from the document's history).
    edited.edited_at = Some(edited.committed_at);
    ana.publish(&edited);
    ana.retract(gone.id);
    ana.settle();
    // Bo's share thread stores the edit and the deletion; his event loop
    // never applies them.
    let stored = |path: &Path| {
        shared(path).is_some_and(|m| {
            m.notes.iter().any(|n| n.text == edited.text) && !m.notes.iter().any(|n| n.id == 2)
        })
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while !stored(&b) && Instant::now() < deadline {
        ana.receive();
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(stored(&b), "Bo's document has the edit and the deletion");
    drop(bo);
    // Bo's journal: Ana's note as first heard, and an edit of his own
    // the document never had.
    his.text = "Bo's, edited".into();
    his.edited_at = Some(his.committed_at);
    let as_heard = |id: u64| got[1].notes.iter().find(|n| n.id == id).unwrap().clone();
    let journal = Meeting {
        notes: vec![as_heard(1), as_heard(2), his.clone()],
        ..meeting()
    };
    let mut bo = Share::start(&b, How::Join { link }, "Bo", wake()).unwrap();
    bo.reconcile(&journal);
    let mut got = Vec::new();
    until(&mut [&mut ana, &mut bo], &mut got, |g| {
        g[1].notes.iter().any(|n| n.text == edited.text)
            && g[0].notes.iter().any(|n| n.text == his.text)
    });
    assert!(
        got[1].notes.contains(&edited),
        "the edit comes back to Bo: {:?}",
        got[1].notes
    );
    assert_eq!(got[1].deleted, [2], "and the deletion");
    assert!(
        got[0].notes.iter().any(|n| n.text == his.text),
        "Bo's own edit reaches Ana"
    );
    for _ in 0..40 {
        until(&mut [&mut ana, &mut bo], &mut got, |_| true);
        std::thread::sleep(Duration::from_millis(5));
    }
    ana.close();
    bo.close();
    let a = shared(&dir.path().join("a.json")).unwrap();
    let texts: Vec<&str> = a.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        texts,
        [edited.text.as_str(), his.text.as_str()],
        "not undone for Ana"
    );
    assert_eq!(a.notes, shared(&b).unwrap().notes);
}
