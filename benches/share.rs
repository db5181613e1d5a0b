//! Three scribes sharing one meeting (src/share/) in one process over
//! loopback: Ana shares (and relays), Bo and Cy join. How long a note
//! committed by Bo takes to reach Cy through Ana, and what 10,000 shared
//! notes cost in time, memory and CPU; what receiving one note costs once
//! the meeting holds 10,000. `cargo bench --bench share` prints the
//! figures of docs/performance.md (`-- --quick` for a smoke run).

#[path = "common/sample.rs"]
mod sample;

use minutes::share::links::{Link, Secrets};
use minutes::share::{How, Share};
use std::time::{Duration, Instant};

fn start(dir: &std::path::Path, name: &str, how: How) -> Share {
    Share::start(
        &dir.join(format!("{name}.json")),
        how,
        name,
        std::sync::Arc::new(|| {}),
    )
    .expect("sharing starts")
}

/// One step of every scribe, as each event loop would take it.
fn step(scribes: &mut [&mut Share]) -> [usize; 3] {
    let mut got = [0; 3];
    for (n, s) in scribes.iter_mut().enumerate() {
        let received = s.receive();
        // Trouble would make the figures meaningless: said.
        for trouble in &received.trouble {
            eprintln!("scribe {n}: {trouble}");
        }
        got[n] = received.notes.len();
        s.settle();
    }
    got
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    keystrokes(quick);
    let (samples, bulk) = if quick { (50, 500) } else { (1_000, 10_000) };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut ana = start(
        dir.path(),
        "ana",
        How::Share {
            address: "127.0.0.1:0".into(),
        },
    );
    let secrets = Secrets::load_or_create(&dir.path().join("ana.json")).expect("secrets");
    let address = secrets.address.clone().expect("the address");
    let link = Link::parse(&secrets.scribe_link(&address)).expect("the link");
    let mut bo = start(dir.path(), "bo", How::Join { link: link.clone() });
    let mut cy = start(dir.path(), "cy", How::Join { link });
    // Until both are connected.
    let t = Instant::now();
    while !ana.describe_state().contains("cy") || !ana.describe_state().contains("bo") {
        step(&mut [&mut ana, &mut bo, &mut cy]);
        std::thread::sleep(Duration::from_millis(1));
        assert!(t.elapsed() < Duration::from_secs(20), "scribes connect");
    }
    let notes = sample::meeting(bulk + samples).notes;
    let ids = bo.note_ids();

    // One note at a time: from Bo's `publish` to Cy's `receive`.
    let mut latencies = Vec::with_capacity(samples);
    for (k, note) in notes.iter().take(samples).enumerate() {
        let mut note = note.clone();
        note.id = ids.start + k as u64;
        let start = Instant::now();
        bo.publish(&note);
        bo.settle();
        loop {
            if step(&mut [&mut ana, &mut bo, &mut cy])[2] > 0 {
                break;
            }
            std::thread::sleep(Duration::from_micros(20));
        }
        latencies.push(start.elapsed());
    }
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    let p99 = latencies[latencies.len() * 99 / 100];
    println!(
        "note from one scribe to another through the sharing one: median {median:?}, p99 {p99:?} ({samples} notes)"
    );

    // Many notes: Ana publishes as fast as they come; Bo and Cy receive.
    let rss_before = rss_kib();
    let cpu_before = cpu_time();
    let start = Instant::now();
    let (mut to_bo, mut to_cy) = (0, 0);
    for (k, note) in notes.iter().skip(samples).take(bulk).enumerate() {
        let mut note = note.clone();
        note.id = 1_000_000 + k as u64;
        ana.publish(&note);
        let got = step(&mut [&mut ana, &mut bo, &mut cy]);
        to_bo += got[1];
        to_cy += got[2];
    }
    let mut rounds = 0u64;
    while to_bo < bulk || to_cy < bulk {
        let got = step(&mut [&mut ana, &mut bo, &mut cy]);
        to_bo += got[1];
        to_cy += got[2];
        std::thread::sleep(Duration::from_micros(50));
        rounds += 1;
        if rounds.is_multiple_of(20_000) {
            eprintln!("still waiting: {to_bo} and {to_cy} of {bulk} received");
        }
    }
    let wall = start.elapsed();
    // Where a note's time goes once the document is large.
    let last = notes.last().expect("notes").clone();
    let mut publish = Vec::new();
    let mut receive = Vec::new();
    for k in 0..20 {
        let mut note = last.clone();
        note.id = 2_000_000 + k;
        let t = Instant::now();
        ana.publish(&note);
        ana.settle();
        publish.push(t.elapsed());
        std::thread::sleep(Duration::from_millis(20));
        let t = Instant::now();
        let got = bo.receive().notes.len();
        bo.settle();
        receive.push((t.elapsed(), got));
        step(&mut [&mut ana, &mut bo, &mut cy]);
    }
    publish.sort();
    let mut times: Vec<Duration> = receive
        .iter()
        .filter(|(_, got)| *got > 0)
        .map(|r| r.0)
        .collect();
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    println!(
        "at {bulk} notes: publish and save {:?} a note; receive and save one {median:?} (median of {})",
        publish[publish.len() / 2],
        times.len()
    );
    let cpu = cpu_time() - cpu_before;
    let rss = rss_kib().saturating_sub(rss_before);
    println!(
        "{bulk} notes shared: {wall:?} wall, {cpu:?} CPU, +{} MiB resident for the three scribes' documents, document saved: {} KiB",
        rss / 1024,
        ana.saved_size() / 1024
    );
}

