//! Session token claims against a hand-written serde struct with the same fields, in the
//! same run, and the token helpers against `SystemTime::now()`. The input is a version 2
//! payload with an organization, features and plan, shaped like the example of Clerk's
//! "Session tokens" docs.

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

use clerk_models::SessionClaims;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
#[allow(dead_code)]
struct BaseOrg {
    id: String,
    #[serde(default)]
    slg: Option<String>,
    #[serde(default)]
    rol: Option<String>,
    #[serde(default)]
    per: Option<String>,
    #[serde(default)]
    fpm: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BaseActor {
    sub: String,
    #[serde(default)]
    iss: Option<String>,
    #[serde(default)]
    sid: Option<String>,
    #[serde(flatten)]
    other: Map<String, Value>,
}

/// The same fields as `SessionClaims`, status as text, custom claims in a map.
#[derive(Deserialize)]
#[allow(dead_code)]
struct BaseClaims {
    iss: String,
    sub: String,
    #[serde(default)]
    sid: Option<String>,
    iat: i64,
    exp: i64,
    #[serde(default)]
    nbf: Option<i64>,
    #[serde(default)]
    jti: Option<String>,
    #[serde(default)]
    azp: Option<String>,
    #[serde(default)]
    v: Option<i64>,
    #[serde(default)]
    sts: Option<String>,
    #[serde(default)]
    fva: Option<[i64; 2]>,
    #[serde(default)]
    o: Option<BaseOrg>,
    #[serde(default)]
    pla: Option<String>,
    #[serde(default)]
    fea: Option<String>,
    #[serde(default)]
    act: Option<BaseActor>,
    #[serde(default)]
    org_id: Option<String>,
    #[serde(default)]
    org_slug: Option<String>,
    #[serde(default)]
    org_role: Option<String>,
    #[serde(default)]
    org_permissions: Option<Vec<String>>,
    #[serde(flatten)]
    custom: Map<String, Value>,
}

/// The same standard claims without the custom-claims map: what a crate that drops
/// unknown claims would decode.
#[derive(Deserialize)]
#[allow(dead_code)]
struct BaseClaimsNoCustom {
    iss: String,
    sub: String,
    #[serde(default)]
    sid: Option<String>,
    iat: i64,
    exp: i64,
    #[serde(default)]
    nbf: Option<i64>,
    #[serde(default)]
    jti: Option<String>,
    #[serde(default)]
    azp: Option<String>,
    #[serde(default)]
    v: Option<i64>,
    #[serde(default)]
    sts: Option<String>,
    #[serde(default)]
    fva: Option<[i64; 2]>,
    #[serde(default)]
    o: Option<BaseOrg>,
    #[serde(default)]
    pla: Option<String>,
    #[serde(default)]
    fea: Option<String>,
    #[serde(default)]
    org_id: Option<String>,
    #[serde(default)]
    org_slug: Option<String>,
    #[serde(default)]
    org_role: Option<String>,
    #[serde(default)]
    org_permissions: Option<Vec<String>>,
}

const IAT: i64 = 1_713_158_400;

fn payload() -> String {
    serde_json::json!({
        "azp": "https://app.example.com",
        "exp": IAT + 60,
        "fea": "o:invoices,u:avatars,o:members,o:billing,uo:reports",
        "fva": [7, -1],
        "iat": IAT,
        "iss": "https://clerk.example.com",
        "jti": "0a1b2c3d4e5f60718293",
        "nbf": IAT - 10,
        "o": {"id": "org_2hnLxQeVaAtzk3aZP4I4n5yCWn5", "slg": "acme", "rol": "admin",
              "per": "read,manage,create,delete", "fpm": "3,1,15,5"},
        "pla": "o:pro",
        "sid": "sess_2hnLxGx5IvrJpoa2u1MS0qmqbaZ",
        "sub": "user_2hnLxIDHq7jTn0ZSEg4bMLD9Nfs",
        "v": 2
    })
    .to_string()
}

fn decode(c: &mut Criterion) {
    let json = payload();
    let mut group = c.benchmark_group("decode_claims_v2");
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("baseline", |b| {
        b.iter(|| serde_json::from_str::<BaseClaims>(black_box(&json)).unwrap());
    });
    group.bench_function("baseline_no_custom", |b| {
        b.iter(|| serde_json::from_str::<BaseClaimsNoCustom>(black_box(&json)).unwrap());
    });
    group.bench_function("generated", |b| {
        b.iter(|| serde_json::from_str::<SessionClaims>(black_box(&json)).unwrap());
    });
    group.bench_function("path_reporting", |b| {
        b.iter(|| clerk_models::from_str::<SessionClaims>(black_box(&json)).unwrap());
    });
    group.finish();
}

fn helpers(c: &mut Criterion) {
    let _ = common::fixtures;
    let claims: SessionClaims = clerk_models::from_str(&payload()).unwrap();
    let now = UNIX_EPOCH + Duration::from_secs(IAT as u64 + 30);
    assert!(claims.is_valid_at(now) && claims.has_permission("org:reports:create"));
    let mut group = c.benchmark_group("token_helpers");
    group.bench_function("is_valid_at", |b| {
        b.iter(|| black_box(&claims).is_valid_at(black_box(now)));
    });
    group.bench_function("has_permission", |b| {
        b.iter(|| black_box(&claims).has_permission(black_box("org:reports:create")));
    });
    group.bench_function("has_permission_denied", |b| {
        b.iter(|| black_box(&claims).has_permission(black_box("org:reports:delete")));
    });
    group.bench_function("has_role", |b| {
        b.iter(|| black_box(&claims).has_role(black_box("org:admin")));
    });
    group.bench_function("baseline_system_time_now", |b| b.iter(SystemTime::now));
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = decode, helpers
}
criterion_main!(benches);
