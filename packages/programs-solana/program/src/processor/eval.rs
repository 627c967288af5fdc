//! `eval`: read-only; runs one of the program's own codecs or formulas on the given inputs and
//! returns the result as return data, so that the shared vectors (fixed_point, breaker,
//! payloads, vaa) can be checked against the compiled program. Writes no account.
//!
//! Data: what u8, then
//! - 0 fixed point: op u8 (0 mulDivDown, 1 mulDivUp, 2 wMulDown, 3 wMulUp, 4 wDivDown, 5 wDivUp,
//!   6 sqrtDown, 7 checkedAdd, 8 checkedSub, 9 checkedMul), a, b, d (uint256 big-endian)
//!   -> result (32 bytes big-endian).
//! - 1 breaker event: params (6 x u64), state (status u8, refPrice u128, refTime u64, lastPrice
//!   u128, lastUpdate u64, since u64, graceUntil u64), kind u8 (0 price, 1 tick, 2 check), t u64,
//!   price u128 | op u8 (0 open, 1 close, 2 withdraw, 3 credit, 4 lock, 5 liquidate) -> the state.
//! - 2 payload: the payload bytes -> its type byte.
//! - 3 VAA: set index u32, expiration u64, now u64, n u8, n x key [20]; the VAA is the data of
//!   account 0 (a VAA with 19 signatures is larger than a transaction)
//!   -> keccak256(body), digest, emitter chain u16, sequence u64, payload.
//!
//! Little-endian integers unless stated. All values little-endian in the returned state.

use super::util::Data;
use crate::account::Input;
use crate::error::{fail, Error, Result};
use crate::math::breaker::{self, BreakerParams, BreakerState, Op};
use crate::math::fixed;
use crate::math::u256::U256;
use crate::payload;
use crate::state::guardian_set::GuardianSet;
use crate::{sys, vaa, MAX_GUARDIANS};

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let mut d = Data::new(data);
    match d.u8()? {
        0 => fixed_point(&mut d),
        1 => breaker_event(&mut d),
        2 => {
            let b = d.rest();
            let t = match b.first() {
                Some(&payload::COLLATERAL_LOCKED) => kind(&payload::decode_collateral_locked(b), 1),
                Some(&payload::WITHDRAWAL_APPROVED) => kind(&payload::decode_withdrawal_approved(b), 2),
                Some(&payload::COLLATERAL_RELEASED) => kind(&payload::decode_collateral_released(b), 3),
                Some(&payload::PRICE_REPORT) => kind(&payload::decode_price_report(b), 4),
                Some(&payload::GUARDIAN_SET_UPGRADE) => kind(&payload::decode_guardian_set_upgrade(b), 5),
                // Size, empty and unknown types: the shared header check gives the error.
                _ => kind(&payload::decode_collateral_locked(b), 1),
            }?;
            sys::set_return_data(&[t]);
            Ok(())
        }
        3 => verify(input, &mut d),
        _ => Err(fail(Error::InvalidParameter, "eval: unknown request")),
    }
}

/// The type byte of a decoded payload (borrowing the result: no copy of large payloads).
fn kind<T>(r: &Result<T>, t: u8) -> Result<u8> {
    match r {
        Ok(_) => Ok(t),
        Err(e) => Err(*e),
    }
}

fn fixed_point(d: &mut Data) -> Result<()> {
    let op = d.u8()?;
    let a = U256::from_be(&d.b32()?);
    let b = U256::from_be(&d.b32()?);
    let c = U256::from_be(&d.b32()?);
    d.end()?;
    let r = match op {
        0 => fixed::mul_div_down(&a, &b, &c)?,
        1 => fixed::mul_div_up(&a, &b, &c)?,
        2 => fixed::w_mul_down(&a, &b)?,
        3 => fixed::w_mul_up(&a, &b)?,
        4 => fixed::w_div_down(&a, &b)?,
        5 => fixed::w_div_up(&a, &b)?,
        6 => fixed::sqrt_down(&a),
        7 => a.checked_add(&b)?,
        8 => a.checked_sub(&b)?,
        9 => a.checked_mul(&b)?,
        _ => return Err(fail(Error::InvalidParameter, "eval: unknown fixed-point op")),
    };
    sys::set_return_data(&r.to_be());
    Ok(())
}

