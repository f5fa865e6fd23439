//! Where each generated item goes: the folder `crates/clerk-models/src/generated/`, one
//! module per schema file (`session-token.json` → `session_token.rs`) holding its types,
//! with its builders (`session_token/builders.rs`) and property-test strategies
//! (`session_token/strategies.rs`) beside it, the builders' field markers (`fields.rs`),
//! the token classes (`token_classes.rs`), and the module file (`mod.rs`) that declares them
//! and re-exports every type.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use syn::Item;

use crate::config;
use crate::error::{Error, Result};
use crate::load::schemas::SchemaFile;
use crate::model::Model;
use crate::naming;

/// Which file of a schema's module an item belongs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// `<module>.rs`: the types, their serde and binary forms, their impls.
    Types,
    /// `<module>/builders.rs`.
    Builders,
    /// `<module>/strategies.rs` (features `proptest` and `arbitrary`).
    Strategies,
}

/// One schema file's module and its items.
struct Module {
    /// The schema file, such as `session-token.json`.
    file: String,
    /// The module name, such as `session_token`.
    name: String,
    types: Vec<Item>,
    builders: Vec<Item>,
    strategies: Vec<Item>,
}

/// The generated folder being laid out.
pub struct Layout {
    modules: Vec<Module>,
    /// Rust type name → index of its module.
    owner: HashMap<String, usize>,
    /// Hoisted enums → the `$defs` entry and property they come from.
    origins: HashMap<String, (String, String)>,
}

/// A group of schema files: its title in `mod.rs`, the files imported from a spec as
/// `(file, root component)`, and the files written by hand.
type Group = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [&'static str],
);

/// The groups of schema files, in the order `mod.rs` declares them: each group's files in
/// the order its configuration lists them.
const GROUPS: &[Group] = &[
    (
        "The Backend API's objects (xtask config `IMPORT`).",
        config::IMPORT,
        &[],
    ),
    (
        "Webhook events, and the data only webhooks send (xtask config `WEBHOOK_IMPORT`).",
        config::WEBHOOK_IMPORT,
        &[],
    ),
    (
        "Tokens, from Clerk's docs (xtask config `HAND_WRITTEN`).",
        &[],
        config::HAND_WRITTEN,
    ),
];

/// Where a schema file comes: its group, then its place in the group; a file no group lists
/// comes last (then by name).
fn place(file: &str) -> (usize, usize) {
    GROUPS
        .iter()
        .enumerate()
        .find_map(|(g, (_, imported, written))| {
            imported
                .iter()
                .map(|(f, _)| *f)
                .chain(written.iter().copied())
                .position(|f| f == file)
                .map(|i| (g, i))
        })
        .unwrap_or((GROUPS.len(), 0))
}

/// `session-token.json` → `session_token`.
fn module_name(file: &str) -> String {
    file.trim_end_matches(".json").replace('-', "_")
}

impl Layout {
    /// One module per schema file, and the owner of every type the model names: a struct by
    /// the file whose `$defs` holds it, a hoisted enum by its struct's file.
    ///
    /// # Errors
    ///
    /// When a type of the model has no schema file.
    pub fn new(files: &[SchemaFile], model: &Model) -> Result<Self> {
        let mut modules = Vec::new();
        let mut owner = HashMap::new();
        // In the order of the schemas' groups, whatever order the files came in (an import
        // passes its own first).
        let mut files: Vec<&SchemaFile> = files.iter().collect();
        files.sort_by_key(|f| (place(&f.name), f.name.clone()));
        for (i, file) in files.into_iter().enumerate() {
            modules.push(Module {
                file: file.name.clone(),
                name: module_name(&file.name),
                types: Vec::new(),
                builders: Vec::new(),
                strategies: Vec::new(),
            });
            let defs = file
                .value
                .get("$defs")
                .and_then(serde_json::Value::as_object);
            for name in defs.into_iter().flat_map(|defs| defs.keys()) {
                owner.insert(naming::rust_name(name), i);
            }
        }
        // Hoisted enums and unions live in the module of the struct they come from.
        let mut origins = HashMap::new();
        let hoisted = model
            .enums
            .iter()
            .filter_map(|e| Some(("enum", &e.name, e.owner.as_ref()?)))
            .chain(model.unions.iter().map(|u| ("union", &u.name, &u.owner)));
        for (kind, name, (owner_struct, prop)) in hoisted {
            let Some(&i) = owner.get(owner_struct) else {
                return Err(Error(format!(
                    "{kind} `{name}` comes from `{owner_struct}`, which no schema file holds"
                )));
            };
            owner.insert(name.clone(), i);
            let schema_name = model
                .structs
                .iter()
                .find(|s| s.name == *owner_struct)
                .map_or(owner_struct.clone(), |s| s.schema_name.clone());
            origins.insert(name.clone(), (schema_name, prop.clone()));
        }
        let layout = Self {
            modules,
            owner,
            origins,
        };
        for name in model
            .structs
            .iter()
            .map(|s| &s.name)
            .chain(model.enums.iter().map(|e| &e.name))
        {
            layout.module_of(name)?;
        }
        Ok(layout)
    }

