//! Stage 2: what the generator reads. The JSON Schemas of `schemas/` ([`schemas`]: load and
//! bundle their cross-file references) and Clerk's OpenAPI specs ([`openapi`]: the import that
//! writes `schemas/`).

use std::path::{Path, PathBuf};

pub(crate) mod convert;
pub mod openapi;
mod operations;
pub mod schemas;
mod webhooks;

/// The workspace root (the parent of this crate's folder).
#[must_use]
pub fn workspace_root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

/// Where the importer's reference specs live (beside the repository, like the fixtures).
#[must_use]
pub fn reference_spec(name: &str) -> PathBuf {
    workspace_root()
        .join("../shared/reference/openapi")
        .join(name)
}

/// [`reference_spec`] for a test: `Some` when it is there; otherwise `None` with a
/// `SKIPPED` line, or, with `CI` set, a failure, so CI can never pass without the specs.
///
/// # Panics
///
/// When the spec is missing and `CI` is set.
#[must_use]
pub fn reference_spec_for_test(name: &str, test: &str) -> Option<PathBuf> {
    let path = reference_spec(name);
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: {} is missing, and CI is set",
        path.display()
    );
    eprintln!("SKIPPED {test}: no {}", path.display());
    None
}
