//! Webhook events: the generated [`WebhookEnvelope`], with its `data` decoded up front as
//! the generated [`EventData`] its type says.

use std::time::SystemTime;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{
    EmbeddedObjects, EventAttributes, EventData, EventType, RawJson, Session, User, WebhookEnvelope,
};

/// One webhook event as Clerk (through Svix) delivers it: the envelope (`type`, `timestamp`,
/// `instance_id`, `event_attributes`) and its `data`, decoded as the event's type says.
///
/// Decoding the event decodes its `data` into [`EventData`]: a [`User`] for `user.created`
/// and `user.updated`, a [`Session`] for the five session events, an [`Organization`] for
/// `organization.created`, a [`DeletedObject`] for the `*.deleted` events, and so on for
/// every event type of Clerk's webhooks spec. An event whose `data` is not its type's model
/// is an error naming the path (`data.email_addresses[0].verification: ...`), never an event
/// of another kind. An event type this version does not know decodes as
/// [`EventData::Unknown`] with its `data` kept for [`RawJson::decode`] into your own type.
///
/// Decode it with [`clerk_models::from_slice`](crate::from_slice) (errors name the path), or
/// any serde format. With the `webhooks` feature, `Webhook::verify` checks the signature and
/// decodes it in one call.
///
/// | Call | Returns |
/// |---|---|
/// | [`event_type`](Self::event_type) | [`EventType`]: every type of Clerk's spec, `is_user()`, `is_session()`, `as_str()`; an unknown type decodes as `EventType::Unknown` with its text |
/// | [`data`](Self::data) | `&EventData`: `match` it |
/// | [`user`](Self::user), [`session`](Self::session) | The user of `user.*` events and the one inside every session event's `data`; the session of session events |
/// | [`message_id`](Self::message_id) | The verified `svix-id`, from `Webhook::verify`: handle each event once |
/// | [`raw_data`](Self::raw_data) | The event's `data` as [`RawJson`], byte for byte as received |
/// | [`instance_id`](Self::instance_id), [`timestamp`](Self::timestamp), [`timestamp_system_time`](Self::timestamp_system_time), [`event_attributes`](Self::event_attributes) | The envelope; `timestamp` is Unix milliseconds |
/// | [`envelope`](Self::envelope), [`into_parts`](Self::into_parts) | The generated [`WebhookEnvelope`], every field |
///
/// # Decisions about Clerk's webhooks spec
///
/// The envelope and the data that only webhooks send (emails, SMS, billing) are generated
/// from `clerk-webhooks-2025-04-15.yml`; every object the Backend API also has (`User`,
/// `Session`, `Organization`…) from the Backend API's 2026-05-12 spec, the newer one. Where
/// the spec and Clerk's own payloads disagree:
///
/// - `instance_id` is optional: deliveries before 2025 and the examples of Clerk's docs have
///   none.
/// - The webhooks spec's `Session` lags the Backend API (no `pending`, no `tasks`): session
///   events decode `data` as the Backend API's [`Session`], and the `user` inside it as a
///   [`User`] ([`user`](Self::user)).
/// - The envelope's `timestamp` is milliseconds (Clerk's docs and real deliveries show 13
///   digits), although the spec's examples show seconds.
/// - Three event types do not list `data` as required; every event of a known type without
///   `data` is still an error, since its handler would have nothing to read.
///
/// [`Organization`]: crate::Organization
/// [`DeletedObject`]: crate::DeletedObject
///
/// ```
/// use clerk_models::{EventData, EventType, WebhookEvent};
///
/// let body = r#"{"object": "event", "type": "session.created", "timestamp": 1744276393644,
///   "instance_id": "ins_1", "data": {"object": "session", "id": "sess_1", "user_id": "user_1",
///   "client_id": "client_1", "status": "active", "last_active_at": 1744276393000,
///   "expire_at": 1744881193000, "abandon_at": 1746868393000, "updated_at": 1744276393000,
///   "created_at": 1744276393000, "user": {"object": "user", "id": "user_1",
///   "first_name": "Ada", "last_name": "Lovelace", "username": null,
///   "primary_email_address_id": null, "primary_phone_number_id": null,
///   "primary_web3_wallet_id": null, "password_enabled": false, "two_factor_enabled": false,
///   "email_addresses": [], "phone_numbers": [], "web3_wallets": [], "external_accounts": [],
///   "public_metadata": {}, "external_id": null, "last_sign_in_at": null,
///   "created_at": 1744276393000, "updated_at": 1744276393000}}}"#;
/// let event: WebhookEvent = clerk_models::from_str(body)?;
/// assert_eq!(event.event_type(), &EventType::SessionCreated);
/// match event.data() {
///     EventData::Session(session) => assert!(session.status.is_active()),
///     other => panic!("not a session: {other:?}"),
/// }
/// assert_eq!(event.user().map(|u| u.full_name().to_string()).as_deref(), Some("Ada Lovelace"));
/// # Ok::<(), clerk_models::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct WebhookEvent {
    envelope: WebhookEnvelope,
    data: EventData,
    embedded: EmbeddedObjects,
    message_id: Option<String>,
}

