//! The webhook form: [`WebhookEvent`](crate::WebhookEvent), every event Clerk sends through
//! Svix with its `data` typed as the event's type says (or kept as
//! [`InvalidData`](crate::InvalidData) where it does not fit), and (feature `webhooks`) their
//! signature verification, public as [`crate::webhooks`].

pub(crate) mod event;
pub(crate) mod invalid;
#[cfg(feature = "webhooks")]
pub mod verify;
