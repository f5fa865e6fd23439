//! The runtime of the generated builders (`Session::builder()` and the others).
//!
//! A builder keeps each required field in a type parameter that is [`Missing`] until its
//! setter is called, and its `build()` asks every parameter to be [`Filled`]: forgetting a
//! setter is a compile error that names the field, and building moves the values into the
//! struct with no check left for run time.
//!
//! ```
//! use clerk_models::{Session, SessionStatus};
//!
//! let session = Session::builder()
//!     .id("sess_1")
//!     .user_id("user_1")
//!     .client_id("client_1")
//!     .status(SessionStatus::Active)
//!     .last_active_at(1_700_000_000_000)
//!     .expire_at(1_700_604_800_000)
//!     .abandon_at(1_702_592_000_000)
//!     .updated_at(1_700_000_000_000)
//!     .created_at(1_700_000_000_000)
//!     .build();
//! assert_eq!(session.object.as_str(), "session"); // filled in by the builder
//! assert_eq!(session.actor, None); // optional fields default to None
//! ```
//!
//! ```compile_fail
//! use clerk_models::{Session, SessionStatus};
//!
//! // No `user_id(…)`: `Missing<fields::session::user_id>` is not `Filled`.
//! let session = Session::builder()
//!     .id("sess_1")
//!     .client_id("client_1")
//!     .status(SessionStatus::Active)
//!     .last_active_at(1_700_000_000_000)
//!     .expire_at(1_700_604_800_000)
//!     .abandon_at(1_702_592_000_000)
//!     .updated_at(1_700_000_000_000)
//!     .created_at(1_700_000_000_000)
//!     .build();
//! ```

use core::fmt;
use core::marker::PhantomData;

/// A required field of a builder that has not been set; `F` (a type of
/// [`fields`](crate::fields)) names the field.
pub struct Missing<F>(PhantomData<F>);

impl<F> Missing<F> {
    /// The state of a field before its setter is called.
    #[must_use]
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<F> Default for Missing<F> {
    fn default() -> Self {
        Self::new()
    }
}

impl<F> Clone for Missing<F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F> Copy for Missing<F> {}

impl<F> fmt::Debug for Missing<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Missing<{}>", core::any::type_name::<F>())
    }
}

/// A builder's slot for a required field of type `T` that holds its value: `T` itself,
/// never [`Missing`].
#[diagnostic::on_unimplemented(
    message = "a required field of this builder is not set: `{Self}`",
    label = "`build()` needs every required field",
    note = "call the setter that `Missing<…>` names, such as `.user_id(…)` for `Missing<user_id>`, before `build()`"
)]
pub trait Filled<T> {
    /// The value.
    fn into_value(self) -> T;
}

impl<T> Filled<T> for T {
    #[inline]
    fn into_value(self) -> T {
        self
    }
}
