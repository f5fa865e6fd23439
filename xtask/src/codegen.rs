//! Normalized schemas → typify → post-pass → open enums → prettyplease → text.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::{Attribute, Fields, Item, parse_quote};

use crate::config;
use crate::extras;
use crate::layout::{Layout, Part};
use crate::schema::{self, EnumModel, Error, Model, PropModel, Result, StructModel};

/// Generates the files of the generated folder from the schema files, as
/// `(path relative to the folder, text)`: one module per schema file with its types, its
/// builders and its property-test strategies in files of their own beside it, the builders'
/// field markers, the token classes, and the module file (see [`crate::layout`]).
pub fn generate(files: &[schema::SchemaFile]) -> Result<Vec<(String, String)>> {
    let bundled = schema::bundle(files)?;
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
    let mut normalized = schema::normalize(&bundled)?;
    check_groups(&normalized.model)?;
    let mut layout = Layout::new(files, &normalized.model)?;
    for info in &mut normalized.model.structs {
        info.file = layout.schema_file_of(&info.name)?.to_owned();
    }
    let items = run_typify(&normalized.typify_input, &normalized.model)?;
    let mut file: syn::File = syn::parse2(items)
        .map_err(|e| Error(format!("typify produced code that does not parse: {e}")))?;
    post_pass(&mut file, &normalized.model)?;
    for item in file.items.iter().cloned() {
        layout.add_item(item)?;
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
        let (builder, marker) = extras::builder(&item, info, &normalized.model)?;
        markers.push(marker);
        let binary = extras::binary(&item, info, &normalized.model)?;
        let strategies = extras::strategies(&item, info, &normalized.model)?;
        let what = |part: &str| format!("{part} of `{}`", info.name);
        layout.add(Part::Types, &info.name, object_impls(info), &what("impls"))?;
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
            enum_tokens(model_enum, &origin),
            &what,
        )?;
        let what = format!("strategies of enum `{}`", model_enum.name);
        layout.add(
            Part::Strategies,
            &model_enum.name,
            enum_strategies(model_enum),
            &what,
        )?;
    }
    for union in &normalized.model.unions {
        let origin = layout.origin(&union.name)?;
        layout.add(
            Part::Types,
            &union.name,
            crate::unions::union_tokens(union, &normalized.model, &origin)?,
            &format!("union `{}`", union.name),
        )?;
        layout.add(
            Part::Strategies,
            &union.name,
            crate::unions::union_strategies(union, &normalized.model)?,
            &format!("strategies of union `{}`", union.name),
        )?;
    }
    let envelope = schema::rust_name(config::WEBHOOK_ENVELOPE);
    if normalized.model.structs.iter().any(|s| s.name == envelope) {
        layout.add(
            Part::Types,
            &envelope,
            crate::events::event_data(&normalized.model)?,
            "`EventData`",
        )?;
    }
    if let Some(first) = normalized.model.structs.first() {
        layout.add(
            Part::Types,
            &first.name,
            crate::events::model_list(&normalized.model),
            "the model list",
        )?;
    }
    let fields: syn::File = syn::parse2(quote! { #(#markers)* })
        .map_err(|e| Error(format!("the builders' field markers do not parse: {e}")))?;
    let classes: syn::File = syn::parse2(crate::tokens::token_classes()?)
        .map_err(|e| Error(format!("the token classes do not parse: {e}")))?;
    Ok(layout.render(fields, classes))
}

fn run_typify(input: &serde_json::Value, model: &Model) -> Result<TokenStream> {
    let root: schemars::schema::RootSchema =
        serde_json::from_value(input.clone()).map_err(|e| {
            Error(format!(
                "normalized schemas are not a JSON Schema typify reads: {e}"
            ))
        })?;
    let mut settings = typify::TypeSpaceSettings::default();
    settings
        .with_struct_builder(false)
        .with_derive("PartialEq".into())
        .with_derive("Eq".into());
    for model_enum in &model.enums {
        // typify must not generate the string enums: the xtask emits them itself.
        settings.with_replacement(&model_enum.name, &model_enum.name, std::iter::empty());
    }
    for union in &model.unions {
        // Nor the unions (see `crate::unions`).
        settings.with_replacement(&union.name, &union.name, std::iter::empty());
    }
    let mut space = typify::TypeSpace::new(&settings);
    space
        .add_root_schema(root)
        .map_err(|e| Error(format!("typify rejected the schemas: {e}")))?;
    Ok(space.to_stream())
}

/// Brings typify's output in line with the schema and the crate's API rules.
fn post_pass(file: &mut syn::File, model: &Model) -> Result<()> {
    // typify always emits a `ConversionError` for its own `FromStr` impls; with every enum
    // generated by the xtask nothing uses it, so it goes (and must stay unused).
    file.items
        .retain(|item| !matches!(item, Item::Mod(m) if m.ident == "error"));
    if file
        .to_token_stream()
        .to_string()
        .contains("ConversionError")
    {
        return Err(Error(
            "typify output uses its ConversionError; the post-pass drops it".into(),
        ));
    }
    let mut seen = Vec::new();
    let mut mirrors = Vec::new();
    for item in &mut file.items {
        match item {
            Item::Struct(item) => {
                let name = item.ident.to_string();
                let Some(info) = model.structs.iter().find(|s| s.name == name) else {
                    return Err(Error(format!(
                        "typify generated a struct `{name}` that no schema object explains"
                    )));
                };
                seen.push(name);
                shape_struct(item, info)?;
                mirrors.push(split_serde(item, model)?);
            }
            Item::Enum(item) => {
                return Err(Error(format!(
                    "typify generated an enum `{}`; string enums must be hoisted and emitted by \
                     the xtask (see schema::normalize)",
                    item.ident
                )));
            }
            _ => {}
        }
    }
    drop_eq_where_impossible(file);
    file.items.extend(mirrors.into_iter().map(Item::Struct));
    for info in &model.structs {
        if !seen.contains(&info.name) {
            return Err(Error(format!(
                "schema object `{}` produced no struct in typify's output",
                info.name
            )));
        }
    }
    Ok(())
}

/// Removes `Eq` from the derives of every struct that holds an `f64` (billing's
/// percentages), directly or through another such struct: `Eq` wherever every field has it.
fn drop_eq_where_impossible(file: &mut syn::File) {
    let structs: Vec<(String, Vec<String>)> = file
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some((
                s.ident.to_string(),
                s.fields
                    .iter()
                    .map(|f| {
                        let ty = &f.ty;
                        quote!(#ty).to_string()
                    })
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    let mentions = |ty: &str, name: &str| {
        ty.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .any(|word| word == name)
    };
    let mut not_eq: Vec<String> = Vec::new();
    loop {
        let before = not_eq.len();
        for (name, types) in &structs {
            if !not_eq.contains(name)
                && types.iter().any(|ty| {
                    mentions(ty, "f64")
                        || mentions(ty, "f32")
                        || not_eq.iter().any(|n| mentions(ty, n))
                })
            {
                not_eq.push(name.clone());
            }
        }
        if not_eq.len() == before {
            break;
        }
    }
    for item in &mut file.items {
        let Item::Struct(s) = item else { continue };
        if !not_eq.contains(&s.ident.to_string()) {
            continue;
        }
        for attr in &mut s.attrs {
            if !attr.path().is_ident("derive") {
                continue;
            }
            let Ok(paths) = attr.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            ) else {
                continue;
            };
            let kept = paths.iter().filter(|p| !p.is_ident("Eq"));
            *attr = parse_quote!(#[derive(#(#kept),*)]);
        }
    }
}

fn shape_struct(item: &mut syn::ItemStruct, info: &StructModel) -> Result<()> {
    item.attrs.retain(|a| !a.path().is_ident("doc"));
    let mut attrs = doc_attrs(&struct_doc(info));
    attrs.push(parse_quote!(#[non_exhaustive]));
    attrs.append(&mut item.attrs);
    if info.props.iter().any(|p| p.timestamp.is_some()) {
        attrs.push(parse_quote!(#[derive(::clerk_models::Timestamps)]));
    }
    item.attrs = attrs;

    let Fields::Named(fields) = &mut item.fields else {
        return Err(Error(format!(
            "`{}` is not a struct with named fields",
            info.name
        )));
    };
    let mut by_name: Vec<syn::Field> = std::mem::take(&mut fields.named).into_iter().collect();
    for prop in &info.props {
        // typify names a field after a Rust keyword `<key>_` (`type` -> `type_`).
        let keyword_name = format!("{}_", prop.name);
        let Some(pos) = by_name.iter().position(|f| {
            f.ident
                .as_ref()
                .is_some_and(|i| i == &prop.name || *i == keyword_name)
        }) else {
            return Err(Error(format!(
                "`{}.{}` is in the schema but not in typify's struct",
                info.name, prop.name
            )));
        };
        let mut field = by_name.remove(pos);
        shape_field(&mut field, prop);
        fields.named.push(field);
    }
    if let Some(extra) = by_name.first() {
        return Err(Error(format!(
            "typify added a field `{}` to `{}` that the schema does not list",
            extra.to_token_stream(),
            info.name
        )));
    }
    if let Some(field) = &info.other_claims {
        add_other_claims(item, field)?;
    }
    Ok(())
}

/// The type parameter of a struct with [`config::OTHER_CLAIMS_KEYWORD`].
pub(crate) const OTHER_CLAIMS_PARAM: &str = "C";

/// Adds `<C = OtherClaims>` and a flattened field of type `C` that collects every key the
/// schema does not list.
fn add_other_claims(item: &mut syn::ItemStruct, field: &str) -> Result<()> {
    if !item.generics.params.is_empty() {
        return Err(Error(format!(
            "`{}` already has type parameters; the other-claims field needs its own",
            item.ident
        )));
    }
    let param = Ident::new(OTHER_CLAIMS_PARAM, Span::call_site());
    let default: syn::Type = syn::parse_str(config::OTHER_CLAIMS_TYPE).map_err(|e| {
        Error(format!(
            "xtask config: OTHER_CLAIMS_TYPE does not parse: {e}"
        ))
    })?;
    item.generics = parse_quote!(<#param = #default>);
    let ident = Ident::new(field, Span::call_site());
    let doc = doc_attrs(&format!(
        "Every key the schema does not list, decoded as `{OTHER_CLAIMS_PARAM}`: by default an \
         [`OtherClaims`](crate::OtherClaims) map that keeps each one as received; your own \
         `Deserialize` struct types them. A key Clerk adds later lands here too, so a new \
         standard claim never breaks decoding."
    ));
    let Fields::Named(fields) = &mut item.fields else {
        return Err(Error(format!(
            "`{}` is not a struct with named fields",
            item.ident
        )));
    };
    fields.named.push(parse_quote! {
        #(#doc)*
        #[serde(flatten)]
        pub #ident: #param
    });
    Ok(())
}

fn shape_field(field: &mut syn::Field, prop: &PropModel) {
    field.attrs.retain(|a| !a.path().is_ident("doc"));
    // typify makes a required-but-nullable key mandatory on input. Clerk leaves such keys out
    // for accounts on older API versions, so absent decodes as `None`; output still writes
    // `null` because the schema requires the key.
    for attr in &mut field.attrs {
        if attr.path().is_ident("serde")
            && attr
                .to_token_stream()
                .to_string()
                .contains("deserialize_with = \"::std::option::Option::deserialize\"")
        {
            *attr = parse_quote!(#[serde(default)]);
        }
    }
    let mut attrs = doc_attrs(&field_doc(prop));
    attrs.append(&mut field.attrs);
    match prop.timestamp {
        None => {}
        // The derive's default unit: the attribute of every Backend API timestamp.
        Some(schema::TimeUnit::Millis) => attrs.push(parse_quote!(#[clerk(timestamp)])),
        Some(unit) => {
            let unit = unit.keyword();
            attrs.push(parse_quote!(#[clerk(timestamp = #unit)]));
        }
    }
    field.attrs = attrs;
    // Raw JSON kept as received, or a comma-separated list kept as received.
    let kept: Option<syn::Type> = if prop.raw {
        Some(parse_quote!(::clerk_models::RawJson))
    } else if prop.list {
        Some(parse_quote!(::clerk_models::ClaimList))
    } else {
        None
    };
    if let Some(ty) = kept {
        field.ty = if prop.required && !prop.nullable {
            ty
        } else {
            parse_quote!(::core::option::Option<#ty>)
        };
    }
}

fn struct_doc(info: &StructModel) -> String {
    let mut doc = info
        .description
        .clone()
        .unwrap_or_else(|| format!("A `{}` object of Clerk's API.", info.schema_name));
    doc.push_str(&format!(
        "\n\nGenerated from `$defs/{}` of `schemas/{}`. Unknown keys are ignored on input. \
         The struct is `#[non_exhaustive]` because Clerk adds fields: build values by \
         decoding JSON.",
        info.schema_name, info.file
    ));
    doc
}

fn field_doc(prop: &PropModel) -> String {
    let mut doc = prop
        .description
        .clone()
        .map(|d| d + "\n\n")
        .unwrap_or_default();
    doc.push_str(&format!("JSON key `{}`: ", prop.name));
    doc.push_str(match (prop.required, prop.nullable) {
        (true, false) => "required, never `null`.",
        (true, true) => {
            "required, may be `null`. An absent key also decodes as `None`; `None` is written as `null`."
        }
        (false, _) => "optional. `null` and an absent key decode as `None`; `None` is left out on output.",
    });
    if let Some(unit) = prop.timestamp {
        doc.push_str(&format!(" Unix time in {}.", unit.words()));
    }
    if let Some(default) = &prop.default {
        doc.push_str(&format!(" Absent means `\"{default}\"`."));
    }
    if prop.list {
        doc.push_str(
            " A comma-separated list, kept as received: see [`ClaimList`](crate::ClaimList).",
        );
    }
    if prop.raw {
        doc.push_str(" Kept as raw JSON, exactly as received: decode it with [`RawJson::decode`](crate::RawJson::decode).");
    }
    doc
}

/// The private mirror that carries serde's derives for a model struct.
/// What a model's serde mirror adds to its name.
pub const MIRROR_SUFFIX: &str = "Serde";

fn mirror_name(model_struct: &str) -> String {
    format!("{model_struct}{MIRROR_SUFFIX}")
}

/// Moves serde's derives and field attributes from the public struct to a private mirror
/// (`#[serde(remote = "Session")] struct SessionSerde`), whose derived functions are
/// private. The public struct then gets [`object_impls`], which accept a JSON object only:
/// serde's derived impls also take an array, matched to the fields by position.
fn split_serde(item: &mut syn::ItemStruct, model: &Model) -> Result<syn::ItemStruct> {
    let name = item.ident.to_string();
    let mirror = mirror_name(&name);
    if model.structs.iter().any(|s| s.name == mirror)
        || model.enums.iter().any(|e| e.name == mirror)
    {
        return Err(Error(format!(
            "the serde mirror `{mirror}` of `{name}` clashes with a schema type"
        )));
    }
    let is_serde_path = |p: &syn::Path| {
        p.segments
            .last()
            .is_some_and(|s| s.ident == "Serialize" || s.ident == "Deserialize")
    };
    let mut derives_serde = false;
    for attr in &mut item.attrs {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let paths = attr
            .parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .map_err(|e| Error(format!("unexpected derive on `{name}`: {e}")))?;
        derives_serde |= paths.iter().any(is_serde_path);
        let kept = paths.iter().filter(|p| !is_serde_path(p));
        *attr = parse_quote!(#[derive(#(#kept),*)]);
    }
    if !derives_serde {
        return Err(Error(format!("typify no longer derives serde on `{name}`")));
    }
    let mut mirror_item = item.clone();
    mirror_item.ident = Ident::new(&mirror, Span::call_site());
    mirror_item.vis = syn::Visibility::Inherited;
    // serde takes the remote type's name alone; generics come from the mirror's own.
    let remote = name.clone();
    mirror_item.attrs = vec![
        parse_quote!(#[derive(::serde::Deserialize, ::serde::Serialize)]),
        parse_quote!(#[serde(remote = #remote)]),
    ];
    for (public, private) in item.fields.iter_mut().zip(mirror_item.fields.iter_mut()) {
        public.attrs.retain(|a| !a.path().is_ident("serde"));
        private.attrs.retain(|a| a.path().is_ident("serde"));
        private.vis = syn::Visibility::Inherited;
    }
    Ok(mirror_item)
}

/// `JsonObject` over the private mirror's derived functions: what `Deserialize` uses for
/// JSON, which accepts objects only (see [`extras::binary`] for both impls).
fn object_impls(info: &StructModel) -> TokenStream {
    let name = Ident::new(&info.name, Span::call_site());
    let mirror = Ident::new(&mirror_name(&info.name), Span::call_site());
    let expecting = format!("a `{}` object", info.name);
    // With other claims, the impls are generic over their type: it decodes from any input
    // (it is handed the keys the schema does not list) and serializes back into the object.
    let (de_params, ty_args) = if info.other_claims.is_some() {
        let param = Ident::new(OTHER_CLAIMS_PARAM, Span::call_site());
        (
            quote!(#param: ::serde::de::DeserializeOwned),
            quote!(<#param>),
        )
    } else {
        (quote!(), quote!())
    };
    quote! {
        impl<#de_params> ::clerk_models::__private::JsonObject for #name #ty_args {
            const EXPECTING: &'static str = #expecting;

            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(map: A) -> ::core::result::Result<Self, A::Error> {
                #mirror::deserialize(::serde::de::value::MapAccessDeserializer::new(map))
            }
        }
    }
}

/// `#[doc = " line"]` per line, so prettyplease prints `/// line`.
pub(crate) fn doc_attrs(text: &str) -> Vec<Attribute> {
    text.lines()
        .map(|line| {
            let line = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            parse_quote!(#[doc = #line])
        })
        .collect()
}

/// A string enum; `origin` names its schema file and `$defs` entry for its docs.
fn enum_tokens(model_enum: &EnumModel, origin: &str) -> TokenStream {
    let name = Ident::new(&model_enum.name, Span::call_site());
    let summary = model_enum
        .description
        .clone()
        .unwrap_or_else(|| match &model_enum.owner {
            // An owner is always a generated struct: enums are hoisted from its properties.
            Some((owner, prop)) => format!("The `{prop}` of a [`{owner}`]."),
            None => format!("The `{}` values of Clerk's Backend API.", model_enum.name),
        });
    let variants = model_enum.values.iter().enumerate().map(|(i, value)| {
        let ident = format_ident!("{}", schema::pascal_case(value));
        let aliases = model_enum.aliases.get(i).cloned().unwrap_or_default();
        let also = if aliases.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = aliases.iter().map(|a| format!("`\"{a}\"`")).collect();
            format!(
                " Also read as {}, written as `\"{value}\"`.",
                list.join(", ")
            )
        };
        let doc = match model_enum.docs.get(i).cloned().flatten() {
            Some(text) => doc_attrs(&format!(
                "The JSON value `\"{value}\"`. {text}{}{also}",
                if text.ends_with(['.', '!', '?']) {
                    ""
                } else {
                    "."
                }
            )),
            None => doc_attrs(&format!("The JSON value `\"{value}\"`.{also}")),
        };
        let aliases = aliases.iter().map(|a| quote!(#[clerk(alias = #a)]));
        let configured = config::GROUPS
            .iter()
            .filter(|(e, _, values)| *e == model_enum.name && values.contains(&value.as_str()))
            .map(|(_, group, _)| (*group).to_owned());
        let from_schema = model_enum.value_groups.get(i).cloned().unwrap_or_default();
        let groups = configured
            .chain(from_schema)
            .map(|group| quote!(#[clerk(group = #group)]));
        quote! {
            #(#doc)*
            #[clerk(rename = #value)]
            #(#aliases)*
            #(#groups)*
            #ident,
        }
    });
    if !model_enum.open {
        let doc = doc_attrs(&format!(
            "{summary}\n\nA discriminator: the only value the schema allows. Decoding any other \
             value is an error, which is how a payload of another type is caught. Generated \
             from {origin}."
        ));
        return quote! {
            #(#doc)*
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::clerk_models::StringEnum)]
            pub enum #name {
                #(#variants)*
            }
        };
    }
    let catch_all = Ident::new(config::CATCH_ALL_VARIANT, Span::call_site());
    let doc = doc_attrs(&format!(
        "{summary}\n\nAn open enum: Clerk adds values over time. A value this version does not \
         know decodes into [`{n}::{c}`], keeps its text, and is written back unchanged, so \
         match with a wildcard arm (the enum is `#[non_exhaustive]`). Decoding a known value \
         does not allocate. Generated from {origin}.",
        n = model_enum.name,
        c = config::CATCH_ALL_VARIANT
    ));
    let catch_all_doc = " A value this version of `clerk-models` does not know, kept as \
                         received. See [`UnknownValue`](crate::UnknownValue).";
    quote! {
        #(#doc)*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, ::clerk_models::StringEnum)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #catch_all_doc]
            #[clerk(other)]
            #catch_all(::clerk_models::UnknownValue),
        }
    }
}

/// `proptest` and `arbitrary` impls of a string enum: each known value, and for an open
/// enum any other text as well (which may spell a known value: it decodes as that one).
fn enum_strategies(model_enum: &EnumModel) -> TokenStream {
    let name = Ident::new(&model_enum.name, Span::call_site());
    let known: Vec<TokenStream> = model_enum
        .values
        .iter()
        .map(|value| {
            let ident = format_ident!("{}", schema::pascal_case(value));
            quote!(#name::#ident)
        })
        .collect();
    let count = known.len();
    let indices = 0..count;
    let (unknown_strategy, unknown_fuzz) = if model_enum.open {
        (
            quote!(, ::clerk_models::__private::strategies::enum_text().prop_map(#name::from)),
            quote!(_ => #name::from(u.arbitrary::<::std::string::String>()?),),
        )
    } else {
        let first = known.first();
        (quote!(), quote!(_ => #first,))
    };
    let last = if model_enum.open {
        count
    } else {
        count.saturating_sub(1)
    };
    quote! {
        #[cfg(feature = "proptest")]
        impl ::proptest::arbitrary::Arbitrary for #name {
            type Parameters = ();
            type Strategy = ::proptest::strategy::BoxedStrategy<Self>;

            fn arbitrary_with((): ()) -> Self::Strategy {
                use ::proptest::strategy::Strategy as _;
                ::proptest::prop_oneof![
                    #(::proptest::strategy::Just(#known)),*
                    #unknown_strategy
                ]
                .boxed()
            }
        }

        #[cfg(feature = "arbitrary")]
        impl<'a> ::arbitrary::Arbitrary<'a> for #name {
            fn arbitrary(u: &mut ::arbitrary::Unstructured<'a>) -> ::arbitrary::Result<Self> {
                ::core::result::Result::Ok(match u.int_in_range(0..=#last)? {
                    #(#indices => #known,)*
                    #unknown_fuzz
                })
            }
        }
    }
}

/// Every configured group must name an existing enum and values it has.
fn check_groups(model: &Model) -> Result<()> {
    for (enum_name, group, values) in config::GROUPS {
        let Some(model_enum) = model.enums.iter().find(|e| e.name == *enum_name) else {
            return Err(Error(format!(
                "xtask config: GROUPS names enum `{enum_name}`, which the schemas do not define"
            )));
        };
        for value in *values {
            if !model_enum.values.iter().any(|v| v == value) {
                return Err(Error(format!(
                    "xtask config: group `{group}` of `{enum_name}` lists {value:?}, which the \
                     schema's enum does not have"
                )));
            }
        }
    }
    Ok(())
}
