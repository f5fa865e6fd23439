// An operation's required parameters are the arguments of `new`: a request without the
// session's id cannot be written, so it can never be sent.
use clerk_models_api::sessions::{GetSession, RevokeSession};

fn main() {
    let _ = GetSession::new();
    // Nor can a required parameter be set later, as if it were optional.
    let _ = RevokeSession::default().session_id("sess_123");
}
