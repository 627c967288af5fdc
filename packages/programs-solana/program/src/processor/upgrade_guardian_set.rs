//! `upgrade_guardian_set`: applies a GuardianSetUpgrade governance VAA signed by the current
//! set; the previous set stays valid for `guardian_set_overlap` seconds.
//!
//! Accounts:
//! 0. `[writable, signer]` payer
//! 1. `[writable]` config
//! 2. `[writable]` current guardian set
//! 3. `[writable]` new guardian set PDA `["guardian_set", new_index u32 LE]`
//! 4. `[writable]` consumed PDA `["consumed", keccak256(body)]`
//! 5. `[]` system program
//!
//! Data: the governance VAA (Wormhole v1 bytes).

use super::util::{Seeds, config, consume, create, now};
use crate::account::Input;
use crate::error::{fail, Error, Result};
use crate::payload::decode_guardian_set_upgrade;
use crate::pda::SEED_GUARDIAN_SET;
use crate::state::{load, GuardianSet};
use crate::vaa;

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let payer = input.account(0, "payer")?;
    let cfg = input.account(1, "config")?;
    let gs = input.account(2, "current guardian set")?;
    let new_gs = input.account(3, "new guardian set")?;
    let consumed = input.account(4, "consumed")?;
    payer.expect_signer("payer signature")?;
    let c = config(&cfg, input.program_id)?;
    let v = vaa::parse(data)?;
    let set = load::<GuardianSet>(&gs, input.program_id, Error::GuardianSetUnknown, "guardian set")?;
    if set.is_oracle != 0 || set.index != v.guardian_set_index {
        return Err(fail(Error::GuardianSetUnknown, "guardian set index"));
    }
    if set.index != c.guardian_set_index {
        return Err(fail(Error::InvalidGovernance, "governance must be signed by the current set"));
    }
    let (body_hash, digest) = vaa::hashes(v.body);
    vaa::verify_sigs(set, &digest, v.n_sigs, |i| v.sig(i))?;
    if v.emitter_chain != c.governance_chain || v.emitter_address != c.governance_emitter {
        return Err(fail(Error::InvalidGovernance, "not the governance emitter"));
    }
    let up = decode_guardian_set_upgrade(v.payload)?;
    if up.target_chain != 0 && up.target_chain != c.chain_id {
        return Err(Error::WrongDestinationChain);
    }
    if up.new_index != c.guardian_set_index.wrapping_add(1) || up.new_index == 0 {
        return Err(fail(Error::InvalidGovernance, "new index must be current + 1"));
    }
    consume(input, &payer, &consumed, &body_hash)?;
    let idx = up.new_index.to_le_bytes();
    let g = create::<GuardianSet>(input, &payer, &new_gs, &Seeds { seeds: &[SEED_GUARDIAN_SET, &idx], what: "new guardian set PDA" })?;
    g.index = up.new_index;
    g.count = up.count as u8;
    g.keys = up.keys;
    set.expiration_time = now() + c.guardian_set_overlap as u64;
    c.guardian_set_index = up.new_index;
    Ok(())
}
