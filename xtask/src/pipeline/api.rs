//! `clerk-models-api`'s part of a generation: its operations, grouped, and the features that
//! build each of its models (the groups whose operations reach it; every group for what an
//! error answer holds, which the runtime always decodes).

use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    let text = |key: &str| {
        settings
            .as_ref()
            .and_then(|s| s.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let server = text("server");
    let (origin, prefix) = match server.find("://").map(|i| i + 3) {
        Some(after_scheme) => match server.get(after_scheme..).and_then(|s| s.find('/')) {
            Some(slash) => server.split_at(after_scheme + slash),
            None => (server.as_str(), ""),
        },
        None if operations.is_empty() => ("", ""),
        None => {
            return Err(Error(format!(
                "schemas/{}/index.json: the server {server:?} is not a URL",
                config::API_SCHEMA_DIR
            )));
        }
    };

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
