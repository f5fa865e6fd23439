//! The key set against a JWKS endpoint on 127.0.0.1 that counts fetches, rotates keys and
//! fails on demand. Time is a `ManualClock`: nothing sleeps, and the one wait is a 200 ms
//! fetch timeout.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::http::StatusCode;
use clerk_models_axum::{
    ClerkLayer, FetchError, FetchFuture, JwksFetch, JwksRequest, KeySet, KeySetError, ManualClock,
};
use clerk_models_tests::jwks_server::{JwksServer, Mode};
use clerk_models_tests::signing::jwks;
use common::{app, clock, get_with, key_a, key_b, session};
use serde_json::json;

const INTERVAL: Duration = Duration::from_secs(10);
const TTL: Duration = Duration::from_secs(300);

fn key_set(url: &str, clock: &Arc<ManualClock>) -> KeySet {
    KeySet::jwks_url(url)
        .unwrap()
        .clock(clock.clone())
        .ttl(TTL)
        .refresh_interval(INTERVAL)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap()
}

/// Valid for the whole of every test here, as the clock moves.
fn long_lived() -> serde_json::Value {
    session(&json!({"exp": common::NOW + 10_000}))
}

fn token_a() -> String {
    key_a().session_token(&long_lived())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cold_start_burst_makes_one_fetch() {
    let server = JwksServer::start(jwks(&[key_a()])).await;
    let clock = clock();
    let app = app(ClerkLayer::new(key_set(&server.url, &clock)));
    let token = token_a();
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let (app, token) = (app.clone(), token.clone());
            tokio::spawn(async move { get_with(&app, "/me", Some(&token)).await.status })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(server.fetches(), 1);
}

/// A fetcher that holds every fetch until released, counting them: the burst is sure to
/// arrive while the first fetch is in flight.
struct Gated {
    document: String,
    calls: Arc<AtomicUsize>,
    release: Arc<tokio::sync::Notify>,
}

impl JwksFetch for Gated {
    fn fetch<'a>(&'a self, _: &'a JwksRequest) -> FetchFuture<'a> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            self.release.notified().await;
            Ok(self.document.clone().into_bytes())
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_that_need_keys_wait_for_the_one_fetch_in_flight() {
    let calls = Arc::new(AtomicUsize::new(0));
    let release = Arc::new(tokio::sync::Notify::new());
    let gated = Gated {
        document: jwks(&[key_a()]),
        calls: calls.clone(),
        release: release.clone(),
    };
    let keys = KeySet::jwks_url("https://clerk.example.com/.well-known/jwks.json")
        .unwrap()
        .clock(clock())
        .fetcher(gated)
        .build()
        .unwrap();
    let app = app(ClerkLayer::new(keys));
    let token = token_a();
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let (app, token) = (app.clone(), token.clone());
            tokio::spawn(async move { get_with(&app, "/me", Some(&token)).await.status })
        })
        .collect();
    // Let every request reach the key set (the first is in the fetch, the rest wait).
    while calls.load(Ordering::SeqCst) == 0 {
        tokio::task::yield_now().await;
    }
    for _ in 0..1000 {
        tokio::task::yield_now().await;
    }
    release.notify_waiters();
    release.notify_one();
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_flood_of_unknown_kids_stays_within_the_rate_limit() {
    let server = JwksServer::start(jwks(&[key_a()])).await;
    let clock = clock();
    let keys = key_set(&server.url, &clock);
    keys.prefetch().await.unwrap();
    let app = app(ClerkLayer::new(keys));
    // 1,000 tokens with made-up kids over 100 s of the clock.
    let requests = 1000_u32;
    for i in 0..requests {
        let header = json!({"alg": "RS256", "kid": format!("ins_random_{i}"), "typ": "JWT"});
        let token = key_a().sign(&header, &long_lived());
        let answer = get_with(&app, "/me", Some(&token)).await;
        // 401 once a fetch has run for it; until the interval allows one, 503 "later".
        match answer.reason().as_str() {
            "unknown_key" => assert_eq!(answer.status, StatusCode::UNAUTHORIZED),
            "key_rotation" => assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE),
            other => panic!("{other}"),
        }
        clock.advance(Duration::from_millis(100));
    }
    let elapsed = Duration::from_millis(100) * requests;
    let allowed = 1 + elapsed.as_secs() / INTERVAL.as_secs() + 1;
    let fetches = server.fetches();
    assert!(
        fetches as u64 <= allowed,
        "{fetches} fetches for {requests} unknown kids"
    );
    assert!(fetches > 1, "an unknown kid must still refresh the keys");
    // Known keys kept working through the flood.
    assert_eq!(
        get_with(&app, "/me", Some(&token_a())).await.status,
        StatusCode::OK
    );
}

