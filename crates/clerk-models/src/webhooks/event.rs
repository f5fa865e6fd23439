//! Webhook events: the generated [`WebhookEnvelope`], with its `data` decoded up front as
//! the generated [`EventData`] its type says, or kept as [`InvalidData`] where it does not fit.

use std::time::SystemTime;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::invalid::InvalidData;
use crate::generated::EventFrame;
use crate::{
    EmbeddedObjects, EventAttributes, EventData, EventType, RawJson, Session, User, WebhookEnvelope,
};

/// One webhook event as Clerk (through Svix) delivers it: the envelope (`type`, `timestamp`,
/// `instance_id`, `event_attributes`) and its `data`, decoded as the event's type says.
///
/// **Every body that is a JSON object with a string `type` and a `data` is an event.**
/// Decoding fails for nothing else, so an authentic delivery is never refused for its
/// content (Svix retries a refused one for days, then disables the endpoint). Its `data` is
/// decoded into [`EventData`]: a [`User`] for `user.created` and `user.updated`, a
/// [`Session`] for the five session events, an [`Organization`] for `organization.created`,
/// a [`DeletedObject`] for the `*.deleted` events, and so on for every event type of Clerk's
/// webhooks spec. Data that does not fit its type's model is [`EventData::Invalid`], kept
/// byte for byte with the error and its path (`data.email_addresses[0].verification: ...`);
/// [`try_data`](Self::try_data) turns it into an error for handlers that want one. An event
/// type this version does not know is [`EventData::Unknown`], its `data` kept for
/// [`RawJson::decode`] into your own type.
///
/// Decode it with [`clerk_models::from_slice`](crate::from_slice), or any serde format. With
/// the `webhooks` feature, `Webhook::verify` checks the signature and decodes it in one call.
///
/// | Call | Returns |
/// |---|---|
/// | [`event_type`](Self::event_type) | [`EventType`]: every type of Clerk's spec, `is_user()`, `is_session()`, `as_str()`; an unknown type decodes as `EventType::Unknown` with its text |
/// | [`data`](Self::data), [`try_data`](Self::try_data) | `&EventData`: `match` it, `Invalid` included; or an error where the data does not fit |
/// | [`user`](Self::user), [`session`](Self::session) | The user of `user.*` events and the one inside every session event's `data`; the session of session events |
/// | [`message_id`](Self::message_id) | The verified `svix-id`, from `Webhook::verify`: handle each event once |
/// | [`raw_data`](Self::raw_data) | The event's `data` as [`RawJson`], byte for byte as received |
/// | [`instance_id`](Self::instance_id), [`timestamp`](Self::timestamp), [`timestamp_system_time`](Self::timestamp_system_time), [`event_attributes`](Self::event_attributes) | The envelope, each optional; `timestamp` is Unix milliseconds |
/// | [`envelope`](Self::envelope), [`into_parts`](Self::into_parts), [`invalid_envelope`](Self::invalid_envelope) | The generated [`WebhookEnvelope`], every field; the body, when the envelope did not fit |
///
/// Serializing writes what was received: the envelope with its `data` byte for byte.
///
/// # Decisions about Clerk's webhooks spec
///
/// The envelope and the data that only webhooks send (emails, SMS, billing) are generated
/// from `clerk-webhooks-2025-04-15.yml`; every object the Backend API also has (`User`,
/// `Session`, `Organization`…) from the Backend API's 2026-05-12 spec, the newer one. Where
/// the spec and Clerk's own payloads disagree:
///
/// - Only `type` and `data` are required of the envelope: deliveries before 2025 and the
///   examples of Clerk's docs have no `instance_id`, those of its 2022 and 2023 docs no
///   `timestamp`.
/// - The examples Clerk's dashboard sends ("Send example") omit keys the spec requires (an
///   organization's `has_image`, an invitation's `role_name`…): each such key is optional,
///   with that evidence in `schemas/`, so they decode typed. An absent fact is `None`.
/// - The webhooks spec's `Session` lags the Backend API (no `pending`, no `tasks`): session
///   events decode `data` as the Backend API's [`Session`], and the `user` inside it, on its
///   own, as a [`User`] ([`user`](Self::user)): a user that does not fit leaves the session
///   typed.
/// - The envelope's `timestamp` is milliseconds (Clerk's docs and real deliveries show 13
///   digits), although the spec's examples show seconds.
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
    /// Set when the envelope's own keys (beside `type` and `data`) did not fit: the whole
    /// body as received, and why.
    invalid_envelope: Option<Box<InvalidData>>,
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

    /// The event's `data`, decoded as its type says: [`EventData::Invalid`] when it does not
    /// fit its type's model, [`EventData::Unknown`] for a type this version does not know.
    #[must_use]
    pub fn data(&self) -> &EventData {
        &self.data
    }

    /// The event's `data` when it fits its type's model (or the type is unknown), else the
    /// error that says where it does not: for a handler that must not go on with data it
    /// cannot type. The event itself was still accepted, and its data is still in
    /// [`raw_data`](Self::raw_data).
    ///
    /// # Errors
    ///
    /// The error of [`EventData::Invalid`], whose path starts at the envelope
    /// (`data.has_image`).
    pub fn try_data(&self) -> Result<&EventData, &crate::Error> {
        match &self.data {
            EventData::Invalid(invalid) => Err(invalid.error()),
            data => Ok(data),
        }
    }

    /// The event's `data` exactly as received, byte for byte, to decode into your own types.
    #[must_use]
    pub fn raw_data(&self) -> &RawJson {
        &self.envelope.data
    }

    /// The session of the session events ([`EventType::is_session`]); `None` for every
    /// other event, and when the data is not a session.
    #[must_use]
    pub fn session(&self) -> Option<&Session> {
        match &self.data {
            EventData::Session(session) => Some(session),
            _ => None,
        }
    }

    /// The user: the `data` of `user.created` and `user.updated`, or the user inside the
    /// `data` of a session event (when Clerk sent one that fits the model: see
    /// [`EmbeddedObjects::invalid`]); `None` for every other event.
    #[must_use]
    pub fn user(&self) -> Option<&User> {
        match &self.data {
            EventData::User(user) => Some(user),
            _ => self.embedded.user.as_deref(),
        }
    }

    /// The objects the event carries inside its `data` beside the data's own fields, each
    /// decoded on its own: one that does not fit leaves the data typed.
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
    /// `None` when the event has none, as in the deliveries of Clerk's 2022 and 2023 docs.
    #[must_use]
    pub fn timestamp(&self) -> Option<i64> {
        self.envelope.timestamp
    }

    /// [`timestamp`](Self::timestamp) as a `SystemTime`, or `None` when the event has none or
    /// this platform cannot represent it. Never panics.
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

    /// When a key of the envelope other than `type` and `data` did not fit (a `timestamp`
    /// that is not a number, say): the whole body as received, and the error. The event is
    /// still accepted and its data typed; the envelope then holds only `type` and `data`.
    /// `None` for every event Clerk sends.
    #[must_use]
    pub fn invalid_envelope(&self) -> Option<&InvalidData> {
        self.invalid_envelope.as_deref()
    }

    /// The envelope and the decoded `data`.
    #[must_use]
    pub fn into_parts(self) -> (WebhookEnvelope, EventData) {
        (self.envelope, self.data)
    }

    /// Decodes a webhook body: an event whenever it is a JSON object with a string `type`
    /// and a `data`, whatever else it holds.
    ///
    /// `#[inline]`, as `EventData::decode` is: the decoders of every event's data are built
    /// in the programs that decode events, not in every build of this crate (they tripled
    /// its clean release build when this was not).
    #[inline]
    pub(crate) fn from_json(json: &str) -> Result<Self, crate::Error> {
        // One pass for every body whose envelope fits, which is every body Clerk sends.
        if let Ok(envelope) = serde_json::from_str::<WebhookEnvelope>(json) {
            return Ok(Self::from(envelope));
        }
        let frame: EventFrame = crate::from_str(json)?;
        let mut event = Self::from(frame.into_envelope());
        if let Err(error) = crate::from_str::<WebhookEnvelope>(json) {
            let body = RawJson::from_string(json.to_owned()).map_err(crate::Error::from_json)?;
            event.invalid_envelope = Some(Box::new(InvalidData::new(body, error)));
        }
        Ok(event)
    }
}

