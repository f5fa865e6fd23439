//! The Backend API's operations, imported into `schemas/api/`: one file per group (the
//! operation's `x-speakeasy-group`, or else its tag, in snake_case) with its operations under
//! [`config::OPERATIONS_KEYWORD`] and the components only that group reaches under `$defs`;
//! `shared.json` for the components several groups reach; `index.json` for the API's version
//! and server.
//!
//! What the spec writes inline becomes a component of its own, so that every type has a
//! name: a request body is `<Operation>Request`, an enum parameter `<Operation><Parameter>`,
//! an inline response the name of its `object` (`api_key` → `ApiKey`) when that is free, else
//! `<Operation>Response`; identical inline schemas share one component. A list response (a
//! `data` array with a `total_count`, or a bare array where the operation has
//! [`config::PAGINATED_PARAMETER`]) is recorded as such, and its wrapper is not imported.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::convert::{collect_refs, convert, hoist_inline_objects, mark_omitted, mark_timestamps};
use crate::config;
use crate::error::{Error, Result};
use crate::naming::rust_name;

/// The prefix of a reference to a component (or to a schema this import hoists).
const COMPONENT: &str = "#/components/schemas/";

/// One operation of the spec, before conversion.
struct Operation {
    /// The Rust name of its type (`GetSessionList`).
    rust: String,
    group: String,
    /// The record written under the operations keyword, references still in the spec's form.
    record: Value,
}

