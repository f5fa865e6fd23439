#[derive(clerk_models::StringEnum)]
enum Plan {
    #[clerk(rename = "free", rename = "gratis")]
    Free,
}

fn main() {}
