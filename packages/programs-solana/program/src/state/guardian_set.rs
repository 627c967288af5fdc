use super::{Pod, KIND_GUARDIAN_SET};
use crate::MAX_GUARDIANS;

/// Seeds `["guardian_set", index u32 LE]` (relayer guardians) or `["oracle_set", index u32 LE]`
/// (oracle signers). `expiration_time` is 0 while the set is current; an upgrade sets it to
/// `now + overlap` (docs/protocol.md §3).
#[repr(C)]
pub struct GuardianSet {
    pub kind: u8,
    pub bump: u8,
    pub is_oracle: u8,
    pub count: u8,
    pub index: u32,
    pub expiration_time: u64,
    pub keys: [[u8; 20]; MAX_GUARDIANS],
    pub _pad: [u8; 4],
}

// SAFETY: repr(C), byte/integer fields only, align 8, starts with `kind`.
unsafe impl Pod for GuardianSet {
    const KIND: u8 = KIND_GUARDIAN_SET;
}

/// floor(2n/3) + 1.
pub const fn quorum(n: usize) -> usize {
    n * 2 / 3 + 1
}
