// Machine token claims come from a verified token, never from a struct literal: Clerk adds
// claims, and a literal would skip the class and signature checks.
fn main() {
    let _claims = clerk_models::M2mTokenClaims {
        iss: None,
        sub: String::from("mch_1"),
        jti: None,
        aud: None,
        scopes: None,
        iat: 0,
        exp: 0,
        nbf: None,
        custom: clerk_models::OtherClaims::default(),
    };
}
