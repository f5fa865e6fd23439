//! `import-openapi` and `schema-diff` on Clerk's real specs, in scratch folders: the real
//! `schemas/` is never touched.

// Tests are exempt from the library-code lints (see clippy.toml); helpers here are test code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::load::openapi;
use xtask::tools::diff::{self, ChangeKind};
use xtask::{config, import_openapi};

fn spec(name: &str) -> Option<PathBuf> {
    xtask::reference_spec_for_test(name, "import")
}

/// A scratch workspace root, unique per test: empty but for `clerk-models-api`'s manifest,
/// whose features a generation writes.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let manifest = dir.join(config::API_MANIFEST);
    std::fs::create_dir_all(manifest.parent().unwrap()).unwrap();
    std::fs::copy(xtask::workspace_root().join(config::API_MANIFEST), manifest).unwrap();
    dir
}

/// Whether a change is to an operation, or to a model only the Backend API's operations
/// use: anything but a type of `clerk-models`' files (those of `config::IMPORT`).
fn of_the_api(change: &diff::Change) -> bool {
    let core: Vec<String> = backend()
        .iter()
        .filter(|f| config::IMPORT.iter().any(|(file, _)| *file == f.name))
        .filter_map(|f| f.value.get("$defs").and_then(serde_json::Value::as_object))
        .flat_map(|defs| defs.keys().cloned())
        .collect();
    !core.contains(&change.type_name)
}

/// Every file below `dir`, with its bytes, to prove nothing changed.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The Backend API's files of the real `schemas/`, which the webhook files reference.
fn backend() -> Vec<xtask::load::schemas::SchemaFile> {
    xtask::load::schemas::load_dir(&xtask::workspace_root().join(config::SCHEMA_DIR)).unwrap()
}

fn summary(changes: &[diff::Change]) -> Vec<String> {
    changes.iter().map(ToString::to_string).collect()
}

#[test]
fn importing_both_specs_reproduces_schemas_byte_for_byte() {
    let (Some(bapi), Some(webhooks)) = (
        spec("clerk-bapi-2026-05-12.yml"),
        spec("clerk-webhooks-2025-04-15.yml"),
    ) else {
        return;
    };
    let dir = xtask::workspace_root().join(config::SCHEMA_DIR);
    let mut count = 0;
    for path in [bapi, webhooks] {
        let spec = xtask::load::openapi::load_spec(&path).unwrap();
        let files =
            xtask::load::openapi::schema_files(&spec, &path.display().to_string(), &backend())
                .unwrap();
        for (name, text) in &files {
            let on_disk = std::fs::read_to_string(dir.join(name)).unwrap();
            assert!(
                on_disk == *text,
                "schemas/{name} differs from the import:\n{}",
                xtask::check::files::short_diff(&on_disk, text)
            );
        }
        count += files.len();
    }
    // Every other file of schemas/ is written by hand.
    assert_eq!(
        count + config::HAND_WRITTEN.len(),
        xtask::check::files::list_dir(&dir).unwrap().len()
    );
}

