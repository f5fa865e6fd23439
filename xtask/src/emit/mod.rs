//! Stage 5: the emitters, one module per kind of output. Each reads the model (and typify's
//! final structs, for the Rust types it prints) and the helpers here; none imports another.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Fields, GenericArgument, PathArguments, Type};

use crate::error::{Error, Result};
use crate::model::{Kind, Model, PropModel, StructModel};
use crate::naming::variant_name;

pub(crate) mod binary;
pub(crate) mod builders;
pub(crate) mod enums;
pub(crate) mod events;
pub(crate) mod layout;
pub(crate) mod operation_tests;
pub(crate) mod operations;
pub(crate) mod shared;
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

/// One field of a model struct, as the emitters see it: its model, and its Rust type (to
/// print, never to read what the field is).
pub(crate) struct Field<'a> {
    pub(crate) ident: Ident,
    pub(crate) ty: Type,
    /// `None` for the other-claims field, which no property declares.
    pub(crate) prop: Option<&'a PropModel>,
    pub(crate) role: Role,
}

impl Field<'_> {
    /// The JSON key.
    pub(crate) fn key(&self) -> String {
        self.prop
            .map_or_else(|| self.ident.to_string(), |p| p.name.clone())
    }

    /// What the field holds; `None` for the other claims.
    pub(crate) fn kind(&self) -> Option<&Kind> {
        self.prop.map(|p| &p.kind)
    }

    /// Free-form JSON (raw JSON, `serde_json` values, unions, the other claims): carried as
    /// JSON text by binary formats, which cannot describe it themselves.
    pub(crate) fn is_free_form(&self) -> bool {
        self.kind().is_none_or(Kind::is_free_form)
    }
}

/// The fields of a model struct: typify's final fields, in the model's order, each with its
/// property and its role.
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
        let role = match prop {
            None => Role::Other,
            Some(p) if p.optional => Role::Optional {
                inner: inner_of(&ty, "Option").ok_or_else(|| {
                    Error(format!(
                        "`{}.{}` is optional but not an `Option`",
                        info.name, p.name
                    ))
                })?,
            },
            Some(p) => match &p.kind {
                Kind::Enum(name) => match model.enums.iter().find(|e| !e.open && e.name == *name) {
                    Some(closed) => {
                        let value = closed
                            .values
                            .first()
                            .ok_or_else(|| Error(format!("enum `{}` has no value", closed.name)))?;
                        let enum_ident = Ident::new(&closed.name, Span::call_site());
                        let variant = format_ident!("{}", variant_name(value));
                        Role::Discriminator {
                            variant: quote!(#enum_ident::#variant),
                        }
                    }
                    None => Role::Required,
                },
                _ => Role::Required,
            },
        };
        out.push(Field {
            ident,
            ty,
            prop,
            role,
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