    fn module_of(&self, name: &str) -> Result<usize> {
        self.owner
            .get(name)
            .copied()
            .ok_or_else(|| Error(format!("generated type `{name}` has no schema file")))
    }

    /// The schema file a type comes from, such as `session.json`.
    ///
    /// # Errors
    ///
    /// When the type has no schema file.
    pub fn schema_file_of(&self, name: &str) -> Result<&str> {
        let i = self.module_of(name)?;
        Ok(self.modules.get(i).map_or("", |m| m.file.as_str()))
    }

    /// Where a hoisted enum or union (or a `$defs` enum) comes from, for its docs:
    /// `` `$defs/Session/properties/status` of `schemas/session.json` ``.
    ///
    /// # Errors
    ///
    /// When the type has no schema file.
    pub fn origin(&self, name: &str) -> Result<String> {
        let file = self.schema_file_of(name)?;
        Ok(match self.origins.get(name) {
            Some((owner, prop)) => {
                format!("`$defs/{owner}/properties/{prop}` of `schemas/{file}`")
            }
            None => format!("`$defs/{name}` of `schemas/{file}`"),
        })
    }

    /// Adds the items of `tokens`, about the type `name`, to `part` of its module.
    ///
    /// # Errors
    ///
    /// When the tokens do not parse (`what` says which) or the type has no schema file.
    pub fn add(&mut self, part: Part, name: &str, tokens: TokenStream, what: &str) -> Result<()> {
        let parsed: syn::File =
            syn::parse2(tokens).map_err(|e| Error(format!("{what} do not parse: {e}")))?;
        let i = self.module_of(name)?;
        if let Some(module) = self.modules.get_mut(i) {
            let items = match part {
                Part::Types => &mut module.types,
                Part::Builders => &mut module.builders,
                Part::Strategies => &mut module.strategies,
            };
            items.extend(parsed.items);
        }
        Ok(())
    }

    /// Adds one item of typify's output (a struct, an impl) to the types of the module of the
    /// type it is about.
    ///
    /// # Errors
    ///
    /// When the item is about no type of a schema file.
    pub fn add_item(&mut self, item: Item) -> Result<()> {
        let subject = match &item {
            Item::Struct(s) => s.ident.to_string(),
            Item::Enum(e) => e.ident.to_string(),
            Item::Type(t) => t.ident.to_string(),
            Item::Impl(i) => match &*i.self_ty {
                syn::Type::Path(p) => p
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .unwrap_or_default(),
                _ => String::new(),
            },
            _ => String::new(),
        };
        if !self.owner.contains_key(&subject) {
            return Err(Error(format!(
                "typify emitted `{subject}`, which no schema holds"
            )));
        }
        self.add_owned(&subject, item)
    }

    /// Adds an item that belongs with the type `owner` (a model's serde mirror) to the types
    /// of its module.
    ///
    /// # Errors
    ///
    /// When `owner` has no schema file.
    pub fn add_owned(&mut self, owner: &str, item: Item) -> Result<()> {
        let i = self.module_of(owner)?;
        if let Some(module) = self.modules.get_mut(i) {
            module.types.push(item);
        }
        Ok(())
    }

