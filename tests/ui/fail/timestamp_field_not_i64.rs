#[derive(clerk_models::Timestamps)]
struct Invitation {
    #[clerk(timestamp)]
    expires_at: u64,
}

fn main() {}
