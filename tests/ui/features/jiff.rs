// With the `jiff` feature, each timestamp converts to jiff::Timestamp.
fn main() {
    let session: clerk_models::Session = clerk_models::from_str(
        r#"{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1",
        "status":"active","last_active_at":1716883200000,"expire_at":1716969600000,
        "abandon_at":1719475200000,"updated_at":1,"created_at":1}"#,
    )
    .unwrap();
    let expire: jiff::Timestamp = session.expire_at_jiff().unwrap();
    assert_eq!(expire.as_millisecond(), session.expire_at);
}
