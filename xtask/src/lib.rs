//! The clerk-models generator: `schemas/*.json` → `crates/clerk-models/src/generated.rs`.
//!
//! Used by `cargo xtask` (see `main.rs`) and, as a library, by the workspace tests that
//! validate output against the bundled schemas.

pub mod bench;
pub mod cli;
pub mod codegen;
pub mod config;
pub mod diff;
pub mod events;
pub mod extras;
pub mod files;
pub mod layout;
pub mod openapi;
pub mod schema;
pub mod tokens;
pub mod unions;

use std::path::{Path, PathBuf};

pub use schema::{Error, Result};

/// The workspace root (the parent of this crate's folder).
#[must_use]
pub fn workspace_root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

/// Regenerates the models from `<root>/schemas`, or with `check` only verifies that the
/// checked-in folder is what generation produces: no file stale, missing or extra.
pub fn codegen(root: &Path, check: bool) -> Result<files::Outcome> {
    let schemas = schema::load_dir(&root.join(config::SCHEMA_DIR))?;
    let generated = codegen::generate(&schemas)?;
    files::sync_dir(&root.join(config::GENERATED_DIR), &generated, check)
}

/// Every file of the generated folder under `root`, concatenated in path order: what the
/// tests search for a generated item without knowing its file.
///
/// # Errors
///
/// When the folder cannot be read.
pub fn read_generated(root: &Path) -> Result<String> {
    let dir = root.join(config::GENERATED_DIR);
    let mut text = String::new();
    for name in files::list_dir(&dir)? {
        let path = dir.join(&name);
        text.push_str(
            &std::fs::read_to_string(&path)
                .map_err(|e| Error(format!("cannot read {}: {e}", path.display())))?,
        );
    }
    Ok(text)
}

/// What [`import_openapi`] did.
#[derive(Debug)]
pub struct Import {
    /// What the import changes for a Rust dependent, against the previous `schemas/`.
    pub changes: Vec<diff::Change>,
    /// The files it rewrote (none when the spec gives what is already there).
    pub written: Vec<PathBuf>,
}

/// Imports one of Clerk's OpenAPI specs (the Backend API, or the webhooks spec) into
/// `<root>/schemas` and regenerates the models. The files of the other spec are kept.
///
/// Everything is read, converted, generated and checked before anything is written, so a
/// bad spec leaves `schemas/` and the generated file exactly as they were.
pub fn import_openapi(root: &Path, spec_path: &Path) -> Result<Import> {
    let spec = openapi::load_spec(spec_path)?;
    let schema_dir = root.join(config::SCHEMA_DIR);
    // Every file of `schemas/`: the Backend API's ones are what a webhook import references.
    let on_disk = schema::load_dir(&schema_dir).unwrap_or_default();
    let files = openapi::schema_files(&spec, &spec_path.display().to_string(), &on_disk)?;
    let parsed = openapi::parse_schema_files(&files)?;
    let names: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();

    if let Ok(entries) = std::fs::read_dir(&schema_dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let known = config::IMPORT
                .iter()
                .chain(config::WEBHOOK_IMPORT)
                .any(|(f, _)| *f == name)
                || config::HAND_WRITTEN.contains(&name.as_str());
            if name.ends_with(".json") && !known {
                return Err(Error(format!(
                    "{} is not one of the files an import writes or keeps (xtask config \
                     IMPORT, WEBHOOK_IMPORT, HAND_WRITTEN); remove it or add it there",
                    schema_dir.join(&name).display()
                )));
            }
        }
    }
    // The files of the other spec stay as they are and take part in generation; the files
    // this import writes are what it is compared against.
    let (replaced, kept): (Vec<_>, Vec<_>) = on_disk
        .into_iter()
        .partition(|f| files.iter().any(|(name, _)| *name == f.name));
    let old_defs = if replaced.is_empty() {
        serde_json::Map::new()
    } else {
        let mut before = replaced;
        before.extend(kept.iter().cloned());
        diff::scoped_defs(&before, Some(&names))?
    };
    let mut merged = parsed;
    merged.extend(kept);
    let new_defs = diff::scoped_defs(&merged, Some(&names))?;
    let generated = codegen::generate(&merged)?;
    let changes = diff::diff(&old_defs, &new_defs);

    std::fs::create_dir_all(&schema_dir)
        .map_err(|e| Error(format!("cannot create {}: {e}", schema_dir.display())))?;
    let outputs: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|(name, text)| (schema_dir.join(name), text))
        .collect();
    let mut written = files::write_all(&outputs)?;
    let dir = root.join(config::GENERATED_DIR);
    if files::sync_dir(&dir, &generated, false)? == files::Outcome::Written {
        written.push(dir);
    }
    Ok(Import { changes, written })
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

