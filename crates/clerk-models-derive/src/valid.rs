//! Checks that need the whole input, producing what expansion needs.

use proc_macro2::Span;
use syn::{Fields, GenericArgument, Ident, PathArguments, Type, Visibility};

use crate::ast::{EnumVariant, StringEnum, TimestampStruct};
use crate::attr::Unit;
use crate::ctxt::Ctxt;

/// A timestamp field that passed the checks.
pub(crate) struct CheckedTimestamp<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) vis: &'a Visibility,
    /// Span of the `timestamp` key, for the accessors' names.
    pub(crate) span: Span,
    /// The field's unit.
    pub(crate) unit: Unit,
}

pub(crate) fn timestamps<'a>(
    cx: &mut Ctxt,
    input: &TimestampStruct<'a>,
) -> Vec<CheckedTimestamp<'a>> {
    let mut checked = Vec::new();
    for field in &input.fields {
        let Some((span, unit)) = field.attrs.timestamp else {
            continue;
        };
        if !is_i64(&field.original.ty)
            && option_inner(&field.original.ty).is_none_or(|t| !is_i64(t))
        {
            cx.error_spanned_by(
                &field.original.ty,
                format!(
                    "`#[clerk(timestamp)]` marks a Unix-{} timestamp, which must be \
                     `i64` or `Option<i64>`; change the type of `{}` or remove the attribute",
                    unit.words(),
                    field.ident
                ),
            );
            continue;
        }
        checked.push(CheckedTimestamp {
            ident: field.ident,
            vis: &field.original.vis,
            span,
            unit,
        });
    }
    let any_marked = input.fields.iter().any(|f| f.attrs.timestamp.is_some());
    let any_malformed = input.fields.iter().any(|f| f.attrs.malformed);
    if !any_marked && !any_malformed {
        cx.error_spanned_by(
            &input.original.ident,
            "`#[derive(Timestamps)]` found no field marked `#[clerk(timestamp)]`; mark the \
             Unix-timestamp fields or remove the derive",
        );
    }
    checked
}

fn is_i64(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => p.qself.is_none() && p.path.is_ident("i64"),
        Type::Group(g) => is_i64(&g.elem),
        Type::Paren(p) => is_i64(&p.elem),
        _ => false,
    }
}

/// `T` of `Option<T>`, `core::option::Option<T>` or `::std::option::Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let segments: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let known = matches!(
        segments
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice(),
        ["Option"] | ["std" | "core", "option", "Option"]
    );
    if !known {
        return None;
    }
    let last = p.path.segments.last()?;
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}

/// A known value of a string enum.
pub(crate) struct Known<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) text: String,
    /// Other spellings that decode as this variant.
    pub(crate) aliases: Vec<String>,
    pub(crate) groups: Vec<String>,
}

/// A string enum that passed the checks.
pub(crate) struct CheckedEnum<'a> {
    pub(crate) known: Vec<Known<'a>>,
    /// The catch-all variant and the type it holds.
    pub(crate) other: Option<(&'a Ident, &'a Type)>,
    /// Group names in first-seen order, each with the span of its first mention.
    pub(crate) groups: Vec<(String, Span)>,
}

pub(crate) fn string_enum<'a>(cx: &mut Ctxt, input: &StringEnum<'a>) -> CheckedEnum<'a> {
    let mut out = CheckedEnum {
        known: Vec::new(),
        other: None,
        groups: Vec::new(),
    };
    if !input.original.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.original.generics,
            "`#[derive(StringEnum)]` does not support generic enums; string values have no \
             type parameters",
        );
    }
    for variant in &input.variants {
        let original = variant.original;
        let ident = &original.ident;
        if let Some(other_span) = variant.attrs.other {
            check_catch_all(cx, variant, other_span, &mut out);
            continue;
        }
        if !matches!(original.fields, Fields::Unit) {
            cx.error_spanned_by(
                &original.fields,
                format!(
                    "variant `{ident}` carries data, but a string value cannot; make it a unit \
                     variant, or mark it `#[clerk(other)]` to make it the catch-all for unknown text"
                ),
            );
            continue;
        }
        let text = variant
            .attrs
            .rename
            .as_ref()
            .map_or_else(|| snake_case(&ident.to_string()), syn::LitStr::value);
        // An empty text is a value like any other: Clerk's spec has `""` ("set to an empty
        // string to clear the override").
        if let Some(previous) = out
            .known
            .iter()
            .find(|k| k.text == text || k.aliases.contains(&text))
        {
            let message = format!(
                "`{ident}` has the text {text:?}, which `{}` already has; give it another \
                 `#[clerk(rename = \"...\")]`",
                previous.ident
            );
            match &variant.attrs.rename {
                Some(rename) => cx.error_spanned_by(rename, message),
                None => cx.error_spanned_by(ident, message),
            }
            continue;
        }
        let aliases = checked_aliases(cx, &variant.attrs.aliases, &text, &out.known);
        let mut groups = Vec::new();
        for group in &variant.attrs.groups {
            let name = group.value();
            if !is_snake_ident(&name) {
                cx.error_spanned_by(
                    group,
                    format!(
                        "group {name:?} must be a snake_case name, as it becomes `is_<group>()`"
                    ),
                );
                continue;
            }
            if !out.groups.iter().any(|(g, _)| g == &name) {
                out.groups.push((name.clone(), group.span()));
            }
            groups.push(name);
        }
        out.known.push(Known {
            ident,
            text,
            aliases,
            groups,
        });
    }
    if out.known.is_empty() && input.variants.iter().all(|v| v.attrs.other.is_none()) {
        cx.error_spanned_by(
            &input.original.ident,
            "`#[derive(StringEnum)]` needs at least one unit variant",
        );
    }
    check_method_names(cx, &out);
    out
}

