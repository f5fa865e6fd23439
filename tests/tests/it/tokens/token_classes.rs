//! Token classes: Clerk signs session tokens, JWT-template tokens, M2M tokens and OAuth
//! access tokens with one instance key, and each verifier must accept its own class only.
//! Clerk's fixtures are used verbatim (`clerk_models_tests::clerk_vectors`); every other
//! token is signed here, with one RSA key made by the test.
#![cfg(feature = "jwt")]

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clerk_models::jwt::{JwtError, TokenType, Verifier};
use clerk_models::{
    M2mTokenClaims, OAuthAccessTokenClaims, OtherClaims, SessionClaims, ValidityError,
};
use clerk_models_tests::clerk_vectors::{self as clerk, VECTOR_IAT};
use jsonwebtoken::{Algorithm, EncodingKey};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::{Value, json};

const IAT: i64 = 1_713_158_400;
const SESSION_CAT: &str = "cl_B7d4PD111AAA";
const TEMPLATE_CAT: &str = "cl_B7d4PD222AAA";
const M2M_CAT: &str = "cl_B7d4PD333AAA";
const IGNORE_CAT: &str = "cl_I7d4PD111III";

struct Keys {
    signing: EncodingKey,
    public_pem: String,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
        let pem = private.to_pkcs8_pem(LineEnding::LF).unwrap();
        Keys {
            signing: EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap(),
            public_pem: private
                .to_public_key()
                .to_public_key_pem(LineEnding::LF)
                .unwrap(),
        }
    })
}

fn verifier() -> Verifier {
    Verifier::from_pem(keys().public_pem.as_bytes()).unwrap()
}

fn at(secs: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
}

fn sign(header: &Value, payload: &Value) -> String {
    let b64 = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let message = format!("{}.{}", b64(header), b64(payload));
    let signature =
        jsonwebtoken::crypto::sign(message.as_bytes(), &keys().signing, Algorithm::RS256).unwrap();
    format!("{message}.{signature}")
}

/// A header with `typ` and `cat` as given (`None`: left out).
fn header(typ: Option<&str>, cat: Option<&str>) -> Value {
    let mut header = json!({"alg": "RS256", "kid": "ins_test"});
    if let Some(typ) = typ {
        header["typ"] = json!(typ);
    }
    if let Some(cat) = cat {
        header["cat"] = json!(cat);
    }
    header
}

fn session_payload() -> Value {
    json!({"iss": "https://clerk.example.com", "sub": "user_1", "sid": "sess_1",
           "azp": "https://app.example.com", "iat": IAT, "nbf": IAT - 10, "exp": IAT + 60, "v": 2})
}

fn m2m_payload() -> Value {
    json!({"iss": "https://clerk.example.com", "sub": "mch_1", "jti": "mt_1", "aud": ["mch_2"],
           "scopes": "mch_2 mch_3", "iat": IAT, "nbf": IAT - 10, "exp": IAT + 60})
}

fn oauth_payload() -> Value {
    json!({"iss": "https://clerk.example.com", "sub": "user_1", "client_id": "client_1",
           "jti": "oat_1", "sid": "sess_1", "azp": "https://app.example.com",
           "scope": "read:foo write:bar", "iat": IAT, "nbf": IAT - 10, "exp": IAT + 60})
}

/// The three verifiers, as "accepted or why not".
fn outcomes(v: &Verifier, token: &str, now: SystemTime) -> [Result<(), JwtError>; 3] {
    [
        v.verify::<OtherClaims>(token, now).map(drop),
        v.verify_m2m_token::<OtherClaims>(token, now).map(drop),
        v.verify_oauth_access_token::<OtherClaims>(token, now)
            .map(drop),
    ]
}

mod clerk_fixtures {
    use super::*;

