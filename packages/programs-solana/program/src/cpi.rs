//! Cross-program invocations through `sol_invoke_signed_c`: System Program account creation and
//! SPL Token transfers / account initialization.

use crate::account::AccountInfo;
use crate::error::{fail, Error, Result};
use crate::sys::{self, SolBytes};

pub const SYSTEM_PROGRAM_ID: [u8; 32] = [0; 32];
/// TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA
pub const TOKEN_PROGRAM_ID: [u8; 32] = [
    6, 221, 246, 225, 215, 101, 161, 147, 217, 203, 225, 70, 206, 235, 121, 172, 28, 180, 133, 237, 95, 91, 55, 145, 58,
    140, 245, 133, 126, 255, 0, 169,
];

#[repr(C)]
struct SolAccountMeta {
    pubkey: *const [u8; 32],
    is_writable: bool,
    is_signer: bool,
}

#[repr(C)]
struct SolInstruction {
    program_id: *const [u8; 32],
    accounts: *const SolAccountMeta,
    account_len: u64,
    data: *const u8,
    data_len: u64,
}

#[repr(C)]
struct SolAccountInfo {
    key: *const [u8; 32],
    lamports: *mut u64,
    data_len: u64,
    data: *mut u8,
    owner: *const [u8; 32],
    rent_epoch: u64,
    is_signer: bool,
    is_writable: bool,
    executable: bool,
}

fn info(a: &AccountInfo) -> SolAccountInfo {
    let h = a.raw_header();
    // SAFETY: `h` points at the serialized header; the fields referenced live for the instruction.
    unsafe {
        SolAccountInfo {
            key: &(*h).key,
            lamports: &mut (*h).lamports,
            data_len: (*h).data_len,
            data: a.data_mut().as_mut_ptr(),
            owner: &(*h).owner,
            rent_epoch: 0,
            is_signer: a.is_signer(),
            is_writable: a.is_writable(),
            executable: a.executable(),
        }
    }
}

/// One cross-program call: `metas` = (account, writable, signer), PDA `signers` seed sets.
/// (Grouped in a struct: BPF passes at most five arguments in registers.)
struct Cpi<'a> {
    program: &'a [u8; 32],
    metas: &'a [(&'a AccountInfo, bool, bool)],
    data: &'a [u8],
    signers: &'a [&'a [&'a [u8]]],
}

fn invoke(c: &Cpi) -> Result<()> {
    let (program, metas, data, signers) = (c.program, c.metas, c.data, c.signers);
    const N: usize = 4;
    if metas.len() > N || signers.len() > 2 {
        return Err(fail(Error::InvalidParameter, "cpi: too many accounts"));
    }
    let mut m: [SolAccountMeta; N] = core::array::from_fn(|_| SolAccountMeta { pubkey: core::ptr::null(), is_writable: false, is_signer: false });
    let mut infos: [SolAccountInfo; N] = core::array::from_fn(|_| SolAccountInfo {
        key: core::ptr::null(), lamports: core::ptr::null_mut(), data_len: 0, data: core::ptr::null_mut(),
        owner: core::ptr::null(), rent_epoch: 0, is_signer: false, is_writable: false, executable: false,
    });
    for (i, (a, w, s)) in metas.iter().enumerate() {
        m[i] = SolAccountMeta { pubkey: a.key(), is_writable: *w, is_signer: *s };
        infos[i] = info(a);
    }
    let ix = SolInstruction { program_id: program, accounts: m.as_ptr(), account_len: metas.len() as u64, data: data.as_ptr(), data_len: data.len() as u64 };
    let mut seed_sets: [[SolBytes; 4]; 2] = core::array::from_fn(|_| core::array::from_fn(|_| SolBytes::of(&[])));
    let mut sets: [SolBytes; 2] = core::array::from_fn(|_| SolBytes::of(&[]));
    for (i, seeds) in signers.iter().enumerate() {
        if seeds.len() > 4 {
            return Err(fail(Error::InvalidParameter, "cpi: too many seeds"));
        }
        for (j, s) in seeds.iter().enumerate() {
            seed_sets[i][j] = SolBytes::of(s);
        }
        sets[i] = SolBytes { addr: seed_sets[i].as_ptr() as *const u8, len: seeds.len() as u64 };
    }
    // SAFETY: every pointer above refers to locals or input-region data alive across the call.
    let rc = unsafe {
        sys::invoke_signed_raw(
            &ix as *const SolInstruction as *const u8,
            infos.as_ptr() as *const u8,
            metas.len() as u64,
            sets.as_ptr() as *const u8,
            signers.len() as u64,
        )
    };
    if rc != 0 {
        return Err(fail(Error::TransferFailed, "cpi failed"));
    }
    Ok(())
}

