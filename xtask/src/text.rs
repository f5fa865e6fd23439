//! Text in generated code: doc attributes, and the article before a word.

use syn::{Attribute, parse_quote};

/// `#[doc = " line"]` per line, so prettyplease prints `/// line`.
pub(crate) fn doc_attrs(text: &str) -> Vec<Attribute> {
    text.lines()
        .map(|line| {
            let line = if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            };
            parse_quote!(#[doc = #line])
        })
        .collect()
}
