//! An axum API behind Clerk: the configuration read from the environment, and the routes.
//! `src/main.rs` serves it; the tests drive the same router.
//!
//! | Route | Needs | 200 body |
//! |---|---|---|
//! | `GET /healthz` | nothing | `ok` |
//! | `GET /me` | a session token | `{"user_id", "session_id", "org_id", "org_role"}` |
//! | `GET /org/invoices` | a session whose organization grants `org:invoices:read` | `{"org_id", "invoices": []}` |
//! | `GET /machine/ping` | an M2M JWT; with `CLERK_SECRET_KEY`, also an API key or an opaque M2M or OAuth token | `{"subject", "token_type", "machine_id"}` (`machine_id` for M2M only) |
//! | `GET /me/sessions` | a session token, and `CLERK_SECRET_KEY` | `{"sessions": [{"id", "status", "last_active_at"}]}`: the caller's active sessions |
//! | `POST /me/sessions/{session_id}/revoke` | the same | `{"id", "status"}`; 404 for a session that is not the caller's, nothing revoked |
//!
//! A Backend API failure is 503 (with Clerk's `Retry-After` when it sent one) when Clerk is
//! away or rate-limiting, else 502: never a 500, never the secret key in a body.

use std::fmt;
use std::net::SocketAddr;

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use clerk_models::jwt::TokenType;
use clerk_models_api::models::GetSessionListStatus;
use clerk_models_api::sessions::{GetSession, GetSessionList, RevokeSession};
use clerk_models_api::{ApiError, ApiErrorKind, Client, DEFAULT_API_URL, SecretKey};
use clerk_models_axum::{Auth, ClerkLayer, KeySet, MachineAuth, Permission, RequirePermission};
use serde_json::{Value, json};

/// Where the keys come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keys {
    /// `CLERK_JWT_KEY`: the PEM public key (networkless).
    Pem(String),
    /// `CLERK_JWKS_URL`, and `CLERK_SECRET_KEY` if set (sent as Bearer).
    Url {
        /// The JWKS URL.
        url: String,
        /// The Backend API secret key.
        secret_key: Option<String>,
    },
}

/// The server's configuration.
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    /// The verification keys.
    pub keys: Keys,
    /// `CLERK_AUTHORIZED_PARTIES`, comma-separated; empty: any `azp`.
    pub authorized_parties: Vec<String>,
    /// `BIND`: `127.0.0.1:3000` by default; port 0 picks a free one.
    pub bind: SocketAddr,
    /// `CLERK_SECRET_KEY`: the Backend API's secret key, for the session routes and opaque
    /// machine tokens.
    pub secret_key: Option<String>,
    /// `CLERK_API_URL`: the Backend API (Clerk's by default).
    pub api_url: String,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = match &self.keys {
            Keys::Pem(_) => "CLERK_JWT_KEY".to_owned(),
            Keys::Url { url, .. } => url.clone(),
        };
        f.debug_struct("Config")
            .field("keys", &keys)
            .field("authorized_parties", &self.authorized_parties)
            .field("bind", &self.bind)
            .field("secret_key", &self.secret_key.as_ref().map(|_| "<set>"))
            .field("api_url", &self.api_url)
            .finish()
    }
}

/// The default `BIND`.
pub const DEFAULT_BIND: &str = "127.0.0.1:3000";

