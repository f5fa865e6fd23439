//! Typed event data: every example of Clerk's webhooks spec, the fixtures of
//! `tests/fixtures/webhooks/` (each with its source in the manifest), the unions of
//! verifications, the helpers users reach for, and hostile payloads.

use clerk_models::{
    EmailAddressVerification, EventData, EventType, MembershipRole, User, WebhookEvent,
};
use clerk_models_tests::{event_json, session_json, user_json, webhook_spec_examples};
use serde_json::{Value, json};

fn decode(json: &Value) -> Result<WebhookEvent, clerk_models::Error> {
    clerk_models::from_str(&json.to_string())
}

/// The JSON of the typed data, re-encoded.
fn typed_json(data: &EventData) -> Value {
    match data {
        EventData::Session(v) => serde_json::to_value(v),
        EventData::User(v) => serde_json::to_value(v),
        EventData::Organization(v) => serde_json::to_value(v),
        EventData::OrganizationMembership(v) => serde_json::to_value(v),
        EventData::AcceptedInvitation(v) => serde_json::to_value(v),
        EventData::OrganizationInvitation(v) => serde_json::to_value(v),
        EventData::OrganizationDomain(v) => serde_json::to_value(v),
        EventData::Role(v) => serde_json::to_value(v),
        EventData::Permission(v) => serde_json::to_value(v),
        EventData::WaitlistEntry(v) => serde_json::to_value(v),
        EventData::Email(v) => serde_json::to_value(v),
        EventData::Sms(v) => serde_json::to_value(v),
        EventData::SubscriptionItem(v) => serde_json::to_value(v),
        EventData::Subscription(v) => serde_json::to_value(v),
        EventData::PaymentAttempt(v) => serde_json::to_value(v),
        EventData::Deleted(v) => serde_json::to_value(v),
        other => panic!("no re-encoding written for {other:?}"),
    }
    .unwrap()
}

/// Whether the event's type is in `group` (`EventType::is_<group>()`), asked through the
/// data: the variant must be the one of the type's group.
fn assert_group(event: &WebhookEvent, name: &str) {
    let group = event
        .data()
        .group()
        .unwrap_or_else(|| panic!("{name}: unknown data"));
    let predicate = match group {
        "session" => event.event_type().is_session(),
        "user" => event.event_type().is_user(),
        "organization" => event.event_type().is_organization(),
        "organization_membership" => event.event_type().is_organization_membership(),
        "accepted_invitation" => event.event_type().is_accepted_invitation(),
        "organization_invitation" => event.event_type().is_organization_invitation(),
        "organization_domain" => event.event_type().is_organization_domain(),
        "role" => event.event_type().is_role(),
        "permission" => event.event_type().is_permission(),
        "waitlist_entry" => event.event_type().is_waitlist_entry(),
        "email" => event.event_type().is_email(),
        "sms" => event.event_type().is_sms(),
        "subscription" => event.event_type().is_subscription(),
        "subscription_item" => event.event_type().is_subscription_item(),
        "payment_attempt" => event.event_type().is_payment_attempt(),
        "deleted" => event.event_type().is_deleted(),
        other => panic!("{name}: group {other} not covered here"),
    };
    assert!(
        predicate,
        "{name}: {} is not in group {group}",
        event.event_type()
    );
}

#[test]
fn every_example_of_the_webhook_spec_decodes_into_its_variant_and_round_trips() {
    let Some(examples) = webhook_spec_examples("webhook data examples") else {
        return;
    };
    // 18 named examples, and 27 written inline in an event's request body.
    assert_eq!(examples.len(), 45, "the spec's examples changed");
    for (name, example) in &examples {
        let event = decode(example).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_group(&event, name);
        // The typed data re-encodes to JSON that decodes to the same value.
        let again = typed_json(event.data());
        let back = decode(&{
            let mut e = example.clone();
            e["data"] = again;
            e
        })
        .unwrap_or_else(|e| panic!("{name}: re-encoded data: {e}"));
        assert_eq!(back.data(), event.data(), "{name}");
        // The event itself is written back byte for byte as received.
        assert_eq!(&serde_json::to_value(&event).unwrap(), example, "{name}");
        assert_eq!(
            event.raw_data().decode::<Value>().unwrap(),
            example["data"],
            "{name}"
        );
        if event.event_type().is_session() {
            let user = event
                .user()
                .unwrap_or_else(|| panic!("{name}: no embedded user"));
            assert_eq!(user.id, example["data"]["user"]["id"].as_str().unwrap());
        }
    }
}