/// A valid token signed with a key Clerk has just published, while the key set may not
/// fetch again: 503 with the seconds until it may, never a 401 that signs its user out; then
/// 200 once the fetch runs. A kid still unknown after that fetch is refused.
#[tokio::test]
async fn rotation_answers_503_until_the_next_fetch_then_200() {
    let server = JwksServer::start(jwks(&[key_a()])).await;
    let clock = clock();
    let app = app(ClerkLayer::new(key_set(&server.url, &clock)));
    assert_eq!(
        get_with(&app, "/me", Some(&token_a())).await.status,
        StatusCode::OK
    );
    server.set_jwks(jwks(&[key_a(), key_b()]));
    clock.advance(Duration::from_millis(2500));
    let b = key_b().session_token(&long_lived());
    let answer = get_with(&app, "/me", Some(&b)).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.reason(), "key_rotation");
    assert_eq!(answer.headers["retry-after"], "8");
    assert_eq!(server.fetches(), 1, "the flood bound holds");
    clock.advance(Duration::from_millis(7500));
    assert_eq!(get_with(&app, "/me", Some(&b)).await.status, StatusCode::OK);
    assert_eq!(server.fetches(), 2);
    // A kid that the fetch just made did not bring: not Clerk's.
    let header = json!({"alg": "RS256", "kid": "ins_made_up", "typ": "JWT"});
    let made_up = key_b().sign(&header, &long_lived());
    let answer = get_with(&app, "/me", Some(&made_up)).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.reason(), "unknown_key");
}

#[tokio::test]
async fn a_rotated_key_is_fetched_and_a_removed_key_stops_verifying() {
    let server = JwksServer::start(jwks(&[key_a()])).await;
    let clock = clock();
    let app = app(ClerkLayer::new(key_set(&server.url, &clock)));
    let a = token_a();
    let b = key_b().session_token(&long_lived());
    assert_eq!(get_with(&app, "/me", Some(&a)).await.status, StatusCode::OK);
    assert_eq!(server.fetches(), 1);
    // Clerk rotates: the new key is published, the old one withdrawn.
    server.set_jwks(jwks(&[key_b()]));
    clock.advance(INTERVAL);
    assert_eq!(get_with(&app, "/me", Some(&b)).await.status, StatusCode::OK);
    assert_eq!(server.fetches(), 2);
    // `a` was cached, but its key is gone: it is verified again, and refused.
    let answer = get_with(&app, "/me", Some(&a)).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.reason(), "unknown_key");
    assert_eq!(server.fetches(), 2, "the refresh interval has not passed");
    // The TTL: keys older than 5 minutes are fetched again on the next request.
    clock.advance(TTL);
    assert_eq!(get_with(&app, "/me", Some(&b)).await.status, StatusCode::OK);
    assert_eq!(server.fetches(), 3);
    assert_eq!(get_with(&app, "/me", Some(&b)).await.status, StatusCode::OK);
    assert_eq!(server.fetches(), 3);
}