/// The files of `schemas/api/` the spec gives, as `(file name, text)`.
///
/// `components` are the spec's; `core_owner` tells which file of `schemas/` already holds a
/// component (those of [`config::IMPORT`]), and `taken` every `$defs` name those files hold.
pub(crate) fn api_files(
    spec: &Value,
    components: &Map<String, Value>,
    origin: &str,
    core_owner: &dyn Fn(&str) -> Option<String>,
    taken: &BTreeSet<String>,
) -> Result<Vec<(String, String)>> {
    let version = spec
        .pointer("/info/version")
        .and_then(Value::as_str)
        .ok_or_else(|| Error(format!("{origin}: no `info.version`")))?;
    let server = spec
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .ok_or_else(|| Error(format!("{origin}: no `servers[0].url`")))?;
    // A component that is only a list (`OAuthAccessToken`, an array of tokens) is no type of
    // its own: every reference to it becomes the list, its inline items a component.
    // So is one that is only a string or a number (`PasswordHasher`, a string), or a map
    // (`ReassignmentMappings`): its schema takes its place.
    let alias = |c: &Value| {
        let scalar = ["string", "integer", "number", "boolean"]
            .iter()
            .any(|t| c.get("type") == Some(&json!(t)))
            && c.get("enum").is_none();
        let map = c.get("type") == Some(&json!("object"))
            && ["properties", "allOf", "anyOf", "oneOf"]
                .iter()
                .all(|k| c.get(k).is_none());
        scalar || map || c.get("type") == Some(&json!("array"))
    };
    let plain: Map<String, Value> = components
        .iter()
        .filter(|(_, c)| !alias(c))
        .map(|(n, c)| (n.clone(), c.clone()))
        .collect();
    let mut hoister = Hoister {
        components: &plain,
        taken: taken.clone(),
        hoisted: BTreeMap::new(),
        by_content: BTreeMap::new(),
    };
    let mut list_items = BTreeMap::new();
    for (name, component) in components {
        if !alias(component) {
            continue;
        }
        let mut schema = component.clone();
        if let Some(items) = schema.get_mut("items").filter(|i| i.get("$ref").is_none()) {
            *items = hoister.hoist(items, object_name(items), format!("{name}Item"))?;
        }
        list_items.insert(name.clone(), schema);
    }
    let spec = &replace_lists(spec, &list_items);
    let components = &components
        .keys()
        .filter(|name| !list_items.contains_key(*name))
        .filter_map(|name| {
            let schema = spec.pointer(&format!("/components/schemas/{name}"))?;
            Some((name.clone(), schema.clone()))
        })
        .collect::<Map<String, Value>>();
    for schema in hoister.hoisted.values_mut() {
        *schema = replace_lists(schema, &list_items);
    }
    hoister.components = components;
    let mut operations = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return Err(Error(format!("{origin}: no `paths` object")));
    };
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else {
                continue;
            };
            operations.push(operation(
                spec,
                path,
                method,
                item,
                op,
                &mut hoister,
                origin,
            )?);
        }
    }
    let mut names = BTreeSet::new();
    for op in &operations {
        if !names.insert((op.group.clone(), op.rust.clone())) {
            return Err(Error(format!(
                "{origin}: two operations of group `{}` are both named `{}`",
                op.group, op.rust
            )));
        }
    }

    // Every schema the import writes: the spec's components and the hoisted ones.
    let mut all = components.clone();
    for (name, schema) in &hoister.hoisted {
        all.insert(name.clone(), schema.clone());
    }
    // Which groups reach each schema, through the operations' records and every reference.
    let mut reach: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for op in &operations {
        let mut stack = refs(&op.record, origin)?;
        let mut seen = BTreeSet::new();
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            reach
                .entry(name.clone())
                .or_default()
                .insert(op.group.clone());
            let schema = all.get(&name).ok_or_else(|| {
                Error(format!(
                    "{origin}: `{}` points at `{name}`, which does not exist",
                    op.rust
                ))
            })?;
            stack.extend(refs(schema, origin)?);
        }
    }
    let place = |name: &str| -> Option<String> {
        if let Some(core) = core_owner(name) {
            return Some(core);
        }
        let groups = reach.get(name)?;
        Some(match groups.iter().next() {
            Some(only) if groups.len() == 1 => format!("{}/{only}.json", config::API_SCHEMA_DIR),
            _ => format!(
                "{}/{}.json",
                config::API_SCHEMA_DIR,
                config::API_SHARED_FILE
            ),
        })
    };

    let mut files: BTreeMap<String, (Vec<Value>, Map<String, Value>)> = BTreeMap::new();
    for op in &operations {
        let file = format!("{}/{}.json", config::API_SCHEMA_DIR, op.group);
        let record = convert(&op.record, &file, &place)?;
        files.entry(file).or_default().0.push(record);
    }
    // In the spec's order: components first, then what the import hoisted.
    let order = components.keys().chain(hoister.hoisted.keys());
    for name in order {
        if core_owner(name).is_some() || !reach.contains_key(name) {
            continue;
        }
        let Some(file) = place(name) else { continue };
        let Some(schema) = all.get(name) else {
            continue;
        };
        let mut def = convert(schema, &file, &place)?;
        drop_undefined_required(&mut def);
        mark_timestamps(name, &mut def);
        mark_omitted(name, &mut def, origin)?;
        let mut nested = Vec::new();
        hoist_inline_objects(name, &mut def, &mut nested);
        let defs = &mut files.entry(file.clone()).or_default().1;
        defs.insert(name.clone(), def);
        for (nested_name, nested_def) in nested {
            if all.contains_key(&nested_name) || defs.contains_key(&nested_name) {
                return Err(Error(format!(
                    "{origin}: an inline object of `{name}` would become `{nested_name}`, which \
                     already exists"
                )));
            }
            defs.insert(nested_name, nested_def);
        }
    }

    let mut out = Vec::new();
    let index = json!({
        "$comment": format!(
            "Imported from the Clerk Backend API {version}: its version, sent as the \
             Clerk-API-Version header, and its server, which requests go to under a base URL."
        ),
        (config::API_KEYWORD): { "version": version, "server": server },
        "$defs": {},
    });
    out.push((
        format!("{}/index.json", config::API_SCHEMA_DIR),
        render(&index, "index")?,
    ));
    for (file, (records, defs)) in files {
        let group = file
            .trim_start_matches(&format!("{}/", config::API_SCHEMA_DIR))
            .trim_end_matches(".json")
            .to_owned();
        let comment = if records.is_empty() {
            format!(
                "Imported from the Clerk Backend API {version}: the components that several \
                 groups of operations reach."
            )
        } else {
            format!(
                "Imported from the Clerk Backend API {version}: the operations of group \
                 `{group}` and the components only they reach."
            )
        };
        let mut document = Map::new();
        document.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        document.insert("$comment".into(), json!(comment));
        if !records.is_empty() {
            document.insert(config::OPERATIONS_KEYWORD.into(), Value::Array(records));
        }
        document.insert("$defs".into(), Value::Object(defs));
        out.push((file, render(&Value::Object(document), &group)?));
    }
    Ok(out)
}

