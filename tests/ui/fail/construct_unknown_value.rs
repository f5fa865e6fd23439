// The catch-all's payload is made only by decoding, so it never holds a known value.
use clerk_models::{SessionStatus, UnknownValue};

fn main() {
    let _ = SessionStatus::Unknown(UnknownValue("active".to_owned()));
}
