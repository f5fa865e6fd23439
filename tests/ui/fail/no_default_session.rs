// No Default can produce a session, active or not: a session comes from Clerk's JSON only.
fn main() {
    let _ = clerk_models::Session::default();
    let _ = clerk_models::SessionStatus::default();
}
