//! One trade on one position at the mark price, docs/protocol.md §7 (reproduces core's `trade`).

use super::fixed::{mul_div_down, mul_div_up, w_mul_up};
use super::i256::I256;
use super::margin::pnl;
use super::u256::U256;
use crate::error::{Error, Result};

/// A position before or after a trade (size 0 = no position).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    pub size: I256,
    pub entry: U256,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TradeOut {
    pub pos: Pos,
    pub realized: I256,
    pub fee: U256,
    /// The trade increased |size| or flipped its side (then initial margin must hold).
    pub adds_exposure: bool,
}

/// Inputs grouped (BPF passes at most five arguments in registers).
pub struct TradeIn {
    pub old: Pos,
    pub delta: I256,
    pub mark: U256,
    pub fee_rate: U256,
}

/// Opens, increases, reduces, closes or flips. Increase: size-weighted entry rounded up for
/// longs, down for shorts. Reduce: realizes pnl(old) - pnl(remaining) at the same entry; a flip
/// realizes all of pnl(old) and opens the rest at mark. Fee: wMulUp(mulDivUp(|delta|, mark, WAD), feeRate).
pub fn trade(t: &TradeIn) -> Result<TradeOut> {
    let (old, delta, mark) = (&t.old, &t.delta, &t.mark);
    if delta.abs().is_zero() {
        return Err(Error::ZeroAmount);
    }
    if t.fee_rate > U256::WAD {
        return Err(Error::InvalidParameter);
    }
    let entry = if old.size.abs().is_zero() { *mark } else { old.entry };
    let next = old.size.checked_add(delta)?;
    let same_side = old.size.abs().is_zero() || old.size.is_neg() == delta.is_neg();
    let (pos, realized) = if same_side {
        let num = old.size.abs().checked_mul(&entry)?.checked_add(&delta.abs().checked_mul(mark)?)?;
        let e = if next.is_neg() { mul_div_down(&num, &U256::ONE, &next.abs())? } else { mul_div_up(&num, &U256::ONE, &next.abs())? };
        (Pos { size: next, entry: e }, I256::ZERO)
    } else {
        let flips = delta.abs() > old.size.abs();
        let before = pnl(&old.size, &entry, mark)?;
        let after = if flips { I256::ZERO } else { pnl(&next, &entry, mark)? };
        (Pos { size: next, entry: if flips { *mark } else { entry } }, before.checked_sub(&after)?)
    };
    let fee = w_mul_up(&mul_div_up(&delta.abs(), mark, &U256::WAD)?, &t.fee_rate)?;
    let flipped = !old.size.abs().is_zero() && !next.abs().is_zero() && old.size.is_neg() != next.is_neg();
    Ok(TradeOut { pos, realized, fee, adds_exposure: next.abs() > old.size.abs() || flipped })
}
