//! Why a token was refused.

use core::fmt;

use super::ALGORITHM;
use crate::ValidityError;
use crate::generated::token_classes::CATEGORY_NAMES;

/// Why a token was refused. The token itself never appears in a message; header values
/// and `kid`s are quoted up to 64 characters.
#[derive(Debug)]
#[non_exhaustive]
pub enum JwtError {
    /// Not a JWT: not three parts, or a part is not base64url, or the header is not JSON.
    Malformed(&'static str),
    /// The header names an algorithm other than RS256 (such as `none` or `HS256`), quoted
    /// up to 64 characters.
    Algorithm(String),
    /// The header's `typ` is not one this verifier accepts: `at+jwt` (an OAuth access token)
    /// at a session verifier, say. `None` when the class requires a `typ` and the header has
    /// none.
    HeaderType(Option<String>),
    /// The header's `cat` names another class of token (such as Clerk's M2M category), or one
    /// this version does not know, quoted up to 64 characters.
    Category(String),
    /// The token's `sub` names a machine (`mch_…`): an M2M token, which a session or OAuth
    /// verifier refuses.
    MachineSubject,
    /// The token's `sub` does not name a machine, so it is not an M2M token.
    NotMachineSubject,
    /// No key of the verifier matches the header's `kid` (quoted up to 64 characters).
    UnknownKey(Option<String>),
    /// The signature does not verify with the key.
    Signature,
    /// The signature verifies, but the claims do not decode (with the path of the failure).
    Claims(crate::Error),
    /// The claims decode, but the token is not valid at `now`.
    Invalid(ValidityError),
    /// `azp` is missing or not one of the authorized parties.
    UnauthorizedParty,
    /// A key given to the verifier is unusable.
    Key(String),
}

impl JwtError {
    /// A short, stable code for this refusal, one per variant (and, for [`Invalid`], one per
    /// [`ValidityError`]): what an HTTP answer may name, since it quotes nothing of the token.
    ///
    /// Codes are `snake_case`; a new variant gets a new code.
    ///
    /// [`Invalid`]: Self::Invalid
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed",
            Self::Algorithm(_) => "algorithm",
            Self::HeaderType(_) => "header_type",
            Self::Category(_) => "category",
            Self::MachineSubject => "machine_subject",
            Self::NotMachineSubject => "not_machine_subject",
            Self::UnknownKey(_) => "unknown_key",
            Self::Signature => "signature",
            Self::Claims(_) => "claims",
            Self::Invalid(e) => e.code(),
            Self::UnauthorizedParty => "unauthorized_party",
            Self::Key(_) => "key",
        }
    }
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(why) => write!(f, "malformed token: {why}"),
            Self::Algorithm(alg) => {
                write!(f, "token signed with {alg:?}; only {ALGORITHM} is accepted")
            }
            Self::HeaderType(Some(typ)) => {
                write!(f, "a token of another class: header typ {typ:?}")
            }
            Self::HeaderType(None) => f.write_str("the token's header has no typ"),
            Self::Category(cat) => match category_name(cat) {
                Some(name) => write!(f, "a token of another class: header cat {cat:?} ({name})"),
                None => write!(f, "a token of an unknown class: header cat {cat:?}"),
            },
            Self::MachineSubject => {
                f.write_str("a token of another class: its sub names a machine (an M2M token)")
            }
            Self::NotMachineSubject => {
                f.write_str("not an M2M token: its sub does not name a machine")
            }
            Self::UnknownKey(Some(kid)) => write!(f, "no key with kid {kid:?}"),
            Self::UnknownKey(None) => f.write_str("the token names no kid, and no key fits"),
            Self::Signature => f.write_str("the token's signature does not verify"),
            Self::Claims(e) => write!(f, "token claims: {e}"),
            Self::Invalid(e) => write!(f, "token refused: {e}"),
            Self::UnauthorizedParty => {
                f.write_str("the token's azp is missing or not an authorized party")
            }
            Self::Key(why) => write!(f, "unusable key: {why}"),
        }
    }
}

impl std::error::Error for JwtError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Claims(e) => Some(e),
            Self::Invalid(e) => Some(e),
            _ => None,
        }
    }
}

/// The class a header `cat` names, if Clerk documents it.
fn category_name(cat: &str) -> Option<&'static str> {
    CATEGORY_NAMES
        .iter()
        .find(|(known, _)| *known == cat)
        .map(|(_, name)| *name)
}
