//! The edge of the program: terminal events in, effects (disk writes) out,
//! one frame drawn per batch of events.

use crate::app::{Action, App, Change, Effect, Outcome};
use crate::app::{AgendaAction, NotesAction, UnsavedAction};
use crate::export;
use crate::keymap::Keymap;
use crate::model::Meeting;
use crate::store::{self, DraftWriter, Record, Store};
use crate::terminal::{Input, TerminalScreen};
use crate::theme::Theme;
use crate::ui::{self, View};
use chrono::{DateTime, Utc};
use crossterm::event::{Event, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// The draft is written this long after the last keystroke...
const DRAFT_DELAY: Duration = Duration::from_millis(400);
/// ...and never later than this after the first keystroke it has not
/// saved yet, however long typing goes on: a crash loses at most this
/// much typing (plus the write itself, a few milliseconds).
const DRAFT_MAX_DELAY: Duration = Duration::from_millis(800);

/// When the draft is due: a short pause after the last keystroke (`now`),
/// but no later than [`DRAFT_MAX_DELAY`] after the first unsaved one.
fn draft_deadline(first_unsaved: Instant, now: Instant) -> Instant {
    (now + DRAFT_DELAY).min(first_unsaved + DRAFT_MAX_DELAY)
}

pub struct Session {
    pub path: PathBuf,
    pub app: App,
    pub keymap: Keymap,
    pub theme: Theme,
    store: Store,
    drafts: DraftWriter,
    /// The last write failed: the next save writes the whole meeting.
    failing: bool,
    draft_due: Option<Instant>,
    draft_dirty_since: Option<Instant>,
    /// Set by SIGTERM / SIGHUP / SIGINT.
    stop: Arc<AtomicBool>,
    /// The note being typed, for the signal watcher's last-resort save;
    /// always what [`App::draft`] gives.
    draft_mirror: Arc<std::sync::Mutex<store::Draft>>,
    /// The screen's size at the last frame, to tell what a click is on.
    screen: std::cell::Cell<Rect>,
    cache: ui::RenderCache,
    /// Ctrl+L: the next frame is drawn and sent whole.
    redraw: bool,
    /// A meeting made by this very session in the data folder (no file
    /// named): if it is left exactly as it was made, it is not kept.
    untouched: Option<Meeting>,
    /// The other scribe's session, when two share the meeting.
    share: Option<crate::share::Share>,
    /// The config's `[export]` defaults, for Ctrl+E as for `minutes export`.
    pub export_defaults: export::Defaults,
    /// A report being written on its own thread (Ctrl+E).
    exporting: Option<Receiver<Result<String, String>>>,
    /// Wakes the loop when work done elsewhere is ready.
    waker: Option<std::sync::mpsc::Sender<Input>>,
    /// The transcript: the listening thread and FILE.transcript.jsonl.
    pub transcript: crate::transcript::edge::Edge,
    // --- participants' page (src/page/) ---
    /// The participants' live page, when the meeting has one.
    page: Option<crate::page::PageServer>,
    /// The view generation the page's status was last made at.
    page_generation: Option<u64>,
}

impl Session {
    pub fn new(store: Store, app: App, theme: Theme) -> Self {
        Session::with_keymap(store, app, theme, Keymap::default())
    }

    /// With the keymap the config made (built once: it is on the way to
    /// the first frame).
    pub fn with_keymap(store: Store, mut app: App, theme: Theme, keymap: Keymap) -> Self {
        let path = store.path().to_path_buf();
        let path_for_transcript = path.clone();
        app.file = path.display().to_string();
        // From the start, not from the first keystroke: a draft restored
        // from the last session must not be written over with nothing.
        let draft_mirror = Arc::new(std::sync::Mutex::new(app.draft()));
        Session {
            drafts: DraftWriter::spawn(path.clone()),
            path,
            app,
            keymap,
            theme,
            store,
            failing: false,
            draft_due: None,
            draft_dirty_since: None,
            stop: Arc::new(AtomicBool::new(false)),
            draft_mirror,
            screen: std::cell::Cell::new(Rect::default()),
            cache: ui::RenderCache::default(),
            redraw: false,
            untouched: None,
            share: None,
            export_defaults: export::Defaults::default(),
            exporting: None,
            waker: None,
            transcript: crate::transcript::edge::Edge::new(&path_for_transcript),
            page: None,
            page_generation: None,
        }
    }

    /// Shares the meeting with the other scribes from now on
    /// (src/share/, docs/design/multi-scribe.md): what the meeting has
    /// that the shared document lacks is sent, and new notes take ids
    /// from this scribe's own block.
    pub fn share_with(&mut self, mut share: crate::share::Share) {
        share.reconcile(&self.app.meeting);
        self.app.use_note_ids(share.note_ids());
        self.share = Some(share);
        self.shared_state();
    }

    /// Sharing: the header's word on the connections, when it changed.
    fn shared_state(&mut self) {
        if let Some(state) = self.share.as_mut().and_then(|s| s.state_change()) {
            self.tell(Outcome::Sharing(state));
        }
    }

    // --- participants' page (src/page/) ---

    /// Serves the participants' page from now on: it starts with what
    /// participants may see now, then follows every change.
    pub fn serve_page(&mut self, mut page: crate::page::PageServer) {
        let app = &self.app;
        page.load(&app.meeting, app.current_item, &app.speakers);
        self.page_generation = Some(app.view_generation);
        self.page = Some(page);
    }

    /// What the pages asked since the last step, as actions.
    fn receive_page(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(page) = self.page.as_mut() else {
            return Vec::new();
        };
        let mut effects = Vec::new();
        for action in page.take() {
            effects.extend(self.app.update(Action::Page(action), now));
        }
        effects
    }

    /// What was just saved, and the status when anything but typing may
    /// have changed it (never on an idle tick).
    fn tell_page(&mut self, records: &[Record]) {
        let Some(page) = self.page.as_mut() else {
            return;
        };
        let app = &self.app;
        page.publish(&app.meeting, records);
        if self.page_generation != Some(app.view_generation) || !records.is_empty() {
            self.page_generation = Some(app.view_generation);
            page.set_status(crate::page::view::status(
                &app.meeting,
                app.current_item,
                &app.speakers,
            ));
        }
    }

    /// The participants' page, when there is one (tests).
    pub fn page(&self) -> Option<&crate::page::PageServer> {
        self.page.as_ref()
    }

    // --- end of the participants' page ---

    /// Wakes the loop through its input channel when work done on other
    /// threads (a report) is ready.
    pub fn wake_with(&mut self, inputs: std::sync::mpsc::Sender<Input>) {
        self.waker = Some(inputs);
    }

    /// The app, as the event loop has it (tests).
    pub fn app(&self) -> &App {
        &self.app
    }

    /// Sharing: the other scribes' changes since the last step, each
    /// committed here like a typed one; who joined, left or was dropped.
    fn receive_shared(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(share) = self.share.as_mut() else {
            return Vec::new();
        };
        let incoming = share.receive();
        let mut effects = Vec::new();
        if incoming.meeting_changed {
            let shared = share.shared_meeting(&self.app.meeting);
            effects.extend(self.app.update(
                Action::RemoteMeeting(Box::new(crate::app::SharedMeeting(shared))),
                now,
            ));
        }
        for id in incoming.deleted {
            effects.extend(self.app.update(Action::RemoteDeleted(id), now));
        }
        for note in incoming.notes {
            let known = self.app.meeting.notes.iter().any(|n| n.id == note.id);
            let local = known.then_some(note.id);
            effects.extend(self.app.update(Action::Remote(Box::new(note), local), now));
        }
        for news in incoming.news {
            self.tell(Outcome::ShareNews(news));
        }
        for trouble in incoming.trouble {
            self.notice(trouble);
        }
        self.shared_state();
        effects
    }

    /// The flag that signal handlers raise to ask for a clean exit.
    fn stop_flag(&self) -> Arc<AtomicBool> {
        self.stop.clone()
    }

    /// The latest draft, kept up to date for a watcher on another thread.
    fn draft_mirror(&self) -> Arc<std::sync::Mutex<store::Draft>> {
        self.draft_mirror.clone()
    }

    /// Quitting a meeting this session made, with nothing noted or changed,
    /// removes it: `minutes` started and quit at once leaves no empty
    /// meeting for `list` to show and `open` to resume.
    pub fn discard_if_untouched(&mut self) {
        self.untouched = Some(self.app.meeting.clone());
    }

    /// Removes the meeting this session made (see
    /// [`Session::discard_if_untouched`]), after [`Session::finish`].
    /// Writes the new meeting whose name was reserved (before any key is
    /// read, so before any note can be committed).
    pub fn write_new(&mut self) -> Result<(), store::FileError> {
        self.store.write_new(&self.app.meeting)
    }

    /// Gives back a new meeting's name that could not be written.
    pub fn abandon_new(self) -> io::Result<()> {
        let Session { store, drafts, .. } = self;
        drop(drafts);
        store.abandon_new()
    }

    pub fn discard(self) -> io::Result<()> {
        let Session { store, drafts, .. } = self;
        drop(drafts);
        store.discard()
    }

    /// Whether the meeting is still as this session made it.
    pub fn is_untouched(&self) -> bool {
        self.untouched.as_ref().is_some_and(|made| {
            let mut now = self.app.meeting.clone();
            // Quitting stamps nothing on a meeting that never started.
            now.ended_at = made.ended_at;
            now == *made && self.app.draft().text.trim().is_empty()
        })
    }

    /// For tests: the store's disk-fault seam.
    pub fn fail_writes_when(&mut self, switch: Arc<AtomicBool>) {
        self.store.fail_writes_when(switch);
    }

    /// Runs until the user quits, a signal asks to stop or the terminal
    /// is gone. Whatever happens, the caller should then call
    /// [`Session::finish`].
    pub fn run(&mut self, screen: &mut TerminalScreen, inputs: &Receiver<Input>) -> io::Result<()> {
        loop {
            if std::mem::take(&mut self.redraw) {
                screen.redraw_all();
            }
            if let Err(e) = screen.draw(|buf, retained| self.render(buf, retained)) {
                // The terminal went away before its hang-up was read: a
                // quit all the same (end stamped), as below.
                self.step_action(Action::Unsaved(UnsavedAction::QuitAnyway), Utc::now());
                return Err(e);
            }
            let (events, failed) = match self.next_events(inputs) {
                Ok(events) => (events, None),
                Err(e) => (Vec::new(), Some(e)),
            };
            let stopping = failed.is_some() || self.stop.load(Ordering::SeqCst);
            if !stopping || !events.is_empty() {
                // On resizes, and once a second in case one went unreported.
                if events.is_empty() || events.iter().any(|e| matches!(e, Event::Resize(..))) {
                    screen.recheck_size();
                }
                if self.step(events, Utc::now()) {
                    return Ok(());
                }
            }
            if stopping {
                // A signal or the terminal gone: quit as Ctrl+Q does (end
                // stamped, draft and meeting written) once what was typed
                // before it is applied.
                self.step_action(Action::Unsaved(UnsavedAction::QuitAnyway), Utc::now());
                return failed.map_or(Ok(()), Err);
            }
        }
    }

    /// Draws the app into a fresh frame (tests, benchmarks).
    pub fn draw(&self, frame: &mut ratatui::Frame) {
        self.render(frame.buffer_mut(), false);
    }

    /// Draws the app into `buf` (see [`ui::render`]).
    pub fn render(&self, buf: &mut Buffer, retained: bool) -> Vec<Rect> {
        self.screen.set(buf.area);
        let view = View {
            theme: &self.theme,
            keymap: &self.keymap,
            cache: &self.cache,
        };
        ui::render(buf, &self.app, &view, retained)
    }

    /// Waits for events, or the next clock tick (no events), and returns
    /// every event already waiting: a burst of keys or a paste costs one
    /// frame. A hang-up or a signal sets the stop flag.
    fn next_events(&mut self, inputs: &Receiver<Input>) -> io::Result<Vec<Event>> {
        let first = match inputs.recv_timeout(self.timeout()) {
            Ok(input) => input,
            Err(RecvTimeoutError::Timeout) => return Ok(Vec::new()),
            Err(RecvTimeoutError::Disconnected) => Input::HungUp,
        };
        let mut events = Vec::new();
        for input in std::iter::once(first).chain(inputs.try_iter()) {
            match input {
                Input::Event(event) => events.push(event),
                Input::HungUp | Input::Stop => self.stop.store(true, Ordering::SeqCst),
                Input::Failed(error) => return Err(error),
                Input::Wake => {}
            }
        }
        Ok(events)
    }

    /// Applies a batch of events at `now` (an empty batch is a clock tick)
    /// and writes what must be written. True when the app should exit.
    pub fn step(&mut self, events: Vec<Event>, now: DateTime<Utc>) -> bool {
        self.export_outcome();
        // The other scribes' changes are saved and settled on their own
        // first: a change made here to the same note in this step is then
        // sent (the share sends nothing it was just given).
        // (Settled even when what was heard changed nothing here: a
        // deletion of the note being edited, whose saving is then sent.)
        let shared = self.receive_shared(now);
        if !shared.is_empty() && self.apply(shared) {
            return true;
        }
        if let Some(share) = self.share.as_mut() {
            share.settle();
        }
        let mut effects = Vec::new();
        // What the listening thread heard (the transcript).
        for heard in self.transcript.received() {
            effects.extend(self.app.update(Action::Transcript(heard), now));
        }
        effects.extend(self.receive_page(now));
        if events.is_empty() {
            effects.extend(self.app.update(Action::Tick, now));
        }
        // Events of one batch happened in order: each gets its own instant,
        // a nanosecond after the one before, so that what they record
        // (visits of items stepped through in a burst) keeps that order.
        for (nth, event) in (0..).zip(events) {
            if let Some(action) = self.action_for(event) {
                let at = now + chrono::Duration::nanoseconds(nth);
                effects.extend(self.app.update(action, at));
            }
        }
        self.apply(effects)
    }

    /// Applies one action at `now` and writes what must be written (an
    /// action no event made: `--transcribe` listening from the start).
    pub fn step_action(&mut self, action: Action, now: DateTime<Utc>) -> bool {
        let effects = self.app.update(action, now);
        self.apply(effects)
    }

    fn action_for(&self, event: Event) -> Option<Action> {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                self.keymap.resolve(self.app.mode, key)
            }
            Event::Paste(text) => Some(Action::Paste(text)),
            Event::Mouse(mouse) => self.mouse_action(mouse),
            _ => None,
        }
    }

    /// Mouse (optional, see docs/config.md): a click on an agenda item goes
    /// there; the wheel over the notes walks through them.
    fn mouse_action(&self, mouse: MouseEvent) -> Option<Action> {
        let screen = self.screen.get();
        let (x, y) = (mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left)
                if self.app.mode == crate::app::InputMode::Typing =>
            {
                ui::agenda_item_at(screen, &self.app, x, y)
                    .map(|x| Action::Agenda(AgendaAction::Switch(x)))
            }
            MouseEventKind::ScrollUp if ui::on_notes(screen, &self.app, x, y) => {
                Some(Action::Notes(NotesAction::Scroll { older: true }))
            }
            MouseEventKind::ScrollDown if ui::on_notes(screen, &self.app, x, y) => {
                Some(Action::Notes(NotesAction::Scroll { older: false }))
            }
            _ => None,
        }
    }

    /// Sleep until the next whole second (the clock), or the draft deadline.
    fn timeout(&self) -> Duration {
        let millis = u64::from(Utc::now().timestamp_subsec_millis());
        let to_tick = Duration::from_millis(1000 - millis.min(999));
        match self.draft_due {
            Some(due) => to_tick.min(due.saturating_duration_since(Instant::now())),
            None => to_tick,
        }
    }

    /// Carries out the effects; true when the app should exit.
    fn apply(&mut self, effects: Vec<Effect>) -> bool {
        let mut quit = false;
        let mut export = false;
        let mut retry = self.failing;
        let mut records = Vec::new();
        let mut dated_anew = Vec::new();
        for effect in effects {
            match effect {
                Effect::Share(note) => dated_anew.push(note),
                Effect::Persist(change) => records.push(record_for(change)),
                Effect::RetrySave => retry = true,
                Effect::WriteTo(target) => self.write_elsewhere(&target),
                Effect::DraftChanged => self.draft_changed(),
                Effect::Export => export = true,
                Effect::RecordApproval {
                    file,
                    approval,
                    approver,
                } => {
                    let path = std::path::Path::new(&file);
                    let result = crate::finalize::record_approval(path, &approval, &approver)
                        .map_err(|e| e.to_string());
                    let outcome = Outcome::ApprovalRecorded { file, result };
                    records.extend(self.tell(outcome));
                }
                Effect::Redraw => self.redraw = true,
                // The transcript (src/transcript/edge.rs).
                Effect::Transcript(effect) => self.transcript_effect(effect),
                Effect::Quit => quit = true,
            }
        }
        if retry {
            // The journal may hold half a line from the failed write: a full
            // snapshot replaces both.
            self.compact();
        } else if !records.is_empty() {
            match self.store.append(&records) {
                Ok(()) => {
                    self.tell(Outcome::Saved);
                }
                Err(e) => self.save_failed(e),
            }
            if let Some(replaced) = self.store.check_files() {
                // Appends to a journal no longer at its path would be lost:
                // the whole meeting is written back at once.
                let kept = self.compact();
                let kept = match kept.as_slice() {
                    [] => String::new(),
                    paths => {
                        let names: Vec<String> =
                            paths.iter().map(|p| p.display().to_string()).collect();
                        format!("; the other version is kept as {}", names.join(" and "))
                    }
                };
                self.notice(format!(
                    "{} was replaced or removed by another program: minutes wrote the meeting back{kept}",
                    replaced.display()
                ));
            } else if self.store.wants_compaction() {
                self.compact();
            }
        }
        // The other scribes are told once this scribe's journal has it;
        // the shared document is saved after the journal, never before.
        if let Some(share) = self.share.as_mut() {
            for record in &records {
                match record {
                    Record::Note { note, .. } => share.publish(note),
                    Record::Delete { id } => share.retract(*id),
                    Record::Meta { meeting } => share.publish_meta(meeting),
                }
            }
            for note in &dated_anew {
                share.publish_dated_anew(note);
            }
            share.settle();
        }
        self.tell_page(&records);
        if quit || self.draft_due.is_some_and(|due| due <= Instant::now()) {
            self.save_draft();
        }
        if let Some(error) = self.drafts.last_error() {
            self.tell(Outcome::SaveFailed(format!("draft {error}")));
        }
        if export {
            self.export();
        }
        quit
    }

    /// Writes the whole meeting; returns where files another program put
    /// in place of ours were set aside.
    fn compact(&mut self) -> Vec<PathBuf> {
        match self.store.compact(&self.app.meeting) {
            Ok(set_aside) => {
                self.failing = false;
                self.tell(Outcome::Saved);
                set_aside
            }
            Err(e) => {
                self.save_failed(e);
                Vec::new()
            }
        }
    }

    /// The transcript's effects: a segment kept on disk before the next
    /// frame, listening started or stopped.
    fn transcript_effect(&mut self, effect: crate::transcript::TranscriptEffect) {
        if let Err(e) = self.transcript.perform(effect, self.waker.as_ref()) {
            self.tell(Outcome::SaveFailed(e));
        }
    }

    /// Tells the app what came of an effect (an action like any other);
    /// what that changes in the meeting comes back as journal records.
    fn tell(&mut self, outcome: Outcome) -> Vec<Record> {
        let now = self.app.now;
        self.app
            .update(Action::Outcome(outcome), now)
            .into_iter()
            .filter_map(|effect| match effect {
                Effect::Persist(change) => Some(record_for(change)),
                _ => None,
            })
            .collect()
    }

    /// Something for the status line that no action asked for.
    fn notice(&mut self, message: String) {
        self.tell(Outcome::Notice(message));
    }

    fn save_failed(&mut self, e: io::Error) {
        self.failing = true;
        let error = format!("{}: {e}", self.path.display());
        self.tell(Outcome::SaveFailed(error));
    }

    /// A copy of the whole meeting, when its own file cannot be written:
    /// synced like the meeting file, never over it or its side files.
    fn write_elsewhere(&mut self, target: &str) {
        let target = PathBuf::from(target);
        let meeting = &self.app.meeting;
        let written = store::output::write_output(
            &target,
            Some(&self.path),
            store::output::Durability::Synced,
            store::output::Clobber::NoMeetings,
            |out| store::write_meeting(out, meeting),
        );
        let outcome = written
            .map(|()| target.display().to_string())
            .map_err(|e| e.to_string());
        self.tell(Outcome::WrittenElsewhere(outcome));
    }

    fn draft_changed(&mut self) {
        let draft = self.app.draft();
        let emptied = draft.text.trim().is_empty();
        if let Ok(mut mirror) = self.draft_mirror.lock() {
            *mirror = draft;
        }
        let now = Instant::now();
        let since = *self.draft_dirty_since.get_or_insert(now);
        self.draft_due = Some(draft_deadline(since, now));
        // A committed note must not come back as a draft after a crash:
        // an emptied draft is written at once.
        if emptied {
            self.save_draft();
        }
    }

    fn save_draft(&mut self) {
        self.draft_due = None;
        self.draft_dirty_since = None;
        self.drafts.send(self.app.draft());
    }

    /// Ctrl+E: the report as `minutes export FILE` writes it (one entry
    /// point, the same config), rendered on a thread of its own: a long
    /// meeting or a slow template never holds up typing. The outcome
    /// comes back as an action at the next step.
    fn export(&mut self) {
        if self.exporting.is_some() {
            self.tell(Outcome::Notice("A report is being written already".into()));
            return;
        }
        let request = export::Request::default();
        let job = match export::plan(
            &self.app.meeting,
            &self.path,
            &request,
            &self.export_defaults,
        ) {
            Ok(job) => job,
            Err(e) => {
                self.tell(Outcome::Exported(Err(e.to_string())));
                return;
            }
        };
        let meeting = self.app.meeting.clone();
        let path = self.path.clone();
        let (done, outcome) = std::sync::mpsc::channel();
        let wake = self.waker.clone();
        std::thread::spawn(move || {
            let written = job
                .write(&meeting, &path, store::output::Clobber::NoMeetings, false)
                .map(|()| job.out.display().to_string())
                .map_err(|e| e.to_string());
            let _ = done.send(written);
            if let Some(wake) = wake {
                let _ = wake.send(Input::Wake);
            }
        });
        self.exporting = Some(outcome);
    }

    /// A report written on its thread, told to the app.
    fn export_outcome(&mut self) {
        let Some(outcome) = &self.exporting else {
            return;
        };
        let result = match outcome.try_recv() {
            Ok(result) => result,
            Err(std::sync::mpsc::TryRecvError::Empty) => return,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Err("the report's writer stopped before it finished".into())
            }
        };
        self.exporting = None;
        self.tell(Outcome::Exported(result));
    }

    /// Waits for a report being written (quitting, and tests).
    pub fn wait_for_export(&mut self) {
        if let Some(outcome) = self.exporting.take() {
            let result = outcome
                .recv()
                .unwrap_or_else(|_| Err("the report's writer stopped before it finished".into()));
            self.tell(Outcome::Exported(result));
        }
    }

    /// After the loop ends for any reason: the draft written, and the journal
    /// folded into the meeting file so that other tools see one file.
    pub fn finish(&mut self) -> Result<(), store::FileError> {
        // Sharing: the other scribes see "X left", not a broken connection.
        if let Some(share) = self.share.as_mut() {
            share.close();
        }
        // A report asked for before quitting is finished, not cut short.
        self.wait_for_export();
        self.drafts.send(self.app.draft());
        self.drafts.finish();
        self.store.remove_stale_temporaries();
        let failed = |e| store::FileError {
            path: self.path.clone(),
            problem: store::Problem::Write(e),
        };
        self.store.compact(&self.app.meeting).map_err(failed)?;
        self.store.remove_empty_journal().map_err(failed)
    }
}

