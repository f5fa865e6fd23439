//! Every operation of Clerk's Backend API, typed and sans-IO: each makes its complete
//! [`http::Request`] and reads the [`http::Response`] into a model, and any HTTP client
//! sends it.
//!
//! # Crate organization
//!
//! - **One module per group of operations** ([`sessions`], [`users`], [`organizations`]…),
//!   each behind the cargo feature of its name, and one type per operation, named after its
//!   `operationId` as Clerk's API reference names it (`GetSessionList`, `RevokeSession`,
//!   `VerifyApiKey`). The default features build what a typical backend calls; `full`
//!   builds all of them. The modules, their types and [`models`] are generated from the
//!   repository's `schemas/api/` (imported from Clerk's OpenAPI spec) by `cargo xtask
//!   codegen`.
//! - **[`Endpoint`]**, which every operation implements: [`Endpoint::to_http_request`] and
//!   [`Endpoint::from_http_response`]. **[`Paginated`]**, which every list that pages by
//!   `limit` and `offset` implements: `next_page` gives the request for the next page.
//! - **Answers are `clerk-models`' models** ([`clerk_models::Session`],
//!   [`clerk_models::PaginatedList`]); what only the API's operations use is in [`models`],
//!   each type built only with the features whose operations reach it.
//! - **Errors**: [`ApiError`] (Clerk's error list, the trace id, `Retry-After`, and a
//!   success whose body does not fit its model, kept whole), [`RequestError`] (a request
//!   that cannot be made, such as a path parameter that would reach another path).
//! - **[`SecretKey`]**: the instance's secret key, which no output of this crate shows.
//!
//! # Sending a request
//!
//! ```
//! # #[cfg(feature = "sessions")] {
//! use clerk_models::SessionStatus;
//! use clerk_models_api::sessions::GetSessionList;
//! use clerk_models_api::{DEFAULT_API_URL, Endpoint, SecretKey};
//!
//! let key: SecretKey = "sk_test_abc".parse()?;
//! let list = GetSessionList::new().user_id("user_123").limit(20);
//! let request = list.to_http_request(DEFAULT_API_URL, &key)?;
//! assert_eq!(request.uri(), "https://api.clerk.com/v1/sessions?user_id=user_123&limit=20");
//!
//! // Send `request` with any client; read its answer:
//! let body = br#"[{"object": "session", "id": "sess_1", "client_id": "client_1",
//!     "user_id": "user_123", "status": "active", "last_active_at": 1700000000000,
//!     "expire_at": 1700604800000, "abandon_at": 1702592000000,
//!     "updated_at": 1700000000000, "created_at": 1700000000000}]"#;
//! let response = http::Response::builder().status(200).body(&body[..])?;
//! let sessions = GetSessionList::from_http_response(response)?;
//! assert_eq!(sessions.data[0].status, SessionStatus::Active);
//! // A short page: it was the last one.
//! assert!(list.next_page(&sessions).is_none());
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "client")]
mod client;
mod endpoint;
mod error;
mod form;
#[rustfmt::skip]
mod generated;
mod page;
mod request;
mod secret;

#[cfg(feature = "client")]
#[cfg_attr(docsrs, doc(cfg(feature = "client")))]
pub use client::{
    Client, ClientBuilder, ClientError, Clock, ManualClock, Pages, RetryPolicy, Sleep, SystemClock,
    Transport, TransportError,
};
pub use endpoint::{Endpoint, Paginated, RequestError};
pub use error::{ApiError, ApiErrorKind, RetryAfter};
pub use form::Upload;
pub use generated::*;
pub use secret::{InvalidSecretKey, SecretKey};

/// What the generated operations call: not public. Each group's operations use some of it.
#[allow(unused_imports)]
mod __private {
    pub(crate) use crate::error::{decode, decode_empty};
    pub(crate) use crate::form::Form;
    pub(crate) use crate::page::{Page, next_offset};
    pub(crate) use crate::request::RequestBuilder;
}