fn render(document: &Value, what: &str) -> Result<String> {
    serde_json::to_string_pretty(document)
        .map(|text| text + "\n")
        .map_err(|e| Error(format!("cannot render {what}: {e}")))
}

/// The component names a value references.
fn refs(value: &Value, origin: &str) -> Result<Vec<String>> {
    let mut found = Vec::new();
    collect_refs(value, "", origin, &mut found)?;
    Ok(found.into_iter().map(|(name, _)| name).collect())
}

/// Gives names to the schemas the spec writes inline.
struct Hoister<'a> {
    components: &'a Map<String, Value>,
    /// Every name in use: the components, the `$defs` of the other files, the hoisted ones.
    taken: BTreeSet<String>,
    /// Hoisted name → schema (the spec's form).
    hoisted: BTreeMap<String, Value>,
    /// A schema's text → the name it was hoisted under, so identical ones share it.
    by_content: BTreeMap<String, String>,
}

impl Hoister<'_> {
    /// A reference to `schema` under a name: the component it equals, the name it was
    /// hoisted under before, `preferred` when free, else `fallback`.
    fn hoist(
        &mut self,
        schema: &Value,
        preferred: Option<String>,
        fallback: String,
    ) -> Result<Value> {
        // A union of inline objects: each object gets a name first.
        let mut schema = schema.clone();
        for key in ["anyOf", "oneOf"] {
            let Some(members) = schema.get_mut(key).and_then(Value::as_array_mut) else {
                continue;
            };
            for member in members.iter_mut().filter(|m| m.get("properties").is_some()) {
                let first_required = member
                    .pointer("/required/0")
                    .and_then(Value::as_str)
                    .map(heck::ToUpperCamelCase::to_upper_camel_case)
                    .unwrap_or_default();
                let preferred = object_name(member);
                *member = self.hoist(member, preferred, format!("{fallback}{first_required}"))?;
            }
        }
        let schema = &schema;
        let text = serde_json::to_string(schema).map_err(|e| Error(e.to_string()))?;
        if let Some(name) = self
            .components
            .iter()
            .find(|(_, c)| serde_json::to_string(c).is_ok_and(|t| t == text))
            .map(|(name, _)| name.clone())
            .or_else(|| self.by_content.get(&text).cloned())
        {
            return Ok(json!({ "$ref": format!("{COMPONENT}{name}") }));
        }
        let used = |name: &str| {
            let rust = rust_name(name);
            self.taken.iter().any(|t| rust_name(t) == rust)
                || self.components.keys().any(|c| rust_name(c) == rust)
        };
        let name = preferred.filter(|p| !used(p)).unwrap_or(fallback);
        if used(&name) {
            return Err(Error(format!(
                "an inline schema would be named `{name}`, which already exists"
            )));
        }
        self.taken.insert(name.clone());
        self.hoisted.insert(name.clone(), schema.clone());
        self.by_content.insert(text, name.clone());
        Ok(json!({ "$ref": format!("{COMPONENT}{name}") }))
    }
}

/// The group of an operation: its `x-speakeasy-group`, or else its first tag, in snake_case.
fn group_of(op: &Value) -> Option<String> {
    op.get("x-speakeasy-group")
        .and_then(Value::as_str)
        .or_else(|| op.pointer("/tags/0").and_then(Value::as_str))
        .map(|g| heck::ToSnakeCase::to_snake_case(g.trim()))
}

/// Follows `$ref`s to `#/components/<kind>/<name>` until a value that is none.
fn deref<'a>(spec: &'a Value, mut value: &'a Value, origin: &str) -> Result<&'a Value> {
    for _ in 0..8 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return Ok(value);
        };
        if reference.starts_with(COMPONENT) {
            return Ok(value);
        }
        let pointer = reference.trim_start_matches('#');
        value = spec
            .pointer(pointer)
            .ok_or_else(|| Error(format!("{origin}: `$ref` {reference:?} points at nothing")))?;
    }
    Err(Error(format!(
        "{origin}: a chain of `$ref`s that does not end"
    )))
}

