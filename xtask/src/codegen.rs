//! Normalized schemas → typify → post-pass → open enums → prettyplease → text.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::{Attribute, Fields, Item, LitStr, parse_quote};

use crate::config;
use crate::schema::{self, EnumModel, Error, Model, PropModel, Result, StructModel};

/// Generates the whole `generated.rs` text from the schema files.
pub fn generate(files: &[schema::SchemaFile]) -> Result<String> {
    let bundled = schema::bundle(files)?;
    for (from, to) in config::RENAMES {
        // A rename of nothing would be silently ignored: say so instead.
        if !bundled.contains_key(*from) {
            return Err(Error(format!(
                "xtask config: RENAMES names `{from}` (-> `{to}`), but schemas/ has no such `$defs` entry"
            )));
        }
    }
    let normalized = schema::normalize(&bundled)?;
    let items = run_typify(&normalized.typify_input, &normalized.model)?;
    let mut file: syn::File = syn::parse2(items)
        .map_err(|e| Error(format!("typify produced code that does not parse: {e}")))?;
    post_pass(&mut file, &normalized.model)?;
    for open in &normalized.model.enums {
        let tokens = open_enum(open, &normalized.model);
        let parsed: syn::File = syn::parse2(tokens)
            .map_err(|e| Error(format!("open enum `{}` does not parse: {e}", open.name)))?;
        file.items.extend(parsed.items);
    }
    Ok(format!(
        "{}\n{}",
        config::HEADER,
        prettyplease::unparse(&file)
    ))
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
    for open in &model.enums {
        // typify must not generate the open enums: the xtask emits them below.
        settings.with_replacement(&open.name, &open.name, std::iter::empty());
    }
    let mut space = typify::TypeSpace::new(&settings);
    space
        .add_root_schema(root)
        .map_err(|e| Error(format!("typify rejected the schemas: {e}")))?;
    Ok(space.to_stream())
}

/// Brings typify's output in line with the schema and the crate's API rules.
fn post_pass(file: &mut syn::File, model: &Model) -> Result<()> {
    let mut seen = Vec::new();
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
            }
            Item::Enum(item) => {
                let name = item.ident.to_string();
                if model.enums.iter().any(|e| e.name == name) {
                    return Err(Error(format!(
                        "typify generated the open enum `{name}` although it was replaced"
                    )));
                }
                document_closed_enum(item)?;
            }
            Item::Mod(item) if item.ident == "error" => {
                item.attrs.insert(
                    0,
                    parse_quote!(#[doc = " The error of the generated `FromStr` and `TryFrom` conversions."]),
                );
            }
            _ => {}
        }
    }
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

