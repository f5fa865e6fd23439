#[derive(clerk_models::StringEnum)]
enum Plan {
    Free,
    Custom(String),
}

fn main() {}
