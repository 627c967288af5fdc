//! Helpers shared by processors: a bounds-checked little-endian reader for instruction data,
//! admin checks, VAA consumption (replay PDA) and loading margin inputs from accounts.

use crate::account::{AccountInfo, Input};
use crate::cpi;
use crate::error::{fail, Error, Result};
use crate::math::breaker::{self, BreakerParams, BreakerState, Op};
use crate::math::i256::I256;
use crate::math::margin::{CollateralIn, PositionIn};
use crate::math::u256::U256;
use crate::pda;
use crate::state::margin_account::{MarginAccount, STATE_ACTIVE};
use crate::state::{self, i128_of, load, u128_of, Asset, Config, Consumed, Market, Pod};
use crate::sys;

/// Little-endian reader over instruction data; running out is `TruncatedPayload`.
pub struct Data<'a> {
    b: &'a [u8],
    at: usize,
}
impl<'a> Data<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        Data { b, at: 0 }
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let s = self.b.get(self.at..self.at + n).ok_or_else(|| fail(Error::TruncatedPayload, "instruction data too short"))?;
        self.at += n;
        Ok(s)
    }
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    pub fn u16(&mut self) -> Result<u16> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }
    pub fn u32(&mut self) -> Result<u32> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    pub fn u64(&mut self) -> Result<u64> {
        let mut w = [0u8; 8];
        w.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(w))
    }
    pub fn u128(&mut self) -> Result<u128> {
        let mut w = [0u8; 16];
        w.copy_from_slice(self.take(16)?);
        Ok(u128::from_le_bytes(w))
    }
    pub fn b32(&mut self) -> Result<[u8; 32]> {
        let mut w = [0u8; 32];
        w.copy_from_slice(self.take(32)?);
        Ok(w)
    }
    pub fn rest(&mut self) -> &'a [u8] {
        let s = &self.b[self.at..];
        self.at = self.b.len();
        s
    }
    /// Bytes not read yet.
    pub fn left(&self) -> usize {
        self.b.len() - self.at
    }
    /// `TrailingBytes` unless everything was read.
    pub fn end(&self) -> Result<()> {
        if self.at != self.b.len() { Err(fail(Error::TrailingBytes, "instruction data too long")) } else { Ok(()) }
    }
}

pub fn config<'a>(acc: &'a AccountInfo, program_id: &[u8; 32]) -> Result<&'a mut Config> {
    if acc.data_len() == crate::state::config::CONFIG_V1_LEN {
        return Err(fail(Error::InvalidParameter, "config account has the v1 layout (256 bytes, no target health): re-initialize"));
    }
    load::<Config>(acc, program_id, Error::InvalidParameter, "config account")
}

/// Loads the config and checks `admin` signed and is the configured admin.
pub fn admin_config<'a>(input: &'a Input, admin: &AccountInfo, cfg: &'a AccountInfo) -> Result<&'a mut Config> {
    admin.expect_signer("admin signature")?;
    let c = config(cfg, input.program_id)?;
    if &c.admin != admin.key() {
        return Err(fail(Error::Unauthorized, "not the admin"));
    }
    Ok(c)
}

pub fn check_pause(c: &Config, bit: u16) -> Result<()> {
    if c.pause & bit != 0 {
        return Err(Error::OperationPaused);
    }
    Ok(())
}

/// Seeds of a PDA and the role name logged when the account is wrong.
pub struct Seeds<'a> {
    pub seeds: &'a [&'a [u8]],
    pub what: &'a str,
}

/// Creates the canonical PDA for `seeds` (plus bump) as a zeroed `T`, returns it initialized.
pub fn create<'a, T: Pod>(input: &Input, payer: &AccountInfo, acc: &'a AccountInfo, s: &Seeds) -> Result<&'a mut T> {
    let (seeds, what) = (s.seeds, s.what);
    let bump = pda::canonical_bump(acc, seeds, input.program_id).ok_or_else(|| fail(Error::InvalidParameter, what))?;
    if acc.owner() == input.program_id {
        return Err(fail(Error::InvalidParameter, what));
    }
    let b = [bump];
    if seeds.len() > 3 {
        return Err(fail(Error::InvalidParameter, "too many seeds"));
    }
    let pick = |i: usize| -> &[u8] {
        if i < seeds.len() { seeds[i] } else if i == seeds.len() { &b } else { &[] }
    };
    let all: [&[u8]; 4] = [pick(0), pick(1), pick(2), pick(3)];
    cpi::create_pda(&cpi::NewAccount { payer, account: acc, space: T::LEN, owner: input.program_id, seeds: &all[..seeds.len() + 1] })?;
    let t = state::init_mut::<T>(acc.data_mut()).ok_or_else(|| fail(Error::InvalidParameter, what))?;
    // SAFETY: every Pod layout has `bump` as its second byte.
    unsafe { *((t as *mut T as *mut u8).add(1)) = bump };
    Ok(t)
}

/// Records `body_hash` as consumed by creating `["consumed", body_hash]`; `VaaAlreadyConsumed` if it exists.
pub fn consume(input: &Input, payer: &AccountInfo, acc: &AccountInfo, body_hash: &[u8; 32]) -> Result<()> {
    if acc.owner() == input.program_id && acc.data_len() > 0 {
        return Err(Error::VaaAlreadyConsumed);
    }
    let c = create::<Consumed>(input, payer, acc, &Seeds { seeds: &[pda::SEED_CONSUMED, body_hash], what: "consumed account" })?;
    c.body_hash = *body_hash;
    Ok(())
}

