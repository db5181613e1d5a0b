//! Importing a 100,000-line W3C scribe log (`minutes import`, in process:
//! reading, corrections, building the meeting). With MINUTES_WRITE_LOG=FILE
//! it writes the log out instead, to time scribe.perl and the binary on it
//! (docs/performance.md).

#[path = "common/chatlog.rs"]
mod chatlog;

use minutes::chatlog::{Options, import};

fn main() {
    if let Some(path) = std::env::var_os("MINUTES_WRITE_LOG") {
        std::fs::write(&path, chatlog::w3c_log(100_000)).expect("write the log");
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
