#[derive(clerk_models::Timestamps)]
union Stamp {
    millis: i64,
    seconds: i32,
}

fn main() {}
