//! `cargo xtask import-openapi`: Clerk's OpenAPI 3.0 spec → the JSON Schema files of
//! `schemas/`.
//!
//! The conversion is mechanical, so that `schemas/` is Clerk's spec and nothing else:
//! components become `$defs` (keys in the spec's order), `nullable: true` becomes a type
//! array, `#/components/schemas/X` references become `#/$defs/X` or `<file>#/$defs/X`.
//! The local additions come from the xtask config: the timestamp markers (by the rule of
//! [`config::TIMESTAMP_SUFFIX`]), the required keys Clerk's own payloads omit
//! ([`config::OMITTED_BY_CLERK`], each with its evidence) and the documented values of open
//! string properties whose spec lists none ([`config::KNOWN_VALUES`]).

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::config;
use crate::error::{Error, Result};
use crate::load::schemas::SchemaFile;
use crate::naming::pascal_case;

/// Reads an OpenAPI document, JSON or YAML (by extension: `.json` is JSON, anything else
/// YAML).
pub fn load_spec(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error(format!("cannot read {}: {e}", path.display())))?;
    let is_json = path.extension().is_some_and(|e| e == "json");
    let value: Value = if is_json {
        serde_json::from_str(&text)
            .map_err(|e| Error(format!("{} is not valid JSON: {e}", path.display())))?
    } else {
        serde_saphyr::from_str(&text)
            .map_err(|e| Error(format!("{} is not valid YAML: {e}", path.display())))?
    };
    if value.get("openapi").is_none() {
        return Err(Error(format!(
            "{} is not an OpenAPI document: it has no top-level `openapi` key",
            path.display()
        )));
    }
    Ok(value)
}

/// Which of Clerk's two specs a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecKind {
    /// The Backend API: imports [`config::IMPORT`].
    BackendApi,
    /// The webhooks spec (it has `x-webhooks`): imports [`config::WEBHOOK_IMPORT`].
    Webhooks,
}

impl SpecKind {
    /// The kind of a loaded spec.
    #[must_use]
    pub fn of(spec: &Value) -> Self {
        if spec.get("x-webhooks").is_some() {
            Self::Webhooks
        } else {
            Self::BackendApi
        }
    }

    /// The `(file, root component)` pairs this kind of spec imports.
    #[must_use]
    pub fn imports(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::BackendApi => config::IMPORT,
            Self::Webhooks => config::WEBHOOK_IMPORT,
        }
    }
}

