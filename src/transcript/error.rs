//! What can go wrong in the transcript (finding and loading the
//! recogniser, reading a recording, the devices, keeping a segment), one
//! variant per failure, worded once (`Display`) for whoever shows it.

use std::fmt;
use std::path::PathBuf;

/// What to tell someone who asked for a transcript without a recogniser.
const HOW_TO_INSTALL: &str = "No speech recogniser found. Install Moonshine (MIT, about 60 MB, runs offline) with `pip install moonshine-cpp`, or name its files in config.toml's [transcript] library and model (docs/transcript.md)";

#[derive(Debug)]
pub enum TranscriptError {
    /// Neither the config nor Python says where the recogniser is.
    NotInstalled,
    /// The recogniser's library is not where it was looked for.
    LibraryMissing(PathBuf),
    /// The model's folder lacks one of its files.
    ModelFileMissing { model: PathBuf, file: &'static str },
    /// A path the C API cannot be given.
    NulInPath(PathBuf),
    /// A library (ONNX Runtime, libmoonshine) or one of its functions
    /// could not be loaded.
    Library {
        path: PathBuf,
        error: libloading::Error,
    },
    /// Moonshine refused the model (its load gave no handle).
    ModelNotLoaded(PathBuf),
    /// Moonshine failed on an utterance, with its status.
    Recognising(i32),
    /// The recording could not be opened or read (as `audio.rs` says).
    Audio {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Listening asked for, with no audio to listen to.
    NoCapture,
    /// No default input device.
    #[cfg(feature = "capture")]
    NoMicrophone,
    /// The input devices could not be listed.
    #[cfg(feature = "capture")]
    Devices(cpal::DevicesError),
    /// A device's format could not be asked.
    #[cfg(feature = "capture")]
    DeviceConfig(cpal::DefaultStreamConfigError),
    /// A device's stream could not be made.
    #[cfg(feature = "capture")]
    Stream(cpal::BuildStreamError),
    /// A device's stream could not be started.
    #[cfg(feature = "capture")]
    Play(cpal::PlayStreamError),
    /// A segment could not be kept in `FILE.transcript.jsonl`.
    Keep {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for TranscriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use TranscriptError::*;
        match self {
            NotInstalled => f.write_str(HOW_TO_INSTALL),
            LibraryMissing(path) => write!(f, "{}: not found. {HOW_TO_INSTALL}", path.display()),
            ModelFileMissing { model, file } => write!(
                f,
                "{}: no {file} in the model's folder. {HOW_TO_INSTALL}",
                model.display()
            ),
            NulInPath(path) => write!(f, "{}: a path with a NUL byte", path.display()),
            Library { path, error } => write!(f, "{}: {error}", path.display()),
            ModelNotLoaded(model) => write!(
                f,
                "{}: Moonshine could not load this model",
                model.display()
            ),
            Recognising(status) => write!(f, "the recogniser failed (error {status})"),
            Audio { path, error } => write!(f, "{}: {error}", path.display()),
            NoCapture => f.write_str(
                "This minutes cannot hear the call: build it with `--features capture` (docs/transcript.md), or play a recording with --audio-from",
            ),
            #[cfg(feature = "capture")]
            NoMicrophone => f.write_str("no microphone found (no default input device)"),
            #[cfg(feature = "capture")]
            Devices(error) => write!(f, "{error}"),
            #[cfg(feature = "capture")]
            DeviceConfig(error) => write!(f, "{error}"),
            #[cfg(feature = "capture")]
            Stream(error) => write!(f, "{error}"),
            #[cfg(feature = "capture")]
            Play(error) => write!(f, "{error}"),
            Keep { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for TranscriptError {}
