//! Zero-copy view of the accounts the runtime serializes into the program's input region
//! (BPF Loader 2/Upgradeable "aligned" layout).

use crate::error::{fail, Error, Result};

/// Maximum accounts one instruction may pass; more is `InvalidParameter`.
pub const MAX_ACCOUNTS: usize = 16;
/// Bytes the runtime leaves after each account's data for in-place growth.
pub const MAX_PERMITTED_DATA_INCREASE: usize = 10 * 1024;

/// Header the runtime writes before each account's data.
#[repr(C)]
pub struct AccountHeader {
    pub dup: u8,
    pub is_signer: u8,
    pub is_writable: u8,
    pub executable: u8,
    pub original_data_len: u32,
    pub key: [u8; 32],
    pub owner: [u8; 32],
    pub lamports: u64,
    pub data_len: u64,
}

/// One account of the instruction; cheap to copy (a pointer into the input region).
#[derive(Clone, Copy)]
pub struct AccountInfo {
    hdr: *mut AccountHeader,
}

impl AccountInfo {
    /// # Safety
    /// `hdr` must point at a serialized account header inside the input region, followed by
    /// `data_len` bytes of data and the realloc padding.
    pub unsafe fn from_raw(hdr: *mut AccountHeader) -> Self {
        AccountInfo { hdr }
    }
    fn h(&self) -> &AccountHeader {
        // SAFETY: `hdr` is valid for the whole instruction (see from_raw).
        unsafe { &*self.hdr }
    }
    fn h_mut(&self) -> &mut AccountHeader {
        // SAFETY: as above; the runtime lets the program write lamports/data_len/owner and
        // checks the changes after the instruction.
        unsafe { &mut *self.hdr }
    }
    pub fn key(&self) -> &[u8; 32] {
        &self.h().key
    }
    pub fn owner(&self) -> &[u8; 32] {
        &self.h().owner
    }
    pub fn is_signer(&self) -> bool {
        self.h().is_signer != 0
    }
    pub fn is_writable(&self) -> bool {
        self.h().is_writable != 0
    }
    pub fn executable(&self) -> bool {
        self.h().executable != 0
    }
    pub fn lamports(&self) -> u64 {
        self.h().lamports
    }
    pub fn set_lamports(&self, v: u64) {
        self.h_mut().lamports = v;
    }
    pub fn set_owner(&self, owner: &[u8; 32]) {
        self.h_mut().owner = *owner;
    }
    pub fn data_len(&self) -> usize {
        self.h().data_len as usize
    }
    pub fn raw_header(&self) -> *mut AccountHeader {
        self.hdr
    }
    pub fn data(&self) -> &[u8] {
        // SAFETY: data_len bytes follow the header (runtime serialization contract).
        unsafe { core::slice::from_raw_parts((self.hdr as *const u8).add(core::mem::size_of::<AccountHeader>()), self.data_len()) }
    }
    #[allow(clippy::mut_from_ref)]
    pub fn data_mut(&self) -> &mut [u8] {
        // SAFETY: as `data`; callers check `is_writable` before mutating (the runtime rejects
        // writes to read-only accounts anyway).
        unsafe { core::slice::from_raw_parts_mut((self.hdr as *mut u8).add(core::mem::size_of::<AccountHeader>()), self.data_len()) }
    }

    pub fn expect_signer(&self, what: &str) -> Result<()> {
        if !self.is_signer() {
            return Err(fail(Error::Unauthorized, what));
        }
        Ok(())
    }
    pub fn expect_writable(&self, what: &str) -> Result<()> {
        if !self.is_writable() {
            return Err(fail(Error::InvalidParameter, what));
        }
        Ok(())
    }
    pub fn expect_key(&self, key: &[u8; 32], what: &str) -> Result<()> {
        if self.key() != key {
            return Err(fail(Error::InvalidParameter, what));
        }
        Ok(())
    }
}

/// The decoded program input: accounts, instruction data and program id.
pub struct Input<'a> {
    pub accounts: [Option<AccountInfo>; MAX_ACCOUNTS],
    pub count: usize,
    pub data: &'a [u8],
    pub program_id: &'a [u8; 32],
}

impl<'a> Input<'a> {
    /// Account `i` or `InvalidParameter` naming the missing role.
    pub fn account(&self, i: usize, what: &str) -> Result<AccountInfo> {
        match self.accounts.get(i).copied().flatten() {
            Some(a) if i < self.count => Ok(a),
            _ => Err(fail(Error::InvalidParameter, what)),
        }
    }
}

/// # Safety
/// `input` must be the pointer the runtime passes to `entrypoint`.
pub unsafe fn deserialize<'a>(input: *mut u8) -> Result<Input<'a>> {
    let mut p = input;
    // SAFETY: the runtime's input always begins with the u64 account count.
    let n = unsafe { *(p as *const u64) } as usize;
    p = unsafe { p.add(8) };
    if n > MAX_ACCOUNTS {
        return Err(fail(Error::InvalidParameter, "too many accounts"));
    }
    let mut accounts: [Option<AccountInfo>; MAX_ACCOUNTS] = [None; MAX_ACCOUNTS];
    let mut i = 0;
    while i < n {
        // SAFETY: each entry starts with the duplicate marker byte.
        let dup = unsafe { *p };
        if dup != u8::MAX {
            accounts[i] = accounts[dup as usize];
            // SAFETY: a duplicate entry is 8 bytes.
            p = unsafe { p.add(8) };
        } else {
            let hdr = p as *mut AccountHeader;
            // SAFETY: a non-duplicate entry is a header, data, realloc padding (aligned to 8), rent epoch.
            let len = unsafe { (*hdr).data_len } as usize;
            accounts[i] = Some(unsafe { AccountInfo::from_raw(hdr) });
            let body = core::mem::size_of::<AccountHeader>() + len + MAX_PERMITTED_DATA_INCREASE;
            let aligned = (body + 7) & !7;
            p = unsafe { p.add(aligned + 8) };
        }
        i += 1;
    }
    // SAFETY: instruction data length, data and the program id follow the accounts.
    let data_len = unsafe { *(p as *const u64) } as usize;
    let data = unsafe { core::slice::from_raw_parts(p.add(8), data_len) };
    let program_id = unsafe { &*(p.add(8 + data_len) as *const [u8; 32]) };
    Ok(Input { accounts, count: n, data, program_id })
}
