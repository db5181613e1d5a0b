//! The summary report: a report model built from the meeting, rendered by
//! minijinja templates (Markdown, HTML, plain text, or the user's own).
//!
//! Note text is data, never markup: the Markdown template escapes it with
//! the `md` filter, HTML is auto-escaped, and links are only made from
//! http(s) URLs.

mod filters;
mod report;

pub use report::{Report, Timestamps, Voice, is_any_other_business, join_names, ordinal};

use crate::model::Meeting;
use crate::store::output;
use minijinja::{AutoEscape, Environment};
use std::path::{Path, PathBuf};

pub const MARKDOWN_TEMPLATE: &str = include_str!("templates/report.md.j2");
const HTML_TEMPLATE: &str = include_str!("templates/report.html.j2");
const TEXT_TEMPLATE: &str = include_str!("templates/report.txt.j2");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Markdown,
    Html,
    Text,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Text => "txt",
        }
    }

    /// The format an output file name implies, if any.
    fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }

    /// As the command line names it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Text => "text",
        }
    }

    /// The built-in template's file name.
    pub fn template_file(self) -> &'static str {
        match self {
            Format::Markdown => "report.md.j2",
            Format::Html => "report.html.j2",
            Format::Text => "report.txt.j2",
        }
    }

    pub fn builtin_template(self) -> &'static str {
        match self {
            Format::Markdown => MARKDOWN_TEMPLATE,
            Format::Html => HTML_TEMPLATE,
            Format::Text => TEXT_TEMPLATE,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub format: Format,
    pub timestamps: Timestamps,
    /// A user template's source, used instead of the built-in one.
    pub template: Option<String>,
    /// Over the meeting's house style (`--style`).
    pub voice: Option<Voice>,
    /// The meeting's transcript, for a template of the user's own that
    /// asks for `transcript` (the built-in ones never do; docs/transcript.md).
    pub transcript: Vec<crate::transcript::Segment>,
}

/// Renders the report. Errors are template errors, with line numbers.
pub fn render(meeting: &Meeting, options: &Options) -> Result<String, String> {
    let mut out = Vec::new();
    render_to(meeting, options, &mut out, false).map_err(|e| e.to_string())?;
    String::from_utf8(out).map_err(|e| e.to_string())
}

/// Why a report could not be written.
#[derive(Debug)]
pub enum RenderError {
    Template(String),
    Io(std::io::Error),
    /// The output file was refused or could not be written: the whole
    /// message, naming the file.
    Output(String),
}