impl From<WebhookEnvelope> for WebhookEvent {
    /// Decodes the envelope's `data` as its type says; data that does not fit is kept as
    /// [`EventData::Invalid`].
    #[inline]
    fn from(envelope: WebhookEnvelope) -> Self {
        let data = EventData::decode(&envelope.type_, &envelope.data);
        let embedded = EmbeddedObjects::decode(&envelope.type_, &envelope.data);
        Self {
            envelope,
            data,
            embedded,
            message_id: None,
            invalid_envelope: None,
        }
    }
}

impl<'de> Deserialize<'de> for WebhookEvent {
    /// From JSON (any human-readable format): every body that has a `type` and a `data` is
    /// an event, as for `Webhook::verify`. From a binary format: the envelope as
    /// [`Serialize`] wrote it.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        if !deserializer.is_human_readable() {
            return WebhookEnvelope::deserialize(deserializer).map(Self::from);
        }
        // The body is kept whole first, so that it can be read again as a frame when its
        // envelope does not fit.
        let body = Box::<serde_json::value::RawValue>::deserialize(deserializer)?;
        Self::from_json(body.get()).map_err(|e| D::Error::custom(crate::support::decode::relay(&e)))
    }
}

impl Serialize for WebhookEvent {
    /// What was received: the envelope with `data` byte for byte, or, when the envelope did
    /// not fit, the whole body byte for byte.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (&self.invalid_envelope, serializer.is_human_readable()) {
            (Some(invalid), true) => invalid.raw().serialize(serializer),
            _ => self.envelope.serialize(serializer),
        }
    }
}
