//! Networkless verification of Clerk's tokens (feature `jwt`): session tokens, and the JWT
//! forms of M2M tokens and OAuth access tokens.
//!
//! A [`Verifier`] holds the instance's public keys: the PEM public key the dashboard shows
//! (what Clerk calls the JWT public key, also the `CLERK_JWT_KEY` environment variable), or
//! a JWKS document the caller fetched once and keeps (`https://<frontend-api>/.well-known/jwks.json`,
//! or the Backend API's `/jwks`). [`Verifier::verify`] checks a session token's RS256
//! signature, decodes its claims with path errors, and applies the fail-closed checks of
//! [`SessionClaims::validate_at`] at the `now` the caller passes: nothing here reads the
//! clock or touches the network.
//!
//! Clerk signs every class of JWT it issues with the same instance key, so a signature
//! proves only that Clerk issued the token, not which class it is. Each verifier refuses the
//! other classes before it trusts a claim: by the header's `typ` and `cat` (checked before
//! the signature, as Clerk's own verifier does) and by whether `sub` names a machine.
//! [`Verifier::verify`] refuses an OAuth access token, an M2M token and a JWT-template
//! token; [`Verifier::verify_m2m_token`] and [`Verifier::verify_oauth_access_token`] accept
//! only their own class. [`TokenType::of`] tells which verifier to call, and
//! [`request_token`] (with the `http` feature) finds the token in a request.
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
//!
//! # Machine tokens
//!
//! An API or MCP server also receives machine tokens. [`TokenType::of`] says which class a
//! token presents itself as (routing, never trust), and each class has its own verifier:
//!
//! | Class ([`TokenType`]) | JWT form: verified here, no network | Opaque form: only the Backend API verifies it |
//! |---|---|---|
//! | `SessionToken` | [`Verifier::verify`] → [`SessionClaims`] | |
//! | `M2mToken` (`sub` `mch_…`) | [`Verifier::verify_m2m_token`] → [`M2mTokenClaims`] | `mt_…`: `POST /m2m_tokens/verify` |
//! | `OAuthToken` (`typ: at+jwt`) | [`Verifier::verify_oauth_access_token`] → [`OAuthAccessTokenClaims`] | `oat_…`: `POST /oauth_applications/access_tokens/verify` |
//! | `ApiKey` | | `ak_…`: `POST /api_keys/verify` |
//!
//! The classes' markers (the header `typ` and `cat` each accepts, the prefixes, the
//! endpoints) are generated from `TOKEN_TYPES` in the xtask's configuration.
//!
//! # The signature
//!
//! The signature check is jsonwebtoken's (`crypto::verify`, on ring). Only RS256 is
//! accepted, which is what Clerk signs with: `alg: none`, HMAC algorithms (the classic
//! public-key-as-HMAC-secret confusion) and every other algorithm are refused before any
//! key is used. Clock skew of 5 s is allowed on `exp`, `nbf` and `iat`, as Clerk allows.
//! Why jsonwebtoken 9 on ring: its 10 and 11 lines need Rust 1.88 (this crate's MSRV is 1.85)
//! and a backend that is either RustCrypto's `rsa` family or aws-lc's C and CMake build;
//! `jwt-simple` needs Rust 1.89 and `josekit` OpenSSL. ring's RSA verification is
//! constant-time and refuses keys under 2048 bits.

use core::fmt;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, KeyAlgorithm};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::{M2mTokenClaims, OAuthAccessTokenClaims, SessionClaims, ValidityError};

mod error;
mod header;
#[cfg(feature = "http")]
mod request;
mod token_type;

pub use error::JwtError;
pub(crate) use header::{JwtRules, SubjectRule};
use header::{decode_header, quote};
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub use request::{
    ClientUatError, TokenSource, check_client_uat, request_token, request_token_with_source,
};
pub use token_type::{ParseTokenTypeError, TokenType};

/// The one algorithm Clerk signs its tokens with.
const ALGORITHM: &str = "RS256";

/// The clock skew allowed by default, as Clerk's `DEFAULT_CLOCK_SKEW_IN_MS`.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(5);

