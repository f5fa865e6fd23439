//! What the xtask generates beside each model struct, from its final fields: the typestate
//! builder, the binary (non-human-readable) serde form, and the `proptest` / `arbitrary`
//! implementations.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Fields, GenericArgument, PathArguments, Type};

use crate::config;
use crate::schema::{self, Error, Model, PropModel, Result, StructModel};

/// What a field is to the builder.
enum Role {
    /// A single-value enum (`object: "session"`): the builder fills it in.
    Discriminator { variant: TokenStream },
    /// Not an `Option`: its setter must be called before `build()`.
    Required,
    /// An `Option`: `None` unless its setter is called.
    Optional { inner: Type },
    /// The other-claims field, typed by the struct's parameter.
    Other,
}

/// One field of a model struct, as the extras see it.
struct Field<'a> {
    ident: Ident,
    ty: Type,
    prop: Option<&'a PropModel>,
    role: Role,
    /// Holds a union (`schema::UnionModel`), which binary formats carry as JSON text too.
    union: bool,
}

impl Field<'_> {
    /// The JSON key.
    fn key(&self) -> String {
        self.prop
            .map_or_else(|| self.ident.to_string(), |p| p.name.clone())
    }

    /// Free-form JSON (`serde_json` values, raw JSON, the other claims): carried as JSON
    /// text by binary formats, which cannot describe it themselves.
    fn is_free_form(&self) -> bool {
        let ty = &self.ty;
        let text = quote!(#ty).to_string();
        matches!(self.role, Role::Other)
            || self.union
            || text.contains("serde_json")
            || text.contains("RawJson")
    }

    fn is_timestamp(&self) -> bool {
        self.prop.is_some_and(|p| p.timestamp.is_some())
    }
}

/// `T` of `Wrapper<T>` (`Option`, `Vec`), if `ty` is one.
fn inner_of(ty: &Type, wrapper: &str) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) => Some(inner.clone()),
        _ => None,
    }
}

/// The last path segment's name of a type (`SessionObject`, `String`, `Vec`).
fn type_name(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else { return None };
    path.path.segments.last().map(|s| s.ident.to_string())
}

fn fields<'a>(
    item: &syn::ItemStruct,
    info: &'a StructModel,
    model: &Model,
) -> Result<Vec<Field<'a>>> {
    let Fields::Named(named) = &item.fields else {
        return Err(Error(format!(
            "`{}` is not a struct with named fields",
            info.name
        )));
    };
    let mut out = Vec::new();
    for (i, field) in named.named.iter().enumerate() {
        let ident = field
            .ident
            .clone()
            .ok_or_else(|| Error(format!("`{}` has an unnamed field", info.name)))?;
        let prop = info.props.get(i);
        let ty = field.ty.clone();
        let role = if prop.is_none() {
            Role::Other
        } else if let Some(inner) = inner_of(&ty, "Option") {
            Role::Optional { inner }
        } else if let Some(closed) =
            type_name(&ty).and_then(|n| model.enums.iter().find(|e| !e.open && e.name == n))
        {
            let value = closed
                .values
                .first()
                .ok_or_else(|| Error(format!("enum `{}` has no value", closed.name)))?;
            let enum_ident = Ident::new(&closed.name, Span::call_site());
            let variant = format_ident!("{}", schema::pascal_case(value));
            Role::Discriminator {
                variant: quote!(#enum_ident::#variant),
            }
        } else {
            Role::Required
        };
        let base = inner_of(&ty, "Option").unwrap_or_else(|| ty.clone());
        let union = type_name(&base).is_some_and(|n| model.unions.iter().any(|u| u.name == n));
        out.push(Field {
            ident,
            ty,
            prop,
            role,
            union,
        });
    }
    Ok(out)
}

fn is_string(ty: &Type) -> bool {
    type_name(ty).is_some_and(|n| n == "String")
}

/// A comma-separated list property (`clerk_models::ClaimList`).
fn is_list(ty: &Type) -> bool {
    type_name(ty).is_some_and(|n| n == "ClaimList")
}

/// `SessionClaims` -> `session_claims`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

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

