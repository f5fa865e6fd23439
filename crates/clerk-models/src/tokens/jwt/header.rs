//! The protected header of a JWT, and what tells one class of Clerk token from another: the
//! rules each verifier applies before it trusts a claim. The values come from the generated
//! `token_classes` (the xtask's `TOKEN_TYPES`); this file holds none of them.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::JwtError;
use crate::generated::token_classes::MACHINE_SUBJECT_PREFIX;

/// Longest header value or `kid` quoted back in an error, so that hostile headers cannot
/// inflate error messages.
const QUOTE_LIMIT: usize = 64;

/// `text`, cut to its first 64 characters.
pub(super) fn quote(text: &str) -> String {
    text.chars().take(QUOTE_LIMIT).collect()
}

/// What a verifier of one JWT class accepts (generated per class: `TokenType::jwt_rules`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct JwtRules {
    /// The accepted header `typ` values.
    pub(crate) header_types: &'static [&'static str],
    /// Whether a token without `typ` is refused.
    pub(crate) header_type_required: bool,
    /// The accepted header `cat` values; an absent `cat` is accepted too.
    pub(crate) categories: &'static [&'static str],
    /// What `sub` must be.
    pub(crate) subject: SubjectRule,
}

/// What a JWT class requires of `sub`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SubjectRule {
    /// `sub` names a machine (`mch_…`).
    Machine,
    /// `sub` does not name a machine.
    NotMachine,
    /// Either.
    Any,
}

/// The header fields a verifier reads. Every other member is ignored.
#[derive(Debug)]
pub(super) struct Header {
    pub(super) alg: String,
    pub(super) kid: Option<String>,
    pub(super) typ: Option<String>,
    pub(super) cat: Option<String>,
}

/// The protected header: a JSON object (never an array, which serde's derive would take)
/// with a string `alg`, if present a string `kid`, `typ` and `cat`, and no `crit`.
pub(super) fn decode_header(part: &str) -> Result<Header, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwtError::Malformed("the header is not base64url"))?;
    let malformed = || JwtError::Malformed("the header is not a JSON object with a string `alg`");
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&bytes).map_err(|_| malformed())?;
    let alg = map
        .get("alg")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(malformed)?;
    // RFC 7515 §4.1.11: a token that names critical extensions must be refused by a
    // verifier that does not understand them, and this one understands none.
    if map.contains_key("crit") {
        return Err(JwtError::Malformed(
            "the header names critical extensions (`crit`), which this verifier does not support",
        ));
    }
    let text = |name: &str, why: &'static str| match map.get(name) {
        None => Ok(None),
        Some(serde_json::Value::String(value)) => Ok(Some(value.clone())),
        Some(_) => Err(JwtError::Malformed(why)),
    };
    Ok(Header {
        alg: alg.to_owned(),
        kid: text("kid", "the header's `kid` is not a string")?,
        typ: text("typ", "the header's `typ` is not a string")?,
        cat: text("cat", "the header's `cat` is not a string")?,
    })
}

impl JwtRules {
    /// The header checks, run before the signature's: `typ`, then `cat`.
    pub(super) fn check_header(&self, header: &Header) -> Result<(), JwtError> {
        let typ_accepted = match header.typ.as_deref() {
            None => !self.header_type_required,
            Some(typ) => self.header_types.contains(&typ),
        };
        if !typ_accepted {
            return Err(JwtError::HeaderType(header.typ.as_deref().map(quote)));
        }
        match header.cat.as_deref() {
            Some(cat) if !self.categories.contains(&cat) => Err(JwtError::Category(quote(cat))),
            _ => Ok(()),
        }
    }

    /// The subject check, run on verified claims before any other claim is trusted.
    pub(super) fn check_subject(&self, sub: &str) -> Result<(), JwtError> {
        let machine = sub.starts_with(MACHINE_SUBJECT_PREFIX);
        match (self.subject, machine) {
            (SubjectRule::NotMachine, true) => Err(JwtError::MachineSubject),
            (SubjectRule::Machine, false) => Err(JwtError::NotMachineSubject),
            _ => Ok(()),
        }
    }
}
