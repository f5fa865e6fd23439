//! Unit tests of the composition rules (`compositions.rs`) and of the importer's rules that feed
//! them: timestamps by name or description, free-form metadata as raw JSON.

#[allow(clippy::wildcard_imports)]
use super::*;

fn normalized(defs: Value) -> Result<Normalized> {
    let Value::Object(defs) = defs else {
        return Err(Error("not an object".into()));
    };
    normalize(&defs)
}

fn verification(name: &str, object: &str, strategy: Value) -> Value {
    json!({
        "type": "object",
        "properties": {
            "object": {"type": "string", "enum": [object]},
            "status": {"type": "string", "enum": ["verified", "unverified"]},
            "strategy": strategy
        },
        "required": ["status", "strategy"],
        "description": name
    })
}

fn with_union(members: &[(&str, Value)]) -> Value {
    let mut defs = Map::new();
    let refs: Vec<Value> = members
        .iter()
        .map(|(n, _)| json!({"$ref": format!("#/$defs/{n}")}))
        .collect();
    defs.insert(
        "Email".into(),
        json!({"type": "object", "properties": {
            "verification": {"type": ["object", "null"], "oneOf": refs,
                             "discriminator": {"propertyName": "object"}}
        }}),
    );
    for (name, schema) in members {
        defs.insert((*name).to_owned(), schema.clone());
    }
    Value::Object(defs)
}

#[test]
fn a_one_of_of_objects_becomes_a_union_keyed_by_enums_and_pattern_prefixes() {
    let n = normalized(with_union(&[
        (
            "verification_otp",
            verification(
                "otp",
                "verification_otp",
                json!({"type": "string", "enum": ["email_code", "phone_code"]}),
            ),
        ),
        (
            "verification_from_oauth",
            verification(
                "oauth",
                "verification_from_oauth",
                json!({"type": "string", "pattern": "^from_oauth_(?:custom_)?[a-z]+$"}),
            ),
        ),
    ]))
    .unwrap();
    let [union] = n.model.unions.as_slice() else {
        panic!("{:?}", n.model.unions);
    };
    assert_eq!(union.name, "EmailVerification");
    let variants: Vec<&str> = union.members.iter().map(|m| m.variant.as_str()).collect();
    assert_eq!(variants, ["Otp", "FromOauth"]);
    let otp = &union.members[0].keys;
    assert_eq!(
        (otp[0].key.as_str(), otp[0].values.as_slice()),
        ("object", &["verification_otp".to_owned()][..])
    );
    assert_eq!(otp[1].values, ["email_code", "phone_code"]);
    assert_eq!(union.members[1].keys[1].prefixes, ["from_oauth_"]);
    // The property references the union, nullable, and typify gets a placeholder.
    let email = &n.typify_input["$defs"]["Email"]["properties"]["verification"];
    assert_eq!(email["anyOf"][0]["$ref"], "#/$defs/EmailVerification");
    assert_eq!(
        n.typify_input["$defs"]["EmailVerification"],
        json!({"type": "object"})
    );
}

#[test]
fn a_union_member_nothing_tells_apart_or_a_value_two_claim_is_refused() {
    let plain = json!({"type": "object", "properties": {"id": {"type": "string"}}});
    let err = normalized(with_union(&[
        (
            "verification_otp",
            verification("otp", "verification_otp", json!({"type": "string"})),
        ),
        ("Plain", plain),
    ]))
    .unwrap_err();
    assert!(
        err.0.contains("member `Plain` has none of the keys"),
        "{err}"
    );
    let err = normalized(with_union(&[
        (
            "verification_a",
            verification(
                "a",
                "verification_a",
                json!({"type": "string", "enum": ["admin"]}),
            ),
        ),
        (
            "verification_b",
            verification(
                "b",
                "verification_b",
                json!({"type": "string", "enum": ["admin"]}),
            ),
        ),
    ]))
    .unwrap_err();
    assert!(
        err.0.contains("`strategy: \"admin\"` belongs to both"),
        "{err}"
    );
}

#[test]
fn pattern_prefixes_are_the_literal_start_only() {
    assert_eq!(
        pattern_prefix("^from_oauth_(?:x)?[a-z]+$").as_deref(),
        Some("from_oauth_")
    );
    assert_eq!(pattern_prefix("^oauth_[a-z]+$").as_deref(), Some("oauth_"));
    // A quantifier binds the last character, which is then not required.
    assert_eq!(pattern_prefix("^oauths?_x").as_deref(), Some("oauth"));
    assert_eq!(pattern_prefix("[a-z]+"), None);
    assert_eq!(pattern_prefix("^[a-z]+"), None);
}

#[test]
fn single_member_compositions_are_their_member_and_constraints_are_dropped() {
    let n = normalized(json!({
        "Conn": {"type": "object", "properties": {"id": {"type": "string"}, "domain": {"type": "string"},
                 "domains": {"type": "array", "items": {"type": "string"}}},
                 "anyOf": [{"required": ["domain"]}, {"required": ["domains"]}]},
        "Account": {"type": "object", "properties": {
            "conn": {"type": ["object", "null"], "oneOf": [{"$ref": "#/$defs/Conn"}]},
            "plan": {"allOf": [{"$ref": "#/$defs/Conn"}], "description": "d"}
        }}
    }))
    .unwrap();
    let defs = &n.typify_input["$defs"];
    assert!(defs["Conn"].get("anyOf").is_none(), "{}", defs["Conn"]);
    assert_eq!(
        defs["Account"]["properties"]["conn"],
        json!({"anyOf": [{"$ref": "#/$defs/Conn"}, {"type": "null"}]})
    );
    assert_eq!(
        defs["Account"]["properties"]["plan"]["$ref"],
        "#/$defs/Conn"
    );
    assert!(n.model.unions.is_empty());
}