    #[test]
    fn clerks_oauth_tokens_are_refused_as_sessions_and_verify_as_oauth() {
        // The fixtures' comment says `mockJwks` verifies them; the key that does is
        // `pemEncodedPublicKey`. The class checks refuse them under either, before the
        // signature.
        let mock_jwks = Verifier::from_jwks(&clerk::mock_jwks()).unwrap();
        let jwks = Verifier::from_pem(clerk::PUBLIC_PEM.as_bytes()).unwrap();
        let now = at(VECTOR_IAT + 30);
        for (token, typ) in [
            (clerk::OAUTH_JWT, "at+jwt"),
            (clerk::OAUTH_JWT_APPLICATION_TYP, "application/at+jwt"),
        ] {
            // The privilege escalation: a third-party app's token, with a `sid`, is not the
            // user's session.
            for v in [&mock_jwks, &jwks] {
                let err = v.verify::<OtherClaims>(token, now).unwrap_err();
                assert!(
                    matches!(&err, JwtError::HeaderType(Some(t)) if t == typ),
                    "{err}"
                );
                assert!(err.to_string().contains(typ), "{err}");
                let err = v.verify_m2m_token::<OtherClaims>(token, now).unwrap_err();
                assert!(matches!(err, JwtError::HeaderType(_)), "{err}");
            }
            let err = mock_jwks
                .verify_oauth_access_token::<OtherClaims>(token, now)
                .unwrap_err();
            assert!(matches!(err, JwtError::Signature), "{err}");

            let claims: OAuthAccessTokenClaims =
                jwks.verify_oauth_access_token(token, now).unwrap();
            assert_eq!(claims.sub, "user_2vYVtestTESTtestTESTtestTESTtest");
            assert_eq!(
                claims.client_id.as_deref(),
                Some("client_2VTWUzvGC5UhdJCNx6xG1D98edc")
            );
            assert_eq!(
                claims.jti.as_deref(),
                Some("oat_2xKa9Bgv7NxMRDFyQw8LpZ3cTmU1vHjE")
            );
            assert_eq!(
                claims.scopes().collect::<Vec<_>>(),
                ["read:foo", "write:bar"]
            );
            assert!(claims.has_scope("write:bar") && !claims.has_scope("write"));
            assert_eq!(TokenType::of(token), Some(TokenType::OAuthToken));
            // Its lifetime, with Clerk's 5 s of skew at both ends.
            assert!(
                jwks.verify_oauth_access_token::<OtherClaims>(token, at(VECTOR_IAT + 304))
                    .is_ok()
            );
            let err = jwks
                .verify_oauth_access_token::<OtherClaims>(token, at(VECTOR_IAT + 305))
                .unwrap_err();
            assert!(
                matches!(err, JwtError::Invalid(ValidityError::Expired)),
                "{err}"
            );
            let err = jwks
                .verify_oauth_access_token::<OtherClaims>(token, at(VECTOR_IAT - 6))
                .unwrap_err();
            assert!(
                matches!(err, JwtError::Invalid(ValidityError::IssuedInTheFuture)),
                "{err}"
            );
            // Authorized parties apply to OAuth tokens, which carry `azp`.
            let parties = jwks
                .clone()
                .with_authorized_parties(["https://other.example"]);
            let err = parties
                .verify_oauth_access_token::<OtherClaims>(token, now)
                .unwrap_err();
            assert!(matches!(err, JwtError::UnauthorizedParty), "{err}");
        }
    }