/// How long a signalled session may take to quit by itself.
const QUIT_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// SIGTERM, SIGHUP and SIGINT ask the session to quit as Ctrl+Q does: the
/// event loop is woken through its input channel. (A closed terminal is
/// seen by the input's hang-up thread, SIGHUP or not.) Should the loop not
/// have quit after a grace period (stuck on a disk that does not answer,
/// say), this thread writes the latest draft and ends the process itself;
/// every committed note is already in the journal.
///
/// The signals are caught from the call on (a signal then is kept for the
/// thread); the thread itself starts with [`SignalWatch::start`], once the
/// first frame is on screen.
pub fn watch_signals(
    session: &Session,
    path: PathBuf,
    inputs: std::sync::mpsc::Sender<Input>,
) -> io::Result<SignalWatch> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    let quit = QuitSoon {
        inputs,
        stop: session.stop_flag(),
        draft: session.draft_mirror(),
        path,
    };
    Ok(SignalWatch { signals, quit })
}

/// Signals caught, waiting for their thread (see [`watch_signals`]).
pub struct SignalWatch {
    signals: signal_hook::iterator::Signals,
    quit: QuitSoon,
}

impl SignalWatch {
    pub fn start(self) {
        let SignalWatch { mut signals, quit } = self;
        std::thread::spawn(move || {
            if signals.forever().next().is_some() {
                quit.now();
            }
        });
    }
}

