//! Stage 6: checks. The generated folder against what the schemas give ([`files`]), and the
//! import graph of a crate's modules ([`imports`]).

pub mod files;
pub mod imports;
