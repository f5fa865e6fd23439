//! Derives of [`clerk-models`](https://docs.rs/clerk-models), re-exported there; depend on
//! `clerk-models`, not on this crate.
//!
//! - `Timestamps`: for each field marked `#[clerk(timestamp)]` (a Unix-millisecond `i64` or
//!   `Option<i64>`), typed accessors that never panic.
//! - `StringEnum`: for an enum whose unit variants are string values and whose optional
//!   `#[clerk(other)]` variant keeps unknown text: `is_<variant>()`, group predicates,
//!   `as_str()`, `KNOWN`/`VALUES`, `Display`, `FromStr`, strict `try_parse`, serde.
//!
//! The expansion refers to `::clerk_models::__private`, so it works only where
//! `clerk_models` is a dependency. The stages follow `thiserror`'s layout: `ast` (borrowed
//! views keeping the original tokens for spans) → `attr` (`#[clerk(...)]` parsing) →
//! `valid` (checks) → `expand`; every stage adds to one error list, so all mistakes of
//! an input are reported in one compile.

#![forbid(unsafe_code)]

mod ast;
mod attr;
mod ctxt;
mod expand;
mod valid;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Typed accessors for the Unix-millisecond timestamp fields of a struct.
///
/// See `clerk_models::Timestamps` for the documentation and examples.
#[proc_macro_derive(Timestamps, attributes(clerk))]
pub fn derive_timestamps(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::timestamps(&input).into()
}

/// Helpers for a string enum, open (with a catch-all) or closed.
///
/// See `clerk_models::StringEnum` for the documentation and examples.
#[proc_macro_derive(StringEnum, attributes(clerk))]
pub fn derive_string_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand::string_enum(&input).into()
}
