//! Session token claims: decoding v1 and v2, the fail-closed views, and the permission
//! computation of Clerk's JS SDK (`packages/shared`, `jwtPayloadParser` and its spec file),
//! whose cases are ported here one by one.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clerk_models::{SessionClaims, SessionStatus, ValidityError};
use serde_json::{Value, json};

const IAT: i64 = 1_713_158_400;

fn at(secs: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs.unsigned_abs())
}

/// The claims every test starts from: a v2 token shaped like the example of Clerk's
/// "Session tokens" docs (values our own).
fn v2() -> Value {
    json!({
        "azp": "https://app.example.com",
        "exp": IAT + 60,
        "fva": [7, -1],
        "iat": IAT,
        "iss": "https://clerk.example.com",
        "nbf": IAT - 10,
        "sid": "sess_2hnLxGx5IvrJpoa2u1MS0qmqbaZ",
        "sub": "user_2hnLxIDHq7jTn0ZSEg4bMLD9Nfs",
        "v": 2,
        "pla": "u:free_user",
        "fea": "o:invoices,u:avatars,o:members"
    })
}

/// A v1 token: the organization as `org_*` claims.
fn v1() -> Value {
    json!({
        "azp": "https://app.example.com",
        "exp": IAT + 60,
        "iat": IAT,
        "iss": "https://clerk.example.com",
        "nbf": IAT - 10,
        "sid": "sess_2hnLxGx5IvrJpoa2u1MS0qmqbaZ",
        "sub": "user_2hnLxIDHq7jTn0ZSEg4bMLD9Nfs",
        "org_id": "org_2hnLxQeVaAtzk3aZP4I4n5yCWn5",
        "org_slug": "acme",
        "org_role": "org:admin",
        "org_permissions": ["org:sys_memberships:manage", "org:invoices:read"]
    })
}

fn decode(json: &Value) -> SessionClaims {
    clerk_models::from_str(&json.to_string()).unwrap()
}