    #[test]
    fn clerks_m2m_payload_is_refused_as_a_session_and_verifies_as_m2m() {
        let token = sign(&header(Some("JWT"), None), &clerk::m2m_payload());
        let now = at(VECTOR_IAT + 30);
        let v = verifier();
        let err = v.verify::<OtherClaims>(&token, now).unwrap_err();
        assert!(matches!(err, JwtError::MachineSubject), "{err}");
        let err = v
            .verify_oauth_access_token::<OtherClaims>(&token, now)
            .unwrap_err();
        assert!(
            matches!(&err, JwtError::HeaderType(Some(t)) if t == "JWT"),
            "{err}"
        );
        let untyped = sign(&header(None, None), &clerk::m2m_payload());
        let err = v
            .verify_oauth_access_token::<OtherClaims>(&untyped, now)
            .unwrap_err();
        assert!(matches!(err, JwtError::HeaderType(None)), "{err}");

        let claims: M2mTokenClaims = v.verify_m2m_token(&token, now).unwrap();
        assert_eq!(claims.sub, "mch_2vYVtestTESTtestTESTtestTESTtest");
        assert_eq!(
            claims.jti.as_deref(),
            Some("mt_2xKa9Bgv7NxMRDFyQw8LpZ3cTmU1vHjE")
        );
        assert_eq!(
            claims.scopes().collect::<Vec<_>>(),
            ["mch_1xxxxx", "mch_2xxxxx"]
        );
        assert!(claims.has_scope("mch_2xxxxx") && !claims.has_scope(""));
        assert!(claims.custom.is_empty(), "aud and scopes are typed");
        assert_eq!(TokenType::of(&token), Some(TokenType::M2mToken));
        // With M2M's own category, the session verifier refuses it before the signature.
        let categorized = sign(&header(None, Some(M2M_CAT)), &clerk::m2m_payload());
        let err = v.verify::<OtherClaims>(&categorized, now).unwrap_err();
        assert!(
            matches!(&err, JwtError::Category(c) if c == M2M_CAT),
            "{err}"
        );
        assert!(err.to_string().contains("an M2M token"), "{err}");
        assert!(v.verify_m2m_token::<OtherClaims>(&categorized, now).is_ok());
    }

    #[test]
    fn clerks_opaque_tokens_are_routed_to_the_backend_api() {
        for (token, class, endpoint) in [
            (
                clerk::OPAQUE_API_KEY,
                TokenType::ApiKey,
                "POST /api_keys/verify",
            ),
            (
                clerk::OPAQUE_OAUTH_TOKEN,
                TokenType::OAuthToken,
                "POST /oauth_applications/access_tokens/verify",
            ),
            (
                clerk::OPAQUE_M2M_TOKEN,
                TokenType::M2mToken,
                "POST /m2m_tokens/verify",
            ),
        ] {
            assert_eq!(TokenType::of(token), Some(class));
            assert_eq!(class.verify_endpoint(), Some(endpoint));
            // No verifier takes an opaque token for a JWT.
            for outcome in outcomes(&verifier(), token, at(IAT)) {
                assert!(matches!(outcome, Err(JwtError::Malformed(_))));
            }
        }
        assert_eq!(TokenType::SessionToken.verify_endpoint(), None);
        assert_eq!(TokenType::SessionToken.opaque_prefix(), None);
    }
}

#[test]
fn header_checks_run_before_the_signature() {
    // Signed by a key the verifier does not hold: a header refusal, not a signature one,
    // shows the header was read first.
    let jwks = Verifier::from_jwks(&clerk::mock_jwks()).unwrap();
    let cases = [
        (header(Some("at+jwt"), None), "HeaderType"),
        (header(Some("jwt"), None), "HeaderType"),
        (header(None, Some(TEMPLATE_CAT)), "Category"),
        (header(None, Some("cl_SomethingNew")), "Category"),
        (header(None, None), "Signature"),
    ];
    for (mut header, expected) in cases {
        header["kid"] = json!(clerk::MOCK_KID);
        let token = sign(&header, &session_payload());
        let err = jwks.verify::<OtherClaims>(&token, at(IAT)).unwrap_err();
        let name = format!("{err:?}");
        assert!(name.starts_with(expected), "{header}: {err:?}");
    }
    let err = jwks
        .verify::<OtherClaims>(
            &sign(&header(None, Some(TEMPLATE_CAT)), &session_payload()),
            at(IAT),
        )
        .unwrap_err();
    assert!(err.to_string().contains("a JWT-template token"), "{err}");
    // A header member of the wrong type is malformed, whatever the class.
    let bad = sign(
        &json!({"alg": "RS256", "typ": 1, "kid": "ins_test"}),
        &session_payload(),
    );
    for outcome in outcomes(&verifier(), &bad, at(IAT)) {
        assert!(matches!(outcome, Err(JwtError::Malformed(_))));
    }
    // A critical extension this verifier cannot honour refuses the token (RFC 7515).
    let critical = sign(
        &json!({"alg": "RS256", "kid": "ins_test", "crit": ["exp"]}),
        &session_payload(),
    );
    for outcome in outcomes(&verifier(), &critical, at(IAT)) {
        let err = outcome.unwrap_err();
        assert!(err.to_string().contains("crit"), "{err}");
    }
    assert_eq!(TokenType::of(&critical), None);
}

