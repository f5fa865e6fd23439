//! The command line of `cargo xtask`, declared once: clap builds the parser and every
//! `--help` from it, and [`command_table`] renders the README's list of commands from it.

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

/// Maintenance commands of clerk-models: the generator, Clerk's spec updates, benchmarks.
///
/// Exit codes: 0 success; 1 failure (a stale file, a bad spec, breaking changes with
/// `--deny-breaking`); 2 wrong usage.
#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    disable_version_flag = true,
    arg_required_else_help = true
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// One `cargo xtask` command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Regenerate both crates' `src/generated/` (and the API's tests and features) from schemas/.
    Codegen {
        /// Write nothing; fail, with a diff, if the generated file is not up to date.
        #[arg(long)]
        check: bool,
    },
    /// Import one of Clerk's specs (Backend API or webhooks) into schemas/, print what
    /// changes, regenerate.
    ImportOpenapi {
        /// The Backend API spec (clerk-bapi-2026-05-12.yml) or the webhooks spec
        /// (clerk-webhooks-2025-04-15.yml).
        spec: PathBuf,
    },
    /// What changes from OLD to NEW (specs or folders), each change breaking or compatible.
    SchemaDiff {
        /// The current side: a spec, or a folder like schemas/.
        old: PathBuf,
        /// The new side: a spec, or a folder like schemas/.
        new: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Exit 1 when any change is breaking.
        #[arg(long)]
        deny_breaking: bool,
    },
    /// Run the benchmarks, write BENCHMARKS.md, print the README's summary rows.
    BenchReport {
        /// Reuse the last benchmark run instead of running it again.
        #[arg(long)]
        reuse: bool,
    },
}

/// How a parse ended when it did not give a [`Cli`]: the text to print, where, and the
/// exit code (0 for help, 2 for a usage error).
#[derive(Debug)]
pub struct Exit {
    /// What clap rendered: the help text, or the usage error naming the argument.
    pub text: String,
    /// Whether the text goes to standard error.
    pub to_stderr: bool,
    /// The process exit code.
    pub code: u8,
}

/// Parses `args` (without the program name).
///
/// # Errors
///
/// [`Exit`] for `--help`, `help`, no command at all, and every usage error.
pub fn parse<I, S>(args: I) -> Result<Cli, Exit>
where
    I: IntoIterator<Item = S>,
    S: Into<std::ffi::OsString> + Clone,
{
    let argv = std::iter::once(std::ffi::OsString::from("cargo xtask"))
        .chain(args.into_iter().map(Into::into));
    Cli::try_parse_from(argv).map_err(|e| Exit {
        text: e.render().to_string(),
        to_stderr: e.use_stderr(),
        code: u8::try_from(e.exit_code()).unwrap_or(2),
    })
}

/// The README's list of commands, rendered from the same declarations as `--help`: one
/// table row per command, its arguments and its one-line summary.
#[must_use]
pub fn command_table() -> String {
    let cli = Cli::command();
    let mut out = String::from("| Command | What it does |\n|---|---|\n");
    for sub in cli.get_subcommands() {
        let mut usage = format!("cargo xtask {}", sub.get_name());
        for arg in sub.get_arguments() {
            if arg.is_positional() {
                usage.push_str(&format!(" <{}>", arg.get_id().as_str().to_uppercase()));
            } else if let Some(long) = arg.get_long()
                && long != "help"
            {
                usage.push_str(&format!(" [--{long}]"));
            }
        }
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        out.push_str(&format!("| `{usage}` | {about} |\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declarations_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn flags_are_accepted_in_any_position() {
        let before = parse(["schema-diff", "--deny-breaking", "a.yml", "b.yml"]).unwrap();
        let after = parse(["schema-diff", "a.yml", "b.yml", "--deny-breaking"]).unwrap();
        let between = parse(["schema-diff", "a.yml", "--deny-breaking", "b.yml"]).unwrap();
        for cli in [before, after, between] {
            let Command::SchemaDiff {
                old,
                new,
                json,
                deny_breaking,
            } = cli.command
            else {
                panic!("not schema-diff");
            };
            assert_eq!((old.to_str(), new.to_str()), (Some("a.yml"), Some("b.yml")));
            assert!(deny_breaking && !json);
        }
    }

    #[test]
    fn help_is_exit_0_on_stdout() {
        for args in [
            vec!["help"],
            vec!["--help"],
            vec!["codegen", "--help"],
            vec!["help", "schema-diff"],
        ] {
            let exit = parse(&args).unwrap_err();
            assert_eq!((exit.code, exit.to_stderr), (0, false), "{args:?}");
            assert!(
                exit.text.contains("Usage: cargo xtask"),
                "{args:?}: {}",
                exit.text
            );
        }
        let codegen = parse(["codegen", "--help"]).unwrap_err();
        assert!(codegen.text.contains("--check"), "{}", codegen.text);
    }

    #[test]
    fn usage_errors_are_exit_2_and_name_the_argument() {
        let typo = parse(["codegen", "--chek"]).unwrap_err();
        assert_eq!((typo.code, typo.to_stderr), (2, true));
        assert!(typo.text.contains("'--chek'"), "{}", typo.text);
        assert!(
            typo.text.contains("--check"),
            "no suggestion: {}",
            typo.text
        );

        let missing = parse(["schema-diff", "a.yml"]).unwrap_err();
        assert_eq!(missing.code, 2);
        assert!(missing.text.contains("<NEW>"), "{}", missing.text);

        let unknown = parse(["frobnicate"]).unwrap_err();
        assert_eq!(unknown.code, 2);
        assert!(unknown.text.contains("'frobnicate'"), "{}", unknown.text);

        let none = parse(Vec::<&str>::new()).unwrap_err();
        assert_eq!(none.code, 2);
        assert!(none.text.contains("codegen"), "{}", none.text);
    }

    /// The README's command table is rendered from the declarations above; this fails, and
    /// prints the table to paste, when they drift apart.
    #[test]
    fn readme_lists_the_commands_as_declared() {
        let readme =
            std::fs::read_to_string(crate::load::workspace_root().join("README.md")).unwrap();
        let table = command_table();
        assert!(
            readme.contains(&table),
            "README.md's command table differs from the xtask's declarations; it should read:\n{table}"
        );
    }
}
