//! Borrowed views of the derive input that keep the original tokens for spans.

use syn::{Data, DeriveInput, Field, Fields, Ident, Variant};

use crate::attr::{self, FieldAttrs, VariantAttrs};
use crate::ctxt::Ctxt;

const TIMESTAMPS: &str = "`#[derive(Timestamps)]` works on structs with named fields";
const STRING_ENUM: &str = "`#[derive(StringEnum)]` works on enums whose variants are string values";

/// Reports a derive on the wrong kind of item, spanned on its `enum`/`struct`/`union` token.
fn wrong_shape<T>(
    cx: &mut Ctxt,
    keyword: impl quote::ToTokens,
    works_on: &str,
    not_on: &str,
) -> Option<T> {
    cx.error_spanned_by(keyword, format!("{works_on}, not on {not_on}"));
    None
}

/// A struct deriving `Timestamps`.
pub(crate) struct TimestampStruct<'a> {
    pub(crate) original: &'a DeriveInput,
    pub(crate) fields: Vec<TimestampField<'a>>,
}

pub(crate) struct TimestampField<'a> {
    pub(crate) original: &'a Field,
    pub(crate) ident: &'a Ident,
    pub(crate) attrs: FieldAttrs,
}

/// An enum deriving `StringEnum`.
pub(crate) struct StringEnum<'a> {
    pub(crate) original: &'a DeriveInput,
    pub(crate) variants: Vec<EnumVariant<'a>>,
}

pub(crate) struct EnumVariant<'a> {
    pub(crate) original: &'a Variant,
    pub(crate) attrs: VariantAttrs,
}

impl<'a> TimestampStruct<'a> {
    pub(crate) fn from_syn(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Self> {
        attr::container(cx, &input.attrs, "Timestamps");
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => &named.named,
                Fields::Unnamed(_) | Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        "`#[derive(Timestamps)]` needs named fields to name its accessors \
                         after; use `struct Name { field: i64 }`",
                    );
                    return None;
                }
            },
            Data::Enum(data) => return wrong_shape(cx, data.enum_token, TIMESTAMPS, "enums"),
            Data::Union(data) => return wrong_shape(cx, data.union_token, TIMESTAMPS, "unions"),
        };
        let fields = fields
            .iter()
            .filter_map(|field| {
                let attrs = attr::field(cx, &field.attrs);
                field.ident.as_ref().map(|ident| TimestampField {
                    original: field,
                    ident,
                    attrs,
                })
            })
            .collect();
        Some(Self {
            original: input,
            fields,
        })
    }
}

impl<'a> StringEnum<'a> {
    pub(crate) fn from_syn(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Self> {
        attr::container(cx, &input.attrs, "StringEnum");
        let variants = match &input.data {
            Data::Enum(data) => &data.variants,
            Data::Struct(data) => {
                return wrong_shape(cx, data.struct_token, STRING_ENUM, "structs");
            }
            Data::Union(data) => return wrong_shape(cx, data.union_token, STRING_ENUM, "unions"),
        };
        let variants = variants
            .iter()
            .map(|variant| EnumVariant {
                attrs: attr::variant(cx, &variant.attrs),
                original: variant,
            })
            .collect();
        Some(Self {
            original: input,
            variants,
        })
    }
}
