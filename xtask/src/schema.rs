//! Reading `schemas/`: load the files, bundle them into one set of `$defs` with local
//! references, and normalize that set into what typify 0.8 handles well.
//!
//! Normalization is where typify's traps are defused (see `DESIGN.md`):
//! OpenAPI `nullable` becomes a type array, `additionalProperties: false` is dropped so that
//! unknown keys are ignored, nullable `$defs` move their `null` to the places that reference
//! them, descriptions are trimmed, and every multi-valued string enum is hoisted into an
//! open-enum `$defs` entry that the xtask generates itself (single-valued enums, the `object`
//! discriminators, are hoisted too and generated closed). What typify cannot carry (field
//! order, timestamp markers, open enums) is collected into a [`Model`] for the post-pass.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::config;

/// An error of the generator, with the place it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

macro_rules! bail {
    ($($arg:tt)*) => { return Err(Error(format!($($arg)*))) };
}

/// Result of the generator's steps.
pub type Result<T> = std::result::Result<T, Error>;

/// One schema file, parsed.
#[derive(Debug, Clone)]
pub struct SchemaFile {
    /// File name, e.g. `session.json`; what other files use in their `$ref`s.
    pub name: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// Its content.
    pub value: Value,
}

/// Reads every `*.json` file of `dir`, in name order.
pub fn load_dir(dir: &Path) -> Result<Vec<SchemaFile>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error(format!("cannot read schema folder {}: {e}", dir.display())))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| Error(format!("cannot read schema folder {}: {e}", dir.display())))?
            .path();
        if path.extension().is_some_and(|ext| ext == "json") {
            paths.push(path);
        }
    }
    paths.sort();
    if paths.is_empty() {
        bail!("no *.json schema in {}", dir.display());
    }
    paths.iter().map(|p| load_file(p)).collect()
}

/// Reads and parses one schema file.
pub fn load_file(path: &Path) -> Result<SchemaFile> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error(format!("cannot read {}: {e}", path.display())))?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Error(format!("{} is not valid JSON: {e}", path.display())))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error(format!("{} has no UTF-8 file name", path.display())))?
        .to_owned();
    Ok(SchemaFile {
        name,
        path: path.to_owned(),
        value,
    })
}

/// All `$defs` of all files in one map, every `$ref` rewritten to `#/$defs/Name`.
///
/// Nothing else changes, so the bundle validates exactly what the files validate. Files are
/// taken in name order whatever order they come in, so everything downstream (the generated
/// code included) depends on their contents only.
pub fn bundle(files: &[SchemaFile]) -> Result<Map<String, Value>> {
    let mut sorted: Vec<&SchemaFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let files = sorted;
    let mut owner: Vec<(String, String)> = Vec::new(); // (file, def)
    let mut defs = Map::new();
    for file in &files {
        let Some(file_defs) = file.value.get("$defs").and_then(Value::as_object) else {
            bail!(
                "{}: no `$defs` object at the top level",
                file.path.display()
            );
        };
        for (name, schema) in file_defs {
            if let Some((other, _)) = owner.iter().find(|(_, d)| d == name) {
                bail!(
                    "{}: `$defs/{name}` is also defined in {other}; names must be unique across schemas/",
                    file.path.display()
                );
            }
            owner.push((file.name.clone(), name.clone()));
            defs.insert(name.clone(), schema.clone());
        }
    }
    for file in &files {
        let Some(file_defs) = file.value.get("$defs").and_then(Value::as_object) else {
            continue;
        };
        for name in file_defs.keys() {
            let Some(schema) = defs.get_mut(name) else {
                continue;
            };
            let at = format!("{}#/$defs/{name}", file.name);
            rewrite_refs(schema, &at, &mut |reference, at| {
                let (target_file, fragment) = match reference.split_once('#') {
                    Some(("", fragment)) => (file.name.as_str(), fragment),
                    Some((target_file, fragment)) => (target_file, fragment),
                    None => bail!("{at}: `$ref` {reference:?} has no `#/$defs/...` fragment"),
                };
                let Some(target) = fragment.strip_prefix("/$defs/") else {
                    bail!(
                        "{at}: `$ref` {reference:?} must point at `#/$defs/<Name>` or \
                         `#/$defs/<Name>/properties/<property>`"
                    );
                };
                // A property reference shares the property's (hoisted) enum; see `normalize`.
                let (def, property) = match target.split_once("/properties/") {
                    Some((def, property)) => (def, Some(property)),
                    None => (target, None),
                };
                if !owner.iter().any(|(f, d)| f == target_file && d == def) {
                    bail!(
                        "{at}: `$ref` {reference:?} points at nothing (no `$defs/{def}` in {target_file})"
                    );
                }
                if let Some(property) = property {
                    let exists = defs_by_file(&files, target_file, def)
                        .and_then(|d| d.get("properties"))
                        .and_then(|p| p.get(property))
                        .is_some();
                    if !exists {
                        bail!(
                            "{at}: `$ref` {reference:?} points at nothing (`$defs/{def}` in \
                             {target_file} has no property `{property}`)"
                        );
                    }
                }
                Ok(format!("#/$defs/{target}"))
            })?;
        }
    }
    Ok(defs)
}

