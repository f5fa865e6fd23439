// With the `webhooks` and `http` features: verify from an http::HeaderMap or from pairs,
// then dispatch on the open EventType with a wildcard arm.
use std::time::{Duration, UNIX_EPOCH};

use clerk_models::webhooks::{Webhook, WebhookError, WebhookHeaders};
use clerk_models::{EventType, WebhookEvent};

fn handle(event: &WebhookEvent) -> &'static str {
    match event.event_type() {
        EventType::SessionCreated | EventType::SessionPending => "session started",
        t if t.is_session() => "session changed",
        _ => "ignored",
    }
}

fn check<H: WebhookHeaders + ?Sized>(webhook: &Webhook, headers: &H, body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    webhook.verify(headers, body, UNIX_EPOCH + Duration::from_secs(1_744_276_400))
}

fn main() {
    let webhook = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let body = br#"{"object":"event","type":"organization.deleted","timestamp":1744276393644,"instance_id":"ins_1","data":{"object":"organization","id":"org_1","deleted":true}}"#;
    let signature = webhook.sign("msg_1", 1_744_276_393, body);
    let mut map = http::HeaderMap::new();
    map.insert("svix-id", "msg_1".parse().unwrap());
    map.insert("svix-timestamp", "1744276393".parse().unwrap());
    map.insert("svix-signature", signature.parse().unwrap());
    let event = check(&webhook, &map, body).unwrap();
    assert_eq!(handle(&event), "ignored");
    assert_eq!(event.message_id(), Some("msg_1"));
    assert!(matches!(event.data(), clerk_models::EventData::Deleted(d) if d.id.as_deref() == Some("org_1")));
    let pairs = vec![("svix-id", "msg_1"), ("svix-timestamp", "1744276393"), ("svix-signature", signature.as_str())];
    assert!(check(&webhook, &pairs, body).is_ok());
    assert!(check(&webhook, pairs.as_slice(), b"{}").is_err());
}
