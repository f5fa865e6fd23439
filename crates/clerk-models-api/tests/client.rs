//! The client against a mock of the Backend API on 127.0.0.1: every retry rule, `Retry-After`
//! honoured and capped, the time bound, the body cap, pagination, and the secret key kept out
//! of every output. The waits go through a `ManualClock`, so no test sleeps; the only real
//! time spent is a timeout test's 150 ms.
#![cfg(all(
    feature = "client",
    feature = "users",
    feature = "sessions",
    feature = "api_keys"
))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{Duration, SystemTime};

use clerk_models_api::api_keys::VerifyApiKey;
use clerk_models_api::sessions::{CreateSession, GetSession};
use clerk_models_api::users::{GetUser, GetUserList};
use clerk_models_api::{
    API_VERSION, ApiErrorKind, Client, ManualClock, RetryAfter, RetryPolicy, SecretKey,
};
use clerk_models_tests::api_mock::{ApiMock, Reply, example, user};

const KEY: &str = "sk_test_client_tests_0123456789";

fn start() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn client(mock: &ApiMock, clock: &ManualClock, retry: RetryPolicy) -> Client {
    let key: SecretKey = KEY.parse().unwrap();
    Client::builder(key)
        .base_url(&mock.base_url)
        .retry(retry)
        .clock(clock.clone())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_get_is_retried_after_503_and_429_and_sends_who_it_is() {
    let mock = ApiMock::start().await;
    let clock = ManualClock::new(start());
    mock.push(
        "GET /v1/users/user_0001",
        Reply::clerk_error(503, "unavailable"),
    );
    mock.push(
        "GET /v1/users/user_0001",
        Reply::clerk_error(429, "too_many_requests"),
    );
    mock.push("GET /v1/users/user_0001", Reply::json(200, &user(1)));
    let got = client(&mock, &clock, RetryPolicy::new())
        .send(&GetUser::new("user_0001"))
        .await
        .unwrap();
    assert_eq!(got.id, "user_0001");
    assert_eq!(mock.count(), 3);
    assert_eq!(clock.sleeps().len(), 2);
    let first = &mock.received()[0];
    let header = |name: &str| {
        first
            .headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("authorization"), Some(&*format!("Bearer {KEY}")));
    assert_eq!(header("clerk-api-version"), Some(API_VERSION));
    assert!(
        header("user-agent")
            .unwrap()
            .starts_with("clerk-models-api/")
    );
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_503_but_a_verify_post_is() {
    let mock = ApiMock::start().await;
    let clock = ManualClock::new(start());
    let client = client(&mock, &clock, RetryPolicy::new());
    mock.push("POST /v1/sessions", Reply::clerk_error(503, "unavailable"));
    mock.push("POST /v1/sessions", Reply::clerk_error(503, "unavailable"));
    let error = client
        .send(&CreateSession::new("user_1"))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        mock.count(),
        1,
        "a POST that may have run is not sent again"
    );

    mock.push(
        "POST /v1/api_keys/verify",
        Reply::clerk_error(503, "unavailable"),
    );
    mock.push(
        "POST /v1/api_keys/verify",
        Reply::clerk_error(404, "not_found"),
    );
    let error = client.send(&VerifyApiKey::new("ak_x")).await.unwrap_err();
    assert_eq!(error.code(), Some("not_found"));
    assert_eq!(mock.count(), 3, "verifying is safe to repeat");
}

#[tokio::test]
async fn retries_stop_at_the_count_and_the_last_answer_is_returned() {
    let mock = ApiMock::start().await;
    let clock = ManualClock::new(start());
    for _ in 0..10 {
        mock.push("GET /v1/users/u", Reply::clerk_error(502, "bad_gateway"));
    }
    let error = client(&mock, &clock, RetryPolicy::new())
        .send(&GetUser::new("u"))
        .await
        .unwrap_err();
    assert_eq!(mock.count(), 4, "the first attempt and 3 retries");
    assert_eq!(error.code(), Some("bad_gateway"));
    assert_eq!(error.trace_id(), Some("trace_mock_502"));
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 3);
    assert!(sleeps.windows(2).all(|w| w[1] >= w[0] / 2), "{sleeps:?}");
    assert!(
        sleeps[2] >= Duration::from_secs(1),
        "backoff grows: {sleeps:?}"
    );
}

#[tokio::test]
async fn retry_after_is_honoured_in_seconds_and_as_a_date() {
    let mock = ApiMock::start().await;
    let clock = ManualClock::new(start());
    let client = client(&mock, &clock, RetryPolicy::new());
    mock.push(
        "GET /v1/users/u",
        Reply::clerk_error(429, "too_many_requests").header("retry-after", "7"),
    );
    let date = httpdate_in(start() + Duration::from_secs(12));
    mock.push(
        "GET /v1/users/u",
        Reply::clerk_error(503, "unavailable").header("retry-after", &date),
    );
    mock.push("GET /v1/users/u", Reply::json(200, &user(7)));
    client.send(&GetUser::new("u")).await.unwrap();
    // 7 s; then the date, 12 s after the start, is 5 s after the clock's 7.
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(7), Duration::from_secs(5)]
    );
}