pub fn now() -> u64 {
    let t = sys::unix_timestamp();
    if t < 0 { 0 } else { t as u64 }
}

pub fn u(v: &[u64; 2]) -> U256 {
    U256::from_u128(u128_of(v))
}

/// Breaker state of a market as the math module's struct, and back.
pub fn breaker_of(m: &Market) -> (BreakerState, BreakerParams) {
    (
        BreakerState {
            status: m.status,
            ref_price: u(&m.ref_price),
            ref_time: m.ref_time,
            last_price: u(&m.last_price),
            last_update: m.last_update,
            since: m.since,
            grace_until: m.grace_until,
        },
        BreakerParams {
            max_move_bps: m.max_move_bps,
            window: m.window,
            halt_duration: m.halt_duration,
            cooldown: m.cooldown,
            max_oracle_gap: m.max_oracle_gap,
            liquidation_grace: m.liquidation_grace,
        },
    )
}

pub fn store_breaker(m: &mut Market, s: &BreakerState) -> Result<()> {
    m.status = s.status;
    m.ref_price = state::w_of(s.ref_price.to_u128()?);
    m.ref_time = s.ref_time;
    m.last_price = state::w_of(s.last_price.to_u128()?);
    m.last_update = s.last_update;
    m.since = s.since;
    m.grace_until = s.grace_until;
    Ok(())
}

/// Ticks the market's breaker to now and checks `op` is allowed.
pub fn breaker_check(m: &mut Market, op: Op) -> Result<()> {
    let (mut s, p) = breaker_of(m);
    let r = breaker::check(&mut s, &p, op, now());
    store_breaker(m, &s)?;
    r
}

/// Finds the market with `id` among `accs`.
pub fn find_market<'a>(input: &Input, accs: &'a [AccountInfo], id: u32) -> Result<&'a mut Market> {
    for a in accs {
        if let Ok(m) = load::<Market>(a, input.program_id, Error::UnknownMarket, "market") {
            if m.id == id {
                return Ok(m);
            }
        }
    }
    Err(fail(Error::UnknownMarket, "market account missing"))
}

/// Collects accounts `from..input.count` (assets and markets the health check needs).
pub fn rest(input: &Input, from: usize) -> ([AccountInfo; 12], usize) {
    let mut out: [Option<AccountInfo>; 12] = [None; 12];
    let mut n = 0;
    for i in from..input.count {
        if n < 12 {
            out[n] = input.accounts[i];
            n += 1;
        }
    }
    let first = input.accounts[0].unwrap_or_else(|| sys::abort());
    (core::array::from_fn(|i| out[i].unwrap_or(first)), n)
}

pub struct MarginInputs {
    pub coll: [CollateralIn; 4],
    pub n_coll: usize,
    pub pos: [PositionIn; 4],
    pub n_pos: usize,
    pub settlement: I256,
}

/// Zeroes `mi` in place (all-zero is a valid MarginInputs: integers, bools and arrays of them).
pub fn zeroed(mi: &mut core::mem::MaybeUninit<MarginInputs>) -> &mut MarginInputs {
    // SAFETY: the pointer covers size_of::<MarginInputs>() bytes; all-zero is a valid value.
    unsafe {
        sys::zero(mi.as_mut_ptr() as *mut u8, core::mem::size_of::<MarginInputs>());
        mi.assume_init_mut()
    }
}

/// Fills `mi` with the health inputs of `acct` from the asset and market accounts in `accs`.
/// (An out-parameter: the struct is ~1.2 KB and BPF cannot call memcpy to move it.)
pub fn margin_inputs(input: &Input, acct: &MarginAccount, accs: &[AccountInfo], mi: &mut MarginInputs) -> Result<()> {
    mi.settlement = I256::from_i128(i128_of(&acct.settlement));
    mi.n_coll = 0;
    mi.n_pos = 0;
    for e in acct.collateral.iter().take(acct.n_collateral as usize) {
        let asset = find_asset(input, accs, &e.asset_id)?;
        let m = find_market(input, accs, asset.price_market)?;
        let weight = if e.state == STATE_ACTIVE { u(&asset.weight) } else { u(&asset.pending_weight) };
        let c = &mut mi.coll[mi.n_coll];
        c.amount = u(&e.amount);
        c.decimals = asset.decimals;
        c.price = u(&m.mark_price);
        c.weight = weight;
        mi.n_coll += 1;
    }
    for p in acct.positions.iter().take(acct.n_positions as usize) {
        let m = find_market(input, accs, p.market)?;
        let x = &mut mi.pos[mi.n_pos];
        x.size = I256::from_i128(i128_of(&p.size));
        x.entry = u(&p.entry_price);
        x.mark = u(&m.mark_price);
        x.imf = u(&m.imf);
        x.mmf = u(&m.mmf);
        x.vol = u(&m.vol_multiplier);
        mi.n_pos += 1;
    }
    Ok(())
}

pub fn find_asset<'a>(input: &Input, accs: &'a [AccountInfo], id: &[u8; 32]) -> Result<&'a mut Asset> {
    for a in accs {
        if let Ok(x) = load::<Asset>(a, input.program_id, Error::UnknownAsset, "asset") {
            if &x.asset_id == id {
                return Ok(x);
            }
        }
    }
    Err(fail(Error::UnknownAsset, "asset account missing"))
}

pub fn margin_account<'a>(input: &Input, acc: &'a AccountInfo) -> Result<&'a mut MarginAccount> {
    load::<MarginAccount>(acc, input.program_id, Error::UnknownAccount, "margin account")
}
