//! Stage 5: the emitters, one module per kind of output. Each reads the model (and typify's
//! final structs, for the Rust types it prints) and the helpers here; none imports another.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Fields, GenericArgument, PathArguments, Type};

use crate::error::{Error, Result};
use crate::model::{Model, PropModel, StructModel};
use crate::naming::pascal_case;

pub(crate) mod binary;
pub(crate) mod builders;
pub(crate) mod enums;
pub(crate) mod events;
pub(crate) mod layout;
pub(crate) mod strategies;
pub(crate) mod token_classes;
pub(crate) mod unions;

/// What a field is to the builder.
pub(crate) enum Role {
    /// A single-value enum (`object: "session"`): the builder fills it in.
    Discriminator {
        /// The enum's only variant.
        variant: TokenStream,
    },
    /// Not an `Option`: its setter must be called before `build()`.
    Required,
    /// An `Option`: `None` unless its setter is called.
    Optional { inner: Type },
    /// The other-claims field, typed by the struct's parameter.
    Other,
}

/// One field of a model struct, as the extras see it.
pub(crate) struct Field<'a> {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    pub(crate) prop: Option<&'a PropModel>,
    pub(crate) role: Role,
    /// Holds a union (`schema::UnionModel`), which binary formats carry as JSON text too.
    pub(crate) union: bool,
}

impl Field<'_> {
    /// The JSON key.
    pub(crate) fn key(&self) -> String {
        self.prop
            .map_or_else(|| self.ident.to_string(), |p| p.name.clone())
    }

    /// Free-form JSON (`serde_json` values, raw JSON, the other claims): carried as JSON
    /// text by binary formats, which cannot describe it themselves.
    pub(crate) fn is_free_form(&self) -> bool {
        let ty = &self.ty;
        let text = quote!(#ty).to_string();
        matches!(self.role, Role::Other)
            || self.union
            || text.contains("serde_json")
            || text.contains("RawJson")
    }

    pub(crate) fn is_timestamp(&self) -> bool {
        self.prop.is_some_and(|p| p.timestamp.is_some())
    }
}

pub(crate) fn fields<'a>(
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
            let variant = format_ident!("{}", pascal_case(value));
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

/// `T` of `Wrapper<T>` (`Option`, `Vec`), if `ty` is one.
pub(crate) fn inner_of(ty: &Type, wrapper: &str) -> Option<Type> {
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
pub(crate) fn type_name(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else { return None };
    path.path.segments.last().map(|s| s.ident.to_string())
}

pub(crate) fn is_string(ty: &Type) -> bool {
    type_name(ty).is_some_and(|n| n == "String")
}

/// A comma-separated list property (`clerk_models::ClaimList`).
pub(crate) fn is_list(ty: &Type) -> bool {
    type_name(ty).is_some_and(|n| n == "ClaimList")
}
