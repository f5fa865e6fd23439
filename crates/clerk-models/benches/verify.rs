//! `jwt::Verifier::verify` of a version 2 session token against jsonwebtoken's own RS256
//! check of the same bytes (`jsonwebtoken::decode` into the same `SessionClaims`, with its
//! exp/nbf validation), in one run; `has_permission` on the claims it returns, as a share
//! of it; and `TokenType::of`. The token is signed here with
//! Clerk's public test key (`pemEncodedSignKey` of `@clerk/backend`'s
//! `packages/backend/src/fixtures/index.ts`), whose public half is `pemEncodedPublicKey`.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::hint::black_box;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clerk_models::jwt::{TokenType, Verifier};
use clerk_models::{OtherClaims, SessionClaims};
use criterion::{Criterion, criterion_group, criterion_main};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Validation};

const SIGN_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCpjLcxjx86d4TL
M0O72WnqIZcqQ1QX6791SeuWRp1ljIHfl5/MoUkSv19+2Za/k9SPW5EdNDduHpfV
xx45iwiPLTTx0dZkmwqEY7GB1ON4r3WuNqSXG3u3IVcSIocg6vUtKArOikKU58Ii
PEr+g9Q5/fylWHtad6RxIFCZTl+oD4TMoyLqT1XC9vOoqVkzhdCyIXKfbx31W5sl
aNNTyc2i3SfU0T72TpPEzyeCUzhHCQEfg2LgHQuEoo45X4Aby0E2JlWKXjXl2kGV
2Yn+PTCTsB3hUWL16fdnXugIqv4r7O5Pu8owpJvXnjx2TS+eaLS+PZAZdKj7rXAz
nJBamTqxAgMBAAECggEAB/SNR+sCORkQhwRBwleiK5Ul5ZrBIFo0Yol0X1my2ufr
1BTmL5DFv/ZwwZ/t/dEu4QcX2PnxO959m087cNHANg+V8164I4JOzQVsd74Iako5
SFJSCLEGbgJHdpdeJcJAfLzrPOOp2hjBuB+CGU0QMSRkrVFogEcq1RACGB9gR59X
Kft9GC+iZowLUwwlUWpUpPK94ZIfxFflJdBSl9DPSjUq9lNPWhy2/qwjkDluKIG1
9p4gmRRNT1vSwBmwfq74jrB+rSYL6+IpmSw0PX41pSkuuNPQ0LgrtM7+9dr9tNVP
Wxc1HVZYj8r0FF3Yr5JFlHy9nxf/XMzQxNhZpaNRXQKBgQDirp04vgu3TB08UoKo
jovEzMT/jBwGkP1lV48MsjM9iiNZZ2mz01T4mvE70GwuMBwOwtjUuNPogoJT+i6I
dnaPCinr3JwMW1UUFSa/4b15nDsPxFZit1nficJXKMc0c5VxFn2Xpbcq6aeif/ny
a6bI1vh5N/CYIroZXqays4XbuwKBgQC/enY3H/clEVRGGytnqz/5JBncskCU0F/A
RsbYBPUg3tPZoBURTcLRPsCDWZKXCl2MLzP8h0ia1hMQiz88tsZl8PS5IYB4eEfy
iEpwuU7q4pNJDgiZzMIs7h7KlKJOGv56HCQfWW/9HUpyZA634IIN+TnCD5YCoNLo
IoqYoz++gwKBgFHZmwuSE8jrwuK1KFiUoAM/rSJZBQWZ9OVS6GQ9NCNUbc8qeBBm
jpf12oUujOFgncD2ujSVSG78MPMBsyuzGrwrf1ebIP2VPPMzb/p5GGGA+BKJYmfi
rKD6rSGrp8JYue1Loa3QOINWOyGB9E6EcIS0mqOqf0VvxKLEeoysJflhAoGAMPYp
gFMGKU5TFFIiOTIK+7QFgO97oBHgShRPCDHMVIll9oH+oRwXMtYu9+dRmpml7hCr
5GjbYexXl6VjmCzMcoi4qxYr+aIYE6ZSEpzv1xP0wXt7K4i2JjMFYJu9HOe+Jo9H
lVSTVE/HF5UKRm58EwKliD/gBfAFviIG+pzT0e0CgYBjVfmflnceTDiWGUqZB/6K
VemEqCD+L3Pf6FIGI0h2RfFcLowvyOC3qwINTrYXdNUHtLI1BDUkMYBv6YJdI4E/
EJa5L6umCqdlL4+iL3FKgnsVSkb7io8+n1XLF+qrbRjWpEDuSn8ICC+k/fea/mvj
5gTPwKCFpNesz5MP8D2kRg==
-----END PRIVATE KEY-----";

