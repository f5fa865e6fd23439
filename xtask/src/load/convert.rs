//! Converting the spec's OpenAPI schemas into the JSON Schema form of `schemas/`, with the
//! importer's local additions: timestamp markers, the keys Clerk omits, the values it also
//! sends, inline objects hoisted into `$defs` of their own.

use serde_json::{Map, Value, json};

use crate::config;
use crate::error::{Error, Result};
use crate::naming::pascal_case;

pub(crate) fn collect_refs(
    value: &Value,
    at: &str,
    origin: &str,
    out: &mut Vec<(String, String)>,
) -> Result<()> {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = format!("{at}/{key}");
                if key == "$ref" {
                    let target = component_ref(child, &here, origin)?;
                    out.push((target, here));
                } else {
                    collect_refs(child, &here, origin, out)?;
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_refs(child, &format!("{at}/{i}"), origin, out)?;
            }
        }
        _ => {}
    }
    Ok(())
}

pub(crate) fn component_ref(value: &Value, at: &str, origin: &str) -> Result<String> {
    value
        .as_str()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_owned)
        .ok_or_else(|| {
            Error(format!(
                "{origin}: `$ref` at {at} is {value}; only `#/components/schemas/<Name>` is supported"
            ))
        })
}

/// One component in the JSON Schema form of `schemas/`.
pub(crate) fn convert(
    value: &Value,
    file: &str,
    owner: &dyn Fn(&str) -> Option<String>,
) -> Result<Value> {
    match value {
        Value::Array(items) => items
            .iter()
            .map(|v| convert(v, file, owner))
            .collect::<Result<Vec<_>>>()
            .map(Value::Array),
        Value::Object(map) => {
            let nullable = map.get("nullable") == Some(&Value::Bool(true));
            // A nullable composition says "one of these objects, or null"; in JSON Schema a
            // `type: [object, null]` beside it still lets no `null` through the members, so
            // the `null` becomes a member of its own.
            let composition = ["oneOf", "anyOf", "allOf"]
                .into_iter()
                .find(|k| map.contains_key(*k));
            let object_or_absent = map.get("type").is_none_or(|t| t == "object");
            if let (true, Some(composition), true) = (nullable, composition, object_or_absent) {
                return nullable_composition(map, composition, file, owner);
            }
            let mut out = Map::new();
            // OpenAPI 3.0's `exclusiveMinimum: true` beside `minimum: m` is JSON Schema's
            // `exclusiveMinimum: m` (and the same for the maximum).
            let exclusive = |flag: &str, bound: &str| {
                (map.get(flag) == Some(&Value::Bool(true)))
                    .then(|| map.get(bound).cloned())
                    .flatten()
            };
            let exclusive_min = exclusive("exclusiveMinimum", "minimum");
            let exclusive_max = exclusive("exclusiveMaximum", "maximum");
            for (key, child) in map {
                match key.as_str() {
                    "nullable" => {}
                    "exclusiveMinimum" | "exclusiveMaximum" if child.is_boolean() => {}
                    "minimum" if exclusive_min.is_some() => {
                        out.insert("exclusiveMinimum".into(), child.clone());
                    }
                    "maximum" if exclusive_max.is_some() => {
                        out.insert("exclusiveMaximum".into(), child.clone());
                    }
                    "$ref" => {
                        let target = child
                            .as_str()
                            .and_then(|r| r.strip_prefix("#/components/schemas/"))
                            .unwrap_or_default();
                        let owner_file = owner(target).unwrap_or_default();
                        let reference = if owner_file == file {
                            format!("#/$defs/{target}")
                        } else {
                            format!("{owner_file}#/$defs/{target}")
                        };
                        if nullable && !map.contains_key("type") {
                            out.insert(
                                "anyOf".into(),
                                json!([{ "$ref": reference }, { "type": "null" }]),
                            );
                        } else {
                            out.insert(key.clone(), Value::String(reference));
                        }
                    }
                    "type" if nullable => {
                        out.insert(key.clone(), json!([child, "null"]));
                    }
                    _ => {
                        out.insert(key.clone(), convert(child, file, owner)?);
                    }
                }
            }
            Ok(Value::Object(out))
        }
        other => Ok(other.clone()),
    }
}

