//! The real binary on bad input: clear messages, non-zero exit, files untouched.

use std::path::Path;
use std::process::Command;

fn minutes(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_minutes"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn open_fails_and_keeps(path: &Path, expected: &str) {
    let before = std::fs::read(path).ok();
    let (ok, stderr) = minutes(&["open", path.to_str().unwrap()]);
    assert!(!ok, "open {path:?} should fail");
    assert!(
        stderr.contains(&path.display().to_string()),
        "names the file: {stderr}"
    );
    assert!(stderr.contains(expected), "says {expected:?}: {stderr}");
    assert_eq!(std::fs::read(path).ok(), before, "file unchanged");
}

#[test]
fn open_refuses_missing_broken_and_newer_files() {
    let dir = tempfile::tempdir().unwrap();
    open_fails_and_keeps(&dir.path().join("missing.json"), "no such file");

    let not_json = dir.path().join("notes.json");
    std::fs::write(&not_json, "These are my notes, not JSON\n").unwrap();
    open_fails_and_keeps(&not_json, "is text, not a meeting file");
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"format_version\": 1,").unwrap();
    open_fails_and_keeps(&broken, "not valid JSON at line 1, column");

    let newer = dir.path().join("newer.json");
    std::fs::write(
        &newer,
        r#"{"format_version": 7, "title": "x", "time_zone": "UTC", "future": []}"#,
    )
    .unwrap();
    open_fails_and_keeps(&newer, "format version 7 by a newer minutes");

    let wrong = dir.path().join("wrong.json");
    std::fs::write(
        &wrong,
        "{\n  \"format_version\": 1,\n  \"title\": \"x\",\n  \"time_zone\": \"Mars/Olympus\"\n}",
    )
    .unwrap();
    open_fails_and_keeps(&wrong, "invalid meeting data at line 4");

    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "").unwrap();
    open_fails_and_keeps(&empty, "the file is empty");

    open_fails_and_keeps(dir.path(), "is a folder");
}

#[test]
fn new_refuses_to_overwrite_and_bad_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let existing = dir.path().join("m.json");
    std::fs::write(&existing, "precious").unwrap();
    let (ok, stderr) = minutes(&["new", existing.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "precious");

    let fresh = dir.path().join("fresh.json");
    let (ok, stderr) = minutes(&["new", fresh.to_str().unwrap(), "--tz", "Nowhere/City"]);
    assert!(!ok);
    assert!(
        stderr.contains("--tz Nowhere/City: not a time zone name"),
        "{stderr}"
    );
    let (ok, stderr) = minutes(&[
        "new",
        fresh.to_str().unwrap(),
        "--agenda",
        "/no/such/agenda.md",
    ]);
    assert!(!ok);
    assert!(
        stderr.contains("/no/such/agenda.md: cannot read the agenda file"),
        "{stderr}"
    );
    assert!(!fresh.exists(), "nothing written on a refused start");

    // Started from a script, with no terminal: said, and nothing left
    // behind, so that the same command works once in a terminal.
    let (ok, stderr) = minutes(&["new", fresh.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("taking notes needs a terminal"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left, ["m.json"], "only the file that was there");
}

#[test]
fn help_describes_every_command() {
    let out = Command::new(env!("CARGO_BIN_EXE_minutes"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for command in ["new", "open"] {
        assert!(text.contains(command), "{text}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_minutes"))
        .args(["new", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for flag in ["--title", "--agenda", "--roster", "--tz"] {
        assert!(text.contains(flag), "{text}");
    }
}

fn export_with(config: &Path, meeting: &str) -> std::process::Output {
    let config = config.to_str().unwrap();
    Command::new(env!("CARGO_BIN_EXE_minutes"))
        .args(["--config", config, "export", meeting, "-o", "-"])
        .output()
        .unwrap()
}

#[test]
fn a_broken_config_is_reported_and_the_defaults_used() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[export]\nformat = \"pdf\"\n").unwrap();
    let meeting = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/wg-strategy-84.json"
    );
    let out = export_with(&config, meeting);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{} (line 2): ", config.display()))
            && stderr.contains("using the defaults"),
        "{stderr}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("# IGF MAG"),
        "Markdown, the default"
    );

    std::fs::write(
        &config,
        "[export]\nformat = \"html\"\ntimestamps = \"clock\"\n",
    )
    .unwrap();
    let out = export_with(&config, meeting);
    let html = String::from_utf8_lossy(&out.stdout);
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("<span class=\"time\">14:02</span>"),
        "config's format and timestamps"
    );
}

#[test]
fn open_without_a_file_needs_a_meeting_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("meetings");
    std::fs::create_dir(&empty).unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, format!("data_dir = \"{}\"\n", empty.display())).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_minutes"))
        .args(["--config", config.to_str().unwrap(), "open"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{}: no meetings here yet; `minutes new` starts one",
            empty.display()
        )),
        "{stderr}"
    );
}

