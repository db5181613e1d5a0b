//! The transcript's speed for docs/performance.md: real-time factor of
//! the recogniser, delay from the end of a sentence to its text, and peak
//! memory, on speech made here with espeak-ng and sox.
//!
//! `cargo bench --bench transcript` prints a Markdown table; it says why
//! and stops when the recogniser (`pip install moonshine-cpp`) or the
//! speech tools are missing. `-- --quick` uses two sentences.

use minutes::transcript::{
    RecogniserConfig, SAMPLE_RATE, audio::WavSource, vad::Segmenter, word_error_rate,
};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const SENTENCES: [&str; 8] = [
    "The working group agreed to publish the draft next week.",
    "Amy will send the minutes to the mailing list on Friday.",
    "We should review the open issues before the next meeting.",
    "Thank you everyone, the meeting is adjourned.",
    "The chair asked whether anyone objects to the proposal.",
    "Nobody objected, so the resolution carries.",
    "Let us move on to the next item on the agenda.",
    "The test suite now passes on every platform we support.",
];

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let sentences = if quick {
        &SENTENCES[..2]
    } else {
        &SENTENCES[..]
    };
    let mut recogniser = match RecogniserConfig::default().load() {
        Ok(r) => r,
        Err(e) => {
            println!("transcript bench skipped: {e}");
            return;
        }
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-scratch/transcript");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let Some(audio) = speech(&dir, sentences) else {
        println!("transcript bench skipped: espeak-ng and sox are needed");
        return;
    };
    // The live pipeline's pace: 0.1 s chunks; an utterance is recognised
    // when the chunk that ends its trailing pause arrives.
    let mut source = WavSource::open(&audio).expect("the speech just made");
    let duration = source.duration();
    let mut segmenter = Segmenter::default();
    let mut fed = 0u64;
    let mut busy = 0.0;
    let mut delays = Vec::new();
    let mut heard = Vec::new();
    let mut recognise = |utterance: minutes::transcript::vad::Utterance, fed: u64| {
        let start = Instant::now();
        let text = recogniser
            .recognise(&utterance.samples)
            .expect("recognised");
        let took = start.elapsed().as_secs_f64();
        busy += took;
        let at = fed as f64 / f64::from(SAMPLE_RATE);
        // The end of the speech: its last sample above a whisper.
        let last = utterance
            .samples
            .iter()
            .rposition(|s| s.abs() > 0.01)
            .unwrap_or(0);
        let end = (utterance.start + last as u64) as f64 / f64::from(SAMPLE_RATE);
        delays.push(at - end + took);
        heard.push(text);
    };
    while let Some(chunk) = source.next_chunk().expect("read") {
        fed += chunk.len() as u64;
        for utterance in segmenter.push(&chunk) {
            recognise(utterance, fed);
        }
    }
    if let Some(utterance) = segmenter.finish() {
        recognise(utterance, fed);
    }
    delays.sort_by(f64::total_cmp);
    let median = delays[delays.len() / 2];
    let worst = delays[delays.len() - 1];
    let wer = word_error_rate(&sentences.join(" "), &heard.join(" "));
    println!("| Measure | Value |");
    println!("| --- | --- |");
    println!(
        "| Speech | {:.1} s, {} sentences |",
        duration,
        sentences.len()
    );
    println!(
        "| Real-time factor (recognising / audio) | {:.2} |",
        busy / duration
    );
    println!("| End of sentence to text, median | {median:.2} s |");
    println!("| End of sentence to text, worst | {worst:.2} s |");
    println!("| Word error rate | {wer:.3} |");
    println!(
        "| Peak memory (whole process) | {} MiB |",
        peak_memory_mib()
    );
}

/// The sentences said with a second of silence before each, at 16 kHz.
fn speech(dir: &Path, sentences: &[&str]) -> Option<std::path::PathBuf> {
    let mut parts = Vec::new();
    for (n, sentence) in sentences.iter().enumerate() {
        let said = dir.join(format!("said-{n}.wav"));
        let part = dir.join(format!("part-{n}.wav"));
        let ok = Command::new("espeak-ng")
            .args(["-s", "140", "-w"])
            .arg(&said)
            .arg(sentence)
            .status()
            .ok()?
            .success()
            && Command::new("sox")
                .arg(&said)
                .args(["-r", "16000", "-c", "1", "-b", "16"])
                .arg(&part)
                .args(["pad", "1", "0"])
                .status()
                .ok()?
                .success();
        if !ok {
            return None;
        }
        parts.push(part);
    }
    let all = dir.join("speech.wav");
    let ok = Command::new("sox")
        .args(&parts)
        .arg(&all)
        .args(["pad", "0", "1"])
        .status()
        .ok()?
        .success();
    ok.then_some(all)
}

fn peak_memory_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kib| kib / 1024)
}
