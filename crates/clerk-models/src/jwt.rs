//! Networkless verification of Clerk session tokens (feature `jwt`).
//!
//! A [`Verifier`] holds the instance's public keys: the PEM public key the dashboard shows
//! (what Clerk calls the JWT public key, also the `CLERK_JWT_KEY` environment variable), or
//! a JWKS document the caller fetched once and keeps (`https://<frontend-api>/.well-known/jwks.json`,
//! or the Backend API's `/jwks`). [`Verifier::verify`] checks a token's RS256 signature,
//! decodes its claims with path errors, and applies the fail-closed checks of
//! [`SessionClaims::validate_at`] at the `now` the caller passes: nothing here reads the
//! clock or touches the network.
//!
//! The signature check is jsonwebtoken's (`crypto::verify`, on ring). Only RS256 is
//! accepted, which is what Clerk signs with: `alg: none`, HMAC algorithms (the classic
//! public-key-as-HMAC-secret confusion) and every other algorithm are refused before any
//! key is used.
//!
//! ```no_run
//! use std::time::SystemTime;
//! use clerk_models::SessionClaims;
//! use clerk_models::jwt::Verifier;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let pem = ""; let token = "";
//! let verifier = Verifier::from_pem(pem.as_bytes())?
//!     .with_authorized_parties(["https://app.example.com"]);
//! let claims: SessionClaims = verifier.verify(token, SystemTime::now())?;
//! println!("user {} in session {:?}", claims.sub, claims.sid);
//! # Ok(())
//! # }
//! ```

use core::fmt;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, KeyAlgorithm};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::{SessionClaims, ValidityError};

/// The one algorithm Clerk signs session tokens with.
const ALGORITHM: &str = "RS256";

/// Longest `alg` or `kid` quoted back in an error, so that hostile headers cannot inflate
/// error messages.
const QUOTE_LIMIT: usize = 64;

/// Verifies Clerk session tokens against public keys the caller already has.
///
/// Cheap to clone; build it once at startup and share it.
#[derive(Clone)]
pub struct Verifier {
    keys: Vec<Key>,
    leeway: Duration,
    authorized_parties: Option<Vec<String>>,
}

#[derive(Clone)]
struct Key {
    /// `None` for a PEM key, which verifies tokens whatever their `kid`.
    kid: Option<String>,
    key: DecodingKey,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kids: Vec<&str> = self
            .keys
            .iter()
            .map(|k| k.kid.as_deref().unwrap_or("<pem>"))
            .collect();
        f.debug_struct("Verifier")
            .field("keys", &kids)
            .field("leeway", &self.leeway)
            .field("authorized_parties", &self.authorized_parties)
            .finish()
    }
}

impl Verifier {
    /// A verifier for the instance's PEM public key (`-----BEGIN PUBLIC KEY-----`, as the
    /// dashboard shows it, or `-----BEGIN RSA PUBLIC KEY-----`). It verifies tokens
    /// whatever their `kid`.
    ///
    /// # Errors
    ///
    /// [`JwtError::Key`] when the text is not an RSA public key in PEM.
    pub fn from_pem(pem: &[u8]) -> Result<Self, JwtError> {
        let key = DecodingKey::from_rsa_pem(pem)
            .map_err(|e| JwtError::Key(format!("not an RSA public key in PEM: {e}")))?;
        Ok(Self::with_keys(vec![Key { kid: None, key }]))
    }

    /// A verifier for the RSA keys of a JWKS document (`{"keys": [...]}`). Keys of other
    /// types, keys for other algorithms or uses, and keys without a `kid` are skipped; a
    /// token is verified with the key whose `kid` its header names.
    ///
    /// # Errors
    ///
    /// [`JwtError::Key`] when the document is not a JWKS or holds no usable RSA key.
    pub fn from_jwks(jwks: &str) -> Result<Self, JwtError> {
        #[derive(Deserialize)]
        struct Document {
            keys: Vec<serde_json::Value>,
        }
        let document: Document = serde_json::from_str(jwks)
            .map_err(|e| JwtError::Key(format!("not a JWKS document: {e}")))?;
        let mut keys = Vec::new();
        for value in document.keys {
            // An entry this library cannot read (a key type it does not know) is skipped.
            let Ok(jwk) = serde_json::from_value::<Jwk>(value) else {
                continue;
            };
            if let Some(key) = usable(&jwk) {
                keys.push(key);
            }
        }
        if keys.is_empty() {
            return Err(JwtError::Key(
                "the JWKS document holds no RSA signing key with a `kid` for RS256".into(),
            ));
        }
        Ok(Self::with_keys(keys))
    }

    fn with_keys(keys: Vec<Key>) -> Self {
        Self {
            keys,
            leeway: Duration::ZERO,
            authorized_parties: None,
        }
    }

