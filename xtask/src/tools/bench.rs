//! `cargo xtask bench-report`: runs the benchmarks (`models`, `webhooks` and `verify` with
//! their features, `tokens`; `clerk-models-axum`'s `layer`; the api-server and
//! webhook-receiver load tests) and
//! measures the compile footprint, writes the whole table to
//! `BENCHMARKS.md` and prints the README's summary rows. Every number comes from this run.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use crate::config;
use crate::error::{Error, Result};

mod receiver;
mod server;

/// Median time of one criterion benchmark, in nanoseconds, and its input size in bytes.
fn estimate(root: &Path, group: &str, function: &str) -> Result<(f64, Option<u64>)> {
    let dir = root
        .join("target/criterion")
        .join(group)
        .join(function)
        .join("new");
    let read = |name: &str| -> Result<Value> {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error(format!("no benchmark result at {}: {e}", path.display())))?;
        serde_json::from_str(&text).map_err(|e| Error(format!("{}: {e}", path.display())))
    };
    let ns = read("estimates.json")?
        .pointer("/median/point_estimate")
        .and_then(Value::as_f64)
        .ok_or_else(|| Error(format!("{group}/{function}: no median in estimates.json")))?;
    let bytes = read("benchmark.json")?
        .pointer("/throughput/Bytes")
        .and_then(Value::as_u64);
    Ok((ns, bytes))
}

fn time(ns: f64) -> String {
    if ns >= 1_000_000.0 {
        format!("{:.2} ms", ns / 1_000_000.0)
    } else if ns >= 1_000.0 {
        format!("{:.2} µs", ns / 1_000.0)
    } else {
        format!("{ns:.1} ns")
    }
}

