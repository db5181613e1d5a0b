//! End to end: the real binary in a pseudo-terminal, read back with vt100.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a test waits for what must come on screen: generous, for a
/// debug binary on a loaded machine (never a measure of speed).
const PATIENCE: Duration = Duration::from_secs(30);

/// The real `minutes` in a 80x24 pseudo-terminal (share.rs and transcript.rs
/// use it too).
pub(crate) struct Running {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    keys: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
}

impl Running {
    pub(crate) fn start(args: &[&str], cwd: &Path) -> Running {
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
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.cwd(cwd);
        let child = pair.slave.spawn_command(cmd).unwrap();
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
        let keys = pair.master.take_writer().unwrap();
        Running {
            parser,
            raw,
            keys,
            child,
            master: pair.master,
        }
    }

    pub(crate) fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Polls the parsed screen until `needle` shows, or fails after 10 s.
    pub(crate) fn wait_for(&self, needle: &str) {
        self.wait_until(&format!("{needle:?} on screen"), |m| {
            m.text().contains(needle)
        });
    }

    /// Polls until `done` holds, or fails after 10 s saying what was awaited.
    fn wait_until(&self, what: &str, done: impl Fn(&Running) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done(self) {
            assert!(
                Instant::now() < deadline,
                "never got {what}:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub(crate) fn send(&mut self, bytes: &[u8]) {
        self.keys.write_all(bytes).unwrap();
        self.keys.flush().unwrap();
    }

    /// Resizes the terminal, as dragging the window's corner does.
    fn resize(&self, rows: u16, cols: u16) {
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    /// The row of the screen, as text.
    fn row(&self, row: u16) -> String {
        let parser = self.parser.lock().unwrap();
        let (_, cols) = parser.screen().size();
        parser.screen().contents_between(row, 0, row, cols)
    }

    pub(crate) fn signal(&self, name: &str) {
        let pid = self.child.process_id().unwrap().to_string();
        assert!(
            std::process::Command::new("kill")
                .args(["-s", name, &pid])
                .status()
                .unwrap()
                .success()
        );
    }

    pub(crate) fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread take the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "minutes did not exit:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The terminal was given back: main screen, paste mode off, cursor shown.
    fn assert_terminal_restored(&self) {
        assert!(
            !self.parser.lock().unwrap().screen().alternate_screen(),
            "still on the alternate screen"
        );
        let raw = String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned();
        let left = raw.rfind("\x1b[?1049l").expect("left the alternate screen");
        assert!(
            raw[left..].contains("\x1b[?25h") || raw.contains("\x1b[?25h"),
            "cursor shown again"
        );
        assert!(raw.contains("\x1b[?2004l"), "bracketed paste turned off");
    }
}

fn meeting_with_roster(dir: &Path) -> (PathBuf, Vec<String>) {
    let roster = dir.join("roster.txt");
    std::fs::write(&roster, "Chris Buckridge (RIPE NCC)\nJustin Fair\n").unwrap();
    let file = dir.join("call.json");
    let args = vec![
        "new",
        file.to_str().unwrap(),
        "--roster",
        roster.to_str().unwrap(),
        "--tz",
        "UTC",
        "--title",
        "Pty call",
    ];
    (file.clone(), args.into_iter().map(String::from).collect())
}

/// `minutes new` on a fresh meeting with a roster, started and on screen.
fn start_call(dir: &Path) -> (PathBuf, Running) {
    let (file, args) = meeting_with_roster(dir);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let m = Running::start(&args, dir);
    m.wait_for("Pty call");
    (file, m)
}

/// Two committed notes and a draft typed after them.
fn take_notes(m: &mut Running) {
    m.send(b"\t");
    m.wait_for("Who is speaking?");
    m.send(b"chris");
    m.wait_for("Chris Buckridge (RIPE NCC)");
    m.send(b"\r");
    m.wait_for("Chris · since");
    m.send("shared that the Pact was agreed — naïve café 会议\r".as_bytes());
    m.wait_for("Chris shared that the Pact was agreed");
    // Alt+2 (ESC 2) picks Justin from the speaker bar.
    m.send(b"\x1b2");
    m.wait_for("Justin · since");
    m.send(b"agreed\r");
    m.wait_for("Justin agreed");
    m.send(b"half a thought");
    m.wait_for("half a thought");
}

fn assert_notes_and_draft(file: &Path) {
    let meeting = minutes::store::load(file).unwrap();
    assert_eq!(meeting.title, "Pty call");
    let texts: Vec<&str> = meeting.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "shared that the Pact was agreed — naïve café 会议",
            "agreed"
        ]
    );
    assert_eq!(meeting.notes[0].speakers, vec!["chris-buckridge"]);
    assert_eq!(meeting.notes[1].speakers, vec!["justin-fair"]);
    let draft = minutes::store::load_draft(file).expect("the draft survived");
    assert_eq!(draft.text, "half a thought");
    assert_eq!(draft.speakers, vec!["justin-fair"]);
}

#[test]
fn type_notes_with_speakers_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut m) = start_call(dir.path());
    take_notes(&mut m);
    m.send(b"\x11"); // Ctrl+Q
    assert!(m.wait_exit().success());
    assert_notes_and_draft(&file);
    assert!(minutes::store::load(&file).unwrap().ended_at.is_some());
    m.assert_terminal_restored();
    assert!(
        m.text().contains("Saved"),
        "says where it saved:\n{}",
        m.text()
    );

    // `minutes open` with no file resumes the meeting last written in the
    // data folder; the draft is back in the editor; notes follow the old ones.
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("data_dir = \"{}\"\n", dir.path().display()),
    )
    .unwrap();
    let mut again = Running::start(&["--config", config.to_str().unwrap(), "open"], dir.path());
    again.wait_for("half a thought");
    again.send(b" finished\r");
    again.wait_for("Justin half a thought finished");
    again.send(b"\x03"); // Ctrl+C quits too
    assert!(again.wait_exit().success());
    let meeting = minutes::store::load(&file).unwrap();
    assert_eq!(meeting.notes.len(), 3);
    assert_eq!(meeting.notes[2].id, 3);
    assert!(minutes::store::load_draft(&file).is_none());
    // After a clean quit the folder holds the meeting and what the test
    // put there: no journal, lock or draft.
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["call.json", "config.toml", "roster.txt"]);
}