#[test]
fn the_markers_that_name_no_class_or_the_own_class_are_accepted() {
    let v = verifier();
    for cat in [None, Some(SESSION_CAT), Some(IGNORE_CAT)] {
        for typ in [None, Some("JWT")] {
            let token = sign(&header(typ, cat), &session_payload());
            assert!(
                v.verify::<OtherClaims>(&token, at(IAT)).is_ok(),
                "{typ:?} {cat:?}"
            );
        }
    }
    for cat in [None, Some(M2M_CAT), Some(IGNORE_CAT)] {
        let token = sign(&header(Some("JWT"), cat), &m2m_payload());
        assert!(
            v.verify_m2m_token::<OtherClaims>(&token, at(IAT)).is_ok(),
            "{cat:?}"
        );
    }
    for cat in [None, Some(IGNORE_CAT)] {
        let token = sign(&header(Some("at+jwt"), cat), &oauth_payload());
        assert!(
            v.verify_oauth_access_token::<OtherClaims>(&token, at(IAT))
                .is_ok()
        );
    }
    // A session's `cat` on an OAuth token is not accepted.
    let token = sign(&header(Some("at+jwt"), Some(SESSION_CAT)), &oauth_payload());
    let err = v
        .verify_oauth_access_token::<OtherClaims>(&token, at(IAT))
        .unwrap_err();
    assert!(matches!(err, JwtError::Category(_)), "{err}");
}

#[test]
fn an_m2m_verifier_refuses_a_subject_that_is_not_a_machine() {
    let token = sign(&header(None, Some(IGNORE_CAT)), &session_payload());
    let err = verifier()
        .verify_m2m_token::<OtherClaims>(&token, at(IAT))
        .unwrap_err();
    assert!(matches!(err, JwtError::NotMachineSubject), "{err}");
}

#[test]
fn the_leeway_is_five_seconds_on_exp_nbf_and_iat_to_the_second() {
    let v = verifier();
    assert_eq!(v.leeway(), clerk_models::jwt::DEFAULT_LEEWAY);
    assert_eq!(v.leeway(), Duration::from_secs(5));
    let token = sign(&header(None, None), &session_payload());
    let token_nbf_first = sign(
        &header(None, None),
        &json!({"iss": "i", "sub": "user_1", "sid": "s", "iat": IAT - 10, "nbf": IAT - 10, "exp": IAT + 60}),
    );
    let check = |v: &Verifier, token: &str, secs: i64| {
        v.verify::<OtherClaims>(token, at(secs))
            .map(drop)
            .map_err(|e| match e {
                JwtError::Invalid(e) => e,
                other => panic!("{other}"),
            })
    };
    // exp: valid until exp + 5 s, exclusive.
    assert_eq!(check(&v, &token, IAT + 64), Ok(()));
    assert_eq!(check(&v, &token, IAT + 65), Err(ValidityError::Expired));
    // iat: a token issued more than 5 s in the future is refused (assertIssuedAtClaim).
    assert_eq!(check(&v, &token, IAT - 5), Ok(()));
    assert_eq!(
        check(&v, &token, IAT - 6),
        Err(ValidityError::IssuedInTheFuture)
    );
    // nbf: valid from nbf - 5 s.
    assert_eq!(check(&v, &token_nbf_first, IAT - 15), Ok(()));
    assert_eq!(
        check(&v, &token_nbf_first, IAT - 16),
        Err(ValidityError::NotYetValid)
    );
    // A clock two seconds slow still takes a token issued now.
    let fresh = sign(
        &header(None, None),
        &json!({"iss": "i", "sub": "user_1", "sid": "s", "iat": IAT, "exp": IAT + 60}),
    );
    assert_eq!(check(&v, &fresh, IAT - 2), Ok(()));
    // `with_leeway(Duration::ZERO)` allows none.
    let strict = verifier().with_leeway(Duration::ZERO);
    assert_eq!(check(&strict, &token, IAT + 59), Ok(()));
    assert_eq!(
        check(&strict, &token, IAT + 60),
        Err(ValidityError::Expired)
    );
    assert_eq!(
        check(&strict, &token, IAT - 1),
        Err(ValidityError::IssuedInTheFuture)
    );
    // The same rule for the machine classes.
    let m2m = sign(&header(None, None), &m2m_payload());
    assert!(
        v.verify_m2m_token::<OtherClaims>(&m2m, at(IAT + 64))
            .is_ok()
    );
    assert!(
        v.verify_m2m_token::<OtherClaims>(&m2m, at(IAT + 65))
            .is_err()
    );
    assert!(
        v.verify_m2m_token::<OtherClaims>(&m2m, at(IAT - 6))
            .is_err()
    );
    let oauth = sign(&header(Some("at+jwt"), None), &oauth_payload());
    assert!(
        v.verify_oauth_access_token::<OtherClaims>(&oauth, at(IAT + 64))
            .is_ok()
    );
    assert!(
        v.verify_oauth_access_token::<OtherClaims>(&oauth, at(IAT + 65))
            .is_err()
    );
}

