//! `cargo xtask schema-diff`: what a schema update changes for a Rust dependent.
//!
//! Both sides are bundled `$defs` (from a spec or from a `schemas/` folder). Descriptions
//! are ignored; shapes are compared per type and per field, and every change is tagged
//! breaking or compatible for code that depends on the generated crate. The Backend API's
//! operations are compared too (`diff::operations`): by `operationId`, parameter by parameter.

mod operations;

use std::fmt;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::config;
use crate::error::Result;
use crate::load::{openapi, schemas};

/// One change between two schema versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The `$defs` name of the type, or the `operationId` of an operation.
    pub type_name: String,
    /// The property, for field-level changes (an operation's parameter).
    pub field: Option<String>,
    /// What changed.
    pub kind: ChangeKind,
    /// Whether a Rust dependent can break (fails to compile, or fails to decode what it
    /// decoded before).
    pub breaking: bool,
}

/// The kinds of [`Change`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// A new type.
    TypeAdded,
    /// A type is gone.
    TypeRemoved,
    /// A new field.
    FieldAdded {
        /// Whether it is required and non-nullable.
        required: bool,
    },
    /// A field is gone.
    FieldRemoved,
    /// A field moved in or out of `required`.
    RequiredChanged {
        /// Required now.
        now: bool,
    },
    /// A field became nullable, or stopped being.
    NullableChanged {
        /// Nullable now.
        now: bool,
    },
    /// A field's (or a type's) JSON type changed.
    TypeChanged {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// An enum gained a value.
    EnumValueAdded(String),
    /// An enum lost a value.
    EnumValueRemoved(String),
    /// A new operation.
    OperationAdded {
        /// Its method and path.
        route: String,
    },
    /// An operation is gone.
    OperationRemoved {
        /// Its method and path.
        route: String,
    },
    /// An operation has another method or path.
    RouteChanged {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// An operation is in another group (module and feature).
    GroupChanged {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// An operation's request body is another.
    BodyChanged {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
    /// An operation answers with another type.
    ResponseChanged {
        /// Before.
        from: String,
        /// After.
        to: String,
    },
}

impl Change {
    /// `Type` or `Type.field`.
    #[must_use]
    pub fn place(&self) -> String {
        match &self.field {
            Some(field) => format!("{}.{field}", self.type_name),
            None => self.type_name.clone(),
        }
    }

    fn code(&self) -> &'static str {
        match self.kind {
            ChangeKind::TypeAdded => "type_added",
            ChangeKind::TypeRemoved => "type_removed",
            ChangeKind::FieldAdded { .. } => "field_added",
            ChangeKind::FieldRemoved => "field_removed",
            ChangeKind::RequiredChanged { .. } => "required_changed",
            ChangeKind::NullableChanged { .. } => "nullable_changed",
            ChangeKind::TypeChanged { .. } => "type_changed",
            ChangeKind::EnumValueAdded(_) => "enum_value_added",
            ChangeKind::EnumValueRemoved(_) => "enum_value_removed",
            ChangeKind::OperationAdded { .. } => "operation_added",
            ChangeKind::OperationRemoved { .. } => "operation_removed",
            ChangeKind::RouteChanged { .. } => "route_changed",
            ChangeKind::GroupChanged { .. } => "group_changed",
            ChangeKind::BodyChanged { .. } => "body_changed",
            ChangeKind::ResponseChanged { .. } => "response_changed",
        }
    }

    /// The change as JSON, for `--json`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        json!({
            "type": self.type_name,
            "field": self.field,
            "change": self.code(),
            "breaking": self.breaking,
            "description": self.to_string(),
        })
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.kind {
            ChangeKind::TypeAdded => "type added".to_owned(),
            ChangeKind::TypeRemoved => "type removed".to_owned(),
            ChangeKind::FieldAdded { required: true } => "field added, required".to_owned(),
            ChangeKind::FieldAdded { required: false } => "field added, optional".to_owned(),
            ChangeKind::FieldRemoved => "field removed".to_owned(),
            ChangeKind::RequiredChanged { now: true } => "optional -> required".to_owned(),
            ChangeKind::RequiredChanged { now: false } => "required -> optional".to_owned(),
            ChangeKind::NullableChanged { now: true } => "became nullable".to_owned(),
            ChangeKind::NullableChanged { now: false } => "no longer nullable".to_owned(),
            ChangeKind::TypeChanged { from, to } => format!("type {from} -> {to}"),
            ChangeKind::EnumValueAdded(v) => format!("enum value {v:?} added"),
            ChangeKind::EnumValueRemoved(v) => format!("enum value {v:?} removed"),
            ChangeKind::OperationAdded { route } => format!("operation added, {route}"),
            ChangeKind::OperationRemoved { route } => format!("operation removed, {route}"),
            ChangeKind::RouteChanged { from, to } => format!("route {from} -> {to}"),
            ChangeKind::GroupChanged { from, to } => format!("group {from} -> {to}"),
            ChangeKind::BodyChanged { from, to } => format!("body {from} -> {to}"),
            ChangeKind::ResponseChanged { from, to } => format!("answer {from} -> {to}"),
        };
        let tag = if self.breaking {
            "breaking"
        } else {
            "compatible"
        };
        write!(f, "{}: {what} ({tag})", self.place())
    }
}