impl WebhookEvent {
    /// The event type (`type`): [`EventType::UserCreated`] and the rest, or
    /// [`EventType::Unknown`] with the text for a type this version does not know.
    #[must_use]
    pub fn event_type(&self) -> &EventType {
        &self.envelope.type_
    }

    /// The Svix message id (`svix-id`) of a delivery that `Webhook::verify` checked: the same
    /// for every retry of one event, so the key to handle each event once. `None` for an event
    /// decoded from JSON alone.
    #[must_use]
    pub fn message_id(&self) -> Option<&str> {
        self.message_id.as_deref()
    }

    #[cfg(feature = "webhooks")]
    pub(crate) fn with_message_id(mut self, id: String) -> Self {
        self.message_id = Some(id);
        self
    }

    /// The event's `data`, decoded as its type says.
    #[must_use]
    pub fn data(&self) -> &EventData {
        &self.data
    }

    /// The event's `data` exactly as received, byte for byte, to decode into your own types;
    /// `None` only for an event of an unknown type that had no `data`.
    #[must_use]
    pub fn raw_data(&self) -> Option<&RawJson> {
        self.envelope.data.as_ref()
    }

    /// The session of the session events ([`EventType::is_session`]); `None` for every
    /// other event.
    #[must_use]
    pub fn session(&self) -> Option<&Session> {
        match &self.data {
            EventData::Session(session) => Some(session),
            _ => None,
        }
    }

    /// The user: the `data` of `user.created` and `user.updated`, or the user inside the
    /// `data` of a session event (when Clerk sent one); `None` for every other event.
    #[must_use]
    pub fn user(&self) -> Option<&User> {
        match &self.data {
            EventData::User(user) => Some(user),
            _ => self.embedded.user.as_deref(),
        }
    }

    /// The objects the event carries inside its `data` beside the data's own fields.
    #[must_use]
    pub fn embedded(&self) -> &EmbeddedObjects {
        &self.embedded
    }

    /// `instance_id`: the Clerk instance that sent the event; `None` for events that do not
    /// say (every delivery before 2025).
    #[must_use]
    pub fn instance_id(&self) -> Option<&str> {
        self.envelope.instance_id.as_deref()
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

    /// The whole envelope, every field as generated from the schema (`data` raw).
    #[must_use]
    pub fn envelope(&self) -> &WebhookEnvelope {
        &self.envelope
    }

    /// The envelope and the decoded `data`.
    #[must_use]
    pub fn into_parts(self) -> (WebhookEnvelope, EventData) {
        (self.envelope, self.data)
    }
}

impl TryFrom<WebhookEnvelope> for WebhookEvent {
    type Error = crate::Error;

    /// Checks the envelope as decoding does: the `data` of a known event type must be its
    /// type's model.
    #[inline]
    fn try_from(envelope: WebhookEnvelope) -> Result<Self, Self::Error> {
        match decode_data(&envelope) {
            Ok((data, embedded)) => Ok(Self {
                envelope,
                data,
                embedded,
                message_id: None,
            }),
            Err(DataError::Missing) => Err(crate::support::decode::Error::custom_at_root(
                "missing field `data`",
                false,
            )),
            Err(DataError::Invalid(text)) => {
                Err(crate::support::decode::Error::custom_at_root(&text, true))
            }
        }
    }
}

/// Why an event's `data` did not decode.
enum DataError {
    Missing,
    /// The message (`data.expire_at: ...`); the location is recorded for `from_*`.
    Invalid(String),
}

// Inline: every model's decoder is compiled where events are decoded (see `EventData::decode`).
#[inline]
fn decode_data(envelope: &WebhookEnvelope) -> Result<(EventData, EmbeddedObjects), DataError> {
    let invalid =
        |e: crate::Error| DataError::Invalid(crate::support::decode::nested_failure("data", &e));
    let Some(raw) = envelope.data.as_ref() else {
        if envelope.type_.is_known() {
            return Err(DataError::Missing);
        }
        let null = RawJson::from_string("null".to_owned())
            .map_err(|e| DataError::Invalid(e.to_string()))?;
        return Ok((EventData::Unknown(null), EmbeddedObjects::default()));
    };
    let data = EventData::decode(&envelope.type_, raw).map_err(invalid)?;
    let embedded = EmbeddedObjects::decode(&envelope.type_, raw).map_err(invalid)?;
    Ok((data, embedded))
}

impl<'de> Deserialize<'de> for WebhookEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let envelope = WebhookEnvelope::deserialize(deserializer)?;
        let (data, embedded) = decode_data(&envelope).map_err(|e| match e {
            DataError::Missing => D::Error::missing_field("data"),
            DataError::Invalid(text) => D::Error::custom(text),
        })?;
        Ok(Self {
            envelope,
            data,
            embedded,
            message_id: None,
        })
    }
}

impl Serialize for WebhookEvent {
    /// The envelope as received: `data` is written back byte for byte.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.envelope.serialize(serializer)
    }
}