#[test]
fn token_type_of_routes_every_form_and_nothing_else() {
    let session = sign(&header(Some("JWT"), Some(SESSION_CAT)), &session_payload());
    assert_eq!(TokenType::of(&session), Some(TokenType::SessionToken));
    let bare = sign(&header(None, None), &session_payload());
    assert_eq!(TokenType::of(&bare), Some(TokenType::SessionToken));
    let m2m = sign(&header(None, Some(M2M_CAT)), &m2m_payload());
    assert_eq!(TokenType::of(&m2m), Some(TokenType::M2mToken));
    let oauth = sign(&header(Some("application/at+jwt"), None), &oauth_payload());
    assert_eq!(TokenType::of(&oauth), Some(TokenType::OAuthToken));
    // No class accepts these.
    let template = sign(&header(None, Some(TEMPLATE_CAT)), &session_payload());
    let machine_in_session_cat = sign(&header(None, Some(SESSION_CAT)), &m2m_payload());
    let no_sub = sign(&header(None, None), &json!({"iss": "i", "exp": 1}));
    for text in [
        template.as_str(),
        machine_in_session_cat.as_str(),
        no_sub.as_str(),
        "",
        "a.b.c",
        "a.b.c.d",
        "eyJhbGciOiJSUzI1NiJ9",
        "Bearer ak_1",
        "mch_1",
    ] {
        assert_eq!(TokenType::of(text), None, "{text}");
    }
    // The prefix is decisive, as in Clerk's getMachineTokenType.
    assert_eq!(TokenType::of("ak_"), Some(TokenType::ApiKey));
    for class in TokenType::ALL {
        assert_eq!(class.as_str().parse::<TokenType>(), Ok(class));
        assert_eq!(class.to_string(), class.as_str());
    }
    assert_eq!(
        TokenType::ALL.map(TokenType::as_str),
        ["session_token", "m2m_token", "oauth_token", "api_key"]
    );
    let err = "session".parse::<TokenType>().unwrap_err();
    assert!(err.to_string().contains("api_key"), "{err}");
}

