//! `initialize`: creates the config and guardian/oracle sets 0.
//!
//! Accounts:
//! 0. `[writable, signer]` admin (pays rent, becomes the admin)
//! 1. `[writable]` config PDA `["config"]`
//! 2. `[writable]` guardian set PDA `["guardian_set", 0u32 LE]`
//! 3. `[writable]` oracle set PDA `["oracle_set", 0u32 LE]`
//! 4. `[]` system program
//!
//! Data: chain_id u16, overlap u32, governance_chain u16, governance_emitter [32], oracle_chain u16,
//! oracle_emitter [32], price_max_age u32, price_max_future u32, n u8, n x key [20], m u8, m x key [20],
//! then optionally target_health u128 (WAD; absent = 0 = off; else >= 1e18; every market configured
//! later must have target_health * mmf > penalty_rate).

use super::util::{Seeds, create, Data};
use crate::account::Input;
use crate::error::{fail, Error, Result};
use crate::pda::{self, SEED_AUTHORITY, SEED_CONFIG, SEED_GUARDIAN_SET, SEED_ORACLE_SET};
use crate::state::{w_of, Config, GuardianSet};
use crate::{sys, MAX_GUARDIANS};

const WAD: u128 = 1_000_000_000_000_000_000;

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let admin = input.account(0, "admin")?;
    let cfg_acc = input.account(1, "config")?;
    let gs_acc = input.account(2, "guardian set")?;
    let os_acc = input.account(3, "oracle set")?;
    admin.expect_signer("admin signature")?;
    let mut d = Data::new(data);
    let chain_id = d.u16()?;
    let overlap = d.u32()?;
    let governance_chain = d.u16()?;
    let governance_emitter = d.b32()?;
    let oracle_chain = d.u16()?;
    let oracle_emitter = d.b32()?;
    let price_max_age = d.u32()?;
    let price_max_future = d.u32()?;
    let mut guardians = [[0u8; 20]; MAX_GUARDIANS];
    let n = read_keys(&mut d, &mut guardians)?;
    let mut oracles = [[0u8; 20]; MAX_GUARDIANS];
    let m = read_keys(&mut d, &mut oracles)?;
    let target_health = if d.left() == 0 { 0 } else { d.u128()? };
    d.end()?;
    if target_health != 0 && target_health < WAD {
        return Err(fail(Error::InvalidParameter, "targetHealth must be 0 (off) or >= 1e18"));
    }
    if chain_id == 0 || governance_chain == 0 || oracle_chain == 0 {
        return Err(fail(Error::InvalidParameter, "chain id is zero"));
    }

    let c = create::<Config>(input, &admin, &cfg_acc, &Seeds { seeds: &[SEED_CONFIG], what: "config PDA" })?;
    c.admin = *admin.key();
    c.chain_id = chain_id;
    c.guardian_set_overlap = overlap;
    c.governance_chain = governance_chain;
    c.governance_emitter = governance_emitter;
    c.oracle_chain = oracle_chain;
    c.oracle_emitter = oracle_emitter;
    c.price_max_age = price_max_age;
    c.price_max_future = price_max_future;
    c.close_factor = w_of(WAD / 2);
    c.full_liquidation_health = w_of(WAD / 2);
    c.dust_notional = w_of(100 * WAD);
    c.penalty_rate = w_of(WAD / 50);
    c.liquidator_share = w_of(WAD / 2);
    c.target_health = w_of(target_health);
    c.markets_counted = 1;
    c.authority_bump = sys::find_program_address(&[SEED_AUTHORITY], input.program_id).map(|x| x.1).unwrap_or(0);

    let zero = 0u32.to_le_bytes();
    let g = create::<GuardianSet>(input, &admin, &gs_acc, &Seeds { seeds: &[SEED_GUARDIAN_SET, &zero], what: "guardian set PDA" })?;
    g.count = n as u8;
    g.keys = guardians;
    let o = create::<GuardianSet>(input, &admin, &os_acc, &Seeds { seeds: &[SEED_ORACLE_SET, &zero], what: "oracle set PDA" })?;
    o.count = m as u8;
    o.is_oracle = 1;
    o.keys = oracles;
    let _ = pda::SEED_VAULT;
    Ok(())
}

fn read_keys(d: &mut Data, out: &mut [[u8; 20]; MAX_GUARDIANS]) -> Result<usize> {
    let n = d.u8()? as usize;
    if n == 0 || n > MAX_GUARDIANS {
        return Err(fail(Error::InvalidParameter, "guardian count must be 1..19"));
    }
    for k in out.iter_mut().take(n) {
        k.copy_from_slice(d.take(20)?);
    }
    Ok(n)
}
