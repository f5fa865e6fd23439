//! Every entry of `../shared/fixtures/clerk/MANIFEST.json`, and of `tests/fixtures/sdk/`
//! (Clerk's own SDK test fixtures, each naming its source), gives its listed outcome.
//!
//! The manifest drives the test: a new entry of an existing type needs no new code.

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use clerk_models::{
    Client, ClientList, EmailEventPayload, OrganizationMembership, PaginatedList, Session,
    SessionList, User,
};
use clerk_models_tests::{fixtures_dir, strict_validator, violations, workspace_root};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

#[derive(serde::Deserialize)]
struct Entry {
    file: String,
    #[serde(rename = "type")]
    type_name: String,
    pointer: String,
    expect: String,
    #[serde(default)]
    error_at_any_of: Vec<String>,
    #[serde(default)]
    missing_any_of: Vec<String>,
    /// Where the payload comes from; every entry of `tests/fixtures/sdk/` names it.
    #[serde(default)]
    source: Option<String>,
}

/// Checks one entry; `Err` describes how it went wrong.
fn check<T>(entry: &Entry, json: &str, schema_root: &str, items: bool) -> Result<(), String>
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let decoded = clerk_models::from_str::<T>(json);
    match (entry.expect.as_str(), decoded) {
        ("ok", Ok(value)) => {
            // Round trip: what we write validates against schemas/ and decodes to the same.
            let written = serde_json::to_value(&value).map_err(|e| e.to_string())?;
            let validator = strict_validator(schema_root);
            let instances: Vec<&Value> = if items {
                written["data"]
                    .as_array()
                    .map(|a| a.iter().collect())
                    .unwrap_or_default()
            } else {
                vec![&written]
            };
            for instance in instances {
                let bad = violations(&validator, instance);
                if !bad.is_empty() {
                    return Err(format!("re-encoded value violates schemas/: {bad:?}"));
                }
            }
            // Through text, as on the wire: raw JSON (metadata) keeps its text, spacing too.
            let text = serde_json::to_string(&value).map_err(|e| e.to_string())?;
            let again: T = clerk_models::from_str(&text).map_err(|e| e.to_string())?;
            if again != value {
                return Err(format!(
                    "round trip changed the value: {value:?} -> {again:?}"
                ));
            }
            Ok(())
        }
        ("ok", Err(e)) => Err(format!("expected ok, got error `{e}`")),
        ("error", Ok(value)) => Err(format!("expected an error, decoded {value:?}")),
        ("error", Err(e)) => {
            if !entry.error_at_any_of.iter().any(|p| p == e.pointer()) {
                return Err(format!(
                    "error `{e}` is at {:?}, expected one of {:?}",
                    e.pointer(),
                    entry.error_at_any_of
                ));
            }
            let message = e.to_string();
            if !entry
                .missing_any_of
                .iter()
                .any(|f| message.contains(&format!("missing field `{f}`")))
            {
                return Err(format!(
                    "error `{message}` names none of the missing fields {:?}",
                    entry.missing_any_of
                ));
            }
            Ok(())
        }
        (other, _) => Err(format!("unknown expectation {other:?}")),
    }
}

fn run(entry: &Entry, dir: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(dir.join(&entry.file)).map_err(|e| e.to_string())?;
    let json = if entry.pointer.is_empty() {
        text
    } else {
        let whole: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        whole
            .pointer(&entry.pointer)
            .ok_or_else(|| format!("pointer {:?} selects nothing", entry.pointer))?
            .to_string()
    };
    match entry.type_name.as_str() {
        "Session" => check::<Session>(entry, &json, "Session", false),
        "Client" => check::<Client>(entry, &json, "Client", false),
        "SessionList" => check::<SessionList>(entry, &json, "Session", true),
        "ClientList" => check::<ClientList>(entry, &json, "Client", true),
        "User" => check::<User>(entry, &json, "User", false),
        "EmailEventPayload" => check::<EmailEventPayload>(entry, &json, "EmailEventPayload", false),
        "OrganizationMembershipList" => check::<PaginatedList<OrganizationMembership>>(
            entry,
            &json,
            "OrganizationMembership",
            true,
        ),
        other => Err(format!(
            "no decoder for manifest type {other:?}: add it to this test"
        )),
    }
}

