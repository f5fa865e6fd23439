//! Decodes arbitrary bytes as the session, client, user and token models and as a webhook
//! event (its `data` typed as the event's group says); whatever decodes must
//! survive a round trip, and every helper must run on it at a fuzzed `now`, without
//! panicking. The same bytes, split into headers and a body, go through `Webhook::verify`.
//!
//! Input: the first 8 bytes (if present) are `now` in Unix milliseconds (little endian),
//! the rest is the JSON. Session token claims decode from the same JSON, and the same bytes
//! go through the three `jwt::Verifier` methods and `TokenType::of` as a token. Seeds: the real fixtures (plain JSON: their first 8 bytes become
//! `now` and the rest is usually broken JSON, so the fuzzer also tries them unshifted).
#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_models::jwt::{TokenType, Verifier};
use clerk_models::webhooks::Webhook;
use clerk_models::{
    Client, EventData, M2mTokenClaims, OAuthAccessTokenClaims, OtherClaims, Session, SessionClaims,
    SessionList, User, WebhookEvent,
};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn at(ms: i64) -> SystemTime {
    let offset = Duration::from_millis(ms.unsigned_abs());
    let t = if ms >= 0 { UNIX_EPOCH.checked_add(offset) } else { UNIX_EPOCH.checked_sub(offset) };
    t.unwrap_or(UNIX_EPOCH)
}

fn round_trip<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(value: &T) {
    let text = serde_json::to_string(value).expect("a decoded value serializes");
    let again: T = clerk_models::from_str(&text).expect("what we write decodes");
    assert_eq!(&again, value, "round trip changed the value");
}

fn session_helpers(session: &Session, now: SystemTime) {
    let active = session.is_active_at(now);
    let effective = session.effective_status_at(now);
    assert_eq!(effective.is_active(), active);
    if active {
        assert!(session.status.is_active());
    }
    let _ = (session.time_until_expiry_at(now), session.time_until_abandon_at(now));
    let _ = session.idle_time_at(now);
    let _ = session.actor().map(|a| (a.sub(), a.iss(), a.sid()));
    let _ = session.is_impersonated();
    let _ = session.pending_tasks().count();
    let _ = (session.expire_at_system_time(), session.abandon_at_system_time());
    let _ = (session.last_active_at_system_time(), session.created_at_system_time());
    let _ = session.updated_at_system_time();
}

/// The views of a session token: total, and fail-closed.
fn token_helpers(claims: &SessionClaims, now: SystemTime) {
    let valid = claims.is_valid_at(now);
    assert_eq!(valid, claims.validate_at(now, Duration::ZERO).is_ok());
    if valid {
        assert!(claims.session_status().is_active() && claims.sid.is_some());
    }
    let _ = claims.is_valid_at_with_leeway(now, Duration::MAX);
    let age = claims.factor_verification_age();
    let _ = (age.first_factor(), age.second_factor(), age.first_factor_within(Duration::MAX));
    if let Some(org) = claims.organization() {
        for permission in org.permissions() {
            let text = permission.to_string();
            assert!(org.has_permission(&text), "a listed permission is not granted: {text}");
            // A name may end in ':' (`per: "permission_0user:"` is a name Clerk's JS grants);
            // what is never granted is an empty one.
            assert!(
                permission.name().is_none_or(|name| !name.is_empty()),
                "an empty permission name was granted: {text}"
            );
        }
        let _ = org.role().map(|r| r.to_string());
    }
    let _ = (claims.has_permission("org:a:b"), claims.has_role("admin"));
    let _ = (claims.plan(), claims.features().count(), claims.actor());
    let _ = claims.is_authorized_party(&["https://app.example.com"]);
    let _ = (claims.exp_system_time(), claims.iat_system_time(), claims.nbf_system_time());
}

/// Any text as a session token: never a panic, never accepted (the fuzzer cannot forge an
/// RS256 signature, and this key's private half does not exist anywhere).
fn token(data: &[u8], now: SystemTime) {
    // Made with openssl for this target; the private key was deleted at once.
    const PEM: &str = "-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtPTcmyTwwz0UQhxwVYn4
O9r5+nMEYwuTK83SMnuDYkp8+Qog8IaLcriGdZpRrHcx59pcW1hOPAGuBK9MTzHU
Kzp1O1iChb8SZQR0wy8XBgA3lGAUpNqVjJoTPPwcc8H+mAteuYgUY9hGZtBdRrnr
3ckA4XRHsKRDj27WXBpWDJ5P9ywQJ/dXuTz+1P79yFuj8ujKcpbo8c6Y3qyC07Vk
gzhfdwtgvtyvbfQIRjgtM4eyHSiVMv6YLqC0/Ot25I8H3LEoHY/CJOd8Gvdlmr4Q
8YlcGpdIfPkpyYt1DMi4bgRlhk+vjEb5wOHB9xmd1Dy0zMYSDy1O0BxTIoTCtGls
BQIDAQAB
-----END PUBLIC KEY-----
";
    let verifier = Verifier::from_pem(PEM.as_bytes()).expect("the target's key parses");
    let text = String::from_utf8_lossy(data);
    assert!(verifier.verify::<OtherClaims>(&text, now).is_err(), "an unsigned token passed");
    assert!(verifier.verify_m2m_token::<OtherClaims>(&text, now).is_err(), "an unsigned M2M token passed");
    assert!(
        verifier.verify_oauth_access_token::<OtherClaims>(&text, now).is_err(),
        "an unsigned OAuth token passed"
    );
    // Routing is total, and an opaque form is told by its prefix alone.
    match TokenType::of(&text) {
        Some(class) => {
            if let Some(prefix) = class.opaque_prefix().filter(|p| text.starts_with(p)) {
                assert!(!prefix.is_empty());
            } else {
                assert_eq!(text.split('.').count(), 3, "a JWT class for a non-JWT: {class}");
            }
        }
        None => assert!(TokenType::ALL.iter().all(|c| c.opaque_prefix().is_none_or(|p| !text.starts_with(p)))),
    }
}

