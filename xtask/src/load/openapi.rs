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

use super::convert::{
    add_also_sent, check_exceptions, collect_refs, convert, hoist_inline_objects, mark_omitted,
    mark_timestamps,
};
use super::webhooks::{add_event_types_and_data, backend_components};
use crate::config;
use crate::error::{Error, Result};
use crate::load::schemas::SchemaFile;

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
/// again (see [`config::WEBHOOK_IMPORT`]); so is an older Backend API spec's component that
/// a file it does not write (a model it lacks) holds. A Backend API spec with `paths` also
/// gives the files of its operations (see `load::operations`).
pub fn schema_files(
    spec: &Value,
    origin: &str,
    backend: &[SchemaFile],
) -> Result<Vec<(String, String)>> {
    let kind = SpecKind::of(spec);
    let components = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .ok_or_else(|| Error(format!("{origin}: no `components.schemas` object")))?;
    // What files of `schemas/` this import does not write hold: the Backend API's files,
    // for a webhooks spec; for an older Backend API spec, the files of models it lacks
    // (its operations reference them there, as the other files do).
    let held: Vec<(String, String)> = match kind {
        SpecKind::BackendApi => backend_components(backend)
            .into_iter()
            .filter(|(_, file)| {
                !config::IMPORT
                    .iter()
                    .any(|(f, root)| f == file && components.contains_key(*root))
            })
            .collect(),
        SpecKind::Webhooks => backend_components(backend),
    };
    let held_by = |name: &str| {
        held.iter()
            .find(|(component, _)| component == name)
            .map(|(_, file)| file.clone())
    };
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
    let mut taken = std::collections::BTreeSet::new();
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
        taken.extend(defs.keys().cloned());
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
    if kind == SpecKind::BackendApi && spec.get("paths").is_some() {
        files.extend(super::operations::api_files(
            spec, components, origin, &owner, &taken,
        )?);
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
