//! The compositions of Clerk's specs, reduced to what the generator emits: a single-member
//! `allOf`/`oneOf`/`anyOf` is its member, an `anyOf` of `required`-only branches is dropped
//! (a constraint typify cannot honour: the properties stay optional), an `allOf` of objects
//! is one object, and a `oneOf` of several objects becomes a [`UnionModel`]: an open enum
//! keyed by [`config::UNION_KEYS`] that the xtask emits itself.

#[allow(clippy::wildcard_imports)]
use super::*;

/// The values of each union key, per `$defs` entry, read before `simplify` drops the
/// patterns: `(def, key) -> (enum values, pattern prefixes)`.
pub(super) type KeyValues = HashMap<(String, String), (Vec<String>, Vec<String>)>;

/// Reads the union keys of every `$defs` entry (see [`KeyValues`]).
pub(super) fn key_values(defs: &Map<String, Value>) -> KeyValues {
    let mut out = HashMap::new();
    for (name, schema) in defs {
        for key in config::UNION_KEYS {
            let Some(prop) = schema.pointer(&format!("/properties/{key}")) else {
                continue;
            };
            let values: Vec<String> = prop
                .get("enum")
                .and_then(Value::as_array)
                .map(|v| {
                    v.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            let prefixes: Vec<String> = prop
                .get("pattern")
                .and_then(Value::as_str)
                .and_then(pattern_prefix)
                .into_iter()
                .collect();
            out.insert(((*name).clone(), (*key).to_owned()), (values, prefixes));
        }
    }
    out
}

/// The literal text an anchored pattern requires first (`^from_oauth_(?:…)` → `from_oauth_`),
/// if it has any.
#[must_use]
pub fn pattern_prefix(pattern: &str) -> Option<String> {
    let rest = pattern.strip_prefix('^')?;
    let literal: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || *c == ':')
        .collect();
    // `^oauth_[a-z]+$`: a quantifier right after the literal would apply to its last char.
    let next = rest.chars().nth(literal.chars().count());
    let literal = if matches!(next, Some('?' | '*' | '{')) {
        let mut shorter = literal;
        shorter.pop();
        shorter
    } else {
        literal
    };
    (!literal.is_empty()).then_some(literal)
}

/// Reduces the compositions of one schema, recursively: a single-member composition of a
/// `$ref` becomes the `$ref` (keeping a `null` the schema allows), and an `anyOf`/`oneOf`
/// whose branches only list `required` keys is dropped.
pub(super) fn flatten(value: &mut Value) {
    match value {
        Value::Object(map) => {
            // `oneOf: [A, B, {"type": "null"}]`, a union that may be null in JSON Schema's
            // form, is read as the union of A and B with `null` in its `type`.
            if !map.contains_key("type")
                && let Some(Value::Array(branches)) = map.get_mut("oneOf")
            {
                let null = json!({ "type": "null" });
                let before = branches.len();
                branches.retain(|b| b != &null);
                if branches.len() < before && !branches.is_empty() {
                    map.insert("type".into(), json!(["object", "null"]));
                }
            }
            for key in ["anyOf", "oneOf"] {
                let constraint_only = map.get(key).and_then(Value::as_array).is_some_and(|b| {
                    !b.is_empty()
                        && b.iter().all(|branch| {
                            branch
                                .as_object()
                                .is_some_and(|m| m.keys().all(|k| k == "required"))
                        })
                });
                if constraint_only {
                    map.remove(key);
                }
            }
            for key in ["allOf", "oneOf", "anyOf"] {
                let single = match map.get(key).and_then(Value::as_array).map(Vec::as_slice) {
                    Some([only]) if only.get("$ref").is_some() => Some(only.clone()),
                    _ => None,
                };
                let Some(only) = single else { continue };
                map.remove(key);
                map.remove("discriminator");
                let nullable = is_nullable(&Value::Object(map.clone()));
                map.remove("type");
                if nullable {
                    map.insert("anyOf".into(), json!([only, { "type": "null" }]));
                } else if let Some(reference) = only.get("$ref") {
                    map.insert("$ref".into(), reference.clone());
                }
            }
            for (key, child) in map.iter_mut() {
                if key != "enum" && key != "const" && key != "required" {
                    flatten(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(flatten),
        _ => {}
    }
}

/// Whether `later` says no more of a property than `earlier` does, or only narrows it to
/// some of its values: the same type, perhaps an `enum`, and nothing else a decoder reads.
fn narrows(later: &Value, earlier: &Value) -> bool {
    let Some(map) = later.as_object() else {
        return false;
    };
    let only_values = map
        .keys()
        .all(|k| ["type", "enum", "example", "description", "deprecated"].contains(&k.as_str()));
    only_values && map.contains_key("type") && map.get("type") == earlier.get("type")
}

/// Merges every `$defs` entry that is an `allOf` of objects (a `$ref` to one, and objects
/// inline) into one object: the parts' properties in order and their `required` lists. Two
/// parts that both define a property are an error, unless the later one says no more than
/// the earlier or only narrows it to some of its values.
pub(super) fn merge_all_of(defs: &mut Map<String, Value>) -> Result<()> {
    let names: Vec<String> = defs.keys().cloned().collect();
    for name in names {
        let at = format!("#/$defs/{name}");
        let Some(parts) = defs
            .get(&name)
            .and_then(|d| d.get("allOf"))
            .and_then(Value::as_array)
            .cloned()
        else {
            continue;
        };
        let mut properties = Map::new();
        let mut required: Vec<Value> = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let part = match part.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    let target = reference.trim_start_matches("#/$defs/");
                    defs.get(target).cloned().ok_or_else(|| {
                        Error(format!(
                            "{at}/allOf/{i}: `$ref` {reference:?} is not a `$defs` entry"
                        ))
                    })?
                }
                None => part.clone(),
            };
            if part.get("allOf").is_some() {
                bail!("{at}/allOf/{i}: a nested `allOf` is not supported");
            }
            if let Some(Value::Object(props)) = part.get("properties") {
                for (key, schema) in props {
                    // A later part may narrow a property to some of its values (a revoked
                    // invitation's `status: revoked`): the type is the earlier one's.
                    if let Some(earlier) = properties.get(key) {
                        if narrows(schema, earlier) {
                            continue;
                        }
                        bail!("{at}/allOf/{i}: `{key}` is also defined by an earlier part");
                    }
                    if properties.insert(key.clone(), schema.clone()).is_some() {
                        bail!("{at}/allOf/{i}: `{key}` is also defined by an earlier part");
                    }
                }
            }
            if let Some(Value::Array(keys)) = part.get("required") {
                required.extend(
                    keys.iter()
                        .filter(|k| !required.contains(k))
                        .cloned()
                        .collect::<Vec<_>>(),
                );
            }
        }
        let Some(Value::Object(def)) = defs.get_mut(&name) else {
            continue;
        };
        def.remove("allOf");
        def.insert("type".into(), json!("object"));
        def.insert("properties".into(), Value::Object(properties));
        def.insert("required".into(), Value::Array(required));
    }
    Ok(())
}

/// Turns every object property of a `$defs` entry that is a `oneOf` of two or more `$ref`s
/// into a [`UnionModel`], hoisted into a `$defs` entry of its own named `<Type><Property>`
/// (`EmailAddressVerification`) that the xtask generates.
pub(super) fn hoist_unions(
    defs: &mut Map<String, Value>,
    keys: &KeyValues,
    unions: &mut Vec<UnionModel>,
) -> Result<()> {
    let names: Vec<String> = defs.keys().cloned().collect();
    for name in names {
        let Some(Value::Object(properties)) =
            defs.get_mut(&name).and_then(|d| d.get_mut("properties"))
        else {
            continue;
        };
        for (prop, schema) in properties.iter_mut() {
            let at = format!("#/$defs/{name}/properties/{prop}");
            // A list of a union (a JWKS's `keys`): the union is named after the list.
            let in_list = schema
                .get("items")
                .is_some_and(|i| i.get("oneOf").is_some());
            let union_schema = if in_list {
                schema.get("items").cloned().unwrap_or_default()
            } else {
                schema.clone()
            };
            let Some(branches) = union_schema.get("oneOf").and_then(Value::as_array) else {
                continue;
            };
            let mut members = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                let Some(reference) = branch.get("$ref").and_then(Value::as_str) else {
                    bail!("{at}/oneOf/{i}: a union's members must be `$ref`s to objects");
                };
                members.push(reference.trim_start_matches("#/$defs/").to_owned());
            }
            let union_name = format!("{name}{}", pascal_case(prop));
            unions.push(union_model(
                &union_name,
                &at,
                &union_schema,
                &members,
                keys,
                Some((&name, prop)),
            )?);
            if in_list {
                if let Some(items) = schema.get_mut("items") {
                    *items = json!({ "$ref": format!("#/$defs/{union_name}") });
                }
                continue;
            }
            let nullable = is_nullable(schema);
            let mut reference = json!({ "$ref": format!("#/$defs/{union_name}") });
            if nullable {
                reference = json!({ "anyOf": [reference, { "type": "null" }] });
            }
            if let (Some(description), Value::Object(r)) =
                (schema.get("description"), &mut reference)
            {
                r.insert("description".into(), description.clone());
            }
            *schema = reference;
        }
    }
    for union in unions.iter() {
        if let Some((owner, prop)) = &union.owner
            && defs.contains_key(&union.name)
        {
            bail!(
                "#/$defs/{owner}/properties/{prop}: its union would become `$defs/{}`, \
                 which already exists",
                union.name
            );
        }
        defs.insert(union.name.clone(), json!({ "type": "object" }));
    }
    Ok(())
}

/// Turns every `$defs` entry that is itself a `oneOf` or `anyOf` of two or more `$ref`s (an
/// operation's response: a token, or `{"active": false}`) into a [`UnionModel`] of that name.
/// The members of an `anyOf` need no key to claim them: those none claims are tried in order.
pub(super) fn top_level_unions(
    defs: &mut Map<String, Value>,
    keys: &KeyValues,
    unions: &mut Vec<UnionModel>,
) -> Result<()> {
    let names: Vec<String> = defs.keys().cloned().collect();
    for name in names {
        let at = format!("#/$defs/{name}");
        let Some(def) = defs.get(&name) else { continue };
        let Some((key, branches)) = ["oneOf", "anyOf"]
            .into_iter()
            .find_map(|k| def.get(k).and_then(Value::as_array).map(|b| (k, b)))
        else {
            continue;
        };
        let mut members = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let Some(reference) = branch.get("$ref").and_then(Value::as_str) else {
                bail!("{at}/{key}/{i}: a union's members must be `$ref`s to objects");
            };
            members.push(reference.trim_start_matches("#/$defs/").to_owned());
        }
        let model = if key == "anyOf" {
            union_model_any(&name, &at, def, &members, keys)?
        } else {
            union_model(&name, &at, def, &members, keys, None)?
        };
        unions.push(model);
        defs.insert(name.clone(), json!({ "type": "object" }));
    }
    Ok(())
}

