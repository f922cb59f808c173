//! Panics at the library's edges. A panic's message can quote whatever text it was about, and
//! here that text may be a secret (a credentials reply, a key), so no payload ever leaves the
//! library: not in a C error, not in a Java exception, not on stderr (which is a YARN container
//! log). The boundaries report only where the panic happened.
//!
//! [`catch`] installs, once, a panic hook that records the panic's location for the thread
//! and prints that location alone. A panic outside any s3adt boundary on a thread that is not
//! s3adt's own (possible only when this crate is linked as an rlib into a Rust program) goes to
//! the hook that was there before, unchanged.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe, PanicHookInfo};
use std::sync::Once;

thread_local! {
    /// How many s3adt boundaries this thread is inside.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// Where the last panic on this thread happened.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The text both boundaries use for a caught panic, e.g.
/// `internal error (a bug in s3adt) at rust/core/src/x.rs:12:5`.
pub(crate) fn describe(location: Option<&str>) -> String {
    match location {
        Some(at) => format!("internal error (a bug in s3adt) at {at}"),
        None => "internal error (a bug in s3adt) at an unknown location".to_owned(),
    }
}

fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
            let ours = DEPTH.try_with(Cell::get).unwrap_or(0) > 0
                || std::thread::current().name() == Some("s3adt");
            if !ours {
                return previous(info);
            }
            let at = info
                .location()
                .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
            let _ = writeln!(
                std::io::stderr(),
                "{} (the panic's message is withheld: it may hold secrets)",
                describe(at.as_deref())
            );
            let _ = LOCATION.try_with(|l| *l.borrow_mut() = at);
        }));
    });
}

/// Run `f` at a boundary. A panic comes back as `Err(text)`: [`describe`]'s text with the
/// location only. The payload is dropped unread (and wiped when it is a `String`).
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    LOCATION.with(|l| l.borrow_mut().take());
    DEPTH.with(|d| d.set(d.get() + 1));
    let outcome = catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|d| d.set(d.get() - 1));
    outcome.map_err(|payload| {
        wipe(payload);
        describe(LOCATION.with(|l| l.borrow_mut().take()).as_deref())
    })
}

fn wipe(payload: Box<dyn Any + Send>) {
    if let Ok(mut s) = payload.downcast::<String>() {
        zeroize::Zeroize::zeroize(&mut *s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caught_panic_reports_its_location_and_not_its_message() {
        let secret = String::from("MARKER-PAYLOAD");
        let line = line!() + 1;
        let e = catch(|| panic!("formatting panic over {secret}")).unwrap_err();
        let at = format!("internal error (a bug in s3adt) at {}:{line}:", file!());
        assert!(e.starts_with(&at), "{e}");
        assert!(!e.contains("MARKER"), "{e}");
        // The next boundary starts clean, and a value passes through.
        assert_eq!(catch(|| 7), Ok(7));
        // A panic carried over from elsewhere by resume_unwind: no hook runs for it.
        let e = catch(|| std::panic::resume_unwind(Box::new(String::from("MARKER-PAYLOAD"))))
            .unwrap_err();
        assert_eq!(e, "internal error (a bug in s3adt) at an unknown location");
    }
}
