use super::{Pod, KIND_EMITTER};

/// A foreign origin vault whose CollateralLocked messages may be credited.
pub const ROLE_VAULT: u8 = 1;
/// A foreign margin engine whose WithdrawalApproved messages may release collateral.
pub const ROLE_ENGINE: u8 = 2;

/// Seeds `["emitter", chain u16 LE, address]`. Registered by the admin.
#[repr(C)]
pub struct Emitter {
    pub kind: u8,
    pub bump: u8,
    pub chain: u16,
    pub role: u8,
    pub _pad: [u8; 3],
    pub address: [u8; 32],
}

// SAFETY: repr(C), byte/integer fields only, align 8, starts with `kind`.
unsafe impl Pod for Emitter {
    const KIND: u8 = KIND_EMITTER;
}
