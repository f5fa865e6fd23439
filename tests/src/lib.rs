//! Helpers shared by the workspace's cross-crate tests.

#[cfg(feature = "axum")]
pub mod api_mock;
pub mod clerk_vectors;
#[cfg(feature = "axum")]
pub mod jwks_server;
#[cfg(feature = "axum")]
pub mod router;
#[cfg(feature = "jwt")]
pub mod signing;

use std::path::PathBuf;

use serde_json::Value;

/// The workspace root.
#[must_use]
pub fn workspace_root() -> PathBuf {
    xtask::workspace_root()
}

/// The folder of real Clerk payloads: `$CLERK_FIXTURES_DIR`, or `../shared/fixtures/clerk`
/// beside the repository.
///
/// It exists in development and CI, not in a user's clone. Where it is missing the tests
/// that need it print that they were skipped and return `None`; with `CI` set, a missing
/// folder is a failure instead, so CI can never pass without the fixtures.
///
/// # Panics
///
/// When the folder is missing and `CI` is set.
#[must_use]
pub fn fixtures_dir(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("CLERK_FIXTURES_DIR").map_or_else(
        || workspace_root().join("../shared/fixtures/clerk"),
        PathBuf::from,
    );
    if dir.join("MANIFEST.json").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: fixtures folder {} is missing, and CI is set",
        dir.display()
    );
    eprintln!(
        "SKIPPED {test}: no fixtures at {} (set CLERK_FIXTURES_DIR to run it)",
        dir.display()
    );
    None
}

/// Every `$defs` entry of the checked-in `schemas/`, bundled as the generator bundles them
/// (references made local) but not normalized: the strict form of the schemas.
///
/// # Panics
///
/// When `schemas/` cannot be read or bundled.
#[must_use]
pub fn schema_defs() -> serde_json::Map<String, Value> {
    let files =
        xtask::load::schemas::load_dir(&workspace_root().join("schemas")).expect("schemas/ loads");
    xtask::load::schemas::bundle(&files).expect("schemas/ bundles")
}

/// A validator for `$defs/<root>` of the checked-in `schemas/`, bundled as the generator
/// bundles them but not normalized: `additionalProperties: false` and every `required`
/// stay, so this is the strict form of the schema.
///
/// # Panics
///
/// When `schemas/` cannot be read or is not a valid JSON Schema.
#[must_use]
pub fn strict_validator(root: &str) -> jsonschema::Validator {
    let schema = xtask::load::schemas::bundle_root(&schema_defs(), root);
    jsonschema::validator_for(&schema).expect("schemas/ is a valid JSON Schema")
}

