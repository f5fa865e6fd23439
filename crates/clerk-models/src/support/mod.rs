//! What the generated models and the derives call, shared by every wire form: decoding
//! with error paths, string enums, timestamps, `object` discriminators, raw JSON, the
//! binary serde form, the builders' markers, the unions' member choice, and the property-test
//! generators.

pub(crate) mod binary;
pub mod builder;
pub(crate) mod decode;
#[cfg(any(feature = "proptest", feature = "arbitrary"))]
pub(crate) mod generators;
pub(crate) mod object;
pub(crate) mod raw;
pub(crate) mod string_enum;
pub(crate) mod timestamp;
pub(crate) mod union;
