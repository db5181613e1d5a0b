//! Who spoke, and for how long: counted from each note's start to the next
//! note's start, bounded (a long silence or a break is not speaking time).

use super::{Attendance, Instant, Meeting, NoteKind};

/// Longest stretch one note counts for.
const MAX_TURN_SECONDS: i64 = 5 * 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerStats {
    pub id: String,
    pub interventions: usize,
    pub seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Speaking {
    /// Participants who spoke, most speaking time first.
    pub spoke: Vec<SpeakerStats>,
    /// Participants marked present who have not spoken, in roster order.
    pub silent: Vec<String>,
}

/// `now` bounds the last note's turn while the meeting runs.
pub fn speaking(meeting: &Meeting, now: Instant) -> Speaking {
    let mut starts: Vec<(Instant, &[String])> = meeting
        .notes
        .iter()
        .filter(|n| !n.speakers.is_empty() && n.kind != NoteKind::Link)
        .map(|n| (n.started_at, n.speakers.as_slice()))
        .collect();
    starts.sort_by_key(|(at, _)| *at);
    // Any note (with or without speaker) ends the turn before it, but a
    // link pasted while someone speaks: it is no turn of its own.
    let mut all_starts: Vec<Instant> = meeting
        .notes
        .iter()
        .filter(|n| n.kind != NoteKind::Link)
        .map(|n| n.started_at)
        .collect();
    all_starts.sort();
    let end = meeting.ended_at.unwrap_or(now);

    let mut stats: Vec<SpeakerStats> = Vec::new();
    for (at, speakers) in starts {
        let next = all_starts.partition_point(|s| *s <= at);
        let until = all_starts.get(next).copied().unwrap_or(end);
        let seconds = (until - at).num_seconds().clamp(0, MAX_TURN_SECONDS);
        for id in speakers {
            match stats.iter_mut().find(|s| s.id == *id) {
                Some(s) => {
                    s.interventions += 1;
                    s.seconds += seconds;
                }
                None => stats.push(SpeakerStats {
                    id: id.clone(),
                    interventions: 1,
                    seconds,
                }),
            }
        }
    }
    stats.sort_by(|a, b| {
        b.seconds
            .cmp(&a.seconds)
            .then(b.interventions.cmp(&a.interventions))
    });
    // Who is there and has not spoken: those marked present, or, while
    // nobody is marked at all, the whole roster.
    let marked = meeting.participants.iter().any(|p| p.attendance.is_some());
    let silent = meeting
        .participants
        .iter()
        .filter(|p| {
            let here = p.attendance == Some(Attendance::Present) || !marked;
            here && !stats.iter().any(|s| s.id == p.id)
        })
        .map(|p| p.id.clone())
        .collect();
    Speaking {
        spoke: stats,
        silent,
    }
}

/// When the meeting is planned to end: its start plus every item's
/// planned minutes; none when nothing is planned.
pub fn planned_end(meeting: &Meeting) -> Option<Instant> {
    // A day with no time has no planned end until the meeting starts.
    let start = meeting.scheduled_start.or(meeting.started_at)?;
    let minutes: u32 = meeting
        .agenda
        .iter()
        .filter_map(|i| i.planned_minutes)
        .sum();
    (minutes > 0).then(|| start + chrono::Duration::minutes(i64::from(minutes)))
}

/// The agenda's planned minutes against the meeting's planned end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaFit {
    pub planned_minutes: u32,
    /// When the agenda ends if every item takes its planned time.
    pub agenda_end: Instant,
    pub scheduled_end: Instant,
    /// How far the agenda runs past the planned end (0 when it fits).
    pub minutes_over: i64,
}

