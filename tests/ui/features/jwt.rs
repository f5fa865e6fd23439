// A dependent verifies a session token with the instance's PEM key (feature `jwt`) and
// handles every error, including those added later.
use std::time::SystemTime;

use clerk_models::SessionClaims;
use clerk_models::jwt::{JwtError, Verifier};

fn authenticate(verifier: &Verifier, token: &str) -> Result<String, u16> {
    match verifier.verify::<clerk_models::OtherClaims>(token, SystemTime::now()) {
        Ok(claims) => Ok(claims.sub),
        Err(JwtError::Invalid(_)) => Err(401),
        Err(JwtError::Signature | JwtError::Algorithm(_) | JwtError::Malformed(_)) => Err(400),
        Err(_) => Err(401),
    }
}

fn main() {
    let verifier = Verifier::from_pem(b"not a key");
    assert!(verifier.is_err());
    let _: fn(&Verifier, &str) -> Result<String, u16> = authenticate;
    let _: Option<SessionClaims> = None;
}