/// A nullable `oneOf`/`anyOf`/`allOf` (`map`, whose `type` is `object` or absent) in the
/// JSON Schema form: `oneOf` and `anyOf` get a `{"type": "null"}` member, and a one-member
/// `allOf` becomes `anyOf: [member, null]` (as a nullable `$ref` does). The `type` goes:
/// each member says its own. A nullable `allOf` of several parts, which no Clerk spec has,
/// is refused rather than imported in a form nothing downstream reads.
fn nullable_composition(
    map: &Map<String, Value>,
    composition: &str,
    file: &str,
    owner: &dyn Fn(&str) -> Option<String>,
) -> Result<Value> {
    let mut out = Map::new();
    for (key, child) in map {
        match key.as_str() {
            "nullable" | "type" => {}
            k if k == composition => {
                let members = match convert(child, file, owner)? {
                    Value::Array(members) => members,
                    other => return Err(Error(format!("`{composition}` is {other}, not a list"))),
                };
                let null = json!({ "type": "null" });
                let (key, members) = match (composition, members.as_slice()) {
                    ("allOf", [only]) => ("anyOf", vec![only.clone(), null]),
                    ("allOf", _) => {
                        return Err(Error(format!(
                            "{file}: a nullable `allOf` of {} parts is not supported",
                            members.len()
                        )));
                    }
                    _ => (composition, members.into_iter().chain([null]).collect()),
                };
                out.insert(key.to_owned(), Value::Array(members));
            }
            _ => {
                out.insert(key.clone(), convert(child, file, owner)?);
            }
        }
    }
    Ok(Value::Object(out))
}

/// Moves every inline object property (one with `properties` of its own) of `def` into a
/// `$defs` entry named `<Name><Property>`, and the inline objects of a list property into
/// `<Name><Property>Item`, recursively, so each becomes a named struct.
pub(crate) fn hoist_inline_objects(name: &str, def: &mut Value, out: &mut Vec<(String, Value)>) {
    // The inline parts of an `allOf` (what the webhooks spec adds to a component) hoist
    // their objects under the same name.
    if let Some(parts) = def.get_mut("allOf").and_then(Value::as_array_mut) {
        for part in parts {
            hoist_inline_objects(name, part, out);
        }
    }
    // A list of inline objects: they are `<Name>Item`.
    if let Some(items) = def
        .get_mut("items")
        .filter(|i| i.get("properties").is_some())
    {
        let hoisted_name = format!("{name}Item");
        let mut hoisted =
            std::mem::replace(items, json!({ "$ref": format!("#/$defs/{hoisted_name}") }));
        let mut nested = Vec::new();
        hoist_inline_objects(&hoisted_name, &mut hoisted, &mut nested);
        out.push((hoisted_name, hoisted));
        out.append(&mut nested);
        return;
    }
    let Some(properties) = def.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (prop, schema) in properties.iter_mut() {
        // The objects of an inline list are `<Name><Property>Item`.
        if let Some(items) = schema
            .get_mut("items")
            .filter(|i| i.get("properties").is_some())
        {
            let hoisted_name = format!("{name}{}Item", pascal_case(prop));
            let mut hoisted =
                std::mem::replace(items, json!({ "$ref": format!("#/$defs/{hoisted_name}") }));
            let mut nested = Vec::new();
            hoist_inline_objects(&hoisted_name, &mut hoisted, &mut nested);
            out.push((hoisted_name, hoisted));
            out.append(&mut nested);
            continue;
        }
        if schema.get("properties").is_none() {
            continue;
        }
        let hoisted_name = format!("{name}{}", pascal_case(prop));
        let mut reference = Map::new();
        reference.insert("$ref".into(), json!(format!("#/$defs/{hoisted_name}")));
        // The description stays on the property too, beside its reference.
        if let Some(description) = schema.get("description") {
            reference.insert("description".into(), description.clone());
        }
        let mut hoisted = std::mem::replace(schema, Value::Object(reference));
        let mut nested = Vec::new();
        hoist_inline_objects(&hoisted_name, &mut hoisted, &mut nested);
        out.push((hoisted_name, hoisted));
        out.append(&mut nested);
    }
}

/// Every entry of [`config::NOT_TIMESTAMPS`] and [`config::OMITTED_BY_CLERK`] must name a
/// property the spec has, when the spec has its component.
pub(crate) fn check_exceptions(components: &Map<String, Value>, origin: &str) -> Result<()> {
    let entries = config::NOT_TIMESTAMPS
        .iter()
        .map(|(c, p)| ("NOT_TIMESTAMPS", *c, *p))
        .chain(config::OMITTED_BY_CLERK.iter().flat_map(|o| {
            o.properties
                .iter()
                .map(|p| ("OMITTED_BY_CLERK", o.component, *p))
        }));
    for (list, component, property) in entries {
        let Some(schema) = components.get(component) else {
            continue; // a component of the other spec
        };
        if find_property(schema, property).is_none() {
            return Err(Error(format!(
                "{origin}: xtask config {list} names `{component}.{property}`, which the spec \
                 does not have"
            )));
        }
    }
    Ok(())
}

