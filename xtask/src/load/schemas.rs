//! Loading `schemas/` and bundling its files into one set of `$defs` with local references.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::config;
use crate::error::{Error, Result, bail};
/// Reads every `*.json` file of `dir`, and of its folder [`config::API_SCHEMA_DIR`] (the
/// Backend API's operations), in name order. A file of that folder is named with it
/// (`api/sessions.json`), as the `$ref`s of other files name it.
pub fn load_dir(dir: &Path) -> Result<Vec<SchemaFile>> {
    let mut paths = json_files(dir)?;
    if paths.is_empty() {
        bail!("no *.json schema in {}", dir.display());
    }
    let api = dir.join(config::API_SCHEMA_DIR);
    if api.is_dir() {
        paths.extend(json_files(&api)?);
    }
    paths
        .iter()
        .map(|path| {
            let mut file = load_file(path)?;
            if path.parent() == Some(api.as_path()) {
                file.name = format!("{}/{}", config::API_SCHEMA_DIR, file.name);
            }
            Ok(file)
        })
        .collect()
}

/// The `*.json` files of `dir`, sorted.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
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
    Ok(paths)
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

pub(crate) fn rewrite_refs(
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