/// What a watcher thread needs to end the session from outside.
struct QuitSoon {
    /// Wakes the event loop at once.
    inputs: std::sync::mpsc::Sender<Input>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    draft: Arc<std::sync::Mutex<store::Draft>>,
    path: PathBuf,
}

impl QuitSoon {
    /// Asks the session to quit; if it has not after [`QUIT_GRACE`], writes
    /// the draft and ends the process.
    fn now(&self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = self.inputs.send(Input::Stop);
        std::thread::sleep(QUIT_GRACE);
        let latest = self.draft.lock().map(|d| d.clone()).unwrap_or_default();
        let _ = store::write_draft(&self.path, &latest);
        std::process::exit(0);
    }
}

/// The journal record of a change: the values the change carries, never
/// read again from the meeting (later actions of a batch may have moved on).
fn record_for(change: Change) -> Record {
    match change {
        Change::Note(note) => Record::Note {
            note: *note,
            index: None,
        },
        Change::Placed { note, index } => Record::Note {
            note: *note,
            index: Some(index),
        },
        Change::Deleted(id) => Record::Delete { id },
        Change::Meta(meeting) => Record::Meta { meeting },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Under continuous typing the draft on disk is never more than a
    /// second behind the keyboard.
    #[test]
    fn the_draft_is_never_more_than_a_second_behind() {
        let start = Instant::now();
        let mut first_unsaved = None;
        let mut due = None;
        let mut worst = Duration::ZERO;
        // A key every 50 ms for a minute.
        for key in 0..1200u32 {
            let now = start + Duration::from_millis(50) * key;
            if let Some(at) = due.filter(|&at| at <= now) {
                let since: Instant = first_unsaved.take().unwrap_or(at);
                worst = worst.max(at - since);
            }
            let since = *first_unsaved.get_or_insert(now);
            due = Some(draft_deadline(since, now));
        }
        assert!(worst <= Duration::from_secs(1), "{worst:?}");
        assert!(
            worst >= DRAFT_DELAY,
            "typing kept pushing it back: {worst:?}"
        );
    }
}
