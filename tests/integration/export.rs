//! The summary report: golden file from the example meeting, attribution,
//! sections, zones, timestamps, templates and escaping in every format.

use minutes::export::{Format, Options, Timestamps, render};
use minutes::model::{Attendance, Meeting, NextMeeting, Note, NoteKind, classify};
use std::path::Path;
use std::process::Command;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/wg-strategy-84.json"
);

fn fixture() -> Meeting {
    minutes::store::load(Path::new(FIXTURE)).unwrap()
}

fn markdown(meeting: &Meeting) -> String {
    render(meeting, &Options::default()).unwrap()
}

fn with_timestamps(meeting: &Meeting, format: Format, timestamps: Timestamps) -> String {
    render(
        meeting,
        &Options {
            format,
            timestamps,
            ..Options::default()
        },
    )
    .unwrap()
}

fn with_format(meeting: &Meeting, format: Format) -> String {
    with_timestamps(meeting, format, Timestamps::default())
}

/// Compares with a reviewed file in tests/golden; `UPDATE_GOLDEN=1` rewrites it.
fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{} differs from the output:\n{actual}",
        path.display()
    );
}

#[test]
fn the_example_meeting_exports_like_the_example_report() {
    let meeting = fixture();
    golden("wg-strategy-84.md", &markdown(&meeting));
    golden("wg-strategy-84.html", &with_format(&meeting, Format::Html));
    golden("wg-strategy-84.txt", &with_format(&meeting, Format::Text));
}

/// A meeting with one agenda item and notes typed as given.
fn meeting_with(notes: &[(&[&str], &str)]) -> Meeting {
    let mut m = Meeting::new("Board", chrono_tz::Tz::UTC);
    m.add_agenda_item("Budget", None);
    for name in ["Adam Peake", "Isra Arab", "Chris Buckridge", "Titti Cassa"] {
        m.add_participant(name);
    }
    let at: minutes::model::Instant = "2024-09-26T14:05:00Z".parse().unwrap();
    m.started_at = Some("2024-09-26T14:00:00Z".parse().unwrap());
    for (i, (speakers, text)) in notes.iter().enumerate() {
        let c = classify(text);
        let owner = c
            .owner
            .as_deref()
            .and_then(|o| m.find_participant_by_name(o))
            .map(|p| p.id.clone());
        m.notes.push(Note {
            id: i as u64 + 1,
            item: Some(1),
            speakers: speakers.iter().map(|s| s.to_string()).collect(),
            text: text.to_string(),
            kind: c.kind,
            owner,
            due: c.due,
            started_at: at + chrono::Duration::seconds(67 * i as i64),
            committed_at: at,
            edited_at: None,
            done: false,
            off_record: false,
            transcript: None,
        });
    }
    m
}

#[test]
fn attribution_follows_how_scribes_write() {
    let m = meeting_with(&[
        (&["chris-buckridge"], "shared that the outcome was good."),
        (&["chris-buckridge"], "The outcome was good, he said."),
        (&["adam-peake", "isra-arab"], "agreed."),
        (&["adam-peake", "isra-arab", "titti-cassa"], "disagreed."),
        (&[], "No one objected."),
        (&["chris-buckridge"], "DECISION: adopt the budget"),
        (&[], "ACTION: @Titti circulate the letter due 2024-10-03"),
        (&[], "ACTION: send minutes"),
    ]);
    let md = markdown(&m);
    for expected in [
        "\nChris shared that the outcome was good.\n",
        "\n**Chris:** The outcome was good, he said.\n",
        "\nAdam and Isra agreed.\n",
        "\nAdam, Isra and Titti disagreed.\n",
        "\nNo one objected.\n",
        "\n**Decision:** adopt the budget\n",
        "\n**Action** (Titti, 3 October 2024): circulate the letter\n",
        "\n**Action**: send minutes\n",
        "## Decisions\n\n- adopt the budget (item 1)\n",
        "| circulate the letter | Titti | 3 October 2024 | 1. Budget |",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in:\n{md}");
    }
}

