//! Keys made by the test and tokens signed with them, for the verifier and the axum layer
//! (feature `jwt`). Nothing here is Clerk's: each key is a fresh 2048-bit RSA key.

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};

/// An RSA key pair with a `kid`, as a Clerk instance has.
pub struct TestKey {
    /// The key's id, as the JWKS and the tokens' headers name it.
    pub kid: String,
    /// The public key in PEM (`-----BEGIN PUBLIC KEY-----`), as `CLERK_JWT_KEY` holds it.
    pub public_pem: String,
    /// The private key in PKCS#8 PEM.
    pub private_pem: String,
    n: String,
    e: String,
    signing: EncodingKey,
}

impl TestKey {
    /// A fresh key named `kid`.
    ///
    /// # Panics
    ///
    /// If the RSA library fails to make or encode a key.
    #[must_use]
    #[allow(clippy::unwrap_used)]
    pub fn generate(kid: &str) -> Self {
        let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
        let public = private.to_public_key();
        let private_pem = private.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
        Self {
            kid: kid.to_owned(),
            public_pem: public.to_public_key_pem(LineEnding::LF).unwrap(),
            signing: EncodingKey::from_rsa_pem(private_pem.as_bytes()).unwrap(),
            private_pem,
            n: URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()),
            e: URL_SAFE_NO_PAD.encode(public.e().to_bytes_be()),
        }
    }

    /// The key as a JWKS entry.
    #[must_use]
    pub fn jwk(&self) -> Value {
        json!({"kty": "RSA", "kid": self.kid, "alg": "RS256", "use": "sig", "n": self.n, "e": self.e})
    }

    /// `header.payload.signature` signed with this key (RS256), whatever `header` says.
    ///
    /// # Panics
    ///
    /// If jsonwebtoken fails to sign.
    #[must_use]
    #[allow(clippy::unwrap_used)]
    pub fn sign(&self, header: &Value, payload: &Value) -> String {
        let message = format!("{}.{}", b64(header), b64(payload));
        let signature =
            jsonwebtoken::crypto::sign(message.as_bytes(), &self.signing, Algorithm::RS256)
                .unwrap();
        format!("{message}.{signature}")
    }

    /// A session token: `{"alg": "RS256", "kid": <kid>, "typ": "JWT"}` over `payload`.
    #[must_use]
    pub fn session_token(&self, payload: &Value) -> String {
        self.sign(
            &json!({"alg": "RS256", "kid": self.kid, "typ": "JWT"}),
            payload,
        )
    }
}

/// A JWKS document of `keys`.
#[must_use]
pub fn jwks(keys: &[&TestKey]) -> String {
    json!({"keys": keys.iter().map(|k| k.jwk()).collect::<Vec<_>>()}).to_string()
}

/// base64url of a JSON value's text.
#[must_use]
pub fn b64(json: &Value) -> String {
    URL_SAFE_NO_PAD.encode(json.to_string())
}

/// A token signed with HS256 under `secret` (the public-key-as-HMAC-secret attack).
///
/// # Panics
///
/// If jsonwebtoken fails to sign.
#[must_use]
#[allow(clippy::unwrap_used)]
pub fn hs256(header: &Value, payload: &Value, secret: &[u8]) -> String {
    let message = format!("{}.{}", b64(header), b64(payload));
    let key = EncodingKey::from_secret(secret);
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &key, Algorithm::HS256).unwrap();
    format!("{message}.{signature}")
}

/// The instance key of these tests (`ins_test_a`), made once per process.
pub fn key_a() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate("ins_test_a"))
}

/// The key a rotation brings (`ins_test_b`), made once per process.
pub fn key_b() -> &'static TestKey {
    static KEY: OnceLock<TestKey> = OnceLock::new();
    KEY.get_or_init(|| TestKey::generate("ins_test_b"))
}
