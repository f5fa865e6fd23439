//! Hand-written decoding cases for what no public payload shows.

use clerk_models::{
    Client, ClientList, PaginatedList, Session, SessionActivity, SessionList, SessionObject,
    SessionStatus,
};
use clerk_models_tests::{client_json, session_json, strict_validator, violations};
use serde_json::{Value, json};

fn session_with(key: &str, value: Value) -> Value {
    let mut session = session_json();
    session[key] = value;
    session
}

fn decode_session(json: &Value) -> Result<Session, clerk_models::Error> {
    clerk_models::from_str(&json.to_string())
}

fn required_fields(def: &str) -> Vec<String> {
    clerk_models_tests::schema_defs()[def]["required"]
        .as_array()
        .expect("a required list")
        .iter()
        .map(|v| v.as_str().expect("a field name").to_owned())
        .collect()
}

#[test]
fn a_full_session_decodes_every_field() {
    let session = decode_session(&session_json()).unwrap();
    assert_eq!(session.object, SessionObject::Session);
    assert_eq!(session.id, "sess_2g7np7Hrk0SN6kj5EDMLDaKNL0S");
    assert_eq!(session.status, SessionStatus::Active);
    assert_eq!(session.expire_at, 1_716_969_600_000);
    assert_eq!(session.abandon_at, 1_719_475_200_000);
    let activity: &SessionActivity = session.latest_activity.as_ref().unwrap();
    assert_eq!(activity.city.as_deref(), Some("San Francisco"));
    assert!(!activity.is_mobile);
    assert!(session.actor.is_none() && session.tasks.is_none());
}

#[test]
fn a_non_null_actor_keeps_every_claim() {
    let actor = json!({"sub": "user_admin", "iss": "https://dashboard.clerk.com", "sid": "sess_admin", "extra": {"n": 1}});
    let session = decode_session(&session_with("actor", actor.clone())).unwrap();
    assert_eq!(Value::Object(session.actor.clone().unwrap()), actor);
    let written = serde_json::to_value(&session).unwrap();
    assert_eq!(written["actor"], actor);
}

#[test]
fn tasks_decode_and_round_trip() {
    let tasks = json!([{"key": "choose-organization"}, {"key": "some-future-task"}]);
    let session = decode_session(&session_with("tasks", tasks.clone())).unwrap();
    let keys: Vec<&str> = session
        .tasks
        .iter()
        .flatten()
        .map(|t| t.key.as_str())
        .collect();
    assert_eq!(keys, ["choose-organization", "some-future-task"]);
    assert_eq!(serde_json::to_value(&session).unwrap()["tasks"], tasks);
    assert!(
        decode_session(&session_with("tasks", Value::Null))
            .unwrap()
            .tasks
            .is_none()
    );
}

