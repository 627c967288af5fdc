use super::{Pod, KIND_CONFIG};

/// Pause bits (docs/protocol.md §9).
pub const PAUSE_LOCK: u16 = 1;
pub const PAUSE_CREDIT: u16 = 2;
pub const PAUSE_WITHDRAW: u16 = 4;
pub const PAUSE_OPEN: u16 = 8;
pub const PAUSE_LIQUIDATE: u16 = 16;

/// Seeds `["config"]`. The program-wide singleton.
#[repr(C)]
pub struct Config {
    pub kind: u8,
    pub bump: u8,
    pub authority_bump: u8,
    /// 1 when `market_count` counts every market: set by `initialize` from the program version
    /// that added `set_liquidation_params` on. 0 on a config initialized before (its markets
    /// were not counted), where `set_liquidation_params` can only turn the target health off.
    pub markets_counted: u8,
    pub _pad0: [u8; 4],
    pub admin: [u8; 32],
    pub chain_id: u16,
    pub pause: u16,
    pub guardian_set_index: u32,
    pub oracle_set_index: u32,
    pub guardian_set_overlap: u32,
    pub governance_chain: u16,
    pub oracle_chain: u16,
    pub price_max_age: u32,
    pub governance_emitter: [u8; 32],
    pub oracle_emitter: [u8; 32],
    pub message_sequence: u64,
    pub insurance_fund: [u64; 2],
    pub socialized_loss: [u64; 2],
    pub close_factor: [u64; 2],
    pub full_liquidation_health: [u64; 2],
    pub dust_notional: [u64; 2],
    pub penalty_rate: [u64; 2],
    pub liquidator_share: [u64; 2],
    pub price_max_future: u32,
    /// Markets created by `configure_market` (each `["market", id]` PDA exactly once; markets are
    /// never closed). Meaningful only when `markets_counted` is 1.
    pub market_count: u32,
    /// Layout v2 (272 bytes) from here; v1 (256 bytes) had no target health and is refused by
    /// `config` with its own message (re-initialize).
    pub target_health: [u64; 2],
}

/// Length of the v1 layout (before `target_health`).
pub const CONFIG_V1_LEN: usize = 256;

// SAFETY: repr(C), integer fields only, align 8, starts with `kind`.
unsafe impl Pod for Config {
    const KIND: u8 = KIND_CONFIG;
}
