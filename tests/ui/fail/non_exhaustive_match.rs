// SessionStatus is #[non_exhaustive]: a match without a wildcard must not compile, or a
// status Clerk adds later would break dependents.
use clerk_models::SessionStatus;

fn main() {
    let status = SessionStatus::Active;
    match status {
        SessionStatus::Active => {}
        SessionStatus::Revoked => {}
        SessionStatus::Ended => {}
        SessionStatus::Expired => {}
        SessionStatus::Removed => {}
        SessionStatus::Abandoned => {}
        SessionStatus::Replaced => {}
        SessionStatus::Pending => {}
        SessionStatus::Unknown(_) => {}
    }
}
