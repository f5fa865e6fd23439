//! `EventData`: a webhook event's `data`, decoded as its type's group says
//! ([`config::WEBHOOK_DATA_GROUPS`]), the objects events carry beside it
//! ([`config::WEBHOOK_EMBEDDED`]), and the list of every model for the crate's tests.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::config;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::naming;
use crate::text::{doc_attrs, with_article};

/// The Rust name of the enum of event types: the envelope's type property, named by
/// [`config::ENUM_NAMES`].
fn event_type_name() -> Result<&'static str> {
    config::ENUM_NAMES
        .iter()
        .find(|(component, property, _)| {
            *component == config::WEBHOOK_ENVELOPE
                && *property == config::WEBHOOK_EVENT_TYPE_PROPERTY
        })
        .map(|(_, _, rust)| *rust)
        .ok_or_else(|| {
            Error(format!(
                "xtask config ENUM_NAMES names no enum for `{}.{}`",
                config::WEBHOOK_ENVELOPE,
                config::WEBHOOK_EVENT_TYPE_PROPERTY
            ))
        })
}

/// `EventData`, `EmbeddedObjects` and their decoders.
pub(crate) fn event_data(model: &Model) -> Result<TokenStream> {
    let event_type_name = event_type_name()?;
    let event_type = model
        .enums
        .iter()
        .find(|e| e.name == event_type_name)
        .ok_or_else(|| Error(format!("no enum `{event_type_name}` to key `EventData` by")))?;
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
    let invalid = Ident::new(config::INVALID_DATA_VARIANT, Span::call_site());
    let data_key = config::WEBHOOK_DATA_PROPERTY;
    let mut variants = Vec::new();
    let mut decoders = Vec::new();
    let mut group_arms = Vec::new();
    for (component, group) in config::WEBHOOK_DATA_GROUPS {
        let ty_name = naming::rust_name(component);
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
        let variant = Ident::new(&naming::pascal_case(group), Span::call_site());
        let ty = Ident::new(&ty_name, Span::call_site());
        let predicate = format_ident!("is_{group}");
        let doc = doc_attrs(&format!(
            "The `data` of {}: {}.",
            events.join(", "),
            with_article(&format!("[`{ty_name}`]"))
        ));
        variants.push(quote! { #(#doc)* #variant(::std::boxed::Box<#ty>), });
        group_arms.push(quote! { Self::#variant(_) => ::core::option::Option::Some(#group), });
        decoders.push(quote! {
            if event_type.#predicate() {
                return ::clerk_models::__private::decode_event_data(
                    data,
                    #data_key,
                    |value: #ty| Self::#variant(::std::boxed::Box::new(value)),
                    Self::#invalid,
                );
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
    let unknown_doc =
        doc_attrs("The `data` of an event type this version does not know, exactly as received.");
    let invalid_doc = doc_attrs(
        "The `data` of a known event type that does not fit its type's model: kept byte for \
         byte with the error that says where (`data.has_image: ...`), so an authentic event is \
         never lost for its content. Store it, and handle it again after an upgrade.",
    );

    let mut embedded_fields = Vec::new();
    let mut embedded_decoders = Vec::new();
    let mut carriers = Vec::new();
    for (group, property, component) in config::WEBHOOK_EMBEDDED {
        let ty_name = naming::rust_name(component);
        if !config::WEBHOOK_DATA_GROUPS.iter().any(|(_, g)| g == group) {
            return Err(Error(format!(
                "xtask config WEBHOOK_EMBEDDED: group `{group}` is not one of WEBHOOK_DATA_GROUPS"
            )));
        }
        let field = Ident::new(property, Span::call_site());
        let ty = Ident::new(&ty_name, Span::call_site());
        let carrier = format_ident!(
            "{}{}Carrier",
            naming::pascal_case(group),
            naming::pascal_case(property)
        );
        let raw_carrier = format_ident!("{carrier}Raw");
        let predicate = format_ident!("is_{group}");
        let doc = doc_attrs(&format!(
            "The `{property}` in the `data` of {}, as {}; `None` for other events, \
             when the key is absent or `null`, or when it does not fit (then it is in \
             [`invalid`](Self::invalid)).",
            events_of(group).join(", "),
            with_article(&format!("[`{ty_name}`]"))
        ));
        embedded_fields
            .push(quote! { #(#doc)* pub #field: ::core::option::Option<::std::boxed::Box<#ty>>, });
        carriers.push(quote! {
            #[derive(::serde::Deserialize)]
            struct #carrier {
                #[serde(default)]
                #field: ::core::option::Option<#ty>,
            }

            #[derive(::serde::Deserialize)]
            struct #raw_carrier {
                #[serde(default)]
                #field: ::core::option::Option<::clerk_models::RawJson>,
            }
        });
        embedded_decoders.push(quote! {
            if event_type.#predicate() {
                match ::clerk_models::__private::decode_data::<#carrier>(data) {
                    ::core::result::Result::Ok(carrier) => {
                        out.#field = carrier.#field.map(::std::boxed::Box::new);
                    }
                    ::core::result::Result::Err(error) => {
                        // Only the object that failed is kept aside, with its own JSON.
                        if let ::core::result::Result::Ok(#raw_carrier {
                            #field: ::core::option::Option::Some(raw),
                        }) = ::clerk_models::__private::decode_data::<#raw_carrier>(data)
                        {
                            out.invalid.push(::clerk_models::InvalidData::within(
                                #data_key, raw, error,
                            ));
                        }
                    }
                }
            }
        });
    }
    let embedded_doc = doc_attrs(
        "The objects an event carries inside its `data` beside the data's own fields (`xtask` \
         config `WEBHOOK_EMBEDDED`): a session event's `data` is the session with its whole \
         `user`.",
    );

    let frame = event_frame(model)?;

    Ok(quote! {
        #(#doc)*
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum EventData {
            #(#variants)*
            #(#invalid_doc)*
            #invalid(::clerk_models::InvalidData),
            #(#unknown_doc)*
            #catch_all(::clerk_models::RawJson),
        }

        impl EventData {
            /// Decodes an event's `data` as its type says: the model of the type's group,
            /// [`EventData::Invalid`] with the JSON and the error when it does not fit that
            /// model, or [`EventData::Unknown`] with the JSON for a type this version does not
            /// know. Never fails: the JSON is kept in every case.
            // Inline, so its decoders (every model's) are compiled where events are decoded,
            // not in every build of this crate.
            #[inline]
            #[must_use]
            pub fn decode(event_type: &EventType, data: &::clerk_models::RawJson) -> Self {
                #(#decoders)*
                Self::#catch_all(data.clone())
            }

            /// The group of event types this data belongs to (`"user"`, `"session"`,
            /// `"deleted"`…, as `EventType::is_<group>()` names them), for logs and metrics;
            /// `None` for [`EventData::Invalid`] and [`EventData::Unknown`].
            #[must_use]
            pub fn group(&self) -> ::core::option::Option<&'static str> {
                match self {
                    #(#group_arms)*
                    Self::#invalid(_) | Self::#catch_all(_) => ::core::option::Option::None,
                }
            }

            /// Whether the data did not fit its type's model ([`EventData::Invalid`]).
            #[must_use]
            pub const fn is_invalid(&self) -> bool {
                ::core::matches!(self, Self::#invalid(_))
            }
        }

        #(#embedded_doc)*
        #[derive(Clone, Debug, Default, PartialEq)]
        #[non_exhaustive]
        pub struct EmbeddedObjects {
            #(#embedded_fields)*
            /// The objects above that were present but did not fit their model, each with its
            /// JSON as received and the error (whose path starts at the envelope:
            /// `data.user.email_addresses[0]...`). Empty when every one decoded.
            pub invalid: ::std::vec::Vec<::clerk_models::InvalidData>,
        }

        #(#carriers)*

        impl EmbeddedObjects {
            /// Decodes the objects the event's type carries in its `data`. Never fails: an
            /// object that does not fit is left `None` and kept in
            /// [`invalid`](Self::invalid).
            #[inline]
            #[must_use]
            pub fn decode(event_type: &EventType, data: &::clerk_models::RawJson) -> Self {
                let mut out = Self::default();
                #(#embedded_decoders)*
                out
            }
        }

        #frame
    })
}

/// `EventFrame`: the least a body must have to be an event, the envelope's `type` and `data`
/// ([`config::WEBHOOK_EVENT_TYPE_PROPERTY`], [`config::WEBHOOK_DATA_PROPERTY`]), read when the
/// whole envelope does not decode, so that an authentic event is kept whatever the rest of its
/// envelope holds. Every other key of the envelope is optional (the import makes it so).
fn event_frame(model: &Model) -> Result<TokenStream> {
    let envelope = naming::rust_name(config::WEBHOOK_ENVELOPE);
    let Some(model) = model.structs.iter().find(|s| s.name == envelope) else {
        return Err(Error(format!("no struct `{envelope}` for the event frame")));
    };
    let field = |key: &str| {
        model
            .props
            .iter()
            .find(|p| p.name == key)
            .map(|p| Ident::new(&naming::field_ident(&p.name), Span::call_site()))
            .ok_or_else(|| Error(format!("`{envelope}` has no `{key}` for the event frame")))
    };
    let type_field = field(config::WEBHOOK_EVENT_TYPE_PROPERTY)?;
    let data_field = field(config::WEBHOOK_DATA_PROPERTY)?;
    let type_key = config::WEBHOOK_EVENT_TYPE_PROPERTY;
    let data_key = config::WEBHOOK_DATA_PROPERTY;
    let envelope = Ident::new(&envelope, Span::call_site());
    let event_type = Ident::new(event_type_name()?, Span::call_site());
    Ok(quote! {
        /// The least a body must have to be a webhook event: its `type` and its `data`, in a
        /// JSON object. Read only when the whole envelope does not decode. Not public API.
        pub(crate) struct EventFrame(EventFrameFields);

        #[derive(::serde::Deserialize)]
        struct EventFrameFields {
            #[serde(rename = #type_key)]
            #type_field: #event_type,
            #[serde(rename = #data_key)]
            #data_field: ::clerk_models::RawJson,
        }

        impl ::clerk_models::__private::JsonObject for EventFrame {
            const EXPECTING: &'static str = "a webhook event object";
            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(map: A) -> ::core::result::Result<Self, A::Error> {
                <EventFrameFields as ::serde::Deserialize>::deserialize(
                    ::serde::de::value::MapAccessDeserializer::new(map),
                )
                .map(Self)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for EventFrame {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                ::clerk_models::__private::deserialize_object(deserializer)
            }
        }

        impl EventFrame {
            /// The envelope with the frame's two keys and none of the others.
            pub(crate) fn into_envelope(self) -> #envelope {
                #envelope::builder()
                    .#type_field(self.0.#type_field)
                    .#data_field(self.0.#data_field)
                    .build()
            }
        }
    })
}

/// `__for_each_model!(callback)`: calls `callback!` with every generated model struct and
/// union of `clerk-models` (`structs`, `unions`), so the crate's tests (the storage matrix)
/// cover a new model without a list to keep.
pub(crate) fn model_list(structs: &[&str], unions: &[&str]) -> TokenStream {
    let structs = structs.iter().map(|s| Ident::new(s, Span::call_site()));
    let unions = unions.iter().map(|u| Ident::new(u, Span::call_site()));
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
