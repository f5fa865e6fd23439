//! Verifying Clerk's webhooks (feature `webhooks`): Svix's signature scheme, then the event.
//!
//! Clerk delivers webhooks through Svix. Each request carries three headers, `svix-id`,
//! `svix-timestamp` (Unix seconds) and `svix-signature` (one or more space-separated
//! `v1,<base64>` entries, more than one while a secret is being rotated), or the same three
//! as `webhook-id`, `webhook-timestamp` and `webhook-signature`. The signature is
//! HMAC-SHA256, keyed with the base64 part of the endpoint's `whsec_...` secret, over
//! `{id}.{timestamp}.{body}`.
//!
//! [`Webhook::verify`] accepts a request only when a `v1` entry matches (compared in constant
//! time by the MAC library) and the timestamp is within five minutes of `now`, either way;
//! then it decodes the body as a [`WebhookEvent`](crate::WebhookEvent). It never reads the clock: pass
//! `SystemTime::now()` in a server, any time in a test.
//!
//! - It takes the headers as an `&http::HeaderMap` (feature `http`, what axum, actix-web and
//!   hyper share) or as `(name, value)` pairs ([`WebhookHeaders`]), in any letter case.
//! - Empty, truncated and undecodable signature entries never match.
//! - Each failure is its own [`WebhookError`]; none shows the secret, and `Debug` of a
//!   [`Webhook`] redacts it. [`Webhook::sign`] makes a valid signature for your own tests.
//!
//! ```
//! # #[cfg(feature = "webhooks")] {
//! use std::time::{Duration, UNIX_EPOCH};
//! use clerk_models::webhooks::{Webhook, WebhookError};
//!
//! let webhook = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
//! let body = br#"{"object":"event","type":"user.deleted","timestamp":1744276393644,
//!   "instance_id":"ins_1","data":{"object":"user","id":"user_1","deleted":true}}"#;
//! let signature = webhook.sign("msg_1", 1_744_276_393, body);
//! let headers = [
//!     ("svix-id", "msg_1"),
//!     ("svix-timestamp", "1744276393"),
//!     ("svix-signature", signature.as_str()),
//! ];
//! let now = UNIX_EPOCH + Duration::from_secs(1_744_276_400);
//! let event = webhook.verify(&headers, body, now)?;
//! assert_eq!(event.event_type().as_str(), "user.deleted");
//! assert_eq!(event.message_id(), Some("msg_1")); // the same for every retry: handle it once
//!
//! let tampered = br#"{"object":"event","type":"user.deleted","timestamp":1744276393644,
//!   "instance_id":"ins_1","data":{"object":"user","id":"user_2","deleted":true}}"#;
//! assert!(matches!(
//!     webhook.verify(&headers, tampered, now),
//!     Err(WebhookError::NoMatchingSignature)
//! ));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The events themselves, [`WebhookEvent`](crate::WebhookEvent) with its `data` typed as the
//! event's type says (or kept as [`InvalidData`](crate::InvalidData) where it does not fit),
//! are at the crate's root, with or without this feature.

pub(crate) mod event;
pub(crate) mod invalid;
#[cfg(feature = "webhooks")]
mod verify;

#[cfg(feature = "webhooks")]
pub use verify::{TOLERANCE, Webhook, WebhookError, WebhookHeaders};