#[test]
fn multi_line_notes_keep_their_lines_and_lists() {
    let m = meeting_with(&[(
        &["adam-peake"],
        "raised three points:\n- funding\n- scope\n- timing\nHe asked for comments.\nBy Friday.",
    )]);
    let md = markdown(&m);
    assert!(md.contains("Adam raised three points:\n\n- funding\n- scope\n- timing\n\nHe asked for comments.  \nBy Friday.\n"), "{md}");
    let html = with_format(&m, Format::Html);
    assert!(html.contains("<li>funding</li>"), "{html}");
    assert!(
        html.contains("He asked for comments.<br>\nBy Friday."),
        "{html}"
    );
    let text = with_format(&m, Format::Text);
    assert!(
        text.contains("Adam raised three points:\n\n  - funding\n  - scope\n"),
        "{text}"
    );
}

#[test]
fn ordinals_in_the_intro() {
    for (n, ordinal) in [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (84, "84th"),
        (111, "111th"),
    ] {
        let mut m = Meeting::new("Board", chrono_tz::Tz::UTC);
        m.series_number = Some(n);
        assert!(markdown(&m).contains(&format!(
            "The {ordinal} virtual meeting of the Board was held."
        )));
    }
}

#[test]
fn empty_sections_are_left_out() {
    let m = Meeting::new("Quiet group", chrono_tz::Tz::UTC);
    let md = markdown(&m);
    assert_eq!(
        md,
        "# Quiet group\n\n**DRAFT**\n\n## Summary Report\n\nThe virtual meeting of the Quiet group was held.\n"
    );
    for format in [Format::Html, Format::Text] {
        let out = with_format(&m, format).to_lowercase();
        for section in [
            "attendance",
            "agenda",
            "discussion",
            "decisions",
            "action items",
            "next meeting",
        ] {
            assert!(
                !out.contains(section),
                "{section} in empty {format:?} report:\n{out}"
            );
        }
    }
}

#[test]
fn attendance_lists_present_and_regrets() {
    let mut m = meeting_with(&[(&["adam-peake"], "spoke.")]);
    m.participant_mut("isra-arab").unwrap().attendance = Some(Attendance::Regrets);
    m.participant_mut("titti-cassa").unwrap().attendance = Some(Attendance::Present);
    m.participant_mut("titti-cassa").unwrap().affiliation = Some("AGID".into());
    let md = markdown(&m);
    assert!(
        md.contains("**Present:** Adam Peake, Titti Cassa (AGID).\n"),
        "{md}"
    );
    assert!(md.contains("**Regrets:** Isra Arab.\n"), "{md}");
}

#[test]
fn times_are_in_the_meeting_zone() {
    let mut m = meeting_with(&[(&["adam-peake"], "spoke.")]);
    m.time_zone = chrono_tz::Europe::Paris;
    m.scheduled_start = Some("2024-09-26T14:00:00Z".parse().unwrap());
    m.next_meeting = Some(NextMeeting {
        at: "2024-10-31T18:00:00Z".parse().unwrap(),
        note: None,
        sentence: None,
    });
    let md = with_timestamps(&m, Format::Markdown, Timestamps::Clock);
    assert!(md.contains("26 September 2024 at 16:00 CEST"), "{md}");
    assert!(
        md.contains("The next call will be on 31 October 2024 at 19:00 CET."),
        "winter time: {md}"
    );
    assert!(md.contains("`16:05` Adam spoke."), "{md}");
}

#[test]
fn timestamps_clock_and_elapsed() {
    let m = meeting_with(&[(&["adam-peake"], "first."), (&["isra-arab"], "second.")]);
    let clock = with_timestamps(&m, Format::Markdown, Timestamps::Clock);
    assert!(
        clock.contains("`14:05` Adam first.") && clock.contains("`14:06` Isra second."),
        "{clock}"
    );
    let elapsed = with_timestamps(&m, Format::Markdown, Timestamps::Elapsed);
    assert!(
        elapsed.contains("`00:05:00` Adam first.") && elapsed.contains("`00:06:07` Isra second."),
        "{elapsed}"
    );
    assert!(!markdown(&m).contains("`14:05`"));
    let text = with_timestamps(&m, Format::Text, Timestamps::Elapsed);
    assert!(text.contains("[00:06:07] Isra second."), "{text}");
}

