use clerk_models::UnknownValue;

#[derive(clerk_models::StringEnum)]
enum Plan {
    Free,
    #[clerk(other)]
    Unknown(UnknownValue),
    #[clerk(other)]
    Legacy(UnknownValue),
}

fn main() {}
