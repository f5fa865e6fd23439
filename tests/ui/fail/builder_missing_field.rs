// A builder whose required `user_id` setter was never called does not build.
use clerk_models::{Session, SessionStatus};

fn main() {
    let _session = Session::builder()
        .id("sess_1")
        .client_id("client_1")
        .status(SessionStatus::Active)
        .last_active_at(1_700_000_000_000)
        .expire_at(1_700_604_800_000)
        .abandon_at(1_702_592_000_000)
        .updated_at(1_700_000_000_000)
        .created_at(1_700_000_000_000)
        .build();
}