/// One side of a comparison: its bundled `$defs`, and for a spec, the files its kind
/// imports (a folder holds every file).
#[derive(Debug, Clone)]
pub struct Side {
    files: Vec<schemas::SchemaFile>,
    spec_files: Option<Vec<String>>,
    /// Whether it describes the Backend API's operations (a folder, or a Backend API spec).
    operations: bool,
}

/// Loads one side: a `schemas/`-style folder, or an OpenAPI spec (YAML, or JSON with an
/// `openapi` key), the Backend API's or the webhooks'.
pub fn load_side(path: &Path) -> Result<Side> {
    if path.is_dir() {
        return Ok(Side {
            files: schemas::load_dir(path)?,
            spec_files: None,
            operations: true,
        });
    }
    let spec = openapi::load_spec(path)?;
    let backend = schemas::load_dir(&crate::load::workspace_root().join(config::SCHEMA_DIR))
        .unwrap_or_default();
    let files = openapi::schema_files(&spec, &path.display().to_string(), &backend)?;
    let mut parsed = openapi::parse_schema_files(&files)?;
    // The files the spec's own reference (a webhook file's `user.json#/$defs/User`) come
    // along, out of scope.
    parsed.extend(
        backend
            .into_iter()
            .filter(|f| !files.iter().any(|(name, _)| *name == f.name)),
    );
    Ok(Side {
        spec_files: Some(files.iter().map(|(name, _)| name.clone()).collect()),
        files: parsed,
        operations: openapi::SpecKind::of(&spec) == openapi::SpecKind::BackendApi,
    })
}

/// Where a webhooks spec's own versions of the Backend API's components (its `Session`,
/// `User`, `Organization`…, which the import never takes) differ from the Backend API's files
/// in `backend`: each change reads as the step from the Backend API to the webhooks spec.
/// Empty for a Backend API spec.
///
/// # Errors
///
/// When the spec cannot be read or converted.
pub fn webhooks_against_backend(
    path: &Path,
    backend: &[schemas::SchemaFile],
) -> Result<Vec<Change>> {
    let mut spec = openapi::load_spec(path)?;
    if openapi::SpecKind::of(&spec) != openapi::SpecKind::Webhooks {
        return Ok(Vec::new());
    }
    // Without `x-webhooks` it reads as a Backend API spec: its components go through the
    // very import that wrote `backend`.
    if let Some(map) = spec.as_object_mut() {
        map.remove("x-webhooks");
    }
    let files = openapi::schema_files(&spec, &path.display().to_string(), &[])?;
    let parsed = openapi::parse_schema_files(&files)?;
    let theirs = scoped_defs(&parsed, None)?;
    let names: Vec<String> = config::IMPORT
        .iter()
        .map(|(f, _)| (*f).to_owned())
        .collect();
    let mut ours = scoped_defs(backend, Some(&names))?;
    // Compared where both have the type: the webhooks spec lacks `Client`, for one.
    ours.retain(|name, _| theirs.contains_key(name));
    Ok(diff(&ours, &theirs))
}

/// Every change from `old` to `new`: the types', then the operations'. When a side is a
/// spec, only the files that spec imports are compared (a Backend API spec says nothing of
/// the webhook envelope).
pub fn diff_sides(old: &Side, new: &Side) -> Result<Vec<Change>> {
    let scope: Option<Vec<String>> = match (&old.spec_files, &new.spec_files) {
        (Some(a), Some(b)) => Some(a.iter().chain(b).cloned().collect()),
        (Some(a), None) | (None, Some(a)) => Some(a.clone()),
        (None, None) => None,
    };
    let defs =
        |side: &Side| -> Result<Map<String, Value>> { scoped_defs(&side.files, scope.as_deref()) };
    let mut changes = diff(&defs(old)?, &defs(new)?);
    // A webhooks spec has no operations: there are none to compare with it.
    if old.operations && new.operations {
        changes.extend(diff_operations(&old.files, &new.files));
    }
    Ok(changes)
}

/// Every change to the operations `old` list in those `new` lists.
#[must_use]
pub fn diff_operations(old: &[schemas::SchemaFile], new: &[schemas::SchemaFile]) -> Vec<Change> {
    operations::diff(&operations::operations(old), &operations::operations(new))
}

