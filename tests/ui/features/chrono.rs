// With the `chrono` feature, each timestamp converts to chrono::DateTime<Utc>.
fn main() {
    let session: clerk_models::Session = clerk_models::from_str(
        r#"{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1",
        "status":"active","last_active_at":1716883200000,"expire_at":1716969600000,
        "abandon_at":1719475200000,"updated_at":1,"created_at":1}"#,
    )
    .unwrap();
    let expire: chrono::DateTime<chrono::Utc> = session.expire_at_chrono().unwrap();
    assert_eq!(expire.timestamp_millis(), session.expire_at);
}
