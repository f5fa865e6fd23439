// Every mistake of one input is reported in one compile, each at its own token.
#[derive(clerk_models::Timestamps)]
struct Invitation {
    #[clerk(timestamp, timestamp)]
    expires_at: i64,
    #[clerk(timestamp)]
    accepted_at: String,
}

fn main() {}
