//! The rows of `clerk-models-axum`: the layer's criterion bench (a repeated token against a
//! full verification, same run) and the example server's loopback load test.

use std::path::Path;

use serde_json::Value;

use super::{Error, Result, cargo, estimate, package_crate_count, run, time};

/// Where the load test writes its numbers, under the workspace root.
const LOAD_REPORT: &str = "target/load-test.json";
/// The load test's size: requests per scenario, and concurrency.
const LOAD_REQUESTS: &str = "10000";
const LOAD_CONCURRENCY: &str = "32";

/// Runs the layer bench and the load test.
pub(super) fn run_benches(root: &Path) -> Result<()> {
    let mut bench = cargo();
    bench
        .current_dir(root)
        .args(["bench", "-p", "clerk-models-axum", "--bench", "layer"]);
    run(&mut bench)?;
    let mut load = cargo();
    load.current_dir(root).args([
        "run",
        "--release",
        "--quiet",
        "-p",
        "api-server",
        "--example",
        "load",
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

/// One scenario of the load report: requests/s, p50 and p99 in µs.
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
    let group = "axum_layer";
    let (verify, _) = estimate(root, group, "verifier_verify")?;
    let (full, _) = estimate(root, group, "layer_full_verify")?;
    let (repeated, _) = estimate(root, group, "layer_repeated_token")?;
    let (anonymous, _) = estimate(root, group, "layer_no_token")?;
    let (api_key, _) = estimate(root, group, "layer_cached_api_key")?;
    let mut out = format!(
        "| `ClerkLayer`, a repeated token (cached: time checks only), vs a full verification through the layer (cache off) | {} | {} | {:.3}× | ≤ 2 µs |\n\
         | ... `Verifier::verify` alone / the layer with no token in the request | | {} / {} | | |\n",
        time(full),
        time(repeated),
        repeated / full,
        time(verify),
        time(anonymous),
    );
    out.push_str(&format!(
        "| `ClerkLayer`, a repeated API key (a cached opaque token), vs a repeated session token | {} | {} | {:.2}× | ≤ 2 µs |\n",
        time(repeated),
        time(api_key),
        api_key / repeated
    ));
    let path = root.join(LOAD_REPORT);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error(format!("no load report at {}: {e}", path.display())))?;
    let report: Value =
        serde_json::from_str(&text).map_err(|e| Error(format!("{}: {e}", path.display())))?;
    let size = format!(
        "{} requests at concurrency {}",
        report.get("requests").and_then(Value::as_u64).unwrap_or(0),
        report
            .get("concurrency")
            .and_then(Value::as_u64)
            .unwrap_or(0)
    );
    let (base_rps, base_p50, base_p99) = scenario(&report, "healthz")?;
    out.push_str(&format!(
        "| Load: `GET /healthz` (no token), {size}, 127.0.0.1 | | {base_rps:.0} req/s, p50 {base_p50:.0} µs, p99 {base_p99:.0} µs | 1.00× | |\n"
    ));
    for (name, label) in [
        ("me_repeated", "one repeated token"),
        (
            "me_distinct",
            "a distinct token per request (each verified in full)",
        ),
    ] {
        let (rps, p50, p99) = scenario(&report, name)?;
        out.push_str(&format!(
            "| Load: `GET /me`, {label} | `/healthz`: {base_rps:.0} req/s | {rps:.0} req/s, p50 {p50:.0} µs, p99 {p99:.0} µs | {:.2}× the throughput | |\n",
            rps / base_rps
        ));
    }
    let (rps, p50, p99) = scenario(&report, "ping_api_key")?;
    out.push_str(&format!(
        "| Load: `GET /machine/ping`, one repeated API key (verified once through the Backend API's mock, then cached) | `/healthz`: {base_rps:.0} req/s | {rps:.0} req/s, p50 {p50:.0} µs, p99 {p99:.0} µs | {:.2}× the throughput | |\n",
        rps / base_rps
    ));
    let axum = package_crate_count(root, "clerk-models-axum", &[])?;
    let bare = package_crate_count(root, "clerk-models-axum", &["--no-default-features"])?;
    out.push_str(&format!(
        "| Third-party crates of `clerk-models-axum` (`cargo tree -e normal`), default / without `client` | | {axum} / {bare} | | |\n"
    ));
    Ok(out)
}
