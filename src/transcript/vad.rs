//! Voice activity: 16 kHz audio cut into utterances at pauses, by the
//! energy of 20 ms frames against a running estimate of the background.
//! Silence is never given to the recogniser, so it costs nothing; a
//! sentence is handed over [`TRAILING_SILENCE_FRAMES`] after it ends.

use super::SAMPLE_RATE;
use std::collections::VecDeque;

/// 20 ms at 16 kHz.
const FRAME: usize = 320;
/// A pause this long ends an utterance: 0.3 s. Shorter cuts sentences at
/// commas; longer puts the delay to text over its 1.5 s goal.
const TRAILING_SILENCE_FRAMES: usize = 15;
/// Speech kept before the frame that crossed the threshold: 0.2 s (the
/// quiet start of a word).
const PRE_ROLL_FRAMES: usize = 10;
/// Silence kept after the speech: 0.15 s.
const TAIL_FRAMES: usize = 8;
/// Frames above the threshold in a row that start an utterance (40 ms:
/// a click does not).
const ONSET_FRAMES: usize = 2;
/// The longest utterance given at once (Moonshine reads up to ~30 s).
const MAX_FRAMES: usize = 20 * 50;
/// Utterances with less speech than this are dropped: 0.2 s.
const MIN_SPEECH_FRAMES: usize = 10;
/// The quietest level counted as speech (RMS of samples in -1..1).
const MIN_LEVEL: f32 = 0.006;
/// Speech is this many times louder than the background.
const OVER_BACKGROUND: f32 = 3.0;

/// An utterance: its first sample's index from the start and its samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Utterance {
    pub start: u64,
    pub samples: Vec<f32>,
}

impl Utterance {
    pub fn start_seconds(&self) -> f64 {
        self.start as f64 / f64::from(SAMPLE_RATE)
    }
    pub fn end_seconds(&self) -> f64 {
        (self.start + self.samples.len() as u64) as f64 / f64::from(SAMPLE_RATE)
    }
}

#[derive(Debug)]
pub struct Segmenter {
    /// Samples of the frame being filled.
    partial: Vec<f32>,
    /// Frames seen so far.
    frames: u64,
    /// The background's level, followed while nobody speaks.
    background: f32,
    /// The last frames before an utterance (pre-roll), or during one.
    recent: VecDeque<Vec<f32>>,
    /// Loud frames in a row, before an utterance starts.
    onset: usize,
    /// The utterance being heard: its first frame and its frames.
    current: Option<(u64, Vec<f32>)>,
    speech_frames: usize,
    silent_frames: usize,
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter {
            partial: Vec::with_capacity(FRAME),
            frames: 0,
            background: MIN_LEVEL / OVER_BACKGROUND,
            recent: VecDeque::with_capacity(PRE_ROLL_FRAMES + 1),
            onset: 0,
            current: None,
            speech_frames: 0,
            silent_frames: 0,
        }
    }
}

fn level(frame: &[f32]) -> f32 {
    (frame.iter().map(|s| s * s).sum::<f32>() / frame.len().max(1) as f32).sqrt()
}

impl Segmenter {
    /// Takes the next samples; returns the utterances they ended.
    pub fn push(&mut self, samples: &[f32]) -> Vec<Utterance> {
        let mut ended = Vec::new();
        let mut rest = samples;
        while !rest.is_empty() {
            let take = (FRAME - self.partial.len()).min(rest.len());
            self.partial.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.partial.len() == FRAME {
                let frame = std::mem::replace(&mut self.partial, Vec::with_capacity(FRAME));
                ended.extend(self.frame(frame));
            }
        }
        ended
    }

    /// The end of the audio: what was being heard, if it was speech.
    pub fn finish(&mut self) -> Option<Utterance> {
        let partial = std::mem::take(&mut self.partial);
        if let Some((_, samples)) = self.current.as_mut() {
            samples.extend_from_slice(&partial);
        }
        self.close()
    }

