#[derive(clerk_models::Timestamps)]
enum Event {
    Created,
}

fn main() {}
