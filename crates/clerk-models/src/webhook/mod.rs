//! The webhook form: [`WebhookEvent`](crate::WebhookEvent), the events Clerk sends through
//! Svix with their `data` as received and a session event's `Session` checked, and (feature
//! `webhooks`) their signature verification, public as [`crate::webhooks`].

pub(crate) mod event;
#[cfg(feature = "webhooks")]
pub mod verify;
