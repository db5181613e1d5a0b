//! What `minutes` and its subcommands take: clap's types, nothing else.

use crate::export::{Format, Timestamps, Voice};
use clap::{Args, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "minutes",
    version,
    about = "Live meeting notes in the terminal.",
    long_about = "Live meeting notes in the terminal: agenda, speakers and timestamps while the call runs, saved continuously to a JSON file.\n\nWith no command, starts a new meeting in your data folder; `minutes FILE` opens FILE, or starts a new meeting in it.",
    override_usage = "minutes [OPTIONS] [FILE]\n       minutes [OPTIONS] <COMMAND>"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Colour theme: default, light, high-contrast, colorblind, or your own (docs/themes.md).
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,
    /// Settings file (default: config.toml in your config folder; docs/config.md).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

// Each command's arguments are made only when it is the one run: clap
// made all eighteen commands' on every start, on the way to the first frame.
#[derive(Subcommand, Debug)]
#[command(defer = true)]
pub enum Command {
    /// Start a new meeting and take notes.
    New(NewArgs),
    /// Resume taking notes in an existing meeting file.
    Open {
        /// The meeting file (JSON); without it, the meeting last written in
        /// the data folder (the one you were in).
        file: Option<PathBuf>,
        /// Share the meeting with other scribes, who join at ADDR
        /// (e.g. 0.0.0.0:7070, TLS when not loopback); `minutes links FILE`
        /// prints the link they join with.
        #[arg(long, value_name = "ADDR")]
        share: Option<String>,
        /// Join a shared meeting with its scribe link (from `minutes links`);
        /// FILE is made from the shared meeting when it does not exist.
        #[arg(long, value_name = "LINK")]
        join: Option<String>,
        /// Share the meeting through an automerge-repo relay rather than
        /// listening here: e.g. the npm sync server
        /// (`@automerge/automerge-repo-sync-server`) at ws://127.0.0.1:3030,
        /// or wss://HOST behind TLS (docs/design/multi-scribe.md).
        #[arg(long, value_name = "URL", conflicts_with_all = ["share", "join"])]
        relay: Option<String>,
        /// Your name as a scribe, shown to the other scribes.
        #[arg(long = "as", value_name = "NAME")]
        scribe: Option<String>,
        /// Serve the participants' live page at ADDR (e.g. 0.0.0.0:8080):
        /// notes as committed, the queue, polls; its link, with a random
        /// secret, is printed before the meeting opens.
        /// With --share, the page is served on the share's port + 1
        /// unless --page says where, or --no-page.
        #[arg(long, value_name = "ADDR")]
        page: Option<String>,
        /// Share with the scribes only: no participants' page.
        #[arg(long, conflicts_with = "page")]
        no_page: bool,
        /// The page's TLS certificate (PEM, e.g. the host's from Let's
        /// Encrypt), with --page-key. Off loopback the page is HTTPS
        /// anyway: without these, with the meeting's self-signed
        /// certificate (browsers ask once whether to go on).
        #[arg(
            long,
            value_name = "FILE",
            requires = "page_key",
            conflicts_with = "no_page"
        )]
        page_cert: Option<PathBuf>,
        /// The private key (PEM) of --page-cert.
        #[arg(long, value_name = "FILE", requires = "page_cert")]
        page_key: Option<PathBuf>,
        /// The call goes on: an ended meeting runs again (its end is
        /// stamped anew at quit). Without it, opening an ended meeting to
        /// fix its notes leaves its times as they were.
        #[arg(long)]
        resume: bool,
        #[command(flatten)]
        listen: ListenArgs,
    },
    /// Write the meeting's summary report (Markdown, HTML or plain text).
    Export(ExportArgs),
    /// List the meetings in the data folder, newest first.
    List(ArchiveArgs),
    /// Find notes across all meetings by their words or speakers (ignoring case and accents).
    Search {
        /// Words that must all appear in the note.
        #[arg(required = true)]
        text: Vec<String>,
        #[command(flatten)]
        archive: ArchiveArgs,
    },
    /// Action items still open across all meetings, by owner.
    Actions(ArchiveArgs),
    /// What to fix before the minutes go out. Errors: actions without an
    /// owner or due date, corrections that matched nothing, speakers marked
    /// regrets or absent. Warnings: items without notes, notes without a
    /// speaker, no next meeting. Exits 1 when it finds any.
    Check {
        /// The meeting file (JSON).
        file: PathBuf,
    },
    /// Mark the minutes final: the report stops saying DRAFT. Refused while
    /// `minutes check` finds an error, unless --force.
    Finalize {
        /// The meeting file (JSON).
        file: PathBuf,
        /// Who makes them final (default: the note-taker, else the chair).
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        /// Make them final even though `minutes check` finds things to fix.
        #[arg(long)]
        force: bool,
    },
    /// Send the final minutes where the group reads them: a git repository,
    /// a mailing list, the GitHub issues discussed (docs/publish.md). Where
    /// to: these options, else the meeting's (a prep file's ## Publish,
    /// carried by `new --from`), else config.toml's [publish].
    Publish(PublishArgs),
    /// Turn a chat log into a meeting file: W3C scribe logs (RRSAgent,
    /// irssi, weechat, quassel, ZNC, plain `<nick> text`) and MeetBot logs.
    Import(ImportArgs),
    /// Recognise the speech in a recording (WAV) on this machine and write
    /// it as WebVTT cues (docs/transcript.md).
    Transcribe {
        /// The recording (WAV, any rate; mixed to mono).
        audio: PathBuf,
        /// Output file (default: beside AUDIO, with .vtt); `-` for standard output.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
    },
    /// `minutes FILE`: a word that is no command is the meeting file.
    #[command(external_subcommand)]
    File(Vec<OsString>),
    /// The built-in report templates: list them, or copy one out to start
    /// a template of your own from (docs/templates.md).
    Templates {
        #[command(subcommand)]
        command: Option<TemplatesCommand>,
    },
    /// The links to a shared meeting: the scribes' (read and write) and
    /// the participants' page (docs/design/multi-scribe.md).
    Links {
        /// The meeting file shared with `minutes open FILE --share ADDR`.
        file: PathBuf,
        /// The address to share on, if not the one last used.
        #[arg(long, value_name = "ADDR")]
        share: Option<String>,
        /// The participants' page's port (default: the share's port + 1).
        #[arg(long, value_name = "PORT")]
        page_port: Option<u16>,
    },
}

