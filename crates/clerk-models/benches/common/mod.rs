//! What both benchmarks share: where the real payloads are, and criterion's settings.

use std::path::PathBuf;
use std::time::Duration;

use criterion::Criterion;

/// `../shared/fixtures/clerk` beside the repository, or `$CLERK_FIXTURES_DIR`.
#[allow(dead_code)] // the token benchmarks make their inputs
pub fn fixtures() -> PathBuf {
    let dir = std::env::var_os("CLERK_FIXTURES_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/clerk"),
        PathBuf::from,
    );
    assert!(
        dir.join("MANIFEST.json").is_file(),
        "the benchmarks read real payloads from {}; set CLERK_FIXTURES_DIR",
        dir.display()
    );
    dir
}

/// Short runs: the machines are shared, so the reports are ratios within one run.
pub fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}
