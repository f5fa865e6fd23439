//! The schema reader's unit tests.

use std::path::PathBuf;

#[allow(clippy::wildcard_imports)]
use super::*;
use crate::load::schemas::{SchemaFile, bundle};

fn file(name: &str, value: Value) -> SchemaFile {
    SchemaFile {
        name: name.into(),
        path: PathBuf::from(name),
        value,
    }
}

#[test]
fn pascal_case_names_variants() {
    assert_eq!(pascal_case("active"), "Active");
    assert_eq!(pascal_case("choose-organization"), "ChooseOrganization");
    assert_eq!(pascal_case("last_active_at"), "LastActiveAt");
    assert_eq!(pascal_case("2fa"), "V2fa");
}

#[test]
fn bundle_rewrites_cross_file_refs_and_rejects_dangling_ones() {
    let a = file("a.json", json!({"$defs": {"A": {"type": "string"}}}));
    let b = file(
        "b.json",
        json!({"$defs": {"B": {"type": "array", "items": {"$ref": "a.json#/$defs/A"}}}}),
    );
    let defs = bundle(&[a.clone(), b]).unwrap();
    assert_eq!(defs["B"]["items"]["$ref"], "#/$defs/A");

    let dangling = file(
        "b.json",
        json!({"$defs": {"B": {"items": {"$ref": "a.json#/$defs/Nope"}}}}),
    );
    let err = bundle(&[a, dangling]).unwrap_err();
    assert!(err.0.contains("b.json#/$defs/B/items/$ref"), "{err}");
    assert!(err.0.contains("points at nothing"), "{err}");
}

#[test]
fn a_property_reference_shares_the_hoisted_enum_and_nothing_else() {
    let a = file(
        "a.json",
        json!({"$defs": {"A": {"type": "object", "properties": {
            "state": {"type": "string", "enum": ["on", "off"]},
            "label": {"type": "string"}
        }}}}),
    );
    let b = file(
        "b.json",
        json!({"$defs": {"B": {"type": "object", "properties": {
            "mode": {"$ref": "a.json#/$defs/A/properties/state", "default": "on"}
        }}}}),
    );
    let n = normalize(&bundle(&[a.clone(), b]).unwrap()).unwrap();
    assert_eq!(
        n.typify_input["$defs"]["B"]["properties"]["mode"],
        json!({"$ref": "#/$defs/AState"})
    );
    assert_eq!(n.model.enums.len(), 1);
    let mode = &n
        .model
        .structs
        .iter()
        .find(|s| s.name == "B")
        .unwrap()
        .props[0];
    assert_eq!(mode.default.as_deref(), Some("on"));

    let to_string = file(
        "b.json",
        json!({"$defs": {"B": {"type": "object", "properties": {
            "mode": {"$ref": "a.json#/$defs/A/properties/label"}
        }}}}),
    );
    let err = normalize(&bundle(&[a.clone(), to_string]).unwrap()).unwrap_err();
    assert!(
        err.0.contains("only a property holding a string enum"),
        "{err}"
    );
    let to_nothing = file(
        "b.json",
        json!({"$defs": {"B": {"properties": {
            "mode": {"$ref": "a.json#/$defs/A/properties/nope"}
        }}}}),
    );
    let err = bundle(&[a, to_nothing]).unwrap_err();
    assert!(err.0.contains("has no property `nope`"), "{err}");
}

