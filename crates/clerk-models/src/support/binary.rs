//! Free-form JSON in binary formats.
//!
//! MessagePack, CBOR, bincode and postcard get each model's binary form (see the crate's
//! "Caching sessions"): every field in order, and the fields that hold free-form JSON (a
//! session's `actor`, a token's custom claims, an envelope's raw `data`) as their JSON text.
//! bincode and postcard cannot describe a value that has no fixed shape; a string they can.

use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::ser::{Error as _, Serialize, Serializer};

/// Serializes the wrapped value as its JSON text.
pub struct JsonText<'a, T>(pub &'a T);

impl<T: Serialize> Serialize for JsonText<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(self.0).map_err(S::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

/// Deserializes a value written by [`JsonText`]: a string of JSON text, decoded as `T`.
///
/// # Errors
///
/// When the input is not a string, or its text is not JSON of `T`'s shape.
pub fn json_text<'de, T: DeserializeOwned, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let text = <String as serde::Deserialize>::deserialize(deserializer)?;
    serde_json::from_str(&text).map_err(|e| D::Error::custom(format_args!("JSON text: {e}")))
}
