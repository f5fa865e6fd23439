//! Hostile input: nothing panics, everything bad is an error with a path, and the deep and
//! huge inputs stay within a stated memory bound.
//!
//! The explicit cases are data, in `tests/hostile/cases.json` (each with its expected
//! outcome); the systematic families are generated here from the schema: truncation at
//! every structural point, a wrong type in every field, `null` in every required field,
//! 10 000 levels of nesting, a 50 MB list, a 10 MB string.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use clerk_models::{Client, Session, SessionList};
use clerk_models_tests::session_json;
use serde_json::{Value, json};

// Per-thread live and peak heap bytes, so parallel tests do not disturb each other.
struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn grow(bytes: usize) {
    LIVE.with(|live| {
        let now = live.get() + bytes;
        live.set(now);
        PEAK.with(|peak| peak.set(peak.get().max(now)));
    });
}

fn shrink(bytes: usize) {
    LIVE.with(|live| live.set(live.get().saturating_sub(bytes)));
}

// SAFETY: defers to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrink(layout.size());
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        grow(new_size);
        shrink(layout.size());
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Peak heap growth (bytes above what was live before) while `f` runs on this thread.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let value = f();
    (value, PEAK.with(Cell::get) - base)
}

/// The memory bound the issue states: peak heap under 4× the input.
const MAX_HEAP_PER_INPUT_BYTE: usize = 4;

