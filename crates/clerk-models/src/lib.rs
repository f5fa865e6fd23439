//! Typed, forward-compatible models of Clerk's Backend API [`Session`] and [`Client`]
//! objects, of its webhook events ([`WebhookEvent`]), and of its session tokens' claims
//! ([`SessionClaims`], verified without a network call by `jwt::Verifier` with the `jwt`
//! feature).
//!
//! The models are generated from the JSON Schemas in the repository's `schemas/` folder by
//! `cargo xtask codegen`; they decode what Clerk really sends, and keep decoding when Clerk
//! adds fields or enum values:
//!
//! - Unknown JSON keys are ignored.
//! - A status this version does not know decodes into [`SessionStatus::Unknown`], keeps its
//!   text and is written back unchanged. [`SessionStatus`] is `#[non_exhaustive]`.
//! - Timestamps are Unix milliseconds in `i64`; a session token's `iat`, `exp` and `nbf` are
//!   Unix seconds, as the schema says.
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
//! On top of the data, [`Session::is_active_at`] answers whether a session lets its user in
//! (failing closed: `pending`, terminal and unknown statuses never do), with
//! [`Session::effective_status_at`], deadline and idle durations, the impersonating
//! [`Actor`], [`Session::pending_tasks`], typed timestamp accessors such as
//! `Session::expire_at_system_time`, and [`Client::last_active_session`]. The accessors and
//! the enum helpers come from the public derives [`Timestamps`] and [`StringEnum`].
//!
//! `Client::last_authentication_strategy` is a plain `Option<String>`: Clerk's spec gives
//! no list of values for it, so every value Clerk sends is kept as is.

#![forbid(unsafe_code)]
// docs.rs builds with `--cfg docsrs` on nightly: each feature-gated item shows its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The derives expand to `::clerk_models::...` paths; this makes them resolve inside this
// crate too, where they run on the generated models.
extern crate self as clerk_models;

#[rustfmt::skip]
mod generated;
mod api;
mod support;
mod token;
mod webhook;

pub use support::builder;
#[cfg(feature = "jwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "jwt")))]
pub use token::jwt;
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub use webhook::verify as webhooks;

/// Not public API: what the derives' expansions call. May change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::support::binary::{JsonText, json_text};
    #[cfg(feature = "arbitrary")]
    pub use crate::support::generators::fuzz;
    #[cfg(feature = "proptest")]
    pub use crate::support::generators::strategies;
    pub use crate::support::object::{JsonObject, deserialize_object};
    pub use crate::support::string_enum::{
        OpenEnum, StringEnum, deserialize_closed, deserialize_open, parse_closed, parse_open,
        parse_open_owned,
    };
    /// Checked timestamp conversions of the `Timestamps` accessors.
    pub mod timestamp {
        #[cfg(feature = "chrono")]
        pub use crate::support::timestamp::chrono;
        #[cfg(feature = "jiff")]
        pub use crate::support::timestamp::jiff;
        #[cfg(feature = "time")]
        pub use crate::support::timestamp::offset_date_time;
        pub use crate::support::timestamp::{RawTimestamp, Unit, system_time};
    }
    #[cfg(feature = "chrono")]
    pub use ::chrono;
    #[cfg(feature = "jiff")]
    pub use ::jiff;
    pub use ::serde;
    #[cfg(feature = "time")]
    pub use ::time;
}

pub use api::lenient::{ItemError, LenientList};
pub use support::decode::{Error, from_slice, from_str, from_value};
pub use support::raw::RawJson;
pub use token::claims::{
    ClaimList, FactorVerificationAge, Organization, OtherClaims, Permission, Permissions, Role,
    Scoped, Scopes, ValidityError,
};
pub use webhook::event::WebhookEvent;

/// Derives typed accessors for the Unix-millisecond timestamp fields of a struct.
///
/// Each field marked `#[clerk(timestamp)]` (an `i64` or `Option<i64>` of milliseconds since
/// the Unix epoch), or `#[clerk(timestamp = "unix-s")]` (seconds), gets `<field>_system_time() -> Option<SystemTime>`, and with this crate's
/// features `chrono`, `time` and `jiff`, `<field>_chrono()`, `<field>_offset_date_time()`
/// and `<field>_jiff()`. Each accessor is `#[inline]`, `#[must_use]`, allocation-free, and
/// returns `None` instead of panicking when the instant is out of the target's range. The
/// names put each accessor next to the raw field it converts and say what it returns.
///
/// The generated models use it on every field their schema marks as a timestamp; it works
/// on your own structs too:
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
///
/// #[derive(clerk_models::Timestamps)]
/// struct Invitation {
///     #[clerk(timestamp)]
///     expires_at: i64,
///     #[clerk(timestamp)]
///     accepted_at: Option<i64>,
/// }
///
/// let invitation = Invitation { expires_at: 1_500, accepted_at: None };
/// assert_eq!(invitation.expires_at_system_time(), Some(UNIX_EPOCH + Duration::from_millis(1_500)));
/// assert_eq!(invitation.accepted_at_system_time(), None);
/// ```
pub use clerk_models_derive::Timestamps;

pub use api::client::Inconsistency;
pub use api::list::{ClientList, PaginatedList, SessionList};
pub use api::session::Actor;
/// Derives the helpers of a string enum: one whose unit variants are string values, with an
/// optional catch-all variant, marked `#[clerk(other)]`, that keeps unknown text.
///
/// Generated: `const fn is_<variant>()` per known variant, `const fn is_<group>()` per
/// group, `as_str()`, `is_known()`, the constants `KNOWN` (variants) and `VALUES` (texts),
/// `Display`, a strict `try_parse`, `FromStr`, and serde's `Serialize`/`Deserialize`
/// (decoding a known value does not allocate). With a catch-all, `FromStr` is infallible and
/// `From<&str>`/`From<String>` exist, mapping unknown text to the catch-all; without one,
/// `FromStr` fails with [`ParseEnumError`].
///
/// Variant attributes: `#[clerk(rename = "text")]` (default: the variant name in
/// snake_case), `#[clerk(group = "name")]` (repeatable), `#[clerk(other)]` on a variant
/// holding an [`UnknownValue`].
///
/// ```
/// #[derive(Debug, PartialEq, clerk_models::StringEnum)]
/// #[non_exhaustive]
/// enum Plan {
///     Free,
///     #[clerk(rename = "pro-monthly", group = "paid")]
///     ProMonthly,
///     #[clerk(group = "paid")]
///     Enterprise,
///     #[clerk(other)]
///     Unknown(clerk_models::UnknownValue),
/// }
///
/// let plan = Plan::from("pro-monthly");
/// assert!(plan.is_pro_monthly() && plan.is_paid());
/// assert_eq!(Plan::VALUES, ["free", "pro-monthly", "enterprise"]);
/// let legacy: Plan = serde_json::from_str(r#""legacy""#).unwrap();
/// assert!(!legacy.is_known() && !legacy.is_paid());
/// assert_eq!(legacy.to_string(), "legacy");
/// assert!(Plan::try_parse("legacy").is_err());
/// ```
pub use clerk_models_derive::StringEnum;
pub use generated::*;
pub use support::string_enum::{ParseEnumError, UnknownValue};
