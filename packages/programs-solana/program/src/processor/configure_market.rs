//! `configure_market`: creates a market (margin fractions and circuit-breaker parameters).
//!
//! Accounts:
//! 0. `[writable, signer]` admin
//! 1. `[writable]` config (counts the market)
//! 2. `[writable]` market PDA `["market", id u32 LE]`
//! 3. `[]` system program
//!
//! Data: id u32, imf u128, mmf u128, max_move_bps u64, window u64, halt_duration u64, cooldown u64,
//! max_oracle_gap u64, liquidation_grace u64, fee_rate u128 (WAD, <= 1). With a target health set,
//! `target_health * mmf > penalty_rate` (docs/protocol.md §8), else InvalidParameter. The config's
//! `market_count` goes up by one, so `set_liquidation_params` can require every market.

use super::util::{Seeds, admin_config, create, u, Data};
use crate::math::liquidation::check_target;
use crate::math::u256::U256;
use crate::account::Input;
use crate::error::{fail, Error, Result};
use crate::pda::SEED_MARKET;
use crate::state::{w_of, Market};

const WAD: u128 = 1_000_000_000_000_000_000;

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let admin = input.account(0, "admin")?;
    let cfg = input.account(1, "config")?;
    let acc = input.account(2, "market")?;
    let c = admin_config(input, &admin, &cfg)?;
    let mut d = Data::new(data);
    let id = d.u32()?;
    let imf = d.u128()?;
    let mmf = d.u128()?;
    let p = [d.u64()?, d.u64()?, d.u64()?, d.u64()?, d.u64()?, d.u64()?];
    let fee_rate = d.u128()?;
    d.end()?;
    if fee_rate > WAD {
        return Err(fail(Error::InvalidParameter, "fee rate above 1"));
    }
    if mmf == 0 || imf < mmf || imf > WAD {
        return Err(fail(Error::InvalidParameter, "margin fractions (0 < mmf <= imf <= 1)"));
    }
    if check_target(&u(&c.target_health), &u(&c.penalty_rate), &U256::from_u128(mmf)).is_err() {
        return Err(fail(Error::InvalidParameter, "targetHealth x mmf must exceed penaltyRate"));
    }
    if p[0] == 0 || p[4] == 0 {
        return Err(fail(Error::InvalidParameter, "breaker maxMoveBps / maxOracleGap"));
    }
    let count = c.market_count.checked_add(1).ok_or_else(|| fail(Error::Overflow, "market count"))?;
    let m = create::<Market>(input, &admin, &acc, &Seeds { seeds: &[SEED_MARKET, &id.to_le_bytes()], what: "market PDA" })?;
    m.id = id;
    m.imf = w_of(imf);
    m.mmf = w_of(mmf);
    m.vol_multiplier = w_of(WAD);
    m.max_move_bps = p[0];
    m.window = p[1];
    m.halt_duration = p[2];
    m.cooldown = p[3];
    m.max_oracle_gap = p[4];
    m.liquidation_grace = p[5];
    m.fee_rate = w_of(fee_rate);
    c.market_count = count;
    Ok(())
}
