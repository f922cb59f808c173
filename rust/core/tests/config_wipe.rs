//! Review L3 (configuration part): any configuration value may be a secret, so a value is
//! wiped when it is replaced (`set`), removed (`unset`) or dropped with its `Configuration`.
//! Checked with an allocator that looks at every block freed in this test binary: none may
//! still hold the marker.

use s3adt_core::conf::Configuration;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

const MARKER: &[u8] = b"MARKER-SECRET-l3-wipe";

struct Watching;

static WATCH: AtomicBool = AtomicBool::new(false);
static FREED_WITH_MARKER: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Watching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if WATCH.load(Ordering::SeqCst) && layout.size() >= MARKER.len() {
            let block = std::slice::from_raw_parts(ptr, layout.size());
            if block.windows(MARKER.len()).any(|w| w == MARKER) {
                FREED_WITH_MARKER.fetch_add(1, Ordering::SeqCst);
            }
        }
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Watching = Watching;

fn marker() -> &'static str {
    std::str::from_utf8(MARKER).unwrap()
}

#[test]
fn values_are_wiped_when_replaced_removed_or_dropped() {
    WATCH.store(true, Ordering::SeqCst);
    let mut c = Configuration::new();
    c.set("fs.s3a.secret.key", marker());
    c.set("fs.s3a.secret.key", "replaced");
    assert_eq!(FREED_WITH_MARKER.load(Ordering::SeqCst), 0, "set");
    c.set("fs.s3a.endpoint", marker());
    c.unset("fs.s3a.endpoint");
    assert_eq!(FREED_WITH_MARKER.load(Ordering::SeqCst), 0, "unset");
    c.set("fs.s3a.session.token", marker());
    c.set("fs.s3a.bucket.lake.session.token", marker());
    let lake = c.for_bucket("lake");
    drop(lake);
    drop(c);
    WATCH.store(false, Ordering::SeqCst);
    assert_eq!(FREED_WITH_MARKER.load(Ordering::SeqCst), 0, "drop");
}
