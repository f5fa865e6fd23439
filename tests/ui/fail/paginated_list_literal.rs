// PaginatedList may grow fields: build it with `new` or `From<Vec<T>>`.
fn main() {
    let _ = clerk_models::PaginatedList::<u8> { data: Vec::new(), total_count: 0 };
}
