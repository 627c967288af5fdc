//! 256-bit unsigned integers (four u64 limbs, little endian) with a 512-bit-safe `mul_div`:
//! the product of two U256 is kept in full (512 bits) and divided with Knuth's algorithm D on
//! 32-bit digits, so only native 64-bit operations are used (no 128-bit multiply/divide
//! libcalls, which SBPF v0 does not provide).

use crate::error::{Error, Result};
use core::cmp::Ordering;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct U256(pub [u64; 4]);

pub const WAD_U64: u64 = 1_000_000_000_000_000_000;

/// Full 64x64 -> 128 product as (low, high), from 32-bit halves.
#[inline(always)]
pub fn mul_wide(a: u64, b: u64) -> (u64, u64) {
    let (a0, a1) = (a & 0xffff_ffff, a >> 32);
    let (b0, b1) = (b & 0xffff_ffff, b >> 32);
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    let mid = (p00 >> 32) + (p01 & 0xffff_ffff) + (p10 & 0xffff_ffff);
    let lo = (p00 & 0xffff_ffff) | (mid << 32);
    let hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    (lo, hi)
}

impl U256 {
    pub const ZERO: U256 = U256([0; 4]);
    pub const ONE: U256 = U256([1, 0, 0, 0]);
    pub const MAX: U256 = U256([u64::MAX; 4]);
    pub const WAD: U256 = U256([WAD_U64, 0, 0, 0]);

