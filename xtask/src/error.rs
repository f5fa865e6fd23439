//! The generator's error: a message that names the place it concerns (a schema pointer, a
//! configuration entry, a file), shared by every stage.

use std::fmt;

/// An error of the generator, with the place it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// Result of the generator's steps.
pub type Result<T> = std::result::Result<T, Error>;

/// Returns an [`Error`] with a formatted message from the enclosing function.
macro_rules! bail {
    ($($arg:tt)*) => { return Err($crate::error::Error(format!($($arg)*))) };
}
pub(crate) use bail;
