//! The listening thread, at the edge: audio in (a recording played at
//! its own pace with `--audio-from`, or the microphone and the
//! computer's output with the `capture` feature), cut at pauses,
//! recognised, and each segment sent back to the app as an action.

use super::pane::{HeardMs, TranscriptAction};
use super::vad::{Segmenter, Utterance};
use super::{Recogniser, RecogniserConfig, SAMPLE_RATE, TranscriptError};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Where the audio comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A recording played through the pipeline in real time, as if it
    /// were the call (`--audio-from`).
    File(PathBuf),
    /// The microphone (`me`) and the computer's output (`them`).
    #[cfg(feature = "capture")]
    Devices,
}

/// Where the thread's findings go (the edge wraps its channel and wakes
/// the event loop).
pub type Sink = Box<dyn Fn(TranscriptAction) + Send>;

/// A listening thread; stopped when this is stopped or dropped.
pub struct Listener {
    stop: Arc<AtomicBool>,
}

impl Listener {
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts listening to `source` on a thread of its own. The recogniser is
/// loaded there (a second or so); failing that, or at the end of a
/// recording, `Stopped` says why, in words: actions are cloned and
/// compared, which an I/O error cannot be, so the thread words it here.
pub fn listen(source: Source, config: RecogniserConfig, sink: Sink) -> Listener {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    std::thread::spawn(move || {
        let outcome = config
            .load()
            .and_then(|recogniser| run(&source, recogniser, &stopped, &sink))
            .map_err(|e| e.to_string());
        if !stopped.load(Ordering::SeqCst) {
            sink(TranscriptAction::Stopped(outcome));
        }
    });
    Listener { stop }
}

/// Runs until the source ends (what to say then) or `stop`; `Err` says
/// what failed.
fn run(
    source: &Source,
    mut recogniser: Box<dyn Recogniser>,
    stop: &AtomicBool,
    sink: &Sink,
) -> Result<String, TranscriptError> {
    match source {
        Source::File(path) => {
            let audio_error = |error| TranscriptError::Audio {
                path: path.clone(),
                error,
            };
            let mut audio = super::audio::WavSource::open(path).map_err(audio_error)?;
            let mut segmenter = Segmenter::default();
            let began = Instant::now();
            let mut fed = 0u64;
            while let Some(chunk) = audio.next_chunk().map_err(audio_error)? {
                // The recording's own pace: this chunk is "heard" once
                // the time it lasts has passed.
                fed += chunk.len() as u64;
                let due = began + Duration::from_secs_f64(fed as f64 / f64::from(SAMPLE_RATE));
                while let Some(wait) = due.checked_duration_since(Instant::now()) {
                    if stop.load(Ordering::SeqCst) {
                        return Ok(String::new());
                    }
                    std::thread::sleep(wait.min(Duration::from_millis(50)));
                }
                if stop.load(Ordering::SeqCst) {
                    return Ok(String::new());
                }
                for utterance in segmenter.push(&chunk) {
                    recognise(recogniser.as_mut(), utterance, "file", sink, stop)?;
                }
            }
            if let Some(utterance) = segmenter.finish() {
                recognise(recogniser.as_mut(), utterance, "file", sink, stop)?;
            }
            Ok(format!(
                "{}: the recording ended; listening stopped",
                path.display()
            ))
        }
        #[cfg(feature = "capture")]
        Source::Devices => super::capture::run(recogniser, stop, sink).map(|()| String::new()),
    }
}

/// Recognises one utterance and sends what was said (nothing for noise
/// the recogniser heard no words in, nor once listening was stopped).
pub(super) fn recognise(
    recogniser: &mut dyn Recogniser,
    utterance: Utterance,
    channel: &str,
    sink: &Sink,
    stop: &AtomicBool,
) -> Result<(), TranscriptError> {
    let text = recogniser.recognise(&utterance.samples)?;
    let text = text.trim();
    if !text.is_empty() && !stop.load(Ordering::SeqCst) {
        sink(TranscriptAction::Heard(HeardMs {
            start_ms: (utterance.start_seconds() * 1000.0) as u64,
            end_ms: (utterance.end_seconds() * 1000.0) as u64,
            text: text.to_string(),
            channel: channel.to_string(),
        }));
    }
    Ok(())
}
