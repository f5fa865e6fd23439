//! The generated models against a hand-written serde baseline with the same fields (plain
//! `String`/`i64`/`Option`, the practical limit of serde_json), in the same run, so the
//! report is a ratio. `cargo xtask bench-report` prints the README's table from a run.
//!
//! Inputs, built deterministically from the real fixtures in `../shared/fixtures/clerk`
//! (or `$CLERK_FIXTURES_DIR`): one webhook session; a client with 10 sessions; a page of
//! 500 sessions (~0.5 MB) with every status, unknown ones included.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_models::{Client, LenientList, Session, SessionList};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

#[derive(Deserialize, Serialize)]
struct BaseTask {
    key: String,
}

#[derive(Deserialize, Serialize)]
struct BaseActivity {
    object: String,
    id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    device_type: Option<String>,
    is_mobile: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    browser_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    browser_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ip_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    country: Option<String>,
}

#[derive(Deserialize, Serialize)]
struct BaseSession {
    object: String,
    id: String,
    user_id: String,
    client_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    actor: Option<Map<String, Value>>,
    status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_active_organization_id: Option<String>,
    last_active_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    latest_activity: Option<BaseActivity>,
    expire_at: i64,
    abandon_at: i64,
    updated_at: i64,
    created_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tasks: Option<Vec<BaseTask>>,
}

#[derive(Deserialize, Serialize)]
struct BaseClient {
    object: String,
    id: String,
    session_ids: Vec<String>,
    sessions: Vec<BaseSession>,
    sign_in_id: Option<String>,
    sign_up_id: Option<String>,
    last_active_session_id: Option<String>,
    last_authentication_strategy: Option<String>,
    updated_at: i64,
    created_at: i64,
}

#[derive(Deserialize, Serialize)]
struct BaseList {
    data: Vec<BaseSession>,
    total_count: u64,
}

fn fixture(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(common::fixtures().join(name)).unwrap()).unwrap()
}

/// The webhook sessions (with their extra `user` key) and the live GET one.
fn real_sessions() -> Vec<Value> {
    [
        "clerk-webhooks__session_created_active.json",
        "clerk-webhooks__session_pending.json",
        "clerk-webhooks__session_ended.json",
        "clerk-webhooks__session_removed.json",
        "clerk-webhooks__session_revoked.json",
        "clerk-sdk-python-issue120__session_get_reconstructed.json",
    ]
    .iter()
    .map(|name| fixture(name))
    .collect()
}

/// `count` sessions cycling through the real ones, with unique ids, every status (unknown
/// ones too), and the `user` key kept on every fifth only, to stay near 1 KB a session.
fn sessions(count: usize) -> Vec<Value> {
    let real = real_sessions();
    let statuses = [
        "active",
        "pending",
        "ended",
        "revoked",
        "removed",
        "expired",
        "abandoned",
        "replaced",
        "suspended",
        "locked",
    ];
    (0..count)
        .map(|i| {
            let mut s = real[i % real.len()].clone();
            s["id"] = json!(clerk_id("sess", i));
            s["status"] = json!(statuses[i % statuses.len()]);
            if i % 5 != 0 {
                s.as_object_mut().unwrap().remove("user");
            }
            if i % 7 == 0 {
                s["tasks"] = json!([{"key": "choose-organization"}]);
            }
            s
        })
        .collect()
}

/// An id shaped like Clerk's (`sess_` and 27 base62 characters), deterministic per `n`.
fn clerk_id(prefix: &str, n: usize) -> String {
    const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut state = (n as u64)
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    let mut id = format!("{prefix}_");
    for _ in 0..27 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        id.push(char::from(BASE62[(state >> 32) as usize % BASE62.len()]));
    }
    id
}

fn client(count: usize) -> Value {
    let sessions = sessions(count);
    let ids: Vec<Value> = sessions.iter().map(|s| s["id"].clone()).collect();
    json!({
        "object": "client", "id": "client_2g7np7Hrk0SN6kj5EDMLDaKNL0S", "session_ids": ids,
        "sessions": sessions, "sign_in_id": null, "sign_up_id": null,
        "last_active_session_id": ids.last(), "last_authentication_strategy": "email_code",
        "updated_at": 1_716_883_200_000_i64, "created_at": 1_716_883_200_000_i64
    })
}