/// `$defs/<def>` of the file named `file`, as written.
fn defs_by_file<'a>(files: &[&'a SchemaFile], file: &str, def: &str) -> Option<&'a Value> {
    files
        .iter()
        .find(|f| f.name == file)?
        .value
        .get("$defs")?
        .get(def)
}

/// A bundle as one standalone schema whose root is `$defs/<root>`.
#[must_use]
pub fn bundle_root(defs: &Map<String, Value>, root: &str) -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/$defs/{root}"),
        "$defs": defs,
    })
}

fn rewrite_refs(
    value: &mut Value,
    at: &str,
    f: &mut dyn FnMut(&str, &str) -> Result<String>,
) -> Result<()> {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let here = format!("{at}/{key}");
                if key == "$ref" {
                    let Some(reference) = child.as_str() else {
                        bail!("{here}: `$ref` must be a string");
                    };
                    *child = Value::String(f(reference, &here)?);
                } else {
                    rewrite_refs(child, &here, f)?;
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                rewrite_refs(child, &format!("{at}/{i}"), f)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// What the post-pass needs to know about the schemas and typify forgets.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Object types, in schema order.
    pub structs: Vec<StructModel>,
    /// Open string enums, in schema order.
    pub enums: Vec<EnumModel>,
}

/// An object type of the schemas.
#[derive(Debug, Clone)]
pub struct StructModel {
    /// Rust name.
    pub name: String,
    /// Name in `schemas/`.
    pub schema_name: String,
    /// Trimmed description.
    pub description: Option<String>,
    /// Properties in schema order.
    pub props: Vec<PropModel>,
    /// The field that keeps every key the schema does not list
    /// ([`config::OTHER_CLAIMS_KEYWORD`]), typed by a type parameter.
    pub other_claims: Option<String>,
}

/// The unit of a timestamp property ([`config::TIMESTAMP_KEYWORD`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Unix milliseconds (`unix-ms`).
    Millis,
    /// Unix seconds (`unix-s`).
    Seconds,
}

impl TimeUnit {
    /// The keyword's value, which is also the `Timestamps` derive's.
    #[must_use]
    pub fn keyword(self) -> &'static str {
        match self {
            Self::Millis => config::TIMESTAMP_UNIT,
            Self::Seconds => config::TIMESTAMP_UNIT_SECONDS,
        }
    }

    /// The unit in words, for docs.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Self::Millis => "milliseconds",
            Self::Seconds => "seconds",
        }
    }
}

/// A property of an object type.
#[derive(Debug, Clone)]
pub struct PropModel {
    /// JSON key (also the Rust field name: Clerk's keys are snake_case).
    pub name: String,
    /// In the schema's `required` list.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// Marked with the timestamp keyword, in this unit.
    pub timestamp: Option<TimeUnit>,
    /// The schema's `default` (a string): what an absent key means. Taken out of the schema,
    /// so the field stays an `Option` and round-trips unchanged; the docs state it.
    pub default: Option<String>,
    /// Marked with the raw keyword: kept as raw JSON (`clerk_models::RawJson`).
    pub raw: bool,
    /// Marked with the list keyword: a comma-separated string, typed
    /// `clerk_models::ClaimList`.
    pub list: bool,
    /// Trimmed description.
    pub description: Option<String>,
}

