//! `clerk-models-api`'s part of a generation: its operations, grouped, and the features that
//! build each of its models (the groups whose operations reach it; every group for what an
//! error answer holds, which the runtime always decodes).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use serde_json::Value;

use crate::config;
use crate::emit::layout::{ApiParts, Layout};
use crate::emit::operation_tests::operation_test;
use crate::emit::operations::operation;
use crate::emit::shared::samples::Samples;
use crate::emit::shared::signature::{Operation, Types};
use crate::error::{Error, Result};
use crate::load::schemas::SchemaFile;
use crate::model::{Kind, Model};
use crate::naming::rust_name;

/// The operations and the API's settings from `files`, and each API model's features.
pub(super) fn parts(
    files: &[SchemaFile],
    model: &Model,
    typified: &syn::File,
    layout: &Layout,
) -> Result<(ApiParts, HashMap<String, Vec<String>>)> {
    let (operations, settings) = operations(files);
    let text = |key: &str| {
        settings
            .as_ref()
            .and_then(|s| s.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let server = text("server");
    let (origin, prefix) = split_server(&server, operations.is_empty())?;

    let structs = |name: &str| {
        typified.items.iter().find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == name => Some(s.clone()),
            _ => None,
        })
    };
    let types = Types {
        model,
        structs: &structs,
    };
    let samples = Samples::new(files);
    let mut groups: BTreeMap<String, Vec<proc_macro2::TokenStream>> = BTreeMap::new();
    let mut tests: BTreeMap<String, Vec<proc_macro2::TokenStream>> = BTreeMap::new();
    for op in &operations {
        groups
            .entry(op.group().to_owned())
            .or_default()
            .push(operation(op, &types)?);
        tests
            .entry(op.group().to_owned())
            .or_default()
            .push(operation_test(op, &types, &samples)?);
    }
    for group in config::API_DEFAULT_GROUPS {
        if !operations.is_empty() && !groups.contains_key(*group) {
            return Err(Error(format!(
                "xtask config API_DEFAULT_GROUPS names `{group}`, which no operation is in"
            )));
        }
    }

    // Which groups reach each type, and what every group needs (the errors' shape).
    let mut reached: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut always = BTreeSet::new();
    for op in &operations {
        let mut roots = Vec::new();
        let mut error_roots = Vec::new();
        collect(op.record.get("parameters"), &mut roots);
        collect(op.record.get("requestBody"), &mut roots);
        if let Some(responses) = op.record.get("responses").and_then(Value::as_object) {
            for (status, response) in responses {
                if status.starts_with('2') {
                    collect(Some(response), &mut roots);
                } else {
                    collect(Some(response), &mut error_roots);
                }
            }
        }
        for name in closure(model, roots) {
            reached
                .entry(name)
                .or_default()
                .insert(op.group().to_owned());
        }
        always.extend(closure(model, error_roots));
    }
    let mut gates = HashMap::new();
    for (name, groups) in reached {
        if always.contains(&name) || !layout.is_api_type(&name).unwrap_or(false) {
            continue;
        }
        gates.insert(name, groups.into_iter().collect());
    }
    let parts = ApiParts {
        version: text("version"),
        origin: origin.to_owned(),
        prefix: prefix.to_owned(),
        groups: groups
            .into_iter()
            .map(|(group, ops)| (group, quote::quote!(#(#ops)*)))
            .collect(),
        default_groups: config::API_DEFAULT_GROUPS
            .iter()
            .map(|g| (*g).to_owned())
            .collect(),
        tests: tests
            .into_iter()
            .map(|(group, ops)| (group, quote::quote!(#(#ops)*)))
            .collect(),
    };
    Ok((parts, gates))
}

/// The operations `files` list, and the API's settings (`schemas/api/index.json`).
fn operations(files: &[SchemaFile]) -> (Vec<Operation>, Option<Value>) {
    let mut operations = Vec::new();
    let mut settings = None;
    for file in files {
        if let Some(api) = file.value.get(config::API_KEYWORD) {
            settings = Some(api.clone());
        }
        let listed = file
            .value
            .get(config::OPERATIONS_KEYWORD)
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        for record in listed {
            operations.push(Operation {
                file: file.name.clone(),
                record: record.clone(),
            });
        }
    }
    (operations, settings)
}

/// The server's origin (`https://api.clerk.com`) and path prefix (`/v1`).
fn split_server(server: &str, no_operations: bool) -> Result<(&str, &str)> {
    match server.find("://").map(|i| i + 3) {
        Some(after_scheme) => match server.get(after_scheme..).and_then(|s| s.find('/')) {
            Some(slash) => Ok(server.split_at(after_scheme + slash)),
            None => Ok((server, "")),
        },
        None if no_operations => Ok(("", "")),
        None => Err(Error(format!(
            "schemas/{}/index.json: the server {server:?} is not a URL",
            config::API_SCHEMA_DIR
        ))),
    }
}

/// One operation's first success answer as the spec shows it: the spec's examples where it
/// gives them, a sample made from the schema elsewhere, as the generated operation tests
/// decode it. The tests' mock of the Backend API answers with these.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ExampleAnswer {
    /// Clerk's operation id (`GetSession`).
    pub operation_id: String,
    /// `GET`, `POST`…
    pub method: String,
    /// The path template with the server's prefix (`/v1/sessions/{session_id}`).
    pub path: String,
    /// The success status (`200`).
    pub status: u16,
    /// The body, or `None` for an answer without one.
    pub body: Option<Value>,
}

/// The success answer of every operation of `<root>/schemas/api/` that has one.
///
/// # Errors
///
/// When `schemas/` cannot be read, or its API settings are not a URL.
pub fn api_examples(root: &Path) -> Result<Vec<ExampleAnswer>> {
    let files = crate::load::schemas::load_dir(&root.join(config::SCHEMA_DIR))?;
    let (operations, settings) = operations(&files);
    let server = settings
        .as_ref()
        .and_then(|s| s.get("server"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let (_, prefix) = split_server(server, operations.is_empty())?;
    let samples = Samples::new(&files);
    let mut answers = Vec::new();
    for op in &operations {
        let Some(responses) = op.record.get("responses").and_then(Value::as_object) else {
            continue;
        };
        let Some((status, response)) = responses.iter().find(|(s, _)| s.starts_with('2')) else {
            continue;
        };
        let status = status.parse().map_err(|_| {
            Error(format!(
                "{} ({}): the status {status:?} is not a number",
                op.file,
                op.rust_name()
            ))
        })?;
        answers.push(ExampleAnswer {
            operation_id: op.text("operationId").unwrap_or_default().to_owned(),
            method: op.text("method").unwrap_or_default().to_uppercase(),
            path: format!("{prefix}{}", op.text("path").unwrap_or_default()),
            status,
            body: response
                .get("schema")
                .map(|s| samples.instance(s, &op.file, "answer", true)),
        });
    }
    Ok(answers)
}

/// The Rust names of the `$ref`s in a value.
fn collect(value: Option<&Value>, out: &mut Vec<String>) {
    match value {
        Some(Value::Object(map)) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(reference)) => {
                        if let Some((_, name)) = reference.rsplit_once("#/$defs/") {
                            out.push(rust_name(name));
                        }
                    }
                    _ => collect(Some(child), out),
                }
            }
        }
        Some(Value::Array(items)) => {
            for item in items {
                collect(Some(item), out);
            }
        }
        _ => {}
    }
}

/// Every type `roots` need: themselves, and what their fields and members hold.
fn closure(model: &Model, roots: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(info) = model.structs.iter().find(|s| s.name == name) {
            for prop in &info.props {
                let mut kind = &prop.kind;
                while let Kind::Array(inner) = kind {
                    kind = inner;
                }
                if let Kind::Struct(n) | Kind::Enum(n) | Kind::Union(n) = kind {
                    stack.push(n.clone());
                }
            }
        }
        if let Some(union) = model.unions.iter().find(|u| u.name == name) {
            stack.extend(union.members.iter().map(|m| m.def.clone()));
        }
    }
    seen
}