#[tokio::test]
async fn a_retry_after_past_the_budget_returns_at_once_with_it() {
    let mock = ApiMock::start().await;
    let clock = ManualClock::new(start());
    mock.push(
        "GET /v1/users/u",
        Reply::clerk_error(429, "too_many_requests").header("retry-after", "60"),
    );
    let error = client(&mock, &clock, RetryPolicy::new())
        .send(&GetUser::new("u"))
        .await
        .unwrap_err();
    assert_eq!(mock.count(), 1);
    assert!(clock.sleeps().is_empty());
    assert_eq!(
        error.retry_after(),
        Some(RetryAfter::Delay(Duration::from_secs(60)))
    );
}

#[tokio::test]
async fn the_waits_stay_within_the_total_budget() {
    let mock = ApiMock::start().await;
    let clock = ManualClock::new(start());
    for _ in 0..50 {
        mock.push("GET /v1/users/u", Reply::clerk_error(504, "timeout"));
    }
    let policy = RetryPolicy::new()
        .max_retries(40)
        .budget(Duration::from_secs(3));
    client(&mock, &clock, policy)
        .send(&GetUser::new("u"))
        .await
        .unwrap_err();
    let waited: Duration = clock.sleeps().iter().sum();
    assert!(waited <= Duration::from_secs(3), "{waited:?}");
    assert!(mock.count() >= 3 && mock.count() < 40, "{}", mock.count());
}

