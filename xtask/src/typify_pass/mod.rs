//! Stage 4: typify turns the normalized schemas into structs, and the post-pass brings them in
//! line with the model and the crate's rules ([`post`]).

use proc_macro2::TokenStream;

use crate::error::{Error, Result};
use crate::model::Model;

pub(crate) mod post;

pub(crate) fn run_typify(input: &serde_json::Value, model: &Model) -> Result<TokenStream> {
    let root: schemars::schema::RootSchema =
        serde_json::from_value(input.clone()).map_err(|e| {
            Error(format!(
                "normalized schemas are not a JSON Schema typify reads: {e}"
            ))
        })?;
    let mut settings = typify::TypeSpaceSettings::default();
    settings
        .with_struct_builder(false)
        .with_derive("PartialEq".into())
        .with_derive("Eq".into());
    for model_enum in &model.enums {
        // typify must not generate the string enums: the xtask emits them itself.
        settings.with_replacement(&model_enum.name, &model_enum.name, std::iter::empty());
    }
    for union in &model.unions {
        // Nor the unions (see `crate::unions`).
        settings.with_replacement(&union.name, &union.name, std::iter::empty());
    }
    let mut space = typify::TypeSpace::new(&settings);
    space
        .add_root_schema(root)
        .map_err(|e| Error(format!("typify rejected the schemas: {e}")))?;
    Ok(space.to_stream())
}
