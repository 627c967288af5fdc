//! Liquidation with penalty, insurance fund and bad debt, docs/protocol.md §8.

use super::fixed::{mul_div_up, w_mul_down, w_mul_up};
use super::i256::I256;
use super::margin::{compute, notional, pnl, CollateralIn, MarginIn, PositionIn};
use super::u256::U256;
use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug)]
pub struct LiquidationParams {
    pub close_factor: U256,
    pub full_liquidation_health: U256,
    pub dust_notional: U256,
    pub penalty_rate: U256,
    pub liquidator_share: U256,
    /// 0 = off (close factor); else the health a partial liquidation restores (>= WAD).
    pub target_health: U256,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LiquidationOut {
    pub fraction: U256,
    pub settlement: I256,
    pub closed_notional: U256,
    pub penalty: U256,
    pub penalty_charged: U256,
    pub liquidator_reward: U256,
    pub insurance_fee: U256,
    pub bad_debt: U256,
    pub covered: U256,
    pub socialized: U256,
    pub insurance_after: U256,
    pub equity_after: I256,
}

/// Inputs besides the positions (grouped: BPF passes at most five arguments in registers).
pub struct LiquidationIn<'a> {
    pub collateral: &'a [CollateralIn],
    pub settlement: I256,
    pub insurance_fund: U256,
    pub params: &'a LiquidationParams,
}

/// `targetHealth` is 0 (off) or >= WAD with `targetHealth * mmf > penaltyRate * WAD` (exact), so
/// closing any part of a position in a market of this `mmf` raises health (docs/protocol.md §8).
pub fn check_target(target_health: &U256, penalty_rate: &U256, mmf: &U256) -> Result<()> {
    if target_health.is_zero() {
        return Ok(());
    }
    if *target_health < U256::WAD || target_health.checked_mul(mmf)? <= penalty_rate.checked_mul(&U256::WAD)? {
        return Err(Error::InvalidParameter);
    }
    Ok(())
}

/// Smallest fraction whose close restores `target_health` after the penalty (docs/protocol.md §8):
/// `mulDivUp(target - equity, WAD, target - wMulUp(notional, penaltyRate))`, `target =
/// wMulUp(targetHealth, mmReq)`, at most WAD, WAD when the denominator is <= 0 (every rounding
/// closes more). Called below health 1, so equity < mmReq <= target.
fn target_fraction(mm_req: &U256, equity: &I256, total_notional: &U256, prm: &LiquidationParams) -> Result<U256> {
    let target = w_mul_up(&prm.target_health, mm_req)?;
    let all = w_mul_up(total_notional, &prm.penalty_rate)?;
    if target <= all {
        return Ok(U256::WAD);
    }
    let num = I256::from_u(target)?.checked_sub(equity)?.abs();
    let f = mul_div_up(&num, &U256::WAD, &target.checked_sub(&all)?)?;
    Ok(if f < U256::WAD { f } else { U256::WAD })
}

/// Liquidates in place: `positions[i].size` is reduced; returns the settlement and the split.
pub fn liquidate(inp: &LiquidationIn, positions: &mut [PositionIn]) -> Result<LiquidationOut> {
    let (collateral, settlement, insurance_fund, prm) = (inp.collateral, &inp.settlement, &inp.insurance_fund, inp.params);
    for f in [&prm.close_factor, &prm.full_liquidation_health, &prm.penalty_rate, &prm.liquidator_share] {
        if *f > U256::WAD {
            return Err(Error::InvalidParameter);
        }
    }
    if prm.close_factor.is_zero() {
        return Err(Error::InvalidParameter);
    }
    if !prm.target_health.is_zero() {
        for p in positions.iter() {
            check_target(&prm.target_health, &prm.penalty_rate, &p.mmf)?;
        }
    }
    let h = compute(&MarginIn { collateral, settlement: *settlement, positions })?;
    let wad = I256::from_u(U256::WAD)?;
    if h.mm_req.is_zero() || h.health >= wad {
        return Err(Error::AccountHealthy);
    }
    let mut total_notional = U256::ZERO;
    for p in positions.iter() {
        total_notional = total_notional.checked_add(&notional(&p.size, &p.mark)?)?;
    }
    let fraction = if h.health < I256::from_u(prm.full_liquidation_health)? || total_notional <= prm.dust_notional {
        U256::WAD
    } else if prm.target_health.is_zero() {
        prm.close_factor
    } else {
        target_fraction(&h.mm_req, &h.equity, &total_notional, prm)?
    };
    let mut settle = *settlement;
    let mut closed = U256::ZERO;
    for p in positions.iter_mut() {
        let abs = p.size.abs();
        let want = mul_div_up(&abs, &fraction, &U256::WAD)?;
        let close = if want < abs { want } else { abs };
        let signed = I256::new(p.size.is_neg(), close)?;
        // Realized = pnl(whole) - pnl(rest) (§8 step 3), not pnl(closed): the floors differ by a wei.
        let whole = pnl(&p.size, &p.entry, &p.mark)?;
        p.size = p.size.checked_sub(&signed)?;
        settle = settle.checked_add(&whole.checked_sub(&pnl(&p.size, &p.entry, &p.mark)?)?)?;
        closed = closed.checked_add(&mul_div_up(&close, &p.mark, &U256::WAD)?)?;
    }
    let penalty = w_mul_up(&closed, &prm.penalty_rate)?;
    let mut equity = I256::from_u(h.collateral_value)?.checked_add(&settle)?;
    let mut any_left = false;
    for p in positions.iter() {
        equity = equity.checked_add(&pnl(&p.size, &p.entry, &p.mark)?)?;
        any_left |= !p.size.abs().is_zero();
    }
    let avail = equity.max0();
    let charged = if penalty < avail { penalty } else { avail };
    settle = settle.checked_sub(&I256::from_u(charged)?)?;
    equity = equity.checked_sub(&I256::from_u(charged)?)?;
    let reward = w_mul_down(&charged, &prm.liquidator_share)?;
    let fee = charged.checked_sub(&reward)?;
    let mut out = LiquidationOut {
        fraction,
        settlement: settle,
        closed_notional: closed,
        penalty,
        penalty_charged: charged,
        liquidator_reward: reward,
        insurance_fee: fee,
        bad_debt: U256::ZERO,
        covered: U256::ZERO,
        socialized: U256::ZERO,
        insurance_after: insurance_fund.checked_add(&fee)?,
        equity_after: equity,
    };
    if !any_left && equity.is_neg() {
        let bad = equity.abs();
        let pool = out.insurance_after;
        let covered = if pool < bad { pool } else { bad };
        out.bad_debt = bad;
        out.covered = covered;
        out.socialized = bad.checked_sub(&covered)?;
        out.insurance_after = pool.checked_sub(&covered)?;
        out.settlement = settle.checked_add(&I256::from_u(bad)?)?;
        out.equity_after = I256::ZERO;
    }
    Ok(out)
}