/// The schema files the spec gives, in [`SpecKind::imports`] order, as `(file name, text)`.
///
/// `backend` is the Backend API's files of `schemas/` (those of [`config::IMPORT`]): a
/// webhooks spec's component that one of them holds is referenced there, never imported
/// again (see [`config::WEBHOOK_IMPORT`]). A Backend API spec ignores it.
pub fn schema_files(
    spec: &Value,
    origin: &str,
    backend: &[SchemaFile],
) -> Result<Vec<(String, String)>> {
    let kind = SpecKind::of(spec);
    let held: Vec<(String, String)> = match kind {
        SpecKind::BackendApi => Vec::new(),
        SpecKind::Webhooks => backend_components(backend),
    };
    let held_by = |name: &str| {
        held.iter()
            .find(|(component, _)| component == name)
            .map(|(_, file)| file.clone())
    };
    let components = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .ok_or_else(|| Error(format!("{origin}: no `components.schemas` object")))?;
    let version = spec
        .pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or("(no info.version)");

    // Which file holds which component.
    let mut placement: Vec<(String, Vec<String>)> = Vec::new();
    if !kind
        .imports()
        .iter()
        .any(|(_, root)| components.contains_key(*root))
    {
        return Err(Error(format!(
            "{origin}: none of the components that xtask config {} takes is in the spec",
            match kind {
                SpecKind::BackendApi => "IMPORT",
                SpecKind::Webhooks => "WEBHOOK_IMPORT",
            }
        )));
    }
    for (file, root) in kind.imports() {
        if !components.contains_key(*root) {
            // An older spec, without this model: its file is not written (an import keeps
            // the one in `schemas/`).
            continue;
        }
        let mut order = vec![(*root).to_owned()];
        let mut next = 0;
        while let Some(name) = order.get(next).cloned() {
            next += 1;
            let schema = components.get(&name).ok_or_else(|| {
                Error(format!("{origin}: a `$ref` points at `#/components/schemas/{name}`, which does not exist"))
            })?;
            let mut found = Vec::new();
            collect_refs(
                schema,
                &format!("#/components/schemas/{name}"),
                origin,
                &mut found,
            )?;
            for (target, at) in found {
                if !components.contains_key(&target) {
                    return Err(Error(format!(
                        "{origin}: `$ref` at {at} points at `#/components/schemas/{target}`, which does not exist"
                    )));
                }
                let placed = placement.iter().any(|(_, names)| names.contains(&target))
                    || held_by(&target).is_some();
                if !placed && !order.contains(&target) {
                    order.push(target);
                }
            }
        }
        placement.push(((*file).to_owned(), order));
    }
    check_exceptions(components, origin)?;

    for known in config::KNOWN_VALUES {
        let Some(component) = components.get(known.component) else {
            continue; // an older spec, without the component: nothing to mark
        };
        let Some(prop) = component.pointer(&format!("/properties/{}", known.property)) else {
            return Err(Error(format!(
                "{origin}: xtask config KNOWN_VALUES names `{}.{}`, which the spec does not have",
                known.component, known.property
            )));
        };
        if prop.get("type") != Some(&json!("string")) || prop.get("enum").is_some() {
            return Err(Error(format!(
                "{origin}: xtask config KNOWN_VALUES names `{}.{}`, which is not a plain string \
                 in the spec (known values are for strings the spec gives no `enum`)",
                known.component, known.property
            )));
        }
    }

    let owner = |name: &str| {
        placement
            .iter()
            .find(|(_, names)| names.iter().any(|n| n == name))
            .map(|(file, _)| file.clone())
            .or_else(|| held_by(name))
    };
    let mut files = Vec::new();
    for (file, names) in &placement {
        let mut defs = Map::new();
        for name in names {
            let Some(component) = components.get(name) else {
                continue;
            };
            let mut def = convert(component, file, &owner)?;
            mark_timestamps(name, &mut def);
            mark_omitted(name, &mut def, origin)?;
            add_also_sent(name, &mut def, origin)?;
            for known in config::KNOWN_VALUES.iter().filter(|k| k.component == name) {
                if let Some(Value::Object(prop)) =
                    def.pointer_mut(&format!("/properties/{}", known.property))
                {
                    prop.insert("$comment".into(), Value::String(known.sources.into()));
                    let values = known
                        .values
                        .iter()
                        .map(|(value, description)| {
                            json!({ "value": value, "description": description })
                        })
                        .collect();
                    prop.insert(config::KNOWN_VALUES_KEYWORD.into(), Value::Array(values));
                }
            }
            if kind == SpecKind::Webhooks && name == config::WEBHOOK_ENVELOPE {
                add_event_types_and_data(spec, components, &mut def, origin)?;
            }
            let mut hoisted = Vec::new();
            hoist_inline_objects(name, &mut def, &mut hoisted);
            defs.insert(name.clone(), def);
            for (hoisted_name, hoisted_def) in hoisted {
                if components.contains_key(&hoisted_name) || defs.contains_key(&hoisted_name) {
                    return Err(Error(format!(
                        "{origin}: an inline object of `{name}` would become `{hoisted_name}`, \
                         which already exists"
                    )));
                }
                defs.insert(hoisted_name, hoisted_def);
            }
        }
        let root = names.first().cloned().unwrap_or_default();
        let comment = match kind {
            SpecKind::BackendApi => format!(
                "Imported from the Clerk Backend API {version}, components {}.",
                names.join(", ")
            ),
            SpecKind::Webhooks => format!(
                "Imported from Clerk's webhooks spec ({} {version}), components {}. The known \
                 values of `type` are the keys of its x-webhooks, each with its description; \
                 `data` is what the events add to the envelope.",
                spec.pointer("/info/title")
                    .and_then(Value::as_str)
                    .unwrap_or("no info.title"),
                names.join(", ")
            ),
        };
        let document = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$comment": comment,
            "$ref": format!("#/$defs/{root}"),
            "$defs": defs,
        });
        let text = serde_json::to_string_pretty(&document)
            .map_err(|e| Error(format!("cannot render {file}: {e}")))?;
        files.push((file.clone(), text + "\n"));
    }
    Ok(files)
}

