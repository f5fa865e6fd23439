//! A Clerk webhook receiver: verify the Svix signature, decode the event, skip a delivery it
//! has already handled (Svix delivers at least once), dispatch on `event.data()`, answer 2xx
//! (handled, repeated or deliberately ignored) or 4xx (refused, so Svix does not count it as
//! delivered).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use clerk_models::webhooks::{Webhook, WebhookError};
use clerk_models::{EventData, EventType, WebhookEvent};

/// What the receiver keeps between requests.
struct Receiver {
    webhook: Webhook,
    /// The message ids (`svix-id`) already handled. A real service keeps them where it keeps
    /// what the handler writes, in the same transaction (a unique key on the id), so that a
    /// retry after a crash is skipped too; this example keeps them in memory.
    handled: Mutex<HashSet<String>>,
}

/// The receiver's routes: `POST /webhooks/clerk`.
pub fn app(webhook: Webhook) -> Router {
    let receiver = Receiver {
        webhook,
        handled: Mutex::new(HashSet::new()),
    };
    Router::new()
        .route("/webhooks/clerk", post(receive))
        .with_state(Arc::new(receiver))
}

async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    match receiver.webhook.verify(&headers, &body, SystemTime::now()) {
        Ok(event) => {
            // `verify` checked the id with the signature, so it is Clerk's.
            let id = event.message_id().unwrap_or_default().to_owned();
            let first_time = match receiver.handled.lock() {
                Ok(mut handled) => handled.insert(id.clone()),
                Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "state lost".to_owned()),
            };
            if first_time {
                dispatch(&event)
            } else {
                // Already handled: acknowledge, so Svix stops retrying, and do nothing.
                (StatusCode::OK, format!("already handled {id}"))
            }
        }
        // Signature, timestamp and header problems: not from Clerk, or replayed.
        Err(e @ WebhookError::InvalidBody(_)) => (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        Err(e) => (StatusCode::BAD_REQUEST, e.to_string()),
    }
}

fn dispatch(event: &WebhookEvent) -> (StatusCode, String) {
    match event.data() {
        EventData::User(user) => {
            let email = user
                .primary_email_address()
                .map_or("no email", |e| e.email_address.as_str());
            let what = if event.event_type() == &EventType::UserCreated {
                "created"
            } else {
                "updated"
            };
            (
                StatusCode::OK,
                format!("user {} ({}, {email}) {what}", user.id, user.full_name()),
            )
        }
        EventData::Session(session) => {
            let what = match event.event_type() {
                EventType::SessionCreated => "created",
                EventType::SessionPending => "pending",
                EventType::SessionEnded | EventType::SessionRemoved | EventType::SessionRevoked => {
                    "closed"
                }
                // The enum is open: a session event added after this version lands here.
                _ => "changed",
            };
            (
                StatusCode::OK,
                format!(
                    "session {} of {} {what}, status {}",
                    session.id, session.user_id, session.status
                ),
            )
        }
        EventData::Deleted(deleted) => (
            StatusCode::OK,
            format!(
                "{} {} deleted",
                deleted.object,
                deleted.id.as_deref().unwrap_or("(no id)")
            ),
        ),
        // Every other kind, and event types this version does not know: acknowledged so
        // Svix stops retrying; this receiver has nothing to do with them.
        _ => (
            StatusCode::ACCEPTED,
            format!("ignored {}", event.event_type()),
        ),
    }
}
