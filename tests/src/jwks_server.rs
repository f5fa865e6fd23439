//! A JWKS endpoint on 127.0.0.1 for the key set's tests (feature `jwks-server`): it counts
//! fetches, serves whatever document the test sets, and fails on demand. It stops by itself
//! after 60 s or 10,000 requests, and when dropped.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// How the endpoint answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// 200 with the current document.
    Serve,
    /// This status and an empty body.
    Status(u16),
    /// 200 with text that is not JSON.
    Garbage,
    /// 200 with a body of 1 MiB and one byte.
    Huge,
    /// Never answers (the client's timeout must end it).
    Hang,
}

#[derive(Debug)]
struct Shared {
    jwks: Mutex<String>,
    mode: Mutex<Mode>,
    fetches: AtomicUsize,
    authorization: Mutex<Option<String>>,
}

/// The running endpoint. Its path is `/.well-known/jwks.json`.
#[derive(Debug)]
pub struct JwksServer {
    /// `http://127.0.0.1:<port>/.well-known/jwks.json`
    pub url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

const MAX_REQUESTS: usize = 10_000;

async fn jwks(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let n = shared.fetches.fetch_add(1, Ordering::SeqCst);
    if n >= MAX_REQUESTS {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    *lock(&shared.authorization) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mode = lock(&shared.mode).clone();
    match mode {
        Mode::Serve => {
            let body = lock(&shared.jwks).clone();
            ([(header::CONTENT_TYPE, "application/json")], body).into_response()
        }
        Mode::Status(code) => StatusCode::from_u16(code)
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            .into_response(),
        Mode::Garbage => "<html>not json</html>".into_response(),
        Mode::Huge => " ".repeat((1 << 20) + 1).into_response(),
        Mode::Hang => std::future::pending().await,
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl JwksServer {
    /// Starts serving `document` on a free port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// If no port of 127.0.0.1 can be bound.
    #[allow(clippy::expect_used)]
    pub async fn start(document: String) -> Self {
        let shared = Arc::new(Shared {
            jwks: Mutex::new(document),
            mode: Mutex::new(Mode::Serve),
            fetches: AtomicUsize::new(0),
            authorization: Mutex::new(None),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let app = axum::Router::new()
            .route("/.well-known/jwks.json", get(jwks))
            .with_state(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app);
            let _ = tokio::time::timeout(Duration::from_secs(60), serve).await;
        });
        Self {
            url: format!("http://{addr}/.well-known/jwks.json"),
            shared,
            task,
        }
    }

    /// How many requests reached the endpoint.
    #[must_use]
    pub fn fetches(&self) -> usize {
        self.shared.fetches.load(Ordering::SeqCst)
    }

    /// Serves `document` from now on (a key rotation).
    pub fn set_jwks(&self, document: String) {
        *lock(&self.shared.jwks) = document;
    }

    /// Answers as `mode` from now on.
    pub fn set_mode(&self, mode: Mode) {
        *lock(&self.shared.mode) = mode;
    }

    /// The `Authorization` header of the last request, if it had one.
    #[must_use]
    pub fn last_authorization(&self) -> Option<String> {
        lock(&self.shared.authorization).clone()
    }
}

impl Drop for JwksServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