#[test]
fn seconds_and_other_claims_are_read_and_checked() {
    let ok = bundle(&[file(
        "s.json",
        json!({"$defs": {"S": {"type": "object", "x-clerk-other-claims": "rest",
            "properties": {"exp": {"type": "integer", "x-clerk-timestamp": "unix-s"}}}}}),
    )])
    .unwrap();
    let n = normalize(&ok).unwrap();
    assert_eq!(
        n.model.structs[0].props[0].timestamp,
        Some(TimeUnit::Seconds)
    );
    assert_eq!(n.model.structs[0].other_claims.as_deref(), Some("rest"));
    assert!(
        n.typify_input["$defs"]["S"]
            .get("x-clerk-other-claims")
            .is_none()
    );

    for (schema, expected) in [
        (
            json!({"type": "object", "x-clerk-other-claims": "exp",
                "properties": {"exp": {"type": "integer"}}}),
            "clash with the property",
        ),
        (
            json!({"type": "object", "x-clerk-other-claims": "Rest",
                "properties": {"exp": {"type": "integer"}}}),
            "must name a snake_case field",
        ),
        (
            json!({"type": "object", "properties": {
                "exp": {"type": "integer", "x-clerk-timestamp": "unix-us"}}}),
            "the supported values are",
        ),
    ] {
        let bad = bundle(&[file("s.json", json!({"$defs": {"S": schema}}))]).unwrap();
        let err = normalize(&bad).unwrap_err();
        assert!(err.0.contains(expected), "{err}");
    }
}

#[test]
fn non_string_defaults_and_patterns_are_dropped_never_invented() {
    let defs = bundle(&[file(
        "s.json",
        json!({"$defs": {"S": {"type": "object", "properties": {
            "banned": {"type": "boolean", "default": false},
            "n": {"type": "integer", "default": 3},
            "kind": {"type": "string", "default": "user"},
            "provider": {"type": "string", "pattern": "^oauth_[a-z]+$"},
            "pattern": {"type": "string"}
        }}}}),
    )])
    .unwrap();
    let normalized = normalize(&defs).unwrap();
    let props = &normalized.model.structs[0].props;
    let default = |name: &str| {
        props
            .iter()
            .find(|p| p.name == name)
            .unwrap()
            .default
            .clone()
    };
    assert_eq!(default("banned"), None);
    assert_eq!(default("n"), None);
    assert_eq!(default("kind").as_deref(), Some("user"));
    let typify = normalized.typify_input.to_string();
    assert!(
        !typify.contains("default") && !typify.contains("oauth_"),
        "{typify}"
    );
    assert!(normalized.typify_input["$defs"]["S"]["properties"]["pattern"].is_object());
}

#[test]
fn defs_are_named_as_typify_names_them_and_must_not_collide() {
    let defs = bundle(&[file(
        "s.json",
        json!({"$defs": {
            "verification_otp": {"type": "object", "properties": {
                "status": {"type": "string", "enum": ["verified", "unverified"]}}},
            "SAMLAccount": {"type": "object", "properties": {
                "object": {"type": "string", "enum": ["saml_account"]}}}
        }}),
    )])
    .unwrap();
    let normalized = normalize(&defs).unwrap();
    let structs: Vec<&str> = normalized
        .model
        .structs
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(structs, ["VerificationOtp", "SamlAccount"]);
    let schema_names: Vec<&str> = normalized
        .model
        .structs
        .iter()
        .map(|s| s.schema_name.as_str())
        .collect();
    assert_eq!(schema_names, ["verification_otp", "SAMLAccount"]);
    let enums: Vec<&str> = normalized
        .model
        .enums
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(enums, ["VerificationOtpStatus", "SamlAccountObject"]);
    let clash = bundle(&[file(
        "s.json",
        json!({"$defs": {"saml_account": {"type": "string"}, "SamlAccount": {"type": "string"}}}),
    )])
    .unwrap();
    let err = normalize(&clash).unwrap_err();
    assert!(err.0.contains("also"), "{err}");
}

#[test]
fn normalize_turns_openapi_nullable_into_type_arrays() {
    let defs = bundle(&[file(
        "s.json",
        json!({"$defs": {"S": {
            "type": "object",
            "additionalProperties": false,
            "properties": {"x": {"type": "string", "nullable": true, "description": " hi \n"}},
            "required": ["x"]
        }}}),
    )])
    .unwrap();
    let n = normalize(&defs).unwrap();
    let s = &n.typify_input["$defs"]["S"];
    assert_eq!(s["properties"]["x"]["type"], json!(["string", "null"]));
    assert_eq!(s["properties"]["x"]["description"], "hi");
    assert!(s.get("additionalProperties").is_none());
    let prop = &n.model.structs[0].props[0];
    assert!(prop.required && prop.nullable && prop.timestamp.is_none());
}

