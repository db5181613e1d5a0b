//! Test harness: drives a real `Session` (app, keymap, saving) with key
//! events and a fake clock, and renders it into a `TestBackend`.

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use minutes::app::App;
use minutes::event_loop::Session;
use minutes::model::Meeting;
use minutes::store;
use minutes::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;

pub struct Harness {
    pub session: Session,
    pub now: DateTime<Utc>,
    /// How far the clock moves on every key.
    pub step: Duration,
    pub quit: bool,
    _dir: tempfile::TempDir,
}

pub fn start_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-09-26T14:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// The example report's meeting, before the call: agenda and roster.
pub fn wg_strategy() -> Meeting {
    let agenda = minutes::import::parse_agenda(
        "# MAG Working Group on IGF Strengthening and Strategy\n1. Pact of the Future/GDC (20 min)\n2. WSIS+20 review draft letter\n3. IGF strategic vision\n4. IGF IWW main session\n5. Update from the IGF Secretariat\n6. AoB\n",
    );
    let agenda = agenda.unwrap();
    let mut meeting = Meeting::new(agenda.title.unwrap(), chrono_tz::Tz::UTC);
    for (title, minutes) in agenda.items {
        meeting.add_agenda_item(title, minutes);
    }
    for name in [
        "Chris Buckridge",
        "Justin Fair",
        "Anriette Esterhuysen (APC)",
        "Giacomo Mazzone",
        "Timea Suto (ICC)",
        "Titti Cassa",
        "Adam Peake",
        "Isra Arab",
    ] {
        meeting.add_participant(name);
    }
    meeting
}

impl Harness {
    pub fn new(meeting: Meeting) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("meeting.json");
        let store = store::Store::create(&path, &meeting).unwrap();
        let now = start_time();
        let session = Session::new(store, App::new(meeting, now), Theme::builtin());
        Harness {
            session,
            now,
            step: Duration::seconds(1),
            quit: false,
            _dir: dir,
        }
    }

    pub fn path(&self) -> PathBuf {
        self.session.path.clone()
    }

    pub fn app(&self) -> &App {
        &self.session.app
    }

    /// The draft file as it is once every pending draft write is done.
    pub fn draft_on_disk(&mut self) -> Option<minutes::store::Draft> {
        self.session.finish().unwrap();
        store::load_draft(&self.session.path)
    }

    /// The meeting as saved on disk (snapshot and journal).
    pub fn saved(&self) -> Meeting {
        store::load(&self.session.path).unwrap()
    }

    /// Types a key script: plain text is typed as is; `<enter>`, `<tab>`,
    /// `<esc>`, `<up>`, `<down>`, `<del>`, `<bs>`, `<f1>`, `<c-x>` (Ctrl),
    /// `<a-x>` (Alt), `<a-enter>`, `<s-enter>`, `<c-up>` name keys.
    pub fn keys(&mut self, script: &str) -> &mut Self {
        for key in parse_keys(script) {
            self.now += self.step;
            self.quit |= self.session.step(vec![Event::Key(key)], self.now);
        }
        self
    }

    /// Types a key script as one batch of events, as a fast typist, SSH,
    /// mosh or a paste without bracketed paste delivers keys: one step,
    /// one frame, the clock moved once.
    pub fn burst(&mut self, script: &str) -> &mut Self {
        self.keys_in_bursts(script, &[usize::MAX])
    }

    /// Types a key script in batches of these sizes, taken in turn.
    /// The script one key at a time, or as one burst (a paste, a fast
    /// typist): tests run both.
    pub fn play(&mut self, script: &str, burst: bool) -> &mut Self {
        if burst {
            self.burst(script)
        } else {
            self.keys(script)
        }
    }

    pub fn keys_in_bursts(&mut self, script: &str, sizes: &[usize]) -> &mut Self {
        let keys = parse_keys(script);
        let mut rest = keys.as_slice();
        for &size in sizes.iter().cycle() {
            if rest.is_empty() || self.quit {
                break;
            }
            let (batch, after) = rest.split_at(size.clamp(1, rest.len()));
            rest = after;
            self.now += self.step;
            let events = batch.iter().map(|k| Event::Key(*k)).collect();
            self.quit |= self.session.step(events, self.now);
        }
        self
    }

    pub fn paste(&mut self, text: &str) -> &mut Self {
        self.now += self.step;
        self.quit |= self
            .session
            .step(vec![Event::Paste(text.to_string())], self.now);
        self
    }

    pub fn wait(&mut self, seconds: i64) -> &mut Self {
        self.now += Duration::seconds(seconds);
        self.quit |= self.session.step(vec![], self.now);
        self
    }

    /// The screen as text, one string per row, trailing spaces kept.
    pub fn screen(&self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| self.session.draw(frame)).unwrap();
        let buffer = terminal.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..height {
            let mut row = String::new();
            let mut skip = 0;
            for x in 0..width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let symbol = buffer[(x, y)].symbol();
                skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
                row.push_str(symbol);
            }
            out.push_str(row.trim_end());
            out.push('\n');
        }
        out
    }
}

