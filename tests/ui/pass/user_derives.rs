// The derives are public: a dependent uses them on its own types.
use clerk_models::{StringEnum, Timestamps, UnknownValue};

#[derive(Debug, PartialEq, StringEnum)]
#[non_exhaustive]
enum Role {
    Admin,
    #[clerk(rename = "basic_member", group = "non_admin")]
    Member,
    #[clerk(group = "non_admin")]
    Guest,
    #[clerk(other)]
    Other(UnknownValue),
}

#[derive(Timestamps)]
struct Membership {
    #[clerk(timestamp)]
    created_at: i64,
    #[clerk(timestamp)]
    revoked_at: Option<i64>,
}

fn main() {
    let role: Role = serde_json::from_str(r#""basic_member""#).unwrap();
    assert!(role.is_member() && role.is_non_admin() && !role.is_admin());
    assert_eq!(Role::VALUES, ["admin", "basic_member", "guest"]);
    assert!(Role::try_parse("owner").is_err());
    assert!(!Role::from("owner").is_known());
    let membership = Membership { created_at: 0, revoked_at: None };
    assert_eq!(membership.created_at_system_time(), Some(std::time::UNIX_EPOCH));
    assert!(membership.revoked_at_system_time().is_none());
}