/// The spec's schema files as [`SchemaFile`]s, as if read from `schemas/`.
pub fn parse_schema_files(files: &[(String, String)]) -> Result<Vec<SchemaFile>> {
    files
        .iter()
        .map(|(name, text)| {
            Ok(SchemaFile {
                name: name.clone(),
                path: Path::new(config::SCHEMA_DIR).join(name),
                value: serde_json::from_str(text)
                    .map_err(|e| Error(format!("imported {name} does not parse: {e}")))?,
            })
        })
        .collect()
}

fn collect_refs(
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

fn component_ref(value: &Value, at: &str, origin: &str) -> Result<String> {
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
fn convert(value: &Value, file: &str, owner: &dyn Fn(&str) -> Option<String>) -> Result<Value> {
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
            for (key, child) in map {
                match key.as_str() {
                    "nullable" => {}
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
/// `$defs` entry named `<Name><Property>`, recursively, so each becomes a named struct.
fn hoist_inline_objects(name: &str, def: &mut Value, out: &mut Vec<(String, Value)>) {
    // The inline parts of an `allOf` (what the webhooks spec adds to a component) hoist
    // their objects under the same name.
    if let Some(parts) = def.get_mut("allOf").and_then(Value::as_array_mut) {
        for part in parts {
            hoist_inline_objects(name, part, out);
        }
    }
    let Some(properties) = def.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (prop, schema) in properties.iter_mut() {
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

/// The envelope's event types (the keys of `x-webhooks`, as known values with each event's
/// description and the group of its `data`) and the `data` every event requires.
fn add_event_types_and_data(
    spec: &Value,
    components: &Map<String, Value>,
    def: &mut Value,
    origin: &str,
) -> Result<()> {
    let Some(webhooks) = spec.get("x-webhooks").and_then(Value::as_object) else {
        return Err(Error(format!("{origin}: `x-webhooks` must be an object")));
    };
    let mut values = Vec::new();
    let mut every_requires_data = true;
    for (event, item) in webhooks {
        let at = format!("x-webhooks/{event}");
        let post = item
            .get("post")
            .ok_or_else(|| Error(format!("{origin}: {at} has no `post` operation")))?;
        let schema = post
            .pointer("/requestBody/content/application~1json/schema")
            .ok_or_else(|| {
                Error(format!(
                    "{origin}: {at} has no application/json request schema"
                ))
            })?;
        let parts = schema
            .get("allOf")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                Error(format!(
                    "{origin}: {at}: the request schema is not an `allOf`"
                ))
            })?;
        let envelope_ref = format!("#/components/schemas/{}", config::WEBHOOK_ENVELOPE);
        if !parts
            .iter()
            .any(|p| p.get("$ref") == Some(&json!(envelope_ref)))
        {
            return Err(Error(format!(
                "{origin}: {at} does not extend `{}`",
                config::WEBHOOK_ENVELOPE
            )));
        }
        let data = parts
            .iter()
            .find_map(|p| p.pointer(&format!("/properties/{}", config::WEBHOOK_DATA_PROPERTY)))
            .ok_or_else(|| Error(format!("{origin}: {at} adds no `data` to the envelope")))?;
        let requires_data = parts.iter().any(|p| {
            p.get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|v| v == config::WEBHOOK_DATA_PROPERTY))
        });
        every_requires_data &= requires_data;
        let mut entry = Map::new();
        entry.insert("value".into(), json!(event));
        if let Some(description) = post.get("description").and_then(Value::as_str) {
            entry.insert("description".into(), json!(description.trim()));
        }
        let group = data_group(data, components).ok_or_else(|| {
            Error(format!(
                "{origin}: {at}: its `data` is in no group of xtask config WEBHOOK_DATA_GROUPS"
            ))
        })?;
        entry.insert("group".into(), json!(group));
        values.push(Value::Object(entry));
    }
    if values.is_empty() {
        return Err(Error(format!("{origin}: `x-webhooks` lists no event")));
    }
    let Some(properties) = def.get_mut("properties").and_then(Value::as_object_mut) else {
        return Err(Error(format!(
            "{origin}: `{}` has no properties",
            config::WEBHOOK_ENVELOPE
        )));
    };
    let Some(Value::Object(event_type)) = properties.get_mut(config::WEBHOOK_EVENT_TYPE_PROPERTY)
    else {
        return Err(Error(format!(
            "{origin}: `{}` has no `{}` property",
            config::WEBHOOK_ENVELOPE,
            config::WEBHOOK_EVENT_TYPE_PROPERTY
        )));
    };
    event_type.insert(config::KNOWN_VALUES_KEYWORD.into(), Value::Array(values));
    let description = if every_requires_data {
        "The event's object, whose schema depends on `type`: every event of `x-webhooks` adds it \
         to the envelope and requires it."
    } else {
        "The event's object, whose schema depends on `type`: every event of `x-webhooks` adds it \
         to the envelope, and most require it (the spec leaves it optional for some); a body \
         without it is no event."
    };
    properties.insert(
        config::WEBHOOK_DATA_PROPERTY.into(),
        json!({ "description": description, (config::RAW_KEYWORD): true }),
    );
    // The envelope requires its frame only: every other key is optional (each that the spec
    // requires says why), so an authentic body with a `type` and a `data` is an event.
    let frame = [
        config::WEBHOOK_EVENT_TYPE_PROPERTY,
        config::WEBHOOK_DATA_PROPERTY,
    ];
    let Some(Value::Array(required)) = def.get_mut("required") else {
        return Err(Error(format!(
            "{origin}: `{}` has no `required` list",
            config::WEBHOOK_ENVELOPE
        )));
    };
    let relaxed: Vec<String> = required
        .iter()
        .filter_map(Value::as_str)
        .filter(|key| !frame.contains(key))
        .map(str::to_owned)
        .collect();
    *required = frame.iter().map(|key| json!(key)).collect();
    for key in relaxed {
        if let Some(Value::Object(prop)) = def.pointer_mut(&format!("/properties/{key}")) {
            prop.entry("$comment").or_insert_with(|| {
                Value::String(format!(
                    "Required by the spec; optional here, as every key of the envelope but \
                     `{}` and `{}`: an authentic delivery that has those two is an event, and \
                     is never refused for the rest of its content.",
                    config::WEBHOOK_EVENT_TYPE_PROPERTY,
                    config::WEBHOOK_DATA_PROPERTY
                ))
            });
        }
    }
    Ok(())
}

/// The group of an event whose `data` is, or includes through `allOf`, a component of
/// [`config::WEBHOOK_DATA_GROUPS`].
fn data_group(data: &Value, components: &Map<String, Value>) -> Option<&'static str> {
    let name_of = |v: &Value| {
        v.get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .map(str::to_owned)
    };
    // The component `data` names, or the first one its inline `allOf` names.
    let target = name_of(data).or_else(|| {
        data.get("allOf")
            .and_then(Value::as_array)
            .and_then(|parts| parts.iter().find_map(name_of))
    })?;
    let direct = config::WEBHOOK_DATA_GROUPS
        .iter()
        .find(|(component, _)| *component == target);
    if let Some((_, group)) = direct {
        return Some(group);
    }
    let included: Vec<String> = components
        .get(&target)
        .and_then(|c| c.get("allOf"))
        .and_then(Value::as_array)
        .map(|parts| parts.iter().filter_map(name_of).collect())
        .unwrap_or_default();
    config::WEBHOOK_DATA_GROUPS
        .iter()
        .find(|(component, _)| included.iter().any(|n| n == component))
        .map(|(_, group)| *group)
}

/// `(component, file)` of every `$defs` entry of the Backend API's files.
fn backend_components(backend: &[SchemaFile]) -> Vec<(String, String)> {
    backend
        .iter()
        .filter(|f| config::IMPORT.iter().any(|(file, _)| *file == f.name))
        .flat_map(|f| {
            f.value
                .get("$defs")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|defs| defs.keys())
                .map(|name| (name.clone(), f.name.clone()))
        })
        .collect()
}

/// Every entry of [`config::NOT_TIMESTAMPS`] and [`config::OMITTED_BY_CLERK`] must name a
/// property the spec has, when the spec has its component.
fn check_exceptions(components: &Map<String, Value>, origin: &str) -> Result<()> {
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
fn mark_timestamps(component: &str, def: &mut Value) {
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
fn mark_omitted(component: &str, def: &mut Value, origin: &str) -> Result<()> {
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
fn add_also_sent(component: &str, def: &mut Value, origin: &str) -> Result<()> {
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
