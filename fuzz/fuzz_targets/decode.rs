//! Decodes arbitrary bytes as every model and as a webhook event; whatever decodes must
//! survive a round trip, and every helper must run on it at a fuzzed `now`, without
//! panicking. The same bytes, split into headers and a body, go through `Webhook::verify`.
//!
//! Input: the first 8 bytes (if present) are `now` in Unix milliseconds (little endian),
//! the rest is the JSON. Seeds: the real fixtures (plain JSON: their first 8 bytes become
//! `now` and the rest is usually broken JSON, so the fuzzer also tries them unshifted).
#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_models::webhooks::Webhook;
use clerk_models::{Client, Session, SessionList, WebhookEvent};
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
    if let Ok(list) = clerk_models::from_slice::<SessionList>(json) {
        round_trip(&list);
        for session in &list {
            session_helpers(session, now);
        }
    }
}

/// Webhook events decode or fail cleanly; a session event always carries its session.
/// Then the same bytes go through `verify` as body and as headers: nothing panics, and
/// nothing unsigned passes.
fn webhook(json: &[u8], now: SystemTime) {
    if let Ok(event) = clerk_models::from_slice::<WebhookEvent>(json) {
        assert_eq!(event.event_type().is_session(), event.session().is_some());
        if let Some(session) = event.session() {
            session_helpers(session, now);
        }
        let _ = (event.timestamp_system_time(), event.instance_id(), event.data());
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
    // Every input is tried whole (so the JSON seeds work as they are) and with its first
    // 8 bytes as `now`.
    check(data, UNIX_EPOCH + Duration::from_millis(1_716_900_000_000));
    if let Some((head, json)) = data.split_first_chunk::<8>() {
        check(json, at(i64::from_le_bytes(*head)));
    }
});
