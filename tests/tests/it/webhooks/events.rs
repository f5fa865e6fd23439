//! Webhook events: Clerk's own examples, the envelope's rules, session events checked.

use std::time::{Duration, UNIX_EPOCH};

use clerk_models::{
    EventData, EventType, InvalidData, RawJson, SessionStatus, WebhookEnvelope, WebhookEvent,
};
use clerk_models_tests::{event_json, session_json, user_json, webhook_spec_examples};
use serde_json::{Value, json};

fn decode(json: &Value) -> Result<WebhookEvent, clerk_models::Error> {
    clerk_models::from_str(&json.to_string())
}

#[test]
fn every_session_event_example_of_the_webhook_spec_decodes_with_its_session() {
    let Some(examples) = webhook_spec_examples("session event examples") else {
        return;
    };
    let mut seen = Vec::new();
    for (name, example) in &examples {
        let Some(event_type) = example["type"].as_str() else {
            continue;
        };
        if !event_type.starts_with("session.") {
            continue;
        }
        let event = decode(example).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(event.event_type().as_str(), event_type, "{name}");
        assert!(event.event_type().is_session() && event.event_type().is_known());
        let session = event
            .session()
            .unwrap_or_else(|| panic!("{name}: no session"));
        assert_eq!(session.id, example["data"]["id"].as_str().unwrap());
        // The spec's own Session schema has no `pending`; the example sends it anyway.
        let status = example["data"]["status"].as_str().unwrap();
        assert_eq!(session.status.as_str(), status, "{name}");
        // The whole user is in the raw data, for the caller's own types.
        let data: Value = event.raw_data().decode().unwrap();
        assert_eq!(data["user"]["object"], "user", "{name}");
        // Written back, the event is what was received.
        assert_eq!(&serde_json::to_value(&event).unwrap(), example, "{name}");
        seen.push(event_type.to_owned());
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            "session.created",
            "session.ended",
            "session.pending",
            "session.removed",
            "session.revoked"
        ]
    );
    let pending = examples
        .values()
        .find(|e| e["type"] == "session.pending")
        .unwrap();
    assert_eq!(
        decode(pending).unwrap().session().unwrap().status,
        SessionStatus::Pending
    );
}

#[test]
fn the_event_types_are_the_45_of_the_spec_and_five_are_session_events() {
    assert_eq!(EventType::KNOWN.len(), 45);
    let session: Vec<&str> = EventType::KNOWN
        .iter()
        .filter(|t| t.is_session())
        .map(EventType::as_str)
        .collect();
    assert_eq!(
        session,
        [
            "session.created",
            "session.pending",
            "session.ended",
            "session.removed",
            "session.revoked"
        ]
    );
    assert_eq!(
        EventType::from("subscriptionItem.freeTrialEnding"),
        EventType::SubscriptionItemFreeTrialEnding
    );
}

#[test]
fn a_user_event_decodes_its_user_and_keeps_the_raw_data() {
    let user = user_json();
    let event = decode(&event_json("user.created", user.clone())).unwrap();
    assert_eq!(event.event_type(), &EventType::UserCreated);
    assert!(event.session().is_none());
    assert!(matches!(event.data(), clerk_models::EventData::User(u) if u.id == user["id"]));
    assert_eq!(event.user().map(|u| u.id.as_str()), user["id"].as_str());
    assert_eq!(event.raw_data().decode::<Value>().unwrap(), user);
    // A user.* event is never mistaken for a session: session-shaped data is kept as invalid.
    let event = decode(&event_json("user.created", session_json())).unwrap();
    let err = event.try_data().unwrap_err();
    assert!(err.path().starts_with("data"), "{err}");
    assert!(event.user().is_none() && event.session().is_none());
}

#[test]
fn an_unknown_event_type_decodes_and_keeps_its_text() {
    let json = event_json("session.frozen", json!({"anything": [1, 2, 3]}));
    let event = decode(&json).unwrap();
    let EventType::Unknown(text) = event.event_type() else {
        panic!("decoded as {:?}", event.event_type());
    };
    assert_eq!(text.as_str(), "session.frozen");
    assert!(!event.event_type().is_session() && event.session().is_none());
    assert_eq!(serde_json::to_value(&event).unwrap(), json);
}

