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
