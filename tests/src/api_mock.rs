//! A programmable mock of Clerk's Backend API on 127.0.0.1 (feature `axum`), for the client's
//! and the layer's tests.
//!
//! Every request is recorded and counted. Each answer is the next [`Reply`] queued for its
//! route (`"GET /v1/users"`, `"POST /v1/api_keys/verify"`), else the route's default:
//! - `GET /v1/users` pages over [`ApiMock::set_users`] users by `limit` and `offset`, as Clerk
//!   does, and `GET /v1/users/user_…` is that user;
//! - any other operation of the spec answers its success example: the spec's examples where
//!   it gives them, a sample of the answer's schema elsewhere ([`xtask::api_examples`], what
//!   the generated operation tests decode), so `POST /v1/api_keys/verify` says the key is good;
//! - a route no operation has is Clerk's 404 error.
//!
//! A reply can be any status with any headers (`Retry-After`), a delay, an oversized or
//! truncated body, or a hang. The mock stops by itself after 60 s or 10,000 requests, and when
//! dropped.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{Value, json};

/// One answer of the mock.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
    hang: bool,
}

impl Reply {
    /// `status` with a JSON body.
    #[must_use]
    pub fn json(status: u16, body: &Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
            delay: Duration::ZERO,
            hang: false,
        }
    }

    /// `status` with Clerk's error body: `code`, and a trace id.
    #[must_use]
    pub fn clerk_error(status: u16, code: &str) -> Self {
        Self::json(
            status,
            &json!({
                "errors": [{"message": code, "long_message": format!("{code} (mock)"), "code": code}],
                "clerk_trace_id": format!("trace_mock_{status}"),
            }),
        )
    }

    /// `status` with this raw body.
    #[must_use]
    pub fn raw(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
            hang: false,
        }
    }

    /// 200 with `len` bytes of JSON whitespace.
    #[must_use]
    pub fn oversized(len: usize) -> Self {
        Self::raw(200, vec![b' '; len])
    }

    /// Never answers: the client's timeout must end it.
    #[must_use]
    pub fn hang() -> Self {
        Self {
            hang: true,
            ..Self::raw(200, Vec::new())
        }
    }

    /// The same, with a header.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The same, after waiting `delay`.
    #[must_use]
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A request the mock received.
#[derive(Clone, Debug)]
pub struct Received {
    /// `GET`, `POST`…
    pub method: String,
    /// The path and the query (`/v1/users?limit=500&offset=0`).
    pub path_and_query: String,
    /// Its headers, names in lowercase.
    pub headers: Vec<(String, String)>,
    /// Its body.
    pub body: Vec<u8>,
}

