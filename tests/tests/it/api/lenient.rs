//! `LenientList`: every item that decodes is kept, every one that does not is reported by
//! index and path; a list that is not a list is still an error.

use clerk_models::{LenientList, PaginatedList, Session};
use proptest::prelude::*;
use serde_json::{Value, json};

fn session(id: &str) -> Value {
    json!({"object": "session", "id": id, "user_id": "user_1", "client_id": "client_1",
        "status": "active", "last_active_at": 1, "expire_at": 2, "abandon_at": 3,
        "updated_at": 4, "created_at": 5})
}

fn broken(id: &str) -> Value {
    let mut s = session(id);
    s["expire_at"] = Value::Null;
    s
}

#[test]
fn keeps_good_items_in_order_and_names_each_bad_one() {
    let page =
        json!({"data": [session("a"), broken("b"), session("c"), broken("d")], "total_count": 40});
    let list = LenientList::<Session>::from_str(&page.to_string()).unwrap();
    let ids: Vec<&str> = list.items().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a", "c"]);
    assert_eq!(list.total_count(), 40);
    assert!(!list.is_complete());
    let errors: Vec<(usize, String)> = list
        .errors()
        .iter()
        .map(|e| (e.index(), e.path()))
        .collect();
    assert_eq!(
        errors,
        [
            (1, "data[1].expire_at".to_owned()),
            (3, "data[3].expire_at".to_owned())
        ]
    );
    let shown = list.errors()[0].to_string();
    assert!(
        shown.starts_with("data[1].expire_at: invalid type: null, expected i64"),
        "{shown}"
    );
    assert_eq!(list.errors()[0].error().path(), "expire_at");
}

#[test]
fn bare_arrays_count_every_item_and_paths_start_at_the_index() {
    let array = json!([broken("a"), session("b"), 7]);
    let list = LenientList::<Session>::from_slice(array.to_string().as_bytes()).unwrap();
    assert_eq!(list.items().len(), 1);
    assert_eq!(list.total_count(), 3);
    assert_eq!(list.errors()[0].path(), "[0].expire_at");
    assert_eq!(list.errors()[1].index(), 2);
    assert!(
        list.errors()[1]
            .to_string()
            .starts_with("[2]: invalid type: integer `7`, expected a `Session` object"),
        "{}",
        list.errors()[1]
    );
}

#[test]
fn a_list_that_is_not_a_list_is_still_an_error() {
    for bad in [
        "{}",
        r#"{"data": 5, "total_count": 1}"#,
        r#"{"data": []}"#,
        "null",
        "[1,",
        "\"x\"",
    ] {
        let err = LenientList::<Session>::from_str(bad).unwrap_err();
        assert!(!err.to_string().is_empty(), "{bad}");
    }
    let err =
        LenientList::<Session>::from_str(r#"{"data": [], "total_count": "many"}"#).unwrap_err();
    assert_eq!(err.path(), "total_count");
}

#[test]
fn an_all_valid_page_equals_the_strict_list_and_the_strict_list_stays_strict() {
    let page = json!({"data": [session("a"), session("b")], "total_count": 2}).to_string();
    let lenient = LenientList::<Session>::from_str(&page).unwrap();
    let strict: PaginatedList<Session> = clerk_models::from_str(&page).unwrap();
    assert!(lenient.is_complete());
    assert_eq!(lenient.items(), strict.data.as_slice());
    let one_bad = json!({"data": [session("a"), broken("b")], "total_count": 2}).to_string();
    assert_eq!(
        clerk_models::from_str::<PaginatedList<Session>>(&one_bad)
            .unwrap_err()
            .path(),
        "data[1].expire_at"
    );
}

#[test]
fn deserialize_works_inside_other_types() {
    #[derive(serde::Deserialize)]
    struct Response {
        sessions: LenientList<Session>,
    }
    let body = json!({"sessions": {"data": [broken("a"), session("b")], "total_count": 2}});
    let response: Response = serde_json::from_str(&body.to_string()).unwrap();
    assert_eq!(response.sessions.items()[0].id, "b");
    assert_eq!(response.sessions.errors()[0].path(), "[0].expire_at");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    /// Items drawn from `any::<Session>()`, some replaced by broken JSON: exactly the good
    /// ones come back, in order, and exactly the broken indices are reported.
    #[test]
    fn exactly_the_bad_items_are_reported(
        items in prop::collection::vec((any::<Session>(), any::<bool>()), 0..12),
        paged in any::<bool>(),
    ) {
        let json_items: Vec<Value> = items.iter().map(|(s, bad)| {
            let mut v = serde_json::to_value(s).unwrap();
            if *bad { v["status"] = json!(17); }
            v
        }).collect();
        let text = if paged {
            json!({"data": json_items, "total_count": items.len()}).to_string()
        } else {
            Value::Array(json_items).to_string()
        };
        let list = LenientList::<Session>::from_str(&text).unwrap();
        let good: Vec<&Session> = items.iter().filter(|(_, bad)| !bad).map(|(s, _)| s).collect();
        prop_assert_eq!(list.items().iter().collect::<Vec<_>>(), good);
        let bad: Vec<usize> = items.iter().enumerate().filter(|(_, (_, bad))| *bad).map(|(i, _)| i).collect();
        prop_assert_eq!(list.errors().iter().map(|e| e.index()).collect::<Vec<_>>(), bad);
        for e in list.errors() {
            prop_assert!(e.path().ends_with("].status"), "{}", e.path());
        }
        prop_assert_eq!(list.total_count(), items.len() as u64);
    }
}
