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

/// One schema file's module and its items, each with the type it is about.
struct Module {
    /// The schema file, such as `session-token.json`.
    file: String,
    /// The module name, such as `session_token`.
    name: String,
    /// A file of [`config::API_SCHEMA_DIR`]: its module is `clerk-models-api`'s.
    api: bool,
    types: Vec<(String, Item)>,
    builders: Vec<(String, Item)>,
    strategies: Vec<(String, Item)>,
}

/// The generated folder being laid out.
pub struct Layout {
    modules: Vec<Module>,
    /// Rust type name → index of its module.
    owner: HashMap<String, usize>,
    /// Hoisted enums → the `$defs` entry and property they come from.
    origins: HashMap<String, (String, String)>,
    /// `clerk-models-api`'s types → the features (groups of operations) that build them;
    /// a type absent here is always built.
    gates: HashMap<String, Vec<String>>,
}

/// What `clerk-models-api`'s folder holds beside its models.
pub struct ApiParts {
    /// The version of the API, sent as `Clerk-API-Version`.
    pub version: String,
    /// The server's origin (`https://api.clerk.com`): `DEFAULT_API_URL`.
    pub origin: String,
    /// The server's path, which every operation's path follows (`/v1`).
    pub prefix: String,
    /// Each group of operations (its name, which is its feature) and their types.
    pub groups: Vec<(String, TokenStream)>,
    /// The features built by default.
    pub default_groups: Vec<String>,
    /// Each group's operation tests.
    pub tests: Vec<(String, TokenStream)>,
}

