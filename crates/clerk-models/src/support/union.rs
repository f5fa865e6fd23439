//! What the generated unions (a `oneOf` of Clerk's spec, such as an email address's
//! `verification`) call to decide which member a JSON object is.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, Visitor};

use crate::RawJson;

/// The string values of `keys` in the JSON object `raw`, without allocating when they have
/// no escapes. A key whose value is not a string reads as absent: the member it would choose
/// could not decode it anyway, and the union keeps such JSON as its `Unknown`.
///
/// # Errors
///
/// When `raw` is not a JSON object.
pub fn union_keys<'a, const N: usize>(
    raw: &'a RawJson,
    keys: [&'static str; N],
) -> Result<[Option<Cow<'a, str>>; N], serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(raw.get());
    de::Deserializer::deserialize_map(&mut de, KeysVisitor { keys })
}

struct KeysVisitor<const N: usize> {
    keys: [&'static str; N],
}

/// A string, borrowed where it can be; anything else is skipped.
struct MaybeStr<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> de::Deserialize<'de> for MaybeStr<'a> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MaybeStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(MaybeStr(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(MaybeStr(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(MaybeStr(Some(Cow::Owned(v))))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeStr(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(MaybeStr(None))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de, const N: usize> Visitor<'de> for KeysVisitor<N> {
    type Value = [Option<Cow<'de, str>>; N];

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out: [Option<Cow<'de, str>>; N] = std::array::from_fn(|_| None);
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            let wanted = self.keys.iter().position(|k| *k == key);
            match wanted.and_then(|i| out.get_mut(i)) {
                Some(slot) => *slot = map.next_value::<MaybeStr<'de>>()?.0,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

/// Decodes the chosen member `T` (named `member` in the error) of a union from its JSON; on
/// failure the message names the path inside the member.
///
/// # Errors
///
/// When the JSON is not a `T`.
pub fn union_member<T: DeserializeOwned, E: de::Error>(
    raw: &RawJson,
    member: &str,
) -> Result<T, E> {
    // One plain decode when it is valid; the path is worked out only on failure.
    serde_json::from_str(raw.get()).map_err(|_| match raw.decode::<T>() {
        Err(e) => E::custom(format_args!("{e} (decoding a `{member}`)")),
        Ok(_) => E::custom(format_args!("not a valid `{member}`")),
    })
}
