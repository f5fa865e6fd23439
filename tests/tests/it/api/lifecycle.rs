//! The session lifecycle and client helpers at their edges.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_models::{Client, Inconsistency, Session, SessionStatus, TaskKey};
use clerk_models_tests::{client_json, session_json};
use serde_json::{Value, json};

const EXPIRE: i64 = 1_716_969_600_000;
const ABANDON: i64 = 1_719_475_200_000;
const LAST_ACTIVE: i64 = 1_716_883_200_000;

fn at(ms: i64) -> SystemTime {
    let offset = Duration::from_millis(ms.unsigned_abs());
    if ms >= 0 {
        UNIX_EPOCH + offset
    } else {
        UNIX_EPOCH - offset
    }
}

fn session(status: &str, expire_at: i64, abandon_at: i64) -> Session {
    let mut json = session_json();
    json["status"] = json!(status);
    json["expire_at"] = json!(expire_at);
    json["abandon_at"] = json!(abandon_at);
    clerk_models::from_value(json).unwrap()
}

#[test]
fn active_exactly_until_expire_at() {
    let s = session("active", EXPIRE, ABANDON);
    assert!(s.is_active_at(at(EXPIRE - 1)));
    assert!(!s.is_active_at(at(EXPIRE)));
    assert!(!s.is_active_at(at(EXPIRE + 1)));
    // Sub-millisecond precision: half a millisecond before is still before.
    assert!(s.is_active_at(at(EXPIRE) - Duration::from_micros(500)));
    assert!(!s.is_active_at(at(EXPIRE) + Duration::from_nanos(1)));
}

#[test]
fn active_exactly_until_abandon_at_when_it_comes_first() {
    let s = session("active", ABANDON, EXPIRE);
    assert!(s.is_active_at(at(EXPIRE - 1)));
    assert!(!s.is_active_at(at(EXPIRE)));
    assert_eq!(s.effective_status_at(at(EXPIRE)), &SessionStatus::Abandoned);
    assert_eq!(
        s.effective_status_at(at(ABANDON)),
        &SessionStatus::Abandoned
    );
}

#[test]
fn only_active_is_ever_active() {
    let mut statuses: Vec<SessionStatus> = SessionStatus::KNOWN.to_vec();
    statuses.push(SessionStatus::from("suspended"));
    statuses.push(SessionStatus::from("ACTIVE"));
    for status in statuses {
        let s = session(status.as_str(), EXPIRE, ABANDON);
        let now = at(EXPIRE - 1);
        assert_eq!(
            s.is_active_at(now),
            status == SessionStatus::Active,
            "{status}"
        );
        assert_eq!(
            s.effective_status_at(now).is_active(),
            s.is_active_at(now),
            "{status}"
        );
    }
}

#[test]
fn terminal_and_unknown_statuses_stay_as_reported() {
    for status in SessionStatus::KNOWN.iter().filter(|s| s.is_terminal()) {
        let s = session(status.as_str(), EXPIRE, ABANDON);
        assert_eq!(s.effective_status_at(at(ABANDON + 1)), status);
    }
    assert_eq!(
        SessionStatus::KNOWN
            .iter()
            .filter(|s| s.is_terminal())
            .count(),
        6,
        "revoked, ended, expired, removed, abandoned, replaced"
    );
    assert!(!SessionStatus::Active.is_terminal() && !SessionStatus::Pending.is_terminal());
    let s = session("suspended", EXPIRE, ABANDON);
    assert_eq!(s.effective_status_at(at(ABANDON + 1)).as_str(), "suspended");
}

#[test]
fn pending_becomes_expired_but_never_active() {
    let s = session("pending", EXPIRE, ABANDON);
    assert_eq!(
        s.effective_status_at(at(EXPIRE - 1)),
        &SessionStatus::Pending
    );
    assert_eq!(s.effective_status_at(at(EXPIRE)), &SessionStatus::Expired);
    assert!(!s.is_active_at(at(EXPIRE - 1)));
}

#[test]
fn both_deadlines_passed_reports_the_earlier() {
    let s = session("active", EXPIRE, ABANDON);
    assert_eq!(
        s.effective_status_at(at(ABANDON + 1)),
        &SessionStatus::Expired
    );
    let same = session("active", EXPIRE, EXPIRE);
    assert_eq!(
        same.effective_status_at(at(EXPIRE)),
        &SessionStatus::Expired
    );
}