#[test]
fn a_user_template() {
    let m = fixture();
    let template = "{{ report.series_number|ordinal }} call of {{ report.title }}\n{% for s in report.sections %}{{ s.number }}: {{ s.entries|length }} notes\n{% endfor %}";
    let out = render(
        &m,
        &Options {
            template: Some(template.into()),
            ..Options::default()
        },
    )
    .unwrap();
    assert!(
        out.starts_with("84th call of IGF MAG Working Group"),
        "{out}"
    );
    assert!(out.contains("2: 9 notes"), "{out}");
    let broken = render(
        &m,
        &Options {
            template: Some("{% for x in %}".into()),
            ..Options::default()
        },
    );
    assert!(broken.unwrap_err().starts_with("template error at line 1"));
    // A misspelt name or filter is an error naming the line, not a gap.
    for (template, expected) in [
        (
            "# {{ report.title }}\n{{ report.titel }}\n",
            "template error at line 2: a name that is not in the report (docs/templates.md lists them): {{ report.titel }}",
        ),
        (
            "{{ report.title|shout }}",
            "template error at line 1: an unknown filter",
        ),
    ] {
        let error = render(
            &m,
            &Options {
                template: Some(template.into()),
                ..Options::default()
            },
        )
        .unwrap_err();
        assert!(error.starts_with(expected), "{error}");
    }
}

#[test]
fn note_text_is_data_never_markup() {
    let m = meeting_with(&[
        (&[], "# not a heading"),
        (&[], "1. not a list"),
        (&[], "- nor this"),
        (&[], "> nor a quote"),
        (&["adam-peake"], "<script>alert(1)</script>"),
        (&[], "[click](javascript:alert(1))"),
        (&[], "ACTION: @Titti split a | b cells"),
        (&[], "javascript:alert(1)"),
    ]);
    let md = markdown(&m);
    for expected in [
        "\n\\# not a heading\n",
        "\n1\\. not a list\n",
        "\n\\- nor this\n",
        "\n\\> nor a quote\n",
        "**Adam:** \\<script\\>alert(1)\\</script\\>",
        "\\[click\\](javascript:alert(1))",
        "| split a \\| b cells | Titti |",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in:\n{md}");
    }
    assert!(!md.contains("[click](javascript"), "{md}");

    let html = with_format(&m, Format::Html);
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{html}"
    );
    assert!(!html.contains("href=\"javascript"), "{html}");

    let text = with_format(&m, Format::Text);
    assert!(
        text.contains("<script>alert(1)</script>"),
        "plain text shows text as typed:\n{text}"
    );
}

#[test]
fn only_http_links_become_links() {
    let mut m = meeting_with(&[(&[], "https://example.org/a?b=c&d=<e>")]);
    // A hand-edited file may claim a link that is not http(s).
    m.notes.push(Note {
        kind: NoteKind::Link,
        text: "javascript:alert(1)".into(),
        id: 9,
        ..m.notes[0].clone()
    });
    let html = with_format(&m, Format::Html);
    assert!(
        html.contains("href=\"https:&#x2f;&#x2f;example.org&#x2f;a?b=c&amp;d=&lt;e&gt;\""),
        "{html}"
    );
    // Shown as the text it is, never as a link.
    assert!(!html.contains("href=\"javascript"), "{html}");
    assert!(
        html.contains("<p class=\"entry link\">javascript:alert(1)</p>"),
        "{html}"
    );
    let md = markdown(&m);
    assert!(
        !md.contains("<javascript") && !md.contains("](javascript"),
        "{md}"
    );
}

