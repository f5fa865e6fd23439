//! `cargo xtask import-openapi`: Clerk's OpenAPI 3.0 spec → the JSON Schema files of
//! `schemas/`.
//!
//! The conversion is mechanical, so that `schemas/` is Clerk's spec and nothing else:
//! components become `$defs` (keys in the spec's order), `nullable: true` becomes a type
//! array, `#/components/schemas/X` references become `#/$defs/X` or `<file>#/$defs/X`.
//! The local additions come from the xtask config: the timestamp markers
//! ([`config::TIMESTAMP_FIELDS`]) and the documented values of open string properties whose
//! spec lists none ([`config::KNOWN_VALUES`]).

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::config;
use crate::schema::{Error, Result, SchemaFile};

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

/// The schema files the spec gives, in [`config::IMPORT`] order, as `(file name, text)`.
pub fn schema_files(spec: &Value, origin: &str) -> Result<Vec<(String, String)>> {
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
    for (file, root) in config::IMPORT {
        if !components.contains_key(*root) {
            return Err(Error(format!(
                "{origin}: no `components.schemas.{root}`, which xtask config IMPORT takes for {file}"
            )));
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
                let placed = placement.iter().any(|(_, names)| names.contains(&target));
                if !placed && !order.contains(&target) {
                    order.push(target);
                }
            }
        }
        placement.push(((*file).to_owned(), order));
    }
    for (component, fields) in config::TIMESTAMP_FIELDS {
        let Some(properties) = components
            .get(*component)
            .and_then(|c| c.get("properties"))
            .and_then(Value::as_object)
        else {
            return Err(Error(format!(
                "{origin}: xtask config TIMESTAMP_FIELDS names `{component}`, which has no properties in the spec"
            )));
        };
        for field in *fields {
            if !properties.contains_key(*field) {
                return Err(Error(format!(
                    "{origin}: xtask config TIMESTAMP_FIELDS names `{component}.{field}`, which the spec does not have"
                )));
            }
        }
    }

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
    };
    let mut files = Vec::new();
    for (file, names) in &placement {
        let mut defs = Map::new();
        for name in names {
            let Some(component) = components.get(name) else {
                continue;
            };
            let mut def = convert(component, file, &owner)?;
            if let Some((_, fields)) = config::TIMESTAMP_FIELDS.iter().find(|(c, _)| c == name) {
                for field in *fields {
                    if let Some(Value::Object(prop)) =
                        def.pointer_mut(&format!("/properties/{field}"))
                    {
                        prop.insert(
                            config::TIMESTAMP_KEYWORD.into(),
                            Value::String(config::TIMESTAMP_UNIT.into()),
                        );
                    }
                }
            }
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
            defs.insert(name.clone(), def);
        }
        let root = names.first().cloned().unwrap_or_default();
        let document = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$comment": format!(
                "Imported from the Clerk Backend API {version}, components {}.",
                names.join(", ")
            ),
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
