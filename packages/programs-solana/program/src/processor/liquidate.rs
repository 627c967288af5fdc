//! `liquidate`: closes an unhealthy account's positions (close factor or fully), charges the
//! penalty (split liquidator / insurance fund) and absorbs bad debt (insurance, then socialized).
//!
//! Accounts:
//! 0. `[signer]` liquidator
//! 1. `[writable]` liquidated margin account
//! 2. `[writable]` config (insurance fund, socialized loss)
//! 3. `[writable]` liquidator's margin account (receives the reward in settlement)
//! 4.. `[writable]` every asset and market the liquidated account uses
//!
//! Data: none.

use super::util::{breaker_check, check_pause, config, find_market, margin_account, margin_inputs, rest, zeroed, MarginInputs, u, Data};
use crate::account::Input;
use crate::error::{fail, Error, Result};
use crate::math::breaker::Op;
use crate::math::i256::I256;
use crate::math::liquidation::{liquidate, LiquidationIn, LiquidationParams};
use crate::state::config::PAUSE_LIQUIDATE;
use crate::state::{i128_of, w_of, w_of_i};

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let liquidator = input.account(0, "liquidator")?;
    let acct = input.account(1, "liquidated account")?;
    let cfg = input.account(2, "config")?;
    let lacct = input.account(3, "liquidator account")?;
    liquidator.expect_signer("liquidator signature")?;
    Data::new(data).end()?;
    let c = config(&cfg, input.program_id)?;
    check_pause(c, PAUSE_LIQUIDATE)?;
    if acct.key() == lacct.key() {
        return Err(fail(Error::InvalidParameter, "cannot liquidate into the same account"));
    }
    let a = margin_account(input, &acct)?;
    let la = margin_account(input, &lacct)?;
    if &la.owner != liquidator.key() {
        return Err(fail(Error::Unauthorized, "liquidator account owner"));
    }
    let (accs, n) = rest(input, 4);
    for p in a.positions.iter().take(a.n_positions as usize) {
        breaker_check(find_market(input, &accs[..n], p.market)?, Op::Liquidate)?;
    }
    let mut raw = core::mem::MaybeUninit::<MarginInputs>::uninit();
    let mi = zeroed(&mut raw);
    margin_inputs(input, a, &accs[..n], mi)?;
    let prm = LiquidationParams {
        close_factor: u(&c.close_factor),
        full_liquidation_health: u(&c.full_liquidation_health),
        dust_notional: u(&c.dust_notional),
        penalty_rate: u(&c.penalty_rate),
        liquidator_share: u(&c.liquidator_share),
        target_health: u(&c.target_health),
    };
    let inp = LiquidationIn { collateral: &mi.coll[..mi.n_coll], settlement: mi.settlement, insurance_fund: u(&c.insurance_fund), params: &prm };
    let out = liquidate(&inp, &mut mi.pos[..mi.n_pos])?;

    // Write back: remaining sizes (dropping closed positions), settlement, fund, reward.
    let mut k = 0;
    for i in 0..mi.n_pos {
        let size = mi.pos[i].size.to_i128()?;
        if size != 0 {
            let mut e = a.positions[i];
            e.size = w_of_i(size);
            a.positions[k] = e;
            k += 1;
        }
    }
    a.n_positions = k as u8;
    a.settlement = w_of_i(out.settlement.to_i128()?);
    c.insurance_fund = w_of(out.insurance_after.to_u128()?);
    let soc = u(&c.socialized_loss).checked_add(&out.socialized)?;
    c.socialized_loss = w_of(soc.to_u128()?);
    let ls = I256::from_i128(i128_of(&la.settlement)).checked_add(&I256::from_u(out.liquidator_reward)?)?;
    la.settlement = w_of_i(ls.to_i128()?);
    Ok(())
}
