use super::{Pod, KIND_MARKET};

/// Seeds `["market", id u32 LE]`: oracle prices, margin fractions and circuit-breaker state.
#[repr(C)]
pub struct Market {
    pub kind: u8,
    pub bump: u8,
    pub status: u8,
    pub _pad0: u8,
    pub id: u32,
    pub imf: [u64; 2],
    pub mmf: [u64; 2],
    pub mark_price: [u64; 2],
    pub conf: [u64; 2],
    pub ema_price: [u64; 2],
    pub vol_multiplier: [u64; 2],
    pub publish_time: u64,
    pub max_move_bps: u64,
    pub window: u64,
    pub halt_duration: u64,
    pub cooldown: u64,
    pub max_oracle_gap: u64,
    pub liquidation_grace: u64,
    pub ref_price: [u64; 2],
    pub ref_time: u64,
    pub last_price: [u64; 2],
    pub last_update: u64,
    pub since: u64,
    pub grace_until: u64,
    /// Trading fee on traded notional (WAD), credited to the insurance fund.
    pub fee_rate: [u64; 2],
}

// SAFETY: repr(C), integer fields only, align 8, starts with `kind`.
unsafe impl Pod for Market {
    const KIND: u8 = KIND_MARKET;
}