    fn frame(&mut self, frame: Vec<f32>) -> Option<Utterance> {
        let index = self.frames;
        self.frames += 1;
        let level = level(&frame);
        let loud = level > MIN_LEVEL.max(self.background * OVER_BACKGROUND);
        match self.current.as_mut() {
            None => {
                if loud {
                    self.onset += 1;
                } else {
                    self.onset = 0;
                    // The background follows quiet frames, slowly.
                    self.background = 0.95 * self.background + 0.05 * level;
                }
                self.recent.push_back(frame);
                if self.recent.len() > PRE_ROLL_FRAMES + ONSET_FRAMES {
                    self.recent.pop_front();
                }
                if self.onset >= ONSET_FRAMES {
                    let first = index + 1 - self.recent.len() as u64;
                    let samples: Vec<f32> = self.recent.drain(..).flatten().collect();
                    self.current = Some((first, samples));
                    self.speech_frames = self.onset;
                    self.silent_frames = 0;
                    self.onset = 0;
                }
                None
            }
            Some((_, samples)) => {
                samples.extend_from_slice(&frame);
                if loud {
                    self.speech_frames += 1;
                    self.silent_frames = 0;
                } else {
                    self.silent_frames += 1;
                }
                let long = samples.len() >= MAX_FRAMES * FRAME;
                if self.silent_frames >= TRAILING_SILENCE_FRAMES || long {
                    self.close()
                } else {
                    None
                }
            }
        }
    }

    /// Ends the utterance being heard, its trailing silence trimmed.
    fn close(&mut self) -> Option<Utterance> {
        let (start, mut samples) = self.current.take()?;
        let speech = std::mem::take(&mut self.speech_frames);
        let silent = std::mem::take(&mut self.silent_frames);
        let trim = silent.saturating_sub(TAIL_FRAMES) * FRAME;
        samples.truncate(samples.len().saturating_sub(trim));
        (speech >= MIN_SPEECH_FRAMES).then(|| Utterance {
            start: start * FRAME as u64,
            samples,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(seconds: f32, amplitude: f32) -> Vec<f32> {
        let n = (seconds * SAMPLE_RATE as f32) as usize;
        (0..n).map(|i| (i as f32 * 0.3).sin() * amplitude).collect()
    }

    fn silence(seconds: f32) -> Vec<f32> {
        vec![0.0; (seconds * SAMPLE_RATE as f32) as usize]
    }

    fn cut(audio: &[f32], chunk: usize) -> Vec<Utterance> {
        let mut segmenter = Segmenter::default();
        let mut out = Vec::new();
        for piece in audio.chunks(chunk) {
            out.extend(segmenter.push(piece));
        }
        out.extend(segmenter.finish());
        out
    }

    #[test]
    fn silence_gives_nothing_to_recognise() {
        assert!(cut(&silence(5.0), 1600).is_empty());
        // A faint hum under the speech level neither.
        assert!(cut(&tone(5.0, 0.004), 1600).is_empty());
    }

    #[test]
    fn speech_is_cut_at_pauses_whatever_the_chunk_size() {
        let audio = [tone(1.0, 0.3), silence(0.6), tone(0.5, 0.3), silence(1.0)].concat();
        for chunk in [1, 160, 333, 1600, audio.len()] {
            let utterances = cut(&audio, chunk);
            assert_eq!(utterances.len(), 2, "chunk {chunk}");
            let (a, b) = (&utterances[0], &utterances[1]);
            assert_eq!(a.start, 0);
            assert!((1.0..1.2).contains(&a.end_seconds()), "{}", a.end_seconds());
            assert!(
                (1.35..1.6).contains(&b.start_seconds()),
                "{}",
                b.start_seconds()
            );
            assert!((2.1..2.3).contains(&b.end_seconds()), "{}", b.end_seconds());
        }
    }

    #[test]
    fn a_short_pause_inside_a_sentence_does_not_cut_it() {
        let audio = [tone(1.0, 0.3), silence(0.2), tone(1.0, 0.3)].concat();
        let utterances = cut(&audio, 1600);
        assert_eq!(utterances.len(), 1);
    }

    #[test]
    fn a_click_is_not_an_utterance_and_a_monologue_is_cut_to_size() {
        let audio = [silence(1.0), tone(0.03, 0.5), silence(1.0)].concat();
        assert!(cut(&audio, 1600).is_empty());
        let long = cut(&tone(45.0, 0.3), 1600);
        assert_eq!(long.len(), 3);
        assert!(long.iter().all(|u| u.samples.len() <= MAX_FRAMES * FRAME));
    }
}
