//! The docs keep the promises the code makes.

use minutes::keymap::Keymap;

#[test]
fn keys_md_lists_every_binding_the_help_shows() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keys.md")).unwrap();
    for (group, lines) in Keymap::default().help() {
        let section = doc
            .split("\n## ")
            .find(|s| s.starts_with(group))
            .unwrap_or_else(|| panic!("docs/keys.md has no section \"## {group}\""));
        for (keys, help) in lines {
            let row = section
                .lines()
                .find(|l| l.starts_with(&format!("| `{keys}` |")));
            let row =
                row.unwrap_or_else(|| panic!("docs/keys.md has no row for `{keys}` ({group})"));
            assert!(
                row.contains(help),
                "docs/keys.md row for `{keys}` should say {help:?}: {row}"
            );
        }
    }
}

#[test]
fn readme_gives_one_run_and_one_test_command_and_ci_runs_it() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let ci = std::fs::read_to_string(format!("{root}/.ci/run")).unwrap();
    let test_command = readme
        .lines()
        .skip_while(|l| !l.starts_with("## Test"))
        .find(|l| l.starts_with("cargo "))
        .expect("README has a Test section with a cargo command");
    assert!(
        ci.lines().any(|l| l.trim() == test_command),
        ".ci/run runs `{test_command}`"
    );
}

#[test]
fn themes_md_documents_every_style_key() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/themes.md")).unwrap();
    for key in minutes::theme::STYLE_KEYS {
        assert!(
            doc.contains(&format!("| `{key}` |")),
            "docs/themes.md lacks `{key}`"
        );
    }
}
