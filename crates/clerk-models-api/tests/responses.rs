//! Answers: Clerk's errors in both shapes of the spec, with the trace id and `Retry-After`;
//! the typed forms of the paginated session list and of the OAuth verify answer; and hostile
//! bodies, which give an `ApiError` and never a panic or a made-up value.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![cfg(all(
    feature = "sessions",
    feature = "api_keys",
    feature = "oauth_access_tokens"
))]

use std::time::{Duration, SystemTime};

use clerk_models_api::api_keys::VerifyApiKey;
use clerk_models_api::models::VerifyOAuthAccessTokenResponse;
use clerk_models_api::oauth_access_tokens::VerifyOAuthAccessToken;
use clerk_models_api::sessions::{GetSessionList, RevokeSession};
use clerk_models_api::{ApiError, ApiErrorKind, Endpoint, RetryAfter};

const SESSION: &str = r#"{"object": "session", "id": "sess_1", "client_id": "client_1",
    "user_id": "user_1", "status": "revoked", "last_active_at": 1700000000000,
    "expire_at": 1700604800000, "abandon_at": 1702592000000,
    "updated_at": 1700000000000, "created_at": 1700000000000}"#;

fn answer<E: Endpoint>(
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<E::Response, ApiError> {
    let mut response = http::Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(*name, *value);
    }
    E::from_http_response(response.body(body).unwrap())
}

#[test]
fn a_clerk_error_keeps_its_codes_and_trace_id_and_says_them() {
    let body = br#"{"errors": [{"message": "not found", "long_message": "Session not found",
        "code": "resource_not_found", "meta": {"param_name": "session_id"}}],
        "clerk_trace_id": "trace_123"}"#;
    let error = answer::<RevokeSession>(404, &[("cf-ray", "ray_1")], body).unwrap_err();
    assert_eq!(error.kind(), ApiErrorKind::Clerk);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.code(), Some("resource_not_found"));
    assert_eq!(error.errors()[0].message, "not found");
    assert_eq!(error.trace_id(), Some("trace_123"), "the body's id first");
    assert_eq!(error.operation_id(), "RevokeSession");
    assert!(!error.succeeded());
    assert_eq!(
        error.to_string(),
        "404 resource_not_found: Session not found (trace_123)"
    );
}

#[test]
fn the_machine_token_error_shape_is_read_and_the_header_trace_id_is_the_fallback() {
    // The inline shape of the machine-token operations: no `meta`, no `clerk_trace_id`.
    let body = br#"{"errors": [{"message": "API key not found", "long_message": "",
        "code": "not_found"}]}"#;
    let error = answer::<VerifyApiKey>(404, &[("clerk-trace-id", "trace_h")], body).unwrap_err();
    assert_eq!(error.kind(), ApiErrorKind::Clerk);
    assert_eq!(error.code(), Some("not_found"));
    assert_eq!(error.trace_id(), Some("trace_h"));
    assert_eq!(
        error.to_string(),
        "404 not_found: API key not found (trace_h)"
    );

    let error = answer::<VerifyApiKey>(500, &[("cf-ray", "8d1f-IAD")], b"").unwrap_err();
    assert_eq!(error.trace_id(), Some("8d1f-IAD"));
}

