//! Importing a 100,000-line W3C scribe log (`minutes import`, in process:
//! reading, corrections, building the meeting), 40,000 corrections that
//! match nothing, and the amplification log (2,000 `s/a/<400 a>/g`). With
//! MINUTES_WRITE_LOG=FILE it writes a log out instead, to time scribe.perl
//! and the binary on it (/usr/bin/time -v for the peak memory):
//! MINUTES_LOG=w3c:LINES (default w3c:100000), s:LINES:CORRECTIONS,
//! i:LINES:CORRECTIONS or amplify.

#[path = "common/chatlog.rs"]
mod chatlog;

use minutes::chatlog::{Options, import};

/// Divan's "max alloc" column is the peak of live heap bytes in a sample:
/// the import's peak memory, to set against the log's size.
#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    if let Some(path) = std::env::var_os("MINUTES_WRITE_LOG") {
        let kind = std::env::var("MINUTES_LOG").unwrap_or_else(|_| "w3c:100000".into());
        let parts: Vec<&str> = kind.split(':').collect();
        let number = |i: usize| parts.get(i).and_then(|n| n.parse().ok()).unwrap_or(40_000);
        let log = match parts[0] {
            "s" => chatlog::unmatched_corrections(number(1), number(2), false),
            "i" => chatlog::unmatched_corrections(number(1), number(2), true),
            "amplify" => chatlog::amplification_log(),
            _ => chatlog::w3c_log(number(1)),
        };
        std::fs::write(&path, log).expect("write the log");
        return;
    }
    divan::main();
}

fn options() -> Options {
    Options {
        title: None,
        clock_zone: chrono_tz::Tz::UTC,
        time_zone: chrono_tz::Tz::UTC,
        date: None,
        scribe: None,
        keep_chat: false,
        rrsagent_in_utc: false,
        report: Default::default(),
        today: chrono::NaiveDate::from_ymd_opt(2024, 9, 26).expect("a date"),
        fallback_title: "log".into(),
    }
}

#[divan::bench(args = [10_000, 100_000])]
fn import_w3c_log(bencher: divan::Bencher, lines: usize) {
    let log = chatlog::w3c_log(lines);
    bencher.bench_local(|| import(log.as_bytes(), &options()).expect("imports"));
}

/// Issue 21: 40,000 corrections that match nothing took 92 s (`s///`) and
/// 117 s (`i///`); the goal is under a second.
#[divan::bench(args = [false, true], sample_count = 10, sample_size = 1)]
fn unmatched_corrections_40k(bencher: divan::Bencher, insert: bool) {
    let log = chatlog::unmatched_corrections(40_000, 40_000, insert);
    bencher.bench_local(|| import(log.as_bytes(), &options()).expect("imports"));
}

/// Issue 21: this 864 KB log made a 1.6 GB meeting; now the corrections
/// past the growth limit are refused and the meeting stays small.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn amplification(bencher: divan::Bencher) {
    let log = chatlog::amplification_log();
    let imported = import(log.as_bytes(), &options()).expect("imports");
    let size: usize = imported.meeting.notes.iter().map(|n| n.text.len()).sum();
    assert!(size < 10 << 20, "{size} bytes of notes");
    bencher.bench_local(|| import(log.as_bytes(), &options()).expect("imports"));
}

/// Issue 21: a 200 MB log took a 1.5 GB peak (the log, its lines, the
/// records and the meeting, all at once). Read as a stream, the peak
/// follows the meeting: compare "max alloc" with the log's 33 MB (and
/// docs/performance.md's /usr/bin/time figures for 200 MB).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn big_log_peak_memory(bencher: divan::Bencher) {
    let log = chatlog::w3c_log(400_000);
    bencher.bench_local(|| {
        minutes::chatlog::import_from(std::io::Cursor::new(log.as_bytes()), &options())
            .expect("imports")
    });
}
