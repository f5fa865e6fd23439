// A webhook handler decodes the session and lets the user in only if it is active now.
use std::time::SystemTime;

fn handle(body: &str) -> Result<&'static str, clerk_models::Error> {
    let session: clerk_models::Session = clerk_models::from_str(body)?;
    Ok(if session.is_active_at(SystemTime::now()) { "let in" } else { "sign in again" })
}

fn main() {
    let body = r#"{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1",
        "status":"active","last_active_at":1,"expire_at":9000000000000,"abandon_at":9000000000000,
        "updated_at":1,"created_at":1,"user":{"id":"user_1"}}"#;
    assert_eq!(handle(body).unwrap(), "let in");
    let err = handle(r#"{"object":"session"}"#).unwrap_err();
    assert!(err.to_string().starts_with("missing field `id`"));
}
