//! Models decode from JSON objects only.
//!
//! serde's derived struct impls also accept a JSON array, matched to the fields by position,
//! which the schemas forbid. The generator derives the struct impls as serde's `remote =
//! "Self"` inherent functions and emits trait impls that ask the deserializer for a map,
//! through this runtime.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{Deserializer, MapAccess, Visitor};

/// A model that decodes from the entries of a JSON object.
pub trait JsonObject: Sized {
    /// For "invalid type" messages: `a `Session` object`.
    const EXPECTING: &'static str;

    /// Decodes the model from an object's entries (the derived, inherent impl).
    ///
    /// # Errors
    ///
    /// Whatever the entries do not satisfy: a missing, duplicated or mistyped field.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Deserializes `T` from a JSON object, refusing every other JSON type.
///
/// # Errors
///
/// The deserializer's error when the input is not an object or `T` refuses its entries.
pub fn deserialize_object<'de, T: JsonObject, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: JsonObject> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}
