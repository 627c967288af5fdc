//! Payload codecs of docs/protocol.md §4 (type, version, fixed big-endian fields).

use crate::error::{Error, Result};

pub const COLLATERAL_LOCKED: u8 = 1;
pub const WITHDRAWAL_APPROVED: u8 = 2;
pub const COLLATERAL_RELEASED: u8 = 3;
pub const PRICE_REPORT: u8 = 4;
pub const GUARDIAN_SET_UPGRADE: u8 = 5;
pub const MAX_PAYLOAD: usize = 1024;
pub const MAX_PRICES: usize = 15;
const WAD: u128 = 1_000_000_000_000_000_000;

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}
impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let s = self.b.get(self.at..self.at + n).ok_or(Error::TruncatedPayload)?;
        self.at += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16> {
        let s = self.take(2)?;
        Ok(u16::from_be_bytes([s[0], s[1]]))
    }
    fn u32(&mut self) -> Result<u32> {
        let s = self.take(4)?;
        Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u64(&mut self) -> Result<u64> {
        let mut w = [0u8; 8];
        w.copy_from_slice(self.take(8)?);
        Ok(u64::from_be_bytes(w))
    }
    fn u128(&mut self) -> Result<u128> {
        let mut w = [0u8; 16];
        w.copy_from_slice(self.take(16)?);
        Ok(u128::from_be_bytes(w))
    }
    fn b32(&mut self) -> Result<[u8; 32]> {
        let mut w = [0u8; 32];
        w.copy_from_slice(self.take(32)?);
        Ok(w)
    }
    fn end(&self) -> Result<()> {
        if self.at != self.b.len() { Err(Error::TrailingBytes) } else { Ok(()) }
    }
}

/// Checks size limit, type and version; returns a reader positioned after them.
fn header(b: &[u8], want: u8) -> Result<Reader<'_>> {
    if b.len() > MAX_PAYLOAD {
        return Err(Error::PayloadTooLarge);
    }
    let mut r = Reader { b, at: 0 };
    let t = r.u8()?;
    if !(COLLATERAL_LOCKED..=GUARDIAN_SET_UPGRADE).contains(&t) {
        return Err(Error::UnknownPayloadType);
    }
    if r.u8()? != 1 {
        return Err(Error::UnsupportedVersion);
    }
    if t != want {
        return Err(Error::UnknownPayloadType);
    }
    Ok(r)
}

fn nonzero_chain(c: u16) -> Result<u16> {
    if c == 0 { Err(Error::InvalidParameter) } else { Ok(c) }
}
fn positive(a: u128) -> Result<u128> {
    if a == 0 { Err(Error::ZeroAmount) } else { Ok(a) }
}

#[derive(Debug, PartialEq, Eq)]
pub struct CollateralLocked {
    pub destination_chain: u16,
    pub account: [u8; 32],
    pub asset: [u8; 32],
    pub amount: u128,
    pub depositor: [u8; 32],
}

pub fn decode_collateral_locked(b: &[u8]) -> Result<CollateralLocked> {
    let mut r = header(b, COLLATERAL_LOCKED)?;
    let p = CollateralLocked {
        destination_chain: r.u16()?,
        account: r.b32()?,
        asset: r.b32()?,
        amount: r.u128()?,
        depositor: r.b32()?,
    };
    r.end()?;
    nonzero_chain(p.destination_chain)?;
    positive(p.amount)?;
    Ok(p)
}

pub fn encode_collateral_locked(p: &CollateralLocked, out: &mut [u8; 116]) {
    out[0] = COLLATERAL_LOCKED;
    out[1] = 1;
    out[2..4].copy_from_slice(&p.destination_chain.to_be_bytes());
    out[4..36].copy_from_slice(&p.account);
    out[36..68].copy_from_slice(&p.asset);
    out[68..84].copy_from_slice(&p.amount.to_be_bytes());
    out[84..116].copy_from_slice(&p.depositor);
}

#[derive(Debug, PartialEq, Eq)]
pub struct WithdrawalApproved {
    pub origin_chain: u16,
    pub account: [u8; 32],
    pub asset: [u8; 32],
    pub amount: u128,
    pub recipient: [u8; 32],
    pub withdrawal_id: u64,
}

pub fn decode_withdrawal_approved(b: &[u8]) -> Result<WithdrawalApproved> {
    let mut r = header(b, WITHDRAWAL_APPROVED)?;
    let p = WithdrawalApproved {
        origin_chain: r.u16()?,
        account: r.b32()?,
        asset: r.b32()?,
        amount: r.u128()?,
        recipient: r.b32()?,
        withdrawal_id: r.u64()?,
    };
    r.end()?;
    nonzero_chain(p.origin_chain)?;
    positive(p.amount)?;
    Ok(p)
}

