//! Program-derived addresses. Accounts are created only at the canonical bump (found with
//! `find_program_address`), so a seed set maps to exactly one account: replay protection and the
//! one-account-per-owner rule cannot be bypassed with another bump.

use crate::account::AccountInfo;
use crate::sys;

pub const SEED_CONFIG: &[u8] = b"config";
pub const SEED_GUARDIAN_SET: &[u8] = b"guardian_set";
pub const SEED_ORACLE_SET: &[u8] = b"oracle_set";
pub const SEED_EMITTER: &[u8] = b"emitter";
pub const SEED_ASSET: &[u8] = b"asset";
pub const SEED_VAULT: &[u8] = b"vault";
pub const SEED_AUTHORITY: &[u8] = b"authority";
pub const SEED_MESSAGE: &[u8] = b"message";
pub const SEED_CONSUMED: &[u8] = b"consumed";
pub const SEED_ACCOUNT: &[u8] = b"account";
pub const SEED_MARKET: &[u8] = b"market";

/// The bump if `acc` is the canonical PDA of `seeds`, else None.
pub fn canonical_bump(acc: &AccountInfo, seeds: &[&[u8]], program_id: &[u8; 32]) -> Option<u8> {
    match sys::find_program_address(seeds, program_id) {
        Some((key, bump)) if &key == acc.key() => Some(bump),
        _ => None,
    }
}
