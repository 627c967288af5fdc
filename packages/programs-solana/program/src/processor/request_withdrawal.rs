//! `request_withdrawal`: the margin engine's side of a withdrawal. Removes `amount` of active
//! collateral `asset` from the account if equity stays >= initial requirement afterwards
//! (docs/protocol.md §7), then emits a WithdrawalApproved message (message PDA + `Program data:`
//! log) for the relayers; the asset's origin vault releases the tokens.
//!
//! Accounts:
//! 0. `[writable, signer]` owner (pays the message rent)
//! 1. `[writable]` margin account `["account", owner]`
//! 2. `[writable]` config (message sequence = withdrawal id)
//! 3. `[writable]` message PDA `["message", config.message_sequence u64 LE]`
//! 4. `[]` system program
//! 5.. `[writable]` the asset, plus every asset and market the account uses
//!
//! Data: asset_id [32], amount u128, recipient [32] (address on the asset's origin chain).

use super::util::{breaker_check, check_pause, config, create, find_asset, find_market, margin_account, margin_inputs, now, rest, zeroed, Data, MarginInputs, Seeds};
use crate::account::Input;
use crate::error::{fail, Error, Result};
use crate::math::breaker::Op;
use crate::math::i256::I256;
use crate::math::margin::{compute, MarginIn};
use crate::payload::{encode_withdrawal_approved, WithdrawalApproved};
use crate::pda::SEED_MESSAGE;
use crate::state::config::PAUSE_WITHDRAW;
use crate::state::margin_account::STATE_ACTIVE;
use crate::state::{u128_of, w_of, Message};
use crate::sys;

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let owner = input.account(0, "owner")?;
    let acct = input.account(1, "margin account")?;
    let cfg = input.account(2, "config")?;
    let msg_acc = input.account(3, "message")?;
    owner.expect_signer("owner signature")?;
    let mut d = Data::new(data);
    let asset_id = d.b32()?;
    let amount = d.u128()?;
    let recipient = d.b32()?;
    d.end()?;
    let c = config(&cfg, input.program_id)?;
    check_pause(c, PAUSE_WITHDRAW)?;
    let a = margin_account(input, &acct)?;
    if &a.owner != owner.key() {
        return Err(fail(Error::Unauthorized, "not the account owner"));
    }
    if amount == 0 {
        return Err(Error::ZeroAmount);
    }
    let (accs, n) = rest(input, 5);
    let (origin_chain, price_market) = {
        let asset = find_asset(input, &accs[..n], &asset_id)?;
        (asset.origin_chain, asset.price_market)
    };
    let nc = a.n_collateral as usize;
    let i = a.collateral.iter().take(nc).position(|e| e.asset_id == asset_id && e.state == STATE_ACTIVE);
    let held = i.map(|i| u128_of(&a.collateral[i].amount)).unwrap_or(0);
    let i = match i {
        Some(i) if held >= amount => i,
        _ => return Err(fail(Error::InsufficientCollateral, "active collateral below the amount")),
    };
    if origin_chain == 0 {
        return Err(fail(Error::InvalidParameter, "asset has no origin chain to withdraw to"));
    }
    breaker_check(find_market(input, &accs[..n], price_market)?, Op::Withdraw)?;
    if held == amount {
        for k in i..nc - 1 {
            a.collateral[k] = a.collateral[k + 1];
        }
        a.n_collateral -= 1;
    } else {
        a.collateral[i].amount = w_of(held - amount);
    }
    let mut raw = core::mem::MaybeUninit::<MarginInputs>::uninit();
    let mi = zeroed(&mut raw);
    margin_inputs(input, a, &accs[..n], mi)?;
    let h = compute(&MarginIn { collateral: &mi.coll[..mi.n_coll], settlement: mi.settlement, positions: &mi.pos[..mi.n_pos] })?;
    if h.equity < I256::from_u(h.im_req)? {
        return Err(Error::InsufficientMargin);
    }

    let seq = c.message_sequence;
    let mut bytes = [0u8; 124];
    encode_withdrawal_approved(&WithdrawalApproved { origin_chain, account: a.owner, asset: asset_id, amount, recipient, withdrawal_id: seq }, &mut bytes);
    let m = create::<Message>(input, &owner, &msg_acc, &Seeds { seeds: &[SEED_MESSAGE, &seq.to_le_bytes()], what: "message PDA" })?;
    m.sequence = seq;
    m.timestamp = now();
    m.payload_len = 124;
    m.payload[..124].copy_from_slice(&bytes);
    c.message_sequence = seq + 1;
    sys::log_data(&[b"WithdrawalApproved", &seq.to_be_bytes(), &bytes]);
    Ok(())
}
