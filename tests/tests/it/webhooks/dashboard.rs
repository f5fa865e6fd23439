//! Clerk's dashboard "Send example" events (`../shared/fixtures/clerk/webhooks/`): what a new
//! endpoint receives first. Each decodes **typed** into the variant its manifest names, never
//! as `EventData::Invalid`, and is written back as it was received.

use clerk_models::{EventData, WebhookEvent};
use clerk_models_tests::fixtures_dir;
use serde_json::Value;

#[derive(serde::Deserialize)]
struct Entry {
    file: String,
    #[serde(rename = "type")]
    type_name: String,
    event_type: String,
    expect: String,
    expect_variant: String,
    source: String,
}

/// The `EventData` variant's name, as the manifest writes it (`OrganizationMembership`).
fn variant_name(data: &EventData) -> String {
    match data {
        EventData::Invalid(invalid) => format!("Invalid({invalid})"),
        EventData::Unknown(_) => "Unknown".to_owned(),
        typed => typed
            .group()
            .unwrap_or_default()
            .split('_')
            .map(|word| {
                let mut chars = word.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_uppercase().chain(chars).collect()
                })
            })
            .collect(),
    }
}

#[test]
fn every_dashboard_example_decodes_typed_into_its_variant() {
    let Some(dir) = fixtures_dir("every_dashboard_example_decodes_typed_into_its_variant") else {
        return;
    };
    let dir = dir.join("webhooks");
    let text = std::fs::read_to_string(dir.join("MANIFEST.json")).unwrap();
    let entries: Vec<Entry> = serde_json::from_str(&text).unwrap();
    assert_eq!(
        entries.len(),
        21,
        "the manifest lists the 21 dashboard examples"
    );
    let listed = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|f| {
            let name = f.as_ref().unwrap().file_name().into_string().unwrap();
            name.ends_with(".json") && name != "MANIFEST.json"
        })
        .count();
    assert_eq!(
        listed,
        entries.len(),
        "a file of {} is not in its manifest",
        dir.display()
    );
    let mut failures = Vec::new();
    for entry in &entries {
        assert_eq!(
            (entry.type_name.as_str(), entry.expect.as_str()),
            ("WebhookEvent", "ok")
        );
        assert!(!entry.source.is_empty(), "{}: no source", entry.file);
        let body = std::fs::read_to_string(dir.join(&entry.file)).unwrap();
        let event: WebhookEvent = match clerk_models::from_str(&body) {
            Ok(event) => event,
            Err(e) => {
                failures.push(format!("{}: refused: {e}", entry.file));
                continue;
            }
        };
        let variant = variant_name(event.data());
        if variant != entry.expect_variant {
            failures.push(format!(
                "{}: {variant}, expected {}",
                entry.file, entry.expect_variant
            ));
        }
        assert_eq!(
            event.event_type().as_str(),
            entry.event_type,
            "{}",
            entry.file
        );
        assert!(event.event_type().is_known(), "{}", entry.file);
        assert!(event.invalid_envelope().is_none() && event.embedded().invalid.is_empty());
        let written: Value = serde_json::to_value(&event).unwrap();
        let received: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            written, received,
            "{}: written back differently",
            entry.file
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} dashboard examples:\n{}",
        failures.len(),
        entries.len(),
        failures.join("\n")
    );
}

/// What the dashboard's examples leave out is absent, never invented.
#[test]
fn the_dashboards_organization_examples_leave_absent_facts_unknown() {
    let Some(dir) = fixtures_dir("the_dashboards_organization_examples_leave_absent_facts_unknown")
    else {
        return;
    };
    let read = |name: &str| -> WebhookEvent {
        let body = std::fs::read_to_string(dir.join("webhooks").join(name)).unwrap();
        clerk_models::from_str(&body).unwrap()
    };
    let event = read("organization_created__dashboard_catalog_2025__1.json");
    let EventData::Organization(org) = event.data() else {
        panic!("{:?}", event.data());
    };
    assert_eq!(
        (
            org.has_image,
            org.max_allowed_memberships,
            org.admin_delete_enabled
        ),
        (None, None, None)
    );
    let event = read("organizationMembership_created__dashboard_catalog_2025__1.json");
    let EventData::OrganizationMembership(membership) = event.data() else {
        panic!("{:?}", event.data());
    };
    assert!(membership.permissions.is_empty() && membership.public_metadata.is_none());
    assert!(membership.has_role("admin"));
    let event = read("organizationInvitation_accepted__dashboard_catalog_2025__1.json");
    let EventData::AcceptedInvitation(accepted) = event.data() else {
        panic!("{:?}", event.data());
    };
    assert_eq!(accepted.user_id, None);
    assert_eq!(accepted.role_name, None);
    let event = read("session_ended__dashboard_catalog_2025__1.json");
    assert!(event.session().is_some() && event.user().is_none());
    assert_eq!(event.instance_id(), None);
    assert_eq!(event.timestamp(), Some(1_654_014_330_122));
}
