//! The receiver's test harness: real databases (a SQLite file per test; a PostgreSQL database
//! per test on a throwaway cluster), real receiver processes on 127.0.0.1, signed deliveries.
//! Every process and cluster stops with the test that started it.
#![allow(dead_code)] // each test binary uses a part

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use clerk_models::webhooks::Webhook;
use sqlx::{AnyPool, AssertSqlSafe, Row as _};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The endpoint secret every test receiver runs with.
pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// `TEST_POSTGRES_URL`: a PostgreSQL server the tests may create databases on (`.ci/run`
/// starts one). Without it, the tests start their own throwaway cluster.
const POSTGRES_ENV: &str = "TEST_POSTGRES_URL";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique(test: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name: String = test
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(40)
        .collect();
    format!("{name}_{}_{n}", std::process::id())
}

/// A folder removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("webhook-receiver-{}", unique(test)));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty database for one test.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    _dir: Option<TempDir>,
}

impl TestDb {
    pub fn sqlite(test: &str) -> Self {
        let dir = TempDir::new(test);
        let url = format!("sqlite://{}/webhooks.db?mode=rwc", dir.0.display());
        Self {
            backend: Backend::Sqlite,
            url,
            _dir: Some(dir),
        }
    }

    /// A new database on the cluster at `server` (a URL of its `postgres` database).
    pub async fn postgres_on(server: &str, test: &str) -> Self {
        let name = format!("t_{}", unique(test)).to_lowercase();
        let admin = pool(server).await;
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .unwrap();
        admin.close().await;
        Self {
            backend: Backend::Postgres,
            url: server.replacen("/postgres?", &format!("/{name}?"), 1),
            _dir: None,
        }
    }

    /// A pool on this database, for the test to read and change tables.
    pub async fn pool(&self) -> AnyPool {
        pool(&self.url).await
    }

    /// `SELECT COUNT(*) FROM <table> [WHERE ...]`.
    pub async fn count(&self, table_and_filter: &str) -> i64 {
        let pool = self.pool().await;
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n FROM {table_and_filter}"
        )))
        .fetch_one(&pool)
        .await
        .unwrap();
        pool.close().await;
        row.try_get::<i64, _>("n").unwrap()
    }
}

pub async fn pool(url: &str) -> AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::any::AnyPoolOptions::new()
        .max_connections(2)
        .connect(url)
        .await
        .unwrap_or_else(|e| panic!("connecting to the test database: {e}"))
}

/// A throwaway PostgreSQL cluster started by `.ci/throwaway-postgres`, stopped when this test
/// process exits. `None` (with `SKIPPED` and the reason) only when `CI` is unset and no server
/// can be started; with `CI` set, that is a failure.
pub fn start_cluster(test: &str) -> Option<String> {
    let script = clerk_models_tests::workspace_root().join(".ci/throwaway-postgres");
    let output = Command::new(&script)
        .env("WATCH_PID", std::process::id().to_string())
        .stderr(Stdio::piped())
        .output();
    let why = match output {
        Ok(out) if out.status.success() => {
            let url = String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .map(str::to_owned);
            if let Some(url) = url.filter(|u| u.starts_with("postgres://")) {
                return Some(url);
            }
            "it printed no URL".to_owned()
        }
        Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        Err(e) => e.to_string(),
    };
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: no PostgreSQL server could be started ({}: {why}), and CI is set",
        script.display()
    );
    eprintln!("SKIPPED {test} on PostgreSQL: no server could be started ({why})");
    None
}

/// The PostgreSQL server the tests share: `TEST_POSTGRES_URL`, or one cluster started for this
/// test binary.
pub fn postgres_server(test: &str) -> Option<String> {
    static SERVER: OnceLock<Option<String>> = OnceLock::new();
    if let Ok(url) = std::env::var(POSTGRES_ENV) {
        return Some(url);
    }
    SERVER.get_or_init(|| start_cluster(test)).clone()
}

