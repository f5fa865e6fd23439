//! `api-server`: an axum API behind Clerk. Configure it from the environment:
//!
//! - `CLERK_JWT_KEY`: the PEM public key (dashboard → API keys → JWT public key), or
//! - `CLERK_JWKS_URL`: `https://<frontend-api>/.well-known/jwks.json`, or
//!   `https://api.clerk.com/v1/jwks` with `CLERK_SECRET_KEY`;
//! - or `CLERK_SECRET_KEY` alone: the keys from `{CLERK_API_URL}/v1/jwks`; the secret key
//!   also enables `/me/sessions` and API keys and opaque tokens on `/machine/ping`;
//! - `CLERK_API_URL`: the Backend API, `https://api.clerk.com` by default;
//! - `CLERK_AUTHORIZED_PARTIES`: your app's origins, comma-separated;
//! - `BIND`: `127.0.0.1:3000` by default; port 0 picks a free one.
//!
//! Its first line on stdout is `listening on http://<addr>`.

use std::io::Write as _;
use std::process::ExitCode;

use api_server::Config;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(why) => {
            eprintln!("api-server: {why}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let config = Config::from_env()?;
    let keys = config.key_set()?;
    // Fail at startup on a wrong URL or secret key, not at the first request.
    keys.prefetch()
        .await
        .map_err(|e| format!("fetching the JWKS: {e}"))?;
    let client = config.client()?;
    let app = api_server::router(config.layer(keys, client.as_ref()), client);
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut stdout = std::io::stdout();
    writeln!(stdout, "listening on http://{addr}").map_err(|e| e.to_string())?;
    stdout.flush().map_err(|e| e.to_string())?;
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}
