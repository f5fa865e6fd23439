#[derive(clerk_models::Timestamps)]
struct Invitation {
    #[clerk(timestmp)]
    expires_at: i64,
}

fn main() {}
