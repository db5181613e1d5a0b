//! End to end: the real binary in a pseudo-terminal, read back with vt100.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Polls the parsed screen until `needle` shows, or fails after 10 s.
    fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.text().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{needle:?} never appeared on screen:\n{}", self.text());
    }
}

#[test]
fn type_a_note_with_a_speaker_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.txt");
    std::fs::write(&roster, "Chris Buckridge (RIPE NCC)\nJustin Fair\n").unwrap();
    let file = dir.path().join("call.json");

    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_minutes"));
    cmd.args([
        "new",
        file.to_str().unwrap(),
        "--roster",
        roster.to_str().unwrap(),
        "--tz",
        "UTC",
        "--title",
        "Pty call",
    ]);
    cmd.env("TERM", "xterm-256color");
    cmd.cwd(dir.path());
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);

    let parser = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
    let raw = Arc::new(Mutex::new(Vec::new()));
    let mut reader = pair.master.try_clone_reader().unwrap();
    {
        let (parser, raw) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.lock().unwrap().process(&buf[..n]);
                raw.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
    }
    let screen = Screen { parser, raw };
    let mut keys = pair.master.take_writer().unwrap();
    let mut send = |bytes: &[u8]| {
        keys.write_all(bytes).unwrap();
        keys.flush().unwrap();
    };

    screen.wait_for("Pty call");
    send(b"\t");
    screen.wait_for("Who is speaking?");
    send(b"chris");
    screen.wait_for("Chris Buckridge (RIPE NCC)");
    send(b"\r");
    screen.wait_for("Chris · since");
    send("shared that the Pact was agreed — naïve café 会议\r".as_bytes());
    screen.wait_for("Chris shared that the Pact was agreed");
    // Alt+2 (ESC 2) picks Justin from the speaker bar.
    send(b"\x1b2");
    screen.wait_for("Justin · since");
    send(b"agreed\r");
    screen.wait_for("Justin agreed");
    send(b"\x11"); // Ctrl+Q

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "minutes did not exit on Ctrl+Q");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());

    let meeting = minutes::store::load(&file).unwrap();
    assert_eq!(meeting.title, "Pty call");
    assert_eq!(meeting.notes.len(), 2);
    assert_eq!(meeting.notes[0].speakers, vec!["chris-buckridge"]);
    assert_eq!(
        meeting.notes[0].text,
        "shared that the Pact was agreed — naïve café 会议"
    );
    assert_eq!(meeting.notes[1].speakers, vec!["justin-fair"]);
    assert!(meeting.ended_at.is_some());

    // The terminal was given back: main screen, paste mode off, cursor shown.
    std::thread::sleep(Duration::from_millis(200));
    assert!(!screen.parser.lock().unwrap().screen().alternate_screen());
    let raw = String::from_utf8_lossy(&screen.raw.lock().unwrap()).into_owned();
    let tail = &raw[raw.rfind("\x1b[?1049l").expect("left the alternate screen")..];
    assert!(raw.contains("\x1b[?2004l"), "bracketed paste turned off");
    assert!(
        tail.contains("\x1b[?25h") || raw.contains("\x1b[?25h"),
        "cursor shown again"
    );
    assert!(
        screen.text().contains("Saved"),
        "says where it saved:\n{}",
        screen.text()
    );
}