fn minutes_cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_minutes"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn export_command_writes_beside_the_file_or_where_told() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("call.json");
    std::fs::copy(FIXTURE, &file).unwrap();
    let out = minutes_cli(&["export", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = std::fs::read_to_string(dir.path().join("call.md")).unwrap();
    assert_eq!(md, markdown(&fixture()));

    let html = dir.path().join("report.html");
    assert!(
        minutes_cli(&[
            "export",
            file.to_str().unwrap(),
            "-o",
            html.to_str().unwrap()
        ])
        .status
        .success()
    );
    assert!(
        std::fs::read_to_string(&html)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );

    let stdout = minutes_cli(&[
        "export",
        file.to_str().unwrap(),
        "-o",
        "-",
        "--format",
        "text",
        "--timestamps",
        "clock",
    ]);
    let text = String::from_utf8(stdout.stdout).unwrap();
    assert!(text.starts_with("IGF MAG Working Group"), "{text}");
    assert!(text.contains("[14:02] Chris shared that"), "{text}");

    let template = dir.path().join("mine.j2");
    std::fs::write(
        &template,
        "Notes: {{ report.sections|map(attribute='entries')|map('length')|sum }}",
    )
    .unwrap();
    let out = minutes_cli(&[
        "export",
        file.to_str().unwrap(),
        "-o",
        "-",
        "--template",
        template.to_str().unwrap(),
    ]);
    // Every note, links among them where they were shared.
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Notes: 28\n");
}

#[test]
fn export_refuses_bad_files_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("corrupt.json");
    std::fs::write(&corrupt, "{\"format_version\": 1, \"title\": ").unwrap();
    let newer = dir.path().join("newer.json");
    std::fs::write(&newer, "{\"format_version\": 9}").unwrap();
    for (file, says) in [(&corrupt, "not valid JSON"), (&newer, "format version 9")] {
        let out = minutes_cli(&["export", file.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(
            stderr.contains(&file.display().to_string()) && stderr.contains(says),
            "{stderr}"
        );
        assert!(
            !file.with_extension("md").exists(),
            "no report written for {file:?}"
        );
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    entries.sort();
    assert_eq!(entries, ["corrupt.json", "newer.json"]);
}

#[test]
fn f6_exports_markdown_beside_the_meeting() {
    let mut h = crate::common::Harness::new(crate::common::wg_strategy());
    h.keys("<a-1>shared that it works<enter><f6>");
    // Written on a thread of its own: typing never waits for it.
    h.session.wait_for_export();
    let report = h.path().with_extension("md");
    let text = std::fs::read_to_string(&report).unwrap();
    assert!(text.contains("Chris shared that it works"), "{text}");
    let screen = h.screen(200, 30);
    assert!(
        screen.contains(&format!("Report written to {}", report.display())),
        "{screen}"
    );
}

#[test]
fn the_example_in_templates_md_renders() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/templates.md")).unwrap();
    let template = doc
        .split("```jinja\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let m = meeting_with(&[
        (&[], "DECISION: adopt"),
        (&[], "ACTION: @Titti write due 2024-10-03"),
    ]);
    let out = render(
        &m,
        &Options {
            template: Some(template.into()),
            ..Options::default()
        },
    )
    .unwrap();
    assert!(out.contains("- **Decision** (item 1): adopt"), "{out}");
    assert!(
        out.contains("- **Action** for Titti, due 3 October 2024: write"),
        "{out}"
    );
}

/// Read by a CommonMark renderer, hostile text stays text: a link note
/// cannot smuggle a link of its own, and a line break in a one-line field
/// (title, name, affiliation, item, next meeting) opens no block.
#[test]
fn hostile_links_and_line_breaks_keep_the_markdown_structure() {
    use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};
    let mut m = meeting_with(&[(&[], "https://x.org/>[CLICKME](https://phish.example/)<")]);
    m.title = "Board\n# Injected title".into();
    m.agenda[0].title = "Budget\n- injected item".into();
    m.participants[0].name = "Adam\n# Injected name".into();
    m.participants[0].affiliation = Some("ACME\n> quote".into());
    m.participants[0].attendance = Some(Attendance::Present);
    m.next_meeting = Some(NextMeeting {
        at: "2024-10-17T19:00:00Z".parse().unwrap(),
        note: Some("Same link\n## Injected".into()),
        sentence: None,
    });
    let md = markdown(&m);
    let mut headings = Vec::new();
    let mut links = Vec::new();
    let mut in_heading = None;
    let mut items = 0;
    for event in Parser::new(&md) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => in_heading = Some((level, String::new())),
            Event::Text(text) => {
                if let Some((_, heading)) = &mut in_heading {
                    heading.push_str(&text);
                }
            }
            Event::End(pulldown_cmark::TagEnd::Heading(_)) => headings.extend(in_heading.take()),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(dest_url.to_string()),
            Event::Start(Tag::Item) => items += 1,
            Event::Start(Tag::BlockQuote(_)) => panic!("a field opened a quote:\n{md}"),
            _ => {}
        }
    }
    let injected: Vec<_> = headings
        .iter()
        .filter(|(_, text)| text.contains("Injected") && !text.starts_with("Board"))
        .collect();
    assert!(injected.is_empty(), "{injected:?}\n{md}");
    assert_eq!(headings[0].0, HeadingLevel::H1);
    // The agenda's one item: no list item of a field's own.
    assert_eq!(items, 1, "{md}");
    assert_eq!(
        links,
        ["https://x.org/%3E[CLICKME](https://phish.example/)%3C"],
        "{md}"
    );
}

