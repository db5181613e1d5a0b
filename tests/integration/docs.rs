//! The docs keep the promises the code makes.

use minutes::keymap::Keymap;

#[test]
fn keys_md_lists_every_binding_the_help_shows() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keys.md")).unwrap();
    for (group, lines) in Keymap::default().help() {
        let section = doc
            .split("\n## ")
            .find(|s| s.starts_with(group.as_str()))
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

/// The screen captures in docs/screens.md and README.md are the reviewed
/// snapshots of `tests/integration/capture.rs`; `UPDATE_GOLDEN=1` copies them in.
#[test]
fn screen_captures_in_the_docs_match_the_snapshots() {
    let root = env!("CARGO_MANIFEST_DIR");
    let snapshot = |name: &str| {
        let text = std::fs::read_to_string(format!(
            "{root}/tests/integration/snapshots/integration__capture__{name}.snap"
        ))
        .unwrap();
        // Drop insta's front matter.
        text.splitn(3, "---\n").nth(2).unwrap().to_string()
    };
    let small = snapshot("docs_80x24");
    let large = snapshot("docs_200x60");
    for (doc, captures) in [
        ("docs/screens.md", vec![&small, &large]),
        ("README.md", vec![&small]),
    ] {
        let path = format!("{root}/{doc}");
        let mut text = std::fs::read_to_string(&path).unwrap();
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            let mut blocks = text.split("```\n").map(str::to_string).collect::<Vec<_>>();
            // Blocks at odd positions are the fenced captures, in order.
            for (i, capture) in captures.iter().enumerate() {
                blocks[2 * i + 1] = capture.to_string();
            }
            text = blocks.join("```\n");
            std::fs::write(&path, &text).unwrap();
        }
        for capture in captures {
            assert!(
                text.contains(capture.as_str()),
                "{doc} is out of date: run UPDATE_GOLDEN=1 cargo test"
            );
        }
    }
}

#[test]
fn the_example_in_config_md_is_a_valid_config() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/config.md")).unwrap();
    let example = doc
        .split("```toml\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, example).unwrap();
    let (config, warning) = minutes::config::Config::load(&path);
    assert_eq!(warning, None);
    assert_eq!(config.theme.as_deref(), Some("light"));
}

/// Every key the app names comes from the keymap (`key_for`, `fill`): no
/// string literal outside `src/keymap.rs` names a key, so the help, the
/// hints and the messages cannot drift from what the keys do.
#[test]
fn no_key_is_named_outside_the_keymap() {
    let names = [
        "Ctrl+",
        "Alt+",
        "Shift+",
        "Esc",
        "Enter",
        "Tab",
        "Backspace",
        "Delete",
        "PgUp",
        "PgDn",
        "F1",
        "F2",
        "F3",
        "F4",
        "F5",
        "F6",
        "F7",
        "F8",
        "F9",
        "F10",
        "F11",
        "F12",
    ];
    let mut found = Vec::new();
    let mut files = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("keymap.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        // Unit tests may name keys to press them.
        let code = source.split("#[cfg(test)]").next().unwrap_or("");
        for (literal, line) in string_literals(code) {
            for name in names {
                let named = literal.match_indices(name).any(|(at, _)| {
                    let after = literal[at + name.len()..].chars().next();
                    let before = literal[..at].chars().next_back();
                    // A whole word (F1 but not F10's prefix; Enter, not "Entered").
                    name.ends_with('+')
                        || (!after.is_some_and(|c| c.is_alphanumeric())
                            && !before.is_some_and(|c| c.is_alphanumeric()))
                });
                if named {
                    found.push(format!("{}:{line}: {literal:?}", path.display()));
                    break;
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "keys named outside the keymap:\n{}",
        found.join("\n")
    );
}

/// The string literals of Rust source, with their line, comments skipped.
fn string_literals(code: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut chars = code.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            '\'' => {
                // A char literal ('"', '\'') or a lifetime: skip what could
                // be a quote inside it.
                let mut ahead = chars.clone();
                match (ahead.next(), ahead.next(), ahead.next()) {
                    (Some('\\'), Some(_), Some('\'')) => {
                        chars.nth(2);
                    }
                    (Some(_), Some('\''), _) => {
                        chars.nth(1);
                    }
                    _ => {}
                }
            }
            '"' => {
                let start = line;
                let mut literal = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                literal.push('\\');
                                literal.push(escaped);
                            }
                        }
                        '"' => break,
                        '\n' => {
                            line += 1;
                            literal.push(c);
                        }
                        c => literal.push(c),
                    }
                }
                out.push((literal, start));
            }
            _ => {}
        }
    }
    out
}

/// docs/config.md names every action a `[keys]` line can give keys to.
#[test]
fn config_md_lists_every_action_name() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/config.md")).unwrap();
    for binding in minutes::keymap::Keymap::default().bindings() {
        let name = minutes::keymap::action_name(&binding.action);
        assert!(
            doc.contains(&format!("`{name}`")),
            "docs/config.md lacks `{name}`"
        );
    }
}

