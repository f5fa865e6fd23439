//! `cargo xtask <command>`: the project's maintenance commands.

use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen                        regenerate crates/clerk-models/src/generated.rs from schemas/
  codegen --check                fail, with a diff, if the generated file is not up to date
  import-openapi <spec>          import Clerk's OpenAPI spec (YAML or JSON) into schemas/,
                                 print what it changes, and regenerate
  schema-diff <old> <new> [--json] [--deny-breaking]
                                 what changes from <old> to <new> (each a spec, or a folder
                                 like schemas/), tagged breaking or compatible
  bench-report [--reuse]         run the benchmarks (or reuse the last run) and measure the
                                 compile footprint; print the README's Performance table

exit codes: 0 success; 1 failure (stale file, bad spec, or breaking changes with
--deny-breaking); 2 wrong usage
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = xtask::workspace_root();
    let result = match args.as_slice() {
        ["codegen"] => codegen(&root, false),
        ["codegen", "--check"] => codegen(&root, true),
        ["import-openapi", spec] => import(&root, Path::new(spec)),
        ["schema-diff", old, new, flags @ ..] => {
            let json = flags.contains(&"--json");
            let deny = flags.contains(&"--deny-breaking");
            if flags
                .iter()
                .any(|f| *f != "--json" && *f != "--deny-breaking")
            {
                return usage();
            }
            schema_diff(Path::new(old), Path::new(new), json, deny)
        }
        ["bench-report"] => bench_report(&root, false),
        ["bench-report", "--reuse"] => bench_report(&root, true),
        ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => return usage(),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> ExitCode {
    eprint!("{USAGE}");
    ExitCode::from(2)
}

fn codegen(root: &Path, check: bool) -> xtask::Result<ExitCode> {
    let outcome = xtask::codegen(root, check)?;
    let file = xtask::config::GENERATED_FILE;
    match outcome {
        xtask::files::Outcome::Fresh => println!("{file} is up to date"),
        xtask::files::Outcome::Written => println!("wrote {file}"),
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
    print!("{}", xtask::diff::report(&import.changes));
    if import.written.is_empty() {
        println!("nothing to write: schemas/ and the generated code already match this spec");
    }
    for path in &import.written {
        let shown = path.strip_prefix(root).unwrap_or(path);
        println!("wrote {}", shown.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn bench_report(root: &Path, reuse: bool) -> xtask::Result<ExitCode> {
    eprintln!(
        "running cargo bench -p clerk-models and two clean release builds (a few minutes)..."
    );
    print!("{}", xtask::bench::report(root, reuse)?);
    Ok(ExitCode::SUCCESS)
}

fn schema_diff(old: &Path, new: &Path, json: bool, deny: bool) -> xtask::Result<ExitCode> {
    let changes = xtask::diff::diff(&xtask::diff::load_side(old)?, &xtask::diff::load_side(new)?);
    if json {
        let report = xtask::diff::report_json(&changes);
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        println!("{} -> {}", old.display(), new.display());
        print!("{}", xtask::diff::report(&changes));
    }
    let breaking = changes.iter().any(|c| c.breaking);
    Ok(if deny && breaking {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