/// `minutes` started and quit at once keeps no empty meeting (that `list`
/// would show and `open` resume); a meeting made in a named file is kept
/// as prepared.
#[test]
fn quitting_at_once_keeps_no_empty_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, format!("data_dir = \"{}\"\n", data.display())).unwrap();
    let mut m = Running::start(&["--config", config.to_str().unwrap()], dir.path());
    m.wait_for("not started");
    // A stray key, erased, then quit.
    m.send(b"q\x7f");
    m.send(b"\x11");
    assert!(m.wait_exit().success());
    assert!(m.text().contains("Nothing was noted"), "{}", m.text());
    assert_eq!(std::fs::read_dir(&data).unwrap().count(), 0);

    let file = dir.path().join("prepared.json");
    let mut m = Running::start(&["new", file.to_str().unwrap()], dir.path());
    m.wait_for("not started");
    m.send(b"\x11");
    assert!(m.wait_exit().success());
    assert!(file.exists(), "a meeting made in a named file is kept");

    // `minutes NEWFILE` (a mistyped name, say): "[New]" until something
    // is noted, and Ctrl+C (as Ctrl+Q) keeps no empty file.
    let typo = dir.path().join("wat12.json");
    let mut m = Running::start(&[typo.to_str().unwrap()], dir.path());
    m.wait_for("[New]");
    m.send(b"\x03");
    assert!(m.wait_exit().success());
    assert!(m.text().contains("Nothing was noted"), "{}", m.text());
    assert!(!typo.exists(), "an untouched new file is not kept");
    assert!(std::fs::read_dir(dir.path()).unwrap().all(|e| {
        let name = e.unwrap().file_name();
        !name.to_string_lossy().starts_with("wat12")
    }));
}

