//! Svix signature verification (feature `webhooks`): the published vector, every way a request
//! can fail, hostile headers, and properties of sign/verify.
#![cfg(feature = "webhooks")]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_models::webhooks::{TOLERANCE, Webhook, WebhookError};
use clerk_models_tests::{event_json, session_json};
use proptest::prelude::*;

const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const ID: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
const TS: i64 = 1_649_367_553;
const BODY: &[u8] = br#"{"email":"test@example.com","username":"test_user"}"#;
const SIGNATURE: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

fn at(secs: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).unwrap())
}

fn headers(id: &str, ts: &str, sig: &str) -> Vec<(String, String)> {
    vec![
        ("svix-id".into(), id.into()),
        ("svix-timestamp".into(), ts.into()),
        ("svix-signature".into(), sig.into()),
    ]
}

fn webhook() -> Webhook {
    Webhook::new(SECRET).unwrap()
}

#[test]
fn svix_published_vector() {
    let wh = webhook();
    assert_eq!(wh.sign(ID, TS, BODY), SIGNATURE);
    let h = headers(ID, &TS.to_string(), SIGNATURE);
    wh.verify_signature(&h, BODY, at(TS)).unwrap();
    // Its body is not a Clerk event: the signature passes, decoding fails with a path.
    let err = wh.verify(&h, BODY, at(TS)).unwrap_err();
    assert!(matches!(err, WebhookError::InvalidBody(_)), "{err}");
    // The same secret without its prefix, as Svix's libraries accept.
    let bare = Webhook::new(SECRET.trim_start_matches("whsec_")).unwrap();
    assert_eq!(bare.sign(ID, TS, BODY), SIGNATURE);
}

