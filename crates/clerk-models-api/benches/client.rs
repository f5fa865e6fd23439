//! The client's cost per call, against a bare hyper request to the same loopback mock of the
//! Backend API with the body decoded by hand into a struct of the same fields, in the same
//! run: `Client::send(&GetUser)` builds the request, sends it on the pooled connection,
//! reads and caps the body, and decodes `clerk_models::User`. `cargo xtask bench-report`
//! reads the result.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use bytes::Bytes;
use clerk_models_api::users::GetUser;
use clerk_models_api::{Client, RetryPolicy};
use clerk_models_tests::api_mock::ApiMock;
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::TokioExecutor;
use serde::Deserialize;
use serde_json::{Map, Value};

const KEY: &str = "sk_test_bench_client_0123";

/// The mock's user, field for field.
#[derive(Deserialize)]
#[allow(dead_code)]
struct BaseUser {
    object: String,
    id: String,
    external_id: Option<String>,
    username: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    primary_email_address_id: Option<String>,
    primary_phone_number_id: Option<String>,
    primary_web3_wallet_id: Option<String>,
    password_enabled: bool,
    two_factor_enabled: bool,
    email_addresses: Vec<Value>,
    phone_numbers: Vec<Value>,
    web3_wallets: Vec<Value>,
    external_accounts: Vec<Value>,
    public_metadata: Map<String, Value>,
    last_sign_in_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

fn client(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // Bounded, as every test server is: 5 million requests or 10 minutes.
    let mock = runtime.block_on(ApiMock::start_bounded(5_000_000, Duration::from_secs(600)));
    let client = Client::builder(KEY.parse().unwrap())
        .base_url(&mock.base_url)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let hyper: HyperClient<_, Full<Bytes>> =
        HyperClient::builder(TokioExecutor::new()).build_http();
    let url: http::Uri = format!("{}/v1/users/user_0001", mock.base_url)
        .parse()
        .unwrap();
    let mut group = c.benchmark_group("api_client_get_user");
    group.measurement_time(Duration::from_secs(4));
    group.bench_function("baseline_hyper", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let request = http::Request::get(url.clone())
                    .header("authorization", format!("Bearer {KEY}"))
                    .header("clerk-api-version", clerk_models_api::API_VERSION)
                    .body(Full::new(Bytes::new()))
                    .unwrap();
                let response = hyper.request(request).await.unwrap();
                let body = response.into_body().collect().await.unwrap().to_bytes();
                serde_json::from_slice::<BaseUser>(&body).unwrap()
            })
        });
    });
    group.bench_function("client_send", |b| {
        b.iter(|| {
            runtime
                .block_on(client.send(&GetUser::new("user_0001")))
                .unwrap()
        });
    });
    group.finish();
}

criterion_group!(benches, client);
criterion_main!(benches);
