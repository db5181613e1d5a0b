//! Generated meetings of any size, for benchmarks and load tests (and
//! `tests/integration/format.rs`, which checks them against the schema): 30
//! agenda items, 100 participants, notes of realistic length, some
//! multi-line, some non-ASCII, some actions, decisions and links.

use chrono::Duration;
use minutes::model::{Attendance, Instant, Meeting, Note, Visit, classify};

const FIRST_NAMES: [&str; 20] = [
    "Chris",
    "Anriette",
    "Désirée",
    "Timea",
    "Adam",
    "Isra",
    "Juan",
    "Xiao",
    "Giacomo",
    "Titti",
    "Ana",
    "Justin",
    "Björn",
    "Zoë",
    "Ngozi",
    "Oluwaseun",
    "Søren",
    "Małgorzata",
    "Hiroshi",
    "Priya",
];
const LAST_NAMES: [&str; 5] = ["Buckridge", "Esterhuysen", "Müller", "Suto", "张"];

const SENTENCES: [&str; 12] = [
    "shared that the outcome was much better than initially feared.",
    "stressed the need to ensure the process supports the forum and its intersessional work.",
    "noted that some technical community organisations are accredited and could help promote this idea.",
    "asked whether there will be any interaction between the two bodies before the review.",
    "suggested that referencing the earlier principles is a red flag, but noted their origins.",
    "agreed.",
    "recalled the role of the group in the review: strategic thinking, consensus, and a concrete proposal on the approach to be taken.",
    "cautioned on the need to continue to be vigilant — the process has a long way to go.",
    "mentioned that the secretariat and community need to coordinate to amplify things; the forum has grown and needs to reflect on how to engage with others in the ecosystem.",
    "supported the idea.",
    "raised three points:\n- funding for the next cycle\n- the scope of the review\n- timing of the letter",
    "said 会议的结论是继续讨论, with thanks to the interpreters.",
];

/// A meeting with `notes` notes, deterministic for a given size.
pub fn meeting(notes: usize) -> Meeting {
    let start: Instant = "2024-09-26T14:00:00+00:00"
        .parse()
        .unwrap_or_else(|_| unreachable!());
    let mut meeting = Meeting::new("Generated Working Group", chrono_tz::Europe::Paris);
    meeting.series_number = Some(84);
    meeting.scheduled_start = Some(start);
    meeting.started_at = Some(start);
    meeting.chair = Some("Chris Buckridge".into());
    for i in 0..100 {
        let name = format!("{} {}", FIRST_NAMES[i % 20], LAST_NAMES[i / 20]);
        let id = meeting.add_participant(&format!("{name} (Org {i})"));
        if let Some(p) = meeting.participant_mut(&id) {
            p.attendance = Some(Attendance::Present);
        }
    }
    for i in 0..30 {
        meeting.add_agenda_item(
            format!("Agenda item {} on the review of the strategy", i + 1),
            Some(10),
        );
    }
    let ids: Vec<String> = meeting.participants.iter().map(|p| p.id.clone()).collect();
    // The last item (where the meeting is) holds a fifth of the notes, so
    // its pane is full at every size and sizes compare like for like.
    let last_share = (notes / 5).max(notes.min(40));
    let per_item = (notes - last_share).div_ceil(29).max(1);
    for n in 0..notes {
        let at = start + Duration::seconds(20 * n as i64);
        let text = match n % 23 {
            7 => format!(
                "ACTION: @{} circulate the draft letter due 2024-10-03",
                FIRST_NAMES[n % 20]
            ),
            13 => "DECISION: the group will prepare a white paper instead of a letter".to_string(),
            19 => format!("https://example.org/documents/{n}/edit?usp=sharing"),
            _ => SENTENCES[n % SENTENCES.len()].to_string(),
        };
        let classified = classify(&text);
        let speakers = match n % 11 {
            0 => vec![],
            5 => vec![ids[n % 100].clone(), ids[(n + 7) % 100].clone()],
            _ => vec![ids[(n * 7) % 100].clone()],
        };
        meeting.notes.push(Note {
            id: n as u64 + 1,
            item: Some(if n >= notes - last_share {
                30
            } else {
                (n / per_item).min(28) as u32 + 1
            }),
            speakers,
            text,
            kind: classified.kind,
            owner: None,
            due: classified.due,
            started_at: at,
            committed_at: at + Duration::seconds(15),
            edited_at: None,
            done: false,
            off_record: false,
            transcript: None,
        });
    }
    let end = start + Duration::seconds(20 * notes as i64 + 60);
    let last_starts = notes - last_share;
    for (i, item) in meeting.agenda.iter_mut().enumerate() {
        let (first, after) = if i == 29 {
            (last_starts, notes)
        } else {
            (i * per_item, (i + 1) * per_item)
        };
        let entered = start + Duration::seconds(20 * first.min(last_starts) as i64);
        let left = start + Duration::seconds(20 * after.min(notes) as i64);
        item.visits.push(Visit {
            entered,
            left: Some(left.min(end).max(entered)),
        });
    }
    meeting.ended_at = Some(end);
    meeting
}