#[test]
fn the_webhook_import_takes_what_only_webhooks_send_and_references_the_backend_api() {
    let Some(path) = spec("clerk-webhooks-2025-04-15.yml") else {
        return;
    };
    let spec = xtask::load::openapi::load_spec(&path).unwrap();
    let files = xtask::load::openapi::schema_files(&spec, "webhooks", &backend()).unwrap();
    assert_eq!(
        files.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        config::WEBHOOK_IMPORT
            .iter()
            .map(|(f, _)| *f)
            .collect::<Vec<_>>()
    );
    let mut parsed = xtask::load::openapi::parse_schema_files(&files).unwrap();
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    parsed.extend(backend().into_iter().filter(|f| !names.contains(&f.name)));
    let defs = xtask::tools::diff::scoped_defs(&parsed, Some(&names)).unwrap();
    // The components the Backend API also has are never imported from the webhooks spec
    // (its Session lags: no `pending`, no `tasks`): they are referenced in its files.
    for shared in ["Session", "User", "Organization", "OrganizationInvitation"] {
        assert!(
            !defs.contains_key(shared),
            "the webhooks spec's {shared} came along"
        );
    }
    let accepted = files
        .iter()
        .find(|(n, _)| n == "organization-invitation-accepted.json")
        .unwrap();
    assert!(
        accepted
            .1
            .contains("organization-invitation.json#/$defs/OrganizationInvitation"),
        "{}",
        accepted.1
    );
    let envelope = &defs["WebhookEventPayload"];
    let values = envelope["properties"]["type"][config::KNOWN_VALUES_KEYWORD]
        .as_array()
        .unwrap();
    assert_eq!(values.len(), 45);
    assert!(
        values.iter().all(|v| v["group"].is_string()),
        "an event without a group"
    );
    let session_group: Vec<&str> = values
        .iter()
        .filter(|v| v["group"] == "session")
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        session_group,
        [
            "session.created",
            "session.pending",
            "session.ended",
            "session.removed",
            "session.revoked"
        ]
    );
    assert_eq!(envelope["properties"]["data"][config::RAW_KEYWORD], true);
    assert_eq!(
        envelope["properties"]["timestamp"][config::TIMESTAMP_KEYWORD],
        config::TIMESTAMP_UNIT
    );
    // A spec without x-webhooks entries, or whose event does not extend the envelope, is refused.
    let mut broken = spec.clone();
    broken["x-webhooks"]["session.created"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"]["allOf"][0] = serde_json::json!({"$ref": "#/components/schemas/Session"});
    let err = xtask::load::openapi::schema_files(&broken, "broken", &backend()).unwrap_err();
    assert!(
        err.0.contains("x-webhooks/session.created does not extend"),
        "{err}"
    );
    let mut empty = spec;
    empty["x-webhooks"] = serde_json::json!({});
    let err = xtask::load::openapi::schema_files(&empty, "empty", &backend()).unwrap_err();
    assert!(err.0.contains("lists no event"), "{err}");
}

#[test]
fn schema_diff_of_a_spec_compares_only_the_files_it_imports() {
    let Some(bapi) = spec("clerk-bapi-2026-05-12.yml") else {
        return;
    };
    let folder = diff::load_side(&xtask::workspace_root().join(config::SCHEMA_DIR)).unwrap();
    let spec_side = diff::load_side(&bapi).unwrap();
    // schemas/ also holds the webhook envelope, which a Backend API spec does not describe.
    assert!(diff::diff_sides(&folder, &spec_side).unwrap().is_empty());
    assert!(diff::diff_sides(&spec_side, &folder).unwrap().is_empty());
}

#[test]
fn diff_2021_to_2026_is_pending_and_tasks_only() {
    let (Some(old), Some(new)) = (
        spec("clerk-bapi-2021-02-05.yml"),
        spec("clerk-bapi-2026-05-12.yml"),
    ) else {
        return;
    };
    let old = diff::load_side(&old).unwrap();
    let new = diff::load_side(&new).unwrap();
    let models = |changes: Vec<diff::Change>| -> Vec<diff::Change> {
        changes.into_iter().filter(|c| !of_the_api(c)).collect()
    };
    let forward = diff::diff_sides(&old, &new).unwrap();
    assert_eq!(
        summary(&models(forward.clone())),
        [
            "Session.status: enum value \"pending\" added (compatible)",
            "Session.tasks: field added, optional (compatible)",
            "SessionTask: type added (compatible)",
        ]
    );
    let backward = diff::diff_sides(&new, &old).unwrap();
    assert_eq!(
        summary(&models(backward.clone())),
        [
            "Session.status: enum value \"pending\" removed (breaking)",
            "Session.tasks: field removed (breaking)",
            "SessionTask: type removed (breaking)",
        ]
    );
    let json = diff::report_json(&models(backward.clone()));
    assert_eq!(
        (json["breaking"].as_u64(), json["compatible"].as_u64()),
        (Some(3), Some(0))
    );
    assert_eq!(json["changes"][0]["change"], "enum_value_removed");
    // The operations: what 2026 added is compatible, and the same going back is breaking.
    let added: Vec<String> = forward
        .iter()
        .filter(|c| matches!(c.kind, ChangeKind::OperationAdded { .. }))
        .map(ToString::to_string)
        .collect();
    assert!(
        added.contains(
            &"GetUserBillingSubscription: operation added, GET /users/{user_id}/billing/subscription (compatible)"
                .to_owned()
        ),
        "{added:?}"
    );
    let removed = backward
        .iter()
        .filter(|c| matches!(c.kind, ChangeKind::OperationRemoved { .. }))
        .count();
    assert_eq!(removed, added.len());
    assert!(
        backward
            .iter()
            .filter(|c| matches!(c.kind, ChangeKind::OperationRemoved { .. }))
            .all(|c| c.breaking)
    );
}