#[test]
fn refusals_quote_header_values_briefly_and_never_the_token() {
    let long = "x".repeat(500);
    let token = sign(&header(Some(&long), None), &session_payload());
    let err = verifier()
        .verify::<OtherClaims>(&token, at(IAT))
        .unwrap_err();
    let JwtError::HeaderType(Some(quoted)) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(quoted.len(), 64);
    let token = sign(&header(None, Some(&long)), &session_payload());
    for outcome in outcomes(&verifier(), &token, at(IAT)) {
        let err = outcome.unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains(&"x".repeat(65)), "{text}");
        let signature = token.rsplit('.').next().unwrap();
        assert!(!text.contains(signature), "{text}");
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Class {
        Session,
        M2m,
        OAuth,
    }

    /// A token of `class` with one of the headers Clerk may mint for it.
    fn minted() -> impl Strategy<Value = (Class, Value, Value)> {
        let session = (
            proptest::sample::select(vec![None, Some("JWT")]),
            proptest::sample::select(vec![None, Some(SESSION_CAT), Some(IGNORE_CAT)]),
        )
            .prop_map(|(typ, cat)| (Class::Session, header(typ, cat), session_payload()));
        let m2m = (
            proptest::sample::select(vec![None, Some("JWT")]),
            proptest::sample::select(vec![None, Some(M2M_CAT), Some(IGNORE_CAT)]),
        )
            .prop_map(|(typ, cat)| (Class::M2m, header(typ, cat), m2m_payload()));
        let oauth = (
            proptest::sample::select(vec!["at+jwt", "application/at+jwt"]),
            proptest::sample::select(vec![None, Some(IGNORE_CAT)]),
        )
            .prop_map(|(typ, cat)| (Class::OAuth, header(Some(typ), cat), oauth_payload()));
        prop_oneof![session, m2m, oauth]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// A token signed for one class verifies with its own verifier only, and
        /// `TokenType::of` names that class.
        #[test]
        fn a_token_of_one_class_is_refused_by_the_others((class, header, payload) in minted()) {
            let token = sign(&header, &payload);
            let [session, m2m, oauth] = outcomes(&verifier(), &token, at(IAT));
            prop_assert_eq!(session.is_ok(), class == Class::Session, "{:?}", session);
            prop_assert_eq!(m2m.is_ok(), class == Class::M2m, "{:?}", m2m);
            prop_assert_eq!(oauth.is_ok(), class == Class::OAuth, "{:?}", oauth);
            let expected = match class {
                Class::Session => TokenType::SessionToken,
                Class::M2m => TokenType::M2mToken,
                Class::OAuth => TokenType::OAuthToken,
            };
            prop_assert_eq!(TokenType::of(&token), Some(expected));
        }
    }
}

#[test]
fn machine_scopes_fall_back_as_clerks_sdk_reads_them() {
    let m2m: M2mTokenClaims = clerk_models::from_value(json!({
        "sub": "mch_1", "iat": IAT, "exp": IAT + 60, "aud": ["mch_2", "", "mch_3"]
    }))
    .unwrap();
    assert_eq!(m2m.scopes().collect::<Vec<_>>(), ["mch_2", "mch_3"]);
    let spaced: M2mTokenClaims = clerk_models::from_value(json!({
        "sub": "mch_1", "iat": IAT, "exp": IAT + 60, "scopes": " a  b ", "aud": ["c"]
    }))
    .unwrap();
    assert_eq!(spaced.scopes().collect::<Vec<_>>(), ["a", "b"]);
    assert!(!spaced.has_scope("c"), "scopes wins over aud");
    let oauth: OAuthAccessTokenClaims = clerk_models::from_value(json!({
        "sub": "user_1", "exp": IAT + 60, "scp": ["read", "write"]
    }))
    .unwrap();
    assert!(oauth.has_scope("write") && !oauth.has_scope("admin"));
    let none: OAuthAccessTokenClaims =
        clerk_models::from_value(json!({"sub": "user_1", "exp": IAT + 60})).unwrap();
    assert_eq!(none.scopes().count(), 0);
    assert!(!none.has_scope(""));
}

#[test]
fn machine_claims_type_custom_claims_like_session_claims() {
    #[derive(serde::Deserialize)]
    struct Mine {
        tenant: String,
    }
    let token = sign(
        &header(None, None),
        &json!({"sub": "mch_1", "iat": IAT, "exp": IAT + 60, "tenant": "acme"}),
    );
    let claims: M2mTokenClaims<Mine> = verifier().verify_m2m_token(&token, at(IAT)).unwrap();
    assert_eq!(claims.custom.tenant, "acme");
    let claims: SessionClaims = clerk_models::from_value(session_payload()).unwrap();
    assert!(claims.custom.is_empty());
}

