//! Svix signature verification and signing, public through [`super`].

use core::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::WebhookEvent;

type HmacSha256 = Hmac<Sha256>;

/// How far a request's timestamp may be from `now`, either way, as Svix's libraries allow.
pub const TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The prefix of a Svix endpoint secret.
const SECRET_PREFIX: &str = "whsec_";

/// The three headers, branded (Svix) and unbranded (Standard Webhooks).
const ID: [&str; 2] = ["svix-id", "webhook-id"];
const TIMESTAMP: [&str; 2] = ["svix-timestamp", "webhook-timestamp"];
const SIGNATURE: [&str; 2] = ["svix-signature", "webhook-signature"];

/// A webhook endpoint's signing secret, ready to verify and sign.
///
/// Its `Debug` form never shows the key.
#[derive(Clone)]
pub struct Webhook {
    /// HMAC-SHA256 keyed with the secret, before any input: cloned for each message.
    keyed: HmacSha256,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("key", &"<redacted>")
            .finish()
    }
}

/// The request headers [`Webhook::verify`] reads: implemented for `&http::HeaderMap`
/// (feature `http`) and for slices, arrays and vectors of `(name, value)` pairs, so it
/// works with any web framework.
///
/// Names are matched without regard to ASCII case. When a header appears more than once,
/// the first occurrence counts.
pub trait WebhookHeaders {
    /// The value of the header `name` (lowercase), if present. `Err(())` when it is present
    /// but not visible ASCII text.
    ///
    /// # Errors
    ///
    /// `Err(())` when the value is not text.
    #[allow(clippy::result_unit_err)] // the caller turns it into a WebhookError naming the header
    fn header(&self, name: &str) -> Result<Option<&str>, ()>;
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for [(K, V)] {
    fn header(&self, name: &str) -> Result<Option<&str>, ()> {
        Ok(self
            .iter()
            .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref()))
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> WebhookHeaders for [(K, V); N] {
    fn header(&self, name: &str) -> Result<Option<&str>, ()> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for Vec<(K, V)> {
    fn header(&self, name: &str) -> Result<Option<&str>, ()> {
        self.as_slice().header(name)
    }
}

impl<T: WebhookHeaders + ?Sized> WebhookHeaders for &T {
    fn header(&self, name: &str) -> Result<Option<&str>, ()> {
        (**self).header(name)
    }
}

#[cfg(feature = "http")]
impl WebhookHeaders for http::HeaderMap {
    fn header(&self, name: &str) -> Result<Option<&str>, ()> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => value.to_str().map(Some).map_err(|_| ()),
        }
    }
}

/// Why a webhook was refused. Never contains the secret.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is not `whsec_` followed by base64 (or plain base64), or is empty.
    InvalidSecret,
    /// A required header is absent (named by its `svix-` form).
    MissingHeader(&'static str),
    /// A header is present but unusable: not text, or a timestamp that is not a number.
    InvalidHeader {
        /// The header, by its `svix-` form.
        name: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The timestamp is more than [`TOLERANCE`] before `now`: a replay, or a very late
    /// delivery.
    TimestampTooOld,
    /// The timestamp is more than [`TOLERANCE`] after `now`.
    TimestampTooNew,
    /// No `v1` signature entry matches the body: tampered, signed with another secret, or
    /// no usable entry at all.
    NoMatchingSignature,
    /// The signature is valid, but the body is no webhook event: not a JSON object, or
    /// without a string `type` or a `data`. The error names the path. (A body whose `data`
    /// does not fit its model is an event, with [`EventData::Invalid`](crate::EventData::Invalid).)
    InvalidBody(crate::Error),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidSecret => f.write_str(
                "invalid webhook secret: expected `whsec_` followed by base64 (the secret itself is not shown)",
            ),
            Self::MissingHeader(name) => write!(f, "missing header `{name}`"),
            Self::InvalidHeader { name, reason } => write!(f, "invalid header `{name}`: {reason}"),
            Self::TimestampTooOld => f.write_str(
                "webhook timestamp is more than 5 minutes before now (replayed or late)",
            ),
            Self::TimestampTooNew => {
                f.write_str("webhook timestamp is more than 5 minutes after now")
            }
            Self::NoMatchingSignature => f.write_str("no webhook signature matches the body"),
            Self::InvalidBody(e) => write!(f, "signed body is not a valid webhook event: {e}"),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::InvalidBody(e) => Some(e),
            _ => None,
        }
    }
}