#[test]
fn task_keys_are_an_open_enum_and_unknown_keys_round_trip_byte_for_byte() {
    use clerk_models::{SessionTask, TaskKey};
    assert_eq!(
        TaskKey::VALUES,
        ["choose-organization", "reset-password", "setup-mfa"],
        "the schema's known values"
    );
    let known: SessionTask = clerk_models::from_str(r#"{"key":"setup-mfa"}"#).unwrap();
    assert_eq!(known.key, TaskKey::SetupMfa);
    for text in ["accept-terms", "Setup-MFA", "", "ünïcødé \"quoted\" \\ key"] {
        let json = format!(r#"{{"key":{}}}"#, serde_json::to_string(text).unwrap());
        let task: SessionTask = clerk_models::from_str(&json).unwrap();
        let TaskKey::Unknown(value) = &task.key else {
            panic!("{text:?} decoded as a known key: {:?}", task.key);
        };
        assert_eq!(value.as_str(), text);
        assert_eq!(
            serde_json::to_string(&task).unwrap(),
            json,
            "not byte for byte"
        );
    }
    let err = clerk_models::from_str::<SessionTask>(r#"{"key":7}"#).unwrap_err();
    assert_eq!(err.path(), "key");
}

/// Task keys are Clerk's vocabulary: they live in `schemas/` and reach Rust through the
/// generated folder only, never through hand-written code.
#[test]
fn no_hand_written_source_names_a_task_key() {
    let src = clerk_models_tests::workspace_root().join("crates/clerk-models/src");
    let mut checked = 0;
    // Every file under src/, submodules' folders included.
    let generated = src.join("generated");
    let mut dirs = vec![src];
    let mut files = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path == generated {
                continue;
            }
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(
        files.iter().any(|f| f.ends_with("claims/masks.rs")),
        "{files:?}"
    );
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for key in clerk_models::TaskKey::VALUES {
            assert!(
                !text.contains(key),
                "{} names the task key {key:?}; it belongs in schemas/",
                path.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} files read");
}

#[test]
fn every_known_status_decodes_to_its_variant_and_back() {
    assert_eq!(SessionStatus::KNOWN.len(), 8, "the schema lists 8 statuses");
    for status in SessionStatus::KNOWN {
        assert!(status.is_known());
        let session = decode_session(&session_with("status", json!(status.as_str()))).unwrap();
        assert_eq!(&session.status, status);
        assert_eq!(
            serde_json::to_value(&session).unwrap()["status"],
            status.as_str()
        );
        assert_eq!(status.to_string(), status.as_str());
        assert_eq!(&status.as_str().parse::<SessionStatus>().unwrap(), status);
    }
}

#[test]
fn an_unknown_status_keeps_its_text_byte_for_byte() {
    for text in ["suspended", "Active", "", "ünïcødé \"quoted\" \\ status"] {
        let session = decode_session(&session_with("status", json!(text))).unwrap();
        let SessionStatus::Unknown(value) = &session.status else {
            panic!("{text:?} decoded as a known status: {:?}", session.status);
        };
        assert_eq!(value.as_str(), text);
        assert!(!session.status.is_known());
        assert_eq!(session.status.as_str(), text);
        let written = serde_json::to_string(&session).unwrap();
        assert!(
            written.contains(&serde_json::to_string(text).unwrap()),
            "{written}"
        );
        let again: Session = clerk_models::from_str(&written).unwrap();
        assert_eq!(again, session);
    }
}

#[test]
fn an_unknown_object_discriminator_is_refused_at_its_key() {
    let err = decode_session(&session_with("object", json!("user"))).unwrap_err();
    assert_eq!(err.path(), "object");
    assert!(
        err.to_string()
            .contains("unknown variant `user`, expected `session`"),
        "{err}"
    );

    let mut client = client_json(vec![]);
    client["object"] = json!("session");
    let err = clerk_models::from_str::<Client>(&client.to_string()).unwrap_err();
    assert_eq!(err.path(), "object");
    assert!(err.to_string().contains("expected `client`"), "{err}");
}

#[test]
fn null_in_each_required_non_nullable_session_field_is_an_error_at_that_field() {
    for field in required_fields("Session") {
        let err = decode_session(&session_with(&field, Value::Null)).unwrap_err();
        assert_eq!(err.path(), field, "{err}");
        assert!(
            err.to_string().contains("invalid type: null"),
            "{field}: {err}"
        );
    }
}

#[test]
fn each_missing_required_session_field_is_named() {
    for field in required_fields("Session") {
        let mut session = session_json();
        session.as_object_mut().unwrap().remove(&field);
        let err = decode_session(&session).unwrap_err();
        assert_eq!(err.pointer(), "", "{err}");
        assert!(
            err.to_string()
                .starts_with(&format!("missing field `{field}`")),
            "{err}"
        );
    }
}

#[test]
fn required_nullable_client_fields_accept_null_and_absence_and_are_written_as_null() {
    let nullable = [
        "sign_in_id",
        "sign_up_id",
        "last_active_session_id",
        "last_authentication_strategy",
    ];
    let mut client = client_json(vec![]);
    for key in nullable {
        client.as_object_mut().unwrap().remove(key);
    }
    let decoded: Client = clerk_models::from_str(&client.to_string()).unwrap();
    assert!(decoded.sign_in_id.is_none() && decoded.last_authentication_strategy.is_none());
    let written = serde_json::to_value(&decoded).unwrap();
    for key in nullable {
        assert_eq!(
            written.get(key),
            Some(&Value::Null),
            "{key} must be written as null"
        );
    }
    assert!(violations(&strict_validator("Client"), &written).is_empty());
}

#[test]
fn nullable_session_fields_accept_null_and_absence() {
    for key in [
        "actor",
        "last_active_organization_id",
        "latest_activity",
        "tasks",
    ] {
        let null = decode_session(&session_with(key, Value::Null)).unwrap();
        let mut absent = session_json();
        absent.as_object_mut().unwrap().remove(key);
        let absent = decode_session(&absent).unwrap();
        assert_eq!(null, absent, "{key}: null and absent must decode alike");
    }
}

#[test]
fn wrong_types_are_errors_at_the_field() {
    let cases = [
        ("status", json!(5), "expected a `SessionStatus` string"),
        ("expire_at", json!("1716969600000"), "expected i64"),
        ("expire_at", json!(1.5), "expected i64"),
        (
            "expire_at",
            json!(9_223_372_036_854_775_808_u64),
            "expected i64",
        ),
        ("actor", json!("user_admin"), "expected a map"),
        ("tasks", json!({"key": "x"}), "expected a sequence"),
        ("id", json!(["sess"]), "expected a string"),
        ("latest_activity", json!([]), ""),
    ];
    for (key, value, message) in cases {
        let err = decode_session(&session_with(key, value.clone())).unwrap_err();
        assert_eq!(err.path(), key, "{key} = {value}: {err}");
        assert!(err.to_string().contains(message), "{key} = {value}: {err}");
        assert!(err.line() > 0 && err.column() > 0);
    }
    let err = decode_session(&session_with("tasks", json!([{"key": 7}]))).unwrap_err();
    assert_eq!(err.path(), "tasks[0].key");
    let err = decode_session(&session_with(
        "latest_activity",
        json!({"object": "session_activity", "id": "a"}),
    ))
    .unwrap_err();
    assert_eq!(err.path(), "latest_activity");
    assert!(
        err.to_string().contains("missing field `is_mobile`"),
        "{err}"
    );
}

#[test]
fn timestamps_are_kept_as_sent() {
    // 10-digit values (seconds, in 2021 test data) are not rescaled: the wire unit is ms.
    for value in [
        1_610_706_634_i64,
        -1,
        0,
        i64::MIN,
        i64::MAX,
        1_746_645_421_127,
    ] {
        let session = decode_session(&session_with("expire_at", json!(value))).unwrap();
        assert_eq!(session.expire_at, value);
        assert_eq!(serde_json::to_value(&session).unwrap()["expire_at"], value);
    }
}

#[test]
fn unknown_keys_are_ignored_everywhere() {
    let mut session = session_with("user", json!({"object": "user", "id": "user_1"}));
    session["latest_activity"]["new_field"] = json!(true);
    let decoded = decode_session(&session).unwrap();
    let written = serde_json::to_value(&decoded).unwrap();
    assert!(written.get("user").is_none());
    assert!(violations(&strict_validator("Session"), &written).is_empty());
}

#[test]
fn a_client_with_several_sessions_reports_the_failing_index() {
    let sessions: Vec<Value> = (0..3)
        .map(|i| {
            let mut s = session_json();
            s["id"] = json!(format!("sess_{i}"));
            s
        })
        .collect();
    let client: Client =
        clerk_models::from_str(&client_json(sessions.clone()).to_string()).unwrap();
    assert_eq!(client.sessions.len(), 3);
    assert_eq!(client.session_ids, ["sess_0", "sess_1", "sess_2"]);
    assert_eq!(
        client.last_authentication_strategy.as_deref(),
        Some("email_code")
    );

    let mut broken = sessions;
    broken[2]["expire_at"] = Value::Null;
    let text = client_json(broken).to_string();
    let err = clerk_models::from_str::<Client>(&text).unwrap_err();
    assert_eq!(err.path(), "sessions[2].expire_at");
    assert_eq!(err.pointer(), "/sessions/2/expire_at");
    assert_eq!(
        err.to_string(),
        format!(
            "sessions[2].expire_at: invalid type: null, expected i64 at line 1 column {}",
            err.column()
        )
    );
    // The column points just past the offending `null`.
    let at = text.find(r#""expire_at":null"#).unwrap() + r#""expire_at":null"#.len();
    let third = text.match_indices(r#""expire_at":null"#).count();
    assert_eq!(third, 1);
    assert_eq!(err.column(), at);
}

#[test]
fn both_list_forms_decode() {
    let sessions = json!([session_json(), session_with("status", json!("revoked"))]);
    let bare: SessionList = clerk_models::from_str(&sessions.to_string()).unwrap();
    assert_eq!((bare.len(), bare.total_count), (2, 2));
    assert_eq!(bare.data[1].status, SessionStatus::Revoked);

    let page = json!({"data": sessions, "total_count": 40, "next": "ignored"});
    let paged: SessionList = clerk_models::from_str(&page.to_string()).unwrap();
    assert_eq!((paged.len(), paged.total_count), (2, 40));
    assert_eq!(paged.data, bare.data);

    let written = serde_json::to_value(&paged).unwrap();
    assert_eq!(written["total_count"], 40);
    let again: SessionList = clerk_models::from_value(written).unwrap();
    assert_eq!(again, paged);

    let clients: ClientList =
        clerk_models::from_str(&json!([client_json(vec![])]).to_string()).unwrap();
    assert_eq!(clients.iter().count(), 1);
    let empty: PaginatedList<Session> = clerk_models::from_str("[]").unwrap();
    assert!(empty.is_empty());
}

#[test]
fn malformed_lists_are_errors_with_a_path() {
    let cases = [
        (json!({"data": []}), "", "missing field `total_count`"),
        (json!({"total_count": 1}), "", "missing field `data`"),
        (
            json!({"data": {}, "total_count": 1}),
            "data",
            "expected a sequence",
        ),
        (
            json!({"data": [], "total_count": -1}),
            "total_count",
            "invalid value",
        ),
        (
            json!({"data": [{"id": "sess"}], "total_count": 1}),
            "data[0]",
            "missing field `object`",
        ),
        (
            json!([session_json(), 3]),
            "[1]",
            "invalid type: integer `3`",
        ),
        (json!("sessions"), "", "an array, or an object"),
    ];
    for (input, path, message) in cases {
        let err = clerk_models::from_str::<SessionList>(&input.to_string()).unwrap_err();
        assert_eq!(err.path(), path, "{input}: {err}");
        assert!(err.to_string().contains(message), "{input}: {err}");
    }
    let dup = r#"{"data": [], "data": [], "total_count": 0}"#;
    let err = clerk_models::from_str::<SessionList>(dup).unwrap_err();
    assert!(err.to_string().contains("duplicate field `data`"), "{err}");
}

#[test]
fn syntax_errors_and_trailing_garbage_are_errors() {
    let text = session_json().to_string();
    let err = clerk_models::from_str::<Session>(&text[..text.len() / 2]).unwrap_err();
    assert_eq!(err.classify(), serde_json::error::Category::Eof);
    let err = clerk_models::from_str::<Session>(&format!("{text} x")).unwrap_err();
    assert_eq!(err.classify(), serde_json::error::Category::Syntax);
    assert!(err.to_string().contains("trailing characters"), "{err}");
    let err = clerk_models::from_slice::<Session>(b"{\"id\": \"\xff\"}").unwrap_err();
    assert!(err.to_string().contains("invalid unicode"), "{err}");
}

#[test]
fn from_slice_and_from_value_agree_with_from_str() {
    let text = session_json().to_string();
    let a: Session = clerk_models::from_str(&text).unwrap();
    let b: Session = clerk_models::from_slice(text.as_bytes()).unwrap();
    let c: Session = clerk_models::from_value(session_json()).unwrap();
    let d: Session = serde_json::from_str(&text).unwrap();
    assert!(a == b && b == c && c == d);
    let err = clerk_models::from_value::<Session>(session_with("status", json!(1))).unwrap_err();
    assert_eq!((err.path(), err.line()), ("status", 0));
}

#[test]
fn the_strict_validator_is_live() {
    // Guards the conformance checks above: a violation must be seen.
    let validator = strict_validator("Session");
    assert!(violations(&validator, &session_json()).is_empty());
    assert!(!violations(&validator, &session_with("user", json!({}))).is_empty());
    assert!(!violations(&validator, &session_with("status", json!("suspended"))).is_empty());
    let mut missing = session_json();
    missing.as_object_mut().unwrap().remove("created_at");
    assert!(!violations(&validator, &missing).is_empty());
}
