// SessionStatus is #[non_exhaustive]: a dependent matches with a wildcard arm, so a status
// Clerk adds later is handled instead of breaking the build.
use clerk_models::SessionStatus;

fn describe(status: &SessionStatus) -> &'static str {
    match status {
        SessionStatus::Active => "active",
        SessionStatus::Pending => "pending",
        s if s.is_terminal() => "over",
        _ => "unknown",
    }
}

fn main() {
    assert_eq!(describe(&SessionStatus::Active), "active");
    assert_eq!(describe(&SessionStatus::Revoked), "over");
    assert_eq!(describe(&"suspended".parse().unwrap()), "unknown");
    if let SessionStatus::Unknown(text) = SessionStatus::from("suspended") {
        assert_eq!(text.as_str(), "suspended");
    }
}