    pub const fn from_u64(v: u64) -> U256 {
        U256([v, 0, 0, 0])
    }
    pub const fn from_u128(v: u128) -> U256 {
        U256([v as u64, (v >> 64) as u64, 0, 0])
    }
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 4]
    }
    /// The value as u128, or `Overflow` if it does not fit.
    pub fn to_u128(&self) -> Result<u128> {
        if self.0[2] != 0 || self.0[3] != 0 {
            return Err(Error::Overflow);
        }
        Ok(self.0[0] as u128 | ((self.0[1] as u128) << 64))
    }
    pub fn from_be(b: &[u8; 32]) -> U256 {
        let mut l = [0u64; 4];
        for (i, limb) in l.iter_mut().enumerate() {
            let o = 24 - i * 8;
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[o..o + 8]);
            *limb = u64::from_be_bytes(w);
        }
        U256(l)
    }
    pub fn to_be(&self) -> [u8; 32] {
        let mut b = [0u8; 32];
        for i in 0..4 {
            b[24 - i * 8..32 - i * 8].copy_from_slice(&self.0[i].to_be_bytes());
        }
        b
    }
    pub fn pow10(n: u8) -> Result<U256> {
        let mut r = U256::ONE;
        for _ in 0..n {
            r = r.checked_mul(&U256::from_u64(10))?;
        }
        Ok(r)
    }

    pub fn checked_add(&self, o: &U256) -> Result<U256> {
        let mut r = [0u64; 4];
        let mut carry = 0u64;
        for (i, limb) in r.iter_mut().enumerate() {
            let (s1, c1) = self.0[i].overflowing_add(o.0[i]);
            let (s2, c2) = s1.overflowing_add(carry);
            *limb = s2;
            carry = (c1 | c2) as u64;
        }
        if carry != 0 { Err(Error::Overflow) } else { Ok(U256(r)) }
    }
    pub fn checked_sub(&self, o: &U256) -> Result<U256> {
        let mut r = [0u64; 4];
        let mut borrow = 0u64;
        for (i, limb) in r.iter_mut().enumerate() {
            let (d1, b1) = self.0[i].overflowing_sub(o.0[i]);
            let (d2, b2) = d1.overflowing_sub(borrow);
            *limb = d2;
            borrow = (b1 | b2) as u64;
        }
        if borrow != 0 { Err(Error::Underflow) } else { Ok(U256(r)) }
    }
    /// Full 512-bit product, little-endian limbs.
    pub fn mul_full(&self, o: &U256) -> [u64; 8] {
        let mut r = [0u64; 8];
        for i in 0..4 {
            if self.0[i] == 0 {
                continue;
            }
            let mut carry = 0u64;
            for j in 0..4 {
                let (lo, hi) = mul_wide(self.0[i], o.0[j]);
                let (s1, c1) = r[i + j].overflowing_add(lo);
                let (s2, c2) = s1.overflowing_add(carry);
                r[i + j] = s2;
                carry = hi + c1 as u64 + c2 as u64;
            }
            r[i + 4] = carry;
        }
        r
    }
    pub fn checked_mul(&self, o: &U256) -> Result<U256> {
        let p = self.mul_full(o);
        if p[4..] != [0; 4] {
            return Err(Error::Overflow);
        }
        Ok(U256([p[0], p[1], p[2], p[3]]))
    }
    /// floor(a*b/d) (or ceil when `up`), 512-bit intermediate; the result must fit in 256 bits.
    pub fn mul_div(a: &U256, b: &U256, d: &U256, up: bool) -> Result<U256> {
        if d.is_zero() {
            return Err(Error::DivisionByZero);
        }
        let p = a.mul_full(b);
        let (q, rem_zero) = div_512_by_256(&p, d);
        if q[4..] != [0; 4] {
            return Err(Error::Overflow);
        }
        let q = U256([q[0], q[1], q[2], q[3]]);
        if up && !rem_zero {
            return q.checked_add(&U256::ONE);
        }
        Ok(q)
    }
    /// (quotient, remainder) of self / d.
    pub fn div_rem(&self, d: &U256) -> Result<(U256, U256)> {
        if d.is_zero() {
            return Err(Error::DivisionByZero);
        }
        let mut n = [0u64; 8];
        n[..4].copy_from_slice(&self.0);
        let mut rem = [0u32; 16];
        let q = divmod(&n, d, &mut rem);
        let r = U256([
            rem[0] as u64 | (rem[1] as u64) << 32,
            rem[2] as u64 | (rem[3] as u64) << 32,
            rem[4] as u64 | (rem[5] as u64) << 32,
            rem[6] as u64 | (rem[7] as u64) << 32,
        ]);
        Ok((U256([q[0], q[1], q[2], q[3]]), r))
    }
    /// Integer floor square root (Newton's method).
    pub fn sqrt(&self) -> U256 {
        if self.is_zero() {
            return U256::ZERO;
        }
        let bits = 256 - self.leading_zeros();
        let mut x = U256::ONE.shl((bits + 1) / 2);
        loop {
            let (q, _) = self.div_rem(&x).unwrap_or((U256::ZERO, U256::ZERO));
            let y = shr1(&q.checked_add(&x).unwrap_or(U256::MAX));
            if y >= x {
                return x;
            }
            x = y;
        }
    }
    pub fn leading_zeros(&self) -> u32 {
        for i in (0..4).rev() {
            if self.0[i] != 0 {
                return (3 - i as u32) * 64 + self.0[i].leading_zeros();
            }
        }
        256
    }
    pub fn shl(&self, s: u32) -> U256 {
        let mut r = [0u64; 4];
        let (w, b) = ((s / 64) as usize, s % 64);
        for i in (w..4).rev() {
            let mut v = self.0[i - w] << b;
            if b > 0 && i > w {
                v |= self.0[i - w - 1] >> (64 - b);
            }
            r[i] = v;
        }
        U256(r)
    }
}

fn shr1(a: &U256) -> U256 {
    U256([
        (a.0[0] >> 1) | (a.0[1] << 63),
        (a.0[1] >> 1) | (a.0[2] << 63),
        (a.0[2] >> 1) | (a.0[3] << 63),
        a.0[3] >> 1,
    ])
}