/// Verifies Clerk's tokens against public keys the caller already has.
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
            leeway: DEFAULT_LEEWAY,
            authorized_parties: None,
        }
    }

    /// Allows `leeway` of clock skew on `exp`, `nbf` and `iat` (default: [`DEFAULT_LEEWAY`],
    /// 5 s, as Clerk allows; `Duration::ZERO` allows none). Keep it to seconds: it extends
    /// every token's life.
    #[must_use]
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Also requires `azp` to be one of `parties` (your app's origins, exactly as the
    /// browser sends them), as Clerk recommends; a token without `azp` is then refused.
    /// Applies to the classes that carry `azp`: session tokens and OAuth access tokens.
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

    /// Whether a token whose header names `kid` finds a key here: always for a PEM key,
    /// which verifies tokens whatever their `kid`; for a JWKS, when it holds that `kid`.
    /// A cache of verified tokens asks this to drop tokens whose key a rotation removed.
    #[must_use]
    pub fn has_key(&self, kid: Option<&str>) -> bool {
        self.key_for(kid).is_ok()
    }

    /// The leeway this verifier allows on `exp`, `nbf` and `iat`.
    #[must_use]
    pub fn leeway(&self) -> Duration {
        self.leeway
    }

    /// Verifies a session token (the `__session` cookie, or the `Authorization: Bearer`
    /// value without the scheme) at `now`, in this order:
    ///
    /// 1. its header names RS256, a `typ` that is absent or `JWT`, and a `cat` that is
    ///    absent, the session category or the marker that names no class;
    /// 2. its signature verifies with the key its `kid` names;
    /// 3. its claims decode as `SessionClaims<C>`, and `sub` does not name a machine;
    /// 4. [`SessionClaims::validate_at`] passes with this verifier's leeway;
    /// 5. `azp` is allowed, if [`with_authorized_parties`](Self::with_authorized_parties)
    ///    was used.
    ///
    /// An OAuth access token, an M2M token and a JWT-template token are refused at step 1
    /// or 3, though Clerk signs them with the same key.
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
        self.verify_as(token, now, TokenType::SessionToken)
    }

    /// Verifies the JWT form of an M2M token at `now`: as [`verify`](Self::verify) does,
    /// but the header's `cat` must be absent, the M2M category or the marker that names no
    /// class, and `sub` must name a machine (`mch_…`). The time checks are
    /// [`M2mTokenClaims::validate_at`]'s, with this verifier's leeway. M2M tokens carry no
    /// `azp`; authorized parties do not apply.
    ///
    /// The opaque form (`mt_…`) is verified by the Backend API only
    /// ([`TokenType::verify_endpoint`]).
    ///
    /// # Errors
    ///
    /// The first check that fails, as a [`JwtError`].
    pub fn verify_m2m_token<C: DeserializeOwned>(
        &self,
        token: &str,
        now: SystemTime,
    ) -> Result<M2mTokenClaims<C>, JwtError> {
        self.verify_as(token, now, TokenType::M2mToken)
    }

    /// Verifies the JWT form of an OAuth access token at `now`: the header's `typ` must be
    /// `at+jwt` or `application/at+jwt` (RFC 9068), its `cat` absent or the marker that
    /// names no class; then the signature, the claims as `OAuthAccessTokenClaims<C>`, the
    /// time checks of [`OAuthAccessTokenClaims::validate_at`] with this verifier's leeway,
    /// and `azp` if authorized parties are configured.
    ///
    /// The opaque form (`oat_…`) is verified by the Backend API only
    /// ([`TokenType::verify_endpoint`]).
    ///
    /// # Errors
    ///
    /// The first check that fails, as a [`JwtError`].
    pub fn verify_oauth_access_token<C: DeserializeOwned>(
        &self,
        token: &str,
        now: SystemTime,
    ) -> Result<OAuthAccessTokenClaims<C>, JwtError> {
        self.verify_as(token, now, TokenType::OAuthToken)
    }

    /// Every check of one class, in order: the header and the signature ([`verified`]),
    /// then `sub`, the time claims and, where the class carries it, `azp`.
    ///
    /// [`verified`]: Self::verified
    fn verify_as<T: ClassClaims>(
        &self,
        token: &str,
        now: SystemTime,
        class: TokenType,
    ) -> Result<T, JwtError> {
        let (claims, rules) = self.verified::<T>(token, class)?;
        rules.check_subject(claims.subject())?;
        claims
            .check_times(now, self.leeway)
            .map_err(JwtError::Invalid)?;
        if let Some(azp) = claims.authorized_party() {
            self.check_party(azp)?;
        }
        Ok(claims)
    }

    /// The claims of `token` as `T`, once its header passes `class`'s rules and its
    /// signature verifies; with the rules, for the checks that read claims.
    fn verified<T: DeserializeOwned>(
        &self,
        token: &str,
        class: TokenType,
    ) -> Result<(T, JwtRules), JwtError> {
        let rules = class
            .jwt_rules()
            .ok_or(JwtError::Malformed("this class of token has no JWT form"))?;
        let (header, payload, signature) = parts(token)?;
        let header = decode_header(header)?;
        if header.alg != ALGORITHM {
            return Err(JwtError::Algorithm(quote(&header.alg)));
        }
        rules.check_header(&header)?;
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
        let claims = crate::from_slice(&payload).map_err(JwtError::Claims)?;
        Ok((claims, rules))
    }

    fn check_party(&self, azp: Option<&str>) -> Result<(), JwtError> {
        match &self.authorized_parties {
            Some(parties) if !azp.is_some_and(|azp| parties.iter().any(|p| p == azp)) => {
                Err(JwtError::UnauthorizedParty)
            }
            _ => Ok(()),
        }
    }

    fn key_for(&self, kid: Option<&str>) -> Result<&Key, JwtError> {
        let found = self
            .keys
            .iter()
            .find(|k| k.kid.is_none() || (kid.is_some() && k.kid.as_deref() == kid));
        found.ok_or_else(|| JwtError::UnknownKey(kid.map(quote)))
    }
}

