//! Networkless verification of session tokens (feature `jwt`). Every token is signed here,
//! with an RSA key made by the test; nothing touches the network.
#![cfg(feature = "jwt")]

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clerk_models::jwt::{JwtError, Verifier};
use clerk_models::{SessionClaims, ValidityError};
use jsonwebtoken::{Algorithm, EncodingKey};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde_json::{Value, json};

const IAT: i64 = 1_713_158_400;
const KID: &str = "ins_2hnLxQeVaAtzk3aZP4I4n5yCWn5";

struct Keys {
    private_pem: String,
    public_pem: String,
    jwks: String,
}

fn make_keys() -> Keys {
    let mut rng = rand::thread_rng();
    let private = rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap();
    let public = private.to_public_key();
    let b64 = |bytes: Vec<u8>| URL_SAFE_NO_PAD.encode(bytes);
    let jwks = json!({"keys": [
        // Entries a verifier must skip: another key type, another algorithm, no kid.
        {"kty": "EC", "crv": "P-256", "kid": "ec", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
         "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},
        {"kty": "RSA", "kid": "rs512", "alg": "RS512", "use": "sig",
         "n": b64(public.n().to_bytes_be()), "e": b64(public.e().to_bytes_be())},
        {"kty": "RSA", "alg": "RS256", "n": b64(public.n().to_bytes_be()), "e": b64(public.e().to_bytes_be())},
        {"kty": "RSA", "kid": KID, "alg": "RS256", "use": "sig",
         "n": b64(public.n().to_bytes_be()), "e": b64(public.e().to_bytes_be())}
    ]});
    Keys {
        private_pem: private.to_pkcs8_pem(LineEnding::LF).unwrap().to_string(),
        public_pem: public.to_public_key_pem(LineEnding::LF).unwrap(),
        jwks: jwks.to_string(),
    }
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(make_keys)
}

/// A second key, for "signed by someone else".
fn other_keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(make_keys)
}

fn at(secs: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
}

fn claims() -> Value {
    json!({
        "azp": "https://app.example.com", "exp": IAT + 60, "iat": IAT, "nbf": IAT - 10,
        "iss": "https://clerk.example.com", "sid": "sess_1", "sub": "user_1", "v": 2,
        "fva": [3, -1], "fea": "o:invoices", "o": {"id": "org_1", "rol": "admin", "per": "read", "fpm": "1"}
    })
}

fn b64(json: &Value) -> String {
    URL_SAFE_NO_PAD.encode(json.to_string())
}

/// `header.payload.signature`, signed with `alg` under `key`.
fn token_with(header: &Value, payload: &Value, alg: Algorithm, key: &EncodingKey) -> String {
    let message = format!("{}.{}", b64(header), b64(payload));
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), key, alg).unwrap();
    format!("{message}.{signature}")
}

fn rs256(keys: &Keys) -> EncodingKey {
    EncodingKey::from_rsa_pem(keys.private_pem.as_bytes()).unwrap()
}

fn token(payload: &Value) -> String {
    token_with(
        &json!({"alg": "RS256", "kid": KID, "typ": "JWT"}),
        payload,
        Algorithm::RS256,
        &rs256(keys()),
    )
}

fn pem_verifier() -> Verifier {
    Verifier::from_pem(keys().public_pem.as_bytes()).unwrap()
}

fn jwks_verifier() -> Verifier {
    Verifier::from_jwks(&keys().jwks).unwrap()
}

