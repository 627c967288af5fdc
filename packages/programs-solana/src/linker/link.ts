import { LinkError } from './errors.js';
import {
  EM_BPF, ET_DYN, R_BPF_64_32, R_BPF_64_64, R_BPF_64_ABS64, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_UNDEF,
  SHT_DYNAMIC, SHT_DYNSYM, SHT_NOBITS, SHT_PROGBITS, SHT_REL, SHT_STRTAB, STT_FUNC, STT_SECTION,
  readObject, type InputSection,
} from './elf.js';

/** Virtual address at which the SBPF v0 loader maps the ELF file (address == file offset + this). */
export const MM_PROGRAM_START = 0x1_0000_0000;

/** Compiler-emitted libc calls and the Solana syscalls with the same calling convention. */
const LIBC_TO_SYSCALL: Record<string, string> = { memcpy: 'sol_memcpy_', memmove: 'sol_memmove_', memset: 'sol_memset_' };

/**
 * Panic entry points of Rust's `core` that are not part of the LTO module (core's prebuilt
 * rlib is not bitcode). With panic=abort they end the program, so they are bound to the
 * `abort` syscall. Matches v0-mangled names of `core::panicking::*` and `core::slice::index::*_fail`.
 */
export function isCorePanic(name: string): boolean {
  return /4core/.test(name) && (/panicking/.test(name) || /index\d+\w*_fail/.test(name) || /_fail$/.test(name));
}

function resolveExternal(name: string): string {
  return LIBC_TO_SYSCALL[name] ?? (isCorePanic(name) ? 'abort' : name);
}

export interface LinkOptions {
  /** Name of the entry symbol. @default 'entrypoint' */
  entry?: string;
  /** Extra undefined symbols accepted as syscalls besides `sol_*` and `abort`. @default [] */
  allowSyscalls?: string[];
}

