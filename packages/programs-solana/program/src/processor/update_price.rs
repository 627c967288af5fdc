//! `update_price`: applies a PriceReport VAA signed by the oracle set and emitted by the
//! configured oracle emitter; feeds every market's circuit breaker.
//!
//! Accounts:
//! 0. `[signer]` payer
//! 1. `[]` config
//! 2. `[]` oracle set (current)
//! 3.. `[writable]` one market per report entry, in the report's order
//!
//! Data: the VAA (Wormhole v1 bytes).

use super::util::{breaker_of, config, now, store_breaker};
use crate::account::Input;
use crate::error::{fail, Error, Result};
use crate::math::breaker;
use crate::math::u256::U256;
use crate::payload::decode_price_report;
use crate::state::{load, w_of, GuardianSet, Market};
use crate::vaa;

const WAD: u128 = 1_000_000_000_000_000_000;

#[inline(never)]
pub fn process(input: &Input, data: &[u8]) -> Result<()> {
    let payer = input.account(0, "payer")?;
    let cfg = input.account(1, "config")?;
    let os = input.account(2, "oracle set")?;
    payer.expect_signer("payer signature")?;
    let c = config(&cfg, input.program_id)?;
    let v = vaa::parse(data)?;
    let set = load::<GuardianSet>(&os, input.program_id, Error::GuardianSetUnknown, "oracle set")?;
    if set.is_oracle != 1 || set.index != v.guardian_set_index {
        return Err(fail(Error::GuardianSetUnknown, "oracle set index"));
    }
    vaa::check_set_active(set, c.oracle_set_index, now() as i64)?;
    let (_, digest) = vaa::hashes(v.body);
    vaa::verify_sigs(set, &digest, v.n_sigs, |i| v.sig(i))?;
    if v.emitter_chain != c.oracle_chain || v.emitter_address != c.oracle_emitter {
        return Err(fail(Error::UnknownEmitter, "not the oracle emitter"));
    }
    let r = decode_price_report(v.payload)?;
    let t = now();
    if r.publish_time > t + c.price_max_future as u64 {
        return Err(Error::FuturePrice);
    }
    if r.publish_time + (c.price_max_age as u64) < t {
        return Err(Error::StalePrice);
    }
    for i in 0..r.count {
        let e = r.entry(i);
        let acc = input.account(3 + i, "market for report entry")?;
        acc.expect_writable("market must be writable")?;
        let m = load::<Market>(&acc, input.program_id, Error::UnknownMarket, "market")?;
        if m.id != e.market_id {
            return Err(fail(Error::UnknownMarket, "market order differs from the report"));
        }
        if e.price == 0 || e.ema_price == 0 {
            return Err(Error::InvalidPrice);
        }
        if e.vol_multiplier < WAD {
            return Err(fail(Error::InvalidParameter, "volMultiplier below 1"));
        }
        let (mut s, p) = breaker_of(m);
        breaker::on_price(&mut s, &p, r.publish_time, &U256::from_u128(e.price))?;
        store_breaker(m, &s)?;
        m.mark_price = w_of(e.price);
        m.conf = w_of(e.conf);
        m.ema_price = w_of(e.ema_price);
        m.vol_multiplier = w_of(e.vol_multiplier);
        m.publish_time = r.publish_time;
    }
    Ok(())
}
