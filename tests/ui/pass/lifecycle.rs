// The lifecycle helpers, with the time passed in.
use std::time::{Duration, UNIX_EPOCH};

use clerk_models::{SessionStatus, TaskKey};

fn main() {
    let session: clerk_models::Session = clerk_models::from_str(
        r#"{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1",
        "status":"pending","tasks":[{"key":"setup-mfa"}],"last_active_at":1000,
        "expire_at":5000,"abandon_at":9000,"updated_at":1,"created_at":1,
        "actor":{"sub":"user_admin"}}"#,
    )
    .unwrap();
    let now = UNIX_EPOCH + Duration::from_secs(2);
    assert!(!session.is_active_at(now));
    assert_eq!(session.effective_status_at(now), &SessionStatus::Pending);
    assert_eq!(session.time_until_expiry_at(now), Some(Duration::from_secs(3)));
    assert_eq!(session.idle_time_at(now), Some(Duration::from_secs(1)));
    assert!(session.pending_tasks().any(|t| *t == TaskKey::SetupMfa));
    assert_eq!(session.actor().and_then(|a| a.sub()), Some("user_admin"));
}
