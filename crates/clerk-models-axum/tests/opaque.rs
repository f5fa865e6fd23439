//! Opaque machine tokens through the layer (`ClerkLayer::with_api`), against a mock of the
//! Backend API on 127.0.0.1: the three classes, the cache and its TTL (the revocation
//! window), refusals, Clerk refusing the key or away, the flood bound, and the cookie rule.
//! The layer's time is a `ManualClock`; no test sleeps.
#![cfg(feature = "client")]
#![allow(unused_imports, reason = "common is shared by every test file")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use clerk_models::jwt::TokenType;
use clerk_models_api::{Client, RetryPolicy};
use clerk_models_axum::{ClerkLayer, KeySet};
use clerk_models_tests::api_mock::{ApiMock, Reply};
use common::{NOW, app, clock, get_with, key_a};
use serde_json::{Value, json};

const SECRET: &str = "sk_test_opaque_layer_tests_01";

fn api_key(subject: &str, revoked: bool) -> Value {
    let ms = i64::try_from(NOW).unwrap() * 1000;
    json!({
        "object": "api_key", "id": "ak_id_1", "type": "api_key", "subject": subject,
        "name": "ci", "claims": {"team": "a"}, "scopes": ["read"], "revoked": revoked,
        "revocation_reason": null, "expired": false, "expiration": ms + 3_600_000,
        "created_by": null, "last_used_at": null, "created_at": ms, "updated_at": ms
    })
}

fn m2m(subject: &str) -> Value {
    let ms = i64::try_from(NOW).unwrap() * 1000;
    json!({
        "object": "machine_to_machine_token", "id": "mt_id_1", "subject": subject,
        "claims": null, "scopes": ["mch_other"], "revoked": false, "revocation_reason": null,
        "expired": false, "expiration": ms + 10_000, "last_used_at": null,
        "created_at": ms, "updated_at": ms
    })
}

fn oauth(subject: &str) -> Value {
    let ms = i64::try_from(NOW).unwrap() * 1000;
    json!({
        "object": "clerk_idp_oauth_access_token", "id": "oat_id_1", "client_id": "client_1",
        "subject": subject, "scopes": ["profile"], "revoked": false, "revocation_reason": null,
        "expired": false, "expiration": ms + 3_600_000, "created_at": ms, "updated_at": ms
    })
}

async fn layer(
    mock: &ApiMock,
    clock: &std::sync::Arc<clerk_models_axum::ManualClock>,
) -> ClerkLayer {
    let keys = KeySet::pem(key_a().public_pem.clone())
        .unwrap()
        .clock(clock.clone())
        .build()
        .unwrap();
    let client = Client::builder(SECRET.parse().unwrap())
        .base_url(&mock.base_url)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    ClerkLayer::new(keys)
        .with_token_types([
            TokenType::ApiKey,
            TokenType::M2mToken,
            TokenType::OAuthToken,
        ])
        .with_api(client)
}

#[tokio::test]
async fn each_opaque_class_is_verified_by_its_endpoint_and_cached() {
    let mock = ApiMock::start().await;
    let clock = clock();
    let app = app(layer(&mock, &clock).await);
    mock.push(
        "POST /v1/api_keys/verify",
        Reply::json(200, &api_key("user_1", false)),
    );
    mock.push(
        "POST /v1/m2m_tokens/verify",
        Reply::json(200, &m2m("mch_1")),
    );
    mock.push(
        "POST /v1/oauth_applications/access_tokens/verify",
        Reply::json(200, &oauth("user_2")),
    );
    for (token, subject) in [
        ("ak_secret_1", "user_1"),
        ("mt_secret_1", "mch_1"),
        ("oat_secret_1", "user_2"),
    ] {
        let answer = get_with(&app, "/machine", Some(token)).await;
        assert_eq!(answer.status, StatusCode::OK, "{token}: {}", answer.body);
        assert_eq!(answer.body, subject);
    }
    assert_eq!(mock.count(), 3);
    // The token went in the body, with our key, and never anywhere else.
    let received = mock.received();
    assert!(String::from_utf8_lossy(&received[0].body).contains("ak_secret_1"));
    assert!(
        received[0]
            .headers
            .iter()
            .any(|(k, v)| k == "authorization" && v == &format!("Bearer {SECRET}"))
    );
    // Cached: no second call within the TTL.
    for token in ["ak_secret_1", "mt_secret_1", "oat_secret_1"] {
        assert_eq!(
            get_with(&app, "/machine", Some(token)).await.status,
            StatusCode::OK
        );
    }
    assert_eq!(mock.count(), 3);
}

