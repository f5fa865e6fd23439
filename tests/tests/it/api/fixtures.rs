//! Every entry of `../shared/fixtures/clerk/MANIFEST.json` gives its listed outcome.
//!
//! The manifest drives the test: a new entry of an existing type needs no new code.

use std::fmt::Debug;
use std::path::Path;

use clerk_models::{Client, ClientList, Session, SessionList};
use clerk_models_tests::{fixtures_dir, strict_validator, violations};
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
            let again: T = clerk_models::from_value(written).map_err(|e| e.to_string())?;
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
        other => Err(format!(
            "no decoder for manifest type {other:?}: add it to this test"
        )),
    }
}

fn manifest(dir: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_manifest_entry_gives_its_listed_outcome() {
    let Some(dir) = fixtures_dir("every_manifest_entry_gives_its_listed_outcome") else {
        return;
    };
    let entries = manifest(&dir);
    assert!(!entries.is_empty(), "the manifest lists no fixture");
    let failures: Vec<String> = entries
        .iter()
        .filter_map(|entry| {
            run(entry, &dir)
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
        "{} fixtures: {oks} decoded and round-tripped, {} rejected as listed",
        entries.len(),
        entries.len() - oks
    );
}

#[test]
fn every_fixture_file_is_in_the_manifest() {
    let Some(dir) = fixtures_dir("every_fixture_file_is_in_the_manifest") else {
        return;
    };
    let entries = manifest(&dir);
    for file in std::fs::read_dir(&dir).unwrap() {
        let name = file.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".json") && name != "MANIFEST.json" {
            assert!(
                entries.iter().any(|e| e.file == name),
                "{name} is not listed in MANIFEST.json, so nothing tests it"
            );
        }
    }
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
