//! Runtime of the open enums that the xtask generates (`SessionStatus` and any other
//! multi-valued string enum of the schemas).

use core::fmt;
use core::marker::PhantomData;

/// The text of an enum value that this version of `clerk-models` does not know.
///
/// It is the payload of the catch-all variant of every open enum (for example
/// [`SessionStatus::Unknown`](crate::SessionStatus::Unknown)). Only decoding and parsing
/// create it, so a catch-all never holds a value the crate knows: `"active"` always becomes
/// `SessionStatus::Active`. The text is kept exactly as received and written back unchanged.
///
/// ```
/// use clerk_models::SessionStatus;
///
/// let status: SessionStatus = "suspended".parse().unwrap();
/// match &status {
///     SessionStatus::Unknown(value) => assert_eq!(value.as_str(), "suspended"),
///     _ => unreachable!(),
/// }
/// assert_eq!(status.to_string(), "suspended");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// The text as received.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl AsRef<str> for UnknownValue {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<UnknownValue> for String {
    fn from(value: UnknownValue) -> Self {
        value.0
    }
}

/// What the generated code of an open enum provides to this runtime.
pub(crate) trait OpenEnum: Sized {
    /// For serde's "invalid type" messages.
    const EXPECTING: &'static str;
    /// The variant for a known text, without allocating.
    fn from_known(text: &str) -> Option<Self>;
    /// The catch-all variant.
    fn from_unknown(value: UnknownValue) -> Self;
}

/// Parses text: a known value, else the catch-all keeping a copy of the text.
pub(crate) fn parse<T: OpenEnum>(text: &str) -> T {
    T::from_known(text).unwrap_or_else(|| T::from_unknown(UnknownValue(text.to_owned())))
}

/// Like [`parse`], reusing the `String` for an unknown value.
pub(crate) fn parse_owned<T: OpenEnum>(text: String) -> T {
    match T::from_known(&text) {
        Some(known) => known,
        None => T::from_unknown(UnknownValue(text)),
    }
}

/// Deserializes an open enum from a string; known values do not allocate.
pub(crate) fn deserialize<'de, T: OpenEnum, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_str(Visitor(PhantomData))
}

struct Visitor<T>(PhantomData<T>);

impl<T: OpenEnum> serde::de::Visitor<'_> for Visitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        Ok(parse(text))
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<T, E> {
        Ok(parse_owned(text))
    }
}
