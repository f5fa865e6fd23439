//! Authenticated requests in [axum] with Clerk's tokens, on [`clerk_models`]' verifier.
//!
//! - [`KeySet`]: the instance's keys, from a PEM key (networkless, `CLERK_JWT_KEY`) or a
//!   JWKS URL, fetched on first use, kept 5 minutes, refreshed for a rotated key at most
//!   once per 10 s, one fetch at a time, and never emptied by an outage.
//! - [`ClerkLayer`]: a tower layer that verifies each request's token (`Authorization:
//!   Bearer`, else the `__session` cookie) and leaves an [`AuthState`] in its extensions,
//!   with a cache of verified tokens.
//! - Extractors: [`Auth`] (a session), `Option<Auth>`, [`MachineAuth`] (an M2M or OAuth
//!   JWT), [`RequirePermission`] and [`RequireRole`]. A refusal is an [`AuthRejection`]:
//!   401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750) and a JSON body
//!   naming the reason, or 403 for a missing permission or role.
//!
//! ```no_run
//! use axum::{Router, routing::get};
//! use clerk_models_axum::{Auth, ClerkLayer, KeySet, Permission, RequirePermission};
//!
//! struct ReadInvoices;
//! impl Permission for ReadInvoices {
//!     const NAME: &'static str = "org:invoices:read";
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let keys = KeySet::jwks_url("https://clerk.example.com/.well-known/jwks.json")?.build()?;
//! keys.prefetch().await?; // fail fast on a wrong URL
//! let app = Router::new()
//!     .route("/me", get(|auth: Auth| async move { auth.sub.clone() }))
//!     .route("/invoices", get(|_: RequirePermission<ReadInvoices>| async { "[]" }))
//!     .layer(ClerkLayer::new(keys).with_authorized_parties(["https://app.example.com"]));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//! axum::serve(listener, app).await?;
//! # Ok(()) }
//! ```
//!
//! # Features
//!
//! | Feature | Default | What |
//! |---|---|---|
//! | `client` | yes | [`HttpFetcher`]: hyper-util's client over rustls (ring, Mozilla's roots), no OpenSSL |
//!
//! Without `client`, give [`KeySetBuilder::fetcher`] a [`JwksFetch`] of your own.
//!
//! [axum]: https://docs.rs/axum/0.8
#![cfg_attr(docsrs, feature(doc_cfg))]

mod auth;
mod cache;
mod clock;
mod fetch;
mod keyset;
mod layer;
#[cfg(feature = "client")]
mod opaque;
mod pem;
mod rejection;

pub use auth::{Auth, AuthState, MachineAuth, Permission, RequirePermission, RequireRole, Role};
pub use clock::{Clock, ManualClock, SystemClock};
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use fetch::HttpFetcher;
pub use fetch::{FetchError, FetchFuture, JwksFetch, JwksRequest, MAX_JWKS_BYTES};
pub use keyset::{KeySet, KeySetBuilder, KeySetError, KeysUnavailable};
pub use layer::{ClerkFuture, ClerkLayer, ClerkService};
#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use opaque::OpaqueToken;
pub use rejection::AuthRejection;

/// The workspace README's examples, the axum one among them, compiled as doctests here
/// where axum and tokio are at hand.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;
