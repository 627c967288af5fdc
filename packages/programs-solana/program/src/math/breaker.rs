//! Per-market circuit breaker, docs/protocol.md §9. Times are unix seconds (u64).

use super::u256::U256;
use crate::error::{Error, Result};

pub const NORMAL: u8 = 0;
pub const HALTED: u8 = 1;
pub const COOLDOWN: u8 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct BreakerParams {
    pub max_move_bps: u64,
    pub window: u64,
    pub halt_duration: u64,
    pub cooldown: u64,
    pub max_oracle_gap: u64,
    pub liquidation_grace: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct BreakerState {
    pub status: u8,
    pub ref_price: U256,
    pub ref_time: u64,
    pub last_price: U256,
    pub last_update: u64,
    pub since: u64,
    pub grace_until: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Open,
    Close,
    Withdraw,
    Credit,
    Lock,
    Liquidate,
}

/// Advances the status machine to time `t`.
pub fn tick(s: &mut BreakerState, p: &BreakerParams, t: u64) {
    if s.status == NORMAL && s.last_update != 0 && t.saturating_sub(s.last_update) > p.max_oracle_gap {
        s.status = HALTED;
        s.since = t;
    }
    if s.status == HALTED && t >= s.since.saturating_add(p.halt_duration) && t.saturating_sub(s.last_update) <= p.max_oracle_gap {
        s.status = COOLDOWN;
        s.since = t;
    }
    if s.status == COOLDOWN && t >= s.since.saturating_add(p.cooldown) {
        s.status = NORMAL;
        s.since = t;
        s.grace_until = t.saturating_add(p.liquidation_grace);
        s.ref_price = s.last_price;
        s.ref_time = t;
    }
}

/// Applies a price update `(t, price)`; `StaleUpdate` unless t > lastUpdate.
pub fn on_price(s: &mut BreakerState, p: &BreakerParams, t: u64, price: &U256) -> Result<()> {
    if price.is_zero() {
        return Err(Error::InvalidPrice);
    }
    if t <= s.last_update {
        return Err(Error::StaleUpdate);
    }
    tick(s, p, t);
    if s.ref_time == 0 || t.saturating_sub(s.ref_time) > p.window {
        if s.last_update == 0 {
            s.ref_price = *price;
            s.ref_time = t;
        } else {
            s.ref_price = s.last_price;
            s.ref_time = s.last_update;
        }
    }
    if s.status == NORMAL {
        let diff = if *price > s.ref_price { price.checked_sub(&s.ref_price)? } else { s.ref_price.checked_sub(price)? };
        let lhs = diff.checked_mul(&U256::from_u64(10_000))?;
        let rhs = s.ref_price.checked_mul(&U256::from_u64(p.max_move_bps))?;
        if lhs > rhs {
            s.status = HALTED;
            s.since = t;
        }
    }
    s.last_price = *price;
    s.last_update = t;
    Ok(())
}

/// `MarketHalted` / `GracePeriod` when `op` is not allowed at time `t` (after a tick).
pub fn check(s: &mut BreakerState, p: &BreakerParams, op: Op, t: u64) -> Result<()> {
    tick(s, p, t);
    allowed(s, op, t)
}

/// `MarketHalted` / `GracePeriod` when the current status forbids `op` (no tick).
pub fn allowed(s: &BreakerState, op: Op, t: u64) -> Result<()> {
    let ok = match s.status {
        NORMAL => true,
        COOLDOWN => matches!(op, Op::Close | Op::Withdraw | Op::Credit | Op::Lock),
        _ => matches!(op, Op::Credit | Op::Lock),
    };
    if !ok {
        return Err(Error::MarketHalted);
    }
    if op == Op::Liquidate && t < s.grace_until {
        return Err(Error::GracePeriod);
    }
    Ok(())
}
