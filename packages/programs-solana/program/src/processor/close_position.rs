//! `close_position`: closes the whole position in a market at the mark price (a trade of
//! `-size`: realizes its PnL, charges the market's fee). A reduction never needs margin.
//!
//! Accounts:
//! 0. `[signer]` owner
//! 1. `[writable]` margin account
//! 2. `[writable]` config (insurance fund receives the fee)
//! 3. `[writable]` the position's market
//!
//! Data: market u32.

use super::open_position::{apply, Trade};
use super::util::{config, margin_account, Data};
use crate::account::Input;
use crate::error::{fail, Error, Result};
use crate::math::i256::I256;
use crate::state::i128_of;

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
    let c = config(&cfg, input.program_id)?;
    let a = margin_account(input, &acct)?;
    if &a.owner != owner.key() {
        return Err(fail(Error::Unauthorized, "not the account owner"));
    }
    let np = a.n_positions as usize;
    let p = a.positions.iter().take(np).find(|p| p.market == market_id).ok_or(Error::PositionNotFound)?;
    let delta = I256::from_i128(i128_of(&p.size)).neg()?;
    apply(&mut Trade { input, a, c, accs: core::slice::from_ref(&mkt), market_id, delta })
}