#[test]
fn normalize_hoists_enums_open_unless_single_valued() {
    let defs = bundle(&[file(
        "s.json",
        json!({"$defs": {"Thing": {
            "type": "object",
            "properties": {
                "object": {"type": "string", "enum": ["thing"]},
                "state": {"type": "string", "enum": ["on", "off"]}
            }
        }}}),
    )])
    .unwrap();
    let n = normalize(&defs).unwrap();
    let kinds: Vec<(&str, bool)> = n
        .model
        .enums
        .iter()
        .map(|e| (e.name.as_str(), e.open))
        .collect();
    assert_eq!(kinds, [("ThingObject", false), ("ThingState", true)]);
    assert_eq!(n.model.enums[1].values, ["on", "off"]);
    let thing = &n.typify_input["$defs"]["Thing"]["properties"];
    assert_eq!(thing["state"]["$ref"], "#/$defs/ThingState");
    assert_eq!(thing["object"]["$ref"], "#/$defs/ThingObject");
}

#[test]
fn normalize_moves_def_level_null_to_references() {
    let defs = bundle(&[file(
        "s.json",
        json!({"$defs": {
            "Inner": {"type": "object", "nullable": true, "properties": {}},
            "Outer": {"type": "object", "properties": {"inner": {"$ref": "#/$defs/Inner"}}}
        }}),
    )])
    .unwrap();
    let n = normalize(&defs).unwrap();
    assert_eq!(n.typify_input["$defs"]["Inner"]["type"], "object");
    assert_eq!(
        n.typify_input["$defs"]["Outer"]["properties"]["inner"],
        json!({"anyOf": [{"$ref": "#/$defs/Inner"}, {"type": "null"}]})
    );
    assert!(n.model.structs[1].props[0].nullable);
}

#[test]
fn timestamp_marker_is_read_and_checked() {
    let ok = bundle(&[file(
        "s.json",
        json!({"$defs": {"S": {"type": "object", "properties": {
            "at": {"type": "integer", "x-clerk-timestamp": "unix-ms"}
        }}}}),
    )])
    .unwrap();
    let n = normalize(&ok).unwrap();
    assert_eq!(
        n.model.structs[0].props[0].timestamp,
        Some(TimeUnit::Millis)
    );
    assert!(
        n.typify_input["$defs"]["S"]["properties"]["at"]
            .get("x-clerk-timestamp")
            .is_none()
    );

    let on_string = bundle(&[file(
        "s.json",
        json!({"$defs": {"S": {"type": "object", "properties": {
            "at": {"type": "string", "x-clerk-timestamp": "unix-ms"}
        }}}}),
    )])
    .unwrap();
    let err = normalize(&on_string).unwrap_err();
    assert!(err.0.contains("#/$defs/S/properties/at"), "{err}");
}