/// The screen follows the window's size at once, though minutes does not
/// ask the terminal its size on every frame.
#[test]
fn a_resized_window_is_redrawn_to_its_new_size() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut m) = start_call(dir.path());
    m.send(b"before");
    m.wait_for("before");
    assert!(m.row(23).ends_with("Ctrl+Q quit"), "{:?}", m.row(23));
    m.resize(30, 100);
    m.wait_until("a redraw at 100x30", |m| m.row(29).ends_with("Ctrl+Q quit"));
    assert!(m.text().contains("before"));
    m.send(b"\x11");
    assert!(m.wait_exit().success());
}

#[test]
fn kill_9_loses_no_committed_note_nor_the_draft() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut m) = start_call(dir.path());
    take_notes(&mut m);
    std::thread::sleep(Duration::from_secs(2));
    m.signal("KILL");
    assert!(!m.wait_exit().success());
    assert_notes_and_draft(&file);

    // The lock of the killed process does not block the next one.
    let mut again = Running::start(&["open", file.to_str().unwrap()], dir.path());
    again.wait_for("half a thought");
    again.send(b"\x11");
    assert!(again.wait_exit().success());
}

/// 100 KiB typed without bracketed paste (a paste in a terminal without
/// it, a burst over SSH) reaches the app whole: every line is a note.
#[test]
fn a_large_unbracketed_burst_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut m) = start_call(dir.path());
    let lines = 10_000;
    let burst: String = (0..lines).map(|n| format!("note {n}\r")).collect();
    assert!(burst.len() > 100 * 1024 - 10_000);
    // Written from a thread: a stalled reader would block the write, and
    // the wait below is what must fail then.
    let mut keys = std::mem::replace(&mut m.keys, Box::new(std::io::sink()));
    let writer = std::thread::spawn(move || {
        keys.write_all(burst.as_bytes()).unwrap();
        keys.flush().unwrap();
        keys
    });
    m.wait_for(&format!("note {}", lines - 1));
    m.keys = writer.join().unwrap();
    m.send(b"\x11");
    assert!(m.wait_exit().success());
    let meeting = minutes::store::load(&file).unwrap();
    assert_eq!(meeting.notes.len(), lines);
    assert_eq!(meeting.notes[lines - 1].text, format!("note {}", lines - 1));
}

fn closes_cleanly_on(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut m) = start_call(dir.path());
    take_notes(&mut m);
    m.signal(signal);
    assert!(m.wait_exit().success(), "clean exit on SIG{signal}");
    assert_notes_and_draft(&file);
    let meeting = minutes::store::load(&file).unwrap();
    assert!(meeting.ended_at.is_some(), "the end was stamped");
    assert!(
        !minutes::store::journal_path(&file).exists(),
        "journal folded in and removed"
    );
    m.assert_terminal_restored();
}

#[test]
fn sigterm_saves_and_exits_cleanly() {
    closes_cleanly_on("TERM");
}

#[test]
fn sighup_saves_and_exits_cleanly() {
    closes_cleanly_on("HUP");
}

