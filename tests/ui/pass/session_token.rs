// A dependent reads a session token's claims: the default map of custom claims, its own
// claims type, the organization view, and the reasons a token is invalid.
use std::time::{Duration, SystemTime};

use clerk_models::{SessionClaims, ValidityError};

#[derive(serde::Deserialize)]
struct MyClaims {
    tenant: String,
}

fn why(claims: &SessionClaims, now: SystemTime) -> &'static str {
    match claims.validate_at(now, Duration::from_secs(5)) {
        Ok(()) => "valid",
        Err(ValidityError::Expired | ValidityError::NotYetValid) => "time",
        Err(ValidityError::SessionNotActive) => "status",
        Err(_) => "other", // non_exhaustive: Clerk's rules can grow
    }
}

fn main() {
    let json = r#"{"iss":"https://clerk.example.com","sub":"user_1","sid":"sess_1","iat":1,"exp":2,
        "v":2,"fea":"o:invoices","o":{"id":"org_1","rol":"admin","per":"read","fpm":"1"},"tenant":"acme"}"#;
    let claims: SessionClaims = clerk_models::from_str(json).unwrap();
    let _: Option<SystemTime> = claims.exp_system_time();
    let org = claims.organization().unwrap();
    let names: Vec<String> = org.permissions().map(|p| p.to_string()).collect();
    assert_eq!(names, ["org:invoices:read"]);
    assert!(claims.has_role("admin") && !claims.is_valid_now());
    let _ = why(&claims, SystemTime::now());
    let mine: SessionClaims<MyClaims> = clerk_models::from_str(json).unwrap();
    assert_eq!(mine.custom.tenant, "acme");
}
