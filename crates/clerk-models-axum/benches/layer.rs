//! What the layer costs a request: a repeated token (found in the cache, time checks run
//! again) against a full verification through the layer (cache off) and `Verifier::verify`
//! alone, in the same run. The inner service does nothing, so the layer is all that is
//! measured.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_models::SessionClaims;
use clerk_models::jwt::Verifier;
use clerk_models_axum::{AuthState, ClerkLayer, KeySet};
use clerk_models_tests::api_mock::{ApiMock, Reply};
use clerk_models_tests::signing::key_a;
use criterion::{Criterion, criterion_group, criterion_main};
use http::Request;
use serde_json::json;
use tower::{Layer as _, Service, ServiceExt as _};

/// Polls a future that never waits (the PEM key set never fetches) to its end.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

fn token() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    key_a().session_token(&json!({
        "azp": "https://app.example.com", "exp": now + 3600, "iat": now, "nbf": now - 10,
        "iss": "https://clerk.example.com", "sid": "sess_1", "sub": "user_1", "v": 2,
        "fea": "o:invoices", "o": {"id": "org_1", "rol": "admin", "per": "read", "fpm": "1"}
    }))
}

fn request(token: &str) -> Request<()> {
    Request::get("/me")
        .header("authorization", format!("Bearer {token}"))
        .body(())
        .unwrap()
}

fn layer(c: &mut Criterion) {
    let token = token();
    let keys = KeySet::from_pem(key_a().public_pem.as_bytes()).unwrap();
    let inner = tower::service_fn(|request: Request<()>| async move {
        Ok::<_, Infallible>(matches!(
            request.extensions().get::<AuthState>(),
            Some(AuthState::Session(_))
        ))
    });
    let mut cached = ClerkLayer::new(keys.clone()).layer(inner);
    let mut uncached = ClerkLayer::new(keys).with_token_cache(0).layer(inner);
    assert!(ready(cached.ready()).is_ok());
    assert!(
        ready(cached.call(request(&token))).unwrap(),
        "the token must verify"
    );
    let verifier = Verifier::from_pem(key_a().public_pem.as_bytes()).unwrap();

    let mut group = c.benchmark_group("axum_layer");
    group.measurement_time(Duration::from_secs(4));
    group.bench_function("verifier_verify", |b| {
        b.iter(|| {
            verifier
                .verify::<clerk_models::OtherClaims>(&token, SystemTime::now())
                .map(|c: SessionClaims| c.exp)
        })
    });
    group.bench_function("layer_full_verify", |b| {
        b.iter(|| ready(uncached.call(request(&token))).unwrap())
    });
    group.bench_function("layer_repeated_token", |b| {
        b.iter(|| ready(cached.call(request(&token))).unwrap())
    });
    group.bench_function("layer_no_token", |b| {
        b.iter(|| ready(cached.call(Request::get("/healthz").body(()).unwrap())).unwrap())
    });
    group.bench_function("baseline_request_only", |b| b.iter(|| request(&token)));

    // An API key verified once through the Backend API's mock, then served from the cache.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mock = runtime.block_on(ApiMock::start());
    let ms = i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    mock.push(
        "POST /v1/api_keys/verify",
        Reply::json(
            200,
            &json!({
                "object": "api_key", "id": "ak_id", "type": "api_key", "subject": "user_1",
                "name": "bench", "claims": {}, "scopes": [], "revoked": false,
                "revocation_reason": null, "expired": false, "expiration": null,
                "created_by": null, "last_used_at": null, "created_at": ms, "updated_at": ms
            }),
        ),
    );
    let client = clerk_models_api::Client::builder("sk_test_bench_key_0123".parse().unwrap())
        .base_url(&mock.base_url)
        .build()
        .unwrap();
    let keys = KeySet::from_pem(key_a().public_pem.as_bytes()).unwrap();
    let machine = tower::service_fn(|request: Request<()>| async move {
        Ok::<_, Infallible>(matches!(
            request.extensions().get::<AuthState>(),
            Some(AuthState::Machine(_))
        ))
    });
    let mut api = ClerkLayer::new(keys)
        .accept(clerk_models::jwt::TokenType::ApiKey)
        .with_api(client)
        .layer(machine);
    let api_key = "ak_bench_secret_0001";
    assert!(
        runtime.block_on(api.call(request(api_key))).unwrap(),
        "the API key must verify"
    );
    group.bench_function("layer_cached_api_key", |b| {
        b.iter(|| ready(api.call(request(api_key))).unwrap())
    });
    group.finish();
}

criterion_group!(benches, layer);
criterion_main!(benches);