fn manifest(dir: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The SDK fixtures kept in this repository: always there, so never skipped.
fn sdk_dir() -> PathBuf {
    workspace_root().join("tests/fixtures/sdk")
}

/// Runs every entry of `dir`'s manifest; panics listing each one that failed.
fn every_entry_gives_its_outcome(dir: &Path) -> Vec<Entry> {
    let entries = manifest(dir);
    assert!(!entries.is_empty(), "the manifest lists no fixture");
    let failures: Vec<String> = entries
        .iter()
        .filter_map(|entry| {
            run(entry, dir)
                .err()
                .map(|why| format!("{}: {why}", entry.file))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        entries.len(),
        failures.join("\n")
    );
    let oks = entries.iter().filter(|e| e.expect == "ok").count();
    eprintln!(
        "{}: {} fixtures, {oks} decoded and round-tripped, {} rejected as listed",
        dir.display(),
        entries.len(),
        entries.len() - oks
    );
    entries
}

/// Every `.json` file of `dir` but the manifest is listed in it.
fn every_file_is_listed(dir: &Path) {
    let entries = manifest(dir);
    for file in std::fs::read_dir(dir).unwrap() {
        let name = file.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".json") && name != "MANIFEST.json" {
            assert!(
                entries.iter().any(|e| e.file == name),
                "{name} is not listed in {}/MANIFEST.json, so nothing tests it",
                dir.display()
            );
        }
    }
}

#[test]
fn every_manifest_entry_gives_its_listed_outcome() {
    let Some(dir) = fixtures_dir("every_manifest_entry_gives_its_listed_outcome") else {
        return;
    };
    every_entry_gives_its_outcome(&dir);
}

#[test]
fn every_sdk_fixture_gives_its_listed_outcome_and_names_its_source() {
    let entries = every_entry_gives_its_outcome(&sdk_dir());
    for entry in &entries {
        let source = entry.source.as_deref().unwrap_or_default();
        assert!(
            source.contains("commit "),
            "{}: the source must name the repository, path and commit, got {source:?}",
            entry.file
        );
    }
    assert!(
        entries.iter().any(|e| e.expect == "ok") && entries.iter().any(|e| e.expect == "error")
    );
}

#[test]
fn every_fixture_file_is_in_the_manifest() {
    every_file_is_listed(&sdk_dir());
    let Some(dir) = fixtures_dir("every_fixture_file_is_in_the_manifest") else {
        return;
    };
    every_file_is_listed(&dir);
}

/// Clerk's own `@clerk/backend` user fixture, read through the helpers a handler uses.
#[test]
fn clerks_backend_user_fixture_reads_through_the_helpers() {
    let text =
        std::fs::read_to_string(sdk_dir().join("clerk-javascript__backend_user.json")).unwrap();
    let user: User = clerk_models::from_str(&text).unwrap();
    let email = user
        .primary_email_address()
        .map(|e| e.email_address.as_str());
    assert_eq!(email, Some("john.doe@clerk.test"));
    let phone = user.primary_phone_number().map(|p| p.phone_number.as_str());
    assert_eq!(phone, Some("+311-555-2368"));
    assert_eq!(user.full_name().to_string(), "John Doe");
    // The provider is compared exactly: this older fixture names it `google`.
    assert!(user.external_account("google").is_some());
    assert!(user.external_account("oauth_google").is_none());
    // Keys the fixture does not send are absent, never invented.
    assert_eq!(user.has_image, None);
    assert_eq!(user.locked, None);
    assert!(user.passkeys.is_empty());
    assert_eq!(user.banned, Some(false));
    let zodiac: serde_json::Map<String, Value> = user.public_metadata.decode().unwrap();
    assert_eq!(zodiac.get("zodiac_sign"), Some(&Value::from("leo")));
}

#[test]
fn the_pending_webhook_keeps_its_status_text() {
    let Some(dir) = fixtures_dir("the_pending_webhook_keeps_its_status_text") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("clerk-webhooks__session_pending.json")).unwrap();
    let session: Session = clerk_models::from_str(&text).unwrap();
    assert_eq!(session.status.as_str(), "pending");
    assert_eq!(session.status, clerk_models::SessionStatus::Pending);
    assert!(session.latest_activity.is_none());
}