fn decode_and_encode<B, M>(c: &mut Criterion, name: &str, text: &str)
where
    B: for<'de> Deserialize<'de> + Serialize,
    M: for<'de> Deserialize<'de> + Serialize,
{
    let mut group = c.benchmark_group(format!("decode_{name}"));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("baseline", |b| {
        b.iter(|| serde_json::from_str::<B>(black_box(text)).unwrap())
    });
    group.bench_function("generated", |b| {
        b.iter(|| serde_json::from_str::<M>(black_box(text)).unwrap())
    });
    group.bench_function("path_reporting", |b| {
        b.iter(|| clerk_models::from_str::<M>(black_box(text)).unwrap())
    });
    group.finish();

    let base: B = serde_json::from_str(text).unwrap();
    let model: M = serde_json::from_str(text).unwrap();
    let mut group = c.benchmark_group(format!("encode_{name}"));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("baseline", |b| {
        b.iter(|| serde_json::to_string(black_box(&base)).unwrap())
    });
    group.bench_function("generated", |b| {
        b.iter(|| serde_json::to_string(black_box(&model)).unwrap())
    });
    group.finish();
}

fn models(c: &mut Criterion) {
    let webhook = fixture("clerk-webhooks__session_created_active.json").to_string();
    decode_and_encode::<BaseSession, Session>(c, "session", &webhook);
    let client10 = client(10).to_string();
    decode_and_encode::<BaseClient, Client>(c, "client10", &client10);
    let list500 = json!({"data": sessions(500), "total_count": 500}).to_string();
    decode_and_encode::<BaseList, SessionList>(c, "list500", &list500);

    // LenientList against the strict PaginatedList on the same all-valid page, and the cost
    // of one bad item (item by item) against the strict list's error.
    let mut group = c.benchmark_group("lenient_list500");
    group.throughput(Throughput::Bytes(list500.len() as u64));
    group.bench_function("baseline_paginated_list", |b| {
        b.iter(|| serde_json::from_str::<SessionList>(black_box(&list500)).unwrap())
    });
    group.bench_function("lenient_list", |b| {
        b.iter(|| LenientList::<Session>::from_str(black_box(&list500)).unwrap())
    });
    let mut broken: serde_json::Value = serde_json::from_str(&list500).unwrap();
    broken["data"][250]["expire_at"] = serde_json::Value::Null;
    let broken = broken.to_string();
    group.bench_function("lenient_list_one_bad_item", |b| {
        b.iter(|| LenientList::<Session>::from_str(black_box(&broken)).unwrap())
    });
    group.finish();
}

fn helpers(c: &mut Criterion) {
    let session: Session =
        clerk_models::from_str(&fixture("clerk-webhooks__session_created_active.json").to_string())
            .unwrap();
    let client: Client = clerk_models::from_str(&client(10).to_string()).unwrap();
    let now = UNIX_EPOCH + Duration::from_millis(1_716_900_000_000);
    let mut group = c.benchmark_group("helpers");
    group.bench_function("is_active_at", |b| {
        b.iter(|| black_box(&session).is_active_at(black_box(now)))
    });
    group.bench_function("effective_status_at", |b| {
        b.iter(|| {
            black_box(&session)
                .effective_status_at(black_box(now))
                .is_active()
        })
    });
    group.bench_function("expire_at_system_time", |b| {
        b.iter(|| black_box(&session).expire_at_system_time())
    });
    group.bench_function("abandon_at_system_time", |b| {
        b.iter(|| black_box(&session).abandon_at_system_time())
    });
    group.bench_function("last_active_at_system_time", |b| {
        b.iter(|| black_box(&session).last_active_at_system_time())
    });
    group.bench_function("created_at_system_time", |b| {
        b.iter(|| black_box(&session).created_at_system_time())
    });
    group.bench_function("updated_at_system_time", |b| {
        b.iter(|| black_box(&session).updated_at_system_time())
    });
    group.bench_function("time_until_expiry_at", |b| {
        b.iter(|| black_box(&session).time_until_expiry_at(black_box(now)))
    });
    group.bench_function("last_active_session", |b| {
        b.iter(|| black_box(&client).last_active_session().is_some())
    });
    group.bench_function("baseline_system_time_now", |b| b.iter(SystemTime::now));
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = models, helpers
}
criterion_main!(benches);
