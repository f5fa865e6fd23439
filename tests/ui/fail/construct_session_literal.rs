// Models are #[non_exhaustive] (Clerk adds fields): build them by decoding, not by literal.
fn main() {
    let _ = clerk_models::SessionTask { key: clerk_models::TaskKey::SetupMfa };
}
