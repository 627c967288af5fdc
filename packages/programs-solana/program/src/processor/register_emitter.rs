//! `register_emitter`: trusts a foreign emitter (an origin vault or a margin engine).
//!
//! Accounts:
//! 0. `[writable, signer]` admin
//! 1. `[]` config
//! 2. `[writable]` emitter PDA `["emitter", chain u16 LE, address]`
//! 3. `[]` system program
//!
//! Data: chain u16, address [32], role u8 (1 vault, 2 margin engine).

use super::util::{Seeds, admin_config, create, Data};
use crate::account::Input;
use crate::error::{fail, Error, Result};
use crate::pda::SEED_EMITTER;
use crate::state::emitter::{ROLE_ENGINE, ROLE_VAULT};
use crate::state::Emitter;

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let admin = input.account(0, "admin")?;
    let cfg = input.account(1, "config")?;
    let em = input.account(2, "emitter")?;
    let c = admin_config(input, &admin, &cfg)?;
    let mut d = Data::new(data);
    let chain = d.u16()?;
    let address = d.b32()?;
    let role = d.u8()?;
    d.end()?;
    if chain == 0 || chain == c.chain_id {
        return Err(fail(Error::InvalidParameter, "emitter chain"));
    }
    if role != ROLE_VAULT && role != ROLE_ENGINE {
        return Err(fail(Error::InvalidParameter, "emitter role"));
    }
    let e = create::<Emitter>(input, &admin, &em, &Seeds { seeds: &[SEED_EMITTER, &chain.to_le_bytes(), &address], what: "emitter PDA" })?;
    e.chain = chain;
    e.address = address;
    e.role = role;
    Ok(())
}