/// A string enum of the schemas.
#[derive(Debug, Clone)]
pub struct EnumModel {
    /// Rust name.
    pub name: String,
    /// Open (known values plus a catch-all) when the schema lists two or more values;
    /// closed when it lists one, which makes it a discriminator such as `object: "session"`.
    pub open: bool,
    /// Trimmed description.
    pub description: Option<String>,
    /// Known values in schema order.
    pub values: Vec<String>,
    /// The description of each value, where the schema gives one (the known values of
    /// [`config::KNOWN_VALUES_KEYWORD`] do), in the order of `values`.
    pub docs: Vec<Option<String>>,
    /// The groups the schema puts each value in (a known value's `group`), in the order of
    /// `values`; the xtask config adds more.
    pub value_groups: Vec<Vec<String>>,
    /// `(struct, property)` the enum was hoisted from, if it was inline.
    pub owner: Option<(String, String)>,
}

/// The schemas ready for typify, plus the [`Model`] for the post-pass.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// `{"$defs": {...}}` for typify.
    pub typify_input: Value,
    /// What typify does not carry.
    pub model: Model,
}

/// Normalizes a [`bundle`] for typify; see the module docs for the rules.
pub fn normalize(bundled: &Map<String, Value>) -> Result<Normalized> {
    // 1. Names: rename $defs (and every $ref to them) as configured.
    let mut defs = Map::new();
    for (name, schema) in bundled {
        defs.insert(rust_name(name).to_owned(), schema.clone());
    }
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

    // 2. Keywords typify mishandles.
    for (name, schema) in defs.iter_mut() {
        simplify(schema, &format!("#/$defs/{name}"))?;
    }

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
    let mut model = Model::default();
    let mut hoisted = Vec::new();
    for (name, schema) in defs.iter_mut() {
        let at = format!("#/$defs/{name}");
        if let Some(values) = enum_values(schema, &at)? {
            model.enums.push(EnumModel {
                name: name.clone(),
                open: values.len() > 1,
                description: description(schema),
                docs: vec![None; values.len()],
                value_groups: vec![Vec::new(); values.len()],
                values,
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
            if !is_field_name(prop) {
                bail!("{prop_at}: property names must be snake_case identifiers");
            }
            let timestamp = take_timestamp_marker(prop_schema, &prop_at)?;
            let raw = take_raw_marker(prop_schema, &prop_at)?;
            let list = take_list_marker(prop_schema, &prop_at)?;
            let default = take_default(prop_schema, &prop_at)?;
            let nullable = is_nullable(prop_schema);
            let known = take_known_values(prop_schema, &prop_at)?;
            let spec_enum = enum_values(prop_schema, &prop_at)?;
            let hoist = match (known, spec_enum) {
                (Some(_), Some(_)) => bail!(
                    "{prop_at}: `{}` is for strings without an `enum`; this one has both",
                    config::KNOWN_VALUES_KEYWORD
                ),
                (Some(known), None) => {
                    let values = known.iter().map(|k| k.value.clone()).collect();
                    let docs = known.iter().map(|k| k.description.clone()).collect();
                    let groups = known.into_iter().map(|k| k.groups).collect();
                    Some((values, docs, groups, true))
                }
                (None, Some(values)) => {
                    let open = values.len() > 1;
                    let docs = vec![None; values.len()];
                    let groups = vec![Vec::new(); values.len()];
                    Some((values, docs, groups, open))
                }
                (None, None) => None,
            };
            if let Some((values, docs, value_groups, open)) = hoist {
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
                    values: values.clone(),
                    docs,
                    value_groups,
                    owner: Some((name.clone(), prop.clone())),
                });
                hoisted.push((
                    enum_name,
                    json!({ "type": "string", "enum": values }),
                    prop_at.clone(),
                ));
                *prop_schema = reference;
            }
            props.push(PropModel {
                name: prop.clone(),
                required: required.contains(prop),
                nullable,
                timestamp,
                default,
                raw,
                list,
                description: description(prop_schema),
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
            schema_name: original_name(name).to_owned(),
            description: struct_description,
            props,
            other_claims,
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

    Ok(Normalized {
        typify_input: json!({ "$defs": defs }),
        model,
    })
}

/// The Rust name of a schema `$defs` entry.
#[must_use]
pub fn rust_name(schema_name: &str) -> &str {
    config::RENAMES
        .iter()
        .find(|(_, from, _)| *from == schema_name)
        .map_or(schema_name, |(_, _, to)| to)
}

fn original_name(rust: &str) -> &str {
    config::RENAMES
        .iter()
        .find(|(_, _, to)| *to == rust)
        .map_or(rust, |(_, from, _)| from)
}

fn description(schema: &Value) -> Option<String> {
    schema
        .get("description")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Drops `additionalProperties: false`, trims descriptions, turns `nullable` into types.
fn simplify(value: &mut Value, at: &str) -> Result<()> {
    match value {
        Value::Object(map) => {
            if map.get("additionalProperties") == Some(&Value::Bool(false)) {
                map.remove("additionalProperties");
            }
            // Notes for maintainers (such as where known values come from), not for typify.
            map.remove("$comment");
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

fn make_nullable(map: &mut Map<String, Value>, at: &str) -> Result<()> {
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
fn take_null_type(schema: &mut Value) -> bool {
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

fn wrap_nullable_refs(value: &mut Value, nullable: &HashSet<String>, in_nullable_union: bool) {
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

fn is_nullable(schema: &Value) -> bool {
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

fn take_timestamp_marker(schema: &mut Value, at: &str) -> Result<Option<TimeUnit>> {
    let Some(map) = schema.as_object_mut() else {
        return Ok(None);
    };
    let Some(unit) = map.remove(config::TIMESTAMP_KEYWORD) else {
        return Ok(None);
    };
    let Some(unit) = [TimeUnit::Millis, TimeUnit::Seconds]
        .into_iter()
        .find(|u| unit == u.keyword())
    else {
        bail!(
            "{at}/{}: the supported values are {:?} and {:?}, found {unit}",
            config::TIMESTAMP_KEYWORD,
            config::TIMESTAMP_UNIT,
            config::TIMESTAMP_UNIT_SECONDS
        );
    };
    if !is_type_or_null(map, "integer") {
        bail!(
            "{at}: `{}` marks timestamps, which must be `type: integer`",
            config::TIMESTAMP_KEYWORD
        );
    }
    Ok(Some(unit))
}

/// A property's `default`, removed from the schema; only strings are supported.
fn take_default(schema: &mut Value, at: &str) -> Result<Option<String>> {
    let Some(map) = schema.as_object_mut() else {
        return Ok(None);
    };
    match map.remove("default") {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(other) => bail!("{at}/default: only a string default is supported, found {other}"),
    }
}

/// The field named by [`config::OTHER_CLAIMS_KEYWORD`] on an object type, removed.
fn take_other_claims(schema: &mut Value, at: &str) -> Result<Option<String>> {
    let Some(map) = schema.as_object_mut() else {
        return Ok(None);
    };
    match map.remove(config::OTHER_CLAIMS_KEYWORD) {
        None => Ok(None),
        Some(Value::String(field)) if is_field_name(&field) => Ok(Some(field)),
        Some(other) => bail!(
            "{at}/{}: must name a snake_case field, found {other}",
            config::OTHER_CLAIMS_KEYWORD
        ),
    }
}

/// Whether a schema's `type` is `ty`, or `[ty, "null"]` (in any order).
fn is_type_or_null(schema: &Map<String, Value>, ty: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == ty,
        Some(Value::Array(types)) => {
            types.iter().any(|t| t == ty) && types.iter().all(|t| t == ty || t == "null")
        }
        _ => false,
    }
}

/// One entry of [`config::KNOWN_VALUES_KEYWORD`].
struct KnownValue {
    value: String,
    description: Option<String>,
    groups: Vec<String>,
}

/// Removes the boolean `keyword` from a property; the rest of the property when it was
/// `true`, `None` when it was absent or `false`.
fn take_flag<'a>(
    schema: &'a mut Value,
    keyword: &str,
    at: &str,
) -> Result<Option<&'a Map<String, Value>>> {
    let Some(map) = schema.as_object_mut() else {
        return Ok(None);
    };
    match map.remove(keyword) {
        None | Some(Value::Bool(false)) => Ok(None),
        Some(Value::Bool(true)) => Ok(Some(map)),
        Some(_) => bail!("{at}/{keyword}: must be `true`"),
    }
}

/// Whether the property is marked [`config::RAW_KEYWORD`]; the mark is removed, and the
/// property then accepts any JSON (the post-pass types it `clerk_models::RawJson`).
fn take_raw_marker(schema: &mut Value, at: &str) -> Result<bool> {
    let Some(map) = take_flag(schema, config::RAW_KEYWORD, at)? else {
        return Ok(false);
    };
    if let Some(other) = map.keys().find(|k| *k != "description") {
        bail!(
            "{at}: a `{}` property is any JSON; `{other}` beside it would not be honoured",
            config::RAW_KEYWORD
        );
    }
    Ok(true)
}

/// Whether the property is marked [`config::LIST_KEYWORD`]; the mark is removed. Only a
/// plain string property (maybe nullable, without `enum` or known values) can be a list.
fn take_list_marker(schema: &mut Value, at: &str) -> Result<bool> {
    let Some(map) = take_flag(schema, config::LIST_KEYWORD, at)? else {
        return Ok(false);
    };
    let string = match map.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => {
            types.iter().any(|t| t == "string")
                && types.iter().all(|t| t == "string" || t == "null")
        }
        _ => false,
    };
    if !string {
        bail!(
            "{at}: `{}` is for string properties; this one is not `\"type\": \"string\"`",
            config::LIST_KEYWORD
        );
    }
    for other in [
        "enum",
        "const",
        config::KNOWN_VALUES_KEYWORD,
        config::RAW_KEYWORD,
    ] {
        if map.contains_key(other) {
            bail!(
                "{at}: a `{}` property is free text; `{other}` beside it would not be honoured",
                config::LIST_KEYWORD
            );
        }
    }
    Ok(true)
}

/// The documented values of an open string property ([`config::KNOWN_VALUES_KEYWORD`]),
/// removed from the schema, as `(value, description)`.
fn take_known_values(schema: &mut Value, at: &str) -> Result<Option<Vec<KnownValue>>> {
    let Some(map) = schema.as_object_mut() else {
        return Ok(None);
    };
    let Some(known) = map.remove(config::KNOWN_VALUES_KEYWORD) else {
        return Ok(None);
    };
    let here = format!("{at}/{}", config::KNOWN_VALUES_KEYWORD);
    if !is_type_or_null(map, "string") {
        bail!("{here}: known values are for `type: string` properties");
    }
    let Value::Array(entries) = known else {
        bail!("{here}: must be an array of {{\"value\", \"description\"}} objects");
    };
    if entries.is_empty() {
        bail!("{here}: lists no value; remove the keyword instead");
    }
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Some(value) = entry.get("value").and_then(Value::as_str) else {
            bail!("{here}/{i}: needs a string `value`");
        };
        let description = match entry.get("description") {
            None => None,
            Some(Value::String(d)) => Some(d.trim().to_owned()).filter(|d| !d.is_empty()),
            Some(_) => bail!("{here}/{i}/description: must be a string"),
        };
        let groups = match entry.get("group") {
            None => Vec::new(),
            Some(Value::String(g)) if is_field_name(g) => vec![g.clone()],
            Some(_) => bail!("{here}/{i}/group: must be a snake_case name"),
        };
        if let Some(extra) = entry.as_object().and_then(|o| {
            o.keys()
                .find(|k| !["value", "description", "group"].contains(&k.as_str()))
        }) {
            bail!(
                "{here}/{i}: unknown key `{extra}` (an entry has `value`, `description` and `group`)"
            );
        }
        out.push(KnownValue {
            value: value.to_owned(),
            description,
            groups,
        });
    }
    // The same checks as a spec enum's values: names, clashes, duplicates.
    let values: Vec<Value> = out.iter().map(|k| Value::String(k.value.clone())).collect();
    enum_values(&json!({ "enum": values }), &here)?;
    Ok(Some(out))
}

/// The values of a string enum (`null` left out).
fn enum_values(schema: &Value, at: &str) -> Result<Option<Vec<String>>> {
    let Some(Value::Array(values)) = schema.get("enum") else {
        return Ok(None);
    };
    let mut strings = Vec::new();
    for v in values {
        match v {
            Value::String(s) => strings.push(s.clone()),
            Value::Null => {}
            _ => bail!("{at}/enum: only string enums are supported, found {v}"),
        }
    }
    if strings.is_empty() {
        return Ok(None);
    }
    let mut seen = HashSet::new();
    for s in &strings {
        let variant = pascal_case(s);
        if variant.is_empty() {
            bail!("{at}/enum: value {s:?} has no letters or digits to name a variant after");
        }
        if variant == config::CATCH_ALL_VARIANT {
            bail!(
                "{at}/enum: value {s:?} would clash with the catch-all variant `{}`",
                config::CATCH_ALL_VARIANT
            );
        }
        if !seen.insert(variant.clone()) {
            bail!("{at}/enum: two values map to the variant name `{variant}`");
        }
    }
    Ok(Some(strings))
}

fn reject_leftovers(value: &Value, at: &str, model: &Model) -> Result<()> {
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

fn is_field_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `choose-organization` → `ChooseOrganization`, `active` → `Active`, `2fa` → `V2fa`.
#[must_use]
pub fn pascal_case(s: &str) -> String {
    let mut out = String::new();
    for word in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, value: Value) -> SchemaFile {
        SchemaFile {
            name: name.into(),
            path: PathBuf::from(name),
            value,
        }
    }

    #[test]
    fn pascal_case_names_variants() {
        assert_eq!(pascal_case("active"), "Active");
        assert_eq!(pascal_case("choose-organization"), "ChooseOrganization");
        assert_eq!(pascal_case("last_active_at"), "LastActiveAt");
        assert_eq!(pascal_case("2fa"), "V2fa");
    }

    #[test]
    fn bundle_rewrites_cross_file_refs_and_rejects_dangling_ones() {
        let a = file("a.json", json!({"$defs": {"A": {"type": "string"}}}));
        let b = file(
            "b.json",
            json!({"$defs": {"B": {"type": "array", "items": {"$ref": "a.json#/$defs/A"}}}}),
        );
        let defs = bundle(&[a.clone(), b]).unwrap();
        assert_eq!(defs["B"]["items"]["$ref"], "#/$defs/A");

        let dangling = file(
            "b.json",
            json!({"$defs": {"B": {"items": {"$ref": "a.json#/$defs/Nope"}}}}),
        );
        let err = bundle(&[a, dangling]).unwrap_err();
        assert!(err.0.contains("b.json#/$defs/B/items/$ref"), "{err}");
        assert!(err.0.contains("points at nothing"), "{err}");
    }

    #[test]
    fn a_property_reference_shares_the_hoisted_enum_and_nothing_else() {
        let a = file(
            "a.json",
            json!({"$defs": {"A": {"type": "object", "properties": {
                "state": {"type": "string", "enum": ["on", "off"]},
                "label": {"type": "string"}
            }}}}),
        );
        let b = file(
            "b.json",
            json!({"$defs": {"B": {"type": "object", "properties": {
                "mode": {"$ref": "a.json#/$defs/A/properties/state", "default": "on"}
            }}}}),
        );
        let n = normalize(&bundle(&[a.clone(), b]).unwrap()).unwrap();
        assert_eq!(
            n.typify_input["$defs"]["B"]["properties"]["mode"],
            json!({"$ref": "#/$defs/AState"})
        );
        assert_eq!(n.model.enums.len(), 1);
        let mode = &n
            .model
            .structs
            .iter()
            .find(|s| s.name == "B")
            .unwrap()
            .props[0];
        assert_eq!(mode.default.as_deref(), Some("on"));

        let to_string = file(
            "b.json",
            json!({"$defs": {"B": {"type": "object", "properties": {
                "mode": {"$ref": "a.json#/$defs/A/properties/label"}
            }}}}),
        );
        let err = normalize(&bundle(&[a.clone(), to_string]).unwrap()).unwrap_err();
        assert!(
            err.0.contains("only a property holding a string enum"),
            "{err}"
        );
        let to_nothing = file(
            "b.json",
            json!({"$defs": {"B": {"properties": {
                "mode": {"$ref": "a.json#/$defs/A/properties/nope"}
            }}}}),
        );
        let err = bundle(&[a, to_nothing]).unwrap_err();
        assert!(err.0.contains("has no property `nope`"), "{err}");
    }

    #[test]
    fn seconds_and_other_claims_are_read_and_checked() {
        let ok = bundle(&[file(
            "s.json",
            json!({"$defs": {"S": {"type": "object", "x-clerk-other-claims": "rest",
                "properties": {"exp": {"type": "integer", "x-clerk-timestamp": "unix-s"}}}}}),
        )])
        .unwrap();
        let n = normalize(&ok).unwrap();
        assert_eq!(
            n.model.structs[0].props[0].timestamp,
            Some(TimeUnit::Seconds)
        );
        assert_eq!(n.model.structs[0].other_claims.as_deref(), Some("rest"));
        assert!(
            n.typify_input["$defs"]["S"]
                .get("x-clerk-other-claims")
                .is_none()
        );

        for (schema, expected) in [
            (
                json!({"type": "object", "x-clerk-other-claims": "exp",
                    "properties": {"exp": {"type": "integer"}}}),
                "clash with the property",
            ),
            (
                json!({"type": "object", "x-clerk-other-claims": "Rest",
                    "properties": {"exp": {"type": "integer"}}}),
                "must name a snake_case field",
            ),
            (
                json!({"type": "object", "properties": {
                    "exp": {"type": "integer", "x-clerk-timestamp": "unix-us"}}}),
                "the supported values are",
            ),
            (
                json!({"type": "object", "properties": {"n": {"type": "integer", "default": 3}}}),
                "only a string default",
            ),
        ] {
            let bad = bundle(&[file("s.json", json!({"$defs": {"S": schema}}))]).unwrap();
            let err = normalize(&bad).unwrap_err();
            assert!(err.0.contains(expected), "{err}");
        }
    }

    #[test]
    fn normalize_turns_openapi_nullable_into_type_arrays() {
        let defs = bundle(&[file(
            "s.json",
            json!({"$defs": {"S": {
                "type": "object",
                "additionalProperties": false,
                "properties": {"x": {"type": "string", "nullable": true, "description": " hi \n"}},
                "required": ["x"]
            }}}),
        )])
        .unwrap();
        let n = normalize(&defs).unwrap();
        let s = &n.typify_input["$defs"]["S"];
        assert_eq!(s["properties"]["x"]["type"], json!(["string", "null"]));
        assert_eq!(s["properties"]["x"]["description"], "hi");
        assert!(s.get("additionalProperties").is_none());
        let prop = &n.model.structs[0].props[0];
        assert!(prop.required && prop.nullable && prop.timestamp.is_none());
    }

    #[test]
    fn normalize_hoists_enums_open_unless_single_valued() {
        let defs = bundle(&[file(
            "s.json",
            json!({"$defs": {"Thing": {
                "type": "object",
                "properties": {
                    "object": {"type": "string", "enum": ["thing"]},
                    "state": {"type": "string", "enum": ["on", "off"]}
                }
            }}}),
        )])
        .unwrap();
        let n = normalize(&defs).unwrap();
        let kinds: Vec<(&str, bool)> = n
            .model
            .enums
            .iter()
            .map(|e| (e.name.as_str(), e.open))
            .collect();
        assert_eq!(kinds, [("ThingObject", false), ("ThingState", true)]);
        assert_eq!(n.model.enums[1].values, ["on", "off"]);
        let thing = &n.typify_input["$defs"]["Thing"]["properties"];
        assert_eq!(thing["state"]["$ref"], "#/$defs/ThingState");
        assert_eq!(thing["object"]["$ref"], "#/$defs/ThingObject");
    }

    #[test]
    fn normalize_moves_def_level_null_to_references() {
        let defs = bundle(&[file(
            "s.json",
            json!({"$defs": {
                "Inner": {"type": "object", "nullable": true, "properties": {}},
                "Outer": {"type": "object", "properties": {"inner": {"$ref": "#/$defs/Inner"}}}
            }}),
        )])
        .unwrap();
        let n = normalize(&defs).unwrap();
        assert_eq!(n.typify_input["$defs"]["Inner"]["type"], "object");
        assert_eq!(
            n.typify_input["$defs"]["Outer"]["properties"]["inner"],
            json!({"anyOf": [{"$ref": "#/$defs/Inner"}, {"type": "null"}]})
        );
        assert!(n.model.structs[1].props[0].nullable);
    }

    #[test]
    fn timestamp_marker_is_read_and_checked() {
        let ok = bundle(&[file(
            "s.json",
            json!({"$defs": {"S": {"type": "object", "properties": {
                "at": {"type": "integer", "x-clerk-timestamp": "unix-ms"}
            }}}}),
        )])
        .unwrap();
        let n = normalize(&ok).unwrap();
        assert_eq!(
            n.model.structs[0].props[0].timestamp,
            Some(TimeUnit::Millis)
        );
        assert!(
            n.typify_input["$defs"]["S"]["properties"]["at"]
                .get("x-clerk-timestamp")
                .is_none()
        );

        let on_string = bundle(&[file(
            "s.json",
            json!({"$defs": {"S": {"type": "object", "properties": {
                "at": {"type": "string", "x-clerk-timestamp": "unix-ms"}
            }}}}),
        )])
        .unwrap();
        let err = normalize(&on_string).unwrap_err();
        assert!(err.0.contains("#/$defs/S/properties/at"), "{err}");
    }

    #[test]
    fn list_marker_is_read_and_checked() {
        let n = with_key(json!({"type": ["string", "null"], "x-clerk-comma-list": true})).unwrap();
        assert!(n.model.structs[0].props[0].list);
        assert!(
            n.typify_input["$defs"]["Job"]["properties"]["key"]
                .get("x-clerk-comma-list")
                .is_none()
        );
        assert!(!with_key(json!({"type": "string"})).unwrap().model.structs[0].props[0].list);
        for (bad, says) in [
            (
                json!({"type": "integer", "x-clerk-comma-list": true}),
                "string properties",
            ),
            (json!({"x-clerk-comma-list": true}), "string properties"),
            (
                json!({"type": "string", "enum": ["a", "b"], "x-clerk-comma-list": true}),
                "`enum`",
            ),
            (
                json!({"type": "string", "x-clerk-comma-list": "yes"}),
                "must be `true`",
            ),
        ] {
            let err = with_key(bad).unwrap_err();
            assert!(err.0.contains("#/$defs/Job/properties/key"), "{err}");
            assert!(err.0.contains(says), "{err}");
        }
        let nested = bundle(&[file(
            "s.json",
            json!({"$defs": {"Job": {"type": "object", "properties": {
                "tags": {"type": "array", "items": {"type": "string", "x-clerk-comma-list": true}}
            }}}}),
        )])
        .unwrap();
        let err = normalize(&nested).unwrap_err();
        assert!(err.0.contains("x-clerk-comma-list"), "{err}");
    }

    fn with_key(key: Value) -> Result<Normalized> {
        let defs = bundle(&[file(
            "s.json",
            json!({"$defs": {"Job": {"type": "object", "properties": { "key": key }}}}),
        )])?;
        normalize(&defs)
    }

    #[test]
    fn known_values_make_an_open_enum_with_documented_variants() {
        let n = with_key(json!({
            "type": "string",
            "$comment": "sources",
            "x-clerk-known-values": [
                {"value": "only-one", "description": " Why it exists. "}
            ]
        }))
        .unwrap();
        let e = &n.model.enums[0];
        assert_eq!(
            (e.name.as_str(), e.open),
            ("JobKey", true),
            "one value is still open"
        );
        assert_eq!(e.values, ["only-one"]);
        assert_eq!(e.docs, [Some("Why it exists.".to_owned())]);
        let key = &n.typify_input["$defs"]["Job"]["properties"]["key"];
        assert_eq!(key, &json!({"$ref": "#/$defs/JobKey"}));
    }

    #[test]
    fn malformed_known_values_are_refused_with_their_place() {
        let cases = [
            (
                json!({"type": "integer", "x-clerk-known-values": [{"value": "a"}]}),
                "`type: string`",
            ),
            (
                json!({"type": "string", "x-clerk-known-values": []}),
                "lists no value",
            ),
            (
                json!({"type": "string", "x-clerk-known-values": "a"}),
                "must be an array",
            ),
            (
                json!({"type": "string", "x-clerk-known-values": [{"name": "a"}]}),
                "needs a string `value`",
            ),
            (
                json!({"type": "string", "x-clerk-known-values": [{"value": "a", "doc": "x"}]}),
                "unknown key `doc`",
            ),
            (
                json!({"type": "string", "x-clerk-known-values": [{"value": "a-b"}, {"value": "a_b"}]}),
                "variant name `AB`",
            ),
            (
                json!({"type": "string", "enum": ["a", "b"], "x-clerk-known-values": [{"value": "a"}]}),
                "has both",
            ),
        ];
        for (key, expected) in cases {
            let err = with_key(key.clone()).unwrap_err();
            assert!(err.0.contains("#/$defs/Job/properties/key"), "{key}: {err}");
            assert!(err.0.contains(expected), "{key}: {err}");
        }
        let nested = bundle(&[file(
            "s.json",
            json!({"$defs": {"Job": {"type": "array", "items": {"type": "string", "x-clerk-known-values": [{"value": "a"}]}}}}),
        )])
        .unwrap();
        let err = normalize(&nested).unwrap_err();
        assert!(
            err.0.contains("string properties of `$defs` objects only"),
            "{err}"
        );
    }

    #[test]
    fn enum_value_clashing_with_the_catch_all_is_refused() {
        let defs = bundle(&[file(
            "s.json",
            json!({"$defs": {"S": {"type": "object", "properties": {
                "k": {"type": "string", "enum": ["known", "unknown"]}
            }}}}),
        )])
        .unwrap();
        let err = normalize(&defs).unwrap_err();
        assert!(err.0.contains("catch-all"), "{err}");
    }
}
