//! A Clerk webhook receiver: verify the Svix signature, decode the event, dispatch session
//! events, answer 2xx (handled or deliberately ignored) or 4xx (refused, so Svix does not
//! count it as delivered).

use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use clerk_models::webhooks::{Webhook, WebhookError};
use clerk_models::{EventType, WebhookEvent};

/// The receiver's routes: `POST /webhooks/clerk`.
pub fn app(webhook: Webhook) -> Router {
    Router::new()
        .route("/webhooks/clerk", post(receive))
        .with_state(Arc::new(webhook))
}

async fn receive(
    State(webhook): State<Arc<Webhook>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    match webhook.verify(&headers, &body, SystemTime::now()) {
        Ok(event) => dispatch(&event),
        // Signature, timestamp and header problems: not from Clerk, or replayed.
        Err(e @ WebhookError::InvalidBody(_)) => (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        Err(e) => (StatusCode::BAD_REQUEST, e.to_string()),
    }
}

fn dispatch(event: &WebhookEvent) -> (StatusCode, String) {
    let Some(session) = event.session() else {
        // Acknowledged so Svix stops retrying; this receiver has nothing to do with it.
        return (
            StatusCode::ACCEPTED,
            format!("ignored {}", event.event_type()),
        );
    };
    let what = match event.event_type() {
        EventType::SessionCreated => "created",
        EventType::SessionPending => "pending",
        EventType::SessionEnded | EventType::SessionRemoved | EventType::SessionRevoked => "closed",
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
