//! The `#[clerk(...)]` attributes, parsed with `parse_nested_meta`.

use proc_macro2::Span;
use syn::{Attribute, LitStr};

use crate::ctxt::Ctxt;

/// The unit of a timestamp field.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// `timestamp` or `timestamp = "unix-ms"`: Unix milliseconds.
    Millis,
    /// `timestamp = "unix-s"`: Unix seconds.
    Seconds,
}

impl Unit {
    /// The text of the attribute value.
    pub(crate) const fn text(self) -> &'static str {
        match self {
            Self::Millis => "unix-ms",
            Self::Seconds => "unix-s",
        }
    }

    /// The unit in words, for docs and messages.
    pub(crate) const fn words(self) -> &'static str {
        match self {
            Self::Millis => "millisecond",
            Self::Seconds => "second",
        }
    }
}

/// `#[clerk(...)]` on a field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    /// `timestamp` or `timestamp = "<unit>"`: the field is a Unix timestamp, with the span
    /// of the `timestamp` key.
    pub(crate) timestamp: Option<(Span, Unit)>,
    /// A `#[clerk(...)]` on the field could not be read (already reported).
    pub(crate) malformed: bool,
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
    /// `alias = "..."`, repeatable: another spelling that decodes as this variant (it is
    /// written as its `rename` text).
    pub(crate) aliases: Vec<LitStr>,
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
                let span = meta
                    .path
                    .get_ident()
                    .map_or_else(Span::call_site, syn::Ident::span);
                let unit = if meta.input.peek(syn::Token![=]) {
                    let value: LitStr = meta.value()?.parse()?;
                    [Unit::Millis, Unit::Seconds]
                        .into_iter()
                        .find(|u| value.value() == u.text())
                        .ok_or_else(|| {
                            syn::Error::new_spanned(
                                &value,
                                format!(
                                    "unknown timestamp unit {:?}; use \"unix-ms\" (milliseconds, \
                                     the default) or \"unix-s\" (seconds)",
                                    value.value()
                                ),
                            )
                        })?
                } else {
                    Unit::Millis
                };
                out.timestamp = Some((span, unit));
                Ok(())
            } else {
                let key = path_text(&meta.path);
                Err(meta.error(format!(
                    "unknown `clerk` field attribute `{key}`;{} a field takes `#[clerk(timestamp)]` or \
                     `#[clerk(timestamp = \"unix-s\")]`",
                    did_you_mean(&key, &["timestamp"])
                )))
            }
        });
        if let Err(e) = result {
            out.malformed = true;
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
            } else if meta.path.is_ident("alias") {
                out.aliases.push(meta.value()?.parse()?);
                Ok(())
            } else {
                let key = path_text(&meta.path);
                Err(meta.error(format!(
                    "unknown `clerk` variant attribute `{key}`;{} a variant takes \
                     `rename = \"...\"`, `alias = \"...\"`, `group = \"...\"` or `other`",
                    did_you_mean(&key, &["rename", "alias", "group", "other"])
                )))
            }
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}

/// ` did you mean `x`?` when `key` is a likely typo of one of `known`, else nothing.
fn did_you_mean(key: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|k| (edit_distance(key, k), k))
        .filter(|(d, k)| *d <= 2 && *d < k.len())
        .min()
        .map(|(_, k)| format!(" did you mean `{k}`?"))
        .unwrap_or_default()
}

/// Levenshtein distance, for the suggestions above.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let next = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(left)
            };
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = next;
            }
            left = next;
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
    }
    row.last().copied().unwrap_or(0)
}

fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
