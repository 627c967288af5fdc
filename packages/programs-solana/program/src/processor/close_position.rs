//! `close_position`: closes a position at the mark price, realizing its PnL into settlement.
//!
//! Accounts:
//! 0. `[signer]` owner
//! 1. `[writable]` margin account
//! 2. `[]` config
//! 3. `[writable]` the position's market
//!
//! Data: market u32.

use super::util::{breaker_check, config, find_market, margin_account, u, Data};
use crate::account::Input;
use crate::error::{fail, Error, Result};
use crate::math::breaker::Op;
use crate::math::i256::I256;
use crate::math::margin::pnl;
use crate::state::{i128_of, w_of_i};

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let owner = input.account(0, "owner")?;
    let acct = input.account(1, "margin account")?;
    let cfg = input.account(2, "config")?;
    let mkt = input.account(3, "market")?;
    owner.expect_signer("owner signature")?;
    let mut d = Data::new(data);
    let market_id = d.u32()?;
    d.end()?;
    config(&cfg, input.program_id)?;
    let a = margin_account(input, &acct)?;
    if &a.owner != owner.key() {
        return Err(fail(Error::Unauthorized, "not the account owner"));
    }
    let np = a.n_positions as usize;
    let i = a.positions.iter().take(np).position(|p| p.market == market_id).ok_or(Error::PositionNotFound)?;
    let m = find_market(input, core::slice::from_ref(&mkt), market_id)?;
    breaker_check(m, Op::Close)?;
    let p = a.positions[i];
    let realized = pnl(&I256::from_i128(i128_of(&p.size)), &u(&p.entry_price), &u(&m.mark_price))?;
    let s = I256::from_i128(i128_of(&a.settlement)).checked_add(&realized)?;
    a.settlement = w_of_i(s.to_i128()?);
    a.positions[i] = a.positions[np - 1];
    a.n_positions -= 1;
    Ok(())
}