/// A schema's single `object` value, if it has one (`api_key`).
fn object_name(schema: &Value) -> Option<String> {
    let values = schema.pointer("/properties/object/enum")?.as_array()?;
    match values.as_slice() {
        [Value::String(only)] => Some(heck::ToUpperCamelCase::to_upper_camel_case(only.as_str())),
        _ => None,
    }
}

/// The record of one operation, with what it writes inline hoisted.
fn operation(
    spec: &Value,
    path: &str,
    method: &str,
    item: &Value,
    op: &Value,
    hoister: &mut Hoister<'_>,
    origin: &str,
) -> Result<Operation> {
    let at = format!("{origin}: {} {path}", method.to_uppercase());
    let id = op
        .get("operationId")
        .and_then(Value::as_str)
        .ok_or_else(|| Error(format!("{at}: no `operationId`")))?;
    let rust = heck::ToUpperCamelCase::to_upper_camel_case(id);
    let group = group_of(op).ok_or_else(|| Error(format!("{at}: neither a group nor a tag")))?;

    let mut parameters = Vec::new();
    let listed = item
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(
            op.get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
    for parameter in listed {
        let parameter = deref(spec, parameter, origin)?;
        parameters.push(param_record(parameter, &rust, hoister, &at)?);
    }
    let names: Vec<&str> = parameters
        .iter()
        .filter_map(|p| p.get("name").and_then(Value::as_str))
        .collect();
    let paginated = names.contains(&config::PAGINATED_PARAMETER);

    let mut record = Map::new();
    record.insert("operationId".into(), json!(id));
    record.insert("method".into(), json!(method));
    record.insert("path".into(), json!(path));
    record.insert("group".into(), json!(group));
    for key in ["summary", "description", "deprecated"] {
        if let Some(value) = op.get(key) {
            let value = match value {
                Value::String(text) => json!(text.trim()),
                other => other.clone(),
            };
            record.insert(key.into(), value);
        }
    }
    record.insert("parameters".into(), Value::Array(parameters));
    if let Some(body) = op.get("requestBody") {
        let body = deref(spec, body, origin)?;
        record.insert(
            "requestBody".into(),
            body_record(body, &rust, hoister, &at)?,
        );
    }
    let mut responses = Map::new();
    let listed = op
        .get("responses")
        .and_then(Value::as_object)
        .ok_or_else(|| Error(format!("{at}: no `responses`")))?;
    for (status, response) in listed {
        let response = deref(spec, response, origin)?;
        let mut out = Map::new();
        if let Some(description) = response.get("description").and_then(Value::as_str) {
            out.insert("description".into(), json!(description.trim()));
        }
        let schema = response.pointer("/content/application~1json/schema");
        if status.starts_with('2') {
            if let Some(schema) = schema {
                out.insert(
                    "schema".into(),
                    success_schema(spec, schema, &rust, paginated, hoister, &at)?,
                );
            }
        } else if let Some(schema) = schema {
            // An error's shape is no type of its own: `ApiError` reads both the spec's forms
            // (ClerkErrors, and the machine-token operations' inline `errors` list with
            // fewer keys), so it stays as the spec writes it, examples included.
            out.insert("schema".into(), schema.clone());
        }
        responses.insert(status.clone(), Value::Object(out));
    }
    record.insert("responses".into(), Value::Object(responses));
    Ok(Operation {
        rust,
        group,
        record: Value::Object(record),
    })
}

/// A parameter's record: where it goes and how, with an enum hoisted.
fn param_record(
    parameter: &Value,
    rust: &str,
    hoister: &mut Hoister<'_>,
    at: &str,
) -> Result<Value> {
    let name = parameter
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| Error(format!("{at}: a parameter without a name")))?;
    let location = parameter
        .get("in")
        .and_then(Value::as_str)
        .ok_or_else(|| Error(format!("{at}: parameter `{name}` says not where it goes")))?;
    if !["path", "query", "header"].contains(&location) {
        return Err(Error(format!(
            "{at}: parameter `{name}` in `{location}` is not supported"
        )));
    }
    let required = location == "path" || parameter.get("required") == Some(&json!(true));
    let style = parameter
        .get("style")
        .and_then(Value::as_str)
        .unwrap_or(if location == "query" {
            "form"
        } else {
            "simple"
        });
    let explode = parameter
        .get("explode")
        .and_then(Value::as_bool)
        .unwrap_or(style == "form");
    let mut schema = parameter
        .get("schema")
        .cloned()
        .ok_or_else(|| Error(format!("{at}: parameter `{name}` has no schema")))?;
    integral_number(&mut schema);
    let hoisted_name = format!(
        "{rust}{}",
        heck::ToUpperCamelCase::to_upper_camel_case(name)
    );
    if schema.get("enum").is_some() {
        schema = hoister.hoist(&schema, None, hoisted_name)?;
    } else if let Some(items) = schema.get_mut("items").filter(|i| i.get("enum").is_some()) {
        let reference = hoister.hoist(items, None, hoisted_name)?;
        *items = reference;
    }
    let mut record = Map::new();
    record.insert("name".into(), json!(name));
    record.insert("in".into(), json!(location));
    record.insert("required".into(), json!(required));
    record.insert("style".into(), json!(style));
    record.insert("explode".into(), json!(explode));
    if let Some(description) = parameter.get("description").and_then(Value::as_str) {
        record.insert("description".into(), json!(description.trim()));
    }
    if parameter.get("deprecated") == Some(&json!(true)) {
        record.insert("deprecated".into(), json!(true));
    }
    record.insert("schema".into(), schema);
    Ok(Value::Object(record))
}

