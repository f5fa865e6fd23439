//! The `cargo xtask` binary as a user runs it: exit codes, help, and usage errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_exits_0_for_every_command() {
    for args in [
        &["help"][..],
        &["--help"],
        &["codegen", "--help"],
        &["import-openapi", "--help"],
        &["schema-diff", "--help"],
        &["bench-report", "--help"],
        &["help", "codegen"],
    ] {
        let out = xtask(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert!(text(&out.stdout).contains("Usage: cargo xtask"), "{args:?}");
    }
}

#[test]
fn a_misspelt_flag_exits_2_and_names_it() {
    let out = xtask(&["codegen", "--chek"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("'--chek'"), "{stderr}");
    assert!(stderr.contains("--check"), "no suggestion: {stderr}");
    let missing = xtask(&["schema-diff", "only-one.yml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("<NEW>"));
}

#[test]
fn schema_diff_flags_work_before_and_after_the_paths() {
    let schemas = xtask::workspace_root().join("schemas");
    let schemas = schemas.to_str().unwrap();
    let before = xtask(&["schema-diff", "--deny-breaking", schemas, schemas]);
    let after = xtask(&["schema-diff", schemas, schemas, "--deny-breaking"]);
    assert_eq!(before.status.code(), Some(0), "{}", text(&before.stderr));
    assert_eq!(after.status.code(), Some(0), "{}", text(&after.stderr));
    // Both name the sides first, so compare the report lines after it.
    let report = |o: &Output| {
        text(&o.stdout)
            .lines()
            .skip(1)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(report(&before), report(&after));
    assert!(
        report(&before).contains("no changes"),
        "{}",
        report(&before)
    );

    let json = xtask(&["schema-diff", "--json", schemas, schemas]);
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(parsed["breaking"], 0);
}

#[test]
fn a_failing_command_exits_1() {
    let out = xtask(&["schema-diff", "/nonexistent/a.yml", "/nonexistent/b.yml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("error: "),
        "{}",
        text(&out.stderr)
    );
}
