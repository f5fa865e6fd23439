//! The `x-clerk-*` schema keywords: each is read, checked and removed before typify sees the
//! schema, so a misplaced or malformed keyword is an error with its place, never ignored.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn take_timestamp_marker(schema: &mut Value, at: &str) -> Result<Option<TimeUnit>> {
    let Some(map) = schema.as_object_mut() else {
        return Ok(None);
    };
    let Some(unit) = map.remove(config::TIMESTAMP_KEYWORD) else {
        return Ok(None);
    };
    let Some(unit) = [TimeUnit::Millis, TimeUnit::Seconds]
        .into_iter()
        .find(|u| unit == u.keyword())
    else {
        bail!(
            "{at}/{}: the supported values are {:?} and {:?}, found {unit}",
            config::TIMESTAMP_KEYWORD,
            config::TIMESTAMP_UNIT,
            config::TIMESTAMP_UNIT_SECONDS
        );
    };
    if !is_type_or_null(map, "integer") {
        bail!(
            "{at}: `{}` marks timestamps, which must be `type: integer`",
            config::TIMESTAMP_KEYWORD
        );
    }
    Ok(Some(unit))
}

/// A property's `default`, removed from the schema: a string default is kept for the
/// generator; any other (`default: false`, `default: 0`) is dropped. A spec's default says
/// what the server assumes when a client omits the field, not what a decoder may invent
/// for a response that omits it: an absent fact stays absent (`None`), never a made-up
/// `false`.
pub(super) fn take_default(schema: &mut Value) -> Option<String> {
    let map = schema.as_object_mut()?;
    match map.remove("default") {
        Some(Value::String(text)) => Some(text),
        _ => None,
    }
}

/// The field named by [`config::OTHER_CLAIMS_KEYWORD`] on an object type, removed.
pub(super) fn take_other_claims(schema: &mut Value, at: &str) -> Result<Option<String>> {
    let Some(map) = schema.as_object_mut() else {
        return Ok(None);
    };
    match map.remove(config::OTHER_CLAIMS_KEYWORD) {
        None => Ok(None),
        Some(Value::String(field)) if is_field_name(&field) => Ok(Some(field)),
        Some(other) => bail!(
            "{at}/{}: must name a snake_case field, found {other}",
            config::OTHER_CLAIMS_KEYWORD
        ),
    }
}

/// Whether a schema's `type` is `ty`, or `[ty, "null"]` (in any order).
pub(super) fn is_type_or_null(schema: &Map<String, Value>, ty: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == ty,
        Some(Value::Array(types)) => {
            types.iter().any(|t| t == ty) && types.iter().all(|t| t == ty || t == "null")
        }
        _ => false,
    }
}

/// One entry of [`config::KNOWN_VALUES_KEYWORD`].
pub(super) struct KnownValue {
    pub(super) value: String,
    pub(super) description: Option<String>,
    pub(super) groups: Vec<String>,
}

/// Removes the boolean `keyword` from a property; the rest of the property when it was
/// `true`, `None` when it was absent or `false`.
pub(super) fn take_flag<'a>(
    schema: &'a mut Value,
    keyword: &str,
    at: &str,
) -> Result<Option<&'a Map<String, Value>>> {
    let Some(map) = schema.as_object_mut() else {
        return Ok(None);
    };
    match map.remove(keyword) {
        None | Some(Value::Bool(false)) => Ok(None),
        Some(Value::Bool(true)) => Ok(Some(map)),
        Some(_) => bail!("{at}/{keyword}: must be `true`"),
    }
}

/// Whether the property is marked [`config::RAW_KEYWORD`]; the mark is removed, and the
/// property then accepts any JSON (the post-pass types it `clerk_models::RawJson`).
pub(super) fn take_raw_marker(schema: &mut Value, at: &str) -> Result<bool> {
    let Some(map) = take_flag(schema, config::RAW_KEYWORD, at)? else {
        return Ok(false);
    };
    if let Some(other) = map.keys().find(|k| *k != "description") {
        bail!(
            "{at}: a `{}` property is any JSON; `{other}` beside it would not be honoured",
            config::RAW_KEYWORD
        );
    }
    Ok(true)
}

