use super::{Pod, KIND_ASSET};

/// Seeds `["asset", asset_id]`. `asset_id` is the bytes32 token address of the asset's origin
/// chain (the SPL mint for a Solana asset, `is_local = 1`, whose tokens sit in the vault PDA
/// `["vault", asset_id]`). Prices come from market `price_market`.
#[repr(C)]
pub struct Asset {
    pub kind: u8,
    pub bump: u8,
    pub decimals: u8,
    pub is_local: u8,
    pub price_market: u32,
    pub asset_id: [u8; 32],
    pub vault: [u8; 32],
    pub cap: u64,
    pub total_locked: u64,
    pub weight: [u64; 2],
    pub pending_weight: [u64; 2],
    /// Wormhole chain id of the vault that holds a foreign asset (WithdrawalApproved.originChain);
    /// 0: withdrawals of this asset are refused.
    pub origin_chain: u16,
    pub _pad: [u8; 6],
}

// SAFETY: repr(C), byte/integer fields only, align 8, starts with `kind`.
unsafe impl Pod for Asset {
    const KIND: u8 = KIND_ASSET;
}
