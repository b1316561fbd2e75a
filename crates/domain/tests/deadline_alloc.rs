//! The deadline hot path must not allocate: counted with a wrapping global allocator.
//! (A separate test binary, so the counting allocator touches nothing else.)

use abonent_domain::calendar::WorkCalendar;
use abonent_domain::deadline::{
    compute_deadline, compute_deadline_with_pauses, current_status, default_rules, Pause,
};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap()
}

#[test]
fn computing_deadlines_does_not_allocate() {
    let calendar = WorkCalendar::shipped();
    let rules = default_rules();
    let pauses = [
        Pause {
            from: at(2026, 12, 29, 10),
            to: Some(at(2027, 1, 12, 9)),
        },
        Pause {
            from: at(2026, 12, 28, 12),
            to: None,
        },
    ];
    let starts: Vec<NaiveDateTime> = (0..400)
        .map(|i| at(2025, 1, 1, 7) + TimeDelta::hours(i * 53))
        .collect();
    let before = allocations();
    let mut sink = 0i64;
    for rule in &rules {
        for &start in &starts {
            // Crosses into 2027, which is built from the base rules on the fly.
            sink += compute_deadline(rule, start, &calendar)
                .and_utc()
                .timestamp();
            sink += compute_deadline_with_pauses(rule, start, &pauses, &calendar)
                .map_or(0, |d| d.and_utc().timestamp());
            let now = start + TimeDelta::hours(30);
            sink += current_status(rule, start, &pauses, now, &calendar) as i64;
        }
    }
    assert_eq!(allocations() - before, 0);
    assert_ne!(sink, 0);
}