#[tokio::test]
async fn a_connection_never_made_is_retried_even_for_a_post() {
    // A port that was free a moment ago: nothing listens there.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let clock = ManualClock::new(start());
    let client = Client::builder(KEY.parse().unwrap())
        .base_url(format!("http://{closed}"))
        .clock(clock.clone())
        .build()
        .unwrap();
    let error = client
        .send(&CreateSession::new("user_1"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ApiErrorKind::NotConnected);
    assert_eq!(error.status(), None);
    assert_eq!(
        clock.sleeps().len(),
        3,
        "the request never left, so it is safe"
    );
    assert!(!format!("{error} {error:?}").contains(KEY));
}

#[tokio::test]
async fn a_hang_times_out_and_a_huge_or_truncated_body_is_an_error() {
    let mock = ApiMock::start().await;
    let clock = ManualClock::new(start());
    let key: SecretKey = KEY.parse().unwrap();
    let client = Client::builder(key)
        .base_url(&mock.base_url)
        .retry(RetryPolicy::new().max_retries(1))
        .clock(clock.clone())
        .timeout(Duration::from_millis(150))
        .max_body_bytes(4096)
        .build()
        .unwrap();
    mock.push("GET /v1/users/u", Reply::hang());
    mock.push("GET /v1/users/u", Reply::hang());
    let error = client.send(&GetUser::new("u")).await.unwrap_err();
    assert_eq!(error.kind(), ApiErrorKind::Timeout);
    assert_eq!(mock.count(), 2, "a GET that timed out is retried");

    mock.push("GET /v1/users/u", Reply::oversized(10_000));
    let error = client.send(&GetUser::new("u")).await.unwrap_err();
    assert_eq!(
        error.kind(),
        ApiErrorKind::TooLarge,
        "{error:?} {:?}",
        mock.received()
            .iter()
            .map(|r| r.path_and_query.clone())
            .collect::<Vec<_>>()
    );

    let whole = user(1).to_string();
    mock.push(
        "GET /v1/users/u",
        Reply::raw(200, &whole.as_bytes()[..whole.len() / 2]),
    );
    let error = client.send(&GetUser::new("u")).await.unwrap_err();
    assert_eq!(error.kind(), ApiErrorKind::UnexpectedBody);
    assert!(error.succeeded());
}

#[tokio::test]
async fn paginate_yields_every_user_once_in_order() {
    let mock = ApiMock::start().await;
    mock.set_users(1234);
    let clock = ManualClock::new(start());
    let client = client(&mock, &clock, RetryPolicy::new());
    let mut pages = client.paginate(GetUserList::new());
    let mut ids = Vec::new();
    while let Some(user) = pages.next().await {
        ids.push(user.unwrap().id);
    }
    let expected: Vec<String> = (0..1234).map(|i| format!("user_{i:04}")).collect();
    assert_eq!(ids, expected);
    let queries: Vec<String> = mock
        .received()
        .into_iter()
        .map(|r| r.path_and_query)
        .collect();
    assert_eq!(
        queries,
        [
            "/v1/users?limit=500",
            "/v1/users?limit=500&offset=500",
            "/v1/users?limit=500&offset=1000",
        ]
    );
}

#[tokio::test]
async fn a_dropped_stream_fetches_no_more() {
    let mock = ApiMock::start().await;
    mock.set_users(1234);
    let clock = ManualClock::new(start());
    let client = client(&mock, &clock, RetryPolicy::new());
    let mut pages = client.paginate(GetUserList::new());
    for _ in 0..3 {
        pages.next().await.unwrap().unwrap();
    }
    drop(pages);
    assert_eq!(mock.count(), 1);
}

#[tokio::test]
async fn the_secret_key_is_in_no_output() {
    let mock = ApiMock::start().await;
    let clock = ManualClock::new(start());
    let client = client(&mock, &clock, RetryPolicy::none());
    mock.push(
        "GET /v1/users/u",
        Reply::clerk_error(401, "authentication_invalid"),
    );
    let error = client.send(&GetUser::new("u")).await.unwrap_err();
    for text in [
        format!("{client:?}"),
        format!("{error}"),
        format!("{error:?}"),
        format!("{:?}", Client::builder(KEY.parse().unwrap())),
    ] {
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains("client_tests_0123"), "{text}");
    }
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`), written here so the test checks the
/// client's parser rather than sharing it.
fn httpdate_in(time: SystemTime) -> String {
    let secs = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let days = secs / 86_400;
    let (h, m, s) = (secs % 86_400 / 3600, secs % 3600 / 60, secs % 60);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {day:02} {} {year} {h:02}:{m:02}:{s:02} GMT",
        months[(month - 1) as usize]
    )
}

/// With `tracing`, each attempt is a span naming the operation and the attempt, with the
/// status and the trace id; no field of any span or event holds the key, a token or a body.
#[cfg(feature = "tracing")]
#[tokio::test]
async fn the_spans_name_each_attempt_and_never_the_key_or_a_body() {
    use std::sync::{Arc, Mutex};

    /// Every field of every span and event, as `name=value` lines.
    struct Capture(Arc<Mutex<Vec<String>>>);
    struct Fields<'a>(&'a mut Vec<String>);
    impl tracing::field::Visit for Fields<'_> {
        fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
            self.0.push(format!("{}={value:?}", field.name()));
        }
    }
    impl tracing::Subscriber for Capture {
        fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
            let mut lines = self.0.lock().unwrap();
            lines.push(format!("span {}", span.metadata().name()));
            span.record(&mut Fields(&mut lines));
            tracing::span::Id::from_u64(lines.len() as u64)
        }
        fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
            values.record(&mut Fields(&mut self.0.lock().unwrap()));
        }
        fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
        fn event(&self, event: &tracing::Event<'_>) {
            event.record(&mut Fields(&mut self.0.lock().unwrap()));
        }
        fn enter(&self, _: &tracing::span::Id) {}
        fn exit(&self, _: &tracing::span::Id) {}
    }

    let lines = Arc::new(Mutex::new(Vec::new()));
    let _guard = tracing::subscriber::set_default(Capture(Arc::clone(&lines)));
    let mock = ApiMock::start().await;
    let clock = ManualClock::new(start());
    mock.push(
        "GET /v1/users/u",
        Reply::clerk_error(503, "unavailable").header("clerk-trace-id", "trace_h1"),
    );
    mock.push("GET /v1/users/u", Reply::json(200, &user(3)));
    client(&mock, &clock, RetryPolicy::new())
        .send(&GetUser::new("u"))
        .await
        .unwrap();
    let text = lines.lock().unwrap().join("\n");
    assert!(text.contains("operation=\"GetUser\""), "{text}");
    assert!(text.contains("attempt=2"), "{text}");
    assert!(
        text.contains("status=503") && text.contains("status=200"),
        "{text}"
    );
    assert!(text.contains("trace_id=\"trace_h1\""), "{text}");
    assert!(
        !text.contains(KEY) && !text.contains("client_tests"),
        "{text}"
    );
    assert!(!text.contains("user_0003"), "no body: {text}");
}

#[tokio::test]
async fn the_mock_answers_what_no_test_queued_with_the_specs_example() {
    let mock = ApiMock::start().await;
    let clock = ManualClock::new(start());
    let client = client(&mock, &clock, RetryPolicy::new());
    let key = client.send(&VerifyApiKey::new("ak_any")).await.unwrap();
    let shown = example("POST", "/v1/api_keys/verify").unwrap();
    assert_eq!(shown.operation_id, "verifyApiKey");
    assert_eq!(
        Some(key.id.as_str()),
        shown.body.as_ref().unwrap()["id"].as_str()
    );
    let session = client.send(&GetSession::new("sess_any")).await.unwrap();
    let shown = example("GET", "/v1/sessions/sess_any").unwrap();
    assert_eq!(shown.path, "/v1/sessions/{session_id}");
    assert_eq!(
        Some(session.id.as_str()),
        shown.body.as_ref().unwrap()["id"].as_str()
    );
    // A literal segment wins over a parameter: `/v1/users/count` is not a user.
    assert_eq!(
        example("GET", "/v1/users/count").unwrap().operation_id,
        "GetUsersCount"
    );
    // A route no operation has is none of them, and so Clerk's 404.
    assert!(example("GET", "/v1/no_such_thing").is_none());
    assert!(example("DELETE", "/v1/sessions/sess_any").is_none());
    assert_eq!(mock.count(), 2);
}