/// A `number` whose bounds and default are whole is an integer (a `limit` of 1 to 100).
fn integral_number(schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    if map.get("type") != Some(&json!("number")) {
        return;
    }
    let whole = ["minimum", "maximum", "default"]
        .iter()
        .filter_map(|k| map.get(*k))
        .all(|v| v.as_f64().is_some_and(|n| n.fract() == 0.0));
    let bounded = map.contains_key("minimum") || map.contains_key("maximum");
    if whole && bounded {
        map.insert("type".into(), json!("integer"));
        for key in ["minimum", "maximum", "default"] {
            if let Some(n) = map.get(key).and_then(Value::as_f64) {
                // Whole, and a `limit`'s bounds are small: exact as an i64.
                #[allow(clippy::cast_possible_truncation)]
                map.insert(key.into(), json!(n as i64));
            }
        }
    }
}

/// A request body's record: its content type, and its schema, hoisted when inline.
fn body_record(body: &Value, rust: &str, hoister: &mut Hoister<'_>, at: &str) -> Result<Value> {
    let content = body
        .get("content")
        .and_then(Value::as_object)
        .ok_or_else(|| Error(format!("{at}: a request body without content")))?;
    let (content_type, media) = content
        .iter()
        .next()
        .ok_or_else(|| Error(format!("{at}: a request body without content")))?;
    if content.len() > 1 {
        return Err(Error(format!(
            "{at}: a request body of several content types"
        )));
    }
    let schema = media
        .get("schema")
        .ok_or_else(|| Error(format!("{at}: a request body without a schema")))?;
    let schema = match content_type.as_str() {
        "application/json" if schema.get("$ref").is_some() => schema.clone(),
        "application/json" if schema.get("type") == Some(&json!("array")) => {
            let mut list = schema.clone();
            if let Some(items) = list.get_mut("items").filter(|i| i.get("$ref").is_none()) {
                *items = hoister.hoist(items, None, format!("{rust}RequestItem"))?;
            }
            list
        }
        "application/json" => hoister.hoist(schema, None, format!("{rust}Request"))?,
        // A form is sent part by part: its schema stays with the operation.
        "multipart/form-data" => schema.clone(),
        other => {
            return Err(Error(format!(
                "{at}: a request body of `{other}` is not supported"
            )));
        }
    };
    Ok(json!({
        "content": content_type,
        "required": body.get("required") == Some(&json!(true)),
        "schema": schema,
    }))
}