const PUBLIC_KEY: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqYy3MY8fOneEyzNDu9lp
6iGXKkNUF+u/dUnrlkadZYyB35efzKFJEr9fftmWv5PUj1uRHTQ3bh6X1cceOYsI
jy008dHWZJsKhGOxgdTjeK91rjaklxt7tyFXEiKHIOr1LSgKzopClOfCIjxK/oPU
Of38pVh7WnekcSBQmU5fqA+EzKMi6k9VwvbzqKlZM4XQsiFyn28d9VubJWjTU8nN
ot0n1NE+9k6TxM8nglM4RwkBH4Ni4B0LhKKOOV+AG8tBNiZVil415dpBldmJ/j0w
k7Ad4VFi9en3Z17oCKr+K+zuT7vKMKSb1548dk0vnmi0vj2QGXSo+61wM5yQWpk6
sQIDAQAB
-----END PUBLIC KEY-----";

/// A v2 session token valid for a day from now, shaped like Clerk's docs' example.
fn token() -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let header = serde_json::json!({"alg": "RS256", "kid": "ins_2GIoQhbUpy0hX7B2cVkuTMinXoD",
                                    "typ": "JWT", "cat": "cl_B7d4PD111AAA"});
    let payload = serde_json::json!({
        "azp": "https://app.example.com", "exp": now + 86_400, "iat": now - 10, "nbf": now - 20,
        "iss": "https://clerk.example.com", "sid": "sess_2hnLxGx5IvrJpoa2u1MS0qmqbaZ",
        "sub": "user_2hnLxIDHq7jTn0ZSEg4bMLD9Nfs", "v": 2, "fva": [7, -1], "pla": "u:free_user",
        "fea": "o:invoices,u:avatars,o:members,o:reports,o:settings",
        "o": {"id": "org_2hnLxQeVaAtzk3aZP4I4n5yCWn5", "slg": "acme", "rol": "admin",
              "per": "read,manage,delete,export", "fpm": "3,1,15,2"}
    });
    let b64 = |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let message = format!("{}.{}", b64(&header), b64(&payload));
    let key = EncodingKey::from_rsa_pem(SIGN_KEY.as_bytes()).unwrap();
    let signature = jsonwebtoken::crypto::sign(message.as_bytes(), &key, Algorithm::RS256).unwrap();
    format!("{message}.{signature}")
}

fn verify(c: &mut Criterion) {
    let token = token();
    let now = SystemTime::now();
    let verifier = Verifier::from_pem(PUBLIC_KEY.as_bytes()).unwrap();
    let key = DecodingKey::from_rsa_pem(PUBLIC_KEY.as_bytes()).unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = 5;
    validation.validate_nbf = true;
    // Both accept the token: the comparison is of two successful verifications.
    assert!(verifier.verify::<OtherClaims>(&token, now).is_ok());
    assert!(jsonwebtoken::decode::<SessionClaims>(&token, &key, &validation).is_ok());
    let (message, signature) = token.rsplit_once('.').unwrap();

    let mut group = c.benchmark_group("verify_session_v2");
    group.bench_function("jsonwebtoken_decode", |b| {
        b.iter(|| jsonwebtoken::decode::<SessionClaims>(black_box(&token), &key, &validation))
    });
    group.bench_function("clerk_models", |b| {
        b.iter(|| verifier.verify::<OtherClaims>(black_box(&token), now))
    });
    // The check that runs after a verification, on the claims it returned: its cost is
    // reported as a share of the verification's.
    let claims: SessionClaims = verifier.verify(&token, now).unwrap();
    assert!(claims.has_permission("org:reports:export"));
    assert!(!claims.has_permission("org:members:manage"));
    group.bench_function("has_permission", |b| {
        b.iter(|| black_box(&claims).has_permission(black_box("org:reports:export")))
    });
    group.bench_function("has_permission_denied", |b| {
        b.iter(|| black_box(&claims).has_permission(black_box("org:members:manage")))
    });
    group.bench_function("signature_only", |b| {
        b.iter(|| {
            jsonwebtoken::crypto::verify(
                signature,
                black_box(message.as_bytes()),
                &key,
                Algorithm::RS256,
            )
        })
    });
    group.finish();

    let mut group = c.benchmark_group("token_type_of");
    let api_key = "ak_LCWGdaM8mv8K4PC/57IICZQXAeWfCgF30DZaFXHoGn9=";
    assert_eq!(TokenType::of(api_key), Some(TokenType::ApiKey));
    assert_eq!(TokenType::of(&token), Some(TokenType::SessionToken));
    group.bench_function("baseline_starts_with", |b| {
        b.iter(|| black_box(api_key).starts_with("ak_"))
    });
    group.bench_function("opaque", |b| b.iter(|| TokenType::of(black_box(api_key))));
    group.bench_function("jwt", |b| b.iter(|| TokenType::of(black_box(&token))));
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = verify
}
criterion_main!(benches);