fn breaker_event(d: &mut Data) -> Result<()> {
    let p = BreakerParams { max_move_bps: d.u64()?, window: d.u64()?, halt_duration: d.u64()?, cooldown: d.u64()?, max_oracle_gap: d.u64()?, liquidation_grace: d.u64()? };
    let mut s = BreakerState {
        status: d.u8()?,
        ref_price: U256::from_u128(d.u128()?),
        ref_time: d.u64()?,
        last_price: U256::from_u128(d.u128()?),
        last_update: d.u64()?,
        since: d.u64()?,
        grace_until: d.u64()?,
    };
    let kind = d.u8()?;
    let t = d.u64()?;
    match kind {
        0 => {
            let price = U256::from_u128(d.u128()?);
            d.end()?;
            breaker::on_price(&mut s, &p, t, &price)?;
        }
        1 => {
            d.end()?;
            breaker::tick(&mut s, &p, t);
        }
        2 => {
            let op = [Op::Open, Op::Close, Op::Withdraw, Op::Credit, Op::Lock, Op::Liquidate];
            let op = *op.get(d.u8()? as usize).ok_or_else(|| fail(Error::InvalidParameter, "eval: operation"))?;
            d.end()?;
            breaker::allowed(&s, op, t)?;
        }
        _ => return Err(fail(Error::InvalidParameter, "eval: breaker event kind")),
    }
    let mut out = [0u8; 65];
    out[0] = s.status;
    out[1..17].copy_from_slice(&s.ref_price.to_u128()?.to_le_bytes());
    out[17..25].copy_from_slice(&s.ref_time.to_le_bytes());
    out[25..41].copy_from_slice(&s.last_price.to_u128()?.to_le_bytes());
    out[41..49].copy_from_slice(&s.last_update.to_le_bytes());
    out[49..57].copy_from_slice(&s.since.to_le_bytes());
    out[57..65].copy_from_slice(&s.grace_until.to_le_bytes());
    sys::set_return_data(&out);
    Ok(())
}

fn verify(input: &Input, d: &mut Data) -> Result<()> {
    let mut raw = core::mem::MaybeUninit::<GuardianSet>::uninit();
    // SAFETY: the pointer covers size_of::<GuardianSet>() bytes; all-zero is a valid GuardianSet.
    let set = unsafe {
        sys::zero(raw.as_mut_ptr() as *mut u8, core::mem::size_of::<GuardianSet>());
        raw.assume_init_mut()
    };
    set.index = d.u32()?;
    set.expiration_time = d.u64()?;
    let now = d.u64()?;
    let n = d.u8()? as usize;
    if n == 0 || n > MAX_GUARDIANS {
        return Err(fail(Error::InvalidParameter, "eval: guardian count"));
    }
    set.count = n as u8;
    for k in set.keys.iter_mut().take(n) {
        k.copy_from_slice(d.take(20)?);
    }
    d.end()?;
    let acc = input.account(0, "eval: VAA account")?;
    let v = vaa::parse(acc.data())?;
    if v.guardian_set_index != set.index {
        return Err(Error::GuardianSetUnknown);
    }
    if set.expiration_time != 0 && now > set.expiration_time {
        return Err(Error::GuardianSetExpired);
    }
    let (hash, digest) = vaa::hashes(v.body);
    vaa::verify_sigs(set, &digest, v.n_sigs, |i| v.sig(i))?;
    let mut out = [0u8; 74 + payload::MAX_PAYLOAD];
    out[0..32].copy_from_slice(&hash);
    out[32..64].copy_from_slice(&digest);
    out[64..66].copy_from_slice(&v.emitter_chain.to_le_bytes());
    out[66..74].copy_from_slice(&v.sequence.to_le_bytes());
    let pl = v.payload.len().min(payload::MAX_PAYLOAD - 74);
    sys::copy(&mut out[74..74 + pl], &v.payload[..pl]);
    sys::set_return_data(&out[..74 + pl]);
    Ok(())
}
