//! The token classes of [`config::TOKEN_TYPES`] → `TokenType` and the rules each JWT class's
//! verifier applies: Clerk's vocabulary of token classes stays in the xtask's configuration,
//! and the hand-written verifier only reads what this generates.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::config::{self, SubjectRule, TokenClass};
use crate::error::{Error, Result};
use crate::text::doc_attrs;

fn option(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    }
}

/// Every name and prefix is checked once here, so a typo in the configuration is an error
/// of the generator, not a class no token can reach.
fn check(classes: &[TokenClass]) -> Result<()> {
    for (i, class) in classes.iter().enumerate() {
        let at = format!("xtask config: TOKEN_TYPES[{i}] ({})", class.variant);
        if classes
            .iter()
            .take(i)
            .any(|c| c.variant == class.variant || c.name == class.name)
        {
            return Err(Error(format!("{at}: its variant or name is already taken")));
        }
        if class.opaque_prefix.is_some() != class.verify_endpoint.is_some() {
            return Err(Error(format!(
                "{at}: an opaque form needs both its prefix and its verify endpoint"
            )));
        }
        if class.opaque_prefix.is_none() && class.jwt.is_none() {
            return Err(Error(format!(
                "{at}: a class with neither an opaque nor a JWT form"
            )));
        }
        if let Some(jwt) = class.jwt {
            if jwt.header_types.is_empty() {
                return Err(Error(format!(
                    "{at}: a JWT class accepts at least one `typ`"
                )));
            }
            if jwt
                .categories
                .iter()
                .any(|cat| !config::JWT_CATEGORIES.iter().any(|(known, _)| known == cat))
            {
                return Err(Error(format!(
                    "{at}: every accepted `cat` must be one of JWT_CATEGORIES"
                )));
            }
        }
    }
    Ok(())
}

/// The items of the generated `token_classes` module (compiled with clerk-models' `jwt`
/// feature).
///
/// # Errors
///
/// When [`config::TOKEN_TYPES`] is inconsistent (see `check`).
pub fn token_classes() -> Result<TokenStream> {
    let classes = config::TOKEN_TYPES;
    check(classes)?;
    let variants: Vec<_> = classes
        .iter()
        .map(|c| format_ident!("{}", c.variant))
        .collect();
    let docs: Vec<Vec<syn::Attribute>> = classes
        .iter()
        .map(|c| {
            let jwt = if c.jwt.is_some() {
                "a JWT form"
            } else {
                "no JWT form"
            };
            let opaque = match c.opaque_prefix {
                Some(prefix) => format!("an opaque form starting `{prefix}`"),
                None => "no opaque form".to_owned(),
            };
            doc_attrs(&format!(
                "{} Clerk's name: `{}`; it has {jwt} and {opaque}.",
                c.doc, c.name
            ))
        })
        .collect();
    let names = classes.iter().map(|c| c.name);
    let prefixes = classes.iter().map(|c| option(c.opaque_prefix));
    let endpoints = classes.iter().map(|c| option(c.verify_endpoint));
    let ignore = config::JWT_CATEGORY_IGNORE;
    let rules = classes.iter().map(|c| match c.jwt {
        Some(jwt) => {
            let types = jwt.header_types;
            let required = jwt.header_type_required;
            let categories = jwt.categories;
            let subject = match jwt.subject {
                SubjectRule::Machine => quote!(Machine),
                SubjectRule::NotMachine => quote!(NotMachine),
                SubjectRule::Any => quote!(Any),
            };
            quote! {
                ::core::option::Option::Some(crate::jwt::JwtRules {
                    header_types: &[#(#types),*],
                    header_type_required: #required,
                    categories: &[#(#categories,)* #ignore],
                    subject: crate::jwt::SubjectRule::#subject,
                })
            }
        }
        None => quote!(::core::option::Option::None),
    });
    let count = classes.len();
    let machine = config::MACHINE_SUBJECT_PREFIX;
    let cookie = config::SESSION_COOKIE;
    let client_uat = config::CLIENT_UAT_COOKIE;
    let (cats, cat_names): (Vec<_>, Vec<_>) = config::JWT_CATEGORIES.iter().copied().unzip();
    Ok(quote! {
            /// The class of a token a Clerk backend receives, as Clerk's `@clerk/backend`
            /// names them (`tokens/tokenTypes.ts`). [`TokenType::of`] tells them apart.
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum TokenType {
                #( #(#docs)* #variants, )*
            }

            impl TokenType {
                /// Every class, in declaration order.
                pub const ALL: [Self; #count] = [#(Self::#variants),*];

                /// Clerk's name of the class, such as `session_token`.
                #[must_use]
                pub const fn as_str(self) -> &'static str {
                    match self {
                        #(Self::#variants => #names,)*
                    }
                }

                /// The prefix of the class's opaque form (`mt_`, `oat_`, `ak_`), which only
                /// the Backend API can verify; `None` for a class that has none.
                #[must_use]
                pub const fn opaque_prefix(self) -> ::core::option::Option<&'static str> {
                    match self {
                        #(Self::#variants => #prefixes,)*
                    }
                }

                /// The Backend API endpoint that verifies the opaque form (method and path,
                /// relative to `https://api.clerk.com/v1`); `None` for a class that has none.
                #[must_use]
                pub const fn verify_endpoint(self) -> ::core::option::Option<&'static str> {
                    match self {
                        #(Self::#variants => #endpoints,)*
                    }
                }

                /// What a verifier of the class's JWT form accepts; `None` without one.
                pub(crate) const fn jwt_rules(self) -> ::core::option::Option<crate::jwt::JwtRules> {
                    match self {
                        #(Self::#variants => #rules,)*
                    }
                }
            }

            /// The cookie in which a browser sends its session token.
            #[cfg(feature = "http")]
            pub(crate) const SESSION_COOKIE: &str = #cookie;

            /// The cookie that says when the client last signed in or out (Unix seconds),
            /// which a token from the session cookie must not predate.
            #[cfg(feature = "http")]
            pub(crate) const CLIENT_UAT_COOKIE: &str = #client_uat;

            /// The prefix of a machine's ID, which an M2M token's `sub` carries.
            pub(crate) const MACHINE_SUBJECT_PREFIX: &str = #machine;

            /// Every header `cat` Clerk documents, with the class it names.
            pub(crate) const CATEGORY_NAMES: &[(&str, &str)] = &[#((#cats, #cat_names)),*];
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configured_classes_generate_and_a_bad_table_is_refused() {
        let text = token_classes().unwrap().to_string();
        for class in config::TOKEN_TYPES {
            assert!(text.contains(class.name), "{}", class.name);
        }
        assert!(text.contains(config::JWT_CATEGORY_IGNORE));
        let mut bad = config::TOKEN_TYPES.to_vec();
        bad[1].name = bad[0].name;
        assert!(check(&bad).unwrap_err().0.contains("already taken"));
        let mut bad = config::TOKEN_TYPES.to_vec();
        bad[3].verify_endpoint = None;
        assert!(check(&bad).unwrap_err().0.contains("verify endpoint"));
        let mut bad = config::TOKEN_TYPES.to_vec();
        if let Some(jwt) = bad[0].jwt.as_mut() {
            jwt.categories = &["cl_unknown"];
        }
        assert!(check(&bad).unwrap_err().0.contains("JWT_CATEGORIES"));
        let mut bad = config::TOKEN_TYPES.to_vec();
        bad[3].opaque_prefix = None;
        bad[3].verify_endpoint = None;
        assert!(check(&bad).unwrap_err().0.contains("neither"));
    }
}
