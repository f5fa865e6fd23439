//! The routes that call the Backend API, end to end against its mock on 127.0.0.1: the
//! caller's sessions, revoking one's own (and only one's own), opaque machine tokens on
//! `/machine/ping`, and Clerk's failures answered 503 or 502, never with the secret key.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{SystemTime, UNIX_EPOCH};

use api_server::{Config, Keys};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use clerk_models_tests::api_mock::{ApiMock, Reply};
use clerk_models_tests::signing::key_a;
use serde_json::{Value, json};
use tower::ServiceExt as _;

const SECRET: &str = "sk_test_api_server_backend_0001";

fn now() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

fn session_token(user: &str) -> String {
    let now = now();
    key_a().session_token(&json!({
        "azp": "https://app.example.com", "exp": now + 300, "iat": now, "nbf": now - 10,
        "iss": "https://clerk.example.com", "sid": "sess_1", "sub": user, "v": 2
    }))
}

fn session(id: &str, user: &str, status: &str) -> Value {
    json!({
        "object": "session", "id": id, "client_id": "client_1", "user_id": user,
        "status": status, "last_active_at": 1_700_000_000_000_i64,
        "expire_at": 1_700_604_800_000_i64, "abandon_at": 1_702_592_000_000_i64,
        "updated_at": 1_700_000_000_000_i64, "created_at": 1_700_000_000_000_i64
    })
}

fn app(mock: &ApiMock) -> axum::Router {
    let config = Config::from_vars(|name| match name {
        "CLERK_JWT_KEY" => Some(key_a().public_pem.clone()),
        "CLERK_SECRET_KEY" => Some(SECRET.into()),
        "CLERK_API_URL" => Some(mock.base_url.clone()),
        _ => None,
    })
    .unwrap();
    let client = config.client().unwrap();
    api_server::router(
        config.layer(config.key_set().unwrap(), client.as_ref()),
        client,
    )
}

async fn call(
    app: &axum::Router,
    method: &str,
    path: &str,
    token: &str,
) -> (StatusCode, Value, Option<String>) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    assert!(!String::from_utf8_lossy(&body).contains(SECRET));
    (
        status,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
        retry,
    )
}

#[tokio::test]
async fn the_caller_lists_and_revokes_their_own_sessions_only() {
    let mock = ApiMock::start().await;
    let app = app(&mock);
    let token = session_token("user_1");
    mock.push(
        "GET /v1/sessions",
        Reply::json(
            200,
            &json!([
                session("sess_1", "user_1", "active"),
                session("sess_2", "user_1", "active")
            ]),
        ),
    );
    let (status, body, _) = call(&app, "GET", "/me/sessions", &token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["sessions"][1]["id"], "sess_2");
    assert_eq!(body["sessions"][0]["status"], "active");
    let list = &mock.received()[0];
    assert!(
        list.path_and_query.contains("user_id=user_1"),
        "{}",
        list.path_and_query
    );
    assert!(list.path_and_query.contains("status=active"));

    // Another user's session: 404, and no revoke is sent.
    mock.push(
        "GET /v1/sessions/sess_9",
        Reply::json(200, &session("sess_9", "user_2", "active")),
    );
    let (status, _, _) = call(&app, "POST", "/me/sessions/sess_9/revoke", &token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(mock.received().iter().all(|r| r.method != "POST"));

    // One's own: revoked.
    mock.push(
        "GET /v1/sessions/sess_2",
        Reply::json(200, &session("sess_2", "user_1", "active")),
    );
    mock.push(
        "POST /v1/sessions/sess_2/revoke",
        Reply::json(200, &session("sess_2", "user_1", "revoked")),
    );
    let (status, body, _) = call(&app, "POST", "/me/sessions/sess_2/revoke", &token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"id": "sess_2", "status": "revoked"}));
    // A path that would leave its segment never reaches Clerk.
    let (status, _, _) = call(&app, "POST", "/me/sessions/..%2Fusers/revoke", &token).await;
    assert_ne!(status, StatusCode::OK);
}

#[tokio::test]
async fn clerk_failures_are_503_with_retry_after_or_502() {
    let mock = ApiMock::start().await;
    let app = app(&mock);
    let token = session_token("user_1");
    // 60 s is past the client's budget: answered at once, with Clerk's Retry-After.
    mock.push(
        "GET /v1/sessions",
        Reply::clerk_error(429, "too_many_requests").header("retry-after", "60"),
    );
    let (status, body, retry) = call(&app, "GET", "/me/sessions", &token).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(retry.as_deref(), Some("60"));
    assert_eq!(body["trace_id"], "trace_mock_429");
    assert_eq!(mock.count(), 1);
    mock.push("GET /v1/sessions", Reply::raw(200, "<html>not json</html>"));
    let (status, _, _) = call(&app, "GET", "/me/sessions", &token).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
}

#[tokio::test]
async fn machine_ping_takes_api_keys_and_opaque_tokens() {
    let mock = ApiMock::start().await;
    let app = app(&mock);
    let ms = now() * 1000;
    mock.push(
        "POST /v1/api_keys/verify",
        Reply::json(
            200,
            &json!({
                "object": "api_key", "id": "ak_id", "type": "api_key", "subject": "org_1",
                "name": "ci", "claims": {}, "scopes": [], "revoked": false,
                "revocation_reason": null, "expired": false, "expiration": null,
                "created_by": null, "last_used_at": null, "created_at": ms, "updated_at": ms
            }),
        ),
    );
    let (status, body, _) = call(&app, "GET", "/machine/ping", "ak_live_secret").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body,
        json!({"subject": "org_1", "token_type": "api_key", "machine_id": null})
    );
    mock.push(
        "POST /v1/m2m_tokens/verify",
        Reply::clerk_error(404, "not_found"),
    );
    let (status, _, _) = call(&app, "GET", "/machine/ping", "mt_unknown").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Nothing queued: the mock answers the spec's example of a verified M2M token, whose
    // subject is a machine.
    let (status, body, _) = call(&app, "GET", "/machine/ping", "mt_example").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "m2m_token");
    assert!(
        body["subject"].as_str().unwrap().starts_with("mch_"),
        "{body}"
    );
    assert_eq!(body["machine_id"], body["subject"]);
}

#[test]
fn the_secret_key_alone_takes_the_keys_from_the_backend_api() {
    let config = Config::from_vars(|name| match name {
        "CLERK_SECRET_KEY" => Some(SECRET.into()),
        "CLERK_API_URL" => Some("http://127.0.0.1:9/".into()),
        _ => None,
    })
    .unwrap();
    assert_eq!(
        config.keys,
        Keys::Url {
            url: "http://127.0.0.1:9/v1/jwks".into(),
            secret_key: Some(SECRET.into())
        }
    );
    assert!(!format!("{config:?}").contains(SECRET));
}
