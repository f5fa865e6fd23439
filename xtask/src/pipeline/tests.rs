//! The pipeline end to end on scratch copies of the workspace: freshness, what a schema
//! change does to the generated code, determinism.

/// Plain `cargo test` catches a generated file that no longer matches `schemas/`.
#[test]
fn generated_code_is_fresh() {
    if let Err(e) = super::codegen(&crate::load::workspace_root(), true) {
        panic!("{e}");
    }
}

/// A scratch workspace holding a copy of `schemas/`, of the generated folders and of
/// `clerk-models-api`'s manifest (whose features the generator writes).
fn scratch_copy(name: &str) -> std::path::PathBuf {
    let root = crate::load::workspace_root();
    let scratch = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    for dir in [
        crate::config::SCHEMA_DIR,
        crate::config::GENERATED_DIR,
        crate::config::API_GENERATED_DIR,
        crate::config::API_TESTS_DIR,
    ] {
        let from = root.join(dir);
        let to = scratch.join(dir);
        for file in crate::check::files::list_dir(&from).unwrap() {
            let target = to.join(&file);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(from.join(&file), target).unwrap();
        }
    }
    let manifest = scratch.join(crate::config::API_MANIFEST);
    std::fs::create_dir_all(manifest.parent().unwrap()).unwrap();
    std::fs::copy(root.join(crate::config::API_MANIFEST), manifest).unwrap();
    scratch
}

#[test]
fn a_deleted_line_is_caught_and_regeneration_restores_the_file() {
    let scratch = scratch_copy("stale");
    let generated = scratch
        .join(crate::config::GENERATED_DIR)
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
        crate::check::files::Outcome::Written
    );
    assert_eq!(std::fs::read_to_string(&generated).unwrap(), original);
    std::fs::remove_dir_all(&scratch).unwrap();
}

#[test]
fn a_missing_and_an_extra_file_are_caught_and_regeneration_fixes_both() {
    let scratch = scratch_copy("missing-extra");
    let dir = scratch.join(crate::config::GENERATED_DIR);
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
        crate::check::files::Outcome::Fresh
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
    let text = crate::check::files::read_generated(&scratch).unwrap();
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
        schema["$defs"]["SessionTask"]["properties"]["key"][crate::config::KNOWN_VALUES_KEYWORD]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"value": "accept-terms", "description": "Agree first."}));
    });
    super::codegen(&scratch, false).unwrap();
    let text = crate::check::files::read_generated(&scratch).unwrap();
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
        .join(crate::config::GENERATED_DIR)
        .join("session.rs");
    assert!(field(&std::fs::read_to_string(&generated).unwrap()));
    edit_schema(&scratch, "session.json", |schema| {
        schema["$defs"]["Session"]["properties"]["expire_at"]
            .as_object_mut()
            .unwrap()
            .remove(crate::config::TIMESTAMP_KEYWORD)
            .unwrap();
    });
    super::codegen(&scratch, false).unwrap();
    assert!(!field(&std::fs::read_to_string(&generated).unwrap()));
    std::fs::remove_dir_all(&scratch).unwrap();
}

/// Reads `schemas/<file>` of a scratch workspace, lets `edit` change it, writes it back.
fn edit_schema(scratch: &std::path::Path, file: &str, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = scratch.join(crate::config::SCHEMA_DIR).join(file);
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
        crate::check::files::Outcome::Fresh
    );
    std::fs::remove_dir_all(&scratch).unwrap();
}

#[test]
fn generation_is_deterministic() {
    let root = crate::load::workspace_root();
    let schemas = crate::load::schemas::load_dir(&root.join(crate::config::SCHEMA_DIR)).unwrap();
    let first = super::generate(&schemas).unwrap();
    let second = super::generate(&schemas).unwrap();
    assert_eq!(first, second);
}
