//! int256 as sign + magnitude over U256 (range -2^255 ..= 2^255-1, like Solidity's int256),
//! with checked arithmetic and floor division (toward negative infinity).

use super::u256::U256;
use crate::error::{Error, Result};
use core::cmp::Ordering;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct I256 {
    neg: bool,
    mag: U256,
}

const MIN_MAG: U256 = U256([0, 0, 0, 1 << 63]);

impl I256 {
    pub const ZERO: I256 = I256 { neg: false, mag: U256::ZERO };
    pub const MAX: I256 = I256 { neg: false, mag: U256([u64::MAX, u64::MAX, u64::MAX, (1 << 63) - 1]) };

    /// Builds a value, `Overflow` when outside the int256 range.
    pub fn new(neg: bool, mag: U256) -> Result<I256> {
        if mag.is_zero() {
            return Ok(I256::ZERO);
        }
        if (neg && mag > MIN_MAG) || (!neg && mag >= MIN_MAG) {
            return Err(Error::Overflow);
        }
        Ok(I256 { neg, mag })
    }
    pub fn from_u(u: U256) -> Result<I256> {
        I256::new(false, u)
    }
    pub fn from_i128(v: i128) -> I256 {
        I256 { neg: v < 0, mag: U256::from_u128(v.unsigned_abs()) }
    }
    pub fn to_i128(&self) -> Result<i128> {
        let m = self.mag.to_u128()?;
        if self.neg {
            if m > 1u128 << 127 {
                return Err(Error::Overflow);
            }
            Ok((m as i128).wrapping_neg())
        } else {
            if m >= 1u128 << 127 {
                return Err(Error::Overflow);
            }
            Ok(m as i128)
        }
    }
    pub fn is_neg(&self) -> bool {
        self.neg
    }
    pub fn abs(&self) -> U256 {
        self.mag
    }
    pub fn neg(&self) -> Result<I256> {
        I256::new(!self.neg, self.mag)
    }
    pub fn checked_add(&self, o: &I256) -> Result<I256> {
        if self.neg == o.neg {
            let m = self.mag.checked_add(&o.mag)?;
            return I256::new(self.neg, m);
        }
        match self.mag.cmp(&o.mag) {
            Ordering::Less => I256::new(o.neg, o.mag.checked_sub(&self.mag)?),
            _ => I256::new(self.neg, self.mag.checked_sub(&o.mag)?),
        }
    }
    pub fn checked_sub(&self, o: &I256) -> Result<I256> {
        self.checked_add(&I256 { neg: !o.neg && !o.mag.is_zero(), mag: o.mag })
    }
    pub fn checked_mul(&self, o: &I256) -> Result<I256> {
        let m = self.mag.checked_mul(&o.mag)?;
        I256::new(self.neg != o.neg, m)
    }
    /// floor(self * num / den) with a 512-bit intermediate, den > 0 (floorDiv of core).
    pub fn mul_div_floor(&self, num: &U256, den: &U256) -> Result<I256> {
        // A negative result rounds away from zero (toward -inf): magnitude rounded up.
        let m = U256::mul_div(&self.mag, num, den, self.neg)?;
        I256::new(self.neg, m)
    }
    /// floor(self / den), den > 0.
    pub fn floor_div(&self, den: &U256) -> Result<I256> {
        self.mul_div_floor(&U256::ONE, den)
    }
    pub fn max0(&self) -> U256 {
        if self.neg { U256::ZERO } else { self.mag }
    }
}

impl PartialOrd for I256 {
    fn partial_cmp(&self, o: &I256) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for I256 {
    fn cmp(&self, o: &I256) -> Ordering {
        match (self.neg, o.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.mag.cmp(&o.mag),
            (true, true) => o.mag.cmp(&self.mag),
        }
    }
}
