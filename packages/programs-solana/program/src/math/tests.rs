//! Host tests (`cargo test` with the system rustc): the 512-bit division is checked against a
//! bit-by-bit reference on pseudo-random operands of every size class.

use super::i256::I256;
use super::u256::{mul_wide, U256};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn u256(&mut self) -> U256 {
        let limbs = (self.next() % 5) as usize;
        let mut l = [0u64; 4];
        for x in l.iter_mut().take(limbs) {
            *x = self.next() >> (self.next() % 64);
        }
        U256(l)
    }
}

fn ref_divmod(n: &[u64; 8], d: &U256) -> ([u64; 8], [u64; 8]) {
    let mut q = [0u64; 8];
    let mut r = [0u64; 8];
    for bit in (0..512).rev() {
        for i in (1..8).rev() {
            r[i] = (r[i] << 1) | (r[i - 1] >> 63);
        }
        r[0] = (r[0] << 1) | ((n[bit / 64] >> (bit % 64)) & 1);
        let dd = [d.0[0], d.0[1], d.0[2], d.0[3], 0, 0, 0, 0];
        let mut ge = true;
        for i in (0..8).rev() {
            if r[i] != dd[i] {
                ge = r[i] > dd[i];
                break;
            }
        }
        if ge {
            let mut borrow = 0u64;
            for i in 0..8 {
                let (a, b1) = r[i].overflowing_sub(dd[i]);
                let (a2, b2) = a.overflowing_sub(borrow);
                r[i] = a2;
                borrow = (b1 | b2) as u64;
            }
            q[bit / 64] |= 1 << (bit % 64);
        }
    }
    (q, r)
}

#[test]
fn mul_wide_matches_u128() {
    let mut g = Rng(0x1234_5678_9abc_def1);
    for _ in 0..10_000 {
        let (a, b) = (g.next(), g.next());
        let p = a as u128 * b as u128;
        assert_eq!(mul_wide(a, b), (p as u64, (p >> 64) as u64));
    }
}

#[test]
fn mul_div_matches_bitwise_reference() {
    let mut g = Rng(0xdead_beef_cafe_f00d);
    for _ in 0..20_000 {
        let (a, b, mut d) = (g.u256(), g.u256(), g.u256());
        if d.is_zero() {
            d = U256::ONE;
        }
        let p = a.mul_full(&b);
        let (q, r) = ref_divmod(&p, &d);
        let got = U256::mul_div(&a, &b, &d, false);
        if q[4..] != [0; 4] {
            assert!(got.is_err());
            continue;
        }
        let want = U256([q[0], q[1], q[2], q[3]]);
        assert_eq!(got.unwrap(), want, "a={a:?} b={b:?} d={d:?}");
        let up = U256::mul_div(&a, &b, &d, true);
        if r == [0; 8] {
            assert_eq!(up.unwrap(), want);
        } else if let Ok(u) = up {
            assert_eq!(u, want.checked_add(&U256::ONE).unwrap());
        }
    }
}

#[test]
fn division_by_zero_is_typed() {
    assert_eq!(U256::mul_div(&U256::ONE, &U256::ONE, &U256::ZERO, false), Err(crate::error::Error::DivisionByZero));
}

#[test]
fn floor_division_rounds_toward_negative_infinity() {
    let a = I256::from_i128(-7);
    assert_eq!(a.floor_div(&U256::from_u64(2)).unwrap(), I256::from_i128(-4));
    assert_eq!(I256::from_i128(7).floor_div(&U256::from_u64(2)).unwrap(), I256::from_i128(3));
}

#[test]
fn sqrt_is_floor() {
    let mut g = Rng(42);
    for _ in 0..2_000 {
        let x = g.u256();
        let s = x.sqrt();
        assert!(s.checked_mul(&s).unwrap() <= x);
        let s1 = s.checked_add(&U256::ONE).unwrap();
        if let Ok(sq) = s1.checked_mul(&s1) {
            assert!(sq > x);
        }
    }
}