#[cfg(test)]
mod tests {
    /// Plain `cargo test` catches a generated file that no longer matches `schemas/`.
    #[test]
    fn generated_code_is_fresh() {
        if let Err(e) = super::codegen(&super::workspace_root(), true) {
            panic!("{e}");
        }
    }

    /// A scratch workspace holding a copy of `schemas/` and of the generated folder.
    fn scratch_copy(name: &str) -> std::path::PathBuf {
        let root = super::workspace_root();
        let scratch = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&scratch);
        let schemas = scratch.join(super::config::SCHEMA_DIR);
        std::fs::create_dir_all(&schemas).unwrap();
        for entry in std::fs::read_dir(root.join(super::config::SCHEMA_DIR)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, schemas.join(path.file_name().unwrap())).unwrap();
        }
        let from = root.join(super::config::GENERATED_DIR);
        let to = scratch.join(super::config::GENERATED_DIR);
        for file in super::files::list_dir(&from).unwrap() {
            let target = to.join(&file);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(from.join(&file), target).unwrap();
        }
        scratch
    }

    #[test]
    fn a_deleted_line_is_caught_and_regeneration_restores_the_file() {
        let scratch = scratch_copy("stale");
        let generated = scratch
            .join(super::config::GENERATED_DIR)
            .join("session.rs");
        let original = std::fs::read_to_string(&generated).unwrap();
        let lines: Vec<&str> = original.lines().collect();
        let mut damaged = lines.clone();
        damaged.remove(lines.len() / 2);
        std::fs::write(&generated, damaged.join("\n") + "\n").unwrap();

        let err = super::codegen(&scratch, true).unwrap_err();
        assert!(err.0.contains("session.rs is stale"), "{err}");
        assert!(
            err.0.contains(&format!("+{}", lines[lines.len() / 2])),
            "{err}"
        );

        assert_eq!(
            super::codegen(&scratch, false).unwrap(),
            super::files::Outcome::Written
        );
        assert_eq!(std::fs::read_to_string(&generated).unwrap(), original);
        std::fs::remove_dir_all(&scratch).unwrap();
    }

    #[test]
    fn a_missing_and_an_extra_file_are_caught_and_regeneration_fixes_both() {
        let scratch = scratch_copy("missing-extra");
        let dir = scratch.join(super::config::GENERATED_DIR);
        let builders = dir.join("client/builders.rs");
        let original = std::fs::read_to_string(&builders).unwrap();
        std::fs::remove_file(&builders).unwrap();
        let extra = dir.join("session/old.rs");
        std::fs::write(&extra, "// left over\n").unwrap();

        let err = super::codegen(&scratch, true).unwrap_err();
        assert!(err.0.contains("builders.rs is missing"), "{err}");
        assert!(err.0.contains("old.rs is extra"), "{err}");
        assert!(
            !builders.exists() && extra.exists(),
            "check mode wrote nothing"
        );

        super::codegen(&scratch, false).unwrap();
        assert_eq!(std::fs::read_to_string(&builders).unwrap(), original);
        assert!(!extra.exists());
        assert_eq!(
            super::codegen(&scratch, true).unwrap(),
            super::files::Outcome::Fresh
        );
        std::fs::remove_dir_all(&scratch).unwrap();
    }

    #[test]
    fn a_ninth_status_in_the_schema_becomes_a_variant() {
        let scratch = scratch_copy("ninth");
        edit_schema(&scratch, "session.json", |schema| {
            schema["$defs"]["Session"]["properties"]["status"]["enum"]
                .as_array_mut()
                .unwrap()
                .push("suspended".into());
        });
        super::codegen(&scratch, false).unwrap();
        let text = super::read_generated(&scratch).unwrap();
        // The StringEnum derive turns the variant into `is_suspended()` and the rest.
        assert!(
            text.contains("    #[clerk(rename = \"suspended\")]\n    Suspended,\n"),
            "no Suspended variant"
        );
        std::fs::remove_dir_all(&scratch).unwrap();
    }

    #[test]
    fn a_new_known_task_key_in_the_schema_becomes_a_variant() {
        let scratch = scratch_copy("task-key");
        edit_schema(&scratch, "session.json", |schema| {
            schema["$defs"]["SessionTask"]["properties"]["key"]
                [super::config::KNOWN_VALUES_KEYWORD]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!({"value": "accept-terms", "description": "Agree first."}));
        });
        super::codegen(&scratch, false).unwrap();
        let text = super::read_generated(&scratch).unwrap();
        assert!(
            text.contains(
                "    /// The JSON value `\"accept-terms\"`. Agree first.\n    #[clerk(rename = \"accept-terms\")]\n    AcceptTerms,\n"
            ),
            "no AcceptTerms variant"
        );
        std::fs::remove_dir_all(&scratch).unwrap();
    }

    #[test]
    fn removing_a_timestamp_marker_removes_the_accessor_attribute() {
        let scratch = scratch_copy("marker");
        let field = |text: &str| {
            let start = text.find("    pub expire_at: i64,").unwrap();
            let attrs_start = text[..start].rfind("/// JSON key `expire_at`").unwrap();
            text[attrs_start..start].contains("#[clerk(timestamp)]")
        };
        let generated = scratch
            .join(super::config::GENERATED_DIR)
            .join("session.rs");
        assert!(field(&std::fs::read_to_string(&generated).unwrap()));
        edit_schema(&scratch, "session.json", |schema| {
            schema["$defs"]["Session"]["properties"]["expire_at"]
                .as_object_mut()
                .unwrap()
                .remove(super::config::TIMESTAMP_KEYWORD)
                .unwrap();
        });
        super::codegen(&scratch, false).unwrap();
        assert!(!field(&std::fs::read_to_string(&generated).unwrap()));
        std::fs::remove_dir_all(&scratch).unwrap();
    }

    /// Reads `schemas/<file>` of a scratch workspace, lets `edit` change it, writes it back.
    fn edit_schema(
        scratch: &std::path::Path,
        file: &str,
        edit: impl FnOnce(&mut serde_json::Value),
    ) {
        let path = scratch.join(super::config::SCHEMA_DIR).join(file);
        let mut schema: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        edit(&mut schema);
        std::fs::write(&path, serde_json::to_string_pretty(&schema).unwrap()).unwrap();
    }

    /// Rewrites `"type": [T, "null"]` as OpenAPI's `"type": T, "nullable": true`.
    fn to_openapi_nullable(value: &mut serde_json::Value) -> usize {
        let mut rewritten = 0;
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Array(types)) = map.get("type").cloned()
                    && let [t, null] = types.as_slice()
                    && null == "null"
                {
                    map.insert("type".into(), t.clone());
                    map.insert("nullable".into(), true.into());
                    rewritten += 1;
                }
                for child in map.values_mut() {
                    rewritten += to_openapi_nullable(child);
                }
            }
            serde_json::Value::Array(items) => {
                for child in items {
                    rewritten += to_openapi_nullable(child);
                }
            }
            _ => {}
        }
        rewritten
    }

    #[test]
    fn openapi_style_nullable_schemas_generate_the_same_code() {
        let scratch = scratch_copy("nullable");
        let mut rewritten = 0;
        for name in ["session.json", "client.json"] {
            edit_schema(&scratch, name, |schema| {
                rewritten += to_openapi_nullable(schema)
            });
        }
        assert!(rewritten >= 8, "only {rewritten} nullable types rewritten");
        assert_eq!(
            super::codegen(&scratch, true).unwrap(),
            super::files::Outcome::Fresh
        );
        std::fs::remove_dir_all(&scratch).unwrap();
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
