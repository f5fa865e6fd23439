// A timestamp accessor gives a typed instant, never a raw number to mix up.
fn expiry_ms(session: &clerk_models::Session) -> i64 {
    session.expire_at_system_time()
}

fn main() {}