#[derive(Args, Debug)]
pub struct ArchiveArgs {
    /// The folder of meetings (default: the data folder, or the config's data_dir).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The meeting file (JSON).
    pub file: PathBuf,
    /// Output file; `-` for standard output. Default: beside FILE, with the format's extension.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Output format; by default from OUT's extension, else Markdown.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Render with your own minijinja template (see docs/templates.md).
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// Put each note's time before it: `clock` (14:21) or `elapsed` since the start (00:21:07). Default: none, or the config's.
    #[arg(long, value_enum)]
    pub timestamps: Option<Timestamps>,
    /// How statements read: `reported` ("Chris shared that …") or
    /// `transcript` ("Chris: …", as W3C minutes). Default: the meeting's
    /// house style.
    #[arg(long, value_enum)]
    pub style: Option<Voice>,
    /// Write over OUT even though it is a meeting file (a meeting's
    /// journal, lock or draft is never written over).
    #[arg(long)]
    pub force: bool,
    /// Write the meeting's transcript (FILE.transcript.jsonl) as WebVTT
    /// instead of the report (default OUT: FILE.vtt).
    #[arg(long, conflicts_with_all = ["format", "template", "timestamps", "style"])]
    pub transcript: bool,
}

#[derive(Args, Debug, Default)]
pub struct PublishArgs {
    /// The meeting file (JSON).
    pub file: PathBuf,
    /// Commit the Markdown report into this git repository (a clone, a bare
    /// repository or a URL), under FOLDER; pushed if it has a remote.
    #[arg(long, value_name = "REPO[:FOLDER]")]
    pub git: Option<String>,
    /// Mail the report (text and HTML) to these addresses.
    #[arg(long, value_name = "TO[,TO…]", value_delimiter = ',')]
    pub email: Vec<String>,
    /// The mail server (587: STARTTLS, 465: TLS; credentials from
    /// MINUTES_SMTP_USER and MINUTES_SMTP_PASSWORD or config.toml).
    #[arg(long, value_name = "HOST:PORT")]
    pub smtp: Option<String>,
    /// The mail's From address.
    #[arg(long, value_name = "ADDRESS")]
    pub sender: Option<String>,
    /// Comment each item's minutes on the issues and pull requests of
    /// OWNER/REPO it links (a token in GITHUB_TOKEN).
    #[arg(long, value_name = "OWNER/REPO")]
    pub github: Option<String>,
    /// Also open a GitHub issue for each action.
    #[arg(long)]
    pub actions_as_issues: bool,
    /// Publish though the minutes are not final (`minutes finalize`).
    #[arg(long)]
    pub draft: bool,
    /// Publish again where the minutes already went.
    #[arg(long)]
    pub again: bool,
    /// Print what would be sent, and send nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The chat log (text, any of the forms in docs/import.md).
    pub log: PathBuf,
    /// The meeting file to write (default: beside LOG, with .json); never
    /// written over.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The meeting's title, over the log's `Meeting:` or `#startmeeting`.
    #[arg(long)]
    pub title: Option<String>,
    /// IANA zone of the log's clock times (default: UTC for RRSAgent logs,
    /// else the config's zone, else this computer's).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// The meeting's day, when the log does not say (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub date: Option<chrono::NaiveDate>,
    /// The scribe's nick, when the log has no `scribe:` line.
    #[arg(long, value_name = "NICK")]
    pub scribe: Option<String>,
    /// Keep everyone's chat as notes in a MeetBot log (MeetBot minutes only
    /// the #commands).
    #[arg(long)]
    pub chat: bool,
}

