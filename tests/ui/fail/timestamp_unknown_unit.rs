// A timestamp unit the derive does not know is an error on the value, naming the two it knows.
#[derive(clerk_models::Timestamps)]
struct Token {
    #[clerk(timestamp = "unix-us")]
    exp: i64,
}

fn main() {}