/// A success response's schema: a reference (hoisted when inline), or a list of them.
fn success_schema(
    spec: &Value,
    schema: &Value,
    rust: &str,
    paginated: bool,
    hoister: &mut Hoister<'_>,
    at: &str,
) -> Result<Value> {
    let list =
        |items: Value, kind: &str| json!({ (config::RESPONSE_LIST_KEYWORD): kind, "items": items });
    if let Some(items) = list_items(spec, schema) {
        let items = match items.get("$ref") {
            Some(_) => items.clone(),
            None => hoister.hoist(items, object_name(items), format!("{rust}Item"))?,
        };
        return Ok(list(items, "paginated"));
    }
    if schema.get("type") == Some(&json!("array")) {
        let items = schema
            .get("items")
            .ok_or_else(|| Error(format!("{at}: an array response without `items`")))?;
        let items = match items.get("$ref") {
            Some(_) => items.clone(),
            None => hoister.hoist(items, object_name(items), format!("{rust}Item"))?,
        };
        return Ok(list(items, if paginated { "paginated" } else { "bare" }));
    }
    if schema.get("$ref").is_some() {
        return Ok(schema.clone());
    }
    // Any object at all: kept as received.
    let free_form = ["properties", "allOf", "anyOf", "oneOf", "items"]
        .iter()
        .all(|k| schema.get(k).is_none());
    if free_form {
        return Ok(json!({ (config::RAW_KEYWORD): true }));
    }
    hoister.hoist(schema, object_name(schema), format!("{rust}Response"))
}

/// The items of a list envelope (`{"data": [X], "total_count": n}`), through references.
fn list_items<'a>(spec: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    let resolve = |value: &'a Value| -> &'a Value {
        value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(COMPONENT))
            .and_then(|name| spec.pointer(&format!("/components/schemas/{name}")))
            .unwrap_or(value)
    };
    let envelope = resolve(schema);
    let properties = envelope.get("properties")?.as_object()?;
    let keys: BTreeSet<&str> = properties.keys().map(String::as_str).collect();
    if keys != BTreeSet::from([config::LIST_DATA_KEY, config::LIST_COUNT_KEY]) {
        return None;
    }
    let data = resolve(properties.get(config::LIST_DATA_KEY)?);
    if data.get("type") != Some(&json!("array")) {
        return None;
    }
    data.get("items")
}

/// Takes out of an object's `required` the keys it does not define (the spec requires an
/// enterprise connection's `authenticatable` and defines no such property): a type cannot
/// require what it cannot hold. The `$comment` says so.
fn drop_undefined_required(def: &mut Value) {
    let Some(map) = def.as_object_mut() else {
        return;
    };
    let defined: Vec<String> = map
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    if defined.is_empty() || map.contains_key("allOf") {
        return;
    }
    let Some(Value::Array(required)) = map.get_mut("required") else {
        return;
    };
    let undefined: Vec<String> = required
        .iter()
        .filter_map(Value::as_str)
        .filter(|key| !defined.iter().any(|d| d == key))
        .map(str::to_owned)
        .collect();
    if undefined.is_empty() {
        return;
    }
    required.retain(|key| key.as_str().is_none_or(|k| defined.iter().any(|d| d == k)));
    let keys: Vec<String> = undefined.iter().map(|k| format!("`{k}`")).collect();
    map.insert(
        "$comment".into(),
        json!(format!(
            "The spec also requires {}, which it does not define: not required here.",
            keys.join(", ")
        )),
    );
}

/// `value` with every `$ref` to an alias component (`aliases`: name → its schema, a list's
/// items already a reference) replaced by that schema.
fn replace_lists(value: &Value, aliases: &BTreeMap<String, Value>) -> Value {
    let lists = aliases;
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(schema)) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(COMPONENT))
                .and_then(|name| lists.get(name))
            {
                let mut inlined = replace_lists(&Value::Object(schema.clone()), lists);
                if let (Value::Object(out), Some(description)) =
                    (&mut inlined, map.get("description"))
                {
                    out.insert("description".into(), description.clone());
                }
                return inlined;
            }
            Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), replace_lists(v, lists)))
                    .collect(),
            )
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| replace_lists(v, lists)).collect())
        }
        other => other.clone(),
    }
}
