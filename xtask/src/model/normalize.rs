//! Normalizing the bundled `$defs` for typify (see the module docs of [`super`]), and the
//! names the generator derives from the schemas.

#[allow(clippy::wildcard_imports)]
use super::*;

/// Normalizes a [`bundle`] for typify; see the module docs for the rules.
pub fn normalize(bundled: &Map<String, Value>) -> Result<Normalized> {
    // 1. Names: rename $defs (and every $ref to them) as configured.
    let mut defs = Map::new();
    let mut originals: HashMap<String, String> = HashMap::new();
    for (name, schema) in bundled {
        let rust = rust_name(name);
        if let Some(other) = originals.get(&rust) {
            bail!("#/$defs/{name}: its Rust name `{rust}` is also `#/$defs/{other}`'s");
        }
        originals.insert(rust.clone(), name.clone());
        defs.insert(rust, schema.clone());
    }
    let original_name = |rust: &str| {
        originals
            .get(rust)
            .cloned()
            .unwrap_or_else(|| rust.to_owned())
    };
    for (name, schema) in defs.iter_mut() {
        rewrite_refs(schema, &format!("#/$defs/{name}"), &mut |reference, _| {
            let target = reference.trim_start_matches("#/$defs/");
            Ok(match target.split_once("/properties/") {
                Some((def, property)) => {
                    format!("#/$defs/{}/properties/{property}", rust_name(def))
                }
                None => format!("#/$defs/{}", rust_name(target)),
            })
        })?;
    }

    // 2. Keywords typify mishandles, and compositions (see `unions`). The union keys are
    //    read first: `simplify` drops the patterns that give some of them.
    let key_values = super::compositions::key_values(&defs);
    for (name, schema) in defs.iter_mut() {
        simplify(schema, &format!("#/$defs/{name}"))?;
        super::compositions::flatten(schema);
    }
    super::compositions::merge_all_of(&mut defs)?;
    let mut unions = Vec::new();
    super::compositions::hoist_unions(&mut defs, &key_values, &mut unions)?;
    super::compositions::top_level_unions(&mut defs, &key_values, &mut unions)?;

    // 3. A nullable $def: typify would wrap it in an `Option` newtype. Move the `null` to
    //    the places that reference it instead.
    let mut nullable_defs = HashSet::new();
    for (name, schema) in defs.iter_mut() {
        if take_null_type(schema) {
            nullable_defs.insert(name.clone());
        }
    }
    for schema in defs.values_mut() {
        wrap_nullable_refs(schema, &nullable_defs, false);
    }

    // 4. Collect the model; hoist inline open enums into $defs of their own.
    let mut model = Model {
        unions,
        ..Model::default()
    };
    let mut hoisted = Vec::new();
    for (name, schema) in defs.iter_mut() {
        let at = format!("#/$defs/{name}");
        if let Some(spelled) = enum_values(schema, &at)? {
            let (values, aliases) = spellings(spelled);
            model.enums.push(EnumModel {
                name: name.clone(),
                open: values.len() > 1,
                description: description(schema),
                docs: vec![None; values.len()],
                value_groups: vec![Vec::new(); values.len()],
                values,
                aliases,
                owner: None,
            });
            continue;
        }
        if schema.get("properties").is_none() {
            continue;
        }
        let required: BTreeSet<String> = match schema.get("required") {
            None => BTreeSet::new(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| Error(format!("{at}/required: entries must be strings")))
                })
                .collect::<Result<_>>()?,
            Some(_) => bail!("{at}/required: must be an array"),
        };
        let mut props = Vec::new();
        let struct_description = description(schema);
        let other_claims = take_other_claims(schema, &at)?;
        let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            bail!("{at}/properties: must be an object");
        };
        for req in &required {
            if !properties.contains_key(req) {
                bail!("{at}/required: `{req}` is not a property");
            }
        }
        for (prop, prop_schema) in properties.iter_mut() {
            let prop_at = format!("{at}/properties/{prop}");
            if !is_field_name(&field_name(prop)) {
                bail!(
                    "{prop_at}: a property name must make a snake_case identifier (its \
                     symbols become `_`)"
                );
            }
            let timestamp = take_timestamp_marker(prop_schema, &prop_at)?;
            let open_map = is_open_map(prop_schema);
            let nullable_map = open_map && is_nullable(prop_schema);
            if open_map {
                // Any JSON, as the raw keyword leaves it (typify would make it a map).
                let kept = description(prop_schema).map(|d| json!({ "description": d }));
                *prop_schema = kept.unwrap_or_else(|| json!({}));
            }
            let raw = take_raw_marker(prop_schema, &prop_at)? || open_map;
            let list = take_list_marker(prop_schema, &prop_at)?;
            let default = take_default(prop_schema);
            let nullable = is_nullable(prop_schema) || nullable_map;
            let plain_string = !list
                && prop_schema
                    .as_object()
                    .is_some_and(|m| is_type_or_null(m, "string") && !m.contains_key("enum"));
            let known = take_known_values(prop_schema, &prop_at)?;
            let spec_enum = enum_values(prop_schema, &prop_at)?;
            let hoist = match (known, spec_enum) {
                (Some(_), Some(_)) => bail!(
                    "{prop_at}: `{}` is for strings without an `enum`; this one has both",
                    config::KNOWN_VALUES_KEYWORD
                ),
                (Some(known), None) => {
                    let values: Vec<String> = known.iter().map(|k| k.value.clone()).collect();
                    let docs = known.iter().map(|k| k.description.clone()).collect();
                    let groups = known.into_iter().map(|k| k.groups).collect();
                    let aliases = vec![Vec::new(); values.len()];
                    Some((values.clone(), values, aliases, docs, groups, true))
                }
                (None, Some(spelled)) => {
                    let (values, aliases) = spellings(spelled.clone());
                    let open = values.len() > 1;
                    let docs = vec![None; values.len()];
                    let groups = vec![Vec::new(); values.len()];
                    Some((spelled, values, aliases, docs, groups, open))
                }
                (None, None) => None,
            };
            if let Some((spelled, values, aliases, docs, value_groups, open)) = hoist {
                let configured = config::ENUM_NAMES
                    .iter()
                    .find(|(t, p, _)| *t == original_name(name) && p == prop);
                let enum_name = match configured {
                    Some((_, _, rust)) => (*rust).to_owned(),
                    None => format!("{name}{}", pascal_case(prop)),
                };
                let mut reference = json!({ "$ref": format!("#/$defs/{enum_name}") });
                if nullable {
                    reference = json!({ "anyOf": [reference, { "type": "null" }] });
                }
                model.enums.push(EnumModel {
                    name: enum_name.clone(),
                    open,
                    description: description(prop_schema),
                    values,
                    aliases,
                    docs,
                    value_groups,
                    owner: Some((name.clone(), prop.clone())),
                });
                hoisted.push((
                    enum_name,
                    json!({ "type": "string", "enum": spelled }),
                    prop_at.clone(),
                ));
                *prop_schema = reference;
            } else if let Some(items) = prop_schema.get_mut("items")
                && let Some(spelled) = enum_values(items, &format!("{prop_at}/items"))?
            {
                // A list of enum values: the enum is named after the list.
                let enum_name = format!("{name}{}", pascal_case(prop));
                let (values, aliases) = spellings(spelled.clone());
                model.enums.push(EnumModel {
                    name: enum_name.clone(),
                    open: values.len() > 1,
                    description: description(items),
                    docs: vec![None; values.len()],
                    value_groups: vec![Vec::new(); values.len()],
                    values,
                    aliases,
                    owner: Some((name.clone(), prop.clone())),
                });
                hoisted.push((
                    enum_name.clone(),
                    json!({ "type": "string", "enum": spelled }),
                    prop_at.clone(),
                ));
                *items = json!({ "$ref": format!("#/$defs/{enum_name}") });
            }
            props.push(PropModel {
                name: prop.clone(),
                required: required.contains(prop),
                nullable,
                timestamp,
                default,
                raw,
                list,
                string: plain_string && !hoisted.iter().any(|(_, _, at)| *at == prop_at),
                description: description(prop_schema),
                // Set once every enum and union is known (step 7).
                kind: Kind::Json,
                // Set by the post-pass, from typify's type.
                optional: false,
            });
        }
        if let Some(field) = &other_claims
            && props.iter().any(|p| p.name == *field)
        {
            bail!(
                "{at}/{}: the field `{field}` would clash with the property of that name",
                config::OTHER_CLAIMS_KEYWORD
            );
        }
        model.structs.push(StructModel {
            name: name.clone(),
            schema_name: original_name(name),
            description: struct_description,
            props,
            other_claims,
            file: String::new(),
        });
    }
    for (enum_name, schema, at) in hoisted {
        if defs.contains_key(&enum_name) {
            bail!("{at}: its enum would become `$defs/{enum_name}`, which already exists");
        }
        defs.insert(enum_name, schema);
    }

    // 5. A reference to a property shares that property's hoisted enum.
    for (name, schema) in defs.iter_mut() {
        rewrite_refs(schema, &format!("#/$defs/{name}"), &mut |reference, at| {
            let target = reference.trim_start_matches("#/$defs/");
            let Some((def, property)) = target.split_once("/properties/") else {
                return Ok(reference.to_owned());
            };
            model
                .enums
                .iter()
                .find(|e| {
                    e.owner
                        .as_ref()
                        .is_some_and(|(d, p)| d == def && p == property)
                })
                .map(|e| format!("#/$defs/{}", e.name))
                .ok_or_else(|| {
                    Error(format!(
                        "{at}: `$ref` {reference:?}: only a property holding a string enum can \
                         be referenced; reference a `$defs` entry instead"
                    ))
                })
        })?;
    }

    // 6. Nothing the post-pass cannot honour may remain.
    for (name, schema) in &defs {
        reject_leftovers(schema, &format!("#/$defs/{name}"), &model)?;
    }

    // 7. What each property holds, from its final schema.
    let kinds: Vec<Vec<Kind>> = model
        .structs
        .iter()
        .map(|s| {
            s.props
                .iter()
                .map(|p| {
                    let at = format!("#/$defs/{}/properties/{}", s.name, p.name);
                    let schema = defs
                        .get(&s.name)
                        .and_then(|d| d.pointer(&format!("/properties/{}", p.name)))
                        .ok_or_else(|| Error(format!("{at}: gone after normalizing")))?;
                    prop_kind(p, schema, &model, &at)
                })
                .collect::<Result<_>>()
        })
        .collect::<Result<_>>()?;
    for (info, kinds) in model.structs.iter_mut().zip(kinds) {
        for (prop, kind) in info.props.iter_mut().zip(kinds) {
            prop.kind = kind;
        }
    }

    Ok(Normalized {
        typify_input: json!({ "$defs": defs }),
        model,
    })
}