#[derive(Debug, Default)]
struct Shared {
    queues: Mutex<HashMap<String, VecDeque<Reply>>>,
    received: Mutex<Vec<Received>>,
    /// Requests answered so far, and the most it answers.
    count: AtomicUsize,
    max_requests: usize,
    users: AtomicUsize,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the tests' mock answers at most: requests, and time.
const MAX_REQUESTS: usize = 10_000;
const LIFETIME: Duration = Duration::from_secs(60);
/// A benchmark's requests are not recorded (only counted) past this many.
const RECORDED: usize = 10_000;

/// The running mock. Its base URL is what a client takes as `CLERK_API_URL`.
#[derive(Debug)]
pub struct ApiMock {
    /// `http://127.0.0.1:<port>`
    pub base_url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl ApiMock {
    /// Starts the mock on a free port of 127.0.0.1.
    ///
    /// # Panics
    ///
    /// If no port of 127.0.0.1 can be bound.
    pub async fn start() -> Self {
        Self::start_bounded(MAX_REQUESTS, LIFETIME).await
    }

    /// Starts a mock that answers at most `max_requests` requests and stops after
    /// `lifetime` (a benchmark's: the tests' mock stops at 10,000 and 60 s).
    ///
    /// # Panics
    ///
    /// If no port of 127.0.0.1 can be bound.
    #[allow(clippy::expect_used)]
    pub async fn start_bounded(max_requests: usize, lifetime: Duration) -> Self {
        // Read the examples now, not in the first request's time.
        let _ = examples();
        let shared = Arc::new(Shared {
            max_requests,
            ..Shared::default()
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let app = axum::Router::new()
            .fallback(answer)
            .with_state(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app);
            let _ = tokio::time::timeout(lifetime, serve).await;
        });
        Self {
            base_url: format!("http://{addr}"),
            shared,
            task,
        }
    }

    /// Queues `reply` as the next answer to `route` (`"GET /v1/users"`: the method and the
    /// path, without the query).
    pub fn push(&self, route: &str, reply: Reply) {
        lock(&self.shared.queues)
            .entry(route.to_owned())
            .or_default()
            .push_back(reply);
    }

    /// Makes `GET /v1/users` page over `count` users (`user_0000`…).
    pub fn set_users(&self, count: usize) {
        self.shared.users.store(count, Ordering::SeqCst);
    }

    /// How many requests reached the mock.
    #[must_use]
    pub fn count(&self) -> usize {
        self.shared.count.load(Ordering::SeqCst)
    }

    /// Every request, in order.
    #[must_use]
    pub fn received(&self) -> Vec<Received> {
        lock(&self.shared.received).clone()
    }
}

impl Drop for ApiMock {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A user as `GET /v1/users` answers it: every key `User` requires.
#[must_use]
pub fn user(i: usize) -> Value {
    json!({
        "object": "user", "id": format!("user_{i:04}"), "external_id": null,
        "username": null, "first_name": "User", "last_name": format!("{i}"),
        "primary_email_address_id": null, "primary_phone_number_id": null,
        "primary_web3_wallet_id": null, "password_enabled": false, "two_factor_enabled": false,
        "email_addresses": [], "phone_numbers": [], "web3_wallets": [], "external_accounts": [],
        "public_metadata": {}, "last_sign_in_at": null,
        "created_at": 1_700_000_000_000_i64 + i as i64, "updated_at": 1_700_000_000_000_i64
    })
}

async fn answer(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body: Bytes = axum::body::to_bytes(body, 1 << 24)
        .await
        .unwrap_or_default();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().unwrap_or_default().to_owned();
    let n = shared.count.fetch_add(1, Ordering::SeqCst) + 1;
    {
        let mut received = lock(&shared.received);
        if received.len() < RECORDED {
            received.push(Received {
                method: parts.method.to_string(),
                path_and_query: parts
                    .uri
                    .path_and_query()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                headers: parts
                    .headers
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_owned()))
                    .collect(),
                body: body.to_vec(),
            });
        }
    }
    if n > shared.max_requests {
        return respond(Reply::raw(503, Vec::new()));
    }
    let route = format!("{} {path}", parts.method);
    let queued = lock(&shared.queues)
        .get_mut(&route)
        .and_then(VecDeque::pop_front);
    let reply = match queued {
        Some(reply) => reply,
        None if route == "GET /v1/users" => users_page(shared.users.load(Ordering::SeqCst), &query),
        None if route.starts_with("GET /v1/users/user_") => {
            let mut one = user(0);
            one["id"] = Value::String(path.trim_start_matches("/v1/users/").to_owned());
            Reply::json(200, &one)
        }
        None => match example(parts.method.as_str(), &path) {
            Some(example) => match &example.body {
                Some(body) => Reply::json(example.status, body),
                None => Reply::raw(example.status, Vec::new()),
            },
            None => Reply::clerk_error(404, "resource_not_found"),
        },
    };
    if reply.hang {
        return std::future::pending().await;
    }
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    respond(reply)
}

/// Every operation's success example, read once from `schemas/api/`.
///
/// # Panics
///
/// If `schemas/` cannot be read.
#[must_use]
#[allow(clippy::expect_used)]
pub fn examples() -> &'static [xtask::ExampleAnswer] {
    static EXAMPLES: OnceLock<Vec<xtask::ExampleAnswer>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        xtask::api_examples(&xtask::workspace_root()).expect("the operations of schemas/api/")
    })
}

/// The example of the operation whose method is `method` and whose path template matches
/// `path`; of several (`/v1/users/count` and `/v1/users/{user_id}`), the one with the most
/// literal segments.
#[must_use]
pub fn example(method: &str, path: &str) -> Option<&'static xtask::ExampleAnswer> {
    examples()
        .iter()
        .filter(|e| e.method == method)
        .filter_map(|e| template_match(&e.path, path).map(|literal| (literal, e)))
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, e)| e)
}

/// How many literal segments of `template` `path` matches, if it matches every segment (a
/// `{parameter}` matches any segment that is not empty).
fn template_match(template: &str, path: &str) -> Option<usize> {
    let mut literal = 0;
    let mut path_segments = path.split('/');
    for expected in template.split('/') {
        let got = path_segments.next()?;
        if expected.starts_with('{') && expected.ends_with('}') {
            if got.is_empty() {
                return None;
            }
        } else if expected == got {
            literal += 1;
        } else {
            return None;
        }
    }
    path_segments.next().is_none().then_some(literal)
}

/// A page of users, as Clerk answers `GET /v1/users` (a bare array).
fn users_page(count: usize, query: &str) -> Reply {
    let param = |key: &str| {
        query
            .split('&')
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.parse::<usize>().ok())
    };
    let limit = param("limit").unwrap_or(10);
    let offset = param("offset").unwrap_or(0);
    let page: Vec<Value> = (offset..count.min(offset.saturating_add(limit)))
        .map(user)
        .collect();
    Reply::json(200, &Value::Array(page))
}

fn respond(reply: Reply) -> Response {
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            response.headers_mut().append(name, value);
        }
    }
    response
}
