//! Stage 3: the model. The bundled schemas are normalized into what typify 0.8 handles well,
//! and what typify cannot carry is collected into the [`Model`] every later stage reads.
//!
//! Normalization is where typify's traps are defused (see `DESIGN.md`):
//! OpenAPI `nullable` becomes a type array, `additionalProperties: false` is dropped so that
//! unknown keys are ignored, nullable `$defs` move their `null` to the places that reference
//! them, descriptions are trimmed, and every multi-valued string enum is hoisted into an
//! open-enum `$defs` entry that the xtask generates itself (single-valued enums, the `object`
//! discriminators, are hoisted too and generated closed). What typify cannot carry (field
//! order, timestamp markers, open enums) is collected into a [`Model`] for the post-pass.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value, json};

use crate::config;
use crate::error::{Error, Result, bail};
use crate::load::schemas::rewrite_refs;
use crate::naming::{field_name, pascal_case, rust_name, variant_name};

mod compositions;
mod keywords;
mod normalize;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_compositions;

#[cfg(test)]
use compositions::pattern_prefix;
use keywords::*;
pub(crate) use normalize::normalize;
use normalize::*;

/// What the post-pass needs to know about the schemas and typify forgets.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Object types, in schema order.
    pub structs: Vec<StructModel>,
    /// Open string enums, in schema order.
    pub enums: Vec<EnumModel>,
    /// `oneOf` unions of objects, in schema order.
    pub unions: Vec<UnionModel>,
}

impl Model {
    /// The structs and unions that cannot be `Eq`: those that hold a number with a fraction
    /// (billing's percentages), directly, in a list, or through another such type.
    #[must_use]
    pub fn without_eq(&self) -> std::collections::BTreeSet<String> {
        fn holds(kind: &Kind, not_eq: &std::collections::BTreeSet<String>) -> bool {
            match kind {
                Kind::Number => true,
                Kind::Struct(name) | Kind::Union(name) => not_eq.contains(name),
                Kind::Array(inner) => holds(inner, not_eq),
                _ => false,
            }
        }
        let mut not_eq = std::collections::BTreeSet::new();
        loop {
            let before = not_eq.len();
            for info in &self.structs {
                if info.props.iter().any(|p| holds(&p.kind, &not_eq)) {
                    not_eq.insert(info.name.clone());
                }
            }
            for union in &self.unions {
                if union.members.iter().any(|m| not_eq.contains(&m.def)) {
                    not_eq.insert(union.name.clone());
                }
            }
            if not_eq.len() == before {
                return not_eq;
            }
        }
    }
}

/// A `oneOf` (or `anyOf`) of objects: an open enum with a variant per member and `Unknown`
/// for JSON no member takes, decoded by the values of [`config::UNION_KEYS`], then by trying
/// the members no key claims.
#[derive(Debug, Clone)]
pub struct UnionModel {
    /// Rust name (`<Type><Property>`).
    pub name: String,
    /// The property's trimmed description.
    pub description: Option<String>,
    /// `(struct, property)` it was hoisted from; `None` for a `$defs` entry that is a union
    /// itself (an operation's response).
    pub owner: Option<(String, String)>,
    /// The members, in the spec's order.
    pub members: Vec<UnionMember>,
}

/// One member of a [`UnionModel`].
#[derive(Debug, Clone)]
pub struct UnionMember {
    /// The member's `$defs` entry (a generated struct).
    pub def: String,
    /// The variant: the member's name without the words every member's name starts with
    /// (`VerificationOtp` → `Otp`).
    pub variant: String,
    /// What each key of [`config::UNION_KEYS`] says of the member, in that order. When no
    /// key claims it (a member of an `anyOf`), the member is tried, in order, for JSON no
    /// key claims for another.
    pub keys: Vec<UnionKey>,
}

impl UnionMember {
    /// No key claims the member: it is tried when no key chooses another.
    #[must_use]
    pub fn is_fallback(&self) -> bool {
        self.keys
            .iter()
            .all(|k| k.values.is_empty() && k.prefixes.is_empty())
    }
}

/// The values of one union key that choose a member.
#[derive(Debug, Clone, Default)]
pub struct UnionKey {
    /// The JSON key.
    pub key: String,
    /// Exact values (the property's `enum`).
    pub values: Vec<String>,
    /// Prefixes (the literal start of the property's anchored `pattern`).
    pub prefixes: Vec<String>,
}

/// An object type of the schemas.
#[derive(Debug, Clone)]
pub struct StructModel {
    /// Rust name.
    pub name: String,
    /// Name in `schemas/`.
    pub schema_name: String,
    /// Trimmed description.
    pub description: Option<String>,
    /// Properties in schema order.
    pub props: Vec<PropModel>,
    /// The field that keeps every key the schema does not list
    /// ([`config::OTHER_CLAIMS_KEYWORD`]), typed by a type parameter.
    pub other_claims: Option<String>,
    /// The schema file it comes from, such as `session.json` (set by the generator).
    pub file: String,
}

/// The unit of a timestamp property ([`config::TIMESTAMP_KEYWORD`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Unix milliseconds (`unix-ms`).
    Millis,
    /// Unix seconds (`unix-s`).
    Seconds,
}

