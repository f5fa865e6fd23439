//! The value generators behind the generated `proptest` and `arbitrary` implementations:
//! one set, used by this crate's own property tests and by a dependent's.
//!
//! What they make is what the schemas allow and real traffic shows: timestamps at the edges
//! (0, the first and last millisecond a `SystemTime` or a 32-bit integer can hold, `i64`'s
//! extremes) as often as ordinary ones, enum values this crate does not know, free-form
//! JSON objects, and `None` for every optional field.

/// Timestamps worth testing: every boundary a converter can get wrong.
const EDGE_TIMESTAMPS: [i64; 9] = [
    0,
    -1,
    1,
    i32::MAX as i64,
    i32::MAX as i64 + 1,
    1_700_000_000_000,
    253_402_300_799_999, // 9999-12-31T23:59:59.999Z
    i64::MAX,
    i64::MIN,
];

/// proptest strategies.
#[cfg(feature = "proptest")]
pub mod strategies {
    use proptest::prelude::*;

    use crate::{ClaimList, OtherClaims, RawJson};

    /// A timestamp: an edge value half of the time, else any `i64`.
    pub fn timestamp() -> impl Strategy<Value = i64> {
        prop_oneof![
            proptest::sample::select(&super::EDGE_TIMESTAMPS[..]),
            any::<i64>(),
            1_600_000_000_000_i64..1_900_000_000_000,
        ]
    }

    /// A number as billing sends them (a percentage, an amount): finite, with at most two
    /// decimals, so that JSON carries it exactly.
    pub fn number() -> impl Strategy<Value = f64> {
        (-1_000_000_i32..=1_000_000).prop_map(|n| f64::from(n) / 100.0)
    }

    /// Text as IDs and names are: short, printable, sometimes empty or not ASCII.
    pub fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[a-z]{1,8}_[A-Za-z0-9]{1,24}",
            1 => any::<String>().prop_map(|s| s.chars().take(40).collect()),
            1 => Just(String::new()),
        ]
    }

    /// The text of an enum value: known ones and ones this crate has never seen.
    pub fn enum_text() -> impl Strategy<Value = String> {
        "[a-z][a-z_]{0,15}"
    }

    /// A JSON value of at most two levels.
    pub fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            "[ -~]{0,12}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(2, 8, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
                proptest::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// A JSON object such as a session's `actor`.
    pub fn json_object() -> impl Strategy<Value = serde_json::Map<String, serde_json::Value>> {
        proptest::collection::btree_map("[a-z_]{1,8}", json_value(), 0..4)
            .prop_map(|m| m.into_iter().collect())
    }

    /// Raw JSON, as a webhook's `data`: an object (a raw `null` would read back as `None`).
    pub fn raw_json() -> impl Strategy<Value = RawJson> {
        json_object().prop_filter_map("JSON text", |m| {
            RawJson::try_from(&serde_json::Value::Object(m)).ok()
        })
    }

    /// A comma-separated claim such as `fea` or `per`: entries shaped like Clerk's
    /// (`o:invoices`, `read`, `3`), sometimes with a space, an empty entry or no colon, and
    /// sometimes any text, up to past the 64 bytes the fast path of `has_permission` reads.
    pub fn claim_list() -> impl Strategy<Value = ClaimList> {
        let entry = "(o|u|ou|uo|x)?:?[a-z]{0,6}|[0-9]{1,3}| [a-z]{1,3}";
        prop_oneof![
            4 => proptest::collection::vec(entry, 0..12).prop_map(|entries| entries.join(",")),
            1 => any::<String>().prop_map(|s| s.chars().take(70).collect()),
        ]
        .prop_map(ClaimList::from)
    }

    /// Custom claims: names a standard claim does not use (see `SessionClaims`).
    pub fn other_claims() -> impl Strategy<Value = OtherClaims> {
        proptest::collection::btree_map("x_[a-z_]{1,8}", json_value(), 0..3)
            .prop_map(|m| OtherClaims::from(m.into_iter().collect::<serde_json::Map<_, _>>()))
    }
}

/// `arbitrary` generators, for fuzzing.
#[cfg(feature = "arbitrary")]
pub mod fuzz {
    use arbitrary::{Result, Unstructured};

