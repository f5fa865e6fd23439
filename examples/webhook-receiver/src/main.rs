//! `webhook-receiver`: a durable Clerk webhook receiver. Configure it from the environment:
//!
//! - `CLERK_WEBHOOK_SECRET`: the endpoint's signing secret (`whsec_…`), required to serve;
//! - `DATABASE_URL`: `sqlite://webhooks.db` by default (created with its tables on first
//!   start), or `postgres://user:password@host/db` for several receivers on one database;
//! - `DATABASE_TIMEOUT_MS`: how long to wait for a connection or a lock (5000);
//! - `BIND`: `127.0.0.1:3001` by default; port 0 picks a free one.
//!
//! `webhook-receiver` serves `POST /webhooks/clerk` and `GET /healthz`; its first line on
//! stdout is `listening on http://<addr>`. `webhook-receiver replay` reads the stored events
//! that did not type again (after an upgrade of `clerk-models`), handles those that now do,
//! and prints how many.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use webhook_receiver::Store;

const USAGE: &str = "usage: webhook-receiver [replay]";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => serve().await,
        ["replay"] => replay().await,
        ["-h" | "--help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("webhook-receiver: {why}");
            ExitCode::FAILURE
        }
    }
}

/// `DATABASE_URL`, or the SQLite file `webhooks.db`, which SQLite creates when missing.
fn database_url() -> String {
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("sqlite:") && !url.contains("mode=") => {
            let separator = if url.contains('?') { '&' } else { '?' };
            format!("{url}{separator}mode=rwc")
        }
        Ok(url) => url,
        Err(_) => "sqlite://webhooks.db?mode=rwc".to_owned(),
    }
}

fn timeout() -> Result<Duration, String> {
    match std::env::var("DATABASE_TIMEOUT_MS") {
        Ok(ms) => ms
            .parse()
            .map(Duration::from_millis)
            .map_err(|e| format!("DATABASE_TIMEOUT_MS: {e}")),
        Err(_) => Ok(Duration::from_secs(5)),
    }
}

async fn open() -> Result<Store, String> {
    // The URL may carry a password: it is never printed.
    Store::open(&database_url(), timeout()?)
        .await
        .map_err(|e| format!("opening the database (DATABASE_URL): {e}"))
}

async fn serve() -> Result<(), String> {
    let secret = std::env::var("CLERK_WEBHOOK_SECRET").map_err(|_| {
        "set CLERK_WEBHOOK_SECRET to the endpoint's signing secret (whsec_...)".to_owned()
    })?;
    let webhook = clerk_models::webhooks::Webhook::new(&secret)
        .map_err(|e| format!("CLERK_WEBHOOK_SECRET: {e}"))?;
    let bind: SocketAddr = std::env::var("BIND")
        .unwrap_or_else(|_| "127.0.0.1:3001".to_owned())
        .parse()
        .map_err(|e| format!("BIND: {e}"))?;
    let store = open().await?;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "listening on http://{addr}").map_err(|e| e.to_string())?;
    stdout.flush().map_err(|e| e.to_string())?;
    axum::serve(listener, webhook_receiver::app(webhook, store))
        .await
        .map_err(|e| e.to_string())
}

async fn replay() -> Result<(), String> {
    let store = open().await?;
    let report = store.replay().await.map_err(|e| e.to_string())?;
    println!(
        "replayed {}: {} handled, {} ignored, {} still invalid, {} still unknown",
        report.replayed, report.handled, report.ignored, report.invalid, report.unknown
    );
    Ok(())
}