fn with(mut base: Value, patch: Value) -> Value {
    for (k, v) in patch.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

/// The baseline claims of the JS spec file, with `patch` applied.
fn js(patch: Value) -> SessionClaims {
    let base = json!({
        "exp": 1_234_567_890, "iat": 1_234_567_890, "iss": "https://api.clerk.com",
        "sub": "sub", "sid": "sid", "azp": "azp", "nbf": 1_234_567_890
    });
    decode(&with(base, patch))
}

fn permissions(claims: &SessionClaims) -> Vec<String> {
    let mut out: Vec<String> = claims
        .organization()
        .map(|o| o.permissions().map(|p| p.to_string()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = list.iter().map(|s| (*s).to_owned()).collect();
    out.sort();
    out
}

#[test]
fn v1_and_v2_decode_and_round_trip() {
    for json in [
        v1(),
        v2(),
        with(v2(), json!({"custom_tenant": "acme", "o": {"id": "org_1"}})),
    ] {
        let claims = decode(&json);
        assert_eq!(serde_json::to_value(&claims).unwrap(), json);
        assert_eq!(claims.sub, "user_2hnLxIDHq7jTn0ZSEg4bMLD9Nfs");
    }
}

#[test]
fn timestamps_are_seconds_and_convert_exactly() {
    let claims = decode(&v2());
    assert_eq!(claims.exp_system_time(), Some(at(IAT + 60)));
    assert_eq!(claims.iat_system_time(), Some(at(IAT)));
    assert_eq!(claims.nbf_system_time(), Some(at(IAT - 10)));
    #[cfg(feature = "chrono")]
    assert_eq!(claims.exp_chrono().unwrap().timestamp(), IAT + 60);
    #[cfg(feature = "time")]
    assert_eq!(
        claims.exp_offset_date_time().unwrap().unix_timestamp(),
        IAT + 60
    );
    #[cfg(feature = "jiff")]
    assert_eq!(claims.exp_jiff().unwrap().as_second(), IAT + 60);
}

#[test]
fn session_status_absent_is_the_schema_default_and_unknown_is_never_active() {
    // The schema states what an absent `sts` means; the accessor must agree with it.
    let defs = clerk_models_tests::schema_defs();
    let default = defs["SessionClaims"]["properties"]["sts"]["default"]
        .as_str()
        .unwrap();
    let claims = decode(&v2());
    assert_eq!(claims.session_status().as_str(), default);
    assert!(claims.session_status().is_active());

    let pending = decode(&with(v2(), json!({"sts": "pending"})));
    assert!(pending.session_status().is_pending());
    let unknown = decode(&with(v2(), json!({"sts": "suspended"})));
    assert_eq!(unknown.session_status().as_str(), "suspended");
    assert!(!unknown.session_status().is_known());
    assert!(!unknown.is_valid_at(at(IAT)));
}

#[test]
fn validity_fails_closed_at_every_boundary() {
    let claims = decode(&v2());
    assert!(claims.is_valid_at(at(IAT)));
    assert!(claims.is_valid_at(at(IAT + 59)));
    assert!(claims.is_valid_at(at(IAT + 60) - Duration::from_nanos(1)));
    assert!(!claims.is_valid_at(at(IAT + 60)), "exp itself is too late");
    // `iat` itself is valid, a nanosecond before it is not (Clerk's assertIssuedAtClaim).
    assert_eq!(
        claims.validate_at(at(IAT) - Duration::from_nanos(1), Duration::ZERO),
        Err(ValidityError::IssuedInTheFuture)
    );
    // With `iat` at `nbf`, `nbf` decides: it is valid itself, and checked before `iat`.
    let early = decode(&with(v2(), json!({"iat": IAT - 10})));
    assert!(early.is_valid_at(at(IAT - 10)), "nbf itself is valid");
    assert_eq!(
        early.validate_at(at(IAT - 10) - Duration::from_nanos(1), Duration::ZERO),
        Err(ValidityError::NotYetValid)
    );

    let leeway = Duration::from_secs(5);
    assert!(claims.is_valid_at_with_leeway(at(IAT + 64), leeway));
    assert!(!claims.is_valid_at_with_leeway(at(IAT + 65), leeway));
    assert!(claims.is_valid_at_with_leeway(at(IAT - 5), leeway));
    assert_eq!(
        claims.validate_at(at(IAT - 5) - Duration::from_nanos(1), leeway),
        Err(ValidityError::IssuedInTheFuture)
    );
    assert!(early.is_valid_at_with_leeway(at(IAT - 15), leeway));
    assert!(!early.is_valid_at_with_leeway(at(IAT - 16), leeway));
    // The widest leeway saturates instead of overflowing.
    assert!(claims.is_valid_at_with_leeway(at(IAT + 1_000_000_000), Duration::MAX));

    for patch in [
        json!({"sts": "pending"}),
        json!({"sts": "revoked"}),
        json!({"sts": "not-a-status"}),
    ] {
        let claims = decode(&with(v2(), patch.clone()));
        assert!(!claims.is_valid_at(at(IAT)), "{patch}");
        assert!(
            !claims.is_valid_at_with_leeway(at(IAT), Duration::MAX),
            "{patch}"
        );
    }
    // A JWT-template token has no `sid`: not a session token.
    let mut template = v2();
    template.as_object_mut().unwrap().remove("sid");
    assert!(!decode(&template).is_valid_at(at(IAT)));
    // Extreme values neither overflow nor pass.
    let far = decode(&with(v2(), json!({"exp": i64::MIN, "nbf": i64::MIN})));
    assert!(!far.is_valid_at(at(IAT)));
    let forever = decode(&with(v2(), json!({"exp": i64::MAX, "nbf": i64::MAX - 1})));
    assert!(!forever.is_valid_at(at(IAT)));
    assert!(
        forever.is_valid_at(at(i64::MAX - 1)),
        "valid from nbf on, before exp"
    );
    assert!(!forever.is_valid_at(at(i64::MAX)));
}

#[test]
fn missing_or_malformed_claims_are_errors_with_their_path() {
    for (key, bad, path) in [
        ("exp", Value::Null, "exp"),
        ("exp", json!("1713158460"), "exp"),
        ("iat", json!(1.5), "iat"),
        ("sub", json!(7), "sub"),
        ("fva", json!([1, 2, 3]), "fva"),
        ("fva", json!([1]), "fva"),
        ("sts", json!(1), "sts"),
        ("o", json!({"rol": "admin"}), "o"),
        ("act", json!({"iss": "x"}), "act"),
        ("org_permissions", json!("org:a:b"), "org_permissions"),
    ] {
        let json = with(v2(), json!({ key: bad }));
        let err = clerk_models::from_str::<SessionClaims>(&json.to_string()).unwrap_err();
        assert_eq!(err.path(), path, "{key}: {err}");
    }
    for key in ["iss", "sub", "iat", "exp"] {
        let mut json = v2();
        json.as_object_mut().unwrap().remove(key);
        let err = clerk_models::from_str::<SessionClaims>(&json.to_string()).unwrap_err();
        assert!(err.to_string().contains(key), "{err}");
    }
    let err = clerk_models::from_str::<SessionClaims>("[]").unwrap_err();
    assert!(
        err.to_string().contains("a `SessionClaims` object"),
        "{err}"
    );
}

#[test]
fn factor_verification_age_absent_is_never_verified() {
    let claims = decode(&v2());
    let age = claims.factor_verification_age();
    assert!(age.is_present());
    assert_eq!(age.first_factor(), Some(Duration::from_secs(420)));
    assert_eq!(age.second_factor(), None);
    assert!(age.first_factor_within(Duration::from_secs(420)));
    assert!(!age.first_factor_within(Duration::from_secs(419)));
    assert!(!age.second_factor_within(Duration::MAX));

    let mut json = v2();
    json.as_object_mut().unwrap().remove("fva");
    let absent = decode(&json).factor_verification_age();
    assert!(!absent.is_present());
    assert_eq!(
        (absent.first_factor(), absent.second_factor()),
        (None, None)
    );
    assert!(!absent.first_factor_within(Duration::MAX));

    let zero = decode(&with(v2(), json!({"fva": [0, 0]}))).factor_verification_age();
    assert!(zero.first_factor_within(Duration::ZERO) && zero.second_factor_within(Duration::ZERO));
    let odd = decode(&with(v2(), json!({"fva": [-2, i64::MAX]}))).factor_verification_age();
    assert_eq!((odd.first_factor(), odd.second_factor()), (None, None));
    assert_eq!(odd.second_factor_minutes(), Some(i64::MAX.unsigned_abs()));
}

#[test]
fn v2_role_is_prefixed_once() {
    for (rol, shown) in [("admin", "org:admin"), ("org:admin", "org:admin")] {
        let claims = js(json!({"v": 2, "o": {"id": "org_id", "rol": rol}}));
        let role = claims.organization().unwrap().role().unwrap();
        assert_eq!(role.to_string(), shown);
        assert_eq!(role.key(), "admin");
        assert!(claims.has_role("admin") && claims.has_role("org:admin"));
    }
    let empty = js(json!({"v": 2, "o": {"id": "org_id", "rol": ""}}));
    assert!(empty.organization().unwrap().role().is_none());
    assert!(!empty.has_role(""));
}

// --- The cases of Clerk's jwtPayloadParser.spec.ts, one test each ---

#[test]
fn js_no_active_org_gives_nothing_org_related_in_v1_and_v2() {
    let v2 = js(json!({"v": 2, "fea": "u:impersonation,u:memberships"}));
    let v1 = js(json!({}));
    for claims in [&v1, &v2] {
        assert!(claims.organization().is_none());
        assert!(!claims.has_permission("org:impersonation:read"));
    }
}

#[test]
fn js_v1_and_v2_give_the_same_organization() {
    let v2 = js(json!({"v": 2, "fea": "o:impersonation",
        "o": {"id": "org_xxxxxxx", "rol": "admin", "slg": "org_test", "per": "read,manage", "fpm": "3"}}));
    let v1 = js(
        json!({"org_id": "org_xxxxxxx", "org_role": "org:admin", "org_slug": "org_test",
        "org_permissions": ["org:impersonation:read", "org:impersonation:manage"]}),
    );
    let (a, b) = (v1.organization().unwrap(), v2.organization().unwrap());
    assert_eq!((a.id(), a.slug()), (b.id(), b.slug()));
    assert_eq!(a.role().unwrap().to_string(), b.role().unwrap().to_string());
    assert_eq!(permissions(&v1), permissions(&v2));
}

#[test]
fn js_permissions_from_fea_per_and_fpm() {
    let claims = js(json!({"v": 2, "fea": "o:impersonation,o:memberships",
        "o": {"id": "org_xxxxxxx", "rol": "admin", "slg": "org_test", "per": "read,manage", "fpm": "1,3"}}));
    assert_eq!(
        permissions(&claims),
        sorted(&[
            "org:impersonation:read",
            "org:memberships:read",
            "org:memberships:manage"
        ])
    );
}

#[test]
fn js_a_feature_without_a_mask_grants_nothing() {
    let claims = js(
        json!({"v": 2, "fea": "o:impersonation,o:memberships,o:feature3",
        "o": {"id": "org_id", "rol": "admin", "slg": "org_slug", "per": "read,manage", "fpm": "1,3"}}),
    );
    assert_eq!(
        permissions(&claims),
        sorted(&[
            "org:impersonation:read",
            "org:memberships:read",
            "org:memberships:manage"
        ])
    );
    assert!(!claims.has_permission("org:feature3:read"));
}

#[test]
fn js_user_and_org_scoped_features_both_count() {
    let claims = js(
        json!({"v": 2, "fea": "uo:impersonation,o:memberships,uo:feature3",
        "o": {"id": "org_id", "rol": "admin", "slg": "org_slug", "per": "read,manage", "fpm": "1,3,1"}}),
    );
    assert_eq!(
        permissions(&claims),
        sorted(&[
            "org:impersonation:read",
            "org:memberships:read",
            "org:memberships:manage",
            "org:feature3:read"
        ])
    );
}

#[test]
fn js_no_per_and_fpm_gives_no_permissions() {
    let claims = js(
        json!({"v": 2, "fea": "u:impersonation,u:memberships,u:feature3",
        "o": {"id": "org_id", "rol": "admin", "slg": "org_slug"}}),
    );
    assert!(claims.organization().is_some());
    assert!(permissions(&claims).is_empty());
}

#[test]
fn js_constructed_case_1_ou_scope() {
    let claims = js(json!({"v": 2, "fea": "ou:memberships,u:impersonation",
        "o": {"id": "org_id", "rol": "admin", "slg": "org_slug", "per": "read,manage", "fpm": "3"}}));
    assert_eq!(
        permissions(&claims),
        sorted(&["org:memberships:read", "org:memberships:manage"])
    );
}

#[test]
fn js_constructed_case_2() {
    let claims = js(
        json!({"v": 2, "fea": "o:billing,o:email,o:fraud,o:instance,o:staging_plans",
        "o": {"id": "org_id", "rol": "admin", "slg": "org_slug", "per": "manage,read", "fpm": "3,3,3,3,1"}}),
    );
    assert_eq!(
        permissions(&claims),
        sorted(&[
            "org:billing:manage",
            "org:billing:read",
            "org:email:manage",
            "org:email:read",
            "org:fraud:manage",
            "org:fraud:read",
            "org:instance:manage",
            "org:instance:read",
            "org:staging_plans:manage",
        ])
    );
}

#[test]
fn js_constructed_case_3_least_significant_bit_first() {
    let claims = js(json!({"v": 2, "fea": "o:repositories,o:projects",
        "o": {"id": "org_id", "rol": "admin", "slg": "org_slug",
              "per": "read,create,update,delete,revoke", "fpm": "7,21"}}));
    assert_eq!(
        permissions(&claims),
        sorted(&[
            "org:repositories:read",
            "org:repositories:create",
            "org:repositories:update",
            "org:projects:read",
            "org:projects:update",
            "org:projects:revoke",
        ])
    );
}

#[test]
fn js_constructed_case_4_missing_masks_grant_nothing() {
    let claims = js(
        json!({"v": 2, "fea": "o:repositories,o:projects,o:webhooks,o:impersonation",
        "o": {"id": "org_id", "rol": "admin", "slg": "org_slug", "per": "read,manage", "fpm": "1,2,3"}}),
    );
    assert_eq!(
        permissions(&claims),
        sorted(&[
            "org:repositories:read",
            "org:projects:manage",
            "org:webhooks:read",
            "org:webhooks:manage"
        ])
    );
}

#[test]
fn js_constructed_case_5_user_scoped_entries_take_no_mask() {
    let claims = js(
        json!({"v": 2, "fea": "o:repositories,uo:projects,u:goldprofileborder",
        "o": {"id": "org_id", "rol": "admin", "slg": "org_slug",
              "per": "read,create,update,delete,revoke", "fpm": "7,21"}}),
    );
    assert_eq!(
        permissions(&claims),
        sorted(&[
            "org:repositories:read",
            "org:repositories:create",
            "org:repositories:update",
            "org:projects:read",
            "org:projects:update",
            "org:projects:revoke",
        ])
    );
}

/// Where Clerk's JS and the SDKs that line masks up with every `fea` entry (Python, Ruby,
/// Java, C#, PHP, dioxus-clerk) disagree: a `u:` entry before an organization feature.
#[test]
fn a_user_scoped_entry_first_shifts_nothing_as_in_clerk_js() {
    let claims = js(json!({"v": 2, "fea": "u:avatars,o:invoices",
        "o": {"id": "org_id", "per": "read,manage", "fpm": "1"}}));
    // Clerk's JS: the one mask belongs to `invoices`, the first organization feature.
    assert_eq!(permissions(&claims), sorted(&["org:invoices:read"]));
    assert!(claims.has_permission("org:invoices:read"));
    // Lined up with every entry, the mask would go to `avatars` and `invoices` get none.
    assert!(!claims.has_permission("org:avatars:read"));
}

#[test]
fn mask_edge_cases_grant_nothing_they_should_not() {
    let case = |fea: &str, per: &str, fpm: &str| {
        js(json!({"v": 2, "fea": fea, "o": {"id": "org_id", "per": per, "fpm": fpm}}))
    };
    // Extra masks are ignored.
    assert_eq!(
        permissions(&case("o:a", "read", "1,1,1")),
        sorted(&["org:a:read"])
    );
    // A bit beyond `per` grants nothing (never `org:a:undefined`).
    let beyond = case("o:a", "read", "6");
    assert!(permissions(&beyond).is_empty());
    assert!(!beyond.has_permission("org:a:undefined"));
    // Masks above 2^53 decode exactly: 2^53 + 1 sets bits 0 and 53 only.
    let per: Vec<String> = (0..60).map(|i| format!("p{i}")).collect();
    let big = case("o:a", &per.join(","), "9007199254740993");
    assert_eq!(permissions(&big), sorted(&["org:a:p0", "org:a:p53"]));
    assert!(big.has_permission("org:a:p53") && !big.has_permission("org:a:p52"));
    // Empty names and non-numeric masks grant nothing.
    assert!(permissions(&case("o:", "read", "1")).is_empty());
    assert!(!case("o:", "read", "1").has_permission("org::read"));
    assert!(permissions(&case("o:a", "", "1")).is_empty());
    assert_eq!(
        permissions(&case("o:a", ",read", "3")),
        sorted(&["org:a:read"])
    );
    for bad in ["x", "-1", "1.0", "0x1", "", "1e2", "+1"] {
        let claims = case("o:a", "read", bad);
        assert!(permissions(&claims).is_empty(), "{bad:?}");
        assert!(!claims.has_permission("org:a:read"), "{bad:?}");
    }
    // A malformed `fea` entry (no scope): Clerk's JS refuses the claim, so nothing at all.
    let malformed = case("o:a,b", "read", "1,1");
    assert!(permissions(&malformed).is_empty());
    assert!(!malformed.has_permission("org:a:read"));
    // Whitespace that Clerk's JS and Rust trim differently (a no-break space, a tab, a BOM)
    // could shift an entry's scope and every mask after it: then nothing is granted.
    for fea in ["\u{a0}o:a,o:b", "o:a,\to:b", "\u{feff}o:a,o:b", "o:é,o:b"] {
        let claims = case(fea, "read", "1,1");
        assert!(permissions(&claims).is_empty(), "{fea:?}");
        assert!(!claims.has_permission("org:b:read"), "{fea:?}");
    }
    // The same in `per`: a tab, no-break space or BOM there voids every permission, in
    // `has_permission` exactly as in `permissions()`.
    for per in [
        "read,\tmanage",
        "read,manage\u{a0}",
        "\u{feff}read,manage",
        "read,\nmanage",
    ] {
        let claims = case("o:a", per, "3");
        assert!(permissions(&claims).is_empty(), "{per:?}");
        assert!(!claims.has_permission("org:a:manage"), "{per:?}");
        assert!(!claims.has_permission("org:a:read"), "{per:?}");
    }
    // The feature name ends at a second `:` (Clerk's JS reads `entry.split(':')[1]`): `o::`
    // names the empty feature, which grants nothing; `o:a:x` is the feature `a`.
    assert!(permissions(&case("o::", "p", "1")).is_empty());
    assert!(!case("o::", "p", "1").has_permission("org:::p"));
    assert_eq!(permissions(&case("o:a:x", "p", "1")), sorted(&["org:a:p"]));
    assert!(case("o:a:x", "p", "1").has_permission("org:a:p"));
    // Unknown scopes take no mask.
    assert_eq!(
        permissions(&case("x:a,o:b", "read", "1")),
        sorted(&["org:b:read"])
    );
    // Spaces around entries are trimmed, as in Clerk's JS.
    assert_eq!(
        permissions(&case(" o:a , o:b ", " read , manage ", " 2 , 1 ")),
        sorted(&["org:a:manage", "org:b:read"])
    );
}

#[test]
fn plan_features_and_actor() {
    let claims = decode(&v2());
    let plan = claims.plan().unwrap();
    assert_eq!(
        (plan.scope(), plan.name(), plan.is_user()),
        ("u", "free_user", true)
    );
    let features: Vec<String> = claims.features().map(|f| f.to_string()).collect();
    assert_eq!(features, ["o:invoices", "u:avatars", "o:members"]);
    assert_eq!(claims.features().filter(|f| f.is_organization()).count(), 2);
    assert!(!claims.is_impersonated() && claims.actor().is_none());

    let impersonated = decode(&with(
        v2(),
        json!({"act": {
            "iss": "https://dashboard.clerk.com", "sid": "sess_admin", "sub": "user_admin", "reason": "support"
        }}),
    ));
    let actor = impersonated.actor().unwrap();
    assert_eq!(actor.sub, "user_admin");
    assert_eq!(actor.sid.as_deref(), Some("sess_admin"));
    assert_eq!(actor.other.get("reason"), Some(&json!("support")));
    assert!(impersonated.is_impersonated());
    // Impersonation does not make a token invalid; it is for the caller to decide.
    assert!(impersonated.is_valid_at(at(IAT)));
}

#[test]
fn authorized_party_is_exact_and_fails_closed() {
    let claims = decode(&v2());
    assert!(claims.is_authorized_party(&["https://other.example.com", "https://app.example.com"]));
    assert!(!claims.is_authorized_party(&["https://app.example.com/"]));
    assert!(!claims.is_authorized_party(&[]));
    let mut json = v2();
    json.as_object_mut().unwrap().remove("azp");
    assert!(!decode(&json).is_authorized_party(&["https://app.example.com"]));
    assert!(!decode(&with(v2(), json!({"azp": null}))).is_authorized_party(&[""]));
}

#[test]
fn custom_claims_are_typed_by_the_caller_and_survive_new_standard_claims() {
    #[derive(Debug, serde::Deserialize, serde::Serialize, PartialEq)]
    struct Mine {
        tenant: String,
        #[serde(default)]
        beta: bool,
    }
    let json = with(
        v2(),
        json!({"tenant": "acme", "beta": true, "xyz": "a claim Clerk adds later"}),
    );
    let claims: SessionClaims<Mine> = clerk_models::from_str(&json.to_string()).unwrap();
    assert_eq!(
        claims.custom,
        Mine {
            tenant: "acme".into(),
            beta: true
        }
    );
    assert!(
        claims.has_permission("org:invoices:read")
            == decode(&json).has_permission("org:invoices:read")
    );

    // The default keeps every claim that is not Clerk's.
    let default = decode(&json);
    assert_eq!(default.custom.len(), 3);
    assert_eq!(
        default.custom.get("xyz"),
        Some(&json!("a claim Clerk adds later"))
    );
    assert!(default.custom.get("sub").is_none());

    // A missing custom claim is an error of the caller's type.
    let err = clerk_models::from_str::<SessionClaims<Mine>>(&v2().to_string()).unwrap_err();
    assert!(err.to_string().contains("missing field `tenant`"), "{err}");
}

#[test]
fn status_is_the_shared_open_session_status() {
    let claims = decode(&with(v2(), json!({"sts": "pending"})));
    let status: &SessionStatus = claims.session_status();
    assert_eq!(status, &SessionStatus::Pending);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn status() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(SessionStatus::VALUES.to_vec()).prop_map(str::to_owned),
            "[a-z_-]{0,12}",
        ]
    }

    fn scope() -> impl Strategy<Value = &'static str> {
        proptest::sample::select(vec!["o", "u", "ou", "uo", "x", ""])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// A status other than `active`, `now` at or past `exp`, or before `nbf` or `iat`, is
        /// never valid.
        #[test]
        fn never_valid_unless_active_and_unexpired(
            sts in status(),
            exp in any::<i64>(),
            now in any::<i64>(),
            nbf in proptest::option::of(any::<i64>()),
            iat in any::<i64>(),
            leeway in 0_u64..120,
        ) {
            let mut json = with(v2(), json!({"sts": sts, "exp": exp, "iat": iat}));
            match nbf {
                Some(nbf) => json["nbf"] = json!(nbf),
                None => { json.as_object_mut().unwrap().remove("nbf"); }
            }
            let claims = decode(&json);
            let Some(now_time) = UNIX_EPOCH.checked_add(Duration::from_secs(now.unsigned_abs()))
                .filter(|_| now >= 0)
                .or_else(|| UNIX_EPOCH.checked_sub(Duration::from_secs(now.unsigned_abs())))
            else {
                return Ok(());
            };
            let valid = claims.is_valid_at(now_time);
            if sts != "active" || now >= exp || nbf.is_some_and(|nbf| now < nbf) || now < iat {
                prop_assert!(!valid);
            } else {
                prop_assert!(valid);
            }
            let lenient = claims.is_valid_at_with_leeway(now_time, Duration::from_secs(leeway));
            if sts != "active" || i128::from(now) >= i128::from(exp) + i128::from(leeway) {
                prop_assert!(!lenient);
            }
        }

        /// Permissions equal a plain model of Clerk's JS rule, and no bit outside `per`
        /// grants anything.
        #[test]
        fn permissions_follow_the_masks_of_the_org_features(
            entries in proptest::collection::vec((scope(), "[a-c]{0,2}"), 0..6),
            per_len in 0_usize..6,
            masks in proptest::collection::vec(any::<u64>(), 0..7),
        ) {
            let fea: Vec<String> = entries.iter().map(|(s, n)| format!("{s}:{n}")).collect();
            let per: Vec<String> = (0..per_len).map(|i| format!("p{i}")).collect();
            let fpm: Vec<String> = masks.iter().map(u64::to_string).collect();
            let claims = js(json!({"v": 2, "fea": fea.join(","),
                "o": {"id": "org_id", "per": per.join(","), "fpm": fpm.join(",")}}));

            let mut expected = Vec::new();
            let org = entries.iter().filter(|(s, _)| matches!(*s, "o" | "ou" | "uo"));
            for ((_, feature), mask) in org.zip(&masks) {
                for (bit, name) in per.iter().enumerate() {
                    if !feature.is_empty() && mask >> bit & 1 == 1 {
                        expected.push(format!("org:{feature}:{name}"));
                    }
                }
            }
            expected.sort();
            prop_assert_eq!(permissions(&claims), expected.clone());
            for p in &expected {
                prop_assert!(claims.has_permission(p));
            }
            for (_, feature) in &entries {
                for bit in per_len..per_len + 3 {
                    let permission = format!("org:{feature}:p{bit}");
                    prop_assert!(!claims.has_permission(&permission));
                }
            }
        }

        /// `has_permission` and `permissions()` apply one rule: on any claim text, a
        /// permission is granted exactly when it is listed.
        #[test]
        fn has_permission_agrees_with_permissions(
            fea in "[ ou:,a\t]{0,12}",
            per in "[ ,pq\t]{0,8}",
            fpm in "[ ,0-9x]{0,8}",
            feature in "[ a]{0,2}",
            name in "[ pq]{0,2}",
        ) {
            let claims = js(json!({"v": 2, "fea": fea, "o": {"id": "org_id", "per": per, "fpm": fpm}}));
            let permission = format!("org:{feature}:{name}");
            let listed = permissions(&claims).contains(&permission);
            prop_assert_eq!(claims.has_permission(&permission), listed, "{}", permission);
            for listed in permissions(&claims) {
                prop_assert!(claims.has_permission(&listed), "{}", listed);
            }
        }
    }
}

