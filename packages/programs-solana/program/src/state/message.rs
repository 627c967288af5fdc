use super::{Pod, KIND_CONSUMED, KIND_MESSAGE};

/// Largest payload this program emits (WithdrawalApproved 124 / CollateralLocked 116 / CollateralReleased 92).
pub const MAX_MESSAGE_PAYLOAD: usize = 128;

/// Seeds `["message", sequence u64 LE]`: an outbound message the relayers attest. The emitter is
/// (config.chain_id, program id).
#[repr(C)]
pub struct Message {
    pub kind: u8,
    pub bump: u8,
    pub payload_len: u16,
    pub nonce: u32,
    pub sequence: u64,
    pub timestamp: u64,
    pub payload: [u8; MAX_MESSAGE_PAYLOAD],
}

// SAFETY: repr(C), byte/integer fields only, align 8, starts with `kind`.
unsafe impl Pod for Message {
    const KIND: u8 = KIND_MESSAGE;
}

/// Seeds `["consumed", keccak256(body)]`: exists once a VAA was processed (replay protection).
#[repr(C)]
pub struct Consumed {
    pub kind: u8,
    pub bump: u8,
    pub _pad: [u8; 6],
    pub body_hash: [u8; 32],
}

// SAFETY: repr(C), byte fields only, starts with `kind`.
unsafe impl Pod for Consumed {
    const KIND: u8 = KIND_CONSUMED;
}
