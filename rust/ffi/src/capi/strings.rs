//! The strings this library hands to C. Each is one allocation: a header with the string's
//! length, then its bytes and a NUL. The pointer C gets is just past the header. Freeing reads
//! the length from the header, never with strlen, so a caller that writes a NUL into the string
//! (truncating it in place) still gets the whole buffer wiped and freed with the layout it was
//! allocated with. The bytes are copied straight from the source into this buffer: no
//! intermediate copy of a secret is left behind in freed memory.

use super::error::FfiError;
use std::alloc::{alloc, dealloc, handle_alloc_error, Layout};
use std::ffi::{c_char, CStr};

const HEADER: usize = std::mem::size_of::<usize>();

/// What an interior NUL becomes (C would otherwise see the string end there).
const NUL_STANDIN: &[u8] = "\u{fffd}".as_bytes();

fn layout(len: usize) -> Option<Layout> {
    let size = HEADER.checked_add(len)?.checked_add(1)?;
    Layout::from_size_align(size, std::mem::align_of::<usize>()).ok()
}

/// A NUL-terminated copy of `s` for C, freed with [`free`]. NULL only if `s` is too large to
/// allocate at all (it never is in practice: the caller has it in memory already).
pub(crate) fn new(s: &str) -> *mut c_char {
    let nuls = s.bytes().filter(|&b| b == 0).count();
    let Some(len) = nuls
        .checked_mul(NUL_STANDIN.len() - 1)
        .and_then(|extra| s.len().checked_add(extra))
    else {
        return std::ptr::null_mut();
    };
    let Some(layout) = layout(len) else {
        return std::ptr::null_mut();
    };
    // SAFETY: the layout has a non-zero size (at least HEADER + 1).
    let base = unsafe { alloc(layout) };
    if base.is_null() {
        handle_alloc_error(layout);
    }
    // SAFETY: `base` is valid for HEADER + len + 1 bytes and aligned for usize; each write
    // below stays inside that range (the copy writes exactly `len` bytes, as counted above).
    unsafe {
        base.cast::<usize>().write(len);
        let mut at = base.add(HEADER);
        for &b in s.as_bytes() {
            if b == 0 {
                std::ptr::copy_nonoverlapping(NUL_STANDIN.as_ptr(), at, NUL_STANDIN.len());
                at = at.add(NUL_STANDIN.len());
            } else {
                at.write(b);
                at = at.add(1);
            }
        }
        at.write(0);
        base.add(HEADER).cast()
    }
}

/// Wipe the whole allocation behind `p` (header, bytes and NUL; its length comes from the
/// header, not from strlen) and return its start and layout, for `dealloc`.
///
/// # Safety
/// `p` came from [`new`] and has not been freed.
unsafe fn wipe(p: *mut c_char) -> (*mut u8, Layout) {
    // SAFETY: `p` is HEADER bytes past the start of its allocation, which begins with the
    // length; the allocation is HEADER + len + 1 initialized bytes, exclusively ours now.
    unsafe {
        let base = p.cast::<u8>().sub(HEADER);
        let len = base.cast::<usize>().read();
        let layout = layout(len).expect("the layout it was allocated with");
        zeroize::Zeroize::zeroize(std::slice::from_raw_parts_mut(base, layout.size()));
        (base, layout)
    }
}

/// Wipe the whole string, whatever the caller wrote into it, and free it. NULL is ignored.
///
/// # Safety
/// `p` is NULL or came from [`new`] and has not been freed; it is not used afterwards.
pub(crate) unsafe fn free(p: *mut c_char) {
    if !p.is_null() {
        // SAFETY: by this function's contract; allocated by `alloc` with this very layout.
        unsafe {
            let (base, layout) = wipe(p);
            dealloc(base, layout);
        }
    }
}

/// A borrowed C string as &str; NULL or invalid UTF-8 is an invalid argument naming `what`.
pub(crate) unsafe fn str_arg<'a>(p: *const c_char, what: &str) -> Result<&'a str, FfiError> {
    if p.is_null() {
        return Err(FfiError::invalid(format!("{what} is NULL")));
    }
    // SAFETY: the caller passes a NUL-terminated string that outlives the call (API contract).
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| FfiError::invalid(format!("{what} is not valid UTF-8")))
}

/// An optional borrowed C string: NULL is None; otherwise as [`str_arg`].
pub(crate) unsafe fn opt_str_arg<'a>(
    p: *const c_char,
    what: &str,
) -> Result<Option<&'a str>, FfiError> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL, and NUL-terminated by the caller's contract.
    unsafe { str_arg(p, what) }.map(Some)
}

/// A string for C (interior NULs, which our JSON and credentials never hold, become U+FFFD).
/// Built straight from `s`, with no intermediate copy; freed (and wiped) by [`free`].
pub(crate) fn c_string(s: &str) -> Result<*mut c_char, FfiError> {
    let p = new(s);
    if p.is_null() {
        return Err(FfiError::invalid("string too large"));
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn strings_round_trip_and_interior_nuls_are_replaced() {
        for s in ["", "AKIA", "caf\u{e9}", "a\0b\0"] {
            let p = new(s);
            // SAFETY: fresh from `new`, NUL-terminated.
            let back = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
            assert_eq!(back, s.replace('\0', "\u{fffd}"));
            // SAFETY: from `new`, freed once.
            unsafe { free(p) };
        }
    }

    #[test]
    fn a_string_truncated_in_place_is_still_wiped_over_its_whole_length() {
        let secret = "MARKER-SECRET-0123456789";
        let p = new(secret);
        // The C caller cuts the string short, as `secret_key[0] = 0` would.
        // SAFETY: p points to at least one writable byte.
        unsafe { *p = 0 };
        // SAFETY: from `new`, not freed.
        let (base, layout) = unsafe { wipe(p) };
        assert_eq!(
            layout.size(),
            HEADER + secret.len() + 1,
            "length from the header"
        );
        // SAFETY: still allocated: `wipe` does not free.
        let bytes = unsafe { std::slice::from_raw_parts(base, layout.size()) };
        assert!(
            bytes.iter().all(|&b| b == 0),
            "the tail after the NUL is wiped too"
        );
        // SAFETY: allocated with this layout in `new`.
        unsafe { dealloc(base, layout) };
    }
}
