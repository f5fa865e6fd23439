// Every timestamp field has a typed accessor next to it.
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn main() {
    let session: clerk_models::Session = clerk_models::from_str(
        r#"{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1",
        "status":"active","last_active_at":1000,"expire_at":2000,"abandon_at":3000,
        "updated_at":4000,"created_at":5000}"#,
    )
    .unwrap();
    let at = |ms: u64| Some(UNIX_EPOCH + Duration::from_millis(ms));
    let accessors: [Option<SystemTime>; 5] = [
        session.last_active_at_system_time(),
        session.expire_at_system_time(),
        session.abandon_at_system_time(),
        session.updated_at_system_time(),
        session.created_at_system_time(),
    ];
    assert_eq!(accessors, [at(1000), at(2000), at(3000), at(4000), at(5000)]);
    let raw: i64 = session.expire_at; // the raw field stays an i64
    assert_eq!(raw, 2000);
}
