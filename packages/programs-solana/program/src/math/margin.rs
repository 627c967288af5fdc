//! Account health, docs/protocol.md §7. Pure functions over already-loaded values.

use super::fixed::{mul_div_down, mul_div_up, w_mul_down, w_mul_up};
use super::i256::I256;
use super::u256::U256;
use crate::error::Result;

/// One collateral entry with the weight that applies to its state (active: weight, pending: pendingWeight).
#[derive(Clone, Copy, Debug)]
pub struct CollateralIn {
    pub amount: U256,
    pub decimals: u8,
    pub price: U256,
    pub weight: U256,
}

/// One position with its market's parameters.
#[derive(Clone, Copy, Debug)]
pub struct PositionIn {
    pub size: I256,
    pub entry: U256,
    pub mark: U256,
    pub imf: U256,
    pub mmf: U256,
    pub vol: U256,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Health {
    pub collateral_value: U256,
    pub equity: I256,
    pub im_req: U256,
    pub mm_req: U256,
    /// floorDiv(equity * WAD, mmReq); `I256::MAX` when mmReq == 0.
    pub health: I256,
}

pub fn collateral_value(c: &[CollateralIn]) -> Result<U256> {
    let mut total = U256::ZERO;
    for e in c {
        if e.price.is_zero() {
            return Err(crate::error::Error::InvalidPrice);
        }
        let v = mul_div_down(&e.amount, &e.price, &U256::pow10(e.decimals)?)?;
        total = total.checked_add(&w_mul_down(&v, &e.weight)?)?;
    }
    Ok(total)
}

/// floorDiv(size * (mark - entry), WAD).
pub fn pnl(size: &I256, entry: &U256, mark: &U256) -> Result<I256> {
    let diff = I256::from_u(*mark)?.checked_sub(&I256::from_u(*entry)?)?;
    size.checked_mul(&diff)?.floor_div(&U256::WAD)
}

/// mulDivUp(|size|, mark, WAD).
pub fn notional(size: &I256, mark: &U256) -> Result<U256> {
    mul_div_up(&size.abs(), mark, &U256::WAD)
}

/// wMulUp(wMulUp(notional, fraction), volMultiplier).
pub fn requirement(notional: &U256, fraction: &U256, vol: &U256) -> Result<U256> {
    w_mul_up(&w_mul_up(notional, fraction)?, vol)
}

pub fn health_of(equity: &I256, mm_req: &U256) -> Result<I256> {
    if mm_req.is_zero() {
        return Ok(I256::MAX);
    }
    equity.checked_mul(&I256::from_u(U256::WAD)?)?.floor_div(mm_req)
}

/// Everything the health formulas read (grouped: BPF passes at most five arguments in registers).
pub struct MarginIn<'a> {
    pub collateral: &'a [CollateralIn],
    pub settlement: I256,
    pub positions: &'a [PositionIn],
}

pub fn compute(m: &MarginIn) -> Result<Health> {
    let (c, settlement, p) = (m.collateral, &m.settlement, m.positions);
    let cv = collateral_value(c)?;
    let mut equity = I256::from_u(cv)?.checked_add(settlement)?;
    let mut im = U256::ZERO;
    let mut mm = U256::ZERO;
    for pos in p {
        if pos.entry.is_zero() || pos.mark.is_zero() {
            return Err(crate::error::Error::InvalidPrice);
        }
        equity = equity.checked_add(&pnl(&pos.size, &pos.entry, &pos.mark)?)?;
        let n = notional(&pos.size, &pos.mark)?;
        im = im.checked_add(&requirement(&n, &pos.imf, &pos.vol)?)?;
        mm = mm.checked_add(&requirement(&n, &pos.mmf, &pos.vol)?)?;
    }
    Ok(Health { collateral_value: cv, equity, im_req: im, mm_req: mm, health: health_of(&equity, &mm)? })
}