#[test]
fn changes_are_classified_for_a_rust_dependent() {
    use serde_json::json;
    let old = json!({"T": {"type": "object", "properties": {
        "a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": ["string", "null"]},
        "d": {"type": "integer"}, "e": {"type": "string", "enum": ["x"]}
    }, "required": ["a", "c"]}});
    let new = json!({"T": {"type": "object", "properties": {
        "a": {"type": ["string", "null"]}, "b": {"type": "string"}, "c": {"type": ["string", "null"]},
        "d": {"type": "string"}, "e": {"type": "string", "enum": ["x", "y"]},
        "f": {"type": "integer"}
    }, "required": ["a", "b", "f"]}});
    let changes = diff::diff(old.as_object().unwrap(), new.as_object().unwrap());
    assert_eq!(
        summary(&changes),
        [
            "T.a: became nullable (breaking)",
            "T.b: optional -> required (breaking)",
            "T.c: required -> optional (compatible)",
            "T.d: type integer -> string (breaking)",
            "T.e: enum value \"y\" added (breaking)",
            "T.f: field added, required (breaking)",
        ]
    );
    assert!(matches!(
        changes[0].kind,
        ChangeKind::NullableChanged { now: true }
    ));
}

#[test]
fn import_is_idempotent_and_2025_to_2026_changes_nothing() {
    let (Some(s2025), Some(s2026)) = (
        spec("clerk-bapi-2025-04-10.yml"),
        spec("clerk-bapi-2026-05-12.yml"),
    ) else {
        return;
    };
    let root = scratch("idempotent");
    copy_kept_schemas(&root);
    let first = import_openapi(&root, &s2025).unwrap();
    assert!(first.changes.iter().all(|c| matches!(
        c.kind,
        ChangeKind::TypeAdded | ChangeKind::OperationAdded { .. }
    )));
    let api_files =
        xtask::check::files::list_dir(&root.join(config::SCHEMA_DIR).join(config::API_SCHEMA_DIR))
            .unwrap();
    assert!(api_files.len() > 40, "{api_files:?}");
    assert_eq!(
        first.written.len(),
        config::IMPORT.len() + api_files.len() + 1
    );
    let again = import_openapi(&root, &s2025).unwrap();
    assert!(
        again.changes.is_empty() && again.written.is_empty(),
        "{again:?}"
    );
    // From 2025-04-10 to 2026-05-12 the models of clerk-models do not change; the
    // operations do (reported, each tagged).
    let newer = import_openapi(&root, &s2026).unwrap();
    let (api, models): (Vec<_>, Vec<_>) = newer.changes.iter().partition(|c| of_the_api(c));
    assert!(models.is_empty(), "{:?}", models);
    assert!(
        api.iter()
            .any(|c| matches!(c.kind, ChangeKind::OperationAdded { .. })),
        "{api:?}"
    );
    // The 2026 import is what the repository holds, operations included.
    let real = xtask::workspace_root();
    let api_names =
        xtask::check::files::list_dir(&real.join(config::SCHEMA_DIR).join(config::API_SCHEMA_DIR))
            .unwrap()
            .into_iter()
            .map(|name| format!("{}/{name}", config::API_SCHEMA_DIR));
    let names: Vec<String> = config::IMPORT
        .iter()
        .map(|(file, _)| (*file).to_owned())
        .chain(api_names)
        .collect();
    for file in &names {
        let path = Path::new(config::SCHEMA_DIR).join(file);
        let scratch_text = std::fs::read_to_string(root.join(&path)).unwrap();
        let real_text = std::fs::read_to_string(real.join(&path)).unwrap();
        assert!(
            scratch_text == real_text,
            "{}: {}",
            path.display(),
            xtask::check::files::short_diff(&real_text, &scratch_text)
        );
    }
    let scratch_generated = xtask::check::files::read_generated(&root).unwrap();
    let real_generated = xtask::check::files::read_generated(&real).unwrap();
    assert!(
        scratch_generated == real_generated,
        "{}",
        xtask::check::files::short_diff(&real_generated, &scratch_generated)
    );
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_bad_spec_is_refused_with_its_location_and_changes_nothing() {
    let Some(good) = spec("clerk-bapi-2026-05-12.yml") else {
        return;
    };
    let root = scratch("bad");
    import_openapi(&root, &good).unwrap();
    let before = snapshot(&root);
    let text = std::fs::read_to_string(&good).unwrap();
    let dir = scratch("bad-specs");
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "no-session.yml",
            text.replacen("\n    Session:\n", "\n    SessionRenamed:\n", 1),
            "points at `#/components/schemas/Session`, which does not exist",
        ),
        (
            "dangling.yml",
            text.replacen(
                "$ref: '#/components/schemas/SessionTask'",
                "$ref: '#/components/schemas/Nope'",
                1,
            ),
            "#/components/schemas/Session/properties/tasks/items/$ref",
        ),
        (
            "broken.yml",
            text.replacen("openapi: 3.0.3\n", "openapi: [3.0.3\n", 1),
            "not valid YAML",
        ),
        (
            "broken.json",
            "{\"openapi\": \"3.0.3\",".to_owned(),
            "line 1 column 20",
        ),
        (
            "not-openapi.json",
            "{\"swagger\": \"2.0\"}".to_owned(),
            "no top-level `openapi` key",
        ),
    ];
    for (name, content, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        let err = import_openapi(&root, &path).unwrap_err();
        assert!(err.0.contains(expected), "{name}: {err}");
        assert!(
            snapshot(&root) == before,
            "{name} changed the scratch workspace"
        );
    }
    std::fs::remove_dir_all(&root).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_stray_schema_file_is_refused() {
    let Some(good) = spec("clerk-bapi-2026-05-12.yml") else {
        return;
    };
    let root = scratch("stray");
    import_openapi(&root, &good).unwrap();
    std::fs::write(root.join("schemas/extra.json"), "{}").unwrap();
    let err = import_openapi(&root, &good).unwrap_err();
    assert!(
        err.0.contains("extra.json is not one of the files"),
        "{err}"
    );
    std::fs::remove_dir_all(&root).unwrap();
}

