//! The orchestrator: runs the stages in order (load, normalize, typify and the post-pass, the
//! emitters, layout, and the file check) for `cargo xtask codegen` and `import-openapi`.
//! Nothing imports it: `main.rs` and the tests reach it through the crate root.

use std::path::{Path, PathBuf};

use quote::quote;
use syn::Item;

use crate::check::files;
use crate::emit::layout::{Layout, Part};
use crate::error::{Error, Result};
use crate::load::{openapi, schemas};
use crate::model;
use crate::tools::diff;
use crate::{config, emit, naming, typify_pass};

/// Regenerates the models from `<root>/schemas`, or with `check` only verifies that the
/// checked-in folder is what generation produces: no file stale, missing or extra.
pub fn codegen(root: &Path, check: bool) -> Result<files::Outcome> {
    let schemas = schemas::load_dir(&root.join(config::SCHEMA_DIR))?;
    let generated = generate(&schemas)?;
    files::sync_dir(&root.join(config::GENERATED_DIR), &generated, check)
}

/// What [`import_openapi`] did.
#[derive(Debug)]
pub struct Import {
    /// What the import changes for a Rust dependent, against the previous `schemas/`.
    pub changes: Vec<diff::Change>,
    /// The files it rewrote (none when the spec gives what is already there).
    pub written: Vec<PathBuf>,
}

/// Imports one of Clerk's OpenAPI specs (the Backend API, or the webhooks spec) into
/// `<root>/schemas` and regenerates the models. The files of the other spec are kept.
///
/// Everything is read, converted, generated and checked before anything is written, so a
/// bad spec leaves `schemas/` and the generated file exactly as they were.
pub fn import_openapi(root: &Path, spec_path: &Path) -> Result<Import> {
    let spec = openapi::load_spec(spec_path)?;
    let schema_dir = root.join(config::SCHEMA_DIR);
    // Every file of `schemas/`: the Backend API's ones are what a webhook import references.
    let on_disk = schemas::load_dir(&schema_dir).unwrap_or_default();
    let files = openapi::schema_files(&spec, &spec_path.display().to_string(), &on_disk)?;
    let parsed = openapi::parse_schema_files(&files)?;
    let names: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();

    if let Ok(entries) = std::fs::read_dir(&schema_dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let known = config::IMPORT
                .iter()
                .chain(config::WEBHOOK_IMPORT)
                .any(|(f, _)| *f == name)
                || config::HAND_WRITTEN.contains(&name.as_str());
            if name.ends_with(".json") && !known {
                return Err(Error(format!(
                    "{} is not one of the files an import writes or keeps (xtask config \
                     IMPORT, WEBHOOK_IMPORT, HAND_WRITTEN); remove it or add it there",
                    schema_dir.join(&name).display()
                )));
            }
        }
    }
    // The files of the other spec stay as they are and take part in generation; the files
    // this import writes are what it is compared against.
    let (replaced, kept): (Vec<_>, Vec<_>) = on_disk
        .into_iter()
        .partition(|f| files.iter().any(|(name, _)| *name == f.name));
    let old_defs = if replaced.is_empty() {
        serde_json::Map::new()
    } else {
        let mut before = replaced;
        before.extend(kept.iter().cloned());
        diff::scoped_defs(&before, Some(&names))?
    };
    let mut merged = parsed;
    merged.extend(kept);
    let new_defs = diff::scoped_defs(&merged, Some(&names))?;
    let generated = generate(&merged)?;
    let changes = diff::diff(&old_defs, &new_defs);

    std::fs::create_dir_all(&schema_dir)
        .map_err(|e| Error(format!("cannot create {}: {e}", schema_dir.display())))?;
    let outputs: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|(name, text)| (schema_dir.join(name), text))
        .collect();
    let mut written = files::write_all(&outputs)?;
    let dir = root.join(config::GENERATED_DIR);
    if files::sync_dir(&dir, &generated, false)? == files::Outcome::Written {
        written.push(dir);
    }
    Ok(Import { changes, written })
}

