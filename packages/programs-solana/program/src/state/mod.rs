//! Zero-copy account layouts. Every account is `#[repr(C)]`, 8-byte aligned (128-bit values are
//! stored as `[u64; 2]` little-endian limbs), begins with `kind` and `bump`, and is only ever
//! read after an explicit owner, length and kind check (`load`).

pub mod asset;
pub mod config;
pub mod emitter;
pub mod guardian_set;
pub mod margin_account;
pub mod market;
pub mod message;

pub use asset::Asset;
pub use config::Config;
pub use emitter::Emitter;
pub use guardian_set::GuardianSet;
pub use margin_account::MarginAccount;
pub use market::Market;
pub use message::{Consumed, Message};

/// Account discriminators (first byte of every Bulwark account).
pub const KIND_CONFIG: u8 = 1;
pub const KIND_GUARDIAN_SET: u8 = 2;
pub const KIND_EMITTER: u8 = 3;
pub const KIND_ASSET: u8 = 4;
pub const KIND_MESSAGE: u8 = 5;
pub const KIND_CONSUMED: u8 = 6;
pub const KIND_ACCOUNT: u8 = 7;
pub const KIND_MARKET: u8 = 8;

/// Marker for plain-old-data account layouts.
///
/// # Safety
/// Implementors must be `#[repr(C)]`, contain only integer/byte-array fields (every bit pattern
/// valid), have alignment <= 8 and start with the `kind: u8` discriminator.
pub unsafe trait Pod: Sized {
    const KIND: u8;
    const LEN: usize = core::mem::size_of::<Self>();
}

pub fn u128_of(w: &[u64; 2]) -> u128 {
    w[0] as u128 | ((w[1] as u128) << 64)
}
pub fn w_of(v: u128) -> [u64; 2] {
    [v as u64, (v >> 64) as u64]
}
pub fn i128_of(w: &[u64; 2]) -> i128 {
    u128_of(w) as i128
}
pub fn w_of_i(v: i128) -> [u64; 2] {
    w_of(v as u128)
}

/// Reinterprets `data` as `T` after checking length and discriminator.
pub fn cast_mut<T: Pod>(data: &mut [u8]) -> Option<&mut T> {
    if data.len() != T::LEN || data.first() != Some(&T::KIND) || data.as_ptr() as usize % 8 != 0 {
        return None;
    }
    // SAFETY: length, alignment and discriminator checked; T is Pod (any bit pattern valid).
    Some(unsafe { &mut *(data.as_mut_ptr() as *mut T) })
}

/// Like `cast_mut` for a freshly created (all-zero) account; writes the discriminator.
pub fn init_mut<T: Pod>(data: &mut [u8]) -> Option<&mut T> {
    if data.len() != T::LEN || data.iter().any(|b| *b != 0) || data.as_ptr() as usize % 8 != 0 {
        return None;
    }
    data[0] = T::KIND;
    cast_mut(data)
}

#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
mod onchain {
    use super::Pod;
    use crate::account::AccountInfo;
    use crate::error::{fail, Error, Result};

    /// Loads a Bulwark account: owned by this program, exact length, matching kind.
    #[allow(clippy::mut_from_ref)]
    pub fn load<'a, T: Pod>(acc: &'a AccountInfo, program_id: &[u8; 32], err: Error, what: &str) -> Result<&'a mut T> {
        if acc.owner() != program_id {
            return Err(fail(err, what));
        }
        super::cast_mut::<T>(acc.data_mut()).ok_or_else(|| fail(err, what))
    }
}
#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
pub use onchain::load;

#[cfg(test)]
mod layout_tests {
    //! The TypeScript decoders (src/client/accounts.ts) rely on these sizes.
    use super::*;
    #[test]
    fn sizes() {
        assert_eq!(core::mem::size_of::<Config>(), 272);
        assert_eq!(core::mem::size_of::<GuardianSet>(), 400);
        assert_eq!(core::mem::size_of::<Emitter>(), 40);
        assert_eq!(core::mem::size_of::<Asset>(), 128);
        assert_eq!(core::mem::size_of::<Message>(), 152);
        assert_eq!(core::mem::size_of::<Consumed>(), 40);
        assert_eq!(core::mem::size_of::<MarginAccount>(), 440);
        assert_eq!(core::mem::size_of::<Market>(), 240);
    }
    #[test]
    fn config_offsets() {
        // decodeConfig reads these; they were padding in the first v2 layout (zero there).
        assert_eq!(core::mem::offset_of!(Config, markets_counted), 3);
        assert_eq!(core::mem::offset_of!(Config, market_count), 252);
        assert_eq!(core::mem::offset_of!(Config, target_health), 256);
    }
}
