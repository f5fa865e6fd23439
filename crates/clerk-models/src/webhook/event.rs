//! Webhook events: the generated [`WebhookEnvelope`], with the [`Session`] of session events
//! decoded and checked up front.

use std::time::SystemTime;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{EventAttributes, EventType, RawJson, Session, WebhookEnvelope};

/// One webhook event as Clerk (through Svix) delivers it: the envelope (`type`, `timestamp`,
/// `instance_id`, `event_attributes`) and its `data`, kept raw.
///
/// For the events whose `data` is a session (`session.created`, `session.pending`,
/// `session.ended`, `session.removed`, `session.revoked`: [`EventType::is_session`]), the
/// [`Session`] is decoded while the event is, so [`session`](Self::session) is `Some`, and a
/// session event whose `data` is not a valid `Session` is an error naming the path
/// (`data.expire_at: ...`), never an event of another kind. Every other event, and any event
/// type this version does not know, decodes with its `data` left raw for
/// [`RawJson::decode`] into your own types.
///
/// Decode it with [`clerk_models::from_slice`](crate::from_slice) (errors name the path), or
/// any serde format. With the `webhooks` feature, `Webhook::verify` checks the signature and
/// decodes it in one call.
///
/// | Call | Returns |
/// |---|---|
/// | [`event_type`](Self::event_type) | [`EventType`]: every type of Clerk's spec, `is_session()`, `as_str()`; an unknown type decodes as `EventType::Unknown` with its text |
/// | [`session`](Self::session) | `Some(&Session)` for the five session events, checked at decode time |
/// | [`data`](Self::data) | The event's `data` as [`RawJson`], byte for byte: [`RawJson::decode`] into your own type, with path errors |
/// | [`instance_id`](Self::instance_id), [`timestamp`](Self::timestamp), [`timestamp_system_time`](Self::timestamp_system_time), [`event_attributes`](Self::event_attributes) | The envelope; `timestamp` is Unix milliseconds |
/// | [`envelope`](Self::envelope), [`into_parts`](Self::into_parts) | The generated [`WebhookEnvelope`], every field |
///
/// # Decisions about Clerk's webhooks spec
///
/// The envelope is generated from `clerk-webhooks-2025-04-15.yml`
/// (`schemas/webhook-event.json`). Where the spec and real deliveries disagree:
///
/// - Its own `Session` lags the Backend API (no `pending`, no `tasks`), so it is never
///   imported: session events decode `data` as the Backend API's [`Session`]. Which events
///   carry a session is read from the spec (their `data` is an `allOf` with `Session`).
/// - `data` also carries the whole `user`; it stays in the raw `data`, for your own type.
/// - The envelope's `timestamp` is milliseconds (Clerk's docs and real deliveries show 13
///   digits), although the spec's examples show seconds.
/// - Three event types do not list `data` as required, so [`WebhookEnvelope::data`] is an
///   `Option`; a session event without `data` is an error.
///
/// ```
/// use clerk_models::{EventType, WebhookEvent};
///
/// let body = r#"{"object": "event", "type": "session.created", "timestamp": 1744276393644,
///   "instance_id": "ins_1", "data": {"object": "session", "id": "sess_1", "user_id": "user_1",
///   "client_id": "client_1", "status": "active", "last_active_at": 1744276393000,
///   "expire_at": 1744881193000, "abandon_at": 1746868393000, "updated_at": 1744276393000,
///   "created_at": 1744276393000, "user": {"id": "user_1", "first_name": "Ada"}}}"#;
/// let event: WebhookEvent = clerk_models::from_str(body)?;
/// assert_eq!(event.event_type(), &EventType::SessionCreated);
/// assert_eq!(event.event_type().as_str(), "session.created");
/// let session = event.session().expect("a session event");
/// assert!(session.status.is_active());
///
/// // The embedded user, into your own type, from the raw `data`:
/// #[derive(serde::Deserialize)]
/// struct Data { user: MyUser }
/// #[derive(serde::Deserialize)]
/// struct MyUser { first_name: String }
/// let data: Data = event.data().expect("data").decode()?;
/// assert_eq!(data.user.first_name, "Ada");
/// # Ok::<(), clerk_models::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebhookEvent {
    envelope: WebhookEnvelope,
    session: Option<Session>,
}