impl Config {
    /// Reads the configuration from the process environment.
    ///
    /// # Errors
    ///
    /// As [`from_vars`](Self::from_vars).
    pub fn from_env() -> Result<Self, String> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `var` (the environment, or a test's map).
    ///
    /// # Errors
    ///
    /// A message naming the variable when none of `CLERK_JWT_KEY`, `CLERK_JWKS_URL` and
    /// `CLERK_SECRET_KEY` is set, or the first two both are, or `BIND` is not an address.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let secret_key = set("CLERK_SECRET_KEY");
        let api_url = set("CLERK_API_URL").unwrap_or_else(|| DEFAULT_API_URL.to_owned());
        let keys = match (set("CLERK_JWT_KEY"), set("CLERK_JWKS_URL"), &secret_key) {
            // `KeySet::from_pem` takes every form people hold the key in.
            (Some(pem), None, _) => Keys::Pem(pem),
            (None, Some(url), _) => Keys::Url {
                url,
                secret_key: secret_key.clone(),
            },
            // The secret key alone: the Backend API's JWKS.
            (None, None, Some(key)) => Keys::Url {
                url: format!("{}/v1/jwks", api_url.trim_end_matches('/')),
                secret_key: Some(key.clone()),
            },
            (Some(_), Some(_), _) => {
                return Err("set one of CLERK_JWT_KEY and CLERK_JWKS_URL, not both".into());
            }
            (None, None, None) => {
                return Err(
                    "set CLERK_JWT_KEY (the PEM public key), CLERK_JWKS_URL or CLERK_SECRET_KEY"
                        .into(),
                );
            }
        };
        let authorized_parties = set("CLERK_AUTHORIZED_PARTIES")
            .map(|list| {
                list.split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let bind = set("BIND").unwrap_or_else(|| DEFAULT_BIND.to_owned());
        let bind = bind
            .parse()
            .map_err(|e| format!("BIND is not an address such as 127.0.0.1:3000: {e}"))?;
        Ok(Self {
            keys,
            authorized_parties,
            bind,
            secret_key,
            api_url,
        })
    }

    /// The Backend API client, when `CLERK_SECRET_KEY` is set.
    ///
    /// # Errors
    ///
    /// Why the secret key or `CLERK_API_URL` is refused (never the key itself).
    pub fn client(&self) -> Result<Option<Client>, String> {
        let Some(key) = &self.secret_key else {
            return Ok(None);
        };
        let key: SecretKey = key.parse().map_err(|e| format!("CLERK_SECRET_KEY: {e}"))?;
        Client::builder(key)
            .base_url(&self.api_url)
            .build()
            .map(Some)
            .map_err(|e| format!("CLERK_API_URL: {e}"))
    }

    /// The key set this configuration names.
    ///
    /// # Errors
    ///
    /// Why the PEM key or the URL is refused.
    pub fn key_set(&self) -> Result<KeySet, String> {
        match &self.keys {
            Keys::Pem(pem) => KeySet::from_pem(pem).map_err(|e| format!("CLERK_JWT_KEY: {e}")),
            Keys::Url { url, secret_key } => {
                let mut builder =
                    KeySet::jwks_url(url).map_err(|e| format!("CLERK_JWKS_URL: {e}"))?;
                if let Some(key) = secret_key {
                    builder = builder.secret_key(key.clone());
                }
                builder.build().map_err(|e| format!("CLERK_JWKS_URL: {e}"))
            }
        }
    }

    /// The layer: session tokens and M2M JWTs, with the authorized parties if any; with a
    /// `client`, also API keys and opaque M2M and OAuth tokens.
    pub fn layer(&self, keys: KeySet, client: Option<&Client>) -> ClerkLayer {
        let mut layer = ClerkLayer::new(keys).accept(TokenType::M2mToken);
        if let Some(client) = client {
            layer = layer
                .accept(TokenType::ApiKey)
                .accept(TokenType::OAuthToken)
                .with_api(client.clone());
        }
        if self.authorized_parties.is_empty() {
            layer
        } else {
            layer.with_authorized_parties(self.authorized_parties.iter().cloned())
        }
    }
}

/// The permission `/org/invoices` needs.
pub struct ReadInvoices;

impl Permission for ReadInvoices {
    const NAME: &'static str = "org:invoices:read";
}

/// The routes, under `layer`; the session routes call the Backend API with `client`.
pub fn router(layer: ClerkLayer, client: Option<Client>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/me", get(me))
        .route("/me/sessions", get(sessions))
        .route("/me/sessions/{session_id}/revoke", post(revoke))
        .route("/org/invoices", get(invoices))
        .route("/machine/ping", get(ping))
        .layer(layer)
        .with_state(client)
}

/// A Backend API failure, as this API answers it: 503 (with Clerk's `Retry-After`) while
/// Clerk is away or rate-limiting, 404 for a session Clerk does not have, else 502.
struct Upstream(ApiError);

impl IntoResponse for Upstream {
    fn into_response(self) -> Response {
        let error = self.0;
        let status = error.status().map(|s| s.as_u16());
        let (code, reason) = match (error.kind(), status) {
            (_, Some(404)) => (StatusCode::NOT_FOUND, "not_found"),
            (_, Some(429 | 500..=599))
            | (ApiErrorKind::NotConnected | ApiErrorKind::Transport | ApiErrorKind::Timeout, _) => {
                (StatusCode::SERVICE_UNAVAILABLE, "clerk_unavailable")
            }
            _ => (StatusCode::BAD_GATEWAY, "clerk_error"),
        };
        // The trace id helps Clerk's support; the key and the body stay out.
        let body = json!({"error": reason, "trace_id": error.trace_id()});
        let mut response = (code, Json(body)).into_response();
        if code == StatusCode::SERVICE_UNAVAILABLE {
            let seconds = error.retry_after().map_or(1, |r| {
                r.delay_from(std::time::SystemTime::now()).as_secs().max(1)
            });
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// 503 `backend_api_unconfigured`: a session route without `CLERK_SECRET_KEY`.
fn unconfigured() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({"error": "backend_api_unconfigured"})),
    )
        .into_response()
}

async fn sessions(State(client): State<Option<Client>>, auth: Auth) -> Response {
    let Some(client) = client else {
        return unconfigured();
    };
    let request = GetSessionList::new()
        .user_id(auth.sub.clone())
        .status(GetSessionListStatus::Active);
    let mut pages = client.paginate(request);
    let mut sessions = Vec::new();
    while let Some(session) = pages.next().await {
        match session {
            Ok(s) => sessions.push(json!({
                "id": s.id, "status": s.status.as_str(), "last_active_at": s.last_active_at
            })),
            Err(e) => return Upstream(e).into_response(),
        }
    }
    Json(json!({ "sessions": sessions })).into_response()
}

async fn revoke(
    State(client): State<Option<Client>>,
    auth: Auth,
    Path(session_id): Path<String>,
) -> Response {
    let Some(client) = client else {
        return unconfigured();
    };
    // Only the caller's own: another user's session is "not found", and nothing is revoked.
    let session = match client.send(&GetSession::new(session_id.clone())).await {
        Ok(session) => session,
        Err(e) => return Upstream(e).into_response(),
    };
    if session.user_id != auth.sub {
        return (StatusCode::NOT_FOUND, Json(json!({"error": "not_found"}))).into_response();
    }
    match client.send(&RevokeSession::new(session_id)).await {
        Ok(revoked) => {
            Json(json!({"id": revoked.id, "status": revoked.status.as_str()})).into_response()
        }
        Err(e) => Upstream(e).into_response(),
    }
}

async fn me(auth: Auth) -> Json<Value> {
    let organization = auth.organization();
    Json(json!({
        "user_id": auth.sub,
        "session_id": auth.sid,
        "org_id": organization.as_ref().map(|o| o.id()),
        "org_role": organization.as_ref().and_then(|o| o.role()).map(|r| r.key()),
    }))
}

async fn invoices(auth: RequirePermission<ReadInvoices>) -> Json<Value> {
    let org_id = auth.organization().map(|o| o.id().to_owned());
    Json(json!({"org_id": org_id, "invoices": []}))
}

async fn ping(machine: MachineAuth) -> Json<Value> {
    let machine_id = (machine.token_type() == TokenType::M2mToken).then(|| machine.subject());
    Json(json!({
        "subject": machine.subject(),
        "token_type": machine.class_name(),
        "machine_id": machine_id,
    }))
}
