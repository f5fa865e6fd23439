//! What an update of the Backend API's operations changes for a Rust dependent of
//! `clerk-models-api`: each operation is compared by its `operationId` (its type), its
//! parameters by name, its body and its answer by the schema they name. The models they
//! name are compared as every other type is.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Change, ChangeKind};
use crate::config;
use crate::load::schemas::SchemaFile;

/// Every operation `files` list, by `operationId`.
pub(super) fn operations(files: &[SchemaFile]) -> BTreeMap<String, Value> {
    files
        .iter()
        .filter_map(|f| {
            f.value
                .get(config::OPERATIONS_KEYWORD)
                .and_then(Value::as_array)
        })
        .flatten()
        .filter_map(|op| {
            let id = op.get("operationId").and_then(Value::as_str)?;
            Some((id.to_owned(), op.clone()))
        })
        .collect()
}

fn change(op: &str, field: Option<&str>, kind: ChangeKind, breaking: bool) -> Change {
    Change {
        type_name: op.to_owned(),
        field: field.map(str::to_owned),
        kind,
        breaking,
    }
}

/// `GET /sessions/{session_id}`.
fn route(op: &Value) -> String {
    let text = |k: &str| {
        op.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    format!("{} {}", text("method").to_uppercase(), text("path"))
}

/// What a schema of an operation names: its `$ref`'s type, a list of one, or its JSON type.
fn named(schema: Option<&Value>) -> String {
    let Some(schema) = schema else {
        return "nothing".to_owned();
    };
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    if let Some(kind) = schema
        .get(config::RESPONSE_LIST_KEYWORD)
        .and_then(Value::as_str)
    {
        return format!("{kind} list of {}", named(schema.get("items")));
    }
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        return format!("array of {}", named(schema.get("items")));
    }
    match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect::<Vec<_>>()
            .join(" | "),
        _ => "any".to_owned(),
    }
}

/// The success answer's schema.
fn success(op: &Value) -> Option<&Value> {
    op.get("responses")?
        .as_object()?
        .iter()
        .find(|(status, _)| status.starts_with('2'))
        .and_then(|(_, r)| r.get("schema"))
}

fn parameters(op: &Value) -> BTreeMap<String, &Value> {
    op.get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| Some((p.get("name")?.as_str()?.to_owned(), p)))
        .collect()
}

/// Every change from `old` to `new`, operations in `new`'s order (removed ones last).
pub(super) fn diff(old: &BTreeMap<String, Value>, new: &BTreeMap<String, Value>) -> Vec<Change> {
    let mut out = Vec::new();
    for (id, new_op) in new {
        let Some(old_op) = old.get(id) else {
            out.push(change(
                id,
                None,
                ChangeKind::OperationAdded {
                    route: route(new_op),
                },
                false,
            ));
            continue;
        };
        diff_operation(id, old_op, new_op, &mut out);
    }
    for (id, old_op) in old.iter().filter(|(id, _)| !new.contains_key(*id)) {
        out.push(change(
            id,
            None,
            ChangeKind::OperationRemoved {
                route: route(old_op),
            },
            true,
        ));
    }
    out
}

fn diff_operation(id: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    let (from, to) = (route(old), route(new));
    if from != to {
        // The generated request follows the spec: code that sends it does not change.
        out.push(change(
            id,
            None,
            ChangeKind::RouteChanged { from, to },
            false,
        ));
    }
    let group = |op: &Value| {
        op.get("group")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    if group(old) != group(new) {
        // The type moves to another module (and feature).
        out.push(change(
            id,
            None,
            ChangeKind::GroupChanged {
                from: group(old),
                to: group(new),
            },
            true,
        ));
    }
    let (old_params, new_params) = (parameters(old), parameters(new));
    let required = |p: &Value| p.get("required") == Some(&Value::Bool(true));
    for (name, param) in &new_params {
        match old_params.get(name) {
            // A required one is an argument of `new`; an optional one, a setter.
            None => out.push(change(
                id,
                Some(name),
                ChangeKind::FieldAdded {
                    required: required(param),
                },
                required(param),
            )),
            Some(before) => {
                if required(before) != required(param) {
                    // It moves between `new`'s arguments and the setters.
                    out.push(change(
                        id,
                        Some(name),
                        ChangeKind::RequiredChanged {
                            now: required(param),
                        },
                        true,
                    ));
                }
                let (from, to) = (named(before.get("schema")), named(param.get("schema")));
                if from != to {
                    out.push(change(
                        id,
                        Some(name),
                        ChangeKind::TypeChanged { from, to },
                        true,
                    ));
                }
            }
        }
    }
    for name in old_params.keys().filter(|n| !new_params.contains_key(*n)) {
        out.push(change(id, Some(name), ChangeKind::FieldRemoved, true));
    }
    let body = |op: &Value| {
        op.get("requestBody").map_or_else(
            || "nothing".to_owned(),
            |b| {
                let content = b.get("content").and_then(Value::as_str).unwrap_or_default();
                format!("{content} {}", named(b.get("schema")))
            },
        )
    };
    if body(old) != body(new) {
        out.push(change(
            id,
            None,
            ChangeKind::BodyChanged {
                from: body(old),
                to: body(new),
            },
            true,
        ));
    }
    let (from, to) = (named(success(old)), named(success(new)));
    if from != to {
        out.push(change(
            id,
            None,
            ChangeKind::ResponseChanged { from, to },
            true,
        ));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ops(list: Value) -> BTreeMap<String, Value> {
        let file = SchemaFile {
            name: "api/x.json".into(),
            path: "api/x.json".into(),
            value: json!({ (config::OPERATIONS_KEYWORD): list }),
        };
        operations(&[file])
    }

    #[test]
    fn every_kind_of_operation_change_is_named_and_tagged() {
        let old = ops(json!([
            {"operationId": "GetThing", "method": "get", "path": "/things/{id}", "group": "things",
             "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                            {"name": "limit", "in": "query", "required": false, "schema": {"type": "integer"}}],
             "responses": {"200": {"schema": {"$ref": "a.json#/$defs/Thing"}}}},
            {"operationId": "DeleteThing", "method": "delete", "path": "/things/{id}", "group": "things",
             "parameters": [], "responses": {"200": {}}}
        ]));
        let new = ops(json!([
            {"operationId": "GetThing", "method": "get", "path": "/v2/things/{id}", "group": "stuff",
             "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
                            {"name": "limit", "in": "query", "required": true, "schema": {"type": "integer"}},
                            {"name": "expand", "in": "query", "required": false, "schema": {"type": "boolean"}}],
             "requestBody": {"content": "application/json", "schema": {"$ref": "#/$defs/GetThingRequest"}},
             "responses": {"200": {"schema": {"x-clerk-list": "paginated", "items": {"$ref": "#/$defs/Thing"}}}}},
            {"operationId": "ListThings", "method": "get", "path": "/things", "group": "things",
             "parameters": [], "responses": {"200": {}}}
        ]));
        let text: Vec<String> = diff(&old, &new).iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "GetThing: route GET /things/{id} -> GET /v2/things/{id} (compatible)",
                "GetThing: group things -> stuff (breaking)",
                "GetThing.expand: field added, optional (compatible)",
                "GetThing.id: type string -> integer (breaking)",
                "GetThing.limit: optional -> required (breaking)",
                "GetThing: body nothing -> application/json GetThingRequest (breaking)",
                "GetThing: answer Thing -> paginated list of Thing (breaking)",
                "ListThings: operation added, GET /things (compatible)",
                "DeleteThing: operation removed, DELETE /things/{id} (breaking)",
            ]
        );
    }
}