/// Notes on both sides of the end of summer time: the clock repeats an
/// hour, so clock timestamps name the offset.
#[test]
fn clock_timestamps_across_a_dst_change_say_which_hour() {
    let mut m = meeting_with(&[(&["adam-peake"], "before."), (&["isra-arab"], "after.")]);
    m.time_zone = chrono_tz::America::New_York;
    // 1 Nov 2026, 01:30 EDT (05:30Z) and 01:30 EST (06:30Z).
    m.notes[0].started_at = "2026-11-01T05:30:00Z".parse().unwrap();
    m.notes[1].started_at = "2026-11-01T06:30:00Z".parse().unwrap();
    let clock = with_timestamps(&m, Format::Markdown, Timestamps::Clock);
    assert!(
        clock.contains("`01:30 EDT` Adam before.") && clock.contains("`01:30 EST` Isra after."),
        "{clock}"
    );
}

/// The example report, typed live as a secretary would: the prep file,
/// an opening note, Tab to pick each speaker, links pasted as they were
/// shared, `...` to continue a paragraph, Alt+0 for a sentence of the
/// scribe's own, the next call in F2. The Markdown export matches
/// ../shared/examples/wg-strategy-84-summary.txt paragraph by paragraph,
/// bar the example's own slips (it numbers AoB 7).
mod typed_example {
    use super::*;

    const PACT: &str = "https://www.un.org/sites/un2.un.org/files/sotf-the-pact-for-the-future.pdf";
    const DOC1: &str = "https://docs.google.com/document/d/1FuRD4EdoKM42eCMQfpDBAGdkgAQZ2yXH/edit";
    const DOC2: &str = "https://docs.google.com/document/d/1Rz85BvhXzsp-PLI34DJP48yGBzakGTQm/edit?usp=sharing&ouid=110875644199585941407&rtpof=true&sd=true";
    const DOC3: &str =
        "https://docs.google.com/document/d/1PXV2wLiRsuQvVqiOuvYSb1PjnUS3F8ZpAU68VjnIGkY/edit";

