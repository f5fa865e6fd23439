//! The durable receiver end to end, on SQLite and on PostgreSQL: real processes on
//! 127.0.0.1, real databases, signed deliveries. Each test runs on every database
//! `databases()` gives (PostgreSQL is skipped, saying so, only outside CI without a server).

// Test code: a failed step should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use std::collections::HashMap;

use common::{
    Receiver, TestDb, databases, deliver, membership_event, replay, request, user_deleted,
    user_event,
};
use sqlx::{AssertSqlSafe, Row as _};

/// `SELECT <column> FROM <table> WHERE id = <id>`.
async fn value(db: &TestDb, column: &str, table: &str, id: &str) -> Option<String> {
    let pool = db.pool().await;
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT CAST({column} AS TEXT) AS v FROM {table} WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&pool)
    .await
    .unwrap();
    pool.close().await;
    row.map(|r| r.try_get::<String, _>("v").unwrap())
}

/// Clerk's dashboard examples and the webhooks spec's examples, as `(name, body)`.
fn examples(test: &str) -> Vec<(String, String)> {
    let mut all = Vec::new();
    if let Some(dir) = clerk_models_tests::fixtures_dir(test) {
        let dir = dir.join("webhooks");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".json") && name != "MANIFEST.json" {
                all.push((name, std::fs::read_to_string(&path).unwrap()));
            }
        }
        assert_eq!(all.len(), 21, "the 21 dashboard examples");
    }
    if let Some(spec) = clerk_models_tests::webhook_spec_examples(test) {
        for (name, example) in spec {
            all.push((name, example.to_string()));
        }
    }
    all
}