    /// Every file of the folder, as `(path relative to it, text)`, in a fixed order.
    #[must_use]
    pub fn render(self, fields: syn::File, classes: syn::File) -> Vec<(String, String)> {
        let header = |from: &str| format!("{}// From {from}.\n\n", config::HEADER);
        let mut out = Vec::new();
        let mut declarations = String::new();
        for module in self.modules {
            let name = &module.name;
            let from = format!("`schemas/{}`", module.file);
            let strategies_cfg = "#[cfg(any(feature = \"proptest\", feature = \"arbitrary\"))]";
            let mut types = format!(
                "{}#[allow(unused_imports)]\nuse super::*;\n\nmod builders;\npub use builders::*;\n{strategies_cfg}\nmod strategies;\n\n",
                header(&from)
            );
            types.push_str(&unparse(module.types));
            out.push((format!("{name}.rs"), types));
            let sub = |items: Vec<Item>, what: &str| {
                format!(
                    "{}#[allow(unused_imports)]\nuse super::*;\n\n{}",
                    header(&format!("{from}: the {what}")),
                    unparse(items)
                )
            };
            out.push((
                format!("{name}/builders.rs"),
                sub(module.builders, "builders"),
            ));
            out.push((
                format!("{name}/strategies.rs"),
                sub(module.strategies, "property-test strategies"),
            ));
            let (group, index) = place(&module.file);
            if index == 0 {
                let title = GROUPS
                    .get(group)
                    .map_or("Other schema files.", |(title, ..)| *title);
                declarations.push_str(&format!("\n// {title}\n"));
            }
            declarations.push_str(&format!("mod {name};\npub use {name}::*;\n"));
        }
        out.push((
            "fields.rs".to_owned(),
            format!(
                "{}{}",
                header("every schema: the builders' required fields"),
                unparse(fields.items)
            ),
        ));
        out.push((
            "token_classes.rs".to_owned(),
            format!(
                "{}{}",
                header("`TOKEN_TYPES` in the xtask's configuration"),
                unparse(classes.items)
            ),
        ));
        let module_file = format!(
            "{}{}\n\
             /// Names of the builders' required fields, as compile errors show them: a builder\n\
             /// whose `build()` does not compile lists `Missing<fields::session::user_id>` for\n\
             /// each setter not called yet.\n\
             pub mod fields;\n\n\
             /// Clerk's token classes, from `TOKEN_TYPES` in the xtask's configuration.\n\
             #[cfg(feature = \"jwt\")]\n\
             pub(crate) mod token_classes;\n",
            header("every file of `schemas/`: the module file"),
            declarations.trim_start_matches('\n')
        );
        out.push(("mod.rs".to_owned(), module_file));
        out
    }
}

impl std::fmt::Debug for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let modules: Vec<(&str, usize)> = self
            .modules
            .iter()
            .map(|m| {
                (
                    m.name.as_str(),
                    m.types.len() + m.builders.len() + m.strategies.len(),
                )
            })
            .collect();
        f.debug_struct("Layout").field("modules", &modules).finish()
    }
}

fn unparse(items: Vec<Item>) -> String {
    space_out(&prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items,
    }))
}

/// Puts back the blank line between items that prettyplease leaves out (as progenitor's
/// `space_out_items` does): before an item, or its docs and attributes, that follows the end
/// of another at the same indentation, at the top level and in an `impl` or a module.
fn space_out(text: &str) -> String {
    const ITEM_STARTS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "pub(",
        "fn ",
        "impl",
        "struct ",
        "enum ",
        "const ",
        "static ",
        "mod ",
        "type ",
        "trait ",
        "macro_rules!",
        "//",
    ];
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.lines() {
        if let Some(before) = previous {
            let indent = |l: &str| l.len() - l.trim_start().len();
            let ended = before.trim_end().ends_with('}') && indent(before) <= 4;
            let starts = ITEM_STARTS.iter().any(|s| line.trim_start().starts_with(s));
            if ended && starts && indent(line) == indent(before) {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}
