// A WebhookEvent only comes from decoding (or TryFrom<WebhookEnvelope>), which checks a
// session event's session: it cannot be assembled unchecked.
fn unchecked(envelope: clerk_models::WebhookEnvelope) -> clerk_models::WebhookEvent {
    clerk_models::WebhookEvent { envelope, session: None }
}

fn main() {}
