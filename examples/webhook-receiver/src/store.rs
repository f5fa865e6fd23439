//! The database: one code path for SQLite and PostgreSQL (sqlx's `Any` driver), migrations run
//! at start, and each delivery stored with its handling in one transaction.

use core::fmt;
use std::time::Duration;

use clerk_models::WebhookEvent;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, AssertSqlSafe, Row as _};

use crate::sync::{self, Plan, Status};

/// The tables, in order; each step runs once, in a transaction, recorded in
/// `receiver_schema`. Plain SQL that SQLite and PostgreSQL read alike.
const MIGRATIONS: &[(i64, &[&str])] = &[(
    1,
    &[
        // Every authentic delivery, once: the Svix message id is the key.
        "CREATE TABLE webhook_events (\
            svix_id TEXT PRIMARY KEY, \
            event_type TEXT NOT NULL, \
            body TEXT NOT NULL, \
            received_at BIGINT NOT NULL, \
            status TEXT NOT NULL, \
            error TEXT)",
        "CREATE INDEX webhook_events_status ON webhook_events (status, received_at)",
        "CREATE TABLE users (\
            id TEXT PRIMARY KEY, \
            primary_email TEXT, \
            full_name TEXT NOT NULL, \
            updated_at BIGINT NOT NULL)",
        "CREATE TABLE organization_memberships (\
            id TEXT PRIMARY KEY, \
            organization_id TEXT NOT NULL, \
            user_id TEXT, \
            role TEXT NOT NULL, \
            updated_at BIGINT NOT NULL)",
        // What was deleted stays deleted, whatever arrives late.
        "CREATE TABLE tombstones (\
            kind TEXT NOT NULL, \
            id TEXT NOT NULL, \
            deleted_at BIGINT NOT NULL, \
            PRIMARY KEY (kind, id))",
    ],
)];

/// A database error, by what the sender should do about it.
#[derive(Debug)]
pub enum StoreError {
    /// The database cannot be reached or is busy: answer 503, so Svix retries later.
    Unavailable(sqlx::Error),
    /// A statement failed (a handler's fault): the transaction was rolled back; answer 500,
    /// so Svix retries and the redelivery is handled.
    Failed(sqlx::Error),
}

impl StoreError {
    /// A connection could not be had: whatever the reason (refused, timed out, a database
    /// that does not take connections now), the database is not there for this delivery.
    fn no_connection(error: sqlx::Error) -> Self {
        Self::Unavailable(error)
    }

    fn from_sqlx(error: sqlx::Error) -> Self {
        if unavailable(&error) {
            Self::Unavailable(error)
        } else {
            Self::Failed(error)
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unavailable(e) => write!(f, "database unavailable: {e}"),
            Self::Failed(e) => write!(f, "database statement failed: {e}"),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Unavailable(e) | Self::Failed(e) => Some(e),
        }
    }
}

/// Whether the error means "not now" (unreachable, timed out, busy, shutting down, a
/// serialization conflict) rather than "this statement is wrong".
fn unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            if let Some(sqlite) = db.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
                // SQLITE_BUSY (5), SQLITE_LOCKED (6), SQLITE_IOERR (10), SQLITE_FULL (13),
                // SQLITE_CANTOPEN (14), with their extended codes.
                let code = sqlx::error::DatabaseError::code(sqlite)
                    .and_then(|c| c.parse::<i32>().ok())
                    .unwrap_or(0);
                return matches!(code & 0xff, 5 | 6 | 10 | 13 | 14);
            }
            // SQLSTATE classes: 08 connection exception, 40 transaction rollback
            // (serialization failure, deadlock), 53 insufficient resources, 57 operator
            // intervention (shutdown, cannot connect now).
            db.code()
                .is_some_and(|code| ["08", "40", "53", "57"].iter().any(|c| code.starts_with(c)))
        }
        _ => false,
    }
}

/// What became of one delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stored now, with this status (handled in the same transaction when `Handled`).
    Stored(Status),
    /// Its `svix-id` was stored before: nothing was done again.
    Duplicate,
}

/// What `replay` did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReplayReport {
    /// Events read again.
    pub replayed: usize,
    /// Now typed and applied.
    pub handled: usize,
    /// Now typed, of a kind this receiver does not sync.
    pub ignored: usize,
    /// Still not fitting their model.
    pub invalid: usize,
    /// Still of a type this version does not know, or no event at all.
    pub unknown: usize,
}

