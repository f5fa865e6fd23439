//! What several emitters read beside the model: an operation's signature, and sample values
//! of the schemas. Emitters may import these; these import no emitter.

pub(crate) mod samples;
pub(crate) mod signature;