    use crate::{ClaimList, OtherClaims, RawJson};

    /// A finite number with at most two decimals (see `strategies::number`).
    ///
    /// # Errors
    ///
    /// When `u` has run out of its kind of data, as `arbitrary` does.
    pub fn number(u: &mut Unstructured<'_>) -> Result<f64> {
        Ok(f64::from(u.int_in_range(-1_000_000_i32..=1_000_000)?) / 100.0)
    }

    /// A timestamp: an edge value, or any `i64`.
    ///
    /// # Errors
    ///
    /// When `u` has run out of its kind of data, as `arbitrary` does.
    pub fn timestamp(u: &mut Unstructured<'_>) -> Result<i64> {
        if u.arbitrary::<bool>()? {
            Ok(*u.choose(&super::EDGE_TIMESTAMPS)?)
        } else {
            u.arbitrary()
        }
    }

    /// A JSON value of at most `depth` levels of nesting.
    fn json_value(u: &mut Unstructured<'_>, depth: u8) -> Result<serde_json::Value> {
        let kinds = if depth == 0 { 3 } else { 5 };
        Ok(match u.int_in_range(0..=kinds)? {
            0 => serde_json::Value::Null,
            1 => serde_json::Value::from(u.arbitrary::<bool>()?),
            2 => serde_json::Value::from(u.arbitrary::<i64>()?),
            3 => serde_json::Value::from(u.arbitrary::<String>()?),
            4 => {
                let len = u.int_in_range(0..=3)?;
                serde_json::Value::Array(
                    (0..len)
                        .map(|_| json_value(u, depth - 1))
                        .collect::<Result<_>>()?,
                )
            }
            _ => serde_json::Value::Object(json_map(u, depth - 1, "")?),
        })
    }

    fn json_map(
        u: &mut Unstructured<'_>,
        depth: u8,
        prefix: &str,
    ) -> Result<serde_json::Map<String, serde_json::Value>> {
        let len = u.int_in_range(0..=3)?;
        let mut map = serde_json::Map::new();
        for _ in 0..len {
            let key = format!("{prefix}{}", u.arbitrary::<String>()?);
            map.insert(key, json_value(u, depth)?);
        }
        Ok(map)
    }

    /// A JSON object such as a session's `actor`.
    ///
    /// # Errors
    ///
    /// When `u` has run out of its kind of data.
    pub fn json_object(
        u: &mut Unstructured<'_>,
    ) -> Result<serde_json::Map<String, serde_json::Value>> {
        json_map(u, 1, "")
    }

    /// Raw JSON, as a webhook's `data`: an object (a raw `null` would read back as `None`).
    ///
    /// # Errors
    ///
    /// When `u` has run out of its kind of data.
    pub fn raw_json(u: &mut Unstructured<'_>) -> Result<RawJson> {
        RawJson::try_from(&serde_json::Value::Object(json_map(u, 1, "")?))
            .map_err(|_| arbitrary::Error::IncorrectFormat)
    }

    /// A comma-separated claim such as `fea` or `per`: entries picked from the
    /// shapes Clerk sends and the ones it should not (no colon, empty, spaces, unknown
    /// scopes), or any text.
    ///
    /// # Errors
    ///
    /// When `u` has run out of its kind of data.
    pub fn claim_list(u: &mut Unstructured<'_>) -> Result<ClaimList> {
        const PARTS: [&str; 12] = [
            "o:", "u:", "ou:", "uo:", "x:", ":", "a", "bb", "3", "15", " ", "",
        ];
        if u.arbitrary::<bool>()? {
            return Ok(ClaimList::from(u.arbitrary::<String>()?));
        }
        let entries = u.int_in_range(0..=10)?;
        let mut text = String::new();
        for i in 0..entries {
            if i > 0 {
                text.push(',');
            }
            text.push_str(u.choose(&PARTS)?);
            text.push_str(u.choose(&PARTS)?);
        }
        Ok(ClaimList::from(text))
    }

    /// Custom claims, under names no standard claim uses.
    ///
    /// # Errors
    ///
    /// When `u` has run out of its kind of data.
    pub fn other_claims(u: &mut Unstructured<'_>) -> Result<OtherClaims> {
        Ok(OtherClaims::from(json_map(u, 1, "x_")?))
    }
}
