//! The layer and the extractors over a PEM key set: every token class on every route, and
//! every refusal with its status, challenge and reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use clerk_models::jwt::TokenType;
use clerk_models_axum::{ClerkLayer, KeySet};
use clerk_models_tests::router::Answer;
use clerk_models_tests::signing::{b64, hs256};
use common::{app, clock, get_with, key_a, key_b, m2m_token, oauth_token, session};
use serde_json::json;

fn layer() -> ClerkLayer {
    ClerkLayer::new(pem_keys(&clock())).with_authorized_parties(["https://app.example.com"])
}

/// `GET path` with `token` is refused with `reason` (see [`assert_invalid`]).
async fn refused(app: &axum::Router, path: &str, token: &str, reason: &str) {
    assert_invalid(&get_with(app, path, Some(token)).await, reason, token);
}

/// A PEM key set reading `clock`.
fn pem_keys(clock: &std::sync::Arc<clerk_models_axum::ManualClock>) -> KeySet {
    KeySet::pem(key_a().public_pem.as_bytes())
        .unwrap()
        .clock(clock.clone())
        .build()
        .unwrap()
}

fn assert_invalid(answer: &Answer, reason: &str, token: &str) {
    assert_eq!(
        answer.status,
        StatusCode::UNAUTHORIZED,
        "{reason}: {}",
        answer.body
    );
    assert_eq!(
        answer.challenge(),
        Some(r#"Bearer error="invalid_token""#),
        "{reason}"
    );
    assert_eq!(answer.reason(), reason, "{}", answer.body);
    assert!(!answer.body.contains(token), "the body repeats the token");
    assert_eq!(
        answer.headers.get("content-type").unwrap(),
        "application/json"
    );
}

#[tokio::test]
async fn every_token_class_on_every_route() {
    let app = app(layer().accept(TokenType::M2mToken));
    let admin = key_a().session_token(&session(&json!({})));
    let member = key_a().session_token(&session(
        &json!({"o": {"id": "org_1", "rol": "member", "per": "", "fpm": ""}}),
    ));
    let personal = key_a().session_token(&session(&json!({"o": null, "fea": null})));
    let m2m = m2m_token(key_a());
    let oauth = oauth_token(key_a());
    let opaque = clerk_models_tests::clerk_vectors::OPAQUE_M2M_TOKEN;
    use StatusCode as S;
    // (token, /healthz, /me, /maybe, /invoices, /admin, /machine)
    let table: [(&str, Option<&str>, [S; 6]); 7] = [
        (
            "none",
            None,
            [
                S::OK,
                S::UNAUTHORIZED,
                S::OK,
                S::UNAUTHORIZED,
                S::UNAUTHORIZED,
                S::UNAUTHORIZED,
            ],
        ),
        (
            "admin session",
            Some(&admin),
            [S::OK, S::OK, S::OK, S::OK, S::OK, S::UNAUTHORIZED],
        ),
        (
            "member session",
            Some(&member),
            [
                S::OK,
                S::OK,
                S::OK,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::UNAUTHORIZED,
            ],
        ),
        (
            "no organization",
            Some(&personal),
            [
                S::OK,
                S::OK,
                S::OK,
                S::FORBIDDEN,
                S::FORBIDDEN,
                S::UNAUTHORIZED,
            ],
        ),
        (
            "m2m jwt",
            Some(&m2m),
            [
                S::OK,
                S::UNAUTHORIZED,
                S::UNAUTHORIZED,
                S::UNAUTHORIZED,
                S::UNAUTHORIZED,
                S::OK,
            ],
        ),
        (
            "oauth jwt (not accepted)",
            Some(&oauth),
            [
                S::OK,
                S::UNAUTHORIZED,
                S::UNAUTHORIZED,
                S::UNAUTHORIZED,
                S::UNAUTHORIZED,
                S::UNAUTHORIZED,
            ],
        ),
        (
            "opaque m2m",
            Some(opaque),
            [
                S::OK,
                S::UNAUTHORIZED,
                S::UNAUTHORIZED,
                S::UNAUTHORIZED,
                S::UNAUTHORIZED,
                S::UNAUTHORIZED,
            ],
        ),
    ];
    let routes = [
        "/healthz",
        "/me",
        "/maybe",
        "/invoices",
        "/admin",
        "/machine",
    ];
    for (name, token, expected) in table {
        for (route, status) in routes.iter().zip(expected) {
            let answer = get_with(&app, route, token).await;
            assert_eq!(answer.status, status, "{name} at {route}: {}", answer.body);
        }
    }
    assert_eq!(get_with(&app, "/me", Some(&admin)).await.body, "user_1");
    assert_eq!(
        get_with(&app, "/machine", Some(&m2m)).await.body,
        "mch_2vYV"
    );
    assert_eq!(get_with(&app, "/maybe", None).await.body, "anonymous");
    let answer = get_with(&app, "/machine", Some(&admin)).await;
    assert_invalid(&answer, "token_class", &admin);
    let answer = get_with(&app, "/me", Some(&m2m)).await;
    assert_invalid(&answer, "token_class", &m2m);
    let answer = get_with(&app, "/me", Some(&oauth)).await;
    assert_invalid(&answer, "header_type", &oauth);
    let answer = get_with(&app, "/me", Some(opaque)).await;
    assert_invalid(&answer, "opaque_token", opaque);
    let answer = get_with(&app, "/invoices", Some(&member)).await;
    assert_eq!(
        answer.challenge(),
        Some(r#"Bearer error="insufficient_scope""#)
    );
    assert_eq!(answer.reason(), "missing_permission");
    assert_eq!(
        get_with(&app, "/admin", Some(&member)).await.reason(),
        "missing_role"
    );
    // Without the token, RFC 6750 §3.1: a challenge without an error code.
    let answer = get_with(&app, "/me", None).await;
    assert_eq!(answer.challenge(), Some("Bearer"));
    assert_eq!(answer.reason(), "missing_token");
}

#[tokio::test]
async fn oauth_tokens_when_accepted_and_machine_tokens_refused_by_default() {
    let app_oauth = app(layer().accept(TokenType::OAuthToken));
    let oauth = oauth_token(key_a());
    assert_eq!(
        get_with(&app_oauth, "/machine", Some(&oauth)).await.status,
        StatusCode::OK
    );
    let app_default = app(layer());
    let m2m = m2m_token(key_a());
    let answer = get_with(&app_default, "/machine", Some(&m2m)).await;
    assert_invalid(&answer, "machine_subject", &m2m);
    let none = app(layer().with_token_types([]));
    let session = key_a().session_token(&session(&json!({})));
    refused(&none, "/me", &session, "token_class").await;
    let api_keys_only = app(layer().with_token_types([TokenType::ApiKey]));
    refused(&api_keys_only, "/machine", &m2m, "token_class").await;
}

#[tokio::test]
async fn refused_tokens_name_their_reason_and_never_the_token() {
    let app = app(layer());
    let a = key_a();
    let now = i64::try_from(common::NOW).unwrap();
    let header = json!({"alg": "RS256", "kid": a.kid, "typ": "JWT"});
    let cases = [
        (
            "forged: signed by another key",
            key_b().sign(&header, &session(&json!({}))),
            "signature",
        ),
        (
            "expired",
            a.session_token(&session(&json!({"exp": now - 60}))),
            "expired",
        ),
        (
            "not yet valid",
            a.session_token(&session(&json!({"nbf": now + 60}))),
            "not_yet_valid",
        ),
        (
            "pending session",
            a.session_token(&session(&json!({"sts": "pending"}))),
            "session_not_active",
        ),
        (
            "unknown status",
            a.session_token(&session(&json!({"sts": "frozen"}))),
            "session_not_active",
        ),
        (
            "wrong azp",
            a.session_token(&session(&json!({"azp": "https://evil.example.com"}))),
            "unauthorized_party",
        ),
        (
            "no azp",
            a.session_token(&session(&json!({"azp": null}))),
            "unauthorized_party",
        ),
        (
            "JWT template (no sid)",
            a.session_token(&session(&json!({"sid": null}))),
            "not_a_session_token",
        ),
        (
            "claims that do not decode",
            a.session_token(&json!({"sub": 5})),
            "claims",
        ),
        (
            "alg none",
            format!(
                "{}.{}.",
                b64(&json!({"alg": "none"})),
                b64(&session(&json!({})))
            ),
            "algorithm",
        ),
        (
            "HS256 with the public key",
            hs256(
                &json!({"alg": "HS256", "kid": a.kid}),
                &session(&json!({})),
                a.public_pem.as_bytes(),
            ),
            "algorithm",
        ),
        ("not a JWT", "hello.world".to_owned(), "malformed"),
        (
            "crit header",
            a.sign(
                &json!({"alg": "RS256", "crit": ["x"]}),
                &session(&json!({})),
            ),
            "malformed",
        ),
        (
            "category of another class",
            a.sign(
                &json!({"alg": "RS256", "cat": "cl_B7d4PD333"}),
                &session(&json!({})),
            ),
            "category",
        ),
    ];
    for (name, token, reason) in cases {
        let answer = get_with(&app, "/me", Some(&token)).await;
        assert_invalid(&answer, reason, &token);
        // A refused token is refused again: nothing refused is cached.
        let again = get_with(&app, "/me", Some(&token)).await;
        assert_eq!(again.reason(), reason, "{name}, twice");
        // `Option<Auth>` is `None` only without a token: a bad one is still a 401.
        assert_eq!(
            get_with(&app, "/maybe", Some(&token)).await.status,
            StatusCode::UNAUTHORIZED,
            "{name}"
        );
    }
}

#[tokio::test]
async fn a_cached_token_still_passes_its_time_checks_at_every_use() {
    let clock = clock();
    let keys = pem_keys(&clock);
    let cached = app(ClerkLayer::new(keys));
    let token = key_a().session_token(&session(&json!({})));
    assert_eq!(
        get_with(&cached, "/me", Some(&token)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        get_with(&cached, "/me", Some(&token)).await.status,
        StatusCode::OK
    );
    // exp is now + 60, the leeway 5 s.
    clock.advance(Duration::from_secs(64));
    assert_eq!(
        get_with(&cached, "/me", Some(&token)).await.status,
        StatusCode::OK
    );
    clock.advance(Duration::from_secs(1));
    refused(&cached, "/me", &token, "expired").await;
    refused(&cached, "/me", &token, "expired").await;
    // Without a cache, the same answers.
    let clock = common::clock();
    let keys = pem_keys(&clock);
    let uncached = app(ClerkLayer::new(keys)
        .with_token_cache(0)
        .with_leeway(Duration::ZERO));
    assert_eq!(
        get_with(&uncached, "/me", Some(&token)).await.status,
        StatusCode::OK
    );
    clock.advance(Duration::from_secs(60));
    refused(&uncached, "/me", &token, "expired").await;
}

#[tokio::test]
async fn the_session_cookie_is_read_when_there_is_no_bearer() {
    use axum::body::Body;
    use tower::ServiceExt as _;
    let app = app(layer());
    let token = key_a().session_token(&session(&json!({})));
    let iat = common::NOW;
    let with_cookies = |cookies: String| {
        let app = app.clone();
        async move {
            let request = axum::http::Request::get("/me")
                .header("cookie", cookies)
                .body(Body::empty())
                .unwrap();
            let response = app.oneshot(request).await.unwrap();
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), 4096)
                .await
                .unwrap();
            let reason = serde_json::from_slice::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| v.get("reason").and_then(|r| r.as_str()).map(str::to_owned));
            (status, reason)
        }
    };
    // `@clerk/backend`'s rule for the cookie: `__client_uat` present, a number, not 0, and
    // not later than the token's `iat`. Each refusal has its reason, cached token or not.
    for (client_uat, want) in [
        (None, Some("client_uat_missing")),
        (Some("abc".to_owned()), Some("client_uat_invalid")),
        (Some("0".to_owned()), Some("signed_out")),
        (Some((iat + 1).to_string()), Some("session_token_outdated")),
        (Some(iat.to_string()), None),
        (Some((iat - 600).to_string()), None),
        (Some("0".to_owned()), Some("signed_out")),
    ] {
        let uat = client_uat
            .as_ref()
            .map_or(String::new(), |v| format!("; __client_uat={v}"));
        let (status, reason) = with_cookies(format!("theme=dark; __session={token}{uat}")).await;
        match want {
            None => assert_eq!(status, StatusCode::OK, "{client_uat:?}"),
            Some(want) => {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{client_uat:?}");
                assert_eq!(reason.as_deref(), Some(want));
            }
        }
    }
    // The same token as a Bearer needs no cookie.
    assert_eq!(
        get_with(&app, "/me", Some(&token)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_extractor_without_the_layer_is_a_server_error() {
    let router = axum::Router::new().route(
        "/me",
        axum::routing::get(|auth: clerk_models_axum::Auth| async move { auth.sub.clone() }),
    );
    let answer = get_with(&router, "/me", None).await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(answer.reason(), "layer_missing");
}

#[tokio::test]
async fn hostile_tokens_are_refused_without_panicking() {
    let app = app(layer());
    let huge = format!("{}.{}.{}", "a".repeat(1 << 19), "b".repeat(1 << 19), "c");
    let deep = format!(
        "{}.e30.x",
        b64(&json!({"alg": "RS256", "kid": "k".repeat(100_000)}))
    );
    let nested = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let nested = format!(
        "{}.{}.x",
        b64(&json!({"alg": "RS256"})),
        b64(&json!(nested))
    );
    for token in [huge, deep, nested, "..".to_owned(), "a.b.c.d".to_owned()] {
        let answer = get_with(&app, "/me", Some(&token)).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
        assert!(answer.body.len() < 200, "{}", answer.body);
    }
}
