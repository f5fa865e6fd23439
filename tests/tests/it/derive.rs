//! The derives are public: they work on a user's own structs and enums.

use std::time::{Duration, UNIX_EPOCH};

use clerk_models::{ParseEnumError, StringEnum, Timestamps, UnknownValue};

#[derive(Debug, Clone, PartialEq, Eq, StringEnum)]
#[non_exhaustive]
enum Plan {
    Free,
    #[clerk(rename = "pro-monthly", group = "paid", group = "recurring")]
    ProMonthly,
    #[clerk(group = "paid")]
    Enterprise,
    HTTPOnly,
    #[clerk(other)]
    Other(UnknownValue),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, StringEnum)]
enum Kind {
    #[clerk(rename = "invitation")]
    Invitation,
}

#[derive(Timestamps)]
struct Invitation<T> {
    #[clerk(timestamp)]
    pub expires_at: i64,
    #[clerk(timestamp)]
    accepted_at: Option<i64>,
    #[allow(dead_code)]
    payload: T,
}

#[test]
fn string_enum_on_an_open_user_enum() {
    assert_eq!(
        Plan::VALUES,
        ["free", "pro-monthly", "enterprise", "http_only"]
    );
    assert_eq!(Plan::KNOWN.len(), 4);
    let plan = Plan::from("pro-monthly");
    assert!(plan.is_pro_monthly() && plan.is_paid() && plan.is_recurring() && plan.is_known());
    assert!(Plan::Enterprise.is_paid() && !Plan::Enterprise.is_recurring());
    assert!(!Plan::Free.is_paid());
    assert!(Plan::HTTPOnly.is_http_only());
    assert_eq!(Plan::HTTPOnly.as_str(), "http_only");

    let legacy: Plan = "legacy".parse().unwrap();
    assert!(!legacy.is_known() && !legacy.is_paid());
    assert_eq!(format!("[{legacy:>8}]"), "[  legacy]");
    assert_eq!(Plan::from(String::from("free")), Plan::Free);
    let err: ParseEnumError = Plan::try_parse("legacy").unwrap_err();
    assert_eq!(err.text(), "legacy");
    assert_eq!(err.expected(), Plan::VALUES);
    assert_eq!(Plan::try_parse("enterprise").unwrap(), Plan::Enterprise);

    let decoded: Vec<Plan> = serde_json::from_str(r#"["free", "legacy"]"#).unwrap();
    assert_eq!(
        serde_json::to_string(&decoded).unwrap(),
        r#"["free","legacy"]"#
    );
}

#[test]
fn string_enum_on_a_closed_user_enum() {
    assert_eq!(Kind::Invitation.as_str(), "invitation");
    assert!(Kind::Invitation.is_invitation() && Kind::Invitation.is_known());
    let err = "user".parse::<Kind>().unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"unknown Kind value "user", expected one of: "invitation""#
    );
    let err = serde_json::from_str::<Kind>(r#""user""#).unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown variant `user`, expected `invitation`"),
        "{err}"
    );
    let err = serde_json::from_str::<Kind>("null").unwrap_err();
    assert!(
        err.to_string().contains("expected a `Kind` string"),
        "{err}"
    );
}

#[test]
fn predicates_are_const() {
    const PAID: [bool; 2] = [Plan::Enterprise.is_paid(), Plan::Free.is_paid()];
    const TEXT: &str = Kind::Invitation.as_str();
    assert_eq!(PAID, [true, false]);
    assert_eq!(TEXT, "invitation");
}

#[test]
fn timestamps_on_a_generic_user_struct() {
    let invitation = Invitation {
        expires_at: 1_500,
        accepted_at: Some(-2_000),
        payload: (),
    };
    assert_eq!(
        invitation.expires_at_system_time(),
        Some(UNIX_EPOCH + Duration::from_millis(1_500))
    );
    assert_eq!(
        invitation.accepted_at_system_time(),
        Some(UNIX_EPOCH - Duration::from_secs(2))
    );
    let pending = Invitation {
        expires_at: i64::MIN,
        accepted_at: None,
        payload: "x",
    };
    assert_eq!(pending.accepted_at_system_time(), None);
    let _ = pending.expires_at_system_time(); // never panics
}