/// The `kid` a token's header names (`None` when it names none), read with the verifiers'
/// own header rules. Nothing is verified: use it to choose or refresh keys, never to trust.
///
/// # Errors
///
/// [`JwtError::Malformed`] when the token is not three parts or its header is not a JSON
/// object with a string `alg` (and, if present, a string `kid`).
pub fn key_id(token: &str) -> Result<Option<String>, JwtError> {
    let (header, _, _) = parts(token)?;
    Ok(decode_header(header)?.kid)
}

/// The header, payload and signature of a compact JWT: exactly three dot-separated parts.
fn parts(token: &str) -> Result<(&str, &str, &str), JwtError> {
    let mut parts = token.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(header), Some(payload), Some(signature), None) => Ok((header, payload, signature)),
        _ => Err(JwtError::Malformed("a JWT has three dot-separated parts")),
    }
}

/// What [`Verifier::verify_as`] reads of one class's claims.
trait ClassClaims: DeserializeOwned {
    fn subject(&self) -> &str;
    fn check_times(&self, now: SystemTime, leeway: Duration) -> Result<(), ValidityError>;
    /// `Some(azp)` for a class that carries `azp` (authorized parties then apply).
    fn authorized_party(&self) -> Option<Option<&str>>;
}

impl<C: DeserializeOwned> ClassClaims for SessionClaims<C> {
    fn subject(&self) -> &str {
        &self.sub
    }
    fn check_times(&self, now: SystemTime, leeway: Duration) -> Result<(), ValidityError> {
        self.validate_at(now, leeway)
    }
    fn authorized_party(&self) -> Option<Option<&str>> {
        Some(self.azp.as_deref())
    }
}

impl<C: DeserializeOwned> ClassClaims for M2mTokenClaims<C> {
    fn subject(&self) -> &str {
        &self.sub
    }
    fn check_times(&self, now: SystemTime, leeway: Duration) -> Result<(), ValidityError> {
        self.validate_at(now, leeway)
    }
    fn authorized_party(&self) -> Option<Option<&str>> {
        None
    }
}

impl<C: DeserializeOwned> ClassClaims for OAuthAccessTokenClaims<C> {
    fn subject(&self) -> &str {
        &self.sub
    }
    fn check_times(&self, now: SystemTime, leeway: Duration) -> Result<(), ValidityError> {
        self.validate_at(now, leeway)
    }
    fn authorized_party(&self) -> Option<Option<&str>> {
        Some(self.azp.as_deref())
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