#[derive(Args, Debug, Default)]
pub struct NewArgs {
    /// Where to save the meeting; defaults to a new file in the data folder.
    pub file: Option<PathBuf>,
    /// The meeting or group name (default: the agenda's `# Heading`, else "Meeting").
    #[arg(long)]
    pub title: Option<String>,
    /// Agenda as a text or Markdown list, or a whole prep file with details
    /// and participants (docs/prep.md); a leading `# Heading` becomes the title.
    #[arg(long, value_name = "FILE")]
    pub agenda: Option<PathBuf>,
    /// Start the next meeting of a series from the previous one: same group,
    /// roster and chair, the next number, its open actions to review.
    #[arg(long, value_name = "PREVIOUS")]
    pub from: Option<PathBuf>,
    /// Roster: one `Full Name (Affiliation) [Short]` per line.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// IANA time zone of the meeting, e.g. Europe/Paris (default: the prep file's, the config's, else this computer's).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// A calendar invite (.ics): its title, time, length, attendees, chair,
    /// agenda and conferencing link; a recurring one gives its next meeting
    /// (docs/publish.md).
    #[arg(long, value_name = "INVITE")]
    pub ics: Option<PathBuf>,
    /// With --ics: the meeting of the series on this day (YYYY-MM-DD)
    /// rather than the next one.
    #[arg(long, value_name = "DATE", requires = "ics")]
    pub on: Option<chrono::NaiveDate>,
    #[command(flatten)]
    pub listen: ListenArgs,
}

// The transcript while taking notes (docs/transcript.md). Not a doc
// comment: clap would make it the about of `new` and `open`, whose
// arguments are made late (`defer`).
#[derive(Args, Debug, Default, Clone)]
pub struct ListenArgs {
    /// Listen from the start: the call is transcribed on this machine
    /// beside the notes (Alt+L turns it on and off).
    #[arg(long)]
    pub transcribe: bool,
    /// Play this recording (WAV) through the transcript as if it were
    /// the call, in real time; listening starts at once.
    #[arg(long, value_name = "AUDIO")]
    pub audio_from: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum TemplatesCommand {
    /// Write a built-in template into DIR, to edit as your own.
    Copy {
        /// markdown, html or text.
        #[arg(value_enum)]
        name: Format,
        /// The folder to write it in (it keeps its name, e.g. report.md.j2).
        dir: PathBuf,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Each command's help opens with its own line of the command list,
    /// although its arguments are made only when it runs.
    #[test]
    fn every_commands_help_opens_with_its_own_about() {
        for command in Cli::command().get_subcommands() {
            let name = command.get_name();
            let about = command.get_about().map(ToString::to_string);
            let Some(about) = about else {
                continue;
            };
            let help = Cli::try_parse_from(["minutes", name, "--help"])
                .map(|_| String::new())
                .unwrap_or_else(|e| e.to_string());
            // Its first paragraph, however the help is wrapped.
            let opening = help.split("\n\n").next().unwrap_or_default();
            let opening = opening.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(opening, about, "`minutes {name} --help`");
        }
    }
}
