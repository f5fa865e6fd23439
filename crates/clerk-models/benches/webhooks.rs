//! `Webhook::verify` of a real session event against its floor, in the same run: HMAC-SHA256
//! over the same bytes plus decoding the event's `data` as a `Session` and the `user` in it
//! as a `User` (what any verifying, typed receiver must do at least). The ratio is the cost of
//! the envelope.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use clerk_models::webhooks::Webhook;
use clerk_models::{Session, User};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn event_body() -> String {
    let text = std::fs::read_to_string(
        common::fixtures().join("clerk-webhooks__event_session_created_envelope.json"),
    )
    .expect("the fixture reads");
    // Compact, with the real millisecond timestamp, as Clerk delivers it.
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["timestamp"] = 1_744_276_393_644_i64.into();
    value.to_string()
}

fn verify(c: &mut Criterion) {
    let body = event_body();
    let data = serde_json::from_str::<serde_json::Value>(&body).unwrap()["data"].to_string();
    let user =
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["data"]["user"].to_string();
    let webhook = Webhook::new(SECRET).unwrap();
    let ts = 1_744_276_393_i64;
    let signature = webhook.sign("msg_1", ts, body.as_bytes());
    let headers = [
        ("svix-id", "msg_1".to_owned()),
        ("svix-timestamp", ts.to_string()),
        ("svix-signature", signature),
    ];
    let now = UNIX_EPOCH + Duration::from_secs(1_744_276_400);
    let key = base64_key();

    let mut group = c.benchmark_group("verify_session_event");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("baseline_hmac_plus_session", |b| {
        b.iter(|| {
            let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
            mac.update(b"msg_1.1744276393.");
            mac.update(black_box(body.as_bytes()));
            let tag = mac.finalize().into_bytes();
            let session: Session = serde_json::from_str(black_box(&data)).unwrap();
            let user: User = serde_json::from_str(black_box(&user)).unwrap();
            (tag, session, user)
        })
    });
    group.bench_function("verify_signature_only", |b| {
        b.iter(|| {
            webhook
                .verify_signature(black_box(&headers), black_box(body.as_bytes()), now)
                .unwrap()
        })
    });
    group.bench_function("envelope_only", |b| {
        b.iter(|| {
            serde_json::from_slice::<clerk_models::WebhookEnvelope>(black_box(body.as_bytes()))
                .unwrap()
        })
    });
    group.bench_function("hmac_only", |b| {
        b.iter(|| {
            let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
            mac.update(b"msg_1.1744276393.");
            mac.update(black_box(body.as_bytes()));
            mac.finalize().into_bytes()
        })
    });
    group.bench_function("verify", |b| {
        b.iter(|| {
            webhook
                .verify(black_box(&headers), black_box(body.as_bytes()), now)
                .unwrap()
        })
    });
    group.finish();
    eprintln!(
        "verify_session_event: body {} bytes, data {} bytes",
        body.len(),
        data.len()
    );
}

fn base64_key() -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(SECRET.trim_start_matches("whsec_"))
        .unwrap()
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = verify
}
criterion_main!(benches);