fn shape_struct(item: &mut syn::ItemStruct, info: &StructModel) -> Result<()> {
    item.attrs.retain(|a| !a.path().is_ident("doc"));
    let mut attrs = doc_attrs(&struct_doc(info));
    attrs.push(parse_quote!(#[non_exhaustive]));
    attrs.append(&mut item.attrs);
    item.attrs = attrs;

    let Fields::Named(fields) = &mut item.fields else {
        return Err(Error(format!(
            "`{}` is not a struct with named fields",
            info.name
        )));
    };
    let mut by_name: Vec<syn::Field> = std::mem::take(&mut fields.named).into_iter().collect();
    for prop in &info.props {
        let Some(pos) = by_name
            .iter()
            .position(|f| f.ident.as_ref().is_some_and(|i| i == &prop.name))
        else {
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
    field.attrs = attrs;
}

fn struct_doc(info: &StructModel) -> String {
    let mut doc = info
        .description
        .clone()
        .unwrap_or_else(|| format!("A `{}` object of Clerk's Backend API.", info.schema_name));
    doc.push_str(&format!(
        "\n\nGenerated from `$defs/{}` in `schemas/`. Unknown keys are ignored on input. \
         The struct is `#[non_exhaustive]` because Clerk adds fields: build values by \
         decoding JSON.",
        info.schema_name
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
    if prop.timestamp {
        doc.push_str(" Unix time in milliseconds.");
    }
    doc
}

/// Closed enums are the single-valued discriminators (`object: "session"`).
fn document_closed_enum(item: &mut syn::ItemEnum) -> Result<()> {
    let text = take_doc(&mut item.attrs);
    let text = if text.is_empty() {
        format!("The `{}` discriminator.", item.ident)
    } else {
        text
    };
    let mut attrs = doc_attrs(&text);
    attrs.append(&mut item.attrs);
    item.attrs = attrs;
    for variant in &mut item.variants {
        if variant.attrs.iter().any(|a| a.path().is_ident("doc")) {
            continue;
        }
        let mut wire = None;
        for attr in variant.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    wire = Some(meta.value()?.parse::<LitStr>()?.value());
                }
                Ok(())
            })
            .map_err(|e| Error(format!("unexpected serde attribute from typify: {e}")))?;
        }
        let wire = wire.unwrap_or_else(|| variant.ident.to_string());
        let text = format!(" The JSON value `\"{wire}\"`.");
        variant.attrs.insert(0, parse_quote!(#[doc = #text]));
    }
    Ok(())
}

/// Removes the doc attributes, returning their trimmed text.
fn take_doc(attrs: &mut Vec<Attribute>) -> String {
    let mut text = String::new();
    attrs.retain(|attr| {
        if !attr.path().is_ident("doc") {
            return true;
        }
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            text.push_str(&s.value());
            text.push('\n');
        }
        false
    });
    text.trim().to_owned()
}

/// `#[doc = " line"]` per line, so prettyplease prints `/// line`.
fn doc_attrs(text: &str) -> Vec<Attribute> {
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

fn open_enum(open: &EnumModel, model: &Model) -> TokenStream {
    let name = Ident::new(&open.name, Span::call_site());
    let catch_all = Ident::new(config::CATCH_ALL_VARIANT, Span::call_site());
    let variants: Vec<Ident> = open
        .values
        .iter()
        .map(|v| format_ident!("{}", schema::pascal_case(v)))
        .collect();
    let values = &open.values;
    let variant_docs: Vec<String> = values
        .iter()
        .map(|v| format!(" The JSON value `\"{v}\"`."))
        .collect();

    let summary = open
        .description
        .clone()
        .unwrap_or_else(|| match &open.owner {
            Some((owner, prop)) => {
                let known = model.structs.iter().any(|s| &s.name == owner);
                if known {
                    format!("The `{prop}` of a [`{owner}`].")
                } else {
                    format!("The `{prop}` of a `{owner}`.")
                }
            }
            None => format!("The `{}` values of Clerk's Backend API.", open.name),
        });
    let doc = format!(
        "{summary}\n\nAn open enum: Clerk adds values over time. A value this version does not \
         know decodes into [`{n}::{c}`], keeps its text, and is written back unchanged, so \
         match with a wildcard arm (the enum is `#[non_exhaustive]`). Decoding a known value \
         does not allocate.",
        n = open.name,
        c = config::CATCH_ALL_VARIANT
    );
    let doc = doc_attrs(&doc);
    let catch_all_doc = " A value this version of `clerk-models` does not know, kept as \
                         received. See [`UnknownValue`](crate::UnknownValue).";
    let expecting = format!("a `{}` string", open.name);

    quote! {
        #(#doc)*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(
                #[doc = #variant_docs]
                #variants,
            )*
            #[doc = #catch_all_doc]
            #catch_all(crate::UnknownValue),
        }

        impl #name {
            /// Every value this version knows, in schema order.
            pub const KNOWN: &'static [Self] = &[#(Self::#variants),*];

            /// The text form, exactly as Clerk sends it.
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::#catch_all(value) => value.as_str(),
                }
            }

            /// Whether this value is one this version knows (not the catch-all).
            #[must_use]
            pub const fn is_known(&self) -> bool {
                !matches!(self, Self::#catch_all(_))
            }
        }

        impl crate::open_enum::OpenEnum for #name {
            const EXPECTING: &'static str = #expecting;

            fn from_known(text: &str) -> ::core::option::Option<Self> {
                match text {
                    #(#values => ::core::option::Option::Some(Self::#variants),)*
                    _ => ::core::option::Option::None,
                }
            }

            fn from_unknown(value: crate::UnknownValue) -> Self {
                Self::#catch_all(value)
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl ::core::str::FromStr for #name {
            type Err = ::core::convert::Infallible;

            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(crate::open_enum::parse(text))
            }
        }

        impl ::core::convert::From<&str> for #name {
            fn from(text: &str) -> Self {
                crate::open_enum::parse(text)
            }
        }

        impl ::core::convert::From<::std::string::String> for #name {
            fn from(text: ::std::string::String) -> Self {
                crate::open_enum::parse_owned(text)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                crate::open_enum::deserialize(deserializer)
            }
        }
    }
}