#[test]
fn a_second_minutes_on_the_same_meeting_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut first) = start_call(dir.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_minutes"))
        .args(["open", file.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let pid = first.child.process_id().unwrap();
    assert!(!out.status.success());
    assert!(
        stderr.contains(&format!("already open in another minutes (process {pid})")),
        "{stderr}"
    );
    first.send(b"\x11");
    assert!(first.wait_exit().success());
}

/// Closing the terminal window for real: tmux kills the pane's terminal,
/// minutes gets SIGHUP and end-of-file on its input, and must still save
/// and go (its lock released), not spin. Skipped where tmux is missing.
#[test]
fn closing_the_terminal_window_saves_and_exits() {
    closing_the_terminal_saves_and_exits("", "");
}

/// The same when no SIGHUP comes: it goes to the session's leader, here a
/// shell that ignores it and waits (as `strace` or a wrapper script would).
/// minutes must notice the terminal is gone by itself.
#[test]
fn a_terminal_gone_without_sighup_is_noticed() {
    closing_the_terminal_saves_and_exits("trap '' HUP; ", "; true");
}

fn closing_the_terminal_saves_and_exits(shell_before: &str, shell_after: &str) {
    let dir = tempfile::tempdir().unwrap();
    let (file, args) = meeting_with_roster(dir.path());
    let Some(call) = Tmux::start(dir.path(), shell_before, &args, shell_after) else {
        return;
    };
    call.wait_for("Pty call");
    call.keys(&["M-1"]);
    call.wait_for("Chris · since");
    call.type_text("committed before closing");
    call.keys(&["Enter"]);
    call.wait_for("Chris committed before closing");
    call.type_text("typed but not committed");
    call.wait_for("typed but not committed");
    let closed = Instant::now();
    call.close_terminal();

    // Closing the window is a quit: the end stamped, the journal folded
    // into the meeting file, the lock file gone with the process.
    let lock = minutes::store::lock_path(&file);
    call.wait_until("the lock released", || !lock.exists());
    eprintln!("window closed to lock released: {:?}", closed.elapsed());
    assert!(
        !minutes::store::journal_path(&file).exists(),
        "the journal is folded into the meeting and removed"
    );
    let meeting = minutes::store::load(&file).unwrap();
    assert!(meeting.ended_at.is_some(), "the end is stamped");
    assert_eq!(meeting.notes.len(), 1);
    assert_eq!(meeting.notes[0].text, "committed before closing");
    let draft = minutes::store::load_draft(&file).expect("draft saved");
    assert_eq!(draft.text, "typed but not committed");
    open_once_released(&file);
}

/// A draft brought back from the last session is still there when the
/// terminal closes before a single key is typed.
#[test]
fn a_restored_draft_survives_the_terminal_closing_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("call.json");
    minutes::store::save(
        &file,
        &minutes::model::Meeting::new("Pty call", chrono_tz::Tz::UTC),
    )
    .unwrap();
    let draft = minutes::store::Draft {
        text: "half a thought".to_string(),
        speakers: Vec::new(),
        started_at: None,
    };
    minutes::store::save_draft(&file, &draft).unwrap();
    let args = ["open".to_string(), file.to_str().unwrap().to_string()];
    let Some(call) = Tmux::start(dir.path(), "", &args, "") else {
        return;
    };
    call.wait_for("half a thought");
    call.close_terminal();
    open_once_released(&file);
    let kept = minutes::store::load_draft(&file).expect("the draft is still on disk");
    assert_eq!(kept.text, "half a thought");
}

/// minutes in a tmux window, so that its terminal can be closed for real.
struct Tmux {
    socket: PathBuf,
}

impl Tmux {
    /// Runs `minutes ARGS` in an 80x24 window, through a shell with
    /// `before` and `after` around the command; `None` where tmux is missing.
    fn start(dir: &Path, before: &str, args: &[String], after: &str) -> Option<Tmux> {
        if std::process::Command::new("tmux")
            .arg("-V")
            .output()
            .is_err()
        {
            eprintln!("skipped: no tmux here");
            return None;
        }
        let call = Tmux {
            socket: dir.join("tmux.sock"),
        };
        // tmux runs the command through a shell: quote every argument.
        let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_minutes"))
            .chain(args.iter().map(String::as_str))
            .map(|a| format!("'{a}'"))
            .collect();
        let command = format!("{before}{}{after}", quoted.join(" "));
        let started = call.run(&[
            "new-session",
            "-d",
            "-x",
            "80",
            "-y",
            "24",
            "-s",
            "call",
            &command,
        ]);
        assert!(started.status.success());
        Some(call)
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap()
    }

    fn keys(&self, keys: &[&str]) {
        self.run(&[&["send-keys", "-t", "call"], keys].concat());
    }

    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "call", "-l", text]);
    }

    fn wait_for(&self, needle: &str) {
        let screen = || {
            String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "call"]).stdout)
                .into_owned()
        };
        let deadline = Instant::now() + PATIENCE;
        while !screen().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "{needle:?} never showed:\n{}",
                screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Polls until `done` holds, or fails after 10 s.
    fn wait_until(&self, what: &str, done: impl Fn() -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done() {
            assert!(Instant::now() < deadline, "never got {what}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Kills the terminal minutes runs in, as closing its window does.
    fn close_terminal(&self) {
        self.run(&["kill-server"]);
    }
}

/// The meeting, opened as soon as the minutes that had it lets it go.
fn open_once_released(file: &Path) -> minutes::model::Meeting {
    let deadline = Instant::now() + PATIENCE;
    loop {
        match minutes::store::Store::open(file) {
            Ok((_store, meeting, _)) => return meeting,
            Err(e) => {
                assert!(
                    Instant::now() < deadline,
                    "minutes still holds the meeting after its terminal closed: {e}"
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// `minutes FILE`, as `vim FILE`: a new meeting in FILE, then the same
/// command opens it again.
#[test]
fn minutes_file_starts_or_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("board.json");
    let mut m = Running::start(&[file.to_str().unwrap()], dir.path());
    m.wait_for("not started");
    m.send(b"first note\r");
    m.wait_for("first note");
    m.send(b"\x11");
    assert!(m.wait_exit().success());
    assert_eq!(minutes::store::load(&file).unwrap().notes.len(), 1);
    let mut again = Running::start(&[file.to_str().unwrap()], dir.path());
    again.wait_for("first note");
    again.send(b"\x11");
    assert!(again.wait_exit().success());
}

/// A line typed while `minutes` starts, before the screen is up, reaches
/// it with the terminal's line ending turned into a line feed: it is
/// committed like one typed after (Ctrl+J is readline's Enter), not
/// wiped as the editor's own Ctrl+J would.
#[test]
fn a_line_typed_before_the_screen_is_up_is_committed() {
    let dir = tempfile::tempdir().unwrap();
    let (file, args) = meeting_with_roster(dir.path());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut m = Running::start(&args, dir.path());
    // Sent at once: the terminal may still be in its line mode.
    m.send(b"typed ahead\n");
    // The terminal's own echo may show the words before minutes does:
    // the screen is up, the words on it, and the editor empty again.
    m.wait_until("the note committed on the screen", |m| {
        let screen = m.text();
        ["Pty call", "typed ahead", "Type a note"]
            .iter()
            .all(|shown| screen.contains(shown))
    });
    m.send(b"\x11");
    assert!(m.wait_exit().success());
    let meeting = minutes::store::load(&file).unwrap();
    let texts: Vec<&str> = meeting.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, ["typed ahead"]);
}

// --- participants' page (src/page/) ---

/// `open --page ADDR`: the link is printed before the screen opens, the
/// page follows the notes typed, the header counts it, quitting ends it.
#[test]
fn open_with_a_page_serves_the_notes_to_participants() {
    let dir = tempfile::tempdir().unwrap();
    let (file, mut m) = start_call(dir.path());
    m.send(b"\x11"); // Ctrl+Q
    assert!(m.wait_exit().success());
    let file = file.to_str().unwrap();
    let mut m = Running::start(&["open", file, "--page", "127.0.0.1:0"], dir.path());
    m.wait_for("Pty call");
    let raw = String::from_utf8_lossy(&m.raw.lock().unwrap()).into_owned();
    let link = raw
        .split("Participants' page: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the link printed before the screen opened")
        .to_string();
    assert!(link.starts_with("http://127.0.0.1:") && link.ends_with('/'));
    // The secret `minutes links` prints for participants opens it.
    let secrets =
        minutes::share::links::Secrets::load_or_create(std::path::Path::new(file)).unwrap();
    assert!(
        link.ends_with(&format!("/p/{}/", secrets.participants)),
        "{link}"
    );
    let events = ureq::get(&format!("{link}events")).call().unwrap();
    m.wait_for("1 page");
    m.send(b"Hello participants\r");
    let mut lines =
        std::io::BufRead::lines(std::io::BufReader::new(events.into_body().into_reader()));
    assert!(lines.any(|l| l.unwrap().contains("Hello participants")));
    m.send(b"\x11");
    assert!(m.wait_exit().success());
    assert!(
        ureq::get(&link).call().is_err(),
        "the page ends with minutes"
    );
}
