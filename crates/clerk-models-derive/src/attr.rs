//! The `#[clerk(...)]` attributes, parsed with `parse_nested_meta`.

use proc_macro2::Span;
use syn::{Attribute, LitStr};

use crate::ctxt::Ctxt;

/// `#[clerk(...)]` on a field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    /// `timestamp`: the field is a Unix-millisecond timestamp.
    pub(crate) timestamp: Option<Span>,
}

/// `#[clerk(...)]` on an enum variant.
#[derive(Default)]
pub(crate) struct VariantAttrs {
    /// `rename = "..."`: the variant's text (default: the variant name in `snake_case`).
    pub(crate) rename: Option<LitStr>,
    /// `other`: the catch-all variant that keeps unknown text.
    pub(crate) other: Option<Span>,
    /// `group = "..."`, repeatable: `is_<group>()` is true for this variant.
    pub(crate) groups: Vec<LitStr>,
}

fn clerk_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("clerk"))
}

/// `#[clerk]` has no meaning on the type itself.
pub(crate) fn container(cx: &mut Ctxt, attrs: &[Attribute], derive: &str) {
    for attr in clerk_attrs(attrs) {
        cx.error_spanned_by(
            attr,
            format!(
                "`#[clerk(...)]` is not used on the type by `#[derive({derive})]`; put it on \
                 the {} it describes",
                if derive == "Timestamps" {
                    "field"
                } else {
                    "variant"
                }
            ),
        );
    }
}

pub(crate) fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in clerk_attrs(attrs) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("timestamp") {
                if out.timestamp.is_some() {
                    return Err(meta.error("duplicate `timestamp`; remove this one"));
                }
                out.timestamp = Some(
                    meta.path
                        .get_ident()
                        .map_or_else(Span::call_site, syn::Ident::span),
                );
                Ok(())
            } else {
                Err(meta.error(format!(
                    "unknown `clerk` field attribute `{}`; a field takes `#[clerk(timestamp)]`",
                    path_text(&meta.path)
                )))
            }
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}

pub(crate) fn variant(cx: &mut Ctxt, attrs: &[Attribute]) -> VariantAttrs {
    let mut out = VariantAttrs::default();
    for attr in clerk_attrs(attrs) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: LitStr = meta.value()?.parse()?;
                if out.rename.is_some() {
                    return Err(syn::Error::new_spanned(
                        &meta.path,
                        "duplicate `rename`; a variant has one text",
                    ));
                }
                out.rename = Some(value);
                Ok(())
            } else if meta.path.is_ident("other") {
                if out.other.is_some() {
                    return Err(meta.error("duplicate `other`; remove this one"));
                }
                out.other = Some(
                    meta.path
                        .get_ident()
                        .map_or_else(Span::call_site, syn::Ident::span),
                );
                Ok(())
            } else if meta.path.is_ident("group") {
                let value: LitStr = meta.value()?.parse()?;
                if out.groups.iter().any(|g| g.value() == value.value()) {
                    return Err(syn::Error::new_spanned(
                        &value,
                        format!("duplicate group `{}`; remove this one", value.value()),
                    ));
                }
                out.groups.push(value);
                Ok(())
            } else {
                Err(meta.error(format!(
                    "unknown `clerk` variant attribute `{}`; a variant takes `rename = \"...\"`, \
                     `group = \"...\"` or `other`",
                    path_text(&meta.path)
                )))
            }
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}

fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
