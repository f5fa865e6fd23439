//! The Backend API form: [`Session`](crate::Session) and [`Client`](crate::Client) objects as
//! `GET /v1/sessions/{id}` and the other endpoints return them, and the lists they come in.
//! The helpers answer whether a session lets its user in at a given instant, failing closed,
//! and find a user's primary email address, phone number, name and external accounts.

pub(crate) mod client;
pub(crate) mod lenient;
pub(crate) mod list;
pub(crate) mod session;
pub(crate) mod user;