/// A key's step (update, save if a commit, share, no drawing), typing
/// notes key by key (10 keys a second) into a 1,000-note meeting: alone,
/// then sharing with a scribe who commits a note every 2 s (the median is
/// a key's; the p99 is a key's step that also received that note).
fn keystrokes(quick: bool) {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let notes = if quick { 3 } else { 10 };
    for sharing in [false, true] {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("ana.json");
        let meeting = sample::meeting(1_000);
        let store = minutes::store::Store::create(&path, &meeting).expect("the meeting");
        let mut session = minutes::event_loop::Session::new(
            store,
            minutes::app::App::new(meeting, chrono::Utc::now()),
            minutes::theme::Theme::builtin(),
        );
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut bo_thread = None;
        if sharing {
            let how = How::Share {
                address: "127.0.0.1:0".into(),
            };
            let share =
                Share::start(&path, how, "ana", std::sync::Arc::new(|| {})).expect("sharing");
            session.share_with(share);
            let secrets = Secrets::load_or_create(&path).expect("secrets");
            let link =
                Link::parse(&secrets.scribe_link(&secrets.address.clone().expect("address")))
                    .expect("the link");
            let mut bo = start(dir.path(), "bo", How::Join { link });
            let stop = stop.clone();
            bo_thread = Some(std::thread::spawn(move || {
                let mut note = sample::meeting(1).notes[0].clone();
                let mut last = Instant::now();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    bo.receive();
                    if last.elapsed() > Duration::from_secs(2) {
                        note.id += 1;
                        note.id = note.id.max(bo.note_ids().start);
                        bo.publish(&note);
                        last = Instant::now();
                    }
                    bo.settle();
                    std::thread::sleep(Duration::from_millis(2));
                }
            }));
        }
        let mut samples = Vec::new();
        let text = "shared that the outcome was much better than initially feared.";
        for _ in 0..notes {
            let keys = text
                .chars()
                .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
                .chain([KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)]);
            for key in keys {
                let start = Instant::now();
                session.step(vec![Event::Key(key)], chrono::Utc::now());
                samples.push(start.elapsed());
                // A fast typist: 10 keys a second.
                std::thread::sleep(Duration::from_millis(if quick { 1 } else { 100 }));
            }
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(bo) = bo_thread {
            let _ = bo.join();
        }
        samples.sort();
        println!(
            "a key's step {}: median {:?}, p99 {:?} ({} keys)",
            if sharing { "while sharing" } else { "alone" },
            samples[samples.len() / 2],
            samples[samples.len() * 99 / 100],
            samples.len()
        );
    }
}

/// Resident memory of this process, KiB (Linux).
fn rss_kib() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// User and system CPU time of this process.
fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole rusage into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}
