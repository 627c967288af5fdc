use super::{Pod, KIND_ACCOUNT};

pub const MAX_COLLATERAL: usize = 4;
pub const MAX_POSITIONS: usize = 4;
pub const STATE_ACTIVE: u8 = 0;
pub const STATE_PENDING: u8 = 1;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct CollateralEntry {
    pub asset_id: [u8; 32],
    pub amount: [u64; 2],
    pub state: u8,
    pub _pad: [u8; 7],
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct PositionEntry {
    pub market: u32,
    pub _pad: [u8; 4],
    /// Signed base units in WAD (i128 two's complement).
    pub size: [u64; 2],
    pub entry_price: [u64; 2],
}

/// Seeds `["account", owner]`: one cross-margin account per owner.
#[repr(C)]
pub struct MarginAccount {
    pub kind: u8,
    pub bump: u8,
    pub n_collateral: u8,
    pub n_positions: u8,
    pub _pad: [u8; 4],
    pub owner: [u8; 32],
    /// int128 WAD USD (realized PnL, fees, penalties).
    pub settlement: [u64; 2],
    pub collateral: [CollateralEntry; MAX_COLLATERAL],
    pub positions: [PositionEntry; MAX_POSITIONS],
}

// SAFETY: repr(C), byte/integer fields only, align 8, starts with `kind`.
unsafe impl Pod for MarginAccount {
    const KIND: u8 = KIND_ACCOUNT;
}
