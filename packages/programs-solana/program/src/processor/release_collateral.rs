//! `release_collateral`: pays out a WithdrawalApproved from the registered margin engine and
//! emits CollateralReleased.
//!
//! Accounts:
//! 0. `[writable, signer]` payer
//! 1. `[writable]` config
//! 2. `[]` guardian set
//! 3. `[]` emitter (registered margin engine)
//! 4. `[writable]` asset (local)
//! 5. `[writable]` consumed PDA `["consumed", keccak256(body)]`
//! 6. `[writable]` vault token account
//! 7. `[writable]` recipient token account (owner = payload recipient, mint = asset)
//! 8. `[]` vault authority PDA `["authority"]`
//! 9. `[writable]` message PDA `["message", sequence u64 LE]`
//! 10. `[]` system program
//! 11. `[]` SPL Token program
//!
//! Data: the VAA (Wormhole v1 bytes).

use super::util::{Seeds, check_pause, config, consume, create, now};
use crate::account::Input;
use crate::cpi::{self, TOKEN_PROGRAM_ID};
use crate::error::{fail, Error, Result};
use crate::payload::{decode_withdrawal_approved, encode_collateral_released, CollateralReleased};
use crate::pda::{SEED_AUTHORITY, SEED_MESSAGE};
use crate::state::config::PAUSE_WITHDRAW;
use crate::state::emitter::ROLE_ENGINE;
use crate::state::{load, Asset, Emitter, GuardianSet, Message};
use crate::{sys, vaa};

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let payer = input.account(0, "payer")?;
    let cfg = input.account(1, "config")?;
    let gs = input.account(2, "guardian set")?;
    let em = input.account(3, "emitter")?;
    let asset_acc = input.account(4, "asset")?;
    let consumed = input.account(5, "consumed")?;
    let vault = input.account(6, "vault")?;
    let dest = input.account(7, "recipient token account")?;
    let authority = input.account(8, "vault authority")?;
    let msg_acc = input.account(9, "message")?;
    payer.expect_signer("payer signature")?;
    let c = config(&cfg, input.program_id)?;
    check_pause(c, PAUSE_WITHDRAW)?;
    let v = vaa::parse(data)?;
    let set = load::<GuardianSet>(&gs, input.program_id, Error::GuardianSetUnknown, "guardian set")?;
    if set.is_oracle != 0 || set.index != v.guardian_set_index {
        return Err(fail(Error::GuardianSetUnknown, "guardian set index"));
    }
    vaa::check_set_active(set, c.guardian_set_index, now() as i64)?;
    let (body_hash, digest) = vaa::hashes(v.body);
    vaa::verify_sigs(set, &digest, v.n_sigs, |i| v.sig(i))?;
    let e = load::<Emitter>(&em, input.program_id, Error::UnknownEmitter, "emitter")?;
    if e.role != ROLE_ENGINE || e.chain != v.emitter_chain || e.address != v.emitter_address {
        return Err(Error::UnknownEmitter);
    }
    let p = decode_withdrawal_approved(v.payload)?;
    if p.origin_chain != c.chain_id {
        return Err(Error::WrongDestinationChain);
    }
    let asset = load::<Asset>(&asset_acc, input.program_id, Error::UnknownAsset, "asset")?;
    if asset.asset_id != p.asset || asset.is_local != 1 {
        return Err(fail(Error::UnknownAsset, "payload asset"));
    }
    vault.expect_key(&asset.vault, "vault does not belong to the asset")?;
    let amount: u64 = p.amount.try_into().map_err(|_| Error::InvalidAmount)?;
    if dest.owner() != &TOKEN_PROGRAM_ID || dest.data_len() != 165 || dest.data()[0..32] != asset.asset_id || dest.data()[32..64] != p.recipient {
        return Err(fail(Error::InvalidParameter, "recipient token account (owner/mint)"));
    }
    asset.total_locked = asset.total_locked.checked_sub(amount).ok_or(Error::InsufficientCollateral)?;
    consume(input, &payer, &consumed, &body_hash)?;

    let seq = c.message_sequence;
    let mut bytes = [0u8; 92];
    encode_collateral_released(&CollateralReleased { position_chain: v.emitter_chain, withdrawal_id: p.withdrawal_id, asset: p.asset, amount: p.amount, recipient: p.recipient }, &mut bytes);
    let m = create::<Message>(input, &payer, &msg_acc, &Seeds { seeds: &[SEED_MESSAGE, &seq.to_le_bytes()], what: "message PDA" })?;
    m.sequence = seq;
    m.timestamp = now();
    m.payload_len = 92;
    m.payload[..92].copy_from_slice(&bytes);
    c.message_sequence = seq + 1;

    let bump = [c.authority_bump];
    cpi::token_transfer(&[&vault, &dest, &authority], amount, &[SEED_AUTHORITY, &bump])?;
    sys::log_data(&[b"CollateralReleased", &seq.to_be_bytes(), &bytes]);
    Ok(())
}
