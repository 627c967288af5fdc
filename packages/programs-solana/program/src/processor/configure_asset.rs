//! `configure_asset`: registers a collateral asset; a local SPL asset also gets its vault.
//!
//! Accounts:
//! 0. `[writable, signer]` admin
//! 1. `[]` config
//! 2. `[writable]` asset PDA `["asset", asset_id]`
//! 3. `[]` system program
//!
//! For a local asset (`is_local = 1`, asset_id = mint) additionally:
//! 4. `[]` mint
//! 5. `[writable]` vault token account PDA `["vault", mint]`
//! 6. `[]` vault authority PDA `["authority"]`
//! 7. `[]` SPL Token program
//!
//! Data: asset_id [32], is_local u8, decimals u8, cap u64, price_market u32, weight u128,
//! pending_weight u128, origin_chain u16 (foreign assets: the vault's chain, 0 = no withdrawals).

use super::util::{Seeds, admin_config, create, Data};
use crate::account::Input;
use crate::cpi::{self, TOKEN_PROGRAM_ID};
use crate::error::{fail, Error, Result};
use crate::pda::{self, SEED_ASSET, SEED_AUTHORITY, SEED_VAULT};
use crate::state::{w_of, Asset};

const WAD: u128 = 1_000_000_000_000_000_000;

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let admin = input.account(0, "admin")?;
    let cfg = input.account(1, "config")?;
    let acc = input.account(2, "asset")?;
    admin_config(input, &admin, &cfg)?;
    let mut d = Data::new(data);
    let asset_id = d.b32()?;
    let is_local = d.u8()?;
    let decimals = d.u8()?;
    let cap = d.u64()?;
    let price_market = d.u32()?;
    let weight = d.u128()?;
    let pending_weight = d.u128()?;
    let origin_chain = d.u16()?;
    d.end()?;
    if is_local > 1 || decimals > 36 || weight > WAD || pending_weight > weight {
        return Err(fail(Error::InvalidParameter, "asset parameters"));
    }
    let mut vault = [0u8; 32];
    if is_local == 1 {
        let mint = input.account(4, "mint")?;
        let vault_acc = input.account(5, "vault")?;
        let authority = input.account(6, "vault authority")?;
        mint.expect_key(&asset_id, "mint must equal asset_id")?;
        if mint.owner() != &TOKEN_PROGRAM_ID || mint.data_len() != 82 || mint.data()[44] != decimals {
            return Err(fail(Error::InvalidParameter, "mint account / decimals"));
        }
        pda::canonical_bump(&authority, &[SEED_AUTHORITY], input.program_id).ok_or_else(|| fail(Error::InvalidParameter, "vault authority PDA"))?;
        let vbump = pda::canonical_bump(&vault_acc, &[SEED_VAULT, &asset_id], input.program_id).ok_or_else(|| fail(Error::InvalidParameter, "vault PDA"))?;
        cpi::create_pda(&cpi::NewAccount { payer: &admin, account: &vault_acc, space: 165, owner: &TOKEN_PROGRAM_ID, seeds: &[SEED_VAULT, &asset_id, &[vbump]] })?;
        cpi::token_initialize_account(&vault_acc, &mint, authority.key())?;
        vault = *vault_acc.key();
    }
    let a = create::<Asset>(input, &admin, &acc, &Seeds { seeds: &[SEED_ASSET, &asset_id], what: "asset PDA" })?;
    a.asset_id = asset_id;
    a.is_local = is_local;
    a.decimals = decimals;
    a.cap = cap;
    a.price_market = price_market;
    a.weight = w_of(weight);
    a.pending_weight = w_of(pending_weight);
    a.vault = vault;
    a.origin_chain = origin_chain;
    Ok(())
}