/// Whether the property is marked [`config::LIST_KEYWORD`]; the mark is removed. Only a
/// plain string property (maybe nullable, without `enum` or known values) can be a list.
pub(super) fn take_list_marker(schema: &mut Value, at: &str) -> Result<bool> {
    let Some(map) = take_flag(schema, config::LIST_KEYWORD, at)? else {
        return Ok(false);
    };
    let string = match map.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => {
            types.iter().any(|t| t == "string")
                && types.iter().all(|t| t == "string" || t == "null")
        }
        _ => false,
    };
    if !string {
        bail!(
            "{at}: `{}` is for string properties; this one is not `\"type\": \"string\"`",
            config::LIST_KEYWORD
        );
    }
    for other in [
        "enum",
        "const",
        config::KNOWN_VALUES_KEYWORD,
        config::RAW_KEYWORD,
    ] {
        if map.contains_key(other) {
            bail!(
                "{at}: a `{}` property is free text; `{other}` beside it would not be honoured",
                config::LIST_KEYWORD
            );
        }
    }
    Ok(true)
}

/// The documented values of an open string property ([`config::KNOWN_VALUES_KEYWORD`]),
/// removed from the schema, as `(value, description)`.
pub(super) fn take_known_values(schema: &mut Value, at: &str) -> Result<Option<Vec<KnownValue>>> {
    let Some(map) = schema.as_object_mut() else {
        return Ok(None);
    };
    let Some(known) = map.remove(config::KNOWN_VALUES_KEYWORD) else {
        return Ok(None);
    };
    let here = format!("{at}/{}", config::KNOWN_VALUES_KEYWORD);
    if !is_type_or_null(map, "string") {
        bail!("{here}: known values are for `type: string` properties");
    }
    let Value::Array(entries) = known else {
        bail!("{here}: must be an array of {{\"value\", \"description\"}} objects");
    };
    if entries.is_empty() {
        bail!("{here}: lists no value; remove the keyword instead");
    }
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Some(value) = entry.get("value").and_then(Value::as_str) else {
            bail!("{here}/{i}: needs a string `value`");
        };
        let description = match entry.get("description") {
            None => None,
            Some(Value::String(d)) => Some(d.trim().to_owned()).filter(|d| !d.is_empty()),
            Some(_) => bail!("{here}/{i}/description: must be a string"),
        };
        let groups = match entry.get("group") {
            None => Vec::new(),
            Some(Value::String(g)) if is_field_name(g) => vec![g.clone()],
            Some(_) => bail!("{here}/{i}/group: must be a snake_case name"),
        };
        if let Some(extra) = entry.as_object().and_then(|o| {
            o.keys()
                .find(|k| !["value", "description", "group"].contains(&k.as_str()))
        }) {
            bail!(
                "{here}/{i}: unknown key `{extra}` (an entry has `value`, `description` and `group`)"
            );
        }
        out.push(KnownValue {
            value: value.to_owned(),
            description,
            groups,
        });
    }
    // The same checks as a spec enum's values: names, duplicates. A known value has its own
    // description, so two that would name one variant are a mistake, not two spellings.
    let values: Vec<Value> = out.iter().map(|k| Value::String(k.value.clone())).collect();
    enum_values(&json!({ "enum": values }), &here)?;
    let mut variants = HashSet::new();
    for known in &out {
        let variant = variant_name(&known.value);
        if !variants.insert(variant.clone()) {
            bail!("{here}: two known values map to the variant name `{variant}`");
        }
    }
    Ok(Some(out))
}

/// The values of a string enum (`null` left out).
pub(super) fn enum_values(schema: &Value, at: &str) -> Result<Option<Vec<String>>> {
    let Some(Value::Array(values)) = schema.get("enum") else {
        return Ok(None);
    };
    let mut strings = Vec::new();
    for v in values {
        match v {
            Value::String(s) => strings.push(s.clone()),
            Value::Null => {}
            _ => bail!("{at}/enum: only string enums are supported, found {v}"),
        }
    }
    if strings.is_empty() {
        return Ok(None);
    }
    let mut seen = HashSet::new();
    for s in &strings {
        let variant = variant_name(s);
        if variant.is_empty() {
            bail!("{at}/enum: value {s:?} has no letters or digits to name a variant after");
        }
        if variant == config::CATCH_ALL_VARIANT {
            bail!(
                "{at}/enum: value {s:?} would clash with the catch-all variant `{}`",
                config::CATCH_ALL_VARIANT
            );
        }
        // Two values that name one variant are two spellings of it (see
        // `EnumModel::aliases`); the same value twice is a mistake.
        if !seen.insert(s.as_str()) {
            bail!("{at}/enum: the value {s:?} is listed twice");
        }
    }
    Ok(Some(strings))
}