/// A setter's parameter type and the value it stores: strings from `impl Into<String>`,
/// lists from `impl Into<ClaimList>` (a `&str` or `String` too), anything else as it is.
fn setter_argument(ident: &Ident, ty: &Type) -> (TokenStream, TokenStream) {
    if is_string(ty) {
        (
            quote!(impl ::core::convert::Into<::std::string::String>),
            quote!(#ident.into()),
        )
    } else if is_list(ty) {
        (
            quote!(impl ::core::convert::Into<::clerk_models::ClaimList>),
            quote!(#ident.into()),
        )
    } else {
        (quote!(#ty), quote!(#ident))
    }
}

/// The builder of a model: `Session::builder()…build()`, every required field a type
/// parameter that is `clerk_models::builder::Missing` until its setter ran.
///
/// Returns the builder's items and the module of its field markers, which go together into
/// one `fields` module.
pub fn builder(
    item: &syn::ItemStruct,
    info: &StructModel,
    model: &Model,
) -> Result<(TokenStream, TokenStream)> {
    let fields = fields(item, info, model)?;
    let name = Ident::new(&info.name, Span::call_site());
    let builder = format_ident!("{}Builder", info.name);
    let marker_mod = Ident::new(&snake_case(&info.name), Span::call_site());
    let generic = info.other_claims.is_some();
    let c = Ident::new(super::codegen::OTHER_CLAIMS_PARAM, Span::call_site());
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
                schema::pascal_case(f.ident.to_string().trim_end_matches('_'))
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
                let (arg_ty, value) = setter_argument(ident, ty);
                // `id: id` would be a redundant field name.
                let init = if is_string(ty) || is_list(ty) {
                    quote!(#ident: #value)
                } else {
                    quote!(#ident)
                };
                let doc = format!(
                    " Sets `{key}` (required: `build()` is a compile error until this is called).{doc_line}"
                );
                setters.push(quote! {
                    #[doc = #doc]
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
                let (arg_ty, value) = setter_argument(ident, inner);
                let doc =
                    format!(" Sets `{key}` (optional: `None` unless this is called).{doc_line}");
                setters.push(quote! {
                    #[doc = #doc]
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
                let doc = " Sets the claims the schema does not list (by default an empty \
                           `OtherClaims`); may change their type to your own struct.";
                setters.push(quote! {
                    #[doc = #doc]
                    pub fn #ident<T>(self, #ident: T) -> #builder<T, #(#params,)*> {
                        #builder { #ident, #(#moved,)* }
                    }
                });
            }
        }
    }

    let marker_structs = required.iter().map(|f| {
        let ident = &f.ident;
        let doc = format!(
            " Names the required field `{}` of [`{}`](crate::{})'s builder in compile errors \
             (`$defs/{}` of `schemas/{}`).",
            f.key(),
            info.name,
            info.name,
            info.schema_name,
            info.file
        );
        quote! {
            #[doc = #doc]
            #[allow(non_camel_case_types)]
            #[derive(Clone, Copy, Debug)]
            pub enum #ident {}
        }
    });
    let struct_doc = format!(
        " Builds a [`{n}`] in code, such as in tests: from [`{n}::builder()`], call the setters \
         in any order, then `build()`.\n\n Every required field is a type parameter that stays \
         `Missing` until its setter is called, and `build()` compiles only when none is: \
         forgetting one is a compile error naming the field. Discriminators such as `object` \
         are filled in; optional fields are `None` unless set. The builder holds the values \
         themselves: `build()` moves them into the struct, at no cost over a struct literal.\n\n \
         Generated from `$defs/{s}` of `schemas/{f}`.",
        n = info.name,
        s = info.schema_name,
        f = info.file
    );
    let builder_fn_doc = format!(
        " A builder of a [`{n}`]: the way to make one in code, since the struct is \
         `#[non_exhaustive]`. See [`{b}`].",
        n = info.name,
        b = builder
    );
    let mod_doc = format!(
        " The required fields of [`{}`](crate::{})'s builder (`$defs/{}` of `schemas/{}`).",
        info.name, info.name, info.schema_name, info.file
    );
    let items = quote! {
        #[doc = #struct_doc]
        #[must_use = "a builder does nothing until `build()` is called"]
        #[derive(Clone, Debug)]
        pub struct #builder<#c_default #(#params = #markers,)*> {
            #(#storage,)*
        }

        impl #name {
            #[doc = #builder_fn_doc]
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
        #[doc = #mod_doc]
        pub mod #marker_mod {
            #(#marker_structs)*
        }
    };
    Ok((items, markers))
}

/// The binary form of a model: `Serialize` and `Deserialize` impls for formats that are not
/// human-readable (MessagePack, CBOR, bincode, postcard), where every field is written, in
/// order, and free-form JSON travels as JSON text. JSON keeps the object-only impls.
pub fn binary(item: &syn::ItemStruct, info: &StructModel, model: &Model) -> Result<TokenStream> {
    let fields = fields(item, info, model)?;
    let name = Ident::new(&info.name, Span::call_site());
    let mirror = format_ident!("{}Serde", info.name);
    let binary = format_ident!("{}Binary", info.name);
    let name_str = info.name.clone();
    let count = fields.len();
    let generic = info.other_claims.is_some();
    let c = Ident::new(super::codegen::OTHER_CLAIMS_PARAM, Span::call_site());
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

/// `proptest::arbitrary::Arbitrary` and `arbitrary::Arbitrary` for a model (feature
/// `proptest` / `arbitrary`): each field from the crate's generators, so values are what
/// the schema allows, with unknown enum values, `None`s and edge timestamps.
pub fn strategies(
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
