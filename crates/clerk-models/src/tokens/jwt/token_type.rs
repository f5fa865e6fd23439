//! [`TokenType::of`]: which class a token claims to be, for routing it to its verifier.

use core::fmt;
use core::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;

use super::header::{decode_header, quote};
pub use crate::generated::token_classes::TokenType;

impl TokenType {
    /// The class `token` presents itself as, read the way Clerk's `@clerk/backend` does
    /// (`getMachineTokenType`, `isMachineJwt`): an opaque token by its prefix (`mt_`, `oat_`,
    /// `ak_`), a JWT by the rules its class's verifier applies (the header `typ` and `cat`,
    /// and whether `sub` names a machine). `None` for anything else: text that is neither, a
    /// JWT whose header or payload does not decode, or one no class accepts (a JWT-template
    /// token with its `cat`, say).
    ///
    /// **This is routing, never trust.** Nothing here checks a signature or a time: it tells
    /// which verifier to call. A JWT form goes to [`Verifier::verify`],
    /// [`Verifier::verify_m2m_token`] or [`Verifier::verify_oauth_access_token`], which refuse
    /// every other class; an opaque form only the Backend API can verify, at
    /// [`verify_endpoint`](Self::verify_endpoint): `POST /m2m_tokens/verify`,
    /// `POST /oauth_applications/access_tokens/verify` or `POST /api_keys/verify`.
    ///
    /// An opaque form is told apart without allocating; a JWT is decoded.
    ///
    /// [`Verifier::verify`]: super::Verifier::verify
    /// [`Verifier::verify_m2m_token`]: super::Verifier::verify_m2m_token
    /// [`Verifier::verify_oauth_access_token`]: super::Verifier::verify_oauth_access_token
    ///
    /// ```
    /// use clerk_models::jwt::TokenType;
    ///
    /// assert_eq!(TokenType::of("ak_LCWGdaM8mv8K4PC"), Some(TokenType::ApiKey));
    /// assert_eq!(TokenType::of("mt_8XOIucKvqHVr5tYP"), Some(TokenType::M2mToken));
    /// assert_eq!(TokenType::of("hello"), None);
    /// assert_eq!(TokenType::OAuthToken.as_str(), "oauth_token");
    /// ```
    #[must_use]
    pub fn of(token: &str) -> Option<Self> {
        if let Some(class) = Self::ALL.into_iter().find(|class| {
            class
                .opaque_prefix()
                .is_some_and(|prefix| token.starts_with(prefix))
        }) {
            return Some(class);
        }
        let (header, payload, _) = super::parts(token).ok()?;
        let header = decode_header(header).ok()?;
        let sub = subject(payload)?;
        Self::ALL.into_iter().find(|class| {
            class.jwt_rules().is_some_and(|rules| {
                rules.check_header(&header).is_ok() && rules.check_subject(&sub).is_ok()
            })
        })
    }
}

/// The string `sub` of an unverified payload, if it decodes to an object that has one.
fn subject(payload: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Payload {
        sub: String,
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    serde_json::from_slice::<Payload>(&bytes)
        .ok()
        .map(|p| p.sub)
}

impl fmt::Display for TokenType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Clerk's name of a class is not one of [`TokenType::ALL`]'s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseTokenTypeError(String);

impl fmt::Display for ParseTokenTypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a token type; expected one of ", self.0)?;
        for (i, class) in TokenType::ALL.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{}", class.as_str())?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseTokenTypeError {}

impl FromStr for TokenType {
    type Err = ParseTokenTypeError;

    /// Clerk's name of a class, such as `m2m_token` (see [`TokenType::as_str`]).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|class| class.as_str() == s)
            .ok_or_else(|| ParseTokenTypeError(quote(s)))
    }
}