#[tokio::test(flavor = "multi_thread")]
async fn every_example_is_stored_once_and_handled_typed() {
    let test = "every_example_is_stored_once_and_handled_typed";
    let examples = examples(test);
    if examples.is_empty() {
        return;
    }
    for db in databases(test).await {
        let receiver = Receiver::start(&db, &[]);
        let mut handled = 0;
        for (i, (name, body)) in examples.iter().enumerate() {
            let (code, status) = deliver(receiver.addr, &format!("msg_{i}"), body).await;
            assert_eq!(code, 200, "{:?} {name}: {status}", db.backend);
            assert!(
                status == "handled" || status == "ignored",
                "{:?} {name}: {status}",
                db.backend
            );
            handled += usize::from(status == "handled");
        }
        let total = i64::try_from(examples.len()).unwrap();
        assert_eq!(db.count("webhook_events").await, total);
        assert_eq!(db.count("webhook_events WHERE status = 'invalid'").await, 0);
        let typed = db.count("webhook_events WHERE status = 'handled'").await;
        assert_eq!(typed, i64::try_from(handled).unwrap());
        // Every user and membership event made a row or a tombstone.
        let rows = db.count("users").await
            + db.count("organization_memberships").await
            + db.count("tombstones").await;
        assert!(rows > 0 && typed > 0, "{:?}: nothing synced", db.backend);
        // Each body is kept byte for byte.
        let (name, body) = &examples[0];
        let pool = db.pool().await;
        let kept: String = sqlx::query("SELECT body FROM webhook_events WHERE svix_id = $1")
            .bind("msg_0")
            .fetch_one(&pool)
            .await
            .unwrap()
            .try_get("body")
            .unwrap();
        assert_eq!(&kept, body, "{name}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redelivery_after_a_restart_is_not_handled_again() {
    for db in databases("a_redelivery_after_a_restart_is_not_handled_again").await {
        let body = user_event("user.created", "user_a", "Ada", 10);
        let first = Receiver::start(&db, &[]);
        assert_eq!(
            deliver(first.addr, "msg_1", &body).await,
            (200, "handled".into())
        );
        assert_eq!(
            deliver(first.addr, "msg_1", &body).await,
            (200, "duplicate".into())
        );
        drop(first);
        // A new process on the same database knows the delivery.
        let second = Receiver::start(&db, &[]);
        assert_eq!(
            deliver(second.addr, "msg_1", &body).await,
            (200, "duplicate".into())
        );
        assert_eq!(db.count("webhook_events").await, 1);
        assert_eq!(db.count("users").await, 1);
        // Same content under a new id is a new delivery, and changes nothing newer.
        assert_eq!(
            deliver(second.addr, "msg_2", &body).await,
            (200, "handled".into())
        );
        assert_eq!(db.count("webhook_events").await, 2);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn deliveries_out_of_order_leave_the_newest_state() {
    for db in databases("deliveries_out_of_order_leave_the_newest_state").await {
        let receiver = Receiver::start(&db, &[]);
        let send = |id: &'static str, body: String| {
            let addr = receiver.addr;
            async move {
                let (code, status) = deliver(addr, id, &body).await;
                assert_eq!((code, status.as_str()), (200, "handled"), "{id}");
            }
        };
        // The update overtakes the creation: the older creation changes nothing.
        send("m1", user_event("user.updated", "user_o", "Newer", 30)).await;
        send("m2", user_event("user.created", "user_o", "Oldest", 10)).await;
        assert_eq!(
            value(&db, "full_name", "users", "user_o").await.as_deref(),
            Some("Newer")
        );
        // An old update after a newer one changes nothing either.
        send("m3", user_event("user.updated", "user_o", "Older", 20)).await;
        assert_eq!(
            value(&db, "full_name", "users", "user_o").await.as_deref(),
            Some("Newer")
        );
        assert_eq!(
            value(&db, "updated_at", "users", "user_o").await.as_deref(),
            Some("30")
        );
        // A newer one does.
        send("m4", user_event("user.updated", "user_o", "Newest", 40)).await;
        assert_eq!(
            value(&db, "full_name", "users", "user_o").await.as_deref(),
            Some("Newest")
        );
        // Deleted stays deleted, whatever arrives late.
        send("m5", user_deleted("user_o")).await;
        send("m6", user_event("user.updated", "user_o", "Late", 50)).await;
        send("m7", user_event("user.created", "user_o", "Later", 60)).await;
        assert_eq!(value(&db, "full_name", "users", "user_o").await, None);
        assert_eq!(db.count("tombstones WHERE kind = 'user'").await, 1);

        // The same for memberships.
        send(
            "n1",
            membership_event(
                "organizationMembership.updated",
                "orgmem_1",
                "org:admin",
                20,
            ),
        )
        .await;
        send(
            "n2",
            membership_event(
                "organizationMembership.created",
                "orgmem_1",
                "org:member",
                10,
            ),
        )
        .await;
        let role = value(&db, "role", "organization_memberships", "orgmem_1").await;
        assert_eq!(role.as_deref(), Some("org:admin"));
        let user = value(&db, "user_id", "organization_memberships", "orgmem_1").await;
        assert_eq!(user.as_deref(), Some("user_1"));
        send(
            "n3",
            membership_event(
                "organizationMembership.deleted",
                "orgmem_1",
                "org:admin",
                30,
            ),
        )
        .await;
        send(
            "n4",
            membership_event(
                "organizationMembership.updated",
                "orgmem_1",
                "org:member",
                40,
            ),
        )
        .await;
        assert_eq!(
            value(&db, "role", "organization_memberships", "orgmem_1").await,
            None
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_on_one_database_handle_each_delivery_exactly_once() {
    let test = "two_processes_on_one_database_handle_each_delivery_exactly_once";
    for db in databases(test).await {
        let a = Receiver::start(&db, &[]);
        let b = Receiver::start(&db, &[]);
        let mut tasks = Vec::new();
        for i in 0..50 {
            let body = user_event("user.created", &format!("user_{i}"), "Twin", 1);
            for addr in [a.addr, b.addr] {
                let body = body.clone();
                tasks.push(tokio::spawn(async move {
                    let id = format!("msg_{i}");
                    let (code, status) = deliver(addr, &id, &body).await;
                    (id, code, status)
                }));
            }
        }
        let mut outcomes: HashMap<String, Vec<String>> = HashMap::new();
        for task in tasks {
            let (id, code, status) = task.await.unwrap();
            assert_eq!(code, 200, "{:?} {id}: {status}", db.backend);
            outcomes.entry(id).or_default().push(status);
        }
        assert_eq!(outcomes.len(), 50);
        for (id, mut statuses) in outcomes {
            statuses.sort();
            assert_eq!(statuses, ["duplicate", "handled"], "{:?} {id}", db.backend);
        }
        assert_eq!(db.count("webhook_events").await, 50);
        assert_eq!(db.count("users").await, 50);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_handler_rolls_back_and_its_redelivery_is_handled() {
    let test = "a_failing_handler_rolls_back_and_its_redelivery_is_handled";
    for db in databases(test).await {
        let receiver = Receiver::start(&db, &[]);
        let pool = db.pool().await;
        // The handler's table is gone: its statement fails (the first time this process
        // prepares it, so no cached plan outlives the rename).
        sqlx::query("ALTER TABLE users RENAME TO users_away")
            .execute(&pool)
            .await
            .unwrap();
        let body = user_event("user.created", "user_f", "Fails", 1);
        let (code, _) = deliver(receiver.addr, "msg_f", &body).await;
        assert_eq!(code, 500, "{:?}", db.backend);
        // Rolled back: the delivery is not stored, so its redelivery is handled.
        assert_eq!(db.count("webhook_events").await, 0);
        sqlx::query("ALTER TABLE users_away RENAME TO users")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
        assert_eq!(
            deliver(receiver.addr, "msg_f", &body).await,
            (200, "handled".into())
        );
        assert_eq!(db.count("users").await, 1);
        assert_eq!(db.count("webhook_events").await, 1);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_and_unknown_events_are_stored_and_replay_handles_what_now_types() {
    let test = "invalid_and_unknown_events_are_stored_and_replay_handles_what_now_types";
    for db in databases(test).await {
        let receiver = Receiver::start(&db, &[]);
        // Never refused: kept for later, answered 202.
        let mut bad = clerk_models_tests::user_json();
        bad["id"] = 5.into();
        let invalid = clerk_models_tests::event_json("user.created", bad).to_string();
        assert_eq!(
            deliver(receiver.addr, "msg_i", &invalid).await,
            (202, "invalid".into())
        );
        let unknown = clerk_models_tests::event_json("user.teleported", serde_json::json!({}));
        let unknown = unknown.to_string();
        assert_eq!(
            deliver(receiver.addr, "msg_u", &unknown).await,
            (202, "unknown".into())
        );
        drop(receiver);

        // Events an older version could not type, as it stored them: replay handles them now.
        let pool = db.pool().await;
        for (id, body) in [
            ("old_1", user_event("user.created", "user_r", "Replayed", 5)),
            (
                "old_2",
                membership_event(
                    "organizationMembership.created",
                    "orgmem_r",
                    "org:member",
                    5,
                ),
            ),
        ] {
            sqlx::query(
                "INSERT INTO webhook_events (svix_id, event_type, body, received_at, status, error) \
                 VALUES ($1, 'user.created', $2, 1, 'invalid', 'data: an older version')",
            )
            .bind(id)
            .bind(&body)
            .execute(&pool)
            .await
            .unwrap();
        }
        pool.close().await;
        let report = replay(&db);
        assert_eq!(
            report.trim(),
            "replayed 4: 2 handled, 0 ignored, 1 still invalid, 1 still unknown",
            "{:?}",
            db.backend
        );
        assert_eq!(
            value(&db, "full_name", "users", "user_r").await.as_deref(),
            Some("Replayed")
        );
        assert_eq!(db.count("organization_memberships").await, 1);
        assert_eq!(db.count("webhook_events WHERE status = 'handled'").await, 2);
        // What still does not type keeps its error, for the next upgrade.
        let pool = db.pool().await;
        let row = sqlx::query("SELECT status, error FROM webhook_events WHERE svix_id = 'msg_i'")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(row.try_get::<String, _>("status").unwrap(), "invalid");
        let error: String = row.try_get("error").unwrap();
        assert!(error.starts_with("data.id: invalid type"), "{error}");
        pool.close().await;
        // A second replay finds the two that still do not type, and changes nothing.
        let again = replay(&db);
        assert!(again.starts_with("replayed 2: 0 handled"), "{again}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_requests_never_panic_and_store_nothing() {
    for db in databases("hostile_requests_never_panic_and_store_nothing").await {
        let receiver = Receiver::start(&db, &[]);
        let addr = receiver.addr;
        let post = |headers: Vec<(String, String)>, body: Vec<u8>| async move {
            request(addr, "POST", "/webhooks/clerk", &headers, &body)
                .await
                .0
        };
        let big = vec![b' '; 10 * 1024 * 1024];
        assert_eq!(post(common::signed("h1", &big), big.clone()).await, 413);
        let bytes = b"{\"type\":\"user.created\",\"data\":\"\xff\xfe\"}".to_vec();
        assert_eq!(
            post(common::signed("wrong", b"other"), bytes.clone()).await,
            401
        );
        // Even signed, bytes that are no text are not an event Clerk sends: refused, 400.
        assert_eq!(post(common::signed("h2", &bytes), bytes).await, 400);
        let long_type = format!(r#"{{"type":"{}","data":{{}}}}"#, "x".repeat(100 * 1024));
        let long = long_type.into_bytes();
        assert_eq!(
            post(common::signed("wrong", b"other"), long.clone()).await,
            401
        );
        assert_eq!(post(Vec::new(), long).await, 400);
        let many: Vec<(String, String)> = (0..10_000)
            .map(|i| (format!("x-h{i}"), "v".to_owned()))
            .collect();
        let code = post(many, b"{}".to_vec()).await;
        assert!(code == 431 || code == 0 || code == 400, "{code}");
        assert_eq!(db.count("webhook_events").await, 0);
        // Still serving.
        assert_eq!(request(addr, "GET", "/healthz", &[], b"").await.0, 200);
        let body = user_event("user.created", "user_h", "After", 1);
        assert_eq!(deliver(addr, "msg_h", &body).await, (200, "handled".into()));
    }
}
