//! An operation's signature, read from its record in `schemas/api/`: its type's name and
//! group, its parameters (path ones first, in path order) and its body, as the generated type
//! takes them. The operations emitter builds the type from it; the request tests call it.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;
use syn::Type;

use crate::config;
use crate::emit::{Field, Role, fields, inner_of};
use crate::error::{Error, Result};
use crate::model::{Kind, Model, StructModel};
use crate::naming::{field_ident, rust_name};

/// One operation, read from its record.
pub(crate) struct Operation {
    /// The schema file that lists it (`api/sessions.json`).
    pub(crate) file: String,
    /// The record, as `schemas/` holds it.
    pub(crate) record: Value,
}

impl Operation {
    pub(crate) fn text(&self, key: &str) -> Option<&str> {
        self.record.get(key).and_then(Value::as_str)
    }

    /// The Rust name of its type (`GetSessionList`).
    pub(crate) fn rust_name(&self) -> String {
        heck::ToUpperCamelCase::to_upper_camel_case(self.text("operationId").unwrap_or_default())
    }

    /// Its group, which is its module and its cargo feature.
    pub(crate) fn group(&self) -> &str {
        self.text("group").unwrap_or_default()
    }
}

/// Where the generated code finds a type the schemas name.
pub(crate) struct Types<'a> {
    pub(crate) model: &'a Model,
    /// typify's final struct of a model, by Rust name.
    pub(crate) structs: &'a dyn Fn(&str) -> Option<syn::ItemStruct>,
}

