//! What the layer's and the key set's tests share: claims, a router with every extractor,
//! and a request helper. Tokens are signed with keys made by the test
//! (`clerk_models_tests::signing`); nothing leaves 127.0.0.1.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::routing::get;
use clerk_models_axum::{
    Auth, ClerkLayer, MachineAuth, ManualClock, Permission, RequirePermission, RequireRole, Role,
};
use serde_json::{Value, json};

pub use clerk_models_tests::router::get_with;
pub use clerk_models_tests::signing::{TestKey, key_a, key_b};

/// The tests' "now": 2024-04-15T05:20:00Z.
pub const NOW: u64 = 1_713_158_400;

pub fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW)
}

pub fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(start()))
}

/// A v2 session token's claims granting `org:invoices:read` as `org:admin` in `org_1`.
pub fn session(patch: &Value) -> Value {
    let now = i64::try_from(NOW).unwrap();
    let mut claims = json!({
        "azp": "https://app.example.com", "exp": now + 60, "iat": now, "nbf": now - 10,
        "iss": "https://clerk.example.com", "sid": "sess_1", "sub": "user_1", "v": 2,
        "fea": "o:invoices", "o": {"id": "org_1", "rol": "admin", "per": "read", "fpm": "1"}
    });
    merge(&mut claims, patch);
    claims
}

/// An M2M token's claims (`sub` names a machine).
pub fn m2m(patch: &Value) -> Value {
    let now = i64::try_from(NOW).unwrap();
    let mut claims = json!({
        "iss": "https://clerk.example.com", "sub": "mch_2vYV", "aud": ["mch_1"],
        "exp": now + 60, "iat": now, "nbf": now - 10, "jti": "mt_2xKa", "scopes": "mch_1"
    });
    merge(&mut claims, patch);
    claims
}

pub fn merge(base: &mut Value, patch: &Value) {
    if let (Some(base), Some(patch)) = (base.as_object_mut(), patch.as_object()) {
        for (k, v) in patch {
            if v.is_null() {
                base.remove(k);
            } else {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// An M2M JWT signed with `key`.
pub fn m2m_token(key: &TestKey) -> String {
    key.sign(
        &json!({"alg": "RS256", "kid": key.kid, "typ": "JWT"}),
        &m2m(&json!({})),
    )
}

/// An OAuth access token JWT signed with `key`.
pub fn oauth_token(key: &TestKey) -> String {
    let now = i64::try_from(NOW).unwrap();
    key.sign(
        &json!({"alg": "RS256", "kid": key.kid, "typ": "at+jwt"}),
        &json!({"sub": "user_1", "exp": now + 60, "iat": now, "azp": "https://app.example.com",
                "client_id": "oauth_app_1", "scope": "read write", "jti": "oat_1"}),
    )
}

pub struct ReadInvoices;
impl Permission for ReadInvoices {
    const NAME: &'static str = "org:invoices:read";
}

pub struct Admin;
impl Role for Admin {
    const NAME: &'static str = "org:admin";
}

/// Every extractor on its own route, under `layer`.
pub fn app(layer: ClerkLayer) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/me",
            get(|auth: Auth| async move { auth.user_id().to_owned() }),
        )
        .route(
            "/maybe",
            get(|auth: Option<Auth>| async move {
                auth.map_or("anonymous".to_owned(), |a| a.sub.clone())
            }),
        )
        .route(
            "/invoices",
            get(|auth: RequirePermission<ReadInvoices>| async move { auth.sub.clone() }),
        )
        .route(
            "/admin",
            get(|auth: RequireRole<Admin>| async move { auth.sub.clone() }),
        )
        .route(
            "/machine",
            get(|machine: MachineAuth| async move { machine.subject().to_owned() }),
        )
        .layer(layer)
}
