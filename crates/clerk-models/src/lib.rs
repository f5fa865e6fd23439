//! Typed, forward-compatible models of Clerk's sessions in the three forms a Rust backend
//! meets them, and their verification: Backend API objects ([`Session`], [`Client`]),
//! webhook events ([`WebhookEvent`], verified by [`webhooks`] with the `webhooks` feature),
//! and the tokens on every request ([`SessionClaims`], [`M2mTokenClaims`],
//! [`OAuthAccessTokenClaims`], verified without a network call by [`jwt`] with the `jwt`
//! feature).
//!
//! # Crate organization
//!
//! - **The models** are generated from the repository's `schemas/` by `cargo xtask codegen`
//!   and re-exported here: each type's docs name its schema file and `$defs` entry. Each
//!   has a builder ([`Session::builder`]) whose `build()` compiles once every required field
//!   is set, and the helpers of the public derives [`Timestamps`] and [`StringEnum`].
//! - **Backend API objects**: [`Session::is_active_at`] and the session lifecycle,
//!   [`Client::last_active_session`], [`PaginatedList`] and [`LenientList`].
//! - **Webhook events**: [`WebhookEvent`] (its `data` decoded as the [`EventData`] its type
//!   says, and kept as received) and, feature `webhooks`, [`webhooks::Webhook`].
//! - **Users**: [`User::primary_email_address`], [`User::full_name`],
//!   [`User::external_account`], [`OrganizationMembership::has_role`].
//! - **Tokens**: the claims' fail-closed views ([`SessionClaims::validate_at`],
//!   [`SessionClaims::organization`], [`SessionClaims::has_permission`],
//!   [`M2mTokenClaims::has_scope`]) and, feature `jwt`, [`jwt::Verifier`],
//!   [`jwt::TokenType`] and (with `http`) [`jwt::request_token`].
//! - **Support**: [`from_str`] and the other decoders whose errors name a path, [`RawJson`],
//!   [`UnknownValue`], [`builder`]'s markers. `__private` is what generated code calls, not
//!   API.
//!
//! # Decoding what Clerk sends
//!
//! - Unknown JSON keys are ignored.
//! - A status this version does not know decodes into [`SessionStatus::Unknown`], keeps its
//!   text and is written back unchanged. [`SessionStatus`] is `#[non_exhaustive]`.
//! - Timestamps are Unix milliseconds in `i64`; a token's `iat`, `exp` and `nbf` are Unix
//!   seconds, as the schema says.
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
//! `Client::last_authentication_strategy` is a plain `Option<String>`: Clerk's spec gives
//! no list of values for it, so every value Clerk sends is kept as is.
//!
//! # Is this session valid?
//!
//! [`Session::is_active_at`] fails closed: `pending` (signed in, tasks outstanding), every
//! terminal status, any status this version does not know, and a session at or past either
//! deadline are never active. Beside it, all taking the time as a parameter:
//!
//! | Helper | Answers |
//! |---|---|
//! | [`Session::effective_status_at`] | The real status: `expired` or `abandoned` once a deadline passed, else as reported |
//! | [`Session::time_until_expiry_at`], [`Session::time_until_abandon_at`], [`Session::idle_time_at`] | `Option<Duration>`, `None` when past |
//! | [`Session::actor`], [`Session::is_impersonated`] | Who is acting as the user |
//! | [`Session::pending_tasks`] | What a `pending` user must do, as [`TaskKey`]s |
//! | `Session::expire_at_system_time()` and one accessor per timestamp field | Typed instants that never panic; `_chrono()`, `_offset_date_time()`, `_jiff()` with those features |
//! | [`Client::last_active_session`], [`Client::sessions_active_at`], [`Client::inconsistencies`] | The live session, every active one, and where the client's parts disagree |
//!
//! # Is this token valid?
//!
//! One view over session token formats 1 and 2 (the default since 2025-04-14), read as
//! Clerk's JS `jwtPayloadParser` reads them, failing closed:
//!
//! | Helper | Answers |
//! |---|---|
//! | [`SessionClaims::session_status`] | `sts`, absent meaning active; unknown text is kept and never active |
//! | [`SessionClaims::validate_at`] and the `is_valid_*` helpers | Valid, or why not ([`ValidityError`]): a `sid`, an active status, and `exp`, `nbf`, `iat` with a leeway |
//! | [`SessionClaims::is_authorized_party`] | `azp` is one of yours; a token without `azp` is not |
//! | [`SessionClaims::organization`] | [`ActiveOrganization`]: id, slug, [`OrgRole`] (shown as `org:<rol>`), [`Permissions`] |
//! | [`SessionClaims::has_permission`], [`SessionClaims::has_role`] | As Clerk's JS computes them (version 2: the masks of `o.fpm` line up with the organization-scoped `fea` entries, bit *i* granting permission *i* of `o.per`); exactly what `permissions()` lists; anything malformed grants nothing |
//! | [`SessionClaims::factor_verification_age`] | Minutes since each factor was verified; an absent `fva` is never verified |
//! | [`SessionClaims::actor`], [`SessionClaims::plan`], [`SessionClaims::features`] | `act` (its `type`: [`ActorType`]), `pla`, `fea` |
//! | [`M2mTokenClaims::scopes`], [`OAuthAccessTokenClaims::has_scope`] and the rest | A machine token's scopes and validity |
//!
//! Custom claims are kept in `custom` ([`OtherClaims`]), or typed by your own struct:
//! `SessionClaims<MyClaims>`. Decode claims only from a verified token ([`jwt::Verifier`],
//! or your framework's).
//!
//! # Caching
//!
//! Every model round-trips through JSON and through the formats that are not human-readable
//! (MessagePack, CBOR, bincode 2, postcard): those get each model's binary form, every field
//! in order and free-form JSON (a session's `actor`, a token's custom claims, a webhook's
//! `data`) as its JSON text. A cached binary value is specific to this crate's version.
//!
//! # When one item is bad
//!
//! [`PaginatedList`] is strict: one bad item fails the page, with its path
//! (`data[3].expire_at`). [`LenientList`] keeps every item that decodes and reports each
//! bad one with its index and path; an all-valid page costs what `PaginatedList` costs.
//!
//! # Testing your code
//!
//! The models are `#[non_exhaustive]`: build them with their builders, or draw them in
//! property tests with `any::<Session>()` (feature `proptest`; values the schema allows,
//! unknown statuses, `None` everywhere optional, edge timestamps). Feature `arbitrary`
//! gives the same models to `cargo fuzz`.

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
mod tokens;
// The webhook form: public as `webhooks` with its verification (feature `webhooks`); the
// events themselves are re-exported at the root either way.
#[cfg(feature = "webhooks")]
#[cfg_attr(docsrs, doc(cfg(feature = "webhooks")))]
pub mod webhooks;
#[cfg(not(feature = "webhooks"))]
mod webhooks;