#[test]
fn hostile_payloads_fail_cleanly_or_grant_nothing() {
    let base = v2().to_string();
    let body = base.trim_start_matches('{');
    // Deep nesting in a custom claim hits serde_json's recursion limit: an error, no crash.
    let deep = format!(
        r#"{{"deep":{}{}, {body}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert!(clerk_models::from_str::<SessionClaims>(&deep).is_err());
    // A duplicated claim is an error, not "last one wins".
    let dup = format!(r#"{{"sts":"pending","sts":"active",{body}"#);
    let err = clerk_models::from_str::<SessionClaims>(&dup).unwrap_err();
    assert!(err.to_string().contains("duplicate field `sts`"), "{err}");
    // The whole token as an array, a string, a number, null.
    for bad in ["[]", "\"claims\"", "1", "null", ""] {
        assert!(
            clerk_models::from_str::<SessionClaims>(bad).is_err(),
            "{bad}"
        );
    }
    // Numbers out of range for their claim.
    for (key, value) in [
        ("exp", "1e400"),
        ("exp", "9223372036854775808"),
        ("iat", "-9223372036854775809"),
        ("v", "\"2\""),
        ("fva", "[1e3, 2]"),
    ] {
        let text = format!(
            r#"{{"{key}":{value},{}"#,
            base.trim_start_matches('{')
                .replacen(&format!("\"{key}\":"), "\"_shadowed\":", 1)
        );
        assert!(
            clerk_models::from_str::<SessionClaims>(&text).is_err(),
            "{key}: {value}"
        );
    }
    // 20,000 features and masks (200 KB): linear, no panic, nothing wrongly granted.
    let fea: Vec<String> = (0..20_000).map(|i| format!("o:f{i}")).collect();
    let fpm = vec!["1"; 20_000].join(",");
    let claims = decode(&with(
        v2(),
        json!({"fea": fea.join(","),
        "o": {"id": "org_1", "per": "read", "fpm": fpm}}),
    ));
    assert!(claims.has_permission("org:f19999:read"));
    assert!(
        claims.has_permission("org:f128:read"),
        "past the fast path's bit sets"
    );
    assert!(!claims.has_permission("org:f20000:read"));
    assert_eq!(claims.organization().unwrap().permissions().count(), 20_000);
    // 2^1023 + 1, written out (308 digits): bits 0 and 1023, across all 16 words, exactly.
    let per: Vec<String> = (0..1_100).map(|i| format!("p{i}")).collect();
    let mask = "89884656743115795386465259539451236680898848947115328636715040578866337902750481566354238661203768010560056939935696678829394884407208311246423715319737062188883946712432742638151109800623047059726541476042502884419075341171231440736956555270413618581675255342293149119973622969239858152417678164812112068609";
    let huge = decode(&with(
        v2(),
        json!({"fea": "o:a",
        "o": {"id": "org_1", "per": per.join(","), "fpm": mask}}),
    ));
    assert!(huge.has_permission("org:a:p0") && huge.has_permission("org:a:p1023"));
    assert!(!huge.has_permission("org:a:p1") && !huge.has_permission("org:a:p1022"));
    assert!(!huge.has_permission("org:a:p1024") && !huge.has_permission("org:a:p1099"));
    assert_eq!(huge.organization().unwrap().permissions().count(), 2);
    // Longer than any mask of 1024 bits: no mask, whatever its low bits.
    let absurd = decode(&with(
        v2(),
        json!({"fea": "o:a",
        "o": {"id": "org_1", "per": "read", "fpm": "9".repeat(10_000)}}),
    ));
    assert!(!absurd.has_permission("org:a:read"));
}
