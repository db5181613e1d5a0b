//! Property tests: arbitrary bytes never crash the loader nor get written,
//! and arbitrary key sequences never crash the app, whose file on disk
//! always loads back equal to the meeting in memory.

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_loader_survives_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = minutes::store::parse(&bytes);
    }

    #[test]
    fn the_loader_survives_json_shaped_garbage(text in r#"\{("format_version": ?[0-9]{1,3},)? ?("[a-z_]{1,12}": ?("[^"\\]{0,8}"|[0-9]{1,5}|\[\]|null|\{\}),? ?){0,6}\}"#) {
        let _ = minutes::store::parse(text.as_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn loading_never_writes(bytes in proptest::collection::vec(any::<u8>(), 0..512), journal in proptest::collection::vec(any::<u8>(), 0..256)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        std::fs::write(&path, &bytes).unwrap();
        let journal_path = minutes::store::journal_path(&path);
        std::fs::write(&journal_path, &journal).unwrap();
        let _ = minutes::store::load(&path);
        if minutes::store::Store::open(&path).is_err() {
            prop_assert_eq!(std::fs::read(&path).unwrap(), bytes);
            prop_assert_eq!(std::fs::read(&journal_path).unwrap(), journal);
        }
    }
}

fn key_token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9 .,éü张🎉]{1,6}",
        2 => Just("<enter>".to_string()),
        1 => Just("<a-enter>".to_string()),
        1 => Just("<tab>".to_string()),
        1 => Just("<esc>".to_string()),
        1 => Just("<up>".to_string()),
        1 => Just("<down>".to_string()),
        1 => Just("<del>".to_string()),
        1 => Just("<bs>".to_string()),
        1 => Just("<c-n>".to_string()),
        1 => Just("<c-p>".to_string()),
        1 => Just("<c-g>".to_string()),
        1 => Just("<c-f>".to_string()),
        1 => Just("<c-z>".to_string()),
        1 => Just("<c-up>".to_string()),
        1 => Just("<f1>".to_string()),
        1 => (0u8..10).prop_map(|d| format!("<a-{d}>")),
        1 => Just("ACTION: @Titti x due 2024-10-03".to_string()),
        1 => Just("https://example.org".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Keys arrive one by one or in bursts of any size (as a fast typist,
    /// SSH or a paste delivers them); after any of them, what a kill -9
    /// would leave on disk is the meeting in memory.
    #[test]
    fn any_keys_keep_disk_and_memory_equal(tokens in proptest::collection::vec(key_token(), 1..60), paste in proptest::option::of("[a-z\r\n ]{0,40}"), bursts in proptest::collection::vec(1usize..12, 1..8)) {
        let mut h = crate::common::Harness::new(crate::common::wg_strategy());
        for (i, token) in tokens.iter().enumerate() {
            h.keys_in_bursts(token, &bursts);
            prop_assert_eq!(&h.saved(), &h.app().meeting);
            if i == tokens.len() / 2 && let Some(text) = &paste {
                h.paste(text);
            }
            if h.quit {
                break;
            }
        }
        let _ = h.screen(80, 24);
        let _ = h.screen(20, 5);
        prop_assert_eq!(&h.saved(), &h.app().meeting);
    }

    /// The whole script in bursts, checked at the end only: many more
    /// actions land in one batch, deletes and restores among them.
    #[test]
    fn bursts_of_deletes_and_restores_keep_disk_and_memory_equal(script in proptest::collection::vec(prop_oneof![
        4 => Just("n<enter>"), 4 => Just("<up>"), 4 => Just("<del>"), 4 => Just("<c-z>"),
        3 => Just("<down>"), 1 => Just("<esc>"), 1 => Just("<c-n>"), 1 => Just("<c-p>"),
        1 => Just("<tab>a<enter>"), 1 => Just("x<bs>"),
    ], 1..80), bursts in proptest::collection::vec(1usize..40, 1..6)) {
        let mut h = crate::common::Harness::new(crate::common::wg_strategy());
        h.keys_in_bursts(&script.concat(), &bursts);
        prop_assert_eq!(&h.saved(), &h.app().meeting);
    }
}
