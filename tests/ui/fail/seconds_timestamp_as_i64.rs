// A seconds timestamp's accessor gives a typed instant too, not a number of seconds to mix
// up with milliseconds.
fn expiry_secs(claims: &clerk_models::SessionClaims) -> i64 {
    claims.exp_system_time()
}

fn main() {}