/// An `anyOf` union: as [`union_model`], but a member that no key claims is allowed (it is
/// tried in order).
fn union_model_any(
    name: &str,
    at: &str,
    schema: &Value,
    members: &[String],
    keys: &KeyValues,
) -> Result<UnionModel> {
    union_model_with(name, at, schema, members, keys, None, true)
}

fn union_model(
    name: &str,
    at: &str,
    schema: &Value,
    members: &[String],
    keys: &KeyValues,
    owner: Option<(&str, &str)>,
) -> Result<UnionModel> {
    union_model_with(name, at, schema, members, keys, owner, false)
}

fn union_model_with(
    name: &str,
    at: &str,
    schema: &Value,
    members: &[String],
    keys: &KeyValues,
    owner: Option<(&str, &str)>,
    fallback: bool,
) -> Result<UnionModel> {
    let words: Vec<Vec<String>> = members.iter().map(|m| pascal_words(m)).collect();
    let common = (0..)
        .take_while(|&i| {
            words.iter().all(|w| w.len() > i + 1)
                && words
                    .iter()
                    .all(|w| w.get(i) == words.first().and_then(|f| f.get(i)))
        })
        .count();
    // When no key tells any member apart (a JWK's members differ in `kty`), the members
    // are tried in order, each refusing the others by its own one-valued enums.
    let claimed = |member: &String| {
        config::UNION_KEYS.iter().any(|key| {
            keys.get(&(member.clone(), (*key).to_owned()))
                .is_some_and(|(values, prefixes)| !values.is_empty() || !prefixes.is_empty())
        })
    };
    let none_claimed = !members.iter().any(claimed);
    let mut out = Vec::new();
    for (member, member_words) in members.iter().zip(&words) {
        let variant: String = member_words.iter().skip(common).cloned().collect();
        if variant == config::CATCH_ALL_VARIANT {
            bail!("{at}: member `{member}` would clash with the catch-all variant");
        }
        let member_keys = config::UNION_KEYS
            .iter()
            .map(|key| {
                let (values, prefixes) = keys
                    .get(&(member.clone(), (*key).to_owned()))
                    .cloned()
                    .unwrap_or_default();
                UnionKey {
                    key: (*key).to_owned(),
                    values,
                    prefixes,
                }
            })
            .collect::<Vec<_>>();
        if !fallback
            && !none_claimed
            && member_keys
                .iter()
                .all(|k| k.values.is_empty() && k.prefixes.is_empty())
        {
            bail!(
                "{at}: member `{member}` has none of the keys {:?} as an enum or an anchored \
                 pattern, so nothing tells it apart",
                config::UNION_KEYS
            );
        }
        out.push(UnionMember {
            def: member.clone(),
            variant,
            keys: member_keys,
        });
    }
    // A value two members claim for the same key would make the choice arbitrary.
    for key in config::UNION_KEYS {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for member in &out {
            for k in member.keys.iter().filter(|k| k.key == *key) {
                for value in &k.values {
                    if let Some((_, other)) = seen.iter().find(|(v, _)| v == value) {
                        bail!(
                            "{at}: `{key}: {value:?}` belongs to both `{other}` and `{}`",
                            member.def
                        );
                    }
                    seen.push((value, &member.def));
                }
            }
        }
    }
    Ok(UnionModel {
        name: name.to_owned(),
        description: description(schema),
        owner: owner.map(|(o, p)| (o.to_owned(), p.to_owned())),
        members: out,
    })
}

/// `VerificationFromOauth` → `["Verification", "From", "Oauth"]`.
fn pascal_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        match words.last_mut() {
            Some(word) if !c.is_ascii_uppercase() => word.push(c),
            _ => words.push(c.to_string()),
        }
    }
    words
}
