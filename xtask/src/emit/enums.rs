//! Emits the string enums: open ones with a catch-all that keeps the text, closed ones as
//! discriminators, each with its `proptest` and `arbitrary` impls.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::config;
use crate::model::EnumModel;
use crate::naming::variant_name;
use crate::text::{doc_attrs, with_article};

/// A string enum; `origin` names its schema file and `$defs` entry for its docs.
pub(crate) fn enum_tokens(model_enum: &EnumModel, origin: &str) -> TokenStream {
    let name = Ident::new(&model_enum.name, Span::call_site());
    let summary = model_enum
        .description
        .clone()
        .unwrap_or_else(|| match &model_enum.owner {
            // An owner is always a generated struct: enums are hoisted from its properties.
            Some((owner, prop)) => {
                format!("The `{prop}` of {}.", with_article(&format!("[`{owner}`]")))
            }
            None => format!("The `{}` values of Clerk's Backend API.", model_enum.name),
        });
    let variants = model_enum.values.iter().enumerate().map(|(i, value)| {
        let ident = format_ident!("{}", variant_name(value));
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
    let catch_all_doc = doc_attrs(
        "A value this version of `clerk-models` does not know, kept as received. See \
         [`UnknownValue`](clerk_models::UnknownValue).",
    );
    quote! {
        #(#doc)*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, ::clerk_models::StringEnum)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #(#catch_all_doc)*
            #[clerk(other)]
            #catch_all(::clerk_models::UnknownValue),
        }
    }
}

/// `proptest` and `arbitrary` impls of a string enum: each known value, and for an open
/// enum any other text as well (which may spell a known value: it decodes as that one).
pub(crate) fn enum_strategies(model_enum: &EnumModel) -> TokenStream {
    let name = Ident::new(&model_enum.name, Span::call_site());
    let known: Vec<TokenStream> = model_enum
        .values
        .iter()
        .map(|value| {
            let ident = format_ident!("{}", variant_name(value));
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