/// Generates the files of the generated folder from the schema files, as
/// `(path relative to the folder, text)`: one module per schema file with its types, its
/// builders and its property-test strategies in files of their own beside it, the builders'
/// field markers, the token classes, and the module file (see [`crate::emit::layout`]).
pub(crate) fn generate(files: &[schemas::SchemaFile]) -> Result<Vec<(String, String)>> {
    let bundled = schemas::bundle(files)?;
    for (file, from, to) in config::RENAMES {
        // A rename of nothing would be silently ignored: say so instead. A rename in a file
        // that is not loaded (a scratch workspace with one spec's files) has nothing to do.
        if files.iter().any(|f| f.name == *file) && !bundled.contains_key(*from) {
            return Err(Error(format!(
                "xtask config: RENAMES names `{from}` (-> `{to}`) in {file}, which has no such \
                 `$defs` entry"
            )));
        }
    }
    let mut normalized = model::normalize(&bundled)?;
    model::check_groups(&normalized.model)?;
    let mut layout = Layout::new(files, &normalized.model)?;
    for info in &mut normalized.model.structs {
        info.file = layout.schema_file_of(&info.name)?.to_owned();
    }
    let items = typify_pass::run_typify(&normalized.typify_input, &normalized.model)?;
    let mut file: syn::File = syn::parse2(items)
        .map_err(|e| Error(format!("typify produced code that does not parse: {e}")))?;
    let mirrors = typify_pass::post::post_pass(&mut file, &mut normalized.model)?;
    for item in file.items.iter().cloned() {
        layout.add_item(item)?;
    }
    for mirror in mirrors {
        layout.add_owned(&mirror.owner, Item::Struct(mirror.item))?;
    }
    let mut markers = Vec::new();
    for info in &normalized.model.structs {
        let item = file
            .items
            .iter()
            .find_map(|item| match item {
                Item::Struct(s) if s.ident == info.name.as_str() => Some(s.clone()),
                _ => None,
            })
            .ok_or_else(|| Error(format!("no struct `{}` after the post-pass", info.name)))?;
        let (builder, marker) = emit::builders::builder(&item, info, &normalized.model)?;
        markers.push(marker);
        let binary = emit::binary::binary(&item, info, &normalized.model)?;
        let strategies = emit::strategies::strategies(&item, info, &normalized.model)?;
        let what = |part: &str| format!("{part} of `{}`", info.name);
        layout.add(
            Part::Types,
            &info.name,
            emit::binary::object_impls(info),
            &what("impls"),
        )?;
        layout.add(Part::Types, &info.name, binary, &what("binary form"))?;
        layout.add(Part::Builders, &info.name, builder, &what("builder"))?;
        layout.add(
            Part::Strategies,
            &info.name,
            strategies,
            &what("strategies"),
        )?;
    }
    for model_enum in &normalized.model.enums {
        let what = format!("enum `{}`", model_enum.name);
        let origin = layout.origin(&model_enum.name)?;
        layout.add(
            Part::Types,
            &model_enum.name,
            emit::enums::enum_tokens(model_enum, &origin),
            &what,
        )?;
        let what = format!("strategies of enum `{}`", model_enum.name);
        layout.add(
            Part::Strategies,
            &model_enum.name,
            emit::enums::enum_strategies(model_enum),
            &what,
        )?;
    }
    for union in &normalized.model.unions {
        let origin = layout.origin(&union.name)?;
        layout.add(
            Part::Types,
            &union.name,
            emit::unions::union_tokens(union, &normalized.model, &origin)?,
            &format!("union `{}`", union.name),
        )?;
        layout.add(
            Part::Strategies,
            &union.name,
            emit::unions::union_strategies(union, &normalized.model)?,
            &format!("strategies of union `{}`", union.name),
        )?;
    }
    let envelope = naming::rust_name(config::WEBHOOK_ENVELOPE);
    if normalized.model.structs.iter().any(|s| s.name == envelope) {
        layout.add(
            Part::Types,
            &envelope,
            emit::events::event_data(&normalized.model)?,
            "`EventData`",
        )?;
    }
    if let Some(first) = normalized.model.structs.first() {
        layout.add(
            Part::Types,
            &first.name,
            emit::events::model_list(&normalized.model),
            "the model list",
        )?;
    }
    let fields: syn::File = syn::parse2(quote! { #(#markers)* })
        .map_err(|e| Error(format!("the builders' field markers do not parse: {e}")))?;
    let classes: syn::File = syn::parse2(emit::token_classes::token_classes()?)
        .map_err(|e| Error(format!("the token classes do not parse: {e}")))?;
    Ok(layout.render(fields, classes))
}

#[cfg(test)]
mod tests;
