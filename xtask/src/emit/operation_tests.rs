//! Emits `clerk-models-api`'s operation tests (`tests/generated/`), one test per operation:
//! the request made with a value for every parameter has the method, path, query and body the
//! operation's record says, and each answer the record lists, as a sample of its schema (the
//! spec's examples where it gives them), decodes into the operation's `Response` or, for an
//! error, into an `ApiError` with the sample's code.
//!
//! The expectations come from the record and the schemas, never from the generated code: the
//! path is the template with each value percent-encoded here, the query and the body are the
//! values the test passes, as JSON.

use std::str::FromStr;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde_json::{Map, Value};

use super::shared::samples::Samples;
use super::shared::signature::{Body, Operation, Param, Types, body, params};
use crate::error::{Error, Result};

/// The test of one operation.
pub(crate) fn operation_test(
    op: &Operation,
    types: &Types<'_>,
    samples: &Samples<'_>,
) -> Result<TokenStream> {
    let rust = op.rust_name();
    let at = format!("{} ({rust})", op.file);
    let name = Ident::new(&rust, Span::call_site());
    let test = Ident::new(
        &heck::ToSnakeCase::to_snake_case(rust.as_str()),
        Span::call_site(),
    );
    let params = params(op, &at)?;
    let body = body(op, types, &at)?;
    let method = op.text("method").unwrap_or_default().to_uppercase();
    let mut path = op.text("path").unwrap_or_default().to_owned();

    let mut args = Vec::new();
    let mut setters = Vec::new();
    let mut query = Vec::new();
    for p in &params {
        let value = samples.instance(&p.schema, &op.file, &p.name, false);
        let value = match (p.place, &value) {
            // Text that percent-encoding must carry: a space, a non-ASCII letter, and in a
            // query the separator `&`.
            ("path", Value::String(_)) if p.text => Value::String(format!("{} 1é", p.name)),
            ("query", Value::String(_)) if p.text => Value::String(format!("{} 1&é", p.name)),
            ("query", Value::Array(_))
                if p.many
                    && p.schema.get("items").is_some_and(|i| {
                        i.get("type").and_then(Value::as_str) == Some("string")
                            && i.get("enum").is_none()
                    }) =>
            {
                Value::Array(vec![
                    format!("{} a", p.name).into(),
                    format!("{} b", p.name).into(),
                ])
            }
            _ => value,
        };
        let expr = argument(p, &value, &at)?;
        place(p, expr, &mut args, &mut setters);
        match p.place {
            "path" => {
                let text = wire_text(&value, &at)?;
                path = path.replace(&format!("{{{}}}", p.name), &percent_encode(&text));
            }
            _ => {
                let texts = match &value {
                    Value::Array(items) => items
                        .iter()
                        .map(|v| wire_text(v, &at))
                        .collect::<Result<Vec<_>>>()?,
                    other => vec![wire_text(other, &at)?],
                };
                if p.explode {
                    query.extend(texts.into_iter().map(|t| (p.name.clone(), t)));
                } else {
                    query.push((p.name.clone(), texts.join(",")));
                }
            }
        }
    }

    let mut form = Vec::new();
    let expected_body = match &body {
        Body::None => None,
        Body::Object { fields, fixed, .. } => {
            let schema = body_schema(op, samples, &at)?;
            let mut expected = Map::new();
            for p in fields {
                let property = schema
                    .0
                    .pointer(&format!("/properties/{}", p.name))
                    .ok_or_else(|| Error(format!("{at}: the body has no `{}`", p.name)))?;
                let value = samples.instance(property, schema.1, &p.name, false);
                let expr = argument(p, &value, &at)?;
                place(p, expr, &mut args, &mut setters);
                expected.insert(p.name.clone(), value);
            }
            for (key, value) in fixed {
                expected.insert(key.clone(), value.clone());
            }
            Some(Value::Object(expected))
        }
        Body::List { .. } => {
            let schema = op
                .record
                .pointer("/requestBody/schema")
                .ok_or_else(|| Error(format!("{at}: a list body without a schema")))?;
            let value = samples.instance(schema, &op.file, "items", false);
            args.push(json_expr(&value)?);
            Some(value)
        }
        Body::Form { parts } => {
            for (p, file) in parts {
                let (expr, shown) = if *file {
                    let file_name = format!("{}.png", p.name);
                    (
                        quote!(clerk_models_api::Upload::new(#file_name, "image/png", PNG.to_vec())),
                        file_name,
                    )
                } else {
                    let text = format!("{} 1é", p.name);
                    (quote!(#text), text)
                };
                place(p, expr, &mut args, &mut setters);
                form.push((p.name.clone(), shown));
            }
            None
        }
    };

    let query = query.iter().map(|(k, v)| quote!((#k, #v)));
    let check_body = match (&body, expected_body) {
        (Body::Form { .. }, _) => {
            let parts = form.iter().map(|(k, v)| quote!((#k, #v)));
            quote!(Sent::Form(&[#(#parts),*]))
        }
        (_, Some(value)) => {
            let text = raw_literal(&value.to_string())?;
            quote!(Sent::Json(#text))
        }
        (_, None) => quote!(Sent::Nothing),
    };

    let mut answers = Vec::new();
    let mut consts = Vec::new();
    if let Some(responses) = op.record.get("responses").and_then(Value::as_object) {
        for (status, response) in responses {
            let code: u16 = status
                .parse()
                .map_err(|_| Error(format!("{at}: the status {status:?} is not a number")))?;
            let sample = response
                .get("schema")
                .map(|s| samples.instance(s, &op.file, "answer", true));
            let text = raw_literal(&sample.as_ref().map(Value::to_string).unwrap_or_default())?;
            let constant = Ident::new(&format!("ANSWER_{status}"), Span::call_site());
            consts.push(quote!(const #constant: &str = #text;));
            answers.push(if status.starts_with('2') {
                quote!(answers::<#name>(#code, #constant);)
            } else {
                let expected = sample
                    .as_ref()
                    .and_then(|s| s.pointer("/errors/0/code"))
                    .and_then(Value::as_str);
                let expected = match expected {
                    Some(c) => quote!(Some(#c)),
                    None => quote!(None),
                };
                quote!(fails::<#name>(#code, #constant, #expected);)
            });
        }
    }

    Ok(quote! {
        #[test]
        fn #test() {
            #(#consts)*
            let request = #name::new(#(#args),*) #(#setters)*;
            expect(
                &request,
                #method,
                #path,
                &[#(#query),*],
                #check_body,
            );
            #(#answers)*
        }
    })
}

/// Adds a value to the constructor's arguments (a required parameter) or as a setter call.
fn place(
    p: &Param,
    expr: TokenStream,
    args: &mut Vec<TokenStream>,
    setters: &mut Vec<TokenStream>,
) {
    if p.required {
        args.push(expr);
    } else {
        let ident = &p.ident;
        setters.push(quote!(.#ident(#expr)));
    }
}

/// The Rust expression that passes `value` for `p`: a literal for text, a number or a flag,
/// otherwise the value decoded from its JSON (the parameter's type is inferred).
fn argument(p: &Param, value: &Value, at: &str) -> Result<TokenStream> {
    let kind = p.schema.get("type").and_then(Value::as_str);
    Ok(match value {
        Value::String(text) if p.text => quote!(#text),
        Value::Number(n) if kind == Some("integer") => {
            let n = n
                .as_i64()
                .ok_or_else(|| Error(format!("{at}: `{}` is not an i64", p.name)))?;
            quote!(#n)
        }
        Value::Bool(b) if kind == Some("boolean") => quote!(#b),
        other => json_expr(other)?,
    })
}

fn json_expr(value: &Value) -> Result<TokenStream> {
    let text = raw_literal(&value.to_string())?;
    Ok(quote!(json(#text)))
}

/// A value as the query or the path carries it: a string as itself, anything else as JSON.
fn wire_text(value: &Value, at: &str) -> Result<String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(_) | Value::Bool(_) => Ok(value.to_string()),
        other => Err(Error(format!("{at}: no text form for the sample {other}"))),
    }
}

/// The schema of the operation's JSON body object, and the file it is in.
fn body_schema<'a>(
    op: &'a Operation,
    samples: &Samples<'a>,
    at: &str,
) -> Result<(&'a Value, &'a str)> {
    let schema = op
        .record
        .pointer("/requestBody/schema")
        .ok_or_else(|| Error(format!("{at}: a body without a schema")))?;
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => samples.resolve(reference, &op.file).ok_or_else(|| {
            Error(format!(
                "{at}: the body's `$ref` {reference} resolves nowhere"
            ))
        }),
        None => Ok((schema, op.file.as_str())),
    }
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A raw string literal (`r#"…"#`) holding `text`, so JSON reads as JSON.
fn raw_literal(text: &str) -> Result<Literal> {
    let mut hashes = "#".to_owned();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    Literal::from_str(&format!("r{hashes}\"{text}\"{hashes}"))
        .map_err(|e| Error(format!("a raw string literal: {e}")))
}
