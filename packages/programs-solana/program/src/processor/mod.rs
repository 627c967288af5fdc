//! Instruction dispatch (first data byte) and helpers shared by several instructions.

mod close_position;
mod configure_asset;
mod configure_market;
mod credit_collateral;
mod eval;
mod health;
mod initialize;
mod liquidate;
mod lock_collateral;
mod open_account;
mod open_position;
mod register_emitter;
mod release_collateral;
mod request_withdrawal;
mod set_liquidation_params;
mod set_pause;
mod update_price;
mod upgrade_guardian_set;
pub mod util;

use crate::account::Input;
use crate::error::{fail, Error, Result};

pub const IX_INITIALIZE: u8 = 0;
pub const IX_REGISTER_EMITTER: u8 = 1;
pub const IX_CONFIGURE_ASSET: u8 = 2;
pub const IX_CONFIGURE_MARKET: u8 = 3;
pub const IX_SET_PAUSE: u8 = 4;
pub const IX_LOCK_COLLATERAL: u8 = 5;
pub const IX_CREDIT_COLLATERAL: u8 = 6;
pub const IX_RELEASE_COLLATERAL: u8 = 7;
pub const IX_UPDATE_PRICE: u8 = 8;
pub const IX_OPEN_POSITION: u8 = 9;
pub const IX_CLOSE_POSITION: u8 = 10;
pub const IX_LIQUIDATE: u8 = 11;
pub const IX_UPGRADE_GUARDIAN_SET: u8 = 12;
pub const IX_HEALTH: u8 = 13;
pub const IX_REQUEST_WITHDRAWAL: u8 = 14;
pub const IX_OPEN_ACCOUNT: u8 = 15;
pub const IX_EVAL: u8 = 16;
pub const IX_SET_LIQUIDATION_PARAMS: u8 = 17;

pub fn process(input: &Input) -> Result<()> {
    let (tag, data) = input.data.split_first().ok_or_else(|| fail(Error::TruncatedPayload, "empty instruction data"))?;
    match *tag {
        IX_INITIALIZE => initialize::process(input, data),
        IX_REGISTER_EMITTER => register_emitter::process(input, data),
        IX_CONFIGURE_ASSET => configure_asset::process(input, data),
        IX_CONFIGURE_MARKET => configure_market::process(input, data),
        IX_SET_PAUSE => set_pause::process(input, data),
        IX_LOCK_COLLATERAL => lock_collateral::process(input, data),
        IX_CREDIT_COLLATERAL => credit_collateral::process(input, data),
        IX_RELEASE_COLLATERAL => release_collateral::process(input, data),
        IX_UPDATE_PRICE => update_price::process(input, data),
        IX_OPEN_POSITION => open_position::process(input, data),
        IX_CLOSE_POSITION => close_position::process(input, data),
        IX_LIQUIDATE => liquidate::process(input, data),
        IX_UPGRADE_GUARDIAN_SET => upgrade_guardian_set::process(input, data),
        IX_HEALTH => health::process(input, data),
        IX_REQUEST_WITHDRAWAL => request_withdrawal::process(input, data),
        IX_OPEN_ACCOUNT => open_account::process(input, data),
        IX_EVAL => eval::process(input, data),
        IX_SET_LIQUIDATION_PARAMS => set_liquidation_params::process(input, data),
        _ => Err(fail(Error::InvalidParameter, "unknown instruction")),
    }
}
