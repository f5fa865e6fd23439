//! A durable Clerk webhook receiver: it verifies each delivery's Svix signature, stores it
//! once (its `svix-id` as a unique key) with its handling in one database transaction, and
//! syncs Clerk's users and organization memberships into the database: the job of Clerk's
//! webhook guide, without losing an event.
//!
//! - Not authentic: 400 (bad or missing headers) or 401 (signature or timestamp); nothing is
//!   stored. A body over 1 MiB: 413.
//! - Authentic: stored and answered 2xx, whatever its content. `user.*` and
//!   `organizationMembership.*` events update `users` and `organization_memberships` (never
//!   with older data, never reviving what was deleted); every other type is stored only. An
//!   event whose data does not fit its model (`EventData::Invalid`), or of a type this
//!   version does not know, is stored for `webhook-receiver replay` after an upgrade.
//! - A redelivery of a stored `svix-id`: 200, not handled again, across restarts and
//!   processes sharing the database.
//! - A handler that fails: rolled back, 500, so Svix redelivers. The database unreachable or
//!   busy: 503, so Svix retries; nothing is half-written.
//!
//! `GET /healthz` answers 200 when the database answers, else 503.

pub mod store;
pub mod sync;

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use clerk_models::webhooks::{Webhook, WebhookError};
use serde_json::json;

pub use store::{Outcome, ReplayReport, Store, StoreError};
pub use sync::Status;

/// The largest body the receiver reads: Clerk's events are a few KB.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// What every request shares.
struct Receiver {
    webhook: Webhook,
    store: Store,
}

/// The receiver's routes: `POST /webhooks/clerk` and `GET /healthz`.
pub fn app(webhook: Webhook, store: Store) -> Router {
    Router::new()
        .route("/webhooks/clerk", post(receive))
        .route("/healthz", get(healthz))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(Arc::new(Receiver { webhook, store }))
}

/// Unix milliseconds now (0 before 1970, which no clock of a server reads).
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn answer(status: StatusCode, body: serde_json::Value) -> Response {
    (status, axum::Json(body)).into_response()
}

async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let received_at = now_ms();
    let verified = receiver.webhook.verify(&headers, &body, SystemTime::now());
    let event = match verified {
        Ok(event) => Ok(event),
        // Authentic, but no event: kept as received all the same (when it is text).
        Err(WebhookError::InvalidBody(error)) => Err(error),
        Err(
            e @ (WebhookError::NoMatchingSignature
            | WebhookError::TimestampTooOld
            | WebhookError::TimestampTooNew),
        ) => return refuse(StatusCode::UNAUTHORIZED, &e),
        Err(e) => return refuse(StatusCode::BAD_REQUEST, &e),
    };
    // The signature covered the id: `verify` read it, so it is there.
    let Some(Ok(svix_id)) = ["svix-id", "webhook-id"]
        .iter()
        .find_map(|name| headers.get(*name).map(|v| v.to_str()))
    else {
        return answer(StatusCode::BAD_REQUEST, json!({"error": "missing svix-id"}));
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        return answer(
            StatusCode::BAD_REQUEST,
            json!({"error": "the body is not UTF-8 text"}),
        );
    };
    match receiver
        .store
        .receive(svix_id, text, event.as_ref(), received_at)
        .await
    {
        Ok(Outcome::Duplicate) => answer(
            StatusCode::OK,
            json!({"id": svix_id, "status": "duplicate"}),
        ),
        Ok(Outcome::Stored(status)) => {
            let code = match status {
                Status::Handled | Status::Ignored => StatusCode::OK,
                Status::Invalid | Status::Unknown | Status::Malformed => StatusCode::ACCEPTED,
            };
            answer(code, json!({"id": svix_id, "status": status.as_str()}))
        }
        Err(StoreError::Unavailable(e)) => {
            eprintln!("webhook {svix_id}: {e}");
            let mut response = answer(
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"error": "database unavailable"}),
            );
            response
                .headers_mut()
                .insert("retry-after", axum::http::HeaderValue::from_static("5"));
            response
        }
        Err(StoreError::Failed(e)) => {
            eprintln!("webhook {svix_id}: {e}");
            answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": "handler failed; rolled back"}),
            )
        }
    }
}

fn refuse(status: StatusCode, error: &WebhookError) -> Response {
    answer(status, json!({"error": error.to_string()}))
}

async fn healthz(State(receiver): State<Arc<Receiver>>) -> Response {
    if receiver.store.healthy().await {
        answer(StatusCode::OK, json!({"status": "ok"}))
    } else {
        answer(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"status": "database unavailable"}),
        )
    }
}