/// None until both the agenda's planned minutes and the planned end are known.
pub fn agenda_fit(meeting: &Meeting) -> Option<AgendaFit> {
    let scheduled_end = meeting.scheduled_end?;
    let agenda_end = planned_end(meeting)?;
    let planned_minutes = meeting
        .agenda
        .iter()
        .filter_map(|i| i.planned_minutes)
        .sum();
    Some(AgendaFit {
        planned_minutes,
        agenda_end,
        scheduled_end,
        minutes_over: ((agenda_end - scheduled_end).num_seconds().max(0) + 59) / 60,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Note, NoteKind};

    fn at(minute: i64, second: i64) -> Instant {
        let start: Instant = "2024-09-26T14:00:00Z".parse().unwrap();
        start + chrono::Duration::seconds(minute * 60 + second)
    }

    fn note(id: u64, speakers: &[&str], started: Instant) -> Note {
        Note {
            id,
            item: None,
            speakers: speakers.iter().map(|s| s.to_string()).collect(),
            text: "x".into(),
            kind: NoteKind::Statement,
            owner: None,
            due: None,
            started_at: started,
            committed_at: started,
            edited_at: None,
            done: false,
            off_record: false,
            transcript: None,
        }
    }

    #[test]
    fn turns_run_to_the_next_note_and_are_bounded() {
        let mut m = Meeting::new("T", chrono_tz::Tz::UTC);
        for name in ["Adam", "Isra", "Chris", "Timea"] {
            let id = m.add_participant(name);
            m.participant_mut(&id).unwrap().attendance = Some(Attendance::Present);
        }
        m.notes = vec![
            note(1, &["adam"], at(0, 0)),
            note(2, &["isra"], at(1, 30)),
            note(3, &[], at(2, 0)), // no speaker: ends Isra's turn
            note(4, &["adam", "chris"], at(3, 0)),
            note(5, &["adam"], at(20, 0)), // 17 minutes later: bounded
        ];
        let s = speaking(&m, at(21, 0));
        let adam = s.spoke.iter().find(|x| x.id == "adam").unwrap();
        assert_eq!(adam.interventions, 3);
        assert_eq!(
            adam.seconds,
            90 + MAX_TURN_SECONDS + 60,
            "last turn runs to now"
        );
        let isra = s.spoke.iter().find(|x| x.id == "isra").unwrap();
        assert_eq!((isra.interventions, isra.seconds), (1, 30));
        let chris = s.spoke.iter().find(|x| x.id == "chris").unwrap();
        assert_eq!(chris.seconds, MAX_TURN_SECONDS);
        assert_eq!(s.spoke[0].id, "adam", "most speaking time first");
        assert_eq!(s.silent, vec!["timea"]);
    }

    #[test]
    fn with_nobody_marked_the_roster_is_who_has_not_spoken() {
        let mut m = Meeting::new("T", chrono_tz::Tz::UTC);
        for name in ["Adam", "Isra"] {
            m.add_participant(name);
        }
        m.notes = vec![note(1, &["adam"], at(0, 0))];
        // Speaking marks nobody here (the app does): the roster counts.
        assert_eq!(speaking(&m, at(1, 0)).silent, vec!["isra"]);
        m.participants[0].attendance = Some(Attendance::Present);
        assert!(
            speaking(&m, at(1, 0)).silent.is_empty(),
            "Isra is not marked"
        );
    }

    #[test]
    fn the_agenda_against_the_planned_end() {
        let mut m = Meeting::new("WG", chrono_tz::Tz::UTC);
        m.scheduled_start = Some(at(0, 0));
        m.add_agenda_item("One", Some(50));
        m.add_agenda_item("Two", Some(25));
        assert_eq!(agenda_fit(&m), None, "no planned end yet");
        m.scheduled_end = Some(at(60, 0));
        let fit = agenda_fit(&m).unwrap();
        assert_eq!((fit.planned_minutes, fit.minutes_over), (75, 15));
        m.scheduled_end = Some(at(90, 0));
        assert_eq!(agenda_fit(&m).unwrap().minutes_over, 0);
    }

    #[test]
    fn planned_end_adds_up_planned_minutes() {
        let mut m = Meeting::new("T", chrono_tz::Tz::UTC);
        assert_eq!(planned_end(&m), None);
        m.scheduled_start = Some(at(0, 0));
        m.add_agenda_item("One", Some(20));
        m.add_agenda_item("Two", None);
        m.add_agenda_item("Three", Some(15));
        assert_eq!(planned_end(&m), Some(at(35, 0)));
    }
}