    /// Allows `leeway` of clock skew on `exp` and `nbf` (default: none). Keep it to
    /// seconds: it extends every token's life.
    #[must_use]
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Also requires `azp` to be one of `parties` (your app's origins, exactly as the
    /// browser sends them), as Clerk recommends; a token without `azp` is then refused.
    #[must_use]
    pub fn with_authorized_parties<I, S>(mut self, parties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.authorized_parties = Some(parties.into_iter().map(Into::into).collect());
        self
    }

    /// How many keys the verifier holds.
    #[must_use]
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }

    /// Verifies `token` (the `__session` cookie, or the `Authorization: Bearer` value
    /// without the scheme) at `now`: its header names RS256 and a known key, its signature
    /// verifies, its claims decode as `SessionClaims<C>`, and
    /// [`SessionClaims::validate_at`] passes with this verifier's leeway (and `azp` is
    /// allowed, if [`with_authorized_parties`](Self::with_authorized_parties) was used).
    ///
    /// # Errors
    ///
    /// The first check that fails, as a [`JwtError`]. Nothing is decoded before the
    /// signature verifies.
    pub fn verify<C: DeserializeOwned>(
        &self,
        token: &str,
        now: SystemTime,
    ) -> Result<SessionClaims<C>, JwtError> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::Malformed("a JWT has three dot-separated parts"));
        };
        let header = decode_header(header)?;
        if header.alg != ALGORITHM {
            return Err(JwtError::Algorithm(quote(&header.alg)));
        }
        let key = self.key_for(header.kid.as_deref())?;
        let message_len = token.len() - signature.len() - 1;
        let message = token.as_bytes().get(..message_len).unwrap_or_default();
        let verified = jsonwebtoken::crypto::verify(signature, message, &key.key, Algorithm::RS256)
            .unwrap_or(false);
        if !verified {
            return Err(JwtError::Signature);
        }
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| JwtError::Malformed("the payload is not base64url"))?;
        let claims: SessionClaims<C> = crate::from_slice(&payload).map_err(JwtError::Claims)?;
        claims
            .validate_at(now, self.leeway)
            .map_err(JwtError::Invalid)?;
        if let Some(parties) = &self.authorized_parties {
            let allowed = claims
                .azp
                .as_deref()
                .is_some_and(|azp| parties.iter().any(|p| p == azp));
            if !allowed {
                return Err(JwtError::UnauthorizedParty);
            }
        }
        Ok(claims)
    }

    fn key_for(&self, kid: Option<&str>) -> Result<&Key, JwtError> {
        let found = self
            .keys
            .iter()
            .find(|k| k.kid.is_none() || (kid.is_some() && k.kid.as_deref() == kid));
        found.ok_or_else(|| JwtError::UnknownKey(kid.map(quote)))
    }
}

/// An RS256 signing key of a JWKS, if this entry is one.
fn usable(jwk: &Jwk) -> Option<Key> {
    let kid = jwk.common.key_id.clone()?;
    if !matches!(jwk.algorithm, AlgorithmParameters::RSA(_)) {
        return None;
    }
    if jwk
        .common
        .key_algorithm
        .is_some_and(|alg| alg != KeyAlgorithm::RS256)
    {
        return None;
    }
    if jwk
        .common
        .public_key_use
        .as_ref()
        .is_some_and(|u| *u != jsonwebtoken::jwk::PublicKeyUse::Signature)
    {
        return None;
    }
    let key = DecodingKey::from_jwk(jwk).ok()?;
    Some(Key {
        kid: Some(kid),
        key,
    })
}

struct Header {
    alg: String,
    kid: Option<String>,
}

/// The protected header: a JSON object (never an array, which serde's derive would take)
/// with a string `alg` and, if any, a string `kid`.
fn decode_header(part: &str) -> Result<Header, JwtError> {
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
    let kid = match map.get("kid") {
        None => None,
        Some(serde_json::Value::String(kid)) => Some(kid.clone()),
        Some(_) => return Err(JwtError::Malformed("the header's `kid` is not a string")),
    };
    Ok(Header {
        alg: alg.to_owned(),
        kid,
    })
}

fn quote(text: &str) -> String {
    text.chars().take(QUOTE_LIMIT).collect()
}

/// Why a session token was refused. The token itself never appears in a message.
#[derive(Debug)]
#[non_exhaustive]
pub enum JwtError {
    /// Not a JWT: not three parts, or a part is not base64url, or the header is not JSON.
    Malformed(&'static str),
    /// The header names an algorithm other than RS256 (such as `none` or `HS256`), quoted
    /// up to 64 characters.
    Algorithm(String),
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

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(why) => write!(f, "malformed session token: {why}"),
            Self::Algorithm(alg) => write!(
                f,
                "session token signed with {alg:?}; only {ALGORITHM} is accepted"
            ),
            Self::UnknownKey(Some(kid)) => write!(f, "no key with kid {kid:?}"),
            Self::UnknownKey(None) => f.write_str("the token names no kid, and no key fits"),
            Self::Signature => f.write_str("the session token's signature does not verify"),
            Self::Claims(e) => write!(f, "session token claims: {e}"),
            Self::Invalid(e) => write!(f, "session token refused: {e}"),
            Self::UnauthorizedParty => {
                f.write_str("the session token's azp is missing or not an authorized party")
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