#[test]
fn extreme_timestamps_never_panic() {
    let extremes = [i64::MIN, i64::MIN + 1, -1, 0, 1, i64::MAX - 1, i64::MAX];
    let nows = [UNIX_EPOCH, at(EXPIRE), SystemTime::now()];
    for &expire in &extremes {
        for &abandon in &extremes {
            let s = session("active", expire, abandon);
            for &now in &nows {
                let active = s.is_active_at(now);
                let _ = s.effective_status_at(now);
                let _ = s.time_until_expiry_at(now);
                let _ = s.time_until_abandon_at(now);
                let _ = s.idle_time_at(now);
                let _ = s.expire_at_system_time();
                if expire == i64::MIN || abandon == i64::MIN {
                    assert!(!active, "a deadline in the far past is never active");
                }
            }
        }
    }
    let far = session("active", i64::MAX, i64::MAX);
    assert!(far.is_active_at(SystemTime::now()));
    // 292 million years do not fit a Duration's u64 seconds? They do: check the value.
    let left = far.time_until_expiry_at(UNIX_EPOCH).unwrap();
    assert_eq!(left.as_millis(), u128::try_from(i64::MAX).unwrap());
}

#[test]
fn durations_until_deadlines_and_idle_time() {
    let s = session("active", EXPIRE, ABANDON);
    assert_eq!(
        s.time_until_expiry_at(at(EXPIRE - 1)),
        Some(Duration::from_millis(1))
    );
    assert_eq!(s.time_until_expiry_at(at(EXPIRE)), None);
    assert_eq!(s.time_until_expiry_at(at(EXPIRE + 1)), None);
    assert_eq!(
        s.time_until_abandon_at(at(EXPIRE)),
        Some(Duration::from_millis(
            u64::try_from(ABANDON - EXPIRE).unwrap()
        ))
    );
    assert_eq!(s.idle_time_at(at(LAST_ACTIVE)), Some(Duration::ZERO));
    assert_eq!(
        s.idle_time_at(at(LAST_ACTIVE + 1_500)),
        Some(Duration::from_millis(1_500))
    );
    assert_eq!(
        s.idle_time_at(at(LAST_ACTIVE - 1)),
        None,
        "last activity in the future"
    );
}

#[test]
fn timestamp_accessors_convert_the_raw_fields() {
    let s = session("active", EXPIRE, ABANDON);
    assert_eq!(s.expire_at_system_time(), Some(at(EXPIRE)));
    assert_eq!(s.abandon_at_system_time(), Some(at(ABANDON)));
    assert_eq!(s.last_active_at_system_time(), Some(at(LAST_ACTIVE)));
    assert_eq!(s.created_at_system_time(), Some(at(s.created_at)));
    assert_eq!(s.updated_at_system_time(), Some(at(s.updated_at)));
    let client: Client = clerk_models::from_value(client_json(vec![])).unwrap();
    assert_eq!(client.created_at_system_time(), Some(at(client.created_at)));
    assert_eq!(client.updated_at_system_time(), Some(at(client.updated_at)));
    let negative = session("active", -1_500, ABANDON);
    assert_eq!(
        negative.expire_at_system_time(),
        Some(UNIX_EPOCH - Duration::from_millis(1_500))
    );
}

#[cfg(feature = "chrono")]
#[test]
fn chrono_accessors() {
    let s = session("active", EXPIRE, i64::MAX);
    let expire = s.expire_at_chrono().unwrap();
    assert_eq!(expire.timestamp_millis(), EXPIRE);
    assert_eq!(expire.to_rfc3339(), "2024-05-29T08:00:00+00:00");
    assert_eq!(s.abandon_at_chrono(), None, "out of chrono's range");
}

#[cfg(feature = "time")]
#[test]
fn time_accessors() {
    let s = session("active", EXPIRE, i64::MIN);
    let expire = s.expire_at_offset_date_time().unwrap();
    assert_eq!(
        expire.unix_timestamp_nanos(),
        i128::from(EXPIRE) * 1_000_000
    );
    assert_eq!(expire.offset(), time::UtcOffset::UTC);
    assert_eq!(s.abandon_at_offset_date_time(), None, "out of time's range");
}

#[cfg(feature = "jiff")]
#[test]
fn jiff_accessors() {
    let s = session("active", EXPIRE, i64::MAX);
    let expire = s.expire_at_jiff().unwrap();
    assert_eq!(expire.as_millisecond(), EXPIRE);
    assert_eq!(expire.to_string(), "2024-05-29T08:00:00Z");
    assert_eq!(s.abandon_at_jiff(), None, "out of jiff's range");
}

