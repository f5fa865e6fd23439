//! Property tests against the schemas. The generators build JSON directly from the shape of
//! `schemas/` (nulls, absent optional keys, unknown statuses and strategies, empty, long and
//! non-ASCII strings, every `i64` edge), and every generated document is first checked
//! against the strict schema, so the generators cannot drift from it.
//!
//! Properties, per model type:
//! (a) decode(encode(x)) == x; (b) encode(x) validates against `schemas/`; (c) JSON that
//! validates decodes, losing nothing the schema allows; (d) JSON that breaks a required or
//! type rule fails to decode, with a path naming the offending field. Unknown keys are
//! ignored (the wire rule), so they are tested on their own.
//!
//! Cases: `DECODE_CASES` per decoding property, `FAIL_CLOSED_CASES` for the lifecycle.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_models::{Client, Session, SessionList, SessionStatus};
use clerk_models_tests::{strict_validator, violations};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value, json};

const DECODE_CASES: u32 = 512;
const FAIL_CLOSED_CASES: u32 = 20_000;

fn validators() -> &'static (jsonschema::Validator, jsonschema::Validator) {
    static V: OnceLock<(jsonschema::Validator, jsonschema::Validator)> = OnceLock::new();
    V.get_or_init(|| (strict_validator("Session"), strict_validator("Client")))
}

fn defs() -> &'static Map<String, Value> {
    static D: OnceLock<Map<String, Value>> = OnceLock::new();
    D.get_or_init(clerk_models_tests::schema_defs)
}

/// `(field, JSON type)` of the required, non-nullable properties of a `$defs` entry, read
/// from the schema.
fn strict_required(def: &str) -> Vec<(String, String)> {
    let def = &defs()[def];
    def["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|name| {
            let name = name.as_str().unwrap();
            let prop = &def["properties"][name];
            match &prop["type"] {
                Value::String(t) => Some((name.to_owned(), t.clone())),
                _ => None, // a type array holds "null": nullable
            }
        })
        .collect()
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z_]{1,16}",
        2 => "\\PC{0,24}",
        1 => Just(String::new()),
        1 => (1000_usize..3000).prop_map(|n| "é".repeat(n)),
    ]
}

fn millis() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => 1_600_000_000_000_i64..1_900_000_000_000,
        2 => any::<i64>(),
        1 => prop::sample::select(vec![i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX - 1, i64::MAX]),
    ]
}

/// A status the schema lists.
fn known_status() -> impl Strategy<Value = String> {
    let known: Vec<String> = SessionStatus::VALUES
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    prop::sample::select(known)
}

/// Any status text, known or not: what Clerk may send tomorrow.
fn status_text() -> impl Strategy<Value = String> {
    prop_oneof![3 => known_status(), 1 => text()]
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Absent (`None`), `null`, or a value.
fn nullable<S: Strategy<Value = Value>>(value: S) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![Just(None), Just(Some(Value::Null)), value.prop_map(Some)]
}

/// Absent or a value (an optional, non-nullable property).
fn optional<S: Strategy<Value = Value>>(value: S) -> impl Strategy<Value = Option<Value>> {
    prop::option::of(value)
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.to_owned(), value);
    }
}

fn activity_json() -> impl Strategy<Value = Value> {
    let s = || optional(text().prop_map(Value::String));
    (
        text(),
        text(),
        any::<bool>(),
        (s(), s(), s(), s(), s(), s()),
    )
        .prop_map(
            |(object, id, is_mobile, (device, browser, version, ip, city, country))| {
                let mut m = Map::new();
                m.insert("object".into(), json!(object));
                m.insert("id".into(), json!(id));
                m.insert("is_mobile".into(), json!(is_mobile));
                put(&mut m, "device_type", device);
                put(&mut m, "browser_name", browser);
                put(&mut m, "browser_version", version);
                put(&mut m, "ip_address", ip);
                put(&mut m, "city", city);
                put(&mut m, "country", country);
                Value::Object(m)
            },
        )
}

fn session_json() -> impl Strategy<Value = Value> {
    let ids = (text(), text(), text());
    let times = (millis(), millis(), millis(), millis(), millis());
    let actor = nullable(
        prop::collection::btree_map("[a-z]{1,6}", any_json(), 0..4)
            .prop_map(|m| Value::Object(m.into_iter().collect())),
    );
    let tasks = nullable(
        prop::collection::vec(text().prop_map(|k| json!({ "key": k })), 0..3)
            .prop_map(Value::Array),
    );
    let rest = (
        actor,
        nullable(text().prop_map(Value::String)),
        nullable(activity_json()),
        tasks,
    );
    (ids, known_status(), times, rest).prop_map(
        |(
            (id, user, client),
            status,
            (last, expire, abandon, updated, created),
            (actor, org, activity, tasks),
        )| {
            let mut m = Map::new();
            m.insert("object".into(), json!("session"));
            m.insert("id".into(), json!(id));
            m.insert("user_id".into(), json!(user));
            m.insert("client_id".into(), json!(client));
            put(&mut m, "actor", actor);
            m.insert("status".into(), json!(status));
            put(&mut m, "last_active_organization_id", org);
            m.insert("last_active_at".into(), json!(last));
            put(&mut m, "latest_activity", activity);
            m.insert("expire_at".into(), json!(expire));
            m.insert("abandon_at".into(), json!(abandon));
            m.insert("updated_at".into(), json!(updated));
            m.insert("created_at".into(), json!(created));
            put(&mut m, "tasks", tasks);
            Value::Object(m)
        },
    )
}