#[test]
fn an_all_of_is_merged_and_a_property_defined_twice_is_refused() {
    let n = normalized(json!({
        "Invitation": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
        "Accepted": {"allOf": [{"$ref": "#/$defs/Invitation"},
                               {"properties": {"user_id": {"type": "string"}}, "required": ["user_id"]}]}
    }))
    .unwrap();
    let accepted = n
        .model
        .structs
        .iter()
        .find(|s| s.name == "Accepted")
        .unwrap();
    let props: Vec<(&str, bool)> = accepted
        .props
        .iter()
        .map(|p| (p.name.as_str(), p.required))
        .collect();
    assert_eq!(props, [("id", true), ("user_id", true)]);
    let err = normalized(json!({
        "Invitation": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Accepted": {"allOf": [{"$ref": "#/$defs/Invitation"}, {"properties": {"id": {"type": "integer"}}}]}
    }))
    .unwrap_err();
    assert!(
        err.0.contains("`id` is also defined by an earlier part"),
        "{err}"
    );
}

#[test]
fn open_metadata_is_raw_json_and_other_objects_are_not() {
    let n = normalized(json!({
        "User": {"type": "object", "properties": {
            "public_metadata": {"type": "object", "additionalProperties": true},
            "private_metadata": {"type": ["object", "null"], "additionalProperties": true},
            "actor": {"type": "object"}
        }, "required": ["public_metadata"]}
    }))
    .unwrap();
    let user = &n.model.structs[0];
    let raw: Vec<(&str, bool, bool)> = user
        .props
        .iter()
        .map(|p| (p.name.as_str(), p.raw, p.nullable))
        .collect();
    assert_eq!(
        raw,
        [
            ("public_metadata", true, false),
            ("private_metadata", true, true),
            ("actor", false, false)
        ]
    );
}

#[test]
fn the_timestamp_rule_takes_names_and_descriptions_and_nothing_else() {
    use crate::load::convert::is_timestamp;
    let int = |d: &str| json!({"type": "integer", "format": "int64", "description": d});
    assert!(is_timestamp("User", "created_at", &int("")));
    assert!(is_timestamp(
        "Verification",
        "expire_at",
        &json!({"type": ["integer", "null"]})
    ));
    assert!(is_timestamp(
        "Sms",
        "created_at_ms",
        &int("Unix timestamp of creation.")
    ));
    assert!(is_timestamp(
        "Item",
        "period_end",
        &int(" unix TIMESTAMP in milliseconds")
    ));
    assert!(!is_timestamp(
        "User",
        "lockout_expires_in_seconds",
        &int("The number of seconds")
    ));
    assert!(!is_timestamp(
        "Tier",
        "starts_at_block",
        &int("The block number")
    ));
    // Not an integer: never a timestamp, whatever its name.
    assert!(!is_timestamp(
        "Invitation",
        "accepted_at",
        &json!({"type": "string"})
    ));
}

#[test]
fn a_union_that_may_be_null_reads_the_same_in_json_schema_form() {
    let members = [
        (
            "verification_otp",
            verification(
                "otp",
                "verification_otp",
                json!({"type": "string", "enum": ["email_code"]}),
            ),
        ),
        (
            "verification_ticket",
            verification(
                "ticket",
                "verification_ticket",
                json!({"type": "string", "enum": ["ticket"]}),
            ),
        ),
    ];
    let internal = normalized(with_union(&members)).unwrap();
    // The importer's form: no `type` beside the `oneOf`, and `null` a member of its own.
    let mut strict = with_union(&members);
    let verification = &mut strict["Email"]["properties"]["verification"];
    verification.as_object_mut().unwrap().remove("type");
    verification["oneOf"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "null"}));
    let strict = normalized(strict).unwrap();
    assert_eq!(strict.typify_input, internal.typify_input);
    assert_eq!(
        format!("{:?}", strict.model.unions),
        format!("{:?}", internal.model.unions)
    );
    let property = &strict.typify_input["$defs"]["Email"]["properties"]["verification"];
    assert_eq!(property["anyOf"][1], json!({"type": "null"}), "{property}");
}

#[test]
fn values_that_name_one_variant_are_spellings_of_one_value() {
    let defs = |values: Value| {
        json!({"Entry": {"type": "object", "properties": {
            "object": {"type": "string", "enum": values},
            "kind": {"type": "string", "enum": ["a_b", "c", "aB"]}
        }, "required": ["object", "kind"]}})
    };
    let n = normalized(defs(json!(["waitlist_entry", "waitlistEntry"]))).unwrap();
    let object = n
        .model
        .enums
        .iter()
        .find(|e| e.name == "EntryObject")
        .unwrap();
    assert_eq!(object.values, ["waitlist_entry"]);
    assert_eq!(object.aliases, [vec!["waitlistEntry".to_owned()]]);
    // One variant: still a closed discriminator, with a second spelling.
    assert!(!object.open);
    let kind = n
        .model
        .enums
        .iter()
        .find(|e| e.name == "EntryKind")
        .unwrap();
    assert_eq!(kind.values, ["a_b", "c"]);
    assert_eq!(kind.aliases, [vec!["aB".to_owned()], Vec::new()]);
    assert!(kind.open);
    // The same value twice is a mistake, not a spelling.
    let err = normalized(defs(json!(["entry", "entry"]))).unwrap_err();
    assert!(err.to_string().contains("listed twice"), "{err}");
}
