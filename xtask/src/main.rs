//! `cargo xtask <command>`: the project's maintenance commands.

use std::path::Path;
use std::process::ExitCode;

use xtask::cli::Command;

fn main() -> ExitCode {
    let cli = match xtask::cli::parse(std::env::args_os().skip(1)) {
        Ok(cli) => cli,
        Err(exit) => {
            if exit.to_stderr {
                eprint!("{}", exit.text);
            } else {
                print!("{}", exit.text);
            }
            return ExitCode::from(exit.code);
        }
    };
    let root = xtask::workspace_root();
    let result = match cli.command {
        Command::Codegen { check } => codegen(&root, check),
        Command::ImportOpenapi { spec } => import(&root, &spec),
        Command::SchemaDiff {
            old,
            new,
            json,
            deny_breaking,
        } => schema_diff(&old, &new, json, deny_breaking),
        Command::BenchReport { reuse } => bench_report(&root, reuse),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn codegen(root: &Path, check: bool) -> xtask::Result<ExitCode> {
    let outcome = xtask::codegen(root, check)?;
    let dir = xtask::config::GENERATED_DIR;
    match outcome {
        xtask::check::files::Outcome::Fresh => println!("{dir}/ is up to date"),
        xtask::check::files::Outcome::Written => println!("wrote {dir}/"),
    }
    Ok(ExitCode::SUCCESS)
}

fn import(root: &Path, spec: &Path) -> xtask::Result<ExitCode> {
    let import = xtask::import_openapi(root, spec)?;
    println!(
        "imported {} into {}/",
        spec.display(),
        xtask::config::SCHEMA_DIR
    );
    print!("{}", xtask::tools::diff::report(&import.changes));
    print_webhooks_against_backend(spec)?;
    if import.written.is_empty() {
        println!("nothing to write: schemas/ and the generated code already match this spec");
    }
    for path in &import.written {
        let shown = path.strip_prefix(root).unwrap_or(path);
        println!("wrote {}", shown.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// For a webhooks spec: where its own copies of the Backend API's components differ from
/// `schemas/`, which takes them from the Backend API.
fn print_webhooks_against_backend(spec: &Path) -> xtask::Result<()> {
    if spec.is_dir() {
        return Ok(());
    }
    let root = xtask::workspace_root();
    let backend = xtask::load::schemas::load_dir(&root.join(xtask::config::SCHEMA_DIR))?;
    let changes = xtask::tools::diff::webhooks_against_backend(spec, &backend)?;
    if !changes.is_empty() {
        println!(
            "the webhooks spec's own copies of Backend API components, which schemas/ takes \
             from the Backend API (Backend API -> webhooks spec):"
        );
        print!("{}", xtask::tools::diff::report(&changes));
    }
    Ok(())
}

fn bench_report(root: &Path, reuse: bool) -> xtask::Result<ExitCode> {
    eprintln!(
        "running the criterion benches, the api-server load test and two clean release builds (minutes)..."
    );
    let table = xtask::tools::bench::report(root, reuse)?;
    let summary = xtask::tools::bench::write(root, &table)?;
    eprintln!(
        "wrote {}; the README's summary rows:",
        xtask::tools::bench::BENCHMARKS_FILE
    );
    print!("{summary}");
    Ok(ExitCode::SUCCESS)
}

fn schema_diff(old: &Path, new: &Path, json: bool, deny: bool) -> xtask::Result<ExitCode> {
    let changes = xtask::tools::diff::diff_sides(
        &xtask::tools::diff::load_side(old)?,
        &xtask::tools::diff::load_side(new)?,
    )?;
    if json {
        let report = xtask::tools::diff::report_json(&changes);
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        println!("{} -> {}", old.display(), new.display());
        print!("{}", xtask::tools::diff::report(&changes));
        print_webhooks_against_backend(new)?;
    }
    let breaking = changes.iter().any(|c| c.breaking);
    Ok(if deny && breaking {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