/// `request_token`: where a request carries its token (features `jwt` and `http`).
#[cfg(feature = "http")]
mod request {
    use clerk_models::jwt::request_token;
    use http::header::{AUTHORIZATION, COOKIE};
    use http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(http::HeaderName, &[u8])]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name.clone(), HeaderValue::from_bytes(value).unwrap());
        }
        map
    }

    #[test]
    fn bearer_first_then_the_session_cookie() {
        let both = headers(&[
            (COOKIE, b"__session=from_cookie"),
            (AUTHORIZATION, b"Bearer from_header"),
        ]);
        assert_eq!(request_token(&both), Some("from_header"));
        for (value, expected) in [
            (&b"bearer t1"[..], Some("t1")),
            (b"BEARER   t1  ", Some("t1")),
            (b"Basic dXNlcjpwYXNz", None),
            (b"Bearer", None),
            (b"Bearer ", None),
            (b"Bearer a b", None),
            (b"Bearerx t1", None),
            (b"t1", None),
        ] {
            let map = headers(&[(AUTHORIZATION, value)]);
            assert_eq!(
                request_token(&map),
                expected,
                "{}",
                String::from_utf8_lossy(value)
            );
        }
        // Another scheme falls through to the cookie.
        let basic = headers(&[(AUTHORIZATION, b"Basic x"), (COOKIE, b"__session=c")]);
        assert_eq!(request_token(&basic), Some("c"));
        // The first Bearer of several Authorization headers.
        let several = headers(&[
            (AUTHORIZATION, b"Basic x"),
            (AUTHORIZATION, b"Bearer second"),
        ]);
        assert_eq!(request_token(&several), Some("second"));
    }

    #[test]
    fn the_session_cookie_and_no_other() {
        for (value, expected) in [
            (&b"__session=abc"[..], Some("abc")),
            (b"theme=dark; __session=abc; lang=en", Some("abc")),
            (b"theme=dark;__session=abc", Some("abc")),
            (b"__session=\"abc\"", Some("abc")),
            (b"__session=", None),
            (b"__session_Abc123=abc", None),
            (b"__client_uat=1; session=abc", None),
            (b"x__session=abc", None),
            (b"__session", None),
            (b"", None),
        ] {
            let map = headers(&[(COOKIE, value)]);
            assert_eq!(
                request_token(&map),
                expected,
                "{}",
                String::from_utf8_lossy(value)
            );
        }
        // Any Cookie header of several; an empty session cookie gives way to a later one.
        let several = headers(&[
            (COOKIE, b"a=1"),
            (COOKIE, b"__session=; b=2"),
            (COOKIE, b"__session=z"),
        ]);
        assert_eq!(request_token(&several), Some("z"));
        assert_eq!(request_token(&HeaderMap::new()), None);
    }

    #[test]
    fn hostile_headers_never_panic_and_give_nothing_made_up() {
        // Not visible ASCII: skipped, not decoded lossily.
        let binary = headers(&[
            (AUTHORIZATION, b"Bearer \xff\xfe"),
            (COOKIE, b"__session=\xe9t\xe9"),
        ]);
        assert_eq!(request_token(&binary), None);
        // A megabyte of cookies, and ten thousand Cookie headers.
        let mut big = String::from("a=b");
        while big.len() < 1 << 20 {
            big.push_str("; k=v");
        }
        big.push_str("; __session=last");
        let map = headers(&[(COOKIE, big.as_bytes())]);
        assert_eq!(request_token(&map), Some("last"));
        let mut many = HeaderMap::new();
        for _ in 0..10_000 {
            many.append(COOKIE, HeaderValue::from_static(";;;=;= ;__session"));
        }
        assert_eq!(request_token(&many), None);
        let long_bearer = format!("Bearer {}", "t".repeat(1 << 20));
        let map = headers(&[(AUTHORIZATION, long_bearer.as_bytes())]);
        assert_eq!(request_token(&map).map(str::len), Some(1 << 20));
    }
}
