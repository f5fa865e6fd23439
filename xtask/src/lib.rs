//! The clerk-models generator: `schemas/*.json` → `crates/clerk-models/src/generated.rs`.
//!
//! Used by `cargo xtask` (see `main.rs`) and, as a library, by the workspace tests that
//! validate output against the bundled schemas.

pub mod codegen;
pub mod config;
pub mod files;
pub mod schema;

use std::path::{Path, PathBuf};

pub use schema::{Error, Result};

/// The workspace root (the parent of this crate's folder).
#[must_use]
pub fn workspace_root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

/// Regenerates the models from `<root>/schemas`, or with `check` only verifies that the
/// checked-in file is what generation produces.
pub fn codegen(root: &Path, check: bool) -> Result<files::Outcome> {
    let schemas = schema::load_dir(&root.join(config::SCHEMA_DIR))?;
    let text = codegen::generate(&schemas)?;
    files::ensure_file_contents(&root.join(config::GENERATED_FILE), &text, check)
}

#[cfg(test)]
mod tests {
    /// Plain `cargo test` catches a generated file that no longer matches `schemas/`.
    #[test]
    fn generated_code_is_fresh() {
        if let Err(e) = super::codegen(&super::workspace_root(), true) {
            panic!("{e}");
        }
    }

    #[test]
    fn generation_is_deterministic() {
        let root = super::workspace_root();
        let schemas = super::schema::load_dir(&root.join(super::config::SCHEMA_DIR)).unwrap();
        let first = super::codegen::generate(&schemas).unwrap();
        let second = super::codegen::generate(&schemas).unwrap();
        assert_eq!(first, second);
    }
}