export interface LinkResult {
  elf: Uint8Array;
  textSize: number;
  rodataSize: number;
  syscalls: string[];
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

function isSyscallName(name: string, extra: string[]): boolean {
  return name.startsWith('sol_') || name === 'abort' || extra.includes(name);
}

/**
 * Links one relocatable BPF object into a Solana SBPF v0 shared object: `.text` and `.rodata` merged,
 * every section's address equal to its file offset, data references resolved to MM_PROGRAM_START + offset,
 * internal calls pc-relative, syscalls left as `call -1` with an R_BPF_64_32 dynamic relocation.
 */
export function linkSbpfV0(object: Uint8Array, options: LinkOptions = {}): LinkResult {
  const entryName = options.entry ?? 'entrypoint';
  const extra = options.allowSyscalls ?? [];
  const obj = readObject(object);
  const texts: InputSection[] = [];
  const rodatas: InputSection[] = [];
  for (const s of obj.sections) {
    if (!(s.flags & SHF_ALLOC) || s.size === 0) continue;
    // .data.rel.ro is writable only so a dynamic linker can relocate it; every pointer in it is
    // resolved here, so it is read-only data for the loader.
    const relro = s.name === '.data.rel.ro' || s.name.startsWith('.data.rel.ro.');
    if (!relro && (s.flags & SHF_WRITE || s.type === SHT_NOBITS)) {
      throw new LinkError('WritableData', `section ${s.name} (${s.size} bytes) is writable; SBPF v0 has no mutable globals`);
    }
    if (s.type !== SHT_PROGBITS) throw new LinkError('UnsupportedSection', `allocated section ${s.name} has type ${s.type}`);
    (s.flags & SHF_EXECINSTR ? texts : rodatas).push(s);
  }
  if (texts.length === 0) throw new LinkError('MissingEntrypoint', 'object has no executable section');

  // Layout: ELF header, 3 program headers, .text, .rodata, .dynamic, .dynsym, .dynstr, .rel.dyn, .shstrtab, section headers.
  const PHNUM = 3;
  let cursor = 64 + PHNUM * 56;
  const base = new Map<number, number>();
  const textStart = align(cursor, 8);
  cursor = textStart;
  for (const s of texts) { cursor = align(cursor, Math.max(8, s.align)); base.set(s.index, cursor); cursor += s.size; }
  const textEnd = cursor;
  const rodataStart = align(cursor, 8);
  cursor = rodataStart;
  for (const s of rodatas) { cursor = align(cursor, s.align); base.set(s.index, cursor); cursor += s.size; }
  const rodataEnd = rodatas.length ? cursor : rodataStart;

  const out = new Uint8Array(textEnd > rodataEnd ? textEnd : rodataEnd);
  for (const s of [...texts, ...rodatas]) out.set(s.data, base.get(s.index)!);
  const dv = new DataView(out.buffer);

  const symAddr = (i: number): number | undefined => {
    const sym = obj.symbols[i];
    if (!sym || sym.shndx === SHN_UNDEF) return undefined;
    const b = base.get(sym.shndx);
    if (b === undefined) throw new LinkError('UnsupportedSection', `symbol ${sym.name || i} is in a section that is not loaded`);
    return b + (sym.type === STT_SECTION ? 0 : sym.value);
  };

  const dynNames: string[] = [];
  const dynRels: { offset: number; sym: number }[] = [];
  for (const r of obj.relocations) {
    const targetBase = base.get(r.target);
    if (targetBase === undefined) continue; // relocations of debug / BTF sections are not loaded
    const place = targetBase + r.offset;
    const sym = obj.symbols[r.symbol];
    const symName = sym?.name || `#${r.symbol}`;
    if (place + 8 > out.length) throw new LinkError('RelocationOutOfRange', `relocation at ${place} beyond image`);
    if (r.type === R_BPF_64_64) {
      const s = symAddr(r.symbol);
      if (s === undefined) throw new LinkError('UnresolvedSymbol', `data reference to undefined symbol ${symName}`);
      if (place + 16 > out.length) throw new LinkError('RelocationOutOfRange', `lddw at ${place} is truncated`);
      const value = MM_PROGRAM_START + s + dv.getUint32(place + 4, true);
      dv.setUint32(place + 4, value % 2 ** 32, true);
      dv.setUint32(place + 12, Math.floor(value / 2 ** 32), true);
    } else if (r.type === R_BPF_64_ABS64) {
      const s = symAddr(r.symbol);
      if (s === undefined) throw new LinkError('UnresolvedSymbol', `pointer to undefined symbol ${symName}`);
      dv.setBigUint64(place, BigInt(MM_PROGRAM_START + s) + dv.getBigUint64(place, true), true);
    } else if (r.type === R_BPF_64_32) {
      const s = symAddr(r.symbol);
      if (s !== undefined) {
        if (sym?.type !== STT_FUNC) throw new LinkError('UnknownRelocation', `call to non-function symbol ${symName}`);
        dv.setInt32(place + 4, (s - (place + 8)) / 8, true);
        continue;
      }
      const name = resolveExternal(symName);
      if (!isSyscallName(name, extra)) throw new LinkError('UnresolvedSymbol', `call to undefined symbol ${symName} (not a syscall)`);
      let idx = dynNames.indexOf(name);
      if (idx < 0) { dynNames.push(name); idx = dynNames.length - 1; }
      dv.setInt32(place + 4, -1, true);
      dynRels.push({ offset: place, sym: idx + 1 });
    } else {
      throw new LinkError('UnknownRelocation', `relocation type ${r.type} against ${symName} in a loaded section`);
    }
  }

  const entrySym = obj.symbols.findIndex((s) => s.name === entryName && s.shndx !== SHN_UNDEF);
  const entry = entrySym >= 0 ? symAddr(entrySym)! : undefined;
  if (entry === undefined || entry < textStart || entry >= textEnd) {
    throw new LinkError('MissingEntrypoint', `no defined symbol ${entryName} in an executable section`);
  }
  return emit(out, { textStart, textEnd, rodataStart, rodataEnd, entry, dynNames, dynRels });
}

interface Layout {
  textStart: number; textEnd: number; rodataStart: number; rodataEnd: number; entry: number;
  dynNames: string[]; dynRels: { offset: number; sym: number }[];
}

function emit(image: Uint8Array, l: Layout): LinkResult {
  const enc = new TextEncoder();
  const dynstrParts = [0];
  const nameOff: number[] = [];
  let dynstrLen = 1;
  for (const n of l.dynNames) { nameOff.push(dynstrLen); dynstrLen += enc.encode(n).length + 1; }
  void dynstrParts;
  const hasRodata = l.rodataEnd > l.rodataStart;
  const dynamicOff = align(Math.max(l.textEnd, l.rodataEnd), 8);
  const dynEntries: [number, number][] = [];
  const dynamicSize = 7 * 16;
  const dynsymOff = dynamicOff + dynamicSize;
  const dynsymSize = (l.dynNames.length + 1) * 24;
  const dynstrOff = dynsymOff + dynsymSize;
  const relOff = align(dynstrOff + dynstrLen, 8);
  const relSize = l.dynRels.length * 16;
  const shNames = ['', '.text', ...(hasRodata ? ['.rodata'] : []), '.dynamic', '.dynsym', '.dynstr', '.rel.dyn', '.shstrtab'];
  const shstrOff = relOff + relSize;
  const shstrNameOff: number[] = [];
  let shstrLen = 0;
  for (const n of shNames) { shstrNameOff.push(shstrLen); shstrLen += n.length + 1; }
  const shOff = align(shstrOff + shstrLen, 8);
  const total = shOff + shNames.length * 64;
  const out = new Uint8Array(total);
  out.set(image.subarray(0, Math.max(l.textEnd, l.rodataEnd)));
  const dv = new DataView(out.buffer);
  const u64 = (o: number, v: number) => dv.setBigUint64(o, BigInt(v), true);

  // ELF header
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  dv.setUint16(16, ET_DYN, true); dv.setUint16(18, EM_BPF, true); dv.setUint32(20, 1, true);
  u64(24, l.entry); u64(32, 64); u64(40, shOff); dv.setUint32(48, 0, true);
  dv.setUint16(52, 64, true); dv.setUint16(54, 56, true); dv.setUint16(56, 3, true);
  dv.setUint16(58, 64, true); dv.setUint16(60, shNames.length, true); dv.setUint16(62, shNames.length - 1, true);
  // Program headers: text (R+X), read-only rest (R), dynamic.
  const phdr = (i: number, type: number, flags: number, off: number, size: number) => {
    const o = 64 + i * 56;
    dv.setUint32(o, type, true); dv.setUint32(o + 4, flags, true);
    u64(o + 8, off); u64(o + 16, off); u64(o + 24, off); u64(o + 32, size); u64(o + 40, size); u64(o + 48, 8);
  };
  phdr(0, 1, 5, l.textStart, l.textEnd - l.textStart);
  const roStart = hasRodata ? l.rodataStart : dynamicOff;
  phdr(1, 1, 4, roStart, relOff + relSize - roStart);
  phdr(2, 2, 4, dynamicOff, dynamicSize);
  // .dynamic
  dynEntries.push([17, relOff], [18, relSize], [19, 16], [6, dynsymOff], [5, dynstrOff], [10, dynstrLen], [0, 0]);
  dynEntries.forEach(([tag, val], i) => { u64(dynamicOff + i * 16, tag); u64(dynamicOff + i * 16 + 8, val); });
  // .dynsym: null symbol then one global NOTYPE undefined symbol per syscall.
  l.dynNames.forEach((_, i) => {
    const o = dynsymOff + (i + 1) * 24;
    dv.setUint32(o, nameOff[i]!, true); out[o + 4] = 0x10;
  });
  l.dynNames.forEach((n, i) => out.set(enc.encode(n), dynstrOff + nameOff[i]!));
  l.dynRels.forEach((r, i) => { u64(relOff + i * 16, r.offset); dv.setBigUint64(relOff + i * 16 + 8, (BigInt(r.sym) << 32n) | BigInt(R_BPF_64_32), true); });
  shNames.forEach((n, i) => out.set(enc.encode(n), shstrOff + shstrNameOff[i]!));
  // Section headers
  const idx = (n: string) => shNames.indexOf(n);
  const shdr = (name: string, type: number, flags: number, off: number, size: number, link = 0, info = 0, al = 1, entsize = 0) => {
    const o = shOff + idx(name) * 64;
    dv.setUint32(o, shstrNameOff[idx(name)]!, true); dv.setUint32(o + 4, type, true); u64(o + 8, flags);
    u64(o + 16, flags & SHF_ALLOC ? off : 0); u64(o + 24, off); u64(o + 32, size);
    dv.setUint32(o + 40, link, true); dv.setUint32(o + 44, info, true); u64(o + 48, al); u64(o + 56, entsize);
  };
  shdr('.text', SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, l.textStart, l.textEnd - l.textStart, 0, 0, 8);
  if (hasRodata) shdr('.rodata', SHT_PROGBITS, SHF_ALLOC, l.rodataStart, l.rodataEnd - l.rodataStart, 0, 0, 8);
  shdr('.dynamic', SHT_DYNAMIC, SHF_ALLOC, dynamicOff, dynamicSize, idx('.dynstr'), 0, 8, 16);
  shdr('.dynsym', SHT_DYNSYM, SHF_ALLOC, dynsymOff, dynsymSize, idx('.dynstr'), 1, 8, 24);
  shdr('.dynstr', SHT_STRTAB, SHF_ALLOC, dynstrOff, dynstrLen, 0, 0, 1);
  shdr('.rel.dyn', SHT_REL, SHF_ALLOC, relOff, relSize, idx('.dynsym'), 0, 8, 16);
  shdr('.shstrtab', SHT_STRTAB, 0, shstrOff, shstrLen, 0, 0, 1);
  return {
    elf: out,
    textSize: l.textEnd - l.textStart,
    rodataSize: l.rodataEnd - l.rodataStart,
    syscalls: [...l.dynNames],
  };
}