/// Importing the 2021 spec generates models without `pending` and `tasks`, and that module
/// compiles: in a scratch copy of the crates, the only errors are in hand-written helpers
/// that use `tasks` (the honest signal), none in the generated folder.
#[test]
fn the_2021_spec_generates_a_module_that_compiles() {
    let Some(old) = spec("clerk-bapi-2021-02-05.yml") else {
        return;
    };
    let real = xtask::workspace_root();
    let root = scratch("2021");
    copy_tree(&real.join("crates"), &root.join("crates"));
    std::fs::copy(real.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    let manifest = std::fs::read_to_string(real.join("Cargo.toml")).unwrap();
    let start = manifest.find("\nmembers = [").unwrap() + 1;
    let end = start + manifest[start..].find(']').unwrap() + 1;
    let manifest = format!(
        "{}{}{}",
        &manifest[..start],
        r#"members = ["crates/clerk-models", "crates/clerk-models-derive"]"#,
        &manifest[end..]
    );
    let default_line = manifest
        .lines()
        .find(|l| l.starts_with("default-members"))
        .unwrap();
    let manifest = manifest.replace(default_line, r#"default-members = ["crates/clerk-models"]"#);
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    copy_kept_schemas(&root);
    // The models the 2021 spec does not have stay as the repository holds them.
    let spec = xtask::load::openapi::load_spec(&old).unwrap();
    for (file, component) in config::IMPORT {
        if spec
            .pointer(&format!("/components/schemas/{component}"))
            .is_none()
        {
            std::fs::copy(
                real.join(config::SCHEMA_DIR).join(file),
                root.join(config::SCHEMA_DIR).join(file),
            )
            .unwrap();
        }
    }

    let import = import_openapi(&root, &old).unwrap();
    // Into a workspace without those files, every type and operation the 2021 spec gives is
    // new.
    assert!(
        import.changes.iter().all(|c| matches!(
            c.kind,
            ChangeKind::TypeAdded | ChangeKind::OperationAdded { .. }
        )),
        "{:?}",
        summary(&import.changes)
    );
    for model in [
        "Session: type added",
        "Client: type added",
        "User: type added",
    ] {
        assert!(
            summary(&import.changes)
                .iter()
                .any(|c| c.starts_with(model)),
            "{model}"
        );
    }
    let generated = xtask::check::files::read_generated(&root).unwrap();
    let session =
        std::fs::read_to_string(root.join(config::GENERATED_DIR).join("session.rs")).unwrap();
    assert!(!session.contains("    Pending,\n") && !session.contains("pub tasks:"));
    assert!(generated.contains("Revoked,") && generated.contains("pub expire_at: i64,"));

    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "check",
            "-p",
            "clerk-models",
            "--offline",
            "--message-format=short",
        ])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", real.join("target/scratch-import"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(": error")).collect();
    assert!(
        !errors.is_empty(),
        "the helpers use `tasks`, so something must fail:\n{stderr}"
    );
    for error in &errors {
        assert!(
            !error.contains("src/generated/"),
            "the generated module fails: {error}"
        );
        assert!(
            error.contains("session.rs") && (error.contains("tasks") || error.contains("TaskKey")),
            "unexpected: {error}"
        );
    }
    std::fs::remove_dir_all(&root).unwrap();
}