/// Decodes `input` as the named type; `Ok(())` or the error's pointer and message.
fn decode(type_name: &str, input: &[u8]) -> Result<(), (String, String)> {
    fn run<T: serde::de::DeserializeOwned>(input: &[u8]) -> Result<(), (String, String)> {
        clerk_models::from_slice::<T>(input)
            .map(drop)
            .map_err(|e| (e.pointer().to_owned(), e.to_string()))
    }
    match type_name {
        "Session" => run::<Session>(input),
        "Client" => run::<Client>(input),
        "SessionList" => run::<SessionList>(input),
        other => panic!("no decoder for {other}"),
    }
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn every_corpus_case_gives_its_expected_outcome() {
    let path = clerk_models_tests::workspace_root().join("tests/hostile/cases.json");
    let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let input = match (case.get("input"), case.get("input_hex")) {
            (Some(text), _) => text.as_str().unwrap().as_bytes().to_vec(),
            (None, Some(h)) => hex(h.as_str().unwrap()),
            _ => panic!("{name}: no input"),
        };
        let outcome = decode(case["type"].as_str().unwrap(), &input);
        match (case["expect"].as_str().unwrap(), outcome) {
            ("ok", Ok(())) => {}
            ("error", Err((at, message))) => {
                let want_at = case["error_at"].as_str().unwrap();
                let want = case["message"].as_str().unwrap();
                if at != want_at || !message.contains(want) {
                    failures.push(format!(
                        "{name}: got `{message}` at {at:?}; want {want:?} at {want_at:?}"
                    ));
                }
            }
            (expect, outcome) => {
                failures.push(format!("{name}: expected {expect}, got {outcome:?}"))
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Every prefix of a valid document that ends just before a structural character.
#[test]
fn truncation_at_every_structural_point_is_an_error() {
    let mut full = session_json();
    full["tasks"] = json!([{"key": "setup-mfa"}]);
    full["actor"] = json!({"sub": "user_admin", "list": [1, 2]});
    let cases = [
        ("Session", full.to_string()),
        (
            "SessionList",
            json!({"data": [full.clone()], "total_count": 1}).to_string(),
        ),
        (
            "Client",
            clerk_models_tests::client_json(vec![full]).to_string(),
        ),
    ];
    let mut tried = 0;
    for (type_name, text) in cases {
        for (i, c) in text.char_indices() {
            if !"{}[],:\"".contains(c) {
                continue;
            }
            tried += 1;
            let (at, message) =
                decode(type_name, &text.as_bytes()[..i]).expect_err("a prefix must not decode");
            assert!(
                message.contains("EOF") || message.contains("line 1"),
                "{type_name}[..{i}]: {message} at {at}"
            );
        }
    }
    assert!(tried > 300, "{tried} truncations");
    eprintln!("{tried} truncated documents, each refused");
}

fn schema_properties(def: &str) -> Vec<(String, Value, bool)> {
    let defs = clerk_models_tests::schema_defs();
    let def = &defs[def];
    let required: Vec<&str> = def["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    def["properties"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone(), required.contains(&k.as_str())))
        .collect()
}

/// A value of a JSON type the property does not allow.
fn wrong_values(schema: &Value) -> Vec<Value> {
    let allowed: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(a) => a.iter().map(|t| t.as_str().unwrap()).collect(),
        _ => vec!["object", "null"], // a $ref to an object type (nullable in Clerk's spec)
    };
    let candidates = [
        ("string", json!("text")),
        ("integer", json!(42)),
        ("boolean", json!(true)),
        ("array", json!([1])),
        ("object", json!({"k": 1})),
        ("null", Value::Null),
    ];
    candidates
        .into_iter()
        .filter(|(t, _)| !allowed.contains(t))
        .map(|(_, v)| v)
        .collect()
}

#[test]
fn a_wrong_type_in_any_field_is_an_error_at_that_field() {
    let mut tried = 0;
    for (field, schema, required) in schema_properties("Session") {
        for wrong in wrong_values(&schema) {
            if wrong.is_null() && !required {
                continue; // an optional key may be null on the wire: `None`
            }
            tried += 1;
            let mut doc = session_json();
            doc[&field] = wrong.clone();
            let (at, message) = decode("Session", doc.to_string().as_bytes())
                .expect_err(&format!("{field} = {wrong}"));
            assert_eq!(at, format!("/{field}"), "{field} = {wrong}: {message}");
        }
    }
    assert!(tried >= 60, "{tried} wrong types");
    eprintln!("{tried} wrong-typed fields, each refused at its path");
}

#[test]
fn null_in_every_required_field_of_every_type_is_an_error_there() {
    let client = clerk_models_tests::client_json(vec![session_json()]);
    for (type_name, doc, def) in [
        ("Session", session_json(), "Session"),
        ("Client", client, "Client"),
    ] {
        for (field, schema, required) in schema_properties(def) {
            let nullable = schema["type"]
                .as_array()
                .is_some_and(|t| t.contains(&json!("null")));
            if !required || nullable {
                continue;
            }
            let mut broken = doc.clone();
            broken[&field] = Value::Null;
            let (at, message) = decode(type_name, broken.to_string().as_bytes()).expect_err(&field);
            assert_eq!(at, format!("/{field}"), "{type_name}.{field}: {message}");
            assert!(message.contains("invalid type: null"), "{message}");
        }
    }
}

#[test]
fn ten_thousand_levels_of_actor_nesting_are_refused_in_bounded_memory() {
    let depth = 10_000;
    let actor = "{\"a\":".repeat(depth) + "1" + &"}".repeat(depth);
    let mut text = session_json().to_string();
    text.insert_str(1, &format!("\"actor\":{actor},"));
    let (outcome, peak) = peak_during(|| decode("Session", text.as_bytes()));
    let (at, message) = outcome.expect_err("too deep");
    assert!(message.contains("recursion limit exceeded"), "{message}");
    assert!(at.starts_with("/actor/a/a"), "{at}");
    assert!(
        peak < MAX_HEAP_PER_INPUT_BYTE * text.len(),
        "peak {peak} B for {} B",
        text.len()
    );
    // The same depth in an unknown key is skipped (serde_json skips without recursing), so
    // it decodes, in the same bound.
    let mut text = session_json().to_string();
    text.insert_str(
        1,
        &format!("\"user\":{},", "[".repeat(depth) + &"]".repeat(depth)),
    );
    let (outcome, peak) = peak_during(|| decode("Session", text.as_bytes()));
    assert_eq!(outcome, Ok(()));
    assert!(
        peak < MAX_HEAP_PER_INPUT_BYTE * text.len(),
        "peak {peak} B for {} B",
        text.len()
    );
}

fn big_client(bytes: usize) -> String {
    let mut session = session_json();
    session["actor"] = json!({"sub": "user_admin", "iss": "https://dashboard.clerk.com"});
    let one = session.to_string();
    let count = bytes / (one.len() + 1);
    let mut sessions = String::with_capacity(bytes + one.len());
    for i in 0..count {
        if i > 0 {
            sessions.push(',');
        }
        sessions.push_str(&one);
    }
    let mut client = clerk_models_tests::client_json(vec![]);
    client["sessions"] = json!("@@");
    client
        .to_string()
        .replace("\"@@\"", &format!("[{sessions}]"))
}

#[test]
fn a_fifty_megabyte_sessions_array_decodes_in_bounded_memory() {
    let text = big_client(50 * 1024 * 1024);
    let (client, peak) = peak_during(|| clerk_models::from_str::<Client>(&text));
    let client = client.unwrap();
    assert!(client.sessions.len() > 50_000);
    assert!(
        peak < MAX_HEAP_PER_INPUT_BYTE * text.len(),
        "peak {peak} B for {} B",
        text.len()
    );
    eprintln!(
        "50 MB client: peak heap {:.2}x the input",
        peak as f64 / text.len() as f64
    );
    drop(client);

    // Broken at the very end: an error naming the last session, same bound.
    let broken = text.replacen("\"created_at\":1716883200000}]", "\"created_at\":null}]", 1);
    let last = text.matches("\"object\":\"session\"").count() - 1;
    let (outcome, peak) = peak_during(|| clerk_models::from_str::<Client>(&broken));
    let err = outcome.expect_err("the last session is broken");
    assert_eq!(err.pointer(), format!("/sessions/{last}/created_at"));
    assert!(
        peak < MAX_HEAP_PER_INPUT_BYTE * broken.len(),
        "peak {peak} B"
    );
}

#[test]
fn a_ten_megabyte_string_decodes_in_bounded_memory() {
    let mut doc = session_json();
    doc["id"] = json!("s".repeat(10 * 1024 * 1024));
    let text = doc.to_string();
    let (session, peak) = peak_during(|| clerk_models::from_str::<Session>(&text));
    assert_eq!(session.unwrap().id.len(), 10 * 1024 * 1024);
    assert!(peak < MAX_HEAP_PER_INPUT_BYTE * text.len(), "peak {peak} B");
}
