//! F2, the meeting setup, driven by keys: details with their refusals,
//! agenda and roster editing, live during the meeting.

use crate::common::{Harness, start_time, wg_strategy};
use minutes::model::{Attendance, Mode};

fn status(h: &Harness) -> String {
    h.screen(100, 30)
}

#[test]
fn details_are_edited_field_by_field_and_bad_values_refused() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<f2>");
    assert!(status(&h).contains("Meeting setup"));
    // Title (first row).
    h.keys("<enter><bs*80>WG Strategy<enter>");
    assert_eq!(h.saved().title, "WG Strategy");
    // The group's full and short names, for the report's intro.
    h.keys("<down><enter>IGF MAG Working Group on Strategy<enter><down><enter>WG-Strategy<enter>");
    let saved = h.saved();
    assert_eq!(
        saved.full_name.as_deref(),
        Some("IGF MAG Working Group on Strategy")
    );
    assert_eq!(saved.short_name.as_deref(), Some("WG-Strategy"));
    // Number: refused, then taken.
    h.keys("<down><enter>eighty-four<enter>");
    assert!(
        status(&h).contains("\"eighty-four\" is not a whole number, like 84"),
        "{}",
        status(&h)
    );
    assert_eq!(h.saved().series_number, None, "nothing half-saved");
    h.keys("<bs*20>84<enter>");
    assert_eq!(h.saved().series_number, Some(84));
    // Mode.
    h.keys("<down><enter><bs*20>hybrid<enter>");
    assert_eq!(h.saved().mode, Mode::Hybrid);
    // A time before any date is today's; a date then keeps it. A bad
    // date is refused.
    h.keys("<down><down><enter>14:00<enter>");
    assert_eq!(
        h.saved().scheduled_start.unwrap().to_rfc3339(),
        format!("{}T14:00:00+00:00", start_time().date_naive())
    );
    h.keys("<up><enter>26/09/2024<enter>");
    assert!(status(&h).contains("\"26/09/2024\" is not a date like 2024-09-26"));
    h.keys("<c-u>2024-09-25<enter>");
    assert_eq!(
        h.saved().scheduled_start.unwrap().to_rfc3339(),
        "2024-09-25T14:00:00+00:00"
    );
    h.keys("<enter><c-u>2024-09-26<enter><down>");
    // Zone: a bad one refused; a good one keeps the wall-clock time.
    h.keys("<down><enter><bs*20>Mars/Base<enter>");
    assert!(status(&h).contains("\"Mars/Base\" is not a time zone name"));
    h.keys("<bs*20>Europe/Paris<enter>");
    let saved = h.saved();
    assert_eq!(saved.time_zone, chrono_tz::Europe::Paris);
    assert_eq!(
        saved.scheduled_start.unwrap().to_rfc3339(),
        "2024-09-26T14:00:00+02:00"
    );
    // Chair, note-taker, recording; next meeting.
    h.keys("<down><enter>Chris Buckridge<enter><down><enter>Ana Neves<enter>");
    h.keys("<down><enter>a recording is available upon request<enter>");
    h.keys("<down><enter>2024-10-17<enter><down><enter><bs*10>19:00<enter>");
    let saved = h.saved();
    assert_eq!(saved.chair.as_deref(), Some("Chris Buckridge"));
    assert_eq!(saved.note_taker.as_deref(), Some("Ana Neves"));
    assert_eq!(
        saved.recording.as_deref(),
        Some("a recording is available upon request")
    );
    assert_eq!(
        saved.next_meeting.unwrap().at.to_rfc3339(),
        "2024-10-17T19:00:00+02:00"
    );
    // The next meeting's own sentence and link; the house style.
    h.keys("<down><enter>The next call will be on 17 October 19:00 UTC<enter>");
    h.keys("<down><enter>https://example.org/next<enter>");
    h.keys("<down><enter><bs*5>maybe<enter>");
    assert!(
        status(&h).contains("\"maybe\" is not yes or no"),
        "{}",
        status(&h)
    );
    h.keys("<bs*9>no<enter><down><enter><bs*5>no<enter>");
    h.keys("<down><enter>%Q<enter>");
    assert!(
        status(&h).contains("is not a date format"),
        "{}",
        status(&h)
    );
    h.keys("<bs*5>%-d %B %H:%M<enter><down><enter>house.md.j2<enter>");
    let saved = h.saved();
    let next = saved.next_meeting.unwrap();
    assert_eq!(
        next.sentence.as_deref(),
        Some("The next call will be on 17 October 19:00 UTC")
    );
    assert_eq!(next.note.as_deref(), Some("https://example.org/next"));
    assert!(saved.report.no_attendance && saved.report.no_agenda_numbers);
    assert_eq!(saved.report.date_format.as_deref(), Some("%-d %B %H:%M"));
    assert_eq!(saved.report.template.as_deref(), Some("house.md.j2"));
    // Esc while typing keeps the old value; Esc again closes.
    h.keys("<up><enter><bs*40>Nobody<esc>");
    assert_eq!(
        h.saved().recording.as_deref(),
        Some("a recording is available upon request")
    );
    h.keys("<esc>");
    assert!(!status(&h).contains("Meeting setup"));
    assert_eq!(h.saved(), h.app().meeting);
}