#[derive(serde::Deserialize)]
struct Entry {
    file: String,
    group: String,
    expect: String,
    source: String,
}

fn fixture(name: &str) -> Value {
    let path = clerk_models_tests::workspace_root()
        .join("tests/fixtures/webhooks")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[test]
fn every_fixture_decodes_as_its_manifest_says() {
    let manifest: Vec<Entry> = serde_json::from_value(fixture("MANIFEST.json")).unwrap();
    let dir = clerk_models_tests::workspace_root().join("tests/fixtures/webhooks");
    let files = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(
        files,
        manifest.len() + 1,
        "a fixture without a manifest entry"
    );
    for entry in &manifest {
        assert!(!entry.source.is_empty(), "{}: no source", entry.file);
        assert_eq!(entry.expect, "ok", "{}", entry.file);
        let json = fixture(&entry.file);
        let event = decode(&json).unwrap_or_else(|e| panic!("{}: {e}", entry.file));
        assert_eq!(
            event.data().group(),
            Some(entry.group.as_str()),
            "{}",
            entry.file
        );
        assert_eq!(
            serde_json::to_value(&event).unwrap(),
            json,
            "{}",
            entry.file
        );
    }
}

#[test]
fn clerks_docs_example_decodes_without_the_fields_it_predates() {
    let event = decode(&fixture("docs-user-created.json")).unwrap();
    assert_eq!(event.instance_id(), None);
    let user = event.user().unwrap();
    // Absent facts are unknown, never an invented `false`; absent lists are empty.
    assert_eq!(
        (user.banned, user.locked, user.has_image),
        (None, None, None)
    );
    assert!(user.passkeys.is_empty() && user.enterprise_accounts.is_empty());
    let email = user.primary_email_address().unwrap();
    assert_eq!(email.email_address, "example@example.org");
    assert_eq!(email.reserved, None);
    // No `object`: the strategy chooses the member.
    let verification = email.verification.as_ref().unwrap();
    assert!(
        matches!(verification, EmailAddressVerification::Ticket(_)),
        "{verification:?}"
    );
    assert_eq!(verification.status(), Some("verified"));
    assert_eq!(user.full_name().to_string(), "Example Example");
    assert_eq!(user.primary_phone_number(), None);
}

#[test]
fn a_delivery_without_instance_id_or_user_decodes() {
    let event = decode(&fixture("session-created-2024.json")).unwrap();
    assert_eq!(event.instance_id(), None);
    assert!(event.session().is_some() && event.user().is_none());
}

#[test]
fn memberships_keep_legacy_roles_and_compare_them_as_tokens_do() {
    let event = decode(&fixture("membership-basic-member.json")).unwrap();
    let EventData::OrganizationMembership(membership) = event.data() else {
        panic!("{:?}", event.data());
    };
    assert_eq!(membership.role, MembershipRole::BasicMember);
    assert!(membership.has_role("basic_member") && membership.has_role("org:basic_member"));
    assert!(!membership.has_role("admin") && !membership.has_role(""));
    assert_eq!(membership.role().to_string(), "org:basic_member");
    assert_eq!(membership.organization.slug, "acme-inc");
    let mut admin = fixture("membership-basic-member.json");
    admin["data"]["role"] = json!("org:admin");
    let event = decode(&admin).unwrap();
    let EventData::OrganizationMembership(membership) = event.data() else {
        panic!();
    };
    assert_eq!(membership.role, MembershipRole::OrgAdmin);
    assert!(membership.has_role("admin") && membership.has_role("org:admin"));
    // A custom role is kept as text.
    admin["data"]["role"] = json!("org:billing_manager");
    let event = decode(&admin).unwrap();
    let EventData::OrganizationMembership(membership) = event.data() else {
        panic!();
    };
    assert!(!membership.role.is_known() && membership.has_role("billing_manager"));
}

fn user_with_verification(verification: Value) -> User {
    let mut user = user_json();
    user["email_addresses"][0]["verification"] = verification;
    clerk_models::from_value(user).unwrap()
}

fn verification(user: &User) -> &EmailAddressVerification {
    user.email_addresses[0].verification.as_ref().unwrap()
}

#[test]
fn a_verification_is_chosen_by_object_then_strategy_and_unknown_ones_keep_their_json() {
    let user = user_with_verification(json!({"object": "verification_otp", "status": "verified",
        "strategy": "email_code", "attempts": 1, "expire_at": null}));
    assert!(matches!(
        verification(&user),
        EmailAddressVerification::Otp(_)
    ));
    // No object: the strategy decides, an exact value or a pattern's prefix.
    let user = user_with_verification(json!({"status": "verified", "strategy": "admin"}));
    assert!(matches!(
        verification(&user),
        EmailAddressVerification::Admin(_)
    ));
    let user =
        user_with_verification(json!({"status": "verified", "strategy": "from_oauth_google"}));
    assert!(matches!(
        verification(&user),
        EmailAddressVerification::FromOauth(_)
    ));
    assert_eq!(verification(&user).strategy(), Some("from_oauth_google"));
    // `object` wins over `strategy`, and an unknown `object` is Unknown, whatever the strategy.
    for unknown in [
        json!({"object": "verification_carrier_pigeon", "status": "verified", "strategy": "admin"}),
        json!({"status": "verified", "strategy": "carrier_pigeon"}),
        json!({"status": "verified"}),
        json!({"object": 7, "strategy": ["x"]}),
    ] {
        let user = user_with_verification(unknown.clone());
        let EmailAddressVerification::Unknown(raw) = verification(&user) else {
            panic!("{unknown}: {:?}", verification(&user));
        };
        assert_eq!(raw.decode::<Value>().unwrap(), unknown);
        assert_eq!(verification(&user).status(), None);
        // Written back unchanged.
        let json = serde_json::to_value(&user).unwrap();
        assert_eq!(json["email_addresses"][0]["verification"], unknown);
    }
    // A chosen member that does not decode is an error with the path and the member.
    let mut bad = user_json();
    bad["email_addresses"][0]["verification"] =
        json!({"object": "verification_otp", "status": 5, "strategy": "email_code"});
    let err = clerk_models::from_value::<User>(bad).unwrap_err();
    assert_eq!(err.path(), "email_addresses[0].verification", "{err}");
    assert!(
        err.to_string().contains("status") && err.to_string().contains("VerificationOtp"),
        "{err}"
    );
    // Not an object at all.
    let mut bad = user_json();
    bad["email_addresses"][0]["verification"] = json!("verified");
    assert!(clerk_models::from_value::<User>(bad).is_err());
}

#[test]
fn the_user_helpers_read_the_fields_they_name() {
    let mut json = user_json();
    json["email_addresses"] = json!([
        {"object": "email_address", "id": "idn_a", "email_address": "a@example.com",
         "verification": null, "linked_to": []},
        {"object": "email_address", "id": "idn_b", "email_address": "b@example.com",
         "verification": null, "linked_to": []}
    ]);
    json["primary_email_address_id"] = json!("idn_b");
    json["phone_numbers"] = json!([{"object": "phone_number", "id": "idn_p",
        "phone_number": "+15555550100", "reserved": false, "reserved_for_second_factor": false,
        "default_second_factor": false, "verification": null, "linked_to": [],
        "created_at": 1, "updated_at": 1}]);
    json["primary_phone_number_id"] = json!("idn_p");
    json["external_accounts"] = json!([{"object": "external_account", "id": "eac_1",
        "provider": "oauth_github", "identification_id": "idn_x", "provider_user_id": "42",
        "approved_scopes": "read:user", "email_address": "a@example.com", "first_name": "A",
        "last_name": "B", "public_metadata": {}, "created_at": 1, "updated_at": 1,
        "verification": {"status": "verified", "strategy": "oauth_github", "expire_at": 1}}]);
    let user: User = clerk_models::from_value(json.clone()).unwrap();
    assert_eq!(
        user.primary_email_address().unwrap().email_address,
        "b@example.com"
    );
    assert_eq!(
        user.primary_phone_number().unwrap().phone_number,
        "+15555550100"
    );
    let github = user.external_account("oauth_github").unwrap();
    assert_eq!(github.provider_user_id, "42");
    assert!(user.external_account("github").is_none());
    // A primary id the list does not hold finds nothing, never another entry.
    json["primary_email_address_id"] = json!("idn_gone");
    json["primary_phone_number_id"] = Value::Null;
    let user: User = clerk_models::from_value(json.clone()).unwrap();
    assert!(user.primary_email_address().is_none() && user.primary_phone_number().is_none());
    for (first, last, full) in [
        (json!("Ada"), json!("Lovelace"), "Ada Lovelace"),
        (json!("Ada"), Value::Null, "Ada"),
        (json!(" "), json!("Lovelace"), "Lovelace"),
        (Value::Null, Value::Null, ""),
    ] {
        json["first_name"] = first;
        json["last_name"] = last;
        let user: User = clerk_models::from_value(json.clone()).unwrap();
        assert_eq!(user.full_name().to_string(), full);
        assert_eq!(user.full_name().is_empty(), full.is_empty());
    }
}

#[test]
fn a_session_events_embedded_user_is_checked_on_its_own() {
    let mut data = session_json();
    data["user"] = user_json();
    let event = decode(&event_json("session.created", data.clone())).unwrap();
    assert_eq!(
        event.user().unwrap().id,
        user_json()["id"].as_str().unwrap()
    );
    assert!(event.embedded().user.is_some());
    data["user"]["email_addresses"][0]["email_address"] = json!(5);
    let event = decode(&event_json("session.created", data)).unwrap();
    assert!(event.session().is_some() && event.user().is_none());
    let err = event.embedded().invalid[0].error();
    assert_eq!(
        err.path(),
        "data.user.email_addresses[0].email_address",
        "{err}"
    );
    // Not a session event: the key means nothing and is not read.
    let mut user = user_json();
    user["user"] = json!("anything");
    let event = decode(&event_json("user.updated", user)).unwrap();
    assert!(event.embedded().user.is_none() && event.user().is_some());
}

#[test]
fn every_known_event_type_keeps_data_of_another_kind_as_invalid() {
    for value in [
        EventType::UserCreated,
        EventType::OrganizationCreated,
        EventType::RoleCreated,
        EventType::EmailCreated,
        EventType::SubscriptionItemActive,
        EventType::WaitlistEntryCreated,
    ] {
        let event = decode(&event_json(value.as_str(), json!({"object": "nothing"}))).unwrap();
        let EventData::Invalid(invalid) = event.data() else {
            panic!("{value}: typed as {:?}", event.data());
        };
        // At `object`, or at `data` itself where the model has no `object` and misses a key.
        let path = invalid.error().path();
        assert!(path == "data.object" || path == "data", "{value}: {path}");
        assert_eq!(invalid.raw().get(), r#"{"object":"nothing"}"#);
    }
    // An event type this version does not know keeps its data as received.
    let event = decode(&event_json("user.teleported", json!({"where": "mars"}))).unwrap();
    let EventData::Unknown(raw) = event.data() else {
        panic!("{:?}", event.data());
    };
    assert_eq!(raw.get(), r#"{"where":"mars"}"#);
    assert_eq!(event.data().group(), None);
}

#[test]
fn hostile_users_decode_or_fail_without_panicking() {
    // 10 MB of metadata is kept as raw JSON, not parsed into a map.
    let mut user = user_json();
    user["public_metadata"] = json!({"blob": "x".repeat(10 * 1024 * 1024)});
    let text = user.to_string();
    let decoded: User = clerk_models::from_str(&text).unwrap();
    assert_eq!(decoded.public_metadata.get().len(), 10 * 1024 * 1024 + 11);
    // 10,000 email addresses.
    let mut user = user_json();
    let one = user["email_addresses"][0].clone();
    user["email_addresses"] = Value::Array(vec![one; 10_000]);
    let decoded: User = clerk_models::from_value(user).unwrap();
    assert_eq!(decoded.email_addresses.len(), 10_000);
    // Deeply nested metadata: kept as raw JSON without recursing (no stack overflow).
    let mut user = user_json().to_string();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    user = user.replacen(
        r#""public_metadata":{}"#,
        &format!(r#""public_metadata":{deep}"#),
        1,
    );
    let decoded: User = clerk_models::from_str(&user).unwrap();
    assert_eq!(decoded.public_metadata.get(), deep);
}

#[test]
fn the_2022_docs_envelope_has_no_timestamp_and_decodes() {
    let json = fixture("docs-2022-no-timestamp.json");
    let event = decode(&json).unwrap();
    assert_eq!((event.timestamp(), event.instance_id()), (None, None));
    assert!(event.event_attributes().is_none());
    assert!(matches!(event.data(), EventData::User(_)));
    assert_eq!(serde_json::to_value(&event).unwrap(), json);
}
