//! A `user.created` event of about 3 KB (Clerk's docs example, with the addresses, phone and
//! external account a real sign-up brings): decoding it into the generated `WebhookEvent`
//! against a hand-written serde struct with the same fields (plain `String`/`i64`/`bool`/
//! `Option`, metadata as `serde_json::Value`, each verification a struct of its keys), and
//! `Webhook::verify` of it against HMAC-SHA256 plus that baseline, in the same run.

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
use clerk_models::{User, WebhookEvent};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Sha256;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

#[derive(Deserialize)]
#[allow(dead_code)]
struct BaseVerification {
    #[serde(default)]
    object: Option<String>,
    status: String,
    strategy: String,
    #[serde(default)]
    attempts: Option<i64>,
    #[serde(default)]
    expire_at: Option<i64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BaseLink {
    #[serde(rename = "type")]
    kind: String,
    id: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BaseEmail {
    #[serde(default)]
    id: Option<String>,
    object: String,
    email_address: String,
    #[serde(default)]
    reserved: Option<bool>,
    verification: Option<BaseVerification>,
    linked_to: Vec<BaseLink>,
    #[serde(default)]
    created_at: Option<i64>,
    #[serde(default)]
    updated_at: Option<i64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BasePhone {
    #[serde(default)]
    id: Option<String>,
    object: String,
    phone_number: String,
    reserved_for_second_factor: bool,
    default_second_factor: bool,
    reserved: bool,
    verification: Option<BaseVerification>,
    linked_to: Vec<BaseLink>,
    created_at: i64,
    updated_at: i64,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BaseExternalAccount {
    object: String,
    id: String,
    provider: String,
    identification_id: String,
    provider_user_id: String,
    approved_scopes: String,
    email_address: String,
    first_name: String,
    last_name: String,
    #[serde(default)]
    image_url: Option<String>,
    #[serde(default)]
    username: Option<String>,
    public_metadata: Value,
    #[serde(default)]
    label: Option<String>,
    created_at: i64,
    updated_at: i64,
    verification: Option<BaseVerification>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BaseUser {
    id: String,
    object: String,
    external_id: Option<String>,
    primary_email_address_id: Option<String>,
    primary_phone_number_id: Option<String>,
    primary_web3_wallet_id: Option<String>,
    username: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    #[serde(default)]
    image_url: Option<String>,
    #[serde(default)]
    has_image: Option<bool>,
    public_metadata: Value,
    #[serde(default)]
    private_metadata: Option<Value>,
    #[serde(default)]
    unsafe_metadata: Option<Value>,
    email_addresses: Vec<BaseEmail>,
    phone_numbers: Vec<BasePhone>,
    web3_wallets: Vec<Value>,
    #[serde(default)]
    passkeys: Vec<Value>,
    password_enabled: bool,
    two_factor_enabled: bool,
    #[serde(default)]
    totp_enabled: Option<bool>,
    #[serde(default)]
    backup_code_enabled: Option<bool>,
    external_accounts: Vec<BaseExternalAccount>,
    #[serde(default)]
    saml_accounts: Vec<Value>,
    #[serde(default)]
    enterprise_accounts: Vec<Value>,
    last_sign_in_at: Option<i64>,
    #[serde(default)]
    banned: Option<bool>,
    #[serde(default)]
    locked: Option<bool>,
    created_at: i64,
    updated_at: i64,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct BaseEvent {
    object: String,
    #[serde(rename = "type")]
    kind: String,
    timestamp: i64,
    #[serde(default)]
    instance_id: Option<String>,
    #[serde(default)]
    event_attributes: Option<Value>,
    data: BaseUser,
}

/// Clerk's docs example with two addresses, a phone number and a Google account.
fn event_body() -> String {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/webhooks/docs-user-created.json");
    let mut event: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    event["instance_id"] = json!("ins_2g7np7Hrk0SN6kj5EDMLDaKNL0S");
    let user = &mut event["data"];
    let mut second = user["email_addresses"][0].clone();
    second["id"] = json!("idn_29w83yL7CwVlJXylYLxcslromF2");
    second["email_address"] = json!("example.work@example.org");
    second["verification"] = json!({"object": "verification_otp", "status": "verified",
        "strategy": "email_code", "attempts": 1, "expire_at": 1_654_013_191_514_i64});
    second["linked_to"] =
        json!([{"type": "oauth_google", "id": "idn_29w83yL7CwVlJXylYLxcslromF3"}]);
    user["email_addresses"].as_array_mut().unwrap().push(second);
    user["phone_numbers"] = json!([{"object": "phone_number", "id": "idn_29w83yL7CwVlJXylYLxcslromF4",
        "phone_number": "+15555550100", "reserved_for_second_factor": false,
        "default_second_factor": false, "reserved": false,
        "verification": {"status": "verified", "strategy": "phone_code", "attempts": 1, "expire_at": null},
        "linked_to": [], "created_at": 1_654_012_591_514_i64, "updated_at": 1_654_012_591_514_i64}]);
    user["external_accounts"] = json!([{"object": "external_account", "id": "eac_29w83yL7CwVlJXylYLxcslromF5",
        "provider": "oauth_google", "identification_id": "idn_29w83yL7CwVlJXylYLxcslromF3",
        "provider_user_id": "113456789012345678901", "approved_scopes": "email https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile openid profile",
        "email_address": "example.work@example.org", "first_name": "Example", "last_name": "Example",
        "image_url": "https://img.clerk.com/xxxxxx", "username": null, "public_metadata": {},
        "label": null, "created_at": 1_654_012_591_514_i64, "updated_at": 1_654_012_591_514_i64,
        "verification": {"object": "verification_oauth", "status": "verified", "strategy": "oauth_google",
                         "attempts": null, "expire_at": 1_654_013_191_514_i64}}]);
    user["public_metadata"] = json!({"plan": "pro", "onboarded": true});
    user["unsafe_metadata"] = json!({"theme": "dark"});
    event.to_string()
}

fn users(c: &mut Criterion) {
    let body = event_body();
    let data = serde_json::from_str::<Value>(&body).unwrap()["data"].to_string();
    // Both decode what they must, before anything is timed.
    let event: WebhookEvent = clerk_models::from_str(&body).unwrap();
    assert!(event.user().is_some());
    let _: BaseEvent = serde_json::from_str(&body).unwrap();

    let mut group = c.benchmark_group("decode_user_created");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("baseline", |b| {
        b.iter(|| serde_json::from_str::<BaseEvent>(black_box(&body)).unwrap())
    });
    group.bench_function("generated", |b| {
        b.iter(|| clerk_models::from_str::<WebhookEvent>(black_box(&body)).unwrap())
    });
    group.bench_function("baseline_user_only", |b| {
        b.iter(|| serde_json::from_str::<BaseUser>(black_box(&data)).unwrap())
    });
    group.bench_function("generated_user_only", |b| {
        b.iter(|| serde_json::from_str::<User>(black_box(&data)).unwrap())
    });
    group.finish();

    let webhook = Webhook::new(SECRET).unwrap();
    let ts = 1_654_012_592_i64;
    let headers = [
        ("svix-id", "msg_1".to_owned()),
        ("svix-timestamp", ts.to_string()),
        ("svix-signature", webhook.sign("msg_1", ts, body.as_bytes())),
    ];
    let now = UNIX_EPOCH + Duration::from_secs(1_654_012_600);
    let key = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(SECRET.trim_start_matches("whsec_"))
            .unwrap()
    };
    let mut group = c.benchmark_group("verify_user_created");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("baseline_hmac_plus_struct", |b| {
        b.iter(|| {
            let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
            mac.update(b"msg_1.1654012592.");
            mac.update(black_box(body.as_bytes()));
            let tag = mac.finalize().into_bytes();
            (
                tag,
                serde_json::from_str::<BaseEvent>(black_box(&body)).unwrap(),
            )
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
        "decode_user_created: body {} bytes, user {} bytes",
        body.len(),
        data.len()
    );
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = users
}
criterion_main!(benches);
