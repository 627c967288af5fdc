//! `open_position`: opens a position at the market's mark price if the account stays above
//! initial margin (`InsufficientMargin` otherwise).
//!
//! Accounts:
//! 0. `[signer]` owner
//! 1. `[writable]` margin account `["account", owner]`
//! 2. `[]` config
//! 3.. `[writable]` the position's market, plus every asset and market the account uses
//!
//! Data: market u32, size i128 (signed WAD base units, non-zero).

use super::util::{breaker_check, check_pause, config, find_market, margin_account, margin_inputs, rest, zeroed, MarginInputs, Data};
use crate::account::Input;
use crate::error::{fail, Error, Result};
use crate::math::breaker::Op;
use crate::math::margin::{compute, MarginIn};
use crate::state::config::PAUSE_OPEN;
use crate::state::margin_account::{PositionEntry, MAX_POSITIONS};
use crate::state::{u128_of, w_of_i};

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let owner = input.account(0, "owner")?;
    let acct = input.account(1, "margin account")?;
    let cfg = input.account(2, "config")?;
    owner.expect_signer("owner signature")?;
    let mut d = Data::new(data);
    let market_id = d.u32()?;
    let size = d.u128()? as i128;
    d.end()?;
    let c = config(&cfg, input.program_id)?;
    check_pause(c, PAUSE_OPEN)?;
    let a = margin_account(input, &acct)?;
    if &a.owner != owner.key() {
        return Err(fail(Error::Unauthorized, "not the account owner"));
    }
    if size == 0 || size == i128::MIN {
        return Err(Error::InvalidAmount);
    }
    let (accs, n) = rest(input, 3);
    let m = find_market(input, &accs[..n], market_id)?;
    breaker_check(m, Op::Open)?;
    let mark = m.mark_price;
    if u128_of(&mark) == 0 {
        return Err(fail(Error::InvalidPrice, "market has no price yet"));
    }
    let np = a.n_positions as usize;
    if a.positions.iter().take(np).any(|p| p.market == market_id) {
        return Err(fail(Error::InvalidParameter, "position already open in this market"));
    }
    if np >= MAX_POSITIONS {
        return Err(fail(Error::CapExceeded, "positions full"));
    }
    a.positions[np] = PositionEntry { market: market_id, _pad: [0; 4], size: w_of_i(size), entry_price: mark };
    a.n_positions += 1;
    let mut raw = core::mem::MaybeUninit::<MarginInputs>::uninit();
    let mi = zeroed(&mut raw);
    margin_inputs(input, a, &accs[..n], mi)?;
    let h = compute(&MarginIn { collateral: &mi.coll[..mi.n_coll], settlement: mi.settlement, positions: &mi.pos[..mi.n_pos] })?;
    let im = crate::math::i256::I256::from_u(h.im_req)?;
    if h.equity < im {
        return Err(Error::InsufficientMargin);
    }
    Ok(())
}