#[tokio::test]
async fn the_cache_ends_at_the_ttl_or_the_expiration_which_is_the_revocation_window() {
    let mock = ApiMock::start().await;
    let clock = clock();
    let app = app(layer(&mock, &clock).await);
    mock.push(
        "POST /v1/api_keys/verify",
        Reply::json(200, &api_key("user_1", false)),
    );
    assert_eq!(
        get_with(&app, "/machine", Some("ak_1")).await.status,
        StatusCode::OK
    );
    // Revoked in Clerk now: still accepted until the entry ends (30 s), then refused.
    mock.push(
        "POST /v1/api_keys/verify",
        Reply::json(200, &api_key("user_1", true)),
    );
    clock.advance(Duration::from_secs(29));
    assert_eq!(
        get_with(&app, "/machine", Some("ak_1")).await.status,
        StatusCode::OK
    );
    assert_eq!(mock.count(), 1);
    clock.advance(Duration::from_secs(1));
    let answer = get_with(&app, "/machine", Some("ak_1")).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.reason(), "token_inactive");
    assert_eq!(mock.count(), 2);
    // An M2M token expiring in 10 s is cached for 10 s, not 30.
    mock.push(
        "POST /v1/m2m_tokens/verify",
        Reply::json(200, &m2m("mch_1")),
    );
    mock.push(
        "POST /v1/m2m_tokens/verify",
        Reply::clerk_error(404, "not_found"),
    );
    let clock2 = common::clock();
    let app2 = common::app(layer(&mock, &clock2).await);
    assert_eq!(
        get_with(&app2, "/machine", Some("mt_2")).await.status,
        StatusCode::OK
    );
    clock2.advance(Duration::from_secs(10));
    assert_eq!(
        get_with(&app2, "/machine", Some("mt_2")).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn refusals_misconfiguration_and_outages_are_answered_apart() {
    let mock = ApiMock::start().await;
    let clock = clock();
    let app = app(layer(&mock, &clock).await);
    mock.push(
        "POST /v1/api_keys/verify",
        Reply::clerk_error(404, "not_found"),
    );
    let answer = get_with(&app, "/machine", Some("ak_made_up")).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.reason(), "token_not_found");
    // A refused token is remembered briefly: no second call.
    assert_eq!(
        get_with(&app, "/machine", Some("ak_made_up")).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(mock.count(), 1);

    mock.push(
        "POST /v1/api_keys/verify",
        Reply::clerk_error(401, "authentication_invalid"),
    );
    let answer = get_with(&app, "/machine", Some("ak_2")).await;
    assert_eq!(answer.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(answer.reason(), "misconfigured");
    assert!(!answer.body.contains(SECRET));

    mock.push(
        "POST /v1/api_keys/verify",
        Reply::clerk_error(429, "too_many_requests").header("retry-after", "7"),
    );
    let answer = get_with(&app, "/machine", Some("ak_3")).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.headers["retry-after"], "7");
    mock.push("POST /v1/api_keys/verify", Reply::raw(502, "bad gateway"));
    let answer = get_with(&app, "/machine", Some("ak_4")).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.headers["retry-after"], "1");
}

#[tokio::test]
async fn an_opaque_token_in_a_cookie_or_of_a_class_not_accepted_is_refused_without_a_call() {
    let mock = ApiMock::start().await;
    let clock = clock();
    let keys = KeySet::pem(key_a().public_pem.clone())
        .unwrap()
        .clock(clock.clone())
        .build()
        .unwrap();
    let client = Client::builder(SECRET.parse().unwrap())
        .base_url(&mock.base_url)
        .build()
        .unwrap();
    let only_keys = app(ClerkLayer::new(keys)
        .accept(TokenType::ApiKey)
        .with_api(client));
    let answer = get_with(&only_keys, "/machine", Some("mt_1")).await;
    assert_eq!(answer.reason(), "opaque_token");
    use axum::body::Body;
    use tower::ServiceExt as _;
    let request = axum::http::Request::get("/machine")
        .header("cookie", "__session=ak_in_a_cookie")
        .body(Body::empty())
        .unwrap();
    let response = only_keys.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(mock.count(), 0);
}

#[tokio::test]
async fn a_flood_of_made_up_tokens_is_bounded_and_good_cached_tokens_keep_working() {
    let mock = ApiMock::start().await;
    let clock = clock();
    let app = app(layer(&mock, &clock)
        .await
        .with_opaque_limits(2, 5, Duration::from_millis(200)));
    mock.push(
        "POST /v1/api_keys/verify",
        Reply::json(200, &api_key("user_1", false)),
    );
    assert_eq!(
        get_with(&app, "/machine", Some("ak_good")).await.status,
        StatusCode::OK
    );
    // 40 made-up tokens in one second of the clock: at most 5 reach Clerk (4 left after the
    // good one, each answered 404: a fifth would get the spec's example, a good key, and
    // fail the test); the rest are 503 with Retry-After.
    for _ in 0..4 {
        mock.push(
            "POST /v1/api_keys/verify",
            Reply::clerk_error(404, "not_found"),
        );
    }
    let mut unavailable = 0;
    for i in 0..40 {
        let answer = get_with(&app, "/machine", Some(&format!("ak_fake_{i}"))).await;
        if answer.status == StatusCode::SERVICE_UNAVAILABLE {
            assert!(answer.headers.contains_key("retry-after"));
            unavailable += 1;
        } else {
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(
            get_with(&app, "/machine", Some("ak_good")).await.status,
            StatusCode::OK
        );
    }
    assert_eq!(
        mock.count(),
        5,
        "1 good + 4 made-up within the second's budget"
    );
    assert_eq!(unavailable, 36);
    // Verifications in flight are bounded too: two hang, the third waits 200 ms, then 503.
    clock.advance(Duration::from_secs(1));
    mock.push("POST /v1/api_keys/verify", Reply::hang());
    mock.push("POST /v1/api_keys/verify", Reply::hang());
    let hung: Vec<_> = (0..2)
        .map(|i| {
            let app = app.clone();
            tokio::spawn(
                async move { get_with(&app, "/machine", Some(&format!("ak_hang_{i}"))).await },
            )
        })
        .collect();
    while mock.count() < 7 {
        tokio::task::yield_now().await;
    }
    let answer = get_with(&app, "/machine", Some("ak_third")).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(mock.count(), 7);
    for task in hung {
        task.abort();
    }
}
