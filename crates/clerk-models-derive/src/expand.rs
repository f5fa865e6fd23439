//! Code generation. Expanded code uses absolute paths (`::core`, `::std`,
//! `::clerk_models::__private`) and no `unsafe`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

use crate::ast;
use crate::attr::Unit;
use crate::ctxt::Ctxt;
use crate::valid::{self, CheckedEnum, CheckedTimestamp};

pub(crate) fn timestamps(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::default();
    let checked =
        ast::TimestampStruct::from_syn(&mut cx, input).map(|ast| valid::timestamps(&mut cx, &ast));
    if let Some(errors) = cx.into_compile_errors() {
        return errors;
    }
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let methods = checked.iter().flatten().map(timestamp_methods);
    quote! {
        #[automatically_derived]
        impl #impl_generics #ident #ty_generics #where_clause {
            #(#methods)*
        }
    }
}

fn timestamp_methods(field: &CheckedTimestamp<'_>) -> TokenStream {
    let CheckedTimestamp {
        ident,
        vis,
        span,
        unit,
    } = field;
    let link = format!("[`{ident}`](Self::{ident})");
    let naming = format!(
        " Accessors are named `<field>_<type>`, so each sits beside the raw Unix-{} field \
         it converts and says what it returns.",
        unit.words()
    );
    let unit = match unit {
        Unit::Millis => quote!(::clerk_models::__private::timestamp::Unit::Millis),
        Unit::Seconds => quote!(::clerk_models::__private::timestamp::Unit::Seconds),
    };
    let system_time = format_ident!("{}_system_time", ident, span = *span);
    let system_doc = format!(
        " {link} as a [`SystemTime`](::std::time::SystemTime), or `None` where this platform \
         cannot represent the instant. Never panics, for any `i64`."
    );
    let mut out = quote! {
        #[doc = #system_doc]
        #[doc = ""]
        #[doc = #naming]
        #[inline]
        #[must_use]
        #vis fn #system_time(&self) -> ::core::option::Option<::std::time::SystemTime> {
            ::clerk_models::__private::timestamp::system_time(self.#ident, #unit)
        }
    };
    if cfg!(feature = "chrono") {
        let name = format_ident!("{}_chrono", ident, span = *span);
        let doc = format!(
            " {link} as a `chrono::DateTime<Utc>` (feature `chrono`), or `None` outside \
             chrono's range. Never panics."
        );
        out.extend(quote! {
            #[doc = #doc]
            #[inline]
            #[must_use]
            #vis fn #name(&self) -> ::core::option::Option<::clerk_models::__private::chrono::DateTime<::clerk_models::__private::chrono::Utc>> {
                ::clerk_models::__private::timestamp::chrono(self.#ident, #unit)
            }
        });
    }
    if cfg!(feature = "time") {
        let name = format_ident!("{}_offset_date_time", ident, span = *span);
        let doc = format!(
            " {link} as a `time::OffsetDateTime` in UTC (feature `time`), or `None` outside \
             the `time` crate's range. Never panics."
        );
        out.extend(quote! {
            #[doc = #doc]
            #[inline]
            #[must_use]
            #vis fn #name(&self) -> ::core::option::Option<::clerk_models::__private::time::OffsetDateTime> {
                ::clerk_models::__private::timestamp::offset_date_time(self.#ident, #unit)
            }
        });
    }
    if cfg!(feature = "jiff") {
        let name = format_ident!("{}_jiff", ident, span = *span);
        let doc = format!(
            " {link} as a `jiff::Timestamp` (feature `jiff`), or `None` outside jiff's range. \
             Never panics."
        );
        out.extend(quote! {
            #[doc = #doc]
            #[inline]
            #[must_use]
            #vis fn #name(&self) -> ::core::option::Option<::clerk_models::__private::jiff::Timestamp> {
                ::clerk_models::__private::timestamp::jiff(self.#ident, #unit)
            }
        });
    }
    out
}

pub(crate) fn string_enum(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::default();
    let checked =
        ast::StringEnum::from_syn(&mut cx, input).map(|ast| valid::string_enum(&mut cx, &ast));
    if let Some(errors) = cx.into_compile_errors() {
        return errors;
    }
    let Some(checked) = checked else {
        return TokenStream::new();
    };
    expand_string_enum(input, &checked)
}

