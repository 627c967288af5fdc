//! `set_liquidation_params`: replaces the six liquidation parameters (docs/protocol.md §8), as the
//! EVM engine's `setLiquidationParams`.
//!
//! Accounts:
//! 0. `[signer]` admin
//! 1. `[writable]` config
//! 2.. `[]` every configured market, in strictly ascending id order
//!
//! Data: close_factor u128, full_liquidation_health u128, dust_notional u128, penalty_rate u128,
//! liquidator_share u128, target_health u128 (all WAD; 96 bytes).
//!
//! Checks (InvalidParameter, the log names the field; nothing changes on error): close_factor in
//! (0, 1e18], the other fractions <= 1e18, target_health 0 (off) or >= 1e18 (a u128, so < 2^128),
//! and `target_health * mmf > penalty_rate * 1e18` for every market.
//!
//! Every market: the program cannot list its markets, so the config counts them (`market_count`,
//! raised by `configure_market`) and the instruction must pass exactly that many market accounts.
//! Each must be a market of this program (owner, length, kind) and the ids must ascend strictly:
//! one PDA per id, so they are distinct markets, and `market_count` distinct markets are all of
//! them. A config initialized before markets were counted (`markets_counted` 0) cannot prove it was
//! shown every market: there only a target of 0 (off, which checks no market) is accepted.

use super::util::{admin_config, u, Data};
use crate::account::Input;
use crate::error::{fail, Error, Result};
use crate::math::liquidation::check_target;
use crate::math::u256::U256;
use crate::state::{cast_mut, w_of, Market};

const WAD: u128 = 1_000_000_000_000_000_000;

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let admin = input.account(0, "admin")?;
    let cfg = input.account(1, "config")?;
    let c = admin_config(input, &admin, &cfg)?;
    let mut d = Data::new(data);
    let p = [d.u128()?, d.u128()?, d.u128()?, d.u128()?, d.u128()?, d.u128()?];
    d.end()?;
    let [close_factor, full_health, dust, penalty, share, target] = p;
    if close_factor == 0 || close_factor > WAD {
        return Err(fail(Error::InvalidParameter, "closeFactor must be in (0, 1e18]"));
    }
    if full_health > WAD {
        return Err(fail(Error::InvalidParameter, "fullLiquidationHealth must be <= 1e18"));
    }
    if penalty > WAD {
        return Err(fail(Error::InvalidParameter, "penaltyRate must be <= 1e18"));
    }
    if share > WAD {
        return Err(fail(Error::InvalidParameter, "liquidatorShare must be <= 1e18"));
    }
    if target != 0 && target < WAD {
        return Err(fail(Error::InvalidParameter, "targetHealth must be 0 (off) or >= 1e18"));
    }
    check_markets(input, c.markets_counted, c.market_count, &U256::from_u128(target), &U256::from_u128(penalty))?;

    c.close_factor = w_of(close_factor);
    c.full_liquidation_health = w_of(full_health);
    c.dust_notional = w_of(dust);
    c.penalty_rate = w_of(penalty);
    c.liquidator_share = w_of(share);
    c.target_health = w_of(target);
    Ok(())
}

/// Checks the target against the markets passed from account 2 on, and that they are all markets.
fn check_markets(input: &Input, counted: u8, count: u32, target: &U256, penalty: &U256) -> Result<()> {
    let mut last: Option<u32> = None;
    let mut n: u32 = 0;
    for i in 2..input.count {
        let acc = input.account(i, "market")?;
        // The owner, length and kind checks of `state::load` (not called here: one more call site
        // makes LLVM outline it, and its six arguments do not fit BPF's five registers).
        let m = if acc.owner() == input.program_id { cast_mut::<Market>(acc.data_mut()) } else { None };
        let m = m.ok_or_else(|| fail(Error::InvalidParameter, "not a market account"))?;
        if last.is_some_and(|l| m.id <= l) {
            return Err(fail(Error::InvalidParameter, "markets must be passed once each, in ascending id order"));
        }
        last = Some(m.id);
        n += 1;
        if check_target(target, penalty, &u(&m.mmf)).is_err() {
            return Err(fail(Error::InvalidParameter, "targetHealth x mmf must exceed penaltyRate"));
        }
    }
    if counted == 0 {
        if !target.is_zero() {
            return Err(fail(Error::InvalidParameter, "targetHealth: config initialized before markets were counted; only 0 (off) can be set"));
        }
        return Ok(());
    }
    if n != count {
        return Err(fail(Error::InvalidParameter, "every configured market must be passed (count differs from the config's market_count)"));
    }
    Ok(())
}
