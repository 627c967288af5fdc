//! Bulwark's Solana program: cross-chain collateral vault, VAA verification, margin engine.
//!
//! `#![no_std]` with zero crates. Built either by `scripts/build-program.sh` (Debian rustc for
//! `bpfel-unknown-none`, llc, and the TypeScript post-linker) or by `cargo build-sbf`.
#![cfg_attr(not(test), no_std)]
#![allow(clippy::missing_safety_doc)]

pub mod account;
pub mod cpi;
pub mod entrypoint;
pub mod error;
pub mod math;
pub mod payload;
pub mod pda;
pub mod processor;
pub mod state;
pub mod sys;
pub mod vaa;

/// Number of guardians a set may hold (protocol §4: keyCount 1..19).
pub const MAX_GUARDIANS: usize = 19;

#[cfg(all(not(test), any(target_arch = "bpf", target_arch = "sbf")))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    sys::log("panic");
    sys::abort()
}