#[tokio::test]
async fn an_outage_keeps_the_known_keys() {
    let server = JwksServer::start(jwks(&[key_a()])).await;
    let clock = clock();
    let keys = key_set(&server.url, &clock);
    keys.prefetch().await.unwrap();
    let app = app(ClerkLayer::new(keys.clone()));
    let no_usable_key = json!({"keys": [{"kty": "EC", "kid": "ec", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}).to_string();
    let outages = [
        (Mode::Status(500), None),
        (Mode::Status(401), None),
        (Mode::Garbage, None),
        (Mode::Huge, None),
        (Mode::Hang, None),
        (Mode::Serve, Some(no_usable_key)),
    ];
    let mut expected = 1;
    for (mode, document) in outages {
        let label = format!("{mode:?}");
        server.set_mode(mode);
        if let Some(document) = document {
            server.set_jwks(document);
        }
        clock.advance(TTL);
        let answer = get_with(&app, "/me", Some(&token_a())).await;
        assert_eq!(answer.status, StatusCode::OK, "{label}: {}", answer.body);
        expected += 1;
        assert_eq!(server.fetches(), expected, "{label}: one attempt");
        // Within the interval, no second attempt.
        let _ = get_with(&app, "/me", Some(&token_a())).await;
        assert_eq!(server.fetches(), expected, "{label}: retried too soon");
        assert_eq!(keys.verifier().unwrap().key_count(), 1, "{label}");
        assert!(keys.prefetch().await.is_err(), "{label}");
        expected += 1;
    }
}

#[tokio::test]
async fn with_no_keys_yet_requests_get_503_and_fetches_keep_to_the_interval() {
    let server = JwksServer::start(jwks(&[key_a()])).await;
    server.set_mode(Mode::Status(503));
    let clock = clock();
    let app = app(ClerkLayer::new(key_set(&server.url, &clock)));
    for _ in 0..20 {
        let answer = get_with(&app, "/me", Some(&token_a())).await;
        assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(answer.reason(), "keys_unavailable");
    }
    assert_eq!(server.fetches(), 1);
    // /healthz is not held up: the layer never answers for a route.
    assert_eq!(
        get_with(&app, "/healthz", Some(&token_a())).await.status,
        StatusCode::OK
    );
    server.set_mode(Mode::Serve);
    assert_eq!(
        get_with(&app, "/me", Some(&token_a())).await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    clock.advance(INTERVAL);
    assert_eq!(
        get_with(&app, "/me", Some(&token_a())).await.status,
        StatusCode::OK
    );
    assert_eq!(server.fetches(), 2);
}

#[tokio::test]
async fn the_secret_key_is_sent_as_bearer_and_never_shown() {
    let server = JwksServer::start(jwks(&[key_a()])).await;
    let keys = KeySet::jwks_url(&server.url)
        .unwrap()
        .secret_key("sk_test_not_a_real_key")
        .build()
        .unwrap();
    keys.prefetch().await.unwrap();
    assert_eq!(
        server.last_authorization().as_deref(),
        Some("Bearer sk_test_not_a_real_key")
    );
    assert!(!format!("{keys:?}").contains("sk_test"), "{keys:?}");
    let layer = ClerkLayer::new(keys);
    assert!(!format!("{layer:?}").contains("sk_test"));
}

#[tokio::test]
async fn a_fetch_that_hangs_times_out() {
    let server = JwksServer::start(jwks(&[key_a()])).await;
    server.set_mode(Mode::Hang);
    let keys = key_set(&server.url, &clock());
    assert!(matches!(keys.prefetch().await, Err(FetchError::Timeout)));
    server.set_mode(Mode::Huge);
    assert!(matches!(keys.prefetch().await, Err(FetchError::TooLarge)));
    server.set_mode(Mode::Status(404));
    assert!(matches!(
        keys.prefetch().await,
        Err(FetchError::Status(404))
    ));
    assert!(keys.verifier().is_none());
}

#[test]
fn jwks_urls_must_be_https_except_on_loopback() {
    for url in [
        "https://clerk.example.com/.well-known/jwks.json",
        "http://127.0.0.1:9/jwks",
        "http://127.1.2.3/jwks",
        "http://[::1]:9/jwks",
    ] {
        assert!(KeySet::jwks_url(url).is_ok(), "{url}");
    }
    for url in [
        "http://clerk.example.com/jwks",
        "http://localhost/jwks",
        "http://10.0.0.1/jwks",
        "ftp://127.0.0.1/jwks",
    ] {
        assert!(
            matches!(KeySet::jwks_url(url), Err(KeySetError::InsecureUrl)),
            "{url}"
        );
    }
    assert!(KeySet::jwks_url("//127.0.0.1/jwks").is_err());
    for url in ["not a url", "/relative/path", ""] {
        assert!(
            matches!(KeySet::jwks_url(url), Err(KeySetError::InvalidUrl(_))),
            "{url}"
        );
    }
    assert!(matches!(
        KeySet::from_pem(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
        Err(KeySetError::Key(_))
    ));
}

/// `CLERK_JWT_KEY` as people hold it: each form of one real key verifies its tokens, and
/// what is no key says which forms it expected, once.
#[tokio::test]
async fn a_pem_key_is_taken_in_every_form_people_hold_it() {
    let pem = key_a().public_pem.clone();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let forms = [
        pem.clone(),
        pem.replace('\n', "\r\n"),
        pem.replace('\n', " "),
        pem.replace('\n', "\\n"),
        body.clone(),
    ];
    for form in forms {
        let keys = KeySet::pem(form.clone())
            .unwrap()
            .clock(clock())
            .build()
            .unwrap();
        let got = get_with(&app(ClerkLayer::new(keys)), "/me", Some(&token_a())).await;
        assert_eq!(got.status, StatusCode::OK, "{form:?}");
    }
    let error = KeySet::from_pem(format!("{}x", &body[..40]))
        .unwrap_err()
        .to_string();
    assert_eq!(error.matches("expected").count(), 1, "{error}");
    assert!(error.contains("base64 body alone"), "{error}");
}