/// An object any keys may be added to (`additionalProperties: true`) that lists none: Clerk's
/// metadata (`public_metadata`, `private_metadata`, `unsafe_metadata`), which the generator
/// keeps as raw JSON, exactly as received, for the caller to decode into their own type.
pub(super) fn is_open_map(schema: &Value) -> bool {
    schema
        .as_object()
        .is_some_and(|m| is_type_or_null(m, "object"))
        && schema.get("additionalProperties") == Some(&Value::Bool(true))
        && schema.get("properties").is_none()
}

pub(super) fn description(schema: &Value) -> Option<String> {
    schema
        .get("description")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Drops `additionalProperties: false` and `pattern`, trims descriptions, turns `nullable`
/// into types.
pub(super) fn simplify(value: &mut Value, at: &str) -> Result<()> {
    match value {
        Value::Object(map) => {
            if map.get("additionalProperties") == Some(&Value::Bool(false)) {
                map.remove("additionalProperties");
            }
            // Notes for maintainers (such as where known values come from), not for typify.
            map.remove("$comment");
            // A `pattern` describes what Clerk sends today (`^oauth_[a-z]+$`); decoding keeps
            // strings open, as it keeps enums open, so a new provider never breaks it. (A
            // property named `pattern` is a schema, never a string, and stays.)
            if map.get("pattern").is_some_and(Value::is_string) {
                map.remove("pattern");
            }
            // Bounds on lengths and values describe what Clerk accepts today; typify would
            // make constrained newtypes and unsigned integers of them. Decoding takes the
            // plain type, as it keeps patterns and enums open. A string's `format`
            // (`date-time`, `uri`) is text too.
            for key in [
                "minLength",
                "maxLength",
                "minimum",
                "maximum",
                "exclusiveMinimum",
                "exclusiveMaximum",
                "multipleOf",
            ] {
                if map
                    .get(key)
                    .is_some_and(|v| v.is_number() || v.is_boolean())
                {
                    map.remove(key);
                }
            }
            if is_type_or_null(map, "string") && map.get("format").is_some_and(Value::is_string) {
                map.remove("format");
            }
            // An `enum` of booleans or numbers (a deleted object's `deleted: true`) says what
            // Clerk sends today; the value decodes as the plain type, as a string pattern does.
            let plain = |v: &Value| v.is_boolean() || v.is_number();
            if map
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|values| !values.is_empty() && values.iter().all(plain))
            {
                map.remove("enum");
            }
            if let Some(text) = map.get("description").and_then(Value::as_str) {
                let trimmed = text.trim();
                if trimmed.is_empty() {
                    map.remove("description");
                } else {
                    let trimmed = trimmed.to_owned();
                    map.insert("description".into(), Value::String(trimmed));
                }
            }
            match map.remove("nullable") {
                None | Some(Value::Bool(false)) => {}
                Some(Value::Bool(true)) => make_nullable(map, at)?,
                Some(_) => bail!("{at}/nullable: must be a boolean"),
            }
            for (key, child) in map.iter_mut() {
                // `enum` and `const` hold data, not schemas.
                if key != "enum" && key != "const" && key != "required" {
                    simplify(child, &format!("{at}/{key}"))?;
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                simplify(child, &format!("{at}/{i}"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

pub(super) fn make_nullable(map: &mut Map<String, Value>, at: &str) -> Result<()> {
    let null = Value::String("null".into());
    match map.get_mut("type") {
        Some(Value::String(t)) => {
            if t != "null" {
                let t = Value::String(std::mem::take(t));
                map.insert("type".into(), Value::Array(vec![t, null]));
            }
        }
        Some(Value::Array(types)) => {
            if !types.contains(&null) {
                types.push(null);
            }
        }
        Some(_) => bail!("{at}/type: must be a string or an array"),
        None => {
            if let Some(reference) = map.remove("$ref") {
                map.insert(
                    "anyOf".into(),
                    json!([{ "$ref": reference }, { "type": "null" }]),
                );
            } else if let Some(Value::Array(branches)) = map.get_mut("anyOf") {
                branches.push(json!({ "type": "null" }));
            } else {
                bail!("{at}: `nullable` needs a `type`, a `$ref` or an `anyOf` beside it");
            }
        }
    }
    Ok(())
}

/// Removes `"null"` from a schema's type array; true if it was there.
pub(super) fn take_null_type(schema: &mut Value) -> bool {
    let Some(Value::Array(types)) = schema.get_mut("type") else {
        return false;
    };
    let before = types.len();
    types.retain(|t| t != "null");
    if types.len() == before {
        return false;
    }
    if let [single] = types.as_slice() {
        let single = single.clone();
        if let Some(map) = schema.as_object_mut() {
            map.insert("type".into(), single);
        }
    }
    true
}

pub(super) fn wrap_nullable_refs(
    value: &mut Value,
    nullable: &HashSet<String>,
    in_nullable_union: bool,
) {
    match value {
        Value::Object(map) => {
            let target = map
                .get("$ref")
                .and_then(Value::as_str)
                .map(|r| r.trim_start_matches("#/$defs/").to_owned());
            if let Some(target) = target {
                if nullable.contains(&target)
                    && !in_nullable_union
                    && let Some(reference) = map.remove("$ref")
                {
                    map.insert(
                        "anyOf".into(),
                        json!([{ "$ref": reference }, { "type": "null" }]),
                    );
                }
                return;
            }
            for (key, child) in map.iter_mut() {
                let union_with_null = (key == "anyOf" || key == "oneOf")
                    && child
                        .as_array()
                        .is_some_and(|b| b.iter().any(|s| s == &json!({ "type": "null" })));
                wrap_nullable_refs(child, nullable, union_with_null);
            }
        }
        Value::Array(items) => {
            for child in items {
                wrap_nullable_refs(child, nullable, in_nullable_union);
            }
        }
        _ => {}
    }
}

pub(super) fn is_nullable(schema: &Value) -> bool {
    let null = json!("null");
    match schema.get("type") {
        Some(Value::Array(types)) => types.contains(&null),
        Some(t) => t == &null,
        None => ["anyOf", "oneOf"].iter().any(|k| {
            schema
                .get(*k)
                .and_then(Value::as_array)
                .is_some_and(|b| b.iter().any(|s| s.get("type") == Some(&null)))
        }),
    }
}

pub(super) fn reject_leftovers(value: &Value, at: &str, model: &Model) -> Result<()> {
    match value {
        Value::Object(map) => {
            if map.contains_key(config::RAW_KEYWORD) {
                bail!(
                    "{at}: `{}` is supported on properties of `$defs` objects only",
                    config::RAW_KEYWORD
                );
            }
            if map.contains_key(config::LIST_KEYWORD) {
                bail!(
                    "{at}: `{}` is supported on string properties of `$defs` objects only",
                    config::LIST_KEYWORD
                );
            }
            if map.contains_key(config::KNOWN_VALUES_KEYWORD) {
                bail!(
                    "{at}: `{}` is supported on string properties of `$defs` objects only",
                    config::KNOWN_VALUES_KEYWORD
                );
            }
            if map.contains_key(config::OTHER_CLAIMS_KEYWORD) {
                bail!(
                    "{at}: `{}` is supported on `$defs` object types only",
                    config::OTHER_CLAIMS_KEYWORD
                );
            }
            if map.contains_key(config::TIMESTAMP_KEYWORD) {
                bail!(
                    "{at}: `{}` is supported on properties of `$defs` objects only",
                    config::TIMESTAMP_KEYWORD
                );
            }
            let def = at.trim_start_matches("#/$defs/");
            let is_enum_def = model.enums.iter().any(|e| e.name == def);
            if !is_enum_def && enum_values(value, at)?.is_some() {
                bail!("{at}: an enum must be a property of an object or a `$defs` entry");
            }
            for (key, child) in map {
                if key != "enum" && key != "const" && key != "required" {
                    reject_leftovers(child, &format!("{at}/{key}"), model)?;
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                reject_leftovers(child, &format!("{at}/{i}"), model)?;
            }
        }
        _ => {}
    }
    Ok(())
}

pub(super) fn is_field_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A schema's enum values as one value per variant, in order, with the later spellings of
/// each (the values that name the same variant as an earlier one: see
/// [`EnumModel::aliases`]).
fn spellings(spelled: Vec<String>) -> (Vec<String>, Vec<Vec<String>>) {
    let mut values: Vec<String> = Vec::new();
    let mut aliases: Vec<Vec<String>> = Vec::new();
    for value in spelled {
        let variant = variant_name(&value);
        match values.iter().position(|v| variant_name(v) == variant) {
            Some(i) => {
                if let Some(list) = aliases.get_mut(i) {
                    list.push(value);
                }
            }
            None => {
                values.push(value);
                aliases.push(Vec::new());
            }
        }
    }
    (values, aliases)
}

/// What a property holds: its markers first, then its final schema.
fn prop_kind(prop: &PropModel, schema: &Value, model: &Model, at: &str) -> Result<Kind> {
    if let Some(unit) = prop.timestamp {
        return Ok(Kind::Timestamp(unit));
    }
    if prop.raw {
        return Ok(Kind::Raw);
    }
    if prop.list {
        return Ok(Kind::List);
    }
    schema_kind(schema, model, at)
}

fn schema_kind(schema: &Value, model: &Model, at: &str) -> Result<Kind> {
    let Some(map) = schema.as_object() else {
        bail!("{at}: not a schema object");
    };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/$defs/");
        return Ok(if model.enums.iter().any(|e| e.name == name) {
            Kind::Enum(name.to_owned())
        } else if model.unions.iter().any(|u| u.name == name) {
            Kind::Union(name.to_owned())
        } else {
            Kind::Struct(name.to_owned())
        });
    }
    // `anyOf: [X, {"type": "null"}]`: a nullable X.
    if let Some(members) = map.get("anyOf").and_then(Value::as_array) {
        let not_null: Vec<&Value> = members
            .iter()
            .filter(|m| m.get("type").and_then(Value::as_str) != Some("null"))
            .collect();
        if let [only] = not_null.as_slice() {
            return schema_kind(only, model, at);
        }
        bail!("{at}: a composition of several members is left after normalizing");
    }
    let types: Vec<&str> = match map.get("type") {
        None => Vec::new(),
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        Some(_) => bail!("{at}/type: must be a string or an array"),
    };
    let types: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
    Ok(match types.as_slice() {
        [] => Kind::Json,
        ["string"] => Kind::String,
        ["integer"] => Kind::Integer,
        ["number"] => Kind::Number,
        ["boolean"] => Kind::Boolean,
        ["object"] => Kind::Json,
        ["array"] => {
            let items = map
                .get("items")
                .ok_or_else(|| Error(format!("{at}: an array without `items`")))?;
            Kind::Array(Box::new(schema_kind(items, model, &format!("{at}/items"))?))
        }
        other => bail!("{at}/type: {other:?} is not one type the generator handles"),
    })
}
