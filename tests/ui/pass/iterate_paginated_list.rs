// Both list forms decode into PaginatedList<Session>, which iterates like a Vec.
use clerk_models::{PaginatedList, Session};

fn main() {
    let one = r#"{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1",
        "status":"ended","last_active_at":1,"expire_at":2,"abandon_at":3,"updated_at":1,"created_at":1}"#;
    let page: PaginatedList<Session> =
        clerk_models::from_str(&format!(r#"{{"data":[{one},{one}],"total_count":10}}"#)).unwrap();
    let mut ids = Vec::new();
    for session in &page {
        ids.push(session.id.as_str());
    }
    assert_eq!(ids, ["sess_1", "sess_1"]);
    assert_eq!((page.len(), page.total_count), (2, 10));
    let bare: clerk_models::SessionList = clerk_models::from_str(&format!("[{one}]")).unwrap();
    let sessions: Vec<Session> = bare.into_iter().collect();
    assert_eq!(sessions.len(), 1);
    let built = PaginatedList::from(sessions);
    assert_eq!(built.total_count, 1);
}
