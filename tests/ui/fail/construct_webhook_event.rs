// A WebhookEvent only comes from decoding (or From<WebhookEnvelope>), which decodes its
// `data` as its type says: it cannot be assembled with data of another kind.
fn unchecked(
    envelope: clerk_models::WebhookEnvelope,
    data: clerk_models::EventData,
    embedded: clerk_models::EmbeddedObjects,
) -> clerk_models::WebhookEvent {
    clerk_models::WebhookEvent { envelope, data, embedded, message_id: None }
}

fn main() {}
