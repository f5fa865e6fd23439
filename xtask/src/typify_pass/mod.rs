//! Stage 4: typify turns the normalized schemas into structs, and the post-pass brings them in
//! line with the model and the crate's rules ([`post`]).

use proc_macro2::TokenStream;

use crate::error::{Error, Result};
use crate::model::Model;

pub(crate) mod post;

/// typify's structs for the normalized schemas; the enums and unions are the emitters'.
pub(crate) fn run_typify(input: &serde_json::Value, model: &Model) -> Result<TokenStream> {
    let root: schemars::schema::RootSchema =
        serde_json::from_value(input.clone()).map_err(|e| {
            // Name the `$defs` entry that schemars cannot read, not only that one cannot be.
            let culprit = input
                .get("$defs")
                .and_then(serde_json::Value::as_object)
                .and_then(|defs| {
                    defs.iter().find(|(_, def)| {
                        serde_json::from_value::<schemars::schema::Schema>((*def).clone()).is_err()
                    })
                })
                .map(|(name, def)| format!(" (`#/$defs/{name}`: {def})"))
                .unwrap_or_default();
            Error(format!(
                "normalized schemas are not a JSON Schema typify reads: {e}{culprit}"
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
        // Nor the unions (see `crate::emit::unions`).
        settings.with_replacement(&union.name, &union.name, std::iter::empty());
    }
    let mut space = typify::TypeSpace::new(&settings);
    space
        .add_root_schema(root)
        .map_err(|e| Error(format!("typify rejected the schemas: {e}")))?;
    Ok(space.to_stream())
}
