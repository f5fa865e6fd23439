//! Emits each model's `proptest::arbitrary::Arbitrary` and `arbitrary::Arbitrary` impls.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::Type;

use super::{Field, Role, fields, inner_of, is_list, is_string, type_name};
use crate::error::Result;
use crate::model::{Model, StructModel};

/// `proptest::arbitrary::Arbitrary` and `arbitrary::Arbitrary` for a model (feature
/// `proptest` / `arbitrary`): each field from the crate's generators, so values are what
/// the schema allows, with unknown enum values, `None`s and edge timestamps.
pub(crate) fn strategies(
    item: &syn::ItemStruct,
    info: &StructModel,
    model: &Model,
) -> Result<TokenStream> {
    let fields = fields(item, info, model)?;
    let name = Ident::new(&info.name, Span::call_site());
    let ty_args = info
        .other_claims
        .is_some()
        .then(|| quote!(<::clerk_models::OtherClaims>));
    // proptest: tuples of at most 8 strategies, nested.
    let strategy_of = |f: &Field| -> TokenStream {
        let g = quote!(::clerk_models::__private::strategies);
        match &f.role {
            Role::Discriminator { variant } => quote!(::proptest::strategy::Just(#variant)),
            Role::Other => quote!(#g::other_claims()),
            Role::Optional { inner } => {
                let inner_strategy = value_strategy(f, inner);
                quote!(::proptest::option::of(#inner_strategy))
            }
            Role::Required => value_strategy(f, &f.ty),
        }
    };
    let chunks: Vec<&[Field]> = fields.chunks(8).collect();
    let chunk_strategies = chunks.iter().map(|chunk| {
        let s = chunk.iter().map(strategy_of);
        quote!((#(#s,)*))
    });
    let chunk_patterns = chunks.iter().map(|chunk| {
        let idents = chunk.iter().map(|f| &f.ident);
        quote!((#(#idents,)*))
    });
    let all_idents = fields.iter().map(|f| &f.ident);
    let arbitrary_fields = fields.iter().map(|f| {
        let ident = &f.ident;
        let g = quote!(::clerk_models::__private::fuzz);
        let value = match &f.role {
            Role::Discriminator { variant } => quote!(#variant),
            Role::Other => quote!(#g::other_claims(u)?),
            Role::Optional { inner } => {
                let v = fuzz_value(f, inner);
                quote!(if u.arbitrary::<bool>()? { ::core::option::Option::Some(#v) } else { ::core::option::Option::None })
            }
            Role::Required => fuzz_value(f, &f.ty),
        };
        quote!(#ident: #value)
    });
    Ok(quote! {
        #[cfg(feature = "proptest")]
        impl ::proptest::arbitrary::Arbitrary for #name #ty_args {
            type Parameters = ();
            type Strategy = ::proptest::strategy::BoxedStrategy<Self>;

            fn arbitrary_with((): ()) -> Self::Strategy {
                use ::proptest::strategy::Strategy as _;
                (#(#chunk_strategies,)*)
                    .prop_map(|(#(#chunk_patterns,)*)| #name { #(#all_idents,)* })
                    .boxed()
            }
        }

        #[cfg(feature = "arbitrary")]
        impl<'a> ::arbitrary::Arbitrary<'a> for #name #ty_args {
            fn arbitrary(u: &mut ::arbitrary::Unstructured<'a>) -> ::arbitrary::Result<Self> {
                ::core::result::Result::Ok(#name { #(#arbitrary_fields,)* })
            }
        }
    })
}

/// The proptest strategy of one (non-`Option`) value of a field.
fn value_strategy(field: &Field, ty: &Type) -> TokenStream {
    let g = quote!(::clerk_models::__private::strategies);
    let text = quote!(#ty).to_string();
    if field.is_timestamp() {
        quote!(#g::timestamp())
    } else if text.contains("serde_json") {
        quote!(#g::json_object())
    } else if text.contains("RawJson") {
        quote!(#g::raw_json())
    } else if type_name(ty).is_some_and(|n| n == "f64") {
        quote!(#g::number())
    } else if is_list(ty) {
        quote!(#g::claim_list())
    } else if is_string(ty) {
        quote!(#g::text())
    } else if let Some(inner) = inner_of(ty, "Vec") {
        quote!(::proptest::collection::vec(::proptest::arbitrary::any::<#inner>(), 0..3))
    } else {
        quote!(::proptest::arbitrary::any::<#ty>())
    }
}

/// The `arbitrary` expression of one (non-`Option`) value of a field, in a function with
/// `u: &mut Unstructured`.
fn fuzz_value(field: &Field, ty: &Type) -> TokenStream {
    let g = quote!(::clerk_models::__private::fuzz);
    let text = quote!(#ty).to_string();
    if field.is_timestamp() {
        quote!(#g::timestamp(u)?)
    } else if text.contains("serde_json") {
        quote!(#g::json_object(u)?)
    } else if text.contains("RawJson") {
        quote!(#g::raw_json(u)?)
    } else if type_name(ty).is_some_and(|n| n == "f64") {
        quote!(#g::number(u)?)
    } else if is_list(ty) {
        quote!(#g::claim_list(u)?)
    } else {
        quote!(u.arbitrary::<#ty>()?)
    }
}
