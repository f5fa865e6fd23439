//! Runs the receiver: `CLERK_WEBHOOK_SECRET=whsec_... cargo run -p webhook-receiver`, then
//! point a Clerk webhook endpoint (or `svix listen`) at `http://127.0.0.1:3000/webhooks/clerk`.
//! `ADDR` changes the listening address.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(secret) = std::env::var("CLERK_WEBHOOK_SECRET") else {
        eprintln!("set CLERK_WEBHOOK_SECRET to the endpoint's signing secret (whsec_...)");
        return ExitCode::from(2);
    };
    let webhook = match clerk_models::webhooks::Webhook::new(&secret) {
        Ok(webhook) => webhook,
        Err(e) => {
            eprintln!("CLERK_WEBHOOK_SECRET: {e}");
            return ExitCode::from(2);
        }
    };
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!("listening on http://{addr}/webhooks/clerk");
    match axum::serve(listener, webhook_receiver::app(webhook)).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server error: {e}");
            ExitCode::FAILURE
        }
    }
}
