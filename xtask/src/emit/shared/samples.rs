//! Sample JSON instances of the schemas, for the generated request and answer tests: the
//! spec's own `example` wherever it gives one, a value made from the schema elsewhere.

use serde_json::{Map, Value, json};

use crate::config;
use crate::load::schemas::SchemaFile;

/// Below this depth an object gets all its properties; deeper, only its required ones, so a
/// model that holds itself (an organization's parent) ends.
const FULL_DEPTH: usize = 5;
/// Deeper than this, a sample is `null`: only a schema that requires itself reaches it.
const MAX_DEPTH: usize = 24;

/// Makes samples from the schemas of `files`, resolving `$ref`s between them.
pub(crate) struct Samples<'a> {
    files: &'a [SchemaFile],
}

impl<'a> Samples<'a> {
    pub(crate) fn new(files: &'a [SchemaFile]) -> Self {
        Self { files }
    }

    /// The schema a `$ref` names, read in `file`, and the file it is in.
    pub(crate) fn resolve(&self, reference: &str, file: &str) -> Option<(&'a Value, &'a str)> {
        let (target, pointer) = reference.split_once('#')?;
        let target = if target.is_empty() { file } else { target };
        let found = self.files.iter().find(|f| f.name == target)?;
        Some((found.value.pointer(pointer)?, found.name.as_str()))
    }

    /// A sample of `schema` (read in `file`) for a value named `hint`: every property of an
    /// object when `full`, its required ones otherwise.
    pub(crate) fn instance(&self, schema: &Value, file: &str, hint: &str, full: bool) -> Value {
        self.at(schema, file, hint, full, 0)
    }

    fn at(&self, schema: &Value, file: &str, hint: &str, full: bool, depth: usize) -> Value {
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        let Some(object) = schema.as_object() else {
            return json!({});
        };
        if let Some(example) = object.get("example") {
            return example.clone();
        }
        if let Some(Value::Array(examples)) = object.get("examples")
            && let Some(first) = examples.first()
        {
            return first.clone();
        }
        if let Some(value) = object.get("const") {
            return value.clone();
        }
        if let Some(Value::Array(values)) = object.get("enum")
            && let Some(first) = values.iter().find(|v| !v.is_null())
        {
            return first.clone();
        }
        if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
            return match self.resolve(reference, file) {
                Some((target, in_file)) => self.at(target, in_file, hint, full, depth + 1),
                None => Value::Null,
            };
        }
        if object.get(config::RAW_KEYWORD) == Some(&Value::Bool(true)) {
            return json!({ "kept": [hint, 1] });
        }
        if let Some(kind) = object
            .get(config::RESPONSE_LIST_KEYWORD)
            .and_then(Value::as_str)
        {
            let item = object.get("items").map_or(Value::Null, |items| {
                self.at(items, file, hint, full, depth + 1)
            });
            return match kind {
                "paginated" => json!({ "data": [item], "total_count": 1 }),
                _ => json!([item]),
            };
        }
        // An object's `anyOf` only says which of its properties are required together.
        let has_properties = object.contains_key("properties");
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = object.get(key).filter(|_| !has_properties) {
                let member = members
                    .iter()
                    .find(|m| m.get("type").and_then(Value::as_str) != Some("null"));
                if let Some(member) = member {
                    return self.at(member, file, hint, full, depth + 1);
                }
            }
        }
        if let Some(Value::Array(parts)) = object.get("allOf") {
            let mut merged = Map::new();
            for part in parts {
                match self.at(part, file, hint, full, depth + 1) {
                    Value::Object(fields) => merged.extend(fields),
                    other => return other,
                }
            }
            return Value::Object(merged);
        }
        let types: Vec<&str> = match object.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ if object.contains_key("properties") => vec!["object"],
            _ => Vec::new(),
        };
        let bound = |key: &str| object.get(key).and_then(Value::as_i64);
        match types.into_iter().find(|t| *t != "null") {
            Some("string") => Value::String(text_sample(object, hint)),
            Some("integer") => json!(bound("minimum").or(bound("maximum")).unwrap_or(
                if hint.ends_with("_at") {
                    1_700_000_000_000_i64
                } else {
                    3
                }
            )),
            Some("number") => json!(1.5),
            Some("boolean") => json!(true),
            Some("array") => {
                let item = object.get("items").map_or(Value::Null, |items| {
                    self.at(items, file, hint, full, depth + 1)
                });
                json!([item])
            }
            Some("object") => self.object(object, file, full, depth),
            _ => json!({}),
        }
    }

    fn object(&self, object: &Map<String, Value>, file: &str, full: bool, depth: usize) -> Value {
        // Its own required properties, and those of the first way its `anyOf` or `oneOf`
        // requires some.
        let alternative = ["anyOf", "oneOf"]
            .iter()
            .find_map(|key| object.get(*key).and_then(Value::as_array)?.first());
        let required: Vec<&str> = [
            object.get("required"),
            alternative.and_then(|a| a.get("required")),
        ]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_str)
        .collect();
        let all = full && depth < FULL_DEPTH;
        let mut out = Map::new();
        if let Some(properties) = object.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                if all || required.contains(&name.as_str()) {
                    out.insert(name.clone(), self.at(property, file, name, full, depth + 1));
                }
            }
        }
        // A map gets one entry, so that it is sent and typed.
        if out.is_empty()
            && let Some(values) = object.get("additionalProperties").filter(|v| v.is_object())
        {
            out.insert(
                "key".to_owned(),
                self.at(values, file, "key", full, depth + 1),
            );
        }
        Value::Object(out)
    }
}

/// A string for `hint`, in the schema's format where it has one.
fn text_sample(object: &Map<String, Value>, hint: &str) -> String {
    match object.get("format").and_then(Value::as_str) {
        Some("date-time") => "2026-05-12T10:00:00Z".to_owned(),
        Some("date") => "2026-05-12".to_owned(),
        Some("email") => "someone@example.com".to_owned(),
        Some("uri" | "url") => "https://example.com/sample".to_owned(),
        _ => format!("{hint}-sample"),
    }
}
