//! The summary report: a report model built from the meeting, rendered by
//! minijinja templates (Markdown, HTML, plain text, or the user's own).
//!
//! Note text is data, never markup: the Markdown template escapes it with
//! the `md` filter, HTML is auto-escaped, and links are only made from
//! http(s) URLs.

mod filters;
mod report;

pub use report::{Report, Timestamps, join_names, ordinal};

use crate::model::Meeting;
use minijinja::{AutoEscape, Environment};
use std::path::{Path, PathBuf};

pub const MARKDOWN_TEMPLATE: &str = include_str!("templates/report.md.j2");
pub const HTML_TEMPLATE: &str = include_str!("templates/report.html.j2");
pub const TEXT_TEMPLATE: &str = include_str!("templates/report.txt.j2");

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
    pub fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }

    fn builtin_template(self) -> &'static str {
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
}

/// Renders the report. Errors are template errors, with line numbers.
pub fn render(meeting: &Meeting, options: &Options) -> Result<String, String> {
    render_report(meeting, options, false)
}

/// Like [`render`], for a process that exits right after: the report's
/// value tree is not freed piece by piece (a fifth of an export's time).
pub fn render_once(meeting: &Meeting, options: &Options) -> Result<String, String> {
    render_report(meeting, options, true)
}

fn render_report(meeting: &Meeting, options: &Options, leak: bool) -> Result<String, String> {
    let report = minijinja::Value::from_serialize(Report::new(meeting, options.timestamps));
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
    env.set_lstrip_blocks(true);
    filters::register(&mut env);
    let source = options
        .template
        .as_deref()
        .unwrap_or(options.format.builtin_template());
    let name = format!("report.{}", options.format.extension());
    env.add_template_owned(name.clone(), source.to_string())
        .map_err(|e| describe_template_error(&e))?;
    let template = env
        .get_template(&name)
        .map_err(|e| describe_template_error(&e))?;
    let rendered = template.render(minijinja::context! { report => report.clone() });
    if leak {
        std::mem::forget(report);
    }
    let mut out = rendered.map_err(|e| describe_template_error(&e))?;
    // Templates may leave runs of blank lines; a report has at most one.
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    Ok(format!("{}\n", out.trim()))
}

fn describe_template_error(e: &minijinja::Error) -> String {
    match e.line() {
        Some(line) => format!("template error at line {line}: {e}"),
        None => format!("template error: {e}"),
    }
}

/// Where `minutes export FILE` writes without `-o`: beside FILE.
pub fn default_output(meeting_file: &Path, format: Format) -> PathBuf {
    meeting_file.with_extension(format.extension())
}

/// Renders and writes the report atomically; nothing is written on error.
pub fn export_to_file(meeting: &Meeting, options: &Options, out: &Path) -> Result<(), String> {
    let text = render(meeting, options)?;
    crate::store::write_atomically(out, |w| std::io::Write::write_all(w, text.as_bytes()))
        .map_err(|e| format!("{}: cannot write the report: {e}", out.display()))
}