    fn prep() -> Meeting {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wg-strategy-84-prep.md");
        let prep = minutes::import::parse_agenda(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut meeting = Meeting::new("Meeting", chrono_tz::Tz::UTC);
        let mut prep = prep;
        meeting.title = prep.title.take().unwrap();
        prep.apply_to(&mut meeting);
        meeting
    }

    /// Picks a speaker by name with Tab, then types what they said.
    fn said(who: &str, text: &str) -> String {
        format!("<tab>{who}<enter>{text}<enter>")
    }

    pub fn typed() -> Meeting {
        let mut h = crate::common::Harness::new(prep());
        h.keys("<c-p>The co-chair opened the meeting by introducing the agenda.<enter><c-n>");
        h.keys(&said("chris", "shared that the Pact of Future and GDC had been agreed the past weekend and commended the work done by the WG Strategy on making submissions through MAG and LP."));
        h.keys(&said("justin", "shared that the outcome was much better than initially feared. There was a clear recognition that Internet governance should be multistakeholder. Challenges remain and there are more questions on implementation, the process has a long way to go, and we need a roadmap of WSIS+20. He cautioned on the need to continue to be vigilant."));
        h.keys(&said("anriette", "shared that the outcome is good and stressed the need to ensure WSIS supports IGF. She added that we did a lot of work on the follow-up process, which is not mentioned in the document. We reuse those. She reflected that the GDC process was a clash of cultures between multilateral and multistakeholder processes, better development of modalites drawing on references from the NetMundial process. She stressed the importance of identifying concrete approaches. She added the need to relook at WSIS and how GDC can connect to WSIS and the IGF's engagement in the WSIS process."));
        h.keys(&said("giacomo", "shared that the level of IGF visibility in GDC was low, while WSIS had high visibility. He also noted that UNESCO's role was very low profile."));
        // Shared in the chat while Giacomo spoke: pasted as they came.
        for link in [PACT, DOC1, DOC2, DOC3, PACT] {
            h.paste(link);
            h.keys("<enter>");
        }
        h.keys(&said("ana neves", "shared that Doreen stated that ITU did a lot in the Action Days and that the ITU, as a digital technology agency, was proud of what they did and what they will do for GDC. It seems that the idea is to project ITU as the UN's Digital Technology Agency."));
        h.keys(&said("desiree", "shared the first youth-oriented summit and IGF should take some credit for promoting youth. She also urged to look at what bridges can be built with the Tech Envoy's office as there will be many parallel activities going on"));
        h.keys(&said("anriette", "shared APC is proposing that a \"major group\" for digital rights and development be established in the UN SDG process."));
        h.keys(&said("chris", "...noted that some technical community organizations are ECOSOC-accredited, and could help to promote this idea."));
        h.keys(&said("timea", "mentioned that the IGF secretariat and community needs to coordinate with UNDESA to amplify things in UN. In the WSIS process, the IGF is an outcome from WSIS, but it has grown, there is a need for the IGF to reflect on how to engage with others in the WSIS ecosystem."));
        h.keys("<c-n>");
        h.keys(&said(
            "titti",
            "shared the background of the draft letter and the suggestions made by Wolfgang.",
        ));
        h.keys(&said("anriette", "shared her concerns on the letter, especially since the Under-Secretary-General will not be responsible for modalities and the President of the General Assembly will appoint co-facilitators. She suggested we get more clarity from the member state representatives."));
        h.keys(&said("adam", "suggested that referencing NETMundial is a red flag, but noted that the origins of the principles were developed in IGF2013, and perhaps that could be referenced."));
        h.keys(&said("isra", "... supported Adam's idea."));
        h.keys(&said("timea", "…agreed to Adam’s rationale."));
        h.keys(&said("juan", "recalled the role of IGF in WSIS+20. Strategic thinking, come to consensus and do some lobbying for a concrete proposal on what should be the IGF approach to be taken into consideration on WSIS+20 process and follow up."));
        h.keys(&said(
            "xiao",
            "asked if will there be any interaction between IGF and CSTD on WSIS+20",
        ));
        h.keys(&said("timea", "asked government colleagues on what can be expected and what could be the right time to send the letter."));
        h.keys(&said("anriette", "agreed to the need to do more homework. We need to be exploratory perhaps rather than a letter, why can we not have a white paper or document on how IGF can support the WSIS process? She added a letter to specific individuals can follow when we know who the Co-Facilitators of the WSIS+20 resolution are."));
        h.keys("<c-n>");
        for link in [DOC1, DOC2] {
            h.paste(link);
            h.keys("<enter>");
        }
        h.keys(&said("chris", "shared the need to relook at the IGF strategic vision document in the context of the Pact of the future and GDC."));
        h.keys("<c-n>");
        h.keys(&said(
            "chris",
            "shared that the invitation to speakers has gone out for the main session.",
        ));
        h.keys("<c-n><a-0>Since there were no representatives from the Secretariat, Chris shared on the MAG session on 25 Sept and discussion of the Main Sessions.<enter>");
        h.keys("<c-n>");
        // The next call, in F2: date, time, the group's sentence, the link.
        h.keys("<f2><down*11><enter>2024-10-17<enter><down><enter><bs*10>19:00<enter>");
        h.keys("<down><enter>The next call will be on 17 October 19:00 UTC<enter>");
        h.keys("<down><enter>");
        h.paste(DOC3);
        h.keys("<enter><esc><c-q>");
        h.session.finish().unwrap();
        let saved = h.saved();
        assert_eq!(saved, h.app().meeting);
        saved
    }

    /// The example's text as units of comparison: its lines, with the
    /// lines it wrapped joined again (a long line runs on into the next;
    /// a URL never does), headings and list marks as text.
    fn example_units(text: &str) -> Vec<String> {
        let mut units: Vec<String> = Vec::new();
        let mut runs_on = false;
        let mut blank_since = false;
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() {
                blank_since = true;
                continue;
            }
            let continues =
                runs_on && (!blank_since || units.last().is_some_and(|l| l.ends_with(',')));
            match units.last_mut() {
                Some(last) if continues && last.ends_with('-') => last.push_str(line),
                Some(last) if continues => {
                    last.push(' ');
                    last.push_str(line);
                }
                _ => units.push(line.to_string()),
            }
            runs_on = line.chars().count() >= 75 && !line.starts_with("http");
            blank_since = false;
        }
        units
    }

