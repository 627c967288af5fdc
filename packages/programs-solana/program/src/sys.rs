//! Solana syscalls (resolved by the loader through dynamic relocations) and safe wrappers.
//! On the host (unit tests) the wrappers fall back to portable implementations where one exists.

#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
extern "C" {
    fn sol_memset_(dst: *mut u8, c: u8, n: u64);
    fn sol_memcpy_(dst: *mut u8, src: *const u8, n: u64);
    fn sol_log_(msg: *const u8, len: u64);
    fn sol_log_64_(a: u64, b: u64, c: u64, d: u64, e: u64);
    fn sol_log_data(data: *const u8, len: u64);
    fn sol_keccak256(vals: *const u8, len: u64, out: *mut u8) -> u64;
    fn sol_secp256k1_recover(hash: *const u8, recovery_id: u64, sig: *const u8, out: *mut u8) -> u64;
    fn sol_create_program_address(seeds: *const u8, len: u64, program_id: *const u8, out: *mut u8) -> u64;
    fn sol_try_find_program_address(seeds: *const u8, len: u64, program_id: *const u8, out: *mut u8, bump: *mut u8) -> u64;
    fn sol_invoke_signed_c(ix: *const u8, infos: *const u8, n_infos: u64, seeds: *const u8, n_seeds: u64) -> u64;
    fn sol_set_return_data(data: *const u8, len: u64);
    fn sol_get_clock_sysvar(out: *mut u8) -> u64;
    fn sol_get_rent_sysvar(out: *mut u8) -> u64;
    #[link_name = "abort"]
    fn sol_abort() -> !;
}

/// A byte slice as the runtime's `SolBytes { addr, len }`.
#[repr(C)]
pub struct SolBytes {
    pub addr: *const u8,
    pub len: u64,
}

impl SolBytes {
    pub fn of(s: &[u8]) -> Self {
        SolBytes { addr: s.as_ptr(), len: s.len() as u64 }
    }
}

/// Copies `src` into the start of `dst` (lengths may be dynamic): the sol_memcpy_ syscall on
/// chain, because upstream LLVM's BPF backend cannot emit a call to `memcpy`.
pub fn copy(dst: &mut [u8], src: &[u8]) {
    let n = src.len().min(dst.len());
    #[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
    // SAFETY: both ranges are n valid bytes and do not overlap (distinct borrows).
    unsafe {
        sol_memcpy_(dst.as_mut_ptr(), src.as_ptr(), n as u64)
    };
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf")))]
    dst[..n].copy_from_slice(&src[..n]);
}

/// Zeroes `n` bytes at `dst` with the sol_memset_ syscall (large memsets cannot be lowered by
/// upstream LLVM's BPF backend).
///
/// # Safety
/// `dst` must be valid for `n` writable bytes.
pub unsafe fn zero(dst: *mut u8, n: usize) {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
    // SAFETY: guaranteed by the caller.
    unsafe {
        sol_memset_(dst, 0, n as u64)
    };
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf")))]
    // SAFETY: guaranteed by the caller.
    unsafe {
        core::ptr::write_bytes(dst, 0, n)
    };
}

pub fn log(msg: &str) {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
    // SAFETY: the pointer and length describe a valid, live &str.
    unsafe {
        sol_log_(msg.as_ptr(), msg.len() as u64)
    };
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf")))]
    let _ = msg;
}

pub fn log_u64(a: u64, b: u64, c: u64, d: u64, e: u64) {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
    // SAFETY: plain values, no memory is touched.
    unsafe {
        sol_log_64_(a, b, c, d, e)
    };
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf")))]
    let _ = (a, b, c, d, e);
}

/// Emits `Program data: <base64>` entries, one per field (what relayers watch for).
pub fn log_data(fields: &[&[u8]]) {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
    {
        let mut parts: [SolBytes; 4] = [
            SolBytes::of(&[]), SolBytes::of(&[]), SolBytes::of(&[]), SolBytes::of(&[]),
        ];
        let n = fields.len().min(4);
        for (i, f) in fields.iter().take(n).enumerate() {
            parts[i] = SolBytes::of(f);
        }
        // SAFETY: `parts[..n]` are SolBytes pointing at live slices.
        unsafe { sol_log_data(parts.as_ptr() as *const u8, n as u64) };
    }
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf")))]
    let _ = fields;
}

/// keccak256 over the concatenation of `parts`.
#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
pub fn keccak(parts: &[&[u8]]) -> [u8; 32] {
    let mut buf: [SolBytes; 4] = [SolBytes::of(&[]), SolBytes::of(&[]), SolBytes::of(&[]), SolBytes::of(&[])];
    let n = parts.len().min(4);
    for (i, p) in parts.iter().take(n).enumerate() {
        buf[i] = SolBytes::of(p);
    }
    let mut out = [0u8; 32];
    // SAFETY: buf[..n] describe live slices; out is 32 writable bytes.
    unsafe { sol_keccak256(buf.as_ptr() as *const u8, n as u64, out.as_mut_ptr()) };
    out
}

