//! WebVTT (W3C): a cue per segment, its speaker as a voice span.

use super::Segment;
use std::io::{self, Write};

/// `HH:MM:SS.mmm`.
fn timestamp(seconds: f64) -> String {
    let millis = (seconds.max(0.0) * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        millis / 3_600_000,
        millis / 60_000 % 60,
        millis / 1000 % 60,
        millis % 1000
    )
}

/// Cue text may not hold `-->`, a blank line, or an unescaped `<` or `&`.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes the segments as WebVTT; `name` gives a speaker's name from
/// their id (a voice span `<v Name>`).
pub fn write(
    out: &mut dyn Write,
    segments: &[Segment],
    name: &dyn Fn(&str) -> Option<String>,
) -> io::Result<()> {
    out.write_all(b"WEBVTT\n")?;
    for segment in segments {
        let voice = segment
            .speaker
            .as_deref()
            .and_then(name)
            .map(|n| format!("<v {}>", escape(&n)))
            .unwrap_or_default();
        write!(
            out,
            "\n{}\n{} --> {}\n{voice}{}\n",
            segment.id,
            timestamp(segment.start),
            timestamp(segment.end.max(segment.start)),
            escape(&segment.text)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_have_times_voices_and_escaped_text() {
        let segments = [
            Segment {
                id: 1,
                start: 0.5,
                end: 3723.25,
                text: "a < b & c -->\n\nd".into(),
                channel: "file".into(),
                speaker: Some("amy".into()),
            },
            Segment {
                id: 2,
                start: 4000.0,
                end: 4001.0,
                text: "hello".into(),
                channel: "them".into(),
                speaker: None,
            },
        ];
        let mut out = Vec::new();
        write(&mut out, &segments, &|id| {
            (id == "amy").then(|| "Amy <A>".into())
        })
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "WEBVTT\n\n1\n00:00:00.500 --> 01:02:03.250\n<v Amy &lt;A&gt;>a &lt; b &amp; c --&gt; d\n\n2\n01:06:40.000 --> 01:06:41.000\nhello\n"
        );
    }
}
