#[derive(clerk_models::Timestamps)]
struct Stamp(#[clerk(timestamp)] i64);

fn main() {}
