//! [`InvalidData`]: an event's `data` (or an object inside it) that does not fit its model,
//! kept with the error instead of refusing the event.

use core::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::{Error, RawJson};

/// JSON that does not fit the model its event type says, kept byte for byte with the error
/// that says where and what: [`EventData::Invalid`](crate::EventData::Invalid), and the
/// objects in [`EmbeddedObjects::invalid`](crate::EmbeddedObjects::invalid).
///
/// An authentic webhook is never refused for its content: Svix would retry it for days and
/// then disable the endpoint. Store the event (its raw body, or [`raw`](Self::raw)), answer
/// 2xx, and handle it again once a newer `clerk-models` types it.
///
/// ```
/// use clerk_models::{EventData, WebhookEvent};
///
/// // Clerk's dashboard examples of 2022 send organizations without `has_image`; this one
/// // also has a `name` that is not a string.
/// let body = r#"{"object": "event", "type": "organization.created",
///   "data": {"object": "organization", "id": "org_1", "name": 7}}"#;
/// let event: WebhookEvent = clerk_models::from_str(body)?;
/// let EventData::Invalid(invalid) = event.data() else { panic!("typed") };
/// assert_eq!(invalid.raw().get(), r#"{"object": "organization", "id": "org_1", "name": 7}"#);
/// assert_eq!(invalid.error().path(), "data.name");
/// assert!(event.try_data().is_err());
/// # Ok::<(), clerk_models::Error>(())
/// ```
#[derive(Clone)]
pub struct InvalidData {
    raw: RawJson,
    // Shared, so that events stay `Clone` (the decoding error is not).
    error: Arc<Error>,
}

impl InvalidData {
    /// `raw`, the whole body, which failed as `error` says.
    pub(crate) fn new(raw: RawJson, error: Error) -> Self {
        Self {
            raw,
            error: Arc::new(error),
        }
    }

    /// `raw`, which failed as `error` says, found at the key `member` of the envelope: the
    /// error's path is made to start at the envelope (`data.has_image`).
    pub(crate) fn within(member: &str, raw: RawJson, error: Error) -> Self {
        Self {
            raw,
            error: Arc::new(error.within(member)),
        }
    }

    /// The JSON exactly as received, byte for byte.
    #[must_use]
    pub fn raw(&self) -> &RawJson {
        &self.raw
    }

    /// Why it does not fit: the path from the envelope (`data.email_addresses[0].id`) and the
    /// problem.
    #[must_use]
    pub fn error(&self) -> &Error {
        &self.error
    }

    /// The JSON, for your own types.
    #[must_use]
    pub fn into_raw(self) -> RawJson {
        self.raw
    }
}

impl fmt::Debug for InvalidData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InvalidData")
            .field("error", &self.error)
            .field("raw", &self.raw)
            .finish()
    }
}

impl fmt::Display for InvalidData {
    /// The error: `data.has_image: missing field ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl PartialEq for InvalidData {
    /// The same JSON, failing at the same place for the same reason.
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw
            && self.error.pointer() == other.error.pointer()
            && self.error.to_string() == other.error.to_string()
    }
}

/// Decodes an event's `data` as `T` and wraps it with `typed`, or keeps it with its error
/// with `invalid`: what the generated `EventData::decode` does for each group.
#[inline]
pub fn decode_event_data<T: DeserializeOwned, E>(
    data: &RawJson,
    member: &str,
    typed: impl FnOnce(T) -> E,
    invalid: impl FnOnce(InvalidData) -> E,
) -> E {
    match crate::support::raw::decode_data::<T>(data) {
        Ok(value) => typed(value),
        Err(error) => invalid(InvalidData::within(member, data.clone(), error)),
    }
}
