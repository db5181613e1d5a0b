//! `minutes transcribe AUDIO.wav -o OUT.vtt` and `minutes export FILE
//! --transcript`: the transcript as WebVTT (docs/transcript.md).

use super::{CliError, ListenArgs, say};
use crate::config::Config;
use crate::event_loop::Session;
use crate::store;
use crate::transcript::{self, RecogniserConfig, Segment, vtt};
use std::path::{Path, PathBuf};

/// Recognises a recording with the live pipeline's cutting and
/// recogniser, and writes its cues.
pub fn transcribe_command(
    audio: &Path,
    output: Option<&Path>,
    config: &Config,
) -> Result<(), CliError> {
    let mut recogniser = config.transcript.load()?;
    let mut segments = Vec::new();
    transcript::transcribe_file(audio, recogniser.as_mut(), |segment| segments.push(segment))?;
    let out = output
        .map(Path::to_path_buf)
        .unwrap_or_else(|| audio.with_extension("vtt"));
    write_vtt(&out, None, &segments, &|_| None)?;
    wrote(&out, segments.len());
    Ok(())
}

/// `minutes export FILE --transcript`: the meeting's transcript as WebVTT,
/// voices named from the roster.
pub fn export_transcript(file: &Path, output: Option<&Path>) -> Result<(), CliError> {
    let meeting = store::load(file)?;
    let segments = transcript::store::load(file).map_err(CliError)?;
    let out: PathBuf = output.map(Path::to_path_buf).unwrap_or_else(|| {
        let mut name = file.as_os_str().to_owned();
        name.push(".vtt");
        name.into()
    });
    let name = |id: &str| meeting.participant(id).map(|p| p.name.clone());
    write_vtt(&out, Some(file), &segments, &name)?;
    wrote(&out, segments.len());
    Ok(())
}

/// Before the meeting opens: the segments heard in earlier sessions into
/// the pane, the recogniser's config and the audio's source to the edge.
/// True when listening starts at once (`--transcribe`, `--audio-from`, or
/// config.toml's `listen`).
pub(super) fn attach(
    session: &mut Session,
    config: &RecogniserConfig,
    listen: &ListenArgs,
) -> Result<bool, CliError> {
    let segments = transcript::store::load(&session.path).map_err(|e| {
        CliError(format!(
            "{e} (the transcript is damaged; move it aside to open the meeting)"
        ))
    })?;
    session.app.transcript = transcript::Pane::new(segments);
    session.transcript.config = config.clone();
    if let Some(audio) = &listen.audio_from {
        // Read now, so that a mistyped name is said before the screen opens.
        transcript::audio::WavSource::open(audio).map_err(|error| {
            transcript::TranscriptError::Audio {
                path: audio.clone(),
                error,
            }
        })?;
        session.transcript.source = Some(transcript::live::Source::File(audio.clone()));
    }
    Ok(listen.transcribe || listen.audio_from.is_some() || config.listen)
}

fn write_vtt(
    out: &Path,
    meeting: Option<&Path>,
    segments: &[Segment],
    name: &dyn Fn(&str) -> Option<String>,
) -> Result<(), CliError> {
    let written = if out == Path::new("-") {
        vtt::write(&mut std::io::stdout().lock(), segments, name)
    } else {
        store::output::write_output(
            out,
            meeting,
            store::output::Durability::Cached,
            store::output::Clobber::NoMeetings,
            |w| vtt::write(w, segments, name),
        )
        .map_err(|e| std::io::Error::other(e.to_string()))
    };
    written.map_err(|e| CliError(format!("{}: {e}", out.display())))
}

fn wrote(out: &Path, cues: usize) {
    if out != Path::new("-") {
        say(&format!(
            "Wrote {} ({})",
            out.display(),
            crate::text::plural(cues, "cue")
        ));
    }
}