#[test]
fn the_agenda_is_edited_live_and_numbers_follow() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<a-1>on the pact<enter><c-g>3<enter><a-2>on the vision<enter>");
    // An AoB point raised late: added after item 1, moved, timed.
    // The tab opens on the current item (3): up to item 1.
    h.keys("<f2><tab><up><up><enter><bs*80>Pact of the Future/GDC<enter>");
    h.keys("a");
    h.keys("Late point: IGF 2025 host<enter>");
    let titles = |h: &Harness| {
        h.saved()
            .agenda
            .iter()
            .map(|i| i.title.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&h)[1], "Late point: IGF 2025 host");
    h.keys("m15<enter>");
    assert_eq!(h.saved().agenda[1].planned_minutes, Some(15));
    h.keys("m<bs*5>five<enter>");
    assert!(status(&h).contains("\"five\" is not a number of minutes from 1 to 600"));
    h.keys("<esc><a-down>");
    assert_eq!(titles(&h)[2], "Late point: IGF 2025 host");
    h.keys("<a-up><a-up>");
    assert_eq!(titles(&h)[0], "Late point: IGF 2025 host");
    // Remove an item with no notes.
    h.keys("<down><down><down><down><down><down>");
    assert_eq!(titles(&h)[6], "AoB");
    h.keys("<del>");
    assert!(!titles(&h).contains(&"AoB".to_string()));
    // Removing an item with notes asks where they go.
    h.keys("<up*10><down><del>");
    assert!(
        status(&h).contains("This item has notes. Move them to item number"),
        "{}",
        status(&h)
    );
    h.keys("9<enter>");
    assert!(status(&h).contains("type the number of another item, 1 to 6"));
    h.keys("<bs>4<enter>");
    let saved = h.saved();
    assert_eq!(saved.agenda.len(), 5);
    let vision = saved
        .agenda
        .iter()
        .find(|i| i.title == "IGF strategic vision")
        .unwrap();
    assert!(
        saved.notes.iter().all(|n| n.item == Some(vision.id)),
        "the pact's notes went to the vision"
    );
    h.keys("<esc>");
    let screen = h.screen(100, 30);
    assert!(
        screen.contains("3. IGF strategic vision"),
        "numbers follow:\n{screen}"
    );
    let report = minutes::export::render(&saved, &Default::default()).unwrap();
    assert!(
        report.contains("### 3. IGF strategic vision\n\nChris on the pact"),
        "{report}"
    );
    assert_eq!(saved, h.app().meeting);
}

