//! What the importer takes from Clerk's webhooks spec beside its components: the event types
//! of `x-webhooks` with the group of their `data`, and the Backend API's components it
//! references instead of importing again.

use serde_json::{Map, Value, json};

use crate::config;
use crate::error::{Error, Result};
use crate::load::schemas::SchemaFile;

/// The envelope's event types (the keys of `x-webhooks`, as known values with each event's
/// description and the group of its `data`) and the `data` every event requires.
pub(crate) fn add_event_types_and_data(
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
pub(crate) fn backend_components(backend: &[SchemaFile]) -> Vec<(String, String)> {
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
