//! The receiver on a real socket (127.0.0.1, a port the OS picks), with signed, repeated,
//! tampered, stale and unknown-type deliveries. The server lives in this test's runtime and stops
//! with it; nothing waits on a timer.

// Test code: a failed step should stop the test loudly (see clippy.toml for #[test] fns).
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::time::{SystemTime, UNIX_EPOCH};

use clerk_models::webhooks::Webhook;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A user as Clerk's docs show one in their `user.created` example (older deliveries leave
/// out the newer fields, such as `passkeys` and `banned`).
const USER: &str = r#"{"object":"user","id":"user_1","username":null,"first_name":"Ada","last_name":"Lovelace","primary_email_address_id":"idn_1","primary_phone_number_id":null,"primary_web3_wallet_id":null,"password_enabled":true,"two_factor_enabled":false,"email_addresses":[{"object":"email_address","id":"idn_1","email_address":"ada@example.com","verification":{"status":"verified","strategy":"ticket"},"linked_to":[]}],"phone_numbers":[],"web3_wallets":[],"external_accounts":[],"public_metadata":{},"private_metadata":{},"unsafe_metadata":{},"external_id":null,"last_sign_in_at":null,"created_at":1744276393000,"updated_at":1744276393000}"#;

fn session_created() -> String {
    format!(
        r#"{{"data":{{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1","status":"active","last_active_at":1744276393000,"expire_at":1744881193000,"abandon_at":1746868393000,"updated_at":1744276393000,"created_at":1744276393000,"user":{USER}}},"instance_id":"ins_1","object":"event","timestamp":1744276393644,"type":"session.created"}}"#
    )
}

fn user_created() -> String {
    format!(r#"{{"data":{USER},"object":"event","timestamp":1744276393644,"type":"user.created"}}"#)
}

/// Sends one POST and returns the status code and the response body.
async fn post(addr: std::net::SocketAddr, headers: &[(&str, String)], body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut request = format!(
        "POST /webhooks/clerk HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {response}"));
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    (status, body)
}

fn signed(webhook: &Webhook, id: &str, ts: i64, body: &str) -> Vec<(&'static str, String)> {
    vec![
        ("svix-id", id.to_owned()),
        ("svix-timestamp", ts.to_string()),
        ("svix-signature", webhook.sign(id, ts, body.as_bytes())),
    ]
}

#[tokio::test]
async fn the_receiver_answers_each_delivery_as_it_should() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let webhook = Webhook::new(SECRET).unwrap();
    let server =
        tokio::spawn(axum::serve(listener, webhook_receiver::app(webhook.clone())).into_future());
    let now = i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap();

    // A signed session.created: handled.
    let body = session_created();
    let (status, text) = post(addr, &signed(&webhook, "msg_1", now, &body), &body).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(text, "session sess_1 of user_1 created, status active");

    // Svix retries the same message (same `svix-id`): acknowledged, not handled again.
    let (status, text) = post(addr, &signed(&webhook, "msg_1", now, &body), &body).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(text, "already handled msg_1");

    // A user.created as Clerk's docs show it (no `instance_id`, no `passkeys`): handled.
    let user = user_created();
    let (status, text) = post(addr, &signed(&webhook, "msg_5", now, &user), &user).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(text, "user user_1 (Ada Lovelace, ada@example.com) created");

    // The same signature over a tampered body: refused.
    let tampered = body.replace("user_1", "user_2");
    let (status, text) = post(addr, &signed(&webhook, "msg_6", now, &body), &tampered).await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("no webhook signature matches"), "{text}");

    // Signed ten minutes ago: a replay, refused.
    let (status, text) = post(addr, &signed(&webhook, "msg_2", now - 600, &body), &body).await;
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("more than 5 minutes before now"), "{text}");

    // An event type this version does not know: verified, decoded, acknowledged.
    let unknown = body.replace("session.created", "session.hibernated");
    let (status, text) = post(addr, &signed(&webhook, "msg_3", now, &unknown), &unknown).await;
    assert_eq!(status, 202, "{text}");
    assert_eq!(text, "ignored session.hibernated");

    // No signature headers at all.
    let (status, text) = post(addr, &[], &body).await;
    assert_eq!(status, 400, "{text}");
    assert_eq!(text, "missing header `svix-id`");

    // Validly signed, but a session event whose session is broken: 422 with the path.
    let broken = body.replace(r#""expire_at":1744881193000"#, r#""expire_at":null"#);
    let (status, text) = post(addr, &signed(&webhook, "msg_4", now, &broken), &broken).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("data.expire_at"), "{text}");

    server.abort();
}
