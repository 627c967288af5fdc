import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkSbpfV0 } from '../src/linker/link.js';
import { LinkError } from '../src/linker/errors.js';
import { SO_PATH } from './harness.js';

const haveToolchain = existsSync('/usr/bin/rustc') && spawnSync('sh', ['-c', 'command -v llc-22']).status === 0;
const pkg = new URL('..', import.meta.url).pathname;

describe('committed dist/bulwark.so', () => {
  it('is an SBPF v0 shared object whose sections sit at their file offsets', () => {
    const so = readFileSync(SO_PATH);
    const dv = new DataView(so.buffer, so.byteOffset);
    expect([...so.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    expect(dv.getUint16(16, true)).toBe(3); // ET_DYN
    expect(dv.getUint16(18, true)).toBe(247); // EM_BPF
    expect(dv.getUint32(48, true)).toBe(0); // e_flags: SBPF v0
    const shoff = Number(dv.getBigUint64(40, true));
    for (let i = 1; i < dv.getUint16(60, true); i++) {
      const o = shoff + i * 64;
      const flags = Number(dv.getBigUint64(o + 8, true));
      if (flags & 2) expect(dv.getBigUint64(o + 16, true)).toBe(dv.getBigUint64(o + 24, true));
      expect(flags & 1).toBe(0); // nothing writable
    }
  });

  it.skipIf(!haveToolchain)('rebuilds byte-for-byte from program/ (needs rustc-web + llc-22; skipped without them)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'bulwark-')), 'bulwark.so');
    execFileSync('bash', ['scripts/build-program.sh', out], { cwd: pkg, stdio: 'pipe' });
    expect(Buffer.compare(readFileSync(out), readFileSync(SO_PATH))).toBe(0);
  });
});

/** A minimal relocatable BPF object: .text (+ optional extra section), .symtab, .strtab, .rel.text. */
function object(o: { text: number[][]; extraSection?: { name: string; flags: number; size: number }; relocs?: { offset: number; type: number; sym: number }[]; symbols: { name: string; shndx: number; value: number; type: number; bind: number }[] }): Uint8Array {
  const text = new Uint8Array(o.text.flat());
  const names = ['', '.text', '.symtab', '.strtab', '.rel.text', '.shstrtab', ...(o.extraSection ? [o.extraSection.name] : [])];
  const shstr = new TextEncoder().encode(names.join('\0') + '\0');
  const nameOff = (n: string) => names.slice(0, names.indexOf(n)).reduce((a, x) => a + x.length + 1, 0);
  const strs = ['', ...o.symbols.map((s) => s.name)];
  const strtab = new TextEncoder().encode(strs.join('\0') + '\0');
  const strOff = (i: number) => strs.slice(0, i + 1).reduce((a, x) => a + x.length + 1, 0);
  const symtab = new Uint8Array(24 * (o.symbols.length + 1));
  o.symbols.forEach((s, i) => { const dv = new DataView(symtab.buffer, 24 * (i + 1)); dv.setUint32(0, strOff(i), true); dv.setUint8(4, (s.bind << 4) | s.type); dv.setUint16(6, s.shndx, true); dv.setBigUint64(8, BigInt(s.value), true); });
  const rel = new Uint8Array(16 * (o.relocs?.length ?? 0));
  (o.relocs ?? []).forEach((r, i) => { const dv = new DataView(rel.buffer, 16 * i); dv.setBigUint64(0, BigInt(r.offset), true); dv.setBigUint64(8, (BigInt(r.sym) << 32n) | BigInt(r.type), true); });
  const extra = new Uint8Array(o.extraSection?.size ?? 0);
  const blobs = [text, symtab, strtab, rel, shstr, extra];
  let off = 64;
  const offs = blobs.map((b) => { const at = Math.ceil(off / 8) * 8; off = at + b.length; return at; });
  const shoff = Math.ceil(off / 8) * 8;
  const out = new Uint8Array(shoff + 64 * names.length);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  dv.setUint16(16, 1, true); dv.setUint16(18, 247, true); dv.setBigUint64(40, BigInt(shoff), true);
  dv.setUint16(52, 64, true); dv.setUint16(58, 64, true); dv.setUint16(60, names.length, true); dv.setUint16(62, 5, true);
  blobs.forEach((b, i) => out.set(b, offs[i]!));
  const sh = (i: number, type: number, flags: number, blob: number, link = 0, info = 0) => {
    const o2 = shoff + i * 64;
    dv.setUint32(o2, nameOff(names[i]!), true); dv.setUint32(o2 + 4, type, true); dv.setBigUint64(o2 + 8, BigInt(flags), true);
    dv.setBigUint64(o2 + 24, BigInt(offs[blob]!), true); dv.setBigUint64(o2 + 32, BigInt(blobs[blob]!.length), true);
    dv.setUint32(o2 + 40, link, true); dv.setUint32(o2 + 44, info, true); dv.setBigUint64(o2 + 48, 8n, true);
  };
  sh(1, 1, 6, 0); sh(2, 2, 0, 1, 3, 1); sh(3, 3, 0, 2); sh(4, 9, 0, 3, 2, 1); sh(5, 3, 0, 4);
  if (o.extraSection) sh(6, 1, o.extraSection.flags, 5);
  return out;
}

const EXIT = [0x95, 0, 0, 0, 0, 0, 0, 0];
const CALL_M1 = [0x85, 0x10, 0, 0, 0xff, 0xff, 0xff, 0xff];

describe('post-linker', () => {
  it('binds syscalls and maps memcpy to sol_memcpy_ through R_BPF_64_32 dynamic relocations', () => {
    const obj = object({
      text: [CALL_M1, CALL_M1, EXIT],
      symbols: [{ name: 'entrypoint', shndx: 1, value: 0, type: 2, bind: 1 }, { name: 'sol_log_', shndx: 0, value: 0, type: 0, bind: 1 }, { name: 'memcpy', shndx: 0, value: 0, type: 0, bind: 1 }],
      relocs: [{ offset: 0, type: 10, sym: 2 }, { offset: 8, type: 10, sym: 3 }],
    });
    const r = linkSbpfV0(obj);
    expect(r.syscalls).toEqual(['sol_log_', 'sol_memcpy_']);
    expect(r.textSize).toBe(24);
  });

  it.each([
    ['WritableData', { name: '.data', flags: 3, size: 8 }, [], ['entrypoint']],
    ['UnresolvedSymbol', undefined, [{ offset: 0, type: 10, sym: 2 }], ['entrypoint', 'mystery_function']],
    ['UnknownRelocation', undefined, [{ offset: 0, type: 7, sym: 1 }], ['entrypoint']],
    ['MissingEntrypoint', undefined, [], ['main']],
  ] as const)('refuses an object with %s', (code, extra, relocs, syms) => {
    const obj = object({
      text: [CALL_M1, EXIT],
      extraSection: extra,
      relocs: [...relocs],
      symbols: syms.map((n, i) => ({ name: n, shndx: i === 0 ? 1 : 0, value: 0, type: i === 0 ? 2 : 0, bind: 1 })),
    });
    expect(() => linkSbpfV0(obj)).toThrowError(LinkError);
    try { linkSbpfV0(obj); } catch (e) { expect((e as LinkError).code).toBe(code); }
  });

  it('refuses input that is not a BPF ELF object', () => {
    expect(() => linkSbpfV0(new Uint8Array(10))).toThrowError(/TruncatedObject/);
    expect(() => linkSbpfV0(new Uint8Array(64))).toThrowError(/NotElf64Bpf/);
  });
});
