//! One Backend API call's work on this side of the wire, against doing it by hand in the same
//! run: `GetSession` builds its request and decodes the answer into `clerk_models::Session`;
//! the baseline builds the same request with `http::Request::builder` and decodes the answer
//! with serde_json into a hand-written struct of the same fields (plain `String`/`i64`).
//!
//! The answer is a real `GET /v1/sessions/{id}` body from `../shared/fixtures/clerk` (or
//! `$CLERK_FIXTURES_DIR`). `cargo xtask bench-report` reads the result.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use clerk_models_api::sessions::GetSession;
use clerk_models_api::{API_VERSION, DEFAULT_API_URL, Endpoint, SecretKey};
use criterion::{Criterion, criterion_group, criterion_main};
use serde::Deserialize;
use serde_json::{Map, Value};

const FIXTURE: &str = "clerk-sdk-python-issue120__session_get_reconstructed.json";
const KEY: &str = "sk_test_benchmark_key_0123456789";

#[derive(Deserialize)]
#[allow(dead_code)]
struct BaseTask {
    key: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BaseActivity {
    object: String,
    id: String,
    device_type: Option<String>,
    is_mobile: bool,
    browser_name: Option<String>,
    browser_version: Option<String>,
    ip_address: Option<String>,
    city: Option<String>,
    country: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BaseSession {
    object: String,
    id: String,
    user_id: String,
    client_id: String,
    actor: Option<Map<String, Value>>,
    status: String,
    last_active_organization_id: Option<String>,
    last_active_at: i64,
    latest_activity: Option<BaseActivity>,
    expire_at: i64,
    abandon_at: i64,
    updated_at: i64,
    created_at: i64,
    tasks: Option<Vec<BaseTask>>,
}

fn fixture() -> Vec<u8> {
    let dir = std::env::var_os("CLERK_FIXTURES_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/clerk"),
        PathBuf::from,
    );
    std::fs::read(dir.join(FIXTURE))
        .unwrap_or_else(|e| panic!("the benchmark reads {FIXTURE} from {}: {e}", dir.display()))
}

fn get_session(c: &mut Criterion) {
    let body = fixture();
    let key: SecretKey = KEY.parse().unwrap();
    let id = "sess_2wmSnIrq5dtl2HNZf1WfgeHraby";
    let mut group = c.benchmark_group("api_get_session");
    group.bench_function("baseline", |b| {
        b.iter(|| {
            let request = http::Request::builder()
                .method(http::Method::GET)
                .uri(format!("{DEFAULT_API_URL}/v1/sessions/{}", black_box(id)))
                .header(http::header::AUTHORIZATION, format!("Bearer {KEY}"))
                .header("Clerk-API-Version", API_VERSION)
                .header(http::header::USER_AGENT, "clerk-models-api/0.1.0")
                .body(Vec::<u8>::new())
                .unwrap();
            let session: BaseSession = serde_json::from_slice(black_box(&body)).unwrap();
            (request, session)
        });
    });
    group.bench_function("generated", |b| {
        b.iter(|| {
            let request = GetSession::new(black_box(id))
                .to_http_request(DEFAULT_API_URL, &key)
                .unwrap();
            let response = http::Response::builder()
                .status(200)
                .body(black_box(&body[..]))
                .unwrap();
            let session = GetSession::from_http_response(response).unwrap();
            (request, session)
        });
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = get_session
}
criterion_main!(benches);
