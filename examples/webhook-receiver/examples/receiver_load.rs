//! A bounded load test of the durable receiver on 127.0.0.1, in one process: `N` signed
//! deliveries at concurrency `C` (each a new `user.created`, stored and synced in its own
//! transaction), on SQLite and on PostgreSQL, beside `GET /healthz` (HTTP and one `SELECT 1`)
//! on the same database.
//!
//! ```text
//! cargo run --release -p webhook-receiver --example receiver_load -- [--requests N] [--concurrency C]
//!     [--postgres URL] [--json PATH]
//! ```
//!
//! SQLite is a new file in the temporary folder (WAL, synchronous FULL: each delivery is
//! durable when answered). PostgreSQL is `--postgres`, else `TEST_POSTGRES_URL`, else a
//! throwaway cluster (`.ci/throwaway-postgres`) with fsync on; a new database is made on it.
//! Prints deliveries/s, p50 and p99 per scenario; with `--json`, writes them for
//! `cargo xtask bench-report`. Exits non-zero if any answer is not 200 or a row is missing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clerk_models::webhooks::Webhook;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use sqlx::{AssertSqlSafe, Row as _};
use webhook_receiver::Store;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

struct Options {
    requests: usize,
    concurrency: usize,
    postgres: Option<String>,
    json: Option<String>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        requests: 2_000,
        concurrency: 16,
        postgres: std::env::var("TEST_POSTGRES_URL").ok(),
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
            "--postgres" => options.postgres = Some(value()?),
            "--json" => options.json = Some(value()?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    // Deliveries are signed up front and must arrive within Svix's 5 minutes.
    if options.requests == 0 || options.concurrency == 0 || options.requests > 100_000 {
        return Err("--requests must be 1 to 100,000 and --concurrency at least 1".into());
    }
    Ok(options)
}

/// `N` signed `user.created` deliveries: `(headers, body)`.
fn deliveries(n: usize, run: &str) -> Vec<(Vec<(&'static str, String)>, Bytes)> {
    let webhook = Webhook::new(SECRET).unwrap();
    let ts = i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap();
    (0..n)
        .map(|i| {
            let mut user = clerk_models_tests::user_json();
            user["id"] = format!("user_{run}_{i}").into();
            let body = clerk_models_tests::event_json("user.created", user).to_string();
            let id = format!("msg_{run}_{i}");
            let signature = webhook.sign(&id, ts, body.as_bytes());
            let headers = vec![
                ("svix-id", id),
                ("svix-timestamp", ts.to_string()),
                ("svix-signature", signature),
                ("content-type", "application/json".to_owned()),
            ];
            (headers, Bytes::from(body))
        })
        .collect()
}

/// One request: method, path, headers and body.
type Request = (hyper::Method, String, Vec<(&'static str, String)>, Bytes);

struct Outcome {
    name: String,
    seconds: f64,
    latencies: Vec<Duration>,
    errors: usize,
}

/// Sends every request once, `concurrency` at a time, over keep-alive connections.
async fn scenario(
    name: String,
    base: &str,
    requests: Arc<Vec<Request>>,
    concurrency: usize,
) -> Outcome {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, next, errors, requests) = (
                client.clone(),
                next.clone(),
                errors.clone(),
                requests.clone(),
            );
            let base = base.to_owned();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some((method, path, headers, body)) = requests.get(i) else {
                        return latencies;
                    };
                    let mut request = hyper::Request::builder()
                        .method(method.clone())
                        .uri(format!("{base}{path}"));
                    for (name, value) in headers {
                        request = request.header(*name, value);
                    }
                    let request = request.body(Full::new(body.clone())).unwrap();
                    let begun = Instant::now();
                    let ok = match client.request(request).await {
                        Ok(response) => {
                            let ok = response.status() == 200;
                            response.into_body().collect().await.is_ok() && ok
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
    let mut latencies = Vec::with_capacity(requests.len());
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

/// Runs the two scenarios on one database; checks every delivery made its row.
async fn database(label: &str, url: &str, options: &Options, outcomes: &mut Vec<Outcome>) {
    let store = Store::open(url, Duration::from_secs(30)).await.unwrap();
    let webhook = Webhook::new(SECRET).unwrap();
    let app = webhook_receiver::app(webhook, store.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let health: Vec<_> = (0..options.requests)
        .map(|_| {
            (
                hyper::Method::GET,
                "/healthz".to_owned(),
                Vec::new(),
                Bytes::new(),
            )
        })
        .collect();
    let posts: Vec<_> = deliveries(options.requests, label)
        .into_iter()
        .map(|(headers, body)| {
            (
                hyper::Method::POST,
                "/webhooks/clerk".to_owned(),
                headers,
                body,
            )
        })
        .collect();
    for (name, requests) in [
        (format!("{label}_healthz"), health),
        (format!("{label}_deliveries"), posts),
    ] {
        let run = scenario(name, &base, Arc::new(requests), options.concurrency);
        let outcome = tokio::time::timeout(Duration::from_secs(290), run)
            .await
            .expect("a scenario took over 290 s: the signatures would expire");
        outcomes.push(outcome);
    }
    server.abort();
    let row = sqlx::query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let users: i64 = row.try_get("n").unwrap();
    assert_eq!(
        usize::try_from(users).unwrap(),
        options.requests,
        "{label}: a delivery made no row"
    );
}

/// A new database on the PostgreSQL server at `server`.
async fn postgres_database(server: &str) -> String {
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(server).await.unwrap();
    let name = format!("load_{}", std::process::id());
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    server.replacen("/postgres?", &format!("/{name}?"), 1)
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
    let mut outcomes = Vec::new();
    let dir = std::env::temp_dir().join(format!("receiver-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = format!("sqlite://{}/webhooks.db?mode=rwc", dir.display());
    database("sqlite", &sqlite, &options, &mut outcomes).await;
    let _ = std::fs::remove_dir_all(&dir);

    let server = options.postgres.clone().or_else(|| {
        let script = clerk_models_tests::workspace_root().join(".ci/throwaway-postgres");
        let out = Command::new(script).env("PG_FSYNC", "on").output().ok()?;
        let url = String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()?
            .to_owned();
        url.starts_with("postgres://").then_some(url)
    });
    match &server {
        Some(server) => {
            let url = postgres_database(server).await;
            database("postgres", &url, &options, &mut outcomes).await;
        }
        None => eprintln!("load: no PostgreSQL server could be started; its rows are missing"),
    }

    println!(
        "{} requests at concurrency {} per scenario, 127.0.0.1",
        options.requests, options.concurrency
    );
    println!(
        "{:<22} {:>10} {:>10} {:>10} {:>7}",
        "scenario", "req/s", "p50 µs", "p99 µs", "errors"
    );
    let mut rows = Vec::new();
    let mut failed = server.is_none();
    for o in &outcomes {
        let rps = o.latencies.len() as f64 / o.seconds;
        let p50 = percentile(&o.latencies, 0.50).as_secs_f64() * 1e6;
        let p99 = percentile(&o.latencies, 0.99).as_secs_f64() * 1e6;
        println!(
            "{:<22} {:>10.0} {:>10.0} {:>10.0} {:>7}",
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