/// The schema violations of `instance`, one line each; empty when it is valid.
#[must_use]
pub fn violations(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// A valid `Session` as Clerk's webhooks send it, for tests to start from and alter.
#[must_use]
pub fn session_json() -> Value {
    serde_json::json!({
        "object": "session",
        "id": "sess_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
        "user_id": "user_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
        "client_id": "client_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
        "actor": null,
        "status": "active",
        "last_active_organization_id": null,
        "last_active_at": 1_716_883_200_000_i64,
        "latest_activity": {
            "object": "session_activity",
            "id": "sess_activity_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
            "device_type": "Macintosh",
            "is_mobile": false,
            "browser_name": "Chrome",
            "browser_version": "125.0.0.0",
            "ip_address": "203.0.113.1",
            "city": "San Francisco",
            "country": "US"
        },
        "expire_at": 1_716_969_600_000_i64,
        "abandon_at": 1_719_475_200_000_i64,
        "updated_at": 1_716_883_200_000_i64,
        "created_at": 1_716_883_200_000_i64
    })
}

/// A valid `User` as Clerk's webhooks send it (the user of the webhooks spec's
/// `session.created` example, with one verified email address), for tests to alter.
#[must_use]
pub fn user_json() -> Value {
    serde_json::json!({
        "object": "user",
        "id": "user_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
        "external_id": null,
        "primary_email_address_id": "idn_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
        "primary_phone_number_id": null,
        "primary_web3_wallet_id": null,
        "username": null,
        "first_name": "John",
        "last_name": "Doe",
        "image_url": "https://img.clerk.com/xxxxxx",
        "has_image": true,
        "public_metadata": {},
        "private_metadata": {},
        "unsafe_metadata": {},
        "email_addresses": [{
            "object": "email_address",
            "id": "idn_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
            "email_address": "john.doe@example.com",
            "reserved": false,
            "verification": {"object": "verification_otp", "status": "verified",
                             "strategy": "email_code", "attempts": 1, "expire_at": null},
            "linked_to": [],
            "created_at": 1_716_883_200_000_i64,
            "updated_at": 1_716_883_200_000_i64
        }],
        "phone_numbers": [],
        "web3_wallets": [],
        "passkeys": [],
        "password_enabled": true,
        "two_factor_enabled": false,
        "totp_enabled": false,
        "backup_code_enabled": false,
        "mfa_enabled_at": null,
        "mfa_disabled_at": null,
        "external_accounts": [],
        "saml_accounts": [],
        "enterprise_accounts": [],
        "last_sign_in_at": 1_716_883_200_000_i64,
        "banned": false,
        "locked": false,
        "lockout_expires_in_seconds": null,
        "verification_attempts_remaining": null,
        "updated_at": 1_716_883_200_000_i64,
        "created_at": 1_716_883_200_000_i64,
        "delete_self_enabled": true,
        "create_organization_enabled": true,
        "create_organizations_limit": null,
        "last_active_at": 1_716_883_200_000_i64,
        "legal_accepted_at": null
    })
}

/// A valid `Client` holding the given sessions.
#[must_use]
pub fn client_json(sessions: Vec<Value>) -> Value {
    let ids: Vec<Value> = sessions.iter().map(|s| s["id"].clone()).collect();
    serde_json::json!({
        "object": "client",
        "id": "client_2g7np7Hrk0SN6kj5EDMLDaKNL0S",
        "session_ids": ids,
        "sessions": sessions,
        "sign_in_id": null,
        "sign_up_id": null,
        "last_active_session_id": ids.first(),
        "last_authentication_strategy": "email_code",
        "updated_at": 1_716_883_200_000_i64,
        "created_at": 1_716_883_200_000_i64
    })
}

/// A `session.created` webhook event around `session`, as Clerk delivers it: keys in
/// alphabetical order (`data` before `type`), millisecond timestamp.
#[must_use]
pub fn event_json(event_type: &str, data: Value) -> Value {
    serde_json::json!({
        "data": data,
        "event_attributes": {"http_request": {"client_ip": "203.0.113.1", "user_agent": "okhttp/4.12.0"}},
        "instance_id": "ins_2vU3fBhx47yeddqKhd5taTbUYID",
        "object": "event",
        "timestamp": 1_744_276_393_644_i64,
        "type": event_type
    })
}

/// Every example of Clerk's webhooks spec, by name, read from `../shared/reference/openapi/`
/// (`None` where it is missing: see [`xtask::reference_spec_for_test`]): the named
/// `components.examples`, and the `example` written inline in each event's request body
/// (named by its event type, `user.created`). An `examples` entry of a request body that
/// refers to `components.examples` is that entry, counted once.
///
/// # Panics
///
/// When the spec is missing and `CI` is set, or it has no examples.
#[must_use]
pub fn webhook_spec_examples(test: &str) -> Option<serde_json::Map<String, Value>> {
    let path = xtask::reference_spec_for_test("clerk-webhooks-2025-04-15.yml", test)?;
    let spec = xtask::load::openapi::load_spec(&path).expect("the webhooks spec loads");
    let components = spec
        .pointer("/components/examples")
        .and_then(Value::as_object)
        .expect("the webhooks spec has components.examples");
    let mut examples: serde_json::Map<String, Value> = components
        .iter()
        .filter_map(|(name, e)| Some((name.clone(), e.get("value")?.clone())))
        .collect();
    let events = spec
        .get("x-webhooks")
        .and_then(Value::as_object)
        .expect("the webhooks spec has x-webhooks");
    for (event, operation) in events {
        let Some(body) = operation.pointer("/post/requestBody/content/application~1json") else {
            continue;
        };
        if let Some(example) = body.get("example") {
            examples.insert(event.clone(), example.clone());
        }
        for (name, entry) in body
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            match entry.get("$ref").and_then(Value::as_str) {
                Some(reference) => assert!(
                    examples.contains_key(reference.trim_start_matches("#/components/examples/")),
                    "{event}: example {name} refers to {reference}, which is not there"
                ),
                None => {
                    let value = entry.get("value").expect("an inline example has a value");
                    examples.insert(format!("{event}/{name}"), value.clone());
                }
            }
        }
    }
    Some(examples)
}

/// The README's Rust examples run as doctests, so the README cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
mod readme {}