#[test]
fn retry_after_is_read_as_seconds_or_as_a_date() {
    let error = answer::<GetSessionList>(429, &[("retry-after", "7")], b"{}").unwrap_err();
    assert_eq!(
        error.retry_after(),
        Some(RetryAfter::Delay(Duration::from_secs(7)))
    );
    let error = answer::<GetSessionList>(
        503,
        &[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT")],
        b"",
    )
    .unwrap_err();
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
    assert_eq!(error.retry_after(), Some(RetryAfter::At(at)));
    assert_eq!(
        error
            .retry_after()
            .unwrap()
            .delay_from(at - Duration::from_secs(3)),
        Duration::from_secs(3)
    );
    for junk in ["soon", "-1", "1.5", ""] {
        let error = answer::<GetSessionList>(429, &[("retry-after", junk)], b"").unwrap_err();
        assert_eq!(error.retry_after(), None, "{junk:?}");
    }
}

#[test]
fn the_paginated_session_list_is_typed_and_pages_on() {
    let request = GetSessionList::new()
        .user_id("user_1")
        .paginated(true)
        .limit(1);
    let body = format!(r#"{{"data": [{SESSION}], "total_count": 3}}"#);
    let page = answer::<GetSessionList>(200, &[], body.as_bytes()).unwrap();
    assert_eq!((page.data.len(), page.total_count), (1, 3));
    assert_eq!(page.data[0].id, "sess_1");
    let next = request.next_page(&page).unwrap();
    let uri = next
        .to_http_request("https://api.clerk.com", &"sk_test_x".parse().unwrap())
        .unwrap()
        .uri()
        .clone();
    assert_eq!(
        uri.query(),
        Some("user_id=user_1&paginated=true&limit=1&offset=1")
    );
    let last = next.next_page(&page).and_then(|n| n.next_page(&page));
    assert!(last.is_none(), "the third page was the last");
    // The bare array of `paginated=false` is the same type.
    let bare = answer::<GetSessionList>(200, &[], format!("[{SESSION}]").as_bytes()).unwrap();
    assert_eq!(bare.total_count, 1);
}

#[test]
fn the_oauth_verify_answer_is_a_token_or_inactive() {
    let inactive = answer::<VerifyOAuthAccessToken>(200, &[], br#"{"active": false}"#).unwrap();
    match inactive {
        VerifyOAuthAccessTokenResponse::VerifyOAuthAccessTokenResponseActive(a) => {
            assert!(!a.active);
        }
        other => panic!("{other:?}"),
    }
    let token = br#"{"object": "clerk_idp_oauth_access_token", "id": "oat_1",
        "client_id": "client_1", "subject": "user_1", "scopes": ["read"], "revoked": false,
        "revocation_reason": null, "expired": false, "expiration": 1700003600000,
        "created_at": 1700000000000, "updated_at": 1700000000000}"#;
    match answer::<VerifyOAuthAccessToken>(200, &[], token).unwrap() {
        VerifyOAuthAccessTokenResponse::ClerkIdpOauthAccessToken(t) => {
            assert_eq!((t.id.as_str(), t.subject.as_str()), ("oat_1", "user_1"));
            assert_eq!(t.scopes, ["read"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_success_whose_body_does_not_fit_is_an_error_that_keeps_it() {
    let body = br#"{"object": "session", "id": "sess_1"}"#;
    let error = answer::<RevokeSession>(200, &[], body).unwrap_err();
    assert_eq!(error.kind(), ApiErrorKind::UnexpectedBody);
    assert!(error.succeeded(), "the session was revoked");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(error.body(), body);
    assert!(error.decode_error().is_some());
    let message = error.to_string();
    assert!(message.contains("RevokeSession succeeded"), "{message}");
    assert!(
        !message.contains("sess_1"),
        "the body stays out of the message"
    );
}

#[test]
fn hostile_answers_are_errors_and_never_panics() {
    let ten_mb = 10 * 1024 * 1024;
    // 10 MB of a string that never ends.
    let mut endless = b"{\"object\": \"session\", \"id\": \"".to_vec();
    endless.resize(ten_mb, b'a');
    // 10 MB of nesting, past any recursion a decoder might make.
    let nested = vec![b'['; ten_mb];
    // Half of a valid answer.
    let truncated = SESSION.as_bytes()[..SESSION.len() / 2].to_vec();
    let html = b"<html><body>502 Bad Gateway</body></html>".to_vec();
    for (status, content_type, body, kind) in [
        (
            200,
            "application/json",
            endless.clone(),
            ApiErrorKind::UnexpectedBody,
        ),
        (
            200,
            "application/json",
            nested.clone(),
            ApiErrorKind::UnexpectedBody,
        ),
        (
            200,
            "application/json",
            truncated,
            ApiErrorKind::UnexpectedBody,
        ),
        (200, "text/html", html.clone(), ApiErrorKind::UnexpectedBody),
        (
            200,
            "application/json",
            Vec::new(),
            ApiErrorKind::UnexpectedBody,
        ),
        (502, "text/html", html, ApiErrorKind::UnreadableError),
        (
            500,
            "application/json",
            endless,
            ApiErrorKind::UnreadableError,
        ),
        (
            400,
            "application/json",
            nested,
            ApiErrorKind::UnreadableError,
        ),
        (
            400,
            "application/json",
            b"{\"errors\": 3}".to_vec(),
            ApiErrorKind::UnreadableError,
        ),
    ] {
        let error =
            answer::<RevokeSession>(status, &[("content-type", content_type)], &body).unwrap_err();
        assert_eq!(
            error.kind(),
            kind,
            "{status} {content_type} of {} bytes",
            body.len()
        );
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.body().len(), body.len(), "the body is kept whole");
        // Neither form shows the body.
        assert!(error.to_string().len() < 200);
        assert!(format!("{error:?}").len() < 400);
    }
}