impl PartialOrd for U256 {
    fn partial_cmp(&self, o: &U256) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for U256 {
    fn cmp(&self, o: &U256) -> Ordering {
        for i in (0..4).rev() {
            if self.0[i] != o.0[i] {
                return self.0[i].cmp(&o.0[i]);
            }
        }
        Ordering::Equal
    }
}

/// (512-bit quotient, remainder == 0) of n / d.
fn div_512_by_256(n: &[u64; 8], d: &U256) -> ([u64; 8], bool) {
    let mut rem = [0u32; 16];
    let q = divmod(n, d, &mut rem);
    (q, rem.iter().all(|&x| x == 0))
}

/// Knuth algorithm D (Hacker's Delight `divmnu`) on 32-bit digits. `d` must be non-zero.
fn divmod(n: &[u64; 8], d: &U256, rem_out: &mut [u32; 16]) -> [u64; 8] {
    let mut u = [0u32; 17];
    for i in 0..8 {
        u[2 * i] = n[i] as u32;
        u[2 * i + 1] = (n[i] >> 32) as u32;
    }
    let mut v = [0u32; 8];
    for i in 0..4 {
        v[2 * i] = d.0[i] as u32;
        v[2 * i + 1] = (d.0[i] >> 32) as u32;
    }
    let mut m = 16;
    while m > 0 && u[m - 1] == 0 {
        m -= 1;
    }
    let mut nd = 8;
    while v[nd - 1] == 0 {
        nd -= 1;
    }
    let mut q = [0u32; 16];
    if m < nd {
        rem_out[..16].copy_from_slice(&u[..16]);
        return [0; 8];
    }
    const B: u64 = 1 << 32;
    if nd == 1 {
        let dv = v[0] as u64;
        let mut r = 0u64;
        for j in (0..m).rev() {
            let cur = (r << 32) | u[j] as u64;
            q[j] = (cur / dv) as u32;
            r = cur % dv;
        }
        rem_out.fill(0);
        rem_out[0] = r as u32;
    } else {
        let s = v[nd - 1].leading_zeros();
        let mut vn = [0u32; 8];
        for i in (1..nd).rev() {
            vn[i] = if s == 0 { v[i] } else { (v[i] << s) | (v[i - 1] >> (32 - s)) };
        }
        vn[0] = v[0] << s;
        let mut un = [0u32; 17];
        un[m] = if s == 0 { 0 } else { u[m - 1] >> (32 - s) };
        for i in (1..m).rev() {
            un[i] = if s == 0 { u[i] } else { (u[i] << s) | (u[i - 1] >> (32 - s)) };
        }
        un[0] = u[0] << s;
        for j in (0..=(m - nd)).rev() {
            let num = ((un[j + nd] as u64) << 32) | un[j + nd - 1] as u64;
            let mut qhat = num / vn[nd - 1] as u64;
            let mut rhat = num % vn[nd - 1] as u64;
            while qhat >= B || qhat * vn[nd - 2] as u64 > ((rhat << 32) | un[j + nd - 2] as u64) {
                qhat -= 1;
                rhat += vn[nd - 1] as u64;
                if rhat >= B {
                    break;
                }
            }
            let mut borrow: i64 = 0;
            for i in 0..nd {
                let p = qhat * vn[i] as u64;
                let t = un[i + j] as i64 - borrow - (p & 0xffff_ffff) as i64;
                un[i + j] = t as u32;
                borrow = (p >> 32) as i64 - (t >> 32);
            }
            let t = un[j + nd] as i64 - borrow;
            un[j + nd] = t as u32;
            q[j] = qhat as u32;
            if t < 0 {
                q[j] = q[j].wrapping_sub(1);
                let mut carry = 0u64;
                for i in 0..nd {
                    let t2 = un[i + j] as u64 + vn[i] as u64 + carry;
                    un[i + j] = t2 as u32;
                    carry = t2 >> 32;
                }
                un[j + nd] = un[j + nd].wrapping_add(carry as u32);
            }
        }
        rem_out.fill(0);
        for i in 0..nd {
            rem_out[i] = if s == 0 { un[i] } else { (un[i] >> s) | (un[i + 1] << (32 - s)) };
        }
    }
    let mut out = [0u64; 8];
    for i in 0..8 {
        out[i] = q[2 * i] as u64 | (q[2 * i + 1] as u64) << 32;
    }
    out
}
