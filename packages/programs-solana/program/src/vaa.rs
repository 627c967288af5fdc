//! Wormhole VAA v1 parsing and quorum verification with sol_secp256k1_recover + sol_keccak256.

use crate::error::{fail, Error, Result};
use crate::state::guardian_set::{quorum, GuardianSet};
use crate::sys;

pub const SIG_LEN: usize = 66;
pub const BODY_HEADER_LEN: usize = 51;

/// One guardian signature: index, r||s, recovery id.
#[derive(Clone, Copy)]
pub struct Sig<'a> {
    pub index: u8,
    pub rs: &'a [u8; 64],
    pub v: u8,
}

/// A parsed VAA (borrowing the instruction data).
pub struct Vaa<'a> {
    pub guardian_set_index: u32,
    pub sigs: &'a [u8],
    pub n_sigs: usize,
    pub body: &'a [u8],
    pub timestamp: u32,
    pub emitter_chain: u16,
    pub emitter_address: [u8; 32],
    pub sequence: u64,
    pub payload: &'a [u8],
}

impl<'a> Vaa<'a> {
    pub fn sig(&self, i: usize) -> Sig<'a> {
        let s = &self.sigs[i * SIG_LEN..(i + 1) * SIG_LEN];
        Sig { index: s[0], rs: s[1..65].try_into().unwrap_or(&[0; 64]), v: s[65] }
    }
}

pub fn parse(b: &[u8]) -> Result<Vaa<'_>> {
    let version = *b.first().ok_or(Error::TruncatedVaa)?;
    if version != 1 {
        return Err(Error::InvalidVaaVersion);
    }
    if b.len() < 6 {
        return Err(Error::TruncatedVaa);
    }
    let gsi = u32::from_be_bytes([b[1], b[2], b[3], b[4]]);
    let n = b[5] as usize;
    let body_at = 6 + n * SIG_LEN;
    if b.len() < body_at + BODY_HEADER_LEN {
        return Err(Error::TruncatedVaa);
    }
    let body = &b[body_at..];
    let mut emitter_address = [0u8; 32];
    emitter_address.copy_from_slice(&body[10..42]);
    let mut seq = [0u8; 8];
    seq.copy_from_slice(&body[42..50]);
    Ok(Vaa {
        guardian_set_index: gsi,
        sigs: &b[6..body_at],
        n_sigs: n,
        body,
        timestamp: u32::from_be_bytes([body[0], body[1], body[2], body[3]]),
        emitter_chain: u16::from_be_bytes([body[8], body[9]]),
        emitter_address,
        sequence: u64::from_be_bytes(seq),
        payload: &body[BODY_HEADER_LEN..],
    })
}

/// Checks that `set` may sign now: the current set, or an older one inside its overlap window.
pub fn check_set_active(set: &GuardianSet, current_index: u32, now: i64) -> Result<()> {
    if set.index > current_index {
        return Err(fail(Error::GuardianSetUnknown, "guardian set index"));
    }
    if set.index != current_index && (set.expiration_time == 0 || (now as u64) > set.expiration_time) {
        return Err(Error::GuardianSetExpired);
    }
    Ok(())
}

/// Verifies `n` signatures (from `sig_at`) over `digest` = keccak256(keccak256(body)) against `set`.
pub fn verify_sigs<'a>(set: &GuardianSet, digest: &[u8; 32], n: usize, sig_at: impl Fn(usize) -> Sig<'a>) -> Result<()> {
    let count = set.count as usize;
    if n < quorum(count) {
        return Err(Error::QuorumNotMet);
    }
    // Per signature, in order (as core): ascending, index in range, recovers to that guardian.
    let mut last: i16 = -1;
    for i in 0..n {
        let s = sig_at(i);
        if (s.index as i16) <= last {
            return Err(Error::SignaturesNotAscending);
        }
        last = s.index as i16;
        if s.index as usize >= count {
            return Err(Error::GuardianIndexOutOfRange);
        }
        if s.v > 1 {
            return Err(fail(Error::InvalidSignature, "recovery id"));
        }
        let pk = sys::secp256k1_recover(digest, s.v, s.rs).ok_or(Error::InvalidSignature)?;
        let h = sys::keccak(&[&pk]);
        if h[12..32] != set.keys[s.index as usize] {
            return Err(Error::InvalidSignature);
        }
    }
    Ok(())
}

/// (keccak256(body), keccak256(keccak256(body))).
pub fn hashes(body: &[u8]) -> ([u8; 32], [u8; 32]) {
    let h = sys::keccak(&[body]);
    let d = sys::keccak(&[&h]);
    (h, d)
}
