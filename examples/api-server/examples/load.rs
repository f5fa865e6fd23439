//! A bounded load test of the example's router on 127.0.0.1, in one process: `N` requests
//! at concurrency `C` for each scenario, over HTTP/1.1 keep-alive connections.
//!
//! - `healthz`: `GET /healthz`, the baseline (the layer finds no token);
//! - `me_repeated`: `GET /me` with one token (verified once, then found in the cache);
//! - `me_distinct`: `GET /me` with a new token each request (each verified in full);
//! - `ping_api_key`: `GET /machine/ping` with one API key (verified once through a mock of
//!   the Backend API on 127.0.0.1, then found in the layer's opaque-token cache).
//!
//! ```text
//! cargo run --release -p api-server --example load -- [--requests N] [--concurrency C] [--json PATH]
//! ```
//!
//! Prints requests/s, p50 and p99 per scenario; with `--json`, writes them for
//! `cargo xtask bench-report`. Exits non-zero if any answer is not 200.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use api_server::Config;
use clerk_models_tests::api_mock::{ApiMock, Reply};
use clerk_models_tests::signing::key_a;
use http_body_util::{BodyExt as _, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

struct Options {
    requests: usize,
    concurrency: usize,
    json: Option<String>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        requests: 10_000,
        concurrency: 32,
        json: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--requests" => {
                options.requests = value()?.parse().map_err(|e| format!("--requests: {e}"))?
            }
            "--concurrency" => {
                options.concurrency = value()?
                    .parse()
                    .map_err(|e| format!("--concurrency: {e}"))?
            }
            "--json" => options.json = Some(value()?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if options.requests == 0 || options.concurrency == 0 || options.requests > 1_000_000 {
        return Err("--requests must be 1 to 1,000,000 and --concurrency at least 1".into());
    }
    Ok(options)
}

fn session_token(now: u64, i: usize) -> String {
    key_a().session_token(&json!({
        "azp": "https://app.example.com", "exp": now + 3600, "iat": now, "nbf": now - 10,
        "iss": "https://clerk.example.com", "sid": format!("sess_{i}"), "sub": "user_1", "v": 2
    }))
}

struct Outcome {
    name: &'static str,
    seconds: f64,
    latencies: Vec<Duration>,
    errors: usize,
}

async fn scenario(
    name: &'static str,
    base: &str,
    path: &str,
    tokens: Arc<Vec<String>>,
    options: &Options,
) -> Outcome {
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let uri: hyper::Uri = format!("{base}{path}").parse().unwrap();
    let started = Instant::now();
    let workers: Vec<_> = (0..options.concurrency)
        .map(|_| {
            let (client, next, errors, tokens, uri) = (
                client.clone(),
                next.clone(),
                errors.clone(),
                tokens.clone(),
                uri.clone(),
            );
            let total = options.requests;
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= total {
                        return latencies;
                    }
                    let mut request = hyper::Request::get(uri.clone());
                    if !tokens.is_empty() {
                        let token = &tokens[i % tokens.len()];
                        request = request.header("authorization", format!("Bearer {token}"));
                    }
                    let begun = Instant::now();
                    let ok = match client.request(request.body(Empty::new()).unwrap()).await {
                        Ok(response) => {
                            let ok = response.status() == 200;
                            ok && response.into_body().collect().await.is_ok()
                        }
                        Err(_) => false,
                    };
                    latencies.push(begun.elapsed());
                    if !ok {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(options.requests);
    for worker in workers {
        latencies.extend(worker.await.unwrap());
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort();
    Outcome {
        name,
        seconds,
        latencies,
        errors: errors.load(Ordering::Relaxed),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> std::process::ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(why) => {
            eprintln!("load: {why}");
            return std::process::ExitCode::from(2);
        }
    };
    // The Backend API, for the API key: its verify answer queued for the first requests,
    // which run at once; the layer's cache answers every later one.
    let mock = ApiMock::start_bounded(options.requests * 4, Duration::from_secs(600)).await;
    let ms = i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    for _ in 0..options.concurrency {
        mock.push(
            "POST /v1/api_keys/verify",
            Reply::json(
                200,
                &json!({
                    "object": "api_key", "id": "ak_id", "type": "api_key", "subject": "org_1",
                    "name": "load", "claims": {}, "scopes": [], "revoked": false,
                    "revocation_reason": null, "expired": false, "expiration": null,
                    "created_by": null, "last_used_at": null, "created_at": ms, "updated_at": ms
                }),
            ),
        );
    }
    let base_url = mock.base_url.clone();
    let config = Config::from_vars(|name| match name {
        "CLERK_JWT_KEY" => Some(key_a().public_pem.clone()),
        "CLERK_SECRET_KEY" => Some("sk_test_load_0123456789".into()),
        "CLERK_API_URL" => Some(base_url.clone()),
        _ => None,
    })
    .unwrap();
    let client = config.client().unwrap();
    let app = api_server::router(
        config.layer(config.key_set().unwrap(), client.as_ref()),
        client,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    eprintln!("signing {} distinct tokens...", options.requests);
    let distinct: Vec<String> = (0..options.requests)
        .map(|i| session_token(now, i))
        .collect();
    let repeated = vec![session_token(now, usize::MAX)];
    let mut outcomes = Vec::new();
    for (name, path, tokens) in [
        ("healthz", "/healthz", Vec::new()),
        ("me_repeated", "/me", repeated),
        ("me_distinct", "/me", distinct),
        (
            "ping_api_key",
            "/machine/ping",
            vec!["ak_load_test_key".to_owned()],
        ),
    ] {
        let run = scenario(name, &base, path, Arc::new(tokens), &options);
        let outcome = tokio::time::timeout(Duration::from_secs(300), run)
            .await
            .expect("a scenario took over 300 s");
        outcomes.push(outcome);
    }
    server.abort();

    let mut rows = Vec::new();
    println!(
        "{} requests at concurrency {} per scenario, 127.0.0.1",
        options.requests, options.concurrency
    );
    println!(
        "{:<12} {:>10} {:>10} {:>10} {:>7}",
        "scenario", "req/s", "p50 µs", "p99 µs", "errors"
    );
    let mut failed = false;
    for o in &outcomes {
        let rps = o.latencies.len() as f64 / o.seconds;
        let p50 = percentile(&o.latencies, 0.50).as_secs_f64() * 1e6;
        let p99 = percentile(&o.latencies, 0.99).as_secs_f64() * 1e6;
        println!(
            "{:<12} {:>10.0} {:>10.0} {:>10.0} {:>7}",
            o.name, rps, p50, p99, o.errors
        );
        failed |= o.errors > 0;
        rows.push(json!({"name": o.name, "requests_per_second": rps, "p50_us": p50, "p99_us": p99, "errors": o.errors}));
    }
    if let Some(path) = &options.json {
        let report: Value = json!({"requests": options.requests, "concurrency": options.concurrency, "scenarios": rows});
        std::fs::write(path, report.to_string()).expect("write the JSON report");
    }
    if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