#[test]
fn people_are_added_renamed_and_marked() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<a-1>opened the call<enter>");
    h.keys("<f2><tab><tab>");
    // Rename Chris: his notes follow.
    h.keys("<enter><bs*40>Christopher Buckridge<enter>s<bs*20>Chris B.<enter>f RIPE NCC<enter>");
    let saved = h.saved();
    let chris = saved.participant("chris-buckridge").unwrap();
    assert_eq!(
        (
            chris.name.as_str(),
            chris.short_name.as_str(),
            chris.affiliation.as_deref()
        ),
        ("Christopher Buckridge", "Chris B.", Some("RIPE NCC"))
    );
    h.keys("<esc>");
    assert!(
        h.screen(100, 30).contains("Chris B. opened the call"),
        "{}",
        h.screen(100, 30)
    );
    // Add a person; a duplicate is refused.
    h.keys("<f2>aJuan Fernández (LACNIC)<enter>");
    assert_eq!(
        h.saved().participants.last().unwrap().name,
        "Juan Fernández"
    );
    h.keys("aJuan Fernández<enter>");
    assert!(status(&h).contains("Juan Fernández is on the roster already"));
    h.keys("<esc>");
    // Attendance: present, regrets.
    h.keys("<up>p");
    assert_eq!(
        h.saved().participant("isra-arab").unwrap().attendance,
        Some(Attendance::Present)
    );
    h.keys("<up>pp");
    assert_eq!(
        h.saved().participant("adam-peake").unwrap().attendance,
        Some(Attendance::Regrets)
    );
    let report = minutes::export::render(&h.saved(), &Default::default()).unwrap();
    assert!(report.contains("**Regrets:** Adam Peake."), "{report}");
    assert!(report.contains("Isra Arab"), "{report}");
    assert_eq!(h.saved(), h.app().meeting);
}

/// Speaker numbers stay with their person all meeting: the chair keeps
/// Alt+1 however many others speak; F2 gives a number of one's choosing.
#[test]
fn speaker_numbers_stay_put() {
    let mut meeting = wg_strategy();
    meeting.chair = Some("Timea Suto".into());
    let mut h = Harness::new(meeting);
    let slot = |h: &Harness, n: u8| h.app().slots.get(n).map(str::to_string);
    assert_eq!(
        slot(&h, 1).as_deref(),
        Some("timea-suto"),
        "the chair first"
    );
    for name in [
        "chris",
        "justin",
        "anriette",
        "giacomo",
        "titti",
        "adam",
        "isra",
        "newcomer one",
    ] {
        h.keys(&format!("<tab>{name}<enter>says so<enter>"));
    }
    assert_eq!(
        slot(&h, 1).as_deref(),
        Some("timea-suto"),
        "Alt+1 is still the chair's"
    );
    // Chris to 5, through F2 (People tab, his row).
    h.keys("<f2><tab><tab>n<bs*3>5<enter><esc>");
    assert_eq!(slot(&h, 5).as_deref(), Some("chris-buckridge"));
    // The number is saved with him: reopened, and in the next meeting.
    let saved = h.saved();
    let chris = saved.participant("chris-buckridge").unwrap();
    assert_eq!(chris.speaker_number, Some(5));
    let reopened = minutes::app::App::new(saved.clone(), start_time());
    assert_eq!(reopened.slots.get(5), Some("chris-buckridge"));
    assert_eq!(
        reopened.slots.get(1),
        Some("timea-suto"),
        "the chair still 1"
    );
    let next = saved.next_in_series(start_time().fixed_offset());
    let next = minutes::app::App::new(next, start_time());
    assert_eq!(next.slots.get(5), Some("chris-buckridge"));
}

/// The setup's input edits as a readline line: the value it starts with
/// is selected (typing replaces it), Ctrl+U clears to the start, Ctrl+W a
/// word; a new item's "(20 min)" plans its minutes; the agenda tab opens
/// on the item the meeting is on.
#[test]
fn the_setup_edits_like_a_command_line() {
    let mut meeting = wg_strategy();
    meeting.scheduled_start = Some("2024-09-26T14:00:00+00:00".parse().unwrap());
    let mut h = Harness::new(meeting);
    // Time (row 6): typed over the 14:00 it shows.
    h.keys("<f2><down*6><enter>19:00<enter>");
    assert_eq!(
        h.saved().scheduled_start.unwrap().to_rfc3339(),
        "2024-09-26T19:00:00+00:00"
    );
    // Title: the end of it kept, a word taken off, then cleared and typed.
    h.keys("<up*6><enter><right> call<c-w>meeting<enter>");
    assert_eq!(
        h.saved().title,
        "MAG Working Group on IGF Strengthening and Strategy meeting"
    );
    h.keys("<enter><right><c-u>Board<enter>");
    assert_eq!(h.saved().title, "Board");
    // The agenda tab starts on the current item (3 here).
    h.keys("<esc><c-g>3<enter><f2><tab>");
    assert_eq!(h.app().setup.selected, 2);
    h.keys("a Budget review (20 min)<enter>");
    let saved = h.saved();
    let item = &saved.agenda[3];
    assert_eq!(
        (item.title.as_str(), item.planned_minutes),
        ("Budget review", Some(20))
    );
}

