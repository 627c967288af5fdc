//! `set_pause`: sets the pause bits (LOCK=1, CREDIT=2, WITHDRAW=4, OPEN=8, LIQUIDATE=16).
//!
//! Accounts:
//! 0. `[signer]` admin
//! 1. `[writable]` config
//!
//! Data: pause u16.

use super::util::{admin_config, Data};
use crate::account::Input;
use crate::error::{fail, Error, Result};

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let admin = input.account(0, "admin")?;
    let cfg = input.account(1, "config")?;
    let c = admin_config(input, &admin, &cfg)?;
    let mut d = Data::new(data);
    let bits = d.u16()?;
    d.end()?;
    if bits > 31 {
        return Err(fail(Error::InvalidParameter, "unknown pause bit"));
    }
    c.pause = bits;
    Ok(())
}
