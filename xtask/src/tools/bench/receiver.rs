//! The rows of the durable webhook receiver: its loopback load test on SQLite and on
//! PostgreSQL, beside `Webhook::verify` alone (the criterion bench of the same run).

use std::path::Path;

use serde_json::Value;

use super::{Error, Result, cargo, estimate, run, time};

/// Where the load test writes its numbers, under the workspace root.
const LOAD_REPORT: &str = "target/receiver-load.json";
/// Deliveries per scenario, and concurrency: signed up front, so the run must end within
/// Svix's 5-minute window.
const LOAD_REQUESTS: &str = "2000";
const LOAD_CONCURRENCY: &str = "16";

/// Runs the receiver's load test (it starts its own PostgreSQL, with fsync on, unless
/// `TEST_POSTGRES_URL` names one).
pub(super) fn run_benches(root: &Path) -> Result<()> {
    let mut load = cargo();
    load.current_dir(root).args([
        "run",
        "--release",
        "--quiet",
        "-p",
        "webhook-receiver",
        "--example",
        "receiver_load",
        "--",
        "--requests",
        LOAD_REQUESTS,
        "--concurrency",
        LOAD_CONCURRENCY,
        "--json",
        LOAD_REPORT,
    ]);
    run(&mut load)?;
    Ok(())
}

/// One scenario of the report: requests/s, p50 and p99 in µs.
fn scenario(report: &Value, name: &str) -> Result<(f64, f64, f64)> {
    let found = report
        .get("scenarios")
        .and_then(Value::as_array)
        .and_then(|all| {
            all.iter()
                .find(|s| s.get("name").and_then(Value::as_str) == Some(name))
        })
        .ok_or_else(|| Error(format!("{LOAD_REPORT}: no scenario {name:?}")))?;
    let number = |key: &str| {
        found
            .get(key)
            .and_then(Value::as_f64)
            .ok_or_else(|| Error(format!("{LOAD_REPORT}: {name} has no {key}")))
    };
    if number("errors")? > 0.0 {
        return Err(Error(format!(
            "{LOAD_REPORT}: {name} had answers other than 200"
        )));
    }
    Ok((
        number("requests_per_second")?,
        number("p50_us")?,
        number("p99_us")?,
    ))
}

pub(super) fn rows(root: &Path) -> Result<String> {
    let path = root.join(LOAD_REPORT);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error(format!("no load report at {}: {e}", path.display())))?;
    let report: Value =
        serde_json::from_str(&text).map_err(|e| Error(format!("{}: {e}", path.display())))?;
    let size = format!(
        "{} at concurrency {}",
        report.get("requests").and_then(Value::as_u64).unwrap_or(0),
        report
            .get("concurrency")
            .and_then(Value::as_u64)
            .unwrap_or(0)
    );
    let (verify, _) = estimate(root, "verify_user_created", "verify")?;
    let mut out = String::new();
    for (database, label) in [
        ("sqlite", "SQLite (WAL, synchronous FULL)"),
        ("postgres", "PostgreSQL 15 (fsync on)"),
    ] {
        let (base_rps, ..) = scenario(&report, &format!("{database}_healthz"))?;
        let (rps, p50, p99) = scenario(&report, &format!("{database}_deliveries"))?;
        out.push_str(&format!(
            "| Load: webhook receiver on {label}, {size}: signed `user.created` deliveries, each verified, stored and synced in one transaction | `/healthz` (`SELECT 1`): {base_rps:.0} req/s; `Webhook::verify` alone: {} | {rps:.0} deliveries/s, p50 {p50:.0} µs, p99 {p99:.0} µs | {:.2}× the throughput; verify {:.2} % of p50 | |\n",
            time(verify),
            rps / base_rps,
            verify / 10.0 / p50,
        ));
    }
    Ok(out)
}
