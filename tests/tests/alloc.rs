//! Decoding a known enum value does not allocate; an unknown one allocates its text once.
//!
//! A counting global allocator counts the allocations of the current thread only, so the
//! test harness and other tests running in parallel do not disturb the counts.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use clerk_models::{SessionObject, SessionStatus};

struct Counting;

thread_local! {
    // Const-initialized and without a destructor: safe to touch from the allocator.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: defers to the system allocator; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let value = f();
    (value, ALLOCATIONS.with(Cell::get) - before)
}

#[test]
fn decoding_known_values_does_not_allocate() {
    let inputs: Vec<String> = SessionStatus::KNOWN
        .iter()
        .map(|s| format!("\"{}\"", s.as_str()))
        .collect();
    for input in &inputs {
        let (status, count) = allocations_during(|| serde_json::from_str::<SessionStatus>(input));
        let status = status.unwrap();
        assert!(status.is_known());
        assert_eq!(count, 0, "decoding {input} allocated {count} time(s)");
        let (text, count) = allocations_during(|| status.as_str().len());
        assert!(text > 0);
        assert_eq!(count, 0);
    }
    let (object, count) =
        allocations_during(|| serde_json::from_str::<SessionObject>("\"session\""));
    assert_eq!(object.unwrap(), SessionObject::Session);
    assert_eq!(count, 0);
}

#[test]
fn decoding_an_unknown_value_allocates_only_its_text() {
    let (status, count) =
        allocations_during(|| serde_json::from_str::<SessionStatus>("\"suspended\""));
    assert_eq!(status.unwrap().as_str(), "suspended");
    assert_eq!(count, 1);
}