impl Webhook {
    /// Reads an endpoint's signing secret, `whsec_<base64>` as Clerk's dashboard shows it
    /// (plain base64 is accepted too, as Svix's libraries do).
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidSecret`] when the rest is not base64 or decodes to nothing.
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
        let key = STANDARD
            .decode(encoded)
            .map_err(|_| WebhookError::InvalidSecret)?;
        if key.is_empty() {
            return Err(WebhookError::InvalidSecret);
        }
        // HMAC takes keys of any length, so this does not fail for a decoded key.
        let keyed = HmacSha256::new_from_slice(&key).map_err(|_| WebhookError::InvalidSecret)?;
        Ok(Self { keyed })
    }

    /// Checks the request's signature and timestamp against `now`, then decodes the body as a
    /// [`WebhookEvent`], which carries the verified message id (`svix-id`) as
    /// [`WebhookEvent::message_id`]: Svix delivers at least once, retrying for days, so keep
    /// the ids you have handled and skip a repeat.
    ///
    /// An authentic body is refused only when it is no event at all (not a JSON object, or
    /// without a string `type` or a `data`). Every other one is returned, its `data` typed
    /// where it fits its model and [`EventData::Invalid`](crate::EventData::Invalid), kept
    /// byte for byte with the error, where it does not: store it and answer 2xx, or Svix
    /// retries it for days and then disables the endpoint.
    ///
    /// # Errors
    ///
    /// Every way a request can fail, as a distinct [`WebhookError`]; the body is decoded only
    /// once the signature is valid.
    pub fn verify<H: WebhookHeaders + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: SystemTime,
    ) -> Result<WebhookEvent, WebhookError> {
        self.verify_signature(headers, body, now)?;
        let id = required(headers, ID)?;
        // Text decodes faster than bytes (serde_json checks UTF-8 once, up front, instead of in
        // every string and raw value); bytes that are not UTF-8 are no JSON, and get the byte
        // decoder's error, with its position.
        let decoded = match std::str::from_utf8(body) {
            Ok(text) => WebhookEvent::from_json(text),
            Err(_) => crate::from_slice::<WebhookEvent>(body),
        };
        let event = decoded.map_err(WebhookError::InvalidBody)?;
        Ok(event.with_message_id(id.to_owned()))
    }

    /// [`verify`](Self::verify) without decoding: for a body you decode yourself.
    ///
    /// # Errors
    ///
    /// As [`verify`](Self::verify), except [`WebhookError::InvalidBody`].
    pub fn verify_signature<H: WebhookHeaders + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), WebhookError> {
        let id = required(headers, ID)?;
        let timestamp_text = required(headers, TIMESTAMP)?;
        let signatures = required(headers, SIGNATURE)?;
        let timestamp = parse_timestamp(timestamp_text)?;
        check_window(timestamp, now)?;
        let mac = self.mac(id, timestamp_text, body);
        let matched = signatures
            .split(' ')
            .filter_map(|entry| entry.split_once(','))
            .filter(|(version, _)| *version == "v1")
            .filter_map(|(_, encoded)| STANDARD.decode(encoded).ok())
            .filter(|signature: &Vec<u8>| !signature.is_empty())
            .any(|signature: Vec<u8>| mac.clone().verify_slice(&signature).is_ok());
        if matched {
            Ok(())
        } else {
            Err(WebhookError::NoMatchingSignature)
        }
    }

    /// A valid `svix-signature` value (`v1,<base64>`) for `body` sent as message `id` at
    /// `timestamp` (Unix seconds): for tests of code that receives webhooks.
    #[must_use]
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let tag = self.mac(id, &timestamp.to_string(), body).finalize();
        format!("v1,{}", STANDARD.encode(tag.into_bytes()))
    }

    /// The MAC of `{id}.{timestamp}.{body}`, not yet finalized.
    fn mac(&self, id: &str, timestamp: &str, body: &[u8]) -> HmacSha256 {
        let mut mac = self.keyed.clone();
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }
}

/// The first of the header's two forms that is present.
fn required<'h, H: WebhookHeaders + ?Sized>(
    headers: &'h H,
    names: [&'static str; 2],
) -> Result<&'h str, WebhookError> {
    let [branded, _] = names;
    for name in names {
        match headers.header(name) {
            Ok(Some(value)) => return Ok(value),
            Ok(None) => {}
            Err(()) => {
                return Err(WebhookError::InvalidHeader {
                    name: branded,
                    reason: "not visible ASCII text",
                });
            }
        }
    }
    Err(WebhookError::MissingHeader(branded))
}

fn parse_timestamp(text: &str) -> Result<i64, WebhookError> {
    let invalid = WebhookError::InvalidHeader {
        name: TIMESTAMP[0],
        reason: "not a Unix time in whole seconds",
    };
    // Digits only: no sign, no spaces, no `+`, as Svix writes it.
    if text.is_empty() || text.len() > 19 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid);
    }
    text.parse().map_err(|_| invalid)
}

/// `timestamp` (seconds) within [`TOLERANCE`] of `now`, compared exactly.
fn check_window(timestamp: i64, now: SystemTime) -> Result<(), WebhookError> {
    let at = u64::try_from(timestamp)
        .ok()
        .and_then(|s| UNIX_EPOCH.checked_add(Duration::from_secs(s)))
        .ok_or(WebhookError::TimestampTooNew)?;
    match now.duration_since(at) {
        Ok(age) if age > TOLERANCE => Err(WebhookError::TimestampTooOld),
        Ok(_) => Ok(()),
        Err(ahead) if ahead.duration() > TOLERANCE => Err(WebhookError::TimestampTooNew),
        Err(_) => Ok(()),
    }
}
