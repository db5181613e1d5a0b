//! The transcript pane's state in the app: the segments heard, whether
//! the app is listening, the segments selected to pull into a note. The
//! actions that change it are handled in `app/transcript.rs`; nothing
//! here does I/O.

use super::Segment;

/// What a key (or the listening thread, through the edge) asks of the
/// transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TranscriptAction {
    /// Start listening, or stop.
    ToggleListening,
    /// Into the pane, the newest segment highlighted.
    Focus,
    /// The segment before (older) or after (newer) the highlighted one.
    Older,
    Newer,
    /// Grows the selection by the segment before or after.
    ExtendOlder,
    ExtendNewer,
    /// The selected segments' text into the note editor.
    Pull,
    /// The listening thread recognised an utterance.
    Heard(HeardMs),
    /// The listening thread stopped by itself: the recording ended (what
    /// to say), or something failed (the error, in words).
    Stopped(Result<String, String>),
}

/// An utterance recognised, timed in milliseconds from when listening
/// began (whole numbers, so that actions compare exactly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeardMs {
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
    pub channel: String,
}

/// What the transcript asks the edge to do.
#[derive(Debug, Clone, PartialEq)]
pub enum TranscriptEffect {
    /// Start the listening thread.
    Listen,
    /// Stop it.
    Stop,
    /// Append this segment to `FILE.transcript.jsonl`, on disk before the
    /// next frame.
    Keep(Segment),
}

#[derive(Debug, Clone, Default)]
pub struct Pane {
    pub segments: Vec<Segment>,
    pub listening: bool,
    /// Seconds from the start of the meeting at which listening began.
    origin: f64,
    /// The highlighted segment (an index into `segments`) while the pane
    /// has the keys, and the other end of the selection, if any.
    pub cursor: Option<usize>,
    pub anchor: Option<usize>,
    /// The span of segments pulled into the note being typed, first and
    /// last id: the note keeps it when committed.
    pub pulled: Option<[u64; 2]>,
}

impl Pane {
    pub fn new(segments: Vec<Segment>) -> Pane {
        Pane {
            segments,
            ..Pane::default()
        }
    }

    /// The pane is on screen while listening, or once anything was heard.
    pub fn shown(&self) -> bool {
        self.listening || !self.segments.is_empty()
    }

    /// Listening begins `origin` seconds into the meeting.
    pub fn start(&mut self, origin: f64) {
        self.listening = true;
        self.origin = origin.max(0.0);
    }

    /// An utterance heard, given its id and its speaker.
    pub fn heard(&mut self, heard: HeardMs, speaker: Option<String>) -> Segment {
        let id = self.segments.last().map_or(0, |s| s.id) + 1;
        let segment = Segment {
            id,
            start: self.origin + heard.start_ms as f64 / 1000.0,
            end: self.origin + heard.end_ms as f64 / 1000.0,
            text: heard.text,
            channel: heard.channel,
            speaker,
        };
        self.segments.push(segment.clone());
        segment
    }

    /// The selected segments, oldest first, as indexes (inclusive).
    pub fn selection(&self) -> Option<(usize, usize)> {
        let cursor = self.cursor?;
        let anchor = self.anchor.unwrap_or(cursor);
        Some((cursor.min(anchor), cursor.max(anchor)))
    }

    /// Moves the highlight by one segment (older: towards the start);
    /// `extend` keeps the other end of the selection where it was.
    pub fn step(&mut self, older: bool, extend: bool) {
        let Some(cursor) = self.cursor else {
            return;
        };
        if extend {
            self.anchor.get_or_insert(cursor);
        } else {
            self.anchor = None;
        }
        let last = self.segments.len().saturating_sub(1);
        self.cursor = Some(if older {
            cursor.saturating_sub(1)
        } else {
            (cursor + 1).min(last)
        });
    }

    /// The selected segments' text and span, the highlight let go.
    pub fn take_selection(&mut self) -> Option<(String, [u64; 2])> {
        let (first, last) = self.selection()?;
        self.cursor = None;
        self.anchor = None;
        let chosen = self.segments.get(first..=last)?;
        let text = chosen
            .iter()
            .map(|s| s.text.trim())
            .collect::<Vec<_>>()
            .join(" ");
        let span = [chosen.first()?.id, chosen.last()?.id];
        self.pulled = Some(match self.pulled {
            Some([a, b]) => [a.min(span[0]), b.max(span[1])],
            None => span,
        });
        Some((text, span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heard(text: &str, start_ms: u64) -> HeardMs {
        HeardMs {
            start_ms,
            end_ms: start_ms + 1000,
            text: text.into(),
            channel: "them".into(),
        }
    }

    #[test]
    fn segments_are_numbered_and_timed_from_the_meeting_start() {
        let mut pane = Pane::new(Vec::new());
        assert!(!pane.shown());
        pane.start(60.0);
        assert!(pane.shown());
        let a = pane.heard(heard("one", 500), Some("amy".into()));
        let b = pane.heard(heard("two", 2000), None);
        assert_eq!((a.id, a.start, a.end), (1, 60.5, 61.5));
        assert_eq!((b.id, b.start), (2, 62.0));
        assert_eq!(a.speaker.as_deref(), Some("amy"));
    }

    #[test]
    fn a_selection_of_several_segments_is_pulled_with_its_span() {
        let mut pane = Pane::new(Vec::new());
        for (n, text) in ["one", "two", "three"].iter().enumerate() {
            pane.heard(heard(text, n as u64 * 2000), None);
        }
        pane.cursor = Some(2);
        pane.step(true, false);
        pane.step(true, true);
        assert_eq!(pane.selection(), Some((0, 1)));
        assert_eq!(pane.take_selection(), Some(("one two".into(), [1, 2])));
        assert_eq!(pane.cursor, None);
        // A second pull into the same note widens the span.
        pane.cursor = Some(2);
        assert_eq!(pane.take_selection(), Some(("three".into(), [3, 3])));
        assert_eq!(pane.pulled, Some([1, 3]));
        // At the ends the highlight stays.
        pane.cursor = Some(0);
        pane.step(true, false);
        assert_eq!(pane.cursor, Some(0));
        pane.cursor = Some(2);
        pane.step(false, false);
        assert_eq!(pane.cursor, Some(2));
    }
}