#[test]
fn list_marker_is_read_and_checked() {
    let n = with_key(json!({"type": ["string", "null"], "x-clerk-comma-list": true})).unwrap();
    assert!(n.model.structs[0].props[0].list);
    assert!(
        n.typify_input["$defs"]["Job"]["properties"]["key"]
            .get("x-clerk-comma-list")
            .is_none()
    );
    assert!(!with_key(json!({"type": "string"})).unwrap().model.structs[0].props[0].list);
    for (bad, says) in [
        (
            json!({"type": "integer", "x-clerk-comma-list": true}),
            "string properties",
        ),
        (json!({"x-clerk-comma-list": true}), "string properties"),
        (
            json!({"type": "string", "enum": ["a", "b"], "x-clerk-comma-list": true}),
            "`enum`",
        ),
        (
            json!({"type": "string", "x-clerk-comma-list": "yes"}),
            "must be `true`",
        ),
    ] {
        let err = with_key(bad).unwrap_err();
        assert!(err.0.contains("#/$defs/Job/properties/key"), "{err}");
        assert!(err.0.contains(says), "{err}");
    }
    let nested = bundle(&[file(
        "s.json",
        json!({"$defs": {"Job": {"type": "object", "properties": {
            "tags": {"type": "array", "items": {"type": "string", "x-clerk-comma-list": true}}
        }}}}),
    )])
    .unwrap();
    let err = normalize(&nested).unwrap_err();
    assert!(err.0.contains("x-clerk-comma-list"), "{err}");
}

fn with_key(key: Value) -> Result<Normalized> {
    let defs = bundle(&[file(
        "s.json",
        json!({"$defs": {"Job": {"type": "object", "properties": { "key": key }}}}),
    )])?;
    normalize(&defs)
}

#[test]
fn known_values_make_an_open_enum_with_documented_variants() {
    let n = with_key(json!({
        "type": "string",
        "$comment": "sources",
        "x-clerk-known-values": [
            {"value": "only-one", "description": " Why it exists. "}
        ]
    }))
    .unwrap();
    let e = &n.model.enums[0];
    assert_eq!(
        (e.name.as_str(), e.open),
        ("JobKey", true),
        "one value is still open"
    );
    assert_eq!(e.values, ["only-one"]);
    assert_eq!(e.docs, [Some("Why it exists.".to_owned())]);
    let key = &n.typify_input["$defs"]["Job"]["properties"]["key"];
    assert_eq!(key, &json!({"$ref": "#/$defs/JobKey"}));
}

#[test]
fn malformed_known_values_are_refused_with_their_place() {
    let cases = [
        (
            json!({"type": "integer", "x-clerk-known-values": [{"value": "a"}]}),
            "`type: string`",
        ),
        (
            json!({"type": "string", "x-clerk-known-values": []}),
            "lists no value",
        ),
        (
            json!({"type": "string", "x-clerk-known-values": "a"}),
            "must be an array",
        ),
        (
            json!({"type": "string", "x-clerk-known-values": [{"name": "a"}]}),
            "needs a string `value`",
        ),
        (
            json!({"type": "string", "x-clerk-known-values": [{"value": "a", "doc": "x"}]}),
            "unknown key `doc`",
        ),
        (
            json!({"type": "string", "x-clerk-known-values": [{"value": "a-b"}, {"value": "a_b"}]}),
            "variant name `AB`",
        ),
        (
            json!({"type": "string", "enum": ["a", "b"], "x-clerk-known-values": [{"value": "a"}]}),
            "has both",
        ),
    ];
    for (key, expected) in cases {
        let err = with_key(key.clone()).unwrap_err();
        assert!(err.0.contains("#/$defs/Job/properties/key"), "{key}: {err}");
        assert!(err.0.contains(expected), "{key}: {err}");
    }
    let nested = bundle(&[file(
        "s.json",
        json!({"$defs": {"Job": {"type": "array", "items": {"type": "string", "x-clerk-known-values": [{"value": "a"}]}}}}),
    )])
    .unwrap();
    let err = normalize(&nested).unwrap_err();
    assert!(
        err.0.contains("string properties of `$defs` objects only"),
        "{err}"
    );
}

#[test]
fn enum_value_clashing_with_the_catch_all_is_refused() {
    let defs = bundle(&[file(
        "s.json",
        json!({"$defs": {"S": {"type": "object", "properties": {
            "k": {"type": "string", "enum": ["known", "unknown"]}
        }}}}),
    )])
    .unwrap();
    let err = normalize(&defs).unwrap_err();
    assert!(err.0.contains("catch-all"), "{err}");
}