/// The webhook envelope comes from the other spec and the session token's schema is written
/// by hand; a Backend API import keeps both, as in the real `schemas/`.
fn copy_kept_schemas(root: &Path) {
    std::fs::create_dir_all(root.join(config::SCHEMA_DIR)).unwrap();
    let kept = config::WEBHOOK_IMPORT
        .iter()
        .map(|(name, _)| *name)
        .chain(config::HAND_WRITTEN.iter().copied());
    for name in kept {
        std::fs::copy(
            xtask::workspace_root().join(config::SCHEMA_DIR).join(name),
            root.join(config::SCHEMA_DIR).join(name),
        )
        .unwrap();
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn schema_diff_reports_where_the_webhooks_spec_differs_from_the_backend_api() {
    let Some(path) = spec("clerk-webhooks-2025-04-15.yml") else {
        return;
    };
    let changes = xtask::tools::diff::webhooks_against_backend(&path, &backend()).unwrap();
    // Its User, Organization, memberships… match the Backend API's; its Session lags.
    assert_eq!(
        summary(&changes),
        [
            "Session.status: enum value \"pending\" removed (breaking)",
            "Session.tasks: field removed (breaking)"
        ]
    );
    // A Backend API spec has nothing to compare.
    if let Some(bapi) = spec("clerk-bapi-2026-05-12.yml") {
        assert!(
            xtask::tools::diff::webhooks_against_backend(&bapi, &backend())
                .unwrap()
                .is_empty()
        );
    }
}

/// `nullable: true` beside a composition becomes a `null` member in `schemas/`, so that the
/// strict JSON Schema form lets `null` through as the spec means and the code decodes.
#[test]
fn a_nullable_composition_is_imported_with_null_as_a_member() {
    let spec = serde_json::json!({
        "openapi": "3.0.3",
        "components": {"schemas": {
            "DeletedObject": {
                "type": "object",
                "properties": {
                    "object": {"type": "string"},
                    "one": {"nullable": true, "oneOf": [
                        {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}
                    ]},
                    "all": {"type": "object", "nullable": true,
                            "allOf": [{"$ref": "#/components/schemas/A"}],
                            "description": "kept"},
                    "plain": {"allOf": [{"$ref": "#/components/schemas/A"}]}
                },
                "required": ["object"]
            },
            "A": {"type": "object", "properties": {"a": {"type": "string"}}},
            "B": {"type": "object", "properties": {"b": {"type": "string"}}}
        }}
    });
    let files = openapi::schema_files(&spec, "test spec", &[]).unwrap();
    let (_, text) = files
        .iter()
        .find(|(name, _)| name == "deleted-object.json")
        .unwrap();
    let file: serde_json::Value = serde_json::from_str(text).unwrap();
    let props = &file["$defs"]["DeletedObject"]["properties"];
    let null = serde_json::json!({"type": "null"});
    assert_eq!(
        props["one"]["oneOf"].as_array().unwrap().last(),
        Some(&null)
    );
    assert!(props["one"].get("type").is_none(), "{}", props["one"]);
    assert_eq!(props["all"]["anyOf"][0]["$ref"], "#/$defs/A");
    assert_eq!(props["all"]["anyOf"][1], null);
    assert_eq!(props["all"]["description"], "kept");
    assert!(props["all"].get("allOf").is_none() && props["all"].get("type").is_none());
    // Without `nullable`, nothing changes.
    assert_eq!(props["plain"]["allOf"][0]["$ref"], "#/$defs/A");
    // A nullable `allOf` of several parts has no form here: refused, not guessed.
    let mut two = spec.clone();
    two["components"]["schemas"]["DeletedObject"]["properties"]["all"]["allOf"] = serde_json::json!([
        {"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}
    ]);
    let err = openapi::schema_files(&two, "test spec", &[]).unwrap_err();
    assert!(
        err.to_string().contains("nullable `allOf` of 2 parts"),
        "{err}"
    );
}
