//! The names the generator gives: a `$defs` entry's Rust type, a value's variant, a type's
//! module. One rule each, so that every stage names a thing the same way.

use crate::config;

/// The Rust name of a schema `$defs` entry.
///
/// A configured rename ([`config::RENAMES`]), then in `PascalCase` as typify writes it
/// (heck's): Clerk's specs name some components in `snake_case` (`verification_otp` becomes
/// `VerificationOtp`) or with acronyms (`SAMLAccount` becomes `SamlAccount`), and typify
/// would rename them anyway, out of the generator's sight.
#[must_use]
pub fn rust_name(schema_name: &str) -> String {
    let renamed = config::RENAMES
        .iter()
        .find(|(_, from, _)| *from == schema_name)
        .map_or(schema_name, |(_, _, to)| to);
    heck::ToPascalCase::to_pascal_case(renamed)
}

/// `choose-organization` → `ChooseOrganization`, `active` → `Active`, `2fa` → `V2fa`.
#[must_use]
pub fn pascal_case(s: &str) -> String {
    let mut out = String::new();
    for word in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// `SessionClaims` -> `session_claims`.
pub(crate) fn snake_case(name: &str) -> String {
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

/// The variant an enum value is named by: its words in `PascalCase` ([`pascal_case`]), or
/// for a value of symbols only, the name [`config::SYMBOL_VARIANTS`] gives it (`*` is
/// `Wildcard`); empty when it has none.
#[must_use]
pub fn variant_name(value: &str) -> String {
    let words = pascal_case(value);
    if !words.is_empty() {
        return words;
    }
    config::SYMBOL_VARIANTS
        .iter()
        .find(|(symbol, _)| *symbol == value)
        .map(|(_, name)| (*name).to_owned())
        .unwrap_or_default()
}

/// The Rust field of a JSON key: the key itself (Clerk's keys are snake_case), with each
/// symbol that cannot be in an identifier as `_` (a JWK's `x5t#S256` is `x5t_s256`), in
/// lower case.
#[must_use]
pub fn field_name(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// The Rust identifier of a JSON key's field: [`field_name`], with `_` after a Rust keyword
/// (`type` is `type_`, `use` is `use_`), as typify names it.
#[must_use]
pub fn field_ident(key: &str) -> String {
    let name = field_name(key);
    if syn::parse_str::<syn::Ident>(&name).is_ok() {
        name
    } else {
        format!("{name}_")
    }
}
