//! `cargo xtask <command>`: the project's maintenance commands.

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen           regenerate crates/clerk-models/src/generated.rs from schemas/
  codegen --check   fail, with a diff, if the generated file is not up to date
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = xtask::workspace_root();
    let result = match args.as_slice() {
        ["codegen"] => xtask::codegen(&root, false),
        ["codegen", "--check"] => xtask::codegen(&root, true),
        ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(xtask::files::Outcome::Fresh) => {
            println!("{} is up to date", xtask::config::GENERATED_FILE);
            ExitCode::SUCCESS
        }
        Ok(xtask::files::Outcome::Written) => {
            println!("wrote {}", xtask::config::GENERATED_FILE);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
