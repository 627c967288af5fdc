//! The fixed-point helpers of docs/protocol.md §1, rounding named in the function.

use super::u256::U256;
use crate::error::Result;

pub fn mul_div_down(a: &U256, b: &U256, d: &U256) -> Result<U256> {
    U256::mul_div(a, b, d, false)
}
pub fn mul_div_up(a: &U256, b: &U256, d: &U256) -> Result<U256> {
    U256::mul_div(a, b, d, true)
}
pub fn w_mul_down(a: &U256, b: &U256) -> Result<U256> {
    U256::mul_div(a, b, &U256::WAD, false)
}
pub fn w_mul_up(a: &U256, b: &U256) -> Result<U256> {
    U256::mul_div(a, b, &U256::WAD, true)
}
pub fn w_div_down(a: &U256, b: &U256) -> Result<U256> {
    U256::mul_div(a, &U256::WAD, b, false)
}
pub fn w_div_up(a: &U256, b: &U256) -> Result<U256> {
    U256::mul_div(a, &U256::WAD, b, true)
}
pub fn sqrt_down(a: &U256) -> U256 {
    a.sqrt()
}
