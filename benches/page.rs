//! The participants' page (src/page/) on loopback, in one process: a
//! scribe's session committing notes (journal fdatasync'ed), pages
//! following it over Server-Sent Events. How long a committed note takes
//! to reach every page, with 1 and 50 pages, after a short and a long
//! meeting; what 50 pages cost in CPU and memory, busy and idle.
//! `cargo bench --bench page` prints the figures of docs/performance.md
//! (`-- --quick` for a smoke run).

#[path = "common/sample.rs"]
mod sample;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use minutes::app::App;
use minutes::event_loop::Session;
use minutes::page::{PageServer, Waker};
use std::io::{BufRead, BufReader};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const SECRET: &str = "bench-secret-0123456789abcdef";

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (samples, history, many) = if quick {
        (20, 500, 5)
    } else {
        (500, 10_000, 50)
    };
    run(samples, 10, 1);
    run(samples, history, 1);
    run(samples, 10, many);
    run(samples, history, many);
}

/// `samples` notes committed one by one in a meeting of `history` notes
/// followed by `pages` pages.
fn run(samples: usize, history: usize, pages: usize) {
    let dir = tempfile::tempdir().expect("a scratch folder");
    let path = dir.path().join("meeting.json");
    let meeting = sample::meeting(history);
    let store = minutes::store::Store::create(&path, &meeting).expect("the meeting file");
    let mut session = Session::new(
        store,
        App::new(meeting, chrono::Utc::now()),
        minutes::theme::Theme::builtin(),
    );
    let wake: Waker = Arc::new(|| {});
    let page = PageServer::start("127.0.0.1:0", Some(SECRET.into()), wake, None).expect("a port");
    let link = page.link().to_string();
    session.serve_page(page);
    let rss_before = rss_kib();
    let (lines, received) = channel();
    let mut readers = Vec::new();
    for _ in 0..pages {
        let url = format!("{link}events");
        // Pages as processes of their own (curl) when there is curl: the
        // memory and CPU measured here are then the scribe's alone.
        let stream: Box<dyn std::io::Read + Send> = match std::process::Command::new("curl")
            .args(["-sN", &url])
            .stdout(std::process::Stdio::piped())
            .spawn()
        {
            Ok(mut curl) => {
                let out = curl.stdout.take().expect("curl's output");
                readers.push(curl);
                Box::new(out)
            }
            Err(_) => Box::new(
                ureq::get(&url)
                    .call()
                    .expect("the event stream")
                    .into_body()
                    .into_reader(),
            ),
        };
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                if line.contains("bench-") && lines.send(line).is_err() {
                    break;
                }
            }
        });
    }
    let by_curl = !readers.is_empty();
    while session.page().map_or(0, PageServer::pages) < pages {
        std::thread::sleep(Duration::from_millis(5));
    }
    session.step(Vec::new(), chrono::Utc::now());
    let rss_connected = rss_kib();
    let page_cpu_before = thread_cpu("page");
    let main_cpu_before = thread_cpu_self();
    let mut latencies = Vec::with_capacity(samples);
    for n in 0..samples {
        let text = format!("bench-{n}-end the budget is agreed");
        let start = Instant::now();
        session.step(
            vec![
                Event::Paste(text),
                Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
            ],
            chrono::Utc::now(),
        );
        wait_for(&received, &format!("bench-{n}-end"), pages);
        latencies.push(start.elapsed());
    }
    let page_cpu = thread_cpu("page").saturating_sub(page_cpu_before);
    let main_cpu = thread_cpu_self().saturating_sub(main_cpu_before);
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    let p99 = latencies[latencies.len() * 99 / 100];
    println!(
        "{history} notes, {pages} page(s): committed note to every page median {median:?}, p99 {p99:?} ({samples} notes)"
    );
    if pages > 1 {
        // Idle: pages connected, nothing typed, the clock ticking.
        let idle_before = thread_cpu("page");
        let idle_main_before = thread_cpu_self();
        for _ in 0..20 {
            std::thread::sleep(Duration::from_millis(100));
            session.step(Vec::new(), chrono::Utc::now());
        }
        let idle = thread_cpu("page").saturating_sub(idle_before);
        let idle_main = thread_cpu_self().saturating_sub(idle_main_before);
        println!(
            "  CPU for {samples} notes: page server thread {page_cpu:?}, event loop thread {main_cpu:?} (journal included); idle 2 s: page thread {idle:?}, event loop {idle_main:?}"
        );
        let readers = if by_curl {
            "pages are curl processes"
        } else {
            "the pages' readers in this process too"
        };
        println!(
            "  resident memory: +{} KiB once {pages} pages connected, +{} KiB after the notes, {} KiB in all ({readers})",
            rss_connected.saturating_sub(rss_before),
            rss_kib().saturating_sub(rss_before),
            rss_kib()
        );
    }
    drop(session);
    for mut reader in readers {
        let _ = reader.kill();
        let _ = reader.wait();
    }
}

/// Until `pages` lines carrying `marker` came (one per page).
fn wait_for(received: &Receiver<String>, marker: &str, pages: usize) {
    let mut got = 0;
    while got < pages {
        let line = received
            .recv_timeout(Duration::from_secs(30))
            .expect("a page never got the note");
        if line.contains(marker) {
            got += 1;
        }
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

/// CPU time (user + system) of the threads of this process named `name`.
fn thread_cpu(name: &str) -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    tasks
        .flatten()
        .filter(|task| {
            std::fs::read_to_string(task.path().join("comm")).is_ok_and(|c| c.trim() == name)
        })
        .map(|task| stat_cpu(&task.path().join("stat")))
        .sum()
}

/// CPU time of the calling thread.
fn thread_cpu_self() -> Duration {
    stat_cpu(std::path::Path::new("/proc/thread-self/stat"))
}

/// utime + stime of a /proc stat file, in clock ticks of 10 ms.
fn stat_cpu(path: &std::path::Path) -> Duration {
    let Ok(stat) = std::fs::read_to_string(path) else {
        return Duration::ZERO;
    };
    // The command may hold spaces: the fields start after its ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line, 11 and 12 here.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}
