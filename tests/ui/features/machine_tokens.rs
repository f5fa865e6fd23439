// A dependent routes a request's token by its class and verifies each class as itself
// (features `jwt` and `http`), matching the open `TokenType` with a wildcard.
use std::time::SystemTime;

use clerk_models::jwt::{JwtError, TokenType, Verifier, request_token};
use clerk_models::{M2mTokenClaims, OAuthAccessTokenClaims, SessionClaims};

enum Caller {
    User(SessionClaims),
    Machine(M2mTokenClaims),
    App(OAuthAccessTokenClaims),
}

fn authenticate(verifier: &Verifier, headers: &http::HeaderMap) -> Result<Caller, JwtError> {
    let now = SystemTime::now();
    let token = request_token(headers).ok_or(JwtError::Malformed("no token"))?;
    match TokenType::of(token) {
        Some(TokenType::M2mToken) => verifier.verify_m2m_token(token, now).map(Caller::Machine),
        Some(TokenType::OAuthToken) => verifier
            .verify_oauth_access_token(token, now)
            .map(Caller::App),
        // Session tokens, and whatever the router cannot tell: the session verifier refuses
        // every other class.
        Some(TokenType::SessionToken | TokenType::ApiKey) | Some(_) | None => {
            verifier.verify(token, now).map(Caller::User)
        }
    }
}

fn main() {
    let _: fn(&Verifier, &http::HeaderMap) -> Result<Caller, JwtError> = authenticate;
    let class: TokenType = "m2m_token".parse().unwrap();
    assert_eq!(class.verify_endpoint(), Some("POST /m2m_tokens/verify"));
    if let Ok(Caller::Machine(claims)) = Err::<Caller, _>(JwtError::Signature) {
        let _: bool = claims.has_scope("mch_2");
        let _: Vec<&str> = claims.scopes().collect();
    }
    if let Ok(Caller::App(claims)) = Err::<Caller, _>(JwtError::Signature) {
        let _: bool = claims.has_scope("read:foo");
    }
    if let Ok(Caller::User(claims)) = Err::<Caller, _>(JwtError::Signature) {
        let _ = claims.act.and_then(|a| a.type_).map(|t| t.is_agent());
    }
}