fn client_json() -> impl Strategy<Value = Value> {
    let maybe_text = || prop_oneof![Just(Value::Null), text().prop_map(Value::String)];
    (
        text(),
        prop::collection::vec(session_json(), 0..3),
        prop::collection::vec(text().prop_map(Value::String), 0..3),
        (maybe_text(), maybe_text(), maybe_text(), maybe_text()),
        (millis(), millis()),
    )
        .prop_map(
            |(id, sessions, ids, (sign_in, sign_up, last, strategy), (updated, created))| {
                json!({
                    "object": "client", "id": id, "session_ids": ids, "sessions": sessions,
                    "sign_in_id": sign_in, "sign_up_id": sign_up, "last_active_session_id": last,
                    "last_authentication_strategy": strategy,
                    "updated_at": updated, "created_at": created,
                })
            },
        )
}

/// What we write for a session: the same JSON, minus optional keys that were `null`
/// (`None` is left out).
fn written_form_of_session(session: &Value) -> Value {
    let mut out = session.clone();
    if let Some(map) = out.as_object_mut() {
        map.retain(|_, v| !v.is_null());
    }
    out
}

fn written_form_of_client(client: &Value) -> Value {
    let mut out = client.clone();
    if let Some(sessions) = out["sessions"].as_array_mut() {
        for s in sessions {
            *s = written_form_of_session(s);
        }
    }
    out
}