impl From<std::io::Error> for RenderError {
    fn from(e: std::io::Error) -> Self {
        RenderError::Io(e)
    }
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::Template(e) | RenderError::Output(e) => f.write_str(e),
            RenderError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Why an export could not be settled or written: worded here once, for
/// `minutes export` and the app's F6 alike.
#[derive(Debug)]
pub enum ExportError {
    /// `-o report.pdf` without `--format`: it would get Markdown in it.
    OutputName(PathBuf),
    /// The template file could not be read.
    TemplateUnreadable {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The template failed; `template` is its file (none: the built-in
    /// one), `message` says where and why.
    Template {
        template: Option<PathBuf>,
        message: String,
    },
    /// The report could not be written to `out`.
    Write { out: PathBuf, error: std::io::Error },
    /// The output was refused (a meeting's own file, a side file), as
    /// `store::output` says it.
    Refused(String),
    /// The meeting's transcript could not be read (`--transcript`).
    Transcript(String),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::OutputName(out) => write!(
                f,
                "{}: minutes writes Markdown (.md), HTML (.html) or text (.txt); name one of those, or add --format to write one under this name",
                out.display()
            ),
            ExportError::TemplateUnreadable { path, error } => {
                write!(
                    f,
                    "{}: cannot read the template file: {error}",
                    path.display()
                )
            }
            ExportError::Template { template, message } => {
                let name = template
                    .as_deref()
                    .unwrap_or(Path::new("the built-in template"));
                write!(f, "{}: {message}", name.display())
            }
            ExportError::Write { out, error } => {
                write!(f, "{}: cannot write the report: {error}", out.display())
            }
            ExportError::Refused(message) | ExportError::Transcript(message) => {
                f.write_str(message)
            }
        }
    }
}

impl std::error::Error for ExportError {}

/// Renders the report straight into `out`, blank lines tidied on the way.
/// `leak`, for a process that exits right after, skips freeing the
/// report's value tree piece by piece (a fifth of an export's time).
pub fn render_to(
    meeting: &Meeting,
    options: &Options,
    out: &mut dyn std::io::Write,
    leak: bool,
) -> Result<(), RenderError> {
    let model = match options.voice {
        Some(voice) => Report::in_voice(meeting, options.timestamps, voice),
        None => Report::new(meeting, options.timestamps),
    };
    let report = minijinja::Value::from_serialize(&model);
    let mut env = Environment::new();
    let html = options.format == Format::Html;
    env.set_auto_escape_callback(move |_| {
        if html {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_trim_blocks(true);
    // A misspelt variable (`report.titel`) is an error naming the template
    // and the line, never an empty gap in the report.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_lstrip_blocks(true);
    // Strings needing no escaping are written as they are; the default
    // formatter sends every value through `Display`, a good part of the
    // time an export takes.
    env.set_formatter(|out, state, value| match value.as_str() {
        Some(text)
            if value.is_safe()
                || match state.auto_escape() {
                    AutoEscape::None => true,
                    // The characters minijinja's HTML escaping replaces.
                    AutoEscape::Html => !text
                        .bytes()
                        .any(|b| matches!(b, b'<' | b'>' | b'&' | b'"' | b'\'' | b'/')),
                    _ => false,
                } =>
        {
            out.write_str(text).map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    filters::register(&mut env);
    // A template that does not end (a loop over a huge range, recursion)
    // runs out of fuel instead of freezing the export: the budget grows
    // with the meeting, far above what the built-in templates use.
    env.set_fuel(Some(fuel_for(meeting)));
    let source = options
        .template
        .as_deref()
        .unwrap_or(options.format.builtin_template());
    let name = format!("report.{}", options.format.extension());
    let template_error =
        |e: minijinja::Error| RenderError::Template(describe_template_error(&e, source));
    env.add_template_owned(name.clone(), source.to_string())
        .map_err(template_error)?;
    let template = env.get_template(&name).map_err(template_error)?;
    let mut limited = Limited {
        out,
        left: output_limit(meeting),
    };
    let mut tidy = Tidy::new(&mut limited);
    let rendered = template.render_captured_to(
        minijinja::context! {
            report => report.clone(),
            transcript => minijinja::Value::from_serialize(&options.transcript),
        },
        &mut tidy,
    );
    if leak {
        std::mem::forget(report);
        std::mem::forget(model);
    }
    rendered.map_err(template_error)?;
    tidy.finish().map_err(RenderError::Io)
}

/// The template instructions a report of `meeting` may take: the
/// built-in templates use about 100 a note (measured: 0.8–1.0 million
/// for 10,000 notes), a template of the group's own may take 20 times
/// that.
fn fuel_for(meeting: &Meeting) -> u64 {
    let things = meeting.notes.len() + meeting.participants.len() + meeting.agenda.len();
    5_000_000 + 2_000 * things as u64
}

/// The bytes a report of `meeting` may have: many times what its text
/// could make, so that only a runaway template meets it (and the disk
/// does not fill first).
fn output_limit(meeting: &Meeting) -> u64 {
    let text: usize = meeting.notes.iter().map(|n| n.text.len() + 64).sum();
    (64 << 20) + 64 * text as u64
}

/// A writer that refuses to go past a number of bytes.
struct Limited<'a> {
    out: &'a mut dyn std::io::Write,
    left: u64,
}

impl std::io::Write for Limited<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let len = bytes.len() as u64;
        if len > self.left {
            return Err(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                "the report grew far past what this meeting could fill (a template that repeats without end?): stopped",
            ));
        }
        self.left -= len;
        self.out.write_all(bytes)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Passes text through with at most one blank line in a row, none at the
/// start or the end, and a final newline: templates need not count their
/// blank lines.
struct Tidy<'a> {
    out: &'a mut dyn std::io::Write,
    started: bool,
    /// Newlines in a row so far.
    newlines: usize,
    /// White space seen but not written: dropped if nothing follows.
    pending: Vec<u8>,
    buffer: Vec<u8>,
}

impl<'a> Tidy<'a> {
    fn new(out: &'a mut dyn std::io::Write) -> Self {
        Tidy {
            out,
            started: false,
            newlines: 0,
            pending: Vec::new(),
            buffer: Vec::with_capacity(64 * 1024),
        }
    }

    fn finish(mut self) -> std::io::Result<()> {
        self.buffer.push(b'\n');
        self.out.write_all(&self.buffer)?;
        self.out.flush()
    }
}

impl Tidy<'_> {
    fn push_byte(&mut self, b: u8) {
        if b.is_ascii_whitespace() {
            if !self.started {
                return;
            }
            if b == b'\n' {
                self.newlines += 1;
                if self.newlines > 2 {
                    return;
                }
            } else {
                self.newlines = 0;
            }
            self.pending.push(b);
        } else {
            self.started = true;
            self.newlines = 0;
            self.buffer.append(&mut self.pending);
            self.buffer.push(b);
        }
    }
}

impl std::io::Write for Tidy<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut rest = bytes;
        while let Some(&first) = rest.first() {
            // Fast path, for most of the text: from a visible character up
            // to the last visible one before the next newline, every byte
            // is kept as it is.
            if self.started && self.pending.is_empty() && !first.is_ascii_whitespace() {
                let line_end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
                let kept = rest[..line_end]
                    .iter()
                    .rposition(|b| !b.is_ascii_whitespace())
                    .map_or(0, |last| last + 1);
                self.buffer.extend_from_slice(&rest[..kept]);
                self.newlines = 0;
                rest = &rest[kept..];
            } else {
                self.push_byte(first);
                rest = &rest[1..];
            }
        }
        if self.buffer.len() >= 60 * 1024 {
            self.out.write_all(&self.buffer)?;
            self.buffer.clear();
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The error, its line, and that line of the template: minijinja says
/// "undefined value", the line shows which (`{{ report.titel }}`).
fn describe_template_error(e: &minijinja::Error, source: &str) -> String {
    let what = match e.kind() {
        minijinja::ErrorKind::UndefinedError => {
            "a name that is not in the report (docs/templates.md lists them)".to_string()
        }
        minijinja::ErrorKind::OutOfFuel => {
            "the template ran far longer than a report of this meeting needs (a loop that does not end?), and was stopped".to_string()
        }
        minijinja::ErrorKind::WriteFailure => match std::error::Error::source(e) {
            Some(cause) => cause.to_string(),
            None => e.to_string(),
        },
        minijinja::ErrorKind::UnknownFilter => {
            "an unknown filter (docs/templates.md lists them)".to_string()
        }
        _ => e.to_string(),
    };
    match e.line() {
        Some(line) => {
            let text = source
                .lines()
                .nth(line.saturating_sub(1))
                .unwrap_or("")
                .trim();
            let text: String = text.chars().take(120).collect();
            format!("template error at line {line}: {what}: {text}")
        }
        None => format!("template error: {what}"),
    }
}

/// The group's own template (its house style), relative to the meeting
/// file, when the meeting names one for `format`: its name says which
/// (`house.html.j2` is for HTML, `house.txt.j2` for text, anything else
/// for Markdown).
pub fn house_template_for(
    meeting: &Meeting,
    meeting_file: &Path,
    format: Format,
) -> Option<PathBuf> {
    let name = meeting.report.template.as_deref()?.trim();
    let made_for = if name.contains(".html") || name.contains(".htm") {
        Format::Html
    } else if name.contains(".txt") || name.contains(".text") {
        Format::Text
    } else {
        Format::Markdown
    };
    if name.is_empty() || made_for != format {
        return None;
    }
    let folder = match meeting_file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Some(folder.join(name))
}

/// Where `minutes export FILE` writes without `-o`: beside FILE, named
/// after it (`FILE-report.md` when FILE itself ends in `.md`).
pub fn default_output(meeting_file: &Path, format: Format) -> PathBuf {
    let beside = meeting_file.with_extension(format.extension());
    if beside != meeting_file {
        return beside;
    }
    let stem = meeting_file
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy();
    meeting_file.with_file_name(format!("{stem}-report.{}", format.extension()))
}

/// What `minutes export` was asked (nothing, for Ctrl+E), to be settled
/// against the meeting and the config by [`plan`]: both ways of
/// exporting take this one path, with the same defaults and messages.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// Where to write; beside the meeting by default.
    pub output: Option<PathBuf>,
    pub format: Option<Format>,
    /// A template file over the group's own and the built-in one.
    pub template: Option<PathBuf>,
    pub timestamps: Option<Timestamps>,
    pub voice: Option<Voice>,
}

impl Request {
    /// The output file named, if any (`-o -` is standard output).
    fn named_output(&self) -> Option<&Path> {
        self.output.as_deref().filter(|out| *out != Path::new("-"))
    }

    /// `-o report.pdf` would get Markdown in it: said before anything is
    /// read or written.
    pub fn check_output_name(&self) -> Result<(), ExportError> {
        match self.named_output() {
            Some(out)
                if self.format.is_none()
                    && out.extension().is_some()
                    && Format::from_path(out).is_none() =>
            {
                Err(ExportError::OutputName(out.to_path_buf()))
            }
            _ => Ok(()),
        }
    }
}

/// The config's `[export]` defaults.
#[derive(Debug, Default, Clone, PartialEq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Defaults {
    /// Format when neither `--format` nor the output's extension says.
    pub format: Option<Format>,
    /// Timestamps when `--timestamps` is not given.
    pub timestamps: Option<Timestamps>,
}

/// An export settled: what to render, with which template, and where.
#[derive(Debug, Clone)]
pub struct Job {
    pub options: Options,
    /// The report file (beside the meeting unless asked elsewhere).
    pub out: PathBuf,
    /// The template file used, to name it in errors.
    pub template: Option<PathBuf>,
}

/// Settles a request: the format from `--format`, else the output's
/// extension, else the config, else Markdown; the template from
/// `--template`, else the group's own for that format (read here, a
/// regular file of bounded size); timestamps from the request, else the
/// config.
pub fn plan(
    meeting: &Meeting,
    meeting_file: &Path,
    request: &Request,
    defaults: &Defaults,
) -> Result<Job, ExportError> {
    request.check_output_name()?;
    let named = request.named_output();
    let format = request
        .format
        .or_else(|| named.and_then(Format::from_path))
        .or(defaults.format)
        .unwrap_or_default();
    let template = request
        .template
        .clone()
        .or_else(|| house_template_for(meeting, meeting_file, format));
    let source = match &template {
        Some(path) => Some(
            crate::store::read_text_file(path, crate::store::TEXT_FILE_LIMIT).map_err(|error| {
                ExportError::TemplateUnreadable {
                    path: path.clone(),
                    error,
                }
            })?,
        ),
        None => None,
    };
    // Read only for a template of the group's own (the transcript is never
    // in the built-in reports).
    let transcript = match &source {
        Some(_) => crate::transcript::store::load(meeting_file).map_err(ExportError::Transcript)?,
        None => Vec::new(),
    };
    Ok(Job {
        options: Options {
            format,
            timestamps: request
                .timestamps
                .or(defaults.timestamps)
                .unwrap_or_default(),
            template: source,
            voice: request.voice,
            transcript,
        },
        out: request
            .output
            .clone()
            .unwrap_or_else(|| default_output(meeting_file, format)),
        template,
    })
}

impl Job {
    /// Writes the report to its file (see [`export_to_file`]); the error
    /// names the template or the file, as the user should read it.
    pub fn write(
        &self,
        meeting: &Meeting,
        meeting_file: &Path,
        clobber: output::Clobber,
        leak: bool,
    ) -> Result<(), ExportError> {
        export_to_file(
            meeting,
            &self.options,
            &self.out,
            Some(meeting_file),
            clobber,
            leak,
        )
        .map_err(|e| self.error(e))
    }

    /// A render error as this job's: a template error names the
    /// template, a failed write the report.
    pub fn error(&self, error: RenderError) -> ExportError {
        match error {
            RenderError::Template(message) => ExportError::Template {
                template: self.template.clone(),
                message,
            },
            RenderError::Io(error) => ExportError::Write {
                out: self.out.clone(),
                error,
            },
            RenderError::Output(message) => ExportError::Refused(message),
        }
    }
}

/// Renders the report straight into `out`, atomically: a template error
/// or a failed write leaves no file, and a reader never sees half a
/// report. Unlike the meeting file, the report is not flushed to the disk
/// before returning (a tenth of an export's time): it can be made again
/// from the meeting at any time. `meeting_file` (and its side files) is
/// never written over; `out` follows [`store::output`]'s rules (a FIFO or
/// device written in place, a symlink's target written). `leak` as for
/// [`render_to`].
fn export_to_file(
    meeting: &Meeting,
    options: &Options,
    out: &Path,
    meeting_file: Option<&Path>,
    clobber: output::Clobber,
    leak: bool,
) -> Result<(), RenderError> {
    let durability = output::Durability::Cached;
    output::write_output(out, meeting_file, durability, clobber, |writer| {
        render_to(meeting, options, writer, leak)
    })
    .map_err(|e| match e {
        output::OutputError::Writer(e) => e,
        other => RenderError::Output(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    fn tidy(chunks: &[&[u8]], byte_by_byte: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let mut tidy = Tidy::new(&mut out);
        for chunk in chunks {
            if byte_by_byte {
                chunk.iter().for_each(|&b| tidy.push_byte(b));
            } else {
                tidy.write_all(chunk).unwrap();
            }
        }
        tidy.finish().unwrap();
        out
    }

    #[test]
    fn export_errors_are_typed_and_worded_once() {
        let meeting = Meeting::new("M", chrono_tz::Tz::UTC);
        let missing = Path::new("/nonexistent/house.md.j2");
        let request = Request {
            template: Some(missing.to_path_buf()),
            ..Request::default()
        };
        let error = plan(
            &meeting,
            Path::new("m.json"),
            &request,
            &Defaults::default(),
        )
        .unwrap_err();
        assert!(
            matches!(&error, ExportError::TemplateUnreadable { path, .. } if path == missing),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with("/nonexistent/house.md.j2: cannot read the template file"),
            "{error}"
        );
        let request = Request {
            output: Some("report.pdf".into()),
            ..Request::default()
        };
        let error = request.check_output_name().unwrap_err();
        assert!(matches!(error, ExportError::OutputName(_)), "{error:?}");
    }

    #[test]
    fn a_report_that_cannot_be_written_names_no_temporary_file() {
        let error = export_to_file(
            &Meeting::new("M", chrono_tz::Tz::UTC),
            &Options::default(),
            Path::new("/nonexistent/folder/report.md"),
            None,
            output::Clobber::NoMeetings,
            false,
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            error,
            "/nonexistent/folder/report.md: cannot write it: No such file or directory (os error 2)"
        );
    }

    #[test]
    fn the_default_report_is_never_the_meeting_file() {
        let md = |p: &str| default_output(Path::new(p), Format::Markdown);
        assert_eq!(md("wg/2024-09-26.json"), Path::new("wg/2024-09-26.md"));
        assert_eq!(md("notes.md"), Path::new("notes-report.md"));
        assert_eq!(md("notes"), Path::new("notes.md"));
    }

    #[test]
    fn tidy_keeps_one_blank_line_and_no_edges() {
        let out = tidy(&[b"\n\n  # Title  \n\n\n\nText  \nmore\n\n\n"], false);
        assert_eq!(out, b"# Title  \n\nText  \nmore\n");
    }

    proptest! {
        /// The fast path writes exactly what the byte-by-byte rules do,
        /// however the text is cut into writes.
        #[test]
        fn tidy_fast_path_matches_the_rules(
            text in "[ab \\t\\n]{0,60}",
            cuts in proptest::collection::vec(0usize..60, 0..5),
        ) {
            let bytes = text.as_bytes();
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(bytes.len())).collect();
            cuts.sort_unstable();
            let mut chunks = Vec::new();
            let mut from = 0;
            for cut in cuts.into_iter().chain([bytes.len()]) {
                chunks.push(&bytes[from..cut]);
                from = cut;
            }
            prop_assert_eq!(tidy(&chunks, false), tidy(&[bytes], true));
        }
    }
}