/// The bundled `$defs` of `files` that the files named in `scope` (all, without one) define;
/// the others are bundled too, so that references into them resolve.
pub fn scoped_defs(
    files: &[schemas::SchemaFile],
    scope: Option<&[String]>,
) -> Result<Map<String, Value>> {
    let in_scope = |f: &&schemas::SchemaFile| scope.is_none_or(|s| s.contains(&f.name));
    if !files.iter().any(|f| in_scope(&f)) {
        return Ok(Map::new());
    }
    let owned: Vec<&String> = files
        .iter()
        .filter(in_scope)
        .filter_map(|f| f.value.get("$defs").and_then(Value::as_object))
        .flat_map(|defs| defs.keys())
        .collect();
    let mut bundled = schemas::bundle(files)?;
    bundled.retain(|name, _| owned.contains(&name));
    Ok(bundled)
}

/// Every change from `old` to `new`, types in `new`'s order (removed ones last).
#[must_use]
pub fn diff(old: &Map<String, Value>, new: &Map<String, Value>) -> Vec<Change> {
    let mut changes = Vec::new();
    for (name, new_def) in new {
        let Some(old_def) = old.get(name) else {
            changes.push(type_change(name, ChangeKind::TypeAdded, false));
            continue;
        };
        diff_type(name, old_def, new_def, &mut changes);
    }
    for name in old.keys().filter(|n| !new.contains_key(*n)) {
        changes.push(type_change(name, ChangeKind::TypeRemoved, true));
    }
    changes
}

fn type_change(name: &str, kind: ChangeKind, breaking: bool) -> Change {
    Change {
        type_name: name.to_owned(),
        field: None,
        kind,
        breaking,
    }
}

fn diff_type(name: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    let old_shape = Shape::of(old, true);
    let new_shape = Shape::of(new, true);
    let old_props = old.get("properties").and_then(Value::as_object);
    let new_props = new.get("properties").and_then(Value::as_object);
    if old_props.is_none() && new_props.is_none() {
        diff_shape(name, None, &old_shape, &new_shape, out);
        return;
    }
    let empty = Map::new();
    let old_props = old_props.unwrap_or(&empty);
    let new_props = new_props.unwrap_or(&empty);
    let required = |def: &Value, field: &str| {
        def.get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|v| v == field))
    };
    for (field, new_prop) in new_props {
        let new_shape = Shape::of(new_prop, required(new, field));
        match old_props.get(field) {
            None => out.push(Change {
                type_name: name.to_owned(),
                field: Some(field.clone()),
                kind: ChangeKind::FieldAdded {
                    required: new_shape.rust_required(),
                },
                // Payloads from before the change lack the field and would fail to decode.
                breaking: new_shape.rust_required(),
            }),
            Some(old_prop) => {
                let old_shape = Shape::of(old_prop, required(old, field));
                diff_shape(name, Some(field), &old_shape, &new_shape, out);
            }
        }
    }
    for field in old_props.keys().filter(|f| !new_props.contains_key(*f)) {
        out.push(Change {
            type_name: name.to_owned(),
            field: Some(field.clone()),
            kind: ChangeKind::FieldRemoved,
            breaking: true,
        });
    }
}

/// What matters of a schema for the generated Rust.
struct Shape {
    /// `string`, `integer`, `array of X`, `X` (a reference), ...
    type_text: String,
    nullable: bool,
    required: bool,
    values: Option<Vec<String>>,
    /// Generated as an open enum: a spec `enum` of two or more values, or known values.
    open: bool,
}

