//! Rendering the report of a 10,000-note meeting (in process; the whole
//! command with loading is measured by the latency bench).

#[path = "common/sample.rs"]
mod sample;

use minutes::export::{Format, Options, render};

fn main() {
    divan::main();
}

#[divan::bench(args = [Format::Markdown, Format::Html, Format::Text])]
fn render_10000_notes(bencher: divan::Bencher, format: Format) {
    let meeting = sample::meeting(10_000);
    let options = Options {
        format,
        ..Options::default()
    };
    bencher.bench_local(|| render(&meeting, &options).unwrap());
}

#[divan::bench]
fn load_10000_notes(bencher: divan::Bencher) {
    let json = serde_json::to_vec_pretty(&sample::meeting(10_000)).unwrap();
    bencher.bench_local(|| minutes::store::parse(&json).unwrap());
}

/// A note of a URL followed by 100,000 `)`: trimming the URL was
/// quadratic (14 s); one pass now (goal: under 50 ms).
#[divan::bench(args = [Format::Markdown, Format::Html, Format::Text])]
fn url_then_100000_parens(bencher: divan::Bencher, format: Format) {
    let mut meeting = sample::meeting(1);
    meeting.notes[0].text = format!("see https://example.org/a{}", ")".repeat(100_000));
    let options = Options {
        format,
        ..Options::default()
    };
    bencher.bench_local(|| render(&meeting, &options).unwrap());
}
