// A Client's helpers: its live session, its active sessions, and consistency.
use std::time::{Duration, UNIX_EPOCH};

use clerk_models::{Client, Inconsistency};

fn main() {
    let client: Client = clerk_models::from_str(
        r#"{"object":"client","id":"client_1","session_ids":["sess_1","sess_2"],
        "sessions":[{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1",
        "status":"active","last_active_at":1,"expire_at":5000,"abandon_at":9000,"updated_at":1,"created_at":1}],
        "sign_in_id":null,"sign_up_id":null,"last_active_session_id":"sess_1",
        "last_authentication_strategy":"oauth_google","updated_at":1,"created_at":1}"#,
    )
    .unwrap();
    let live = client.last_active_session().expect("sess_1 is there");
    assert_eq!(live.user_id, "user_1");
    let now = UNIX_EPOCH + Duration::from_secs(1);
    assert_eq!(client.sessions_active_at(now).count(), 1);
    for problem in client.inconsistencies() {
        match problem {
            Inconsistency::MissingSession { session_id } => assert_eq!(session_id, "sess_2"),
            other => panic!("unexpected: {other}"),
        }
    }
}