/// A date with no time says the time is still to set; the Details tab's
/// footer lists only what works there; the input opens under its row.
#[test]
fn the_setup_says_what_is_missing_and_shows_only_its_tab_s_keys() {
    let mut meeting = minutes::model::Meeting::new("WG", chrono_tz::Tz::UTC);
    meeting.add_participant("Chris Buckridge");
    meeting.add_participant("Anriette Esterhuysen");
    let mut h = Harness::new(meeting);
    h.keys("<f2>");
    let footer = |h: &Harness| h.screen(100, 30).lines().last().unwrap_or("").to_string();
    assert!(!footer(&h).contains("remove"), "{}", footer(&h));
    assert!(!footer(&h).contains("present"), "{}", footer(&h));
    h.keys("<down*5><enter>");
    let screen = h.screen(100, 30);
    let lines: Vec<&str> = screen.lines().collect();
    let row = lines
        .iter()
        .position(|l| l.contains("› Date"))
        .expect("the Date row");
    assert!(
        lines[row + 1].contains("Date"),
        "prompt under its row:\n{screen}"
    );
    h.keys("2024-09-26<enter>");
    // A date alone is a day, not a meeting at midnight.
    let saved = h.saved();
    assert_eq!(
        saved.scheduled_date.map(|d| d.to_string()).as_deref(),
        Some("2024-09-26")
    );
    assert_eq!(saved.scheduled_start, None);
    assert!(
        status(&h).contains("Date                        2024-09-26"),
        "{}",
        status(&h)
    );
    assert!(!status(&h).contains("00:00"), "{}", status(&h));
    // A time then makes it a start on that day.
    h.keys("<down><enter>10:00<enter><up>");
    let saved = h.saved();
    assert_eq!(
        saved.scheduled_start.map(|t| t.to_rfc3339()).as_deref(),
        Some("2024-09-26T10:00:00+00:00")
    );
    assert_eq!(saved.scheduled_date, None);
    // Away to another tab and back: the same row.
    h.keys("<tab><s-tab>");
    assert_eq!(h.app().setup.selected, 5, "back on the Date row");
    // People: the marks line up whatever the short names.
    h.keys("<tab><tab>p<down>p");
    let screen = h.screen(100, 30);
    let columns: Vec<usize> = screen
        .lines()
        .filter(|l| l.starts_with('│'))
        .filter_map(|l| l.find("present").map(|i| l[..i].chars().count()))
        .collect();
    assert_eq!(columns.len(), 2, "{screen}");
    assert_eq!(columns[0], columns[1], "{screen}");
    assert!(footer(&h).contains("present"), "{}", footer(&h));
    assert!(
        !footer(&h).contains("remove"),
        "Delete removes agenda items only: {}",
        footer(&h)
    );
}

/// The timers' and the queue's settings, and the house style's voice: the
/// last details rows. The agenda's planned minutes are checked against the
/// planned end, in F2 and in the header.
#[test]
fn planned_end_speaker_limit_queue_and_style() {
    let mut h = Harness::new(wg_strategy());
    h.keys("<f2><down*5><enter>2024-09-26<enter><down><enter>14:00<enter>");
    h.keys("<down*13><enter>14:10<enter>");
    let saved = h.saved();
    assert_eq!(
        saved.scheduled_end.map(|t| t.to_rfc3339()).as_deref(),
        Some("2024-09-26T14:10:00+00:00")
    );
    let screen = status(&h);
    assert!(
        screen
            .contains("The agenda plans 20 min: it ends 14:20, 10 min past the planned end 14:10"),
        "{screen}"
    );
    h.keys("<enter><c-u>13:00<enter>");
    assert!(status(&h).contains("13:00 is not after the start"));
    h.keys("<c-u>14:30<enter>");
    assert!(status(&h).contains("it ends 14:20, by the planned end 14:30"));
    h.keys("<down><enter>two<enter>");
    assert!(status(&h).contains("\"two\" is not a number of minutes, like 2"));
    h.keys("<c-u>2<enter><down><enter><c-u>yes<enter><down><enter><c-u>transcript<enter>");
    let saved = h.saved();
    assert_eq!(saved.speaker_limit_minutes, Some(2));
    assert!(saved.queue_kept);
    assert!(saved.report.transcript);
}
