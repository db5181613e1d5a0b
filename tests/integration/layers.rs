//! The top-level modules form layers: no module reaches, through others,
//! back to itself (helix makes each layer a crate so that Cargo refuses
//! an upward import; this test does the same for our modules). Small
//! helpers every layer needs live at the bottom (`text.rs`, `model/`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of `src/` and the others its code (tests left
/// out) names as `crate::other`, with a file where it does.
fn uses() -> BTreeMap<String, BTreeMap<String, String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut folders = vec![src.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let top = rel
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_string();
            if top == "lib" || top == "main" {
                continue;
            }
            let code = std::fs::read_to_string(&path).unwrap();
            // Unit tests may use anything.
            let code = code.split("#[cfg(test)]").next().unwrap();
            let code: String = code
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let mut rest = code.as_str();
            while let Some(at) = rest.find("crate::") {
                rest = &rest[at + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != top {
                    graph
                        .entry(top.clone())
                        .or_default()
                        .entry(name)
                        .or_insert_with(|| rel.clone());
                }
            }
            graph.entry(top).or_default();
        }
    }
    graph
}

/// A path from `from` back to `to`, if there is one.
fn path_back(
    graph: &BTreeMap<String, BTreeMap<String, String>>,
    from: &str,
    to: &str,
    seen: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if from == to {
        return Some(vec![to.to_string()]);
    }
    if !seen.insert(from.to_string()) {
        return None;
    }
    for next in graph.get(from)?.keys() {
        if let Some(mut path) = path_back(graph, next, to, seen) {
            path.insert(0, from.to_string());
            return Some(path);
        }
    }
    None
}

#[test]
fn no_module_reaches_back_to_itself() {
    let graph = uses();
    assert!(
        graph.contains_key("app") && graph.contains_key("ui"),
        "{graph:?}"
    );
    let mut cycles = Vec::new();
    for (module, used) in &graph {
        for (other, file) in used {
            if let Some(path) = path_back(&graph, other, module, &mut BTreeSet::new()) {
                cycles.push(format!("{module} -> {} (src/{file})", path.join(" -> ")));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "modules that reach back to themselves; move what both need down (text.rs, model/):\n{}",
        cycles.join("\n")
    );
}

/// `App::dispatch` is the table of contents of what the app does: one
/// line per group of actions, each handled beside its state. A handler
/// written inline there makes it grow; this keeps it under 40 lines.
#[test]
fn dispatch_stays_a_table_of_contents() {
    let code =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app/mod.rs"))
            .unwrap();
    let lines: Vec<&str> = code.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with("fn dispatch("))
        .expect("App::dispatch in src/app/mod.rs");
    let length = lines[start..]
        .iter()
        .position(|l| *l == "    }")
        .expect("the end of dispatch")
        + 1;
    assert!(
        length <= 40,
        "App::dispatch is {length} lines: move the handlers it grew into the file of their state"
    );
}

/// Every `.rs` file under `folder`, with its text.
fn sources(folder: &Path) -> Vec<(std::path::PathBuf, String)> {
    crate::docs::rust_files(folder)
        .into_iter()
        .map(|rel| {
            let path = folder.join(rel);
            let text = std::fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect()
}

/// A `pub fn` or `pub const` is there for other files: one that no other
/// file names is private (what a module offers stays what others use).
#[test]
fn pub_functions_and_constants_are_used_by_another_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = sources(&root.join("src"));
    let all: Vec<(std::path::PathBuf, String)> = src
        .iter()
        .cloned()
        .chain(sources(&root.join("tests")))
        .chain(sources(&root.join("benches")))
        .collect();
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let names_it = |text: &str, name: &str| {
        text.match_indices(name).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + name.len()..].chars().next();
            !before.is_some_and(is_word) && !after.is_some_and(is_word)
        })
    };
    let mut unused = Vec::new();
    for (path, text) in &src {
        for line in text.lines() {
            let line = line.trim_start();
            let Some(rest) = line
                .strip_prefix("pub fn ")
                .or_else(|| line.strip_prefix("pub const fn "))
                .or_else(|| line.strip_prefix("pub const "))
            else {
                continue;
            };
            let name: String = rest.chars().take_while(|&c| is_word(c)).collect();
            let elsewhere = all
                .iter()
                .any(|(other, text)| other != path && names_it(text, &name));
            if !elsewhere {
                unused.push(format!(
                    "{}: pub {name}",
                    path.strip_prefix(root).unwrap().display()
                ));
            }
        }
    }
    assert!(
        unused.is_empty(),
        "used by no other file, so not pub:\n{}",
        unused.join("\n")
    );
}