    /// The Markdown export's lines as text: heading marks, list marks,
    /// autolink brackets and escapes taken off.
    fn markdown_units(markdown: &str) -> Vec<String> {
        markdown
            .lines()
            .map(|line| {
                let line = line.trim_start_matches('#').trim();
                let line = line.strip_prefix("- ").unwrap_or(line);
                let mut text = String::new();
                let mut chars = line.chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => text.extend(chars.next()),
                        '<' | '>' => {}
                        c => text.push(c),
                    }
                }
                text
            })
            .filter(|line| !line.is_empty())
            .collect()
    }

    #[test]
    fn the_example_report_typed_live_needs_no_hand_edits() {
        let mut meeting = typed();
        // Sent as the secretary sends it: checked, then made final.
        let at = "2024-09-27T09:00:00+00:00".parse().unwrap();
        if let Err(refusal) = minutes::finalize::finalize(&mut meeting, "Ana Neves", at, false) {
            panic!("the typed meeting is not ready to send: {refusal:?}");
        }
        let markdown = markdown(&meeting);
        let example = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/examples/wg-strategy-84-summary.txt"),
        );
        let Ok(example) = example else {
            eprintln!("skipped: ../shared/examples is not beside this checkout");
            return;
        };
        let wanted = example_units(&example);
        let made = markdown_units(&markdown);
        // The longest common run of units, and what is left on each side.
        let (n, m) = (wanted.len(), made.len());
        let mut lcs = vec![vec![0usize; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i][j] = if wanted[i] == made[j] {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        let mut diff = String::new();
        let (mut only_example, mut only_export) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && wanted[i] == made[j] {
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
                diff.push_str(&format!("+ {}\n", made[j]));
                only_export += 1;
                j += 1;
            } else {
                diff.push_str(&format!("- {}\n", wanted[i]));
                only_example += 1;
                i += 1;
            }
        }
        let differing = only_example.max(only_export);
        eprintln!("{differing} paragraph(s) differ from the example:\n{diff}");
        assert!(
            differing <= 2,
            "{differing} paragraphs differ (- example, + export):\n{diff}\n{markdown}"
        );
        // Read by a CommonMark renderer, every URL of the example is a
        // link to exactly that URL.
        let targets: Vec<String> = pulldown_cmark::Parser::new(&markdown)
            .filter_map(|event| match event {
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) => {
                    Some(dest_url.to_string())
                }
                _ => None,
            })
            .collect();
        let urls: Vec<&str> = example
            .split_whitespace()
            .filter(|word| word.starts_with("https://"))
            .collect();
        assert_eq!(urls.len(), 8);
        for url in urls {
            assert!(
                targets.iter().any(|t| t == url),
                "{url} is no link target:\n{targets:#?}"
            );
        }
        golden("wg-strategy-84-typed.md", &markdown);
        golden(
            "wg-strategy-84-typed.html",
            &with_format(&meeting, Format::Html),
        );
        golden(
            "wg-strategy-84-typed.txt",
            &with_format(&meeting, Format::Text),
        );
    }
}