impl WebhookEvent {
    /// The event type (`type`): [`EventType::SessionCreated`] and the rest, or
    /// [`EventType::Unknown`] with the text for a type this version does not know.
    #[must_use]
    pub fn event_type(&self) -> &EventType {
        &self.envelope.type_
    }

    /// The session, for the session events ([`EventType::is_session`]); `None` for every
    /// other event.
    #[must_use]
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// The event's `data`, exactly as received, to decode into your own types. `None` only
    /// when the event had no `data` (Clerk's spec leaves it optional for a few event types).
    #[must_use]
    pub fn data(&self) -> Option<&RawJson> {
        self.envelope.data.as_ref()
    }

    /// `instance_id`: the Clerk instance that sent the event.
    #[must_use]
    pub fn instance_id(&self) -> &str {
        &self.envelope.instance_id
    }

    /// `timestamp`, as sent: Unix time in **milliseconds** (13 digits in real deliveries;
    /// the examples of Clerk's webhook spec show 10-digit seconds, which no delivery uses).
    #[must_use]
    pub fn timestamp(&self) -> i64 {
        self.envelope.timestamp
    }

    /// [`timestamp`](Self::timestamp) as a `SystemTime`, or `None` where this platform cannot
    /// represent it. Never panics.
    #[must_use]
    pub fn timestamp_system_time(&self) -> Option<SystemTime> {
        self.envelope.timestamp_system_time()
    }

    /// `event_attributes`: the HTTP request that caused the event, when Clerk sends it.
    #[must_use]
    pub fn event_attributes(&self) -> Option<&EventAttributes> {
        self.envelope.event_attributes.as_ref()
    }

    /// The whole envelope, every field as generated from the schema.
    #[must_use]
    pub fn envelope(&self) -> &WebhookEnvelope {
        &self.envelope
    }

    /// The envelope, and the session if this is a session event.
    #[must_use]
    pub fn into_parts(self) -> (WebhookEnvelope, Option<Session>) {
        (self.envelope, self.session)
    }
}

impl TryFrom<WebhookEnvelope> for WebhookEvent {
    type Error = crate::Error;

    /// Checks the envelope as decoding does: a session event must carry a valid `Session`.
    fn try_from(envelope: WebhookEnvelope) -> Result<Self, Self::Error> {
        let session = match decode_session(&envelope) {
            Ok(session) => session,
            Err(SessionError::MissingData) => {
                return Err(crate::support::decode::Error::custom_at_root(
                    "missing field `data`",
                    false,
                ));
            }
            Err(SessionError::Invalid(text)) => {
                return Err(crate::support::decode::Error::custom_at_root(&text, true));
            }
        };
        Ok(Self { envelope, session })
    }
}

/// Why a session event's `data` gave no session.
enum SessionError {
    MissingData,
    /// The message (`data.expire_at: ...`); the location is recorded for `from_*`.
    Invalid(String),
}

/// The session of a session event ([`EventType::is_session`]), `None` for any other event.
/// One plain decode when it is valid; the path is worked out only on failure.
fn decode_session(envelope: &WebhookEnvelope) -> Result<Option<Session>, SessionError> {
    if !envelope.type_.is_session() {
        return Ok(None);
    }
    let raw = envelope.data.as_ref().ok_or(SessionError::MissingData)?;
    raw.decode::<Session>()
        .map(Some)
        .map_err(|e| SessionError::Invalid(crate::support::decode::nested_failure("data", &e)))
}

impl<'de> Deserialize<'de> for WebhookEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let envelope = WebhookEnvelope::deserialize(deserializer)?;
        let session = decode_session(&envelope).map_err(|e| match e {
            SessionError::MissingData => D::Error::missing_field("data"),
            SessionError::Invalid(text) => D::Error::custom(text),
        })?;
        Ok(Self { envelope, session })
    }
}

impl Serialize for WebhookEvent {
    /// The envelope as received: `data` is written back byte for byte.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.envelope.serialize(serializer)
    }
}
