//! `open_account`: creates the margin account `["account", owner]` for `owner` (anyone may pay).
//! A relayer runs it before the first credit of a new owner, so that the credit itself (13
//! signatures) fits in one transaction without the 32-byte owner. Idempotent: an existing
//! account of that owner is left as it is.
//!
//! Accounts:
//! 0. `[writable, signer]` payer
//! 1. `[writable]` margin account PDA `["account", owner]`
//! 2. `[]` system program
//!
//! Data: owner [32].

use super::util::{create, margin_account, Data, Seeds};
use crate::account::Input;
use crate::error::{fail, Error, Result};
use crate::pda::SEED_ACCOUNT;
use crate::state::MarginAccount;

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let payer = input.account(0, "payer")?;
    let acct = input.account(1, "margin account")?;
    payer.expect_signer("payer signature")?;
    let mut d = Data::new(data);
    let owner = d.b32()?;
    d.end()?;
    if acct.owner() == input.program_id {
        if margin_account(input, &acct)?.owner != owner {
            return Err(fail(Error::UnknownAccount, "margin account owner"));
        }
        return Ok(());
    }
    let a = create::<MarginAccount>(input, &payer, &acct, &Seeds { seeds: &[SEED_ACCOUNT, &owner], what: "margin account PDA" })?;
    a.owner = owner;
    Ok(())
}