/// The `InvalidData` of an event's data; panics when the data was typed.
fn invalid(event: &WebhookEvent) -> &InvalidData {
    match event.data() {
        EventData::Invalid(invalid) => invalid,
        other => panic!("typed as {other:?}"),
    }
}

#[test]
fn a_session_event_with_a_bad_session_is_kept_with_the_error_at_its_path() {
    let mut bad = session_json();
    bad["expire_at"] = Value::Null;
    let json = event_json("session.created", bad.clone());
    let event = decode(&json).unwrap();
    let err = invalid(&event).error();
    assert_eq!(err.path(), "data.expire_at");
    assert_eq!(err.pointer(), "/data/expire_at");
    assert!(
        err.to_string()
            .starts_with("data.expire_at: invalid type: null, expected i64 at line 1 column"),
        "{err}"
    );
    // The data byte for byte, the same error through try_data, and nothing typed.
    assert_eq!(invalid(&event).raw(), event.raw_data());
    assert_eq!(invalid(&event).raw().decode::<Value>().unwrap(), bad);
    assert_eq!(event.try_data().unwrap_err().path(), "data.expire_at");
    assert!(event.session().is_none() && event.data().is_invalid());
    assert_eq!(event.data().group(), None);
    assert!(event.invalid_envelope().is_none());
    // Written back, it is what was received.
    assert_eq!(serde_json::to_value(&event).unwrap(), json);
    // Plain serde and a parsed value keep it too.
    let plain = serde_json::from_value::<WebhookEvent>(json).unwrap();
    assert_eq!(invalid(&plain).error().path(), "data.expire_at");

    let mut wrong_object = session_json();
    wrong_object["object"] = json!("user");
    let event = decode(&event_json("session.ended", wrong_object)).unwrap();
    assert_eq!(invalid(&event).error().path(), "data.object");
}

