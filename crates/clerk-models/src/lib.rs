//! Typed, forward-compatible models of Clerk's Backend API [`Session`] and [`Client`]
//! objects.
//!
//! The models are generated from the JSON Schemas in the repository's `schemas/` folder by
//! `cargo xtask codegen`; they decode what Clerk really sends, and keep decoding when Clerk
//! adds fields or enum values:
//!
//! - Unknown JSON keys are ignored.
//! - A status this version does not know decodes into [`SessionStatus::Unknown`], keeps its
//!   text and is written back unchanged. [`SessionStatus`] is `#[non_exhaustive]`.
//! - Timestamps are Unix milliseconds in `i64`.
//! - A nullable field decodes from `null` and from an absent key; a missing required field
//!   is an error.
//! - The `object` discriminators (`"session"`, `"client"`) are checked.
//! - Lists decode from both forms the API uses ([`PaginatedList`]).
//!
//! [`from_str`], [`from_slice`] and [`from_value`] report where decoding failed:
//!
//! ```
//! use clerk_models::{Client, SessionStatus};
//!
//! let json = r#"{
//!   "object": "client", "id": "client_1", "session_ids": ["sess_1"],
//!   "sessions": [{
//!     "object": "session", "id": "sess_1", "user_id": "user_1", "client_id": "client_1",
//!     "status": "active", "last_active_at": 1700000000000, "expire_at": 1700604800000,
//!     "abandon_at": 1702592000000, "updated_at": 1700000000000, "created_at": null
//!   }],
//!   "sign_in_id": null, "sign_up_id": null, "last_active_session_id": "sess_1",
//!   "last_authentication_strategy": "email_code",
//!   "updated_at": 1700000000000, "created_at": 1700000000000
//! }"#;
//! let err = clerk_models::from_str::<Client>(json).unwrap_err();
//! assert_eq!(err.path(), "sessions[0].created_at");
//! assert_eq!(
//!     err.to_string(),
//!     "sessions[0].created_at: invalid type: null, expected i64 at line 6 column 80"
//! );
//! ```
//!
//! `serde_json::from_str` works on every type too; it just does not say where.
//!
//! `Client::last_authentication_strategy` is a plain `Option<String>`: Clerk's spec gives
//! no list of values for it, so every value Clerk sends is kept as is.

#![forbid(unsafe_code)]

#[rustfmt::skip]
mod generated;
mod decode;
mod list;
mod string_enum;

pub use decode::{Error, from_slice, from_str, from_value};
pub use generated::*;
pub use list::{ClientList, PaginatedList, SessionList};
pub use string_enum::{ParseEnumError, UnknownValue};