/// A property of an object schema, or of an `allOf` part of it.
fn find_property<'a>(schema: &'a Value, property: &str) -> Option<&'a Value> {
    schema
        .pointer(&format!("/properties/{property}"))
        .or_else(|| {
            schema
                .get("allOf")
                .and_then(Value::as_array)
                .and_then(|parts| parts.iter().find_map(|p| find_property(p, property)))
        })
}

/// Whether an integer property is a Unix millisecond timestamp, by the rule of
/// [`config::TIMESTAMP_SUFFIX`].
#[must_use]
pub fn is_timestamp(component: &str, property: &str, schema: &Value) -> bool {
    let integer = match schema.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(types)) => types.iter().any(|t| t == "integer"),
        _ => false,
    };
    let described = schema
        .get("description")
        .and_then(Value::as_str)
        .is_some_and(|d| {
            d.trim_start()
                .get(..config::TIMESTAMP_DESCRIPTION.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(config::TIMESTAMP_DESCRIPTION))
        });
    integer
        && (property.ends_with(config::TIMESTAMP_SUFFIX) || described)
        && !config::NOT_TIMESTAMPS.contains(&(component, property))
}

/// Marks every timestamp property of `def` (at any depth: inline objects, `allOf` parts)
/// with [`config::TIMESTAMP_KEYWORD`].
pub(crate) fn mark_timestamps(component: &str, def: &mut Value) {
    match def {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get_mut("properties") {
                for (property, schema) in properties.iter_mut() {
                    if is_timestamp(component, property, schema)
                        && let Value::Object(prop) = schema
                    {
                        prop.insert(
                            config::TIMESTAMP_KEYWORD.into(),
                            Value::String(config::TIMESTAMP_UNIT.into()),
                        );
                    }
                }
            }
            for (key, child) in map.iter_mut() {
                if key != "enum" && key != "example" && key != "examples" {
                    mark_timestamps(component, child);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                mark_timestamps(component, item);
            }
        }
        _ => {}
    }
}

/// Applies [`config::OMITTED_BY_CLERK`] to one component: the `required` list that names
/// the property is the component's own, or that of one of its `allOf` parts (what the
/// webhooks spec adds to a component).
pub(crate) fn mark_omitted(component: &str, def: &mut Value, origin: &str) -> Result<()> {
    for omitted in config::OMITTED_BY_CLERK
        .iter()
        .filter(|o| o.component == component)
    {
        for property in omitted.properties {
            let Some(holder) = requiring(def, property) else {
                return Err(Error(format!(
                    "{origin}: xtask config OMITTED_BY_CLERK names `{component}.{property}`, \
                     which the spec does not require"
                )));
            };
            if let Some(Value::Array(required)) = holder.get_mut("required") {
                required.retain(|r| r != property);
            }
            if let Some(Value::Object(prop)) =
                holder.pointer_mut(&format!("/properties/{property}"))
            {
                let comment = format!("Required by the spec; {}", omitted.evidence);
                prop.insert("$comment".into(), Value::String(comment));
            }
        }
    }
    Ok(())
}

/// The object schema among `def` and its `allOf` parts whose `required` lists `property`.
fn requiring<'a>(def: &'a mut Value, property: &str) -> Option<&'a mut Value> {
    let lists = |v: &Value| {
        v.get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|k| k == property))
    };
    if lists(def) {
        return Some(def);
    }
    def.get_mut("allOf")
        .and_then(Value::as_array_mut)?
        .iter_mut()
        .find(|part| lists(part))
}

/// Applies [`config::ALSO_SENT`] to one component.
pub(crate) fn add_also_sent(component: &str, def: &mut Value, origin: &str) -> Result<()> {
    for also in config::ALSO_SENT
        .iter()
        .filter(|a| a.component == component)
    {
        let Some(Value::Object(prop)) = def.pointer_mut(&format!("/properties/{}", also.property))
        else {
            return Err(Error(format!(
                "{origin}: xtask config ALSO_SENT names `{component}.{}`, which the spec does not have",
                also.property
            )));
        };
        let Some(Value::Array(values)) = prop.get_mut("enum") else {
            return Err(Error(format!(
                "{origin}: xtask config ALSO_SENT names `{component}.{}`, which has no `enum`",
                also.property
            )));
        };
        for value in also.values {
            if values.iter().any(|v| v == value) {
                return Err(Error(format!(
                    "{origin}: xtask config ALSO_SENT adds {value:?} to `{component}.{}`, which \
                     the spec already lists: remove it from ALSO_SENT",
                    also.property
                )));
            }
            values.push(Value::String((*value).to_owned()));
        }
        prop.insert("$comment".into(), Value::String(also.evidence.to_owned()));
    }
    Ok(())
}