/// The files of both generated folders, each as `(path relative to it, text)`.
#[derive(Debug, PartialEq, Eq)]
pub struct Rendered {
    /// `clerk-models`'.
    pub core: Vec<(String, String)>,
    /// `clerk-models-api`'s.
    pub api: Vec<(String, String)>,
    /// `clerk-models-api`'s features, the lines its manifest holds between the markers.
    pub features: String,
    /// `clerk-models-api`'s operation tests.
    pub api_tests: Vec<(String, String)>,
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

/// `session-token.json` → `session_token`; `api/users.json` → `users`.
fn module_name(file: &str) -> String {
    let file = file.rsplit('/').next().unwrap_or(file);
    file.trim_end_matches(".json").replace('-', "_")
}

/// Whether a schema file is one of [`config::API_SCHEMA_DIR`].
fn is_api(file: &str) -> bool {
    file.starts_with(&format!("{}/", config::API_SCHEMA_DIR))
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
                api: is_api(&file.name),
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
            .chain(
                model
                    .unions
                    .iter()
                    .filter_map(|u| Some(("union", &u.name, u.owner.as_ref()?))),
            );
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
            gates: HashMap::new(),
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
            items.extend(parsed.items.into_iter().map(|item| (name.to_owned(), item)));
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
            module.types.push((owner.to_owned(), item));
        }
        Ok(())
    }

    /// Whether a type is `clerk-models-api`'s.
    ///
    /// # Errors
    ///
    /// When the type has no schema file.
    pub fn is_api_type(&self, name: &str) -> Result<bool> {
        let i = self.module_of(name)?;
        Ok(self.modules.get(i).is_some_and(|m| m.api))
    }

    /// Sets the features that build each of `clerk-models-api`'s types.
    pub fn set_gates(&mut self, gates: HashMap<String, Vec<String>>) {
        self.gates = gates;
    }

    /// The item with its type's `#[cfg(any(feature = …))]`, for a gated type.
    fn gated(&self, owner: &str, mut item: Item) -> Item {
        let Some(features) = self.gates.get(owner).filter(|f| !f.is_empty()) else {
            return item;
        };
        let attr: syn::Attribute = match features.as_slice() {
            [one] => syn::parse_quote!(#[cfg(feature = #one)]),
            _ => syn::parse_quote!(#[cfg(any(#(feature = #features),*))]),
        };
        match &mut item {
            Item::Struct(i) => i.attrs.insert(0, attr),
            Item::Enum(i) => i.attrs.insert(0, attr),
            Item::Impl(i) => i.attrs.insert(0, attr),
            Item::Mod(i) => i.attrs.insert(0, attr),
            Item::Type(i) => i.attrs.insert(0, attr),
            Item::Const(i) => i.attrs.insert(0, attr),
            Item::Fn(i) => i.attrs.insert(0, attr),
            Item::Use(i) => i.attrs.insert(0, attr),
            Item::Macro(i) => i.attrs.insert(0, attr),
            _ => {}
        }
        item
    }

    /// Every file of both folders, in a fixed order. `fields` are the builders' field
    /// markers, each with its struct.
    #[must_use]
    pub fn render(
        mut self,
        fields: Vec<(String, Item)>,
        classes: syn::File,
        api: &ApiParts,
    ) -> Rendered {
        let header = |from: &str| format!("{}// From {from}.\n\n", config::HEADER);
        // Split before the modules are taken: a type's module says whose it is.
        let (api_fields, core_fields): (Vec<_>, Vec<_>) = fields
            .into_iter()
            .partition(|(owner, _)| self.is_api_type(owner).unwrap_or(false));
        let modules = std::mem::take(&mut self.modules);
        let mut core = Vec::new();
        let mut api_files = Vec::new();
        let mut declarations = String::new();
        let mut api_declarations = String::new();
        for module in modules {
            let name = &module.name;
            let from = format!("`schemas/{}`", module.file);
            let strategies = if module.api {
                String::new()
            } else {
                "#[cfg(any(feature = \"proptest\", feature = \"arbitrary\"))]\nmod strategies;\n"
                    .to_owned()
            };
            // An API model's builders are gated by its features: none may be built.
            let lint = if module.api {
                "#[allow(unused_imports)]\n"
            } else {
                ""
            };
            let mut types = format!(
                "{}#[allow(unused_imports)]\nuse super::*;\n\nmod builders;\n{lint}pub use builders::*;\n{strategies}\n",
                header(&from)
            );
            types.push_str(&self.unparse_owned(module.types));
            let sub = |what: &str, items: String| {
                format!(
                    "{}#[allow(unused_imports)]\nuse super::*;\n\n{items}",
                    header(&format!("{from}: the {what}"))
                )
            };
            let builders = sub("builders", self.unparse_owned(module.builders));
            if module.api {
                api_files.push((format!("models/{name}.rs"), types));
                api_files.push((format!("models/{name}/builders.rs"), builders));
                api_declarations.push_str(&format!(
                    "mod {name};\n#[allow(unused_imports)]\npub use self::{name}::*;\n"
                ));
                continue;
            }
            core.push((format!("{name}.rs"), types));
            core.push((format!("{name}/builders.rs"), builders));
            let strategies = sub(
                "property-test strategies",
                self.unparse_owned(module.strategies),
            );
            core.push((format!("{name}/strategies.rs"), strategies));
            let (group, index) = place(&module.file);
            if index == 0 {
                let title = GROUPS
                    .get(group)
                    .map_or("Other schema files.", |(title, ..)| *title);
                declarations.push_str(&format!("\n// {title}\n"));
            }
            declarations.push_str(&format!("mod {name};\npub use {name}::*;\n"));
        }
        core.push((
            "fields.rs".to_owned(),
            format!(
                "{}{}",
                header("every schema: the builders' required fields"),
                self.unparse_owned(core_fields)
            ),
        ));
        core.push((
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
        core.push(("mod.rs".to_owned(), module_file));

        api_files.push((
            "models/fields.rs".to_owned(),
            format!(
                "{}{}",
                header("`schemas/api/`: the builders' required fields"),
                self.unparse_owned(api_fields)
            ),
        ));
        api_files.push((
            "models/mod.rs".to_owned(),
            format!(
                "{}// The models of `clerk-models` are in scope for these, as their own are.\n\
                 #[allow(unused_imports)]\npub(crate) use clerk_models::*;\n\n{api_declarations}\n\
                 /// Names of the builders' required fields, as compile errors show them.\n\
                 pub mod fields;\n",
                header("`schemas/api/`: the models only the Backend API's operations use")
            ),
        ));
        let mut groups = String::new();
        for (group, tokens) in &api.groups {
            let text = syn::parse2::<syn::File>(tokens.clone())
                .map(|f| unparse(f.items))
                .unwrap_or_else(|e| format!("compile_error!({:?});\n", e.to_string()));
            api_files.push((
                format!("{group}.rs"),
                format!(
                    "{}#[allow(unused_imports)]\nuse super::models::*;\n\n{text}",
                    header(&format!(
                        "the operations of group `{group}` in `schemas/api/`"
                    ))
                ),
            ));
            let default = if api.default_groups.contains(group) {
                ", built by default"
            } else {
                ""
            };
            groups.push_str(&format!(
                "\n/// The operations of group `{group}` (feature `{group}`{default}).\n\
                 #[cfg(feature = \"{group}\")]\n#[cfg_attr(docsrs, doc(cfg(feature = \"{group}\")))]\n\
                 pub mod {group};\n"
            ));
        }
        api_files.push((
            "mod.rs".to_owned(),
            format!(
                "{}/// The models the operations answer with and take, beside `clerk-models`' own.\n\
                 pub mod models;\n{groups}\n\
                 /// The version of Clerk's Backend API these operations are generated from, sent as\n\
                 /// the `Clerk-API-Version` header of every request.\n\
                 pub const API_VERSION: &str = {:?};\n\n\
                 /// Where Clerk's Backend API is (its `CLERK_API_URL`): the base URL requests go to\n\
                 /// unless another is given.\n\
                 pub const DEFAULT_API_URL: &str = {:?};\n\n\
                 /// The path of the API's server under the base URL: every operation's path follows it.\n\
                 pub(crate) const API_PREFIX: &str = {:?};\n\n\
                 /// The header that carries [`API_VERSION`], in lowercase as HTTP/2 writes names.\n\
                 pub(crate) const VERSION_HEADER: &str = {:?};\n\n\
                 /// The prefixes of the secret keys the API takes.\n\
                 pub(crate) const SECRET_KEY_PREFIXES: &[&str] = &{:?};\n\n\
                 /// The response headers that carry a trace id, in the order they are read.\n\
                 pub(crate) const TRACE_ID_HEADERS: &[&str] = &{:?};\n",
                header("`schemas/api/`: the module file"),
                api.version,
                api.origin,
                api.prefix,
                config::VERSION_HEADER.to_ascii_lowercase(),
                config::SECRET_KEY_PREFIXES,
                config::TRACE_ID_HEADERS,
            ),
        ));
        let groups: Vec<&String> = api.groups.iter().map(|(g, _)| g).collect();
        let list = |names: &[&String]| {
            names
                .iter()
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let defaults: Vec<&String> = api.default_groups.iter().collect();
        let mut features = format!(
            "default = [{}]\nfull = [{}]\n",
            list(&defaults),
            list(&groups)
        );
        for group in &groups {
            features.push_str(&format!("{group} = []\n"));
        }
        let mut api_tests = Vec::new();
        let mut test_modules = String::new();
        for (group, tokens) in &api.tests {
            let text = syn::parse2::<syn::File>(tokens.clone())
                .map(|f| unparse(f.items))
                .unwrap_or_else(|e| format!("compile_error!({:?});\n", e.to_string()));
            api_tests.push((
                format!("{group}.rs"),
                format!(
                    "{}#[allow(unused_imports)]\nuse crate::{{PNG, Sent, answers, expect, fails, json}};\n\
                     use clerk_models_api::{group}::*;\n\n{text}",
                    header(&format!("the operations of group `{group}` in `schemas/api/`"))
                ),
            ));
            test_modules.push_str(&format!("\n#[cfg(feature = \"{group}\")]\nmod {group};\n"));
        }
        api_tests.push((
            "mod.rs".to_owned(),
            format!(
                "{}// One test per operation, in the module of its group.\n{test_modules}",
                header("`schemas/api/`: the operation tests' module file")
            ),
        ));
        Rendered {
            core,
            api: api_files,
            features,
            api_tests,
        }
    }

    fn unparse_owned(&self, items: Vec<(String, Item)>) -> String {
        unparse(
            items
                .into_iter()
                .map(|(owner, item)| self.gated(&owner, item))
                .collect(),
        )
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
