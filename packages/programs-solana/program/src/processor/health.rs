//! `health`: read-only; returns the account's margin figures as return data:
//! collateralValue, equity, imReq, mmReq, health (5 x 32 bytes big-endian, signed values in
//! two's complement; health = int256 max when mmReq == 0).
//!
//! Accounts:
//! 0. `[]` margin account
//! 1.. `[]` every asset and market the account uses

use super::util::{margin_account, margin_inputs, rest, zeroed, MarginInputs, Data};
use crate::account::Input;
use crate::error::Result;
use crate::math::i256::I256;
use crate::math::margin::{compute, MarginIn};
use crate::math::u256::U256;
use crate::sys;

fn twos(v: &I256) -> [u8; 32] {
    if !v.is_neg() {
        return v.abs().to_be();
    }
    let inv = U256(v.abs().0.map(|l| !l));
    inv.checked_add(&U256::ONE).unwrap_or(U256::ZERO).to_be()
}

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    Data::new(data).end()?;
    let acct = input.account(0, "margin account")?;
    let a = margin_account(input, &acct)?;
    let (accs, n) = rest(input, 1);
    let mut raw = core::mem::MaybeUninit::<MarginInputs>::uninit();
    let mi = zeroed(&mut raw);
    margin_inputs(input, a, &accs[..n], mi)?;
    let h = compute(&MarginIn { collateral: &mi.coll[..mi.n_coll], settlement: mi.settlement, positions: &mi.pos[..mi.n_pos] })?;
    let mut out = [0u8; 160];
    out[0..32].copy_from_slice(&h.collateral_value.to_be());
    out[32..64].copy_from_slice(&twos(&h.equity));
    out[64..96].copy_from_slice(&h.im_req.to_be());
    out[96..128].copy_from_slice(&h.mm_req.to_be());
    out[128..160].copy_from_slice(&twos(&h.health));
    sys::set_return_data(&out);
    Ok(())
}