#[test]
fn only_a_body_without_a_string_type_or_a_data_is_no_event() {
    let mut no_data = event_json("session.created", Value::Null);
    no_data.as_object_mut().unwrap().remove("data");
    let err = decode(&no_data).unwrap_err();
    assert!(err.to_string().contains("missing field `data`"), "{err}");
    // `data: null` is there: an event whose data does not fit.
    let event = decode(&event_json("session.created", Value::Null)).unwrap();
    assert_eq!(invalid(&event).raw().get(), "null");
    // An unknown type keeps any data, null too.
    let event = decode(&event_json("thing.happened", Value::Null)).unwrap();
    assert!(matches!(event.data(), EventData::Unknown(raw) if raw.get() == "null"));
    for (body, path) in [
        (r#"{"type": 1, "data": {}}"#, "type"),
        (r#"{"data": {}}"#, ""),
        (r#"{"type": "user.created"}"#, ""),
    ] {
        let err = clerk_models::from_str::<WebhookEvent>(body).unwrap_err();
        assert_eq!(err.path(), path, "{body}: {err}");
    }
    for body in [
        "[]",
        r#"["user.created", {}]"#,
        "null",
        "\"user.created\"",
        "{",
        "",
    ] {
        assert!(
            clerk_models::from_str::<WebhookEvent>(body).is_err(),
            "{body}"
        );
    }
    // A later, unrelated error is not given an earlier nested path.
    let _ = clerk_models::from_str::<WebhookEvent>(r#"{"type": "x", "data": 1, "timestamp": "t"}"#);
    let err = clerk_models::from_str::<clerk_models::Session>("{}").unwrap_err();
    assert_eq!(err.path(), "");
}

#[test]
fn every_envelope_key_but_type_and_data_is_optional_and_never_refuses_the_event() {
    let user = user_json();
    for missing in ["timestamp", "object", "instance_id", "event_attributes"] {
        let mut json = event_json("user.created", user.clone());
        json.as_object_mut().unwrap().remove(missing);
        let event = decode(&json).unwrap_or_else(|e| panic!("without {missing}: {e}"));
        assert!(
            matches!(event.data(), EventData::User(_)),
            "without {missing}"
        );
        assert_eq!(serde_json::to_value(&event).unwrap(), json);
    }
    let mut json = event_json("user.created", user.clone());
    json.as_object_mut().unwrap().remove("timestamp");
    let event = decode(&json).unwrap();
    assert_eq!(
        (event.timestamp(), event.timestamp_system_time()),
        (None, None)
    );

    // A key of the envelope that does not fit: the event, its data typed, the body kept.
    for (key, value) in [
        ("timestamp", json!("soon")),
        ("instance_id", json!(5)),
        ("object", json!({"kind": "event"})),
        ("event_attributes", json!([])),
    ] {
        let mut json = event_json("user.created", user.clone());
        json[key] = value;
        let body = json.to_string();
        let event = clerk_models::from_str::<WebhookEvent>(&body)
            .unwrap_or_else(|e| panic!("{key}: refused: {e}"));
        assert!(matches!(event.data(), EventData::User(_)), "{key}");
        let kept = event.invalid_envelope().unwrap();
        assert_eq!(kept.error().path(), key);
        assert_eq!(kept.raw().get(), body);
        assert_eq!(serde_json::to_string(&event).unwrap(), body);
        assert_eq!(event.event_type(), &EventType::UserCreated);
        assert_eq!(event.timestamp(), None);
    }
}

#[test]
fn a_session_events_user_is_typed_on_its_own() {
    let mut data = session_json();
    let mut user = user_json();
    user["email_addresses"][0]["id"] = json!(42);
    data["user"] = user.clone();
    let event = decode(&event_json("session.created", data)).unwrap();
    assert!(event.session().is_some(), "the session stays typed");
    assert!(event.user().is_none());
    let [bad] = event.embedded().invalid.as_slice() else {
        panic!("{:?}", event.embedded().invalid);
    };
    assert_eq!(bad.error().path(), "data.user.email_addresses[0].id");
    assert_eq!(bad.raw().decode::<Value>().unwrap(), user);
    assert!(event.try_data().is_ok());
    // A user that fits is typed beside the session.
    let mut data = session_json();
    data["user"] = user_json();
    let event = decode(&event_json("session.created", data)).unwrap();
    assert!(event.user().is_some() && event.embedded().invalid.is_empty());
}

#[test]
fn the_timestamp_is_milliseconds_as_real_deliveries_send_it() {
    // A real user.created delivery: timestamp 18 ms after the user's updated_at.
    let mut user = user_json();
    user["updated_at"] = json!(1_744_276_393_626_i64);
    let event = decode(&event_json("user.created", user)).unwrap();
    assert_eq!(event.timestamp(), Some(1_744_276_393_644));
    assert_eq!(
        event.timestamp_system_time(),
        Some(UNIX_EPOCH + Duration::from_millis(1_744_276_393_644))
    );
    let year_2025 = UNIX_EPOCH + Duration::from_secs(1_735_689_600);
    assert!(event.timestamp_system_time().unwrap() > year_2025);
    assert_eq!(event.instance_id(), Some("ins_2vU3fBhx47yeddqKhd5taTbUYID"));
    let request = event
        .event_attributes()
        .and_then(|a| a.http_request.as_ref())
        .unwrap();
    assert_eq!(request.user_agent.as_deref(), Some("okhttp/4.12.0"));
}

#[test]
fn the_envelope_converts_to_an_event_with_the_same_rules() {
    let good: WebhookEnvelope =
        clerk_models::from_value(event_json("session.created", session_json())).unwrap();
    let event = WebhookEvent::from(good.clone());
    assert_eq!(event.envelope(), &good);
    assert!(event.session().is_some());
    let mut bad = session_json();
    bad["status"] = json!(3);
    let envelope: WebhookEnvelope =
        clerk_models::from_value(event_json("session.created", bad)).unwrap();
    let event = WebhookEvent::from(envelope);
    assert_eq!(invalid(&event).error().path(), "data.status");
}

#[test]
fn raw_json_keeps_text_and_compares_by_it() {
    let a = RawJson::from_string(r#"{"a": 1}"#.into()).unwrap();
    let b = RawJson::from_string(r#"{"a":1}"#.into()).unwrap();
    assert_ne!(a, b);
    assert_eq!(a.get(), r#"{"a": 1}"#);
    assert_eq!(a.to_string(), r#"{"a": 1}"#);
    assert!(RawJson::from_string("{".into()).is_err());
    assert!(RawJson::from_string("1 2".into()).is_err());
    let from_value = RawJson::try_from(&json!({"b": [true]})).unwrap();
    assert_eq!(from_value.get(), r#"{"b":[true]}"#);
    assert_eq!(format!("{a:?}"), r#"RawJson("{\"a\": 1}")"#);
}
