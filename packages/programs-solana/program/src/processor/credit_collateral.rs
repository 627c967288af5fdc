//! `credit_collateral`: verifies a CollateralLocked VAA and credits the margin account.
//!
//! The VAA travels in a compact, lossless encoding so that 13 signatures fit in one
//! transaction: fields the program already knows (emitter, asset, destination chain, payload
//! type/version, owner of an existing account) are taken from the accounts and the exact VAA
//! body is rebuilt on chain, then hashed and checked against the guardian signatures. A wrong
//! account therefore yields a different digest and `InvalidSignature`.
//!
//! Accounts:
//! 0. `[writable, signer]` payer (relayer)
//! 1. `[]` config
//! 2. `[]` guardian set (current or inside its overlap window)
//! 3. `[]` emitter (registered origin vault)
//! 4. `[]` asset `["asset", asset_id]`
//! 5. `[writable]` consumed PDA `["consumed", keccak256(body)]`
//! 6. `[writable]` margin account `["account", owner]` (created if missing)
//! 7. `[]` system program
//!
//! Data: flags u8 (bit 0: owner follows), [owner 32], guardian_set_index u32, timestamp u32,
//! nonce u32, sequence u64, consistency u8, amount (len u8 + big-endian bytes, len <= 16),
//! depositor (leading-zero count u8 + the remaining bytes), n u8, n x (index | v << 7 u8, r||s 64).

use super::util::{Seeds, check_pause, config, consume, create, margin_account, now, Data};
use crate::account::Input;
use crate::error::{fail, Error, Result};
use crate::payload::{encode_collateral_locked, CollateralLocked};
use crate::pda::SEED_ACCOUNT;
use crate::state::config::PAUSE_CREDIT;
use crate::state::emitter::ROLE_VAULT;
use crate::state::margin_account::{CollateralEntry, MAX_COLLATERAL, STATE_ACTIVE};
use crate::state::{load, u128_of, w_of, Asset, Emitter, GuardianSet, MarginAccount};
use crate::vaa::{self, Sig};

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let payer = input.account(0, "payer")?;
    let cfg = input.account(1, "config")?;
    let gs = input.account(2, "guardian set")?;
    let em = input.account(3, "emitter")?;
    let asset_acc = input.account(4, "asset")?;
    let consumed = input.account(5, "consumed")?;
    let acct = input.account(6, "margin account")?;
    payer.expect_signer("payer signature")?;
    let c = config(&cfg, input.program_id)?;
    check_pause(c, PAUSE_CREDIT)?;

    let mut d = Data::new(data);
    let flags = d.u8()?;
    if flags > 1 {
        return Err(fail(Error::NonCanonicalEncoding, "flags"));
    }
    let exists = acct.owner() == input.program_id;
    let owner = if flags & 1 == 1 {
        d.b32()?
    } else if exists {
        margin_account(input, &acct)?.owner
    } else {
        return Err(fail(Error::UnknownAccount, "new margin account needs the owner in the data"));
    };
    let gsi = d.u32()?;
    let head = d.take(17)?; // timestamp, nonce, sequence, consistency (big-endian, as in the body)
    let alen = d.u8()? as usize;
    if alen > 16 {
        return Err(fail(Error::NonCanonicalEncoding, "amount length"));
    }
    let mut amount_be = [0u8; 16];
    crate::sys::copy(&mut amount_be[16 - alen..], d.take(alen)?);
    let zeros = d.u8()? as usize;
    if zeros > 32 {
        return Err(fail(Error::NonCanonicalEncoding, "depositor zero count"));
    }
    let mut depositor = [0u8; 32];
    crate::sys::copy(&mut depositor[zeros..], d.take(32 - zeros)?);
    let n = d.u8()? as usize;
    let sigs = d.take(n * 65)?;
    d.end()?;

    let set = load::<GuardianSet>(&gs, input.program_id, Error::GuardianSetUnknown, "guardian set")?;
    if set.is_oracle != 0 || set.index != gsi {
        return Err(fail(Error::GuardianSetUnknown, "guardian set index"));
    }
    vaa::check_set_active(set, c.guardian_set_index, now() as i64)?;
    let e = load::<Emitter>(&em, input.program_id, Error::UnknownEmitter, "emitter")?;
    if e.role != ROLE_VAULT {
        return Err(fail(Error::UnknownEmitter, "emitter is not a vault"));
    }
    let asset = load::<Asset>(&asset_acc, input.program_id, Error::UnknownAsset, "asset")?;

    // Rebuild the body exactly as the guardians signed it.
    let amount = u128::from_be_bytes(amount_be);
    if amount == 0 {
        return Err(Error::ZeroAmount);
    }
    let mut body = [0u8; 51 + 116];
    body[0..8].copy_from_slice(&head[0..8]);
    body[8..10].copy_from_slice(&e.chain.to_be_bytes());
    body[10..42].copy_from_slice(&e.address);
    body[42..51].copy_from_slice(&head[8..17]);
    let p = CollateralLocked { destination_chain: c.chain_id, account: owner, asset: asset.asset_id, amount, depositor };
    let mut pl = [0u8; 116];
    encode_collateral_locked(&p, &mut pl);
    body[51..].copy_from_slice(&pl);
    let (body_hash, digest) = vaa::hashes(&body);
    vaa::verify_sigs(set, &digest, n, |i| {
        let s = &sigs[i * 65..i * 65 + 65];
        Sig { index: s[0] & 0x7f, v: s[0] >> 7, rs: s[1..65].try_into().unwrap_or(&[0; 64]) }
    })?;
    consume(input, &payer, &consumed, &body_hash)?;

    let a: &mut MarginAccount = if exists {
        let a = margin_account(input, &acct)?;
        if a.owner != owner {
            return Err(fail(Error::UnknownAccount, "margin account owner"));
        }
        a
    } else {
        let a = create::<MarginAccount>(input, &payer, &acct, &Seeds { seeds: &[SEED_ACCOUNT, &owner], what: "margin account PDA" })?;
        a.owner = owner;
        a
    };
    credit(a, &asset.asset_id, amount)
}

/// Adds `amount` of `asset_id` (active) to the account's collateral.
pub fn credit(a: &mut MarginAccount, asset_id: &[u8; 32], amount: u128) -> Result<()> {
    let n = a.n_collateral as usize;
    for e in a.collateral.iter_mut().take(n) {
        if &e.asset_id == asset_id && e.state == STATE_ACTIVE {
            let v = u128_of(&e.amount).checked_add(amount).ok_or(Error::Overflow)?;
            e.amount = w_of(v);
            return Ok(());
        }
    }
    if n >= MAX_COLLATERAL {
        return Err(fail(Error::CapExceeded, "collateral entries full"));
    }
    a.collateral[n] = CollateralEntry { asset_id: *asset_id, amount: w_of(amount), state: STATE_ACTIVE, _pad: [0; 7] };
    a.n_collateral += 1;
    Ok(())
}
