// Every model builds in code: setters in any order, optional fields left out, the
// discriminator filled in, strings from &str or String, custom claims typed by the caller.
use clerk_models::{Client, Session, SessionClaims, SessionStatus, SessionTask, TaskKey};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct MyClaims {
    tenant: String,
}

fn main() {
    let session = Session::builder()
        .created_at(1_700_000_000_000)
        .status(SessionStatus::Pending)
        .user_id(String::from("user_1"))
        .id("sess_1")
        .client_id("client_1")
        .last_active_at(1_700_000_000_000)
        .expire_at(1_700_604_800_000)
        .abandon_at(1_702_592_000_000)
        .updated_at(1_700_000_000_000)
        .last_active_organization_id("org_1")
        .tasks(vec![SessionTask::builder().key(TaskKey::ChooseOrganization).build()])
        .build();
    assert_eq!(session.object.as_str(), "session");
    assert_eq!(session.last_active_organization_id.as_deref(), Some("org_1"));

    let client = Client::builder()
        .id("client_1")
        .session_ids(vec!["sess_1".into()])
        .sessions(vec![session])
        .updated_at(1)
        .created_at(1)
        .build();
    assert_eq!(client.sign_in_id, None);

    let claims: SessionClaims<MyClaims> = SessionClaims::builder()
        .iss("https://clerk.example.com")
        .sub("user_1")
        .iat(1_700_000_000)
        .exp(1_700_000_060)
        .sid("sess_1")
        .custom(MyClaims { tenant: "acme".into() })
        .build();
    assert_eq!(claims.custom.tenant, "acme");
    let plain: SessionClaims = SessionClaims::builder()
        .iss("i")
        .sub("s")
        .iat(0)
        .exp(1)
        .build();
    assert!(plain.custom.is_empty());
}