fn decode_config() -> Config {
    Config {
        cases: DECODE_CASES,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(decode_config())]

    #[test]
    fn sessions_that_validate_decode_round_trip_and_lose_nothing(json in session_json()) {
        let (session_schema, _) = validators();
        prop_assert!(violations(session_schema, &json).is_empty(), "generator drifted: {:?}", violations(session_schema, &json));
        let session: Session = clerk_models::from_str(&json.to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let written = serde_json::to_value(&session).unwrap();
        prop_assert_eq!(&written, &written_form_of_session(&json));
        prop_assert!(violations(session_schema, &written).is_empty());
        let again: Session = clerk_models::from_value(written).unwrap();
        prop_assert_eq!(again, session);
    }

    #[test]
    fn clients_that_validate_decode_round_trip_and_lose_nothing(json in client_json()) {
        let (_, client_schema) = validators();
        prop_assert!(violations(client_schema, &json).is_empty(), "generator drifted: {:?}", violations(client_schema, &json));
        let client: Client = clerk_models::from_str(&json.to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let written = serde_json::to_value(&client).unwrap();
        prop_assert_eq!(&written, &written_form_of_client(&json));
        prop_assert!(violations(client_schema, &written).is_empty());
        let again: Client = clerk_models::from_value(written).unwrap();
        prop_assert_eq!(again, client);
    }

    #[test]
    fn lists_decode_in_both_forms(sessions in prop::collection::vec(session_json(), 0..4), total in any::<u64>(), paged in any::<bool>()) {
        let json = if paged { json!({"data": sessions, "total_count": total}) } else { json!(sessions) };
        let list: SessionList = clerk_models::from_str(&json.to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(list.len(), sessions.len());
        prop_assert_eq!(list.total_count, if paged { total } else { sessions.len() as u64 });
        let again: SessionList = clerk_models::from_value(serde_json::to_value(&list).unwrap()).unwrap();
        prop_assert_eq!(again, list);
    }

    #[test]
    fn unknown_statuses_decode_keep_their_text_and_round_trip(
        json in session_json(),
        status in text().prop_filter("unknown", |s| !SessionStatus::VALUES.contains(&s.as_str())),
    ) {
        let mut json = json;
        json["status"] = json!(status);
        let session: Session = clerk_models::from_str(&json.to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(!session.status.is_known());
        prop_assert_eq!(session.status.as_str(), status.as_str());
        let written = serde_json::to_value(&session).unwrap();
        prop_assert_eq!(&written, &written_form_of_session(&json));
        // Outside the schema's enum, and nowhere else.
        let (session_schema, _) = validators();
        let bad = violations(session_schema, &written);
        prop_assert!(bad.len() == 1 && bad[0].starts_with("/status:"), "{:?}", bad);
        let again: Session = clerk_models::from_value(written).unwrap();
        prop_assert_eq!(again, session);
    }

    #[test]
    fn unknown_keys_are_ignored(json in session_json(), extra in prop::collection::btree_map("x_[a-z]{1,8}", any_json(), 1..4)) {
        let plain: Session = clerk_models::from_value(json.clone()).unwrap();
        let mut with_extra = json;
        for (k, v) in extra {
            with_extra[k] = v;
        }
        let decoded: Session = clerk_models::from_value(with_extra).unwrap();
        prop_assert_eq!(decoded, plain);
    }

    #[test]
    fn breaking_a_required_or_type_rule_fails_at_that_field(
        json in session_json(),
        pick in any::<prop::sample::Index>(),
        how in 0_usize..6,
    ) {
        let required = strict_required("Session");
        let (field, ty) = pick.get(&required).clone();
        let mut broken = json;
        let wrong = match (how, ty.as_str()) {
            (0, _) => None,
            (1, _) => Some(Value::Null),
            (2, "integer") => Some(json!("1716883200000")),
            (3, "integer") => Some(json!(1.5)),
            (2 | 3, _) => Some(json!(17)),
            (4, _) => Some(json!([])),
            _ => Some(json!({})),
        };
        match &wrong {
            None => { broken.as_object_mut().unwrap().remove(&field); }
            Some(value) => broken[&field] = value.clone(),
        }
        let (session_schema, _) = validators();
        prop_assert!(!violations(session_schema, &broken).is_empty(), "the mutation must break the schema");
        let err = clerk_models::from_str::<Session>(&broken.to_string()).expect_err("must not decode");
        match wrong {
            None => {
                prop_assert_eq!(err.pointer(), "");
                prop_assert!(err.to_string().starts_with(&format!("missing field `{field}`")), "{}", err);
            }
            Some(_) => prop_assert_eq!(err.pointer(), format!("/{field}"), "{}", err),
        }
    }

    #[test]
    fn a_broken_session_inside_a_client_is_named_by_index(
        client in client_json().prop_filter("has sessions", |c| !c["sessions"].as_array().unwrap().is_empty()),
        pick in any::<prop::sample::Index>(),
        which in any::<prop::sample::Index>(),
    ) {
        let required = strict_required("Session");
        let (field, _) = pick.get(&required).clone();
        let count = client["sessions"].as_array().unwrap().len();
        let index = which.index(count);
        let mut broken = client;
        broken["sessions"][index][&field] = Value::Null;
        let err = clerk_models::from_str::<Client>(&broken.to_string()).expect_err("must not decode");
        prop_assert_eq!(err.pointer(), format!("/sessions/{index}/{field}"), "{}", err);
        prop_assert_eq!(err.path(), format!("sessions[{index}].{field}"));
    }
}

fn at(ms: i64, nanos: u32) -> Option<SystemTime> {
    let offset = Duration::from_millis(ms.unsigned_abs());
    let t = if ms >= 0 {
        UNIX_EPOCH.checked_add(offset)
    } else {
        UNIX_EPOCH.checked_sub(offset)
    }?;
    t.checked_add(Duration::from_nanos(u64::from(nanos)))
}

proptest! {
    #![proptest_config(Config { cases: FAIL_CLOSED_CASES, failure_persistence: None, ..Config::default() })]

    /// Only `active`, strictly before both deadlines, is ever active; the effective status
    /// agrees, and is never `active` otherwise. Sessions come from the crate's own strategy
    /// (`any::<Session>()`: unknown statuses, edge timestamps), the deadlines half of the
    /// time from the same timestamp generator as `now`.
    #[test]
    fn the_lifecycle_fails_closed(
        generated in any::<Session>(),
        status in status_text(),
        use_text in any::<bool>(),
        now_ms in millis(),
        nanos in 0_u32..1_000_000,
    ) {
        let status = if use_text { status } else { generated.status.as_str().to_owned() };
        let (expire, abandon) = (generated.expire_at, generated.abandon_at);
        let Some(now) = at(now_ms, nanos) else { return Ok(()) };
        let mut s = generated;
        s.status = SessionStatus::from(status.as_str());
        let now_ns = i128::from(now_ms) * 1_000_000 + i128::from(nanos);
        let before_expire = now_ns < i128::from(expire) * 1_000_000;
        let before_abandon = now_ns < i128::from(abandon) * 1_000_000;
        let oracle = status == "active" && before_expire && before_abandon;
        prop_assert_eq!(s.is_active_at(now), oracle);

        let effective = s.effective_status_at(now);
        prop_assert_eq!(effective.is_active(), oracle);
        let reported = SessionStatus::from(status.as_str());
        let expected = if reported.is_terminal() || !reported.is_known() {
            reported
        } else if !before_expire && (before_abandon || expire <= abandon) {
            SessionStatus::Expired
        } else if !before_abandon {
            SessionStatus::Abandoned
        } else {
            reported
        };
        prop_assert_eq!(effective, &expected);
    }
}