pub use support::builder;
#[cfg(feature = "jwt")]
#[cfg_attr(docsrs, doc(cfg(feature = "jwt")))]
pub use tokens::jwt;

/// Not public API: what the derives' expansions call. May change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::support::binary::{JsonText, json_text};
    #[cfg(feature = "arbitrary")]
    pub use crate::support::generators::fuzz;
    #[cfg(feature = "proptest")]
    pub use crate::support::generators::strategies;
    pub use crate::support::object::{JsonObject, deserialize_object};
    pub use crate::support::raw::decode_data;
    pub use crate::support::string_enum::{
        OpenEnum, StringEnum, deserialize_closed, deserialize_open, parse_closed, parse_open,
        parse_open_owned,
    };
    pub use crate::support::union::{union_keys, union_member};
    pub use crate::webhooks::invalid::decode_event_data;
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
    pub use ::serde_json;
    #[cfg(feature = "time")]
    pub use ::time;
}

pub use api::lenient::{ItemError, LenientList};
pub use support::decode::{Error, from_slice, from_str, from_value};
pub use support::raw::RawJson;
pub use tokens::claims::{
    ActiveOrganization, ClaimList, FactorVerificationAge, OrgPermission, OrgRole, OtherClaims,
    Permissions, Scoped, Scopes, ValidityError,
};
pub use webhooks::event::WebhookEvent;
pub use webhooks::invalid::InvalidData;

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
pub use api::user::FullName;
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
/// snake_case), `#[clerk(alias = "text")]` (repeatable: another spelling that decodes as the
/// variant, which is written as its `rename` text), `#[clerk(group = "name")]` (repeatable),
/// `#[clerk(other)]` on a variant holding an [`UnknownValue`].
///
/// ```
/// #[derive(Debug, PartialEq, clerk_models::StringEnum)]
/// #[non_exhaustive]
/// enum Plan {
///     Free,
///     #[clerk(rename = "pro-monthly", alias = "pro_monthly", group = "paid")]
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
/// // An alias decodes as its variant, which is written with its own text.
/// assert_eq!(Plan::from("pro_monthly").to_string(), "pro-monthly");
/// let legacy: Plan = serde_json::from_str(r#""legacy""#).unwrap();
/// assert!(!legacy.is_known() && !legacy.is_paid());
/// assert_eq!(legacy.to_string(), "legacy");
/// assert!(Plan::try_parse("legacy").is_err());
/// ```
pub use clerk_models_derive::StringEnum;
pub use generated::*;
pub use support::string_enum::{ParseEnumError, UnknownValue};
