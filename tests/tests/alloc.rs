//! Decoding a known enum value does not allocate; an unknown one allocates its text once.
//!
//! A counting global allocator counts the allocations of the current thread only, so the
//! test harness and other tests running in parallel do not disturb the counts.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use clerk_models::{SessionObject, SessionStatus};

// (`helpers_allocate_nothing` below covers every lifecycle and client helper.)

struct Counting;

thread_local! {
    // Const-initialized and without a destructor: safe to touch from the allocator.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: defers to the system allocator; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let value = f();
    (value, ALLOCATIONS.with(Cell::get) - before)
}

#[test]
fn decoding_known_values_does_not_allocate() {
    let inputs: Vec<String> = SessionStatus::KNOWN
        .iter()
        .map(|s| format!("\"{}\"", s.as_str()))
        .collect();
    for input in &inputs {
        let (status, count) = allocations_during(|| serde_json::from_str::<SessionStatus>(input));
        let status = status.unwrap();
        assert!(status.is_known());
        assert_eq!(count, 0, "decoding {input} allocated {count} time(s)");
        let (text, count) = allocations_during(|| status.as_str().len());
        assert!(text > 0);
        assert_eq!(count, 0);
    }
    let (object, count) =
        allocations_during(|| serde_json::from_str::<SessionObject>("\"session\""));
    assert_eq!(object.unwrap(), SessionObject::Session);
    assert_eq!(count, 0);
}

#[test]
fn decoding_an_unknown_value_allocates_only_its_text() {
    let (status, count) =
        allocations_during(|| serde_json::from_str::<SessionStatus>("\"suspended\""));
    assert_eq!(status.unwrap().as_str(), "suspended");
    assert_eq!(count, 1);
}

#[test]
fn helpers_allocate_nothing() {
    use std::hint::black_box;
    use std::time::{Duration, UNIX_EPOCH};

    let mut sessions = Vec::new();
    for status in ["active", "pending", "revoked", "suspended"] {
        let mut json = clerk_models_tests::session_json();
        json["status"] = status.into();
        json["actor"] =
            serde_json::json!({"sub": "user_admin", "iss": "https://x", "sid": "sess_x"});
        json["id"] = format!("sess_{status}").into();
        sessions.push(json);
    }
    let client: clerk_models::Client =
        clerk_models::from_value(clerk_models_tests::client_json(sessions)).unwrap();
    let nows = [
        UNIX_EPOCH,
        UNIX_EPOCH + Duration::from_millis(1_716_900_000_000),
        UNIX_EPOCH + Duration::from_secs(1 << 40),
    ];
    let ((), count) = allocations_during(|| {
        for now in nows {
            for s in &client.sessions {
                black_box(s.is_active_at(now));
                black_box(s.effective_status_at(now));
                black_box(s.time_until_expiry_at(now));
                black_box(s.time_until_abandon_at(now));
                black_box(s.idle_time_at(now));
                black_box(s.is_impersonated());
                black_box(s.actor().map(|a| (a.sub(), a.iss(), a.sid())));
                black_box(s.status.as_str());
                black_box((
                    s.status.is_active(),
                    s.status.is_terminal(),
                    s.status.is_known(),
                ));
                black_box(s.last_active_at_system_time());
                black_box(s.expire_at_system_time());
                black_box(s.abandon_at_system_time());
                black_box(s.updated_at_system_time());
                black_box(s.created_at_system_time());
            }
            black_box(client.last_active_session());
            black_box(client.sessions_active_at(now).count());
            black_box(client.created_at_system_time());
            black_box(client.updated_at_system_time());
        }
    });
    assert_eq!(count, 0, "the helpers allocated {count} time(s)");
}