#[allow(clippy::too_many_lines)] // one quote! per trait reads better than fragments
fn expand_string_enum(input: &DeriveInput, checked: &CheckedEnum<'_>) -> TokenStream {
    let ident = &input.ident;
    let private = quote!(::clerk_models::__private);
    let variants: Vec<_> = checked.known.iter().map(|k| k.ident).collect();
    let texts: Vec<&str> = checked.known.iter().map(|k| k.text.as_str()).collect();
    // Each variant's pattern: its text, or any of its aliases.
    let spellings = checked.known.iter().map(|k| {
        let text = k.text.as_str();
        let aliases = k.aliases.iter().map(String::as_str);
        quote!(#text #(| #aliases)*)
    });
    let name = ident.to_string();
    let expecting = format!("a `{name}` string");

    let predicates = checked.known.iter().map(|known| {
        let variant = known.ident;
        let method = format_ident!(
            "is_{}",
            valid::snake_case(&variant.to_string()),
            span = variant.span()
        );
        let doc = format!(
            " Whether this is [`Self::{variant}`], the value `\"{}\"`.",
            known.text
        );
        quote! {
            #[doc = #doc]
            #[inline]
            #[must_use]
            pub const fn #method(&self) -> bool {
                ::core::matches!(self, Self::#variant)
            }
        }
    });
    let groups = checked.groups.iter().map(|(group, span)| {
        let method = format_ident!("is_{}", group, span = *span);
        let members: Vec<_> = checked
            .known
            .iter()
            .filter(|k| k.groups.contains(group))
            .map(|k| k.ident)
            .collect();
        let list = members
            .iter()
            .map(|m| format!("[`Self::{m}`]"))
            .collect::<Vec<_>>()
            .join(", ");
        let doc = format!(" Whether this value is in the `{group}` group: {list}.");
        quote! {
            #[doc = #doc]
            #[inline]
            #[must_use]
            pub const fn #method(&self) -> bool {
                ::core::matches!(self, #(Self::#members)|*)
            }
        }
    });

    let common = quote! {
        #[automatically_derived]
        impl #private::StringEnum for #ident {
            const NAME: &'static str = #name;
            const EXPECTING: &'static str = #expecting;
            const VALUES: &'static [&'static str] = &[#(#texts),*];

            #[inline]
            fn from_known(text: &str) -> ::core::option::Option<Self> {
                match text {
                    #(#spellings => ::core::option::Option::Some(Self::#variants),)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.pad(self.as_str())
            }
        }

        #[automatically_derived]
        impl #private::serde::Serialize for #ident {
            fn serialize<S: #private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
    let shared_methods = quote! {
        /// Every known value, in declaration order.
        pub const KNOWN: &'static [Self] = &[#(Self::#variants),*];

        /// The text of every known value, in declaration order.
        pub const VALUES: &'static [&'static str] = &[#(#texts),*];

        #(#predicates)*
        #(#groups)*

        /// Parses only a known value; unknown text is an error (the strict form of
        /// [`FromStr`](::core::str::FromStr)).
        ///
        /// # Errors
        ///
        /// A [`ParseEnumError`](::clerk_models::ParseEnumError) naming the text and the
        /// known values.
        pub fn try_parse(text: &str) -> ::core::result::Result<Self, ::clerk_models::ParseEnumError> {
            #private::parse_closed(text)
        }
    };

    let Some((other, other_ty)) = checked.other else {
        return quote! {
            #[automatically_derived]
            impl #ident {
                #shared_methods

                /// The text form, exactly as on the wire.
                #[inline]
                #[must_use]
                pub const fn as_str(&self) -> &'static str {
                    match self {
                        #(Self::#variants => #texts,)*
                    }
                }

                /// Always `true`: this enum has no catch-all, so every value is known.
                #[inline]
                #[must_use]
                pub const fn is_known(&self) -> bool {
                    true
                }
            }

            #common

            #[automatically_derived]
            impl ::core::str::FromStr for #ident {
                type Err = ::clerk_models::ParseEnumError;

                fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                    #private::parse_closed(text)
                }
            }

            #[automatically_derived]
            impl<'de> #private::serde::Deserialize<'de> for #ident {
                fn deserialize<D: #private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                    #private::deserialize_closed(deserializer)
                }
            }
        };
    };

    // Spanned on the catch-all's payload type, so a wrong type is reported there.
    let from_unknown = quote_spanned! {other_ty.span()=>
        #[inline]
        fn from_unknown(value: ::clerk_models::UnknownValue) -> Self {
            Self::#other(value)
        }
    };
    let other_doc =
        format!(" Whether this value is one this version knows (not [`Self::{other}`]).");
    quote! {
        #[automatically_derived]
        impl #ident {
            #shared_methods

            /// The text form, exactly as on the wire (for the catch-all: as received).
            #[inline]
            #[must_use]
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #texts,)*
                    Self::#other(value) => value.as_str(),
                }
            }

            #[doc = #other_doc]
            #[inline]
            #[must_use]
            pub const fn is_known(&self) -> bool {
                !::core::matches!(self, Self::#other(_))
            }
        }

        #common

        #[automatically_derived]
        impl #private::OpenEnum for #ident {
            #from_unknown
        }

        #[automatically_derived]
        impl ::core::str::FromStr for #ident {
            type Err = ::core::convert::Infallible;

            fn from_str(text: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(#private::parse_open(text))
            }
        }

        #[automatically_derived]
        impl ::core::convert::From<&str> for #ident {
            fn from(text: &str) -> Self {
                #private::parse_open(text)
            }
        }

        #[automatically_derived]
        impl ::core::convert::From<::std::string::String> for #ident {
            fn from(text: ::std::string::String) -> Self {
                #private::parse_open_owned(text)
            }
        }

        #[automatically_derived]
        impl<'de> #private::serde::Deserialize<'de> for #ident {
            fn deserialize<D: #private::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                #private::deserialize_open(deserializer)
            }
        }
    }
}
