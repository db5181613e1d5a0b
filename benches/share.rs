//! Two scribes sharing notes (src/share.rs) over a localhost TCP
//! connection, in one process: how long a committed note takes to reach
//! the other scribe, and what 10,000 shared notes cost in time, memory and
//! CPU. `cargo bench --bench share` prints the figures of
//! docs/design/multi-scribe.md (`-- --quick` for a smoke run).

#[path = "common/sample.rs"]
mod sample;

use minutes::share::Share;
use std::time::{Duration, Instant};

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (samples, bulk) = if quick { (50, 500) } else { (1_000, 10_000) };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a local port");
    let addr = listener.local_addr().expect("its address");
    let host = std::thread::spawn(move || Share::host(&listener, "ana", None).expect("accept"));
    let mut bo = Share::join(addr, "bo", None).expect("join");
    let mut ana = host.join().expect("the host thread");
    let notes = sample::meeting(bulk + samples).notes;

    // One note at a time: from `publish` to the other side's `receive`.
    let mut latencies = Vec::with_capacity(samples);
    for note in notes.iter().take(samples) {
        let start = Instant::now();
        ana.publish(note);
        loop {
            if !bo.receive().notes.is_empty() {
                break;
            }
            ana.receive(); // acknowledgements keep the protocol moving
            std::thread::sleep(Duration::from_micros(20));
        }
        latencies.push(start.elapsed());
    }
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    let p99 = latencies[latencies.len() * 99 / 100];
    println!("note to the other scribe: median {median:?}, p99 {p99:?} ({samples} notes)");

    // Many notes: published as fast as they come, all received.
    let rss_before = rss_kib();
    let cpu_before = cpu_time();
    let start = Instant::now();
    let mut received = 0;
    for note in notes.iter().skip(samples).take(bulk) {
        let mut note = note.clone();
        note.id += 1_000_000;
        ana.publish(&note);
        received += bo.receive().notes.len();
        ana.receive();
    }
    let mut rounds = 0u64;
    while received < bulk {
        received += bo.receive().notes.len();
        ana.receive();
        std::thread::sleep(Duration::from_micros(50));
        rounds += 1;
        if rounds.is_multiple_of(20_000) {
            eprintln!("still waiting: {received} of {bulk} received");
        }
    }
    let wall = start.elapsed();
    // Where a note's time goes once the document is large.
    let last = notes.last().expect("notes").clone();
    let t = Instant::now();
    for k in 0..20 {
        let mut note = last.clone();
        note.id = 2_000_000 + k;
        ana.publish(&note);
    }
    let publish = t.elapsed() / 20;
    std::thread::sleep(Duration::from_millis(50));
    let t = Instant::now();
    let got = bo.receive().notes.len();
    let receive = t.elapsed();
    println!("at {bulk} notes: publish {publish:?} a note; receive {receive:?} for {got}");
    let cpu = cpu_time() - cpu_before;
    let rss = rss_kib().saturating_sub(rss_before);
    println!(
        "{bulk} notes shared: {wall:?} wall, {cpu:?} CPU, +{} MiB resident for both scribes' documents, document saved: {} KiB",
        rss / 1024,
        ana.saved_size() / 1024
    );
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