impl Shape {
    fn of(schema: &Value, required: bool) -> Self {
        let mut nullable = false;
        let mut text = String::from("any");
        let mut inner = schema;
        if let Some(branches) = schema
            .get("anyOf")
            .or_else(|| schema.get("oneOf"))
            .and_then(Value::as_array)
        {
            nullable = branches
                .iter()
                .any(|b| b.get("type") == Some(&json!("null")));
            if let Some(first) = branches
                .iter()
                .find(|b| b.get("type") != Some(&json!("null")))
            {
                inner = first;
            }
        }
        if let Some(reference) = inner.get("$ref").and_then(Value::as_str) {
            text = reference.rsplit('/').next().unwrap_or(reference).to_owned();
        } else if let Some(t) = inner.get("type") {
            let types: Vec<&str> = match t {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            nullable |= types.contains(&"null");
            let main: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
            text = main.join(" | ");
            if text == "array"
                && let Some(items) = inner.get("items")
            {
                text = format!("array of {}", Shape::of(items, true).type_text);
            }
        }
        let spec_enum: Option<Vec<String>> =
            inner.get("enum").and_then(Value::as_array).map(|vals| {
                vals.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            });
        let known: Option<Vec<String>> = inner
            .get(config::KNOWN_VALUES_KEYWORD)
            .and_then(Value::as_array)
            .map(|entries| {
                entries
                    .iter()
                    .filter_map(|e| e.get("value").and_then(Value::as_str))
                    .map(str::to_owned)
                    .collect()
            });
        let open = known.is_some() || spec_enum.as_ref().is_some_and(|v| v.len() > 1);
        let values = spec_enum.or(known);
        if values.is_some() && text == "string" {
            // A string with values is an enum in Rust, not a `String`.
            text = "string enum".to_owned();
        }
        Self {
            type_text: text,
            nullable,
            required,
            values,
            open,
        }
    }

    /// A plain `T` field in Rust, which an absent key fails to decode.
    fn rust_required(&self) -> bool {
        self.required && !self.nullable
    }
}

fn diff_shape(name: &str, field: Option<&String>, old: &Shape, new: &Shape, out: &mut Vec<Change>) {
    let change = |kind, breaking| Change {
        type_name: name.to_owned(),
        field: field.cloned(),
        kind,
        breaking,
    };
    if old.type_text != new.type_text {
        out.push(change(
            ChangeKind::TypeChanged {
                from: old.type_text.clone(),
                to: new.type_text.clone(),
            },
            true,
        ));
    }
    // `T` <-> `Option<T>` in Rust is breaking; `Option` both ways is not.
    let rust_type_changes = old.rust_required() != new.rust_required();
    if old.required != new.required {
        out.push(change(
            ChangeKind::RequiredChanged { now: new.required },
            rust_type_changes,
        ));
    }
    if old.nullable != new.nullable {
        out.push(change(
            ChangeKind::NullableChanged { now: new.nullable },
            rust_type_changes && old.required == new.required,
        ));
    }
    // Values appearing or disappearing altogether is the type change reported above.
    let (Some(old_values), Some(new_values)) = (&old.values, &new.values) else {
        return;
    };
    // A value added to an open enum (two or more spec values, or known values) is
    // compatible: the enum is #[non_exhaustive] and unknown values already decode. A
    // discriminator gaining a value becomes an open enum: another type.
    let open_before = old.open;
    for value in new_values.iter().filter(|v| !old_values.contains(v)) {
        out.push(change(
            ChangeKind::EnumValueAdded(value.clone()),
            !open_before,
        ));
    }
    for value in old_values.iter().filter(|v| !new_values.contains(v)) {
        out.push(change(ChangeKind::EnumValueRemoved(value.clone()), true));
    }
}

/// The human-readable report.
#[must_use]
pub fn report(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no changes to the imported types\n".to_owned();
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let mut out = String::new();
    for change in changes {
        out.push_str(&format!("  {change}\n"));
    }
    out.push_str(&format!(
        "{} change(s): {} compatible, {breaking} breaking\n",
        changes.len(),
        changes.len() - breaking
    ));
    out
}

/// The machine-readable report.
#[must_use]
pub fn report_json(changes: &[Change]) -> Value {
    let breaking = changes.iter().filter(|c| c.breaking).count();
    json!({
        "changes": changes.iter().map(Change::to_json).collect::<Vec<_>>(),
        "compatible": changes.len() - breaking,
        "breaking": breaking,
        "types": config::IMPORT.iter().map(|(_, root)| root).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(values: Option<&[&str]>) -> Map<String, Value> {
        let mut key = json!({ "type": "string" });
        if let Some(values) = values {
            let entries: Vec<Value> = values.iter().map(|v| json!({ "value": v })).collect();
            key[config::KNOWN_VALUES_KEYWORD] = Value::Array(entries);
        }
        let def = json!({ "type": "object", "properties": { "key": key }, "required": ["key"] });
        let mut defs = Map::new();
        defs.insert("SessionTask".into(), def);
        defs
    }

    #[test]
    fn known_values_added_are_compatible_and_removed_are_breaking() {
        let two = task(Some(&["choose-organization", "reset-password"]));
        let three = task(Some(&[
            "choose-organization",
            "reset-password",
            "setup-mfa",
        ]));
        let added = diff(&two, &three);
        assert_eq!(
            added.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["SessionTask.key: enum value \"setup-mfa\" added (compatible)"]
        );
        let removed = diff(&three, &two);
        assert_eq!(
            removed.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["SessionTask.key: enum value \"setup-mfa\" removed (breaking)"]
        );
        // One known value is still an open enum: adding a second is compatible too.
        let one = task(Some(&["choose-organization"]));
        assert!(diff(&one, &two).iter().all(|c| !c.breaking));
    }

    #[test]
    fn introducing_known_values_changes_the_rust_type() {
        let changes = diff(&task(None), &task(Some(&["setup-mfa"])));
        assert_eq!(
            changes.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["SessionTask.key: type string -> string enum (breaking)"]
        );
    }
}
