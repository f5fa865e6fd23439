//! Emits each model's typestate builder and the field markers its compile errors name.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::Type;

use super::{Field, Role, fields};
use crate::config;
use crate::error::{Error, Result};
use crate::model::{Kind, Model, StructModel};
use crate::naming::{pascal_case, snake_case};
use crate::text::{doc_attrs, with_article};

/// `field: self.field` for every stored field but `except`: what a setter that changes the
/// builder's type carries over.
fn moved_except<'a>(
    fields: &'a [Field<'_>],
    except: &'a Ident,
) -> impl Iterator<Item = TokenStream> + 'a {
    fields
        .iter()
        .filter(move |f| !matches!(f.role, Role::Discriminator { .. }) && f.ident != *except)
        .map(|f| {
            let i = &f.ident;
            quote!(#i: self.#i)
        })
}

/// A setter's parameter type and the value it stores, for a field of Rust type `ty`: strings
/// from `impl Into<String>`, lists from `impl Into<ClaimList>` (a `&str` or `String` too),
/// anything else as it is.
fn setter_argument(field: &Field, ty: &Type) -> (TokenStream, TokenStream) {
    let ident = &field.ident;
    match field.kind() {
        Some(Kind::String) => (
            quote!(impl ::core::convert::Into<::std::string::String>),
            quote!(#ident.into()),
        ),
        Some(Kind::List) => (
            quote!(impl ::core::convert::Into<::clerk_models::ClaimList>),
            quote!(#ident.into()),
        ),
        _ => (quote!(#ty), quote!(#ident)),
    }
}

/// Whether the setter converts its argument (`impl Into<…>`).
fn converts(field: &Field) -> bool {
    matches!(field.kind(), Some(Kind::String | Kind::List))
}

/// The builder of a model: `Session::builder()…build()`, every required field a type
/// parameter that is `clerk_models::builder::Missing` until its setter ran.
///
/// Returns the builder's items and the module of its field markers, which go together into
/// one `fields` module.
pub(crate) fn builder(
    item: &syn::ItemStruct,
    info: &StructModel,
    model: &Model,
) -> Result<(TokenStream, TokenStream)> {
    let fields = fields(item, info, model)?;
    let name = Ident::new(&info.name, Span::call_site());
    let builder = format_ident!("{}Builder", info.name);
    let marker_mod = Ident::new(&snake_case(&info.name), Span::call_site());
    let generic = info.other_claims.is_some();
    let c = Ident::new(config::OTHER_CLAIMS_PARAM, Span::call_site());
    let default_c: Type = syn::parse_str(config::OTHER_CLAIMS_TYPE).map_err(|e| {
        Error(format!(
            "xtask config: OTHER_CLAIMS_TYPE does not parse: {e}"
        ))
    })?;

    let required: Vec<&Field> = fields
        .iter()
        .filter(|f| matches!(f.role, Role::Required))
        .collect();
    let params: Vec<Ident> = required
        .iter()
        .map(|f| {
            format_ident!(
                "{}Field",
                pascal_case(f.ident.to_string().trim_end_matches('_'))
            )
        })
        .collect();
    let markers: Vec<TokenStream> = required
        .iter()
        .map(|f| {
            let ident = &f.ident;
            quote!(::clerk_models::builder::Missing<fields::#marker_mod::#ident>)
        })
        .collect();
    let c_param = generic.then(|| quote!(#c,));
    let c_default = generic.then(|| quote!(#c = #default_c,));
    let c_arg = generic.then(|| quote!(#c,));
    let self_ty = if generic {
        quote!(#name<#c>)
    } else {
        quote!(#name)
    };

    // Storage: required fields as their parameter, optional ones as their own type, the
    // other claims as `C`.
    let mut storage = Vec::new();
    let mut start = Vec::new();
    let mut build_fields = Vec::new();
    let mut bounds = Vec::new();
    let mut setters = Vec::new();
    let mut req_index = 0;
    for field in &fields {
        let ident = &field.ident;
        let ty = &field.ty;
        let key = field.key();
        // The schema's description, after the setter's own sentence.
        let doc_line = field
            .prop
            .and_then(|p| p.description.as_deref())
            .map(|d| format!(" {d}"))
            .unwrap_or_default();
        match &field.role {
            Role::Discriminator { variant } => {
                build_fields.push(quote!(#ident: #variant));
            }
            Role::Required => {
                let (Some(param), Some(before), Some(after)) = (
                    params.get(req_index),
                    params.get(..req_index),
                    params.get(req_index + 1..),
                ) else {
                    return Err(Error(format!(
                        "`{}`: builder parameters out of step",
                        info.name
                    )));
                };
                storage.push(quote!(#ident: #param));
                start.push(quote!(#ident: ::clerk_models::builder::Missing::new()));
                build_fields
                    .push(quote!(#ident: ::clerk_models::builder::Filled::into_value(self.#ident)));
                bounds.push(quote!(#param: ::clerk_models::builder::Filled<#ty>));
                let moved = moved_except(&fields, ident);
                let (arg_ty, value) = setter_argument(field, ty);
                // `id: id` would be a redundant field name.
                let init = if converts(field) {
                    quote!(#ident: #value)
                } else {
                    quote!(#ident)
                };
                let doc = doc_attrs(&format!(
                    "Sets `{key}` (required: `build()` is a compile error until this is called).{doc_line}"
                ));
                setters.push(quote! {
                    #(#doc)*
                    pub fn #ident(self, #ident: #arg_ty) -> #builder<#c_arg #(#before,)* #ty, #(#after,)*> {
                        #builder { #init, #(#moved,)* }
                    }
                });
                req_index += 1;
            }
            Role::Optional { inner } => {
                storage.push(quote!(#ident: #ty));
                start.push(quote!(#ident: ::core::option::Option::None));
                build_fields.push(quote!(#ident: self.#ident));
                let (arg_ty, value) = setter_argument(field, inner);
                let doc = doc_attrs(&format!(
                    "Sets `{key}` (optional: `None` unless this is called).{doc_line}"
                ));
                setters.push(quote! {
                    #(#doc)*
                    pub fn #ident(self, #ident: #arg_ty) -> Self {
                        Self { #ident: ::core::option::Option::Some(#value), ..self }
                    }
                });
            }
            Role::Other => {
                storage.push(quote!(#ident: #c));
                start.push(quote!(#ident: <#default_c as ::core::default::Default>::default()));
                build_fields.push(quote!(#ident: self.#ident));
                let moved = moved_except(&fields, ident);
                let doc = doc_attrs(
                    "Sets the claims the schema does not list (by default an empty \
                     `OtherClaims`); may change their type to your own struct.",
                );
                setters.push(quote! {
                    #(#doc)*
                    pub fn #ident<T>(self, #ident: T) -> #builder<T, #(#params,)*> {
                        #builder { #ident, #(#moved,)* }
                    }
                });
            }
        }
    }

    // Where the struct is, from the crate root: `clerk-models-api`'s models are in `models`.
    let home = if info
        .file
        .starts_with(&format!("{}/", crate::config::API_SCHEMA_DIR))
    {
        "crate::models"
    } else {
        "crate"
    };
    let marker_structs = required.iter().map(|f| {
        let ident = &f.ident;
        let doc = doc_attrs(&format!(
            "Names the required field `{}` of [`{}`]({home}::{})'s builder in compile errors \
             (`$defs/{}` of `schemas/{}`).",
            f.key(),
            info.name,
            info.name,
            info.schema_name,
            info.file
        ));
        quote! {
            #(#doc)*
            #[allow(non_camel_case_types)]
            #[derive(Clone, Copy, Debug)]
            pub enum #ident {}
        }
    });
    let struct_doc = doc_attrs(&format!(
        "Builds {a} in code, such as in tests: from [`{n}::builder()`], call the setters \
         in any order, then `build()`.\n\nEvery required field is a type parameter that stays \
         `Missing` until its setter is called, and `build()` compiles only when none is: \
         forgetting one is a compile error naming the field. Discriminators such as `object` \
         are filled in; optional fields are `None` unless set. The builder holds the values \
         themselves: `build()` moves them into the struct, at no cost over a struct literal.\n\n\
         Generated from `$defs/{s}` of `schemas/{f}`.",
        a = with_article(&format!("[`{}`]", info.name)),
        n = info.name,
        s = info.schema_name,
        f = info.file
    ));
    let builder_fn_doc = doc_attrs(&format!(
        "A builder of {a}: the way to make one in code, since the struct is \
         `#[non_exhaustive]`. See [`{b}`].",
        a = with_article(&format!("[`{}`]", info.name)),
        b = builder
    ));
    let mod_doc = doc_attrs(&format!(
        "The required fields of [`{}`]({home}::{})'s builder (`$defs/{}` of `schemas/{}`).",
        info.name, info.name, info.schema_name, info.file
    ));
    let items = quote! {
        #(#struct_doc)*
        #[must_use = "a builder does nothing until `build()` is called"]
        #[derive(Clone, Debug)]
        pub struct #builder<#c_default #(#params = #markers,)*> {
            #(#storage,)*
        }

        impl #name {
            #(#builder_fn_doc)*
            pub fn builder() -> #builder {
                #builder { #(#start,)* }
            }
        }

        // Setters are named like their fields (`sub` included); a struct with one optional
        // field updates it from `..self` with nothing left to take. A model with many required
        // fields (a payment attempt has 19) has setters whose return type names them all.
        #[allow(clippy::should_implement_trait, clippy::needless_update, clippy::type_complexity)]
        impl<#c_param #(#params,)*> #builder<#c_arg #(#params,)*> {
            #(#setters)*

            /// The value. Compiles only once every required field was set.
            pub fn build(self) -> #self_ty
            where
                #(#bounds,)*
            {
                #name { #(#build_fields,)* }
            }
        }
    };
    let markers = quote! {
        #(#mod_doc)*
        pub mod #marker_mod {
            #(#marker_structs)*
        }
    };
    Ok((items, markers))
}
