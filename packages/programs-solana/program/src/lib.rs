//! Bulwark's Solana program: cross-chain collateral vault, VAA verification, margin engine.
//!
//! `#![no_std]` with zero crates. Built either by `scripts/build-program.sh` (Debian rustc for
//! `bpfel-unknown-none`, llc, and the TypeScript post-linker) or by `cargo build-sbf`.
#![cfg_attr(not(test), no_std)]
#![allow(clippy::missing_safety_doc)]

pub mod error;
pub mod math;
pub mod payload;
pub mod state;
pub mod sys;

// Modules that need the runtime's syscalls only exist in the on-chain build; host builds
// (`rustc --test`) cover the pure math and codecs.
#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
pub mod account;
#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
pub mod cpi;
#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
pub mod entrypoint;
#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
pub mod pda;
#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
pub mod processor;
#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
pub mod vaa;

/// Number of guardians a set may hold (protocol §4: keyCount 1..19).
pub const MAX_GUARDIANS: usize = 19;

#[cfg(all(not(test), any(target_arch = "bpf", target_arch = "sbf")))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    sys::log("panic");
    sys::abort()
}
