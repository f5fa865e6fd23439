//! An axum API behind Clerk: the configuration read from the environment, and the routes.
//! `src/main.rs` serves it; the tests drive the same router.
//!
//! | Route | Needs | 200 body |
//! |---|---|---|
//! | `GET /healthz` | nothing | `ok` |
//! | `GET /me` | a session token | `{"user_id", "session_id", "org_id", "org_role"}` |
//! | `GET /org/invoices` | a session whose organization grants `org:invoices:read` | `{"org_id", "invoices": []}` |
//! | `GET /machine/ping` | an M2M JWT | `{"machine_id"}` |

use std::fmt;
use std::net::SocketAddr;

use axum::Json;
use axum::Router;
use axum::routing::get;
use clerk_models::jwt::TokenType;
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
    /// A message naming the variable when neither `CLERK_JWT_KEY` nor `CLERK_JWKS_URL` is
    /// set, or both are, or `BIND` is not an address.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let keys = match (set("CLERK_JWT_KEY"), set("CLERK_JWKS_URL")) {
            (Some(pem), None) => Keys::Pem(pem.replace("\\n", "\n")),
            (None, Some(url)) => Keys::Url {
                url,
                secret_key: set("CLERK_SECRET_KEY"),
            },
            (Some(_), Some(_)) => {
                return Err("set one of CLERK_JWT_KEY and CLERK_JWKS_URL, not both".into());
            }
            (None, None) => {
                return Err("set CLERK_JWT_KEY (the PEM public key) or CLERK_JWKS_URL".into());
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
        })
    }

    /// The key set this configuration names.
    ///
    /// # Errors
    ///
    /// Why the PEM key or the URL is refused.
    pub fn key_set(&self) -> Result<KeySet, String> {
        match &self.keys {
            Keys::Pem(pem) => {
                KeySet::from_pem(pem.as_bytes()).map_err(|e| format!("CLERK_JWT_KEY: {e}"))
            }
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

    /// The layer: session tokens and M2M JWTs, with the authorized parties if any.
    pub fn layer(&self, keys: KeySet) -> ClerkLayer {
        let layer = ClerkLayer::new(keys).accept(TokenType::M2mToken);
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

/// The routes, under `layer`.
pub fn router(layer: ClerkLayer) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/me", get(me))
        .route("/org/invoices", get(invoices))
        .route("/machine/ping", get(ping))
        .layer(layer)
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

async fn ping(machine: MachineAuth) -> Result<Json<Value>, clerk_models_axum::AuthRejection> {
    match machine.m2m() {
        Some(claims) => Ok(Json(json!({"machine_id": claims.sub}))),
        // The layer accepts no OAuth token, so this is never reached; refuse all the same.
        None => Err(clerk_models_axum::AuthRejection::token_class()),
    }
}