/// The `#[clerk(other)]` variant: one of a kind, no text or group, holding one value.
fn check_catch_all<'a>(
    cx: &mut Ctxt,
    variant: &EnumVariant<'a>,
    other_span: Span,
    out: &mut CheckedEnum<'a>,
) {
    let original = variant.original;
    let ident = &original.ident;
    if let Some((first, _)) = out.other {
        cx.syn_error(syn::Error::new(
            other_span,
            format!(
                "a second `#[clerk(other)]`; `{first}` is already the catch-all, and an enum \
                 has one"
            ),
        ));
        return;
    }
    if let Some(rename) = &variant.attrs.rename {
        cx.error_spanned_by(
            rename,
            "the `#[clerk(other)]` catch-all has no text of its own; remove `rename`",
        );
    }
    if let Some(alias) = variant.attrs.aliases.first() {
        cx.error_spanned_by(
            alias,
            "the `#[clerk(other)]` catch-all has no text of its own; remove `alias`",
        );
    }
    if let Some(group) = variant.attrs.groups.first() {
        cx.error_spanned_by(
            group,
            "the `#[clerk(other)]` catch-all belongs to no group, because its value is \
             unknown; remove `group`",
        );
    }
    match &original.fields {
        Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
            if let Some(field) = fields.unnamed.first() {
                out.other = Some((ident, &field.ty));
            }
        }
        _ => cx.error_spanned_by(
            original,
            format!(
                "the `#[clerk(other)]` catch-all keeps the unknown text; write it as \
                 `{ident}(clerk_models::UnknownValue)`"
            ),
        ),
    }
}

/// `is_<variant>()`, `is_<group>()` and `is_known()` must not collide.
fn check_method_names(cx: &mut Ctxt, checked: &CheckedEnum<'_>) {
    let mut taken: Vec<(String, String)> =
        vec![("is_known".into(), "the generated `is_known()`".into())];
    for known in &checked.known {
        let method = format!("is_{}", snake_case(&known.ident.to_string()));
        if let Some((_, owner)) = taken.iter().find(|(m, _)| *m == method) {
            cx.error_spanned_by(
                known.ident,
                format!("variant `{}` would get `{method}()`, which is already {owner}; rename the variant", known.ident),
            );
        } else {
            taken.push((
                method,
                format!("the predicate of variant `{}`", known.ident),
            ));
        }
    }
    for (group, span) in &checked.groups {
        let method = format!("is_{group}");
        if let Some((_, owner)) = taken.iter().find(|(m, _)| *m == method) {
            cx.syn_error(syn::Error::new(
                *span,
                format!("group `{group}` would get `{method}()`, which is already {owner}; choose another group name"),
            ));
        }
    }
}

fn is_snake_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `ChooseOrganization` → `choose_organization`, `HTTPError` → `http_error`.
pub(crate) fn snake_case(ident: &str) -> String {
    let ident = ident.strip_prefix("r#").unwrap_or(ident);
    let chars: Vec<char> = ident.chars().collect();
    let mut out = String::with_capacity(ident.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).and_then(|p| chars.get(p));
            let next = chars.get(i + 1);
            let boundary = prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(|p| p.is_uppercase())
                    && next.is_some_and(|n| n.is_lowercase()));
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A variant's aliases that are unique: neither its own text, nor another variant's text or
/// alias, nor repeated. Each one that is not is reported at its span.
fn checked_aliases(
    cx: &mut Ctxt,
    aliases: &[syn::LitStr],
    text: &str,
    known: &[Known<'_>],
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for alias in aliases {
        let spelling = alias.value();
        let taken = spelling == text
            || out.contains(&spelling)
            || known
                .iter()
                .any(|k| k.text == spelling || k.aliases.contains(&spelling));
        if spelling.is_empty() {
            cx.error_spanned_by(alias, "a string value cannot be empty");
        } else if taken {
            cx.error_spanned_by(
                alias,
                format!("the text {spelling:?} is already taken; an alias must be unique"),
            );
        } else {
            out.push(spelling);
        }
    }
    out
}
