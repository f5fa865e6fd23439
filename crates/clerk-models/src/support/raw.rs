//! JSON kept exactly as received, to decode later into the caller's own types.

use core::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// A JSON value kept exactly as received (its text, byte for byte), decoded only when and
/// into what the caller asks.
///
/// A user's metadata (`public_metadata` and the others) is one: decode it into your own type.
/// So is a webhook event's `data` as received (`WebhookEvent::raw_data`), and the `data` of
/// an event type this version does not know. Decoding the value that holds it does not parse
/// it beyond finding where it ends.
///
/// Equality, hashing and [`Display`](fmt::Display) use the text, so two values that differ
/// only in spacing or key order are not equal.
///
/// ```
/// use clerk_models::RawJson;
///
/// #[derive(serde::Deserialize)]
/// struct MyUser { id: String, first_name: Option<String> }
///
/// let raw = RawJson::from_string(r#"{"id": "user_1", "first_name": "Ada", "extra": [1, 2]}"#.into())?;
/// let user: MyUser = raw.decode()?;
/// assert_eq!((user.id.as_str(), user.first_name.as_deref()), ("user_1", Some("Ada")));
///
/// let err = raw.decode::<Vec<u8>>().unwrap_err();
/// assert!(err.to_string().starts_with("invalid type: map, expected a sequence"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Checks that `json` is one JSON value and keeps it as it is.
    ///
    /// # Errors
    ///
    /// When `json` is not exactly one valid JSON value.
    pub fn from_string(json: String) -> Result<Self, serde_json::Error> {
        RawValue::from_string(json).map(Self)
    }

    /// The JSON text, exactly as received.
    #[must_use]
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// Decodes the value into `T`, reporting the path of a failure inside this value (as
    /// [`from_str`](crate::from_str) does).
    ///
    /// # Errors
    ///
    /// A [`crate::Error`] naming the path, the problem and the position within this value.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, crate::Error> {
        crate::from_str(self.get())
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for RawJson {}

impl core::hash::Hash for RawJson {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.get().hash(state);
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RawJson").field(&self.get()).finish()
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl TryFrom<String> for RawJson {
    type Error = serde_json::Error;

    fn try_from(json: String) -> Result<Self, Self::Error> {
        Self::from_string(json)
    }
}

impl TryFrom<&serde_json::Value> for RawJson {
    type Error = serde_json::Error;

    /// The value's compact JSON text.
    fn try_from(value: &serde_json::Value) -> Result<Self, Self::Error> {
        serde_json::value::to_raw_value(value).map(Self)
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(Self)
    }
}

/// Decodes a webhook event's `data` (or an object in it) as `T`: one plain decode when it is
/// valid; the path is worked out only on failure.
///
/// # Errors
///
/// A [`crate::Error`] naming the path inside `data`.
pub fn decode_data<T: DeserializeOwned>(data: &RawJson) -> Result<T, crate::Error> {
    match serde_json::from_str(data.get()) {
        Ok(value) => Ok(value),
        Err(_) => data.decode(),
    }
}