/// `-o` naming the meeting or a side file, however spelt, is refused and
/// leaves every file as it was; a symlinked report has its target written.
#[test]
fn export_never_writes_over_the_meeting_or_its_side_files() {
    let dir = tempfile::tempdir().unwrap();
    let meeting = dir.path().join("m.json");
    let bytes =
        serde_json::to_vec(&minutes::model::Meeting::new("WG", chrono_tz::Tz::UTC)).unwrap();
    std::fs::write(&meeting, &bytes).unwrap();
    let journal = dir.path().join("m.json.journal");
    std::fs::write(&journal, "").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink("m.json", dir.path().join("link.md")).unwrap();
    let run = |out: &str| {
        Command::new(env!("CARGO_BIN_EXE_minutes"))
            .args(["export", "m.json", "--format", "markdown", "-o", out])
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let absolute = meeting.display().to_string();
    for out in [
        "m.json",
        "./m.json",
        absolute.as_str(),
        "sub/../m.json",
        "link.md",
        "m.json.journal",
        "m.json.draft",
    ] {
        let result = run(out);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(!result.status.success(), "-o {out} must fail");
        assert!(
            stderr.contains(&format!("{out}: refusing to write over the meeting")),
            "-o {out}: {stderr}"
        );
        assert_eq!(std::fs::read(&meeting).unwrap(), bytes, "-o {out}");
        assert_eq!(std::fs::read(&journal).unwrap(), b"", "-o {out}");
        assert!(!dir.path().join("m.json.draft").exists());
    }
    // A report that is a link to another file: the file is written.
    std::fs::write(dir.path().join("real.md"), "old").unwrap();
    std::os::unix::fs::symlink("real.md", dir.path().join("report.md")).unwrap();
    assert!(run("report.md").status.success());
    let link = std::fs::symlink_metadata(dir.path().join("report.md")).unwrap();
    assert!(link.file_type().is_symlink());
    let written = std::fs::read_to_string(dir.path().join("real.md")).unwrap();
    assert!(written.starts_with("# WG"), "{written}");
    // A folder is refused by name.
    let result = run("sub");
    assert!(String::from_utf8_lossy(&result.stderr).contains("sub: is a folder"));
}

/// A device or a FIFO named as output is written to, never replaced by a
/// file. (A null device of the test's own, made where the test may: a
/// regression must not replace the machine's /dev/null.)
#[test]
fn export_to_a_device_or_a_fifo_writes_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let meeting = dir.path().join("m.json");
    let bytes =
        serde_json::to_vec(&minutes::model::Meeting::new("WG", chrono_tz::Tz::UTC)).unwrap();
    std::fs::write(&meeting, &bytes).unwrap();
    let null = dir.path().join("null");
    let made = Command::new("mknod")
        .args([null.to_str().unwrap(), "c", "1", "3"])
        .output()
        .is_ok_and(|out| out.status.success());
    if made {
        let (ok, stderr) = minutes(&[
            "export",
            meeting.to_str().unwrap(),
            "-o",
            null.to_str().unwrap(),
        ]);
        assert!(ok, "{stderr}");
        let kind = std::fs::metadata(&null).unwrap().file_type();
        assert!(!kind.is_file(), "the device was replaced by a file");
    }
    let fifo = dir.path().join("fifo.md");
    crate::common::mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let (ok, stderr) = minutes(&[
        "export",
        meeting.to_str().unwrap(),
        "-o",
        fifo.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(reader.join().unwrap().starts_with("# WG"));
    assert!(
        !std::fs::metadata(&fifo).unwrap().is_file(),
        "the FIFO was replaced"
    );
}

/// `minutes FILE` takes a meeting file; a mistyped command is said to be
/// one, and no file is made of it.
#[test]
fn a_file_or_a_command() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_minutes"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    // A mistyped command is named, as clap would (it cannot: any other
    // word is a meeting file).
    for (typed, meant) in [("lsit", "list"), ("serch", "search"), ("expotr", "export")] {
        let out = run(&[typed]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(
            stderr.contains(&format!(
                "{typed}: no such command; did you mean `minutes {meant}`?"
            )),
            "{stderr}"
        );
    }
    let out = run(&["wat12"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("wat12: no such command or file"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // A meeting file: started (here, without a terminal, refused before
    // anything is written), options before it still read.
    let out = run(&["--theme", "light", "board.json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("taking notes needs a terminal"), "{stderr}");
    // Commands still work after a global option.
    assert!(run(&["--theme", "light", "templates"]).status.success());
}

/// A chat log or a prep file where a meeting file goes: the error names
/// the command that reads it, never serde's internals.
#[test]
fn the_wrong_kind_of_file_names_the_right_command() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.txt");
    std::fs::write(&log, "14:02 <chris> hello\n14:03 <ana> scribe: ana\n").unwrap();
    let prep = dir.path().join("prep.md");
    std::fs::write(&prep, "# WG\n## Agenda\n1. Budget\n").unwrap();
    let array = dir.path().join("list.json");
    std::fs::write(&array, "[1, 2]\n").unwrap();
    for (command, file, expected) in [
        (
            "export",
            &log,
            "looks like a chat log, not a meeting file: `minutes import`",
        ),
        ("open", &log, "looks like a chat log"),
        (
            "open",
            &prep,
            "looks like a prep file (an agenda in Markdown), not a meeting file: `minutes new --agenda`",
        ),
        ("check", &prep, "looks like a prep file"),
        ("export", &array, "is JSON but not a minutes meeting file"),
    ] {
        let (ok, stderr) = minutes(&[command, file.to_str().unwrap()]);
        assert!(!ok);
        assert!(stderr.contains(expected), "{command}: {stderr}");
        assert!(!stderr.contains("VersionOnly") && !stderr.contains("expected struct"));
    }
}

/// Mistakes that used to be accepted in silence are said, by name, and
/// nothing is written.
#[test]
fn mistakes_are_said_not_swallowed() {
    let dir = tempfile::tempdir().unwrap();
    let meeting = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/wg-strategy-84.json"
    );
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_minutes"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    // A report named .pdf would hold Markdown.
    let out = run(&["export", meeting, "-o", "report.pdf"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("report.pdf: minutes writes Markdown (.md), HTML (.html) or text (.txt)")
    );
    assert!(!dir.path().join("report.pdf").exists());
    assert!(
        run(&["export", meeting, "-o", "report.pdf", "--format", "text"])
            .status
            .success()
    );

    // An agenda given as the roster.
    let agenda = dir.path().join("agenda.md");
    std::fs::write(&agenda, "# WG\n1. Pact (20 min)\n2. AoB\n").unwrap();
    let out = run(&["new", "m.json", "--roster", agenda.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("looks like an agenda") && stderr.contains("--agenda"),
        "{stderr}"
    );

    // A misspelt detail in a prep file.
    let prep = dir.path().join("prep.md");
    std::fs::write(&prep, "# WG\nChiar: Bob\n1. Pact\n").unwrap();
    let out = run(&["new", "m.json", "--agenda", prep.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 2: \"Chiar\" is not a detail this file knows; did you mean Chair?"),
        "{stderr}"
    );
    assert!(!dir.path().join("m.json").exists());

    // A setting of the top put after [export].
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "theme = \"light\"\n\n[export]\nformat = \"html\"\nmouse = true\n",
    )
    .unwrap();
    let out = run(&[
        "--config",
        config.to_str().unwrap(),
        "export",
        meeting,
        "-o",
        "-",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("(line 5): unknown field `mouse`"),
        "{stderr}"
    );
    assert!(stderr.contains("move it above [export]"), "{stderr}");

    // --theme where there is no screen.
    let out = run(&["--theme", "light", "export", meeting, "-o", "-"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--theme only changes the full-screen app")
    );
}

/// `minutes check` lists what to fix as "FILE: place: severity: problem"
/// lines and exits 1; `minutes finalize` waits for the errors (not the
/// warnings) to be fixed, and the final report has no DRAFT mark.
#[test]
fn check_gates_a_script_and_finalize_waits_for_the_errors() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/wg-strategy-84.json"
    );
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_minutes"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // The example meeting is complete.
    let (code, stdout, stderr) = run(&["check", fixture]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("Nothing to fix"), "{stderr}");

    // Spoil it: an unattributed remark, an action nobody owns.
    let mut meeting = minutes::store::load(Path::new(fixture)).unwrap();
    let mut remark = meeting.notes[3].clone();
    remark.id = 900;
    remark.speakers.clear();
    remark.text = "there was general agreement".into();
    let mut action = remark.clone();
    action.id = 901;
    action.text = "ACTION: circulate the letter".into();
    action.kind = minutes::model::NoteKind::Action;
    meeting.notes.extend([remark, action]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("84.json");
    drop(minutes::store::Store::create(&file, &meeting).unwrap());
    let path = file.to_str().unwrap();
    let (code, stdout, stderr) = run(&["check", path]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    for line in [
        "warning: note without a speaker: “there was general agreement”",
        "error: action without an owner (@Name): “circulate the letter”",
        "error: action without a due date: “circulate the letter”",
    ] {
        assert!(
            stdout.contains(&format!("{path}: item ")) && stdout.contains(line),
            "{line}: {stdout}"
        );
    }
    assert!(
        stderr.contains("2 errors and 1 warning before sending"),
        "{stderr}"
    );

    let before = std::fs::read(&file).unwrap();
    let (code, _, stderr) = run(&["finalize", path]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("not made final: 2 errors to fix first"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), before, "refused: unchanged");
    let draft = run(&["export", path, "-o", "-"]).1;
    assert!(draft.contains("**DRAFT**"), "{draft}");
    // Reports exported beside it before it is final still say DRAFT:
    // finalize names them, with the command that makes each again.
    assert_eq!(run(&["export", path]).0, Some(0));
    assert_eq!(run(&["export", path, "--format", "html"]).0, Some(0));
    let md = dir.path().join("84.md");
    let md_before = std::fs::read(&md).unwrap();

    let (code, stdout, stderr) = run(&["finalize", path, "--force", "--by", "Ana Neves"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("final, by Ana Neves"), "{stdout}");
    assert!(
        stdout.contains("Exported before, still saying DRAFT (export them again):"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("  {}    minutes export {path}\n", md.display())),
        "{stdout}"
    );
    let html = dir.path().join("84.html");
    assert!(
        stdout.contains(&format!(
            "  {}    minutes export {path} --format html\n",
            html.display()
        )),
        "{stdout}"
    );
    assert!(!stdout.contains("84.txt"), "{stdout}");
    assert_eq!(std::fs::read(&md).unwrap(), md_before, "not rewritten");
    assert_eq!(run(&["export", path]).0, Some(0));
    assert!(!std::fs::read_to_string(&md).unwrap().contains("DRAFT"));
    let saved = minutes::store::load(&file).unwrap();
    assert_eq!(
        saved.finalized.as_ref().map(|f| f.by.as_str()),
        Some("Ana Neves")
    );
    let journal = dir.path().join("84.json.journal");
    assert!(!journal.exists(), "no empty journal left beside it");
    let final_report = run(&["export", path, "-o", "-"]).1;
    assert!(!final_report.contains("DRAFT"), "{final_report}");
    let (code, stdout, _) = run(&["finalize", path]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("already final"), "{stdout}");
}

/// `open --resume` is for a call that goes on; final minutes are not
/// resumed (they are amended, in the app), and nothing is changed.
#[test]
fn resume_refuses_final_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("final.json");
    let mut meeting = minutes::model::Meeting::new("WG", chrono_tz::Tz::UTC);
    meeting.finalized = Some(minutes::model::Finalized {
        by: "Ana".into(),
        at: "2024-09-27T09:00:00+00:00".parse().unwrap(),
    });
    minutes::store::save(&file, &meeting).unwrap();
    let before = std::fs::read(&file).unwrap();
    let (ok, stderr) = minutes(&["open", "--resume", file.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stderr.contains("these minutes are final; a final meeting's call does not go on"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
}