#[test]
fn token_helpers_allocate_nothing() {
    use std::hint::black_box;
    use std::time::{Duration, UNIX_EPOCH};

    let payloads = [
        serde_json::json!({"iss": "https://c.example", "sub": "user_1", "sid": "sess_1",
            "iat": 1_713_158_400, "exp": 1_713_158_460, "nbf": 1_713_158_390, "v": 2,
            "azp": "https://app.example.com", "fva": [7, -1], "pla": "o:pro",
            "fea": "o:invoices,u:avatars,uo:reports,o:big",
            "o": {"id": "org_1", "slg": "acme", "rol": "admin", "per": "read,manage,create",
                  "fpm": "3,5,18446744073709551616123"},
            "act": {"sub": "user_admin"}}),
        serde_json::json!({"iss": "https://c.example", "sub": "user_1", "sid": "sess_1",
            "iat": 1_713_158_400, "exp": 1_713_158_460, "sts": "pending",
            "org_id": "org_1", "org_role": "org:admin",
            "org_permissions": ["org:invoices:read", "org:reports:create"]}),
    ];
    let tokens: Vec<clerk_models::SessionClaims> = payloads
        .into_iter()
        .map(|p| clerk_models::from_value(p).unwrap())
        .collect();
    let now = UNIX_EPOCH + Duration::from_secs(1_713_158_430);
    let ((), count) = allocations_during(|| {
        for t in &tokens {
            black_box(t.is_valid_at(now));
            black_box(t.is_valid_at_with_leeway(now, Duration::from_secs(5)));
            black_box(t.validate_at(now, Duration::ZERO).is_ok());
            black_box(t.session_status());
            black_box(t.has_permission("org:reports:create"));
            black_box(t.has_permission("org:big:read"));
            black_box(t.has_role("admin"));
            black_box(t.is_authorized_party(&["https://app.example.com"]));
            black_box(t.factor_verification_age().first_factor());
            black_box((t.plan(), t.features().count(), t.actor()));
            if let Some(org) = t.organization() {
                black_box(org.permissions().count());
                black_box(org.role().map(|r| r.key()));
            }
            black_box(t.exp_system_time());
        }
    });
    assert_eq!(count, 0, "the token helpers allocated {count} time(s)");
    assert!(tokens[0].has_permission("org:reports:create") && tokens[0].is_valid_at(now));
    assert!(!tokens[1].is_valid_at(now) && tokens[1].has_permission("org:reports:create"));
}

#[test]
fn machine_token_helpers_allocate_nothing() {
    use std::hint::black_box;
    use std::time::{Duration, UNIX_EPOCH};

    let m2m: clerk_models::M2mTokenClaims = clerk_models::from_value(serde_json::json!({
        "sub": "mch_1", "iat": 1_713_158_400, "exp": 1_713_158_460,
        "scopes": "mch_2 mch_3", "aud": ["mch_2"]}))
    .unwrap();
    let oauth: clerk_models::OAuthAccessTokenClaims = clerk_models::from_value(serde_json::json!({
        "sub": "user_1", "exp": 1_713_158_460, "scp": ["read:foo", "write:bar"]}))
    .unwrap();
    let now = UNIX_EPOCH + Duration::from_secs(1_713_158_430);
    let ((), count) = allocations_during(|| {
        black_box(m2m.scopes().count());
        black_box(m2m.has_scope("mch_3"));
        black_box(m2m.validate_at(now, Duration::from_secs(5)).is_ok());
        black_box(oauth.scopes().count());
        black_box(oauth.has_scope("write:bar"));
        black_box(oauth.is_valid_at(now));
    });
    assert_eq!(
        count, 0,
        "the machine token helpers allocated {count} time(s)"
    );
    assert!(m2m.has_scope("mch_3") && oauth.has_scope("write:bar"));
}

/// `TokenType::of` tells an opaque token by its prefix without allocating.
#[cfg(feature = "jwt")]
#[test]
fn token_type_of_an_opaque_token_allocates_nothing() {
    use clerk_models::jwt::TokenType;
    use std::hint::black_box;

    let ((), count) = allocations_during(|| {
        for token in [
            "ak_LCWGdaM8mv8K4PC",
            "oat_8XOIucKvqHVr5tYP",
            "mt_8XOIucKvqHVr5tYP",
            "x",
        ] {
            black_box(TokenType::of(black_box(token)));
        }
    });
    assert_eq!(count, 0, "TokenType::of allocated {count} time(s)");
    assert_eq!(TokenType::of("ak_1"), Some(TokenType::ApiKey));
}

