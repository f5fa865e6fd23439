//! The example's routes for every class of token, its configuration, and the binary itself
//! on 127.0.0.1 (a PEM key, and a JWKS URL served by the test with a secret key).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use api_server::{Config, Keys};
use axum::http::StatusCode;
use clerk_models_tests::jwks_server::JwksServer;
use clerk_models_tests::router::get_with;
use clerk_models_tests::signing::{jwks, key_a, key_b};
use serde_json::{Value, json};

const APP: &str = "https://app.example.com";

fn now() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

fn session(patch: &Value) -> Value {
    let now = now();
    let mut claims = json!({
        "azp": APP, "exp": now + 300, "iat": now, "nbf": now - 10,
        "iss": "https://clerk.example.com", "sid": "sess_1", "sub": "user_1", "v": 2,
        "fea": "o:invoices", "o": {"id": "org_1", "rol": "admin", "per": "read", "fpm": "1"}
    });
    for (k, v) in patch.as_object().unwrap() {
        if v.is_null() {
            claims.as_object_mut().unwrap().remove(k);
        } else {
            claims[k] = v.clone();
        }
    }
    claims
}

fn m2m() -> String {
    let now = now();
    key_a().sign(
        &json!({"alg": "RS256", "kid": key_a().kid, "typ": "JWT"}),
        &json!({"sub": "mch_2vYV", "exp": now + 300, "iat": now, "jti": "mt_1", "aud": ["mch_1"]}),
    )
}

fn oauth() -> String {
    let now = now();
    key_a().sign(
        &json!({"alg": "RS256", "kid": key_a().kid, "typ": "at+jwt"}),
        &json!({"sub": "user_1", "exp": now + 300, "iat": now, "azp": APP, "client_id": "c", "jti": "oat_1"}),
    )
}

fn config() -> Config {
    Config::from_vars(|name| match name {
        "CLERK_JWT_KEY" => Some(key_a().public_pem.clone()),
        "CLERK_AUTHORIZED_PARTIES" => Some(format!("{APP}, https://admin.example.com")),
        _ => None,
    })
    .unwrap()
}

async fn get(app: &axum::Router, path: &str, token: Option<&str>) -> (StatusCode, Value) {
    let answer = get_with(app, path, token).await;
    (answer.status, answer.json())
}

#[tokio::test]
async fn every_class_of_token_on_every_route() {
    let config = config();
    let app = api_server::router(config.layer(config.key_set().unwrap(), None), None);
    let admin = key_a().session_token(&session(&json!({})));
    let member = key_a().session_token(&session(
        &json!({"o": {"id": "org_1", "rol": "member", "per": "", "fpm": ""}}),
    ));
    let personal = key_a().session_token(&session(&json!({"o": null, "fea": null})));
    let expired = key_a().session_token(&session(&json!({"exp": now() - 60})));
    let pending = key_a().session_token(&session(&json!({"sts": "pending"})));
    let foreign = key_a().session_token(&session(&json!({"azp": "https://evil.example.com"})));
    let forged = key_b().sign(
        &json!({"alg": "RS256", "kid": key_a().kid}),
        &session(&json!({})),
    );
    let opaque = clerk_models_tests::clerk_vectors::OPAQUE_M2M_TOKEN;
    let (m2m, oauth) = (m2m(), oauth());
    use StatusCode as S;
    let cases: [(&str, Option<&str>, [S; 4]); 11] = [
        (
            "no token",
            None,
            [S::OK, S::UNAUTHORIZED, S::UNAUTHORIZED, S::UNAUTHORIZED],
        ),
        (
            "session with the permission",
            Some(&admin),
            [S::OK, S::OK, S::OK, S::UNAUTHORIZED],
        ),
        (
            "session without it",
            Some(&member),
            [S::OK, S::OK, S::FORBIDDEN, S::UNAUTHORIZED],
        ),
        (
            "session without an organization",
            Some(&personal),
            [S::OK, S::OK, S::FORBIDDEN, S::UNAUTHORIZED],
        ),
        (
            "expired session",
            Some(&expired),
            [S::OK, S::UNAUTHORIZED, S::UNAUTHORIZED, S::UNAUTHORIZED],
        ),
        (
            "pending session",
            Some(&pending),
            [S::OK, S::UNAUTHORIZED, S::UNAUTHORIZED, S::UNAUTHORIZED],
        ),
        (
            "wrong azp",
            Some(&foreign),
            [S::OK, S::UNAUTHORIZED, S::UNAUTHORIZED, S::UNAUTHORIZED],
        ),
        (
            "forged",
            Some(&forged),
            [S::OK, S::UNAUTHORIZED, S::UNAUTHORIZED, S::UNAUTHORIZED],
        ),
        (
            "m2m jwt",
            Some(&m2m),
            [S::OK, S::UNAUTHORIZED, S::UNAUTHORIZED, S::OK],
        ),
        (
            "oauth jwt",
            Some(&oauth),
            [S::OK, S::UNAUTHORIZED, S::UNAUTHORIZED, S::UNAUTHORIZED],
        ),
        (
            "opaque m2m token",
            Some(opaque),
            [S::OK, S::UNAUTHORIZED, S::UNAUTHORIZED, S::UNAUTHORIZED],
        ),
    ];
    for (name, token, statuses) in cases {
        for (route, status) in ["/healthz", "/me", "/org/invoices", "/machine/ping"]
            .into_iter()
            .zip(statuses)
        {
            let (got, body) = get(&app, route, token).await;
            assert_eq!(got, status, "{name} at {route}: {body}");
        }
    }
    let (_, me) = get(&app, "/me", Some(&admin)).await;
    assert_eq!(
        me,
        json!({"user_id": "user_1", "session_id": "sess_1", "org_id": "org_1", "org_role": "admin"})
    );
    let (_, me) = get(&app, "/me", Some(&personal)).await;
    assert_eq!(
        me,
        json!({"user_id": "user_1", "session_id": "sess_1", "org_id": null, "org_role": null})
    );
    let (_, ping) = get(&app, "/machine/ping", Some(&m2m)).await;
    assert_eq!(
        ping,
        json!({"subject": "mch_2vYV", "token_type": "m2m_token", "machine_id": "mch_2vYV"})
    );
    let (_, invoices) = get(&app, "/org/invoices", Some(&admin)).await;
    assert_eq!(invoices, json!({"org_id": "org_1", "invoices": []}));
    assert_eq!(
        get(&app, "/machine/ping", Some(&admin)).await.1["reason"],
        "token_class"
    );
    assert_eq!(
        get(&app, "/me", Some(&pending)).await.1["reason"],
        "session_not_active"
    );
}