/// The databases a test runs on: a SQLite file always, and a PostgreSQL database when a server
/// is (or can be made) available.
pub async fn databases(test: &str) -> Vec<TestDb> {
    let mut dbs = vec![TestDb::sqlite(test)];
    if let Some(server) = postgres_server(test) {
        dbs.push(TestDb::postgres_on(&server, test).await);
    }
    dbs
}

/// A receiver process on 127.0.0.1 (a port the OS picks), killed when dropped.
pub struct Receiver {
    child: Child,
    pub addr: SocketAddr,
}

impl Receiver {
    pub fn start(db: &TestDb, env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_webhook-receiver"))
            .env("CLERK_WEBHOOK_SECRET", SECRET)
            .env("DATABASE_URL", &db.url)
            .env("BIND", "127.0.0.1:0")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let stdout = child.stdout.take().unwrap();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let Some(addr) = line.trim().strip_prefix("listening on http://") else {
            let _ = child.kill();
            panic!("the receiver did not start: {line:?}");
        };
        Self {
            addr: addr.parse().unwrap(),
            child,
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `webhook-receiver replay` on `db`: its stdout.
pub fn replay(db: &TestDb) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_webhook-receiver"))
        .arg("replay")
        .env("DATABASE_URL", &db.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn now_secs() -> i64 {
    i64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

/// The Svix headers of `body` sent as message `id` now.
pub fn signed(id: &str, body: &[u8]) -> Vec<(String, String)> {
    let webhook = Webhook::new(SECRET).unwrap();
    let ts = now_secs();
    vec![
        ("svix-id".into(), id.into()),
        ("svix-timestamp".into(), ts.to_string()),
        ("svix-signature".into(), webhook.sign(id, ts, body)),
    ]
}

/// One HTTP/1.1 request on a new connection: the status and body of the answer. A request
/// the server refuses before reading it all (a connection closed early) is status 0.
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    // The server may answer and close before it has read everything (413, 431).
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body).await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let response = String::from_utf8_lossy(&response);
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split("\r\n\r\n")
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    (status, body)
}

/// Sends a signed delivery: the status and the receiver's `status` (`handled`, `duplicate`…).
pub async fn deliver(addr: SocketAddr, id: &str, body: &str) -> (u16, String) {
    let (code, answer) = request(
        addr,
        "POST",
        "/webhooks/clerk",
        &signed(id, body.as_bytes()),
        body.as_bytes(),
    )
    .await;
    let status = serde_json::from_str::<serde_json::Value>(&answer)
        .ok()
        .and_then(|v| v.get("status").and_then(|s| s.as_str()).map(str::to_owned))
        .unwrap_or(answer);
    (code, status)
}

/// A `user.*` event for `id`, named `name`, at version `updated_at`.
pub fn user_event(event_type: &str, id: &str, name: &str, updated_at: i64) -> String {
    let mut user = clerk_models_tests::user_json();
    user["id"] = id.into();
    user["first_name"] = name.into();
    user["last_name"] = serde_json::Value::Null;
    user["updated_at"] = updated_at.into();
    clerk_models_tests::event_json(event_type, user).to_string()
}

/// A `user.deleted` event for `id`.
pub fn user_deleted(id: &str) -> String {
    clerk_models_tests::event_json(
        "user.deleted",
        serde_json::json!({"object": "user", "id": id, "deleted": true}),
    )
    .to_string()
}

/// An `organizationMembership.*` event for membership `id` of `user_1` in `org_1`.
pub fn membership_event(event_type: &str, id: &str, role: &str, updated_at: i64) -> String {
    let membership = serde_json::json!({
        "object": "organization_membership", "id": id, "role": role, "permissions": [],
        "public_metadata": {}, "created_at": 1, "updated_at": updated_at,
        "organization": {
            "object": "organization", "id": "org_1", "name": "Acme", "slug": "acme",
            "public_metadata": {}, "created_at": 1, "updated_at": 1
        },
        "public_user_data": {
            "user_id": "user_1", "first_name": null, "last_name": null,
            "profile_image_url": null, "image_url": "https://img.clerk.com/x"
        }
    });
    clerk_models_tests::event_json(event_type, membership).to_string()
}
