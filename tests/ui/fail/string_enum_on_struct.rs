#[derive(clerk_models::StringEnum)]
struct Plan {
    name: String,
}

fn main() {}