/// WithdrawalApproved: originChain, account, asset, amount, recipient, withdrawalId (124 bytes).
pub fn encode_withdrawal_approved(p: &WithdrawalApproved, out: &mut [u8; 124]) {
    out[0] = WITHDRAWAL_APPROVED;
    out[1] = 1;
    out[2..4].copy_from_slice(&p.origin_chain.to_be_bytes());
    out[4..36].copy_from_slice(&p.account);
    out[36..68].copy_from_slice(&p.asset);
    out[68..84].copy_from_slice(&p.amount.to_be_bytes());
    out[84..116].copy_from_slice(&p.recipient);
    out[116..124].copy_from_slice(&p.withdrawal_id.to_be_bytes());
}

#[derive(Debug, PartialEq, Eq)]
pub struct CollateralReleased {
    pub position_chain: u16,
    pub withdrawal_id: u64,
    pub asset: [u8; 32],
    pub amount: u128,
    pub recipient: [u8; 32],
}

pub fn decode_collateral_released(b: &[u8]) -> Result<CollateralReleased> {
    let mut r = header(b, COLLATERAL_RELEASED)?;
    let p = CollateralReleased { position_chain: r.u16()?, withdrawal_id: r.u64()?, asset: r.b32()?, amount: r.u128()?, recipient: r.b32()? };
    r.end()?;
    nonzero_chain(p.position_chain)?;
    positive(p.amount)?;
    Ok(p)
}

/// CollateralReleased: positionChain, withdrawalId, asset, amount, recipient (92 bytes).
pub fn encode_collateral_released(p: &CollateralReleased, out: &mut [u8; 92]) {
    out[0] = COLLATERAL_RELEASED;
    out[1] = 1;
    out[2..4].copy_from_slice(&p.position_chain.to_be_bytes());
    out[4..12].copy_from_slice(&p.withdrawal_id.to_be_bytes());
    out[12..44].copy_from_slice(&p.asset);
    out[44..60].copy_from_slice(&p.amount.to_be_bytes());
    out[60..92].copy_from_slice(&p.recipient);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PriceEntry {
    pub market_id: u32,
    pub price: u128,
    pub conf: u128,
    pub ema_price: u128,
    pub vol_multiplier: u128,
}

/// A decoded PriceReport; entries are read on demand from the (validated) bytes.
pub struct PriceReport<'a> {
    pub publish_time: u64,
    pub count: usize,
    entries: &'a [u8],
}

impl PriceReport<'_> {
    pub fn entry(&self, i: usize) -> PriceEntry {
        let b = &self.entries[i * 68..i * 68 + 68];
        let mut r = Reader { b, at: 0 };
        // Lengths were checked by decode_price_report.
        PriceEntry {
            market_id: r.u32().unwrap_or(0),
            price: r.u128().unwrap_or(0),
            conf: r.u128().unwrap_or(0),
            ema_price: r.u128().unwrap_or(0),
            vol_multiplier: r.u128().unwrap_or(0),
        }
    }
}

pub fn decode_price_report(b: &[u8]) -> Result<PriceReport<'_>> {
    let mut r = header(b, PRICE_REPORT)?;
    let publish_time = r.u64()?;
    let count = r.u8()? as usize;
    if count == 0 || count > MAX_PRICES {
        return Err(Error::NonCanonicalEncoding);
    }
    let entries = r.take(count * 68)?;
    r.end()?;
    let rep = PriceReport { publish_time, count, entries };
    // Value rules in field order, then canonical ordering (strictly ascending market ids).
    for i in 0..count {
        let e = rep.entry(i);
        if e.price == 0 || e.ema_price == 0 {
            return Err(Error::InvalidPrice);
        }
        if e.vol_multiplier < WAD {
            return Err(Error::InvalidParameter);
        }
    }
    for i in 1..count {
        if rep.entry(i).market_id <= rep.entry(i - 1).market_id {
            return Err(Error::NonCanonicalEncoding);
        }
    }
    Ok(rep)
}

pub struct GuardianSetUpgrade {
    pub target_chain: u16,
    pub new_index: u32,
    pub count: usize,
    pub keys: [[u8; 20]; crate::MAX_GUARDIANS],
}

pub fn decode_guardian_set_upgrade(b: &[u8]) -> Result<GuardianSetUpgrade> {
    let mut r = header(b, GUARDIAN_SET_UPGRADE)?;
    let target_chain = r.u16()?;
    let new_index = r.u32()?;
    let count = r.u8()? as usize;
    if count == 0 || count > crate::MAX_GUARDIANS {
        return Err(Error::NonCanonicalEncoding);
    }
    let mut keys = [[0u8; 20]; crate::MAX_GUARDIANS];
    for k in keys.iter_mut().take(count) {
        k.copy_from_slice(r.take(20)?);
    }
    r.end()?;
    for i in 0..count {
        if keys[i] == [0u8; 20] || keys[..i].contains(&keys[i]) {
            return Err(Error::NonCanonicalEncoding);
        }
    }
    Ok(GuardianSetUpgrade { target_chain, new_index, count, keys })
}
