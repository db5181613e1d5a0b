//! Themes on the real screen, the time on each item, and who spoke.

use crate::common::{Harness, wg_strategy};
use minutes::theme::{BUILTIN_THEMES, ColorSupport, Theme};

fn scene() -> Harness {
    let mut h = Harness::new(wg_strategy());
    h.keys("<tab>chr<enter>shared that the Pact had been agreed<enter>");
    h.keys("<a-2>ACTION: @Titti circulate the letter<enter>DECISION: send a white paper<enter>");
    h.keys("https://example.org/doc<enter><up>");
    h
}

#[test]
fn the_main_screen_in_every_theme_and_without_colour() {
    for (name, _) in BUILTIN_THEMES {
        let mut h = scene();
        let (theme, warning) = Theme::load(name, None, ColorSupport::TrueColor);
        assert_eq!(warning, None);
        h.session.theme = theme;
        insta::assert_snapshot!(format!("theme_{name}"), h.styled_screen(80, 24));
    }
    let mut h = scene();
    h.session.theme = Theme::builtin().for_terminal(ColorSupport::None);
    let screen = h.styled_screen(80, 24);
    assert!(
        !screen.contains("fg: Rgb") && !screen.contains("bg: Rgb"),
        "NO_COLOR has no colours"
    );
    assert!(
        screen.contains("REVERSED"),
        "the current item and selection still stand out"
    );
    insta::assert_snapshot!("theme_no_color", screen);
}

#[test]
fn the_current_item_counts_down_and_warns_when_overrun() {
    let mut h = Harness::new(wg_strategy()); // item 1 is planned for 20 minutes
    h.keys("<a-1>opening<enter>");
    h.wait(5 * 60);
    let screen = h.screen(80, 24);
    assert!(screen.contains("1 Pact of … 14m left"), "{screen}");
    assert!(
        screen.contains("· ends 14:20"),
        "planned end in the header:\n{screen}"
    );
    h.wait(20 * 60);
    let screen = h.screen(80, 24);
    assert!(screen.contains("+5m over"), "{screen}");
    let styled = h.styled_screen(80, 24);
    let overrun = format!("{:?}", h.session.theme.agenda_overrun.bg.unwrap());
    assert!(styled.contains(&overrun), "overrun in the warning colour");
    // Elsewhere, an item shows spent / planned.
    h.keys("<c-n>");
    assert!(h.screen(80, 24).contains("25m/20m"), "{}", h.screen(80, 24));
}

/// CJK and emoji names take two columns each: the chart's rows keep
/// their columns (figures aligned, nothing cut) at 80x24.
#[test]
fn who_spoke_aligns_cjk_and_emoji_names() {
    let mut meeting = minutes::model::Meeting::new("WG", chrono_tz::Tz::UTC);
    meeting.add_agenda_item("One", None);
    for name in ["王小明", "Chris Buckridge", "Émoji Fan"] {
        meeting.add_participant(name);
    }
    meeting.participants[2].short_name = "🎉Émoji".into();
    let mut h = Harness::new(meeting);
    h.step = chrono::Duration::seconds(0);
    h.keys("<a-1>first<enter>");
    h.wait(95);
    h.keys("<a-2>second<enter>");
    h.wait(40);
    h.keys("<a-3>third<enter>");
    h.wait(20);
    h.keys("<f3>");
    let screen = h.screen(80, 24);
    let columns = |needle: &str| {
        let line = screen
            .lines()
            .find(|l| l.contains(needle) && l.contains('×'))
            .unwrap_or_else(|| panic!("no bar for {needle}:\n{screen}"));
        let before = &line[..line.find('×').unwrap()];
        unicode_width::UnicodeWidthStr::width(before)
    };
    let cjk = columns("王小明");
    assert_eq!(cjk, columns("Chris"), "{screen}");
    assert_eq!(cjk, columns("🎉Émoji"), "{screen}");
    assert!(
        screen.contains("🎉Émoji █████████"),
        "the emoji row is not cut:\n{screen}"
    );
    insta::assert_snapshot!("who_spoke_cjk_emoji_80x24", screen);
}

#[test]
fn who_spoke_shows_bars_and_the_silent() {
    let mut meeting = wg_strategy();
    for p in &mut meeting.participants {
        p.attendance = Some(minutes::model::Attendance::Present);
    }
    let mut h = Harness::new(meeting);
    h.step = chrono::Duration::seconds(0);
    h.keys("<a-1>first<enter>");
    h.wait(120);
    h.keys("<a-2>second<enter>");
    h.wait(30);
    h.keys("<a-1>third<enter>");
    h.wait(60);
    h.keys("<f3>");
    let screen = h.screen(120, 30);
    assert!(screen.contains("Who spoke"), "{screen}");
    let chris = screen
        .lines()
        .find(|l| l.contains("Chris") && l.contains('█'))
        .expect("a bar for Chris");
    let justin = screen
        .lines()
        .find(|l| l.contains("Justin") && l.contains('█'))
        .expect("a bar for Justin");
    assert!(chris.contains("2×") && chris.contains("3m"), "{chris}");
    assert!(justin.contains("1×") && justin.contains("30s"), "{justin}");
    assert!(chris.matches('█').count() > justin.matches('█').count());
    assert!(screen.contains("Not spoken yet (6):"), "{screen}");
    let silent = screen.split("Not spoken yet").nth(1).unwrap();
    for name in ["Anriette", "Giacomo", "Timea", "Titti", "Adam", "Isra"] {
        assert!(silent.contains(name), "{name} has not spoken:\n{screen}");
    }
    insta::assert_snapshot!("who_spoke_120x30", screen);
    // On a narrow screen it shows over the notes; F3 hides it.
    assert!(h.screen(80, 24).contains("Who spoke"));
    h.keys("<f3>");
    assert!(!h.screen(120, 30).contains("Who spoke"));
}
