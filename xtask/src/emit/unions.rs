//! The unions of the schemas (`oneOf`s of objects, [`UnionModel`]): an open enum with a
//! variant per member and `Unknown(RawJson)`, its serde impls and its strategies.
//!
//! Decoding keeps the union's JSON as `clerk_models::RawJson` first, reads the values of
//! [`config::UNION_KEYS`] from it, and lets the first key the JSON has decide: the member
//! whose `enum` lists the value, or whose `pattern` starts with it. A value no member claims,
//! or JSON with none of the keys, decodes as `Unknown` with its JSON kept; a member that is
//! chosen but does not decode is an error naming the member.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::config;
use crate::error::{Error, Result};
use crate::model::{Model, UnionMember, UnionModel};
use crate::naming;
use crate::text::{capitalized, doc_attrs, with_article};

/// The enum, its docs and its serde impls; `origin` names its schema file for the docs.
pub fn union_tokens(union: &UnionModel, model: &Model, origin: &str) -> Result<TokenStream> {
    // Members are numbered in a `u8`; `u8::MAX` means no member.
    if union.members.len() >= usize::from(u8::MAX) {
        return Err(Error(format!(
            "union `{}` has too many members",
            union.name
        )));
    }
    let name = Ident::new(&union.name, Span::call_site());
    let summary = union
        .description
        .clone()
        .unwrap_or_else(|| match &union.owner {
            Some((owner, prop)) => {
                format!("The `{prop}` of {}.", with_article(&format!("[`{owner}`]")))
            }
            None => format!("One of {} kinds of object.", union.members.len()),
        });
    let keys = config::UNION_KEYS
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", then ");
    let catch_all = Ident::new(config::CATCH_ALL_VARIANT, Span::call_site());
    let doc = doc_attrs(&format!(
        "{summary}\n\nOne of the objects Clerk's spec lists (a `oneOf`), told apart by {keys}: \
         the first of them the JSON has decides, by the values each member's schema lists. \
         Clerk adds kinds over time, and its payloads often leave `object` out, so the union is \
         open: JSON that no member claims decodes as [`{n}::{c}`], kept exactly as received \
         and written back unchanged; match with a wildcard arm (the enum is \
         `#[non_exhaustive]`). A member that is chosen but does not decode is an error naming \
         it. Generated from {origin}.",
        n = union.name,
        c = config::CATCH_ALL_VARIANT
    ));
    let variants = union.members.iter().map(|m| {
        let variant = Ident::new(&m.variant, Span::call_site());
        let ty = Ident::new(&m.def, Span::call_site());
        let doc = doc_attrs(&format!(
            "{}: {}.",
            capitalized(&with_article(&format!("[`{}`]", m.def))),
            claims(m)
        ));
        quote! { #(#doc)* #variant(#ty), }
    });
    let catch_all_doc =
        doc_attrs("JSON no member claims (a kind this version does not know), kept as received.");
    let key_names = config::UNION_KEYS;
    let key_count = key_names.len();
    let key_vars: Vec<Ident> = (0..key_count)
        .map(|i| Ident::new(&format!("key{i}"), Span::call_site()))
        .collect();
    let mut choose = Vec::new();
    let mut key_patterns = Vec::new();
    for (i, var) in key_vars.iter().enumerate() {
        // Exact values first, then prefixes: `oauth_google` listed by one member wins over
        // another's `oauth_…`.
        let mut exact = Vec::new();
        let mut prefixed = Vec::new();
        for (index, m) in union.members.iter().enumerate() {
            let (Some(key), Ok(index)) = (m.keys.get(i), u8::try_from(index)) else {
                continue;
            };
            let values = &key.values;
            if !values.is_empty() {
                exact.push((quote!(#(#values)|*), index));
            }
            for p in &key.prefixes {
                prefixed.push(quote!(value if value.starts_with(#p) => #index,));
            }
        }
        if exact.is_empty() && prefixed.is_empty() {
            // No member names a value of this key: it is not read.
            key_patterns.push(quote!(_));
            continue;
        }
        key_patterns.push(quote!(#var));
        // One value of one member is a comparison; more, a match.
        let decide = match (exact.as_slice(), prefixed.is_empty()) {
            ([(value, index)], true) => quote!(if value == #value { #index } else { u8::MAX }),
            _ => {
                let exact = exact
                    .iter()
                    .map(|(values, index)| quote!(#values => #index,));
                quote! {
                    match value {
                        #(#exact)*
                        #(#prefixed)*
                        _ => u8::MAX,
                    }
                }
            }
        };
        choose.push(quote! {
            if let ::core::option::Option::Some(value) = #var.as_deref() {
                #decide
            } else
        });
    }
    // The members no key claims are tried in order, for JSON that no key chooses.
    let fallbacks: Vec<TokenStream> = union.members.iter().filter(|m| m.is_fallback()).map(|m| {
        let variant = Ident::new(&m.variant, Span::call_site());
        let ty = Ident::new(&m.def, Span::call_site());
        quote! {
            if let ::core::result::Result::Ok(value) = ::clerk_models::__private::serde_json::from_str::<#ty>(raw.get()) {
                return ::core::result::Result::Ok(Self::#variant(value));
            }
        }
    }).collect();
    let otherwise = if fallbacks.is_empty() {
        quote!(::core::result::Result::Ok(Self::#catch_all(raw)))
    } else {
        quote!({
            #(#fallbacks)*
            ::core::result::Result::Ok(Self::#catch_all(raw))
        })
    };
    let decode_arms = union.members.iter().enumerate().map(|(index, m)| {
        let index = u8::try_from(index).unwrap_or(u8::MAX);
        let variant = Ident::new(&m.variant, Span::call_site());
        let ty = &m.def;
        quote!(#index => ::clerk_models::__private::union_member(&raw, #ty).map(Self::#variant),)
    });
    let serialize_arms = union.members.iter().map(|m| {
        let variant = Ident::new(&m.variant, Span::call_site());
        quote!(Self::#variant(value) => value.serialize(serializer),)
    });
    // With no key to read, the members are tried in order.
    let decode_body = if choose.is_empty() {
        otherwise
    } else {
        quote! {
            let chosen = {
                let [#(#key_patterns),*] = ::clerk_models::__private::union_keys(&raw, [#(#key_names),*])
                    .map_err(<D::Error as ::serde::de::Error>::custom)?;
                #(#choose)* { u8::MAX }
            };
            match chosen {
                #(#decode_arms)*
                _ => #otherwise,
            }
        }
    };
    let accessors = shared_enum_accessors(union, model);
    let eq = (!model.without_eq().contains(&union.name)).then(|| quote!(Eq));
    Ok(quote! {
        #(#doc)*
        #[derive(Clone, Debug, PartialEq, #eq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #(#catch_all_doc)*
            #catch_all(::clerk_models::RawJson),
        }

        impl #name {
            #(#accessors)*
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                if !deserializer.is_human_readable() {
                    return ::clerk_models::__private::json_text(deserializer);
                }
                let raw = <::clerk_models::RawJson as ::serde::Deserialize>::deserialize(deserializer)?;
                #decode_body
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                if !serializer.is_human_readable() {
                    return ::clerk_models::__private::JsonText(self).serialize(serializer);
                }
                match self {
                    #(#serialize_arms)*
                    Self::#catch_all(raw) => raw.serialize(serializer),
                }
            }
        }
    })
}

/// What chooses a member, in words for its variant's docs.
fn claims(member: &UnionMember) -> String {
    let parts: Vec<String> = member
        .keys
        .iter()
        .filter(|k| !k.values.is_empty() || !k.prefixes.is_empty())
        .map(|k| {
            let mut values: Vec<String> = k.values.iter().map(|v| format!("`\"{v}\"`")).collect();
            values.extend(k.prefixes.iter().map(|p| format!("`\"{p}…\"`")));
            format!("`{}` {}", k.key, values.join(", "))
        })
        .collect();
    if parts.is_empty() {
        // A member no key names: the decoder tries it when no other member's key matches.
        return "tried when no other member's key matches".to_owned();
    }
    format!("chosen by {}", parts.join("; or "))
}

/// `proptest` and `arbitrary` impls: each member from its own strategy, with its
/// discriminator set, so that what is written decodes as the same member.
pub fn union_strategies(union: &UnionModel, model: &Model) -> Result<TokenStream> {
    let name = Ident::new(&union.name, Span::call_site());
    let mut proptest_arms = Vec::new();
    let mut fuzz_arms = Vec::new();
    for (index, member) in union.members.iter().enumerate() {
        let variant = Ident::new(&member.variant, Span::call_site());
        let ty = Ident::new(&member.def, Span::call_site());
        let set = discriminator(union, member, model)?;
        proptest_arms.push(quote! {
            ::proptest::arbitrary::any::<#ty>().prop_map(|mut value| { #set #name::#variant(value) })
        });
        let pattern = if index + 1 == union.members.len() {
            quote!(_)
        } else {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            quote!(#index)
        };
        fuzz_arms.push(quote! {
            #pattern => { let mut value = u.arbitrary::<#ty>()?; #set #name::#variant(value) }
        });
    }
    let last = u32::try_from(union.members.len().saturating_sub(1)).unwrap_or(0);
    Ok(quote! {
        #[cfg(feature = "proptest")]
        impl ::proptest::arbitrary::Arbitrary for #name {
            type Parameters = ();
            type Strategy = ::proptest::strategy::BoxedStrategy<Self>;

            fn arbitrary_with((): ()) -> Self::Strategy {
                use ::proptest::strategy::Strategy as _;
                ::proptest::prop_oneof![#(#proptest_arms),*].boxed()
            }
        }

        #[cfg(feature = "arbitrary")]
        impl<'a> ::arbitrary::Arbitrary<'a> for #name {
            fn arbitrary(u: &mut ::arbitrary::Unstructured<'a>) -> ::arbitrary::Result<Self> {
                ::core::result::Result::Ok(match u.int_in_range(0..=#last)? {
                    #(#fuzz_arms)*
                })
            }
        }
    })
}

/// The statement that sets a member's discriminator (the first union key it has as a
/// one-valued enum), or nothing when the field is required and so always holds it.
fn discriminator(union: &UnionModel, member: &UnionMember, model: &Model) -> Result<TokenStream> {
    // A member no key claims is what JSON no key chooses becomes: nothing to fix.
    if member.is_fallback() {
        return Ok(quote!());
    }
    let info = model
        .structs
        .iter()
        .find(|s| s.name == member.def)
        .ok_or_else(|| {
            Error(format!(
                "union `{}`: member `{}` is not a struct",
                union.name, member.def
            ))
        })?;
    for key in config::UNION_KEYS {
        let Some(closed) = model.enums.iter().find(|e| {
            !e.open
                && e.owner
                    .as_ref()
                    .is_some_and(|(d, p)| *d == member.def && p == key)
        }) else {
            continue;
        };
        let Some(prop) = info.props.iter().find(|p| p.name == *key) else {
            continue;
        };
        let field = Ident::new(&naming::field_ident(key), Span::call_site());
        let enum_ident = Ident::new(&closed.name, Span::call_site());
        let value = closed
            .values
            .first()
            .ok_or_else(|| Error(format!("enum `{}` has no value", closed.name)))?;
        let variant = Ident::new(&naming::variant_name(value), Span::call_site());
        return Ok(if prop.required && !prop.nullable {
            quote!()
        } else {
            quote!(value.#field = ::core::option::Option::Some(#enum_ident::#variant);)
        });
    }
    Err(Error(format!(
        "union `{}`: member `{}` has no one-valued enum among {:?}, so a generated value could \
         decode as another member",
        union.name,
        member.def,
        config::UNION_KEYS
    )))
}

/// `pub fn <property>(&self) -> Option<&str>` for every property that each member has as a
/// string enum or a string (a verification's `status` and `strategy`): its text, whichever member this
/// is; `None` for `Unknown`, or a member that left an optional one out.
fn shared_enum_accessors(union: &UnionModel, model: &Model) -> Vec<TokenStream> {
    let Some(first) = union.members.first() else {
        return Vec::new();
    };
    let Some(first_struct) = model.structs.iter().find(|s| s.name == first.def) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for prop in &first_struct.props {
        let mut arms = Vec::new();
        let mut optional = false;
        for member in &union.members {
            let has_enum = model.enums.iter().any(|e| {
                e.owner
                    .as_ref()
                    .is_some_and(|(d, p)| *d == member.def && *p == prop.name)
            });
            let member_prop = model
                .structs
                .iter()
                .find(|s| s.name == member.def)
                .and_then(|s| s.props.iter().find(|p| p.name == prop.name));
            let Some(member_prop) = member_prop.filter(|p| has_enum || p.string) else {
                arms.clear();
                break;
            };
            let variant = Ident::new(&member.variant, Span::call_site());
            let field = Ident::new(&naming::field_ident(&prop.name), Span::call_site());
            let always = member_prop.required && !member_prop.nullable;
            optional |= !always;
            arms.push(if always {
                quote!(Self::#variant(value) => ::core::option::Option::Some(value.#field.as_str()),)
            } else if has_enum {
                quote!(Self::#variant(value) => value.#field.as_ref().map(|v| v.as_str()),)
            } else {
                quote!(Self::#variant(value) => value.#field.as_deref(),)
            });
        }
        if arms.is_empty() {
            continue;
        }
        let method = Ident::new(&naming::field_ident(&prop.name), Span::call_site());
        let doc = doc_attrs(&format!(
            "The `{p}` of whichever member this is, as text (each member has its own `{p}`); \
             `None` for [`{n}::{c}`]{opt}.",
            p = prop.name,
            n = union.name,
            c = config::CATCH_ALL_VARIANT,
            opt = if optional {
                ", or when the member left it out"
            } else {
                ""
            }
        ));
        let catch_all = Ident::new(config::CATCH_ALL_VARIANT, Span::call_site());
        out.push(quote! {
            #(#doc)*
            #[must_use]
            pub fn #method(&self) -> ::core::option::Option<&str> {
                match self {
                    #(#arms)*
                    Self::#catch_all(_) => ::core::option::Option::None,
                }
            }
        });
    }
    out
}