/// docs/config.md's table gives each action the keys it has by default
/// (a key moved in the table moves in the docs, or this fails).
#[test]
fn config_md_gives_each_action_its_default_keys() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/config.md")).unwrap();
    for binding in minutes::keymap::Keymap::default().bindings() {
        let name = minutes::keymap::action_name(&binding.action);
        let Some(row) = doc
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}` |")))
        else {
            continue;
        };
        let keys = row.split('|').nth(2).unwrap_or("");
        assert!(
            keys.contains(&binding.keys_label()),
            "docs/config.md gives `{name}` {keys:?}, the keymap {}",
            binding.keys_label()
        );
    }
}

/// docs/templates.md names every variable a template gets as `report.NAME`.
#[test]
fn templates_md_documents_every_report_variable() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/templates.md")).unwrap();
    let meeting = crate::common::wg_strategy();
    let report = minutes::export::Report::new(&meeting, minutes::export::Timestamps::None);
    let value = serde_json::to_value(&report).unwrap();
    let fields = value.as_object().unwrap();
    assert!(fields.len() > 20, "{fields:?}");
    for name in fields.keys() {
        assert!(
            doc.contains(&format!("`report.{name}`")),
            "docs/templates.md lacks `report.{name}`"
        );
    }
}

/// Every `.rs` file under `root`, relative to it, `/`-separated.
pub(crate) fn rust_files(root: &std::path::Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).unwrap();
                found.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

fn repo_file(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// docs/architecture.md names every file of `src/` (a reader finds any
/// behaviour in two steps), and names no file that is not there.
#[test]
fn architecture_md_names_every_source_file_and_no_other() {
    let doc = repo_file("docs/architecture.md");
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&src);
    let mut unnamed = Vec::new();
    for rel in &files {
        let named = match rel.rsplit_once('/') {
            None => doc.contains(rel.as_str()),
            Some((folder, "mod.rs")) => doc.contains(&format!("{folder}/")),
            Some((folder, name)) => {
                let stem = name.trim_end_matches(".rs");
                doc.contains(rel.as_str())
                    || (doc.contains(&format!("{folder}/"))
                        && (doc.contains(&format!("`{name}`"))
                            || doc.contains(&format!("`{stem}`"))))
            }
        };
        if !named {
            unnamed.push(rel.clone());
        }
    }
    assert!(
        unnamed.is_empty(),
        "not named in docs/architecture.md: {unnamed:?}"
    );
    // Every `name.rs` the page names is a file of the project (src/, the
    // tests, the benches).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let files: Vec<String> = ["src", "tests", "benches"]
        .iter()
        .flat_map(|dir| rust_files(&root.join(dir)))
        .collect();
    let mut stale = Vec::new();
    for word in doc.split(|c: char| !(c.is_alphanumeric() || "_/.".contains(c))) {
        let Some(name) = word.strip_suffix(".rs") else {
            continue;
        };
        let word_path = format!("{name}.rs");
        let exists = files
            .iter()
            .any(|f| *f == word_path || f.ends_with(&format!("/{word_path}")))
            || std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(&word_path)
                .exists();
        if !exists {
            stale.push(word_path);
        }
    }
    assert!(
        stale.is_empty(),
        "docs/architecture.md names files that are not there: {stale:?}"
    );
}

/// Paths that comments in the code point to (`docs/format.md`,
/// `app/queue.rs`) exist.
#[test]
fn paths_named_in_comments_exist() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let mut missing = Vec::new();
    for rel in rust_files(&src) {
        let code = std::fs::read_to_string(src.join(&rel)).unwrap();
        for (number, line) in code.lines().enumerate() {
            let Some((_, comment)) = line.split_once("//") else {
                continue;
            };
            for word in comment.split(|c: char| !(c.is_alphanumeric() || "_/.-".contains(c))) {
                let word = word.trim_end_matches('.');
                // A file of the project: `docs/…`, `tests/…`, or a module
                // of src (`app/queue.rs`); not an example path (`./m.json`).
                let top = ["docs/", "src/", "tests/", "benches/", "themes/"];
                let module = word.ends_with(".rs")
                    && word
                        .split_once('/')
                        .is_some_and(|(folder, _)| src.join(folder).is_dir());
                if !(top.iter().any(|t| word.starts_with(t)) || module) {
                    continue;
                }
                let exists = root.join(word).exists() || src.join(word).exists();
                if !exists {
                    missing.push(format!("src/{rel}:{}: {word}", number + 1));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "comments point to files that are not there: {missing:#?}"
    );
}

/// README, docs/architecture.md and docs/format.md give the file format
/// version this build writes.
#[test]
fn the_docs_name_the_current_format_version() {
    let current = minutes::model::FORMAT_VERSION.to_string();
    for doc in ["README.md", "docs/architecture.md", "docs/format.md"] {
        let text = repo_file(doc);
        let mut named = Vec::new();
        for (at, _) in text.match_indices("ormat v") {
            let version: String = text[at + 7..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            named.push(version);
        }
        // README's list of docs: "[File format](docs/format.md), version N".
        for line in text.lines().filter(|l| l.contains("(docs/format.md)")) {
            if let Some((_, after)) = line.split_once("version ") {
                named.push(after.chars().take_while(char::is_ascii_digit).collect());
            }
        }
        if doc == "docs/format.md" {
            let title = text.lines().next().unwrap();
            named.push(title.rsplit(' ').next().unwrap().to_string());
        }
        named.retain(|v| !v.is_empty());
        assert!(!named.is_empty(), "{doc} names no format version");
        assert!(
            named.iter().all(|v| *v == current),
            "{doc} names format version {named:?}, the code writes {current}"
        );
    }
}

/// The README installs with the tested versions and names the Rust that
/// Cargo.toml's `rust-version` (what the dependencies need) says.
#[test]
fn readme_install_matches_cargo_toml() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let cargo = std::fs::read_to_string(format!("{root}/Cargo.toml")).unwrap();
    let version = cargo
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .unwrap()
        .trim_matches('"');
    assert!(
        readme.contains(&format!("You need Rust {version} or newer")),
        "README should say Rust {version}"
    );
    assert!(readme.contains("cargo install --locked --path ."));
    assert!(!readme.contains("cargo install --path"));
}
