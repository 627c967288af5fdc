//! Program entrypoint: deserializes the input, dispatches, maps errors to custom codes.

use crate::account;
use crate::processor;

/// Custom error `code` as the runtime's return value (ProgramError::Custom).
const fn custom(code: u32) -> u64 {
    // ProgramError::Custom(n) is encoded as n when n fits in u32 and is non-zero.
    code as u64
}

/// # Safety
/// Called by the runtime with its serialized input region.
#[no_mangle]
pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
    // SAFETY: `input` is the runtime's input region (see `account::deserialize`).
    let parsed = match unsafe { account::deserialize(input) } {
        Ok(i) => i,
        Err(e) => return custom(e.code()),
    };
    match processor::process(&parsed) {
        Ok(()) => 0,
        Err(e) => {
            crate::sys::log(e.name());
            custom(e.code())
        }
    }
}
