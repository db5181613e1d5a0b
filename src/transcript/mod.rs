//! The transcript beside the notes (docs/transcript.md): what was said,
//! recognised on this machine, kept in `FILE.transcript.jsonl`, shown in
//! a pane the scribe pulls from.
//!
//! `audio.rs` reads a WAV file as 16 kHz mono, `vad.rs` cuts the audio
//! into utterances at pauses (silence costs nothing), `recogniser.rs`
//! loads the speech recogniser at run time, `store.rs` keeps the segments
//! beside the meeting, `vtt.rs` writes WebVTT, `live.rs` is the listening
//! thread at the edge, `pane.rs` the pane's state in the app, `error.rs`
//! what can fail, worded once.

pub mod audio;
#[cfg(feature = "capture")]
mod capture;
pub mod edge;
pub mod error;
pub mod live;
pub mod pane;
pub mod recogniser;
pub mod store;
pub mod vad;
pub mod vtt;

pub use error::TranscriptError;
pub use pane::{HeardMs, Pane, TranscriptAction, TranscriptEffect};
pub use recogniser::{Recogniser, RecogniserConfig};

use serde::{Deserialize, Serialize};

/// The sample rate every part of the transcript works at.
pub const SAMPLE_RATE: u32 = 16_000;

/// One stretch of speech, recognised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Counts up from 1 in a meeting; a note's `transcript` names these.
    pub id: u64,
    /// Seconds from the start of the meeting (or of the recording, for
    /// `minutes transcribe`).
    pub start: f64,
    pub end: f64,
    pub text: String,
    /// Where it was heard: `me` (the microphone), `them` (the computer's
    /// output) or `file` (a recording).
    pub channel: String,
    /// The participant id picked in minutes when it was heard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

/// Recognises a whole recording (`minutes transcribe`): the same cutting
/// and recogniser as the live pipeline, as fast as the machine goes. Each
/// segment is given to `on_segment` as soon as it is recognised.
pub fn transcribe_file(
    path: &std::path::Path,
    recogniser: &mut dyn Recogniser,
    mut on_segment: impl FnMut(Segment),
) -> Result<(), TranscriptError> {
    let audio_error = |error| TranscriptError::Audio {
        path: path.to_path_buf(),
        error,
    };
    let mut source = audio::WavSource::open(path).map_err(audio_error)?;
    let mut segmenter = vad::Segmenter::default();
    let mut id = 0;
    let mut recognise = |utterance: vad::Utterance| -> Result<(), TranscriptError> {
        let text = recogniser.recognise(&utterance.samples)?;
        let text = text.trim();
        if !text.is_empty() {
            id += 1;
            on_segment(Segment {
                id,
                start: utterance.start_seconds(),
                end: utterance.end_seconds(),
                text: text.to_string(),
                channel: "file".into(),
                speaker: None,
            });
        }
        Ok(())
    };
    while let Some(chunk) = source.next_chunk().map_err(audio_error)? {
        for utterance in segmenter.push(&chunk) {
            recognise(utterance)?;
        }
    }
    if let Some(utterance) = segmenter.finish() {
        recognise(utterance)?;
    }
    Ok(())
}

/// Word error rate of `heard` against `said`: word substitutions,
/// deletions and insertions over the words said, ignoring case and
/// punctuation (a hyphen parts words) (the measure docs/transcript.md reports).
pub fn word_error_rate(said: &str, heard: &str) -> f64 {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| c.is_whitespace() || c == '-')
            .map(|w| {
                w.chars()
                    .filter(|c| c.is_alphanumeric() || *c == '\'')
                    .flat_map(char::to_lowercase)
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let (said, heard) = (words(said), words(heard));
    if said.is_empty() {
        return if heard.is_empty() { 0.0 } else { 1.0 };
    }
    // Levenshtein over words, one row at a time.
    let mut row: Vec<usize> = (0..=heard.len()).collect();
    for (i, s) in said.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, h) in heard.iter().enumerate() {
            let substitute = previous + usize::from(s != h);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(previous + 1);
        }
    }
    row[heard.len()] as f64 / said.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_error_rate_counts_each_kind_of_error() {
        assert_eq!(word_error_rate("the cat sat", "The cat, sat."), 0.0);
        assert_eq!(word_error_rate("working group", "working-group"), 0.0);
        assert_eq!(word_error_rate("the cat sat", "the dog sat"), 1.0 / 3.0);
        assert_eq!(word_error_rate("the cat sat", "the sat"), 1.0 / 3.0);
        assert_eq!(
            word_error_rate("the cat sat", "the cat sat down"),
            1.0 / 3.0
        );
        assert_eq!(word_error_rate("", ""), 0.0);
        assert_eq!(word_error_rate("", "noise"), 1.0);
    }

    /// A recogniser that says how long each utterance was.
    struct Lengths;
    impl Recogniser for Lengths {
        fn recognise(&mut self, samples: &[f32]) -> Result<String, TranscriptError> {
            Ok(format!("{} samples", samples.len()))
        }
    }

    #[test]
    fn a_recording_is_cut_at_its_pauses() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("two.wav");
        // 1 s tone, 1 s silence, 1 s tone, at 8 kHz stereo: resampled and mixed.
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 8000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut writer = hound::WavWriter::create(&path, spec).unwrap();
        for second in 0..3 {
            for n in 0..8000 {
                let tone = second != 1;
                let v = if tone {
                    ((n as f32 * 0.2).sin() * 8000.0) as i16
                } else {
                    0
                };
                writer.write_sample(v).unwrap();
                writer.write_sample(v).unwrap();
            }
        }
        writer.finalize().unwrap();
        let mut segments = Vec::new();
        transcribe_file(&path, &mut Lengths, |s| segments.push(s)).unwrap();
        assert_eq!(segments.len(), 2, "{segments:?}");
        assert_eq!(segments[0].id, 1);
        assert!(
            segments[0].start < 0.1 && (0.9..1.3).contains(&segments[0].end),
            "{segments:?}"
        );
        assert!((1.8..2.05).contains(&segments[1].start), "{segments:?}");
        assert!(segments[1].end > 2.9, "{segments:?}");
    }
}
