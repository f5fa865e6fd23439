//! Runtime of the string enums that the xtask generates: open ones (`SessionStatus` and any
//! other multi-valued enum of the schemas) and closed discriminators (`SessionObject`).

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

/// Why text is not a value of a closed string enum (such as [`SessionObject`](crate::SessionObject)).
///
/// ```
/// use clerk_models::SessionObject;
///
/// let err = "user".parse::<SessionObject>().unwrap_err();
/// assert_eq!(err.to_string(), r#"unknown SessionObject value "user", expected one of: "session""#);
/// assert_eq!(err.text(), "user");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseEnumError {
    type_name: &'static str,
    text: String,
    expected: &'static [&'static str],
}

impl ParseEnumError {
    /// The text that was refused.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The values that would have been accepted.
    #[must_use]
    pub fn expected(&self) -> &'static [&'static str] {
        self.expected
    }
}

impl fmt::Display for ParseEnumError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} value {:?}, expected one of: ",
            self.type_name, self.text
        )?;
        for (i, value) in self.expected.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{value:?}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseEnumError {}

/// What the generated code of every string enum provides to this runtime.
pub trait StringEnum: Sized + 'static {
    /// The Rust type name, for messages.
    const NAME: &'static str;
    /// For serde's "invalid type" messages.
    const EXPECTING: &'static str;
    /// The known values, in schema order.
    const VALUES: &'static [&'static str];
    /// The variant for a known text, without allocating.
    fn from_known(text: &str) -> Option<Self>;
}

/// An open enum also has a catch-all.
pub trait OpenEnum: StringEnum {
    /// The catch-all variant.
    fn from_unknown(value: UnknownValue) -> Self;
}

/// Parses text: a known value, else the catch-all keeping a copy of the text.
pub fn parse_open<T: OpenEnum>(text: &str) -> T {
    T::from_known(text).unwrap_or_else(|| T::from_unknown(UnknownValue(text.to_owned())))
}

/// Like [`parse_open`], reusing the `String` for an unknown value.
pub fn parse_open_owned<T: OpenEnum>(text: String) -> T {
    match T::from_known(&text) {
        Some(known) => known,
        None => T::from_unknown(UnknownValue(text)),
    }
}

/// Parses text that must be a known value.
pub fn parse_closed<T: StringEnum>(text: &str) -> Result<T, ParseEnumError> {
    T::from_known(text).ok_or_else(|| ParseEnumError {
        type_name: T::NAME,
        text: text.to_owned(),
        expected: T::VALUES,
    })
}

/// Deserializes an open enum from a string; known values do not allocate.
pub fn deserialize_open<'de, T: OpenEnum, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_str(OpenVisitor(PhantomData))
}

/// Deserializes a closed enum from a string; any other value is an error.
pub fn deserialize_closed<'de, T: StringEnum, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_str(ClosedVisitor(PhantomData))
}

struct OpenVisitor<T>(PhantomData<T>);

impl<T: OpenEnum> serde::de::Visitor<'_> for OpenVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        Ok(parse_open(text))
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<T, E> {
        Ok(parse_open_owned(text))
    }
}

struct ClosedVisitor<T>(PhantomData<T>);

impl<T: StringEnum> serde::de::Visitor<'_> for ClosedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        T::from_known(text).ok_or_else(|| E::unknown_variant(text, T::VALUES))
    }
}
