//! The clerk-models generator and the project's tools, as stages that read top to bottom:
//!
//! 1. [`config`] (with [`naming`] and `text`): every decision that is not in `schemas/`;
//! 2. [`load`]: the schemas, and the OpenAPI import that writes them;
//! 3. `model`: normalize the schemas into the model (`Model`, `StructModel`, `PropModel`);
//! 4. `typify_pass`: typify's structs, brought in line with the model;
//! 5. `emit`: one module per kind of output, and the layout of the generated folder;
//! 6. [`check`]: freshness of the generated files, and the import graph;
//! 7. [`tools`]: `schema-diff` and `bench-report`.
//!
//! `pipeline` runs them for `cargo xtask codegen` and `import-openapi`; nothing imports it.
//! Output: `crates/clerk-models/src/generated/`. See ARCHITECTURE.md for the rule of which
//! module may import which, which `check::imports` enforces.

pub mod check;
pub mod cli;
pub mod config;
pub(crate) mod emit;
pub mod error;
pub mod load;
pub(crate) mod model;
pub mod naming;
pub(crate) mod pipeline;
pub(crate) mod text;
pub mod tools;
pub(crate) mod typify_pass;

pub use error::{Error, Result};
pub use load::{reference_spec, reference_spec_for_test, workspace_root};
pub use pipeline::api::{ExampleAnswer, api_examples};
pub use pipeline::{Import, codegen, import_openapi};
