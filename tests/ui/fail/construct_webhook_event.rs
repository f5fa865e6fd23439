// A WebhookEvent only comes from decoding (or TryFrom<WebhookEnvelope>), which checks that
// its `data` is its type's model: it cannot be assembled unchecked.
fn unchecked(
    envelope: clerk_models::WebhookEnvelope,
    data: clerk_models::EventData,
    embedded: clerk_models::EmbeddedObjects,
) -> clerk_models::WebhookEvent {
    clerk_models::WebhookEvent { envelope, data, embedded, message_id: None }
}

fn main() {}
