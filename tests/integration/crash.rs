//! Kill -9 at random moments: every note a writer acknowledged is on disk,
//! and the meeting always opens.
//!
//! The writer is this test binary run again with MINUTES_CRASH_WRITER set:
//! it drives a real Session (journal, fdatasync, drafts) and prints
//! `ACK <text>` once a commit has returned, i.e. once the next frame could
//! have been drawn.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const WRITER_ENV: &str = "MINUTES_CRASH_WRITER";

#[test]
fn crash_writer() {
    let Some(path) = std::env::var_os(WRITER_ENV) else {
        return;
    };
    let path = std::path::PathBuf::from(path);
    let (store, meeting) = if path.exists() {
        let (store, meeting, _) = minutes::store::Store::open(&path).unwrap();
        (store, meeting)
    } else {
        let meeting = crate::common::wg_strategy();
        (
            minutes::store::Store::create(&path, &meeting).unwrap(),
            meeting,
        )
    };
    let run = std::process::id();
    let mut session = minutes::event_loop::Session::new(
        store,
        minutes::app::App::new(meeting, chrono::Utc::now()),
        minutes::theme::Theme::builtin(),
    );
    for n in 0.. {
        let text = format!("note {n} of run {run}");
        let script = match n % 7 {
            0 => format!("<tab>chr<enter>{text}<enter>"),
            3 => format!("<a-2>{text}<a-enter>second line<enter>"),
            5 => format!("<c-n>{text}<enter>"),
            _ => format!("{text}<enter>"),
        };
        for key in crate::common::parse_keys(&script) {
            session.step(vec![crossterm::event::Event::Key(key)], chrono::Utc::now());
        }
        println!("ACK {text}");
    }
}

#[test]
fn kill_9_at_random_moments_loses_no_acknowledged_note() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.json");
    let mut acknowledged: Vec<String> = Vec::new();
    // A soak run: MINUTES_CRASH_KILLS=600 MINUTES_CRASH_SEED=7 (the
    // closing notes' figures); the suite's own run is 60 kills, seed 84.
    let setting = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let mut rng = fastrand::Rng::with_seed(setting("MINUTES_CRASH_SEED", 84));
    let kills = setting("MINUTES_CRASH_KILLS", 60) as usize;
    for _ in 0..kills {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "crash::crash_writer",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(WRITER_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let acks = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let acks = acks.clone();
            let stdout = child.stdout.take().unwrap();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if let Some(text) = line.strip_prefix("ACK ") {
                        acks.lock().unwrap().push(text.to_string());
                    }
                }
            })
        };
        std::thread::sleep(Duration::from_millis(rng.u64(5..80)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();
        acknowledged.extend(acks.lock().unwrap().drain(..));

        let meeting = minutes::store::load(&path)
            .unwrap_or_else(|e| panic!("after a kill the meeting must load: {e}"));
        let first_lines: Vec<&str> = meeting
            .notes
            .iter()
            .map(|n| n.text.lines().next().unwrap_or(""))
            .collect();
        for text in &acknowledged {
            assert!(
                first_lines.contains(&text.as_str()),
                "acknowledged note lost: {text}"
            );
        }
    }
    assert!(
        acknowledged.len() > kills,
        "the writer got going ({} notes)",
        acknowledged.len()
    );
    eprintln!(
        "{kills} kills, {} acknowledged notes, none lost",
        acknowledged.len()
    );
}
