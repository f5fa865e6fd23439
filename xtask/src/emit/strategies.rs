//! Emits each model's `proptest::arbitrary::Arbitrary` and `arbitrary::Arbitrary` impls.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::Type;

use super::{Field, Role, fields, inner_of};
use crate::error::Result;
use crate::model::{Kind, Model, StructModel};

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

/// The proptest strategy of one (non-`Option`) value of a field, of Rust type `ty`.
fn value_strategy(field: &Field, ty: &Type) -> TokenStream {
    let g = quote!(::clerk_models::__private::strategies);
    match field.kind() {
        Some(Kind::Timestamp(_)) => quote!(#g::timestamp()),
        Some(Kind::Json) => quote!(#g::json_object()),
        Some(Kind::Raw) => quote!(#g::raw_json()),
        Some(Kind::Number) => quote!(#g::number()),
        Some(Kind::List) => quote!(#g::claim_list()),
        Some(Kind::String) => quote!(#g::text()),
        Some(Kind::Array(_)) => match inner_of(ty, "Vec") {
            Some(inner) => {
                quote!(::proptest::collection::vec(::proptest::arbitrary::any::<#inner>(), 0..3))
            }
            None => quote!(::proptest::arbitrary::any::<#ty>()),
        },
        _ => quote!(::proptest::arbitrary::any::<#ty>()),
    }
}

/// The `arbitrary` expression of one (non-`Option`) value of a field, of Rust type `ty`, in a
/// function with `u: &mut Unstructured`.
fn fuzz_value(field: &Field, ty: &Type) -> TokenStream {
    let g = quote!(::clerk_models::__private::fuzz);
    match field.kind() {
        Some(Kind::Timestamp(_)) => quote!(#g::timestamp(u)?),
        Some(Kind::Json) => quote!(#g::json_object(u)?),
        Some(Kind::Raw) => quote!(#g::raw_json(u)?),
        Some(Kind::Number) => quote!(#g::number(u)?),
        Some(Kind::List) => quote!(#g::claim_list(u)?),
        _ => quote!(u.arbitrary::<#ty>()?),
    }
}
