//! Stage 7: the tools beside the generator. `cargo xtask schema-diff` ([`diff`]) and
//! `cargo xtask bench-report` ([`bench`](mod@bench)).

pub mod bench;
pub mod diff;