fn with(mut base: Value, patch: Value) -> Value {
    for (k, v) in patch.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

#[test]
fn a_signed_session_token_verifies_with_the_pem_key_and_the_jwks() {
    let token = token(&claims());
    for verifier in [pem_verifier(), jwks_verifier()] {
        let claims: SessionClaims = verifier.verify(&token, at(IAT)).unwrap();
        assert_eq!(claims.sub, "user_1");
        assert!(claims.has_permission("org:invoices:read"));
    }
    assert_eq!(
        jwks_verifier().key_count(),
        1,
        "the EC, RS512 and kid-less keys are skipped"
    );
    // The library's own encoder produces tokens we accept too.
    let mut header = jsonwebtoken::Header::new(Algorithm::RS256);
    header.kid = Some(KID.into());
    let encoded = jsonwebtoken::encode(&header, &claims(), &rs256(keys())).unwrap();
    assert!(
        jwks_verifier()
            .verify::<clerk_models::OtherClaims>(&encoded, at(IAT))
            .is_ok()
    );
}

#[test]
fn custom_claims_are_typed_through_the_verifier() {
    #[derive(serde::Deserialize)]
    struct Mine {
        tenant: String,
    }
    let token = token(&with(claims(), json!({"tenant": "acme"})));
    let claims: SessionClaims<Mine> = pem_verifier().verify(&token, at(IAT)).unwrap();
    assert_eq!(claims.custom.tenant, "acme");
}

#[test]
fn validity_is_applied_after_the_signature() {
    let cases = [
        (json!({"sts": "pending"}), ValidityError::SessionNotActive),
        (
            json!({"sts": "something-new"}),
            ValidityError::SessionNotActive,
        ),
        (json!({"exp": IAT}), ValidityError::Expired),
        (json!({"nbf": IAT + 1}), ValidityError::NotYetValid),
    ];
    for (patch, expected) in cases {
        let token = token(&with(claims(), patch.clone()));
        let err = pem_verifier()
            .with_leeway(Duration::ZERO)
            .verify::<clerk_models::OtherClaims>(&token, at(IAT))
            .unwrap_err();
        assert!(
            matches!(err, JwtError::Invalid(e) if e == expected),
            "{patch}: {err}"
        );
    }
    let mut template = claims();
    template.as_object_mut().unwrap().remove("sid");
    let err = pem_verifier()
        .verify::<clerk_models::OtherClaims>(&token(&template), at(IAT))
        .unwrap_err();
    assert!(
        matches!(err, JwtError::Invalid(ValidityError::NotASessionToken)),
        "{err}"
    );

    // Leeway widens both ends, by exactly its amount: 5 s unless set.
    let lenient = pem_verifier();
    assert_eq!(lenient.leeway(), Duration::from_secs(5));
    let token = token(&claims());
    assert!(
        lenient
            .verify::<clerk_models::OtherClaims>(&token, at(IAT + 64))
            .is_ok()
    );
    assert!(
        lenient
            .verify::<clerk_models::OtherClaims>(&token, at(IAT + 65))
            .is_err()
    );
}

#[test]
fn other_algorithms_are_refused_before_any_key_is_used() {
    let payload = claims();
    // alg: none, with and without a signature.
    for signature in ["", "AAAA"] {
        let token = format!(
            "{}.{}.{signature}",
            b64(&json!({"alg": "none"})),
            b64(&payload)
        );
        let err = pem_verifier()
            .verify::<clerk_models::OtherClaims>(&token, at(IAT))
            .unwrap_err();
        assert!(
            matches!(&err, JwtError::Algorithm(a) if a == "none"),
            "{err}"
        );
    }
    // HS256 keyed with the public key: the classic confusion.
    let hmac = EncodingKey::from_secret(keys().public_pem.as_bytes());
    let token = token_with(
        &json!({"alg": "HS256", "kid": KID}),
        &payload,
        Algorithm::HS256,
        &hmac,
    );
    for verifier in [pem_verifier(), jwks_verifier()] {
        let err = verifier
            .verify::<clerk_models::OtherClaims>(&token, at(IAT))
            .unwrap_err();
        assert!(
            matches!(&err, JwtError::Algorithm(a) if a == "HS256"),
            "{err}"
        );
    }
    // RS384 with the right key is still not RS256.
    let token = token_with(
        &json!({"alg": "RS384", "kid": KID}),
        &payload,
        Algorithm::RS384,
        &rs256(keys()),
    );
    let err = pem_verifier()
        .verify::<clerk_models::OtherClaims>(&token, at(IAT))
        .unwrap_err();
    assert!(
        matches!(&err, JwtError::Algorithm(a) if a == "RS384"),
        "{err}"
    );
    // A header `alg` in another case or with spaces is another algorithm.
    for alg in ["rs256", "RS256 ", ""] {
        let token = token_with(
            &json!({"alg": alg, "kid": KID}),
            &payload,
            Algorithm::RS256,
            &rs256(keys()),
        );
        let err = pem_verifier()
            .verify::<clerk_models::OtherClaims>(&token, at(IAT))
            .unwrap_err();
        assert!(matches!(err, JwtError::Algorithm(_)), "{alg:?}: {err}");
    }
}

#[test]
fn tampering_and_foreign_keys_fail_the_signature() {
    let token = token(&claims());
    let (message, signature) = token.rsplit_once('.').unwrap();
    let (header, _) = message.split_once('.').unwrap();
    // Another payload under the same signature: an upgraded role.
    let forged = format!(
        "{header}.{}.{signature}",
        b64(&with(claims(), json!({"sub": "user_admin"})))
    );
    // A flipped signature character, a truncated one, an empty one.
    let mut flipped = signature.to_owned();
    let last = if flipped.ends_with('A') { 'B' } else { 'A' };
    flipped.pop();
    flipped.push(last);
    let cases = [
        forged,
        format!("{message}.{flipped}"),
        format!("{message}.{}", &signature[..signature.len() / 2]),
        format!("{message}."),
        format!("{message}.!!!"),
        token_with(
            &json!({"alg": "RS256", "kid": KID}),
            &claims(),
            Algorithm::RS256,
            &rs256(other_keys()),
        ),
    ];
    for (i, case) in cases.iter().enumerate() {
        for verifier in [pem_verifier(), jwks_verifier()] {
            let err = verifier
                .verify::<clerk_models::OtherClaims>(case, at(IAT))
                .unwrap_err();
            assert!(matches!(err, JwtError::Signature), "case {i}: {err}");
            // Neither the signature nor the token is ever quoted back.
            assert!(
                !err.to_string().contains(signature) && !format!("{err:?}").contains(signature)
            );
        }
    }
}

#[test]
fn keys_are_chosen_by_kid() {
    let unknown = token_with(
        &json!({"alg": "RS256", "kid": "ins_other"}),
        &claims(),
        Algorithm::RS256,
        &rs256(keys()),
    );
    let err = jwks_verifier()
        .verify::<clerk_models::OtherClaims>(&unknown, at(IAT))
        .unwrap_err();
    assert!(
        matches!(&err, JwtError::UnknownKey(Some(k)) if k == "ins_other"),
        "{err}"
    );
    let none = token_with(
        &json!({"alg": "RS256"}),
        &claims(),
        Algorithm::RS256,
        &rs256(keys()),
    );
    let err = jwks_verifier()
        .verify::<clerk_models::OtherClaims>(&none, at(IAT))
        .unwrap_err();
    assert!(matches!(err, JwtError::UnknownKey(None)), "{err}");
    // The PEM key has no kid: it verifies whatever the token names.
    assert!(
        pem_verifier()
            .verify::<clerk_models::OtherClaims>(&unknown, at(IAT))
            .is_ok()
    );
    assert!(
        pem_verifier()
            .verify::<clerk_models::OtherClaims>(&none, at(IAT))
            .is_ok()
    );
    // A hostile kid is quoted back shortened.
    let long = "k".repeat(10_000);
    let token = token_with(
        &json!({"alg": "RS256", "kid": long}),
        &claims(),
        Algorithm::RS256,
        &rs256(keys()),
    );
    let err = jwks_verifier()
        .verify::<clerk_models::OtherClaims>(&token, at(IAT))
        .unwrap_err();
    assert!(err.to_string().len() < 200, "{err}");
}

#[test]
fn key_ids_are_read_from_the_header_and_looked_up() {
    assert_eq!(
        clerk_models::jwt::key_id(&token(&claims()))
            .unwrap()
            .as_deref(),
        Some(KID)
    );
    let none = token_with(
        &json!({"alg": "RS256"}),
        &claims(),
        Algorithm::RS256,
        &rs256(keys()),
    );
    assert_eq!(clerk_models::jwt::key_id(&none).unwrap(), None);
    for bad in ["", "a.b", "a.b.c.d", "!!.e30.x", "eyJraWQiOjF9.e30.x"] {
        assert!(clerk_models::jwt::key_id(bad).is_err(), "{bad:?}");
    }
    assert!(jwks_verifier().has_key(Some(KID)));
    assert!(!jwks_verifier().has_key(Some("ins_other")));
    assert!(!jwks_verifier().has_key(None));
    assert!(pem_verifier().has_key(Some("anything")) && pem_verifier().has_key(None));
}

#[test]
fn every_refusal_has_its_own_code() {
    let validity = [
        ValidityError::NotASessionToken,
        ValidityError::SessionNotActive,
        ValidityError::Expired,
        ValidityError::NotYetValid,
        ValidityError::IssuedInTheFuture,
    ];
    let claims_error = clerk_models::from_str::<SessionClaims>("{}").unwrap_err();
    let mut errors = vec![
        JwtError::Malformed("x"),
        JwtError::Algorithm("HS256".into()),
        JwtError::HeaderType(None),
        JwtError::Category("x".into()),
        JwtError::MachineSubject,
        JwtError::NotMachineSubject,
        JwtError::UnknownKey(None),
        JwtError::Signature,
        JwtError::Claims(claims_error),
        JwtError::UnauthorizedParty,
        JwtError::Key("x".into()),
    ];
    errors.extend(validity.into_iter().map(JwtError::Invalid));
    let codes: std::collections::BTreeSet<&str> = errors.iter().map(JwtError::code).collect();
    assert_eq!(codes.len(), errors.len(), "{codes:?}");
    assert!(
        codes
            .iter()
            .all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
    );
    assert_eq!(JwtError::Invalid(ValidityError::Expired).code(), "expired");
}

#[test]
fn malformed_tokens_and_claims_are_distinct_errors() {
    let good = token(&claims());
    let (header, rest) = good.split_once('.').unwrap();
    for bad in [
        String::new(),
        "a.b".into(),
        format!("{good}.extra"),
        format!("!!!.{rest}"),
        format!("{}.{rest}", URL_SAFE_NO_PAD.encode("not json")),
        format!("{}.{rest}", b64(&json!({"alg": 256}))),
        format!("{}.{rest}", b64(&json!(["RS256"]))),
        format!("{}.{rest}", b64(&json!({"alg": "RS256", "kid": 7}))),
        "\u{0}.\u{0}.\u{0}".into(),
    ] {
        let err = pem_verifier()
            .verify::<clerk_models::OtherClaims>(&bad, at(IAT))
            .unwrap_err();
        assert!(matches!(err, JwtError::Malformed(_)), "{bad:?}: {err}");
    }
    assert!(header.len() > 10);

    // Signed, but the claims are broken: the error has the path.
    let broken = token(&with(claims(), json!({"exp": null})));
    let err = pem_verifier()
        .verify::<clerk_models::OtherClaims>(&broken, at(IAT))
        .unwrap_err();
    let JwtError::Claims(inner) = &err else {
        panic!("{err}")
    };
    assert_eq!(inner.path(), "exp");
    // A signed payload that is not even JSON.
    let message = format!("{header}.{}", URL_SAFE_NO_PAD.encode("[]"));
    let signature =
        jsonwebtoken::crypto::sign(message.as_bytes(), &rs256(keys()), Algorithm::RS256).unwrap();
    let err = pem_verifier()
        .verify::<clerk_models::OtherClaims>(&format!("{message}.{signature}"), at(IAT))
        .unwrap_err();
    assert!(matches!(err, JwtError::Claims(_)), "{err}");
}

#[test]
fn authorized_parties_are_enforced_when_configured() {
    let verifier = pem_verifier().with_authorized_parties(["https://app.example.com"]);
    assert!(
        verifier
            .verify::<clerk_models::OtherClaims>(&token(&claims()), at(IAT))
            .is_ok()
    );
    let other = token(&with(claims(), json!({"azp": "https://evil.example.com"})));
    let err = verifier
        .verify::<clerk_models::OtherClaims>(&other, at(IAT))
        .unwrap_err();
    assert!(matches!(err, JwtError::UnauthorizedParty), "{err}");
    let mut no_azp = claims();
    no_azp.as_object_mut().unwrap().remove("azp");
    let err = verifier
        .verify::<clerk_models::OtherClaims>(&token(&no_azp), at(IAT))
        .unwrap_err();
    assert!(matches!(err, JwtError::UnauthorizedParty), "{err}");
    // Without the option, azp is the caller's business.
    assert!(
        pem_verifier()
            .verify::<clerk_models::OtherClaims>(&other, at(IAT))
            .is_ok()
    );
}

#[test]
fn unusable_keys_are_refused_and_debug_shows_no_key_material() {
    for pem in [
        "",
        "not a pem",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    ] {
        assert!(
            matches!(Verifier::from_pem(pem.as_bytes()), Err(JwtError::Key(_))),
            "{pem:?}"
        );
    }
    for jwks in [
        "",
        "{}",
        r#"{"keys": []}"#,
        r#"{"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "x"}]}"#,
        "[]",
    ] {
        assert!(
            matches!(Verifier::from_jwks(jwks), Err(JwtError::Key(_))),
            "{jwks:?}"
        );
    }
    let debug = format!("{:?}", jwks_verifier());
    assert!(debug.contains(KID), "{debug}");
    let jwks: Value = serde_json::from_str(&keys().jwks).unwrap();
    let modulus = jwks["keys"][3]["n"].as_str().unwrap();
    assert!(!debug.contains(&modulus[..40]), "{debug}");
}

/// Public test vectors of Clerk's JS SDK (`packages/backend/src/fixtures/index.ts`): tokens
/// Clerk's own code signed, and the public halves of the keys. Our verifier must accept
/// what Clerk's accepts and refuse what Clerk's test suite refuses.
mod clerk_js_vectors {
    use super::*;
    use clerk_models_tests::clerk_vectors::{PUBLIC_PEM, VECTOR_IAT, mock_jwks};

    /// `signedJwt`, signed with the key whose public half is `pemEncodedPublicKey`.
    const SIGNED_JWT: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc18yR0lvUWhiVXB5MGhYN0IyY1ZrdVRNaW5Yb0QiLCJ0eXAiOiJKV1QifQ.eyJhenAiOiJodHRwczovL2FjY291bnRzLmluc3BpcmVkLnB1bWEtNzQubGNsLmRldiIsImV4cCI6MTY2NjY0ODMxMCwiaWF0IjoxNjY2NjQ4MjUwLCJpc3MiOiJodHRwczovL2NsZXJrLmluc3BpcmVkLnB1bWEtNzQubGNsLmRldiIsIm5iZiI6MTY2NjY0ODI0MCwic2lkIjoic2Vzc18yR2JEQjRlbk5kQ2E1dlMxenBDM1h6Zzl0SzkiLCJzdWIiOiJ1c2VyXzJHSXBYT0VwVnlKdzUxcmtabjlLbW5jNlN4ciJ9.j3rB92k32WqbQDkFB093H4GoQsBVLH4HLGF6ObcwUaVGiHC8SEu6T31FuPf257SL8A5sSGtWWM1fqhQpdLohgZb_hbJswGBuYI-Clxl9BtpIRHbWFZkLBIj8yS9W9aVtD3fWBbF6PHx7BY1udio-rbGWg1YAOZNtVcxF02p-MvX-8XIK92Vwu3Un5zyfCoVIg__qo3Xntzw3tznsZ4XDe212c6kVz1R_L1d5DKjeWXpjUPAS_zFeZSIJEQLf4JNr4JCY38tfdnc3ajfDA3p36saf1XwmTdWXQKCXi75c2TJAXROs3Pgqr5Kw_5clygoFuxN5OEMhFWFSnvIBdi3M6w";

    /// `mockJwt`, signed with the key of `mockRsaJwk`.
    const MOCK_JWT: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc18yR0lvUWhiVXB5MGhYN0IyY1ZrdVRNaW5Yb0QiLCJ0eXAiOiJKV1QifQ.eyJhenAiOiJodHRwczovL2FjY291bnRzLmluc3BpcmVkLnB1bWEtNzQubGNsLmRldiIsImV4cCI6MTY2NjY0ODMxMCwiaWF0IjoxNjY2NjQ4MjUwLCJpc3MiOiJodHRwczovL2NsZXJrLmluc3BpcmVkLnB1bWEtNzQubGNsLmRldiIsIm5iZiI6MTY2NjY0ODI0MCwic2lkIjoic2Vzc18yR2JEQjRlbk5kQ2E1dlMxenBDM1h6Zzl0SzkiLCJzdWIiOiJ1c2VyXzJHSXBYT0VwVnlKdzUxcmtabjlLbW5jNlN4ciJ9.n1Usc-DLDftqA0Xb-_2w8IGs4yjCmwc5RngwbSRvwevuZOIuRoeHmE2sgCdEvjfJEa7ewL6EVGVcM557TWPW--g_J1XQPwBy8tXfz7-S73CEuyRFiR97L2AHRdvRtvGtwR-o6l8aHaFxtlmfWbQXfg4kFJz2UGe9afmh3U9-f_4JOZ5fa3mI98UMy1-bo20vjXeWQ9aGrqaxHQxjnzzC-1Kpi5LdPvhQ16H0dPB8MHRTSM5TAuLKTpPV7wqixmbtcc2-0k6b9FKYZNqRVTaIyV-lifZloBvdzlfOF8nW1VVH_fx-iW5Q3hovHFcJIULHEC1kcAYTubbxzpgeVQepGg";

    /// `mockInvalidSignatureJwt`: `mockJwt` with another `azp` under the same signature.
    const TAMPERED_JWT: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imluc18yR0lvUWhiVXB5MGhYN0IyY1ZrdVRNaW5Yb0QiLCJ0eXAiOiJKV1QifQ.eyJhenAiOiJodHRwczovL2FjY291bnRzLnRhbXBlcmVkLWRvbWFpbi5kZXYiLCJleHAiOjE2NjY2NDgzMTAsImlhdCI6MTY2NjY0ODI1MCwiaXNzIjoiaHR0cHM6Ly9jbGVyay5pbnNwaXJlZC5wdW1hLTc0LmxjbC5kZXYiLCJuYmYiOjE2NjY2NDgyNDAsInNpZCI6InNlc3NfMkdiREI0ZW5OZENhNXZTMXpwQzNYemc5dEs5Iiwic3ViIjoidXNlcl8yR0lwWE9FcFZ5Snc1MXJrWm45S21uYzZTeHIifQ.n1Usc-DLDftqA0Xb-_2w8IGs4yjCmwc5RngwbSRvwevuZOIuRoeHmE2sgCdEvjfJEa7ewL6EVGVcM557TWPW--g_J1XQPwBy8tXfz7-S73CEuyRFiR97L2AHRdvRtvGtwR-o6l8aHaFxtlmfWbQXfg4kFJz2UGe9afmh3U9-f_4JOZ5fa3mI98UMy1-bo20vjXeWQ9aGrqaxHQxjnzzC-1Kpi5LdPvhQ16H0dPB8MHRTSM5TAuLKTpPV7wqixmbtcc2-0k6b9FKYZNqRVTaIyV-lifZloBvdzlfOF8nW1VVH_fx-iW5Q3hovHFcJIULHEC1kcAYTubbxzpgeVQepGg";

    #[test]
    fn tokens_signed_by_clerks_code_verify() {
        let now = at(VECTOR_IAT + 30);
        let pem = Verifier::from_pem(PUBLIC_PEM.as_bytes()).unwrap();
        let claims: SessionClaims = pem.verify(SIGNED_JWT, now).unwrap();
        assert_eq!(claims.sub, "user_2GIpXOEpVyJw51rkZn9Kmnc6Sxr");
        assert_eq!(
            claims.sid.as_deref(),
            Some("sess_2GbDB4enNdCa5vS1zpC3Xzg9tK9")
        );
        assert_eq!(claims.exp - claims.iat, 60);
        assert!(claims.organization().is_none() && claims.custom.is_empty());

        let jwks = Verifier::from_jwks(&mock_jwks()).unwrap();
        let claims: SessionClaims = jwks.verify(MOCK_JWT, now).unwrap();
        assert_eq!(
            claims.azp.as_deref(),
            Some("https://accounts.inspired.puma-74.lcl.dev")
        );
    }

    #[test]
    fn what_clerks_suite_refuses_is_refused() {
        let now = at(VECTOR_IAT + 30);
        let jwks = Verifier::from_jwks(&mock_jwks()).unwrap();
        let err = jwks
            .verify::<clerk_models::OtherClaims>(TAMPERED_JWT, now)
            .unwrap_err();
        assert!(matches!(err, JwtError::Signature), "{err}");
        // The right token under the wrong key.
        let pem = Verifier::from_pem(PUBLIC_PEM.as_bytes()).unwrap();
        let err = pem
            .verify::<clerk_models::OtherClaims>(MOCK_JWT, now)
            .unwrap_err();
        assert!(matches!(err, JwtError::Signature), "{err}");
        // Expired at `exp` with no leeway, and 5 s after it with Clerk's default.
        let strict = Verifier::from_jwks(&mock_jwks())
            .unwrap()
            .with_leeway(Duration::ZERO);
        let err = strict
            .verify::<clerk_models::OtherClaims>(MOCK_JWT, at(VECTOR_IAT + 60))
            .unwrap_err();
        assert!(
            matches!(err, JwtError::Invalid(ValidityError::Expired)),
            "{err}"
        );
        assert!(
            jwks.verify::<clerk_models::OtherClaims>(MOCK_JWT, at(VECTOR_IAT + 64))
                .is_ok()
        );
        let err = jwks
            .verify::<clerk_models::OtherClaims>(MOCK_JWT, at(VECTOR_IAT + 65))
            .unwrap_err();
        assert!(
            matches!(err, JwtError::Invalid(ValidityError::Expired)),
            "{err}"
        );
        // Before `nbf` (10 s before `iat`), with no leeway.
        let err = strict
            .verify::<clerk_models::OtherClaims>(MOCK_JWT, at(VECTOR_IAT - 11))
            .unwrap_err();
        assert!(
            matches!(err, JwtError::Invalid(ValidityError::NotYetValid)),
            "{err}"
        );
    }
}
