//! Emits each model's serde entry points: `JsonObject` over the private mirror (JSON objects
//! only), and the binary form for formats that are not human-readable.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::fields;
use crate::config;
use crate::error::Result;
use crate::model::{Model, StructModel};
use crate::text::with_article;
use crate::typify_pass::post::mirror_name;

/// `JsonObject` over the private mirror's derived functions: what `Deserialize` uses for
/// JSON, which accepts objects only (see [`binary`] for both impls).
pub(crate) fn object_impls(info: &StructModel) -> TokenStream {
    let name = Ident::new(&info.name, Span::call_site());
    let mirror = Ident::new(&mirror_name(&info.name), Span::call_site());
    let expecting = format!("{} object", with_article(&format!("`{}`", info.name)));
    // With other claims, the impls are generic over their type: it decodes from any input
    // (it is handed the keys the schema does not list) and serializes back into the object.
    let (de_params, ty_args) = if info.other_claims.is_some() {
        let param = Ident::new(config::OTHER_CLAIMS_PARAM, Span::call_site());
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

/// The binary form of a model that is its JSON text: what `clerk-models-api`'s models write
/// to formats that are not human-readable. A field-by-field form costs each model a second
/// derived decoder, which a crate of several hundred models pays for in every build (a
/// third of `clerk-models-api`'s), for a form the API's answers are rarely cached in.
pub(crate) fn json_text_form(info: &StructModel) -> TokenStream {
    let name = Ident::new(&info.name, Span::call_site());
    let mirror = Ident::new(&mirror_name(&info.name), Span::call_site());
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                if deserializer.is_human_readable() {
                    ::clerk_models::__private::deserialize_object(deserializer)
                } else {
                    ::clerk_models::__private::json_text(deserializer)
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                if serializer.is_human_readable() {
                    #mirror::serialize(self, serializer)
                } else {
                    ::clerk_models::__private::JsonText(self).serialize(serializer)
                }
            }
        }
    }
}

/// The binary form of a model: `Serialize` and `Deserialize` impls for formats that are not
/// human-readable (MessagePack, CBOR, bincode, postcard), where every field is written, in
/// order, and free-form JSON travels as JSON text. JSON keeps the object-only impls.
pub(crate) fn binary(
    item: &syn::ItemStruct,
    info: &StructModel,
    model: &Model,
) -> Result<TokenStream> {
    let fields = fields(item, info, model)?;
    let name = Ident::new(&info.name, Span::call_site());
    let mirror = Ident::new(&mirror_name(&info.name), Span::call_site());
    let binary = format_ident!("{}Binary", info.name);
    let name_str = info.name.clone();
    let count = fields.len();
    let generic = info.other_claims.is_some();
    let c = Ident::new(config::OTHER_CLAIMS_PARAM, Span::call_site());
    let (de_params, ser_params, ty_args) = if generic {
        (
            quote!(#c: ::serde::de::DeserializeOwned),
            quote!(<#c: ::serde::Serialize>),
            quote!(<#c>),
        )
    } else {
        (quote!(), quote!(), quote!())
    };
    let writes = fields.iter().map(|f| {
        let ident = &f.ident;
        let key = f.key();
        if f.is_free_form() {
            quote!(state.serialize_field(#key, &::clerk_models::__private::JsonText(&self.#ident))?;)
        } else {
            quote!(state.serialize_field(#key, &self.#ident)?;)
        }
    });
    let binary_fields = fields.iter().map(|f| {
        let ident = &f.ident;
        let ty = &f.ty;
        let key = f.key();
        let with = f
            .is_free_form()
            .then(|| quote!(#[serde(deserialize_with = "::clerk_models::__private::json_text")]));
        quote!(#[serde(rename = #key)] #with #ident: #ty)
    });
    let moves = fields.iter().map(|f| {
        let ident = &f.ident;
        quote!(#ident: binary.#ident)
    });
    let bound = generic.then(|| quote!(#[serde(bound = "C: ::serde::de::DeserializeOwned")]));
    Ok(quote! {
        #[derive(::serde::Deserialize)]
        #[serde(rename = #name_str)]
        #bound
        struct #binary #ty_args {
            #(#binary_fields,)*
        }

        impl<'de, #de_params> ::serde::Deserialize<'de> for #name #ty_args {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                if deserializer.is_human_readable() {
                    ::clerk_models::__private::deserialize_object(deserializer)
                } else {
                    let binary = #binary::deserialize(deserializer)?;
                    ::core::result::Result::Ok(#name { #(#moves,)* })
                }
            }
        }

        impl #ser_params ::serde::Serialize for #name #ty_args {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                if serializer.is_human_readable() {
                    #mirror::serialize(self, serializer)
                } else {
                    use ::serde::ser::SerializeStruct as _;
                    let mut state = serializer.serialize_struct(#name_str, #count)?;
                    #(#writes)*
                    state.end()
                }
            }
        }
    })
}