/// A user's helpers: total, and they find only what the user holds.
fn user_helpers(user: &User) {
    if let Some(email) = user.primary_email_address() {
        assert_eq!(email.id.as_deref(), user.primary_email_address_id.as_deref());
        if let Some(v) = &email.verification {
            let _ = (v.status(), v.strategy(), v.object());
        }
    }
    if let Some(phone) = user.primary_phone_number() {
        assert_eq!(phone.id.as_deref(), user.primary_phone_number_id.as_deref());
    }
    let name = user.full_name();
    assert_eq!(name.is_empty(), name.to_string().is_empty());
    for account in &user.external_accounts {
        assert!(user.external_account(&account.provider).is_some());
    }
}

/// The machine tokens' views: total.
fn machine_helpers(json: &[u8], now: SystemTime) {
    if let Ok(claims) = clerk_models::from_slice::<M2mTokenClaims>(json) {
        round_trip(&claims);
        let scopes: Vec<&str> = claims.scopes().collect();
        assert!(scopes.iter().all(|s| !s.is_empty() && claims.has_scope(s)));
        assert!(!claims.has_scope(""));
        let _ = (claims.is_valid_at(now), claims.validate_at(now, Duration::MAX));
    }
    if let Ok(claims) = clerk_models::from_slice::<OAuthAccessTokenClaims>(json) {
        round_trip(&claims);
        let scopes: Vec<&str> = claims.scopes().collect();
        assert!(scopes.iter().all(|s| !s.is_empty() && claims.has_scope(s)));
        let _ = (claims.is_valid_at(now), claims.validate_at(now, Duration::MAX));
    }
}

fn check(json: &[u8], now: SystemTime) {
    if let Ok(session) = clerk_models::from_slice::<Session>(json) {
        round_trip(&session);
        session_helpers(&session, now);
    }
    if let Ok(client) = clerk_models::from_slice::<Client>(json) {
        round_trip(&client);
        for session in &client.sessions {
            session_helpers(session, now);
        }
        let _ = client.last_active_session();
        let _ = client.sessions_active_at(now).count();
        let _ = client.inconsistencies();
        let _ = (client.created_at_system_time(), client.updated_at_system_time());
    }
    if let Ok(claims) = clerk_models::from_slice::<SessionClaims>(json) {
        round_trip(&claims);
        token_helpers(&claims, now);
    }
    machine_helpers(json, now);
    if let Ok(user) = clerk_models::from_slice::<User>(json) {
        round_trip(&user);
        user_helpers(&user);
    }
    if let Ok(list) = clerk_models::from_slice::<SessionList>(json) {
        round_trip(&list);
        for session in &list {
            session_helpers(session, now);
        }
    }
}

/// Webhook events decode or fail cleanly; a session event carries its session unless its data
/// is kept as invalid.
/// Then the same bytes go through `verify` as body and as headers: nothing panics, and
/// nothing unsigned passes.
fn webhook(json: &[u8], now: SystemTime) {
    if let Ok(event) = clerk_models::from_slice::<WebhookEvent>(json) {
        assert_eq!(
            event.event_type().is_session() && !event.data().is_invalid(),
            event.session().is_some()
        );
        if let Some(session) = event.session() {
            session_helpers(session, now);
        }
        let _ = (event.timestamp_system_time(), event.instance_id(), event.raw_data());
        // The data is the model of the type's group, Invalid (kept with its error, whose path
        // starts at the envelope's `data`), or Unknown for a type not known.
        let data = event.data();
        assert_eq!(event.event_type().is_known(), data.group().is_some() || data.is_invalid());
        if event.event_type().is_user() {
            assert!(matches!(data, EventData::User(_) | EventData::Invalid(_)));
        }
        if let EventData::Invalid(invalid) = data {
            assert!(invalid.error().path().starts_with("data"));
            assert_eq!(invalid.raw(), event.raw_data());
        }
        if let Some(user) = event.user() {
            user_helpers(user);
        }
        let written = serde_json::to_string(&event).expect("an event serializes");
        let again: WebhookEvent = clerk_models::from_str(&written).expect("what we write decodes");
        assert_eq!(again, event);
    }
    let Ok(webhook) = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") else {
        return;
    };
    let text = String::from_utf8_lossy(json);
    let mut parts = text.splitn(4, '\n');
    let (id, ts, sig, body) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let headers = [("svix-id", id), ("svix-timestamp", ts), ("svix-signature", sig)];
    let result = webhook.verify(&headers, body.as_bytes(), now);
    if result.is_ok() {
        // Only a real signature can pass: the fuzzer cannot forge HMAC-SHA256.
        let expected = ts
            .parse::<i64>()
            .map(|t| webhook.sign(id, t, body.as_bytes()))
            .unwrap_or_default();
        assert!(sig.split(' ').any(|entry| entry == expected), "an unsigned request passed");
    }
}

fuzz_target!(|data: &[u8]| {
    webhook(data, UNIX_EPOCH + Duration::from_millis(1_716_900_000_000));
    token(data, UNIX_EPOCH + Duration::from_millis(1_716_900_000_000));
    // Every input is tried whole (so the JSON seeds work as they are) and with its first
    // 8 bytes as `now`.
    check(data, UNIX_EPOCH + Duration::from_millis(1_716_900_000_000));
    if let Some((head, json)) = data.split_first_chunk::<8>() {
        check(json, at(i64::from_le_bytes(*head)));
    }
});