/// The receiver's database.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`), waiting at most `timeout` for a
    /// connection (and, in SQLite, for a lock), then runs the migrations.
    ///
    /// # Errors
    ///
    /// When the database cannot be reached or migrated.
    pub async fn open(url: &str, timeout: Duration) -> Result<Self, StoreError> {
        install_default_drivers();
        let busy_ms = i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX);
        let pool = AnyPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(timeout)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if conn.backend_name() == "SQLite" {
                        let pragma = format!("PRAGMA busy_timeout = {busy_ms}");
                        sqlx::query(AssertSqlSafe(pragma))
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .map_err(StoreError::from_sqlx)?;
        let store = Self { pool };
        store.migrate().await?;
        Ok(store)
    }

    /// Runs each migration not yet recorded, in its own transaction. Several receivers may
    /// start at once: the first to record a step runs it, and the others wait for it (the
    /// step's row is written first, so they queue on its key) and then skip it.
    async fn migrate(&self) -> Result<(), StoreError> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(StoreError::no_connection)?;
        if conn.backend_name() == "SQLite" {
            // Readers and one writer at once, across processes; kept in the file.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&mut *conn)
                .await
                .map_err(StoreError::from_sqlx)?;
        }
        drop(conn);
        let create = "CREATE TABLE IF NOT EXISTS receiver_schema (version BIGINT PRIMARY KEY)";
        // Two PostgreSQL sessions creating the same table at once may both try: one fails,
        // and then finds the table.
        if let Err(first) = sqlx::query(create).execute(&self.pool).await {
            sqlx::query(create)
                .execute(&self.pool)
                .await
                .map_err(|_| StoreError::from_sqlx(first))?;
        }
        for (version, statements) in MIGRATIONS {
            let mut tx = self.pool.begin().await.map_err(StoreError::no_connection)?;
            let recorded = sqlx::query(
                "INSERT INTO receiver_schema (version) VALUES ($1) ON CONFLICT (version) DO NOTHING",
            )
            .bind(version)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_sqlx)?;
            if recorded.rows_affected() == 1 {
                for statement in *statements {
                    sqlx::query(*statement)
                        .execute(&mut *tx)
                        .await
                        .map_err(StoreError::from_sqlx)?;
                }
            }
            tx.commit().await.map_err(StoreError::from_sqlx)?;
        }
        Ok(())
    }

    /// Stores a delivery and handles it, in one transaction: the event row (its `svix-id`
    /// unique) first, so a redelivery, here or in another process, finds it and does nothing.
    /// `received_at` is Unix milliseconds.
    ///
    /// # Errors
    ///
    /// [`StoreError::Unavailable`] when the database cannot take it now, and
    /// [`StoreError::Failed`] when a statement fails; either way nothing was written.
    pub async fn receive(
        &self,
        svix_id: &str,
        body: &str,
        event: Result<&WebhookEvent, &clerk_models::Error>,
        received_at: i64,
    ) -> Result<Outcome, StoreError> {
        let (event_type, plan) = match event {
            Ok(event) => (event.event_type().as_str(), sync::plan(event)),
            Err(error) => (
                "",
                Plan {
                    status: Status::Malformed,
                    change: None,
                    error: Some(error.to_string()),
                },
            ),
        };
        let mut tx = self.pool.begin().await.map_err(StoreError::no_connection)?;
        let inserted = sqlx::query(
            "INSERT INTO webhook_events (svix_id, event_type, body, received_at, status, error) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (svix_id) DO NOTHING",
        )
        .bind(svix_id)
        .bind(event_type)
        .bind(body)
        .bind(received_at)
        .bind(plan.status.as_str())
        .bind(&plan.error)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from_sqlx)?;
        if inserted.rows_affected() == 0 {
            tx.rollback().await.map_err(StoreError::from_sqlx)?;
            return Ok(Outcome::Duplicate);
        }
        if let Some(change) = &plan.change {
            sync::apply(&mut tx, change, received_at)
                .await
                .map_err(StoreError::from_sqlx)?;
        }
        tx.commit().await.map_err(StoreError::from_sqlx)?;
        Ok(Outcome::Stored(plan.status))
    }

    /// Reads every stored event that was not typed (invalid, unknown, malformed) again with
    /// this version of `clerk-models`, oldest first, and handles each one that now types,
    /// each in its own transaction with its new status.
    ///
    /// # Errors
    ///
    /// When the database fails; what was replayed before stays replayed.
    pub async fn replay(&self) -> Result<ReplayReport, StoreError> {
        let rows = sqlx::query(
            "SELECT svix_id, body, received_at FROM webhook_events WHERE status IN ($1, $2, $3) \
             ORDER BY received_at, svix_id",
        )
        .bind(Status::REPLAYED[0].as_str())
        .bind(Status::REPLAYED[1].as_str())
        .bind(Status::REPLAYED[2].as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::from_sqlx)?;
        let mut report = ReplayReport::default();
        for row in rows {
            let id: String = row.try_get("svix_id").map_err(StoreError::from_sqlx)?;
            let body: String = row.try_get("body").map_err(StoreError::from_sqlx)?;
            let received_at: i64 = row.try_get("received_at").map_err(StoreError::from_sqlx)?;
            let (event_type, plan) = match clerk_models::from_str::<WebhookEvent>(&body) {
                Ok(event) => (event.event_type().as_str().to_owned(), sync::plan(&event)),
                Err(error) => (
                    String::new(),
                    Plan {
                        status: Status::Malformed,
                        change: None,
                        error: Some(error.to_string()),
                    },
                ),
            };
            let mut tx = self.pool.begin().await.map_err(StoreError::no_connection)?;
            if let Some(change) = &plan.change {
                sync::apply(&mut tx, change, received_at)
                    .await
                    .map_err(StoreError::from_sqlx)?;
            }
            sqlx::query(
                "UPDATE webhook_events SET event_type = $1, status = $2, error = $3 \
                 WHERE svix_id = $4",
            )
            .bind(&event_type)
            .bind(plan.status.as_str())
            .bind(&plan.error)
            .bind(&id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from_sqlx)?;
            tx.commit().await.map_err(StoreError::from_sqlx)?;
            report.replayed += 1;
            match plan.status {
                Status::Handled => report.handled += 1,
                Status::Ignored => report.ignored += 1,
                Status::Invalid => report.invalid += 1,
                Status::Unknown | Status::Malformed => report.unknown += 1,
            }
        }
        Ok(report)
    }

    /// Whether the database answers a query now.
    pub async fn healthy(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// The pool, for tests and tools that read the tables.
    #[must_use]
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}