#[test]
fn the_configuration_names_what_is_wrong() {
    let vars = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let none = Config::from_vars(vars(&[])).unwrap_err();
    assert!(
        none.contains("CLERK_JWT_KEY") && none.contains("CLERK_JWKS_URL"),
        "{none}"
    );
    let both = Config::from_vars(vars(&[
        ("CLERK_JWT_KEY", "x"),
        ("CLERK_JWKS_URL", "https://x"),
    ]))
    .unwrap_err();
    assert!(both.contains("not both"), "{both}");
    let bind = Config::from_vars(vars(&[("CLERK_JWT_KEY", "x"), ("BIND", "nowhere")])).unwrap_err();
    assert!(bind.contains("BIND"), "{bind}");
    let url = Config::from_vars(vars(&[
        ("CLERK_JWKS_URL", "https://api.clerk.com/v1/jwks"),
        ("CLERK_SECRET_KEY", "sk_test_x"),
    ]))
    .unwrap();
    assert_eq!(
        url.keys,
        Keys::Url {
            url: "https://api.clerk.com/v1/jwks".into(),
            secret_key: Some("sk_test_x".into())
        }
    );
    assert_eq!(url.bind.to_string(), api_server::DEFAULT_BIND);
    assert!(url.authorized_parties.is_empty());
    assert!(!format!("{url:?}").contains("sk_test"), "{url:?}");
    let insecure =
        Config::from_vars(vars(&[("CLERK_JWKS_URL", "http://clerk.example.com/jwks")])).unwrap();
    assert!(insecure.key_set().unwrap_err().contains("https"));
    let bad_pem = Config::from_vars(vars(&[("CLERK_JWT_KEY", "not a key")])).unwrap();
    assert!(bad_pem.key_set().unwrap_err().starts_with("CLERK_JWT_KEY"));
}

/// The binary, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_api-server"));
        command
            .env_clear()
            .env("BIND", "127.0.0.1:0")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| {
                let mut stderr = String::new();
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut stderr)
                    .unwrap();
                panic!("first line {line:?}, stderr {stderr:?}")
            });
        Self {
            addr: addr.to_owned(),
            child,
        }
    }

    /// `GET path` over a fresh connection: the status and the raw response.
    fn get(&self, path: &str, token: Option<&str>) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{auth}\r\n",
            self.addr
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        let status = response
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, response)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_binary_serves_with_a_pem_key_from_the_environment() {
    let server = Server::start(&[
        ("CLERK_JWT_KEY", &key_a().public_pem),
        ("CLERK_AUTHORIZED_PARTIES", APP),
    ]);
    assert!(
        server.addr.starts_with("127.0.0.1:") && !server.addr.ends_with(":0"),
        "{}",
        server.addr
    );
    assert_eq!(server.get("/healthz", None).0, 200);
    let token = key_a().session_token(&session(&json!({})));
    let (status, response) = server.get("/me", Some(&token));
    assert_eq!(status, 200, "{response}");
    assert!(response.contains(r#""user_id":"user_1""#), "{response}");
    let (status, response) = server.get("/me", None);
    assert_eq!(status, 401);
    assert!(
        response
            .to_ascii_lowercase()
            .contains("www-authenticate: bearer"),
        "{response}"
    );
    let (status, response) = server.get("/me", Some("not.a.token"));
    assert_eq!(status, 401);
    assert!(response.contains(r#"error="invalid_token""#), "{response}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_fetches_the_jwks_with_the_secret_key() {
    let jwks_server = JwksServer::start(jwks(&[key_a()])).await;
    let url = jwks_server.url.clone();
    let token = key_a().session_token(&session(&json!({})));
    let (status, answered) = tokio::task::spawn_blocking(move || {
        let server = Server::start(&[
            ("CLERK_JWKS_URL", &url),
            ("CLERK_SECRET_KEY", "sk_test_example"),
        ]);
        (
            server.get("/me", Some(&token)).0,
            server.get("/me", Some(&token)).0,
        )
    })
    .await
    .unwrap();
    assert_eq!((status, answered), (200, 200));
    assert_eq!(
        jwks_server.fetches(),
        1,
        "prefetched once at startup, then kept"
    );
    assert_eq!(
        jwks_server.last_authorization().as_deref(),
        Some("Bearer sk_test_example")
    );
}

#[test]
fn the_binary_refuses_to_start_without_keys() {
    let output = Command::new(env!("CARGO_BIN_EXE_api-server"))
        .env_clear()
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("CLERK_JWT_KEY"), "{stderr}");
}
