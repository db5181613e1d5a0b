//! A WAV recording read as 16 kHz mono, a chunk at a time (an hour of
//! audio is never held whole): `hound` reads the file, `rubato` resamples
//! it when it was recorded at another rate, channels are mixed.

use super::SAMPLE_RATE;
use rubato::{FftFixedIn, Resampler};
use std::io::{self, BufReader};
use std::path::Path;

/// Frames read from the file per chunk (before resampling): 0.1 s at 16 kHz.
const CHUNK_FRAMES: usize = 1600;

pub struct WavSource {
    reader: hound::WavReader<BufReader<std::fs::File>>,
    channels: usize,
    /// Integer samples are scaled by this to lie in -1.0..1.0.
    scale: f32,
    float: bool,
    resampler: Option<FftFixedIn<f32>>,
    /// Mono frames read but not resampled yet.
    pending: Vec<f32>,
    done: bool,
    /// The resampler's delay still to drop from its output, in frames.
    delay: usize,
}

fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
}

impl WavSource {
    /// Opens a WAV file (PCM 8–32 bit or 32-bit float, any rate, any
    /// number of channels). A FIFO or a device is refused, not waited on.
    pub fn open(path: &Path) -> io::Result<WavSource> {
        let file = crate::store::open_regular(path)?;
        let reader = hound::WavReader::new(BufReader::new(file))
            .map_err(|e| invalid(format!("is not a WAV file minutes can read ({e})")))?;
        let spec = reader.spec();
        if spec.channels == 0 || spec.sample_rate == 0 {
            return Err(invalid("has no channels or no sample rate"));
        }
        let float = spec.sample_format == hound::SampleFormat::Float;
        let scale = if float {
            1.0
        } else {
            1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32
        };
        let resampler = if spec.sample_rate == SAMPLE_RATE {
            None
        } else {
            Some(
                FftFixedIn::new(
                    spec.sample_rate as usize,
                    SAMPLE_RATE as usize,
                    CHUNK_FRAMES,
                    2,
                    1,
                )
                .map_err(invalid)?,
            )
        };
        let delay = resampler.as_ref().map_or(0, |r| r.output_delay());
        Ok(WavSource {
            channels: usize::from(spec.channels),
            reader,
            scale,
            float,
            resampler,
            pending: Vec::new(),
            done: false,
            delay,
        })
    }

    /// The recording's length in seconds.
    pub fn duration(&self) -> f64 {
        f64::from(self.reader.duration()) / f64::from(self.reader.spec().sample_rate)
    }

    /// Up to `frames` frames mixed to mono, at the file's own rate.
    fn read_mono(&mut self, frames: usize) -> io::Result<Vec<f32>> {
        let mut out = Vec::with_capacity(frames);
        let mut sum = 0.0f32;
        let mut in_frame = 0;
        let channels = self.channels;
        let scale = self.scale;
        let mut push = |v: f32, out: &mut Vec<f32>| {
            sum += v;
            in_frame += 1;
            if in_frame == channels {
                out.push(sum / channels as f32);
                sum = 0.0;
                in_frame = 0;
            }
        };
        if self.float {
            for sample in self.reader.samples::<f32>().take(frames * channels) {
                push(sample.map_err(invalid)?, &mut out);
            }
        } else {
            for sample in self.reader.samples::<i32>().take(frames * channels) {
                push(sample.map_err(invalid)? as f32 * scale, &mut out);
            }
        }
        Ok(out)
    }

    /// The next chunk of 16 kHz mono audio (about 0.1 s), or `None` at
    /// the end of the file.
    pub fn next_chunk(&mut self) -> io::Result<Option<Vec<f32>>> {
        if self.done {
            return Ok(None);
        }
        let Some(needed) = self.resampler.as_ref().map(|r| r.input_frames_next()) else {
            let chunk = self.read_mono(CHUNK_FRAMES)?;
            self.done = chunk.len() < CHUNK_FRAMES;
            return Ok((!chunk.is_empty()).then_some(chunk));
        };
        let missing = needed.saturating_sub(self.pending.len());
        let more = self.read_mono(missing)?;
        let Some(resampler) = self.resampler.as_mut() else {
            return Ok(None);
        };
        let at_end = more.len() < missing;
        self.pending.extend(more);
        let mut out = if at_end {
            self.done = true;
            // (rubato refuses an empty slice here: None is "nothing more".)
            let last: Option<&[&Vec<f32>]> = if self.pending.is_empty() {
                None
            } else {
                Some(&[&self.pending])
            };
            let mut out = resampler.process_partial(last, None).map_err(invalid)?;
            // What the filter still holds.
            let tail = resampler
                .process_partial::<&[f32]>(None, None)
                .map_err(invalid)?;
            out[0].extend_from_slice(&tail[0]);
            self.pending.clear();
            out
        } else {
            let out = resampler.process(&[&self.pending], None).map_err(invalid)?;
            self.pending.clear();
            out
        };
        let mut chunk = std::mem::take(&mut out[0]);
        let dropped = self.delay.min(chunk.len());
        self.delay -= dropped;
        chunk.drain(..dropped);
        Ok(Some(chunk))
    }
}
