import { LinkError } from './errors.js';

/** ELF constants used by the BPF post-linker (System V gABI + LLVM's BPF relocations). */
export const EM_BPF = 247;
export const ET_REL = 1;
export const ET_DYN = 3;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_DYNAMIC = 6;
export const SHT_DYNSYM = 11;
export const SHF_WRITE = 1;
export const SHF_ALLOC = 2;
export const SHF_EXECINSTR = 4;
export const STT_SECTION = 3;
export const STT_FUNC = 2;
export const SHN_UNDEF = 0;
export const R_BPF_64_64 = 1;
export const R_BPF_64_ABS64 = 2;
export const R_BPF_64_ABS32 = 3;
export const R_BPF_64_NODYLD32 = 4;
export const R_BPF_64_32 = 10;

export interface InputSection {
  index: number;
  name: string;
  type: number;
  flags: number;
  offset: number;
  size: number;
  align: number;
  link: number;
  info: number;
  data: Uint8Array;
}

export interface InputSymbol {
  name: string;
  value: number;
  size: number;
  type: number;
  bind: number;
  shndx: number;
}

export interface InputRelocation {
  /** Index of the section the relocation patches. */
  target: number;
  offset: number;
  type: number;
  symbol: number;
}

export interface ObjectFile {
  sections: InputSection[];
  symbols: InputSymbol[];
  relocations: InputRelocation[];
}

function cstr(bytes: Uint8Array, at: number): string {
  let end = at;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(at, end));
}

/** Parses a relocatable little-endian ELF64 BPF object as produced by `llc -march=bpfel -filetype=obj`. */
export function readObject(bytes: Uint8Array): ObjectFile {
  if (bytes.length < 64) throw new LinkError('TruncatedObject', `object is ${bytes.length} bytes, smaller than an ELF64 header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicOk = bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
  if (!magicOk || bytes[4] !== 2 || bytes[5] !== 1) throw new LinkError('NotElf64Bpf', 'not a little-endian ELF64 file');
  if (dv.getUint16(16, true) !== ET_REL) throw new LinkError('NotElf64Bpf', `e_type ${dv.getUint16(16, true)} is not ET_REL`);
  if (dv.getUint16(18, true) !== EM_BPF) throw new LinkError('NotElf64Bpf', `e_machine ${dv.getUint16(18, true)} is not EM_BPF`);
  const shoff = Number(dv.getBigUint64(40, true));
  const shentsize = dv.getUint16(58, true);
  const shnum = dv.getUint16(60, true);
  const shstrndx = dv.getUint16(62, true);
  if (shentsize !== 64 || shoff + shnum * 64 > bytes.length) throw new LinkError('TruncatedObject', 'section header table out of bounds');
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * 64;
    const type = dv.getUint32(o + 4, true);
    const offset = Number(dv.getBigUint64(o + 24, true));
    const size = Number(dv.getBigUint64(o + 32, true));
    if (type !== SHT_NOBITS && offset + size > bytes.length) throw new LinkError('TruncatedObject', `section ${i} data out of bounds`);
    raw.push({
      index: i,
      nameOff: dv.getUint32(o, true),
      type,
      flags: Number(dv.getBigUint64(o + 8, true)),
      offset,
      size,
      link: dv.getUint32(o + 40, true),
      info: dv.getUint32(o + 44, true),
      align: Math.max(1, Number(dv.getBigUint64(o + 48, true))),
      data: type === SHT_NOBITS ? new Uint8Array(size) : bytes.subarray(offset, offset + size),
    });
  }
  const shstr = raw[shstrndx];
  if (!shstr) throw new LinkError('TruncatedObject', 'missing section name table');
  const sections: InputSection[] = raw.map(({ nameOff, ...s }) => ({ ...s, name: cstr(shstr.data, nameOff) }));
  const symbols: InputSymbol[] = [];
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (symtab) {
    const strtab = sections[symtab.link];
    if (!strtab) throw new LinkError('TruncatedObject', 'symbol table has no string table');
    const sdv = new DataView(symtab.data.buffer, symtab.data.byteOffset, symtab.data.byteLength);
    for (let o = 0; o + 24 <= symtab.data.length; o += 24) {
      const info = sdv.getUint8(o + 4);
      symbols.push({
        name: cstr(strtab.data, sdv.getUint32(o, true)),
        type: info & 0xf,
        bind: info >> 4,
        shndx: sdv.getUint16(o + 6, true),
        value: Number(sdv.getBigUint64(o + 8, true)),
        size: Number(sdv.getBigUint64(o + 16, true)),
      });
    }
  }
  const relocations: InputRelocation[] = [];
  for (const s of sections) {
    if (s.type !== SHT_REL) continue;
    const rdv = new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength);
    for (let o = 0; o + 16 <= s.data.length; o += 16) {
      const info = rdv.getBigUint64(o + 8, true);
      relocations.push({
        target: s.info,
        offset: Number(rdv.getBigUint64(o, true)),
        type: Number(info & 0xffffffffn),
        symbol: Number(info >> 32n),
      });
    }
  }
  return { sections, symbols, relocations };
}