#[test]
fn a_signed_session_event_verifies_and_decodes() {
    let wh = webhook();
    let body = event_json("session.created", session_json()).to_string();
    let ts = 1_744_276_393;
    let sig = wh.sign("msg_1", ts, body.as_bytes());
    let event = wh
        .verify(
            &headers("msg_1", &ts.to_string(), &sig),
            body.as_bytes(),
            at(ts + 1),
        )
        .unwrap();
    assert!(event.session().is_some());

    // A bad session inside a valid signature is an event, its data kept with the path.
    let mut bad = session_json();
    bad["expire_at"] = serde_json::Value::Null;
    let body = event_json("session.created", bad).to_string();
    let sig = wh.sign("msg_2", ts, body.as_bytes());
    let event = wh
        .verify(
            &headers("msg_2", &ts.to_string(), &sig),
            body.as_bytes(),
            at(ts),
        )
        .unwrap();
    assert_eq!(event.message_id(), Some("msg_2"));
    assert_eq!(event.try_data().unwrap_err().path(), "data.expire_at");
    // A signed body that is no event at all is InvalidBody with the path.
    for (body, path) in [(r#"{"type": 5, "data": {}}"#, "type"), ("[1]", "")] {
        let sig = wh.sign("msg_3", ts, body.as_bytes());
        let err = wh
            .verify(
                &headers("msg_3", &ts.to_string(), &sig),
                body.as_bytes(),
                at(ts),
            )
            .unwrap_err();
        let WebhookError::InvalidBody(inner) = &err else {
            panic!("{err}")
        };
        assert_eq!(inner.path(), path, "{body}");
    }
}

#[test]
fn the_window_is_five_minutes_each_way_inclusive() {
    let wh = webhook();
    let h = headers(ID, &TS.to_string(), SIGNATURE);
    let window = i64::try_from(TOLERANCE.as_secs()).unwrap();
    assert!(wh.verify_signature(&h, BODY, at(TS + window)).is_ok());
    assert!(wh.verify_signature(&h, BODY, at(TS - window)).is_ok());
    assert!(matches!(
        wh.verify_signature(&h, BODY, at(TS + window) + Duration::from_nanos(1)),
        Err(WebhookError::TimestampTooOld)
    ));
    assert!(matches!(
        wh.verify_signature(&h, BODY, at(TS - window) - Duration::from_nanos(1)),
        Err(WebhookError::TimestampTooNew)
    ));
    // Ten minutes ago, the example's replay case.
    assert!(matches!(
        wh.verify_signature(&h, BODY, at(TS + 600)),
        Err(WebhookError::TimestampTooOld)
    ));
}

#[test]
fn missing_and_malformed_headers_are_named() {
    let wh = webhook();
    let full = headers(ID, &TS.to_string(), SIGNATURE);
    for (drop, name) in [(0, "svix-id"), (1, "svix-timestamp"), (2, "svix-signature")] {
        let mut h = full.clone();
        h.remove(drop);
        let err = wh.verify_signature(&h, BODY, at(TS)).unwrap_err();
        assert!(
            matches!(err, WebhookError::MissingHeader(n) if n == name),
            "{err}"
        );
        assert_eq!(err.to_string(), format!("missing header `{name}`"));
    }
    for ts in [
        "",
        "-1",
        "+1649367553",
        " 1649367553",
        "1649367553.0",
        "1e9",
        "99999999999999999999",
        "١٢٣",
    ] {
        let err = wh
            .verify_signature(&headers(ID, ts, SIGNATURE), BODY, at(TS))
            .unwrap_err();
        assert!(
            matches!(
                err,
                WebhookError::InvalidHeader {
                    name: "svix-timestamp",
                    ..
                }
            ),
            "{ts:?}: {err}"
        );
    }
}

#[test]
fn unbranded_and_mixed_case_headers_work() {
    let wh = webhook();
    let unbranded = [
        ("Webhook-Id", ID),
        ("WEBHOOK-TIMESTAMP", "1649367553"),
        ("webhook-signature", SIGNATURE),
    ];
    wh.verify_signature(&unbranded, BODY, at(TS)).unwrap();
    let mixed = [
        ("SVIX-ID", ID),
        ("Svix-Timestamp", "1649367553"),
        ("svix-SIGNATURE", SIGNATURE),
    ];
    wh.verify_signature(&mixed, BODY, at(TS)).unwrap();
}

#[test]
fn signature_entries_rotation_and_bypass_attempts() {
    let wh = webhook();
    let good = |sig: &str| headers(ID, &TS.to_string(), sig);
    let other = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let old_sig = other.sign(ID, TS, BODY);
    // Rotation: any matching v1 entry passes, in any position.
    for sig in [
        format!("{old_sig} {SIGNATURE}"),
        format!("{SIGNATURE} {old_sig}"),
        format!("v2,abc {SIGNATURE}"),
    ] {
        assert!(
            wh.verify_signature(&good(&sig), BODY, at(TS)).is_ok(),
            "{sig}"
        );
    }
    // Nothing that is not a full, valid v1 MAC passes (svix-webhooks #1190 was "v1," passing).
    let truncated = &SIGNATURE[..SIGNATURE.len() - 4];
    let v2_only = SIGNATURE.replacen("v1,", "v2,", 1);
    let no_version = SIGNATURE.trim_start_matches("v1,").to_owned();
    let half = format!("v1,{}", &SIGNATURE[3..25]);
    for sig in [
        "",
        " ",
        "v1",
        "v1,",
        "v1, ",
        ",",
        "v1,=",
        "v1,AAAA",
        truncated,
        &v2_only,
        &no_version,
        &half,
        &old_sig,
        "v1,!!!!",
        "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw",
    ] {
        assert!(
            matches!(
                wh.verify_signature(&good(sig), BODY, at(TS)),
                Err(WebhookError::NoMatchingSignature)
            ),
            "{sig:?} passed"
        );
    }
}

#[test]
fn hostile_headers_never_panic_and_never_pass() {
    let wh = webhook();
    let ts = TS.to_string();
    // Many entries, a huge header, a huge id.
    let many = vec!["v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="; 10_000].join(" ");
    assert!(
        wh.verify_signature(&headers(ID, &ts, &many), BODY, at(TS))
            .is_err()
    );
    let with_good = format!("{many} {SIGNATURE}");
    assert!(
        wh.verify_signature(&headers(ID, &ts, &with_good), BODY, at(TS))
            .is_ok()
    );
    let huge = "v1,".to_owned() + &"A".repeat(1 << 20);
    assert!(
        wh.verify_signature(&headers(ID, &ts, &huge), BODY, at(TS))
            .is_err()
    );
    let huge_id = "m".repeat(1 << 20);
    assert!(
        wh.verify_signature(&headers(&huge_id, &ts, SIGNATURE), BODY, at(TS))
            .is_err()
    );
    // Duplicates: the first occurrence counts; a forged first entry cannot borrow a later one.
    let mut dup = headers(ID, &ts, "v1,AAAA");
    dup.push(("svix-signature".into(), SIGNATURE.into()));
    assert!(wh.verify_signature(&dup, BODY, at(TS)).is_err());
    let mut dup_ok = headers(ID, &ts, SIGNATURE);
    dup_ok.push(("svix-signature".into(), "v1,AAAA".into()));
    assert!(wh.verify_signature(&dup_ok, BODY, at(TS)).is_ok());
    // Non-ASCII anywhere is just text that does not match.
    for (id, sig) in [("msg_ü", SIGNATURE), (ID, "v1,ü"), ("\u{0}", "v1,\u{0}")] {
        assert!(
            wh.verify_signature(&headers(id, &ts, sig), BODY, at(TS))
                .is_err()
        );
    }
    // Clocks at the edges of SystemTime.
    for secs in [0, i64::MAX] {
        let r = wh.verify_signature(&headers(ID, &secs.to_string(), SIGNATURE), BODY, at(TS));
        assert!(r.is_err());
    }
}

#[test]
fn secrets_never_appear_in_errors_or_debug() {
    for bad in ["whsec_", "whsec_not base64!", "", "whsec_=="] {
        let err = Webhook::new(bad).unwrap_err();
        assert!(matches!(err, WebhookError::InvalidSecret));
        let shown = format!("{err} {err:?}");
        let secret_part = bad.trim_start_matches("whsec_");
        assert!(
            secret_part.len() < 3 || !shown.contains(secret_part),
            "{shown}"
        );
    }
    let wh = webhook();
    let debug = format!("{wh:?}");
    assert!(!debug.contains("C2FVsBQIhrscChlQIMV"), "{debug}");
    assert!(debug.contains("redacted"));
    for err in [
        wh.verify_signature(&headers(ID, "1", SIGNATURE), BODY, at(TS))
            .unwrap_err(),
        wh.verify_signature(&headers(ID, &TS.to_string(), "v1,x"), BODY, at(TS))
            .unwrap_err(),
    ] {
        assert!(!format!("{err} {err:?}").contains("C2FVsBQIhrscChlQIMV"));
    }
}

#[cfg(feature = "http")]
#[test]
fn http_header_map_works_and_non_text_values_are_refused() {
    use http::{HeaderMap, HeaderValue};
    let wh = webhook();
    let mut map = HeaderMap::new();
    map.insert("svix-id", HeaderValue::from_static(ID));
    map.insert("svix-timestamp", HeaderValue::from_static("1649367553"));
    map.insert("svix-signature", HeaderValue::from_static(SIGNATURE));
    wh.verify_signature(&map, BODY, at(TS)).unwrap();
    map.insert("svix-id", HeaderValue::from_bytes(b"msg_\xff").unwrap());
    let err = wh.verify_signature(&map, BODY, at(TS)).unwrap_err();
    assert!(
        matches!(
            err,
            WebhookError::InvalidHeader {
                name: "svix-id",
                ..
            }
        ),
        "{err}"
    );
}

fn flip(bytes: &[u8], index: usize, bit: u8) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let i = index % out.len();
    out[i] ^= 1 << (bit % 8);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Sign then verify: accepted inside the window, refused outside it.
    #[test]
    fn sign_then_verify(body in proptest::collection::vec(any::<u8>(), 0..512),
                        id in "[a-zA-Z0-9_]{1,40}",
                        ts in 1_000_000_000_i64..4_000_000_000,
                        offset in -900_i64..900) {
        let wh = webhook();
        let sig = wh.sign(&id, ts, &body);
        let h = headers(&id, &ts.to_string(), &sig);
        let result = wh.verify_signature(&h, &body, at(ts + offset));
        prop_assert_eq!(result.is_ok(), offset.abs() <= 300, "{:?}", result);
    }

    /// Changing any bit of the id, timestamp, body or signature is refused.
    #[test]
    fn any_change_is_refused(body in proptest::collection::vec(any::<u8>(), 1..256),
                             part in 0_usize..4, index in any::<usize>(), bit in any::<u8>()) {
        let wh = webhook();
        let (id, ts) = ("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", 1_700_000_000_i64);
        let sig = wh.sign(id, ts, &body);
        let ts_text = ts.to_string();
        let (mut id_b, mut ts_b, mut body_b, mut sig_b) =
            (id.as_bytes().to_vec(), ts_text.as_bytes().to_vec(), body.clone(), sig.as_bytes().to_vec());
        match part {
            0 => id_b = flip(&id_b, index, bit),
            1 => ts_b = flip(&ts_b, index, bit),
            2 => body_b = flip(&body_b, index, bit),
            _ => sig_b = flip(&sig_b, index, bit),
        }
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
        let h = headers(&text(id_b), &text(ts_b), &text(sig_b));
        prop_assert!(wh.verify_signature(&h, &body_b, at(ts)).is_err());
    }
}
