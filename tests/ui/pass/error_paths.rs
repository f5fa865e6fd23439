// A decoding error says where: path, JSON Pointer, line and column.
fn main() {
    let json = "{\"object\":\"client\",\"id\":\"c\",\"session_ids\":[],\"sessions\":[{\"object\":\"session\"}],\n\"sign_in_id\":null,\"sign_up_id\":null,\"last_active_session_id\":null,\n\"last_authentication_strategy\":null,\"updated_at\":1,\"created_at\":1}";
    let err = clerk_models::from_str::<clerk_models::Client>(json).unwrap_err();
    assert_eq!(err.path(), "sessions[0]");
    assert_eq!(err.pointer(), "/sessions/0");
    assert_eq!(err.line(), 1);
    let as_std: &dyn std::error::Error = &err;
    assert!(as_std.source().is_some());
    assert!(err.to_string().starts_with("sessions[0]: missing field `id`"));
}
