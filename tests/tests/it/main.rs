//! The behaviour tests of clerk-models, in one test binary, a module per wire form (as
//! ruma's `tests/it/` does). Tests that need a binary of their own stay beside this one:
//! `alloc.rs` and `hostile.rs` count allocations with their own `#[global_allocator]`, and
//! `ui.rs` runs trybuild.

mod api;
mod derive;
mod tokens;
mod webhooks;