fn run(command: &mut Command) -> Result<String> {
    let output = command
        .output()
        .map_err(|e| Error(format!("cannot run {command:?}: {e}")))?;
    if !output.status.success() {
        return Err(Error(format!(
            "{command:?} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Third-party crates in `cargo tree -p clerk-models -e normal` with `features`.
fn crate_count(root: &Path, features: &[&str]) -> Result<usize> {
    package_crate_count(root, "clerk-models", features)
}

/// Third-party crates in `cargo tree -p <package> -e normal` with `features`: every crate
/// that is not a path dependency of the workspace.
fn package_crate_count(root: &Path, package: &str, features: &[&str]) -> Result<usize> {
    let mut command = cargo();
    command
        .current_dir(root)
        .args([
            "tree",
            "-p",
            package,
            "-e",
            "normal",
            "--prefix",
            "none",
            "--no-dedupe",
        ])
        .args(features);
    let tree = run(&mut command)?;
    let mut names: Vec<&str> = tree
        .lines()
        .filter(|l| !l.contains("(/"))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    names.sort_unstable();
    names.dedup();
    Ok(names.len())
}

/// Seconds for a clean `cargo build --release -p <package>` in a fresh target folder.
fn clean_build_seconds(root: &Path, package: &str, features: &[&str]) -> Result<f64> {
    let target = std::env::temp_dir().join(format!("clerk-models-build-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&target);
    let start = Instant::now();
    let mut command = cargo();
    command
        .current_dir(root)
        .args([
            "build",
            "--release",
            "--quiet",
            "-p",
            package,
            "--target-dir",
        ])
        .arg(&target)
        .args(features);
    run(&mut command)?;
    let seconds = start.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&target);
    Ok(seconds)
}

/// Lines of the generated code, every file of a generated folder (`dir`, from the root).
fn generated_lines(root: &Path, dir: &str) -> Result<usize> {
    let dir = root.join(dir);
    let mut lines = 0;
    for name in crate::check::files::list_dir(&dir)? {
        let path = dir.join(&name);
        lines += std::fs::read_to_string(&path)
            .map_err(|e| Error(format!("cannot read {}: {e}", path.display())))?
            .lines()
            .count();
    }
    Ok(lines)
}

/// The Backend API's rows: one call's work against doing it by hand, the crate's cost.
fn api_rows(root: &Path) -> Result<String> {
    let group = "api_get_session";
    let (base, _) = estimate(root, group, "baseline")?;
    let (generated, _) = estimate(root, group, "generated")?;
    let (hyper, _) = estimate(root, "api_client_get_user", "baseline_hyper")?;
    let (client, _) = estimate(root, "api_client_get_user", "client_send")?;
    let default_build = clean_build_seconds(root, "clerk-models-api", &[])?;
    let full_build = clean_build_seconds(root, "clerk-models-api", &["--features", "full"])?;
    let operations = count_operations(root)?;
    Ok(format!(
        "| Build `GetSession`'s request and decode its `Session` answer, vs `http::Request::builder` + serde_json into a hand-written struct | {} | {} | {:.2}× | ≤ 1.10× |\n\
         | `Client::send(&GetUser)` to a loopback mock, vs a bare hyper request and serde_json into a hand-written struct | {} | {} | {:.2}× | ≤ 1.15× |\n\
         | Clean `cargo build --release -p clerk-models-api` (default features) | | {default_build:.1} s | | ≤ 30 s |\n\
         | The same with `--features full` (all {operations} operations) | | {full_build:.1} s | | |\n\
         | Generated code (`crates/clerk-models-api/src/generated/`) | | {} lines | | |\n",
        time(base),
        time(generated),
        generated / base,
        time(hyper),
        time(client),
        client / hyper,
        generated_lines(root, config::API_GENERATED_DIR)?
    ))
}

/// The operations generated: the tests generated, one per operation.
fn count_operations(root: &Path) -> Result<usize> {
    let dir = root.join(config::API_TESTS_DIR);
    let mut count = 0;
    for name in crate::check::files::list_dir(&dir)? {
        let path = dir.join(&name);
        count += std::fs::read_to_string(&path)
            .map_err(|e| Error(format!("cannot read {}: {e}", path.display())))?
            .matches("#[test]")
            .count();
    }
    Ok(count)
}

/// The `user.created` rows: decoding against a hand-written struct, and `verify` against
/// HMAC plus that struct.
fn user_rows(root: &Path) -> Result<String> {
    let group = "decode_user_created";
    let (base, bytes) = estimate(root, group, "baseline")?;
    let (generated, _) = estimate(root, group, "generated")?;
    let (base_user, _) = estimate(root, group, "baseline_user_only")?;
    let (gen_user, _) = estimate(root, group, "generated_user_only")?;
    let size = bytes.map_or(String::new(), |b| format!(" ({:.1} KB)", b as f64 / 1024.0));
    let (floor, _) = estimate(root, "verify_user_created", "baseline_hmac_plus_struct")?;
    let (verify, _) = estimate(root, "verify_user_created", "verify")?;
    Ok(format!(
        "| Decode a `user.created` event{size} into `WebhookEvent` (data typed as `EventData::User`), vs a hand-written serde struct with the same fields | {} | {} | {:.2}× | ≤ 1.0× |\n\
         | ... the `User` alone | {} | {} | {:.2}× | |\n\
         | `Webhook::verify` of a `user.created`, vs HMAC-SHA256 + the hand-written struct | {} | {} | {:.2}× | reported |\n",
        time(base),
        time(generated),
        generated / base,
        time(base_user),
        time(gen_user),
        gen_user / base_user,
        time(floor),
        time(verify),
        verify / floor
    ))
}

/// The session token rows: claims decoding against the hand-written structs, and the
/// helpers against `SystemTime::now()`.
fn token_rows(root: &Path) -> Result<String> {
    let group = "decode_claims_v2";
    let (base, bytes) = estimate(root, group, "baseline")?;
    let (plain, _) = estimate(root, group, "baseline_no_custom")?;
    let (generated, _) = estimate(root, group, "generated")?;
    let (path, _) = estimate(root, group, "path_reporting")?;
    let size = bytes.map_or(String::new(), |b| format!(" ({b} bytes)"));
    let mut out = format!(
        "| Decode a v2 session token's claims{size}, vs a hand-written struct with the same fields (custom claims in a flattened map) | {} | {} | {:.2}× | ≤ 1.10× |\n\
         | ... vs the standard claims alone (no custom-claims map) | {} | {} | {:.2}× | |\n\
         | ... with error paths (`clerk_models::from_str`) | {} (plain decode) | {} | {:.2}× | |\n",
        time(base),
        time(generated),
        generated / base,
        time(plain),
        time(generated),
        generated / plain,
        time(generated),
        time(path),
        path / generated
    );
    let (now, _) = estimate(root, "token_helpers", "baseline_system_time_now")?;
    // `has_permission` is held to a share of a verification instead (`verify_rows`).
    for (helper, label, target) in [
        (
            "is_valid_at",
            "`SessionClaims::is_valid_at`",
            "< 50 ns, 0 allocations",
        ),
        (
            "has_permission",
            "`has_permission`, v2, granted (5 features, 4 permissions)",
            "0 allocations; see its share of `verify`",
        ),
        (
            "has_permission_denied",
            "`has_permission`, v2, denied",
            "0 allocations",
        ),
        ("has_role", "`has_role`", "< 50 ns, 0 allocations"),
    ] {
        let (ns, _) = estimate(root, "token_helpers", helper)?;
        out.push_str(&format!(
            "| {label} | `SystemTime::now()`: {} | {} | {:.2}× | {target} |\n",
            time(now),
            time(ns),
            ns / now
        ));
    }
    Ok(out)
}

/// The verification rows: `Verifier::verify` against jsonwebtoken's own check of the same
/// token, `has_permission` as a share of it, and `TokenType::of`.
fn verify_rows(root: &Path) -> Result<String> {
    let group = "verify_session_v2";
    let (base, _) = estimate(root, group, "jsonwebtoken_decode")?;
    let (ours, _) = estimate(root, group, "clerk_models")?;
    let (signature, _) = estimate(root, group, "signature_only")?;
    let (granted, _) = estimate(root, group, "has_permission")?;
    let (denied, _) = estimate(root, group, "has_permission_denied")?;
    let (prefix, _) = estimate(root, "token_type_of", "baseline_starts_with")?;
    let (opaque, _) = estimate(root, "token_type_of", "opaque")?;
    let (jwt, _) = estimate(root, "token_type_of", "jwt")?;
    Ok(format!(
        "| `Verifier::verify` of a v2 session token, vs `jsonwebtoken::decode` of the same token into `SessionClaims` | {} | {} | {:.2}× | ≤ 1.05× |\n\
         | ... the RS256 signature check alone (`jsonwebtoken::crypto::verify`) | | {} | {:.2}× of `verify` | |\n\
         | `has_permission` on the verified claims, granted / denied, as a share of `verify` | `verify`: {} | {} / {} | {:.2} % / {:.2} % | ≤ 1 %, 0 allocations |\n\
         | `TokenType::of` an API key (prefix form, no allocation), vs `str::starts_with` | {} | {} | {:.2}× | |\n\
         | `TokenType::of` a session token (JWT form: header and `sub` decoded) | | {} | | |\n",
        time(base),
        time(ours),
        ours / base,
        time(signature),
        signature / ours,
        time(ours),
        time(granted),
        time(denied),
        granted / ours * 100.0,
        denied / ours * 100.0,
        time(prefix),
        time(opaque),
        opaque / prefix,
        time(jwt)
    ))
}

/// The file [`write()`] writes, relative to the workspace root.
pub const BENCHMARKS_FILE: &str = "BENCHMARKS.md";

/// The README's performance summary: the rows of the full table whose operation starts
/// with one of these, in this order.
const SUMMARY_ROWS: &[&str] = &[
    "| Decode a page of 500 sessions",
    "| Decode a `user.created` event",
    "| `Webhook::verify` of a `user.created`",
    "| Clean `cargo build --release -p clerk-models`",
    "| Build `GetSession`'s request",
    "| `Client::send(&GetUser)`",
    "| `ClerkLayer`, a repeated API key",
    "| Load: `GET /machine/ping`",
    "| Clean `cargo build --release -p clerk-models-api`",
    "| `Verifier::verify`",
    "| `ClerkLayer`, a repeated token",
    "| Load: `GET /me`, a distinct token",
    "| Load: webhook receiver on SQLite",
    "| Load: webhook receiver on PostgreSQL",
];

/// What `BENCHMARKS.md` says around the table; no number is written here.
const BENCHMARKS_TEXT: &str = "# Benchmarks

Written by `cargo xtask bench-report`; do not edit by hand. Each operation is measured beside
a baseline in the same run on the project's 2-core machine (criterion medians): the
generated types against a hand-written `#[derive(Deserialize, Serialize)]` struct with the
same fields, the verifiers against the primitive they are built on, and each helper against
`SystemTime::now()`. Ratios matter more than times, since the machines are shared. The
inputs are built from the real fixtures in `../shared/fixtures/clerk/` (a 500-session page
with every status, unknown ones included) and tokens signed with Clerk's public test key.
Allocation counts come from `tests/tests/alloc.rs`.

Notes on reading the rows:

- `Webhook::verify` costs its floor (HMAC of the body and decoding the data) plus one scan
  of the body for the envelope, which keeps `data` as raw text: serde_json can keep a value's
  text or decode it, not both in one pass, and keeping `data` as received is the design.
  The same scan is most of what decoding a `user.created` costs beyond the hand-written
  struct; the rest is the verification unions, each kept as text to read its `object` and
  `strategy` before it is decoded as the member they choose.
- `Verifier::verify` is nearly all RS256 (the signature-only row): the class checks, the
  claims decode and the time checks are what remains.
- `has_permission` runs after a verification, so it is reported as a share of one.
- The `ClerkLayer` rows call the layer's service directly over an inner service that does
  nothing; the load rows are `cargo run --release -p api-server --example load` (client and
  server in one process on 127.0.0.1, sharing the 2 cores), `/healthz` as their baseline.
- The webhook receiver's load rows are `cargo run --release -p webhook-receiver --example
  receiver_load`: each delivery is verified, then stored with its sync in one transaction that is
  durable when answered; `/healthz` (one `SELECT 1` on the same database) is their baseline,
  and `Webhook::verify` alone shows what verification is of a delivery's time.
- Decoding can beat its baseline: a known status decodes into an enum variant, not a
  `String`. `clerk_models::from_str` decodes plainly and, only after a failure, once more with
  path tracking, so success costs nothing extra.

";

/// Writes `BENCHMARKS.md` (the whole `table`) under `root`, and returns the README's
/// summary rows with their header.
///
/// # Errors
///
/// When the file cannot be written or a summary row is missing from the table.
pub fn write(root: &Path, table: &str) -> Result<String> {
    let path = root.join(BENCHMARKS_FILE);
    std::fs::write(&path, format!("{BENCHMARKS_TEXT}{table}"))
        .map_err(|e| Error(format!("cannot write {}: {e}", path.display())))?;
    summary(table)
}

/// The rows of [`SUMMARY_ROWS`], under the table's header.
fn summary(table: &str) -> Result<String> {
    let mut lines = table.lines();
    let mut out: String = lines.by_ref().take(2).map(|l| format!("{l}\n")).collect();
    let rows: Vec<&str> = lines.collect();
    for start in SUMMARY_ROWS {
        let row = rows
            .iter()
            .find(|row| row.starts_with(start))
            .ok_or_else(|| Error(format!("the report has no row starting {start:?}")))?;
        out.push_str(row);
        out.push('\n');
    }
    Ok(out)
}

/// Runs the benchmarks (unless `reuse`), measures the footprint, and renders the table.
pub fn report(root: &Path, reuse: bool) -> Result<String> {
    if !reuse {
        for (bench, features) in [
            ("models", ""),
            ("webhooks", "webhooks"),
            ("users", "webhooks"),
            ("tokens", ""),
            ("verify", "jwt"),
        ] {
            let mut command = cargo();
            command.current_dir(root).args([
                "bench",
                "-p",
                "clerk-models",
                "--features",
                features,
                "--bench",
                bench,
            ]);
            run(&mut command)?;
        }
        let mut command = cargo();
        command
            .current_dir(root)
            .args(["bench", "-p", "clerk-models-api", "--bench", "request"]);
        run(&mut command)?;
        let mut command = cargo();
        command.current_dir(root).args([
            "bench",
            "-p",
            "clerk-models-api",
            "--features",
            "client",
            "--bench",
            "client",
        ]);
        run(&mut command)?;
        server::run_benches(root)?;
        receiver::run_benches(root)?;
    }
    let mut out = String::from(
        "| Operation | Baseline | clerk-models | Ratio | Target |\n|---|---|---|---|---|\n",
    );
    for (input, label) in [
        ("session", "one webhook session (1.7 KB)"),
        ("client10", "a client with 10 sessions"),
        ("list500", "a page of 500 sessions"),
    ] {
        let group = format!("decode_{input}");
        let (base, bytes) = estimate(root, &group, "baseline")?;
        let (generated, _) = estimate(root, &group, "generated")?;
        let (path, _) = estimate(root, &group, "path_reporting")?;
        let size = bytes.map_or(String::new(), |b| format!(", {:.0} KB", b as f64 / 1024.0));
        out.push_str(&format!(
            "| Decode {label}{size} | {} | {} | {:.2}× | ≤ 1.10× |\n",
            time(base),
            time(generated),
            generated / base
        ));
        out.push_str(&format!(
            "| Decode with error paths (`clerk_models::from_str`), {input} | {} (plain decode) | {} | {:.2}× | ≤ 1.25× |\n",
            time(generated),
            time(path),
            path / generated
        ));
        let (base_enc, _) = estimate(root, &format!("encode_{input}"), "baseline")?;
        let (gen_enc, _) = estimate(root, &format!("encode_{input}"), "generated")?;
        out.push_str(&format!(
            "| Encode {label} | {} | {} | {:.2}× | ≤ 1.10× |\n",
            time(base_enc),
            time(gen_enc),
            gen_enc / base_enc
        ));
        if input == "list500"
            && let Some(bytes) = bytes
        {
            let mbps = |ns: f64| bytes as f64 / ns * 1_000.0;
            out.push_str(&format!(
                "| Throughput, decoding 500 sessions | {:.0} MB/s | {:.0} MB/s (path-reporting: {:.0} MB/s) | | |\n",
                mbps(base),
                mbps(generated),
                mbps(path)
            ));
        }
    }
    let (now, _) = estimate(root, "helpers", "baseline_system_time_now")?;
    for helper in [
        "is_active_at",
        "effective_status_at",
        "time_until_expiry_at",
        "expire_at_system_time",
        "abandon_at_system_time",
        "last_active_at_system_time",
        "created_at_system_time",
        "updated_at_system_time",
        "last_active_session",
    ] {
        let (ns, _) = estimate(root, "helpers", helper)?;
        out.push_str(&format!(
            "| `{helper}` | `SystemTime::now()`: {} | {} | {:.2}× | < 20 ns, 0 allocations |\n",
            time(now),
            time(ns),
            ns / now
        ));
    }
    let group = "verify_session_event";
    let (floor, bytes) = estimate(root, group, "baseline_hmac_plus_session")?;
    let (verify, _) = estimate(root, group, "verify")?;
    let (hmac, _) = estimate(root, group, "hmac_only")?;
    let (signature, _) = estimate(root, group, "verify_signature_only")?;
    let (envelope, _) = estimate(root, group, "envelope_only")?;
    let size = bytes.map_or(String::new(), |b| format!(" ({:.1} KB)", b as f64 / 1024.0));
    out.push_str(&format!(
        "| `Webhook::verify` of a real `session.created` event{size}, vs HMAC-SHA256 of the body + its `data` decoded as `Session` and its `user` as `User` | {} | {} | {:.2}× | ≤ 1.25× |\n\
         | ... its parts: HMAC alone / `verify_signature` / envelope decode alone | | {} / {} / {} | | |\n",
        time(floor),
        time(verify),
        verify / floor,
        time(hmac),
        time(signature),
        time(envelope)
    ));
    out.push_str(&user_rows(root)?);
    out.push_str(&token_rows(root)?);
    out.push_str(&verify_rows(root)?);
    out.push_str(&server::rows(root)?);
    out.push_str(&receiver::rows(root)?);
    let group = "lenient_list500";
    let (strict, _) = estimate(root, group, "baseline_paginated_list")?;
    let (lenient, _) = estimate(root, group, "lenient_list")?;
    let (one_bad, _) = estimate(root, group, "lenient_list_one_bad_item")?;
    out.push_str(&format!(
        "| `LenientList::<Session>::from_str` of the all-valid 500-session page, vs `PaginatedList` | {} | {} | {:.2}× | ≤ 1.10× |\n\
         | ... the same page with one bad item (item by item after the strict attempt) | {} | {} | {:.2}× | |\n",
        time(strict),
        time(lenient),
        lenient / strict,
        time(strict),
        time(one_bad),
        one_bad / strict
    ));
    let webhook_crates = crate_count(root, &["--features", "webhooks"])?;
    let jwt_crates = crate_count(root, &["--features", "jwt"])?;
    out.push_str(&format!(
        "| Third-party crates, feature `webhooks` | | {webhook_crates} | | |\n\
         | Third-party crates, feature `jwt` | | {jwt_crates} | | |\n"
    ));
    let default_crates = crate_count(root, &[])?;
    let all_crates = crate_count(root, &["--all-features"])?;
    let default_build = clean_build_seconds(root, "clerk-models", &[])?;
    let webhooks_build = clean_build_seconds(root, "clerk-models", &["--features", "webhooks"])?;
    let all_build = clean_build_seconds(root, "clerk-models", &["--all-features"])?;
    out.push_str(&format!(
        "| Third-party crates, default features | | {default_crates} | | ≤ 12 |\n\
         | Third-party crates, all features | | {all_crates} | | |\n\
         | Clean `cargo build --release -p clerk-models` | | {default_build:.1} s | | ≤ 25 s |\n\
         | The same with `--features webhooks` (`Webhook::verify` compiles every event model's decoder) | | {webhooks_build:.1} s | | |\n\
         | The same with `--all-features` | | {all_build:.1} s | | |\n\
         | Generated code (`crates/clerk-models/src/generated/`) | | {} lines | | |\n",
        generated_lines(root, config::GENERATED_DIR)?
    ));
    out.push_str(&api_rows(root)?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_summary_takes_its_rows_in_order_and_names_a_missing_one() {
        // The table lists the summary's rows backwards, each with its position as its cell.
        let mut table = String::from("| Operation | A |\n|---|---|\n| other | x |\n");
        for (i, start) in super::SUMMARY_ROWS.iter().enumerate().rev() {
            table.push_str(&format!("{start} and more | {i} |\n"));
        }
        let summary = super::summary(&table).unwrap();
        let cells: Vec<String> = summary
            .lines()
            .skip(2)
            .filter_map(|l| l.rsplit('|').nth(1))
            .map(|c| c.trim().to_owned())
            .collect();
        let expected: Vec<String> = (0..super::SUMMARY_ROWS.len())
            .map(|i| i.to_string())
            .collect();
        assert_eq!(cells, expected);
        assert!(!summary.contains("other"));
        let err = super::summary("| h |\n|---|\n| other |\n").unwrap_err();
        assert!(err.0.contains("Decode a page"), "{err}");
    }
}
