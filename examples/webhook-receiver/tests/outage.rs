//! The database goes away and comes back: deliveries meanwhile are answered 503 (so Svix
//! retries them), nothing is half-written, and the receiver recovers by itself. SQLite: another
//! process holds the write lock. PostgreSQL: a cluster of this test's own is stopped and
//! started again.

// Test code: a failed step should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::process::Command;

use common::{Receiver, TestDb, deliver, request, start_cluster, user_event};
use sqlx::Connection as _;

/// How long the receiver waits for the database in these tests (`DATABASE_TIMEOUT_MS`).
const TIMEOUT: &[(&str, &str)] = &[("DATABASE_TIMEOUT_MS", "300")];

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_locked_by_another_writer_is_503_then_recovers() {
    let db = TestDb::sqlite("sqlite_locked_by_another_writer_is_503_then_recovers");
    let receiver = Receiver::start(&db, TIMEOUT);
    let body = user_event("user.created", "user_l", "Locked", 1);
    sqlx::any::install_default_drivers();
    let mut holder = sqlx::AnyConnection::connect(&db.url).await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut holder)
        .await
        .unwrap();
    let (code, _) = deliver(receiver.addr, "msg_l", &body).await;
    assert_eq!(code, 503);
    sqlx::query("COMMIT").execute(&mut holder).await.unwrap();
    holder.close().await.unwrap();
    assert_eq!(db.count("webhook_events").await, 0, "nothing half-written");
    // Svix's retry of the same delivery is handled.
    assert_eq!(
        deliver(receiver.addr, "msg_l", &body).await,
        (200, "handled".into())
    );
    assert_eq!(db.count("users").await, 1);
}

fn cluster(command: &str, url: &str) {
    let script = clerk_models_tests::workspace_root().join(".ci/throwaway-postgres");
    let status = Command::new(script).args([command, url]).status().unwrap();
    assert!(status.success(), "throwaway-postgres {command}");
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_down_is_503_then_recovers() {
    let test = "postgres_down_is_503_then_recovers";
    let Some(server) = start_cluster(test) else {
        return;
    };
    let db = TestDb::postgres_on(&server, test).await;
    let receiver = Receiver::start(&db, TIMEOUT);
    let addr = receiver.addr;
    let body = user_event("user.created", "user_d", "Down", 1);
    assert_eq!(request(addr, "GET", "/healthz", &[], b"").await.0, 200);

    cluster("stop", &server);
    let (code, _) = deliver(addr, "msg_d", &body).await;
    assert_eq!(code, 503);
    let (code, answer) = request(
        addr,
        "POST",
        "/webhooks/clerk",
        &common::signed("msg_e", body.as_bytes()),
        body.as_bytes(),
    )
    .await;
    assert_eq!(code, 503);
    assert!(
        !answer.contains("postgres://"),
        "the answer names no database: {answer}"
    );
    assert_eq!(request(addr, "GET", "/healthz", &[], b"").await.0, 503);

    cluster("start", &server);
    assert_eq!(request(addr, "GET", "/healthz", &[], b"").await.0, 200);
    assert_eq!(deliver(addr, "msg_d", &body).await, (200, "handled".into()));
    assert_eq!(
        db.count("webhook_events").await,
        1,
        "only the delivery that was taken"
    );
    assert_eq!(db.count("users").await, 1);
}
