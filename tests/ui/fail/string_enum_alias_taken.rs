use clerk_models::UnknownValue;

// An alias is another spelling of one variant: it cannot be another variant's text, repeat
// its own text, or sit on the catch-all, which has no text.
#[derive(clerk_models::StringEnum)]
enum Plan {
    #[clerk(rename = "pro-monthly", alias = "free")]
    ProMonthly,
    Free,
    #[clerk(rename = "team", alias = "team")]
    Team,
    #[clerk(alias = "pro-monthly")]
    Enterprise,
    #[clerk(other, alias = "legacy")]
    Unknown(UnknownValue),
}

fn main() {}
