//! Requests that cannot go astray: no path parameter reaches another path, no query value
//! adds a parameter, and a value out of the spec's bounds makes no request.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![cfg(all(feature = "sessions", feature = "users", feature = "organizations"))]

use clerk_models_api::organizations::UploadOrganizationLogo;
use clerk_models_api::sessions::{GetSession, GetSessionList, RevokeSession};
use clerk_models_api::users::{GetUserList, UpdateUser};
use clerk_models_api::{DEFAULT_API_URL, Endpoint, RequestError, SecretKey, Upload};

fn key() -> SecretKey {
    "sk_test_requests".parse().unwrap()
}

#[test]
fn a_path_parameter_that_would_leave_its_segment_is_refused() {
    for hostile in [
        "",
        ".",
        "..",
        "../users",
        "sess_1/revoke",
        "a?b=c",
        "a#b",
        "/",
    ] {
        for request in [
            GetSession::new(hostile).to_http_request(DEFAULT_API_URL, &key()),
            RevokeSession::new(hostile).to_http_request(DEFAULT_API_URL, &key()),
        ] {
            match request {
                Err(RequestError::PathParameter { name, reason }) => {
                    assert_eq!(name, "session_id");
                    assert!(!reason.is_empty());
                }
                other => panic!("{hostile:?} made {other:?}"),
            }
        }
    }
}

#[test]
fn a_path_parameter_is_one_encoded_segment() {
    for (value, path) in [
        ("sess_1", "/v1/sessions/sess_1"),
        ("a b", "/v1/sessions/a%20b"),
        // Already-encoded text stays text: the server decodes it once, to `%2F`.
        ("%2F..%2Fusers", "/v1/sessions/%252F..%252Fusers"),
        ("...", "/v1/sessions/..."),
        ("sé;ss=1", "/v1/sessions/s%C3%A9%3Bss%3D1"),
    ] {
        let request = GetSession::new(value)
            .to_http_request(DEFAULT_API_URL, &key())
            .unwrap();
        assert_eq!(request.uri().path(), path, "{value:?}");
    }
    let revoke = RevokeSession::new("a b")
        .to_http_request("https://api.clerk.com/", &key())
        .unwrap();
    assert_eq!(
        revoke.uri(),
        "https://api.clerk.com/v1/sessions/a%20b/revoke"
    );
}

#[test]
fn a_query_value_cannot_add_a_parameter() {
    let request = GetSessionList::new()
        .user_id("user_1&status=active&limit=500#x")
        .to_http_request(DEFAULT_API_URL, &key())
        .unwrap();
    assert_eq!(
        request.uri().query(),
        Some("user_id=user_1%26status%3Dactive%26limit%3D500%23x")
    );
}

#[test]
fn a_query_list_repeats_its_key() {
    let request = GetUserList::new()
        .email_address(vec!["a@example.com".into(), "b@example.com".into()])
        .to_http_request(DEFAULT_API_URL, &key())
        .unwrap();
    assert_eq!(
        request.uri().query(),
        Some("email_address=a%40example.com&email_address=b%40example.com")
    );
}

#[test]
fn a_limit_out_of_the_spec_bounds_makes_no_request() {
    for (limit, ok) in [
        (0, false),
        (1, true),
        (500, true),
        (501, false),
        (-1, false),
    ] {
        let result = GetSessionList::new()
            .user_id("user_1")
            .limit(limit)
            .to_http_request(DEFAULT_API_URL, &key());
        match (result, ok) {
            (Ok(_), true) => {}
            (
                Err(RequestError::OutOfRange {
                    name,
                    value,
                    min,
                    max,
                }),
                false,
            ) => {
                assert_eq!(
                    (name, value, min, max),
                    ("limit", limit, Some(1), Some(500))
                );
            }
            (other, _) => panic!("limit {limit}: {other:?}"),
        }
    }
    let offset = GetSessionList::new()
        .offset(-1)
        .to_http_request(DEFAULT_API_URL, &key());
    assert!(matches!(
        offset,
        Err(RequestError::OutOfRange { name: "offset", .. })
    ));
    let message = GetSessionList::new()
        .limit(501)
        .to_http_request(DEFAULT_API_URL, &key())
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("limit") && message.contains("501"),
        "{message}"
    );
}

#[test]
fn a_json_body_holds_what_was_set_and_nothing_else() {
    let request = UpdateUser::new("user_1")
        .first_name("Ada")
        .to_http_request(DEFAULT_API_URL, &key())
        .unwrap();
    assert_eq!(request.method(), http::Method::PATCH);
    assert_eq!(request.headers()["content-type"], "application/json");
    let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(body, serde_json::json!({ "first_name": "Ada" }));
}

#[test]
fn an_upload_is_a_multipart_form_and_a_bad_media_type_is_refused() {
    let logo = Upload::new("logo.png", "image/png", b"\x89PNG\r\n".to_vec());
    let request = UploadOrganizationLogo::new("org_1", logo)
        .uploader_user_id("user_1")
        .to_http_request(DEFAULT_API_URL, &key())
        .unwrap();
    assert_eq!(request.uri().path(), "/v1/organizations/org_1/logo");
    let content_type = request.headers()["content-type"].to_str().unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let body = request.body();
    let text = String::from_utf8_lossy(body);
    assert!(
        text.contains("name=\"file\"; filename=\"logo.png\""),
        "{text}"
    );
    assert!(text.contains("Content-Type: image/png"), "{text}");
    assert!(
        text.contains("name=\"uploader_user_id\"\r\n\r\nuser_1\r\n"),
        "{text}"
    );
    assert!(text.ends_with(&format!("--{boundary}--\r\n")), "{text}");

    let smuggled = Upload::new("logo.png", "image/png\r\nX-Evil: 1", b"x".to_vec());
    let refused =
        UploadOrganizationLogo::new("org_1", smuggled).to_http_request(DEFAULT_API_URL, &key());
    assert!(
        matches!(refused, Err(RequestError::Upload { part: "file", .. })),
        "{refused:?}"
    );
}

#[test]
fn every_request_says_who_and_which_version() {
    let request = GetSession::new("sess_1")
        .to_http_request(DEFAULT_API_URL, &key())
        .unwrap();
    let headers = request.headers();
    assert_eq!(headers["authorization"], "Bearer sk_test_requests");
    assert!(headers["authorization"].is_sensitive());
    assert_eq!(headers["clerk-api-version"], clerk_models_api::API_VERSION);
    let agent = headers["user-agent"].to_str().unwrap();
    assert!(agent.starts_with("clerk-models-api/"), "{agent}");
    assert!(request.body().is_empty());
    assert!(headers.get("content-type").is_none());
}