/// The Rust type of a schema (`$ref`, a plain type, a list), as the operation's module sees
/// it: every model of both crates is in scope there.
pub(crate) fn schema_type(schema: &Value, at: &str) -> Result<TokenStream> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference
            .rsplit_once("#/$defs/")
            .map(|(_, name)| name)
            .ok_or_else(|| Error(format!("{at}: `$ref` {reference:?} names no `$defs` entry")))?;
        let ident = Ident::new(&rust_name(name), Span::call_site());
        return Ok(quote!(#ident));
    }
    if schema.get(config::RAW_KEYWORD) == Some(&Value::Bool(true)) {
        return Ok(quote!(::clerk_models::RawJson));
    }
    if let Some(kind) = schema
        .get(config::RESPONSE_LIST_KEYWORD)
        .and_then(Value::as_str)
    {
        let items = schema_type(
            schema
                .get("items")
                .ok_or_else(|| Error(format!("{at}: a list without items")))?,
            at,
        )?;
        return Ok(match kind {
            "paginated" => quote!(::clerk_models::PaginatedList<#items>),
            _ => quote!(::std::vec::Vec<#items>),
        });
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let types: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
    Ok(match types.as_slice() {
        ["string"] => quote!(::std::string::String),
        ["integer"] => quote!(i64),
        ["number"] => quote!(f64),
        ["boolean"] => quote!(bool),
        ["array"] => {
            let items = schema_type(
                schema
                    .get("items")
                    .ok_or_else(|| Error(format!("{at}: an array without items")))?,
                at,
            )?;
            quote!(::std::vec::Vec<#items>)
        }
        other => {
            return Err(Error(format!(
                "{at}: a schema of type {other:?} is not supported"
            )));
        }
    })
}

/// One parameter of an operation, or one field of its body, as the type holds it.
pub(crate) struct Param {
    /// The name on the wire.
    pub(crate) name: String,
    pub(crate) ident: Ident,
    /// Where it goes: `path`, `query`, `body` (a field of a JSON body), `form` (a part of a
    /// multipart body).
    pub(crate) place: &'static str,
    pub(crate) required: bool,
    /// The value's type (without the `Option` of an optional one).
    pub(crate) ty: TokenStream,
    /// Set from `impl Into<String>`: plain text.
    pub(crate) text: bool,
    /// A list that is empty unless set (a JSON body's optional list): no `Option`.
    pub(crate) list: bool,
    /// Several values (a query parameter of type `array`).
    pub(crate) many: bool,
    /// Repeated keys (`true`) or one comma-joined key, for a query list.
    pub(crate) explode: bool,
    /// The spec's bounds, checked before the request is made.
    pub(crate) bounds: (Option<i64>, Option<i64>),
    pub(crate) description: Option<String>,
    /// Its schema, as the record gives it (a body field's: its property's in the body model).
    pub(crate) schema: Value,
}

/// Plain text: a string that is not an enum, a reference or a format of its own.
fn is_text(schema: &Value) -> bool {
    schema.get("$ref").is_none()
        && schema.get("enum").is_none()
        && match schema.get("type") {
            Some(Value::String(t)) => t == "string",
            Some(Value::Array(ts)) => {
                let ts: Vec<&str> = ts.iter().filter_map(Value::as_str).collect();
                ts.contains(&"string") && ts.iter().all(|t| *t == "string" || *t == "null")
            }
            _ => false,
        }
}

/// The operation's parameters: the path's, in path order, then the query's.
pub(crate) fn params(op: &Operation, at: &str) -> Result<Vec<Param>> {
    let path = op.text("path").unwrap_or_default();
    let listed = op
        .record
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = Vec::new();
    for p in &listed {
        let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
        let place = match p.get("in").and_then(Value::as_str) {
            Some("path") => "path",
            Some("query") => "query",
            other => return Err(Error(format!("{at}: parameter `{name}` in {other:?}"))),
        };
        let schema = p.get("schema").cloned().unwrap_or_default();
        let ty = schema_type(&schema, &format!("{at}: parameter `{name}`"))?;
        let bound = |k: &str| schema.get(k).and_then(Value::as_i64);
        out.push(Param {
            name: name.to_owned(),
            ident: Ident::new(
                &field_ident(&heck::ToSnakeCase::to_snake_case(name)),
                Span::call_site(),
            ),
            place,
            required: p.get("required") == Some(&Value::Bool(true)),
            text: is_text(&schema),
            ty,
            list: false,
            many: schema.get("type").and_then(Value::as_str) == Some("array"),
            explode: p.get("explode") != Some(&Value::Bool(false)),
            bounds: (bound("minimum"), bound("maximum")),
            description: p
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            schema,
        });
    }
    // A deprecated parameter that is another's spelling (`frontendApi`, "use `frontend_api`
    // instead") gives way to it: one setter per name.
    let deprecated: Vec<&str> = listed
        .iter()
        .filter(|p| p.get("deprecated") == Some(&Value::Bool(true)))
        .filter_map(|p| p.get("name").and_then(Value::as_str))
        .collect();
    let mut kept: Vec<Param> = Vec::new();
    for p in out {
        match kept.iter().position(|k| k.ident == p.ident) {
            None => kept.push(p),
            Some(i) if deprecated.contains(&kept.get(i).map_or("", |k| k.name.as_str())) => {
                if let Some(slot) = kept.get_mut(i) {
                    *slot = p;
                }
            }
            Some(_) if deprecated.contains(&p.name.as_str()) => {}
            Some(_) => {
                return Err(Error(format!(
                    "{at}: two parameters are both `{}`",
                    p.ident
                )));
            }
        }
    }
    let mut out = kept;
    // Path parameters first, in the order the path names them.
    let position = |p: &Param| path.find(&format!("{{{}}}", p.name)).unwrap_or(usize::MAX);
    out.sort_by_key(|p| (p.place != "path", position(p)));
    for p in out.iter().filter(|p| p.place == "path") {
        if !path.contains(&format!("{{{}}}", p.name)) {
            return Err(Error(format!(
                "{at}: path parameter `{}` is not in the path",
                p.name
            )));
        }
    }
    Ok(out)
}

/// How the operation's body is held and sent.
pub(crate) enum Body {
    None,
    /// A JSON object: the model `ty`, each field a parameter.
    Object {
        ty: Ident,
        fields: Vec<Param>,
        literal: Vec<TokenStream>,
        /// Its fields that hold one value whatever is set (`object: "…"`), with that value.
        fixed: Vec<(String, Value)>,
    },
    /// A JSON array of `items`: one parameter, the list.
    List {
        items: TokenStream,
    },
    /// A multipart form, part by part.
    Form {
        parts: Vec<(Param, bool)>,
    },
}

pub(crate) fn body(op: &Operation, types: &Types<'_>, at: &str) -> Result<Body> {
    let Some(body) = op.record.get("requestBody") else {
        return Ok(Body::None);
    };
    let schema = body.get("schema").cloned().unwrap_or_default();
    match body.get("content").and_then(Value::as_str) {
        Some("application/json") => {}
        Some("multipart/form-data") => return form(&schema, at),
        other => return Err(Error(format!("{at}: a body of {other:?}"))),
    }
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        let items = schema_type(
            schema
                .get("items")
                .ok_or_else(|| Error(format!("{at}: a list body without items")))?,
            at,
        )?;
        return Ok(Body::List { items });
    }
    let name = schema_type(&schema, at)?.to_string();
    let info: &StructModel = types
        .model
        .structs
        .iter()
        .find(|s| s.name == name)
        .ok_or_else(|| Error(format!("{at}: the body `{name}` is no struct")))?;
    let item = (types.structs)(&name).ok_or_else(|| Error(format!("{at}: no struct `{name}`")))?;
    let mut params = Vec::new();
    let mut literal = Vec::new();
    let mut fixed = Vec::new();
    for field in fields(&item, info, types.model)? {
        let Field {
            ident,
            ty,
            prop,
            role,
        } = field;
        let Some(prop) = prop else {
            return Err(Error(format!("{at}: the body `{name}` keeps other keys")));
        };
        let (value_ty, required, list) = match role {
            Role::Optional { inner } => (inner, false, false),
            Role::Discriminator { variant } => {
                literal.push(quote!(#ident: #variant));
                let value = match &prop.kind {
                    Kind::Enum(e) => types.model.enums.iter().find(|m| &m.name == e),
                    _ => None,
                }
                .and_then(|e| e.values.first())
                .ok_or_else(|| Error(format!("{at}: `{}` has no single value", prop.name)))?;
                fixed.push((prop.name.clone(), Value::String(value.clone())));
                continue;
            }
            // A list the schema does not require: empty unless set.
            Role::Required if !prop.required && inner_of(&ty, "Vec").is_some() => (ty, false, true),
            Role::Required => (ty, true, false),
            Role::Other => return Err(Error(format!("{at}: the body `{name}` keeps other keys"))),
        };
        literal.push(if required {
            quote!(#ident)
        } else if list {
            quote!(#ident: ::std::vec::Vec::new())
        } else {
            quote!(#ident: ::core::option::Option::None)
        });
        let value_ty: Type = value_ty;
        let ty = quote!(#value_ty);
        params.push(Param {
            name: prop.name.clone(),
            ident,
            place: "body",
            required,
            text: prop.kind == Kind::String,
            ty,
            list,
            many: false,
            explode: true,
            bounds: (None, None),
            description: prop.description.clone(),
            // The property's schema is in the body's model; the request tests read it there.
            schema: Value::Null,
        });
    }
    Ok(Body::Object {
        ty: Ident::new(&name, Span::call_site()),
        fields: params,
        literal,
        fixed,
    })
}

/// A multipart form's parts: a file (`format: binary`) is an `Upload`, anything else text.
fn form(schema: &Value, at: &str) -> Result<Body> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut parts = Vec::new();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .ok_or_else(|| Error(format!("{at}: a form without properties")))?;
    for (name, property) in properties {
        let file = property.get("format").and_then(Value::as_str) == Some("binary");
        let ty = if file {
            quote!(crate::Upload)
        } else {
            quote!(::std::string::String)
        };
        parts.push((
            Param {
                name: name.clone(),
                ident: Ident::new(&field_ident(name), Span::call_site()),
                place: "form",
                // A file the spec leaves optional is still what the operation sends.
                required: file || required.contains(&name.as_str()),
                text: !file,
                ty,
                list: false,
                many: false,
                explode: true,
                bounds: (None, None),
                description: property
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                schema: property.clone(),
            },
            file,
        ));
    }
    Ok(Body::Form { parts })
}
