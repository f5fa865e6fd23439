//! Version 1 session tokens' permissions (`org_permissions`): one rule for listing and
//! granting, Clerk's JS one (`has({ permission })` looks up `prefixWithOrg(permission)`, which
//! replaces every leading `org:` with one), so that `permissions()` lists exactly what
//! `has_permission` grants.

use std::time::{Duration, UNIX_EPOCH};

use clerk_models::SessionClaims;
use serde_json::{Value, json};

const IAT: i64 = 1_713_158_400;

fn v1_with(permissions: &[&str]) -> SessionClaims {
    clerk_models::from_value(json!({
        "azp": "https://app.example.com", "exp": IAT + 60, "iat": IAT,
        "iss": "https://clerk.example.com", "nbf": IAT - 10,
        "sid": "sess_2hnLxGx5IvrJpoa2u1MS0qmqbaZ", "sub": "user_2hnLxIDHq7jTn0ZSEg4bMLD9Nfs",
        "org_id": "org_2hnLxQeVaAtzk3aZP4I4n5yCWn5", "org_slug": "acme", "org_role": "org:admin",
        "org_permissions": permissions
    }))
    .unwrap()
}

fn listed(claims: &SessionClaims) -> Vec<String> {
    claims
        .organization()
        .map(|org| org.permissions().map(|p| p.to_string()).collect())
        .unwrap_or_default()
}

/// Clerk's JS rule, written plainly: `orgPermissions.includes(prefixWithOrg(permission))`,
/// with the one difference this crate keeps on purpose: an empty name is never granted.
fn js_grants(entries: &[&str], permission: &str) -> bool {
    let mut name = permission;
    while let Some(rest) = name.strip_prefix("org:") {
        name = rest;
    }
    !name.is_empty() && entries.contains(&format!("org:{name}").as_str())
}

#[test]
fn v1_organization_is_read_from_the_org_claims() {
    let claims = v1_with(&["org:sys_memberships:manage", "org:invoices:read"]);
    let org = claims.organization().unwrap();
    assert_eq!(org.id(), "org_2hnLxQeVaAtzk3aZP4I4n5yCWn5");
    assert_eq!(org.slug(), Some("acme"));
    assert_eq!(org.role().unwrap().to_string(), "org:admin");
    assert_eq!(
        listed(&claims),
        ["org:sys_memberships:manage", "org:invoices:read"]
    );
    assert!(claims.has_permission("org:invoices:read"));
    assert!(claims.has_permission("invoices:read"));
    assert!(!claims.has_permission("org:invoices:manage"));
    assert!(!claims.has_permission("org:") && !claims.has_permission(""));
    assert!(claims.has_role("org:admin") && claims.has_role("admin"));
    assert!(!claims.has_role("org:member") && !claims.has_role("") && !claims.has_role("org:"));
    // A v2 token's v1 claims are not read.
    let mut json: Value = serde_json::to_value(&claims).unwrap();
    json["v"] = json!(2);
    let v2_with_v1_claims: SessionClaims = clerk_models::from_value(json).unwrap();
    assert!(v2_with_v1_claims.organization().is_none());
    assert!(!v2_with_v1_claims.has_permission("org:invoices:read"));
}

/// The payload that broke the fuzz target's invariant: clerk-rs's v1 test token carries
/// `org_permissions: ["org_permission"]`, without the `org:` prefix. Clerk's JS can never
/// grant it, so it is not listed either.
#[test]
fn an_entry_without_the_prefix_is_neither_listed_nor_granted() {
    let claims = v1_with(&["org_permission"]);
    assert!(claims.organization().is_some());
    assert_eq!(listed(&claims), Vec::<String>::new());
    for asked in ["org_permission", "org:org_permission", ""] {
        assert!(!claims.has_permission(asked), "{asked}");
    }
    let now = UNIX_EPOCH + Duration::from_secs(IAT.unsigned_abs());
    assert!(claims.is_valid_at(now), "the token itself is fine");
}

#[test]
fn every_leading_org_prefix_is_one_as_in_prefix_with_org() {
    let entries = [
        "org:a:b",
        "org:org:x",
        "org:",
        "org_permission",
        "org:read",
        "x:y",
    ];
    let claims = v1_with(&entries);
    assert_eq!(listed(&claims), ["org:a:b", "org:read"]);
    for (asked, granted) in [
        ("a:b", true),
        ("org:a:b", true),
        ("org:org:a:b", true),
        ("read", true),
        ("org:x", false),
        ("org:org:x", false),
        ("x:y", false),
        ("org:", false),
        ("org:org:", false),
    ] {
        assert_eq!(claims.has_permission(asked), granted, "{asked}");
        assert_eq!(js_grants(&entries, asked), granted, "{asked}: the JS model");
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn entry() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec!["org:", "org", ":", "a", "b", "_", " "]),
            0..5,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// Every listed permission is granted, and `has_permission` equals Clerk's JS rule
        /// on any question, listed or not.
        #[test]
        fn listing_and_granting_are_one_rule(
            entries in proptest::collection::vec(entry(), 0..6),
            asked in entry(),
        ) {
            let entries: Vec<&str> = entries.iter().map(String::as_str).collect();
            let claims = v1_with(&entries);
            let org = claims.organization().unwrap();
            for permission in org.permissions() {
                let text = permission.to_string();
                prop_assert!(org.has_permission(&text), "listed, not granted: {text}");
                prop_assert!(js_grants(&entries, &text), "listed, JS refuses: {text}");
            }
            let granted = claims.has_permission(&asked);
            prop_assert_eq!(granted, js_grants(&entries, &asked), "{:?}", asked);
            if granted {
                let canonical = format!("org:{}", asked.trim_start_matches("org:"));
                prop_assert!(listed(&claims).contains(&canonical), "granted, not listed: {asked}");
            }
        }
    }
}
