//! `EventData`: a webhook event's `data`, decoded as its type's group says
//! ([`config::WEBHOOK_DATA_GROUPS`]), the objects events carry beside it
//! ([`config::WEBHOOK_EMBEDDED`]), and the list of every model for the crate's tests.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::codegen::doc_attrs;
use crate::config;
use crate::schema::{self, Error, Model, Result};

/// The Rust name of the generated event-type enum ([`config::ENUM_NAMES`]).
const EVENT_TYPE: &str = "EventType";

/// `EventData`, `EmbeddedObjects` and their decoders.
pub fn event_data(model: &Model) -> Result<TokenStream> {
    let event_type = model
        .enums
        .iter()
        .find(|e| e.name == EVENT_TYPE)
        .ok_or_else(|| Error(format!("no enum `{EVENT_TYPE}` to key `EventData` by")))?;
    let events_of = |group: &str| -> Vec<String> {
        event_type
            .values
            .iter()
            .zip(&event_type.value_groups)
            .filter(|(_, groups)| groups.iter().any(|g| g == group))
            .map(|(value, _)| format!("`{value}`"))
            .collect()
    };
    let catch_all = Ident::new(config::CATCH_ALL_VARIANT, Span::call_site());
    let mut variants = Vec::new();
    let mut decoders = Vec::new();
    let mut group_arms = Vec::new();
    for (component, group) in config::WEBHOOK_DATA_GROUPS {
        let ty_name = schema::rust_name(component);
        if !model.structs.iter().any(|s| s.name == ty_name) {
            return Err(Error(format!(
                "xtask config WEBHOOK_DATA_GROUPS: `{component}` (group `{group}`) is no generated struct"
            )));
        }
        let events = events_of(group);
        if events.is_empty() {
            return Err(Error(format!(
                "xtask config WEBHOOK_DATA_GROUPS: no event type of the schemas is in group `{group}`"
            )));
        }
        let variant = Ident::new(&schema::pascal_case(group), Span::call_site());
        let ty = Ident::new(&ty_name, Span::call_site());
        let predicate = format_ident!("is_{group}");
        let doc = doc_attrs(&format!(
            "The `data` of {}: a [`{ty_name}`].",
            events.join(", ")
        ));
        variants.push(quote! { #(#doc)* #variant(::std::boxed::Box<#ty>), });
        group_arms.push(quote! { Self::#variant(_) => ::core::option::Option::Some(#group), });
        decoders.push(quote! {
            if event_type.#predicate() {
                return ::clerk_models::__private::decode_data::<#ty>(data)
                    .map(|value| Self::#variant(::std::boxed::Box::new(value)));
            }
        });
    }
    let doc = doc_attrs(&format!(
        "A webhook event's `data`, decoded as its `type` says: one variant per kind of object \
         Clerk's webhooks spec sends (`xtask` config `WEBHOOK_DATA_GROUPS`), each holding the \
         model generated from its schema, and [`EventData::{c}`] for an event type this version \
         does not know, with its `data` kept as received. Match with a wildcard arm: Clerk adds \
         event types, and the enum is `#[non_exhaustive]`.",
        c = config::CATCH_ALL_VARIANT
    ));
    let unknown_doc = doc_attrs(
        "The `data` of an event type this version does not know, exactly as received (JSON \
         `null` when the event had none).",
    );

    let mut embedded_fields = Vec::new();
    let mut embedded_decoders = Vec::new();
    let mut carriers = Vec::new();
    for (group, property, component) in config::WEBHOOK_EMBEDDED {
        let ty_name = schema::rust_name(component);
        if !config::WEBHOOK_DATA_GROUPS.iter().any(|(_, g)| g == group) {
            return Err(Error(format!(
                "xtask config WEBHOOK_EMBEDDED: group `{group}` is not one of WEBHOOK_DATA_GROUPS"
            )));
        }
        let field = Ident::new(property, Span::call_site());
        let ty = Ident::new(&ty_name, Span::call_site());
        let carrier = format_ident!(
            "{}{}Carrier",
            schema::pascal_case(group),
            schema::pascal_case(property)
        );
        let predicate = format_ident!("is_{group}");
        let doc = doc_attrs(&format!(
            "The `{property}` in the `data` of {}, as a [`{ty_name}`]; `None` for other events, \
             or when the key is absent or `null`.",
            events_of(group).join(", ")
        ));
        embedded_fields
            .push(quote! { #(#doc)* pub #field: ::core::option::Option<::std::boxed::Box<#ty>>, });
        carriers.push(quote! {
            #[derive(::serde::Deserialize)]
            struct #carrier {
                #[serde(default)]
                #field: ::core::option::Option<#ty>,
            }
        });
        embedded_decoders.push(quote! {
            if event_type.#predicate() {
                out.#field = ::clerk_models::__private::decode_data::<#carrier>(data)?
                    .#field
                    .map(::std::boxed::Box::new);
            }
        });
    }
    let embedded_doc = doc_attrs(
        "The objects an event carries inside its `data` beside the data's own fields (`xtask` \
         config `WEBHOOK_EMBEDDED`): a session event's `data` is the session with its whole \
         `user`.",
    );

    Ok(quote! {
        #(#doc)*
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum EventData {
            #(#variants)*
            #(#unknown_doc)*
            #catch_all(::clerk_models::RawJson),
        }

        impl EventData {
            /// Decodes an event's `data` as its type says: the model of the type's group, or
            /// [`EventData::Unknown`] with the JSON as received for a type this version does
            /// not know.
            ///
            /// # Errors
            ///
            /// When the event type is known and `data` is not its model: the error names the
            /// path inside `data`.
            // Inline, so its decoders (every model's) are compiled where events are decoded,
            // not in every build of this crate.
            #[inline]
            pub fn decode(event_type: &EventType, data: &::clerk_models::RawJson) -> ::core::result::Result<Self, ::clerk_models::Error> {
                #(#decoders)*
                ::core::result::Result::Ok(Self::#catch_all(data.clone()))
            }

            /// The group of event types this data belongs to (`"user"`, `"session"`,
            /// `"deleted"`…, as `EventType::is_<group>()` names them), for logs and metrics;
            /// `None` for [`EventData::Unknown`].
            #[must_use]
            pub fn group(&self) -> ::core::option::Option<&'static str> {
                match self {
                    #(#group_arms)*
                    Self::#catch_all(_) => ::core::option::Option::None,
                }
            }
        }

        #(#embedded_doc)*
        #[derive(Clone, Debug, Default, PartialEq)]
        #[non_exhaustive]
        pub struct EmbeddedObjects {
            #(#embedded_fields)*
        }

        #(#carriers)*

        impl EmbeddedObjects {
            /// Decodes the objects the event's type carries in its `data`.
            ///
            /// # Errors
            ///
            /// When one of them is present and does not decode: the error names the path
            /// inside `data`.
            #[inline]
            pub fn decode(event_type: &EventType, data: &::clerk_models::RawJson) -> ::core::result::Result<Self, ::clerk_models::Error> {
                let mut out = Self::default();
                #(#embedded_decoders)*
                ::core::result::Result::Ok(out)
            }
        }
    })
}

/// `__for_each_model!(callback)`: calls `callback!` with every generated model struct and
/// union, so the crate's tests (the storage matrix) cover a new model without a list to keep.
pub fn model_list(model: &Model) -> TokenStream {
    let structs = model
        .structs
        .iter()
        .map(|s| Ident::new(&s.name, Span::call_site()));
    let unions = model
        .unions
        .iter()
        .map(|u| Ident::new(&u.name, Span::call_site()));
    quote! {
        /// Calls `$callback!` with every generated model (structs, then unions), for tests that
        /// must cover each one. Not part of the API.
        #[doc(hidden)]
        #[macro_export]
        macro_rules! __for_each_model {
            ($callback:ident) => {
                $callback!(#(#structs,)* #(#unions,)*);
            };
        }
    }
}