pub fn parse_keys(script: &str) -> Vec<KeyEvent> {
    let mut keys = Vec::new();
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && end > 1
        {
            // `<bs*40>` repeats a key.
            let (name, times) = match rest[1..end].split_once('*') {
                Some((name, n)) => (name, n.parse().unwrap()),
                None => (&rest[1..end], 1),
            };
            for _ in 0..times {
                keys.push(named_key(name));
            }
            rest = &rest[end + 1..];
            continue;
        }
        keys.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        rest = &rest[c.len_utf8()..];
    }
    keys
}

fn named_key(name: &str) -> KeyEvent {
    let (modifiers, base) = match name.split_once('-') {
        Some(("c", base)) => (KeyModifiers::CONTROL, base),
        Some(("a", base)) => (KeyModifiers::ALT, base),
        Some(("s", base)) => (KeyModifiers::SHIFT, base),
        _ => (KeyModifiers::NONE, name),
    };
    let code = match base {
        "enter" => KeyCode::Enter,
        "tab" => KeyCode::Tab,
        "esc" => KeyCode::Esc,
        "up" => KeyCode::Up,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "down" => KeyCode::Down,
        "del" => KeyCode::Delete,
        "bs" => KeyCode::Backspace,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
            KeyCode::F(f[1..].parse().unwrap())
        }
        "lt" => KeyCode::Char('<'),
        s if s.chars().count() == 1 => KeyCode::Char(s.chars().next().unwrap()),
        other => panic!("unknown key <{other}>"),
    };
    KeyEvent::new(code, modifiers)
}

impl Harness {
    /// The screen with its styles (ratatui's Buffer debug form), for theme snapshots.
    pub fn styled_screen(&self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal.draw(|frame| self.session.draw(frame)).unwrap();
        format!("{:?}", terminal.backend().buffer())
    }
}

impl Harness {
    /// Any terminal event (mouse, resize…), at the next tick of the clock.
    pub fn event(&mut self, event: Event) -> &mut Self {
        self.now += self.step;
        self.quit |= self.session.step(vec![event], self.now);
        self
    }
}

/// A named pipe at `path`.
pub fn mkfifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(
        made.is_ok_and(|status| status.success()),
        "mkfifo {}",
        path.display()
    );
}

/// The texts of the meeting's notes, in order.
pub fn note_texts(h: &Harness) -> Vec<&str> {
    h.app()
        .meeting
        .notes
        .iter()
        .map(|n| n.text.as_str())
        .collect()
}

/// `minutes import`'s options for a log of 26 September 2024 in UTC.
pub fn import_options() -> minutes::chatlog::Options {
    let day = chrono::NaiveDate::from_ymd_opt(2024, 9, 26).unwrap();
    minutes::chatlog::Options {
        title: None,
        clock_zone: chrono_tz::Tz::UTC,
        time_zone: chrono_tz::Tz::UTC,
        date: Some(day),
        scribe: None,
        keep_chat: false,
        rrsagent_in_utc: false,
        report: Default::default(),
        today: day,
        fallback_title: "log".into(),
    }
}
