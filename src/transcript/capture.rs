//! Live capture with the `capture` feature (docs/transcript.md): the
//! default input device is `me`, the monitor of the computer's output
//! (PipeWire or PulseAudio, seen by ALSA as an input whose name says
//! "monitor") is `them`. Each is mixed to mono, resampled to 16 kHz, cut
//! at its own pauses and recognised on this thread. Nothing is kept but
//! the text.

use super::live::{Sink, recognise};
use super::vad::Segmenter;
use super::{Recogniser, SAMPLE_RATE, TranscriptError};
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use rubato::{FftFixedIn, Resampler};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// Audio from one device: its channel's name and mono samples at its rate.
struct Chunk {
    channel: usize,
    samples: Vec<f32>,
}

const CHANNELS: [&str; 2] = ["me", "them"];

pub fn run(
    mut recogniser: Box<dyn Recogniser>,
    stop: &AtomicBool,
    sink: &Sink,
) -> Result<(), TranscriptError> {
    let host = cpal::default_host();
    let mic = host
        .default_input_device()
        .ok_or(TranscriptError::NoMicrophone)?;
    let monitor = host
        .input_devices()
        .map_err(TranscriptError::Devices)?
        .find(|d| d.name().is_ok_and(|n| n.to_lowercase().contains("monitor")));
    let (send, receive) = mpsc::sync_channel::<Chunk>(64);
    let mut streams = Vec::new();
    let mut rates = [0usize; 2];
    for (channel, device) in [Some(mic), monitor].into_iter().enumerate() {
        let Some(device) = device else { continue };
        let config = device
            .default_input_config()
            .map_err(TranscriptError::DeviceConfig)?;
        rates[channel] = config.sample_rate().0 as usize;
        let width = usize::from(config.channels()).max(1);
        let send = send.clone();
        let stream = device
            .build_input_stream(
                &config.into(),
                move |data: &[f32], _: &cpal::InputCallbackInfo| {
                    let samples = data
                        .chunks(width)
                        .map(|frame| frame.iter().sum::<f32>() / width as f32)
                        .collect();
                    // A full queue drops audio rather than block the device.
                    let _ = send.try_send(Chunk { channel, samples });
                },
                |_| {},
                None,
            )
            .map_err(TranscriptError::Stream)?;
        stream.play().map_err(TranscriptError::Play)?;
        streams.push(stream);
    }
    let mut resamplers: Vec<Option<FftFixedIn<f32>>> = rates
        .iter()
        .map(|&rate| {
            (rate != 0 && rate != SAMPLE_RATE as usize)
                .then(|| FftFixedIn::new(rate, SAMPLE_RATE as usize, 1024, 2, 1).ok())
                .flatten()
        })
        .collect();
    let mut pending: [Vec<f32>; 2] = [Vec::new(), Vec::new()];
    let mut segmenters = [Segmenter::default(), Segmenter::default()];
    while !stop.load(Ordering::SeqCst) {
        let Ok(chunk) = receive.recv_timeout(Duration::from_millis(100)) else {
            continue;
        };
        let at_16k = match resamplers[chunk.channel].as_mut() {
            None => chunk.samples,
            Some(resampler) => {
                let buffer = &mut pending[chunk.channel];
                buffer.extend(chunk.samples);
                let mut out = Vec::new();
                while buffer.len() >= resampler.input_frames_next() {
                    let take = resampler.input_frames_next();
                    let piece: Vec<f32> = buffer.drain(..take).collect();
                    if let Ok(mut done) = resampler.process(&[piece], None) {
                        out.append(&mut done[0]);
                    }
                }
                out
            }
        };
        for utterance in segmenters[chunk.channel].push(&at_16k) {
            recognise(
                recogniser.as_mut(),
                utterance,
                CHANNELS[chunk.channel],
                sink,
                stop,
            )?;
        }
    }
    drop(streams);
    Ok(())
}