/// `minutes templates` lists the built-in templates and copies one out;
/// a group's own template (its house style) is used by export, and a
/// mistake in it names the file and the line, and writes nothing.
#[test]
fn templates_of_ones_own() {
    let dir = tempfile::tempdir().unwrap();
    let out = minutes_cli(&["templates"]);
    let listing = String::from_utf8_lossy(&out.stdout);
    for name in ["report.md.j2", "report.html.j2", "report.txt.j2"] {
        assert!(listing.contains(name), "{listing}");
    }
    let d = dir.path().to_str().unwrap();
    assert!(
        minutes_cli(&["templates", "copy", "markdown", d])
            .status
            .success()
    );
    let copied = std::fs::read_to_string(dir.path().join("report.md.j2")).unwrap();
    assert_eq!(copied, minutes::export::MARKDOWN_TEMPLATE);
    let again = minutes_cli(&["templates", "copy", "markdown", d]);
    assert!(
        String::from_utf8_lossy(&again.stderr)
            .contains("already exists; your own template is kept")
    );

    let mut meeting = fixture();
    meeting.report.template = Some("house.md.j2".into());
    let file = dir.path().join("m.json");
    minutes::store::save(&file, &meeting).unwrap();
    std::fs::write(
        dir.path().join("house.md.j2"),
        "# {{ report.title }}\n{{ report.titel }}\n",
    )
    .unwrap();
    let report = dir.path().join("m.md");
    let out = minutes_cli(&["export", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("house.md.j2: template error at line 2: a name that is not in the report"),
        "{stderr}"
    );
    assert!(!report.exists(), "nothing written");
    std::fs::write(
        dir.path().join("house.md.j2"),
        "Our {{ report.short_name or report.title }}\n",
    )
    .unwrap();
    assert!(
        minutes_cli(&["export", file.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(
        std::fs::read_to_string(&report).unwrap(),
        format!("Our {}\n", meeting.title)
    );
    // HTML is not what the house template is for: the built-in one serves.
    let out = minutes_cli(&[
        "export",
        file.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        "-",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("<!DOCTYPE html>"));
}

/// W3C's habits in the report: proposals and summaries marked, scribes who
/// handed over named, and statements as said (`--style transcript`) or
/// reported (the default).
#[test]
fn proposals_summaries_scribes_and_the_transcript_style() {
    let mut start = crate::common::wg_strategy();
    start.note_taker = Some("Ana Neves".into());
    let mut h = crate::common::Harness::new(start);
    h.keys("<tab>chr<enter>shared that the letter is ready<enter>");
    h.keys("PROPOSED: send the letter on Monday<enter>");
    h.keys("scribe+ Justin<enter>");
    h.keys("SUMMARY: the group agreed to send it<enter><c-q>");
    h.session.finish().unwrap();
    let mut meeting = h.saved();
    let reported = markdown(&meeting);
    for wanted in [
        "Chris shared that the letter is ready",
        "**Proposed:** send the letter on Monday",
        "**Summary:** the group agreed to send it",
        "**Scribes:** Ana Neves, Justin Fair.",
    ] {
        assert!(reported.contains(wanted), "{wanted}:\n{reported}");
    }
    let transcript = render(
        &meeting,
        &Options {
            voice: Some(minutes::export::Voice::Transcript),
            ..Options::default()
        },
    )
    .unwrap();
    assert!(
        transcript.contains("**Chris:** shared that the letter is ready"),
        "{transcript}"
    );
    // The house style says the same, and `--style` says it on the command line.
    meeting.report.transcript = true;
    assert_eq!(markdown(&meeting), transcript);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.json");
    meeting.report.transcript = false;
    drop(minutes::store::Store::create(&file, &meeting).unwrap());
    let out = Command::new(env!("CARGO_BIN_EXE_minutes"))
        .args([
            "export",
            file.to_str().unwrap(),
            "--style",
            "transcript",
            "-o",
            "-",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), transcript);
}

/// Someone who spoke but was never marked (an imported log's speakers)
/// was there: the report lists them as present and check agrees, while a
/// speaker marked regrets is still an error.
#[test]
fn report_and_check_agree_on_who_was_present() {
    let mut meeting = crate::common::wg_strategy();
    meeting.participants[1].attendance = Some(minutes::model::Attendance::Regrets);
    let mut h = crate::common::Harness::new(meeting);
    h.keys("<a-1>shared that it works<enter><a-2>asked why<enter>");
    let saved = h.saved();
    let report = minutes::export::Report::new(&saved, minutes::export::Timestamps::None);
    assert!(report.present.iter().any(|p| p.name == "Chris Buckridge"));
    let findings = minutes::check::check(&saved);
    let people: Vec<&str> = findings
        .iter()
        .filter(|f| f.place == "people")
        .map(|f| f.problem.as_str())
        .collect();
    assert_eq!(
        people,
        ["Justin Fair spoke but is marked regrets"],
        "{findings:?}"
    );
}
