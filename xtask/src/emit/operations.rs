//! Emits `clerk-models-api`'s operations: for each operation of `schemas/api/`, a type named
//! after its `operationId`, built with `new` (path parameters in path order, then the other
//! required ones) and a setter per optional parameter, that implements `Endpoint` (the
//! request as `http::Request`, the answer as the model the spec names) and, for a list that
//! pages by `limit` and `offset`, `Paginated`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::shared::signature::{Body, Operation, Param, Types, body, params, schema_type};
use crate::config;
use crate::error::{Error, Result};
use crate::text::{doc_attrs, with_article};

/// The argument type and the stored value of a parameter's constructor argument or setter.
fn argument(p: &Param) -> (TokenStream, TokenStream) {
    let ident = &p.ident;
    let ty = &p.ty;
    if p.text {
        (
            quote!(impl ::core::convert::Into<::std::string::String>),
            quote!(#ident.into()),
        )
    } else {
        (quote!(#ty), quote!(#ident))
    }
}

/// The statement that adds a query parameter: its bounds checked, then each value (a list's
/// as repeated keys, or comma-joined where the spec says `explode: false`).
fn query(p: &Param) -> TokenStream {
    let key = &p.name;
    let ident = &p.ident;
    let list = p.many;
    let option = |bound: Option<i64>| match bound {
        Some(b) => quote!(::core::option::Option::Some(#b)),
        None => quote!(::core::option::Option::None),
    };
    let check = match p.bounds {
        (None, None) => quote!(),
        (min, max) => {
            let (min, max) = (option(min), option(max));
            quote!(request.bounded(#key, *value, #min, #max)?;)
        }
    };
    let add = match (list, p.explode) {
        (true, true) => quote!(request.query_each(#key, value);),
        (true, false) => quote!(request.query_joined(#key, value);),
        (false, _) => quote!(request.query(#key, value);),
    };
    if p.required {
        quote!({
            let value = &self.#ident;
            #check
            #add
        })
    } else {
        quote!(if let ::core::option::Option::Some(value) = &self.#ident {
            #check
            #add
        })
    }
}

/// The type and its impls for one operation.
pub(crate) fn operation(op: &Operation, types: &Types<'_>) -> Result<TokenStream> {
    let rust = op.rust_name();
    let at = format!("{} ({})", op.file, rust);
    let name = Ident::new(&rust, Span::call_site());
    let method = op.text("method").unwrap_or_default().to_uppercase();
    let path = op.text("path").unwrap_or_default().to_owned();
    let operation_id = op.text("operationId").unwrap_or_default().to_owned();
    let params = params(op, &at)?;
    let body = body(op, types, &at)?;
    let body_fields: Vec<&Param> = match &body {
        Body::Object { fields, .. } => fields.iter().collect(),
        Body::Form { parts } => parts.iter().map(|(p, _)| p).collect(),
        _ => Vec::new(),
    };
    for b in &body_fields {
        if params.iter().any(|p| p.ident == b.ident) {
            return Err(Error(format!(
                "{at}: `{}` is both a parameter and a body field",
                b.name
            )));
        }
    }

    // Storage, constructor, setters.
    let mut storage = Vec::new();
    let mut args = Vec::new();
    let mut init = Vec::new();
    let mut setters = Vec::new();
    let all: Vec<&Param> = params.iter().chain(body_fields.iter().copied()).collect();
    for p in &all {
        let ident = &p.ident;
        let ty = &p.ty;
        let (arg_ty, value) = argument(p);
        let stored = if p.required || p.list {
            quote!(#ty)
        } else {
            quote!(::core::option::Option<#ty>)
        };
        let in_body = p.place == "body";
        if !in_body {
            storage.push(quote!(#ident: #stored));
        }
        let doc = p.description.clone().unwrap_or_default();
        if p.required {
            args.push(quote!(#ident: #arg_ty));
            if !in_body {
                init.push(if p.text {
                    quote!(#ident: #value)
                } else {
                    quote!(#ident)
                });
            }
        } else {
            if !in_body {
                init.push(quote!(#ident: ::core::option::Option::None));
            }
            let target = if in_body {
                quote!(self.body.#ident)
            } else {
                quote!(self.#ident)
            };
            let assign = if p.list {
                quote!(#target = #value;)
            } else {
                quote!(#target = ::core::option::Option::Some(#value);)
            };
            let doc = doc_attrs(&format!(
                "Sets `{}` ({}).{}",
                p.name,
                if p.list {
                    "empty unless set"
                } else {
                    "optional: not sent unless set"
                },
                if doc.is_empty() {
                    String::new()
                } else {
                    format!(" {}", doc.trim())
                }
            ));
            setters.push(quote! {
                #(#doc)*
                pub fn #ident(mut self, #ident: #arg_ty) -> Self {
                    #assign
                    self
                }
            });
        }
    }
    // The body: a model literal, a list, or form parts.
    let (body_storage, body_init, body_send) = match &body {
        Body::None => (quote!(), quote!(), quote!(request.finish())),
        Body::Object {
            ty,
            fields,
            literal,
            ..
        } => {
            // A text argument becomes its `String` first (`impl Into<String>`).
            let values = fields.iter().filter(|p| p.required && p.text).map(|p| {
                let ident = &p.ident;
                let (_, value) = argument(p);
                quote!(let #ident = #value;)
            });
            (
                quote!(body: #ty,),
                quote!(body: { #(#values)* #ty { #(#literal,)* } },),
                quote!(request.json(&self.body)),
            )
        }
        Body::List { items } => {
            args.push(quote!(items: ::std::vec::Vec<#items>));
            (
                quote!(items: ::std::vec::Vec<#items>,),
                quote!(items,),
                quote!(request.json(&self.items)),
            )
        }
        Body::Form { parts } => {
            let sends = parts.iter().map(|(p, file)| {
                let key = &p.name;
                let ident = &p.ident;
                match (file, p.required) {
                    (true, true) => quote!(form.file(#key, &self.#ident);),
                    (true, false) => quote!(if let ::core::option::Option::Some(f) = &self.#ident { form.file(#key, f); }),
                    (false, true) => quote!(form.text(#key, &self.#ident);),
                    (false, false) => quote!(if let ::core::option::Option::Some(t) = &self.#ident { form.text(#key, t); }),
                }
            });
            (
                quote!(),
                quote!(),
                quote!({
                    let mut form = crate::__private::Form::new();
                    #(#sends)*
                    request.form(form)
                }),
            )
        }
    };
    // The request.
    let mut build = Vec::new();
    let mut rest = path.as_str();
    while let Some(open) = rest.find('{') {
        let literal = rest.get(..open).unwrap_or_default();
        let close = rest
            .get(open..)
            .and_then(|r| r.find('}'))
            .map(|c| c + open)
            .ok_or_else(|| Error(format!("{at}: an unclosed `{{` in the path")))?;
        let param = rest.get(open + 1..close).unwrap_or_default();
        let p = params
            .iter()
            .find(|p| p.place == "path" && p.name == param)
            .ok_or_else(|| {
                Error(format!(
                    "{at}: the path names `{param}`, which no parameter is"
                ))
            })?;
        let ident = &p.ident;
        if !literal.is_empty() {
            build.push(quote!(request.literal(#literal);));
        }
        build.push(if p.text {
            quote!(request.segment(#param, &self.#ident)?;)
        } else {
            quote!(request.segment(#param, &self.#ident.to_string())?;)
        });
        rest = rest.get(close + 1..).unwrap_or_default();
    }
    if !rest.is_empty() {
        build.push(quote!(request.literal(#rest);));
    }
    for p in params.iter().filter(|p| p.place == "query") {
        build.push(query(p));
    }

    // The answer.
    let success = op
        .record
        .get("responses")
        .and_then(Value::as_object)
        .and_then(|r| r.iter().find(|(status, _)| status.starts_with('2')))
        .ok_or_else(|| Error(format!("{at}: no success response")))?;
    let response = match success.1.get("schema") {
        Some(schema) => schema_type(schema, &at)?,
        None => quote!(()),
    };
    let decode = if success.1.get("schema").is_some() {
        quote!(crate::__private::decode(response, Self::OPERATION_ID))
    } else {
        quote!(crate::__private::decode_empty(response, Self::OPERATION_ID))
    };
    let idempotent = matches!(method.as_str(), "GET" | "HEAD" | "PUT" | "DELETE")
        || (method == "POST" && path.rsplit('/').next() == Some(config::RETRY_SAFE_SEGMENT));
    let method_ident = format_ident!("{}", method);

    // Paging.
    let limit = params
        .iter()
        .find(|p| p.name == config::LIMIT_PARAMETER && p.place == "query");
    let offset = params
        .iter()
        .find(|p| p.name == config::OFFSET_PARAMETER && p.place == "query");
    let list_items = success
        .1
        .get("schema")
        .filter(|s| s.get(config::RESPONSE_LIST_KEYWORD).is_some())
        .and_then(|s| s.get("items"))
        .map(|items| schema_type(items, &at))
        .transpose()?;
    let paging = match (limit, offset, list_items) {
        (Some(limit), Some(offset), Some(item)) if !limit.required && !offset.required => {
            let limit_ident = &limit.ident;
            let offset_ident = &offset.ident;
            let default_limit = op
                .record
                .get("parameters")
                .and_then(Value::as_array)
                .and_then(|ps| {
                    ps.iter().find(|p| {
                        p.get("name").and_then(Value::as_str) == Some(config::LIMIT_PARAMETER)
                    })
                })
                .and_then(|p| p.pointer("/schema/default"))
                .and_then(Value::as_i64)
                .unwrap_or(10);
            let max = limit.bounds.1.unwrap_or(default_limit);
            let doc = doc_attrs(&format!(
                "The request for the page after `response`, the answer to this one: the same \
                 request with `{offset}` moved past it; `None` when `response` was the last page \
                 (fewer items than its total, or a short page when the total is unknown).",
                offset = config::OFFSET_PARAMETER
            ));
            quote! {
                impl #name {
                    #(#doc)*
                    #[must_use]
                    pub fn next_page(&self, response: &#response) -> ::core::option::Option<Self> {
                        crate::Paginated::next_page(self, response)
                    }
                }

                impl crate::Paginated for #name {
                    type Item = #item;
                    const MAX_PAGE_SIZE: i64 = #max;

                    fn next_page(&self, response: &Self::Response) -> ::core::option::Option<Self> {
                        let offset = crate::__private::next_offset(
                            self.#offset_ident.unwrap_or(0),
                            self.#limit_ident.unwrap_or(#default_limit),
                            response,
                        )?;
                        let mut next = self.clone();
                        next.#offset_ident = ::core::option::Option::Some(offset);
                        ::core::option::Option::Some(next)
                    }

                    fn with_page_size(mut self, limit: i64) -> Self {
                        self.#limit_ident = ::core::option::Option::Some(limit);
                        self
                    }

                    fn into_items(response: Self::Response) -> ::std::vec::Vec<Self::Item> {
                        crate::__private::Page::into_items(response)
                    }
                }
            }
        }
        _ => quote!(),
    };

    // Docs.
    let summary = op.text("summary").unwrap_or(&rust).trim().to_owned();
    let mut doc = summary.trim_end_matches('.').to_owned();
    doc.push('.');
    if let Some(description) = op.text("description").filter(|d| d.trim() != summary) {
        doc.push_str(&format!("\n\n{}", description.trim()));
    }
    let errors: Vec<String> = op
        .record
        .get("responses")
        .and_then(Value::as_object)
        .map(|r| r.keys().filter(|s| !s.starts_with('2')).cloned().collect())
        .unwrap_or_default();
    doc.push_str(&format!(
        "\n\n`{method} {path}` (operation `{operation_id}` of Clerk's Backend API). Answers \
         {}; {} as an `ApiError`.",
        with_article(&format!("`{}`", response.to_string().replace(' ', ""))),
        if errors.is_empty() {
            "any failure".to_owned()
        } else {
            format!("the errors it lists ({}) and any other", errors.join(", "))
        }
    ));
    if op.record.get("deprecated") == Some(&Value::Bool(true)) {
        doc.push_str("\n\nClerk has deprecated this operation.");
    }
    let doc = doc_attrs(&doc);
    let new_doc = doc_attrs(if args.is_empty() {
        "The request, every optional parameter unset."
    } else {
        "The request with its path parameters, in path order, and its other required ones."
    });
    let default_impl = args.is_empty().then(|| {
        quote! {
            impl ::core::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    Ok(quote! {
        #(#doc)*
        #[derive(Clone, Debug, PartialEq)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #name {
            #(#storage,)*
            #body_storage
        }

        impl #name {
            #(#new_doc)*
            #[allow(clippy::new_without_default, clippy::too_many_arguments)]
            pub fn new(#(#args),*) -> Self {
                Self {
                    #(#init,)*
                    #body_init
                }
            }

            #(#setters)*
        }

        #default_impl

        impl crate::Endpoint for #name {
            type Response = #response;
            const METHOD: ::http::Method = ::http::Method::#method_ident;
            const PATH: &'static str = #path;
            const OPERATION_ID: &'static str = #operation_id;
            const IDEMPOTENT: bool = #idempotent;

            // `#[inline]`: built where it is called, so a program pays for the operations
            // it uses, not for all of them.
            #[inline]
            fn to_http_request(
                &self,
                base_url: &str,
                secret_key: &crate::SecretKey,
            ) -> ::core::result::Result<::http::Request<::std::vec::Vec<u8>>, crate::RequestError> {
                let mut request = crate::__private::RequestBuilder::new(Self::METHOD, base_url, secret_key)?;
                #(#build)*
                #body_send
            }

            #[inline]
            fn from_http_response(
                response: ::http::Response<&[u8]>,
            ) -> ::core::result::Result<Self::Response, crate::ApiError> {
                #decode
            }
        }

        #paging
    })
}
