//! The orchestrator: runs the stages in order (load, normalize, typify and the post-pass, the
//! emitters, layout, and the file check) for `cargo xtask codegen` and `import-openapi`.
//! Nothing imports it: `main.rs` and the tests reach it through the crate root.

use std::path::{Path, PathBuf};

use syn::Item;

use crate::check::files;
use crate::emit::layout::{Layout, Part, Rendered};
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
    sync(root, &generated, check)
}

/// Makes both generated folders, and `clerk-models-api`'s features, what `generated` says;
/// with `check`, only says whether they are (every difference of every part).
fn sync(root: &Path, generated: &Rendered, check: bool) -> Result<files::Outcome> {
    let results = [
        files::sync_dir(&root.join(config::GENERATED_DIR), &generated.core, check),
        files::sync_dir(&root.join(config::API_GENERATED_DIR), &generated.api, check),
        files::sync_dir(
            &root.join(config::API_TESTS_DIR),
            &generated.api_tests,
            check,
        ),
        files::sync_features(&root.join(config::API_MANIFEST), &generated.features, check),
    ];
    let mut outcome = files::Outcome::Fresh;
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(files::Outcome::Written) => outcome = files::Outcome::Written,
            Ok(files::Outcome::Fresh) => {}
            Err(e) => errors.push(e.0),
        }
    }
    if errors.is_empty() {
        Ok(outcome)
    } else {
        Err(Error(errors.join("\n")))
    }
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
    // A Backend API import rewrites the operations' folder whole: a file of it that the
    // import does not write is a group the spec no longer has, removed below.
    let api_prefix = format!("{}/", config::API_SCHEMA_DIR);
    let writes_api = names.iter().any(|n| n.starts_with(&api_prefix));
    let (replaced, kept): (Vec<_>, Vec<_>) = on_disk.into_iter().partition(|f| {
        files.iter().any(|(name, _)| *name == f.name)
            || (writes_api && f.name.starts_with(&api_prefix))
    });
    let old_defs = if replaced.is_empty() {
        serde_json::Map::new()
    } else {
        let mut before = replaced.clone();
        before.extend(kept.iter().cloned());
        diff::scoped_defs(&before, Some(&names))?
    };
    let mut merged = parsed;
    merged.extend(kept);
    let new_defs = diff::scoped_defs(&merged, Some(&names))?;
    let generated = generate(&merged)?;
    let mut changes = diff::diff(&old_defs, &new_defs);
    changes.extend(diff::diff_operations(&replaced, &merged));

    std::fs::create_dir_all(&schema_dir)
        .map_err(|e| Error(format!("cannot create {}: {e}", schema_dir.display())))?;
    let outputs: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|(name, text)| (schema_dir.join(name), text))
        .collect();
    let mut written = files::write_all(&outputs)?;
    // A Backend API import writes every file of the operations' folder: one it does not
    // write is a group the spec no longer has.
    let api_dir = schema_dir.join(config::API_SCHEMA_DIR);
    if writes_api && let Ok(entries) = std::fs::read_dir(&api_dir) {
        for entry in entries.flatten() {
            let name = format!(
                "{}/{}",
                config::API_SCHEMA_DIR,
                entry.file_name().to_string_lossy()
            );
            if name.ends_with(".json") && !names.contains(&name) {
                std::fs::remove_file(entry.path())
                    .map_err(|e| Error(format!("cannot remove {name}: {e}")))?;
                written.push(entry.path());
            }
        }
    }
    if sync(root, &generated, false)? == files::Outcome::Written {
        written.push(root.join(config::GENERATED_DIR));
    }
    Ok(Import { changes, written })
}

/// Generates the files of the generated folder from the schema files, as
/// `(path relative to the folder, text)`: one module per schema file with its types, its
/// builders and its property-test strategies in files of their own beside it, the builders'
/// field markers, the token classes, and the module file (see [`crate::emit::layout`]).
pub(crate) fn generate(files: &[schemas::SchemaFile]) -> Result<Rendered> {
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
        let item = struct_item(&file, &info.name)?;
        let (builder, marker) = emit::builders::builder(&item, info, &normalized.model)?;
        let marker: syn::File = syn::parse2(marker).map_err(|e| {
            Error(format!(
                "the field markers of `{}` do not parse: {e}",
                info.name
            ))
        })?;
        markers.extend(marker.items.into_iter().map(|m| (info.name.clone(), m)));
        let binary = if layout.is_api_type(&info.name)? {
            emit::binary::json_text_form(info)
        } else {
            emit::binary::binary(&item, info, &normalized.model)?
        };
        let what = |part: &str| format!("{part} of `{}`", info.name);
        layout.add(
            Part::Types,
            &info.name,
            emit::binary::object_impls(info),
            &what("impls"),
        )?;
        layout.add(Part::Types, &info.name, binary, &what("binary form"))?;
        layout.add(Part::Builders, &info.name, builder, &what("builder"))?;
        // `clerk-models-api` has no property-test features.
        if !layout.is_api_type(&info.name)? {
            let strategies = emit::strategies::strategies(&item, info, &normalized.model)?;
            layout.add(
                Part::Strategies,
                &info.name,
                strategies,
                &what("strategies"),
            )?;
        }
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
    // The model list of `clerk-models`' tests: its own models.
    let core_structs: Vec<&str> = normalized
        .model
        .structs
        .iter()
        .map(|s| s.name.as_str())
        .filter(|name| !layout.is_api_type(name).unwrap_or(true))
        .collect();
    let core_unions: Vec<&str> = normalized
        .model
        .unions
        .iter()
        .map(|u| u.name.as_str())
        .filter(|name| !layout.is_api_type(name).unwrap_or(true))
        .collect();
    if let Some(first) = core_structs.first() {
        layout.add(
            Part::Types,
            first,
            emit::events::model_list(&core_structs, &core_unions),
            "the model list",
        )?;
    }
    let classes: syn::File = syn::parse2(emit::token_classes::token_classes()?)
        .map_err(|e| Error(format!("the token classes do not parse: {e}")))?;
    let (api, gates) = api::parts(files, &normalized.model, &file, &layout)?;
    layout.set_gates(gates);
    Ok(layout.render(markers, classes, &api))
}

/// typify's final struct named `name`.
fn struct_item(file: &syn::File, name: &str) -> Result<syn::ItemStruct> {
    file.items
        .iter()
        .find_map(|item| match item {
            Item::Struct(s) if s.ident == name => Some(s.clone()),
            _ => None,
        })
        .ok_or_else(|| Error(format!("no struct `{name}` after the post-pass")))
}

pub(crate) mod api;
#[cfg(test)]
mod tests;
