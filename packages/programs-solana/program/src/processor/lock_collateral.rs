//! `lock_collateral`: moves SPL tokens into the asset's vault and emits a CollateralLocked
//! message (message PDA + `Program data:` log) for the relayers.
//!
//! Accounts:
//! 0. `[writable, signer]` depositor (token owner, pays the message rent)
//! 1. `[writable]` config
//! 2. `[writable]` asset (local)
//! 3. `[writable]` depositor token account
//! 4. `[writable]` vault token account (asset.vault)
//! 5. `[writable]` message PDA `["message", config.message_sequence u64 LE]`
//! 6. `[]` system program
//! 7. `[]` SPL Token program
//!
//! Data: amount u64, destination_chain u16, account [32], nonce u32.

use super::util::{Seeds, check_pause, config, create, now, Data};
use crate::account::Input;
use crate::cpi;
use crate::error::{fail, Error, Result};
use crate::payload::{encode_collateral_locked, CollateralLocked};
use crate::pda::SEED_MESSAGE;
use crate::state::config::PAUSE_LOCK;
use crate::state::{load, Asset, Message};
use crate::sys;

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let depositor = input.account(0, "depositor")?;
    let cfg = input.account(1, "config")?;
    let asset_acc = input.account(2, "asset")?;
    let source = input.account(3, "depositor token account")?;
    let vault = input.account(4, "vault")?;
    let msg_acc = input.account(5, "message")?;
    depositor.expect_signer("depositor signature")?;
    let mut d = Data::new(data);
    let amount = d.u64()?;
    let destination_chain = d.u16()?;
    let account = d.b32()?;
    let nonce = d.u32()?;
    d.end()?;

    let c = config(&cfg, input.program_id)?;
    check_pause(c, PAUSE_LOCK)?;
    let asset = load::<Asset>(&asset_acc, input.program_id, Error::UnknownAsset, "asset")?;
    if asset.is_local != 1 {
        return Err(fail(Error::UnknownAsset, "asset is not a local SPL asset"));
    }
    vault.expect_key(&asset.vault, "vault does not belong to the asset")?;
    if amount == 0 {
        return Err(Error::ZeroAmount);
    }
    if destination_chain == 0 {
        return Err(fail(Error::InvalidParameter, "destination chain"));
    }
    let total = asset.total_locked.checked_add(amount).ok_or(Error::Overflow)?;
    if total > asset.cap {
        return Err(Error::CapExceeded);
    }

    let seq = c.message_sequence;
    let payload = CollateralLocked { destination_chain, account, asset: asset.asset_id, amount: amount as u128, depositor: *depositor.key() };
    let mut bytes = [0u8; 116];
    encode_collateral_locked(&payload, &mut bytes);
    let m = create::<Message>(input, &depositor, &msg_acc, &Seeds { seeds: &[SEED_MESSAGE, &seq.to_le_bytes()], what: "message PDA" })?;
    m.sequence = seq;
    m.nonce = nonce;
    m.timestamp = now();
    m.payload_len = 116;
    m.payload[..116].copy_from_slice(&bytes);
    c.message_sequence = seq + 1;
    asset.total_locked = total;

    cpi::token_transfer(&[&source, &vault, &depositor], amount, &[])?;
    sys::log_data(&[b"CollateralLocked", &seq.to_be_bytes(), &bytes]);
    Ok(())
}