/// A PDA to create: `account` (signed by `seeds`, bump included) with `space` bytes owned by `owner`.
pub struct NewAccount<'a> {
    pub payer: &'a AccountInfo,
    pub account: &'a AccountInfo,
    pub space: usize,
    pub owner: &'a [u8; 32],
    pub seeds: &'a [&'a [u8]],
}

/// Creates the account; works even if someone pre-funded the address (transfer + allocate + assign).
pub fn create_pda(n: &NewAccount) -> Result<()> {
    let (payer, new, space, owner, seeds) = (n.payer, n.account, n.space, n.owner, n.seeds);
    let rent = sys::rent_exempt_minimum(space);
    let have = new.lamports();
    if have == 0 {
        let mut d = [0u8; 52];
        d[4..12].copy_from_slice(&rent.to_le_bytes());
        d[12..20].copy_from_slice(&(space as u64).to_le_bytes());
        d[20..52].copy_from_slice(owner);
        return invoke(&Cpi { program: &SYSTEM_PROGRAM_ID, metas: &[(payer, true, true), (new, true, true)], data: &d, signers: &[seeds] });
    }
    if have < rent {
        let mut t = [0u8; 12];
        t[0] = 2;
        t[4..12].copy_from_slice(&(rent - have).to_le_bytes());
        invoke(&Cpi { program: &SYSTEM_PROGRAM_ID, metas: &[(payer, true, true), (new, true, false)], data: &t, signers: &[] })?;
    }
    let mut a = [0u8; 12];
    a[0] = 8;
    a[4..12].copy_from_slice(&(space as u64).to_le_bytes());
    invoke(&Cpi { program: &SYSTEM_PROGRAM_ID, metas: &[(new, true, true)], data: &a, signers: &[seeds] })?;
    let mut o = [0u8; 36];
    o[0] = 1;
    o[4..36].copy_from_slice(owner);
    invoke(&Cpi { program: &SYSTEM_PROGRAM_ID, metas: &[(new, true, true)], data: &o, signers: &[seeds] })
}

/// SPL Token `Transfer { amount }` for `[source, dest, authority]`; the authority is a PDA
/// signed by `seeds` when they are non-empty, else a transaction signer.
pub fn token_transfer(accs: &[&AccountInfo; 3], amount: u64, seeds: &[&[u8]]) -> Result<()> {
    let mut d = [0u8; 9];
    d[0] = 3;
    d[1..9].copy_from_slice(&amount.to_le_bytes());
    let metas = [(accs[0], true, false), (accs[1], true, false), (accs[2], false, true)];
    let signers: &[&[&[u8]]] = if seeds.is_empty() { &[] } else { &[seeds] };
    invoke(&Cpi { program: &TOKEN_PROGRAM_ID, metas: &metas, data: &d, signers })
}

/// SPL Token `InitializeAccount3 { owner }` for a freshly allocated token account.
pub fn token_initialize_account(account: &AccountInfo, mint: &AccountInfo, owner: &[u8; 32]) -> Result<()> {
    let mut d = [0u8; 33];
    d[0] = 18;
    d[1..33].copy_from_slice(owner);
    invoke(&Cpi { program: &TOKEN_PROGRAM_ID, metas: &[(account, true, false), (mint, false, false)], data: &d, signers: &[] })
}