#[test]
fn an_impersonated_session_exposes_typed_claims() {
    let mut json = session_json();
    json["actor"] = json!({"sub": "user_admin", "iss": "https://dashboard.clerk.com", "sid": "sess_admin", "scope": ["read"]});
    let s: Session = clerk_models::from_value(json).unwrap();
    assert!(s.is_impersonated());
    let actor = s.actor().unwrap();
    assert_eq!(actor.sub(), Some("user_admin"));
    assert_eq!(actor.iss(), Some("https://dashboard.clerk.com"));
    assert_eq!(actor.sid(), Some("sess_admin"));
    assert_eq!(actor.get("scope"), Some(&json!(["read"])));
    assert_eq!(actor.claims().len(), 4);

    let mut odd = session_json();
    odd["actor"] = json!({"sub": 42});
    let odd: Session = clerk_models::from_value(odd).unwrap();
    assert!(odd.is_impersonated(), "any actor object counts");
    assert_eq!(odd.actor().unwrap().sub(), None);

    let plain: Session = clerk_models::from_value(session_json()).unwrap();
    assert!(!plain.is_impersonated() && plain.actor().is_none());
}

#[test]
fn a_pending_session_lists_its_tasks() {
    let mut json = session_json();
    json["status"] = json!("pending");
    json["tasks"] = json!([
        {"key": "choose-organization"}, {"key": "reset-password"}, {"key": "setup-mfa"}, {"key": "accept-terms"}
    ]);
    let s: Session = clerk_models::from_value(json).unwrap();
    let tasks: Vec<&TaskKey> = s.pending_tasks().collect();
    assert_eq!(
        tasks[..3],
        [
            &TaskKey::ChooseOrganization,
            &TaskKey::ResetPassword,
            &TaskKey::SetupMfa
        ]
    );
    assert!(!tasks[3].is_known() && tasks[3].as_str() == "accept-terms");
    assert!(!s.is_active_at(at(EXPIRE - 1)));
    let none: Session = clerk_models::from_value(session_json()).unwrap();
    assert_eq!(none.pending_tasks().count(), 0);
}

fn sessions(ids: &[&str]) -> Vec<Value> {
    ids.iter()
        .map(|id| {
            let mut s = session_json();
            s["id"] = json!(id);
            s
        })
        .collect()
}

#[test]
fn client_helpers() {
    let mut json = client_json(sessions(&["sess_a", "sess_b"]));
    json["last_active_session_id"] = json!("sess_b");
    json["sessions"][0]["status"] = json!("ended");
    let client: Client = clerk_models::from_value(json).unwrap();
    assert_eq!(client.last_active_session().unwrap().id, "sess_b");
    let active: Vec<&str> = client
        .sessions_active_at(at(EXPIRE - 1))
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(active, ["sess_b"]);
    assert_eq!(client.sessions_active_at(at(EXPIRE)).count(), 0);
    assert!(client.inconsistencies().is_empty());
}

#[test]
fn a_client_whose_last_active_session_points_at_nothing() {
    let mut json = client_json(sessions(&["sess_a"]));
    json["last_active_session_id"] = json!("sess_gone");
    let client: Client = clerk_models::from_value(json).unwrap();
    assert!(client.last_active_session().is_none());
    assert_eq!(
        client.inconsistencies(),
        [Inconsistency::DanglingLastActiveSession {
            session_id: "sess_gone"
        }]
    );
    let mut none = client_json(vec![]);
    none["last_active_session_id"] = Value::Null;
    let none: Client = clerk_models::from_value(none).unwrap();
    assert!(none.last_active_session().is_none() && none.inconsistencies().is_empty());
}

#[test]
fn client_inconsistencies_are_all_reported() {
    let mut json = client_json(sessions(&["sess_a", "sess_b"]));
    json["session_ids"] = json!(["sess_a", "sess_missing"]);
    json["sessions"][0]["client_id"] = json!("client_other");
    let client: Client = clerk_models::from_value(json).unwrap();
    let found = client.inconsistencies();
    assert_eq!(
        found,
        [
            Inconsistency::MissingSession {
                session_id: "sess_missing"
            },
            Inconsistency::ForeignSession {
                session_id: "sess_a",
                client_id: "client_other"
            },
            Inconsistency::UnlistedSession {
                session_id: "sess_b"
            },
        ]
    );
    assert_eq!(
        found[1].to_string(),
        "session sess_a belongs to client client_other"
    );
}
