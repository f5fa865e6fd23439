//! trybuild suites: the API compiles as a dependent uses it (`ui/pass`, and `ui/features`
//! with the matching cargo feature), and misuse fails with exactly the message in each
//! `ui/fail/*.stderr`.
//!
//! The `.stderr` files pin one compiler's output: on another toolchain the suite is skipped
//! with a message. `TRYBUILD=overwrite cargo test -p clerk-models-tests --test ui`
//! regenerates them after a deliberate change.

use std::process::Command;

/// The `rustc --version` line the `.stderr` files were written with.
const PINNED: &str = include_str!("../ui/RUSTC_VERSION");

/// Whether the `.stderr` files fit this compiler; says `SKIPPED` when they do not.
fn pinned_toolchain(test: &str) -> bool {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let actual = Command::new(rustc)
        .arg("--version")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default();
    if actual != PINNED.trim() {
        eprintln!(
            "SKIPPED {test}: the .stderr files are pinned to `{}`, this is `{actual}`",
            PINNED.trim()
        );
        return false;
    }
    true
}

/// The API as a dependent uses it, and its misuse.
#[test]
fn ui() {
    if !pinned_toolchain("ui") {
        return;
    }
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}

/// The API of each optional feature, as a dependent uses it (with the tests crate's features:
/// `cargo test -p clerk-models-tests --all-features`).
#[cfg(any(
    feature = "chrono",
    feature = "time",
    feature = "jiff",
    feature = "webhooks",
    feature = "jwt"
))]
#[test]
fn ui_features() {
    if !pinned_toolchain("ui_features") {
        return;
    }
    let t = trybuild::TestCases::new();
    #[cfg(feature = "chrono")]
    t.pass("ui/features/chrono.rs");
    #[cfg(feature = "time")]
    t.pass("ui/features/time.rs");
    #[cfg(feature = "jiff")]
    t.pass("ui/features/jiff.rs");
    #[cfg(all(feature = "webhooks", feature = "http"))]
    t.pass("ui/features/webhooks.rs");
    #[cfg(feature = "jwt")]
    t.pass("ui/features/jwt.rs");
    #[cfg(all(feature = "jwt", feature = "http"))]
    t.pass("ui/features/machine_tokens.rs");
}