impl TimeUnit {
    /// The keyword's value, which is also the `Timestamps` derive's.
    #[must_use]
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Millis => config::TIMESTAMP_UNIT,
            Self::Seconds => config::TIMESTAMP_UNIT_SECONDS,
        }
    }

    /// The unit in words, for docs.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Self::Millis => "milliseconds",
            Self::Seconds => "seconds",
        }
    }
}

/// A property of an object type.
#[derive(Debug, Clone)]
pub struct PropModel {
    /// JSON key (also the Rust field name: Clerk's keys are snake_case).
    pub name: String,
    /// In the schema's `required` list.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// Marked with the timestamp keyword, in this unit.
    pub timestamp: Option<TimeUnit>,
    /// The schema's `default` (a string): what an absent key means. Taken out of the schema,
    /// so the field stays an `Option` and round-trips unchanged; the docs state it.
    pub default: Option<String>,
    /// Marked with the raw keyword: kept as raw JSON (`clerk_models::RawJson`).
    pub raw: bool,
    /// Marked with the list keyword: a comma-separated string, typed
    /// `clerk_models::ClaimList`.
    pub list: bool,
    /// A plain string (`String`, or `Option<String>`): not an enum, not a list.
    pub string: bool,
    /// Trimmed description.
    pub description: Option<String>,
    /// What the property holds: what every later stage decides a field's handling by.
    pub kind: Kind,
    /// The Rust field is an `Option`, as typify typed it (set by the post-pass).
    pub optional: bool,
}

/// What a property holds, decided from its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Text (`String`).
    String,
    /// A whole number (`i64`).
    Integer,
    /// A number that may have a fraction (`f64`).
    Number,
    /// `bool`.
    Boolean,
    /// A Unix timestamp in this unit (`i64`).
    Timestamp(TimeUnit),
    /// JSON kept as received ([`config::RAW_KEYWORD`]; `clerk_models::RawJson`).
    Raw,
    /// A comma-separated list ([`config::LIST_KEYWORD`]; `clerk_models::ClaimList`).
    List,
    /// Any JSON, as typify types it (`serde_json`'s `Value` or `Map`).
    Json,
    /// A string enum of the model, by Rust name.
    Enum(String),
    /// A union of the model, by Rust name.
    Union(String),
    /// A struct of the model, by Rust name.
    Struct(String),
    /// A list of values of a kind (`Vec`).
    Array(Box<Kind>),
}

impl Kind {
    /// Holds free-form JSON (raw JSON, `serde_json` values, a union kept as JSON), directly or
    /// in a list: what a binary format carries as JSON text.
    #[must_use]
    pub fn is_free_form(&self) -> bool {
        match self {
            Self::Raw | Self::Json | Self::Union(_) => true,
            Self::Array(inner) => inner.is_free_form(),
            _ => false,
        }
    }
}

/// A string enum of the schemas.
#[derive(Debug, Clone)]
pub struct EnumModel {
    /// Rust name.
    pub name: String,
    /// Open (known values plus a catch-all) when the schema lists two or more values;
    /// closed when it lists one, which makes it a discriminator such as `object: "session"`.
    /// Spellings of one value (see `aliases`) count once.
    pub open: bool,
    /// Trimmed description.
    pub description: Option<String>,
    /// Known values in schema order, one per variant.
    pub values: Vec<String>,
    /// Other spellings of each value, in the order of `values`: the schema's values that name
    /// the same variant as an earlier one, because they differ only in the case of a word's
    /// first letter and in separators (`waitlist_entry`, `waitlistEntry`). They decode as
    /// that variant, which is written with the first spelling.
    pub aliases: Vec<Vec<String>>,
    /// The description of each value, where the schema gives one (the known values of
    /// [`config::KNOWN_VALUES_KEYWORD`] do), in the order of `values`.
    pub docs: Vec<Option<String>>,
    /// The groups the schema puts each value in (a known value's `group`), in the order of
    /// `values`; the xtask config adds more.
    pub value_groups: Vec<Vec<String>>,
    /// `(struct, property)` the enum was hoisted from, if it was inline.
    pub owner: Option<(String, String)>,
}

/// The schemas ready for typify, plus the [`Model`] for the post-pass.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// `{"$defs": {...}}` for typify.
    pub typify_input: Value,
    /// What typify does not carry.
    pub model: Model,
}

/// Every configured group must name an existing enum and values it has.
pub(crate) fn check_groups(model: &Model) -> Result<()> {
    for (enum_name, group, values) in config::GROUPS {
        let Some(model_enum) = model.enums.iter().find(|e| e.name == *enum_name) else {
            return Err(Error(format!(
                "xtask config: GROUPS names enum `{enum_name}`, which the schemas do not define"
            )));
        };
        for value in *values {
            if !model_enum.values.iter().any(|v| v == value) {
                return Err(Error(format!(
                    "xtask config: group `{group}` of `{enum_name}` lists {value:?}, which the \
                     schema's enum does not have"
                )));
            }
        }
    }
    Ok(())
}
