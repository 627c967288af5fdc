//! `open_position`: trades `size` (signed WAD base units) in a market at its mark price: opens,
//! increases, reduces, closes or flips the account's position there (docs/protocol.md §7). The
//! fee goes to the insurance fund. A trade that adds exposure must leave equity >= initial
//! requirement (`InsufficientMargin`); a pure reduction is always allowed.
//!
//! Accounts:
//! 0. `[signer]` owner
//! 1. `[writable]` margin account `["account", owner]`
//! 2. `[writable]` config (insurance fund receives the fee)
//! 3.. `[writable]` the position's market, plus every asset and market the account uses
//!
//! Data: market u32, size i128 (non-zero).

use super::util::{breaker_check, check_pause, config, find_market, margin_account, margin_inputs, rest, u, zeroed, Data, MarginInputs};
use crate::account::{AccountInfo, Input};
use crate::error::{fail, Error, Result};
use crate::math::breaker::Op;
use crate::math::i256::I256;
use crate::math::margin::{compute, MarginIn};
use crate::math::trade::{trade, Pos, TradeIn};
use crate::state::config::PAUSE_OPEN;
use crate::state::margin_account::{PositionEntry, MAX_POSITIONS};
use crate::state::{i128_of, w_of, w_of_i, Config, MarginAccount};

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
    if size == 0 {
        return Err(Error::ZeroAmount);
    }
    if size == i128::MIN {
        return Err(Error::InvalidAmount);
    }
    let (accs, n) = rest(input, 3);
    apply(&mut Trade { input, a, c, accs: &accs[..n], market_id, delta: I256::from_i128(size) })
}

/// A trade request with everything it touches (grouped: BPF passes five arguments in registers).
pub struct Trade<'a, 'b> {
    pub input: &'a Input<'b>,
    pub a: &'a mut MarginAccount,
    pub c: &'a mut Config,
    pub accs: &'a [AccountInfo],
    pub market_id: u32,
    pub delta: I256,
}

/// Applies the trade to the account (shared with `close_position`).
#[inline(never)]
pub fn apply(t: &mut Trade) -> Result<()> {
    let (input, accs, market_id) = (t.input, t.accs, t.market_id);
    let a: &mut MarginAccount = t.a;
    let c: &mut Config = t.c;
    let (mark, fee_rate) = {
        let m = find_market(input, accs, market_id)?;
        (u(&m.mark_price), u(&m.fee_rate))
    };
    if mark.is_zero() {
        return Err(fail(Error::InvalidPrice, "market has no price yet"));
    }
    let np = a.n_positions as usize;
    let idx = a.positions.iter().take(np).position(|p| p.market == market_id);
    let old = match idx {
        Some(i) => Pos { size: I256::from_i128(i128_of(&a.positions[i].size)), entry: u(&a.positions[i].entry_price) },
        None => Pos { size: I256::ZERO, entry: mark },
    };
    let out = trade(&TradeIn { old, delta: t.delta, mark, fee_rate })?;
    breaker_check(find_market(input, accs, market_id)?, if out.adds_exposure { Op::Open } else { Op::Close })?;
    let entry = PositionEntry { market: market_id, _pad: [0; 4], size: w_of_i(out.pos.size.to_i128()?), entry_price: w_of(out.pos.entry.to_u128()?) };
    match (idx, out.pos.size.abs().is_zero()) {
        (Some(i), true) => {
            for k in i..np - 1 {
                a.positions[k] = a.positions[k + 1];
            }
            a.n_positions -= 1;
        }
        (Some(i), false) => a.positions[i] = entry,
        (None, _) => {
            if np >= MAX_POSITIONS {
                return Err(fail(Error::CapExceeded, "positions full"));
            }
            a.positions[np] = entry;
            a.n_positions += 1;
        }
    }
    let s = I256::from_i128(i128_of(&a.settlement)).checked_add(&out.realized)?.checked_sub(&I256::from_u(out.fee)?)?;
    a.settlement = w_of_i(s.to_i128()?);
    c.insurance_fund = w_of(u(&c.insurance_fund).checked_add(&out.fee)?.to_u128()?);
    if out.adds_exposure {
        let mut raw = core::mem::MaybeUninit::<MarginInputs>::uninit();
        let mi = zeroed(&mut raw);
        margin_inputs(input, a, accs, mi)?;
        let h = compute(&MarginIn { collateral: &mi.coll[..mi.n_coll], settlement: mi.settlement, positions: &mi.pos[..mi.n_pos] })?;
        if h.equity < I256::from_u(h.im_req)? {
            return Err(Error::InsufficientMargin);
        }
    }
    Ok(())
}
