// Session claims come from a token, never from a struct literal: Clerk adds claims.
fn main() {
    let _claims = clerk_models::SessionClaims {
        iss: String::new(),
        sub: String::new(),
        sid: None,
        iat: 0,
        exp: 0,
        nbf: None,
        jti: None,
        azp: None,
        v: None,
        sts: None,
        fva: None,
        o: None,
        pla: None,
        fea: None,
        act: None,
        org_id: None,
        org_slug: None,
        org_role: None,
        org_permissions: None,
        custom: clerk_models::OtherClaims::default(),
    };
}