/// Signature checking allocates only the decoded bytes of each `v1` entry; `verify` adds
/// exactly what decoding the event allocates, less the copy of the body serde's entry keeps. The counts are printed for the README.
#[cfg(feature = "webhooks")]
#[test]
fn webhook_verification_allocates_only_what_decoding_needs() {
    use std::time::{Duration, UNIX_EPOCH};

    use clerk_models::WebhookEvent;
    use clerk_models::webhooks::Webhook;

    let webhook = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let body =
        clerk_models_tests::event_json("session.created", clerk_models_tests::session_json())
            .to_string();
    let ts = 1_744_276_393_i64;
    let one = webhook.sign("msg_1", ts, body.as_bytes());
    let two = format!("{} {one}", webhook.sign("msg_1", ts, b"other"));
    let now = UNIX_EPOCH + Duration::from_secs(1_744_276_400);
    let headers = |sig: &str| {
        [
            ("svix-id", "msg_1".to_owned()),
            ("svix-timestamp", ts.to_string()),
            ("svix-signature", sig.to_owned()),
        ]
    };
    let (h1, h2) = (headers(&one), headers(&two));

    let (ok, signature_one) =
        allocations_during(|| webhook.verify_signature(&h1, body.as_bytes(), now));
    assert!(ok.is_ok());
    let (ok, signature_two) =
        allocations_during(|| webhook.verify_signature(&h2, body.as_bytes(), now));
    assert!(ok.is_ok());
    assert_eq!((signature_one, signature_two), (1, 2), "one per v1 entry");

    let (event, decode) =
        allocations_during(|| clerk_models::from_slice::<WebhookEvent>(body.as_bytes()));
    assert!(event.is_ok());
    let (event, verify) = allocations_during(|| webhook.verify(&h1, body.as_bytes(), now));
    assert!(event.is_ok());
    // Plus one: the verified message id (`svix-id`) the event keeps. Minus two: `verify`
    // decodes its text in place, while serde's entry (`from_slice`) first keeps the body
    // whole (one boxed copy, two allocations), to read it again as a frame should the
    // envelope not fit.
    assert_eq!(verify + 2, signature_one + decode + 1);
    eprintln!(
        "allocations: verify_signature {signature_one}, decoding the event {decode}, verify {verify}"
    );
}

#[test]
fn user_helpers_allocate_nothing() {
    use std::fmt::Write as _;

    /// Formats into a fixed buffer, so that displaying allocates nothing by itself.
    struct Buffer([u8; 64], usize);
    impl std::fmt::Write for Buffer {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            let end = self.1 + s.len();
            self.0
                .get_mut(self.1..end)
                .ok_or(std::fmt::Error)?
                .copy_from_slice(s.as_bytes());
            self.1 = end;
            Ok(())
        }
    }

    let user: clerk_models::User =
        clerk_models::from_value(clerk_models_tests::user_json()).unwrap();
    let membership: clerk_models::OrganizationMembership = clerk_models::from_value(serde_json::json!({
        "object": "organization_membership", "id": "orgmem_1", "role": "org:admin",
        "permissions": [], "public_metadata": {}, "created_at": 1, "updated_at": 1,
        "organization": {"object": "organization", "id": "org_1", "name": "Acme", "slug": "acme",
            "has_image": false, "max_allowed_memberships": 5, "admin_delete_enabled": true,
            "public_metadata": {}, "created_at": 1, "updated_at": 1}
    }))
    .unwrap();
    let mut buffer = Buffer([0; 64], 0);
    let (found, count) = allocations_during(|| {
        let email = user.primary_email_address().map(|e| e.email_address.len());
        let phone = user.primary_phone_number().is_some();
        let account = user.external_account("oauth_google").is_some();
        write!(buffer, "{}", user.full_name()).unwrap();
        let status = user
            .primary_email_address()
            .and_then(|e| e.verification.as_ref()?.status());
        let admin = membership.has_role("admin") && membership.role().key() == "admin";
        (email, phone, account, status.is_some(), admin)
    });
    assert_eq!(found, (Some(20), false, false, true, true));
    assert_eq!(&buffer.0[..buffer.1], b"John Doe");
    assert_eq!(count, 0);
}