/// Recovers the uncompressed public key (64 bytes, no prefix) or None.
#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
pub fn secp256k1_recover(hash: &[u8; 32], recovery_id: u8, sig: &[u8; 64]) -> Option<[u8; 64]> {
    let mut out = [0u8; 64];
    // SAFETY: hash is 32 bytes, sig is 64 bytes, out is 64 writable bytes.
    let rc = unsafe { sol_secp256k1_recover(hash.as_ptr(), recovery_id as u64, sig.as_ptr(), out.as_mut_ptr()) };
    if rc == 0 { Some(out) } else { None }
}

/// `create_program_address`; None when the seeds land on the curve (or are invalid).
#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
pub fn create_program_address(seeds: &[&[u8]], program_id: &[u8; 32]) -> Option<[u8; 32]> {
    let mut buf: [SolBytes; 5] = [
        SolBytes::of(&[]), SolBytes::of(&[]), SolBytes::of(&[]), SolBytes::of(&[]), SolBytes::of(&[]),
    ];
    if seeds.len() > 5 {
        return None;
    }
    for (i, s) in seeds.iter().enumerate() {
        buf[i] = SolBytes::of(s);
    }
    let mut out = [0u8; 32];
    // SAFETY: buf[..seeds.len()] describe live slices; program_id and out are 32 bytes.
    let rc = unsafe {
        sol_create_program_address(buf.as_ptr() as *const u8, seeds.len() as u64, program_id.as_ptr(), out.as_mut_ptr())
    };
    if rc == 0 { Some(out) } else { None }
}

/// Canonical program-derived address and its bump (`find_program_address`).
#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
pub fn find_program_address(seeds: &[&[u8]], program_id: &[u8; 32]) -> Option<([u8; 32], u8)> {
    let mut buf: [SolBytes; 4] = [SolBytes::of(&[]), SolBytes::of(&[]), SolBytes::of(&[]), SolBytes::of(&[])];
    if seeds.len() > 4 {
        return None;
    }
    for (i, s) in seeds.iter().enumerate() {
        buf[i] = SolBytes::of(s);
    }
    let mut out = [0u8; 32];
    let mut bump = 0u8;
    // SAFETY: buf[..seeds.len()] describe live slices; program_id/out are 32 bytes; bump is 1 byte.
    let rc = unsafe {
        sol_try_find_program_address(buf.as_ptr() as *const u8, seeds.len() as u64, program_id.as_ptr(), out.as_mut_ptr(), &mut bump)
    };
    if rc == 0 { Some((out, bump)) } else { None }
}

/// Raw `sol_invoke_signed_c`; see `cpi.rs` for the typed builder.
#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
pub unsafe fn invoke_signed_raw(ix: *const u8, infos: *const u8, n_infos: u64, seeds: *const u8, n_seeds: u64) -> u64 {
    sol_invoke_signed_c(ix, infos, n_infos, seeds, n_seeds)
}

pub fn set_return_data(data: &[u8]) {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
    // SAFETY: pointer/length of a live slice.
    unsafe {
        sol_set_return_data(data.as_ptr(), data.len() as u64)
    };
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf")))]
    let _ = data;
}

/// Unix timestamp from the Clock sysvar.
#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
pub fn unix_timestamp() -> i64 {
    let mut clock = [0u64; 5];
    // SAFETY: Clock is 5 x 8 bytes (slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp).
    unsafe { sol_get_clock_sysvar(clock.as_mut_ptr() as *mut u8) };
    clock[4] as i64
}

/// Minimum lamports for a rent-exempt account of `len` bytes (Rent sysvar).
#[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
pub fn rent_exempt_minimum(len: usize) -> u64 {
    let mut rent = [0u8; 24];
    // SAFETY: Rent is lamports_per_byte_year u64, exemption_threshold f64, burn_percent u8 (17 bytes, padded to 24).
    unsafe { sol_get_rent_sysvar(rent.as_mut_ptr()) };
    let per_byte_year = u64::from_le_bytes([rent[0], rent[1], rent[2], rent[3], rent[4], rent[5], rent[6], rent[7]]);
    // The threshold is 2.0 years on every cluster; f64 math is avoided in SBPF v0.
    (128 + len as u64) * per_byte_year * 2
}

pub fn abort() -> ! {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf"))]
    // SAFETY: abort never returns; the runtime fails the instruction.
    unsafe {
        sol_abort()
    }
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf")))]
    panic!("abort")
}

#[cfg(all(not(test), target_arch = "bpf"))]
mod mem {
    //! `memcmp`/`bcmp` for the Debian-rustc route (compiler_builtins is not linked there);
    //! memcpy/memmove/memset are mapped to syscalls by the post-linker.
    #[no_mangle]
    pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        let mut i = 0;
        while i < n {
            // SAFETY: the caller guarantees both ranges are n readable bytes.
            let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
            if x != y {
                return x as i32 - y as i32;
            }
            i += 1;
        }
        0
    }
    #[no_mangle]
    pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        // SAFETY: same contract as memcmp.
        unsafe { memcmp(a, b, n) }
    }
}
